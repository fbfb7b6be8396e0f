/// The credit team's dashboard on one day: what is owed and how late, how the indicators moved
/// over twelve months, how the portfolio spreads over the grades, who pays late, what alerts
/// wait, how fresh the ledger is and what is waiting for a decision. One value, so that a page
/// (or the CLI) renders it without asking anything else.
///
/// With a selection (a group, a sector, a sales rep's accounts) every figure is restricted to
/// the selected customers, except two that concern the whole ledger: `freshness` (one ledger,
/// one latest entry) and the alerts about the whole portfolio (no customer: stale data), which
/// are counted and listed in every selection.
public struct Dashboard: Hashable, Sendable, Codable {
    public var asOf: Day
    /// The filter the figures are for; absent fields mean "any".
    public var group: String?
    public var sector: String?
    public var salesRep: String?
    /// Selected customers, with or without open items.
    public var customers: Int
    /// Open receivables (net of unapplied credits), overdue amount and share, countback DSO and
    /// days beyond terms as of `asOf`: the figures of the portfolio indicators
    /// (`PortfolioKPIs`) for the same day and selection.
    public var indicators: KPITrend.Month
    /// The same indicators at the twelve month-ends on or before `asOf`, oldest first.
    public var trend: KPITrend
    /// Open amounts by days past due on `asOf`, unapplied credits apart.
    public var agedBalance: AgedBalance
    public var grades: GradeMix
    /// The twenty customers with the largest overdue amount, with how many are late in all.
    public var latePayers: LatePayersReport
    public var alerts: OpenAlerts
    public var freshness: LedgerFreshness
    public var workload: Workload

    public init(
        asOf: Day, selection: PortfolioSelection, customers: Int, indicators: KPITrend.Month, trend: KPITrend,
        agedBalance: AgedBalance, grades: GradeMix, latePayers: LatePayersReport, alerts: OpenAlerts, freshness: LedgerFreshness,
        workload: Workload
    ) {
        self.asOf = asOf
        self.group = selection.group
        self.sector = selection.sector
        self.salesRep = selection.salesRep
        self.customers = customers
        self.indicators = indicators
        self.trend = trend
        self.agedBalance = agedBalance
        self.grades = grades
        self.latePayers = latePayers
        self.alerts = alerts
        self.freshness = freshness
        self.workload = workload
    }

    /// How many months the trend covers and how many late payers and alerts are listed.
    public static let trendMonths = 12
    public static let latePayersListed = 20
    public static let newestAlertsListed = 10

    public var selection: PortfolioSelection { PortfolioSelection(group: group, sector: sector, salesRep: salesRep) }
}

/// The selected customers spread over their effective grades: an override in force on the day
/// counts its customer under the override's grade (as the customer list shows it), every other
/// customer under the grade of its latest assessment. Every customer counts once.
public struct GradeMix: Hashable, Sendable, Codable {
    /// One grade's customers and their exposure.
    public struct Line: Hashable, Sendable, Codable {
        /// Nil for the customers never assessed.
        public var grade: String?
        public var customers: Int
        /// Exposure at each customer's latest assessment (open balances and orders not yet
        /// invoiced); zero for customers never assessed.
        public var exposure: Money

        /// The grade's code, or "not assessed".
        public var label: String { grade ?? GradeMix.notAssessedLabel }
    }

    /// The scale's grades best first (every one, so that two dashboards line up), then `D`, then
    /// grades of an older model's scale still stored, then the customers never assessed.
    public var lines: [Line]
    /// Customers counted under an override's grade rather than their assessment's.
    public var overridden: Int

    public static let notAssessedLabel = "not assessed"

    /// Customers counted, every one once.
    public var customers: Int { lines.reduce(0) { $0 + $1.customers } }

    /// Tallies customers by grade, then moves those whose override decides their grade.
    public struct Builder: Sendable {
        let order: [String]
        var tallies: [String?: (customers: Int, exposure: Money)] = [:]
        var overridden = 0

        /// `scale`: the grade codes best first, `D` last (`ScoringModel.grades`); `D` is added
        /// when missing.
        public init(scale: [String]) {
            order = scale.contains(Grade.defaultCode) ? scale : scale + [Grade.defaultCode]
        }

        /// `customers` customers whose latest assessment gave `grade` (nil: never assessed),
        /// with their exposure.
        public mutating func add(grade: String?, customers: Int, exposure: Money) {
            let tally = tallies[grade] ?? (0, .zero)
            tallies[grade] = (tally.customers + customers, tally.exposure + exposure)
        }

        /// A customer added under `assessed` whose effective grade on the day is `effective`.
        public mutating func decided(assessed: String, effective: String, exposure: Money) {
            guard assessed != effective else { return }
            add(grade: assessed, customers: -1, exposure: -exposure)
            add(grade: effective, customers: 1, exposure: exposure)
            overridden += 1
        }

        public func build() -> GradeMix {
            func line(_ grade: String?) -> Line {
                let tally = tallies[grade] ?? (0, .zero)
                return Line(grade: grade, customers: tally.customers, exposure: tally.exposure)
            }
            let others = tallies.compactMap { grade, tally in grade.flatMap { order.contains($0) || tally.customers == 0 ? nil : $0 } }
            return GradeMix(lines: (order + others.sorted()).map(line) + [line(nil)], overridden: overridden)
        }
    }
}

