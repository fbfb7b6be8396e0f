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
    public var detail: Data
    public var createdAt: String
    /// The payment profile's signed amount-weighted days beyond terms and thin-file flag, also in
    /// `detail`, kept apart for the cash forecast, which reads them for every customer.
    public var paymentDelayDays: Double?
    public var thinFile: Bool?

    public init(
        id: Int64? = nil, customerId: String, asOf: Day, modelVersion: String, grade: String, pd: Double, score: Int,
        suggestedLimit: Money, exposure: Money, detail: Data, createdAt: String, paymentDelayDays: Double? = nil, thinFile: Bool? = nil
    ) {
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
/// already owes, a broken promise.
public struct Alert: Sendable, Hashable, Codable {
    public var id: Int64?
    public var customerId: String
    public var kind: AlertKind
    public var detail: String
    public var asOf: Day
    public var createdAt: String

    public init(id: Int64? = nil, customerId: String, kind: AlertKind, detail: String, asOf: Day, createdAt: String) {
        self.id = id
        self.customerId = customerId
        self.kind = kind
        self.detail = detail
        self.asOf = asOf
        self.createdAt = createdAt
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

    public init(
        id: Int64, customerId: String, gradeCode: String?, limit: Money?, reason: String, author: String, setOn: Day,
        expiresOn: Day, createdAt: String, revokedAt: String?
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
