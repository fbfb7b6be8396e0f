import Foundation

/// The scoring model as versioned data: what each piece of evidence weighs, the grade scale, the
/// limit policy, reminder scenarios and dispute deadlines. Decoded once from
/// a file of `Models/` (v4 by default) and validated; changing a weight is a data change, not a code change.
///
/// Amounts in the file are whole units of the portfolio currency (`500000` is 500 000.00);
/// probabilities and shares are fractions (`0.02` is 2 %).
public struct ScoringModel: Hashable, Sendable, Codable {
    /// Named in every assessment, so a stored grade can be traced to the numbers that made it.
    public var version: String
    /// What changed in this version and why, for people.
    public var summary: String
    public var combination: Combination
    public var paymentBehaviour: PaymentBehaviour
    /// PAYDEX anchor points, from the earliest payment to the latest.
    public var paymentIndexAnchors: [PaymentIndexAnchor]
    public var financial: Financial
    public var components: Components
    /// Grade steps from best to worst, each with the highest PD it takes.
    public var gradeScale: [GradeBand]
    public var thinFile: ThinFile
    public var defaultRule: DefaultRule
    public var score: ScoreScale
    public var limitPolicy: LimitPolicy
    public var reminders: ReminderPolicy
    public var disputeDeadlines: DisputeDeadlines
    /// Worklist weights and promise handling; absent in v1 files (see `collectionsPolicy`).
    public var collections: CollectionsPolicy?
    /// Where the numbers come from: expert judgement, a fit (window, samples, validation), the
    /// public data behind the financial scorecard. Absent in v1 and v2.
    public var provenance: ModelProvenance?
    /// The fit sample's distributions, the reference that population stability is measured against.
    public var monitoring: MonitoringBaseline?

    /// How the prior and the contributions become one PD.
    public struct Combination: Hashable, Sendable, Codable {
        /// Bounds on the sector failure rate used as prior, so a missing or odd sector figure
        /// (0 %, 80 %) cannot make the log-odds infinite or dominate the evidence.
        public var priorFloor: Double
        public var priorCeiling: Double
        /// Bounds on the final PD: no customer is risk-free, none is certain to fail unless in default.
        public var pdFloor: Double
        public var pdCeiling: Double
        /// How much of the sector's log-odds the PD starts from (1 when absent: the whole prior). A
        /// fit can find that a portfolio's own sectors fail more or less apart than the table says.
        public var priorWeight: Double?
        /// A fitted model's last step, `intercept + slope × log-odds`, estimated out of time so
        /// that PDs match observed default rates; absent (identity) in expert models.
        public var calibration: PDCalibration?
    }

    /// `logit(PD) = intercept + slope × (prior log-odds + effects)`, then, when `knots` are
    /// given, a monotone correction of that line's shape: the log-odds is mapped through the
    /// knots (straight between two, shifted like the nearest one beyond the ends).
    public struct PDCalibration: Hashable, Sendable, Codable {
        public var intercept: Double
        public var slope: Double
        /// Points (line's log-odds, observed log-odds) of the calibration sample's monotone
        /// default-rate bins, both strictly increasing.
        public var knots: [Knot]?

        public struct Knot: Hashable, Sendable, Codable {
            public var logOdds: Double
            public var calibrated: Double
        }

        public init(intercept: Double, slope: Double, knots: [Knot]? = nil) {
            self.intercept = intercept
            self.slope = slope
            self.knots = knots
        }

        /// The calibrated log-odds of a model's raw log-odds.
        public func apply(_ raw: Double) -> Double {
            let line = intercept + slope * raw
            guard let knots, let first = knots.first, let last = knots.last else { return line }
            if line <= first.logOdds { return line + (first.calibrated - first.logOdds) }
            if line >= last.logOdds { return line + (last.calibrated - last.logOdds) }
            // Knots are few (under 50): the first above the value, and the one before it.
            guard let upper = knots.firstIndex(where: { $0.logOdds >= line }), upper > 0 else { return line }
            let a = knots[upper - 1]
            let b = knots[upper]
            return a.calibrated + (b.calibrated - a.calibrated) * (line - a.logOdds) / (b.logOdds - a.logOdds)
        }
    }

