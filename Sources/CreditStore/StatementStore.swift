import CreditCore
import GRDB
import GRDBSQLite

/// Where a stored statement came from.
public struct StatementSource: Sendable, Hashable {
    public var format: String
    public var fileName: String
    public var sha256: String
    public var importedOn: Day

    public init(format: String, fileName: String, sha256: String, importedOn: Day) {
        self.format = format
        self.fileName = fileName
        self.sha256 = sha256
        self.importedOn = importedOn
    }
}

/// Financial statements by company and year. Several years of one company are kept; the same
/// accounts imported again change nothing, and corrected accounts for the same year replace
/// the earlier figures. The previous year as a statement restates it (`priorYear`) is kept in
/// `statement_prior_year`, under the same amount columns, and goes with its statement.
public struct StatementStore: Sendable {
    public init() {}

    /// The amount columns and the fields of `FinancialStatement.Amounts` they hold: what saving
    /// writes and reading fills, in one list. Both `statement` and `statement_prior_year` have them.
    static var amountFields: [(column: String, field: WritableKeyPath<FinancialStatement.Amounts, Money?>)] {
        [
            ("revenue_cents", \.revenue), ("operating_income_cents", \.operatingIncome),
            ("depreciation_cents", \.depreciationAndAmortisation), ("net_income_cents", \.netIncome),
            ("total_assets_cents", \.totalAssets), ("current_assets_cents", \.currentAssets), ("inventories_cents", \.inventories),
            ("trade_receivables_cents", \.tradeReceivables), ("cash_cents", \.cash), ("total_liabilities_cents", \.totalLiabilities),
            ("current_liabilities_cents", \.currentLiabilities), ("financial_debt_cents", \.financialDebt),
            ("trade_payables_cents", \.tradePayables), ("equity_cents", \.equity), ("retained_earnings_cents", \.retainedEarnings),
            ("financial_expenses_cents", \.financialExpenses), ("cost_of_sales_cents", \.costOfSales),
            ("personnel_costs_cents", \.personnelCosts), ("fixed_assets_cents", \.fixedAssets),
            ("short_term_financial_debt_cents", \.shortTermFinancialDebt),
            ("long_term_financial_debt_cents", \.longTermFinancialDebt), ("minority_interests_cents", \.minorityInterests),
        ]
    }

    /// Prefix of the prior year's amount columns in `select`.
    static let prior = "prior_"

    /// A statement row with the day it was imported and its prior year's amounts beside it
    /// (`prior_revenue_cents`...; `prior_statement_id` is NULL when there is none).
    static let select = """
        SELECT s.id, registration_id, company_name, sector_code, period_end, s.period_months, currency, consolidated, s.imported_on, \
        \(amountFields.map { "s.\($0.column)" }.joined(separator: ", ")), p.statement_id AS \(prior)statement_id, \
        \(amountFields.map { "p.\($0.column) AS \(prior)\($0.column)" }.joined(separator: ", ")), \
        p.period_months AS \(prior)period_months \
        FROM statement s LEFT JOIN statement_prior_year p ON p.statement_id = s.id
        """

    /// Stores `statement`; returns whether it was new, changed figures, or was already there.
    public func save(_ db: Database, _ statement: FinancialStatement, source: StatementSource) throws -> RowOutcome {
        try StatementSaver(db).save(statement, source: source)
    }

    /// A saver for many statements in the transaction of `db`: its statements are prepared once.
    public func saver(_ db: Database) throws -> StatementSaver { try StatementSaver(db) }

    /// The company's statements, most recent period first.
    public func statements(_ db: Database, registrationId: String) throws -> [FinancialStatement] {
        try Row.fetchAll(
            db, sql: "\(Self.select) WHERE registration_id = ? ORDER BY period_end DESC, consolidated", arguments: [registrationId]
        ).map(Self.statement)
    }

