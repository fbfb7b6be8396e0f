import CreditCore
import GRDB

/// The whole ledger's daily totals (`ledger_day`, `ledger_receipt_due`, see the v13 migration):
/// kept by triggers on every write, rebuilt here after a bulk load, read by the KPI trend.
public struct LedgerDayTotals: Sendable {
    public init() {}

    /// Every day with a movement, in day order (a row keyed by a stored date that is no day, left
    /// by a row edited by hand until an import corrects it, is passed over).
    /// `scope`: a group's, sector's or sales rep's (`Scope`); nil, the whole ledger's.
    public func days(_ db: Database, scope: Scope? = nil) throws -> [LedgerDay] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT day, issued_cents, debit_issued_cents, debit_due_cents, received_cents, debit_received_cents,
                       settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay
                FROM \(scope == nil ? "ledger_day" : "ledger_day_scope WHERE scope = ?") ORDER BY day
                """, arguments: StatementArguments(scope.map { [$0.key] } ?? [String]())
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

    /// For each pair: the payments received on or before `paidBy` on invoices due before
    /// `dueBefore` (an aged balance's cutoffs: `AgedBalance.overdueCutoffs`). One pass of SQLite
    /// over the table for all pairs, a sum per pair (a stored date that is no day, text that
    /// sorts as no day does, compares as text and is counted or not as it sorts).
    public func paid(_ db: Database, asOf pairs: [(paidBy: Day, dueBefore: Day)], scope: Scope? = nil) throws -> [Money] {
        guard let latest = pairs.map(\.paidBy).max() else { return [] }
        // The placeholders in the order they are bound: each sum's two, then the WHERE's.
        let sums = pairs.map { _ in "TOTAL(CASE WHEN paid_on <= ? AND due_date < ? THEN cents END)" }
        let table = scope == nil ? "ledger_receipt_due WHERE" : "ledger_receipt_due_scope WHERE scope = ? AND"
        let bounds: [(any DatabaseValueConvertible)?] = pairs.flatMap { [$0.paidBy, $0.dueBefore] }
        let arguments = StatementArguments(bounds + (scope.map { [$0.key] } ?? []) + [latest])
        guard let row = try Row.fetchOne(
            db, sql: "SELECT \(sums.joined(separator: ", ")) FROM \(table) paid_on <= ?", arguments: arguments)
        else { return pairs.map { _ in .zero } }
        return try pairs.indices.map { try StoredRows.money(row, $0) }
    }

    /// A group, a sector or a sales rep: the customers whose totals `ledger_day_scope` keeps
    /// apart, as `customer_scope` names them.
    public enum Scope: Sendable, Hashable {
        case group(String)
        case sector(String)
        case salesRep(String)

        var key: String {
            switch self {
            case .group(let name): "group:\(name)"
            case .sector(let code): "sector:\(code)"
            case .salesRep(let name): "rep:\(name)"
            }
        }

        /// The scope a selection of one filter is; nil for the whole portfolio or several filters.
        public init?(_ selection: PortfolioSelection) {
            switch (selection.group, selection.sector, selection.salesRep) {
            case (let group?, nil, nil): self = .group(group)
            case (nil, let sector?, nil): self = .sector(sector)
            case (nil, nil, let rep?): self = .salesRep(rep)
            default: return nil
            }
        }
    }

    /// Whether a customer moved scope since the scoped totals were last rebuilt: until then,
    /// they are not to be read.
    public func scopesStale(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM ledger_scope_stale)") ?? true
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

    /// Recomputes both tables, and their scoped twins once they exist (v20), from `invoice`
    /// and `payment`: after a bulk load, which sets the triggers aside, and after customers moved
    /// scope (`ledger_scope_stale`, emptied here). Two ordered passes, the payments read with
    /// their invoice in invoice order so that each invoice's full-payment day is found as its
    /// payments go by; each movement counts in the whole ledger and in every scope of its customer.
    public func rebuild(_ db: Database, flushingEvery flushAt: Int = 750_000) throws {
        let scoped = try db.tableExists("ledger_day_scope")
        try db.execute(sql: "DELETE FROM ledger_day; DELETE FROM ledger_receipt_due")
        if scoped { try db.execute(sql: "DELETE FROM ledger_day_scope; DELETE FROM ledger_receipt_due_scope; DELETE FROM ledger_scope_stale") }
        // Each customer's scopes, as numbers into `scopeNames` (0 is the whole ledger).
        var scopeNames = [""]
        var scopesOf: [String: Scopes] = [:]
        if scoped {
            var index: [String: Int] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT customer_id, scope FROM customer_scope")
            while let row = try rows.next() {
                let scope: String = try row.decode(atIndex: 1)
                let number = index[scope] ?? {
                    scopeNames.append(scope)
                    index[scope] = scopeNames.count - 1
                    return scopeNames.count - 1
                }()
                scopesOf[try row.decode(atIndex: 0), default: Scopes()].add(number)
            }
        }
        // Keyed by scope << 32 | days since 1970, each row updating its days' totals in one
        // dictionary access per scope: this pass reads two million rows after a first load. The
        // totals are added to the tables whenever they hold `flushAt` entries (a group's days
        // times thousands of groups would otherwise all be in memory: 1 600 groups at 1M
        // customers), and at the end.
        var days: [Int64: Totals] = [:]
        var receipts: [ReceiptKey: Int64] = [:]
        let writer = try TotalsWriter(db, scoped: scoped, scopeNames: scopeNames)
        func key(_ scope: Int, _ day: Day) -> Int64 { Int64(scope) << 32 | Int64(UInt32(truncatingIfNeeded: day.daysSinceEpoch)) }
        func flushIfLarge() throws {
            guard days.count + receipts.count >= flushAt else { return }
            try writer.add(days, receipts)
            days.removeAll(keepingCapacity: true)
            receipts.removeAll(keepingCapacity: true)
        }
        let invoices = try Row.fetchCursor(db, sql: "SELECT issue_date, due_date, amount_cents, customer_id FROM invoice")
        while let row = try invoices.next() {
            let amount: Int64 = try row.decode(atIndex: 2)
            let scopes = scoped ? scopesOf[try row.decode(atIndex: 3)] ?? Scopes() : Scopes()
            let (issued, due) = (Self.day(row, 0), Self.day(row, 1))
            scopes.forEach { scope in
                if let issued { days[key(scope, issued), default: Totals()].issue(amount) }
                if amount > 0, let due { days[key(scope, due), default: Totals()].debitDue &+= amount }
            }
            try flushIfLarge()
        }
        var invoice = SettlingInvoice()
        let payments = try Row.fetchCursor(
            db,
            sql: """
                SELECT p.invoice_id, p.paid_on, p.amount_cents, i.amount_cents, i.due_date, i.customer_id
                FROM payment p INDEXED BY payment_invoice JOIN invoice i ON i.id = p.invoice_id
                ORDER BY p.invoice_id, p.paid_on
                """)
        while let row = try payments.next() {
            let invoiceId: String = try row.decode(atIndex: 0)
            let amount: Int64 = try row.decode(atIndex: 2)
            if invoiceId != invoice.id {
                invoice.settle(into: &days, key: key)
                try flushIfLarge()
                invoice = SettlingInvoice(
                    id: invoiceId, amount: try row.decode(atIndex: 3), due: Self.day(row, 4),
                    scopes: scoped ? scopesOf[try row.decode(atIndex: 5)] ?? Scopes() : Scopes())
            }
            guard let paidOn = Self.day(row, 1) else { continue }
            let current = invoice
            current.scopes.forEach { scope in
                days[key(scope, paidOn), default: Totals()].receive(amount, onInvoice: current.amount > 0)
                if current.amount > 0, let due = current.due {
                    receipts[ReceiptKey(scope: scope, paidOn: paidOn.daysSinceEpoch, due: due.daysSinceEpoch), default: 0] &+= amount
                }
            }
            invoice.pay(amount, on: paidOn)
        }
        invoice.settle(into: &days, key: key)
        try writer.add(days, receipts)
    }

    /// A customer's scopes: the whole ledger (0) and up to three more (its sector, group and
    /// sales rep), -1 where there is none; no allocation per customer.
    private struct Scopes {
        var numbers = SIMD4<Int32>(0, -1, -1, -1)

        mutating func add(_ number: Int) {
            for slot in 1..<4 where numbers[slot] < 0 {
                numbers[slot] = Int32(truncatingIfNeeded: number)
                return
            }
        }

        func forEach(_ body: (Int) throws -> Void) rethrows {
            for slot in 0..<4 where numbers[slot] >= 0 { try body(Int(numbers[slot])) }
        }
    }

    /// Adds totals to the tables (upserts: a day's totals may come in several parts).
    private struct TotalsWriter {
        let scopeNames: [String]
        let day: Statement
        let scopeDay: Statement?
        let receipt: Statement
        let scopeReceipt: Statement?

        init(_ db: Database, scoped: Bool, scopeNames: [String]) throws {
            self.scopeNames = scopeNames
            let columns = [
                "invoices_issued", "issued_cents", "debit_issued_cents", "debit_due_cents", "payments_received", "received_cents",
                "debit_received_cents", "settled_invoices", "settled_cents", "settled_delay_days", "settled_weighted_delay",
            ]
            let sums = columns.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", ")
            let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
            day = try db.makeStatement(
                sql: "INSERT INTO ledger_day (day, \(columns.joined(separator: ", "))) VALUES (?, \(marks)) ON CONFLICT (day) DO UPDATE SET \(sums)")
            scopeDay =
                scoped
                ? try db.makeStatement(
                    sql: """
                        INSERT INTO ledger_day_scope (scope, day, \(columns.joined(separator: ", "))) VALUES (?, ?, \(marks))
                        ON CONFLICT (scope, day) DO UPDATE SET \(sums)
                        """) : nil
            receipt = try db.makeStatement(
                sql: """
                    INSERT INTO ledger_receipt_due (paid_on, due_date, cents) VALUES (?, ?, ?)
                    ON CONFLICT (paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents
                    """)
            scopeReceipt =
                scoped
                ? try db.makeStatement(
                    sql: """
                        INSERT INTO ledger_receipt_due_scope (scope, paid_on, due_date, cents) VALUES (?, ?, ?, ?)
                        ON CONFLICT (scope, paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents
                        """) : nil
        }

        func add(_ days: [Int64: Totals], _ receipts: [ReceiptKey: Int64]) throws {
            for (key, t) in days {
                let scope = Int(key >> 32)
                let values: [(any DatabaseValueConvertible)?] = [
                    Day(daysSinceEpoch: Int(Int32(truncatingIfNeeded: key))), t.invoices, t.issued, t.debitIssued, t.debitDue, t.payments,
                    t.received, t.debitReceived, t.settled, t.settledCents, t.settledDays, t.settledAmountDays,
                ]
                if scope == 0 {
                    try day.execute(arguments: StatementArguments(values))
                } else if let scopeDay, scopeNames.indices.contains(scope) {
                    try scopeDay.execute(arguments: StatementArguments([scopeNames[scope]] + values))
                }
            }
            for (key, cents) in receipts {
                let (paidOn, due) = (Day(daysSinceEpoch: key.paidOn), Day(daysSinceEpoch: key.due))
                if key.scope == 0 {
                    try receipt.execute(arguments: [paidOn, due, cents])
                } else if let scopeReceipt, scopeNames.indices.contains(key.scope) {
                    try scopeReceipt.execute(arguments: [scopeNames[key.scope], paidOn, due, cents])
                }
            }
        }
    }

    private struct ReceiptKey: Hashable {
        var scope: Int
        var paidOn: Int
        var due: Int
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
        /// The scopes it counts in (the whole ledger alone by default).
        var scopes = Scopes()
        /// Nil when the stored due date is no day: the delay then counts 0, as the triggers count it.
        var due: Day?
        var paid: Int64 = 0
        var day: Day?
        var settledOn: Day?

        init() {}

        init(id: String, amount: Int64, due: Day?, scopes: Scopes) {
            self.id = id
            self.amount = amount
            self.due = due
            self.scopes = scopes
        }

        mutating func pay(_ cents: Int64, on paidOn: Day) {
            if let day, day != paidOn { closeDay() }
            paid &+= cents
            day = paidOn
        }

        private mutating func closeDay() {
            if settledOn == nil, amount > 0, paid >= amount { settledOn = day }
        }

        mutating func settle(into days: inout [Int64: Totals], key: (Int, Day) -> Int64) {
            closeDay()
            guard let settledOn else { return }
            let (amount, delay) = (self.amount, due.map { Int64(max(0, settledOn - $0)) } ?? 0)
            scopes.forEach { scope in days[key(scope, settledOn), default: Totals()].settle(amount, delay: delay) }
        }
    }

    /// The day a stored date column holds; nil for text that is no day.
    static func day(_ row: Row, _ index: Int) -> Day? {
        Day.fromDatabaseValue(row[index])
    }
}
