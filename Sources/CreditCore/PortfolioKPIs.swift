/// Which customers a set of indicators is about: the whole portfolio, one customer group, one
/// sector, or the group's customers in that sector.
public struct PortfolioSelection: Hashable, Sendable, Codable, CustomStringConvertible {
    public var group: String?
    public var sector: String?
    /// The sales rep who holds the accounts: what the late payers list is read by too.
    public var salesRep: String?

    public init(group: String? = nil, sector: String? = nil, salesRep: String? = nil) {
        self.group = group
        self.sector = sector
        self.salesRep = salesRep
    }

    public static let all = PortfolioSelection()

    /// "all customers", "group Groupe Henry", "sector 45.20A", "group G, sector S".
    public var description: String {
        let parts = [group.map { "group \($0)" }, sector.map { "sector \($0)" }, salesRep.map { "sales rep \($0)" }].compactMap { $0 }
        return parts.isEmpty ? "all customers" : parts.joined(separator: ", ")
    }
}

/// The days `[from, to]`, both included: the trailing window an indicator is computed over.
public struct TrailingWindow: Hashable, Sendable, Codable {
    public var from: Day
    public var to: Day
    public var days: Int

    /// The `days` days ending on `asOf` (365 days ending 2026-03-31 start on 2025-04-01).
    public init(days: Int, endingOn asOf: Day) {
        self.from = asOf - (days - 1)
        self.to = asOf
        self.days = days
    }

    public func contains(_ day: Day) -> Bool { from <= day && day <= to }
}

/// A customer's latest stored grade, as the grade distribution counts it.
public struct CustomerGrade: Hashable, Sendable, Codable {
    public var customerId: String
    public var grade: String
    /// Exposure when the grade was given (open balances plus orders not yet invoiced).
    public var exposure: Money

    public init(customerId: String, grade: String, exposure: Money) {
        self.customerId = customerId
        self.grade = grade
        self.exposure = exposure
    }
}

/// The credit manager's portfolio dashboard on a day: how much is owed and how late, how long
/// sales take to turn into cash (DSO), how far beyond terms customers pay, how disputes go, and
/// how the portfolio spreads over the grade scale.
///
/// Every figure is as of `asOf` and read from the ledger itself: invoices issued and payments
/// received on or before that day, disputes opened by then. Nothing later counts, so last
/// quarter's dashboard can be rebuilt exactly today.
public struct PortfolioKPIs: Hashable, Sendable, Codable {
    public var asOf: Day
    /// The filter the figures are for; absent fields mean "any".
    public var group: String?
    public var sector: String?
    /// Customers selected, with or without open items.
    public var customers: Int
    /// Net open balance: receivables less unapplied credits.
    public var openReceivables: Money
    public var agedBalance: AgedBalance
    /// Overdue amounts over receivables before credits (0 when nothing is owed): credits are
    /// left out so that a large credit note does not make the ledger look later than it is.
    public var overdueShare: Double
    public var dso: DaysSalesOutstanding
    /// Days beyond terms (paid date − due date, floored at 0) of the invoices fully paid in
    /// `daysBeyondTermsWindow`, weighted by invoice amount: what a late euro costs.
    public var averageDaysBeyondTerms: Double?
    /// The same, each invoice counting once: how often customers are late.
    public var averageDaysBeyondTermsUnweighted: Double?
    public var daysBeyondTermsWindow: TrailingWindow
    /// Invoices fully paid in the window, the population of both averages.
    public var invoicesPaidInWindow: Int
    public var disputes: DisputeIndicators
    /// Every grade of the scale, best first and `D` last (zero rows included, so that two
    /// dashboards line up), then grades no longer in the scale.
    public var grades: [GradeShare]
    /// Selected customers without an assessment made on or before `asOf`.
    public var unscored: Int

    /// How many customers of a grade, and what they owe.
    public struct GradeShare: Hashable, Sendable, Codable {
        public var grade: String
        public var customers: Int
        public var exposure: Money

        public init(grade: String, customers: Int, exposure: Money) {
            self.grade = grade
            self.customers = customers
            self.exposure = exposure
        }
    }

