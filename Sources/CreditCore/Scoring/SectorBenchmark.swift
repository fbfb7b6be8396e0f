/// The customer's delay read against its sector's, and the sector's failure rate as the prior PD:
/// 20 days beyond terms is alarming among electricians (8 on average) and ordinary in road freight.
public struct SectorBenchmark: Hashable, Sendable, Codable {
    /// The sector whose figures were used (the portfolio average when the customer's is unknown).
    public var sectorCode: String
    public var sectorLabel: String
    /// True when the customer's sector code is not in the sector table.
    public var usedPortfolioAverage: Bool
    public var sectorDaysBeyondTerms: Double
    /// Customer's amount-weighted days beyond terms; nil without payment history.
    public var customerDaysBeyondTerms: Double?
    /// Sector's annual failure rate, as published.
    public var sectorFailureRate: Double
    /// The failure rate within the model's bounds: the starting point of the log-odds.
    public var priorPD: Double

    /// Customer's days beyond terms minus the sector's; nil without payment history.
    public var excessDays: Double? { customerDaysBeyondTerms.map { $0 - sectorDaysBeyondTerms } }

    public init(evidence: CustomerEvidence, profile: PaymentProfile, model: ScoringModel) {
        let sector = evidence.sector ?? evidence.portfolioSector
        self.sectorCode = evidence.sector?.code ?? evidence.customer.sectorCode
        self.sectorLabel = sector.label
        self.usedPortfolioAverage = evidence.sector == nil
        self.sectorDaysBeyondTerms = sector.averageDaysBeyondTerms.isFinite ? sector.averageDaysBeyondTerms : 0
        self.customerDaysBeyondTerms = profile.averageDaysBeyondTerms
        self.sectorFailureRate = sector.annualFailureRate
        let rate = sector.annualFailureRate.isFinite ? sector.annualFailureRate : model.combination.priorCeiling
        self.priorPD = min(model.combination.priorCeiling, max(model.combination.priorFloor, rate))
    }
}