    /// Windows and thresholds of the payment profile, in days.
    public struct PaymentBehaviour: Hashable, Sendable, Codable {
        /// Invoices due in this many days up to the as-of date make the profile (365: twelve months).
        public var trailingDays: Int
        /// The "recent" part of the window, compared with the rest for the trend (91: three months).
        public var recentDays: Int
        /// A payment more than this many days beyond terms counts as late (30).
        public var lateThresholdDays: Int
        /// Disputes opened within this many days count as recent.
        public var recentDisputeDays: Int
    }

    /// One PAYDEX anchor: paying `daysBeyondTerms` after the due date (negative: before) scores `index`.
    public struct PaymentIndexAnchor: Hashable, Sendable, Codable {
        public var daysBeyondTerms: Double
        public var index: Double
    }

    /// How far a statement is trusted as it ages.
    public struct Financial: Hashable, Sendable, Codable {
        /// Full weight while the period ended at most this many months before the as-of date.
        public var fullWeightMonths: Double
        /// No weight from this age on; linear in between.
        public var zeroWeightMonths: Double
        /// Altman Z'' zone limits: above `safeAbove` safe, below `distressBelow` distress.
        public var safeAbove: Double
        public var distressBelow: Double
        /// Days after a period's end by which its accounts are taken as published: evidence as of
        /// a day reads a statement from then on, or from the day we received it if earlier.
        /// French companies file within seven months of the year end; 210 when the file is silent.
        public var publicationLagDays: Int

        public init(
            fullWeightMonths: Double, zeroWeightMonths: Double, safeAbove: Double, distressBelow: Double,
            publicationLagDays: Int = Financial.defaultPublicationLagDays
        ) {
            self.fullWeightMonths = fullWeightMonths
            self.zeroWeightMonths = zeroWeightMonths
            self.safeAbove = safeAbove
            self.distressBelow = distressBelow
            self.publicationLagDays = publicationLagDays
        }

        public static let defaultPublicationLagDays = 210

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            fullWeightMonths = try container.decode(Double.self, forKey: .fullWeightMonths)
            zeroWeightMonths = try container.decode(Double.self, forKey: .zeroWeightMonths)
            safeAbove = try container.decode(Double.self, forKey: .safeAbove)
            distressBelow = try container.decode(Double.self, forKey: .distressBelow)
            publicationLagDays =
                try container.decodeIfPresent(Int.self, forKey: .publicationLagDays) ?? Self.defaultPublicationLagDays
        }

        /// The one rule of when a statement counts as evidence on `day`: its accounts were
        /// published (the period ended at least `publicationLagDays` before), or we received them
        /// (imported on or before `day`) for a period already ended. An applicant's fresh accounts
        /// count from the day they come in; a backtest over past days, before anything was
        /// imported, still waits for publication.
        public func isKnown(periodEnd: Day, receivedOn: Day?, on day: Day) -> Bool {
            periodEnd <= publishedPeriodEnd(on: day) || (receivedOn.map { $0 <= day } ?? false && periodEnd <= day)
        }

