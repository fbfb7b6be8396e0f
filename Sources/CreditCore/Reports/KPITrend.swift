/// The credit manager's indicators month by month: DSO (countback), overdue share and days
/// beyond terms as of each month-end, each figure exactly what `PortfolioKPIs` gives as of that day.
public struct KPITrend: Hashable, Sendable, Codable {
    public var group: String?
    public var sector: String?
    public var method: String
    /// Oldest first.
    public var months: [Month]

    /// The indicators as of one month-end.
    public struct Month: Hashable, Sendable, Codable {
        public var monthEnd: Day
        /// Net open balance (receivables less unapplied credits).
        public var openReceivables: Money
        /// Receivables before credits, what the overdue share divides by.
        public var receivables: Money
        public var overdue: Money
        public var overdueShare: Double
        /// Countback DSO in days.
        public var dso: Double
        /// False when the sales history ran out before the receivables (the DSO then understates).
        public var dsoCoversReceivables: Bool
        /// Amount-weighted days beyond terms of the invoices fully paid in the 365 days to the month-end.
        public var averageDaysBeyondTerms: Double?
        public var averageDaysBeyondTermsUnweighted: Double?
        public var invoicesPaidInWindow: Int

        /// The month's figures read off the indicators as of its last day.
        public init(_ kpis: PortfolioKPIs) {
            monthEnd = kpis.asOf
            openReceivables = kpis.openReceivables
            receivables = kpis.agedBalance.receivables
            overdue = kpis.agedBalance.overdue
            overdueShare = kpis.overdueShare
            dso = kpis.dso.days
            dsoCoversReceivables = kpis.dso.coversReceivables
            averageDaysBeyondTerms = kpis.averageDaysBeyondTerms
            averageDaysBeyondTermsUnweighted = kpis.averageDaysBeyondTermsUnweighted
            invoicesPaidInWindow = kpis.invoicesPaidInWindow
        }
    }

    public static let methodDescription =
        "as of each month-end, as GET /v1/portfolio/kpis computes it for that day: dso by the countback method (open "
        + "receivables net of credits matched against invoiced sales month by month back); overdueShare = amounts past due / "
        + "receivables before credits; averageDaysBeyondTerms = full-payment day − due date (floored at 0) of the invoices "
        + "fully paid in the 365 days to the month-end, weighted by amount"

    public init(group: String?, sector: String?, months: [Month]) {
        self.group = group
        self.sector = sector
        self.method = Self.methodDescription
        self.months = months
    }

    /// The `count` latest month-ends on or before `through`, oldest first (`through` itself when
    /// it is a month's last day).
    public static func monthEnds(count: Int, through: Day) -> [Day] {
        var (year, month, day) = through.components
        if day != Day.daysIn(month: month, year: year) {
            month -= 1
            if month == 0 {
                month = 12
                year -= 1
            }
        }
        var ends: [Day] = []
        while ends.count < count, year >= 1900 {
            if let end = Day(year: year, month: month, day: Day.daysIn(month: month, year: year)) { ends.append(end) }
            month -= 1
            if month == 0 {
                month = 12
                year -= 1
            }
        }
        return ends.reversed()
    }
}

/// The whole ledger's movements of one day, kept by the store as the ledger is written: what
/// the portfolio's indicators as of any day add up to, without reading a million invoices.
/// "Invoices" are those with an amount above zero; credit notes count only in the net figures.
public struct LedgerDay: Hashable, Sendable {
    public var day: Day
    /// Net sales: invoices and credit notes issued that day.
    public var issued: Money
    public var invoicesIssued: Money
    /// Invoices falling due that day.
    public var invoicesDue: Money
    /// Every payment received that day (refunds negative).
    public var received: Money
    /// Payments received that day on invoices.
    public var receivedOnInvoices: Money
    /// Invoices fully paid that day: how many, their amounts, Σ delay and Σ amount × delay
    /// (delay: days beyond terms floored at 0).
    public var settledInvoices: Int
    public var settledAmount: Money
    public var settledDelayDays: Int
    public var settledAmountDays: Double

