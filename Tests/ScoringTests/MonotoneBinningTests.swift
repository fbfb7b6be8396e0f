import Foundation
import Testing

@testable import CreditCore

@Suite("Monotone binning")
struct MonotoneBinningTests {
    /// Values 1…12; pre-bins of two with 0, 1, 0, 1, 1, 2 defaults.
    static let values: [Double?] = (1...12).map { Double($0) }
    static let defaulted = [false, false, true, false, false, false, true, false, true, false, true, true]

    @Test("adjacent pre-bins that break the direction are pooled, by hand")
    func poolsViolators() throws {
        // Pre-bin rates 0, ½, 0, ½, ½, 1. Increasing: ½ then 0 pools into 1/4; ½ then ½ pools into 2/4.
        // Bins: 1–2 (0/2), 3–6 (1/4), 7–10 (2/4), 11–12 (2/2).
        let binning = try #require(MonotoneBinning(values: Self.values, defaulted: Self.defaulted, direction: .increasing, preBins: 6))
        #expect(binning.edges == [2, 6, 10])
        #expect(binning.bins.map(\.customers) == [2, 4, 4, 2])
        #expect(binning.bins.map(\.defaults) == [0, 1, 2, 2])
        #expect(binning.bins.map(\.defaultRate) == [0, 0.25, 0.5, 1])
        // WoE = ln((survivors/7)/(defaults/5)), ½ for an empty count:
        // ln((2/7)/(0.5/5)) = 1.049822, ln((3/7)/(1/5)) = 0.762140, ln((2/7)/(2/5)) = −0.336472,
        // ln((0.5/7)/(2/5)) = −1.722767.
        let expected = [log((2.0 / 7) / (0.5 / 5)), log((3.0 / 7) / (1.0 / 5)), log((2.0 / 7) / (2.0 / 5)), log((0.5 / 7) / (2.0 / 5))]
        for (bin, woe) in zip(binning.bins, expected) { #expect(bin.weightOfEvidence.isClose(to: woe)) }
        #expect(binning.bins[0].weightOfEvidence.isClose(to: 1.049822, within: 1e-6))
        #expect(binning.bin(for: 2) == 0 && binning.bin(for: 2.5) == 1 && binning.bin(for: 100) == 3 && binning.bin(for: .nan) == nil)
    }

    @Test("a variable whose risk rises cannot be made to fall: asked for decreasing, it pools into one bin")
    func wrongDirection() throws {
        let binning = try #require(MonotoneBinning(values: Self.values, defaulted: Self.defaulted, direction: .decreasing, preBins: 6))
        #expect(binning.bins.count == 1 && binning.edges.isEmpty)
        #expect(binning.bins[0].customers == 12 && binning.bins[0].weightOfEvidence.isClose(to: 0))
    }

    @Test("the default rate is strictly monotone in the asked direction")
    func monotone() throws {
        let outcomes = StatisticsSamples.scored()
        let rising = try #require(MonotoneBinning(values: outcomes.map(\.pd), defaulted: outcomes.map(\.defaulted), direction: .increasing))
        #expect(rising.bins.count >= 2)
        #expect(zip(rising.bins, rising.bins.dropFirst()).allSatisfy { $0.defaultRate < $1.defaultRate })
        #expect(zip(rising.bins, rising.bins.dropFirst()).allSatisfy { $0.weightOfEvidence > $1.weightOfEvidence })
        #expect(rising.bins.reduce(0) { $0 + $1.customers } == 300)
        let falling = try #require(
            MonotoneBinning(values: outcomes.map { -$0.pd }, defaulted: outcomes.map(\.defaulted), direction: .decreasing))
        #expect(zip(falling.bins, falling.bins.dropFirst()).allSatisfy { $0.defaultRate > $1.defaultRate })
    }

    @Test("missing values are skipped; one outcome only or mismatched arrays give nothing")
    func degenerate() throws {
        let withMissing = try #require(
            MonotoneBinning(values: Self.values + [nil, .nan], defaulted: Self.defaulted + [true, true], direction: .increasing, preBins: 6))
        #expect(withMissing.skipped == 2 && withMissing.bins.map(\.customers) == [2, 4, 4, 2])
        #expect(MonotoneBinning(values: [1, 2, 3], defaulted: [false, false, false], direction: .increasing) == nil)
        #expect(MonotoneBinning(values: [1, 2], defaulted: [true], direction: .increasing) == nil)
        #expect(MonotoneBinning(values: [], defaulted: [], direction: .increasing) == nil)
        #expect(MonotoneBinning(values: [1, 2], defaulted: [true, false], direction: .increasing, preBins: 0) == nil)
        let one = try #require(MonotoneBinning(values: [5, 5], defaulted: [true, false], direction: .increasing, preBins: .max))
        #expect(one.bins.count == 1)
    }
}
