/// What a periodic review decided about a customer's limit.
public enum ReviewDecision: String, Hashable, Sendable, Codable, CaseIterable, ClosedList {
    /// The limit in force stays.
    case keep
    /// A higher limit, within the reviewer's authority.
    case raise
    /// A lower limit.
    case lower
    /// No more credit: a limit of zero (orders are referred, cash in advance).
    case stop

    public static let listName = "a review decision"

    /// The limit the decision sets, given the limit the reviewer names and the one in force; nil
    /// when it leaves the limit as it is (`keep`). `raise` and `lower` need a limit above, or
    /// below, the one in force; `stop` sets zero and takes no other limit.
    public func newLimit(named limit: Money?, inForce: Money) throws(Refusal) -> Money? {
        switch self {
        case .keep:
            guard limit == nil else {
                throw Refusal.invalid(field: "limit", "is not taken with keep, which leaves the limit at \(inForce.formatted); use raise or lower")
            }
            return nil
        case .raise:
            guard let limit else { throw Refusal.invalid(field: "limit", "is required to raise the limit of \(inForce.formatted)") }
            guard limit > inForce else {
                throw Refusal.invalid(field: "limit", "\(limit.formatted) does not raise the limit in force, \(inForce.formatted)")
            }
            return limit
        case .lower:
            guard let limit else { throw Refusal.invalid(field: "limit", "is required to lower the limit of \(inForce.formatted)") }
            guard limit < inForce else {
                throw Refusal.invalid(field: "limit", "\(limit.formatted) does not lower the limit in force, \(inForce.formatted)")
            }
            return limit
        case .stop:
            guard limit == nil || limit == .zero else {
                throw Refusal.invalid(field: "limit", "is not taken with stop, which sets the limit to 0.00")
            }
            return .zero
        }
    }
}

/// A periodic review of a customer's limit, as recorded: what was decided, by whom, on what
/// grade and limit, the limit it set (as an override until the next review), and the day of the
/// next review by the customer's risk class. The policy's and authorities' versions are kept.
public struct CreditReview: Hashable, Sendable, Codable {
    public var id: Int64?
    public var customerId: String
    public var reviewedOn: Day
    public var decision: ReviewDecision
    public var note: String?
    public var author: String
    /// The model's grade when reviewed, and its risk class in the review policy.
    public var grade: String
    public var riskClass: String
    /// The limit in force when reviewed.
    public var limitBefore: Money
    /// The limit the review set; nil when it kept the limit in force.
    public var limit: Money?
    public var nextReviewOn: Day
    public var policyVersion: String
    /// The approval authorities the new limit was checked against; nil when none was set.
    public var authorityVersion: String?
    /// The override that carries the new limit.
    public var overrideId: Int64?

    public init(
        id: Int64? = nil, customerId: String, reviewedOn: Day, decision: ReviewDecision, note: String?, author: String, grade: String,
        riskClass: String, limitBefore: Money, limit: Money?, nextReviewOn: Day, policyVersion: String, authorityVersion: String?,
        overrideId: Int64? = nil
    ) {
        self.id = id
        self.customerId = customerId
        self.reviewedOn = reviewedOn
        self.decision = decision
        self.note = note
        self.author = author
        self.grade = grade
        self.riskClass = riskClass
        self.limitBefore = limitBefore
        self.limit = limit
        self.nextReviewOn = nextReviewOn
        self.policyVersion = policyVersion
        self.authorityVersion = authorityVersion
        self.overrideId = overrideId
    }

    /// The review in one line, as the timeline shows it.
    public var summary: String {
        var text = "review: \(decision.rawValue)"
        if let limit { text += ", limit \(limitBefore.formatted) → \(limit.formatted)" }
        return text + " (grade \(grade), \(riskClass) risk); next review \(nextReviewOn.iso)"
    }
}
