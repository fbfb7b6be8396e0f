import CreditApp
import CreditStore
import Foundation
import GRDB
import Testing

@testable import CreditCore

/// A small ledger written for one test: customers A1 and A2 of group "Groupe Test" and C1 alone,
/// each with the limit the test gives it by an override, so that every figure is known.
struct OrderLedger {
    let folder: URL
    let db: DatabaseQueue
    /// The day of the service's clock (2026-11-18): orders are checked and invoices imported then.
    let today = Day(containing: fixedNow())

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("orders-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try CreditDatabase.inMemory()
        try write(
            "customers.csv",
            """
            customer_id;name;sector_code;country;terms_days;group
            A1;Alpha Un SA;46.69B;FR;30;Groupe Test
            A2;Alpha Deux SA;46.69B;FR;30;Groupe Test
            C1;Cyan SARL;46.69B;FR;30;
            """)
    }

    var model: ScoringModel { get throws { try Repository.model() } }
    var orders: OrderChecks { get throws { OrderChecks(database: db, model: try model, now: fixedNow) } }
    var groups: GroupLimits { get throws { GroupLimits(database: db, model: try model, now: fixedNow) } }

    func write(_ name: String, _ text: String) throws {
        try Data((text + "\n").utf8).write(to: folder.appendingPathComponent(name))
    }

    /// Imports the folder's files as they are now.
    @discardableResult
    func load() throws -> ImportSummary {
        try LedgerImporter(database: db, now: fixedNow).importLedger(directory: folder)
    }

    /// An invoices.csv row of `amount` issued `issuedDaysAgo` before today, due 30 days after.
    func invoice(_ id: String, _ customer: String, _ amount: String, issuedDaysAgo: Int = 10, order: String = "") -> String {
        "\(id);\(customer);\((today - issuedDaysAgo).iso);\((today - issuedDaysAgo + 30).iso);\(amount);EUR;\(order)"
    }

    func invoices(_ rows: String...) throws {
        try write("invoices.csv", (["invoice_id;customer_id;issue_date;due_date;amount;currency;order_id"] + rows).joined(separator: "\n"))
    }

    /// The credit manager's limit for `customer` (grade 3), in force from ten days ago.
    func limit(_ customer: String, _ cents: Int64) async throws {
        let model = try self.model
        _ = try await CreditDecisions(database: db, model: model, now: fixedNow, policies: try Repository.policies(for: model)).setOverride(
            customerId: customer, gradeCode: "3", limit: Money(cents: cents), reason: "limit for the test", author: "md",
            role: "credit_director", setOn: today - 10, expiresOn: today + 30)
    }

    /// The customer's exposure as an order check reads it (a check that reserves nothing).
    func exposure(_ customer: String) async throws -> Money {
        try await orders.check(customerId: customer, orderId: "PROBE", amount: Money(cents: 1), reserve: false, on: today).decision.exposure
    }

    func check(
        _ customer: String, _ order: String, _ cents: Int64, reserve: Bool = true, author: String = "sales-anna"
    ) async throws
        -> OrderCheckResult
    {
        try await orders.check(customerId: customer, orderId: order, amount: Money(cents: cents), reserve: reserve, author: author, on: today)
    }
}

@Suite("Orders follow their lifecycle")
struct OrderLifecycleTests {
    @Test("a reservation ends when its invoice arrives: the order does not count twice in the exposure")
    func reservationEndsWithItsInvoice() async throws {
        let ledger = try OrderLedger()
        try ledger.invoices(ledger.invoice("F-1", "C1", "1900,00"))
        try ledger.load()
        try await ledger.limit("C1", 300_000)
        // Limit 3 000, exposure 1 900: an order of 1 000 leaves 3 000 − 1 900 − 1 000 = 100.
        let reserved = try await ledger.check("C1", "SO-1", 100_000)
        #expect(reserved.decision.verdict == .approve && reserved.reserved)
        #expect(try await ledger.exposure("C1") == Money(cents: 290_000))  // 1 900 + 1 000 reserved
        // The invoice of SO-1 arrives: 1 900 + 1 000 invoiced, nothing reserved any more (not 3 900).
        try ledger.invoices(ledger.invoice("F-1", "C1", "1900,00"), ledger.invoice("F-2", "C1", "1000,00", issuedDaysAgo: 0, order: "SO-1"))
        try ledger.load()
        #expect(try await ledger.exposure("C1") == Money(cents: 290_000))
        let order = try await ledger.orders.order(orderId: "SO-1")
        #expect(order.status == .invoiced)
        #expect(order.invoiced == Money(cents: 100_000) && order.reserved == .zero)
        #expect(order.steps.map(\.action) == [.reserved, .invoiced])
        #expect(order.steps.last?.author == "import")
        #expect(order.steps.last?.reason?.contains("invoice F-2 bills 1 000.00 of 1 000.00: invoiced in full") == true)
        // The same export again changes nothing.
        try ledger.load()
        #expect(try await ledger.exposure("C1") == Money(cents: 290_000))
        #expect(try await ledger.orders.order(orderId: "SO-1").steps.count == 2)
    }

