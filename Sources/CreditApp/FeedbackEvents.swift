import CreditCore
import CreditStore
import Foundation
import GRDB

/// What an event did: the ledger change and the customer's new grade after re-scoring.
public struct EventOutcome: Sendable, Codable {
    public var customerId: String
    public var outcome: String
    public var grade: String
    public var pd: Double
    public var suggestedLimit: Money
    public var exposure: Money
}

/// The feedback loop from collections: payments, promises and disputes update the ledger in one
/// transaction, and the customer is re-scored at once, so the next worklist and assessment
/// reflect what happened.
public struct FeedbackEvents: Sendable {
    public let database: any DatabaseWriter
    public let model: ScoringModel
    public let now: @Sendable () -> Date

    public init(database: any DatabaseWriter, model: ScoringModel, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.model = model
        self.now = now
    }

    /// Checks a reported event's fields before anything is read or written: a refused event
    /// changes nothing.
    let checks = InputChecks()

    public func payment(_ payment: Payment, today: Day) throws -> EventOutcome {
        try checks.id(payment.id, "paymentId")
        try checks.id(payment.invoiceId, "invoiceId")
        try checks.pastDay(payment.paidOn, "paidOn", today: today)
        try checks.amount(payment.amount, "amount")
        let (customer, outcome) = try database.write { db in
            let customer = try LedgerEventStore().invoice(db, payment.invoiceId).customerId
            let outcome = try LedgerEventStore().recordPayment(db, payment)
            try CollectionsChangeLog().touch(db, customerId: customer)
            return (customer, outcome)
        }
        return try rescore(customer, outcome: "\(outcome)", today: today)
    }

    public func openDispute(_ dispute: Dispute, today: Day) throws -> EventOutcome {
        try checks.id(dispute.invoiceId, "invoiceId")
        try checks.pastDay(dispute.openedOn, "on", today: today)
        _ = try checks.text(dispute.kind, "kind", required: true)
        let (customer, outcome) = try database.write { db in
            let outcome = try LedgerEventStore().openDispute(db, dispute)
            let customer = try LedgerEventStore().invoice(db, dispute.invoiceId).customerId
            try CollectionsChangeLog().touch(db, customerId: customer)
            return (customer, outcome)
        }
        return try rescore(customer, outcome: outcome == .updated ? "reopened" : "opened", today: today)
    }

    public func resolveDispute(invoiceId: String, on day: Day, today: Day) throws -> EventOutcome {
        try checks.id(invoiceId, "invoiceId")
        try checks.pastDay(day, "on", today: today)
        let customer = try database.write { db in
            _ = try LedgerEventStore().resolveDispute(db, invoiceId: invoiceId, on: day)
            let customer = try LedgerEventStore().invoice(db, invoiceId).customerId
            try CollectionsChangeLog().touch(db, customerId: customer)
            return customer
        }
        return try rescore(customer, outcome: "resolved", today: today)
    }

    public func promise(invoiceId: String, payBy: Day, amount: Money?, author: String, today: Day) throws -> EventOutcome {
        try checks.id(invoiceId, "invoiceId")
        try checks.plausibleDay(payBy, "payBy", today: today)
        if let amount { try checks.amount(amount, "amount", positive: true) }
        let author = try checks.text(author, "author", required: true) ?? author
        let createdAt = ISO8601DateFormatter().string(from: now())
        let customer = try database.write { db in
            let customer = try LedgerEventStore().recordPromise(
                db, invoiceId: invoiceId, promisedOn: today, payBy: payBy, amount: amount, author: author, createdAt: createdAt)
            try CollectionsChangeLog().touch(db, customerId: customer)
            return customer
        }
        return try rescore(customer, outcome: "promised", today: today)
    }

    private func rescore(_ customerId: String, outcome: String, today: Day) throws -> EventOutcome {
        _ = try ScoringService(database: database, model: model, now: now).scoreAndStore(asOf: today, customerId: customerId)
        guard let stored = try database.read({ try AssessmentStore().latest($0, customerId: customerId) }) else {
            throw LedgerEventError(.notFound, "no customer \(customerId)")
        }
        return EventOutcome(
            customerId: customerId, outcome: outcome, grade: stored.grade, pd: stored.pd, suggestedLimit: stored.suggestedLimit,
            exposure: stored.exposure)
    }
}
