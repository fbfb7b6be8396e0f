/// How many days beyond terms a customer is expected to pay, and where the figure comes from.
public struct PaymentDelay: Hashable, Sendable, Codable {
    public enum Source: String, Hashable, Sendable, Codable, CaseIterable {
        /// The customer's own history: its payment profile's amount-weighted days beyond terms.
        case own
        /// Its sector's average days beyond terms (the sector table).
        case sector
        /// The portfolio's average, when the sector is not in the sector table.
        case portfolio
    }

    /// Signed: negative for a customer that pays before the due date.
    public var days: Double
    public var source: Source

    /// The delay the forecast expects: the customer's own amount-weighted days beyond terms
    /// (signed, as its payment profile measures them) unless its file is thin (the scoring
    /// model's rule: too few invoices or too short a history to trust the average) or it has no
    /// payment event; then its sector's average, or the portfolio's when the sector is unknown.
    /// `sector` and `portfolio` are the scoring's own fallbacks (`SectorBenchmark`).
    public static func expected(ownDays: Double?, thinFile: Bool, sector: Sector?, portfolio: Sector) -> PaymentDelay {
        if let ownDays, ownDays.isFinite, !thinFile { return PaymentDelay(days: ownDays, source: .own) }
        if let sector { return PaymentDelay(days: sector.averageDaysBeyondTerms.isFinite ? sector.averageDaysBeyondTerms : 0, source: .sector) }
        return PaymentDelay(days: portfolio.averageDaysBeyondTerms.isFinite ? portfolio.averageDaysBeyondTerms : 0, source: .portfolio)
    }

    /// The delay for a customer measured by `profile` (as of the forecast day).
    public static func expected(profile: PaymentProfile, sector: Sector?, portfolio: Sector) -> PaymentDelay {
        expected(ownDays: profile.signedAverageDaysBeyondTerms, thinFile: profile.isThinFile, sector: sector, portfolio: portfolio)
    }

    /// Whole days, within ten years either way (a stored value cannot push a date off the calendar).
    var wholeDays: Int { Int(max(-3650, min(3650, days)).rounded()) }
}

/// A payment promised on an open invoice and neither kept nor broken yet.
public struct PromisedPayment: Hashable, Sendable, Codable {
    public var payBy: Day
    /// Nil: the whole open balance.
    public var amount: Money?
}

/// An open invoice as the forecast sees it on its day.
public struct ForecastItem: Hashable, Sendable, Codable {
    public var invoiceId: String
    public var dueDate: Day
    /// Open balance on the forecast day (an invoice, not a credit note: above zero).
    public var open: Money
    /// The part under an open dispute (zero when none, never more than `open`).
    public var disputed: Money
    public var promise: PromisedPayment?

    public init(invoiceId: String, dueDate: Day, open: Money, disputed: Money = .zero, promise: PromisedPayment? = nil) {
        self.invoiceId = invoiceId
        self.dueDate = dueDate
        self.open = open
        self.disputed = disputed
        self.promise = promise
    }
}

/// One customer's open invoices and payment delay: what the forecast adds up.
public struct ForecastCustomer: Hashable, Sendable, Codable {
    public var customerId: String
    public var delay: PaymentDelay
    public var items: [ForecastItem]

    public init(customerId: String, delay: PaymentDelay, items: [ForecastItem]) {
        self.customerId = customerId
        self.delay = delay
        self.items = items
    }
}

extension ForecastCustomer {
    /// The customer's open invoices on `asOf` from its ledger, using only what was known that
    /// day: invoices issued, payments received, disputes open and promises taken by then. A
    /// promise counts when `PaymentPromise.judge` finds it pending (the latest one per invoice);
    /// the disputed part is `PaymentProfile`'s (the whole balance unless the disputes name parts).
    /// Also returns the open credits (negative balances), which the forecast does not count.
    public static func fromLedger(
        customerId: String, asOf: Day, invoices: [Invoice], payments: [Payment], disputes: [Dispute], promises: [PaymentPromise],
        delay: PaymentDelay, promiseGraceDays: Int
    ) -> (customer: ForecastCustomer, credits: Money) {
        var paid: [String: Money] = [:]
        for payment in payments where payment.paidOn <= asOf { paid[payment.invoiceId, default: .zero] += payment.amount }
        var contested: [String: [Dispute]] = [:]
        for dispute in disputes where dispute.isOpen(on: asOf) { contested[dispute.invoiceId, default: []].append(dispute) }
        let known = promises.filter { $0.promisedOn <= asOf }
        let pending = pendingPromises(
            known, invoices: invoices.filter { $0.issueDate <= asOf }, payments: payments.filter { $0.paidOn <= asOf }, asOf: asOf,
            graceDays: promiseGraceDays)
        var items: [ForecastItem] = []
        var credits = Money.zero
        for invoice in invoices where invoice.issueDate <= asOf {
            let open = invoice.amount - (paid[invoice.id] ?? .zero)
            if open.cents < 0 { credits += open }
            guard open.cents > 0 else { continue }
            let disputed = contested[invoice.id].map { PaymentProfile.contestedPart(of: open, by: $0) } ?? .zero
            items.append(ForecastItem(invoiceId: invoice.id, dueDate: invoice.dueDate, open: open, disputed: disputed, promise: pending[invoice.id]))
        }
        return (ForecastCustomer(customerId: customerId, delay: delay, items: items), credits)
    }

