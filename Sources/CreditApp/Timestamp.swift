import Foundation

/// The one way the store records when something was written (`created_at`, `checked_at`,
/// `imported_at`): ISO 8601 in UTC to the second, which sorts as text.
enum Timestamp {
    static func string(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
