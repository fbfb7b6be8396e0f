/// A customer account of the supplier: who owes, on which terms, in which sector.
public struct Customer: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    /// SIREN, VAT or another company number; the key that matches financial statements.
    public var registrationId: String?
    /// NACE/NAF code, matched against the sector table to read delays in context.
    public var sectorCode: String
    /// ISO 3166 country code.
    public var country: String
    /// Agreed payment delay in days, counted from the invoice date.
    public var termsDays: Int
    /// Parent group, to see exposure across a group's accounts.
    public var group: String?
    /// A strategic account is kept even when risky; collections treat it with care.
    public var strategic: Bool
    /// The sales representative who holds the account: whose list it is on.
    public var salesRep: String?

    public init(
        id: String, name: String, registrationId: String? = nil, sectorCode: String, country: String,
        termsDays: Int, group: String? = nil, strategic: Bool = false, salesRep: String? = nil
    ) {
        self.salesRep = salesRep
        self.id = id
        self.name = name
        self.registrationId = registrationId
        self.sectorCode = sectorCode
        self.country = country
        self.termsDays = termsDays
        self.group = group
        self.strategic = strategic
    }
}

/// An invoice, or a credit note when the amount is negative.
public struct Invoice: Hashable, Sendable, Codable {
    public var id: String
    public var customerId: String
    public var issueDate: Day
    public var dueDate: Day
    public var amount: Money
    /// ISO 4217 code; the whole portfolio is in one base currency.
    public var currency: String
    /// The order it bills, when the export says: its arrival ends that order's reservation (in
    /// part for a partial invoice), so the order does not count twice in the exposure.
    public var orderId: String?

    public init(
        id: String, customerId: String, issueDate: Day, dueDate: Day, amount: Money, currency: String, orderId: String? = nil
    ) {
        self.id = id
        self.customerId = customerId
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.amount = amount
        self.currency = currency
        self.orderId = orderId
    }

    public var isCreditNote: Bool { amount.cents < 0 }
}

/// Money received against one invoice; an invoice may be paid in several parts.
public struct Payment: Hashable, Sendable, Codable {
    public var id: String
    public var invoiceId: String
    public var paidOn: Day
    public var amount: Money

    public init(id: String, invoiceId: String, paidOn: Day, amount: Money) {
        self.id = id
        self.invoiceId = invoiceId
        self.paidOn = paidOn
        self.amount = amount
    }
}

/// An invoice, or part of one, contested by the customer. While open, the disputed part leaves
/// the reminder flow and goes to its owner's worklist. A dispute is known by its invoice and the
/// day it was opened, so a later export that adds `resolvedOn` updates it instead of adding another.
public struct Dispute: Hashable, Sendable, Codable {
    public var invoiceId: String
    /// One of `DisputeKind`'s raw values as the entries store it (price, quality, ...); the
    /// model gives each kind its own resolution deadline. A string, so that rows stored before
    /// the list was closed still read; every new entry goes through `DisputeKind(parsing:)`.
    public var kind: String
    public var openedOn: Day
    public var resolvedOn: Day?
    /// The part of the invoice contested; nil when it is the whole open balance.
    public var amount: Money?
    /// The person resolving it (not the collector: the collector chases them, not the customer).
    public var owner: String?
    /// How it was settled; nil while open, and for resolutions recorded without one (imports,
    /// events from before outcomes were kept).
    public var outcome: DisputeOutcome?

    public init(
        invoiceId: String, kind: String, openedOn: Day, resolvedOn: Day? = nil, amount: Money? = nil, owner: String? = nil,
        outcome: DisputeOutcome? = nil
    ) {
        self.invoiceId = invoiceId
        self.kind = kind
        self.openedOn = openedOn
        self.resolvedOn = resolvedOn
        self.amount = amount
        self.owner = owner
        self.outcome = outcome
    }

    public func isOpen(on day: Day) -> Bool {
        openedOn <= day && (resolvedOn.map { $0 > day } ?? true)
    }

    /// The part of an invoice with `open` still to pay that this dispute contests: its amount,
    /// never more than what is open (a payment since may have reduced the balance).
    public func disputedPart(ofOpen open: Money) -> Money {
        guard let amount else { return open }
        return min(amount, open)
    }

    /// Why no dispute can be opened on an invoice of `amount` with `open` still to pay, or nil.
    /// A dispute holds back an amount the customer owes: a credit note, or an invoice paid beyond
    /// its amount, owes nothing, and its negative balance counted as "disputed" made the
    /// portfolio's disputed amount negative.
    public static func nothingOwedProblem(invoiceId: String, amount: Money, open: Money) -> String? {
        if amount.cents <= 0 { return "\(invoiceId) is a credit note (\(amount.formatted)): the customer owes nothing on it to dispute" }
        if open.cents < 0 { return "\(invoiceId) is overpaid (\(open.formatted) open): the customer owes nothing on it to dispute" }
        return nil
    }
}

/// How a sector usually pays and fails: the yardstick for a customer's own delays,
/// and the prior for its probability of default.
public struct Sector: Hashable, Sendable, Codable {
    public var code: String
    public var label: String
    /// Average days beyond terms observed in the sector.
    public var averageDaysBeyondTerms: Double
    /// Average days sales outstanding in the sector.
    public var averageDSODays: Double
    /// Share of companies failing within a year (0.012 = 1.2 %).
    public var annualFailureRate: Double
    /// The period the figures describe, e.g. `2023`.
    public var period: String
    /// Where the figures come from; invented ones say so.
    public var source: String

    public init(
        code: String, label: String, averageDaysBeyondTerms: Double, averageDSODays: Double,
        annualFailureRate: Double, period: String, source: String
    ) {
        self.code = code
        self.label = label
        self.averageDaysBeyondTerms = averageDaysBeyondTerms
        self.averageDSODays = averageDSODays
        self.annualFailureRate = annualFailureRate
        self.period = period
        self.source = source
    }
}

/// The overpayment rule: payments settle an invoice, never overshoot it. Its open balance stays
/// between zero and its amount (for a credit note, between its negative amount and zero), so
/// several payments together cannot pay more than was invoiced, and a corrected amount cannot
/// fall below what was paid.
public enum OverpaymentRule {
    /// Whether `open` is a balance `amount` can have after its payments.
    public static func allows(amount: Money, open: Money) -> Bool {
        amount.cents >= 0 ? (0...amount.cents).contains(open.cents) : (amount.cents...0).contains(open.cents)
    }

    /// The same rule as an SQL condition on columns `amount_cents` and `open_cents`, true for an
    /// invoice that breaks it: the set-based check after an import reads it from here.
    public static let brokenSQL = """
        ((amount_cents >= 0 AND (open_cents < 0 OR open_cents > amount_cents)) \
        OR (amount_cents < 0 AND (open_cents > 0 OR open_cents < amount_cents)))
        """
}
