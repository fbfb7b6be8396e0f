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

public struct OrderCheckError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable { case unknownCustomer, conflict, invalid }
    public var kind: Kind
    public var description: String
}

/// Sales' order check: approve, refer or decline against the effective limit, optionally
/// reserving the order in the exposure.
///
/// Idempotent by order id: the same order checked again gets the first answer. Reservations
/// are decided inside one write transaction that re-reads the open reservations, and SQLite
/// runs write transactions one at a time, so concurrent reservations can never together go
/// beyond the headroom.
public struct OrderChecks: Sendable {
    public let database: any DatabaseWriter
    public let model: ScoringModel
    public let policy: OrderCheck
    public let now: @Sendable () -> Date

    public init(
        database: any DatabaseWriter, model: ScoringModel, policy: OrderCheck = OrderCheck(),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        self.model = model
        self.policy = policy
        self.now = now
    }

    public func check(customerId: String, orderId: String, amount: Money, reserve: Bool, on day: Day) throws -> OrderCheckResult {
        guard !orderId.isEmpty, orderId.utf8.count <= 64 else {
            throw OrderCheckError(kind: .invalid, description: "orderId must be 1 to 64 characters")
        }
        guard amount.cents > 0 else { throw OrderCheckError(kind: .invalid, description: "amount must be positive") }
        if let earlier = try database.read({ try previous($0, orderId: orderId, customerId: customerId, amount: amount) }) {
            return earlier
        }
        guard let decision = try CreditDecisions(database: database, model: model, now: now).decision(customerId: customerId, asOf: day)
        else { throw OrderCheckError(kind: .unknownCustomer, description: "no customer \(customerId)") }
        let aged = decision.assessment.paymentProfile.agedBalance
        let checkedAt = ISO8601DateFormatter().string(from: now())
        let encoder = JSONEncoder()
        return try database.write { db in
            // Another request with the same order id may have won the race to the writer.
            if let earlier = try previous(db, orderId: orderId, customerId: customerId, amount: amount) { return earlier }
            let exposure = max(.zero, aged.total) + (try OrderStore().openReservations(db, customerId: customerId))
            let outcome = policy.decide(amount: amount, decision: decision.effective, exposure: exposure, agedBalance: aged)
            let result = OrderCheckResult(
                orderId: orderId, customerId: customerId, asOf: day, grade: decision.effective.grade.code,
                decision: outcome, reserved: reserve && outcome.verdict == .approve)
            try OrderStore().record(
                db, orderId: orderId, customerId: customerId, amount: amount, reserve: result.reserved,
                verdict: outcome.verdict.rawValue, detail: try encoder.encode(result), checkedAt: checkedAt, acceptedOn: day)
            return result
        }
    }

    /// Cancels a reservation, which gives its amount back to the headroom.
    public func cancel(orderId: String) throws -> Bool {
        try database.write { try OrderStore().cancel($0, orderId: orderId) }
    }

    private func previous(_ db: Database, orderId: String, customerId: String, amount: Money) throws -> OrderCheckResult? {
        guard let stored = try OrderStore().decision(db, orderId: orderId) else { return nil }
        guard stored.customerId == customerId, stored.amount == amount else {
            throw OrderCheckError(
                kind: .conflict,
                description: "order \(orderId) was already checked for customer \(stored.customerId) and \(stored.amount.formatted); use a new order id")
        }
        return try JSONDecoder().decode(OrderCheckResult.self, from: stored.detail)
    }
}
