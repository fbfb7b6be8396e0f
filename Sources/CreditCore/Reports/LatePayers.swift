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
