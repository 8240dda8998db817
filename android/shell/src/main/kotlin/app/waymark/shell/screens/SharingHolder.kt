package app.waymark.shell.screens

import app.waymark.core.HttpTransport
import app.waymark.core.ShareRequest
import app.waymark.core.ShareScope
import app.waymark.core.SummaryForms
import app.waymark.core.SyncReport
import app.waymark.core.SyncStatus
import app.waymark.shell.Device
import app.waymark.shell.Profile
import java.time.ZoneId

data class SharingState(
    /** Paired channels, what waits to be sent, what failed or was set aside, and why. */
    val status: SyncStatus? = null,
    /** Local dates, `YYYY-MM-DD`. */
    val from: String = "",
    val to: String = "",
    /** Nothing is chosen for the patient. */
    val scopes: Set<ShareScope> = emptySet(),
    /** What the therapist would read, before it is sent. */
    val preview: SummaryForms? = null,
    val shared: SummaryForms? = null,
    val lastSync: SyncReport? = null,
    val error: String? = null,
)

/**
 * Sharing with a therapist: pairing with their code (typed or scanned), the
 * summary the patient picks, previewed then sealed into the outbox, sync now
 * and its status. The summary leaves the phone only through [syncNow] or the
 * background sync, and only to a paired channel.
 */
class SharingHolder(
    profile: Profile,
    private val device: Device,
    private val transport: HttpTransport,
    private val planChanged: PlanChanged,
) : StateHolder<SharingState>(SharingState(), profile) {
    override fun SharingState.showing(message: String?) = copy(error = message)

    /** One call; the range starts as the last four weeks, for the patient to change. */
    suspend fun load() {
        val today = device.now().atZone(ZoneId.of(device.zone())).toLocalDate()
        update { if (it.to.isEmpty()) it.copy(from = today.minusWeeks(4).plusDays(1).toString(), to = today.toString()) else it }
        val status = core { it.syncStatus() } ?: return
        update { it.copy(status = status) }
    }

    fun choose(from: String = state.value.from, to: String = state.value.to, scopes: Set<ShareScope> = state.value.scopes) =
        update { it.copy(from = from, to = to, scopes = scopes, preview = null) }

    suspend fun pair(code: String) {
        core { it.pair(code.trim()) } ?: return
        load()
    }

    suspend fun preview() {
        val forms = core { it.previewShare(request()) } ?: return
        update { it.copy(preview = forms) }
    }

    suspend fun share() {
        val forms = core { it.share(request()) } ?: return
        update { it.copy(shared = forms, preview = null) }
        syncNow()
    }

    /** Sends what waits and fetches what the therapist sent (appointments, prompts), then re-plans reminders. */
    suspend fun syncNow() {
        val report = core { it.sync(device.now(), transport, true, null) } ?: return
        update { it.copy(lastSync = report) }
        planChanged.planChanged()
        load()
    }

    /** Sends a failed or set-aside message again at the next sync. */
    suspend fun retry(messageId: String) {
        core { it.retryMessage(messageId) } ?: return
        load()
    }

    suspend fun unpair() {
        core { it.unpair() } ?: return
        load()
    }

    private fun request() = state.value.let { ShareRequest(it.from, it.to, device.zone(), it.scopes.toList()) }
}
