/// What a collector (or a reminder run) did on an account.
public enum ActivityKind: String, Hashable, Sendable, Codable, ClosedList {
    case reminderSent = "reminder_sent"
    case call
    case email
    case letter
    case note
    case visit
    case agencyHandover = "agency_handover"

    public static let listName = "an activity kind"
    public init(from decoder: any Decoder) throws { self = try Self.decodeListed(from: decoder) }

    /// Whether the customer was reached by it: a note is for the team only.
    public var contactsCustomer: Bool { self != .note }
}

/// How a contact went.
public enum ActivityOutcome: String, Hashable, Sendable, Codable, ClosedList {
    case reached
    case noAnswer = "no_answer"
    case promised
    case disputed
    case refused

    public static let listName = "an activity outcome"
    public init(from decoder: any Decoder) throws { self = try Self.decodeListed(from: decoder) }
}

/// An activity as recorded: one action on one customer's account, covering some of its
/// invoices, each of which may have moved one reminder step forward.
public struct Activity: Hashable, Sendable, Codable {
    public var id: Int64?
    public var customerId: String
    public var kind: ActivityKind
    public var on: Day
    public var channel: String?
    public var outcome: ActivityOutcome?
    public var note: String?
    public var author: String
    /// The invoices covered, with the step it carried out on each (nil: covered, no step).
    public var invoices: [CoveredInvoice]
    /// The outbox document a reminder run issued with it.
    public var documentId: Int64?

    public struct CoveredInvoice: Hashable, Sendable, Codable {
        public var invoiceId: String
        public var step: ReminderStep?

        public init(invoiceId: String, step: ReminderStep?) {
            self.invoiceId = invoiceId
            self.step = step
        }
    }

    public init(
        id: Int64? = nil, customerId: String, kind: ActivityKind, on: Day, channel: String? = nil, outcome: ActivityOutcome? = nil,
        note: String? = nil, author: String, invoices: [CoveredInvoice], documentId: Int64? = nil
    ) {
        self.id = id
        self.customerId = customerId
        self.kind = kind
        self.on = on
        self.channel = channel
        self.outcome = outcome
        self.note = note
        self.author = author
        self.invoices = invoices
        self.documentId = documentId
    }
}

/// The latest activity on an account, as the worklist shows it.
public struct LastAction: Hashable, Sendable, Codable {
    public var kind: ActivityKind
    public var on: Day
    public var author: String
    public var outcome: ActivityOutcome?
    public var note: String?

    public init(kind: ActivityKind, on: Day, author: String, outcome: ActivityOutcome?, note: String?) {
        self.kind = kind
        self.on = on
        self.author = author
        self.outcome = outcome
        self.note = note
    }
}
