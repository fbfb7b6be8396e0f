/// One thing that happened on a customer's account, as the timeline lists it.
public struct TimelineEvent: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case invoiceIssued = "invoice_issued"
        case creditNoteIssued = "credit_note_issued"
        case payment
        case activity
        case promiseMade = "promise_made"
        case promiseKept = "promise_kept"
        case promiseBroken = "promise_broken"
        case disputeOpened = "dispute_opened"
        case disputeAssigned = "dispute_assigned"
        case disputeCommented = "dispute_commented"
        case disputeResolved = "dispute_resolved"
        case disputeReopened = "dispute_reopened"
        case limitRequested = "limit_requested"
        case limitRequestRejected = "limit_request_rejected"
        case limitRequestApproved = "limit_request_approved"
        case reviewCompleted = "review_completed"
        case overrideSet = "override_set"
        /// An order held, released, rejected, reserved, invoiced or cancelled.
        case orderStep = "order_step"
        case gradeChanged = "grade_changed"
        case alert
    }

    public var on: Day
    public var kind: Kind
    public var invoiceId: String?
    public var amount: Money?
    public var author: String?
    public var note: String?
    /// The line a person reads: what happened, with its figures.
    public var summary: String
    /// For an activity: what kind, how it went, and the steps it carried out.
    public var activity: Activity?
}

/// A promise as recorded, with who took it and what they noted.
public struct RecordedPromise: Hashable, Sendable, Codable {
    public var promise: PaymentPromise
    public var author: String
    public var note: String?

    public init(promise: PaymentPromise, author: String, note: String?) {
        self.promise = promise
        self.author = author
        self.note = note
    }
}