    @Test("a partial invoice reduces the reservation by the invoiced amount; the rest ends it")
    func partialInvoice() async throws {
        let ledger = try OrderLedger()
        try ledger.invoices(ledger.invoice("F-1", "C1", "3000,00"))
        try ledger.load()
        try await ledger.limit("C1", 1_000_000)
        _ = try await ledger.check("C1", "SO-7", 400_000)
        #expect(try await ledger.exposure("C1") == Money(cents: 700_000))  // 3 000 + 4 000 reserved
        try ledger.invoices(
            ledger.invoice("F-1", "C1", "3000,00"), ledger.invoice("F-2", "C1", "1500,00", issuedDaysAgo: 0, order: "SO-7"))
        try ledger.load()
        let partly = try await ledger.orders.order(orderId: "SO-7")
        // 4 000 − 1 500 invoiced = 2 500 still reserved; the exposure is 3 000 + 1 500 + 2 500 = 7 000, as before.
        #expect(partly.status == .open && partly.invoiced == Money(cents: 150_000) && partly.reserved == Money(cents: 250_000))
        #expect(try await ledger.exposure("C1") == Money(cents: 700_000))
        // A credit note naming the order lowers the invoices' balance, not the order: 2 500 stays reserved.
        try ledger.invoices(
            ledger.invoice("F-1", "C1", "3000,00"), ledger.invoice("F-2", "C1", "1500,00", issuedDaysAgo: 0, order: "SO-7"),
            ledger.invoice("AV-1", "C1", "-100,00", issuedDaysAgo: 0, order: "SO-7"))
        try ledger.load()
        #expect(try await ledger.orders.order(orderId: "SO-7").reserved == Money(cents: 250_000))
        try ledger.invoices(
            ledger.invoice("F-1", "C1", "3000,00"), ledger.invoice("F-2", "C1", "1500,00", issuedDaysAgo: 0, order: "SO-7"),
            ledger.invoice("AV-1", "C1", "-100,00", issuedDaysAgo: 0, order: "SO-7"),
            ledger.invoice("F-3", "C1", "2500,00", issuedDaysAgo: 0, order: "SO-7"))
        try ledger.load()
        let billed = try await ledger.orders.order(orderId: "SO-7")
        #expect(billed.status == .invoiced && billed.reserved == .zero)
        // 3 000 + 1 500 − 100 + 2 500 open, nothing reserved.
        #expect(try await ledger.exposure("C1") == Money(cents: 690_000))
    }

    @Test("an invoice that names another customer's reserved order is refused with its line and column, and nothing is stored")
    func invoiceOfAnotherCustomersOrder() async throws {
        let ledger = try OrderLedger()
        try ledger.invoices(ledger.invoice("F-1", "C1", "100,00"))
        try ledger.load()
        try await ledger.limit("C1", 1_000_000)
        _ = try await ledger.check("C1", "SO-1", 100_000)
        try ledger.invoices(ledger.invoice("F-1", "C1", "100,00"), ledger.invoice("F-9", "A1", "1000,00", issuedDaysAgo: 0, order: "SO-1"))
        let error = try #require(throws: LedgerImportError.self) { try ledger.load() }
        #expect(error.problems.first?.description.contains("invoices.csv line 3, column order_id") == true, "\(error.problems)")
        #expect(error.problems.first?.description.contains("is an order of customer C1, not of A1") == true)
        #expect(try await ledger.orders.order(orderId: "SO-1").status == .open)
    }

