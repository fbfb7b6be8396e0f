import CreditCore
import CreditStore
import Foundation
import GRDB

/// Grades that moved over a period.
public struct GradeChangesReport: Hashable, Sendable, Encodable {
    public var from: Day
    public var to: Day
    public var group: String?
    public var sector: String?
    public var method: String
    /// Selected customers with an assessment on or before `to`.
    public var assessed: Int
    public var downgrades: Int
    public var upgrades: Int
    /// Changes between grades of which one is not on the model's scale.
    public var otherChanges: Int
    /// Customers first assessed in the period (no grade at the start): not listed.
    public var newlyAssessed: Int
    /// The direction asked for (absent: both), and how many changes are listed of those.
    public var direction: GradeDirection?
    public var listed: Int
    public var changes: [GradeChange]
}

/// The credit team's weekly reports: the late payers, the grade changes of a period, the
/// 13-week cash-collection forecast and its backtest, and the indicators' monthly trend. Shared
/// by `GET /v1/reports/...` and `creditrisk report ...`.
public struct PortfolioReports: Sendable {
    public let database: any DatabaseReader
    public let model: ScoringModel
    public let forecastPolicy: CashForecastPolicy?

    public init(database: any DatabaseReader, model: ScoringModel, forecastPolicy: CashForecastPolicy?) {
        self.database = database
        self.model = model
        self.forecastPolicy = forecastPolicy
    }

    // MARK: Late payers

    /// The first `limit` selected customers with something overdue on `day`, by overdue amount
    /// or by days beyond terms (`LatePayerRanking`), from the open balances the ledger holds.
    public func latePayers(
        asOf day: Day, by order: LatePayerOrder = .overdue, limit: Int = 20, selection: PortfolioSelection = .all
    ) async throws -> LatePayersReport {
        guard (1...1_000).contains(limit) else { throw Refusal.invalid(field: "limit", "must be between 1 and 1000, not \(limit)") }
        return try await database.read { db in
            try PortfolioKPIReport.requireSelection(db, selection)
            let queries = ReportQueries()
            let balances = try queries.overdueBalances(db, asOf: day, selection: selection)
            let payers = try LatePayerRanking.rank(balances, by: order, limit: limit).enumerated().map { index, balance in
                let line = try queries.customerLine(db, customerId: balance.customerId, asOf: day)
                let account = try queries.openAccount(db, customerId: balance.customerId, asOf: day)
                let disputed = try queries.overdueDisputes(db, customerId: balance.customerId, asOf: day).reduce(Money.zero) {
                    $0 + PaymentProfile.contestedPart(of: $1.open, by: $1.disputes)
                }
                return LatePayer(
                    rank: index + 1, customerId: balance.customerId, name: line?.name ?? "", group: line?.group,
                    sectorCode: line?.sectorCode ?? "", grade: line?.grade, overdue: balance.overdue, overdueInvoices: account.overdueInvoices,
                    daysBeyondTerms: balance.daysBeyondTerms ?? 0, oldestDueDate: account.oldestDueDate, disputedOverdue: disputed,
                    openBalance: account.openBalance, unappliedCredits: account.credits)
            }
            return LatePayersReport(
                asOf: day, by: order, group: selection.group, sector: selection.sector, salesRep: selection.salesRep,
                customersOverdue: balances.count, totalOverdue: balances.reduce(Money.zero) { $0 + $1.overdue }, latePayers: payers)
        }
    }

    // MARK: Grade changes