    /// The registration ids among the selected customers' that have a statement stored: a
    /// scoring run asks for the latest statement only of those (most customers of a ledger have
    /// none, and a query per customer cost more than the run's own look-ups).
    public func registrationsWithStatements(_ db: Database, among customers: LedgerHistories.Selection) throws -> Set<String> {
        Set(
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT c.registration_id FROM customer c
                    WHERE \(customers.condition("c.id")) AND c.registration_id IS NOT NULL
                      AND EXISTS (SELECT 1 FROM statement s WHERE s.registration_id = c.registration_id)
                    """, arguments: StatementArguments(customers.arguments)))
    }

    /// Every statement of every company with the day it was imported, by registration id: what
    /// point-in-time snapshots choose from with `ScoringModel.Financial.latestKnown`.
    public func datedStatements(_ db: Database) throws -> [String: [DatedStatement]] {
        var byCompany: [String: [DatedStatement]] = [:]
        let rows = try Row.fetchCursor(db, sql: Self.select)
        while let row = try rows.next() {
            let statement = try Self.statement(row)
            byCompany[statement.company.registrationId, default: []].append(
                DatedStatement(statement: statement, receivedOn: try row.decode(forColumn: "imported_on")))
        }
        return byCompany
    }

    /// The latest statement known on `day` by the model's rule (`ScoringModel.Financial.isKnown`,
    /// written here as a query): published by `day`, or received by us by `day` for a period
    /// already ended.
    public func latest(
        _ db: Database, registrationId: String, knownOn day: Day, rule: ScoringModel.Financial
    ) throws
        -> FinancialStatement?
    {
        try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    \(Self.select)
                    WHERE registration_id = ? AND (period_end <= ? OR (imported_on <= ? AND period_end <= ?))
                    ORDER BY period_end DESC, consolidated LIMIT 1
                    """),
            arguments: [registrationId, rule.publishedPeriodEnd(on: day), day, day]
        ).map(Self.statement)
    }

    static func statement(_ row: Row) throws -> FinancialStatement {
        func amounts(prefix: String) throws -> FinancialStatement.Amounts {
            var amounts = FinancialStatement.Amounts()
            for (column, field) in amountFields {
                amounts[keyPath: field] = try row.decode(forColumn: prefix + column)
            }
            return amounts
        }
        let priorId: Int64? = try row.decode(forColumn: prior + "statement_id")
        return try FinancialStatement(
            company: .init(
                registrationId: row.decode(forColumn: "registration_id"), name: row.decode(forColumn: "company_name"),
                sectorCode: row.decode(forColumn: "sector_code")),
            periodEnd: row.decode(forColumn: "period_end"), periodMonths: row.decode(forColumn: "period_months"),
            currency: row.decode(forColumn: "currency"), consolidated: row.decode(forColumn: "consolidated"),
            amounts: amounts(prefix: ""), priorYear: priorId == nil ? nil : amounts(prefix: prior),
            priorYearMonths: row.decode(forColumn: prior + "period_months"))
    }
}

/// Saves statements within one transaction (see `StatementStore`): the SQL is prepared once and
/// values are bound straight through SQLite's C API, so an import of ten thousand documents pays
/// for SQLite's work rather than for building argument arrays. A new statement costs one insert;
/// only a statement already stored for that company, year and scope is read back and compared.
/// Lives no longer than its transaction.
public final class StatementSaver {
    private let db: Database
    private let amountFields = StatementStore.amountFields
    private let insert: BulkStatement
    private let update: BulkStatement
    private let insertPriorYear: BulkStatement
    private let deletePriorYear: BulkStatement
    private let customerLookup: Statement

    /// Every column but the id, in the order `bindColumns` binds them.
    private static let columns =
        ["registration_id", "period_end", "consolidated", "company_name", "sector_code", "period_months", "currency"]
        + StatementStore.amountFields.map(\.column) + ["format", "file_name", "sha256", "imported_on"]
    private static let priorColumns = ["statement_id"] + StatementStore.amountFields.map(\.column) + ["period_months"]

