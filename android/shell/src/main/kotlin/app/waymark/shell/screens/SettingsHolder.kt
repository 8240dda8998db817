package app.waymark.shell.screens

import app.waymark.core.MeasureSchedule
import app.waymark.core.ReminderSettings
import app.waymark.core.Settings
import app.waymark.shell.Profile

data class SettingsState(val settings: Settings? = null, val error: String? = null)

/** Reminders, questionnaire schedules, region and language: one call to show, one per change and one to show again. */
class SettingsHolder(profile: Profile, private val planChanged: PlanChanged) : StateHolder<SettingsState>(SettingsState(), profile) {
    override fun SettingsState.showing(message: String?) = copy(error = message)

    suspend fun load() {
        val settings = core { it.settings() } ?: return
        update { it.copy(settings = settings) }
    }

    suspend fun reminders(settings: ReminderSettings) = changed { it.setReminderSettings(settings) }

    suspend fun schedule(schedule: MeasureSchedule) = changed { it.setMeasureSchedule(schedule) }

    /** An ISO 3166 code for crisis lines, or `null` for the phone's. */
    suspend fun region(region: String?) = changed { it.setRegion(region) ?: Unit }

    /** `en` or `es`, or `null` for the phone's. */
    suspend fun language(locale: String?) = changed { it.setLanguage(locale) ?: Unit }

    private suspend fun changed(write: (app.waymark.WaymarkInterface) -> Any) {
        core(write) ?: return
        load()
        // Quiet hours, offsets, schedules and language all change what is planned.
        planChanged.planChanged()
    }
}
