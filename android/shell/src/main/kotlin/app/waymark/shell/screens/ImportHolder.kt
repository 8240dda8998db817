package app.waymark.shell.screens

import app.waymark.core.ImportPreview
import app.waymark.core.ImportReport
import app.waymark.core.ImportResult
import app.waymark.core.MoodMapping
import app.waymark.shell.Device
import app.waymark.shell.Profile

data class ImportState(
    /** A Daylio export as read, before anything is written: counts, unmapped moods, a sample. */
    val daylio: ImportPreview? = null,
    /** The export being previewed, kept here so a rotation does not lose it. */
    val csv: String? = null,
    val mappings: List<MoodMapping> = emptyList(),
    val imported: ImportResult? = null,
    val calendar: ImportReport? = null,
    val error: String? = null,
)

/** Bringing data in: a Daylio CSV export (previewed, mapped, imported once) and a clinic's calendar file. */
class ImportHolder(
    profile: Profile,
    private val device: Device,
    private val planChanged: PlanChanged,
) : StateHolder<ImportState>(ImportState(), profile) {
    override fun ImportState.showing(message: String?) = copy(error = message)

    suspend fun previewDaylio(csv: String, mappings: List<MoodMapping> = state.value.mappings) {
        val preview = core { it.previewDaylio(csv, mappings, device.zone()) } ?: return
        update { it.copy(daylio = preview, csv = csv, mappings = mappings, imported = null) }
    }

    /** Imports the export last previewed, with its mappings. */
    suspend fun importDaylio() {
        val csv = state.value.csv ?: return
        val result = core { it.importDaylio(csv, state.value.mappings, device.zone()) } ?: return
        update { it.copy(imported = result, daylio = null, csv = null) }
    }

    /** An `.ics` from the clinic, all or nothing; times without a zone are read in the phone's. */
    suspend fun importCalendar(ics: String) {
        val report = core { it.importCalendar(device.now(), ics, device.zone()) } ?: return
        update { it.copy(calendar = report) }
        planChanged.planChanged()
    }
}
