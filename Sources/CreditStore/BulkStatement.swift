import CreditCore
import GRDB
import GRDBSQLite

/// A prepared statement run with values bound straight through SQLite's C API.
///
/// GRDB's argument arrays box every value and bind strings through nested closures: right for
/// ordinary queries, but most of the cost of loading a million rows. The ledger's bulk paths
/// (inserting invoices and payments, moving open balances) use this instead; they still only
/// ever bind values, never build SQL from them. Lives no longer than its transaction.
final class BulkStatement {
    private let statement: Statement
    private let connection: SQLiteConnection?
    private var index: Int32 = 0

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        connection = db.sqliteConnection
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ text: String) {
        index += 1
        var text = text
        text.withUTF8 { bytes in
            _ = sqlite3_bind_text(
                statement.sqliteStatement, index, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                Int32(bytes.count), BulkStatement.transient)
        }
    }

    /// NULL, for a value that is missing.
    func bindNull() {
        index += 1
        sqlite3_bind_null(statement.sqliteStatement, index)
    }

    func bind(_ text: String?) {
        guard let text else { return bindNull() }
        bind(text)
    }

    func bind(_ value: Int64) {
        index += 1
        sqlite3_bind_int64(statement.sqliteStatement, index, value)
    }

    /// A whole number that may be missing: NULL then.
    func bind(_ value: Int64?) {
        guard let value else { return bindNull() }
        bind(value)
    }

    /// A day as it is stored: ISO text.
    func bind(_ day: Day) { bind(day.iso) }

    /// An amount as it is stored: integer cents.
    func bind(_ amount: Money) { bind(amount.cents) }

    /// Rows changed by the last run (`sqlite3_changes`).
    var changes: Int { connection.map { Int(sqlite3_changes($0)) } ?? 0 }

    /// Runs the statement with the values bound since the last run; constraint failures become
    /// rejections, anything else a `DatabaseError` as GRDB would throw it.
    func run() throws {
        defer {
            index = 0
            sqlite3_reset(statement.sqliteStatement)
        }
        let code = sqlite3_step(statement.sqliteStatement)
        guard code != SQLITE_DONE && code != SQLITE_ROW else { return }
        let extended = ResultCode(rawValue: sqlite3_extended_errcode(connection))
        switch extended {
        case .SQLITE_CONSTRAINT_PRIMARYKEY, .SQLITE_CONSTRAINT_UNIQUE: throw RowRejection.duplicateId
        case .SQLITE_CONSTRAINT_FOREIGNKEY: throw RowRejection.unknownReference
        default:
            let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            throw DatabaseError(resultCode: extended, message: message, sql: statement.sql)
        }
    }
}
