import CreditCore
import CreditStore
import Foundation
import GRDB

/// The answer sales gets, as stored and returned again for a repeated order id.
public struct OrderCheckResult: Sendable, Codable, Hashable {
    public var orderId: String
    public var customerId: String
    public var asOf: Day
    public var grade: String
    public var decision: OrderDecision
    /// Whether the order now counts in the customer's exposure.
    public var reserved: Bool
}

/// Sales' order check: approve, refer or decline against the effective limit, optionally
/// reserving the order in the exposure.
///
/// Idempotent by order id: the same order checked again gets the first answer. Reservations
/// are decided inside one write transaction that re-reads the open reservations, and SQLite
/// runs write transactions one at a time, so concurrent reservations can never together go
/// beyond the headroom.
///
/// Reservations and cancellations are requests: they wait for the writer only so long.
public struct OrderChecks: RequestUseCase {
    public let resources: RequestResources
    public let policy: OrderCheck

    /// Checks by the standard policy.
    public init(resources: RequestResources) { self.init(resources: resources, policy: OrderCheck()) }

    public init(resources: RequestResources, policy: OrderCheck) {
        self.resources = resources
        self.policy = policy
    }

    /// Checks an order against the customer's current decision: its latest stored assessment (the
    /// grade and limit the scoring run and the feedback events keep up to date) with the override
    /// in force, and today's exposure from the open balances and reservations. A customer never
    /// scored is assessed first. A check without reservation only reads, so many run at once; a
    /// reservation is decided and stored inside one write transaction.
    public func check(customerId: String, orderId: String, amount: Money, reserve: Bool, on day: Day) async throws -> OrderCheckResult {
        let checks = InputChecks()
        guard InputBounds.standard.idProblem(customerId) == nil else {
            throw Refusal(.notFound, "no customer \(customerId.truncatedForMessage(40))")
        }
        try checks.id(orderId, "orderId")
        try checks.amount(amount, "amount", positive: true)
        // Async database access: the server's threads are never blocked while SQLite works, and a
        // reservation waits for the writer only so long (an import holds it throughout). The
        // common case (a scored customer) takes one read or one write; a customer never scored
        // is scored first and the check runs again.
        for attempt in 0..<2 {
            let result: OrderCheckResult?
            if reserve {
                let checkedAt = Timestamp.string(now())
                result = try await writer.write { db -> OrderCheckResult? in
                    if let earlier = try previous(db, orderId: orderId, customerId: customerId, amount: amount) { return earlier }
                    guard let result = try decide(db, customerId: customerId, orderId: orderId, amount: amount, reserve: true, on: day)
                    else { return nil }
                    try OrderStore().record(
                        db, orderId: orderId, customerId: customerId, amount: amount, reserve: result.reserved,
                        verdict: result.decision.verdict, detail: try JSONEncoder().encode(result), checkedAt: checkedAt,
                        acceptedOn: day)
                    return result
                }
            } else {
                result = try await database.read { db in
                    if let earlier = try previous(db, orderId: orderId, customerId: customerId, amount: amount) { return earlier }
                    return try decide(db, customerId: customerId, orderId: orderId, amount: amount, reserve: false, on: day)
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

    /// The verdict from what the store holds now (nil for a customer never scored); inside a
    /// write transaction, the reservations read here are all there are, so concurrent
    /// reservations cannot overshoot together.
    private func decide(
        _ db: Database, customerId: String, orderId: String, amount: Money, reserve: Bool, on day: Day
    ) throws -> OrderCheckResult? {
        guard let stored = try AssessmentStore().latestDecision(db, customerId: customerId) else { return nil }
        guard let suggestedGrade = model.grade(code: stored.grade) else {
            throw Refusal(.invalid, "customer \(customerId) was graded \(stored.grade), not on the scale of \(model.version)")
        }
        let override = try OverrideStore().current(db, customerId: customerId).map { $0.override(on: model) }
        let items = try OrderStore().openItems(db, customerId: customerId)
        let aged = AgedBalance(openItems: items, asOf: day)
        let exposure = aged.exposure(pendingOrders: try OrderStore().openReservations(db, customerId: customerId))
        let effective = EffectiveDecision.current(
            suggestedGrade: suggestedGrade, suggestedLimit: stored.suggestedLimit, exposure: exposure, override: override, on: day)
        let outcome = policy.decide(amount: amount, decision: effective, exposure: exposure, agedBalance: aged)
        return OrderCheckResult(
            orderId: orderId, customerId: customerId, asOf: day, grade: effective.grade.code, decision: outcome,
            reserved: reserve && outcome.verdict == .approve)
    }

    /// Cancels a reservation, which gives its amount back to the headroom.
    public func cancel(orderId: String) async throws -> Bool {
        guard InputBounds.standard.idProblem(orderId) == nil else { return false }
        return try await writer.write { try OrderStore().cancel($0, orderId: orderId) }
    }

    private func previous(_ db: Database, orderId: String, customerId: String, amount: Money) throws -> OrderCheckResult? {
        guard let stored = try OrderStore().decision(db, orderId: orderId) else { return nil }
        guard stored.customerId == customerId, stored.amount == amount else {
            throw Refusal(
                .conflict, "order \(orderId) was already checked for customer \(stored.customerId) and \(stored.amount.formatted); use a new order id"
            )
        }
        return try JSONDecoder().decode(OrderCheckResult.self, from: stored.detail)
    }
}