    /// The trailing window of the payment-delay and dispute-resolution figures.
    public static let trailingWindowDays = 365

    /// Collects the ledger batch by batch (one customer's history at a time, say), keeping only
    /// running totals and daily sales: a million invoices never need to be in memory together.
    public struct Builder: Sendable {
        public let asOf: Day
        let delayWindow: TrailingWindow
        var aged = AgedBalance()
        /// Net invoiced sales per issue day, for both DSO methods.
        var salesByDay: [Day: Int64] = [:]
        var paidInvoices = 0
        var amountPaid: Double = 0
        var amountWeightedDelay: Double = 0
        var delaySum = 0
        var disputes: DisputeIndicators.Builder

        public init(asOf: Day) {
            self.asOf = asOf
            self.delayWindow = TrailingWindow(days: PortfolioKPIs.trailingWindowDays, endingOn: asOf)
            self.disputes = DisputeIndicators.Builder(window: delayWindow)
        }

        /// Adds invoices with their payments and disputes. Anything dated after `asOf` is
        /// ignored, as are payments and disputes whose invoice is not in the batch.
        public mutating func add(invoices: [Invoice], payments: [Payment], disputes: [Dispute]) {
            var paymentsByInvoice: [String: [Payment]] = [:]
            for payment in payments where payment.paidOn <= asOf {
                paymentsByInvoice[payment.invoiceId, default: []].append(payment)
            }
            var disputesByInvoice: [String: [Dispute]] = [:]
            for dispute in disputes where dispute.openedOn <= asOf {
                disputesByInvoice[dispute.invoiceId, default: []].append(dispute)
            }
            for invoice in invoices where invoice.issueDate <= asOf {
                add(invoice, payments: paymentsByInvoice[invoice.id] ?? [], disputes: disputesByInvoice[invoice.id] ?? [])
            }
        }

        /// Adds the same invoices, payments and disputes to each of `builders` (the indicators as
        /// of several days from one pass over a ledger), the batch grouped by invoice once rather
        /// than once per builder; each builder takes what is dated by its own day, as `add` does.
        public static func add(invoices: [Invoice], payments: [Payment], disputes: [Dispute], to builders: inout [Builder]) {
            var paymentsByInvoice: [String: [Payment]] = [:]
            for payment in payments { paymentsByInvoice[payment.invoiceId, default: []].append(payment) }
            var disputesByInvoice: [String: [Dispute]] = [:]
            for dispute in disputes { disputesByInvoice[dispute.invoiceId, default: []].append(dispute) }
            for invoice in invoices {
                let paid = (paymentsByInvoice[invoice.id] ?? []).sorted { $0.paidOn < $1.paidOn }
                let contested = disputesByInvoice[invoice.id] ?? []
                for index in builders.indices where invoice.issueDate <= builders[index].asOf {
                    let day = builders[index].asOf
                    // In day order: all of them unless the last came after the day.
                    let paidBy = (paid.last?.paidOn ?? day) <= day ? paid : paid.filter { $0.paidOn <= day }
                    let contestedBy = contested.allSatisfy { $0.openedOn <= day } ? contested : contested.filter { $0.openedOn <= day }
                    builders[index].add(invoice, payments: paidBy, disputes: contestedBy)
                }
            }
        }

        private mutating func add(_ invoice: Invoice, payments: [Payment], disputes: [Dispute]) {
            salesByDay[invoice.issueDate, default: 0] = salesByDay[invoice.issueDate, default: 0].addingSaturated(invoice.amount.cents)
            var paid: Int64 = 0
            var fullyPaidOn: Day?
            for payment in payments.sorted(by: { $0.paidOn < $1.paidOn }) {
                paid = paid.addingSaturated(payment.amount.cents)
                if fullyPaidOn == nil, invoice.amount.cents > 0, paid >= invoice.amount.cents {
                    fullyPaidOn = payment.paidOn
                }
            }
            let open = invoice.amount - Money(cents: paid)
            aged.add(open, daysPastDue: asOf - invoice.dueDate)
            if let fullyPaidOn, delayWindow.contains(fullyPaidOn) {
                let delay = max(0, fullyPaidOn - invoice.dueDate)
                paidInvoices += 1
                delaySum += delay
                amountPaid += Double(invoice.amount.cents)
                amountWeightedDelay += Double(invoice.amount.cents) * Double(delay)
            }
            self.disputes.add(disputes, openBalance: open, asOf: asOf)
        }

