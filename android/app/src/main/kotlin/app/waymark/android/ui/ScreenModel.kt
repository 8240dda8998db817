package app.waymark.android.ui

import androidx.compose.runtime.Composable
import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.compose.viewModel
import app.waymark.shell.screens.StateHolder
import kotlinx.coroutines.launch

/**
 * The androidx ViewModel around one of the shell's state holders: it keeps
 * the holder across configuration changes and runs its actions in
 * [viewModelScope]. It adds nothing else.
 */
class ScreenModel<H : StateHolder<*>>(val holder: H) : ViewModel() {
    fun act(action: suspend H.() -> Unit) {
        viewModelScope.launch { holder.action() }
    }
}

/** The screen model for [key], made by [make] the first time. */
@Composable
fun <H : StateHolder<*>> screenModel(key: String, make: () -> H): ScreenModel<H> =
    viewModel(key = key, initializer = { ScreenModel(make()) })
