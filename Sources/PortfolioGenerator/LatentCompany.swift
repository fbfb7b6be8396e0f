import CreditCore

/// Size band of a customer company, after the French categories (micro-entreprise, PME, ETI, GE).
///
/// Size drives how often and how much a customer buys, its turnover, and its resilience:
/// small companies fail more often, as Banque de France failure counts show year after year.
public enum CompanySize: String, Sendable, CaseIterable, Codable {
    case micro, small, medium, large

    /// Median yearly turnover in euros, for statements and invoice volumes.
    var medianRevenueEuros: Double {
        switch self {
        case .micro: 350_000
        case .small: 2_500_000
        case .medium: 18_000_000
        case .large: 150_000_000
        }
    }

    /// Median invoice amount in euros before the sector's scale.
    var medianInvoiceEuros: Double {
        switch self {
        case .micro: 550
        case .small: 1_800
        case .medium: 5_500
        case .large: 16_000
        }
    }

    /// Invoices a month to a customer of this size (before seasonality and health).
    var invoicesPerMonth: Double {
        switch self {
        case .micro: 0.235
        case .small: 0.38
        case .medium: 0.66
        case .large: 1.3
        }
    }

    /// Failure risk relative to the sector's average.
    var relativeRisk: Double {
        switch self {
        case .micro: 1.45
        case .small: 1.0
        case .medium: 0.6
        case .large: 0.35
        }
    }

    static let portfolioWeights: [Double] = [0.38, 0.38, 0.19, 0.05]
}

/// The hidden financial health of a company, month by month.
///
/// The scale reads as a distance to default: at or below `HealthPath.defaultThreshold` (0) the
/// company fails; about 1 is fragile (thin equity, tight cash, pays late); 2 is sound; 3 and above
/// is strong (solid equity, cash, pays on time or early). Payment behaviour in the ledger and,
/// later, financial statements are both drawn from this one path, so they tell the same story.
/// The path starts 12 months before the history, so the prior year's accounts can be drawn too.
public struct HealthPath: Sendable, Hashable {
    /// Health at or below this value means the company has failed.
    public static let defaultThreshold = 0.0
    /// First day of the month of `monthly[0]`.
    public let firstMonth: Day
    /// One value per calendar month, from `firstMonth` to the month of the export date.
    public let monthly: [Double]
    /// Absolute month number (year * 12 + month - 1) of `monthly[0]`.
    let firstAbsoluteMonth: Int

    init(firstAbsoluteMonth: Int, monthly: [Double]) {
        self.firstAbsoluteMonth = firstAbsoluteMonth
        self.firstMonth = Timeline.firstDay(ofAbsoluteMonth: firstAbsoluteMonth)
        self.monthly = monthly
    }

    /// Health in the month of `day`; days outside the path read its first or last month.
    public func value(on day: Day) -> Double {
        let (y, m, _) = day.components
        let offset = y * 12 + m - 1 - firstAbsoluteMonth
        return monthly[max(0, min(monthly.count - 1, offset))]
    }

    /// Average health over the months of `days` (e.g. a fiscal year), for drawing annual accounts.
    public func average(from start: Day, through end: Day) -> Double {
        let (y0, m0, _) = start.components
        let (y1, m1, _) = end.components
        let lower = max(0, min(monthly.count - 1, y0 * 12 + m0 - 1 - firstAbsoluteMonth))
        let upper = max(lower, min(monthly.count - 1, y1 * 12 + m1 - 1 - firstAbsoluteMonth))
        return monthly[lower...upper].reduce(0, +) / Double(upper - lower + 1)
    }
}

/// The hidden truth about one generated customer: who it is (as the ledger shows it) and how its
/// health evolves, including whether and when it defaults.
///
/// Everything in the ledger files is drawn from this value, never from a scoring formula; the
/// financial-statement generator is meant to draw from it too (weak health: thin or negative
/// equity, losses, poor liquidity). Produced by `LatentPortfolio`, deterministically.
public struct LatentCompany: Sendable, Hashable {
    /// Position in the portfolio, from 0; customer ids follow it.
    public let index: Int
    /// The customer record as written to customers.csv.
    public let customer: Customer
    public let sector: SectorProfile
    public let size: CompanySize
    /// Yearly turnover at the start of the history.
    public let annualRevenue: Money
    /// First day the company buys from us: most accounts predate the history, some open during it.
    public let customerSince: Day
    public let health: HealthPath
    /// Whether the company is on a downward trend (or took a sudden shock) during the history.
    public let isDeteriorating: Bool
    /// First month of the downward trend, when there is one.
    public let deteriorationStart: Day?
    /// Day of failure (court-ordered proceedings), when it happens within the history.
    public let defaultDay: Day?
    /// Typical invoice amount for this customer, in cents.
    let typicalInvoiceCents: Double
    /// Personal payment habit in days, added to every delay (some accounts departments are slower).
    let paymentHabitDays: Double
    /// Whether customers.csv states the strategic flag (`1`/`0`) or leaves it empty, as ERPs do.
    let writesStrategicFlag: Bool

    public var hasDefaulted: Bool { defaultDay != nil }
}
