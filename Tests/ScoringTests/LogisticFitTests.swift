import Foundation
import Testing

@testable import CreditCore

/// A 2×2 table: 8 customers with the flag off, 2 of them defaulted; 5 with it on, 3 defaulted.
private let tableRows: [[Double]] = Array(repeating: [0], count: 8) + Array(repeating: [1], count: 5)
private let tableDefaults: [Bool] = [true, true] + Array(repeating: false, count: 6) + [true, true, true, false, false]
/// The MLE of a saturated model reproduces each cell's log-odds:
/// flag off: p₀ = 2/8 = 0.25, logit = ln(1/3) = −1.098612289;
/// flag on: p₁ = 3/5 = 0.6, logit = ln(1.5) = 0.405465108; slope = ln(1.5) − ln(1/3) = ln(4.5) = 1.504077397.
private let interceptByHand = log(1.0 / 3)
private let slopeByHand = log(4.5)
/// Woolf's variances of log-odds from the cell counts (defaults, survivors):
/// intercept 1/2 + 1/6 = 2/3; slope 1/2 + 1/6 + 1/3 + 1/2 = 3/2.
private let interceptErrorByHand = (2.0 / 3).squareRoot()
private let slopeErrorByHand = 1.5.squareRoot()
/// ℓ = 2 ln 0.25 + 6 ln 0.75 + 3 ln 0.6 + 2 ln 0.4 = −7.863739490.
private let logLikelihoodByHand = 2 * log(0.25) + 6 * log(0.75) + 3 * log(0.6) + 2 * log(0.4)

@Suite("Logistic regression")
struct LogisticFitTests {
    /// Each value within `tolerance` of the reference at its place (a reference program's output).
    static func expectClose(
        _ values: [Double], to references: [Double], within tolerance: Double, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for (value, expected) in zip(values, references) {
            #expect(value.isClose(to: expected, within: tolerance), sourceLocation: sourceLocation)
        }
    }

    @Test("one binary feature, no penalty: intercept and slope are the 2×2 table's log-odds")
    func twoByTwoTable() throws {
        let fit = try LogisticRegression().fit(LogisticSample(rows: tableRows, defaulted: tableDefaults))
        #expect(fit.converged)
        #expect(fit.intercept.isClose(to: interceptByHand, within: 1e-9))
        #expect(fit.coefficients[0].isClose(to: slopeByHand, within: 1e-9))
        #expect(try #require(fit.interceptStandardError).isClose(to: interceptErrorByHand, within: 1e-9))
        #expect(try #require(fit.standardErrors[0]).isClose(to: slopeErrorByHand, within: 1e-9))
        #expect(fit.logLikelihood.isClose(to: logLikelihoodByHand, within: 1e-9))
        #expect(fit.penalizedLogLikelihood == fit.logLikelihood)
        #expect(fit.heldAtZero == [false])
        #expect(fit.pd([1]).isClose(to: 0.6, within: 1e-9))
    }

    @Test("an offset shifts the log-odds it explains out of the intercept and slope")
    func offsets() throws {
        // A constant offset 0.5: the intercept gives back 0.5, the slope is unchanged.
        let constant = try LogisticRegression().fit(
            LogisticSample(rows: tableRows, defaulted: tableDefaults, offsets: Array(repeating: 0.5, count: 13)))
        #expect(constant.intercept.isClose(to: interceptByHand - 0.5, within: 1e-9))
        #expect(constant.coefficients[0].isClose(to: slopeByHand, within: 1e-9))
        // Offset 0.3 with the flag off, −0.2 with it on: intercept + 0.3 = ln(1/3) and
        // intercept + slope − 0.2 = ln(1.5), so slope = ln(4.5) + 0.5.
        let byGroup = try LogisticRegression().fit(
            LogisticSample(
                rows: tableRows, defaulted: tableDefaults,
                offsets: Array(repeating: 0.3, count: 8) + Array(repeating: -0.2, count: 5)))
        #expect(byGroup.intercept.isClose(to: interceptByHand - 0.3, within: 1e-9))
        #expect(byGroup.coefficients[0].isClose(to: slopeByHand + 0.5, within: 1e-9))
        #expect(byGroup.logLikelihood.isClose(to: logLikelihoodByHand, within: 1e-9))
    }

