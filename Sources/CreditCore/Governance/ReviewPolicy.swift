import Foundation

/// How often each customer's limit is re-examined, by risk class, as the versioned file
/// `Models/review-policy-v*.json` states it: the riskier the grade, the sooner the next review; a
/// downgrade brings the review forward; an override about to expire is announced ahead.
public struct ReviewPolicy: Hashable, Sendable, Codable {
    public var version: String
    public var description: String?
    /// Each grade of the model's scale (and `D`) in exactly one class.
    public var riskClasses: [RiskClass]
    /// A downgrade makes the review due at most this many days after it.
    public var afterDowngradeDays: Int
    /// Overrides expiring within this many days are listed and alerted.
    public var overrideExpiryNoticeDays: Int

    public struct RiskClass: Hashable, Sendable, Codable {
        public var name: String
        public var grades: [String]
        /// Months from one review to the next.
        public var intervalMonths: Int
    }

    /// The class of a grade code; nil for a code on no class (a grade of another model).
    public func riskClass(for grade: String) -> RiskClass? { riskClasses.first { $0.grades.contains(grade) } }

    /// The next review after one on `day` of a customer graded `grade`: one interval of its class
    /// later; nil for a grade on no class.
    public func nextReview(after day: Day, grade: String) -> Day? {
        riskClass(for: grade).map { day.adding(months: $0.intervalMonths) }
    }

    /// When the customer's review is due, and why. The scheduled day is the one the last review
    /// set or, for a customer never reviewed, one interval of its class after its first
    /// assessment; a downgrade since (after the last review's day, or at any time for a customer
    /// never reviewed) makes it due `afterDowngradeDays` after the first such downgrade, when
    /// that comes sooner. Nil for a grade on no class.
    public func due(grade: String, lastReview: (on: Day, nextReviewOn: Day)?, firstAssessedOn: Day, downgrades: [Day]) -> ReviewDue? {
        guard let riskClass = riskClass(for: grade) else { return nil }
        let scheduled =
            lastReview.map { ReviewDue(dueOn: $0.nextReviewOn, reason: .scheduled) }
            ?? ReviewDue(dueOn: firstAssessedOn.adding(months: riskClass.intervalMonths), reason: .firstReview)
        let counted = downgrades.filter { day in lastReview.map { day > $0.on } ?? true }
        if let downgrade = counted.min(), downgrade + afterDowngradeDays < scheduled.dueOn {
            return ReviewDue(dueOn: downgrade + afterDowngradeDays, reason: .downgrade, downgradeOn: downgrade)
        }
        return scheduled
    }

    /// Whether an override expiring on `expiresOn` is to be announced on `day`: it expires within
    /// `overrideExpiryNoticeDays` from that day, not before it.
    public func announcesExpiry(of expiresOn: Day, on day: Day, withinDays: Int? = nil) -> Bool {
        expiresOn >= day && expiresOn - day <= (withinDays ?? overrideExpiryNoticeDays)
    }
}

/// When a customer's review is due and why.
public struct ReviewDue: Hashable, Sendable, Codable {
    public enum Reason: String, Hashable, Sendable, Codable {
        /// Never reviewed: one interval after the first assessment.
        case firstReview = "first_review"
        /// The day the last review set.
        case scheduled
        /// Brought forward by a downgrade.
        case downgrade
    }

    public var dueOn: Day
    public var reason: Reason
    /// For a review brought forward: the downgrade's day.
    public var downgradeOn: Day?

    public init(dueOn: Day, reason: Reason, downgradeOn: Day? = nil) {
        self.dueOn = dueOn
        self.reason = reason
        self.downgradeOn = downgradeOn
    }
}

extension ReviewPolicy {
    /// Decodes and validates a review policy against the scale of `model`: each of its grades and
    /// `D` in exactly one class. Every error names the field to fix.
    public static func decode(from data: Data, model: ScoringModel) throws(ModelError) -> ReviewPolicy {
        let policy = try ModelError.decodeJSON(ReviewPolicy.self, from: data, file: "the review policy file")
        try policy.validate(grades: model.gradeScale.map(\.code) + [Grade.defaultCode], modelVersion: model.version)
        return policy
    }

    func validate(grades: [String], modelVersion: String) throws(ModelError) {
        guard !version.trimmingWhitespace().isEmpty else { throw ModelError(field: "version", message: "version must not be empty") }
        guard !riskClasses.isEmpty else { throw ModelError(field: "riskClasses", message: "riskClasses must hold at least one class") }
        var placed: [String: String] = [:]
        for (index, riskClass) in riskClasses.enumerated() {
            let field = "riskClasses[\(index)]"
            guard !riskClass.name.trimmingWhitespace().isEmpty else {
                throw ModelError(field: "\(field).name", message: "\(field).name must not be empty")
            }
            guard (1...36).contains(riskClass.intervalMonths) else {
                throw ModelError(field: "\(field).intervalMonths", message: "\(field).intervalMonths must be between 1 and 36")
            }
            for grade in riskClass.grades {
                guard grades.contains(grade) else {
                    throw ModelError(
                        field: "\(field).grades",
                        message: "\(field).grades: \"\(grade)\" is not a grade of model \(modelVersion) (\(grades.joined(separator: ", ")))")
                }
                if let other = placed[grade] {
                    throw ModelError(field: "\(field).grades", message: "\(field).grades: grade \(grade) is already in class \(other)")
                }
                placed[grade] = riskClass.name
            }
        }
        if let missing = grades.first(where: { placed[$0] == nil }) {
            throw ModelError(field: "riskClasses", message: "riskClasses: grade \(missing) of model \(modelVersion) is in no class")
        }
        guard (1...365).contains(afterDowngradeDays) else {
            throw ModelError(field: "afterDowngradeDays", message: "afterDowngradeDays must be between 1 and 365")
        }
        guard (1...365).contains(overrideExpiryNoticeDays) else {
            throw ModelError(field: "overrideExpiryNoticeDays", message: "overrideExpiryNoticeDays must be between 1 and 365")
        }
    }
}

extension ReviewPolicy {
    /// The `override_expiring` alert for `override` on `day`, or nil when its expiry is not
    /// within the notice.
    public func expiryAlert(for override: StoredOverride, on day: Day) -> RaisedAlert? {
        guard announcesExpiry(of: override.expiresOn, on: day) else { return nil }
        var set: [String] = []
        if let grade = override.gradeCode { set.append("grade \(grade)") }
        if let limit = override.limit { set.append("limit \(limit.formatted)") }
        return RaisedAlert(
            kind: .overrideExpiring,
            detail: "override of \(set.joined(separator: ", ")) set by \(override.author) on \(override.setOn.iso) expires on "
                + "\(override.expiresOn.iso), in \(override.expiresOn - day) days",
            condition: String(override.id))
    }

    /// The `review_due` alert for a customer whose review is due on or before `day`, or nil.
    public func dueAlert(for due: ReviewDue, grade: String, on day: Day) -> RaisedAlert? {
        guard due.dueOn <= day else { return nil }
        var detail = "review due on \(due.dueOn.iso) (grade \(grade), \(riskClass(for: grade)?.name ?? "no") risk class"
        switch due.reason {
        case .firstReview: detail += ", first review"
        case .scheduled: detail += ", as the last review set"
        case .downgrade: detail += due.downgradeOn.map { ", brought forward by the downgrade of \($0.iso)" } ?? ""
        }
        return RaisedAlert(kind: .reviewDue, detail: detail + ")")
    }
}
