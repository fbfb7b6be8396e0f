import Foundation
import Testing

@testable import CreditCore

@Suite("Discrimination: AUC, DeLong, KS, ROC")
struct DiscriminationTests {
    /// Two defaulters (0.8, 0.4) and three survivors (0.1, 0.4, 0.2), as in the backtest test.
    static let five = [
        PDOutcome(pd: 0.8, defaulted: true), PDOutcome(pd: 0.4, defaulted: true), PDOutcome(pd: 0.1, defaulted: false),
        PDOutcome(pd: 0.4, defaulted: false), PDOutcome(pd: 0.2, defaulted: false),
    ]

    @Test("AUC, DeLong's standard error and interval, Gini and KS on five customers by hand")
    func handExample() throws {
        let result = try #require(Discrimination(Self.five))
        #expect(result.defaults == 2 && result.survivors == 3 && result.skipped == 0)
        // Placements: defaulter 0.8 is above all 3 survivors → 1; defaulter 0.4 above 0.1 and 0.2,
        // tied with 0.4 → 2.5/3 = 5/6. AUC = (1 + 5/6)/2 = 11/12.
        #expect(result.auc.isClose(to: 11.0 / 12))
        #expect(result.gini.isClose(to: 2 * 11.0 / 12 - 1))
        // Survivors' placements (share of defaulters above, ties half): 0.1 → 1, 0.4 → 1.5/2 = 3/4,
        // 0.2 → 1. S10 = ((1 − 11/12)² + (5/6 − 11/12)²)/1 = 2/144 = 1/72;
        // S01 = ((1/12)² + (−1/6)² + (1/12)²)/2 = (6/144)/2 = 1/48.
        // Var = S10/2 + S01/3 = 1/144 + 1/144 = 1/72; SE = √(1/72) = 0.117851130.
        let error = try #require(result.aucStandardError)
        #expect(error.isClose(to: (1.0 / 72).squareRoot()))
        // 95 %: 11/12 ± 1.959963985 × 0.117851130 = [0.685676, 1.147658], cut at 1.
        let interval = try #require(result.aucInterval)
        #expect(interval.lower.isClose(to: 11.0 / 12 - 1.959963984540054 * (1.0 / 72).squareRoot()))
        #expect(interval.upper == 1 && interval.level == 0.95)
        // KS: shares at or below 0.1, 0.2, 0.4, 0.8 — defaulters 0, 0, 1/2, 1; survivors 1/3, 2/3, 1, 1.
        #expect(result.ks.isClose(to: 2.0 / 3))
    }

    // Reference values: Tests/References/statistics_references.py (scikit-learn's roc_auc_score
    // and roc_curve, scipy's ks_2samp, DeLong from its pairwise definition in O(m·n)).

    @Test("on 300 scores with many ties: scikit-learn's AUC, DeLong by the pairwise definition, scipy's KS")
    func reference() throws {
        let outcomes = StatisticsSamples.scored()
        let result = try #require(Discrimination(outcomes))
        #expect(result.defaults == 83 && result.survivors == 217)
        #expect(result.auc.isClose(to: 0.648742435179, within: 1e-11))
        #expect(try #require(result.aucStandardError).isClose(to: 0.0344043769225, within: 1e-11))
        let interval = try #require(result.aucInterval)
        #expect(interval.lower.isClose(to: 0.5813110955, within: 1e-10))
        #expect(interval.upper.isClose(to: 0.716173774857, within: 1e-10))
        #expect(result.ks.isClose(to: 0.259230470268, within: 1e-11))
        #expect(Discrimination.rocCurve(outcomes, maximumPoints: 1000).count == 99)
    }

    @Test("the area under the full ROC curve, by trapezoids, is the AUC")
    func rocAreaIsAUC() throws {
        let outcomes = StatisticsSamples.scored()
        let curve = Discrimination.rocCurve(outcomes, maximumPoints: .max)
        let area = zip(curve, curve.dropFirst()).reduce(0.0) {
            $0 + ($1.1.falsePositiveRate - $1.0.falsePositiveRate) * ($1.0.truePositiveRate + $1.1.truePositiveRate) / 2
        }
        #expect(area.isClose(to: try #require(Discrimination(outcomes)).auc, within: 1e-12))
    }

