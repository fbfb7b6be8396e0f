import Foundation
import Testing

@testable import CreditCore

@Suite("Calibration: Brier, recalibration, calibration curve")
struct CalibrationTests {
    /// Ten customers at PD 0.1 with 2 defaults, ten at PD 0.3 with 5.
    static let twoLevels: [PDOutcome] =
        (0..<10).map { PDOutcome(pd: 0.1, defaulted: $0 < 2) } + (0..<10).map { PDOutcome(pd: 0.3, defaulted: $0 < 5) }

    @Test("Brier score by hand")
    func brier() throws {
        // (0.9² + 0.6² + 0.1² + 0.4² + 0.2²)/5 = (0.81 + 0.36 + 0.01 + 0.16 + 0.04)/5 = 1.38/5 = 0.276
        let outcomes = [
            PDOutcome(pd: 0.1, defaulted: true), PDOutcome(pd: 0.4, defaulted: true), PDOutcome(pd: 0.1, defaulted: false),
            PDOutcome(pd: 0.4, defaulted: false), PDOutcome(pd: 0.2, defaulted: false),
        ]
        #expect(try #require(Calibration.brierScore(outcomes)).isClose(to: 0.276))
        // Outside [0, 1] or not a number: skipped.
        let dirty = outcomes + [PDOutcome(pd: 1.5, defaulted: true), PDOutcome(pd: .nan, defaulted: false)]
        #expect(try #require(Calibration.brierScore(dirty)).isClose(to: 0.276))
        #expect(Calibration.brierScore([]) == nil)
    }

    @Test("two PD levels: the recalibration line passes through both observed rates")
    func recalibrationByHand() throws {
        // Two points, two parameters: a + b·logit(0.1) = logit(0.2) and a + b·logit(0.3) = logit(0.5) = 0.
        // b = −logit(0.2) / (logit(0.3) − logit(0.1)) = ln 4 / (ln(3/7) + ln 9) = 1.386294 / 1.349927 = 1.026941;
        // a = −b·logit(0.3) = b·ln(7/3) = 0.870113.
        let slope = log(4.0) / (log(3.0 / 7) + log(9.0))
        let result = try Calibration.recalibration(Self.twoLevels)
        #expect(result.slope.isClose(to: slope, within: 1e-9))
        #expect(result.intercept.isClose(to: slope * log(7.0 / 3), within: 1e-9))
        #expect(result.pd(recalibrating: 0.1).isClose(to: 0.2, within: 1e-9))
        #expect(result.customers == 20 && result.skipped == 0)
    }

    @Test("calibration in the large: one shift of log-odds, by hand")
    func inTheLargeByHand() throws {
        // All PDs 0.1, 2 defaults in 10: a = logit(0.2) − logit(0.1) = ln(1/4) − ln(1/9) = ln 2.25 = 0.810930.
        let outcomes = (0..<10).map { PDOutcome(pd: 0.1, defaulted: $0 < 2) }
        let result = try Calibration.calibrationInTheLarge(outcomes)
        #expect(result.intercept.isClose(to: log(2.25), within: 1e-9))
        #expect(result.meanPD.isClose(to: 0.1) && result.observedDefaultRate == 0.2)
        #expect(result.pd(recalibrating: 0.1).isClose(to: 0.2, within: 1e-9))
        // Its standard error is that of a log-odds from 2 defaults and 8 survivors: √(1/2 + 1/8).
        #expect(try #require(result.standardError).isClose(to: (0.5 + 0.125).squareRoot(), within: 1e-9))
    }

    // Reference values: Tests/References/statistics_references.py (statsmodels' GLM on logit(PD)).

    @Test("recalibration and calibration in the large on 300 outcomes: statsmodels' estimates")
    func reference() throws {
        let outcomes = StatisticsSamples.scored().map { PDOutcome(pd: 0.01 + 0.5 * $0.pd, defaulted: $0.defaulted) }
        let line = try Calibration.recalibration(outcomes)
        #expect(line.intercept.isClose(to: -0.288697915514, within: 1e-8))
        #expect(line.slope.isClose(to: 0.64320071905, within: 1e-8))
        #expect(try #require(line.interceptStandardError).isClose(to: 0.202795830348, within: 1e-8))
        #expect(try #require(line.slopeStandardError).isClose(to: 0.169141104973, within: 1e-8))
        let large = try Calibration.calibrationInTheLarge(outcomes)
        #expect(large.intercept.isClose(to: 0.0137703062431, within: 1e-8))
        #expect(try #require(large.standardError).isClose(to: 0.136254042643, within: 1e-8))
        #expect(try #require(Calibration.brierScore(outcomes)).isClose(to: 0.190490333333, within: 1e-11))
    }

    @Test("calibration curve: equal-count bins of PD that never split equal PDs")
    func curve() throws {
        let bins = Calibration.curve(Self.twoLevels, bins: 2)
        #expect(bins.count == 2)
        #expect(bins[0].customers == 10 && bins[0].defaults == 2 && bins[0].meanPD.isClose(to: 0.1) && bins[0].observedDefaultRate == 0.2)
        #expect(bins[1].customers == 10 && bins[1].defaults == 5 && bins[1].meanPD.isClose(to: 0.3) && bins[1].observedDefaultRate == 0.5)
        // Asked for 3 bins, the ten customers at 0.1 stay together: the first cut (at 7) moves to 10,
        // the second (at 13) falls among the 0.3s, which stay together too.
        #expect(Calibration.curve(Self.twoLevels, bins: 3).map(\.customers) == [10, 10])
        // 300 outcomes in 10 bins: every customer counted once, mean PDs rising.
        let scored = Calibration.curve(StatisticsSamples.scored(), bins: 10)
        #expect(scored.reduce(0) { $0 + $1.customers } == 300)
        #expect(zip(scored, scored.dropFirst()).allSatisfy { $0.meanPD < $1.meanPD && $0.upperPD < $1.lowerPD })
        #expect(Calibration.curve([]).isEmpty)
    }

    @Test("degenerate samples are refused by the fit, not trapped")
    func degenerate() {
        #expect(throws: LogisticFitError.emptySample) { try Calibration.recalibration([]) }
        #expect(throws: LogisticFitError.emptySample) { try Calibration.calibrationInTheLarge([PDOutcome(pd: .nan, defaulted: true)]) }
        #expect(throws: LogisticFitError.singleOutcome(defaulted: false)) {
            try Calibration.recalibration((0..<5).map { PDOutcome(pd: Double($0) / 10, defaulted: false) })
        }
        // Every PD the same: no slope to fit.
        #expect(throws: LogisticFitError.collinear(column: 0)) {
            try Calibration.recalibration(Self.twoLevels.map { PDOutcome(pd: 0.2, defaulted: $0.defaulted) })
        }
        // PDs of exactly 0 and 1 are held inside (1e-12, 1 − 1e-12) and fit.
        let extremes = [
            PDOutcome(pd: 0, defaulted: false), PDOutcome(pd: 1, defaulted: true), PDOutcome(pd: 0.5, defaulted: true),
            PDOutcome(pd: 0.5, defaulted: false),
        ]
        #expect((try? Calibration.calibrationInTheLarge(extremes)) != nil)
    }
}