        /// Adds one invoice's disputes alone, with its open balance on the as-of day: the dispute
        /// indicators of the whole portfolio, whose other figures come from the daily totals.
        public mutating func addDisputes(_ disputes: [Dispute], openBalance: Money) {
            self.disputes.add(disputes, openBalance: openBalance, asOf: asOf)
        }

        /// The dispute indicators of what was added.
        public var disputeIndicators: DisputeIndicators { disputes.build() }

        public func build(
            selection: PortfolioSelection = .all, customers: Int, grades: [CustomerGrade], gradeOrder: [String]
        ) -> PortfolioKPIs {
            let dso = DaysSalesOutstanding(receivables: aged.total, salesByDay: salesByDay, asOf: asOf)
            let delay = PaidInvoiceDelays(invoices: paidInvoices, amount: amountPaid, amountDays: amountWeightedDelay, days: delaySum)
            let overdueShare = PortfolioKPIs.overdueShare(overdue: aged.overdue, receivables: aged.receivables)
            return PortfolioKPIs(
                asOf: asOf, group: selection.group, sector: selection.sector, customers: customers,
                openReceivables: aged.total, agedBalance: aged, overdueShare: overdueShare, dso: dso,
                averageDaysBeyondTerms: delay.weighted, averageDaysBeyondTermsUnweighted: delay.unweighted,
                daysBeyondTermsWindow: delayWindow, invoicesPaidInWindow: paidInvoices, disputes: disputes.build(),
                grades: PortfolioKPIs.distribution(grades, order: gradeOrder), unscored: max(0, customers - grades.count))
        }
    }

    /// Overdue amounts over receivables before credits; 0 when nothing is owed.
    public static func overdueShare(overdue: Money, receivables: Money) -> Double {
        receivables.cents <= 0 ? 0 : Double(overdue.cents) / Double(receivables.cents)
    }

    /// Customers and exposure per grade code, in the scale's order, then unknown codes sorted.
    static func distribution(_ grades: [CustomerGrade], order: [String]) -> [GradeShare] {
        distribution(shares: grades.map { GradeShare(grade: $0.grade, customers: 1, exposure: $0.exposure) }, order: order)
    }

    /// Customers and exposure per grade, `order`'s grades first (each, even with no customer),
    /// then any other grade stored (a model changed since) by code; `shares` may name a grade
    /// more than once (counted already, by the store, in parts).
    public static func distribution(shares: [GradeShare], order: [String]) -> [GradeShare] {
        var merged: [String: GradeShare] = [:]
        for share in shares {
            var total = merged[share.grade] ?? GradeShare(grade: share.grade, customers: 0, exposure: .zero)
            total.customers += share.customers
            total.exposure += share.exposure
            merged[share.grade] = total
        }
        let known = order.map { merged[$0] ?? GradeShare(grade: $0, customers: 0, exposure: .zero) }
        let others = merged.keys.filter { !order.contains($0) }.sorted().compactMap { merged[$0] }
        return known + others
    }
}

extension PortfolioKPIs {
    /// Indicators from plain ledger arrays: a convenience over `Builder` for small ledgers and
    /// tests. Payments and disputes are matched to `invoices` by invoice id.
    public init(
        asOf: Day, selection: PortfolioSelection = .all, customers: Int, invoices: [Invoice], payments: [Payment],
        disputes: [Dispute], grades: [CustomerGrade], gradeOrder: [String]
    ) {
        var builder = Builder(asOf: asOf)
        builder.add(invoices: invoices, payments: payments, disputes: disputes)
        self = builder.build(selection: selection, customers: customers, grades: grades, gradeOrder: gradeOrder)
    }
}