    /// Per invoice, the latest of its promises still pending on `asOf` (see `PaymentPromise.judge`).
    public static func pendingPromises(
        _ promises: [PaymentPromise], invoices: [Invoice], payments: [Payment], asOf: Day, graceDays: Int
    ) -> [String: PromisedPayment] {
        var pending: [String: PaymentPromise] = [:]
        for judged in PaymentPromise.judge(promises, invoices: invoices, payments: payments, asOf: asOf, graceDays: graceDays)
        where judged.status == .pending {
            let promise = judged.promise
            if let current = pending[promise.invoiceId], (current.promisedOn, current.payBy) >= (promise.promisedOn, promise.payBy) {
                continue
            }
            pending[promise.invoiceId] = promise
        }
        return pending.mapValues { PromisedPayment(payBy: $0.payBy, amount: $0.amount) }
    }
}

/// The weeks after a forecast day: week 1 is the seven days after it, the forecast day itself
/// being already in the ledger.
public struct ForecastWeeks: Hashable, Sendable {
    public let asOf: Day
    public let count: Int

    public init(asOf: Day, count: Int) {
        self.asOf = asOf
        self.count = count
    }

    /// The last day of the horizon.
    public var end: Day { asOf + 7 * count }

    /// The week (0-based) `day` falls in; nil on or before the forecast day or after the horizon.
    public func index(of day: Day) -> Int? {
        guard day > asOf, day <= end else { return nil }
        return (day - asOf - 1) / 7
    }

    public func from(_ index: Int) -> Day { asOf + 1 + 7 * index }
    public func to(_ index: Int) -> Day { asOf + 7 * (index + 1) }

    /// The receipts that came in each week: payments dated in it on invoices (not credit notes)
    /// issued on or before the forecast day, the population the forecast is about.
    public func receipts(invoices: [Invoice], payments: [Payment]) -> [Money] {
        var weeks = [Money](repeating: .zero, count: count)
        var eligible: Set<String> = []
        for invoice in invoices where invoice.issueDate <= asOf && invoice.amount.cents > 0 { eligible.insert(invoice.id) }
        for payment in payments where eligible.contains(payment.invoiceId) {
            if let week = index(of: payment.paidOn) { weeks[week] += payment.amount }
        }
        return weeks
    }
}

/// Expected receipts per week from the open invoices on a day: the treasurer's 13-week view.
///
/// See `method` for the rules; every amount is in whole cents, and what is open splits exactly
/// into forecast weeks, beyond the horizon, disputed and doubtful amounts.
public struct CashForecast: Hashable, Sendable, Codable {
    public var asOf: Day
    public var policyVersion: String
    public var method: String
    public var weeks: [Week]
    /// Open balances of invoices on the day (before credits).
    public var openReceivables: Money
    /// Expected within the weeks: the sum of `weeks`.
    public var expectedInHorizon: Money
    /// Expected after the last week.
    public var expectedAfterHorizon: Money
    /// Disputed parts: left out of the forecast.
    public var disputedExcluded: Money
    /// Amounts long past due and past the customer's usual delay: left out of the forecast.
    public var doubtfulExcluded: Money
    /// Open credit notes and overpayments: not deducted from the receipts.
    public var unappliedCredits: Money
    /// Customers with open invoices, by where their payment delay came from.
    public var customers: Int
    public var delaySources: [String: Int]

    public struct Week: Hashable, Sendable, Codable {
        public var week: Int
        public var from: Day
        public var to: Day
        /// The sum of the three parts below.
        public var expected: Money
        /// Promised amounts, on their promised day.
        public var promised: Money
        /// Amounts expected on their due date plus the customer's payment delay.
        public var byPaymentDelay: Money
        /// Amounts already later than the customer's habit, spread over the first weeks.
        public var late: Money
    }

    /// The longest horizon asked for: a year of weeks.
    public static let maximumWeeks = 52