/// The alerts not closed (open, or acknowledged and still standing), by kind, and the newest.
public struct OpenAlerts: Hashable, Sendable, Codable {
    public struct Count: Hashable, Sendable, Codable {
        public var kind: AlertKind
        public var open: Int
        public var acknowledged: Int

        public init(kind: AlertKind, open: Int, acknowledged: Int) {
            self.kind = kind
            self.open = open
            self.acknowledged = acknowledged
        }

        public var total: Int { open + acknowledged }
    }

    /// Every kind with an alert not closed, in the order `AlertKind` lists them.
    public var byKind: [Count]
    /// The newest alerts not closed, newest first.
    public var newest: [Alert]

    public init(byKind: [Count], newest: [Alert]) {
        self.byKind = byKind.filter { $0.total > 0 }.sorted {
            (AlertKind.allCases.firstIndex(of: $0.kind) ?? 0) < (AlertKind.allCases.firstIndex(of: $1.kind) ?? 0)
        }
        self.newest = newest
    }

    public var total: Int { byKind.reduce(0) { $0 + $1.total } }
}

/// How old the ledger's latest entry is on the dashboard's day, by the rule the scoring runs
/// raise their `data_freshness` alert with (`DataFreshness`).
public struct LedgerFreshness: Hashable, Sendable, Codable {
    /// The day of the ledger's latest entry (invoice issued, payment received, dispute opened or
    /// resolved); nil for an empty ledger, which is not called stale (there is nothing to age).
    public var latestEntry: Day?
    public var ageDays: Int?
    public var staleAfterDays: Int
    public var stale: Bool

    public init(latestEntry: Day?, asOf: Day, staleAfterDays: Int) {
        let rule = latestEntry.map { DataFreshness(latestEntry: $0, asOf: asOf, staleAfterDays: staleAfterDays) }
        self.latestEntry = latestEntry
        self.ageDays = rule?.ageDays
        self.staleAfterDays = staleAfterDays
        self.stale = rule?.isStale ?? false
    }
}

/// What waits for the credit team on the day.
public struct Workload: Hashable, Sendable, Codable {
    /// Orders referred and reserved, waiting for a release or a rejection.
    public var heldOrders: Int
    public var limitRequestsPending: Int
    /// Customers whose periodic review is due on or before the day; nil when the service runs
    /// without a review policy.
    public var reviewsDue: Int?
    /// Disputes open on the day, and those of them past their resolution deadline.
    public var disputesOpen: Int
    public var disputesOverdue: Int

    public init(heldOrders: Int, limitRequestsPending: Int, reviewsDue: Int?, disputesOpen: Int, disputesOverdue: Int) {
        self.heldOrders = heldOrders
        self.limitRequestsPending = limitRequestsPending
        self.reviewsDue = reviewsDue
        self.disputesOpen = disputesOpen
        self.disputesOverdue = disputesOverdue
    }
}

extension AgedBalance {
    /// The due dates that split the overdue buckets on `day`: invoices due before each are more
    /// than 0, 30, 60 and 90 days past due.
    public static func overdueCutoffs(asOf day: Day) -> [Day] { [day, day - 30, day - 60, day - 90] }

    /// The aged balance on `day` from the whole ledger's daily totals, without reading an
    /// invoice: `paidOnDueBefore[k]` is what was received on or before `day` on invoices due
    /// before `overdueCutoffs(asOf: day)[k]`. Each bucket is what fell due in its range less what
    /// was paid on it; unapplied credits are the net balance less the receivables. Equal to the
    /// indicators' own aged balance under the condition `KPITrend.Month` states (no invoice
    /// overpaid, none issued after its due date).
    public init(asOf day: Day, days: [LedgerDay], paidOnDueBefore: [Money]) {
        let cutoffs = Self.overdueCutoffs(asOf: day)
        var net = Money.zero
        var receivables = Money.zero
        var dueBefore = [Money](repeating: .zero, count: cutoffs.count)
        for totals in days where totals.day <= day {
            net += totals.issued - totals.received
            receivables += totals.invoicesIssued - totals.receivedOnInvoices
            for (index, cutoff) in cutoffs.enumerated() where totals.day < cutoff { dueBefore[index] += totals.invoicesDue }
        }
        let open = cutoffs.indices.map { dueBefore[$0] - (paidOnDueBefore.indices.contains($0) ? paidOnDueBefore[$0] : .zero) }
        self.init()
        notDue = receivables - open[0]
        days1to30 = open[0] - open[1]
        days31to60 = open[1] - open[2]
        days61to90 = open[2] - open[3]
        over90 = open[3]
        unappliedCredits = net - receivables
    }
}

extension PortfolioSelection {
    /// Whether the customer is one of the selection's.
    public func includes(_ customer: Customer) -> Bool {
        (group == nil || customer.group == group) && (sector == nil || customer.sectorCode == sector)
            && (salesRep == nil || customer.salesRep == salesRep)
    }
}
