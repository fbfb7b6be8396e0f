/// One prediction set against what happened: the PD given at the start of the horizon and
/// whether the customer defaulted within it. The unit of every validation figure (AUC, KS,
/// Brier, calibration); taking pairs rather than two arrays means their lengths cannot disagree.
public struct PDOutcome: Sendable, Hashable, Codable {
    /// The PD; for discrimination alone, any score that rises with risk will do, as only its
    /// order counts.
    public var pd: Double
    public var defaulted: Bool

    public init(pd: Double, defaulted: Bool) {
        self.pd = pd
        self.defaulted = defaulted
    }
}

/// A two-sided interval for an estimate at a stated confidence level.
public struct ConfidenceInterval: Sendable, Hashable, Codable {
    public var lower: Double
    public var upper: Double
    /// For example 0.95.
    public var level: Double

    /// Whether `value` lies inside, bounds included.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}