    public static func method(_ policy: CashForecastPolicy) -> String {
        "open invoices on asOf (payments, disputes and promises known that day only); for each: the disputed part is "
            + "excluded (reported as disputedExcluded, not forecast); a pending promise brings its promised amount (never more "
            + "than the undisputed balance) on the promised day (the first week when that day has passed within the grace); "
            + "the rest is expected on the due date plus the customer's payment delay: its own amount-weighted days beyond "
            + "terms as its payment profile measures them (signed; as stored by its latest assessment on or before asOf, or "
            + "measured on the ledger as of asOf in the backtest), its sector's average when its file is thin, the "
            + "portfolio's when the sector is unknown; an amount whose expected day has passed is expected on its due date "
            + "when that is still ahead, else in equal parts over the first \(policy.lateItemsWeeks) week(s), unless it "
            + "is more than \(policy.doubtfulPastDueDays) days past due: doubtful, excluded (doubtfulExcluded); unapplied "
            + "credits are not deducted. Week 1 is the 7 days after asOf (policy \(policy.version))"
    }

    /// Adds customers one at a time (flat memory for a whole portfolio).
    public struct Builder: Sendable {
        public let weeks: ForecastWeeks
        public let policy: CashForecastPolicy
        var promised: [Int64]
        var byDelay: [Int64]
        var late: [Int64]
        var open = Money.zero
        var after = Money.zero
        var disputed = Money.zero
        var doubtful = Money.zero
        var credits = Money.zero
        var customers = 0
        var sources: [PaymentDelay.Source: Int] = [:]

        public init(asOf: Day, weeks count: Int, policy: CashForecastPolicy) {
            self.weeks = ForecastWeeks(asOf: asOf, count: count)
            self.policy = policy
            promised = Array(repeating: 0, count: count)
            byDelay = promised
            late = promised
        }

        /// Adds the customer's open invoices and its open credits (zero or negative).
        public mutating func add(_ customer: ForecastCustomer, credits: Money = .zero) {
            self.credits += min(.zero, credits)
            let items = customer.items.filter { $0.open.cents > 0 }
            guard !items.isEmpty else { return }
            customers += 1
            sources[customer.delay.source, default: 0] += 1
            for item in items { add(item, delay: customer.delay) }
        }

        private mutating func add(_ item: ForecastItem, delay: PaymentDelay) {
            let asOf = weeks.asOf
            open += item.open
            let disputedPart = max(.zero, min(item.disputed, item.open))
            disputed += disputedPart
            var rest = item.open - disputedPart
            if let promise = item.promise, rest.cents > 0 {
                let amount = max(.zero, min(promise.amount ?? rest, rest))
                place(amount.cents, on: max(promise.payBy, asOf + 1), promised: true)
                rest -= amount
            }
            guard rest.cents > 0 else { return }
            let expected = item.dueDate + delay.wholeDays
            if expected > asOf {
                place(rest.cents, on: expected, promised: false)
            } else if item.dueDate > asOf {
                place(rest.cents, on: item.dueDate, promised: false)
            } else if asOf - item.dueDate > policy.doubtfulPastDueDays {
                doubtful += rest
            } else {
                spread(rest.cents)
            }
        }

        /// Into the week of `day` (as promised, or by the payment delay), or after the horizon.
        private mutating func place(_ cents: Int64, on day: Day, promised isPromised: Bool) {
            guard let index = weeks.index(of: day) else {
                after += Money(cents: cents)
                return
            }
            if isPromised {
                promised[index] = promised[index].addingSaturated(cents)
            } else {
                byDelay[index] = byDelay[index].addingSaturated(cents)
            }
        }

        /// Equal parts over the first weeks, the odd cents to the earliest.
        private mutating func spread(_ cents: Int64) {
            let parts = Int64(min(policy.lateItemsWeeks, weeks.count))
            guard parts > 0 else {
                after += Money(cents: cents)
                return
            }
            let share = cents / parts
            let odd = cents % parts
            for index in 0..<Int(parts) {
                late[index] = late[index].addingSaturated(share + (Int64(index) < odd ? 1 : 0))
            }
        }

        public func build() -> CashForecast {
            let rows = (0..<weeks.count).map { index in
                Week(
                    week: index + 1, from: weeks.from(index), to: weeks.to(index),
                    expected: Money(cents: promised[index].addingSaturated(byDelay[index]).addingSaturated(late[index])),
                    promised: Money(cents: promised[index]), byPaymentDelay: Money(cents: byDelay[index]), late: Money(cents: late[index]))
            }
            return CashForecast(
                asOf: weeks.asOf, policyVersion: policy.version, method: CashForecast.method(policy), weeks: rows, openReceivables: open,
                expectedInHorizon: rows.reduce(Money.zero) { $0 + $1.expected }, expectedAfterHorizon: after,
                disputedExcluded: disputed, doubtfulExcluded: doubtful, unappliedCredits: credits, customers: customers,
                delaySources: Dictionary(uniqueKeysWithValues: PaymentDelay.Source.allCases.map { ($0.rawValue, sources[$0] ?? 0) }))
        }
    }
}
