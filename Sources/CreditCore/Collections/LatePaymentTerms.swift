/// What a French notice must state about late payment (Code de commerce L441-10 and D441-5):
/// the late-payment interest rate, which is the contractual one and never less than three times
/// the legal interest rate for professionals, and the fixed recovery indemnity per invoice.
///
/// The legal rate changes every six months (an arrêté each June and December), so the model
/// keeps it as a dated table: a letter states the rate in force on its day.
public struct LatePaymentTerms: Hashable, Sendable, Codable {
    /// The rate agreed in the supplier's terms of sale, in percent a year; nil when the terms
    /// say nothing, and then the legal floor applies.
    public var contractualRatePercent: Double?
    /// The legal interest rate for creditors other than private persons, by period.
    public var legalRates: [LegalRate]
    /// The floor's multiple of the legal rate (three in L441-10).
    public var legalRateMultiplier: Double
    /// The fixed indemnity for recovery costs, per invoice paid late (40 € in D441-5).
    public var recoveryIndemnity: Money

    public struct LegalRate: Hashable, Sendable, Codable {
        /// First day the rate applies (1 January or 1 July).
        public var from: Day
        public var percent: Double
        /// The arrêté that set it.
        public var source: String
    }

    /// The legal rate in force on `day`: the latest period started by then (the earliest known
    /// for a day before the table).
    public func legalRate(on day: Day) -> LegalRate? {
        let sorted = legalRates.sorted { $0.from < $1.from }
        return sorted.last { $0.from <= day } ?? sorted.first
    }

    /// The late-payment interest rate a notice of `day` states, in percent a year: the
    /// contractual rate, or three times the legal rate when the terms set none. A contractual
    /// rate below the legal floor is not lawful; the floor is stated instead.
    public func ratePercent(on day: Day) -> Double {
        let floor = (legalRate(on: day)?.percent ?? 0) * legalRateMultiplier
        guard let contractual = contractualRatePercent else { return floor }
        return max(contractual, floor)
    }

    /// The values known when reminder letters were written: 2.62 % for the first half of 2026
    /// (arrêté du 15 décembre 2025), 2.76 % for the second half of 2025, 40 € per invoice.
    /// (Days as numbers since 1970: 2025-07-01 and 2026-01-01; a test reads them back.)
    public static let france2026 = LatePaymentTerms(
        contractualRatePercent: nil,
        legalRates: [
            LegalRate(from: Day(daysSinceEpoch: 20_270), percent: 2.76, source: "arrêté du 23 juin 2025, JO du 24 juin 2025"),
            LegalRate(from: Day(daysSinceEpoch: 20_454), percent: 2.62, source: "arrêté du 15 décembre 2025"),
        ],
        legalRateMultiplier: 3, recoveryIndemnity: Money(cents: 4000))
}
