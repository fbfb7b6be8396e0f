import CreditCore
import CreditStore
import GRDB

/// The credit team's dashboard in one call (`CreditService.dashboard(asOf:selection:)`): the
/// indicators and their trend, the aged balance, the grade mix, the late payers, the open alerts,
/// the ledger's freshness and the work waiting, each figure computed by the use case or rule that
/// owns it (`PortfolioReports`, `CustomerDirectory`, `CreditReviews`, `DisputeDeadlines`).
///
/// Built to answer on a 100k-customer portfolio within a page's budget: the whole portfolio's
/// ledger figures come from the daily totals the store keeps (`ledger_day`,
/// `ledger_receipt_due`), the grades from the customers' standings, the rest from indexes; the
/// ledger itself is walked only for a group, sector or sales rep, and only their customers'.
/// Four reads run side by side (the ledger figures, the late payers, the reviews due, the rest),
/// each one transaction: every part is of one moment, the parts of moments a few milliseconds
/// apart.
public struct PortfolioDashboard: Sendable {
    public let database: any DatabaseReader
    public let model: ScoringModel
    /// When reviews are due; nil when the policies were not loaded (the dashboard then counts none).
    public let reviewPolicy: ReviewPolicy?
    /// How old the ledger's latest entry may be before it is stale (`CreditService.ledgerStaleAfterDays`).
    public let staleAfterDays: Int
    let checks = InputChecks()

    public init(database: any DatabaseReader, model: ScoringModel, reviewPolicy: ReviewPolicy?, staleAfterDays: Int) {
        self.database = database
        self.model = model
        self.reviewPolicy = reviewPolicy
        self.staleAfterDays = staleAfterDays
    }

    /// The dashboard as of `day` for the selected customers. Throws `Refusal` (not found) for a
    /// group or sector no customer has, as the other reports do; a sales rep without accounts
    /// gets an empty dashboard.
    public func dashboard(asOf day: Day, selection: PortfolioSelection = .all) async throws -> Dashboard {
        let selection = PortfolioSelection(
            group: try checks.text(selection.group, "group", required: false),
            sector: try checks.text(selection.sector, "sector", required: false),
            salesRep: try checks.text(selection.salesRep, "salesRep", required: false))
        let (model, reviewPolicy, staleAfterDays) = (self.model, self.reviewPolicy, self.staleAfterDays)
        async let ledger = database.read { db in
            try PortfolioKPIReport.requireSelection(db, selection)
            let ends = KPITrend.monthEnds(count: Dashboard.trendMonths, through: day)
            let figures = try PortfolioReports.indicators(db, asOf: ends.last == day ? ends : ends + [day], selection: selection)
            let customers = try figures.customers ?? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM customer") ?? 0
            let freshness = LedgerFreshness(latestEntry: try LedgerDayTotals().latestEntry(db), asOf: day, staleAfterDays: staleAfterDays)
            let trend = KPITrend(group: selection.group, sector: selection.sector, months: Array(figures.months.prefix(ends.count)))
            return (customers, figures.months.last, trend, figures.agedBalance, freshness)
        }
        async let latePayers = PortfolioReports(database: database, model: model, forecastPolicy: nil)
            .latePayers(asOf: day, by: .overdue, limit: Dashboard.latePayersListed, selection: selection)
        async let reviewsDue = database.read { db -> Int? in
            guard let reviewPolicy else { return nil }
            let candidates = try ReviewStore().candidates(db, selection: selection)
            return CreditReviews.due(candidates, before: day, today: day, policy: reviewPolicy, model: model).count
        }
        async let desk = database.read { db in
            (
                try Self.gradeMix(db, asOf: day, selection: selection, model: model), try Self.openAlerts(db, selection: selection),
                try Self.workload(db, asOf: day, selection: selection, model: model)
            )
        }
        let (customers, indicators, trend, agedBalance, freshness) = try await ledger
        var (grades, alerts, workload) = try await desk
        workload.reviewsDue = try await reviewsDue
        return Dashboard(
            asOf: day, selection: selection, customers: customers,
            indicators: indicators ?? KPITrend.Month(monthEnd: day, days: [], paidOnPastDue: .zero), trend: trend,
            agedBalance: agedBalance, grades: grades, latePayers: try await latePayers, alerts: alerts, freshness: freshness,
            workload: workload)
    }

