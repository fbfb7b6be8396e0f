import Foundation

/// Population stability index: how far a variable's distribution today (actual) has moved from
/// the sample the model was fitted on (expected). PSI = Σ (aᵢ − eᵢ)·ln(aᵢ/eᵢ) over bins of
/// shares; by the usual rule of thumb below 0.1 is stable, 0.1–0.25 worth a look, above 0.25 a
/// shift that calls for a review of the model.
///
/// Bins are cut at the expected sample's quantiles (or at given edges); a bin holds the values
/// above its lower edge and at most its upper one. A missing value (nil or NaN) goes to a bin of
/// its own, present when either sample has one, since a rise in missing values is a shift too.
/// An empty bin's share counts as `epsilon`, so that the logarithm stays finite.
public struct PopulationStability: Sendable, Hashable, Codable {
    public var index: Double
    public var bins: [Bin]

    public struct Bin: Sendable, Hashable, Codable {
        /// Nil: no lower edge (−∞), or the missing-value bin.
        public var lowerEdge: Double?
        /// Nil: no upper edge (+∞), or the missing-value bin.
        public var upperEdge: Double?
        public var isMissing: Bool
        public var expectedCount: Int
        public var actualCount: Int
        /// Share of the expected sample, `epsilon` when empty.
        public var expectedShare: Double
        public var actualShare: Double
        /// (actual − expected)·ln(actual/expected): this bin's part of the index.
        public var contribution: Double
    }

    /// Bins at the expected sample's `bins`-quantiles (fewer when values repeat). Nil when either
    /// sample is empty.
    public init?(expected: [Double?], actual: [Double?], bins: Int = 10, epsilon: Double = 1e-4) {
        self.init(expected: expected, actual: actual, edges: Self.quantileEdges(expected, bins: bins), epsilon: epsilon)
    }

    /// Bins at given edges, which must be finite and strictly increasing (k edges, k + 1 bins).
    /// Nil when either sample is empty, the edges are not so, or epsilon is not in (0, 1).
    public init?(expected: [Double?], actual: [Double?], edges: [Double], epsilon: Double = 1e-4) {
        guard edges.allSatisfy(\.isFinite), zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        self.init(expectedCounts: Self.counts(expected, edges: edges), actual: actual, edges: edges, epsilon: epsilon)
    }

    /// Against a sample kept only as counts (a model file's baseline): `expectedCounts` holds
    /// one count per value bin (k + 1 for k edges) and the missing count last.
    public init?(expectedCounts: [Int], actual: [Double?], edges: [Double], epsilon: Double = 1e-4) {
        let expectedTotal = expectedCounts.reduce(0, +)
        guard expectedCounts.count == edges.count + 2, expectedCounts.allSatisfy({ $0 >= 0 }), expectedTotal > 0,
            !actual.isEmpty, epsilon > 0, epsilon < 1, edges.allSatisfy(\.isFinite),
            zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 })
        else { return nil }
        let actualCounts = Self.counts(actual, edges: edges)
        let hasMissing = expectedCounts[edges.count + 1] > 0 || actualCounts[edges.count + 1] > 0
        var bins: [Bin] = []
        var index = 0.0
        for position in 0..<(edges.count + (hasMissing ? 2 : 1)) {
            let isMissing = position == edges.count + 1
            let e = Self.share(expectedCounts[position], of: expectedTotal, epsilon: epsilon)
            let a = Self.share(actualCounts[position], of: actual.count, epsilon: epsilon)
            let contribution = (a - e) * log(a / e)
            index += contribution
            bins.append(
                Bin(
                    lowerEdge: isMissing || position == 0 ? nil : edges[position - 1],
                    upperEdge: isMissing || position == edges.count ? nil : edges[position], isMissing: isMissing,
                    expectedCount: expectedCounts[position], actualCount: actualCounts[position], expectedShare: e,
                    actualShare: a, contribution: contribution))
        }
        self.index = index
        self.bins = bins
    }

    /// The distinct values at the `bins`-quantiles of the present values (for each k < bins, the
    /// smallest value with at least k/bins of them at or below it), leaving out the largest value,
    /// above which no expected value would fall.
    public static func quantileEdges(_ values: [Double?], bins: Int) -> [Double] {
        let present = values.compactMap { $0 }.filter { !$0.isNaN }.sorted()
        guard let largest = present.last, bins > 1 else { return [] }
        // More bins than values cannot give more distinct edges.
        let bins = min(bins, present.count)
        var edges: [Double] = []
        for k in 1..<max(1, bins) {
            let position = Int((Double(k) * Double(present.count) / Double(bins)).rounded(.up)) - 1
            let edge = present[min(max(0, position), present.count - 1)]
            let previous = edges.last ?? -Double.infinity
            if edge.isFinite, largest > edge, edge > previous { edges.append(edge) }
        }
        return edges
    }

    /// Share of values missing (nil or NaN); nil for an empty sample.
    public static func missingRate(_ values: [Double?]) -> Double? {
        guard !values.isEmpty else { return nil }
        return Double(values.filter { $0.map(\.isNaN) ?? true }.count) / Double(values.count)
    }

    /// Counts per bin: k + 1 value bins, then the missing-value bin.
    public static func counts(_ values: [Double?], edges: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: edges.count + 2)
        for value in values {
            guard let value, !value.isNaN else {
                counts[edges.count + 1] += 1
                continue
            }
            // First edge at or above the value (binary search): the bins are (edgeᵢ₋₁, edgeᵢ].
            var low = 0
            var high = edges.count
            while low < high {
                let middle = (low + high) / 2
                if edges[middle] < value { low = middle + 1 } else { high = middle }
            }
            counts[low] += 1
        }
        return counts
    }

    private static func share(_ count: Int, of total: Int, epsilon: Double) -> Double {
        count == 0 ? epsilon : Double(count) / Double(total)
    }
}
