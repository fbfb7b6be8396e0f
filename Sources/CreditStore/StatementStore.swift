import CreditCore
import GRDB

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
/// the earlier figures.
public struct StatementStore: Sendable {
    public init() {}

    /// The amount columns and the fields of `FinancialStatement.Amounts` they hold: what saving
    /// writes and reading fills, in one list.
    static var amountFields: [(column: String, field: WritableKeyPath<FinancialStatement.Amounts, Money?>)] {
        [
            ("revenue_cents", \.revenue), ("operating_income_cents", \.operatingIncome),
            ("depreciation_cents", \.depreciationAndAmortisation), ("net_income_cents", \.netIncome),
            ("total_assets_cents", \.totalAssets), ("current_assets_cents", \.currentAssets), ("inventories_cents", \.inventories),
            ("trade_receivables_cents", \.tradeReceivables), ("cash_cents", \.cash), ("total_liabilities_cents", \.totalLiabilities),
            ("current_liabilities_cents", \.currentLiabilities), ("financial_debt_cents", \.financialDebt),
            ("trade_payables_cents", \.tradePayables), ("equity_cents", \.equity), ("retained_earnings_cents", \.retainedEarnings),
        ]
    }

    static let select = """
        SELECT id, registration_id, company_name, sector_code, period_end, period_months, currency, consolidated, \
        \(amountFields.map(\.column).joined(separator: ", ")) FROM statement
        """

    /// Stores `statement`; returns whether it was new, changed figures, or was already there.
    public func save(_ db: Database, _ statement: FinancialStatement, source: StatementSource) throws -> RowOutcome {
        let existing = try Row.fetchOne(
            db.cachedStatement(sql: "\(Self.select) WHERE registration_id = ? AND period_end = ? AND consolidated = ?"),
            arguments: [statement.company.registrationId, statement.periodEnd, statement.consolidated])
        // Every column but the id, under its name.
        var values: [(column: String, value: (any DatabaseValueConvertible)?)] = [
            ("registration_id", statement.company.registrationId), ("period_end", statement.periodEnd),
            ("consolidated", statement.consolidated), ("company_name", statement.company.name),
            ("sector_code", statement.company.sectorCode), ("period_months", statement.periodMonths), ("currency", statement.currency),
        ]
        values += Self.amountFields.map { ($0.column, statement.amounts[keyPath: $0.field]) }
        values += [
            ("format", source.format), ("file_name", source.fileName), ("sha256", source.sha256), ("imported_on", source.importedOn),
        ]
        let columns = values.map(\.column)
        let arguments = StatementArguments(values.map(\.value))
        if let existing {
            // A stored statement that does not decode (edited by hand) is replaced like a changed one.
            if (try? Self.statement(existing)) == statement { return .unchanged }
            let id: Int64 = try existing.decode(forColumn: "id")
            try db.cachedStatement(
                sql: "UPDATE statement SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"
            ).execute(arguments: arguments + [id])
            return .updated
        }
        try db.cachedStatement(
            sql: "INSERT INTO statement (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        ).execute(arguments: arguments)
        return .inserted
    }

    /// The company's statements, most recent period first.
    public func statements(_ db: Database, registrationId: String) throws -> [FinancialStatement] {
        try Row.fetchAll(
            db, sql: "\(Self.select) WHERE registration_id = ? ORDER BY period_end DESC, consolidated", arguments: [registrationId]
        ).map(Self.statement)
    }

    /// Every statement of every company with the day it was imported, by registration id: what
    /// point-in-time snapshots choose from with `ScoringModel.Financial.latestKnown`.
    public func datedStatements(_ db: Database) throws -> [String: [DatedStatement]] {
        let sql = Self.select.replacingOccurrences(of: " FROM statement", with: ", imported_on FROM statement")
        var byCompany: [String: [DatedStatement]] = [:]
        let rows = try Row.fetchCursor(db, sql: sql)
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
        var amounts = FinancialStatement.Amounts()
        for (column, field) in amountFields {
            amounts[keyPath: field] = try row.decode(forColumn: column)
        }
        return try FinancialStatement(
            company: .init(
                registrationId: row.decode(forColumn: "registration_id"), name: row.decode(forColumn: "company_name"),
                sectorCode: row.decode(forColumn: "sector_code")),
            periodEnd: row.decode(forColumn: "period_end"), periodMonths: row.decode(forColumn: "period_months"),
            currency: row.decode(forColumn: "currency"), consolidated: row.decode(forColumn: "consolidated"), amounts: amounts)
    }
}
