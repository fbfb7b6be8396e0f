/// What sales is told before taking an order.
public enum OrderVerdict: String, Hashable, Sendable, Codable {
    /// Within the limit: take the order.
    case approve
    /// Close to the limit or with warning signs: ask the credit manager.
    case refer
    /// Over the limit, no credit, or in default: only with payment in advance.
    case decline

    /// The stricter of two verdicts: an order passes two limits only as well as it passes the tighter one.
    public func stricter(_ other: OrderVerdict) -> OrderVerdict {
        switch (self, other) {
        case (.decline, _), (_, .decline): .decline
        case (.refer, _), (_, .refer): .refer
        default: .approve
        }
    }
}

/// The answer to an order check, with the arithmetic behind it and, when the order is not
/// simply approved, what sales can do about it.
public struct OrderDecision: Hashable, Sendable, Codable {
    public var verdict: OrderVerdict
    public var orderAmount: Money
    public var limit: Money
    /// Exposure before the order: open balance plus orders accepted and not yet invoiced.
    public var exposure: Money
    /// Limit minus exposure minus the order; negative when the order goes over.
    public var headroomAfter: Money
    public var reasons: [String]
    /// The largest order the check approves now: the headroom (the customer's, or its group's
    /// when that is smaller), never negative; zero while nothing can be approved on credit (a
    /// customer in default or without a limit, a group without credit, amounts more than the
    /// referral threshold past due).
    public var largestApprovable: Money
    /// The customer's open amounts past their due date: their payment lowers the exposure, and
    /// the customer's group's, by as much.
    public var overdue: Money
    /// What sales can do about a referred or declined order, in words; empty for an approval.
    public var guidance: [String]
    /// The shared limit of the customer's group, when it has one: the order is checked against both.
    public var group: GroupHeadroom?

    public init(
        verdict: OrderVerdict, orderAmount: Money, limit: Money, exposure: Money, headroomAfter: Money, reasons: [String],
        largestApprovable: Money = .zero, overdue: Money = .zero, guidance: [String] = [], group: GroupHeadroom? = nil
    ) {
        self.verdict = verdict
        self.orderAmount = orderAmount
        self.limit = limit
        self.exposure = exposure
        self.headroomAfter = headroomAfter
        self.reasons = reasons
        self.largestApprovable = largestApprovable
        self.overdue = overdue
        self.guidance = guidance
        self.group = group
    }

    enum CodingKeys: String, CodingKey {
        case verdict, orderAmount, limit, exposure, headroomAfter, reasons, largestApprovable, overdue, guidance, group
    }

    /// Reads decisions stored before the guidance and the group were given (v10 and earlier):
    /// those fields then read as zero, empty and none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            verdict: try container.decode(OrderVerdict.self, forKey: .verdict),
            orderAmount: try container.decode(Money.self, forKey: .orderAmount), limit: try container.decode(Money.self, forKey: .limit),
            exposure: try container.decode(Money.self, forKey: .exposure),
            headroomAfter: try container.decode(Money.self, forKey: .headroomAfter),
            reasons: try container.decode([String].self, forKey: .reasons),
            largestApprovable: try container.decodeIfPresent(Money.self, forKey: .largestApprovable) ?? .zero,
            overdue: try container.decodeIfPresent(Money.self, forKey: .overdue) ?? .zero,
            guidance: try container.decodeIfPresent([String].self, forKey: .guidance) ?? [],
            group: try container.decodeIfPresent(GroupHeadroom.self, forKey: .group))
    }
}

/// Decides an order against the customer's effective credit decision and, when the customer
/// belongs to a group with a limit of its own, against that limit too.
///
/// Rules, in order: no credit (limit 0, grade D) declines; an order within the headroom is
/// approved unless the customer has amounts more than `referPastDueDays` past due (then it is
/// referred); an order that overshoots by at most `referTolerance` of the limit is referred;
/// anything more is declined. A group limit is applied the same way to the sum of the members'
/// exposures, and the stricter of the two verdicts is the answer. The two thresholds are the
/// approval authorities' (`orderReferral` in `Models/approval-authorities-v2.json`); `rules`
/// names where they came from, and every answer carries it.
public struct OrderCheck: Sendable, Hashable {
    public var referTolerance: Double
    /// 0, 30, 60 or 90: an edge of the aged balance's buckets.
    public var referPastDueDays: Int
    /// The version of the file the thresholds come from ("built-in" for the defaults).
    public var rules: String

    public init(referTolerance: Double = 0.10, referPastDueDays: Int = 60, rules: String = "built-in") {
        self.referTolerance = referTolerance
        self.referPastDueDays = referPastDueDays
        self.rules = rules
    }

    /// The past-due days an order referral may look beyond: the aged balance's bucket edges.
    public static let pastDueEdges = [0, 30, 60, 90]

    /// What the customer owes more than `referPastDueDays` past due.
    func pastThreshold(_ aged: AgedBalance) -> Money {
        switch referPastDueDays {
        case 90...: aged.over90
        case 60...: aged.days61to90 + aged.over90
        case 30...: aged.days31to60 + aged.days61to90 + aged.over90
        default: aged.overdue
        }
    }

