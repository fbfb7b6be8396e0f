import CreditCore
import CreditStore
import Foundation
import GRDB

/// A customer whose periodic review is due, with what the reviewer looks at.
public struct ReviewDueEntry: Sendable, Codable {
    public var customerId: String
    public var name: String
    public var grade: String
    public var riskClass: String
    /// The limit in force today (an active override's, else the suggested one), the model's
    /// suggestion and the exposure, from the latest assessment.
    public var limit: Money
    public var suggestedLimit: Money
    public var exposure: Money
    public var assessedOn: Day
    public var dueOn: Day
    public var dueReason: ReviewDue.Reason
    public var downgradeOn: Day?
    /// Days since the review fell due; negative while it is ahead.
    public var daysOverdue: Int
    public var lastReview: LastReview?

    public struct LastReview: Sendable, Codable {
        public var on: Day
        public var decision: ReviewDecision
        public var author: String
        public var note: String?
    }
}

/// The reviews due by a day, the most urgent first.
public struct ReviewDueList: Sendable, Codable {
    public var before: Day
    public var today: Day
    public var policyVersion: String
    /// Customers due in all; `reviews` holds at most the limit asked.
    public var total: Int
    public var reviews: [ReviewDueEntry]
}

/// An override in force whose expiry is near.
public struct ExpiringOverride: Sendable, Codable {
    public var overrideId: Int64
    public var customerId: String
    public var grade: String?
    public var limit: Money?
    public var reason: String
    public var author: String
    public var setOn: Day
    public var expiresOn: Day
    public var daysLeft: Int
    public var limitRequestId: Int64?
    public var authorityVersion: String?
}

/// Overrides expiring from `asOf` to `asOf + withinDays`.
public struct ExpiringOverrides: Sendable, Codable {
    public var asOf: Day
    public var withinDays: Int
    public var overrides: [ExpiringOverride]
}

/// What one run of the review alerts raised.
public struct ReviewAlertRun: Sendable, Codable {
    public var overridesExpiring: Int
    public var reviewsDue: Int
}

/// Periodic reviews of limits by risk class (`ReviewPolicy`): the customers due, most urgent
/// first; a completed review recorded with its decision (keep, raise, lower, stop), which sets
/// the next review date by the customer's risk class and, for a new limit within the reviewer's
/// authority, an override until then; overrides about to expire; and the daily alerts, raised
/// once per override and per review cycle.
public struct CreditReviews: RequestUseCase {
    public let resources: RequestResources

    public init(resources: RequestResources) { self.resources = resources }

    let checks = InputChecks()

    /// Customers whose review is due on or before `before`, the earliest due first (then the
    /// worse grade, then the larger exposure), at most `limit`; limits as in force on `today`.
    public func due(before: Day, today: Day, limit: Int) async throws -> ReviewDueList {
        guard (1...1000).contains(limit) else { throw Refusal.invalid(field: "limit", "must be from 1 to 1000") }
        let policy = try requirePolicies().reviews
        let model = self.model
        let candidates = try await database.read { try ReviewStore().candidates($0) }
        var entries = Self.due(candidates, before: before, today: today, policy: policy, model: model)
        entries.sort { a, b in
            if a.entry.dueOn != b.entry.dueOn { return a.entry.dueOn < b.entry.dueOn }
            if a.rank != b.rank { return a.rank > b.rank }
            if a.entry.exposure != b.entry.exposure { return a.entry.exposure > b.entry.exposure }
            return a.entry.customerId < b.entry.customerId
        }
        return ReviewDueList(
            before: before, today: today, policyVersion: policy.version, total: entries.count, reviews: entries.prefix(limit).map(\.entry))
    }

