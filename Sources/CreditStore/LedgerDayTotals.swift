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
                received: StoredRows.money(row, 4), receivedOnInvoices: StoredRows.money(row, 5), settledInvoices: StoredRows.count(row, 6),
                settledAmount: StoredRows.money(row, 7), settledDelayDays: StoredRows.count(row, 8), settledAmountDays: row.decode(atIndex: 9))
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
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(sums.joined(separator: ", ")) FROM \(table) paid_on <= ?", arguments: arguments)
        else { return pairs.map { _ in .zero } }
        return try pairs.indices.map { try StoredRows.money(row, $0) }
    }

    /// What was received on or before `day` on invoices due before each of `cutoffs` (an aged
    /// balance's: `AgedBalance.overdueCutoffs`), the same sums as `paid(_:asOf:scope:)` by the
    /// complement: everything received on invoices by then (`days`, the scope's daily totals as
    /// `days(_:scope:)` reads them) less what was received by then on invoices due on or after
    /// the cutoff. Only the receipts due from the earliest cutoff on are read, through the
    /// due-date index (v22): a few months of due dates instead of every receipt of the ledger.
    /// A scope's receipts, a part of the table already, are summed directly.
    public func paid(_ db: Database, by day: Day, dueBefore cutoffs: [Day], days: [LedgerDay], scope: Scope? = nil) throws -> [Money] {
        if scope != nil { return try paid(db, asOf: cutoffs.map { (paidBy: day, dueBefore: $0) }, scope: scope) }
        guard let earliest = cutoffs.min() else { return [] }
        var received = Money.zero
        for total in days where total.day <= day { received += total.receivedOnInvoices }
        // The placeholders in the order they are bound: each sum's cutoff, then the WHERE's.
        let sums = cutoffs.map { _ in "TOTAL(CASE WHEN due_date >= ? THEN cents END)" }
        let bounds: [(any DatabaseValueConvertible)?] = cutoffs.map { $0 }
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT \(sums.joined(separator: ", ")) FROM ledger_receipt_due INDEXED BY ledger_receipt_due_by_due
                    WHERE due_date >= ? AND paid_on <= ?
                    """,
                arguments: StatementArguments(bounds + [earliest, day]))
        else { return cutoffs.map { _ in received } }
        return try cutoffs.indices.map { try received - StoredRows.money(row, $0) }
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
    /// scope (`ledger_scope_stale`, emptied here). One ordered pass over both tables side by side,
    /// invoices by id and payments by invoice and day, so that each invoice's payments follow it
    /// and its full-payment day is found as they go by; each movement counts in the whole ledger
    /// and in every scope of its customer. A payment whose invoice is not stored counts nowhere.
    public func rebuild(_ db: Database, flushingEvery flushAt: Int = 750_000) throws {
        let scoped = try db.tableExists("ledger_day_scope")
        try db.execute(sql: "DELETE FROM ledger_day; DELETE FROM ledger_receipt_due")
        if scoped { try db.execute(sql: "DELETE FROM ledger_day_scope; DELETE FROM ledger_receipt_due_scope; DELETE FROM ledger_scope_stale") }
        // Each customer's scopes, as numbers into `scopeNames` (0 is the whole ledger).
        var scopeNames = [""]
        var scopesOf: [String: Scopes] = [:]
        if scoped {
            var index: [String: Int] = [:]
            let rows = try BulkCursor(db, sql: "SELECT customer_id, scope FROM customer_scope")
            while try rows.step() {
                guard let customer = rows.text(0), let scope = rows.text(1) else { continue }
                let number =
                    index[scope]
                    ?? {
                        scopeNames.append(scope)
                        index[scope] = scopeNames.count - 1
                        return scopeNames.count - 1
                    }()
                scopesOf[customer, default: Scopes()].add(number)
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
        let invoices = try BulkCursor(db, sql: "SELECT id, issue_date, due_date, amount_cents, customer_id FROM invoice ORDER BY id")
        let payments = try BulkCursor(
            db, sql: "SELECT invoice_id, paid_on, amount_cents FROM payment INDEXED BY payment_invoice ORDER BY invoice_id, paid_on")
        var paymentAhead = try payments.step()
        // Invoices come in runs of one customer: the scopes are looked up when the customer changes.
        var customer: [UInt8] = []
        var scopes = Scopes()
        while try invoices.step() {
            let amount = try invoices.int64(3)
            let (issued, due) = (invoices.day(1), invoices.day(2))
            if scoped {
                let id = invoices.bytes(4)
                if !customer.elementsEqual(id) {
                    customer = Array(id)
                    scopes = invoices.text(4).flatMap { scopesOf[$0] } ?? Scopes()
                }
            }
            scopes.forEach { scope in
                if let issued { days[key(scope, issued), default: Totals()].issue(amount) }
                if amount > 0, let due { days[key(scope, due), default: Totals()].debitDue &+= amount }
            }
            // Its payments: those of invoices before it in id order have no invoice and count nowhere.
            let id = invoices.bytes(0)
            while paymentAhead, payments.bytes(0).lexicographicallyPrecedes(id) { paymentAhead = try payments.step() }
            var invoice = SettlingInvoice(amount: amount, due: due, scopes: scopes)
            while paymentAhead, payments.bytes(0).elementsEqual(id) {
                if let paidOn = payments.day(1) {
                    let paid = try payments.int64(2)
                    scopes.forEach { scope in
                        days[key(scope, paidOn), default: Totals()].receive(paid, onInvoice: amount > 0)
                        if amount > 0, let due {
                            receipts[ReceiptKey(scope: scope, paidOn: paidOn.daysSinceEpoch, due: due.daysSinceEpoch), default: 0] &+= paid
                        }
                    }
                    invoice.pay(paid, on: paidOn)
                }
                paymentAhead = try payments.step()
            }
            invoice.settle(into: &days, key: key)
            if days.count + receipts.count >= flushAt {
                try writer.add(days, receipts)
                days.removeAll(keepingCapacity: true)
                receipts.removeAll(keepingCapacity: true)
            }
        }
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

    /// Adds totals to the tables (upserts: a day's totals may come in several parts), in key
    /// order so that each table's B-tree grows at its end rather than everywhere at once.
    private struct TotalsWriter {
        let scopeNames: [String]
        /// Each scope number's place among the scope names in text order (the tables' key order).
        let rank: [Int]
        let day: BulkStatement
        let scopeDay: BulkStatement?
        let receipt: BulkStatement
        let scopeReceipt: BulkStatement?

        init(_ db: Database, scoped: Bool, scopeNames: [String]) throws {
            self.scopeNames = scopeNames
            var rank = Array(repeating: 0, count: scopeNames.count)
            for (place, number) in scopeNames.indices.sorted(by: { scopeNames[$0] < scopeNames[$1] }).enumerated() { rank[number] = place }
            self.rank = rank
            let columns = [
                "invoices_issued", "issued_cents", "debit_issued_cents", "debit_due_cents", "payments_received", "received_cents",
                "debit_received_cents", "settled_invoices", "settled_cents", "settled_delay_days", "settled_weighted_delay",
            ]
            let sums = columns.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", ")
            let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
            day = try BulkStatement(
                db,
                sql: "INSERT INTO ledger_day (day, \(columns.joined(separator: ", "))) VALUES (?, \(marks)) ON CONFLICT (day) DO UPDATE SET \(sums)")
            scopeDay =
                scoped
                ? try BulkStatement(
                    db,
                    sql: """
                        INSERT INTO ledger_day_scope (scope, day, \(columns.joined(separator: ", "))) VALUES (?, ?, \(marks))
                        ON CONFLICT (scope, day) DO UPDATE SET \(sums)
                        """) : nil
            receipt = try BulkStatement(
                db,
                sql: """
                    INSERT INTO ledger_receipt_due (paid_on, due_date, cents) VALUES (?, ?, ?)
                    ON CONFLICT (paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents
                    """)
            scopeReceipt =
                scoped
                ? try BulkStatement(
                    db,
                    sql: """
                        INSERT INTO ledger_receipt_due_scope (scope, paid_on, due_date, cents) VALUES (?, ?, ?, ?)
                        ON CONFLICT (scope, paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents
                        """) : nil
        }

        func add(_ days: [Int64: Totals], _ receipts: [ReceiptKey: Int64]) throws {
            // The whole ledger's scope, "", ranks first; days sort as their ISO text (years 0 to 9999).
            func order(_ key: Int64) -> (Int, Int) { (rank[Int(key >> 32)], Int(Int32(truncatingIfNeeded: key))) }
            for (key, t) in days.sorted(by: { order($0.key) < order($1.key) }) {
                let scope = Int(key >> 32)
                let statement: BulkStatement
                if scope == 0 {
                    statement = day
                } else if let scopeDay, scopeNames.indices.contains(scope) {
                    statement = scopeDay
                    statement.bind(scopeNames[scope])
                } else {
                    continue
                }
                statement.bind(Day(daysSinceEpoch: Int(Int32(truncatingIfNeeded: key))))
                for value in [
                    Int64(t.invoices), t.issued, t.debitIssued, t.debitDue, Int64(t.payments), t.received, t.debitReceived,
                    Int64(t.settled), t.settledCents, t.settledDays, t.settledAmountDays,
                ] {
                    statement.bind(value)
                }
                try statement.run()
            }
            func order(_ key: ReceiptKey) -> (Int, Int, Int) { (rank[key.scope], key.paidOn, key.due) }
            for (key, cents) in receipts.sorted(by: { order($0.key) < order($1.key) }) {
                let statement: BulkStatement
                if key.scope == 0 {
                    statement = receipt
                } else if let scopeReceipt, scopeNames.indices.contains(key.scope) {
                    statement = scopeReceipt
                    statement.bind(scopeNames[key.scope])
                } else {
                    continue
                }
                statement.bind(Day(daysSinceEpoch: key.paidOn))
                statement.bind(Day(daysSinceEpoch: key.due))
                statement.bind(cents)
                try statement.run()
            }
        }
    }

    private struct ReceiptKey: Hashable {
        var scope: Int
        var paidOn: Int
        var due: Int

        /// One word hashed rather than three: a first load hashes a key per payment and scope.
        /// Keys that mix to the same word still differ by `==`.
        func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(truncatingIfNeeded: scope) &<< 44 ^ UInt64(truncatingIfNeeded: paidOn) &<< 22 ^ UInt64(truncatingIfNeeded: due))
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
        var amount: Int64 = 0
        /// The scopes it counts in (the whole ledger alone by default).
        var scopes = Scopes()
        /// Nil when the stored due date is no day: the delay then counts 0, as the triggers count it.
        var due: Day?
        var paid: Int64 = 0
        var day: Day?
        var settledOn: Day?

        init(amount: Int64, due: Day?, scopes: Scopes) {
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
