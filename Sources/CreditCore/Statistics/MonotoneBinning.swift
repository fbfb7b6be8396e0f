import Foundation

/// Bins of a scorecard variable whose default rate only rises (or only falls) from one bin to
/// the next, with the weight of evidence of each: the classic way to turn a raw value into a
/// scorecard effect that a credit manager can read and that never reverses the stated direction.
///
/// Values are first cut into equal-frequency pre-bins (never splitting equal values), then
/// adjacent bins that break the direction are merged (pool-adjacent-violators) until the default
/// rate is strictly monotone. Missing values (nil or NaN) are skipped and counted.
public struct MonotoneBinning: Sendable, Hashable, Codable {
    /// How the default rate moves as the value grows.
    public enum Direction: String, Sendable, Hashable, Codable {
        /// Days beyond terms: more is riskier.
        case increasing
        /// Altman Z'': more is safer.
        case decreasing
    }

    public struct Bin: Sendable, Hashable, Codable {
        /// The smallest and largest value seen in the bin.
        public var lowestValue: Double
        public var highestValue: Double
        public var customers: Int
        public var defaults: Int
        public var defaultRate: Double
        /// ln(share of all survivors in the bin / share of all defaulters in the bin), with ½ added
        /// to an empty count: positive means safer than the sample as a whole.
        public var weightOfEvidence: Double
    }

    public var direction: Direction
    /// Upper edges of every bin but the last: bin i holds the values above edge i − 1 and at most edge i.
    public var edges: [Double]
    public var bins: [Bin]
    public var skipped: Int

    /// Nil when the arrays differ in length, `preBins` < 1, or the values present do not include
    /// both a defaulter and a survivor (no weight of evidence without both).
    public init?(values: [Double?], defaulted: [Bool], direction: Direction, preBins: Int = 20) {
        guard values.count == defaulted.count, preBins >= 1 else { return nil }
        var present: [(value: Double, defaulted: Bool)] = []
        present.reserveCapacity(values.count)
        for (value, outcome) in zip(values, defaulted) {
            if let value, !value.isNaN { present.append((value, outcome)) }
        }
        present.sort { $0.value < $1.value }
        let totalDefaults = present.filter(\.defaulted).count
        let totalSurvivors = present.count - totalDefaults
        guard totalDefaults > 0, totalSurvivors > 0 else { return nil }

        struct Pool {
            var lowest: Double
            var highest: Double
            var customers: Int
            var defaults: Int
        }
        // The direction is broken when the rate does not strictly rise (or fall); compared by
        // cross-multiplication, so that equal rates are seen as equal.
        func breaks(_ left: Pool, _ right: Pool) -> Bool {
            let leftRate = Double(left.defaults) * Double(right.customers)
            let rightRate = Double(right.defaults) * Double(left.customers)
            return direction == .increasing ? leftRate >= rightRate : leftRate <= rightRate
        }
        var pools: [Pool] = []
        for range in quantileGroups(count: present.count, groups: preBins, tiedWithPrevious: { present[$0].value == present[$0 - 1].value }) {
            var next = Pool(
                lowest: present[range.lowerBound].value, highest: present[range.upperBound - 1].value, customers: range.count,
                defaults: present[range].filter(\.defaulted).count)
            while let last = pools.last, breaks(last, next) {
                pools.removeLast()
                next = Pool(
                    lowest: last.lowest, highest: next.highest, customers: last.customers + next.customers,
                    defaults: last.defaults + next.defaults)
            }
            pools.append(next)
        }

        self.direction = direction
        self.skipped = values.count - present.count
        self.edges = pools.dropLast().map(\.highest)
        self.bins = pools.map { pool in
            let survivors = pool.customers - pool.defaults
            let goodShare = max(Double(survivors), 0.5) / Double(totalSurvivors)
            let badShare = max(Double(pool.defaults), 0.5) / Double(totalDefaults)
            return Bin(
                lowestValue: pool.lowest, highestValue: pool.highest, customers: pool.customers, defaults: pool.defaults,
                defaultRate: Double(pool.defaults) / Double(pool.customers), weightOfEvidence: log(goodShare / badShare))
        }
    }

    /// The bin a new value falls in (NaN: none).
    public func bin(for value: Double) -> Int? {
        guard !value.isNaN else { return nil }
        return edges.firstIndex { value <= $0 } ?? edges.count
    }
}
