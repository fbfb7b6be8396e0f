import CreditCore
import GRDB
import GRDBSQLite

/// A query stepped straight through SQLite's C API, its columns read in place.
///
/// The reading twin of `BulkStatement`: a pass over the whole ledger (the daily totals' rebuild
/// after a bulk load reads two million rows) pays more for GRDB's rows, boxed values and
/// strings than for SQLite's own work. Text is lent as bytes that stay valid until the next step.
/// Lives no longer than its transaction.
final class BulkCursor {
    private let statement: Statement

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
    }

    deinit { sqlite3_reset(statement.sqliteStatement) }

    /// Moves to the next row; false after the last one.
    func step() throws -> Bool {
        let code = sqlite3_step(statement.sqliteStatement)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        let connection = sqlite3_db_handle(statement.sqliteStatement)
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }

    /// The column's text as UTF-8 bytes (empty for NULL), valid until the next `step`.
    func bytes(_ index: Int32) -> UnsafeBufferPointer<UInt8> {
        let pointer = sqlite3_column_text(statement.sqliteStatement, index)
        return UnsafeBufferPointer(start: pointer, count: pointer == nil ? 0 : Int(sqlite3_column_bytes(statement.sqliteStatement, index)))
    }

    /// The column's text as a string; nil for NULL.
    func text(_ index: Int32) -> String? {
        guard sqlite3_column_type(statement.sqliteStatement, index) != SQLITE_NULL else { return nil }
        return String(decoding: bytes(index), as: UTF8.self)
    }

    /// The column's day, nil when it holds anything but `YYYY-MM-DD` text (as `Day` decodes).
    func day(_ index: Int32) -> Day? {
        Day(sqliteStatement: statement.sqliteStatement, index: index)
    }

    /// The column's integer: an INTEGER, or a REAL holding a whole number; anything else does
    /// not decode, as GRDB's `Int64` would refuse it.
    func int64(_ index: Int32) throws -> Int64 {
        switch sqlite3_column_type(statement.sqliteStatement, index) {
        case SQLITE_INTEGER: return sqlite3_column_int64(statement.sqliteStatement, index)
        case SQLITE_FLOAT:
            if let value = Int64(exactly: sqlite3_column_double(statement.sqliteStatement, index)) { return value }
        default: break
        }
        throw DatabaseError(message: "column \(index) of a row of `\(statement.sql)` is not an integer")
    }
}