    /// The selected customers whose grade at `to` differs from their grade before `from`
    /// (`GradeChanges`): the first `limit` of them (in `direction` only, when given), with the
    /// counts of all.
    public func gradeChanges(
        from: Day, to: Day, selection: PortfolioSelection = .all, direction: GradeDirection? = nil, limit: Int = 100
    ) async throws -> GradeChangesReport {
        guard from <= to else { throw Refusal.invalid(field: "to", "\(to.iso) is before from \(from.iso): a period ends after it starts") }
        guard (1...100_000).contains(limit) else { throw Refusal.invalid(field: "limit", "must be between 1 and 100000, not \(limit)") }
        let model = self.model
        return try await database.read { db in
            try PortfolioKPIReport.requireSelection(db, selection)
            let queries = ReportQueries()
            let (ends, assessed) = try queries.gradeEnds(db, from: from, to: to, selection: selection)
            var moves: [GradeMove] = []
            var newlyAssessed = 0
            for customer in ends {
                guard let start = customer.startGrade else {
                    newlyAssessed += 1
                    continue
                }
                if let move = GradeChanges.move(
                    customerId: customer.customerId, from: start, to: customer.endGrade, endPD: customer.endPD ?? 0, model: model)
                {
                    moves.append(move)
                }
            }
            let shown = GradeChanges.ordered(moves.filter { direction == nil || $0.direction == direction }).prefix(limit)
            let listed = try shown.compactMap { move -> GradeChange? in
                guard let start = try queries.gradeSnapshot(db, customerId: move.customerId, before: from, inclusive: false),
                    let end = try queries.gradeSnapshot(db, customerId: move.customerId, before: to, inclusive: true)
                else { return nil }
                let reasons = try queries.reasons(db, assessmentIds: [start.id, end.id])
                var (before, after) = (start.snapshot, end.snapshot)
                before.reasons = reasons[start.id] ?? []
                after.reasons = reasons[end.id] ?? []
                let line = try queries.customerLine(db, customerId: move.customerId, asOf: to)
                return GradeChanges.change(
                    customerId: move.customerId, name: line?.name ?? "", group: line?.group, from: before, to: after, model: model)
            }
            return GradeChangesReport(
                from: from, to: to, group: selection.group, sector: selection.sector, method: GradeChanges.method, assessed: assessed,
                downgrades: moves.count { $0.direction == .downgrade }, upgrades: moves.count { $0.direction == .upgrade },
                otherChanges: moves.count { $0.direction == .changed }, newlyAssessed: newlyAssessed, direction: direction,
                listed: listed.count, changes: listed)
        }
    }

    // MARK: Cash forecast

    func policy() throws -> CashForecastPolicy {
        guard let forecastPolicy else {
            throw Refusal(.unavailable, "the cash forecast policy file (\(CashForecastPolicyFile.defaultPath)) was not found")
        }
        return forecastPolicy
    }

    static func checkWeeks(_ weeks: Int) throws {
        guard (1...CashForecast.maximumWeeks).contains(weeks) else {
            throw Refusal.invalid(field: "weeks", "must be between 1 and \(CashForecast.maximumWeeks), not \(weeks)")
        }
    }

    /// Expected receipts per week for `weeks` weeks after `day` (`CashForecast`). When nothing
    /// was invoiced or paid after `day`, the open balances are those the ledger holds and each
    /// customer's payment delay that of its latest stored assessment on or before `day` (one pass
    /// over the open items); for an earlier day, both are rebuilt from the ledger as of that day,
    /// as the backtest does (the whole ledger is read).
    public func cashForecast(asOf day: Day, weeks: Int = 13) async throws -> CashForecast {
        let policy = try policy()
        try Self.checkWeeks(weeks)
        let model = self.model
        if let forecast = try await database.read({ db -> CashForecast? in
            guard try !ReportQueries().ledgerMovesAfter(db, day) else { return nil }
            return try Self.forecastFromStore(db, asOf: day, weeks: weeks, policy: policy, model: model)
        }) {
            return forecast
        }
        let forecasts = try await forecastsFromLedger(asOf: [day], weeks: weeks, policy: policy, readThrough: day, receipts: false)
        return forecasts.first?.forecast ?? CashForecast.Builder(asOf: day, weeks: weeks, policy: policy).build()
    }

    /// The forecast rebuilt from the ledger as of `day` whatever came after: what `cashForecast`
    /// does for a past day, for tests that hold it against the stored reading.
    @_spi(Testing) public func forecastFromLedger(asOf day: Day, weeks: Int = 13) async throws -> CashForecast {
        let policy = try policy()
        let readThrough = try await database.read { try LedgerDayTotals().latestMovement($0) } ?? day
        let forecasts = try await forecastsFromLedger(asOf: [day], weeks: weeks, policy: policy, readThrough: max(day, readThrough), receipts: false)
        return forecasts.first?.forecast ?? CashForecast.Builder(asOf: day, weeks: weeks, policy: policy).build()
    }

