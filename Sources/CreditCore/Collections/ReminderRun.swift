/// What a reminder run issues for one customer on a day: one document covering the customer's
/// invoices still claimed, for the most advanced automatic step due among them.
public struct PlannedReminder: Hashable, Sendable {
    public var customerId: String
    public var rule: ReminderPolicy.Rule
    /// Every invoice the document lists, with the step it carries out on each (nil: listed for
    /// the statement of account, no step due on it today or its step is a collector's task).
    public var invoices: [Activity.CoveredInvoice]
}

/// The tasks a run leaves to collectors: steps due whose channel a template cannot carry.
public struct CollectorTask: Hashable, Sendable, Codable {
    public var customerId: String
    public var step: ReminderStep
    public var channel: String
    public var invoiceIds: [String]
}

extension CollectionsWorklist {
    /// The document a run issues for `account` on `day`, and the collectors' tasks due: nil
    /// document when no automatic step is due, or when credits cover everything overdue.
    public func plan(_ account: CollectionsAccount, asOf day: Day) -> (reminder: PlannedReminder?, tasks: [CollectorTask]) {
        guard ranking(of: account, asOf: day, filter: WorklistFilter(dueOnly: false)) != nil else { return (nil, []) }
        let riskClass = reminders.riskClass(for: account.grade)
        var covered: [Activity.CoveredInvoice] = []
        var document: ReminderPolicy.Rule?
        var tasks: [ReminderStep: (channel: String, invoices: [String])] = [:]
        for item in account.items.sorted(by: { ($0.dueDate, $0.invoiceId) < ($1.dueDate, $1.invoiceId) }) {
            let state = state(of: item, riskClass: riskClass, asOf: day)
            guard state.listed else { continue }
            guard state.due, let next = state.next else {
                covered.append(.init(invoiceId: item.invoiceId, step: nil))
                continue
            }
            if next.rule.isAutomatic {
                covered.append(.init(invoiceId: item.invoiceId, step: next.step))
                if document.map({ next.step.escalation > $0.step.escalation }) ?? true { document = next.rule }
            } else {
                covered.append(.init(invoiceId: item.invoiceId, step: nil))
                tasks[next.step, default: (next.rule.channel, [])].invoices.append(item.invoiceId)
            }
        }
        let taskList = tasks.sorted { $0.key.escalation < $1.key.escalation }.map {
            CollectorTask(customerId: account.customerId, step: $0.key, channel: $0.value.channel, invoiceIds: $0.value.invoices)
        }
        return (document.map { PlannedReminder(customerId: account.customerId, rule: $0, invoices: covered) }, taskList)
    }
}

extension ReminderDocument {
    /// The document for a planned reminder: the invoices it lists with what is still claimed,
    /// the credits netted, the balance and the legal mentions of its day.
    ///
    /// The customer is given eight days to pay (the usual delay of a French mise en demeure);
    /// a notice before the due date asks for payment on the due date.
    public init(
        planned: PlannedReminder, customerName: String, contact: CustomerContact, language: DocumentLanguage, issuedOn day: Day,
        invoices: [Invoice], claimed: [String: Money], credits: [Invoice], terms: LatePaymentTerms
    ) {
        let listed = Set(planned.invoices.map(\.invoiceId))
        let lines = invoices.filter { listed.contains($0.id) }.sorted { ($0.dueDate, $0.id) < ($1.dueDate, $1.id) }.map {
            InvoiceLine(
                invoiceId: $0.id, issueDate: $0.issueDate, dueDate: $0.dueDate, amount: $0.amount, claimed: claimed[$0.id] ?? .zero,
                daysPastDue: max(0, day - $0.dueDate))
        }
        let creditLines = credits.sorted { ($0.issueDate, $0.id) < ($1.issueDate, $1.id) }.map {
            CreditLine(invoiceId: $0.id, issueDate: $0.issueDate, available: Money(cents: 0) - (claimed[$0.id] ?? $0.amount))
        }
        let totalClaimed = lines.reduce(Money.zero) { $0 + $1.claimed }
        let totalCredits = creditLines.reduce(Money.zero) { $0 + $1.available }
        let overdue = lines.filter { $0.daysPastDue > 0 }.count
        let legal = terms.legalRate(on: day)
        let payBy =
            planned.rule.step == .preDueNotice ? max(day, lines.map(\.dueDate).min() ?? day) : day + 8
        self.init(
            customerId: planned.customerId, customerName: customerName, contact: contact, language: language, step: planned.rule.step,
            channel: planned.rule.channel, issuedOn: day, payBy: payBy, invoices: lines, credits: creditLines,
            totalClaimed: totalClaimed, totalCredits: totalCredits, balanceDue: max(totalClaimed - totalCredits, .zero),
            latePayment: LatePaymentMention(
                interestRatePercent: terms.ratePercent(on: day),
                contractual: terms.contractualRatePercent.map { $0 >= (legal?.percent ?? 0) * terms.legalRateMultiplier } ?? false,
                legalRatePercent: legal?.percent ?? 0, legalRateSource: legal?.source ?? "",
                indemnityPerInvoice: terms.recoveryIndemnity,
                indemnityTotal: Money(clampingCents: Double(terms.recoveryIndemnity.cents) * Double(overdue))))
    }
}
