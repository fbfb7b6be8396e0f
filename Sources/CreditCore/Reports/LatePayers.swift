/// The order of the late payers list.
public enum LatePayerOrder: String, Sendable, Hashable, Codable, CaseIterable {
    /// Largest overdue amount first: where the money is.
    case overdue
    /// Longest amount-weighted days beyond terms of the overdue balance first: who makes us wait
    /// longest for what they owe.
    case dbt
}

/// One customer's overdue balance on a day, summed by the store from its open items: what the
/// late payers list ranks (the rest of a listed customer's account is read for the few listed).
public struct OverdueBalance: Hashable, Sendable, Codable {
    public var customerId: String
    /// Open balances of the invoices past their due date (credit notes are never overdue).
    public var overdue: Money
    /// Σ open balance × days past due over those invoices: `daysBeyondTerms` × `overdue`.
    public var overdueAmountDays: Double

    public init(customerId: String, overdue: Money, overdueAmountDays: Double) {
        self.customerId = customerId
        self.overdue = overdue
        self.overdueAmountDays = overdueAmountDays
    }

    /// Days beyond terms of the overdue balance, weighted by amount: each overdue invoice counts
    /// its open balance times the days since its due date. Nil when nothing is overdue.
    public var daysBeyondTerms: Double? {
        overdue.cents > 0 ? overdueAmountDays / Double(overdue.cents) : nil
    }
}

/// One line of the late payers list.
public struct LatePayer: Hashable, Sendable, Codable {
    public var rank: Int
    public var customerId: String
    public var name: String
    public var group: String?
    public var sectorCode: String
    /// Latest stored grade on or before the day; absent when never scored.
    public var grade: String?
    public var overdue: Money
    public var overdueInvoices: Int
    /// Days beyond terms of the overdue balance, weighted by amount.
    public var daysBeyondTerms: Double
    public var oldestDueDate: Day?
    /// The part of `overdue` under a dispute open on the day.
    public var disputedOverdue: Money
    /// Net open balance (due or not, less unapplied credits).
    public var openBalance: Money
    public var unappliedCredits: Money

    public init(
        rank: Int, customerId: String, name: String, group: String?, sectorCode: String, grade: String?, overdue: Money,
        overdueInvoices: Int, daysBeyondTerms: Double, oldestDueDate: Day?, disputedOverdue: Money, openBalance: Money,
        unappliedCredits: Money
    ) {
        self.rank = rank
        self.customerId = customerId
        self.name = name
        self.group = group
        self.sectorCode = sectorCode
        self.grade = grade
        self.overdue = overdue
        self.overdueInvoices = overdueInvoices
        self.daysBeyondTerms = daysBeyondTerms
        self.oldestDueDate = oldestDueDate
        self.disputedOverdue = disputedOverdue
        self.openBalance = openBalance
        self.unappliedCredits = unappliedCredits
    }
}

/// The customers who owe the most overdue money, or make the company wait longest for it.
public struct LatePayersReport: Hashable, Sendable, Codable {
    public var asOf: Day
    public var by: LatePayerOrder
    public var group: String?
    public var sector: String?
    /// The sales rep whose accounts these are, when the report is one rep's.
    public var salesRep: String?
    public var method: String
    /// Every selected customer with something overdue, listed or not, and what they owe late.
    public var customersOverdue: Int
    public var totalOverdue: Money
    public var latePayers: [LatePayer]

    public init(
        asOf: Day, by: LatePayerOrder, group: String?, sector: String?, salesRep: String?, customersOverdue: Int, totalOverdue: Money,
        latePayers: [LatePayer]
    ) {
        self.asOf = asOf
        self.by = by
        self.group = group
        self.sector = sector
        self.salesRep = salesRep
        self.method = LatePayerRanking.method
        self.customersOverdue = customersOverdue
        self.totalOverdue = totalOverdue
        self.latePayers = latePayers
    }
}

/// The credit team's weekly list of the customers who owe the most overdue money, or who make
/// the company wait longest for it.
public enum LatePayerRanking {
    public static let method =
        "overdue: open balances of invoices past their due date on asOf, as the ledger holds them (credit notes and "
        + "unapplied credits are never overdue, so a customer with only credits is never listed); daysBeyondTerms: "
        + "days from due date to asOf of each overdue invoice, weighted by its open balance; by=overdue ranks by the "
        + "overdue amount, by=dbt by daysBeyondTerms (then by overdue amount); ties by customer id"

    /// The first `limit` customers with something overdue, in the order asked.
    public static func rank(_ balances: some Sequence<OverdueBalance>, by order: LatePayerOrder, limit: Int) -> [OverdueBalance] {
        let late = balances.filter { $0.overdue.cents > 0 }
        let sorted: [OverdueBalance]
        switch order {
        case .overdue:
            sorted = late.sorted { a, b in
                a.overdue != b.overdue ? a.overdue > b.overdue : a.customerId < b.customerId
            }
        case .dbt:
            sorted = late.sorted { a, b in
                let (x, y) = (a.daysBeyondTerms ?? 0, b.daysBeyondTerms ?? 0)
                if x != y { return x > y }
                return a.overdue != b.overdue ? a.overdue > b.overdue : a.customerId < b.customerId
            }
        }
        return Array(sorted.prefix(max(0, limit)))
    }
}
