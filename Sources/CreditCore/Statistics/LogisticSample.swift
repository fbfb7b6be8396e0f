/// The observations a logistic model is fitted on: one row per customer and snapshot, its
/// component values, whether it defaulted within the horizon, and optionally a weight and a
/// fixed offset (the log-odds of the prior, as the scorecard adds it).
///
/// Values are stored flat and row-major, so that millions of rows fit in one allocation and the
/// fit reads them in order. The sample is checked once, here: every feature and offset finite,
/// every weight finite and non-negative. A missing component value has no place in a fit; the
/// caller decides what stands for it (the scorecard's 0 effect, an indicator column) before.
public struct LogisticSample: Sendable {
    public let rowCount: Int
    public let columnCount: Int
    /// `rowCount × columnCount` values, row after row.
    public let features: [Double]
    /// True when the customer defaulted within the horizon.
    public let defaulted: [Bool]
    /// Observation weights (a row of weight 2 counts as two identical rows); nil means all 1.
    public let weights: [Double]?
    /// Log-odds added to each row's linear predictor with a fixed coefficient of 1; nil means 0.
    public let offsets: [Double]?

    /// Checks shapes and values; refuses the first non-finite feature, non-finite offset or
    /// negative or non-finite weight, naming its row (and column), counted from 0.
    public init(
        features: [Double], columnCount: Int, defaulted: [Bool], weights: [Double]? = nil, offsets: [Double]? = nil
    ) throws(LogisticFitError) {
        guard columnCount >= 0 else { throw .shapeMismatch("the column count is \(columnCount); it cannot be negative") }
        let rowCount = defaulted.count
        let (expected, overflow) = rowCount.multipliedReportingOverflow(by: columnCount)
        guard !overflow, features.count == expected else {
            throw .shapeMismatch(
                "the features hold \(features.count) values; \(rowCount) rows × \(columnCount) columns need \(rowCount) × \(columnCount)")
        }
        if let weights, weights.count != rowCount {
            throw .shapeMismatch("\(weights.count) weights for \(rowCount) rows")
        }
        if let offsets, offsets.count != rowCount {
            throw .shapeMismatch("\(offsets.count) offsets for \(rowCount) rows")
        }
        if let index = features.firstIndex(where: { !$0.isFinite }), columnCount > 0 {
            throw .nonFiniteFeature(row: index / columnCount, column: index % columnCount)
        }
        if let row = weights?.firstIndex(where: { !$0.isFinite || $0 < 0 }) { throw .invalidWeight(row: row) }
        if let row = offsets?.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteOffset(row: row) }
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.features = features
        self.defaulted = defaulted
        self.weights = weights
        self.offsets = offsets
    }

    /// The same from one array per row, for small samples and tests; every row must have
    /// `columnCount` values (the first row's count when not given).
    public init(
        rows: [[Double]], columnCount: Int? = nil, defaulted: [Bool], weights: [Double]? = nil, offsets: [Double]? = nil
    ) throws(LogisticFitError) {
        let width = columnCount ?? rows.first?.count ?? 0
        if let row = rows.firstIndex(where: { $0.count != width }) {
            throw .shapeMismatch("row \(row) has \(rows[row].count) values; every row needs \(width)")
        }
        guard rows.count == defaulted.count else {
            throw .shapeMismatch("\(rows.count) rows of features for \(defaulted.count) outcomes")
        }
        try self.init(features: rows.flatMap { $0 }, columnCount: width, defaulted: defaulted, weights: weights, offsets: offsets)
    }
}

/// Why a logistic fit was refused, in words that say what to change.
public enum LogisticFitError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Arrays whose lengths do not agree, or options that do not fit the sample.
    case shapeMismatch(String)
    case nonFiniteFeature(row: Int, column: Int)
    case invalidWeight(row: Int)
    case nonFiniteOffset(row: Int)
    /// Options out of range (a negative ridge, no iterations, a tolerance that is not positive).
    case invalidOptions(String)
    /// No row, or no row with a positive weight.
    case emptySample
    /// Every weighted row has the same outcome: the intercept would run to infinity.
    case singleOutcome(defaulted: Bool)
    /// Without a ridge penalty, the column (nil: the intercept) is constant or a linear
    /// combination of the intercept and the columns before it, so its coefficient is not defined.
    case collinear(column: Int?)
    /// The values (or weights, or offsets) are so large that the sums of squares of a fit overflow.
    case tooLarge
    /// Without a ridge penalty, some combination of the columns predicts outcomes perfectly, so
    /// the likelihood keeps rising as coefficients grow and no finite estimate exists.
    case separation

    public var description: String {
        switch self {
        case .shapeMismatch(let detail): "the sample's shape does not fit: \(detail)"
        case .nonFiniteFeature(let row, let column):
            "row \(row), column \(column): the value is not a finite number; replace missing values before fitting"
        case .invalidWeight(let row): "row \(row): the weight must be a finite number, 0 or more"
        case .nonFiniteOffset(let row): "row \(row): the offset is not a finite number"
        case .invalidOptions(let detail): "invalid fit options: \(detail)"
        case .emptySample: "nothing to fit: the sample has no row with a positive weight"
        case .singleOutcome(let defaulted):
            "every row \(defaulted ? "defaulted" : "survived"): a default rate of \(defaulted ? 1 : 0) has no finite log-odds; fit on a sample with both outcomes"
        case .collinear(let column):
            if let column {
                "column \(column) is constant or a linear combination of the intercept and the columns before it: drop it, or fit with a ridge penalty"
            } else {
                "the intercept cannot be estimated: no row carries information"
            }
        case .tooLarge:
            "the values are too large for the sums of a fit to hold: rescale the columns (thousands of euros, logarithms) before fitting"
        case .separation:
            "the outcomes are perfectly predicted by a combination of the columns, so no finite coefficients maximise the likelihood: fit with a ridge penalty, or merge the categories that have no default (or no survivor)"
        }
    }
}
