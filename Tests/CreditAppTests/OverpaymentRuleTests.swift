import CreditCore
import CreditStore
import Foundation
import GRDB
import Testing

/// Payments settle an invoice, never overshoot it: one rule, read by the event path in Swift and
/// by the import's set-based check in SQL, which must agree case for case.
@Suite("Overpayment rule")
struct OverpaymentRuleTests {
    @Test(
        "an invoice's open balance lies between zero and its amount; a credit note's between its amount and zero",
        arguments: [
            (1000, 0, true), (1000, 1000, true), (1000, 400, true), (1000, -1, false), (1000, 1001, false),
            (-250, 0, true), (-250, -250, true), (-250, -100, true), (-250, 1, false), (-250, -251, false),
            (0, 0, true), (0, 1, false), (0, -1, false),
        ])
    func rule(amount: Int64, open: Int64, allowed: Bool) async throws {
        #expect(OverpaymentRule.allows(amount: Money(cents: amount), open: Money(cents: open)) == allowed)
        // The SQL form says the same of the same row.
        let db = try DatabaseQueue()
        let broken = try await db.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT \(OverpaymentRule.brokenSQL) FROM (SELECT ? AS amount_cents, ? AS open_cents)",
                arguments: [amount, open])
        }
        #expect(broken == !allowed)
    }
}
