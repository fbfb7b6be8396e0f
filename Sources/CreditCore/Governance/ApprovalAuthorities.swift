import Foundation

/// Who may set which credit limit: each role's ceiling, measured against the model's suggested
/// limit, as the versioned file `Models/approval-authorities-v*.json` states it. Every limit a
/// person sets (a direct override, an approved limit request, a review) is checked here, and the
/// file's version is kept with the decision, so a decision can be judged later by the rules it
/// was made under.
///
/// A role's ceiling is `max(timesSuggested × suggested limit, atLeast)`, or none when the role is
/// `unlimited`. A role the file does not name has no authority over limits at all.
public struct ApprovalAuthorities: Hashable, Sendable, Codable {
    public var version: String
    public var description: String?
    /// The roles with authority over limits, from the least to the most.
    public var limitAuthorities: [LimitAuthority]
    /// What sales may not approve alone (absent from v1 files, which used the built-in rules).
    public var orderReferral: OrderReferral?

    /// Which orders go to the credit manager instead of being approved or declined at once: an
    /// order over the limit by at most `overLimitShare` of it is referred (declined beyond), and
    /// an order within the limit is referred when the customer owes anything more than
    /// `pastDueDays` past due.
    public struct OrderReferral: Hashable, Sendable, Codable {
        public var description: String?
        public var overLimitShare: Double
        public var pastDueDays: Int

        public init(description: String? = nil, overLimitShare: Double, pastDueDays: Int) {
            self.description = description
            self.overLimitShare = overLimitShare
            self.pastDueDays = pastDueDays
        }
    }

    /// The order check these authorities call for.
    public var orderCheck: OrderCheck {
        guard let orderReferral else { return OrderCheck(rules: "built-in (\(version) states none)") }
        return OrderCheck(referTolerance: orderReferral.overLimitShare, referPastDueDays: orderReferral.pastDueDays, rules: version)
    }

    public struct LimitAuthority: Hashable, Sendable, Codable {
        /// The role, as API keys name it (`credit_manager`).
        public var role: String
        /// True: no ceiling. Then `timesSuggested` and `atLeast` are left out.
        public var unlimited: Bool?
        /// The ceiling as a multiple of the suggested limit (at least 1: whoever has authority
        /// may always confirm the model's own suggestion).
        public var timesSuggested: Double?
        /// The ceiling whatever the suggestion, in whole units of the base currency: lets a small
        /// limit be set for a customer the model gives little or nothing.
        public var atLeast: Int?

        public init(role: String, unlimited: Bool? = nil, timesSuggested: Double? = nil, atLeast: Int? = nil) {
            self.role = role
            self.unlimited = unlimited
            self.timesSuggested = timesSuggested
            self.atLeast = atLeast
        }

        /// The highest limit the role may set when the model suggests `suggested`; nil: no ceiling.
        public func ceiling(suggested: Money) -> Money? {
            guard unlimited != true else { return nil }
            let multiple = suggested.scaled(by: timesSuggested ?? 1)
            let floor = Money(clampingCents: Double(atLeast ?? 0) * 100)
            return max(multiple, floor)
        }

        /// The rule in words: "up to 2 × the suggested limit, at least 10 000.00".
        public var rule: String {
            guard unlimited != true else { return "no ceiling" }
            let times = timesSuggested.map { $0 == $0.rounded() ? String(Int($0)) : String($0) } ?? "1"
            return "up to \(times) × the suggested limit, at least \(Money(clampingCents: Double(atLeast ?? 0) * 100).formatted)"
        }
    }

    public init(version: String, description: String? = nil, limitAuthorities: [LimitAuthority], orderReferral: OrderReferral? = nil) {
        self.version = version
        self.description = description
        self.limitAuthorities = limitAuthorities
        self.orderReferral = orderReferral
    }

    /// The role's authority, nil when it has none.
    public func authority(of role: String) -> LimitAuthority? { limitAuthorities.first { $0.role == role } }

    /// The roles that may set `limit` when the model suggests `suggested`, in the file's order.
    public func approvers(of limit: Money, suggested: Money) -> [String] {
        limitAuthorities.filter { authority in authority.ceiling(suggested: suggested).map { limit <= $0 } ?? true }.map(\.role)
    }