        /// The latest period end whose accounts count as published on `day`.
        public func publishedPeriodEnd(on day: Day) -> Day { day - publicationLagDays }
    }

    /// A bounded linear effect on the log-odds: `clamp(weight × (value − reference), minEffect, maxEffect)`.
    public struct Transform: Hashable, Sendable, Codable {
        public var weight: Double
        public var reference: Double
        public var minEffect: Double
        public var maxEffect: Double

        /// The effect of `value`, and whether a bound cut it.
        public func effect(of value: Double) -> (effect: Double, capped: Bool) {
            let raw = weight * (value - reference)
            let bounded = min(maxEffect, max(minEffect, raw))
            return (bounded, bounded != raw)
        }
    }

    /// The rule of each component the model weighs; see `ScoreComponent` for what each measures.
    /// A component the file does not name is not weighed (v1 and v2 name the ten they use); one
    /// it names is shown with its effect in every assessment.
    public struct Components: Hashable, Sendable {
        public var rules: [ScoreComponent: ComponentRule]

        public init(rules: [ScoreComponent: ComponentRule]) {
            self.rules = rules
        }

        /// The ten components of models v1 and v2, each a bounded line.
        public init(
            paymentIndex: Transform, sectorDelay: Transform, lateShare: Transform, recentDelay: Transform,
            overdueShare: Transform, disputes: Transform, brokenPromises: Transform, altmanZ: Transform,
            negativeEquity: Transform, netLoss: Transform
        ) {
            rules = [
                .paymentIndex: .linear(paymentIndex), .sectorDelay: .linear(sectorDelay), .lateShare: .linear(lateShare),
                .recentDelay: .linear(recentDelay), .overdueShare: .linear(overdueShare), .disputes: .linear(disputes),
                .brokenPromises: .linear(brokenPromises), .altmanZ: .linear(altmanZ),
                .negativeEquity: .linear(negativeEquity), .netLoss: .linear(netLoss),
            ]
        }

        public subscript(component: ScoreComponent) -> ComponentRule? {
            get { rules[component] }
            set { rules[component] = newValue }
        }

        /// The components weighed, in the order of `ScoreComponent`.
        public var weighed: [ScoreComponent] { ScoreComponent.allCases.filter { rules[$0] != nil } }
    }

    /// One step of the grade scale: PDs above the previous step's `maxPD` and up to this one.
    public struct GradeBand: Hashable, Sendable, Codable {
        public var code: String
        public var label: String
        public var maxPD: Double
    }

    /// When a history is too short to trust, and how good a grade it can still reach.
    public struct ThinFile: Hashable, Sendable, Codable {
        /// Fewer invoices than this issued in the trailing window is a thin file.
        public var minInvoices: Int
        /// A first invoice fewer than this many days before the as-of date is a thin file.
        public var minHistoryDays: Int
        /// The best grade a thin file can get.
        public var bestGrade: String
    }

    /// When a customer is in default (grade D) without the manual flag.
    public struct DefaultRule: Hashable, Sendable, Codable {
        /// Undisputed amounts more than this many days past due (90, as in Basel's definition).
        public var pastDueDays: Int
        /// ... only when they are material: at least this amount (whole units) ...
        public var materialityAmount: Int
        /// ... and at least this share of the exposure (EBA/GL/2016/06 thresholds: 500 and 1 %).
        public var materialityShare: Double

        public var materialityMoney: Money { Money(clampingCents: Double(materialityAmount) * 100) }
    }

    /// Score 0–100 from the PD, linear in log-odds between two anchor PDs.
    public struct ScoreScale: Hashable, Sendable, Codable {
        public var pdAtScore100: Double
        public var pdAtScore0: Double
    }

    /// The grade with `code`, `D` included; nil when the scale has no such step.
    public func grade(code: String) -> Grade? {
        if code == Grade.defaultCode { return defaultGrade }
        guard let index = gradeScale.firstIndex(where: { $0.code == code }) else { return nil }
        return Grade(code: code, rank: index + 1)
    }

    /// `D`, ranked after the worst step of this scale.
    public var defaultGrade: Grade { Grade(code: Grade.defaultCode, rank: gradeScale.count + 1) }

    /// The scale step whose PD band holds `pd`: the first with `pd <= maxPD`, where "equal"
    /// allows the last bits a log-odds round trip leaves (a sector prior of exactly 2 % comes back
    /// as 0.020000000000000004 and belongs to the band that ends at 2 %).
    public func grade(forPD pd: Double) -> Grade {
        let index = gradeScale.firstIndex { pd <= $0.maxPD * (1 + 1e-12) } ?? (gradeScale.count - 1)
        return Grade(code: gradeScale[index].code, rank: index + 1)
    }

    /// The longest day window a model file may set (ten years).
    public static let longestWindowDays = 3_650

    /// The grade of `pd`, no better than the thin-file grade when the history is thin.
    public func grade(forPD pd: Double, thinFile: Bool) -> Grade {
        let grade = grade(forPD: pd)
        guard thinFile, let best = self.grade(code: self.thinFile.bestGrade), grade < best else { return grade }
        return best
    }

    /// All grades a customer can get, best first, `D` last.
    public var grades: [Grade] {
        gradeScale.enumerated().map { Grade(code: $0.element.code, rank: $0.offset + 1) } + [defaultGrade]
    }
}

