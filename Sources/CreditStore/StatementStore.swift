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

    static let amountColumns = [
        "revenue_cents", "operating_income_cents", "depreciation_cents", "net_income_cents", "total_assets_cents",
        "current_assets_cents", "inventories_cents", "trade_receivables_cents", "cash_cents",
        "total_liabilities_cents", "current_liabilities_cents", "financial_debt_cents", "trade_payables_cents",
        "equity_cents", "retained_earnings_cents",
    ]

    static func amountValues(_ a: FinancialStatement.Amounts) -> [Int64?] {
        [
            a.revenue, a.operatingIncome, a.depreciationAndAmortisation, a.netIncome, a.totalAssets, a.currentAssets,
            a.inventories, a.tradeReceivables, a.cash, a.totalLiabilities, a.currentLiabilities, a.financialDebt,
            a.tradePayables, a.equity, a.retainedEarnings,
        ].map { $0?.cents }
    }

    static func amounts(_ row: Row, from offset: Int) -> FinancialStatement.Amounts {
        func money(_ index: Int) -> Money? { (row[offset + index] as Int64?).map(Money.init(cents:)) }
        return FinancialStatement.Amounts(
            revenue: money(0), operatingIncome: money(1), depreciationAndAmortisation: money(2), netIncome: money(3),
            totalAssets: money(4), currentAssets: money(5), inventories: money(6), tradeReceivables: money(7),
            cash: money(8), totalLiabilities: money(9), currentLiabilities: money(10), financialDebt: money(11),
            tradePayables: money(12), equity: money(13), retainedEarnings: money(14))
    }

    /// Stores `statement`; returns whether it was new, changed figures, or was already there.
    public func save(_ db: Database, _ statement: FinancialStatement, source: StatementSource) throws -> RowOutcome {
        let key: StatementArguments = [
            statement.company.registrationId, statement.periodEnd.iso, statement.consolidated,
        ]
        let existing = try Row.fetchOne(
            db.cachedStatement(
                sql:
                    "SELECT id, company_name, sector_code, period_months, currency, \(Self.amountColumns.joined(separator: ", ")) FROM statement WHERE registration_id = ? AND period_end = ? AND consolidated = ?"
            ),
            arguments: key)
        let values: [DatabaseValueConvertible?] =
            [
                statement.company.name, statement.company.sectorCode, statement.periodMonths, statement.currency,
            ] + Self.amountValues(statement.amounts)
        if let existing {
            let stored = FinancialStatement(
                company: .init(
                    registrationId: statement.company.registrationId, name: existing[1], sectorCode: existing[2]),
                periodEnd: statement.periodEnd, periodMonths: existing[3], currency: existing[4],
                consolidated: statement.consolidated, amounts: Self.amounts(existing, from: 5))
            if stored == statement { return .unchanged }
            let assignments = (["company_name", "sector_code", "period_months", "currency"] + Self.amountColumns)
                .map { "\($0) = ?" }.joined(separator: ", ")
            try db.cachedStatement(
                sql: "UPDATE statement SET \(assignments), format = ?, file_name = ?, sha256 = ?, imported_on = ? WHERE id = ?"
            ).execute(
                arguments: StatementArguments(
                    values + [source.format, source.fileName, source.sha256, source.importedOn.iso, existing[0] as Int64]))
            return .updated
        }
        let columns =
            ["registration_id", "period_end", "consolidated", "company_name", "sector_code", "period_months", "currency"]
            + Self.amountColumns + ["format", "file_name", "sha256", "imported_on"]
        try db.cachedStatement(
            sql:
                "INSERT INTO statement (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
        ).execute(
            arguments: StatementArguments(
                [statement.company.registrationId, statement.periodEnd.iso, statement.consolidated] + values
                    + [source.format, source.fileName, source.sha256, source.importedOn.iso]))
        return .inserted
    }

    /// The company's statements, most recent period first.
    public func statements(_ db: Database, registrationId: String) throws -> [FinancialStatement] {
        try Row.fetchAll(
            db,
            sql:
                "SELECT registration_id, company_name, sector_code, period_end, period_months, currency, consolidated, \(Self.amountColumns.joined(separator: ", ")) FROM statement WHERE registration_id = ? ORDER BY period_end DESC, consolidated",
            arguments: [registrationId]
        ).map(Self.statement)
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
                    SELECT registration_id, company_name, sector_code, period_end, period_months, currency, consolidated, \(Self.amountColumns.joined(separator: ", "))
                    FROM statement
                    WHERE registration_id = ? AND (period_end <= ? OR (imported_on <= ? AND period_end <= ?))
                    ORDER BY period_end DESC, consolidated LIMIT 1
                    """),
            arguments: [registrationId, rule.publishedPeriodEnd(on: day).iso, day.iso, day.iso]
        ).map(Self.statement)
    }

    static func statement(_ row: Row) throws -> FinancialStatement {
        FinancialStatement(
            company: .init(registrationId: row[0], name: row[1], sectorCode: row[2]), periodEnd: try StoredRows.day(row[3]),
            periodMonths: row[4], currency: row[5], consolidated: row[6], amounts: amounts(row, from: 7))
    }
}
