import Foundation
import Testing

@testable import CreditCore

@Suite("Population stability and missing rates")
struct PopulationStabilityTests {
    static let oneToTen: [Double?] = (1...10).map { Double($0) }

    @Test("identical samples do not move: PSI 0")
    func identical() throws {
        let values: [Double?] = (0..<1000).map { Double(($0 * 7919) % 1000) / 10 } + [nil, .nan]
        let stability = try #require(PopulationStability(expected: values, actual: values))
        #expect(stability.index == 0)
        #expect(stability.bins.count == 11)  // ten deciles and the missing values
        #expect(stability.bins.dropLast().allSatisfy { $0.expectedCount == 100 })
    }

    @Test("a shifted sample, by hand")
    func shifted() throws {
        // Expected 1…10 in five bins: quantile edges 2, 4, 6, 8, each bin a share of 0.2.
        // Actual 3…12: (−∞, 2] none (ε = 0.0001), (2, 4] 3 4, (4, 6] 5 6, (6, 8] 7 8, (8, ∞) 9…12 (0.4).
        // PSI = (0.0001 − 0.2)·ln(0.0001/0.2) + 3·0 + (0.4 − 0.2)·ln 2 = 1.519420 + 0.138629 = 1.658050.
        let actual: [Double?] = (3...12).map { Double($0) }
        let stability = try #require(PopulationStability(expected: Self.oneToTen, actual: actual, bins: 5))
        #expect(stability.bins.map(\.upperEdge) == [2, 4, 6, 8, nil])
        #expect(stability.bins.map(\.actualCount) == [0, 2, 2, 2, 4])
        #expect(stability.bins[0].actualShare == 0.0001)
        #expect(stability.index.isClose(to: (0.0001 - 0.2) * log(0.0001 / 0.2) + 0.2 * log(2.0)))
        #expect(stability.index.isClose(to: 1.658050, within: 1e-6))
    }

    @Test("missing values have their own bin: a rise in them is a shift")
    func missingBin() throws {
        // Actual: 1…8 and two missing. Bins (−∞,2]…(6,8] 0.2 each as expected; (8, ∞) 0 → ε; missing
        // 0.2 against ε. PSI = 2 × (0.2 − 0.0001)·ln(0.2/0.0001) = 2 × 0.1999 × 7.600902 = 3.038841.
        let actual: [Double?] = (1...8).map { Double($0) } + [nil, .nan]
        let stability = try #require(PopulationStability(expected: Self.oneToTen, actual: actual, bins: 5))
        #expect(stability.bins.count == 6 && stability.bins[5].isMissing && stability.bins[5].actualCount == 2)
        #expect(stability.index.isClose(to: 2 * (0.2 - 0.0001) * log(0.2 / 0.0001)))
        #expect(stability.index.isClose(to: 3.038841, within: 1e-6))
    }

    @Test("given edges are used as they are; a value on an edge belongs to the bin below")
    func givenEdges() throws {
        // Edges 5: (−∞, 5] holds 1…5 (0.5), (5, ∞) 6…10 (0.5). Actual 5, 5, 5, 6: 0.75 and 0.25.
        // PSI = 0.25·ln 1.5 + (−0.25)·ln 0.5 = 0.101366 + 0.173287 = 0.274653.
        let stability = try #require(PopulationStability(expected: Self.oneToTen, actual: [5, 5, 5, 6], edges: [5]))
        #expect(stability.bins.map(\.actualCount) == [3, 1])
        #expect(stability.index.isClose(to: 0.25 * log(1.5) - 0.25 * log(0.5)))
        #expect(PopulationStability(expected: Self.oneToTen, actual: Self.oneToTen, edges: [5, 5]) == nil)
        #expect(PopulationStability(expected: Self.oneToTen, actual: Self.oneToTen, edges: [.nan]) == nil)
    }

    @Test("quantile edges skip repeated values: a flag gets two bins, a constant one")
    func repeatedValues() throws {
        let flag: [Double?] = (0..<100).map { $0 < 90 ? 0 : 1 }
        #expect(PopulationStability.quantileEdges(flag, bins: 10) == [0])
        let constant: [Double?] = Array(repeating: 3, count: 50)
        #expect(PopulationStability.quantileEdges(constant, bins: 10).isEmpty)
        let stability = try #require(PopulationStability(expected: constant, actual: constant))
        #expect(stability.bins.count == 1 && stability.index == 0)
    }

    @Test("the missing rate counts nil and NaN")
    func missingRate() {
        #expect(PopulationStability.missingRate([1, nil, .nan, 4]) == 0.5)
        #expect(PopulationStability.missingRate([1, 2]) == 0)
        #expect(PopulationStability.missingRate([]) == nil)
    }

    @Test("empty samples and bad options give nothing, and nothing traps")
    func degenerate() {
        #expect(PopulationStability(expected: [], actual: [1]) == nil)
        #expect(PopulationStability(expected: [1], actual: []) == nil)
        #expect(PopulationStability(expected: [1], actual: [1], epsilon: 0) == nil)
        #expect(PopulationStability(expected: [nil, nil], actual: [1, 2])?.bins.count == 2)
        #expect(PopulationStability(expected: [.infinity, -.infinity, 1], actual: [1e308], bins: .max) != nil)
        #expect(PopulationStability.quantileEdges([1, 2, 3], bins: .min).isEmpty)
    }
}