extension PortfolioKPIs {
    /// The whole portfolio's indicators without walking its ledger: the figures and the aged
    /// balance added up from the ledger's daily totals (`LedgerDayFigures`, `AgedBalance(asOf:days:...)`),
    /// the dispute indicators from a walk of the disputed invoices' customers alone. Equal to the
    /// full walk's (a test keeps them so).
    public init(
        asOf: Day, selection: PortfolioSelection = .all, figures: LedgerDayFigures, agedBalance: AgedBalance, customers: Int,
        disputes: DisputeIndicators, gradeShares: [GradeShare], gradeOrder: [String]
    ) {
        let grades = PortfolioKPIs.distribution(shares: gradeShares, order: gradeOrder)
        self.init(
            asOf: asOf, group: selection.group, sector: selection.sector, customers: customers, openReceivables: agedBalance.total,
            agedBalance: agedBalance,
            overdueShare: PortfolioKPIs.overdueShare(overdue: agedBalance.overdue, receivables: agedBalance.receivables), dso: figures.dso,
            averageDaysBeyondTerms: figures.delays.weighted, averageDaysBeyondTermsUnweighted: figures.delays.unweighted,
            daysBeyondTermsWindow: figures.window, invoicesPaidInWindow: figures.delays.invoices, disputes: disputes,
            grades: grades, unscored: max(0, customers - grades.reduce(0) { $0 + $1.customers }))
    }
}

/// The days beyond terms of invoices fully paid in a window, as the indicators average them:
/// each invoice's delay is its full-payment day minus its due date, floored at 0.
public struct PaidInvoiceDelays: Hashable, Sendable {
    /// Invoices fully paid in the window.
    public var invoices: Int
    /// Their amounts, in cents.
    public var amount: Double
    /// Σ amount × delay.
    public var amountDays: Double
    /// Σ delay.
    public var days: Int

    /// Weighted by amount: what a late euro costs. Nil when no invoice was paid.
    public var weighted: Double? { amount > 0 ? amountDays / amount : nil }
    /// Each invoice once: how often customers are late.
    public var unweighted: Double? { invoices > 0 ? Double(days) / Double(invoices) : nil }
}

/// Days sales outstanding, by two methods that answer differently when sales are seasonal.
///
/// `days` is the **countback** (exhaustion) method, the one credit managers use and report: the
/// open receivables are matched against invoiced sales month by month back from the as-of day,
/// each month fully absorbed counting its calendar days and the last month the fraction of its
/// sales still needed. Because it compares receivables with the sales that actually produced
/// them, a strong or weak recent month does not distort it, whereas the simple ratio moves with
/// the sales of the period it averages over (Credit Research Foundation; Bragg, "Credit &
/// Collection Guide"). `simpleDays` is that simple ratio over the last 90 days, given for
/// comparison with published DSO figures (the sector table's `avg_dso_days` are of that kind).
public struct DaysSalesOutstanding: Hashable, Sendable, Codable {
    /// Countback DSO in days; 0 when nothing is owed.
    public var days: Double
    public var method: String
    /// The two methods in words, for whoever reads the JSON.
    public var description: String
    /// The net open balance the countback exhausts.
    public var receivables: Money
    /// Calendar days of the months the countback walked through, the last one in full.
    public var periodDays: Int
    /// The months walked, latest first.
    public var months: [CountbackMonth]
    /// False when the ledger's sales history ran out before the receivables did; `days` then
    /// covers the whole history and understates the true figure.
    public var coversReceivables: Bool
    /// Receivables / sales of the last `simplePeriodDays` days × `simplePeriodDays`; nil when there
    /// were no net sales in that period.
    public var simpleDays: Double?
    public var simplePeriodDays: Int
    public var simplePeriodSales: Money

    /// One month of the countback: the days `(after, through]`, its net sales (credit notes
    /// deducted) and how many of its days count towards the DSO.
    public struct CountbackMonth: Hashable, Sendable, Codable {
        public var from: Day
        public var to: Day
        public var sales: Money
        public var daysCounted: Double
    }

