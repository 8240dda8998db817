import Foundation
import WaymarkCore

/// What the patient reads when the core refuses: the inner typed error's
/// message, which says what was wrong and what to do.
public func readable(_ error: Error) -> String {
    let inner: Error
    switch error as? WaymarkError {
    case .Storage(_, let cause): inner = cause
    case .Journal(let cause): inner = cause
    case .Measure(let cause): inner = cause
    case .Course(let cause): inner = cause
    case .Reminder(let cause): inner = cause
    case .Prompt(let cause): inner = cause
    case .Safety(let cause): inner = cause
    case .Share(let cause): inner = cause
    case .Sync(let cause): inner = cause
    case .Backup(let cause): inner = cause
    case .Import(let cause): inner = cause
    case .Zone(let cause): inner = cause
    case nil: inner = error
    }
    return (inner as? LocalizedError)?.errorDescription ?? String(describing: inner)
}
