/// The checks every use case applies to what it is given, over the one set of `InputBounds`:
/// the HTTP API and the CLI refuse the same things with the same words.
public struct InputChecks: Sendable {
    public var bounds: InputBounds

    public init(bounds: InputBounds = .standard) { self.bounds = bounds }

    /// An id as given (no trimming: `"C001 "` is not `C001`), or a refusal naming the field.
    @discardableResult
    public func id(_ value: String, _ field: String) throws(Refusal) -> String {
        if let problem = bounds.idProblem(value) {
            throw Refusal.invalid(field: field, "\"\(value.truncatedForMessage(40))\" \(problem)")
        }
        return value
    }

    /// Free text trimmed of surrounding white space; nil when blank and not `required`. Checked
    /// as given (length, control characters) before trimming, as the OpenAPI schema checks it.
    public func text(
        _ value: String?, _ field: String, required: Bool, lineBreaks: Bool = false
    ) throws(Refusal)
        -> String?
    {
        if let value, let problem = bounds.textProblem(value, allowLineBreaks: lineBreaks) {
            throw Refusal.invalid(field: field, problem)
        }
        let trimmed = value?.trimmingWhitespace() ?? ""
        if trimmed.isEmpty {
            if required { throw Refusal.invalid(field: field, "is empty; a value is required") }
            return nil
        }
        return trimmed
    }

    /// An amount within the bound; `positive` also refuses zero and negative amounts.
    @discardableResult
    public func amount(_ value: Money, _ field: String, positive: Bool = false) throws(Refusal) -> Money {
        if let problem = bounds.amountProblem(value) { throw Refusal.invalid(field: field, "\(value.decimalText) \(problem)") }
        if positive, value.cents <= 0 { throw Refusal.invalid(field: field, "\(value.decimalText) must be positive") }
        return value
    }

    /// A day of something that has happened: from the earliest day accepted to today.
    @discardableResult
    public func pastDay(_ day: Day, _ field: String, today: Day) throws(Refusal) -> Day {
        if let problem = bounds.pastDayProblem(day, today: today) { throw Refusal.invalid(field: field, "\(day.iso) \(problem)") }
        return day
    }

    /// A day that may lie ahead (a due date, a promise, an expiry, an as-of day): within the window.
    @discardableResult
    public func plausibleDay(_ day: Day, _ field: String, today: Day) throws(Refusal) -> Day {
        if let problem = bounds.futureDayProblem(day, today: today) { throw Refusal.invalid(field: field, "\(day.iso) \(problem)") }
        return day
    }
}

extension String {
    /// Trimmed of Unicode white space (the schema's `\s`): a blank value is an absent one.
    public func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return String(self[first...last])
    }
}
