import Foundation
import Testing

@testable import CreditCore

@Suite("Jeffreys interval and the Beta distribution")
struct JeffreysIntervalTests {
    // Reference values: Tests/References/statistics_references.py (scipy.stats.beta.ppf of
    // Beta(d + ½, n − d + ½); lower bound 0 at d = 0 and upper bound 1 at d = n by convention).
    @Test(
        "the interval's bounds are scipy's Beta quantiles",
        arguments: [
            (0, 10, 0.95, 0, 0.217196267509211),
            (10, 10, 0.95, 0.782803732490789, 1),
            (3, 50, 0.95, 0.0171866490711511, 0.15153256302766),
            (1, 1000, 0.95, 0.00010791880468098, 0.00466445880879137),
            (50, 2000, 0.9, 0.0197534313041457, 0.0312604864469875),
            (7, 120, 0.99, 0.0195154253114458, 0.131116567657933),
            (0, 2_400_000, 0.95, 0, 1.04664229893486e-06),
            (61234, 2_400_000, 0.95, 0.025315248581664, 0.0257142291727007),
        ] as [(Int, Int, Double, Double, Double)])
    func scipyQuantiles(defaults: Int, customers: Int, level: Double, lower: Double, upper: Double) throws {
        let interval = try #require(ConfidenceInterval.jeffreys(defaults: defaults, customers: customers, level: level))
        #expect(abs(interval.lower - lower) <= 1e-12 + 1e-9 * lower)
        #expect(abs(interval.upper - upper) <= 1e-12 + 1e-9 * upper)
        #expect(interval.level == level)
    }

    @Test(
        "the regularised incomplete beta is scipy's betainc",
        arguments: [
            (0.5, 0.5, 0.3, 0.369010119565545),
            (2.5, 7.5, 0.2, 0.401238698247192),
            (10.5, 3.5, 0.9, 0.929693001104196),
            (0.5, 2_400_000.5, 1e-6, 0.971540310988662),
            (3.5, 47.5, 0.0001, 6.92462723710337e-10),
        ] as [(Double, Double, Double, Double)])
    func incompleteBeta(alpha: Double, beta: Double, x: Double, expected: Double) throws {
        let distribution = try #require(BetaDistribution(alpha: alpha, beta: beta))
        #expect(abs(distribution.cdf(x) - expected) <= 1e-12 * max(1, expected) + 1e-9 * expected)
    }

    @Test("the quantile inverts the CDF across shapes and tails")
    func quantileInvertsCDF() throws {
        for (alpha, beta) in [(0.5, 0.5), (0.5, 1000.5), (1.5, 3.5), (200.5, 9800.5), (9.5, 0.5), (1, 1)] {
            let distribution = try #require(BetaDistribution(alpha: alpha, beta: beta))
            for p in [1e-10, 0.001, 0.025, 0.5, 0.975, 0.999] {
                let x = distribution.quantile(p)
                #expect(abs(distribution.cdf(x) - p) <= 1e-10 * max(p, 1e-3), "Beta(\(alpha), \(beta)) at \(p)")
            }
        }
        // Beta(1, 1) is uniform: its quantile is p itself.
        #expect(try #require(BetaDistribution(alpha: 1, beta: 1)).quantile(0.3).isClose(to: 0.3, within: 1e-14))
    }

    @Test("a grade is calibrated when its mean PD lies inside the interval of its observed rate")
    func gradeCalibration() throws {
        let grade = try #require(try ModelFile.shipped().grade(code: "5"))
        // 3 defaults in 50: the interval is [0.01719, 0.15153] (scipy, above).
        var row = BacktestReport.GradeRow(grade: grade, customers: 50, defaults: 3, meanPD: 0.02, observedDefaultRate: 0.06)
        #expect(row.isCalibrated() == true)
        row.meanPD = 0.01
        #expect(row.isCalibrated() == false)
        row.meanPD = 0.16
        #expect(row.isCalibrated() == false)
        #expect(row.jeffreysInterval(level: 0.99).map { $0.lower < 0.01719 && $0.upper > 0.15153 } == true)
    }

    @Test("impossible counts and levels give no interval, and nothing traps")
    func degenerate() {
        #expect(ConfidenceInterval.jeffreys(defaults: 0, customers: 0) == nil)
        #expect(ConfidenceInterval.jeffreys(defaults: -1, customers: 10) == nil)
        #expect(ConfidenceInterval.jeffreys(defaults: 11, customers: 10) == nil)
        #expect(ConfidenceInterval.jeffreys(defaults: 1, customers: 10, level: 1) == nil)
        #expect(ConfidenceInterval.jeffreys(defaults: 1, customers: 10, level: .nan) == nil)
        // One customer: d = 0 gives [0, upper], d = 1 gives [lower, 1].
        #expect(ConfidenceInterval.jeffreys(defaults: 0, customers: 1)?.lower == 0)
        #expect(ConfidenceInterval.jeffreys(defaults: 1, customers: 1)?.upper == 1)
        #expect(ConfidenceInterval.jeffreys(defaults: 0, customers: .max).map { $0.upper > 0 && $0.upper < 1e-15 } == true)
        #expect(BetaDistribution(alpha: 0, beta: 1) == nil)
        #expect(BetaDistribution(alpha: 1, beta: .infinity) == nil)
        #expect(BetaDistribution(alpha: 2, beta: 3)?.quantile(0) == 0)
        #expect(BetaDistribution(alpha: 2, beta: 3)?.quantile(1) == 1)
        #expect(BetaDistribution(alpha: 2, beta: 3)?.cdf(.nan) == 0)
    }
}
