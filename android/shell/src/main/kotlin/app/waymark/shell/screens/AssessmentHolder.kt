package app.waymark.shell.screens

import app.waymark.core.Answer
import app.waymark.core.Assessment
import app.waymark.core.AssessmentDraft
import app.waymark.core.Form
import app.waymark.core.HelpNow
import app.waymark.core.Instrument
import app.waymark.core.WaymarkException
import app.waymark.shell.Device
import app.waymark.shell.Profile
import app.waymark.shell.readable

data class AssessmentState(
    val instrument: Instrument,
    val form: Form? = null,
    /** One per item, in the form's order. */
    val answers: List<Answer> = emptyList(),
    val sessionId: String? = null,
    val shared: Boolean = false,
    /** The saved result; its `safetyAlert`, when set, is the help card, shown before anything else. */
    val result: Assessment? = null,
    /**
     * Help now, when storage failed and the answers could not be saved: a
     * result that is not kept cannot raise its alert, so the lines are shown
     * whatever the answers were.
     */
    val unsavedHelp: HelpNow? = null,
    val error: String? = null,
) {
    /** The option value chosen for item [index] (from 0), if any. */
    fun chosen(index: Int): UInt? = (answers.getOrNull(index) as? Answer.Score)?.value?.toUInt()

    fun declined(index: Int): Boolean = answers.getOrNull(index) == Answer.PreferNotToAnswer
}

/** PHQ-9 or GAD-7: the official form in the patient's language, scored by the core. */
class AssessmentHolder(
    profile: Profile,
    private val device: Device,
    private val planChanged: PlanChanged,
    instrument: Instrument,
) : StateHolder<AssessmentState>(AssessmentState(instrument), profile) {
    override fun AssessmentState.showing(message: String?) = copy(error = message)

    /** Two calls: the language, then the form in it. */
    suspend fun load(sessionId: String? = null) {
        val language = core { it.contentLanguage() } ?: return
        val form = library { it.measureForm(state.value.instrument, language) } ?: return
        update { it.copy(form = form, answers = List(form.items.size) { Answer.Unanswered }, sessionId = sessionId, result = null) }
    }

    /** The patient's answer to item [index] (from 0): one of the form's option values. */
    fun answer(index: Int, value: UInt) = setAnswer(index, Answer.Score(value.toInt()))

    /** "Prefer not to answer", which the form offers only where the core takes it. */
    fun decline(index: Int) = setAnswer(index, Answer.PreferNotToAnswer)

    fun share(shared: Boolean) = update { it.copy(shared = shared) }

    suspend fun submit() {
        val current = state.value
        val draft = AssessmentDraft(
            instrument = current.instrument, answers = current.answers, takenAt = device.now(), zone = device.zone(),
            sessionId = current.sessionId, shared = current.shared,
        )
        val saved = profile.attempt { it.addAssessment(draft) }
        saved.onSuccess { result ->
            update { it.copy(result = result, unsavedHelp = null, error = null) }
            planChanged.planChanged()
        }
        saved.onFailure { problem ->
            update { it.copy(error = problem.readable()) }
            if (problem !is WaymarkException.Storage) return
            // Help does not wait for storage: the bundled lines need no profile.
            val help = profile.withoutProfile { it.helpNow(device.region(), device.localeTag()) }.getOrNull()
            update { it.copy(unsavedHelp = help) }
        }
    }

    private fun setAnswer(index: Int, answer: Answer) = update {
        it.copy(answers = it.answers.mapIndexed { at, old -> if (at == index) answer else old }, result = null)
    }
}
