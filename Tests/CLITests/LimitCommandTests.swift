import Foundation
import Testing

/// `creditrisk override set --role`, `limit-request create|list|approve|reject`, `reviews due|alert`,
/// `review`, `override expiring`, on the French fixture ledger (three customers, scored 2026-06-30).
/// Days are today's, so amounts are chosen clear of the ceiling whatever the suggestion: a credit
/// manager may always set 8 000.00 (under the 10 000.00 floor), never 5 000 000.00.
@Suite("Limit and review commands")
struct LimitCommandTests {
    @Test("an override beyond the credit manager's authority exits 77 and names the credit director, who may set it")
    func overrideBeyondAuthority() throws {
        let db = try CLITests.ledger()
        let arguments = [
            "override", "set", "--db", db, "--limit", "5000000", "--reason", "CEO friend", "--author", "carl", "--expires", "2030-06-30",
        ]
        let refused = try CLITests.run(arguments + ["C001"])
        #expect(refused.status == 77)
        #expect(refused.errors.contains("is beyond the authority of the credit_manager role"), "\(refused.errors)")
        #expect(refused.errors.contains("credit_director may approve it: send a limit request"), "\(refused.errors)")
        let director = try CLITests.run(arguments + ["--role", "credit_director", "C001"])
        #expect(director.status == 0, "\(director.errors)")
        #expect(director.output.hasPrefix("Override set for C001: grade as suggested, limit 5 000 000.00, until 2030-06-30"), "\(director.output)")
    }

    @Test("a limit request is approved by a credit director, not by its requester nor by a credit manager beyond authority")
    func requestApproved() throws {
        let db = try CLITests.ledger()
        let asked = try CLITests.run([
            "limit-request", "create", "--db", db, "--limit", "40 000,00", "--until", "2030-06-30", "--reason", "framework contract",
            "--author", "sam", "C001",
        ])
        #expect(asked.status == 0, "\(asked.errors)")
        #expect(asked.output.hasPrefix("Limit request 1 for C001: 40 000.00 until 2030-06-30, asked by sam"), "\(asked.output)")
        #expect(asked.output.contains("pending, approvable by credit_director"), "\(asked.output)")
        let own = try CLITests.run(["limit-request", "approve", "--db", db, "--reason", "ok", "--author", "sam", "--role", "credit_director", "1"])
        #expect(own.status == 77 && own.errors.contains("was sent by sam: someone else"), "\(own.errors)")
        let manager = try CLITests.run(["limit-request", "approve", "--db", db, "--reason", "ok", "--author", "carl", "1"])
        #expect(manager.status == 77 && manager.errors.contains("credit_director may approve it"), "\(manager.errors)")
        let director = try CLITests.run([
            "limit-request", "approve", "--db", db, "--reason", "guarantee", "--author", "dora", "--role", "credit_director", "1",
        ])
        #expect(director.status == 0, "\(director.errors)")
        #expect(director.output.contains("approved by dora (credit_director, approval-authorities-v2)"), "\(director.output)")
        let shown = try CLITests.run(["limit-request", "show", "--db", db, "1"])
        #expect(shown.status == 0 && shown.output.contains("approved by dora (credit_director, approval-authorities-v2)"), "\(shown.output)")
        let missing = try CLITests.run(["limit-request", "show", "--db", db, "2"])
        #expect(missing.status != 0 && missing.errors.contains("no limit request 2"), "\(missing.errors)")
        let list = try CLITests.run(["limit-request", "list", "--db", db, "--status", "approved"])
        #expect(list.output.hasPrefix("1 limit request approved\n  #1  C001  40 000.00 until 2030-06-30"), "\(list.output)")
        let again = try CLITests.run(["limit-request", "reject", "--db", db, "--reason", "no", "--author", "carl", "1"])
        #expect(again.status == 65 && again.errors.contains("was already approved"), "\(again.errors)")
    }

    @Test("a rejected request leaves the limit as it was")
    func requestRejected() throws {
        let db = try CLITests.ledger()
        _ = try CLITests.run([
            "limit-request", "create", "--db", db, "--limit", "8000", "--until", "2030-06-30", "--reason", "peak", "--author", "sam", "C003",
        ])
        let rejected = try CLITests.run(["limit-request", "reject", "--db", db, "--reason", "overdue already", "--author", "carl", "1"])
        #expect(rejected.status == 0, "\(rejected.errors)")
        #expect(rejected.output.contains("rejected by carl (credit_manager, approval-authorities-v2)"), "\(rejected.output)")
        let history = try CLITests.run(["history", "--db", db, "C003"])
        #expect(!history.output.contains("8 000.00"), "\(history.output)")
    }

    @Test("a review sets the next date; reviews due shows it; an override expiring soon is listed and alerted once")
    func reviews() throws {
        let db = try CLITests.ledger()
        let due = try CLITests.run(["reviews", "due", "--db", db, "--before", "2030-12-31"])
        #expect(due.status == 0, "\(due.errors)")
        // Each of the three, never reviewed, is due one interval of its class after 2026-06-30.
        #expect(due.output.hasPrefix("Reviews due by 2030-12-31 (review-policy-v1): 3"), "\(due.output)")
        #expect(due.output.contains("2026-09-30  C002"), "grade 8, quarterly: \(due.output)")
        let review = try CLITests.run(["review", "--db", db, "--decision", "keep", "--note", "pays again", "--author", "carl", "C002"])
        #expect(review.status == 0, "\(review.errors)")
        #expect(review.output.contains(": review: keep (grade "), "\(review.output)")
        let after = try CLITests.run(["reviews", "due", "--db", db, "--before", "2030-12-31"])
        #expect(after.output.contains("scheduled; last review"), "\(after.output)")
        #expect(after.output.contains("keep by carl"), "\(after.output)")
        let refused = try CLITests.run(["review", "--db", db, "--decision", "hold", "--author", "carl", "C002"])
        #expect(refused.status == 65 && refused.errors.contains("use one of keep, raise, lower, stop"), "\(refused.errors)")

        let today = try CLITests.run([
            "override", "set", "--db", db, "--grade", "4", "--reason", "parent", "--author", "carl", "--expires", "2030-06-30", "C001",
        ])
        #expect(today.status == 0, "\(today.errors)")
        let expiring = try CLITests.run(["override", "expiring", "--db", db, "--as-of", "2030-06-10"])
        #expect(expiring.output.hasPrefix("Overrides expiring from 2030-06-10 within 30 days: 1"), "\(expiring.output)")
        #expect(expiring.output.contains("2030-06-30  C001  grade 4 by carl"), "\(expiring.output)")
        #expect(expiring.output.contains("(20 days left)"), "\(expiring.output)")
        let first = try CLITests.run(["reviews", "alert", "--db", db, "--as-of", "2030-06-10"])
        #expect(first.output.hasPrefix("Alerts raised: 1 override expiring"), "\(first.output)")
        let second = try CLITests.run(["reviews", "alert", "--db", db, "--as-of", "2030-06-11"])
        #expect(second.output == "Alerts raised: 0 overrides expiring, 0 reviews due\n", "\(second.output)")
    }
}
