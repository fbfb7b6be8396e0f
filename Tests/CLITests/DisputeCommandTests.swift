import Foundation
import Testing

/// `creditrisk dispute open|assign|comment|resolve` and `creditrisk disputes --owner --overdue`.
@Suite("Dispute commands")
struct DisputeCommandTests {
    @Test("an imported dispute assigned and commented shows on its owner's overdue list; resolved, a part of the invoice is contested anew")
    func workflow() throws {
        let db = try CLITests.ledger()
        // F-1005 (C003, 4 000 open) has had a quality dispute open since 20 May: 7 days, so due by 27 May.
        let assigned = try CLITests.run(["dispute", "assign", "--db", db, "--owner", "marie", "--on", "2026-06-02", "F-1005"])
        #expect(assigned.status == 0, "\(assigned.errors)")
        #expect(assigned.output.hasPrefix("assigned: C003"), "\(assigned.output)")
        let commented = try CLITests.run(["dispute", "comment", "--db", db, "--note", "warehouse checking", "--author", "marie", "F-1005"])
        #expect(commented.status == 0, "\(commented.errors)")
        let list = try CLITests.run(["disputes", "--db", db, "--owner", "marie", "--overdue"])
        #expect(list.status == 0, "\(list.errors)")
        #expect(list.output.contains("F-1005 (C003) quality, owner marie, opened 2026-05-20, deadline 2026-05-27"), "\(list.output)")
        #expect(list.output.contains("by marie: warehouse checking"), "\(list.output)")
        let nobody = try CLITests.run(["disputes", "--db", db, "--owner", "paul"])
        #expect(nobody.output.hasPrefix("Open disputes as of") && nobody.output.contains(": 0"), "\(nobody.output)")

        let resolved = try CLITests.run(["dispute", "resolve", "--db", db, "--outcome", "rejected", "--on", "2026-06-03", "F-1005"])
        #expect(resolved.status == 0, "\(resolved.errors)")
        #expect(resolved.output.hasPrefix("resolved: C003"), "\(resolved.output)")
        let part = try CLITests.run([
            "dispute", "open", "--db", db, "--kind", "price", "--amount", "100,00", "--owner", "marie", "--on", "2026-06-04", "F-1005",
        ])
        #expect(part.status == 0, "\(part.errors)")
        #expect(part.output.hasPrefix("opened: C003"), "\(part.output)")
        let again = try CLITests.run(["disputes", "--db", db, "--owner", "marie"])
        #expect(again.output.contains("F-1005 (C003) price, owner marie"), "\(again.output)")
        #expect(again.output.contains("disputed of"), "\(again.output)")
    }

    @Test("dispute open refuses the kind prix with the list, and resolve an outcome not on its list, exiting 65")
    func refusals() throws {
        let db = try CLITests.ledger()
        let kind = try CLITests.run(["dispute", "open", "--db", db, "--kind", "prix", "F-1005"])
        #expect(kind.status == 65)
        #expect(kind.errors.contains("is not a dispute kind; use one of price, quantity"), "\(kind.errors)")
        let outcome = try CLITests.run(["dispute", "resolve", "--db", db, "--outcome", "refunded", "F-1005"])
        #expect(outcome.status == 65)
        #expect(outcome.errors.contains("credit_note, corrected_invoice, rejected"), "\(outcome.errors)")
    }
}
