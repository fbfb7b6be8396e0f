/// A credit manager's decision replacing the suggested grade, limit or both, for a while.
public struct Override: Hashable, Sendable, Codable {
    /// Replaces the suggested grade; nil keeps it.
    public var grade: Grade?
    /// Replaces the suggested limit; nil keeps it.
    public var limit: Money?
    public var reason: String
    public var author: String
    /// First day it applies.
    public var setOn: Day
    /// Last day it applies; from the next day the suggestion is back.
    public var expiresOn: Day

    public init(grade: Grade? = nil, limit: Money? = nil, reason: String, author: String, setOn: Day, expiresOn: Day) {
        self.grade = grade
        self.limit = limit
        self.reason = reason
        self.author = author
        self.setOn = setOn
        self.expiresOn = expiresOn
    }

    /// Where `day` stands against the override's validity.
    public func status(on day: Day) -> OverrideStatus {
        if day < setOn { return .notYetValid }
        if day > expiresOn { return .expired }
        return .active
    }
}

extension Override {
    /// The rule every override obeys, wherever it is asked for (a credit manager's decision, a
    /// limit other than the suggested one at account opening): a grade, a limit or both; a reason,
    /// which is what explains the decision later; an author; a limit within the bounds and not
    /// negative; a grade on the model's scale; an expiry after the day it is set and not beyond
    /// the window of plausible dates.
    public static func requested(
        gradeCode: String?, limit: Money?, reason: String?, author: String?, setOn: Day, expiresOn: Day, model: ScoringModel,
        checks: InputChecks = InputChecks()
    ) throws(Refusal) -> Override {
        guard gradeCode != nil || limit != nil else { throw Refusal(.invalid, "give a grade, a limit or both") }
        guard let reason = try checks.text(reason, "reason", required: false) else {
            throw Refusal(.invalid, "a reason is required: it is what explains the decision later", field: "reason")
        }
        guard let author = try checks.text(author, "author", required: false) else {
            throw Refusal(.invalid, "an author is required", field: "author")
        }
        if let limit {
            try checks.amount(limit, "limit")
            guard limit.cents >= 0 else { throw Refusal(.invalid, "a limit cannot be negative", field: "limit") }
        }
        try checks.plausibleDay(expiresOn, "expiresOn", today: setOn)
        guard expiresOn > setOn else {
            throw Refusal(.invalid, "the expiry \(expiresOn.iso) must be after the day it is set, \(setOn.iso)", field: "expiresOn")
        }
        var grade: Grade?
        if let gradeCode {
            guard let found = model.grade(code: gradeCode) else {
                throw Refusal(
                    .invalid,
                    "grade \(gradeCode.truncatedForMessage(20)) is not on the scale of model \(model.version) ("
                        + model.grades.map(\.code).joined(separator: ", ") + ")", field: "grade")
            }
            grade = found
        }
        return Override(grade: grade, limit: limit, reason: reason, author: author, setOn: setOn, expiresOn: expiresOn)
    }
}

public enum OverrideStatus: String, Hashable, Sendable, Codable {
    case none
    case active
    case expired
    case notYetValid = "not_yet_valid"
}

/// The grade and limit that apply on a day: the override's while it is valid, the suggestion
/// otherwise. Both are kept, so a screen can always show what the model said and what was decided.
public struct EffectiveDecision: Hashable, Sendable, Codable {
    public var suggestedGrade: Grade
    public var suggestedLimit: Money
    public var grade: Grade
    public var limit: Money
    public var exposure: Money
    /// Limit minus exposure; negative when the customer is over its limit.
    public var headroom: Money
    public var overrideStatus: OverrideStatus
    /// The override considered, whether it applied or not.
    public var override: Override?

    public var gradeOverridden: Bool { grade != suggestedGrade }
    public var limitOverridden: Bool { limit != suggestedLimit }
}

extension EffectiveDecision {
    /// The decision on `day` from a suggested grade and limit, today's exposure and the override
    /// in force: an active override replaces what it sets, an expired or future one is reported.
    public static func current(
        suggestedGrade: Grade, suggestedLimit: Money, exposure: Money, override: Override?, on day: Day
    ) -> EffectiveDecision {
        let status = override?.status(on: day) ?? .none
        let applies = status == .active
        let grade = applies ? (override?.grade ?? suggestedGrade) : suggestedGrade
        let limit = applies ? (override?.limit ?? suggestedLimit) : suggestedLimit
        return EffectiveDecision(
            suggestedGrade: suggestedGrade, suggestedLimit: suggestedLimit, grade: grade, limit: limit, exposure: exposure,
            headroom: limit - exposure, overrideStatus: status, override: override)
    }
}

extension Assessment {
    /// The decision on `day`: an active override replaces what it sets (grade, limit or both);
    /// an expired or future one changes nothing but is reported.
    public func effective(override: Override?, on day: Day) -> EffectiveDecision {
        .current(suggestedGrade: grade, suggestedLimit: suggestedLimit, exposure: exposure, override: override, on: day)
    }
}