    static func forecastFromStore(_ db: Database, asOf day: Day, weeks: Int, policy: CashForecastPolicy, model: ScoringModel) throws -> CashForecast {
        let context = try EvidenceContext(db, model: model)
        let queries = ReportQueries()
        let disputes = try queries.openDisputes(db, asOf: day)
        let grace = model.collectionsPolicy.promiseGraceDays
        let judged = try queries.promisesToJudge(db, asOf: day, earliestPayBy: day - grace)
        let promises = ForecastCustomer.pendingPromises(
            judged.promises, invoices: judged.invoices, payments: judged.payments, asOf: day, graceDays: grace)
        var builder = CashForecast.Builder(asOf: day, weeks: weeks, policy: policy)
        try queries.forEachOpenAccount(db, asOf: day) { account in
            let delay = PaymentDelay.expected(
                ownDays: account.paymentDelayDays, thinFile: account.thinFile ?? true, sector: context.sectors[account.sectorCode],
                portfolio: context.portfolioSector)
            let items = account.items.map { item in
                ForecastItem(
                    invoiceId: item.invoiceId, dueDate: item.dueDate, open: item.open,
                    disputed: disputes[item.invoiceId].map { PaymentProfile.contestedPart(of: item.open, by: $0) } ?? .zero,
                    promise: promises[item.invoiceId])
            }
            builder.add(ForecastCustomer(customerId: account.customerId, delay: delay, items: items), credits: account.credits)
        }
        return builder.build()
    }

    /// The cash forecast checked on the ledger's past (`CashForecastBacktest`): forecasts as of
    /// the `months` latest month-ends whose `weeks` weeks lie on or before `through` (default: the
    /// ledger's latest movement), each made with only what was known that day, against the
    /// receipts that came.
    public func cashForecastBacktest(months: Int? = nil, weeks: Int = 13, through: Day? = nil) async throws -> CashForecastBacktest {
        let policy = try policy()
        try Self.checkWeeks(weeks)
        let count = months ?? policy.backtestMonths
        guard (1...36).contains(count) else { throw Refusal.invalid(field: "months", "must be between 1 and 36, not \(count)") }
        let lastDay: Day
        if let through {
            lastDay = through
        } else {
            lastDay = try await database.read { try LedgerDayTotals().latestMovement($0) } ?? Day(daysSinceEpoch: 0)
        }
        let ends = CashForecastBacktest.monthEnds(count: count, weeks: weeks, lastDay: lastDay)
        let results = try await forecastsFromLedger(asOf: ends, weeks: weeks, policy: policy, readThrough: lastDay, receipts: true)
        return CashForecastBacktest(
            policyVersion: policy.version, weeks: weeks,
            origins: results.map { CashForecastBacktest.Origin(forecast: $0.forecast, actual: $0.receipts) })
    }

    /// Forecasts as of each of `days` from the ledger read through `readThrough`, with only what
    /// was known on each day (payment delays measured by the payment profile as of that day), and
    /// with `receipts` the payments that came in each week. The ledger is read once, a slice of
    /// customers at a time, and each slice worked on every core.
    func forecastsFromLedger(
        asOf days: [Day], weeks: Int, policy: CashForecastPolicy, readThrough: Day, receipts: Bool
    ) async throws -> [(forecast: CashForecast, receipts: [Money])] {
        guard !days.isEmpty else { return [] }
        let model = self.model
        let (bounds, sectors, portfolio) = try await database.read { db in
            let context = try EvidenceContext(db, model: model)
            return (
                try LedgerHistories().sliceBounds(db, size: ScoringService.defaultCustomersPerTransaction), context.sectors, context.portfolioSector
            )
        }
        var builders = days.map { CashForecast.Builder(asOf: $0, weeks: weeks, policy: policy) }
        var received = days.map { _ in [Money](repeating: .zero, count: weeks) }
        for slice in LedgerHistories.slices(bounds: bounds) {
            let histories = try await database.read { db in try LedgerHistories().histories(db, asOf: readThrough, selection: slice) }
            let results = try await BlockingWork.backgroundMap(histories, minimumPerWorker: 256) { history in
                days.map { day in
                    Self.forecastInput(history, asOf: day, weeks: weeks, model: model, sectors: sectors, portfolio: portfolio, receipts: receipts)
                }
            }
            for perDay in results {
                for (index, input) in perDay.enumerated() {
                    builders[index].add(input.customer, credits: input.credits)
                    for (week, amount) in input.receipts.enumerated() where week < weeks { received[index][week] += amount }
                }
            }
        }
        return zip(builders, received).map { (forecast: $0.build(), receipts: $1) }
    }

