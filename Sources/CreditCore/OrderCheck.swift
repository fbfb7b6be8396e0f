/// What sales is told before taking an order.
public enum OrderVerdict: String, Hashable, Sendable, Codable {
    /// Within the limit: take the order.
    case approve
    /// Close to the limit or with warning signs: ask the credit manager.
    case refer
    /// Over the limit, no credit, or in default: only with payment in advance.
    case decline
}

/// The answer to an order check, with the arithmetic behind it.
public struct OrderDecision: Hashable, Sendable, Codable {
    public var verdict: OrderVerdict
    public var orderAmount: Money
    public var limit: Money
    /// Exposure before the order: open balance plus orders accepted and not yet invoiced.
    public var exposure: Money
    /// Limit minus exposure minus the order; negative when the order goes over.
    public var headroomAfter: Money
    public var reasons: [String]
}

/// Decides an order against the customer's effective credit decision.
///
/// Rules, in order: no credit (limit 0, grade D) declines; an order within the headroom is
/// approved unless the customer has amounts more than `referPastDueDays` past due (then it is
/// referred); an order that overshoots by at most `referTolerance` of the limit is referred;
/// anything more is declined.
public struct OrderCheck: Sendable {
    public var referTolerance: Double
    public var referPastDueDays: Int

    public init(referTolerance: Double = 0.10, referPastDueDays: Int = 60) {
        self.referTolerance = referTolerance
        self.referPastDueDays = referPastDueDays
    }

    public func decide(
        amount: Money, decision: EffectiveDecision, exposure: Money, agedBalance: AgedBalance
    ) -> OrderDecision {
        let limit = decision.limit
        let after = limit - exposure - amount
        var result = OrderDecision(
            verdict: .approve, orderAmount: amount, limit: limit, exposure: exposure, headroomAfter: after, reasons: [])
        let latePastThreshold = referPastDueDays >= 90 ? agedBalance.over90 : agedBalance.days61to90 + agedBalance.over90
        if decision.grade.isDefault {
            result.verdict = .decline
            result.reasons.append("the customer is in default (grade D): cash in advance only")
        } else if limit.cents <= 0 {
            result.verdict = .decline
            result.reasons.append("no credit limit (grade \(decision.grade.code)): payment in advance or a deposit")
        } else if after.cents >= 0 {
            result.reasons.append(
                "within the limit \(limit.formatted): exposure \(exposure.formatted) + order \(amount.formatted) leaves \(after.formatted)")
            if latePastThreshold.cents > 0 {
                result.verdict = .refer
                result.reasons.append("\(latePastThreshold.formatted) is more than \(referPastDueDays) days past due")
            }
        } else if Double(-after.cents) <= referTolerance * Double(limit.cents) {
            result.verdict = .refer
            result.reasons.append(
                "over the limit \(limit.formatted) by \((-after).formatted), within the \(Int(referTolerance * 100)) % a credit manager may allow")
        } else {
            result.verdict = .decline
            result.reasons.append(
                "over the limit \(limit.formatted) by \((-after).formatted): exposure \(exposure.formatted) + order \(amount.formatted)")
        }
        return result
    }
}
