import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import LedgerReader
import Testing

/// Dates that cannot be true: what has happened (a payment, a dispute) cannot lie after the day
/// of the import or before the invoice it concerns was issued, and a due date decades ahead is a
/// typo. Each is refused at its line and column, and nothing of the import is stored. The tests'
/// clock reads 2026-11-18.
@Suite("Implausible ledger dates")
struct ImplausibleDatesTests {
    @Test("a payment dated after the day of the import is refused")
    func futurePayment() throws {
        let messages = try MisreadLedgerTests.refusal(replacing: "P-2;F-1002;01/04/2026;", with: "P-2;F-1002;01/12/2026;", in: "payments.csv")
        #expect(
            messages.contains {
                $0.contains("payments.csv line 3, column paid_on") && $0.contains("is in the future (the import runs on 2026-11-18)")
            }, "\(messages)")
    }

    @Test(
        "a dispute opened or resolved after the day of the import is refused",
        arguments: [
            ("F-1005;Quality;20/05/2026;", "F-1005;Quality;20/12/2026;", "opened_on"),
            ("F-1003;price;15/03/2026;10/04/2026", "F-1003;price;15/03/2026;10/04/2027", "resolved_on"),
        ])
    func futureDispute(old: String, new: String, column: String) throws {
        let messages = try MisreadLedgerTests.refusal(replacing: old, with: new, in: "disputes.csv")
        #expect(
            messages.contains { $0.contains("disputes.csv") && $0.contains("column \(column)") && $0.contains("is in the future") }, "\(messages)")
    }

    @Test("a due date more than five years after the day of the import is refused")
    func farDueDate() throws {
        // 2026-11-18 + 5 years = 2031-11-18; 2031-11-19 is one day too far.
        let messages = try MisreadLedgerTests.refusal(
            replacing: "F-1002;C001;15/02/2026;17/03/2026;", with: "F-1002;C001;15/02/2026;19/11/2031;", in: "invoices.csv")
        #expect(messages.contains { $0.contains("invoices.csv line 3, column due_date") && $0.contains("is after 2031-11-18") }, "\(messages)")
    }

    @Test("a due date five years ahead to the day is accepted")
    func dueDateAtTheBound() throws {
        let folder = try MisreadLedgerTests.french(
            replacing: "F-1002;C001;15/02/2026;17/03/2026;", with: "F-1002;C001;15/02/2026;18/11/2031;", in: "invoices.csv")
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(directory: folder)
        #expect(try db.read { try String.fetchOne($0, sql: "SELECT due_date FROM invoice WHERE id = 'F-1002'") } == "2031-11-18")
    }

    @Test("a payment dated before its invoice was issued is refused, in a first load and in a later export")
    func paymentBeforeIssue() throws {
        // F-1002 was issued on 15/02/2026.
        let folder = try MisreadLedgerTests.french(replacing: "P-2;F-1002;01/04/2026;", with: "P-2;F-1002;01/02/2026;", in: "payments.csv")
        let messages = try MisreadLedgerTests.refusal(folder)
        #expect(
            messages.contains {
                $0.contains("payments.csv line 3, column paid_on") && $0.contains("is before invoice F-1002 was issued on 2026-02-15")
            }, "\(messages)")

        // The same payment arriving in a later export, over a ledger already stored.
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        let before = try db.read(ledgerSnapshot)
        let error = try #require(throws: LedgerImportError.self) { try importer(db).importLedger(directory: folder) }
        #expect(error.problems.contains { $0.description.contains("is before invoice F-1002 was issued") }, "\(error.problems)")
        #expect(try db.read(ledgerSnapshot) == before)
    }

    @Test("a dispute opened before its invoice was issued is refused")
    func disputeBeforeIssue() throws {
        // F-1005 was issued on 01/04/2026.
        let messages = try MisreadLedgerTests.refusal(replacing: "F-1005;Quality;20/05/2026;", with: "F-1005;Quality;20/03/2026;", in: "disputes.csv")
        #expect(
            messages.contains {
                $0.contains("disputes.csv line 2, column opened_on") && $0.contains("is before invoice F-1005 was issued on 2026-04-01")
            }, "\(messages)")
    }

    @Test("a dispute of a kind not on the list is refused at its line, naming the kinds")
    func unknownDisputeKind() throws {
        let messages = try MisreadLedgerTests.refusal(replacing: "F-1005;Quality;", with: "F-1005;Prix;", in: "disputes.csv")
        #expect(
            messages.contains {
                $0.contains("disputes.csv line 2, column kind") && $0.contains("is not a dispute kind (price, quantity, quality")
            }, "\(messages)")
    }
}
