import WaymarkCore

// The core's records and enums, as the app's views name them: the app
// imports the shell, never the core, so every call it makes goes through a
// screen model. The questionnaire is `MeasureForm`, because SwiftUI has a `Form`;
// `Progress` and `Settings` are not aliased, since Foundation and SwiftUI have their own.

public typealias MeasureForm = WaymarkCore.Form
public typealias Home = WaymarkCore.Home
public typealias TodayView = WaymarkCore.TodayView
public typealias DayValence = WaymarkCore.DayValence
public typealias JournalRow = WaymarkCore.JournalRow
public typealias CheckIn = WaymarkCore.CheckIn
public typealias SearchHit = WaymarkCore.SearchHit
public typealias SnippetPart = WaymarkCore.SnippetPart
public typealias EmotionLabel = WaymarkCore.EmotionLabel
public typealias LifeArea = WaymarkCore.LifeArea
public typealias Vocabulary = WaymarkCore.Vocabulary
public typealias ValenceName = WaymarkCore.ValenceName
public typealias LabelName = WaymarkCore.LabelName
public typealias AreaName = WaymarkCore.AreaName
public typealias FormItem = WaymarkCore.FormItem
public typealias AnswerOption = WaymarkCore.AnswerOption
public typealias Instrument = WaymarkCore.Instrument
public typealias Severity = WaymarkCore.Severity
public typealias Assessment = WaymarkCore.Assessment
public typealias SafetyAlert = WaymarkCore.SafetyAlert
public typealias HelpNow = WaymarkCore.HelpNow
public typealias HelpLine = WaymarkCore.HelpLine
public typealias VitalsReading = WaymarkCore.VitalsReading
public typealias VitalsFlag = WaymarkCore.VitalsFlag
public typealias InstrumentProgress = WaymarkCore.InstrumentProgress
public typealias ScorePoint = WaymarkCore.ScorePoint
public typealias TrendDay = WaymarkCore.TrendDay
public typealias Outcome = WaymarkCore.Outcome
public typealias OutcomeStatus = WaymarkCore.OutcomeStatus
public typealias SafetyEvent = WaymarkCore.SafetyEvent
public typealias DueMeasure = WaymarkCore.DueMeasure
public typealias CourseOverview = WaymarkCore.CourseOverview
public typealias CourseEnding = WaymarkCore.CourseEnding
public typealias AppointmentView = WaymarkCore.AppointmentView
public typealias Appointment = WaymarkCore.Appointment
public typealias AppointmentDraft = WaymarkCore.AppointmentDraft
public typealias AppointmentStatus = WaymarkCore.AppointmentStatus
public typealias CareItem = WaymarkCore.CareItem
public typealias CareItemKind = WaymarkCore.CareItemKind
public typealias CourseTemplate = WaymarkCore.CourseTemplate
public typealias DuePrompt = WaymarkCore.DuePrompt
public typealias SafetyPage = WaymarkCore.SafetyPage
public typealias SafetySearchHit = WaymarkCore.SafetySearchHit
public typealias SafetySearchHitKind = WaymarkCore.SafetySearchHitKind
public typealias SafetyPlan = WaymarkCore.SafetyPlan
public typealias SafetyPlanSection = WaymarkCore.SafetyPlanSection
public typealias SafetyPlanItem = WaymarkCore.SafetyPlanItem
public typealias SafetyPlanStep = WaymarkCore.SafetyPlanStep
public typealias SyncStatus = WaymarkCore.SyncStatus
public typealias ChannelStatus = WaymarkCore.ChannelStatus
public typealias ShareScope = WaymarkCore.ShareScope
public typealias SummaryForms = WaymarkCore.SummaryForms
public typealias SyncReport = WaymarkCore.SyncReport
public typealias ReminderSettings = WaymarkCore.ReminderSettings
public typealias MeasureSchedule = WaymarkCore.MeasureSchedule
public typealias ExportFormat = WaymarkCore.ExportFormat
public typealias ExportedFile = WaymarkCore.ExportedFile
public typealias ImportPreview = WaymarkCore.ImportPreview
public typealias ImportResult = WaymarkCore.ImportResult
public typealias ImportReport = WaymarkCore.ImportReport
public typealias MoodMapping = WaymarkCore.MoodMapping
public typealias RestoreReport = WaymarkCore.RestoreReport
public typealias PlannedNotification = WaymarkCore.PlannedNotification
public typealias Route = WaymarkCore.Route
