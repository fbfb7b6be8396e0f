import Foundation

/// The cash-collection forecast's parameters, kept as versioned data in `Models/` like the
/// scoring model: changing how late amounts are spread is a data change, checked by the backtest.
public struct CashForecastPolicy: Hashable, Sendable, Codable {
    public var version: String
    public var description: String
    /// An amount already past the day its customer usually pays (due date + payment delay) is
    /// expected in equal parts over this many first weeks of the forecast: it is late by the
    /// customer's own habit, so soon or not at all.
    public var lateItemsWeeks: Int
    /// An amount more than this many days past due and past its expected day is doubtful: it is
    /// not forecast, but reported apart.
    public var doubtfulPastDueDays: Int
    /// How many past month-ends the backtest forecasts from by default.
    public var backtestMonths: Int

    /// Decodes and validates a policy file; the error names the field.
    public static func decode(from data: Data) throws(ModelError) -> CashForecastPolicy {
        let policy = try ModelError.decodeJSON(CashForecastPolicy.self, from: data, file: "the forecast policy file")
        try policy.validate()
        return policy
    }

    public func validate() throws(ModelError) {
        func check(_ ok: Bool, _ field: String, _ message: String) throws(ModelError) {
            if !ok { throw ModelError(field: field, message: "\(field) \(message)") }
        }
        try check(!version.trimmingWhitespace().isEmpty, "version", "must not be empty")
        try check((1...CashForecast.maximumWeeks).contains(lateItemsWeeks), "lateItemsWeeks", "must be between 1 and 52, not \(lateItemsWeeks)")
        try check((1...3650).contains(doubtfulPastDueDays), "doubtfulPastDueDays", "must be between 1 and 3650 days, not \(doubtfulPastDueDays)")
        try check((1...36).contains(backtestMonths), "backtestMonths", "must be between 1 and 36, not \(backtestMonths)")
    }
}
