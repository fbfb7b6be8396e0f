/// What the credit manager is advised to do with a request to open an account.
public enum OpeningRecommendation: String, Hashable, Sendable, Codable {
    /// Open the account on credit, within the suggested limit.
    case approve
    /// Open the account, but sell against a deposit or cash in advance: no unsecured credit.
    case approveWithDepositOrCashInAdvance = "approve_with_deposit_or_cash_in_advance"
    /// A credit manager should look before opening: the evidence or the request does not settle it.
    case refer
}

/// One line of an application's explanation, shaped like an assessment's `Reason` so clients
/// read both alike: a stable code, an effect on the log-odds (0 for what is not scored) and a
/// sentence with the numbers.
public struct OpeningReason: Hashable, Sendable, Codable {
    /// Codes of the reasons that belong to account opening; the assessment's `ReasonCode`s follow them.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// The applicant asks for more than the evidence supports.
        case requestedLimitAboveSuggested = "requested_limit_above_suggested"
        /// The grade would be approved, but nothing sized a limit (no statement, no history).
        case noLimitSized = "no_limit_sized"
    }

    public var code: String
    public var effect: Double
    public var text: String

    public init(code: Code, text: String) {
        self.code = code.rawValue
        self.effect = 0
        self.text = text
    }

    public init(_ reason: Reason) {
        self.code = reason.code.rawValue
        self.effect = reason.effect
        self.text = reason.text
    }
}

/// The advice on an account application: the recommendation the model's limit policy gives the
/// grade, turned into an account-opening decision, and the reasons it departs from it.
///
/// The limit policy's `approve` stays approve and its `deposit_or_cash_in_advance` becomes
/// "approve with deposit or cash in advance" (an account can be opened without credit). The
/// scorer already refers an approvable grade with nothing to size a limit from; that is said
/// here in words. A requested limit above the suggested one is referred: only a credit manager
/// may grant more than the evidence supports (by an override at approval).
public struct OpeningAdvice: Hashable, Sendable, Codable {
    public var recommendation: OpeningRecommendation
    /// Why the recommendation is not simply the grade's; empty when it is.
    public var reasons: [OpeningReason]

    public init(assessment: Assessment, requestedLimit: Money?, policy: LimitPolicy) {
        var reasons: [OpeningReason] = []
        var recommendation: OpeningRecommendation
        switch assessment.recommendation {
        case .approve: recommendation = .approve
        case .depositOrCashInAdvance: recommendation = .approveWithDepositOrCashInAdvance
        case .refer: recommendation = .refer
        }
        let rank = assessment.grade.rank
        if recommendation == .refer, !assessment.inDefault, policy.grades.indices.contains(rank - 1),
            policy.grades[rank - 1].recommendation == .approve, assessment.suggestedLimit == .zero
        {
            reasons.append(
                OpeningReason(
                    code: .noLimitSized,
                    text: "grade \(assessment.grade.code) would be approved, but no limit could be sized: \(assessment.limitStep.explanation)"))
        }
        if let requestedLimit, requestedLimit > assessment.suggestedLimit {
            recommendation = .refer
            reasons.append(
                OpeningReason(
                    code: .requestedLimitAboveSuggested,
                    text:
                        "requested limit \(requestedLimit.formatted) is above the suggested limit \(assessment.suggestedLimit.formatted): a credit manager decides"
                ))
        }
        self.recommendation = recommendation
        self.reasons = reasons
    }
}