    public init(
        day: Day, issued: Money = .zero, invoicesIssued: Money = .zero, invoicesDue: Money = .zero, received: Money = .zero,
        receivedOnInvoices: Money = .zero, settledInvoices: Int = 0, settledAmount: Money = .zero, settledDelayDays: Int = 0,
        settledAmountDays: Double = 0
    ) {
        self.day = day
        self.issued = issued
        self.invoicesIssued = invoicesIssued
        self.invoicesDue = invoicesDue
        self.received = received
        self.receivedOnInvoices = receivedOnInvoices
        self.settledInvoices = settledInvoices
        self.settledAmount = settledAmount
        self.settledDelayDays = settledDelayDays
        self.settledAmountDays = settledAmountDays
    }
}

extension KPITrend.Month {
    /// The month's figures from the ledger's daily totals, equal to the indicators' own as of
    /// `monthEnd` as long as no invoice stands overpaid (or a credit note underpaid) on that day,
    /// which the overpayment rule forbids of the ledger as stored.
    ///
    /// - `paidOnPastDue`: payments received on or before `monthEnd` on invoices due before it.
    public init(monthEnd: Day, days: [LedgerDay], paidOnPastDue: Money) {
        let figures = LedgerDayFigures(asOf: monthEnd, days: days, paidOnPastDue: paidOnPastDue)
        self.monthEnd = monthEnd
        self.openReceivables = figures.openReceivables
        self.receivables = figures.receivables
        self.overdue = figures.overdue
        self.overdueShare = PortfolioKPIs.overdueShare(overdue: figures.overdue, receivables: figures.receivables)
        self.dso = figures.dso.days
        self.dsoCoversReceivables = figures.dso.coversReceivables
        self.averageDaysBeyondTerms = figures.delays.weighted
        self.averageDaysBeyondTermsUnweighted = figures.delays.unweighted
        self.invoicesPaidInWindow = figures.delays.invoices
    }
}

/// The whole ledger's indicators as of a day added up from its daily totals: what the portfolio
/// indicators and their trend read instead of walking every invoice. Equal to the walk's figures
/// as long as no invoice stands overpaid (or a credit note underpaid) on that day, which the
/// overpayment rule forbids of the ledger as stored.
public struct LedgerDayFigures: Sendable {
    /// Net open balance (receivables less unapplied credits).
    public var openReceivables = Money.zero
    /// Receivables before credits.
    public var receivables = Money.zero
    public var overdue: Money
    public var dso: DaysSalesOutstanding
    /// The invoices fully paid in the trailing window ending on the day.
    public var delays = PaidInvoiceDelays(invoices: 0, amount: 0, amountDays: 0, days: 0)
    public var window: TrailingWindow

    /// - `paidOnPastDue`: payments received on or before `day` on invoices due before it.
    public init(asOf day: Day, days: [LedgerDay], paidOnPastDue: Money) {
        window = TrailingWindow(days: PortfolioKPIs.trailingWindowDays, endingOn: day)
        var dueBefore = Money.zero
        var salesByDay: [Day: Int64] = [:]
        for totals in days {
            if totals.day < day { dueBefore += totals.invoicesDue }
            guard totals.day <= day else { continue }
            openReceivables += totals.issued - totals.received
            receivables += totals.invoicesIssued - totals.receivedOnInvoices
            if totals.issued != .zero || totals.invoicesIssued != .zero { salesByDay[totals.day, default: 0] += totals.issued.cents }
            if window.contains(totals.day), totals.settledInvoices != 0 {
                delays.invoices += totals.settledInvoices
                delays.amount += Double(totals.settledAmount.cents)
                delays.amountDays += totals.settledAmountDays
                delays.days += totals.settledDelayDays
            }
        }
        overdue = dueBefore - paidOnPastDue
        dso = DaysSalesOutstanding(receivables: openReceivables, salesByDay: salesByDay, asOf: day)
    }
}