    @Test("a row of weight k counts as k identical rows")
    func weightsAreDuplicates() throws {
        // The 2×2 table as its four cells weighted by their counts: (0, default) 2, (0, survivor) 6,
        // (1, default) 3, (1, survivor) 2.
        let weighted = try LogisticRegression().fit(
            LogisticSample(rows: [[0], [0], [1], [1]], defaulted: [true, false, true, false], weights: [2, 6, 3, 2]))
        #expect(weighted.intercept.isClose(to: interceptByHand, within: 1e-9))
        #expect(weighted.coefficients[0].isClose(to: slopeByHand, within: 1e-9))
        #expect(try #require(weighted.interceptStandardError).isClose(to: interceptErrorByHand, within: 1e-9))
        #expect(try #require(weighted.standardErrors[0]).isClose(to: slopeErrorByHand, within: 1e-9))
        #expect(weighted.logLikelihood.isClose(to: logLikelihoodByHand, within: 1e-9))

        // The same on the reference sample: each row repeated as often as its weight.
        let credit = StatisticsSamples.credit()
        var features: [Double] = []
        var defaulted: [Bool] = []
        var offsets: [Double] = []
        for row in 0..<credit.defaulted.count {
            for _ in 0..<Int(credit.weights[row]) {
                features += credit.features[(row * 4)..<(row * 4 + 4)]
                defaulted.append(credit.defaulted[row])
                offsets.append(credit.offsets[row])
            }
        }
        let regression = LogisticRegression(ridge: 2)
        let byWeight = try regression.fit(
            LogisticSample(
                features: credit.features, columnCount: 4, defaulted: credit.defaulted, weights: credit.weights,
                offsets: credit.offsets))
        let byRepeat = try regression.fit(LogisticSample(features: features, columnCount: 4, defaulted: defaulted, offsets: offsets))
        for (left, right) in zip([byWeight.intercept] + byWeight.coefficients, [byRepeat.intercept] + byRepeat.coefficients) {
            #expect(left.isClose(to: right, within: 1e-9))
        }
        for (left, right) in zip(byWeight.standardErrors, byRepeat.standardErrors) {
            #expect(try #require(left).isClose(to: try #require(right), within: 1e-9))
        }
    }

    @Test("many rows, summed in parallel chunks, give the hand answer and the same bits every run")
    func largeSampleInChunks() throws {
        // The 2×2 table repeated 3 000 times: 39 000 rows, three chunks; the MLE is unchanged.
        let rows = Array([[[Double]]](repeating: tableRows, count: 3000).joined())
        let defaulted = Array([[Bool]](repeating: tableDefaults, count: 3000).joined())
        let sample = try LogisticSample(rows: rows, defaulted: defaulted)
        let fit = try LogisticRegression().fit(sample)
        #expect(fit.intercept.isClose(to: interceptByHand, within: 1e-9))
        #expect(fit.coefficients[0].isClose(to: slopeByHand, within: 1e-9))
        // Standard errors shrink with √3000.
        #expect(try #require(fit.standardErrors[0]).isClose(to: slopeErrorByHand / 3000.0.squareRoot(), within: 1e-9))
        #expect(try LogisticRegression().fit(sample) == fit)
    }

    @Test("without an intercept, a column of ones plays its part")
    func withoutIntercept() throws {
        // 13 customers, 5 defaults: the coefficient is logit(5/13) = ln(5/8) = −0.470003629.
        let fit = try LogisticRegression(fitsIntercept: false).fit(
            LogisticSample(rows: Array(repeating: [1], count: 13), defaulted: tableDefaults))
        #expect(fit.intercept == 0 && fit.interceptStandardError == nil)
        #expect(fit.coefficients[0].isClose(to: log(5.0 / 8), within: 1e-9))
    }

    // Reference values: Tests/References/statistics_references.py (statsmodels 0.15.0, scipy 1.17.1).

