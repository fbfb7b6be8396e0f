/// What the assessment recommends for selling on credit.
public enum Recommendation: String, Hashable, Sendable, Codable {
    /// Open account within the suggested limit.
    case approve
    /// A credit manager should look: the evidence does not settle it.
    case refer
    /// No unsecured credit: deposit or cash in advance.
    case depositOrCashInAdvance = "deposit_or_cash_in_advance"
}

/// Per grade, how large a limit the evidence supports; the model file holds the numbers.
///
/// With a statement: the smallest of a share of book equity, a share of yearly revenue and the
/// grade's cap (the "10 % of net worth" and "a month or so of purchases" rules of trade-credit
/// practice). Without one: the highest exposure the customer carried and then paid well, times a
/// grade factor, within the cap. Rounded down to a figure a person would write.
public struct LimitPolicy: Hashable, Sendable, Codable {
    /// Only this much history counts for the "carried and paid well" exposure.
    public var historyDays: Int
    /// An invoice paid at most this many days beyond terms was "paid well".
    public var paidWellMaxDays: Int
    public var rounding: Rounding
    /// One entry per scale step, in the scale's order.
    public var grades: [GradeLimit]

    /// Rounding down to `significantFigures`, never to a step finer than `minimumStep` units.
    public struct Rounding: Hashable, Sendable, Codable {
        public var significantFigures: Int
        public var minimumStep: Int
    }

    public struct GradeLimit: Hashable, Sendable, Codable {
        public var grade: String
        public var equityShare: Double
        public var revenueShare: Double
        /// Highest limit for the grade, in whole units.
        public var maxLimit: Int
        public var historyFactor: Double
        public var recommendation: Recommendation

        public var maxLimitMoney: Money { Money(clampingCents: Double(maxLimit) * 100) }
    }

    /// `amount` rounded down to the model's significant figures, in steps of at least `minimumStep`:
    /// 123 456.78 → 120 000; 1 234 → 1 000; 740 → 500; 420 → 0 (with 2 figures and a step of 500).
    public func rounded(_ amount: Money) -> Money {
        guard amount.cents > 0 else { return .zero }
        let units = amount.cents / 100
        var digits = 0
        var rest = units
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var step: Int64 = 1
        for _ in 0..<max(0, digits - rounding.significantFigures) { step *= 10 }
        step = max(step, Int64(rounding.minimumStep))
        return Money(cents: units / step * step * 100)
    }
}

/// Which rule set the suggested limit, so the explanation can say why it is that figure.
public enum LimitBasis: String, Hashable, Sendable, Codable {
    case equityShare = "equity_share"
    case revenueShare = "revenue_share"
    case gradeCap = "grade_cap"
    case paymentHistory = "payment_history"
    /// The grade gets no open credit.
    case gradeExcluded = "grade_excluded"
    /// The customer is in default.
    case inDefault = "in_default"
    /// Neither a usable statement nor a well-paid history to size a limit from.
    case noEvidence = "no_evidence"
}

/// One figure the limit policy considered.
public struct LimitCandidate: Hashable, Sendable, Codable {
    public var basis: LimitBasis
    public var amount: Money
    /// How the figure was reached, with its numbers.
    public var detail: String
}

/// The step of the limit policy that bound the suggested limit, and the others it was compared with.
public struct LimitStep: Hashable, Sendable, Codable {
    public var basis: LimitBasis
    /// The binding figure before rounding.
    public var unrounded: Money
    public var explanation: String
    /// Every figure considered, the binding one included.
    public var candidates: [LimitCandidate]
}
