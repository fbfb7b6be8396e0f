import CreditCore
import GRDB
import GRDBSQLite

// How the domain's values are stored. The conformances are declared here, not beside the types,
// because the core stays free of GRDB: only the store knows how a value is stored. (They need no
// `@retroactive`: the types are in this package, and Swift refuses the attribute for them.)

/// A day is stored as ISO 8601 text, `YYYY-MM-DD`, which sorts as text in SQL. Any other stored
/// value (another date form, an impossible day, a number, NULL) does not decode: reading it
/// throws an error naming the column, it never traps.
extension Day: DatabaseValueConvertible, StatementColumnConvertible {
    public var databaseValue: DatabaseValue { iso.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Day? {
        guard case .string(let text) = dbValue.storage else { return nil }
        return Day(isoText: text)
    }

    /// Reads the text in place: scoring reads millions of dates.
    public init?(sqliteStatement: SQLiteStatement, index: CInt) {
        guard sqlite3_column_type(sqliteStatement, index) == SQLITE_TEXT, let text = sqlite3_column_text(sqliteStatement, index)
        else { return nil }
        guard let day = Day(isoUTF8: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(sqliteStatement, index)))) else {
            return nil
        }
        self = day
    }
}

/// An amount is stored as integer cents. A stored value that is not an integer does not decode.
extension Money: DatabaseValueConvertible, StatementColumnConvertible {
    public var databaseValue: DatabaseValue { cents.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Money? {
        guard case .int64(let cents) = dbValue.storage else { return nil }
        return Money(cents: cents)
    }

    public init?(sqliteStatement: SQLiteStatement, index: CInt) {
        guard sqlite3_column_type(sqliteStatement, index) == SQLITE_INTEGER else { return nil }
        self.init(cents: sqlite3_column_int64(sqliteStatement, index))
    }
}

// Statuses and kinds are stored as their raw values, the text the schema's CHECKs list; a
// stored text that is no case does not decode.
extension ApplicationStatus: DatabaseValueConvertible {}
extension ApplicationVerdict: DatabaseValueConvertible {}
extension AlertKind: DatabaseValueConvertible {}
extension OrderVerdict: DatabaseValueConvertible {}
extension ActivityKind: DatabaseValueConvertible {}
extension ActivityOutcome: DatabaseValueConvertible {}
extension ReminderStep: DatabaseValueConvertible {}
extension DocumentLanguage: DatabaseValueConvertible {}
extension AlertStatus: DatabaseValueConvertible {}