    /// The candidates whose review is due on or before `before`, each with its grade's rank;
    /// limits as in force on `today`. A grade off the model's scale is not reviewed by it.
    static func due(
        _ candidates: [ReviewCandidate], before: Day, today: Day, policy: ReviewPolicy, model: ScoringModel
    ) -> [(entry: ReviewDueEntry, rank: Int)] {
        var entries: [(entry: ReviewDueEntry, rank: Int)] = []
        for candidate in candidates {
            guard let due = Self.due(candidate, policy: policy), due.dueOn <= before, let grade = model.grade(code: candidate.grade) else {
                continue
            }
            let effective = EffectiveDecision.current(
                suggestedGrade: grade, suggestedLimit: candidate.suggestedLimit, exposure: candidate.exposure,
                override: candidate.override?.override(on: model), on: today)
            let entry = ReviewDueEntry(
                customerId: candidate.customerId, name: candidate.name, grade: candidate.grade,
                riskClass: policy.riskClass(for: candidate.grade)?.name ?? "", limit: effective.limit,
                suggestedLimit: candidate.suggestedLimit, exposure: candidate.exposure, assessedOn: candidate.assessedOn, dueOn: due.dueOn,
                dueReason: due.reason, downgradeOn: due.downgradeOn, daysOverdue: today - due.dueOn,
                lastReview: candidate.lastReview.map { .init(on: $0.reviewedOn, decision: $0.decision, author: $0.author, note: $0.note) })
            entries.append((entry, grade.rank))
        }
        return entries
    }

    /// Records the review of a customer completed on `today` by `author` acting as `role`:
    /// `decision` as written (keep, raise, lower, stop; refused with the list otherwise), a
    /// `note`, and for raise or lower the new `limit`. The next review is set one interval of the
    /// customer's risk class ahead; a new limit (zero for stop) becomes the customer's override
    /// until that day, within the reviewer's authority (else refused, `forbidden`, with who may
    /// approve it: a limit request reaches them).
    public func record(
        customerId: String, decision: String, note: String?, limit: Money?, author: String, role: String, today: Day
    ) async throws -> CreditReview {
        try checks.id(customerId, "customerId")
        guard let parsed = ReviewDecision(parsing: decision) else {
            throw Refusal.invalid(
                field: "decision", "\"\(decision.truncatedForMessage(40))\" is not a review decision; use one of \(ReviewDecision.listed)")
        }
        if let limit { try checks.amount(limit, "limit") }
        let note = try checks.text(note, "note", required: false, lineBreaks: true)
        let author = try checks.text(author, "author", required: true) ?? author
        let policies = try requirePolicies()
        let createdAt = Timestamp.string(now())
        let model = self.model
        return try await writer.write { db -> CreditReview in
            guard let current = try self.decision(db, customerId: customerId, asOf: today) else {
                throw Refusal(.notFound, "no customer \(customerId)")
            }
            let grade = current.assessment.grade.code
            guard let riskClass = policies.reviews.riskClass(for: grade) else {
                throw Refusal(.invalid, "grade \(grade) is in no risk class of \(policies.reviews.version)")
            }
            let newLimit = try parsed.newLimit(named: limit, inForce: current.effective.limit)
            let nextReviewOn = today.adding(months: riskClass.intervalMonths)
            var review = CreditReview(
                customerId: customerId, reviewedOn: today, decision: parsed, note: note, author: author, grade: grade,
                riskClass: riskClass.name, limitBefore: current.effective.limit, limit: newLimit, nextReviewOn: nextReviewOn,
                policyVersion: policies.reviews.version, authorityVersion: newLimit == nil ? nil : policies.authorities.version)
            if let newLimit {
                let override = try Override.requested(
                    gradeCode: nil, limit: newLimit, reason: "periodic review: \(parsed.rawValue)", author: author, setOn: today,
                    expiresOn: nextReviewOn, model: model)
                review.overrideId = try storeOverride(
                    db, override, customerId: customerId, role: role, suggested: current.effective.suggestedLimit, createdAt: createdAt)
            }
            review.id = try ReviewStore().record(db, review, createdAt: createdAt)
            // The review is done: its alert ends.
            try AlertStore().close(db, customerId: customerId, kind: .reviewDue, on: today)
            return review
        }
    }

