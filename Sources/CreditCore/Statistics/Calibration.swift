import Foundation

/// Whether PDs are right in level, not just in order: the Brier score, logistic recalibration
/// (the slope and intercept that would make them right) and the calibration curve.
///
/// An outcome whose PD is not a finite number in [0, 1] is skipped and counted. In log-odds a PD
/// of 0 or 1 is infinite, so for the recalibration fits PDs are held inside [1e-12, 1 − 1e-12],
/// as `Scorer.score` does.
public enum Calibration {
    static let logOddsBound = 1e-12

    static func isPD(_ value: Double) -> Bool { value.isFinite && value >= 0 && value <= 1 }

    static func logOdds(_ pd: Double) -> Double {
        Scorer.logit(min(max(pd, logOddsBound), 1 - logOddsBound))
    }

    /// Mean squared difference between PD and outcome (0 or 1); lower is better, and a model
    /// that always says the portfolio's default rate r scores r(1 − r). Nil without a valid PD.
    public static func brierScore(_ outcomes: [PDOutcome]) -> Double? {
        var sum = 0.0
        var count = 0
        for outcome in outcomes where isPD(outcome.pd) {
            let gap = outcome.pd - (outcome.defaulted ? 1 : 0)
            sum += gap * gap
            count += 1
        }
        return count == 0 ? nil : sum / Double(count)
    }

    /// Fits logit(PD_new) = a + b·logit(PD) on the outcomes (Cox 1958): b < 1 says the PDs spread
    /// too far (overfitting), a ≠ 0 with b = 1 that they are off in level. Perfect calibration is
    /// a = 0, b = 1. Throws what the fit throws: one outcome only, or PDs that all agree (no slope).
    public static func recalibration(_ outcomes: [PDOutcome]) throws(LogisticFitError) -> LogisticRecalibration {
        let valid = outcomes.filter { isPD($0.pd) }
        let sample = try LogisticSample(features: valid.map { logOdds($0.pd) }, columnCount: 1, defaulted: valid.map(\.defaulted))
        let fit = try LogisticRegression().fit(sample)
        return LogisticRecalibration(
            intercept: fit.intercept, slope: fit.coefficients.first ?? 0, interceptStandardError: fit.interceptStandardError,
            slopeStandardError: fit.standardErrors.first ?? nil, customers: valid.count, skipped: outcomes.count - valid.count)
    }

    /// Calibration in the large: the one shift a of log-odds, logit(PD_new) = a + logit(PD), that
    /// makes the PDs' sum match the defaults (the slope held at 1). a > 0: PDs too low.
    public static func calibrationInTheLarge(_ outcomes: [PDOutcome]) throws(LogisticFitError) -> CalibrationInTheLarge {
        let valid = outcomes.filter { isPD($0.pd) }
        let sample = try LogisticSample(
            features: [], columnCount: 0, defaulted: valid.map(\.defaulted), offsets: valid.map { logOdds($0.pd) })
        let fit = try LogisticRegression().fit(sample)
        let defaults = valid.filter(\.defaulted).count
        return CalibrationInTheLarge(
            intercept: fit.intercept, standardError: fit.interceptStandardError,
            meanPD: valid.reduce(0) { $0 + $1.pd } / Double(max(1, valid.count)),
            observedDefaultRate: Double(defaults) / Double(max(1, valid.count)), customers: valid.count,
            skipped: outcomes.count - valid.count)
    }

    /// The calibration curve: outcomes sorted by PD and cut into `bins` groups of nearly equal
    /// size (never splitting equal PDs), each with its mean PD and observed default rate. Points
    /// on the diagonal are well calibrated. Empty without a valid PD.
    public static func curve(_ outcomes: [PDOutcome], bins: Int = 10) -> [CalibrationBin] {
        let valid = outcomes.filter { isPD($0.pd) }.sorted { $0.pd < $1.pd }
        return quantileGroups(count: valid.count, groups: bins) { valid[$0].pd == valid[$0 - 1].pd }.map { range in
            let slice = valid[range]
            let defaults = slice.filter(\.defaulted).count
            return CalibrationBin(
                lowerPD: slice.first?.pd ?? 0, upperPD: slice.last?.pd ?? 0, customers: slice.count, defaults: defaults,
                meanPD: slice.reduce(0) { $0 + $1.pd } / Double(slice.count),
                observedDefaultRate: Double(defaults) / Double(slice.count))
        }
    }
}

/// The result of logistic recalibration: logit(PD_new) = intercept + slope · logit(PD).
public struct LogisticRecalibration: Sendable, Hashable, Codable {
    public var intercept: Double
    public var slope: Double
    public var interceptStandardError: Double?
    public var slopeStandardError: Double?
    public var customers: Int
    public var skipped: Int

    /// The recalibrated PD for a PD of the model.
    public func pd(recalibrating pd: Double) -> Double {
        Scorer.logistic(intercept + slope * Calibration.logOdds(pd))
    }
}

/// The result of calibration in the large: logit(PD_new) = intercept + logit(PD).
public struct CalibrationInTheLarge: Sendable, Hashable, Codable {
    public var intercept: Double
    public var standardError: Double?
    public var meanPD: Double
    public var observedDefaultRate: Double
    public var customers: Int
    public var skipped: Int

    public func pd(recalibrating pd: Double) -> Double {
        Scorer.logistic(intercept + Calibration.logOdds(pd))
    }
}

/// One point of a calibration curve.
public struct CalibrationBin: Sendable, Hashable, Codable {
    /// The lowest and highest PD in the bin.
    public var lowerPD: Double
    public var upperPD: Double
    public var customers: Int
    public var defaults: Int
    public var meanPD: Double
    public var observedDefaultRate: Double
}