    @Test("a declined order is decided again after the limit is raised; a reservation is answered the same again")
    func declinedThenApproved() async throws {
        let ledger = try OrderLedger()
        try ledger.invoices(ledger.invoice("F-1", "C1", "1900,00"))
        try ledger.load()
        try await ledger.limit("C1", 300_000)
        // 3 000 − 1 900 − 2 000 = −900, beyond the 300 (10 % of 3 000) a credit manager may allow: declined.
        let declined = try await ledger.check("C1", "SO-2", 200_000)
        #expect(declined.decision.verdict == .decline && !declined.reserved && !declined.held)
        try await ledger.limit("C1", 500_000)
        // 5 000 − 1 900 − 2 000 = 1 100 left: approved and reserved under the same order id.
        let approved = try await ledger.check("C1", "SO-2", 200_000)
        #expect(approved.decision.verdict == .approve && approved.reserved)
        #expect(approved.decision.headroomAfter == Money(cents: 110_000))
        #expect(try await ledger.check("C1", "SO-2", 200_000) == approved)
        // A reservation's amount changes only by cancelling it; an order id is one customer's.
        await #expect(throws: Refusal.self) { try await ledger.check("C1", "SO-2", 150_000) }
        await #expect(throws: Refusal.self) { try await ledger.check("A1", "SO-2", 200_000) }
    }

    @Test("a refused order states the largest amount approvable now and the overdue amount to collect")
    func refusalSaysWhatToDo() async throws {
        let ledger = try OrderLedger()
        // F-1 not yet due; F-2 issued 50 days ago, due 20 days ago: 2 000 overdue.
        try ledger.invoices(ledger.invoice("F-1", "C1", "4000,00"), ledger.invoice("F-2", "C1", "2000,00", issuedDaysAgo: 50))
        try ledger.load()
        try await ledger.limit("C1", 1_000_000)
        // Limit 10 000, exposure 6 000: an order of 6 000 overshoots by 2 000, beyond 1 000 (10 %): declined.
        let declined = try await ledger.check("C1", "SO-3", 600_000, reserve: false)
        #expect(declined.decision.verdict == .decline)
        #expect(declined.decision.largestApprovable == Money(cents: 400_000))  // 10 000 − 6 000
        #expect(declined.decision.overdue == Money(cents: 200_000))
        #expect(declined.decision.guidance.contains("the most that can be approved now is 4 000.00"))
        #expect(declined.decision.guidance.contains("collect the 2 000.00 overdue first: its payment makes as much room"))
        #expect(declined.decision.guidance.contains("ask the credit manager for a higher limit"))
        // An order within the headroom is approved and needs no guidance.
        let approved = try await ledger.check("C1", "SO-4", 400_000, reserve: false)
        #expect(approved.decision.verdict == .approve && approved.decision.guidance.isEmpty)
    }
}

@Suite("Held orders")
struct HeldOrderTests {
    /// C1: limit 3 000, exposure 1 900; an order of 1 300 overshoots by 200, within the 300 a credit manager may allow: referred.
    func referredOrder() async throws -> OrderLedger {
        let ledger = try OrderLedger()
        try ledger.invoices(ledger.invoice("F-1", "C1", "1900,00"))
        try ledger.load()
        try await ledger.limit("C1", 300_000)
        return ledger
    }