    @Test("no penalty, with offsets and weights: statsmodels' GLM estimates and standard errors")
    func referenceUnpenalised() throws {
        let credit = StatisticsSamples.credit()
        let fit = try LogisticRegression().fit(
            LogisticSample(
                features: credit.features, columnCount: 4, defaulted: credit.defaulted, weights: credit.weights,
                offsets: credit.offsets))
        #expect(fit.converged)
        let estimates = [-0.0488995507187, 0.895753278301, 0.495513204095, 0.059513403963, -0.624149208709]
        let errors = [0.188839415096, 0.117798210125, 0.179710042286, 0.0288520507787, 0.150477518101]
        Self.expectClose([fit.intercept] + fit.coefficients, to: estimates, within: 1e-7)
        Self.expectClose(try ([fit.interceptStandardError] + fit.standardErrors).map { try #require($0) }, to: errors, within: 1e-7)
        #expect(fit.logLikelihood.isClose(to: -424.611841373, within: 1e-6))
    }

    @Test("ridge 5 with weights: scipy's optimum of the penalised likelihood (and scikit-learn's with C = 1/5)")
    func referenceRidge() throws {
        let credit = StatisticsSamples.credit()
        let fit = try LogisticRegression(ridge: 5).fit(
            LogisticSample(features: credit.features, columnCount: 4, defaulted: credit.defaulted, weights: credit.weights))
        #expect(fit.converged)
        let estimates = [-1.859390819, 0.679149815905, 0.326357639164, 0.0587985739549, -0.385741871242]
        let errors = [0.179385777407, 0.104117429927, 0.161583876164, 0.0278773708348, 0.134253985591]
        Self.expectClose([fit.intercept] + fit.coefficients, to: estimates, within: 1e-6)
        Self.expectClose(try ([fit.interceptStandardError] + fit.standardErrors).map { try #require($0) }, to: errors, within: 1e-6)
        #expect(fit.logLikelihood.isClose(to: -468.28329935, within: 1e-6))
        #expect(fit.penalizedLogLikelihood.isClose(to: -470.083318961, within: 1e-6))
    }

    @Test("sign rules: a coefficient that would cross is held at 0, the others as scipy's bounded optimum")
    func referenceSignConstrained() throws {
        let credit = StatisticsSamples.credit()
        let fit = try LogisticRegression(ridge: 1, signs: [.nonPositive, .nonNegative, .nonNegative, .free]).fit(
            LogisticSample(
                features: credit.features, columnCount: 4, defaulted: credit.defaulted, weights: credit.weights,
                offsets: credit.offsets))
        #expect(fit.converged)
        // Unconstrained, the first coefficient is +0.875; its rule keeps it at 0 and the fourth,
        // correlated with it, turns from −0.598 to +0.239 to carry part of its effect.
        let estimates = [0.137624158344, 0, 0.440173846513, 0.0351591133901, 0.238733148882]
        Self.expectClose([fit.intercept] + fit.coefficients, to: estimates, within: 1e-6)
        #expect(fit.coefficients[0] == 0)
        #expect(fit.heldAtZero == [true, false, false, false])
        #expect(fit.standardErrors[0] == nil)
        let errors = [0.179498661695, 0.172206052813, 0.0279980689701, 0.0992231310245]
        Self.expectClose(try ([fit.interceptStandardError] + fit.standardErrors.dropFirst()).map { try #require($0) }, to: errors, within: 1e-6)
        #expect(fit.logLikelihood.isClose(to: -455.659119166, within: 1e-6))
        #expect(fit.penalizedLogLikelihood.isClose(to: -455.785110514, within: 1e-6))
    }

    @Test("a sign rule the data already keep changes nothing")
    func signRuleNotBinding() throws {
        let credit = StatisticsSamples.credit()
        let sample = try LogisticSample(
            features: credit.features, columnCount: 4, defaulted: credit.defaulted, weights: credit.weights, offsets: credit.offsets)
        let free = try LogisticRegression().fit(sample)
        let ruled = try LogisticRegression(signs: [.nonNegative, .nonNegative, .nonNegative, .nonPositive]).fit(sample)
        #expect(ruled.heldAtZero == [false, false, false, false])
        for (left, right) in zip(free.coefficients, ruled.coefficients) { #expect(left.isClose(to: right, within: 1e-8)) }
    }

    @Test("an empty sample, or one without a positive weight, is refused")
    func emptySample() throws {
        #expect(throws: LogisticFitError.emptySample) { try LogisticRegression().fit(LogisticSample(rows: [], defaulted: [])) }
        #expect(throws: LogisticFitError.emptySample) {
            try LogisticRegression().fit(LogisticSample(rows: [[1], [2]], defaulted: [true, false], weights: [0, 0]))
        }
    }

    @Test("one outcome only, or one row, has no finite intercept")
    func singleOutcome() throws {
        #expect(throws: LogisticFitError.singleOutcome(defaulted: false)) {
            try LogisticRegression(ridge: 1).fit(LogisticSample(rows: [[1], [2], [3]], defaulted: [false, false, false]))
        }
        #expect(throws: LogisticFitError.singleOutcome(defaulted: true)) {
            try LogisticRegression().fit(LogisticSample(rows: [[1]], defaulted: [true]))
        }
    }

    @Test("a constant column is collinear with the intercept without a ridge, and gets 0 with one")
    func constantColumn() throws {
        let rows = tableRows.map { $0 + [2] }
        #expect(throws: LogisticFitError.collinear(column: 1)) {
            try LogisticRegression().fit(LogisticSample(rows: rows, defaulted: tableDefaults))
        }
        // With a ridge, the column's gradient is 2·Σ(yᵢ − pᵢ) − λβ₂, and the unpenalised intercept
        // makes Σ(yᵢ − pᵢ) = 0 at the optimum, so β₂ = 0.
        let fit = try LogisticRegression(ridge: 1).fit(LogisticSample(rows: rows, defaulted: tableDefaults))
        #expect(fit.converged)
        #expect(abs(fit.coefficients[1]) < 1e-9)
    }

    @Test("perfectly separable data have no finite estimate without a ridge, and a converged one with")
    func separation() throws {
        // Every customer above 2.5 defaulted, every one below survived.
        let separable = try LogisticSample(rows: [[1], [2], [3], [4]], defaulted: [false, false, true, true])
        #expect(throws: LogisticFitError.separation) { try LogisticRegression().fit(separable) }
        // Quasi-complete: the flag's customers all defaulted, the others are mixed.
        let quasi = try LogisticSample(rows: [[0], [0], [0], [1], [1]], defaulted: [false, true, false, true, true])
        #expect(throws: LogisticFitError.separation) { try LogisticRegression().fit(quasi) }
        // Without an intercept, one row is separable too.
        #expect(throws: LogisticFitError.separation) {
            try LogisticRegression(fitsIntercept: false).fit(LogisticSample(rows: [[1]], defaulted: [true]))
        }

        let ridged = try LogisticRegression(ridge: 1).fit(separable)
        #expect(ridged.converged && ridged.coefficients[0].isFinite && ridged.coefficients[0] > 0)
        // At the ridge optimum the penalised gradient is zero: Σ(yᵢ − pᵢ) = 0 and Σ(yᵢ − pᵢ)xᵢ = β.
        let residuals = zip([1.0, 2, 3, 4], [0.0, 0, 1, 1]).map { x, y in y - ridged.pd([x]) }
        #expect(abs(residuals.reduce(0, +)) < 1e-9)
        #expect(abs(zip(residuals, [1.0, 2, 3, 4]).reduce(0) { $0 + $1.0 * $1.1 } - ridged.coefficients[0]) < 1e-9)
    }

    @Test("non-finite values, bad weights and mismatched shapes are refused with their row")
    func refusedInputs() {
        #expect(throws: LogisticFitError.nonFiniteFeature(row: 1, column: 0)) {
            try LogisticSample(rows: [[1, 2], [.nan, 3]], defaulted: [true, false])
        }
        #expect(throws: LogisticFitError.nonFiniteFeature(row: 0, column: 1)) {
            try LogisticSample(rows: [[1, .infinity]], defaulted: [true])
        }
        #expect(throws: LogisticFitError.invalidWeight(row: 1)) {
            try LogisticSample(rows: [[1], [2]], defaulted: [true, false], weights: [1, -1])
        }
        #expect(throws: LogisticFitError.invalidWeight(row: 0)) { try LogisticSample(rows: [[1]], defaulted: [true], weights: [.nan]) }
        #expect(throws: LogisticFitError.nonFiniteOffset(row: 0)) { try LogisticSample(rows: [[1]], defaulted: [true], offsets: [-.infinity]) }
        #expect(throws: LogisticFitError.self) { try LogisticSample(features: [1, 2, 3], columnCount: 2, defaulted: [true, false]) }
        #expect(throws: LogisticFitError.self) { try LogisticSample(features: [], columnCount: Int.max, defaulted: [true, false]) }
        #expect(throws: LogisticFitError.self) { try LogisticSample(rows: [[1], [2, 3]], defaulted: [true, false]) }
        #expect(throws: LogisticFitError.self) { try LogisticSample(rows: [[1]], defaulted: [true, false]) }
        #expect(throws: LogisticFitError.self) {
            try LogisticRegression(signs: [.free, .free]).fit(LogisticSample(rows: tableRows, defaulted: tableDefaults))
        }
        for regression in [LogisticRegression(ridge: -1), LogisticRegression(ridge: .nan), LogisticRegression(maximumIterations: 0)] {
            #expect(throws: LogisticFitError.self) { try regression.fit(LogisticSample(rows: tableRows, defaulted: tableDefaults)) }
        }
    }

    @Test("the error says what to do")
    func errorMessages() {
        #expect(LogisticFitError.separation.description.contains("ridge"))
        #expect(LogisticFitError.collinear(column: 3).description.hasPrefix("column 3"))
        #expect(LogisticFitError.nonFiniteFeature(row: 7, column: 2).description.hasPrefix("row 7, column 2"))
    }
}