    /// Every review of the customer, oldest first: for the account's timeline.
    public func reviews(customerId: String) async throws -> [CreditReview] {
        try checks.id(customerId, "customerId")
        return try await database.read { try ReviewStore().reviews($0, customerId: customerId) }
    }

    /// Overrides in force expiring from `asOf` to `withinDays` later (the policy's notice when
    /// nil), the soonest first.
    public func expiringOverrides(asOf day: Day, withinDays: Int? = nil) async throws -> ExpiringOverrides {
        let policy = try requirePolicies().reviews
        let days = withinDays ?? policy.overrideExpiryNoticeDays
        guard (0...366).contains(days) else { throw Refusal.invalid(field: "withinDays", "must be from 0 to 366") }
        let stored = try await database.read { try OverrideStore().expiring($0, from: day, through: day + days) }
        return ExpiringOverrides(
            asOf: day, withinDays: days,
            overrides: stored.map {
                ExpiringOverride(
                    overrideId: $0.id, customerId: $0.customerId, grade: $0.gradeCode, limit: $0.limit, reason: $0.reason,
                    author: $0.author, setOn: $0.setOn, expiresOn: $0.expiresOn, daysLeft: $0.expiresOn - day,
                    limitRequestId: $0.limitRequestId, authorityVersion: $0.authorityVersion)
            })
    }

    /// Raises, as of `day`, one `override_expiring` alert for each override in force expiring
    /// within the policy's notice, and one `review_due` alert for each customer whose review is
    /// due, each once (per override, per customer and review cycle). The daily run calls it.
    @discardableResult
    public func raiseAlerts(asOf day: Day) async throws -> ReviewAlertRun {
        let policy = try requirePolicies().reviews
        let createdAt = Timestamp.string(now())
        return try await writer.write { db in
            var run = ReviewAlertRun(overridesExpiring: 0, reviewsDue: 0)
            let overrides = OverrideStore()
            let alerts = AlertStore()
            // An override's alert ends on the day after its last day of validity.
            for (customerId, condition) in try alerts.unclosed(db, kind: .overrideExpiring) {
                guard let id = Int64(condition), let override = try overrides.override(db, id: id) else { continue }
                if override.revokedAt != nil || override.expiresOn < day {
                    try alerts.close(db, customerId: customerId, kind: .overrideExpiring, condition: condition, on: day)
                }
            }
            for override in try overrides.expiring(db, from: day, through: day + policy.overrideExpiryNoticeDays, unalertedOnly: true) {
                guard let alert = policy.expiryAlert(for: override, on: day) else { continue }
                try alerts.raise(db, Alert(alert, customerId: override.customerId, asOf: day, createdAt: createdAt))
                try overrides.markExpiryAlerted(db, overrideId: override.id, on: day)
                run.overridesExpiring += 1
            }
            let reviews = ReviewStore()
            let alerted = try reviews.alertedCycles(db)
            for candidate in try reviews.candidates(db) {
                let cycle = ReviewCycle(customerId: candidate.customerId, cycle: candidate.lastReview?.id ?? 0)
                guard !alerted.contains(cycle), let due = Self.due(candidate, policy: policy),
                    let alert = policy.dueAlert(for: due, grade: candidate.grade, on: day)
                else { continue }
                try AssessmentStore().add(
                    db, Alert(customerId: candidate.customerId, kind: alert.kind, detail: alert.detail, asOf: day, createdAt: createdAt))
                try reviews.markAlerted(db, cycle, dueOn: due.dueOn, on: day)
                run.reviewsDue += 1
            }
            return run
        }
    }

    static func due(_ candidate: ReviewCandidate, policy: ReviewPolicy) -> ReviewDue? {
        policy.due(
            grade: candidate.grade, lastReview: candidate.lastReview.map { ($0.reviewedOn, $0.nextReviewOn) },
            firstAssessedOn: candidate.firstAssessedOn, downgrades: candidate.downgrades)
    }
}
