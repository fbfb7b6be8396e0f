import CreditCore
import GRDB

/// The whole ledger's daily totals (`ledger_day`, `ledger_receipt_due`, see the v13 migration):
/// kept by triggers on every write, rebuilt here after a bulk load, read by the KPI trend.
public struct LedgerDayTotals: Sendable {
    public init() {}

    /// Every day with a movement, in day order (a row keyed by a stored date that is no day, left
    /// by a row edited by hand until an import corrects it, is passed over).
    public func days(_ db: Database) throws -> [LedgerDay] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT day, issued_cents, debit_issued_cents, debit_due_cents, received_cents, debit_received_cents,
                       settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay
                FROM ledger_day ORDER BY day
                """
        ).compactMap { row in
            // By position: day, issued, debit issued, debit due, received, debit received, settled
            // invoices, settled cents, Σ delay, Σ amount × delay.
            guard let day = Self.day(row, 0) else { return nil }
            return try LedgerDay(
                day: day, issued: StoredRows.money(row, 1), invoicesIssued: StoredRows.money(row, 2), invoicesDue: StoredRows.money(row, 3),
                received: StoredRows.money(row, 4), receivedOnInvoices: StoredRows.money(row, 5), settledInvoices: row.decode(atIndex: 6),
                settledAmount: StoredRows.money(row, 7), settledDelayDays: row.decode(atIndex: 8), settledAmountDays: row.decode(atIndex: 9))
        }
    }

    /// For each day of `days`: the payments received on or before it on invoices due before it,
    /// what its overdue amount is net of. One pass over the table for all days.
    public func paidOnPastDue(_ db: Database, asOf days: [Day]) throws -> [Day: Money] {
        let paid = try paid(db, asOf: days.map { (paidBy: $0, dueBefore: $0) })
        return Dictionary(zip(days, paid), uniquingKeysWith: { first, _ in first })
    }

    /// For each pair: the payments received on or before `paidBy` on invoices due before
    /// `dueBefore` (an aged balance's cutoffs: `AgedBalance.overdueCutoffs`). One pass of SQLite
    /// over the table for all pairs, a sum per pair (a stored date that is no day, text that
    /// sorts as no day does, compares as text and is counted or not as it sorts).
    public func paid(_ db: Database, asOf pairs: [(paidBy: Day, dueBefore: Day)]) throws -> [Money] {
        guard let latest = pairs.map(\.paidBy).max() else { return [] }
        // The placeholders in the order they are bound: each sum's two, then the WHERE's.
        let sums = pairs.map { _ in "TOTAL(CASE WHEN paid_on <= ? AND due_date < ? THEN cents END)" }
        let arguments = StatementArguments(pairs.flatMap { [$0.paidBy, $0.dueBefore] } + [latest])
        guard let row = try Row.fetchOne(
            db, sql: "SELECT \(sums.joined(separator: ", ")) FROM ledger_receipt_due WHERE paid_on <= ?", arguments: arguments)
        else { return pairs.map { _ in .zero } }
        return try pairs.indices.map { try StoredRows.money(row, $0) }
    }

    /// The ledger's latest entry: an invoice issued, a payment received, a dispute opened or
    /// resolved (what `LedgerQueries.latestLedgerDay` finds by reading the whole ledger), from
    /// the daily totals and the disputes; nil for an empty ledger.
    public func latestEntry(_ db: Database) throws -> Day? {
        let movement = try latestMovement(db)
        let dispute = try Day.fetchOne(
            db, sql: "SELECT MAX(d) FROM (SELECT MAX(opened_on) AS d FROM dispute UNION ALL SELECT MAX(resolved_on) FROM dispute)")
        return [movement, dispute].compactMap { $0 }.max()
    }

    /// The latest day an invoice was issued or a payment received; nil for an empty ledger.
    public func latestMovement(_ db: Database) throws -> Day? {
        try Day.fetchOne(db, sql: "SELECT MAX(day) FROM ledger_day WHERE invoices_issued <> 0 OR payments_received <> 0")
    }

    /// Recomputes both tables from `invoice` and `payment`: after a bulk load, which sets the
    /// triggers aside. Two ordered passes, the payments read with their invoice in invoice order
    /// so that each invoice's full-payment day is found as its payments go by.
    public func rebuild(_ db: Database) throws {
        // Keyed by days since 1970, each row updating its day's totals in one dictionary access:
        // this pass reads two million rows after a first load.
        var days: [Int: Totals] = [:]
        let invoices = try Row.fetchCursor(db, sql: "SELECT issue_date, due_date, amount_cents FROM invoice")
        while let row = try invoices.next() {
            let amount: Int64 = try row.decode(atIndex: 2)
            if let issued = Self.day(row, 0) { days[issued.daysSinceEpoch, default: Totals()].issue(amount) }
            if amount > 0, let due = Self.day(row, 1) { days[due.daysSinceEpoch, default: Totals()].debitDue &+= amount }
        }
        var receipts: [Int64: Int64] = [:]
        var invoice = SettlingInvoice()
        let payments = try Row.fetchCursor(
            db,
            sql: """
                SELECT p.invoice_id, p.paid_on, p.amount_cents, i.amount_cents, i.due_date
                FROM payment p INDEXED BY payment_invoice JOIN invoice i ON i.id = p.invoice_id
                ORDER BY p.invoice_id, p.paid_on
                """)
        while let row = try payments.next() {
            let invoiceId: String = try row.decode(atIndex: 0)
            let amount: Int64 = try row.decode(atIndex: 2)
            if invoiceId != invoice.id {
                invoice.settle(into: &days)
                invoice = SettlingInvoice(id: invoiceId, amount: try row.decode(atIndex: 3), due: Self.day(row, 4))
            }
            guard let paidOn = Self.day(row, 1) else { continue }
            days[paidOn.daysSinceEpoch, default: Totals()].receive(amount, onInvoice: invoice.amount > 0)
            if invoice.amount > 0, let due = invoice.due {
                receipts[Int64(paidOn.daysSinceEpoch) << 32 | Int64(UInt32(truncatingIfNeeded: due.daysSinceEpoch)), default: 0] &+= amount
            }
            invoice.pay(amount, on: paidOn)
        }
        invoice.settle(into: &days)

        try db.execute(sql: "DELETE FROM ledger_day; DELETE FROM ledger_receipt_due")
        let insertDay = try db.makeStatement(
            sql: """
                INSERT INTO ledger_day (day, invoices_issued, issued_cents, debit_issued_cents, debit_due_cents, payments_received,
                                        received_cents, debit_received_cents, settled_invoices, settled_cents, settled_delay_days,
                                        settled_weighted_delay)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (day, t) in days {
            try insertDay.execute(arguments: [
                Day(daysSinceEpoch: day), t.invoices, t.issued, t.debitIssued, t.debitDue, t.payments, t.received, t.debitReceived,
                t.settled, t.settledCents, t.settledDays, t.settledAmountDays,
            ])
        }
        let insertReceipt = try db.makeStatement(sql: "INSERT INTO ledger_receipt_due (paid_on, due_date, cents) VALUES (?, ?, ?)")
        for (key, cents) in receipts {
            let paidOn = Day(daysSinceEpoch: Int(key >> 32))
            let due = Day(daysSinceEpoch: Int(Int32(truncatingIfNeeded: key)))
            try insertReceipt.execute(arguments: [paidOn, due, cents])
        }
    }

    private struct Totals {
        var invoices = 0
        var issued: Int64 = 0
        var debitIssued: Int64 = 0
        var debitDue: Int64 = 0
        var payments = 0
        var received: Int64 = 0
        var debitReceived: Int64 = 0
        var settled = 0
        var settledCents: Int64 = 0
        var settledDays: Int64 = 0
        var settledAmountDays: Int64 = 0

        mutating func issue(_ amount: Int64) {
            invoices += 1
            issued &+= amount
            if amount > 0 { debitIssued &+= amount }
        }

        mutating func receive(_ amount: Int64, onInvoice: Bool) {
            payments += 1
            received &+= amount
            if onInvoice { debitReceived &+= amount }
        }

        mutating func settle(_ amount: Int64, delay: Int64) {
            settled += 1
            settledCents &+= amount
            settledDays &+= delay
            settledAmountDays &+= amount &* delay
        }
    }

    /// One invoice's payments as they go by in day order: fully paid on the first day whose
    /// running total, at the end of the day, reaches the amount (as the triggers compute it).
    private struct SettlingInvoice {
        var id: String?
        var amount: Int64 = 0
        /// Nil when the stored due date is no day: the delay then counts 0, as the triggers count it.
        var due: Day?
        var paid: Int64 = 0
        var day: Day?
        var settledOn: Day?

        init() {}

        init(id: String, amount: Int64, due: Day?) {
            self.id = id
            self.amount = amount
            self.due = due
        }

        mutating func pay(_ cents: Int64, on paidOn: Day) {
            if let day, day != paidOn { closeDay() }
            paid &+= cents
            day = paidOn
        }

        private mutating func closeDay() {
            if settledOn == nil, amount > 0, paid >= amount { settledOn = day }
        }

        mutating func settle(into days: inout [Int: Totals]) {
            closeDay()
            guard let settledOn else { return }
            days[settledOn.daysSinceEpoch, default: Totals()].settle(amount, delay: due.map { Int64(max(0, settledOn - $0)) } ?? 0)
        }
    }

    /// The day a stored date column holds; nil for text that is no day.
    static func day(_ row: Row, _ index: Int) -> Day? {
        Day.fromDatabaseValue(row[index])
    }
}
