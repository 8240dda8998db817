package app.waymark.shell.screens

import app.waymark.core.ExportFormat
import app.waymark.core.ExportedFile
import app.waymark.shell.Profile

data class ExportState(val files: List<ExportedFile> = emptyList(), val error: String? = null)

/** Everything the patient wrote, as JSON or CSV files for a folder they pick. */
class ExportHolder(profile: Profile) : StateHolder<ExportState>(ExportState(), profile) {
    override fun ExportState.showing(message: String?) = copy(error = message)

    suspend fun export(format: ExportFormat) {
        val files = core { it.export(format) } ?: return
        update { it.copy(files = files) }
    }
}
