import CreditCore
import CreditStore
import Foundation
import GRDB

/// The answer sales gets, as kept and returned again for a reserved order's id.
public struct OrderCheckResult: Sendable, Codable, Hashable {
    public var orderId: String
    public var customerId: String
    public var asOf: Day
    public var grade: String
    public var decision: OrderDecision
    /// Whether the order now counts in the customer's exposure.
    public var reserved: Bool
    /// Whether the order waits for the credit manager (referred, and asked to be reserved).
    public var held: Bool
    /// Where the referral thresholds came from (the approval authorities' version); absent from
    /// answers kept before they were in a file.
    public var rules: String?

    public init(orderId: String, customerId: String, asOf: Day, grade: String, decision: OrderDecision, reserved: Bool, held: Bool) {
        self.orderId = orderId
        self.customerId = customerId
        self.asOf = asOf
        self.grade = grade
        self.decision = decision
        self.reserved = reserved
        self.held = held
    }

    enum CodingKeys: String, CodingKey { case orderId, customerId, asOf, grade, decision, reserved, held, rules }

    /// Reads answers kept before orders could be held (v10 and earlier) as not held.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            orderId: try container.decode(String.self, forKey: .orderId), customerId: try container.decode(String.self, forKey: .customerId),
            asOf: try container.decode(Day.self, forKey: .asOf), grade: try container.decode(String.self, forKey: .grade),
            decision: try container.decode(OrderDecision.self, forKey: .decision), reserved: try container.decode(Bool.self, forKey: .reserved),
            held: try container.decodeIfPresent(Bool.self, forKey: .held) ?? false)
        rules = try container.decodeIfPresent(String.self, forKey: .rules)
    }
}

/// Sales' order check: approve, refer or decline against the effective limit (and the group's,
/// when the customer's group has one), optionally reserving the order in the exposure; and the
/// orders' lifecycle after it.
///
/// With `reserve`, an approved order becomes a reservation, and a referred one is *held* for
/// the credit manager (an `order_held` alert), who releases it (a reservation from then on) or
/// rejects it. A reservation ends when its invoices arrive (`LedgerImporter`), in part for a
/// partial invoice. Only a reservation is idempotent by order id: the same order checked again
/// gets the first answer; a declined or referred order is decided afresh each time (after a
/// limit was raised, a payment came in, or for a smaller amount).
///
/// Reservations are decided inside one write transaction that re-reads the open reservations,
/// and SQLite runs write transactions one at a time, so concurrent reservations can never
/// together go beyond the headroom. Writes are requests: they wait for the writer only so long.
public struct OrderChecks: RequestUseCase {
    public let resources: RequestResources
    public let policy: OrderCheck

    /// Checks by the approval authorities' referral rules (the built-in ones when the service
    /// started without its policies).
    public init(resources: RequestResources) {
        self.init(resources: resources, policy: resources.policies?.authorities.orderCheck ?? OrderCheck())
    }

    public init(resources: RequestResources, policy: OrderCheck) {
        self.resources = resources
        self.policy = policy
    }

    let checks = InputChecks()

    /// Checks an order against the customer's current decision: its latest stored assessment (the
    /// grade and limit the scoring run and the feedback events keep up to date) with the override
    /// in force, today's exposure from the open balances and reservations, and its group's limit
    /// and exposure. A customer never scored is assessed first. A check without reservation only
    /// reads, so many run at once; one with reservation is decided and kept inside one write
    /// transaction, `author` recorded as who asked.
    public func check(
        customerId: String, orderId: String, amount: Money, reserve: Bool, author: String = "unknown", on day: Day
    ) async throws -> OrderCheckResult {
        guard InputBounds.standard.idProblem(customerId) == nil else {
            throw Refusal(.notFound, "no customer \(customerId.truncatedForMessage(40))")
        }
        try checks.id(orderId, "orderId")
        try checks.amount(amount, "amount", positive: true)
        let author = try checks.text(author, "author", required: true) ?? author
        // Async database access: the server's threads are never blocked while SQLite works, and a
        // reservation waits for the writer only so long (an import holds it throughout). The
        // common case (a scored customer) takes one read or one write; a customer never scored
        // is scored first and the check runs again.
        for attempt in 0..<2 {
            let result: OrderCheckResult?
            if reserve {
                let by = OrderStepAuthor(author: author, day: day, createdAt: Timestamp.string(now()))
                result = try await writer.write { db -> OrderCheckResult? in
                    try checkAndKeep(db, customerId: customerId, orderId: orderId, amount: amount, by: by)
                }
            } else {
                result = try await database.read { db in
                    if let earlier = try previous(db, orderId: orderId, customerId: customerId, amount: amount) { return earlier }
                    return try decide(db, customerId: customerId, orderId: orderId, amount: amount, reserving: false, on: day)
                }
            }
            if let result { return result }
            guard attempt == 0,
                try await scoring.scoreAndStore(asOf: day, customerId: customerId)
                    .customers == 1
            else { break }
        }
        throw Refusal(.notFound, "no customer \(customerId)")
    }