    public static let simplePeriod = 90
    public static let methodDescription =
        "days: countback method (open receivables, net of credits, matched against invoiced sales month by month "
        + "back from asOf; whole months count their calendar days, the last month the share of its sales still needed); "
        + "simpleDays: open receivables / sales of the last 90 days × 90"

    /// Computes both methods from the net open balance and net sales per issue day (days after
    /// `asOf` are ignored).
    ///
    /// Months are calendar months ending on the as-of day's day of the month (31 March, then
    /// 28 February, 31 January... when `asOf` is a month's last day, so month-end reports walk
    /// whole calendar months). A month whose credit notes exceed its invoices counts as a month
    /// without sales: the walk goes through it rather than adding its credits back.
    public init(receivables: Money, salesByDay: [Day: Int64], asOf: Day) {
        let sales = salesByDay.filter { $0.key <= asOf }.sorted { $0.key > $1.key }
        self.method = "countback"
        self.description = Self.methodDescription
        self.receivables = receivables
        self.simplePeriodDays = Self.simplePeriod
        let simpleWindow = TrailingWindow(days: Self.simplePeriod, endingOn: asOf)
        let recentSales = sales.lazy.filter { simpleWindow.contains($0.key) }.reduce(Int64(0)) { $0.addingSaturated($1.value) }
        self.simplePeriodSales = Money(cents: recentSales)
        if receivables.cents <= 0 {
            self.simpleDays = 0
        } else {
            self.simpleDays =
                recentSales > 0
                ? Double(receivables.cents) / Double(recentSales) * Double(Self.simplePeriod) : nil
        }

        var remaining = receivables.cents
        var days = 0.0
        var periodDays = 0
        var months: [CountbackMonth] = []
        var next = sales.startIndex  // sales are latest first
        var covered = remaining <= 0
        var k = 1
        while remaining > 0, next < sales.endIndex {
            let through = Self.month(before: asOf, count: k - 1)
            let after = Self.month(before: asOf, count: k)
            var monthSales: Int64 = 0
            while next < sales.endIndex, sales[next].key > after {
                monthSales = monthSales.addingSaturated(sales[next].value)
                next += 1
            }
            let length = through - after
            periodDays += length
            let absorbed = max(0, monthSales)
            if remaining > absorbed {
                remaining -= absorbed
                days += Double(length)
                months.append(CountbackMonth(from: after + 1, to: through, sales: Money(cents: monthSales), daysCounted: Double(length)))
            } else {
                let fraction = Double(remaining) / Double(absorbed) * Double(length)
                days += fraction
                remaining = 0
                covered = true
                months.append(CountbackMonth(from: after + 1, to: through, sales: Money(cents: monthSales), daysCounted: fraction))
            }
            k += 1
        }
        self.days = days
        self.periodDays = periodDays
        self.months = months
        self.coversReceivables = covered
    }

    /// `asOf` moved back `count` calendar months: the same day of the month (or the month's last
    /// day when it is shorter), and the month's last day when `asOf` is a last day.
    static func month(before asOf: Day, count: Int) -> Day {
        let (year, month, day) = asOf.components
        let monthIndex = year * 12 + (month - 1) - count
        let y = monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12
        let m = monthIndex - y * 12 + 1
        let length = Day.daysIn(month: m, year: y)
        let lastDay = day == Day.daysIn(month: month, year: year)
        return Day(year: y, month: m, day: lastDay ? length : min(day, length))!
    }
}

/// How disputes stand on the as-of day, and how fast the recent ones were settled: in total, by
/// reason (kind) and by owner. Resolution times are over the disputes resolved in `window` (the
/// trailing year of the dashboard), whenever they were opened.
public struct DisputeIndicators: Hashable, Sendable, Codable {
    /// Disputes open on the as-of day.
    public var open: Int
    /// Open balances of the invoices under an open dispute (each invoice once).
    public var openAmount: Money
    /// The contested part of those balances (a dispute may name part of an invoice).
    public var disputedAmount: Money
    /// Disputes resolved in `window`.
    public var resolvedInWindow: Int
    /// Mean days from opening to resolution of those; nil when none was resolved.
    public var meanResolutionDays: Double?
    /// Longest days from opening to resolution of those; nil when none was resolved.
    public var longestResolutionDays: Int?
    public var window: TrailingWindow
    /// Per kind (the reason code), sorted by kind.
    public var byKind: [Kind]
    /// Per owner, sorted by owner, disputes without an owner last.
    public var byOwner: [Owner]

