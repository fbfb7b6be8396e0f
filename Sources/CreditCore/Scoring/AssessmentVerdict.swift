/// When a new assessment only repeats the one in force.
///
/// A daily run over a ledger that did not move gives, for almost every customer, the same grade
/// and limit from the same ledger entries; only the calendar moved (an unpaid invoice is a day
/// later or has fallen due, a statement a day older, so the PD drifts within its grade). Storing each of those
/// again would grow the history by the whole portfolio every day (about 370 MB a day at 100k
/// customers) and tell a credit manager nothing new, so the store keeps the assessment that made
/// the decision and records the days that confirmed it.
extension Assessment {
    /// What a credit team acts on and what it was decided on: the model, the grade (and the
    /// grade before a cap), default, the suggested limit, its basis and the recommendation, the
    /// exposure, and the evidence used (the ledger entries counted, the statement, the sector,
    /// open disputes, broken promises, a thin file). The PD, the score, the overdue part of the
    /// exposure and the sentences are left out: they move with the calendar alone. The first
    /// three stay as the assessment that made the decision stated them; the overdue amount of
    /// the customer's standing is brought to the day of each confirmation.
    public struct Verdict: Hashable, Sendable, Codable {
        public var modelVersion: String
        public var grade: String
        public var uncappedGrade: String
        public var inDefault: Bool
        public var suggestedLimit: Money
        public var limitBasis: LimitBasis
        public var recommendation: Recommendation
        public var exposure: Money
        public var evidence: EvidenceSummary
        public var openDisputes: Int
        public var brokenPromises: Int
        public var thinFile: Bool
    }

    public var verdict: Verdict {
        Verdict(
            modelVersion: modelVersion, grade: grade.code, uncappedGrade: uncappedGrade.code, inDefault: inDefault,
            suggestedLimit: suggestedLimit, limitBasis: limitStep.basis, recommendation: recommendation, exposure: exposure,
            evidence: evidence, openDisputes: paymentProfile.openDisputes,
            brokenPromises: paymentProfile.brokenPromises, thinFile: paymentProfile.isThinFile)
    }

    /// Whether this assessment, made on a day on or after `earlier`'s, says nothing `earlier` did
    /// not: same verdict. A run over the past never confirms a later assessment; it is history of
    /// its own.
    public func confirms(_ earlier: Assessment) -> Bool {
        asOf >= earlier.asOf && verdict == earlier.verdict
    }
}
