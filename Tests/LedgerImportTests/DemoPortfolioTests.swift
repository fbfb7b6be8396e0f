import CreditApp
import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// The committed demo portfolio imports whole, and its totals agree with sums taken straight
/// from the CSV text by the plain reading below, which shares no code with the importer.
@Suite("Demo portfolio")
struct DemoPortfolioTests {
    /// Data rows of a `;`-separated file without quoted delimiters in the columns used here.
    func rows(_ name: String) throws -> [[Substring]] {
        let text = try String(contentsOf: Fixtures.demo.appendingPathComponent(name), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ";", omittingEmptySubsequences: false) }
    }

    /// "1 234,56" → 123456: drop the spaces and the comma, the last two digits are cents.
    func cents(_ text: Substring) -> Int64 {
        let digits = text.filter { $0 != " " && $0 != "," }
        precondition(text.contains(","), "demo amounts always carry two decimals")
        return Int64(digits)!
    }

    @Test("counts and money totals match the files")
    func totals() throws {
        let invoiceRows = try rows("invoices.csv")
        let paymentRows = try rows("payments.csv")
        let customerRows = try rows("customers.csv")
        let disputeRows = try rows("disputes.csv")
        let invoiced = invoiceRows.reduce(Int64(0)) { $0 + cents($1[4]) }
        let paid = paymentRows.reduce(Int64(0)) { $0 + cents($1[3]) }

        let db = try CreditDatabase.inMemory()
        let summary = try importer(db).importLedger(directory: Fixtures.demo)
        #expect(summary.ignoredFiles == ["outcomes.csv", "statements"])
        let inserted = Dictionary(uniqueKeysWithValues: summary.files.map { ($0.kind, $0.inserted) })
        #expect(inserted[.customers] == customerRows.count)
        #expect(inserted[.invoices] == invoiceRows.count)
        #expect(inserted[.payments] == paymentRows.count)
        #expect(inserted[.disputes] == disputeRows.count)
        #expect(customerRows.count == 200)
        try db.read { (db: Database) throws in
            #expect(try Int64.fetchOne(db, sql: "SELECT SUM(amount_cents) FROM invoice") == invoiced)
            #expect(try Int64.fetchOne(db, sql: "SELECT SUM(open_cents) FROM invoice") == invoiced - paid)
        }

        // As of the last day of the ledger, everything not paid is open: the aged balance holds it all.
        let report = try PortfolioReport(database: db).summary(asOf: nil)
        #expect(report.openReceivables.cents == invoiced - paid)
        #expect(report.agedBalance.total == report.openReceivables)
        #expect(report.customers == 200)
    }

    @Test("open receivables as of an earlier day count only invoices issued and payments made by then")
    func asOfEarlierDay() throws {
        let cutoff = try #require(Day(parsing: "2025-12-31"))
        let invoiceRows = try rows("invoices.csv")
        let paymentRows = try rows("payments.csv")
        var issuedBy: [Substring: Int64] = [:]
        for row in invoiceRows where Day(parsing: row[2])! <= cutoff { issuedBy[row[0]] = cents(row[4]) }
        var open = issuedBy.values.reduce(0, +)
        for row in paymentRows where Day(parsing: row[2])! <= cutoff && issuedBy[row[1]] != nil { open -= cents(row[3]) }

        let db = try CreditDatabase.inMemory()
        _ = try importer(db).importLedger(directory: Fixtures.demo)
        let report = try PortfolioReport(database: db).summary(asOf: cutoff)
        #expect(report.openReceivables.cents == open)
        #expect(report.invoices == issuedBy.count)
    }
}
