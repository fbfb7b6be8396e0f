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

/// The feedback loop from collections: payments, promises and disputes update the ledger and
/// re-score the customer in one transaction, so the next worklist and assessment reflect what
/// happened, and a refused or failed event changes nothing.
///
/// Events are requests: they wait for the database's writer at most `writer.maximumWait`, then
/// are refused as unavailable (an import holds the writer for its whole length).
public struct FeedbackEvents: RequestUseCase {
    public let resources: RequestResources

    public init(resources: RequestResources) { self.resources = resources }

    /// Checks a reported event's fields before anything is read or written: a refused event
    /// changes nothing.
    let checks = InputChecks()

    public func payment(_ payment: Payment, today: Day) async throws -> EventOutcome {
        try checks.id(payment.id, "paymentId")
        try checks.id(payment.invoiceId, "invoiceId")
        try checks.pastDay(payment.paidOn, "paidOn", today: today)
        try checks.amount(payment.amount, "amount")
        return try await recording(today: today) { db in
            let customer = try LedgerEventStore().invoice(db, payment.invoiceId).customerId
            let outcome = try LedgerEventStore().recordPayment(db, payment)
            return (customer, "\(outcome)")
        }
    }

    /// Opens a dispute of `kind` on the whole open balance, without owner or note: the short
    /// form of `DisputeWorkflow.open`.
    public func openDispute(invoiceId: String, kind: String, author: String = "unknown", on day: Day, today: Day) async throws -> EventOutcome {
        try await DisputeWorkflow(resources: resources).open(invoiceId: invoiceId, kind: kind, author: author, on: day, today: today)
    }

    /// Resolves the invoice's open dispute without stating its outcome: the short form of
    /// `DisputeWorkflow.resolve`.
    public func resolveDispute(invoiceId: String, author: String = "unknown", on day: Day, today: Day) async throws -> EventOutcome {
        try await DisputeWorkflow(resources: resources).resolve(invoiceId: invoiceId, author: author, on: day, today: today)
    }

    /// A promise to pay `amount` (the whole balance when nil) of an invoice by `payBy`, with the
    /// collector's note: only the promised part is held off the worklist.
    public func promise(
        invoiceId: String, payBy: Day, amount: Money?, author: String, note: String? = nil, today: Day
    ) async throws -> EventOutcome {
        try checks.id(invoiceId, "invoiceId")
        try checks.plausibleDay(payBy, "payBy", today: today)
        if let amount { try checks.amount(amount, "amount", positive: true) }
        let author = try checks.text(author, "author", required: true) ?? author
        let note = try checks.text(note, "note", required: false, lineBreaks: true)
        let createdAt = Timestamp.string(now())
        return try await recording(today: today) { db in
            let customer = try LedgerEventStore().recordPromise(
                db, invoiceId: invoiceId, promisedOn: today, payBy: payBy, amount: amount, author: author, note: note, createdAt: createdAt)
            return (customer, "promised")
        }
    }

    /// Records an event (`change` returns the customer it concerns and what it did) and
    /// re-scores that customer as of `today`, in one bounded write transaction.
    func recording(
        today: Day, _ change: @escaping @Sendable (Database) throws -> (customerId: String, outcome: String)
    ) async throws -> EventOutcome {
        let scoring = self.scoring
        let createdAt = Timestamp.string(now())
        return try await writer.write { db in
            let (customerId, outcome) = try change(db)
            try CollectionsChangeLog().touch(db, customerId: customerId)
            _ = try scoring.storeOne(db, customerId: customerId, asOf: today, createdAt: createdAt)
            guard let stored = try AssessmentStore().latest(db, customerId: customerId) else {
                throw Refusal(.notFound, "no customer \(customerId)")
            }
            return EventOutcome(
                customerId: customerId, outcome: outcome, grade: stored.grade, pd: stored.pd,
                suggestedLimit: stored.suggestedLimit, exposure: stored.exposure)
        }
    }
}