/// The measures a model can weigh, each one line of an explanation.
public enum ScoreComponent: String, CaseIterable, Hashable, Sendable, Codable, CodingKeyRepresentable {
    /// PAYDEX-style payment index 1–100 over the trailing window.
    case paymentIndex
    /// Customer's average days beyond terms minus its sector's.
    case sectorDelay
    /// Share of the amount paid (or still open) more than the late threshold beyond terms.
    case lateShare
    /// Average days beyond terms over the recent part of the window (the trend, scored without
    /// rewarding a customer for having paid late before).
    case recentDelay
    /// Share of the exposure past due today.
    case overdueShare
    /// Disputes open today or opened recently.
    case disputes
    /// Payment promises not kept.
    case brokenPromises
    /// Altman Z'' of the latest statement, weighted by its age.
    case altmanZ
    /// Book equity below zero.
    case negativeEquity
    /// A net loss over the statement's period.
    case netLoss
    /// Equity over total assets.
    case equityRatio
    /// Total liabilities over total assets.
    case leverage
    /// Operating income over financial expenses (interest cover).
    case interestCover
    /// Net income over total assets.
    case returnOnAssets
    /// Operating income (EBIT) over total assets.
    case operatingReturn
    /// Retained earnings over total assets.
    case retainedEarningsRatio
    /// Working capital over total assets.
    case workingCapitalRatio
    /// Current assets over current liabilities.
    case currentRatio
    /// Current assets less inventories, over current liabilities.
    case quickRatio
    /// Cash over current liabilities.
    case cashRatio
    /// Yearly revenue over total assets.
    case assetTurnover
    /// Revenue growth over the previous year, as a fraction.
    case revenueGrowth
    /// Return on assets this year minus the previous year's: a profitability slide.
    case returnOnAssetsChange
    /// Natural logarithm of total assets in whole currency units.
    case size
    /// EBITDA over total liabilities: how much of the debt a year's cash earnings cover (the
    /// inverse of debt/EBITDA, which keeps a loss-making year on the same scale).
    case debtService

    /// The components that come from a financial statement (faded with its age).
    public var isFinancial: Bool {
        switch self {
        case .paymentIndex, .sectorDelay, .lateShare, .recentDelay, .overdueShare, .disputes, .brokenPromises: false
        default: true
        }
    }

    /// Which way the value moves the risk: the sign every rule of this component must keep.
    public var riskDirection: RiskDirection {
        switch self {
        case .sectorDelay, .lateShare, .recentDelay, .overdueShare, .disputes, .brokenPromises, .negativeEquity, .netLoss,
            .leverage:
            .increasing
        case .paymentIndex, .altmanZ, .equityRatio, .interestCover, .returnOnAssets, .operatingReturn, .retainedEarningsRatio,
            .workingCapitalRatio, .currentRatio, .quickRatio, .cashRatio, .assetTurnover, .revenueGrowth, .returnOnAssetsChange,
            .size, .debtService:
            .decreasing
        }
    }
}

extension ScoringModel.Components: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var rules: [ScoreComponent: ComponentRule] = [:]
        for key in container.allKeys {
            guard let component = ScoreComponent(rawValue: key.stringValue) else {
                let known = ScoreComponent.allCases.map(\.rawValue).joined(separator: ", ")
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "\(key.stringValue) is not a component (known: \(known))")
            }
            rules[component] = try container.decode(ComponentRule.self, forKey: key)
        }
        self.init(rules: rules)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for component in weighed {
            if let rule = rules[component] { try container.encode(rule, forKey: Key(stringValue: component.rawValue)) }
        }
    }
}

extension ScoringModel {
    /// Decodes and validates a model file. Every error names the field to fix.
    public static func decode(from data: Data) throws(ModelError) -> ScoringModel {
        let model = try ModelError.decodeJSON(ScoringModel.self, from: data, file: "the model file")
        try model.validate()
        return model
    }
}

extension ModelError {
    /// A data file of `Models/` decoded from its JSON; a decoder's complaint becomes an error
    /// naming the field, anything else says that `file` is not valid JSON.
    static func decodeJSON<Value: Decodable>(_ type: Value.Type, from data: Data, file: String) throws(ModelError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw ModelError(decoding: error)
        } catch {
            throw ModelError(field: "", message: "\(file) is not valid JSON: \(error)")
        }
    }
}

extension ModelError {
    /// Turns a decoder's complaint into one that names the field as the file spells it.
    init(decoding error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            self.init(field: field, message: "\(field) is missing")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            let expected =
                type == String.self ? "text" : (type == Int.self ? "a whole number" : (type == Double.self ? "a number" : "\(type)"))
            self.init(field: field, message: "\(field.isEmpty ? "the model" : field) must be \(expected)")
        case .valueNotFound(_, let context):
            let field = path(context.codingPath)
            self.init(field: field, message: "\(field) must not be null")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            self.init(
                field: field,
                message: field.isEmpty
                    ? "the model file is not valid JSON" : "\(field) is not valid: \(context.debugDescription)")
        @unknown default:
            self.init(field: "", message: "the model file could not be read: \(error)")
        }
    }
}