    @Test("ROC points: from (0, 0) to (1, 1), never falling, thinned to the number asked")
    func rocThinning() throws {
        let five = Discrimination.rocCurve(Self.five)
        // Thresholds 0.8, 0.4, 0.2, 0.1: (0, ½), (⅓, 1), (⅔, 1), (1, 1).
        let falsePositiveRates: [Double] = [0, 0, 1.0 / 3, 2.0 / 3, 1]
        let truePositiveRates: [Double] = [0, 0.5, 1, 1, 1]
        let thresholds: [Double] = [.infinity, 0.8, 0.4, 0.2, 0.1]
        #expect(five.map(\.falsePositiveRate) == falsePositiveRates)
        #expect(five.map(\.truePositiveRate) == truePositiveRates)
        #expect(five.map(\.threshold) == thresholds)

        let outcomes = StatisticsSamples.scored()
        for limit in [2, 3, 10, 50] {
            let curve = Discrimination.rocCurve(outcomes, maximumPoints: limit)
            #expect(curve.count <= limit && curve.count >= 2)
            #expect(curve.first?.falsePositiveRate == 0 && curve.first?.truePositiveRate == 0)
            #expect(curve.last?.falsePositiveRate == 1 && curve.last?.truePositiveRate == 1)
            #expect(
                zip(curve, curve.dropFirst()).allSatisfy {
                    $0.truePositiveRate <= $1.truePositiveRate && $0.falsePositiveRate <= $1.falsePositiveRate
                })
        }
        #expect(Discrimination.rocCurve(outcomes, maximumPoints: 10).count == 10)
    }

    @Test("no ranking without both outcomes; one of each ranks without a standard error")
    func degenerate() throws {
        #expect(Discrimination([]) == nil)
        #expect(Discrimination([PDOutcome(pd: 0.1, defaulted: false), PDOutcome(pd: 0.2, defaulted: false)]) == nil)
        #expect(Discrimination.rocCurve([PDOutcome(pd: 0.1, defaulted: true)]).isEmpty)
        let pair = try #require(Discrimination([PDOutcome(pd: 0.3, defaulted: true), PDOutcome(pd: 0.1, defaulted: false)]))
        #expect(pair.auc == 1 && pair.ks == 1 && pair.aucStandardError == nil && pair.aucInterval == nil)
        let tied = try #require(Discrimination([PDOutcome(pd: 0.2, defaulted: true), PDOutcome(pd: 0.2, defaulted: false)]))
        #expect(tied.auc == 0.5 && tied.ks == 0)
        #expect(Discrimination(Self.five, level: 1) == nil)
    }

    @Test("NaN and infinite PDs are skipped and counted, the rest ranked as without them")
    func nonFiniteSkipped() throws {
        let dirty = Self.five + [PDOutcome(pd: .nan, defaulted: true), PDOutcome(pd: .infinity, defaulted: false)]
        let result = try #require(Discrimination(dirty))
        #expect(result.skipped == 2)
        #expect(result.auc.isClose(to: 11.0 / 12))
        #expect(Discrimination.rocCurve(dirty) == Discrimination.rocCurve(Self.five))
    }

    @Test(
        "the normal quantile behind the interval is scipy's norm.ppf",
        arguments: [
            (0.975, 1.959963984540054), (0.995, 2.5758293035489004), (0.001, -3.090232306167813), (1e-10, -6.361340902404056),
            (0.5, 0), (0.3, -0.5244005127080409),
        ] as [(Double, Double)])
    func normalQuantile(probability: Double, expected: Double) {
        #expect(StandardNormal.quantile(probability).isClose(to: expected, within: 1e-13 * max(1, abs(expected))))
    }

    @Test("the backtest's AUC, Gini and KS are the toolkit's")
    func backtestAgrees() throws {
        let grade = try #require(try ModelFile.shipped().grade(code: "5"))
        let outcomes = StatisticsSamples.scored()
        let report = Backtest.evaluate(predictions: outcomes.map { BacktestPrediction(pd: $0.pd, defaulted: $0.defaulted, grade: grade) })
        let result = try #require(Discrimination(outcomes))
        #expect(report.auc == result.auc && report.gini == result.gini && report.ks == result.ks)
    }
}
