import CreditCore
import GRDB

/// Ledger rows read back into domain values by column name, wherever a query selects the
/// table's columns under their own names. A stored value that does not fit (a date that is no
/// day, a NULL where none may be, text in an amount) throws an error naming the column and the
/// query; it never traps. (The scoring pass and the open-item scans, measured hot paths, read by
/// position instead: see `LedgerHistories`, `LedgerQueries` and `CollectionsQueries`.)
enum StoredRows {
    /// An amount that SQL added up: an integer, or a float when the sum was taken with `TOTAL`
    /// (which cannot overflow) or when SQLite's integer sum of rows stored before the input
    /// bounds overflowed into one. Read on the rail of `Money`, as Swift's saturating sums
    /// would give it, never refused.
    static func money(_ row: Row, _ index: Int) throws -> Money {
        switch (row[index] as DatabaseValue).storage {
        case .int64(let cents): return Money(cents: cents)
        case .double(let cents): return Money(clampingCents: cents.rounded())
        case .null: return .zero
        default: return try row.decode(atIndex: index)
        }
    }

    /// A count that a trigger or SQL added up (customers per grade, invoices settled on a day, their
    /// days of delay), read on a rail of ±2^40: any real count is far below it, and sums of a
    /// million such rows still fit an `Int`, so a damaged row (a count edited to 2^62) skews a
    /// figure instead of trapping the sum that reads it.
    static func count(_ row: Row, _ index: Int) throws -> Int {
        let rail: Int64 = 1 << 40
        switch (row[index] as DatabaseValue).storage {
        case .int64(let value): return Int(Swift.min(Swift.max(value, -rail), rail))
        case .double(let value) where !value.isNaN: return Int(Swift.min(Swift.max(value, -Double(rail)), Double(rail)))
        case .null: return 0
        default: return try row.decode(atIndex: index)
        }
    }

    /// A stored probability (a PD): a number from 0 to 1. Anything else (infinity, NaN, 7) was
    /// left by damage or a hand edit and would fail every page that lists it, at the JSON
    /// encoder, as an error naming nothing: it is said here, with the column and the row.
    static func probability(_ row: Row, _ column: String) throws -> Double {
        let value: Double = try row.decode(forColumn: column)
        guard value.isFinite, (0...1).contains(value) else {
            throw DamagedValue(column: column, value: "\(value)", expected: "a probability from 0 to 1", row: row)
        }
        return value
    }

    static func sector(_ row: Row) throws -> Sector {
        try Sector(
            code: row.decode(forColumn: "code"), label: row.decode(forColumn: "label"),
            averageDaysBeyondTerms: row.decode(forColumn: "avg_days_beyond_terms"), averageDSODays: row.decode(forColumn: "avg_dso_days"),
            annualFailureRate: row.decode(forColumn: "annual_failure_rate"), period: row.decode(forColumn: "period"),
            source: row.decode(forColumn: "source"))
    }

    static func customer(_ row: Row) throws -> Customer {
        try Customer(
            id: row.decode(forColumn: "id"), name: row.decode(forColumn: "name"), registrationId: row.decode(forColumn: "registration_id"),
            sectorCode: row.decode(forColumn: "sector_code"), country: row.decode(forColumn: "country"),
            termsDays: row.decode(forColumn: "terms_days"), group: row.decode(forColumn: "customer_group"),
            strategic: row.decode(forColumn: "strategic"), salesRep: row.decode(forColumn: "sales_rep"))
    }

    static func invoice(_ row: Row) throws -> Invoice {
        try Invoice(
            id: row.decode(forColumn: "id"), customerId: row.decode(forColumn: "customer_id"), issueDate: row.decode(forColumn: "issue_date"),
            dueDate: row.decode(forColumn: "due_date"), amount: row.decode(forColumn: "amount_cents"), currency: row.decode(forColumn: "currency"))
    }

    static func payment(_ row: Row) throws -> Payment {
        try Payment(
            id: row.decode(forColumn: "id"), invoiceId: row.decode(forColumn: "invoice_id"), paidOn: row.decode(forColumn: "paid_on"),
            amount: row.decode(forColumn: "amount_cents"))
    }

    /// A dispute; `resolved_on`, `amount_cents`, `owner` and `outcome` may be left out of the
    /// SELECT (read as absent) when they do not matter to the caller.
    static func dispute(_ row: Row) throws -> Dispute {
        try Dispute(
            invoiceId: row.decode(forColumn: "invoice_id"), kind: row.decode(forColumn: "kind"), openedOn: row.decode(forColumn: "opened_on"),
            resolvedOn: row.decode(forColumn: "resolved_on"), amount: row.decode(forColumn: "amount_cents"),
            owner: row.decode(forColumn: "owner"), outcome: row.decode(forColumn: "outcome"))
    }
}

/// A stored value that decodes but cannot be what its column holds (a PD of infinity): said like
/// GRDB's decoding errors, so the use cases report it as a damaged row.
public struct DamagedValue: Error, CustomStringConvertible {
    public let column: String
    public let value: String
    public let expected: String
    /// The row's plain columns, as GRDB describes a row.
    public let row: String

    init(column: String, value: String, expected: String, row: Row) {
        self.column = column
        self.value = value
        self.expected = expected
        self.row = row.description
    }

    public var description: String { "\(value) is not \(expected) - column: \"\(column)\", row: \(row)" }
}