    public struct Kind: Hashable, Sendable, Codable {
        public var kind: String
        public var open: Int
        public var disputedAmount: Money
        public var resolvedInWindow: Int
        public var meanResolutionDays: Double?
        public var longestResolutionDays: Int?
    }

    public struct Owner: Hashable, Sendable, Codable {
        /// Absent for disputes nobody owns yet.
        public var owner: String?
        public var open: Int
        public var disputedAmount: Money
        public var resolvedInWindow: Int
        public var meanResolutionDays: Double?
        public var longestResolutionDays: Int?
    }

    struct Builder: Sendable {
        struct Tally: Sendable {
            var open = 0
            var disputed = Money.zero
            var resolved = 0
            var resolutionDays = 0
            var longest: Int?
            var mean: Double? { resolved > 0 ? Double(resolutionDays) / Double(resolved) : nil }

            mutating func resolved(after days: Int) {
                resolved += 1
                resolutionDays += days
                longest = max(longest ?? days, days)
            }
        }
        let window: TrailingWindow
        var total = Tally()
        var kinds: [String: Tally] = [:]
        var owners: [String?: Tally] = [:]
        var openAmount = Money.zero

        init(window: TrailingWindow) { self.window = window }

        /// One invoice's disputes, with its open balance on the as-of day.
        mutating func add(_ disputes: [Dispute], openBalance: Money, asOf: Day) {
            var underDispute: [Dispute] = []
            for dispute in disputes where dispute.openedOn <= asOf {
                if dispute.isOpen(on: asOf) {
                    let part = openBalance.cents > 0 ? dispute.disputedPart(ofOpen: openBalance) : .zero
                    total.open += 1
                    kinds[dispute.kind, default: Tally()].open += 1
                    kinds[dispute.kind, default: Tally()].disputed += part
                    owners[dispute.owner, default: Tally()].open += 1
                    owners[dispute.owner, default: Tally()].disputed += part
                    underDispute.append(dispute)
                } else if let resolved = dispute.resolvedOn, window.contains(resolved) {
                    let days = resolved - dispute.openedOn
                    total.resolved(after: days)
                    kinds[dispute.kind, default: Tally()].resolved(after: days)
                    owners[dispute.owner, default: Tally()].resolved(after: days)
                }
            }
            guard !underDispute.isEmpty else { return }
            openAmount += openBalance
            if openBalance.cents > 0 { total.disputed += PaymentProfile.contestedPart(of: openBalance, by: underDispute) }
        }

        func build() -> DisputeIndicators {
            let ownerOrder = owners.keys.sorted { a, b in
                switch (a, b) {
                case (let a?, let b?): a < b
                case (.some, nil): true
                default: false
                }
            }
            return DisputeIndicators(
                open: total.open, openAmount: openAmount, disputedAmount: total.disputed, resolvedInWindow: total.resolved,
                meanResolutionDays: total.mean, longestResolutionDays: total.longest, window: window,
                byKind: kinds.keys.sorted().compactMap { kind in
                    kinds[kind].map {
                        Kind(
                            kind: kind, open: $0.open, disputedAmount: $0.disputed, resolvedInWindow: $0.resolved,
                            meanResolutionDays: $0.mean, longestResolutionDays: $0.longest)
                    }
                },
                byOwner: ownerOrder.compactMap { owner in
                    owners[owner].map {
                        Owner(
                            owner: owner, open: $0.open, disputedAmount: $0.disputed, resolvedInWindow: $0.resolved,
                            meanResolutionDays: $0.mean, longestResolutionDays: $0.longest)
                    }
                })
        }
    }
}