    /// The selected customers by effective grade: counted by their standing's grade in the store,
    /// then those with an override not revoked moved to the grade the customer list shows for them
    /// on `day` (`CustomerDirectory.entry`, which applies an override only while it is in force).
    static func gradeMix(_ db: Database, asOf day: Day, selection: PortfolioSelection, model: ScoringModel) throws -> GradeMix {
        let store = CustomerStore()
        var mix = GradeMix.Builder(scale: model.grades.map(\.code))
        for tally in try store.gradeTally(db, selection: selection) {
            mix.add(grade: tally.grade, customers: tally.customers, exposure: tally.exposure)
        }
        for (customerId, stored) in try store.currentOverrides(db).sorted(by: { $0.key < $1.key }) {
            guard let customer = try store.customer(db, id: customerId), selection.includes(customer),
                let standing = try store.standing(db, customerId: customerId)
            else { continue }
            let candidate = CustomerDirectory.Candidate(customer: customer, standing: standing, override: stored.override(on: model))
            let entry = CustomerDirectory.entry(candidate, on: day, model: model)
            if let effective = entry.grade { mix.decided(assessed: standing.grade, effective: effective, exposure: standing.exposure) }
        }
        return mix.build()
    }

    /// The alerts not closed of the selected customers and of the whole portfolio.
    static func openAlerts(_ db: Database, selection: PortfolioSelection) throws -> OpenAlerts {
        let store = AlertStore()
        var counts: [AlertKind: OpenAlerts.Count] = [:]
        for (kind, status, count) in try store.unclosedCounts(db, selection: selection) {
            var tally = counts[kind] ?? OpenAlerts.Count(kind: kind, open: 0, acknowledged: 0)
            switch status {
            case .open: tally.open += count
            case .acknowledged: tally.acknowledged += count
            case .closed: continue
            }
            counts[kind] = tally
        }
        return OpenAlerts(
            byKind: Array(counts.values), newest: try store.newestUnclosed(db, selection: selection, limit: Dashboard.newestAlertsListed))
    }

    /// Held orders, pending limit requests and disputes of the selected customers (the reviews due
    /// are counted apart: they read every selected customer's standing).
    static func workload(_ db: Database, asOf day: Day, selection: PortfolioSelection, model: ScoringModel) throws -> Workload {
        let cases = try DisputeStore().openCases(db, selection: selection)
        return Workload(
            heldOrders: try OrderStore().heldCount(db, selection: selection),
            limitRequestsPending: try LimitRequestStore().count(db, status: .pending, selection: selection), reviewsDue: nil,
            disputesOpen: model.disputeDeadlines.worklist(cases, asOf: day).count,
            disputesOverdue: model.disputeDeadlines.worklist(cases, asOf: day, overdueOnly: true).count)
    }
}

extension CreditService {
    /// The dashboard use case over this service's store, model, review policy and staleness rule.
    public var portfolioDashboard: PortfolioDashboard {
        PortfolioDashboard(database: database, model: model, reviewPolicy: policies?.reviews, staleAfterDays: ledgerStaleAfterDays)
    }

    /// The credit team's dashboard as of `day` for the selected customers (`PortfolioDashboard`):
    /// what the web application's dashboard page and `creditrisk dashboard` render.
    public func dashboard(asOf day: Day, selection: PortfolioSelection = .all) async throws -> Dashboard {
        try await portfolioDashboard.dashboard(asOf: day, selection: selection)
    }
}
