package app.waymark.android

import android.app.Application
import app.waymark.android.reminders.Channels
import app.waymark.android.work.Work

class WaymarkApplication : Application() {
    lateinit var graph: AppGraph
        private set

    override fun onCreate() {
        super.onCreate()
        graph = AppGraph(this)
        Channels.create(this)
        Work.schedulePeriodic(this)
    }
}

val android.content.Context.graph: AppGraph get() = (applicationContext as WaymarkApplication).graph
