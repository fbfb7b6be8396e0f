import CreditCore
import GRDB

/// Moves a whole portfolio in time by a number of days: every date of the ledger (invoices,
/// payments, disputes) and every statement's period end, so that ages, delays and the order of
/// events stay exactly as they were. What the demo does when loaded, so that its story is told as
/// of yesterday whenever it is run; nothing else should call it.
public struct LedgerTimeShift: Sendable {
    public init() {}

    /// Shifts by `days` (negative moves back), in the caller's transaction.
    public func shift(_ db: Database, days: Int) throws {
        guard days != 0 else { return }
        let offset = "\(days >= 0 ? "+" : "")\(days) days"
        // Dates inside a key go in two steps (marked, then moved), so that a row moved onto the
        // old date of another one of its company or invoice never collides on the way; the mark
        // sorts before any date, so a dispute's resolution stays on or after its opening meanwhile.
        for statement in [
            "UPDATE invoice SET issue_date = date(issue_date, ?), due_date = date(due_date, ?)",
            "UPDATE payment SET paid_on = date(paid_on, ?)",
            "UPDATE dispute SET opened_on = '!' || opened_on",
            "UPDATE dispute SET resolved_on = date(resolved_on, ?) WHERE resolved_on IS NOT NULL",
            "UPDATE dispute SET deadline_alerted_on = date(deadline_alerted_on, ?) WHERE deadline_alerted_on IS NOT NULL",
            "UPDATE dispute SET opened_on = date(substr(opened_on, 2), ?)",
            "UPDATE statement SET period_end = '!' || period_end",
            "UPDATE statement SET period_end = date(substr(period_end, 2), ?)",
        ] {
            let placeholders = statement.filter { $0 == "?" }.count
            try db.execute(sql: statement, arguments: StatementArguments(Array(repeating: offset, count: placeholders)))
        }
    }
}
