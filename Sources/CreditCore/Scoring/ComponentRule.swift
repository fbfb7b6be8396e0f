/// How one component's measured value becomes an effect on the log-odds of default.
///
/// Two forms, both readable in the model file: a bounded line (`weight`, `reference`, caps), the
/// expert form of the first models, and a step function over bins (`edges`, `effects`), the
/// classic scorecard form that a fitted model uses where the relation is not a line. A missing
/// value never reaches a rule: it counts for nothing.
public enum ComponentRule: Hashable, Sendable {
    case linear(ScoringModel.Transform)
    case bins(ScoringModel.Bins)

    /// The effect of `value`, and whether a cap cut it (bins have no caps).
    public func effect(of value: Double) -> (effect: Double, capped: Bool) {
        switch self {
        case .linear(let transform): transform.effect(of: value)
        case .bins(let bins): (bins.effect(of: value), false)
        }
    }

    /// The bounded line, when the rule is one.
    public var transform: ScoringModel.Transform? {
        if case .linear(let transform) = self { transform } else { nil }
    }

    /// Whether no value moves the risk: a component the model lists but weighs at zero. A
    /// financial one is a candidate that `ModelFitter` weighs on the ledger it fits.
    public var isNeutral: Bool {
        switch self {
        case .linear(let t): t.weight == 0 && t.minEffect == 0 && t.maxEffect == 0
        case .bins(let b): b.effects.allSatisfy { $0 == 0 }
        }
    }

    /// A rule that weighs nothing: how a candidate component enters a fit.
    public static let neutral = ComponentRule.bins(ScoringModel.Bins(edges: [], effects: [0]))

    /// The rule with every effect multiplied by `factor` (what a refit of one weight does).
    public func scaled(by factor: Double) -> ComponentRule {
        switch self {
        case .linear(let t):
            let bounds = [t.minEffect * factor, t.maxEffect * factor]
            return .linear(
                ScoringModel.Transform(
                    weight: t.weight * factor, reference: t.reference, minEffect: bounds.min() ?? 0, maxEffect: bounds.max() ?? 0))
        case .bins(let b):
            return .bins(ScoringModel.Bins(edges: b.edges, effects: b.effects.map { $0 * factor }))
        }
    }
}

extension ScoringModel {
    /// A step function: bin i holds the values above `edges[i − 1]` and at most `edges[i]`; the
    /// last bin holds everything above the last edge. `effects` has one more entry than `edges`.
    public struct Bins: Hashable, Sendable, Codable {
        public var edges: [Double]
        public var effects: [Double]

        /// The index of the bin holding `value`.
        public func bin(of value: Double) -> Int {
            // Edges are few (under 20): a scan reads as the definition does.
            edges.firstIndex { value <= $0 } ?? edges.count
        }

        public func effect(of value: Double) -> Double {
            let index = bin(of: value)
            return index < effects.count ? effects[index] : 0
        }
    }
}

extension ComponentRule: Codable {
    private enum Keys: String, CodingKey {
        case weight, edges
    }

    /// A rule with `edges` is a step function, one with `weight` a bounded line.
    public init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: Keys.self)
        if keys.contains(.edges) {
            self = .bins(try ScoringModel.Bins(from: decoder))
        } else {
            self = .linear(try ScoringModel.Transform(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .linear(let transform): try transform.encode(to: encoder)
        case .bins(let bins): try bins.encode(to: encoder)
        }
    }
}

/// The direction in which a component's value moves the risk: what every rule of a model must
/// respect, so that paying later never improves a grade and more equity never lowers a limit.
public enum RiskDirection: String, Hashable, Sendable, Codable {
    /// More is riskier (days beyond terms, leverage).
    case increasing
    /// More is safer (payment index, equity ratio, interest cover).
    case decreasing
}
