/// How the collections worklist weighs items and treats promises: the `collections` section of
/// the model file.
///
/// Model files written before the section existed (scoring-model-v1) get `CollectionsPolicy.v1`,
/// the values that were built in then, so an old model reads exactly as it did.
public struct CollectionsPolicy: Hashable, Sendable, Codable {
    /// Days after the promised day before a promised item returns to the list and the promise
    /// counts as broken: a payment sent on the day needs time to arrive and be matched.
    public var promiseGraceDays: Int
    /// Lateness weight: priority grows by one expected loss per this many days past due.
    public var latenessPeriodDays: Int
    /// Weight of an item not yet due (listed only for a pre-due notice) relative to one just due.
    public var notDueWeight: Double
    /// Broken promises whose deadline falls in this many days up to the as-of date are scored.
    public var brokenPromiseWindowDays: Int
    /// Late-payment interest and recovery indemnity stated on French notices; absent in files
    /// written before reminder letters (then `LatePaymentTerms.france2026`).
    public var latePayment: LatePaymentTerms?

    public var latePaymentTerms: LatePaymentTerms { latePayment ?? .france2026 }

    public static let v1 = CollectionsPolicy(
        promiseGraceDays: 3, latenessPeriodDays: 30, notDueWeight: 0.1, brokenPromiseWindowDays: 365)

    /// Expected loss (PD × open amount) weighted by lateness: `× (1 + days past due / period)`
    /// once due, `× notDueWeight` before.
    public func priority(pd: Double, openAmount: Money, daysPastDue: Int) -> Double {
        let expectedLoss = pd * Double(openAmount.cents) / 100
        return daysPastDue > 0
            ? expectedLoss * (1 + Double(daysPastDue) / Double(latenessPeriodDays)) : expectedLoss * notDueWeight
    }
}

extension ScoringModel {
    /// The model's collections policy, or v1's built-in values for a file without the section.
    public var collectionsPolicy: CollectionsPolicy { collections ?? .v1 }
}