    /// The verdict for an order of `amount`; `reserving` when sales asks to reserve it (a referred
    /// order is then held, and the guidance says so).
    public func decide(
        amount: Money, decision: EffectiveDecision, exposure: Money, agedBalance: AgedBalance, group: GroupExposure? = nil,
        reserving: Bool = false
    ) -> OrderDecision {
        let limit = decision.limit
        let after = limit - exposure - amount
        var result = OrderDecision(
            verdict: .approve, orderAmount: amount, limit: limit, exposure: exposure, headroomAfter: after, reasons: [],
            overdue: agedBalance.overdue)
        let latePastThreshold = pastThreshold(agedBalance)
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
                result.reasons.append(
                    referPastDueDays == 0
                        ? "\(latePastThreshold.formatted) is past due"
                        : "\(latePastThreshold.formatted) is more than \(referPastDueDays) days past due")
            }
        } else if withinTolerance(overshoot: -after, of: limit) {
            result.verdict = .refer
            result.reasons.append(
                "over the limit \(limit.formatted) by \((-after).formatted), within the \(tolerancePercent) % a credit manager may allow")
        } else {
            result.verdict = .decline
            result.reasons.append(
                "over the limit \(limit.formatted) by \((-after).formatted): exposure \(exposure.formatted) + order \(amount.formatted)")
        }
        var headroom = limit - exposure
        var groupBinds = false
        if let group {
            let groupAfter = group.limit - group.exposure - amount
            result.group = GroupHeadroom(group: group.group, limit: group.limit, exposure: group.exposure, headroomAfter: groupAfter)
            let (verdict, reason) = groupVerdict(group, amount: amount, after: groupAfter)
            result.reasons.append(reason)
            groupBinds = verdict != .approve || group.limit - group.exposure < headroom
            result.verdict = result.verdict.stricter(verdict)
            headroom = min(headroom, group.limit - group.exposure)
        }
        let noCredit = decision.grade.isDefault || limit.cents <= 0 || (group.map { $0.limit.cents <= 0 } ?? false)
        let blocked = noCredit || latePastThreshold.cents > 0
        result.largestApprovable = blocked ? .zero : max(.zero, headroom)
        if result.verdict != .approve {
            result.guidance = guidance(
                for: result, defaulted: decision.grade.isDefault, noCredit: noCredit, latePastThreshold: latePastThreshold,
                groupBinds: groupBinds ? group?.group : nil, reserving: reserving)
        }
        return result
    }

    private var tolerancePercent: Int { Int((referTolerance * 100).rounded()) }

    private func withinTolerance(overshoot: Money, of limit: Money) -> Bool {
        Double(overshoot.cents) <= referTolerance * Double(limit.cents)
    }

    /// The group's verdict by the customer's rules, applied to the group's limit and exposure.
    private func groupVerdict(_ group: GroupExposure, amount: Money, after: Money) -> (OrderVerdict, String) {
        let name = "group \(group.group)"
        if group.limit.cents <= 0 {
            return (.decline, "\(name) has no credit limit (0.00): payment in advance or a deposit")
        }
        if after.cents >= 0 {
            return (
                .approve,
                "within the limit \(group.limit.formatted) of \(name): group exposure \(group.exposure.formatted) + order \(amount.formatted) "
                    + "leaves \(after.formatted)"
            )
        }
        if withinTolerance(overshoot: -after, of: group.limit) {
            return (
                .refer,
                "over the limit \(group.limit.formatted) of \(name) by \((-after).formatted), "
                    + "within the \(tolerancePercent) % a credit manager may allow"
            )
        }
        return (
            .decline,
            "over the limit \(group.limit.formatted) of \(name) by \((-after).formatted): group exposure \(group.exposure.formatted) "
                + "+ order \(amount.formatted)"
        )
    }

    /// What sales can do: how much can be taken now, what to collect first, whom to ask.
    private func guidance(
        for result: OrderDecision, defaulted: Bool, noCredit: Bool, latePastThreshold: Money, groupBinds: String?, reserving: Bool
    ) -> [String] {
        var lines: [String] = []
        if noCredit {
            lines.append("nothing can be approved on credit: take the order with payment in advance or a deposit")
        } else if latePastThreshold.cents > 0 {
            lines.append("nothing can be approved until the \(latePastThreshold.formatted) more than \(referPastDueDays) days past due is paid")
        } else if result.largestApprovable.cents > 0 {
            let whose = groupBinds.map { " (the headroom left under the limit of group \($0))" } ?? ""
            lines.append("the most that can be approved now is \(result.largestApprovable.formatted)\(whose)")
        } else {
            lines.append("nothing can be approved now: the headroom is used up")
        }
        if result.overdue.cents > 0 {
            lines.append("collect the \(result.overdue.formatted) overdue first: its payment makes as much room")
        }
        if !defaulted {
            lines.append("ask the credit manager for a higher limit" + (groupBinds.map { " for group \($0)" } ?? ""))
        }
        if result.verdict == .refer {
            lines.append(
                reserving
                    ? "the order is held: the credit manager releases it (it is then reserved) or rejects it"
                    : "or check it with reserve: the order is then held until the credit manager releases or rejects it")
        }
        return lines
    }
}