    /// Whether `role` may set `limit` when the model suggests `suggested`. A refusal (`forbidden`,
    /// code `beyond-authority`) gives the role's ceiling and its rule, the file's version, who
    /// may approve the limit instead, and that a limit request reaches them.
    public func authorize(limit: Money, suggested: Money, role: String) throws(Refusal) {
        let authority = authority(of: role)
        if let authority, authority.ceiling(suggested: suggested).map({ limit <= $0 }) ?? true { return }
        let approvers = approvers(of: limit, suggested: suggested)
        var message = "a limit of \(limit.formatted) is beyond the authority of the \(role) role"
        if let authority, let ceiling = authority.ceiling(suggested: suggested) {
            message += " (\(ceiling.formatted) here: \(authority.rule), the suggested limit being \(suggested.formatted); \(version))"
        } else {
            message += " (it has none over credit limits; \(version))"
        }
        message +=
            approvers.isEmpty
            ? "; no role may approve it" : "; \(approvers.joined(separator: " or ")) may approve it: send a limit request for their approval"
        throw Refusal(.forbidden, message, field: "limit", code: "beyond-authority")
    }
}

extension ApprovalAuthorities {
    /// Decodes and validates an authorities file; every error names the field to fix. `roles`,
    /// when given, are the roles that exist: a role the file names must be one of them.
    public static func decode(from data: Data, roles: [String]? = nil) throws(ModelError) -> ApprovalAuthorities {
        let authorities = try ModelError.decodeJSON(ApprovalAuthorities.self, from: data, file: "the approval authorities file")
        try authorities.validate(roles: roles)
        return authorities
    }

    func validate(roles: [String]?) throws(ModelError) {
        guard !version.trimmingWhitespace().isEmpty else { throw ModelError(field: "version", message: "version must not be empty") }
        if let referral = orderReferral {
            guard referral.overLimitShare.isFinite, (0...1).contains(referral.overLimitShare) else {
                throw ModelError(
                    field: "orderReferral.overLimitShare", message: "orderReferral.overLimitShare must be between 0 and 1 (0.10 is 10 %)")
            }
            guard OrderCheck.pastDueEdges.contains(referral.pastDueDays) else {
                throw ModelError(
                    field: "orderReferral.pastDueDays",
                    message: "orderReferral.pastDueDays must be one of the aged balance's edges: "
                        + OrderCheck.pastDueEdges.map(String.init).joined(separator: ", "))
            }
        }
        guard !limitAuthorities.isEmpty else {
            throw ModelError(field: "limitAuthorities", message: "limitAuthorities must name at least one role")
        }
        var seen: Set<String> = []
        for (index, authority) in limitAuthorities.enumerated() {
            let field = "limitAuthorities[\(index)]"
            if let roles, !roles.contains(authority.role) {
                throw ModelError(
                    field: "\(field).role",
                    message: "\(field).role \"\(authority.role)\" is not a role (\(roles.joined(separator: ", ")))")
            }
            guard seen.insert(authority.role).inserted else {
                throw ModelError(field: "\(field).role", message: "\(field).role \"\(authority.role)\" is named twice")
            }
            if authority.unlimited == true {
                guard authority.timesSuggested == nil, authority.atLeast == nil else {
                    throw ModelError(
                        field: "\(field).unlimited", message: "\(field).unlimited leaves no ceiling: leave out timesSuggested and atLeast")
                }
                continue
            }
            guard let times = authority.timesSuggested else {
                throw ModelError(
                    field: "\(field).timesSuggested", message: "\(field).timesSuggested is missing (or set \"unlimited\": true)")
            }
            guard times.isFinite, (1...100).contains(times) else {
                throw ModelError(field: "\(field).timesSuggested", message: "\(field).timesSuggested must be between 1 and 100")
            }
            guard let atLeast = authority.atLeast else {
                throw ModelError(field: "\(field).atLeast", message: "\(field).atLeast is missing (0 for no floor)")
            }
            let largest = InputBounds.standard.maximumAmount.cents / 100
            guard atLeast >= 0, Int64(atLeast) <= largest else {
                throw ModelError(field: "\(field).atLeast", message: "\(field).atLeast must be between 0 and \(largest)")
            }
        }
    }
}