    @Test("a referred order checked with reserve is held, alerts the credit manager, and counts in nothing until released")
    func heldThenReleased() async throws {
        let ledger = try await referredOrder()
        let held = try await ledger.check("C1", "SO-H", 130_000)
        #expect(held.decision.verdict == .refer && held.held && !held.reserved)
        #expect(held.decision.guidance.last == "the order is held: the credit manager releases it (it is then reserved) or rejects it")
        #expect(try await ledger.exposure("C1") == Money(cents: 190_000))
        let alerts = try await ledger.db.read { try AlertStore().alerts($0, AlertFilter()) }.filter { $0.kind == .orderHeld }
        #expect(alerts.count == 1)
        #expect(alerts.first?.detail.contains("order SO-H of 1 300.00 held for release or rejection, asked by sales-anna") == true)
        // Asked again, it is still held: no second hold, no second alert.
        #expect(try await ledger.check("C1", "SO-H", 130_000).held)
        #expect(try await ledger.db.read { try AlertStore().alerts($0, AlertFilter()) }.filter { $0.kind == .orderHeld }.count == 1)

        let list = try await ledger.orders.held()
        #expect(list.map(\.orderId) == ["SO-H"])
        #expect(list.first?.requestedBy == "sales-anna" && list.first?.decision?.verdict == .refer)

        let released = try await ledger.orders.release(orderId: "SO-H", reason: "parent guarantee received", author: "md", on: ledger.today)
        #expect(released.status == .open && released.reserved == Money(cents: 130_000))
        #expect(released.steps.map(\.action) == [.held, .released])
        #expect(released.steps.last?.author == "md" && released.steps.last?.reason == "parent guarantee received")
        #expect(released.steps.last?.day == ledger.today)
        #expect(try await ledger.orders.held().isEmpty)
        // The order no longer waits: its alert is closed on the day of the release.
        let closed = try await ledger.db.read { try AlertStore().alerts($0, AlertFilter()) }.filter { $0.kind == .orderHeld }
        #expect(closed.map(\.status) == [.closed] && closed.first?.closedOn == ledger.today)
        // 1 900 + 1 300 now reserved.
        #expect(try await ledger.exposure("C1") == Money(cents: 320_000))
        // Sales checking it again is told it is reserved.
        let again = try await ledger.check("C1", "SO-H", 130_000)
        #expect(again.reserved && !again.held)
        // The account's timeline tells the story: held by sales, released by the credit manager with the reason.
        let timeline = try await CollectionsActivities(database: ledger.db, model: try ledger.model, now: fixedNow)
            .timeline(customerId: "C1", today: ledger.today, limit: 50, cursor: nil)
        let steps = timeline.events.filter { $0.kind == .orderStep }
        #expect(steps.map(\.summary) == ["order SO-H of 1 300.00 released by md", "order SO-H of 1 300.00 held by sales-anna"])
        #expect(steps.first?.note == "parent guarantee received")
    }

    @Test("the credit manager rejects a held order with a reason; it is no longer held and cannot be released")
    func heldThenRejected() async throws {
        let ledger = try await referredOrder()
        _ = try await ledger.check("C1", "SO-R", 130_000)
        await #expect(throws: Refusal.self) {
            try await ledger.orders.reject(orderId: "SO-R", reason: "  ", author: "md", on: ledger.today)
        }
        let rejected = try await ledger.orders.reject(orderId: "SO-R", reason: "pays late everywhere", author: "md", on: ledger.today)
        #expect(rejected.status == .rejected && rejected.reserved == .zero)
        func heldAlerts(_ status: AlertStatus) async throws -> [String] {
            try await ledger.db.read { try AlertStore().alerts($0, AlertFilter(kind: .orderHeld, status: status)) }.map(\.condition)
        }
        #expect(try await heldAlerts(.closed) == ["SO-R"])
        // Held again under another id and cancelled by sales: that alert ends too.
        _ = try await ledger.check("C1", "SO-C", 130_000)
        #expect(try await heldAlerts(.open) == ["SO-C"])
        #expect(try await ledger.orders.cancel(orderId: "SO-C", author: "sales-anna", on: ledger.today))
        #expect(try await heldAlerts(.open).isEmpty)
        #expect(rejected.steps.last?.action == .rejected && rejected.steps.last?.reason == "pays late everywhere")
        #expect(try await ledger.orders.held().isEmpty)
        #expect(try await ledger.exposure("C1") == Money(cents: 190_000))
        let error = try await #require(throws: Refusal.self) {
            try await ledger.orders.release(orderId: "SO-R", reason: "changed my mind", author: "md", on: ledger.today)
        }
        #expect(error.refusalKind == .conflict)
        #expect(error.description.contains("order SO-R is rejected, not held"))
    }

    @Test("a held order the check approves after a payment becomes a reservation without the credit manager")
    func heldThenApprovedOnANewCheck() async throws {
        let ledger = try await referredOrder()
        _ = try await ledger.check("C1", "SO-P", 130_000)
        try ledger.write("payments.csv", "payment_id;invoice_id;paid_on;amount\nP-1;F-1;\(ledger.today.iso);1000,00")
        try ledger.load()
        // 3 000 − 900 − 1 300 = 800 left: approved and reserved.
        let approved = try await ledger.check("C1", "SO-P", 130_000)
        #expect(approved.reserved && !approved.held)
        #expect(try await ledger.orders.order(orderId: "SO-P").steps.map(\.action) == [.held, .reserved])
        #expect(try await ledger.orders.held().isEmpty)
    }
}

