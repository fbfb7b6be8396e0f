/// Where a limit request stands: waiting for the credit team, or decided once for good.
public enum LimitRequestStatus: String, Hashable, Sendable, Codable, CaseIterable, ClosedList {
    case pending
    case approved
    case rejected

    public static let listName = "a limit request status"
}

/// A credit limit asked for a customer by sales, collections or the credit team, until a day,
/// with a reason: it changes nothing until someone with the authority for that limit (by role and
/// amount, `ApprovalAuthorities`), other than the requester, approves it; approved, it becomes
/// the customer's override of the limit until its expiry. Every request and decision is kept.
public struct LimitRequest: Hashable, Sendable, Codable {
    public var id: Int64
    public var customerId: String
    /// The limit asked for.
    public var limit: Money
    public var reason: String
    /// The last day the limit would hold once approved.
    public var expiresOn: Day
    /// Who asked: the API key's name (or the CLI's `--author`).
    public var requestedBy: String
    public var requestedOn: Day
    /// The model's suggested limit and the limit in force when it was asked.
    public var suggestedLimit: Money
    public var limitInForce: Money
    public var status: LimitRequestStatus
    /// The approval or rejection; nil while pending.
    public var decision: Decision?

    /// How a request was decided: by whom (name and role), when, why, under which authorities,
    /// and, for an approval, the override it became.
    public struct Decision: Hashable, Sendable, Codable {
        public var by: String
        public var role: String
        public var on: Day
        public var reason: String
        public var authorityVersion: String
        public var overrideId: Int64?

        public init(by: String, role: String, on: Day, reason: String, authorityVersion: String, overrideId: Int64? = nil) {
            self.by = by
            self.role = role
            self.on = on
            self.reason = reason
            self.authorityVersion = authorityVersion
            self.overrideId = overrideId
        }
    }

    public init(
        id: Int64, customerId: String, limit: Money, reason: String, expiresOn: Day, requestedBy: String, requestedOn: Day,
        suggestedLimit: Money, limitInForce: Money, status: LimitRequestStatus = .pending, decision: Decision? = nil
    ) {
        self.id = id
        self.customerId = customerId
        self.limit = limit
        self.reason = reason
        self.expiresOn = expiresOn
        self.requestedBy = requestedBy
        self.requestedOn = requestedOn
        self.suggestedLimit = suggestedLimit
        self.limitInForce = limitInForce
        self.status = status
        self.decision = decision
    }
}

extension LimitRequest {
    /// The rules of a decision on this request by `decider`: the request is still
    /// pending (else `conflict`, saying how and by whom it was decided), and the decider is not
    /// the requester (else `forbidden`: a limit is agreed by two people).
    public func checkDecidable(by decider: String) throws(Refusal) {
        if let decision, status != .pending {
            throw Refusal(
                .conflict,
                "limit request \(id) was already \(status.rawValue) on \(decision.on.iso) by \(decision.by) (\(decision.role)); "
                    + "send a new request to ask again")
        }
        guard decider != requestedBy else {
            throw Refusal(
                .forbidden, "limit request \(id) was sent by \(decider): someone else, with the authority for its limit, must decide it",
                code: "own-request")
        }
    }

    /// The override an approval sets: the limit asked, until the day asked, with the request's
    /// reason, in the approver's name from the day of approval (the store links it to the request).
    public func override(approvedBy approver: String, on day: Day, model: ScoringModel) throws(Refusal) -> Override {
        try Override.requested(
            gradeCode: nil, limit: limit, reason: reason, author: approver, setOn: day,
            expiresOn: expiresOn, model: model)
    }

    /// What the request is about, as a timeline or a list shows it.
    public var summary: String {
        "limit request \(id): \(limit.formatted) until \(expiresOn.iso) (in force \(limitInForce.formatted), "
            + "suggested \(suggestedLimit.formatted))"
    }
}
