/// Stable codes of the reasons an assessment gives; clients may key on them, so they never change
/// meaning once released.
public enum ReasonCode: String, Hashable, Sendable, Codable, CaseIterable {
    case paymentIndex = "payment_index"
    case sectorDelay = "sector_delay"
    case lateShare = "late_share"
    case recentDelay = "recent_delay"
    case overdueShare = "overdue_share"
    case disputes
    case brokenPromises = "broken_promises"
    case altmanZ = "altman_z"
    case negativeEquity = "negative_equity"
    case netLoss = "net_loss"
    case equityRatio = "equity_ratio"
    case leverage
    case interestCover = "interest_cover"
    case returnOnAssets = "return_on_assets"
    case operatingReturn = "operating_return"
    case retainedEarningsRatio = "retained_earnings_ratio"
    case workingCapitalRatio = "working_capital_ratio"
    case currentRatio = "current_ratio"
    case quickRatio = "quick_ratio"
    case cashRatio = "cash_ratio"
    case assetTurnover = "asset_turnover"
    case revenueGrowth = "revenue_growth"
    case returnOnAssetsChange = "return_on_assets_change"
    case size
    case debtService = "debt_service"
    /// The sector's failure rate is the starting PD.
    case sectorPrior = "sector_prior"
    /// The sector code is unknown: the portfolio average stands in.
    case sectorUnknown = "sector_unknown"
    /// No payment in the window: the payment components count for nothing.
    case noPaymentHistory = "no_payment_history"
    /// No recent invoice fell due: the recent-delay component counts for nothing.
    case noRecentPayments = "no_recent_payments"
    /// No statement known at the date, or too old to count.
    case noStatement = "no_statement"
    /// A statement is known but lacks figures some components need.
    case incompleteStatement = "incomplete_statement"
    /// A statement between full and no weight.
    case agingStatement = "aging_statement"
    /// Too little history: the grade is capped.
    case thinFile = "thin_file"
    /// Undisputed amounts far past due: the customer is in default.
    case pastDueDefault = "past_due_default"
    /// A credit manager flagged the customer as in default.
    case defaultFlag = "default_flag"
    /// The model maps the summed log-odds through its fitted calibration.
    case calibration

    init(_ component: ScoreComponent) {
        switch component {
        case .paymentIndex: self = .paymentIndex
        case .sectorDelay: self = .sectorDelay
        case .lateShare: self = .lateShare
        case .recentDelay: self = .recentDelay
        case .overdueShare: self = .overdueShare
        case .disputes: self = .disputes
        case .brokenPromises: self = .brokenPromises
        case .altmanZ: self = .altmanZ
        case .negativeEquity: self = .negativeEquity
        case .netLoss: self = .netLoss
        case .equityRatio: self = .equityRatio
        case .leverage: self = .leverage
        case .interestCover: self = .interestCover
        case .returnOnAssets: self = .returnOnAssets
        case .operatingReturn: self = .operatingReturn
        case .retainedEarningsRatio: self = .retainedEarningsRatio
        case .workingCapitalRatio: self = .workingCapitalRatio
        case .currentRatio: self = .currentRatio
        case .quickRatio: self = .quickRatio
        case .cashRatio: self = .cashRatio
        case .assetTurnover: self = .assetTurnover
        case .revenueGrowth: self = .revenueGrowth
        case .returnOnAssetsChange: self = .returnOnAssetsChange
        case .size: self = .size
        case .debtService: self = .debtService
        }
    }
}

/// One line of an explanation: a stable code, its effect on the log-odds of default (positive:
/// riskier; 0 for information), and a sentence with the numbers.
public struct Reason: Hashable, Sendable, Codable {
    public var code: ReasonCode
    public var effect: Double
    public var text: String
}

/// What one component added to the log-odds, from which measured value.
public struct Contribution: Hashable, Sendable, Codable {
    public var component: ScoreComponent
    /// The measure fed to the transform (days, index, share, count, Z''); nil when missing.
    public var value: Double?
    /// Effect on the log-odds after caps and, for financial components, the statement's age weight.
    public var effect: Double
    /// No evidence for this component: it contributed nothing.
    public var missing: Bool
    /// A cap of the model cut the effect.
    public var capped: Bool
}

/// Which evidence an assessment used, so a stored grade can be checked against the ledger later.
public struct EvidenceSummary: Hashable, Sendable, Codable {
    /// Invoices and credit notes issued on or before the as-of date.
    public var invoices: Int
    public var payments: Int
    public var disputes: Int
    public var firstInvoice: Day?
    public var lastInvoice: Day?
    public var lastPayment: Day?
    /// Period end of the statement used; nil when none counted.
    public var statementPeriodEnd: Day?
    public var sectorCode: String
}

/// The scorer's verdict on one customer as of a day: PD, score, grade, suggested limit and why.
/// Everything here is suggested; `effective(override:on:)` applies a credit manager's decision.
public struct Assessment: Hashable, Sendable, Codable {
    public var customerId: String
    public var asOf: Day
    public var modelVersion: String
    /// Probability of default within 12 months (1 for a customer in default).
    public var pd: Double
    /// 0 (riskiest) to 100, never higher for a higher PD.
    public var score: Int
    public var grade: Grade
    /// The grade the PD alone gives, before a thin-file cap or default; equal to `grade` otherwise.
    public var uncappedGrade: Grade
    public var inDefault: Bool
    public var suggestedLimit: Money
    public var limitStep: LimitStep
    public var recommendation: Recommendation
    /// Sorted by the size of their effect, largest first; information (effect 0) last.
    public var reasons: [Reason]
    /// One per model component, in the model's order.
    public var contributions: [Contribution]
    /// Starting PD (the sector's failure rate within the model's bounds) and the final log-odds.
    public var priorPD: Double
    public var logOdds: Double
    public var paymentProfile: PaymentProfile
    public var sectorBenchmark: SectorBenchmark
    public var financialProfile: FinancialProfile?
    /// Open balances plus pending orders.
    public var exposure: Money
    public var evidence: EvidenceSummary
}