@Suite("Group limits")
struct GroupLimitTests {
    /// A1 (limit 10 000, exposure 1 000) and A2 (exposure 7 000) of "Groupe Test", whose limit is 9 000.
    func groupLedger() async throws -> OrderLedger {
        let ledger = try OrderLedger()
        try ledger.invoices(ledger.invoice("F-1", "A1", "1000,00"), ledger.invoice("F-2", "A2", "7000,00"))
        try ledger.write("groups.csv", "group;limit;currency\nGroupe Test;9 000,00;EUR")
        try ledger.load()
        try await ledger.limit("A1", 1_000_000)
        return ledger
    }

    @Test("a group limit blocks an order that the customer's own headroom would allow, and the reason names the group")
    func groupLimitBlocks() async throws {
        let ledger = try await groupLedger()
        let answer = try await ledger.check("A1", "SO-G", 200_000, reserve: false)
        // A1: 10 000 − 1 000 − 2 000 = 7 000 left. The group: 9 000 − (1 000 + 7 000) − 2 000 = −1 000, beyond 900 (10 %).
        #expect(answer.decision.headroomAfter == Money(cents: 700_000))
        #expect(
            answer.decision.group
                == GroupHeadroom(
                    group: "Groupe Test", limit: Money(cents: 900_000), exposure: Money(cents: 800_000), headroomAfter: Money(cents: -100_000)))
        #expect(answer.decision.verdict == .decline)
        #expect(
            answer.decision.reasons.contains("over the limit 9 000.00 of group Groupe Test by 1 000.00: group exposure 8 000.00 + order 2 000.00"))
        #expect(answer.decision.largestApprovable == Money(cents: 100_000))  // 9 000 − 8 000, below A1's own 9 000
        #expect(answer.decision.guidance.contains("ask the credit manager for a higher limit for group Groupe Test"))

        let raised = try await ledger.groups.setLimit(
            group: "Groupe Test", limit: Money(cents: 1_200_000), reason: "group accounts reviewed", author: "md", on: ledger.today)
        #expect(raised.members == 2 && raised.exposure == Money(cents: 800_000) && raised.headroom == Money(cents: 400_000))
        #expect(raised.limit?.setBy == "md" && raised.limit?.reason == "group accounts reviewed")
        // 12 000 − 8 000 − 2 000 = 2 000 left for the group.
        let approved = try await ledger.check("A1", "SO-G", 200_000, reserve: false)
        #expect(approved.decision.verdict == .approve)
        #expect(
            approved.decision.reasons.last
                == "within the limit 12 000.00 of group Groupe Test: group exposure 8 000.00 + order 2 000.00 leaves 2 000.00")
    }

    @Test("groups.csv is refused whole for a group no customer belongs to, a negative limit or another currency")
    func refusedGroupsFile() async throws {
        let ledger = try await groupLedger()
        try ledger.write("groups.csv", "group;limit;currency\nGroupe Test;5000,00;\nGroupe Fantome;100,00;EUR\nGroupe Test;-1,00;USD")
        let error = try #require(throws: LedgerImportError.self) { try ledger.load() }
        let text = error.problems.map(\.description).joined(separator: "\n")
        #expect(text.contains("groups.csv line 3, column group: \"Groupe Fantome\" is not a known customer group"), "\(text)")
        #expect(text.contains("groups.csv line 4, column limit: \"-1,00\" is negative"), "\(text)")
        #expect(text.contains("groups.csv line 4, column currency: \"USD\" is not the portfolio's base currency EUR"), "\(text)")
        // Nothing stored: the limit is still 9 000.
        #expect(try await ledger.groups.standing(group: "Groupe Test").limit?.limit == Money(cents: 900_000))
        await #expect(throws: Refusal.self) {
            try await ledger.groups.setLimit(group: "Groupe Fantome", limit: .zero, reason: "r", author: "md", on: ledger.today)
        }
    }
}