    init(_ db: Database) throws {
        self.db = db
        let columns = Self.columns
        let places = columns.map { _ in "?" }.joined(separator: ", ")
        // The key (registration_id, period_end, consolidated) is UNIQUE: a statement already
        // stored for it is left to the update below, after comparing.
        insert = try BulkStatement(
            db,
            sql: "INSERT INTO statement (\(columns.joined(separator: ", "))) VALUES (\(places)) "
                + "ON CONFLICT (registration_id, period_end, consolidated) DO NOTHING")
        update = try BulkStatement(db, sql: "UPDATE statement SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?")
        insertPriorYear = try BulkStatement(
            db,
            sql: "INSERT OR REPLACE INTO statement_prior_year (\(Self.priorColumns.joined(separator: ", "))) "
                + "VALUES (\(Self.priorColumns.map { _ in "?" }.joined(separator: ", ")))")
        deletePriorYear = try BulkStatement(db, sql: "DELETE FROM statement_prior_year WHERE statement_id = ?")
        customerLookup = try db.makeStatement(sql: "SELECT id FROM customer WHERE registration_id = ? ORDER BY id LIMIT 1")
    }

    /// The customer whose registration id this is (the first by id when several share it); nil
    /// when none does, for a prospect's statement. Bound and read through SQLite's C API.
    public func customer(registrationId: String) throws -> String? {
        let handle = customerLookup.sqliteStatement
        defer { sqlite3_reset(handle) }
        var registrationId = registrationId
        let bound = registrationId.withUTF8 { bytes in
            sqlite3_bind_text(
                handle, 1, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self), Int32(bytes.count),
                unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
        let code = bound == SQLITE_OK ? sqlite3_step(handle) : bound
        switch code {
        case SQLITE_ROW:
            guard let text = sqlite3_column_text(handle, 0) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, 0))), as: UTF8.self)
        case SQLITE_DONE:
            return nil
        default:
            let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: customerLookup.sql)
        }
    }

    /// Stores `statement`; returns whether it was new, changed figures, or was already there.
    public func save(_ statement: FinancialStatement, source: StatementSource) throws -> RowOutcome {
        bindColumns(insert, statement, source)
        try insert.run()
        let id: Int64
        let outcome: RowOutcome
        if insert.changes == 1 {
            id = db.lastInsertedRowID
            outcome = .inserted
        } else {
            let existing = try Row.fetchOne(
                db.cachedStatement(sql: "\(StatementStore.select) WHERE registration_id = ? AND period_end = ? AND consolidated = ?"),
                arguments: [statement.company.registrationId, statement.periodEnd, statement.consolidated])
            // Only a conflict on the key leaves the insert without a row, so the row is there.
            guard let existing else { throw DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "statement not inserted") }
            // A stored statement that does not decode (edited by hand) is replaced like a changed one.
            if (try? StatementStore.statement(existing)) == statement { return .unchanged }
            id = try existing.decode(forColumn: "id")
            bindColumns(update, statement, source)
            update.bind(id)
            try update.run()
            outcome = .updated
        }
        if let prior = statement.priorYear {
            insertPriorYear.bind(id)
            for (_, field) in amountFields { insertPriorYear.bind(prior[keyPath: field]) }
            insertPriorYear.bind(statement.priorYearMonths.map(Int64.init))
            try insertPriorYear.run()
        } else {
            deletePriorYear.bind(id)
            try deletePriorYear.run()
        }
        return outcome
    }

    /// Binds `columns` in their order, as GRDB would store them (a Bool as 0 or 1, a day as ISO text).
    private func bindColumns(_ target: BulkStatement, _ statement: FinancialStatement, _ source: StatementSource) {
        target.bind(statement.company.registrationId)
        target.bind(statement.periodEnd)
        target.bind(Int64(statement.consolidated ? 1 : 0))
        target.bind(statement.company.name)
        target.bind(statement.company.sectorCode)
        target.bind(Int64(statement.periodMonths))
        target.bind(statement.currency)
        for (_, field) in amountFields { target.bind(statement.amounts[keyPath: field]) }
        target.bind(source.format)
        target.bind(source.fileName)
        target.bind(source.sha256)
        target.bind(source.importedOn)
    }
}

extension BulkStatement {
    /// An amount that may be missing: NULL then.
    fileprivate func bind(_ amount: Money?) {
        guard let amount else { return bindNull() }
        bind(amount)
    }
}
