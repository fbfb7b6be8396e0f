/// Where a model's numbers come from, kept in the model file so that a grade can be explained
/// months later: who set or fitted each part, on which data, and how well it did out of time.
public struct ModelProvenance: Hashable, Sendable, Codable {
    /// "expert" for hand-set weights, "fitted" for weights estimated on outcomes.
    public var method: String
    /// The model the fit started from (its bins, anchors, grades and limits are kept).
    public var basedOn: String?
    /// The financial scorecard's origin: data set, citation, sample and out-of-time figures.
    public var financialScorecard: ScorecardSource?
    /// The portfolio fit, when the payment part was fitted on a ledger.
    public var fit: FitRecord?

    public init(method: String, basedOn: String? = nil, financialScorecard: ScorecardSource? = nil, fit: FitRecord? = nil) {
        self.method = method
        self.basedOn = basedOn
        self.financialScorecard = financialScorecard
        self.fit = fit
    }
}

/// The public data the financial scorecard was fitted on.
public struct ScorecardSource: Hashable, Sendable, Codable {
    public var dataSet: String
    public var citation: String
    public var url: String
    /// What a "failure" is in that data set.
    public var label: String
    public var trainingYears: String
    public var testYears: String
    public var trainingRows: Int
    public var trainingFailures: Int
    public var testRows: Int
    public var testFailures: Int
    public var testAUC: Double
    /// Altman Z'' alone on the same test sample, the reference to beat.
    public var testAUCAltman: Double
    public var notes: String?
}

/// A fit on the portfolio: the windows, sample sizes, fitted numbers and validation.
public struct FitRecord: Hashable, Sendable, Codable {
    /// Month ends of the training, calibration and test snapshots.
    public var training: SnapshotWindow
    public var calibration: SnapshotWindow
    public var test: SnapshotWindow
    /// "outcomes file" or "ledger default rule".
    public var labels: String
    public var horizonDays: Int
    public var ridge: Double
    /// The multiplier fitted on each component's effect in the base model, and its standard error.
    public var coefficients: [FittedCoefficient]
    public var intercept: Double
    /// Out-of-time figures on the test snapshots, fitted model and the base model side by side.
    public var validation: ValidationFigures
    public var baseValidation: ValidationFigures
    /// Whether the fitted payment part replaced the base model's (only when it beat it out of time).
    public var paymentPartAdopted: Bool
}

public struct SnapshotWindow: Hashable, Sendable, Codable {
    public var from: Day
    public var through: Day
    public var snapshots: Int
    /// Customer-months in the window, and those followed by a default within the horizon.
    public var rows: Int
    public var defaults: Int
}

public struct FittedCoefficient: Hashable, Sendable, Codable {
    /// A component's name, `sectorPrior` (the weight of the sector's log-odds) or
    /// `financialScorecard` (one multiplier on every financial effect, keeping their proportions).
    public var name: String
    public var multiplier: Double
    public var standardError: Double?
    /// A sign constraint held it at zero.
    public var heldAtZero: Bool
}

/// The headline validation figures of one model on one sample.
public struct ValidationFigures: Hashable, Sendable, Codable {
    /// Customer-months of the sample, and those followed by a default within the horizon.
    public var rows: Int
    public var defaults: Int
    public var auc: Double?
    public var aucLow: Double?
    public var aucHigh: Double?
    public var ks: Double?
    public var brier: Double?
    /// The calibration verdict: grades with enough customers on `referenceDate`, and those whose
    /// Jeffreys interval holds the mean PD (`ReferenceDateBacktest`). In files written before
    /// `referenceDate` existed, the counts pool every test month, a customer once per month.
    public var gradesChecked: Int
    public var gradesCalibrated: Int
    /// The headline reference date: the latest test month end with a complete horizon.
    public var referenceDate: Day?
    /// Every test month end's counts, oldest first: how the verdict would read on each.
    public var referenceDates: [ReferenceDateCount]?
    /// Per grade, on how many test month ends with a complete horizon it was judged and calibrated.
    public var gradeRecords: [ReferenceDateBacktest.GradeRecord]?
    /// The same test on every test row pooled, kept to compare with the files written before;
    /// its intervals are too narrow, as a customer counts once per month end.
    public var pooledGradesChecked: Int?
    public var pooledGradesCalibrated: Int?
}

/// One reference date's calibration counts, as a model file records them.
public struct ReferenceDateCount: Hashable, Sendable, Codable {
    public var referenceDate: Day
    public var completeHorizon: Bool
    public var customers: Int
    public var defaults: Int
    public var gradesChecked: Int
    public var gradesCalibrated: Int

    public init(_ table: ReferenceDateBacktest.DateTable) {
        referenceDate = table.referenceDate
        completeHorizon = table.completeHorizon
        customers = table.customers
        defaults = table.defaults
        gradesChecked = table.gradesChecked
        gradesCalibrated = table.gradesCalibrated
    }
}

/// The distributions of the fit sample that population stability compares today's portfolio with.
public struct MonitoringBaseline: Hashable, Sendable, Codable {
    /// The day the baseline describes (the last training snapshot).
    public var asOf: Day
    public var score: Distribution
    public var components: [ScoreComponent: Distribution]

    /// A sample kept as counts in bins cut at `edges` (bin i: above edge i − 1, at most edge i):
    /// `counts` has one entry per value bin and the count of missing values last, the form
    /// `PopulationStability(expectedCounts:actual:edges:)` reads.
    public struct Distribution: Hashable, Sendable, Codable {
        public var edges: [Double]
        public var counts: [Int]

        public init(edges: [Double], counts: [Int]) {
            self.edges = edges
            self.counts = counts
        }

        /// Ten bins at the sample's deciles.
        public init(sample: [Double?], bins: Int = 10) {
            edges = PopulationStability.quantileEdges(sample, bins: bins)
            counts = PopulationStability.counts(sample, edges: edges)
        }

        /// Share of the sample without a value.
        public var missingRate: Double {
            let total = counts.reduce(0, +)
            return total > 0 ? Double(counts.last ?? 0) / Double(total) : 0
        }
    }
}