    /// A check with reserve, inside the write transaction: the reservation's first answer again,
    /// or a fresh decision acted on (reserved, held, or nothing kept for a decline).
    private func checkAndKeep(
        _ db: Database, customerId: String, orderId: String, amount: Money, by: OrderStepAuthor
    ) throws -> OrderCheckResult? {
        if let earlier = try previous(db, orderId: orderId, customerId: customerId, amount: amount) { return earlier }
        guard var result = try decide(db, customerId: customerId, orderId: orderId, amount: amount, reserving: true, on: by.day)
        else { return nil }
        let store = OrderStore()
        let reasons = result.decision.reasons.joined(separator: "; ")
        switch result.decision.verdict {
        case .approve:
            try store.reserve(db, orderId: orderId, customerId: customerId, amount: amount, by: by, reason: reasons)
            result.reserved = true
            result.held = false
        case .refer:
            if try store.hold(db, orderId: orderId, customerId: customerId, amount: amount, by: by, reason: reasons) {
                let alert = result.decision.heldAlert(orderId: orderId, requestedBy: by.author)
                try AlertStore().raise(db, Alert(alert, customerId: customerId, asOf: by.day, createdAt: by.createdAt))
            }
            result.held = true
        case .decline:
            // Nothing is kept for a declined order; one already held still waits for the credit manager.
            break
        }
        try store.saveDecision(
            db, orderId: orderId, customerId: customerId, amount: amount, reserve: true, verdict: result.decision.verdict,
            detail: try JSONEncoder().encode(result), checkedAt: by.createdAt)
        return result
    }

    /// The verdict from what the store holds now (nil for a customer never scored); inside a
    /// write transaction, the reservations read here are all there are, so concurrent
    /// reservations cannot overshoot together.
    private func decide(
        _ db: Database, customerId: String, orderId: String, amount: Money, reserving: Bool, on day: Day
    ) throws -> OrderCheckResult? {
        guard let stored = try AssessmentStore().latestDecision(db, customerId: customerId) else { return nil }
        guard let suggestedGrade = model.grade(code: stored.grade) else {
            throw Refusal(.invalid, "customer \(customerId) was graded \(stored.grade), not on the scale of \(model.version)")
        }
        let override = try OverrideStore().current(db, customerId: customerId).map { $0.override(on: model) }
        let (aged, exposure) = try OrderStore().currentExposure(db, customerId: customerId, on: day)
        let effective = EffectiveDecision.current(
            suggestedGrade: suggestedGrade, suggestedLimit: stored.suggestedLimit, exposure: exposure, override: override, on: day)
        let groups = GroupLimitStore()
        let group = try groups.group(db, customerId: customerId).flatMap { name in
            try groups.limit(db, group: name).map { GroupExposure(group: name, limit: $0.limit, exposure: try groups.exposure(db, group: name)) }
        }
        let outcome = policy.decide(
            amount: amount, decision: effective, exposure: exposure, agedBalance: aged, group: group, reserving: reserving)
        let held = try OrderStore().status(db, orderId: orderId)?.status == .held
        var result = OrderCheckResult(
            orderId: orderId, customerId: customerId, asOf: day, grade: effective.grade.code, decision: outcome, reserved: false, held: held)
        result.rules = policy.rules
        return result
    }

    /// The first answer for a reservation of the same order (same customer, same amount); nil
    /// when `orderId` is no reservation (never checked, declined, referred, held, cancelled or
    /// rejected): then it is decided afresh. An order id is one customer's, and a reservation's
    /// amount changes only by cancelling it first.
    private func previous(_ db: Database, orderId: String, customerId: String, amount: Money) throws -> OrderCheckResult? {
        let store = OrderStore()
        let kept = try store.status(db, orderId: orderId)
        let answered = try store.decision(db, orderId: orderId)
        if let owner = kept?.customerId ?? answered?.customerId, owner != customerId {
            throw Refusal(
                .conflict, "order \(orderId) is an order of customer \(owner), not of \(customerId.truncatedForMessage(40)); use a new order id")
        }
        guard let kept, kept.status == .open || kept.status == .invoiced else { return nil }
        guard kept.amount == amount else {
            throw Refusal(
                .conflict,
                "order \(orderId) was already reserved for customer \(kept.customerId) and \(kept.amount.formatted); "
                    + "cancel it first or use a new order id")
        }
        guard let answered else { return nil }
        return try Refusal.decodingStored(OrderCheckResult.self, from: answered.detail, row: "answer of order \(orderId)")
    }

