import Foundation
import Testing

/// `creditrisk order check|held|release|reject` and `creditrisk group show|set-limit`.
@Suite("Order and group commands")
struct OrderCommandTests {
    /// A day `days` after the real today, as the commands take it.
    static func isoDay(daysFromToday days: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
    }

    /// The French fixture with C001 (nothing open) given grade 3 and a limit of 1 000.00.
    static func ledgerWithLimit() throws -> String {
        let db = try CLITests.ledger()
        let override = try CLITests.run([
            "override", "set", "--db", db, "--grade", "3", "--limit", "1000.00", "--reason", "test", "--author", "md", "--expires",
            isoDay(daysFromToday: 30), "C001",
        ])
        #expect(override.status == 0, "\(override.errors)")
        return db
    }

    @Test("a referred order reserved is held with what to do; the credit manager releases it with a reason and it is reserved")
    func heldReleased() throws {
        let db = try Self.ledgerWithLimit()
        // 1 000 − 0 − 1 050 = −50: over by 50, within the 100 (10 %) a credit manager may allow.
        let check = try CLITests.run([
            "order", "check", "--db", db, "--order-id", "SO-9", "--amount", "1050.00", "--reserve", "--author", "anna", "C001",
        ])
        #expect(check.status == 0, "\(check.errors)")
        #expect(check.output.hasPrefix("REFER: order SO-9 of 1 050.00 for C001"), "\(check.output)")
        #expect(check.output.contains("> the most that can be approved now is 1 000.00"), "\(check.output)")
        #expect(check.output.contains("> ask the credit manager for a higher limit"), "\(check.output)")
        #expect(check.output.contains("held: waits for the credit manager"), "\(check.output)")

        let held = try CLITests.run(["order", "held", "--db", db])
        #expect(held.status == 0, "\(held.errors)")
        #expect(held.output.hasPrefix("Held orders: 1\nSO-9 held: 1 050.00 for C001"), "\(held.output)")
        #expect(held.output.contains("held by anna"), "\(held.output)")

        let released = try CLITests.run(["order", "release", "--db", db, "--reason", "guarantee signed", "--author", "md", "SO-9"])
        #expect(released.status == 0, "\(released.errors)")
        #expect(released.output.hasPrefix("SO-9 open: 1 050.00 for C001"), "\(released.output)")
        #expect(released.output.contains("released by md: guarantee signed"), "\(released.output)")

        let again = try CLITests.run(["order", "reject", "--db", db, "--reason", "no", "SO-9"])
        #expect(again.status == 65)
        #expect(again.errors.contains("order SO-9 is open, not held"), "\(again.errors)")
        let missing = try CLITests.run(["order", "release", "--db", db, "--reason", "r", "NOPE"])
        #expect(missing.status == 66)
    }

    @Test("a declined order is declined again until the limit is raised, then reserved under the same id")
    func declinedThenApproved() throws {
        let db = try Self.ledgerWithLimit()
        let declined = try CLITests.run(["order", "check", "--db", db, "--order-id", "SO-5", "--amount", "2000.00", "--reserve", "C001"])
        #expect(declined.output.hasPrefix("DECLINE"), "\(declined.output)")
        let raised = try CLITests.run([
            "override", "set", "--db", db, "--grade", "3", "--limit", "5000.00", "--reason", "raised", "--author", "md", "--expires",
            Self.isoDay(daysFromToday: 30), "C001",
        ])
        #expect(raised.status == 0, "\(raised.errors)")
        let approved = try CLITests.run(["order", "check", "--db", db, "--order-id", "SO-5", "--amount", "2000.00", "--reserve", "C001"])
        #expect(approved.output.hasPrefix("APPROVE"), "\(approved.output)")
        #expect(approved.output.contains("reserved: counts in the exposure"), "\(approved.output)")
    }

    @Test("the credit manager sets a group's limit and reads it; an unknown group exits 66")
    func groupLimit() throws {
        let db = try CLITests.ledger()
        let set = try CLITests.run([
            "group", "set-limit", "--db", db, "--limit", "20000.00", "--reason", "reviewed", "--author", "md", "Groupe Martin",
        ])
        #expect(set.status == 0, "\(set.errors)")
        #expect(set.output.hasPrefix("Group Groupe Martin: 1 customers"), "\(set.output)")
        #expect(set.output.contains("limit 20 000.00 EUR"), "\(set.output)")
        #expect(set.output.contains("set by md on"), "\(set.output)")
        let show = try CLITests.run(["group", "show", "--db", db, "--json", "Groupe Martin"])
        #expect(show.status == 0, "\(show.errors)")
        let json = try JSONSerialization.jsonObject(with: Data(show.output.utf8)) as? [String: Any]
        #expect((json?["limit"] as? [String: Any])?["limit"] as? String == "20000.00")
        let unknown = try CLITests.run(["group", "show", "--db", db, "Groupe Fantome"])
        #expect(unknown.status == 66)
        #expect(unknown.errors.contains("no customer belongs to group Groupe Fantome"), "\(unknown.errors)")
    }
}
