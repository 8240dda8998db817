import Foundation

/// What the shell reads off the phone: the time, its zone and its language. Tests set all three.
public protocol Device: Sendable {
    func now() -> Date
    /// The phone's IANA zone, read at every call: the patient may have flown since the last.
    func zone() -> String
    func locale() -> Locale
}

extension Device {
    /// The locale as the core takes it (`es-MX`).
    public func localeTag() -> String { locale().identifier(.bcp47) }

    /// The phone's country, for crisis lines before a profile is open.
    public func region() -> String? { locale().region?.identifier }
}

/// The phone's own clock, zone and locale.
public struct SystemDevice: Device {
    public init() {}
    public func now() -> Date { Date() }
    public func zone() -> String { TimeZone.current.identifier }
    public func locale() -> Locale { Locale.current }
}
