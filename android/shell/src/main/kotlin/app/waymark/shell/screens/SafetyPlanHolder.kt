package app.waymark.shell.screens

import app.waymark.core.SafetyPlan
import app.waymark.core.SafetyPlanStep
import app.waymark.shell.Profile

data class SafetyPlanState(val plan: SafetyPlan? = null, val error: String? = null)

/** The patient's Stanley-Brown safety plan; every edit returns the whole plan. */
class SafetyPlanHolder(profile: Profile) : StateHolder<SafetyPlanState>(SafetyPlanState(), profile) {
    override fun SafetyPlanState.showing(message: String?) = copy(error = message)

    suspend fun load() = shown { it.safetyPlan() }

    suspend fun add(step: SafetyPlanStep, text: String) = shown { it.addSafetyPlanItem(step, text) }

    suspend fun edit(id: String, text: String) = shown { it.editSafetyPlanItem(id, text) }

    suspend fun remove(id: String) = shown { it.removeSafetyPlanItem(id) }

    /** Moves item [id] to [index] within its step. */
    suspend fun move(id: String, index: UInt) = shown { it.moveSafetyPlanItem(id, index) }

    suspend fun reason(text: String?) = shown { it.setPlanReason(text) }

    /** The plan as text for the share sheet: to print, or to send to someone the patient trusts. */
    suspend fun export() {
        val text = core { it.exportSafetyPlan() } ?: return
        emit(ScreenEvent.Share("safety-plan.txt", "text/plain", text))
    }

    private suspend fun shown(call: (app.waymark.WaymarkInterface) -> SafetyPlan) {
        val plan = core(call) ?: return
        update { it.copy(plan = plan) }
    }
}
