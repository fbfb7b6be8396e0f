/// A payment index 1–100 on the PAYDEX scale (Dun & Bradstreet): 80 is paying on the due date,
/// 70 fifteen days beyond terms, 50 thirty, 40 sixty, 30 ninety, 20 a hundred and twenty, 1 far
/// beyond; above 80 the customer anticipates (pays before the due date).
///
/// The anchors come from the model; between two anchors the index is linear in days, and outside
/// them it stays at the first or last anchor's value. More days beyond terms never raise it.
public struct PaymentIndex: Hashable, Sendable, Codable {
    public var anchors: [ScoringModel.PaymentIndexAnchor]

    /// The index for an amount-weighted average of `daysBeyondTerms` (negative: paid early).
    public func index(daysBeyondTerms days: Double) -> Double {
        guard let first = anchors.first, let last = anchors.last else { return 80 }
        if days <= first.daysBeyondTerms { return first.index }
        if days >= last.daysBeyondTerms { return last.index }
        for (lower, upper) in zip(anchors, anchors.dropFirst()) where days <= upper.daysBeyondTerms {
            let fraction = (days - lower.daysBeyondTerms) / (upper.daysBeyondTerms - lower.daysBeyondTerms)
            return lower.index + fraction * (upper.index - lower.index)
        }
        return last.index
    }
}