    /// Cancels a reserved or held order, which gives a reservation's amount back to the headroom.
    public func cancel(orderId: String, author: String = "unknown", on day: Day? = nil) async throws -> Bool {
        guard InputBounds.standard.idProblem(orderId) == nil else { return false }
        let author = try checks.text(author, "author", required: true) ?? author
        let by = OrderStepAuthor(author: author, day: day ?? Day(containing: now()), createdAt: Timestamp.string(now()))
        return try await writer.write { db in
            guard let kept = try OrderStore().status(db, orderId: orderId), try OrderStore().cancel(db, orderId: orderId, by: by) else {
                return false
            }
            try markDecided(db, orderId: orderId, reserved: false)
            try AlertStore().close(db, customerId: kept.customerId, kind: .orderHeld, condition: orderId, on: by.day)
            return true
        }
    }

    /// Held orders, the longest waiting first, each with the check that referred it (why, the
    /// largest amount approvable, the overdue to collect) and its history.
    public func held() async throws -> [KeptOrder] {
        try await database.read { try OrderStore().heldOrders($0) }
    }

    /// The order kept under `orderId`, with its history.
    public func order(orderId: String) async throws -> KeptOrder {
        guard InputBounds.standard.idProblem(orderId) == nil else { throw Refusal(.notFound, "no order \(orderId.truncatedForMessage(40))") }
        guard let order = try await database.read({ try OrderStore().order($0, orderId: orderId) }) else {
            throw Refusal(.notFound, "no order \(orderId) is kept (only reserved and held orders are)")
        }
        return order
    }

    /// The credit manager releases a held order: it becomes a reservation counting in the
    /// exposure from `day`, whatever the headroom (that is their call), with who and why kept.
    public func release(orderId: String, reason: String, author: String, on day: Day) async throws -> KeptOrder {
        try await decideHeld(orderId: orderId, release: true, reason: reason, author: author, on: day)
    }

    /// The credit manager rejects a held order, with a reason: it no longer waits.
    public func reject(orderId: String, reason: String, author: String, on day: Day) async throws -> KeptOrder {
        try await decideHeld(orderId: orderId, release: false, reason: reason, author: author, on: day)
    }

    private func decideHeld(orderId: String, release: Bool, reason: String, author: String, on day: Day) async throws -> KeptOrder {
        guard InputBounds.standard.idProblem(orderId) == nil else { throw Refusal(.notFound, "no order \(orderId.truncatedForMessage(40))") }
        let reason = try checks.text(reason, "reason", required: true) ?? reason
        let author = try checks.text(author, "author", required: true) ?? author
        let by = OrderStepAuthor(author: author, day: day, createdAt: Timestamp.string(now()))
        return try await writer.write { db in
            let store = OrderStore()
            guard let kept = try store.status(db, orderId: orderId) else { throw Refusal(.notFound, "no held order \(orderId)") }
            guard try store.decideHeld(db, orderId: orderId, release: release, by: by, reason: reason) else {
                throw Refusal(
                    .conflict, "order \(orderId) is \(kept.status.rawValue), not held: only a held order is \(release ? "released" : "rejected")")
            }
            try markDecided(db, orderId: orderId, reserved: release)
            try AlertStore().close(db, customerId: kept.customerId, kind: .orderHeld, condition: orderId, on: day)
            guard let order = try store.order(db, orderId: orderId) else { throw Refusal(.notFound, "no held order \(orderId)") }
            return order
        }
    }

    /// The kept answer for the order after the credit manager's decision or a cancellation: no
    /// longer held, reserved after a release (a repeated check then answers that).
    private func markDecided(_ db: Database, orderId: String, reserved: Bool) throws {
        let store = OrderStore()
        guard let answered = try store.decision(db, orderId: orderId),
            var result = try? JSONDecoder().decode(OrderCheckResult.self, from: answered.detail)
        else { return }
        result.held = false
        result.reserved = reserved
        try store.updateDecision(db, orderId: orderId, detail: try JSONEncoder().encode(result))
    }
}