    /// One customer's open invoices, payment delay and (when asked) receipts as of `day`.
    static func forecastInput(
        _ history: CustomerHistory, asOf day: Day, weeks: Int, model: ScoringModel, sectors: [String: Sector], portfolio: Sector,
        receipts: Bool
    ) -> (customer: ForecastCustomer, credits: Money, receipts: [Money]) {
        let sector = sectors[history.customer.sectorCode]
        let evidence = CustomerEvidence(
            customer: history.customer, asOf: day, invoices: history.invoices, payments: history.payments, disputes: history.disputes,
            sector: sector, portfolioSector: portfolio, promises: history.promises)
        let delay = PaymentDelay.expected(profile: PaymentProfile(evidence: evidence, model: model), sector: sector, portfolio: portfolio)
        let (customer, credits) = ForecastCustomer.fromLedger(
            customerId: history.customer.id, asOf: day, invoices: history.invoices, payments: history.payments,
            disputes: history.disputes, promises: history.promises, delay: delay,
            promiseGraceDays: model.collectionsPolicy.promiseGraceDays)
        let came = receipts ? ForecastWeeks(asOf: day, count: weeks).receipts(invoices: history.invoices, payments: history.payments) : []
        return (customer, credits, came)
    }

    // MARK: KPI trend

    /// The indicators as of each of the `months` latest month-ends on or before `through`
    /// (default: the ledger's latest movement), equal to `GET /v1/portfolio/kpis` as of each.
    /// The whole portfolio adds them up from the ledger's daily totals; a group or sector, a
    /// small part of it, runs the indicators' own builder over its customers' ledgers.
    public func kpiTrend(months: Int = 12, through: Day? = nil, selection: PortfolioSelection = .all) async throws -> KPITrend {
        guard (1...36).contains(months) else { throw Refusal.invalid(field: "months", "must be between 1 and 36, not \(months)") }
        return try await database.read { db in
            try PortfolioKPIReport.requireSelection(db, selection)
            let last = try through ?? LedgerDayTotals().latestMovement(db) ?? Day(daysSinceEpoch: 0)
            let ends = KPITrend.monthEnds(count: months, through: last)
            return KPITrend(
                group: selection.group, sector: selection.sector, months: try Self.indicators(db, asOf: ends, selection: selection).months)
        }
    }

    /// The indicators as of each of `days` (in ascending order) and the aged balance as of the
    /// last, for the selected customers, with how many were selected (nil for the whole
    /// portfolio, whose ledger is not walked). The whole portfolio adds them up from the ledger's
    /// daily totals (`KPITrend.Month`, `AgedBalance(asOf:days:paidOnDueBefore:)`); a group,
    /// sector or sales rep, a part of it, runs the indicators' own builder over its customers'
    /// ledgers, read once for every day.
    static func indicators(
        _ db: Database, asOf days: [Day], selection: PortfolioSelection
    ) throws -> (months: [KPITrend.Month], agedBalance: AgedBalance, customers: Int?) {
        guard let last = days.last else { return ([], AgedBalance(), selection == .all ? nil : 0) }
        // The whole portfolio, or a group, sector or sales rep, from its daily totals (unless a
        // customer moved scope since they were built); several filters together walk.
        let scope = LedgerDayTotals.Scope(selection)
        if try selection == .all || (scope != nil && !LedgerDayTotals().scopesStale(db)) {
            let totals = LedgerDayTotals()
            let ledgerDays = try totals.days(db, scope: scope)
            let cutoffs = AgedBalance.overdueCutoffs(asOf: last)
            let paid = try totals.paid(
                db, asOf: days.map { (paidBy: $0, dueBefore: $0) } + cutoffs.map { (paidBy: last, dueBefore: $0) }, scope: scope)
            return (
                zip(days, paid).map { KPITrend.Month(monthEnd: $0, days: ledgerDays, paidOnPastDue: $1) },
                AgedBalance(asOf: last, days: ledgerDays, paidOnDueBefore: Array(paid.suffix(cutoffs.count))),
                selection == .all ? nil : try KPIQueries().customerCount(db, selection: selection)
            )
        }
        var builders = days.map { PortfolioKPIs.Builder(asOf: $0) }
        var customers = 0
        try KPIQueries().forEachLedger(db, asOf: last, selection: selection) { history in
            customers += 1
            PortfolioKPIs.Builder.add(invoices: history.invoices, payments: history.payments, disputes: history.disputes, to: &builders)
        }
        let built = builders.map { $0.build(selection: selection, customers: customers, grades: [], gradeOrder: []) }
        return (built.map(KPITrend.Month.init), built.last?.agedBalance ?? AgedBalance(), customers)
    }
}
