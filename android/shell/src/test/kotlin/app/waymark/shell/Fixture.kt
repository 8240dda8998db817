package app.waymark.shell

import app.waymark.WaymarkInterface
import app.waymark.core.PlannedNotification
import app.waymark.shell.key.DatabaseKeyFile
import app.waymark.shell.key.SecretKeyProvider
import app.waymark.shell.reminders.Delivery
import app.waymark.shell.reminders.NotificationSink
import app.waymark.shell.reminders.Reminders
import app.waymark.shell.screens.PlanChanged
import java.io.File
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Proxy
import java.nio.file.Files
import java.time.Instant
import java.util.Locale
import java.util.concurrent.atomic.AtomicInteger
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/** A phone whose clock, zone and language the test sets. */
class TestDevice(
    var now: Instant = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
    var zone: String = "Europe/Madrid",
    var locale: Locale = Locale.forLanguageTag("es-ES"),
) : Device {
    override fun now() = now
    override fun zone() = zone
    override fun locale() = locale
}

/** A JCE key standing in for AndroidKeyStore's. */
class JceKeyProvider : SecretKeyProvider {
    private val key: SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
    override fun sealingKey() = key
}

/**
 * The real library, with every call a screen makes through it counted.
 * [failing] makes a call by that name throw instead, as a full disk would.
 */
class CountingCore(private val real: Core = RustCore) {
    val calls = AtomicInteger()
    var failing: Map<String, Throwable> = emptyMap()
    val core: Core = counting(real, Core::class.java)

    /** The calls [block] made. */
    suspend fun count(block: suspend () -> Unit): Int {
        val before = calls.get()
        block()
        return calls.get() - before
    }

    private fun before(name: String) {
        calls.incrementAndGet()
        failing[name]?.let { throw it }
    }

    /** The profile object is wrapped by generated code (CountedWaymark); the calls without one by a proxy. */
    @Suppress("UNCHECKED_CAST")
    private fun <T> counting(target: Any, vararg types: Class<*>): T =
        Proxy.newProxyInstance(javaClass.classLoader, types) { _, method, args ->
            if (method.declaringClass != Any::class.java) before(method.name)
            val result = try {
                method.invoke(target, *(args ?: emptyArray()))
            } catch (e: InvocationTargetException) {
                throw e.targetException
            }
            if (method.name == "open") CountedWaymark(result as WaymarkInterface, ::before) else result
        } as T
}

/** What a reconciliation did to the phone, as AlarmManager would hold it. */
class RecordingSink(var exactAllowed: Boolean = true) : NotificationSink {
    val scheduled = linkedMapOf<String, Pair<PlannedNotification, Delivery>>()
    val cancelled = mutableListOf<String>()

    override fun canScheduleExact() = exactAllowed

    override fun schedule(notification: PlannedNotification, delivery: Delivery) {
        scheduled[notification.id] = notification to delivery
    }

    override fun cancel(id: String) {
        cancelled += id
        scheduled.remove(id)
    }
}

/** One phone: a profile in a fresh folder, its device, its alarms, and the counted core. */
class Phone(
    val device: TestDevice = TestDevice(),
    val dir: File = Files.createTempDirectory("waymark-shell").toFile(),
    provider: SecretKeyProvider = JceKeyProvider(),
) {
    val counter = CountingCore()
    val keyFile = File(dir, "database.key")
    val database = File(dir, "waymark.db")
    val profile = Profile(database, DatabaseKeyFile(keyFile, provider), device, counter.core)
    val sink = RecordingSink()
    val reminders = Reminders(profile, sink, device)
    val planChanged = PlanChanged { reminders.reconcile() }

    suspend fun opened(): Phone = apply { check(profile.open() == ProfileState.Open) { "${profile.state.value}" } }
}
