import CreditCore
import GRDB

/// One event at a time from the collections engine: a payment received, a dispute opened or
/// resolved, a payment promised. Each is checked like an imported row and applied in the
/// caller's transaction, keeping open balances exact.
public struct LedgerEventStore: Sendable {
    public init() {}

    /// The invoice's customer and open balance, or a not-found error naming it.
    public func invoice(_ db: Database, _ invoiceId: String) throws -> (customerId: String, amount: Money, open: Money, issued: Day) {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT customer_id, amount_cents, open_cents, issue_date FROM invoice WHERE id = ?"),
                arguments: [invoiceId])
        else { throw Refusal(.notFound, "no invoice \(invoiceId)") }
        return try (
            row.decode(forColumn: "customer_id"), row.decode(forColumn: "amount_cents"), row.decode(forColumn: "open_cents"),
            row.decode(forColumn: "issue_date")
        )
    }

    /// Records a payment; the same payment id with the same content is accepted again unchanged.
    public func recordPayment(_ db: Database, _ payment: Payment) throws -> RowOutcome {
        let invoice = try invoice(db, payment.invoiceId)
        if let existing = try Row.fetchOne(
            db, sql: "SELECT id, invoice_id, paid_on, amount_cents FROM payment WHERE id = ?", arguments: [payment.id])
        {
            guard try StoredRows.payment(existing) == payment else {
                throw Refusal(.conflict, "payment \(payment.id) is already recorded with other details")
            }
            return .unchanged
        }
        guard payment.amount.cents != 0 else { throw Refusal(.invalid, "a payment of zero moves no money") }
        guard payment.paidOn >= invoice.issued else {
            throw Refusal(.invalid, "paid on \(payment.paidOn.iso), before the invoice was issued on \(invoice.issued.iso)")
        }
        guard let remaining = invoice.open.subtracting(payment.amount) else {
            throw Refusal(.invalid, "\(payment.amount.formatted) is more than the \(invoice.open.formatted) still open on \(payment.invoiceId)")
        }
        guard OverpaymentRule.allows(amount: invoice.amount, open: remaining) else {
            if payment.amount.cents < 0 {
                // A negative payment gives money back: bounded by what was paid, not by what is open.
                let paid = invoice.amount.subtracting(invoice.open).map(\.formatted) ?? "less"
                throw Refusal(
                    .invalid,
                    "a refund of \((-payment.amount).formatted) is more than the \(paid) paid so far on \(payment.invoiceId); "
                        + "only what was paid can be given back")
            }
            throw Refusal(
                .invalid, "\(payment.amount.formatted) is more than the \(invoice.open.formatted) still open on \(payment.invoiceId)")
        }
        try db.execute(
            sql: "INSERT INTO payment (id, invoice_id, paid_on, amount_cents) VALUES (?, ?, ?, ?)",
            arguments: [payment.id, payment.invoiceId, payment.paidOn, payment.amount])
        try db.execute(
            sql: "UPDATE invoice SET open_cents = open_cents - ? WHERE id = ?", arguments: [payment.amount, payment.invoiceId])
        return .inserted
    }

    /// Opens a dispute on an invoice. Opening again on the day a dispute of the same kind was
    /// opened and since resolved reopens that dispute (`.updated`, its outcome cleared and its
    /// amount and owner replaced when given): one dispute per invoice and opening day is what the
    /// ledger keeps, and a resolution entered by mistake is undone that way. A disputed amount
    /// must not exceed the invoice's open balance.
    public func openDispute(_ db: Database, _ dispute: Dispute) throws -> RowOutcome {
        let invoice = try invoice(db, dispute.invoiceId)
        if let problem = Dispute.nothingOwedProblem(invoiceId: dispute.invoiceId, amount: invoice.amount, open: invoice.open) {
            throw Refusal.invalid(field: "invoiceId", problem)
        }
        guard dispute.openedOn >= invoice.issued else {
            throw Refusal(.invalid, "opened on \(dispute.openedOn.iso), before the invoice was issued on \(invoice.issued.iso)")
        }
        if let amount = dispute.amount {
            guard amount.cents > 0 else { throw Refusal.invalid(field: "amount", "\(amount.decimalText) must be positive") }
            guard amount <= invoice.open else {
                throw Refusal.invalid(
                    field: "amount", "\(amount.formatted) is more than the \(invoice.open.formatted) still open on \(dispute.invoiceId)")
            }
        }
        if try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM dispute WHERE invoice_id = ? AND resolved_on IS NULL)",
            arguments: [dispute.invoiceId]) == true
        {
            throw Refusal(.conflict, "invoice \(dispute.invoiceId) already has an open dispute")
        }
        if let kind = try String.fetchOne(
            db, sql: "SELECT kind FROM dispute WHERE invoice_id = ? AND opened_on = ?",
            arguments: [dispute.invoiceId, dispute.openedOn])
        {
            guard kind == dispute.kind else {
                throw Refusal(
                    .conflict,
                    "invoice \(dispute.invoiceId) had a \(kind) dispute opened on \(dispute.openedOn.iso), since resolved; "
                        + "open a \(dispute.kind) dispute from the next day, or reopen the \(kind) one")
            }
            try db.execute(
                sql: """
                    UPDATE dispute SET resolved_on = NULL, outcome = NULL, deadline_alerted_on = NULL,
                        amount_cents = COALESCE(?3, amount_cents), owner = COALESCE(?4, owner)
                    WHERE invoice_id = ?1 AND opened_on = ?2
                    """,
                arguments: [dispute.invoiceId, dispute.openedOn, dispute.amount, dispute.owner])
            return .updated
        }
        try db.execute(
            sql: "INSERT INTO dispute (invoice_id, opened_on, kind, resolved_on, amount_cents, owner) VALUES (?, ?, ?, NULL, ?, ?)",
            arguments: [dispute.invoiceId, dispute.openedOn, dispute.kind, dispute.amount, dispute.owner])
        return .inserted
    }

    /// The invoice's open dispute, or a not-found refusal naming the invoice.
    public func openDispute(_ db: Database, invoiceId: String) throws -> Dispute {
        _ = try invoice(db, invoiceId)
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT invoice_id, opened_on, kind, amount_cents, owner FROM dispute
                    WHERE invoice_id = ? AND resolved_on IS NULL ORDER BY opened_on DESC LIMIT 1
                    """,
                arguments: [invoiceId])
        else { throw Refusal(.notFound, "invoice \(invoiceId) has no open dispute") }
        return try StoredRows.dispute(row)
    }

    /// Resolves the invoice's open dispute on `day`, with its outcome when known.
    public func resolveDispute(_ db: Database, invoiceId: String, on day: Day, outcome: DisputeOutcome? = nil) throws -> Dispute {
        var dispute = try openDispute(db, invoiceId: invoiceId)
        guard day >= dispute.openedOn else {
            throw Refusal(.invalid, "resolved on \(day.iso), before it was opened on \(dispute.openedOn.iso)")
        }
        try db.execute(
            sql: "UPDATE dispute SET resolved_on = ?, outcome = ? WHERE invoice_id = ? AND opened_on = ?",
            arguments: [day, outcome, invoiceId, dispute.openedOn])
        dispute.resolvedOn = day
        dispute.outcome = outcome
        return dispute
    }

    public func recordPromise(
        _ db: Database, invoiceId: String, promisedOn: Day, payBy: Day, amount: Money?, author: String, note: String? = nil, createdAt: String
    ) throws -> String {
        let invoice = try invoice(db, invoiceId)
        guard payBy >= promisedOn else { throw Refusal(.invalid, "the payment date \(payBy.iso) is before the promise, \(promisedOn.iso)") }
        guard invoice.open.cents > 0 else { throw Refusal(.invalid, "invoice \(invoiceId) has nothing left to pay") }
        try db.execute(
            sql:
                "INSERT INTO payment_promise (invoice_id, customer_id, promised_on, pay_by, amount_cents, author, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [invoiceId, invoice.customerId, promisedOn, payBy, amount, author, note, createdAt])
        return invoice.customerId
    }
}
