import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

@Suite("Customer histories as of a day")
struct LedgerHistoriesTests {
    func histories(asOf: String, customer: String? = nil) throws -> [String: CustomerHistory] {
        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(directory: Fixtures.ledger("french"))
        var result: [String: CustomerHistory] = [:]
        try db.read { db in
            try LedgerHistories().forEach(db, asOf: Day(parsing: asOf)!, customerId: customer) { result[$0.customer.id] = $0 }
        }
        return result
    }

    @Test("only invoices issued, payments made and disputes opened by the day are loaded")
    func noLookAhead() throws {
        let all = try histories(asOf: "2026-03-31")
        #expect(all.keys.sorted() == ["C001", "C002", "C003"])
        let c001 = try #require(all["C001"])
        // F-1001 (05/01) and F-1002 (15/02) issued; P-1 paid 04/02; P-2 (01/04) and P-4 (15/04) not yet.
        #expect(c001.invoices.map(\.id).sorted() == ["F-1001", "F-1002"])
        #expect(c001.payments.map(\.id) == ["P-1"])
        let c002 = try #require(all["C002"])
        // F-1003 (10/01) and credit note F-1004 (10/03); P-3 paid 20/04: not yet; dispute on F-1003 opened 15/03.
        #expect(c002.invoices.map(\.id).sorted() == ["F-1003", "F-1004"])
        #expect(c002.payments.isEmpty)
        #expect(c002.disputes.map(\.invoiceId) == ["F-1003"])
        // C003's only invoice is issued 01/04: an empty history, still listed.
        #expect(all["C003"]?.invoices.isEmpty == true)
    }

    @Test("one customer's history is the same as in the portfolio pass")
    func oneCustomer() throws {
        let all = try histories(asOf: "2026-12-31")
        let one = try histories(asOf: "2026-12-31", customer: "C002")
        #expect(one.keys.sorted() == ["C002"])
        #expect(one["C002"]?.invoices == all["C002"]?.invoices)
        #expect(one["C002"]?.payments == all["C002"]?.payments)
        #expect(one["C002"]?.disputes == all["C002"]?.disputes)
        #expect(all["C001"]?.payments.count == 3)
    }
}