/// A customer's timeline: everything that happened on the account, newest first.
public enum Timeline {
    /// Merges the account's records into events, newest first; on one day, the later kinds of
    /// event (a grade change after the payment that caused it) come first.
    public static func events(
        asOf day: Day, invoices: [Invoice], payments: [Payment], activities: [Activity], promises: [RecordedPromise],
        disputes: [Dispute], disputeEvents: [DisputeEvent] = [], overrides: [StoredOverride], limitRequests: [LimitRequest] = [],
        reviews: [CreditReview] = [], orderSteps: [(orderId: String, step: OrderStep)] = [], grades: [(asOf: Day, grade: String)],
        alerts: [Alert], promiseGraceDays: Int
    ) -> [TimelineEvent] {
        var events: [TimelineEvent] = []
        for invoice in invoices {
            events.append(
                invoice.isCreditNote
                    ? TimelineEvent(
                        on: invoice.issueDate, kind: .creditNoteIssued, invoiceId: invoice.id, amount: invoice.amount,
                        summary: "credit note \(invoice.id) of \((-invoice.amount).formatted)")
                    : TimelineEvent(
                        on: invoice.issueDate, kind: .invoiceIssued, invoiceId: invoice.id, amount: invoice.amount,
                        summary: "invoice \(invoice.id) of \(invoice.amount.formatted), due \(invoice.dueDate.iso)"))
        }
        for payment in payments {
            events.append(
                TimelineEvent(
                    on: payment.paidOn, kind: .payment, invoiceId: payment.invoiceId, amount: payment.amount,
                    summary: "payment \(payment.id) of \(payment.amount.formatted) on \(payment.invoiceId)"))
        }
        for activity in activities {
            let steps = activity.invoices.compactMap { covered in covered.step.map { "\($0.rawValue) on \(covered.invoiceId)" } }
            var summary = activity.kind.rawValue.replacingOccurrences(of: "_", with: " ")
            if let channel = activity.channel { summary += " by \(channel)" }
            if let outcome = activity.outcome { summary += ": \(outcome.rawValue.replacingOccurrences(of: "_", with: " "))" }
            if !steps.isEmpty { summary += " (\(steps.joined(separator: ", ")))" }
            events.append(
                TimelineEvent(
                    on: activity.on, kind: .activity, invoiceId: activity.invoices.count == 1 ? activity.invoices.first?.invoiceId : nil,
                    author: activity.author, note: activity.note, summary: summary, activity: activity))
        }
        let judged = PaymentPromise.judge(
            promises.map(\.promise), invoices: invoices, payments: payments, asOf: day, graceDays: promiseGraceDays)
        for (recorded, verdict) in zip(promises, judged) {
            let promise = recorded.promise
            let what = promise.amount.map { "\($0.formatted)" } ?? "the balance"
            events.append(
                TimelineEvent(
                    on: promise.promisedOn, kind: .promiseMade, invoiceId: promise.invoiceId, amount: promise.amount,
                    author: recorded.author, note: recorded.note,
                    summary: "promise to pay \(what) of \(promise.invoiceId) by \(promise.payBy.iso)"))
            switch verdict.status {
            case .broken:
                let broken = verdict.broken
                events.append(
                    TimelineEvent(
                        on: promise.deadline(graceDays: promiseGraceDays) + 1, kind: .promiseBroken, invoiceId: promise.invoiceId,
                        amount: broken?.promised,
                        summary: "promise of \(promise.promisedOn.iso) broken: \(broken?.paid.formatted ?? "0.00") paid of "
                            + "\(broken?.promised.formatted ?? what) by \(promise.deadline(graceDays: promiseGraceDays).iso)"))
            case .kept:
                let paidOn = payments.filter { $0.invoiceId == promise.invoiceId && $0.paidOn >= promise.promisedOn }.map(\.paidOn).max()
                events.append(
                    TimelineEvent(
                        on: min(paidOn ?? promise.payBy, day), kind: .promiseKept, invoiceId: promise.invoiceId,
                        summary: "promise of \(promise.promisedOn.iso) kept"))
            case .pending, .superseded:
                break
            }
        }
        for dispute in disputes {
            let history = disputeEvents.filter { $0.invoiceId == dispute.invoiceId && $0.openedOn == dispute.openedOn }
            if history.isEmpty {
                // A dispute imported with the ledger has no workflow history: its opening and
                // resolution as the ledger states them.
                events.append(
                    TimelineEvent(
                        on: dispute.openedOn, kind: .disputeOpened, invoiceId: dispute.invoiceId, amount: dispute.amount,
                        summary: "\(dispute.kind) dispute opened on \(dispute.invoiceId)"))
                if let resolved = dispute.resolvedOn {
                    events.append(
                        TimelineEvent(
                            on: resolved, kind: .disputeResolved, invoiceId: dispute.invoiceId,
                            summary: "\(dispute.kind) dispute on \(dispute.invoiceId) resolved"
                                + (dispute.outcome.map { ": \($0.rawValue.replacingOccurrences(of: "_", with: " "))" } ?? "")))
                }
            } else {
                events += history.map { timelineEvent($0, of: dispute) }
            }
        }
        for override in overrides {
            var parts: [String] = []
            if let grade = override.gradeCode { parts.append("grade \(grade)") }
            if let limit = override.limit { parts.append("limit \(limit.formatted)") }
            events.append(
                TimelineEvent(
                    on: override.setOn, kind: .overrideSet, author: override.author, note: override.reason,
                    summary: "override: \(parts.joined(separator: ", ")) until \(override.expiresOn.iso)"
                        + (override.revokedAt != nil ? " (since revoked)" : "")))
        }
        for request in limitRequests {
            events.append(
                TimelineEvent(
                    on: request.requestedOn, kind: .limitRequested, amount: request.limit, author: request.requestedBy, note: request.reason,
                    summary: request.summary))
            if let decision = request.decision {
                events.append(
                    TimelineEvent(
                        on: decision.on, kind: request.status == .approved ? .limitRequestApproved : .limitRequestRejected,
                        amount: request.limit, author: decision.by, note: decision.reason,
                        summary: "limit request \(request.id) \(request.status.rawValue) by \(decision.by) (\(decision.role), "
                            + "\(decision.authorityVersion)): \(request.limit.formatted) until \(request.expiresOn.iso)"))
            }
        }
        for review in reviews {
            events.append(
                TimelineEvent(
                    on: review.reviewedOn, kind: .reviewCompleted, amount: review.limit, author: review.author, note: review.note,
                    summary: review.summary))
        }
        for (orderId, step) in orderSteps {
            events.append(
                TimelineEvent(
                    on: step.day, kind: .orderStep, amount: step.amount, author: step.author, note: step.reason,
                    summary: step.summary(orderId: orderId)))
        }
        var previous: String?
        for grade in grades {
            if let before = previous, before != grade.grade {
                events.append(TimelineEvent(on: grade.asOf, kind: .gradeChanged, summary: "grade \(before) → \(grade.grade)"))
            }
            previous = grade.grade
        }
        for alert in alerts {
            events.append(TimelineEvent(on: alert.asOf, kind: .alert, summary: "\(alert.kind.rawValue): \(alert.detail)"))
        }
        let rank = Dictionary(uniqueKeysWithValues: TimelineEvent.Kind.allCases.enumerated().map { ($1, $0) })
        // Stable: events of one kind on one day keep the order they were recorded in, newest first.
        return events.enumerated().sorted { a, b in
            if a.element.on != b.element.on { return a.element.on > b.element.on }
            let ra = rank[a.element.kind] ?? 0
            let rb = rank[b.element.kind] ?? 0
            if ra != rb { return ra > rb }
            return a.offset > b.offset
        }.map(\.element)
    }
}

extension Timeline {
    /// One step of a dispute's workflow as the timeline shows it.
    static func timelineEvent(_ event: DisputeEvent, of dispute: Dispute) -> TimelineEvent {
        let kind: TimelineEvent.Kind
        var summary: String
        switch event.action {
        case .opened:
            kind = .disputeOpened
            summary = "\(dispute.kind) dispute opened on \(event.invoiceId)"
            if let amount = dispute.amount { summary += " for \(amount.formatted)" }
        case .assigned:
            kind = .disputeAssigned
            summary = "dispute on \(event.invoiceId) assigned"
        case .commented:
            kind = .disputeCommented
            summary = "comment on the dispute on \(event.invoiceId)"
        case .resolved:
            kind = .disputeResolved
            summary = "\(dispute.kind) dispute on \(event.invoiceId) resolved"
            if event.day == dispute.resolvedOn, let outcome = dispute.outcome {
                summary += ": \(outcome.rawValue.replacingOccurrences(of: "_", with: " "))"
            }
        case .reopened:
            kind = .disputeReopened
            summary = "dispute on \(event.invoiceId) reopened"
        }
        if let owner = event.owner, event.action == .opened || event.action == .assigned { summary += " (owner \(owner))" }
        return TimelineEvent(
            on: event.day, kind: kind, invoiceId: event.invoiceId, amount: event.action == .opened ? dispute.amount : nil,
            author: event.author, note: event.note, summary: summary)
    }
}
