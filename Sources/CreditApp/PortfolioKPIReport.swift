import CreditCore
import CreditStore
import GRDB

/// The portfolio indicators use case (DSO, ageing, payment delays, disputes, grades), shared by
/// `GET /v1/portfolio/kpis` and `creditrisk kpis`.
public struct PortfolioKPIReport: Sendable {
    public let database: any DatabaseReader
    /// Grade codes best first, `D` last: the order of the grade distribution.
    public let gradeOrder: [String]

    public init(database: any DatabaseReader, model: ScoringModel) {
        self.database = database
        self.gradeOrder = model.grades.map(\.code)
    }

    /// The indicators of the selected customers as of `day`, or as of the ledger's latest date
    /// when `day` is nil. Throws `PortfolioSelectionError` when the group or sector is unknown.
    /// One read transaction: the ledger and the grades are of the same moment. The whole
    /// portfolio's come from the totals the store keeps (`wholePortfolio`); a selection's from a
    /// walk of its customers' ledgers.
    public func kpis(asOf day: Day?, selection: PortfolioSelection = .all) async throws -> PortfolioKPIs {
        try await indicators(asOf: day, selection: selection, walking: false)
    }

    /// The same indicators from a walk of every selected customer's ledger, whatever the
    /// selection: the reference the maintained totals are checked against.
    public func kpisByWalkingTheLedger(asOf day: Day?, selection: PortfolioSelection = .all) async throws -> PortfolioKPIs {
        try await indicators(asOf: day, selection: selection, walking: true)
    }

    private func indicators(asOf day: Day?, selection: PortfolioSelection, walking: Bool) async throws -> PortfolioKPIs {
        let gradeOrder = self.gradeOrder
        return try await database.read { db in
            let queries = KPIQueries()
            try Self.requireSelection(db, selection)
            // The ledger's latest entry from the daily totals (the same day a walk of the ledger finds).
            let asOf = try day ?? LedgerDayTotals().latestEntry(db) ?? Day(daysSinceEpoch: 0)
            if !walking, selection == .all {
                return try Self.fromTotals(db, asOf: asOf, selection: selection, scope: nil, gradeOrder: gradeOrder)
            }
            // A group, a sector or a sales rep from its own totals, unless a customer moved scope since they were built.
            if !walking, let scope = LedgerDayTotals.Scope(selection), try !LedgerDayTotals().scopesStale(db) {
                return try Self.fromTotals(db, asOf: asOf, selection: selection, scope: scope, gradeOrder: gradeOrder)
            }
            var builder = PortfolioKPIs.Builder(asOf: asOf)
            var customers = 0
            try queries.forEachLedger(db, asOf: asOf, selection: selection) { history in
                customers += 1
                builder.add(invoices: history.invoices, payments: history.payments, disputes: history.disputes)
            }
            let grades = try queries.latestGrades(db, asOf: asOf, selection: selection)
            return builder.build(selection: selection, customers: customers, grades: grades, gradeOrder: gradeOrder)
        }
    }

    /// The indicators of the whole portfolio (`scope` nil) or of one group, sector or sales rep
    /// from the ledger's daily totals (kept by the store with every write), the disputes from the
    /// disputed invoices alone: milliseconds where the full walk takes seconds on a large ledger.
    /// `kpis(asOf:selection:)` answers through here for the whole portfolio and single filters.
    static func fromTotals(
        _ db: Database, asOf day: Day, selection: PortfolioSelection, scope: LedgerDayTotals.Scope?, gradeOrder: [String]
    ) throws -> PortfolioKPIs {
        let totals = LedgerDayTotals()
        let days = try totals.days(db, scope: scope)
        // The aged balance's first cutoff is the day itself: what was paid on past-due invoices.
        let cutoffs = AgedBalance.overdueCutoffs(asOf: day)
        let paid = try totals.paid(db, by: day, dueBefore: cutoffs, days: days, scope: scope)
        let figures = LedgerDayFigures(asOf: day, days: days, paidOnPastDue: paid.first ?? .zero)
        let aged = AgedBalance(asOf: day, days: days, paidOnDueBefore: paid)
        var disputes = PortfolioKPIs.Builder(asOf: day)
        let queries = KPIQueries()
        for invoice in try queries.disputedBalances(db, asOf: day, selection: selection) {
            disputes.addDisputes(invoice.disputes, openBalance: invoice.openBalance)
        }
        let grades =
            selection == .all
            ? try queries.gradeShares(db, asOf: day)
            : try queries.latestGrades(db, asOf: day, selection: selection).map {
                PortfolioKPIs.GradeShare(grade: $0.grade, customers: 1, exposure: $0.exposure)
            }
        return PortfolioKPIs(
            asOf: day, selection: selection, figures: figures, agedBalance: aged,
            customers: try queries.customerCount(db, selection: selection), disputes: disputes.disputeIndicators, gradeShares: grades,
            gradeOrder: gradeOrder)
    }

    /// Refuses a group or sector no customer has: reported rather than answered with empty
    /// figures, which would look like a portfolio with no risk.
    static func requireSelection(_ db: Database, _ selection: PortfolioSelection) throws {
        let queries = KPIQueries()
        if let group = selection.group, try !queries.groupExists(db, group) {
            throw Refusal(.notFound, "no customer belongs to group \"\(group.truncatedForMessage(40))\"", field: "group")
        }
        if let sector = selection.sector, try !queries.sectorExists(db, sector) {
            throw Refusal(
                .notFound, "no sector \"\(sector.truncatedForMessage(40))\" in the sector table or among the customers", field: "sector")
        }
    }
}
