import Foundation

// The records of decisions made: what the store keeps and the service hands out, so that a
// grade, a limit or an alert can be explained months later exactly as it was made.

/// An assessment as stored: the figures that are queried (grade, PD, limit) in columns, and the
/// whole assessment as JSON, so that it can be explained later exactly as it was made.
public struct StoredAssessment: Sendable, Hashable {
    public var id: Int64?
    public var customerId: String
    public var asOf: Day
    public var modelVersion: String
    public var grade: String
    public var pd: Double
    public var score: Int
    public var suggestedLimit: Money
    public var exposure: Money
    /// The overdue part of the open balance on the assessment's day (the aged balance past due).
    public var overdue: Money
    public var detail: Data
    public var createdAt: String
    /// The payment profile's signed amount-weighted days beyond terms and thin-file flag, also in
    /// `detail`, kept apart for the cash forecast, which reads them for every customer.
    public var paymentDelayDays: Double?
    public var thinFile: Bool?

    public init(
        id: Int64? = nil, customerId: String, asOf: Day, modelVersion: String, grade: String, pd: Double, score: Int,
        suggestedLimit: Money, exposure: Money, overdue: Money = .zero, detail: Data, createdAt: String, paymentDelayDays: Double? = nil,
        thinFile: Bool? = nil
    ) {
        self.overdue = overdue
        self.paymentDelayDays = paymentDelayDays
        self.thinFile = thinFile
        self.id = id
        self.customerId = customerId
        self.asOf = asOf
        self.modelVersion = modelVersion
        self.grade = grade
        self.pd = pd
        self.score = score
        self.suggestedLimit = suggestedLimit
        self.exposure = exposure
        self.detail = detail
        self.createdAt = createdAt
    }
}

/// Something a credit manager should look at: a downgrade, a limit below what the customer
/// already owes, a broken promise, a dispute past its deadline, stale data. One per condition
/// while it lasts: raised when it starts, closed when it ends (or acknowledged by someone).
public struct Alert: Sendable, Hashable, Codable {
    /// Who acknowledged an alert, when, and what they noted.
    public struct Acknowledgement: Sendable, Hashable, Codable {
        public var by: String
        public var at: String
        public var note: String?

        public init(by: String, at: String, note: String?) {
            self.by = by
            self.at = at
            self.note = note
        }
    }

    public var id: Int64?
    /// Nil for an alert about the whole portfolio (stale data).
    public var customerId: String?
    public var kind: AlertKind
    public var detail: String
    public var asOf: Day
    public var createdAt: String
    /// Which condition of its kind it is about (see `RaisedAlert.condition`).
    public var condition: String
    public var status: AlertStatus
    /// The day its condition was found ended.
    public var closedOn: Day?
    public var acknowledgement: Acknowledgement?

    public init(
        id: Int64? = nil, customerId: String?, kind: AlertKind, detail: String, asOf: Day, createdAt: String, condition: String? = nil,
        status: AlertStatus = .open, closedOn: Day? = nil, acknowledgement: Acknowledgement? = nil
    ) {
        self.id = id
        self.customerId = customerId
        self.kind = kind
        self.detail = detail
        self.asOf = asOf
        self.createdAt = createdAt
        // Without a condition, the detail is one: the same alert is not raised twice while open.
        self.condition = condition ?? detail
        self.status = status
        self.closedOn = closedOn
        self.acknowledgement = acknowledgement
    }

    public init(_ raised: RaisedAlert, customerId: String?, asOf: Day, createdAt: String) {
        self.init(customerId: customerId, kind: raised.kind, detail: raised.detail, asOf: asOf, createdAt: createdAt, condition: raised.condition)
    }
}

/// What an alert list is asked for.
public struct AlertFilter: Hashable, Sendable {
    /// Raised on or after this day.
    public var since: Day?
    public var kind: AlertKind?
    public var customerId: String?
    /// Nil: every status.
    public var status: AlertStatus?
    public var limit: Int

    public init(since: Day? = nil, kind: AlertKind? = nil, customerId: String? = nil, status: AlertStatus? = nil, limit: Int = 1_000) {
        self.since = since
        self.kind = kind
        self.customerId = customerId
        self.status = status
        self.limit = limit
    }
}

/// An override as stored, with when it was set and, once replaced or cleared, when it ended.
public struct StoredOverride: Sendable, Hashable {
    public var id: Int64
    public var customerId: String
    public var gradeCode: String?
    public var limit: Money?
    public var reason: String
    public var author: String
    public var setOn: Day
    public var expiresOn: Day
    public var createdAt: String
    public var revokedAt: String?
    /// The approval authorities its limit was checked against; nil for a grade alone, or one set
    /// before authorities existed.
    public var authorityVersion: String?
    /// The limit request it carries out, when it came from an approval.
    public var limitRequestId: Int64?

    public init(
        id: Int64, customerId: String, gradeCode: String?, limit: Money?, reason: String, author: String, setOn: Day,
        expiresOn: Day, createdAt: String, revokedAt: String?, authorityVersion: String? = nil, limitRequestId: Int64? = nil
    ) {
        self.id = id
        self.customerId = customerId
        self.gradeCode = gradeCode
        self.limit = limit
        self.reason = reason
        self.author = author
        self.setOn = setOn
        self.expiresOn = expiresOn
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.authorityVersion = authorityVersion
        self.limitRequestId = limitRequestId
    }
}

extension StoredOverride {
    /// The override as the core applies it, its grade read on `model`'s scale. A grade code no
    /// longer on the scale (a model changed since) keeps the suggested grade and the limit.
    public func override(on model: ScoringModel) -> Override {
        Override(
            grade: gradeCode.flatMap(model.grade(code:)), limit: limit, reason: reason, author: author, setOn: setOn,
            expiresOn: expiresOn)
    }
}
