/// The dunning actions of the collections flow, in the order they escalate.
public enum ReminderStep: String, CaseIterable, Hashable, Sendable, Codable, ClosedList {
    case preDueNotice = "pre_due_notice"
    case reminder
    case firmReminderAndCall = "firm_reminder_and_call"
    case formalNotice = "formal_notice"
    case litigationHandover = "litigation_handover"

    public static let listName = "a reminder step"
    public init(from decoder: any Decoder) throws { self = try Self.decodeListed(from: decoder) }

    /// Position in the escalation, 0 for the pre-due notice.
    public var escalation: Int {
        // Written out rather than searched in `allCases`, which builds an array at every call:
        // the worklist asks this for every open item it ranks. A test keeps it equal to the order of `allCases`.
        switch self {
        case .preDueNotice: 0
        case .reminder: 1
        case .firmReminderAndCall: 2
        case .formalNotice: 3
        case .litigationHandover: 4
        }
    }
}

/// Reminder scenarios per risk class: which step is due how many days after the due date, and
/// through which channel. Riskier customers are reminded earlier and handed over sooner; only
/// they get a notice before the due date.
public struct ReminderPolicy: Hashable, Sendable, Codable {
    public var riskClasses: [RiskClass]

    /// A group of grades sharing one scenario.
    public struct RiskClass: Hashable, Sendable, Codable {
        public var name: String
        /// Grade codes in this class (`D` included in exactly one class).
        public var grades: [String]
        /// Steps in escalating order, offsets strictly increasing.
        public var steps: [Rule]
    }

    /// One step of a scenario: due from `offsetDays` after the due date (negative: before it),
    /// and not before `minimumGapDays` after the previous step was carried out.
    public struct Rule: Hashable, Sendable, Codable {
        public var step: ReminderStep
        public var offsetDays: Int
        /// How the step reaches the customer (`email`, `letter`, `phone`, `registered_letter`, ...).
        public var channel: String
        /// Days the customer is given after the previous step before this one: a firm reminder
        /// the day after the first would give no time to pay. Absent in files written before
        /// dunning followed what was done: then the scenario's own spacing (this offset minus
        /// the previous one).
        public var minimumGapDays: Int?
        /// Whether a reminder run issues the step by itself (a letter or an e-mail from a
        /// template); otherwise it is a task for a collector (a call, an agency hand-over).
        /// Absent: automatic for the written channels (`AutomaticChannels`).
        public var automatic: Bool?

        public init(step: ReminderStep, offsetDays: Int, channel: String, minimumGapDays: Int? = nil, automatic: Bool? = nil) {
            self.step = step
            self.offsetDays = offsetDays
            self.channel = channel
            self.minimumGapDays = minimumGapDays
            self.automatic = automatic
        }

        /// Channels a run can issue from a template when the model does not say.
        public static let automaticChannels: Set<String> = ["email", "letter", "registered_letter"]

        public var isAutomatic: Bool { automatic ?? Self.automaticChannels.contains(channel) }
    }

    /// The risk class holding `grade`; nil only for a grade of another model.
    public func riskClass(for grade: Grade) -> RiskClass? {
        riskClasses.first { $0.grades.contains(grade.code) }
    }

    /// The step due on an item `daysPastDue` days past due (negative: not yet due) for a customer
    /// of `riskClass`: the last step whose offset has been reached; nil before the first one.
    public static func step(for daysPastDue: Int, riskClass: RiskClass) -> Rule? {
        riskClass.steps.last { $0.offsetDays <= daysPastDue }
    }

    /// The step due for a customer of `grade`; nil before the first step or for an unknown grade.
    public func step(for daysPastDue: Int, grade: Grade) -> Rule? {
        riskClass(for: grade).flatMap { ReminderPolicy.step(for: daysPastDue, riskClass: $0) }
    }
}

/// How many days the team has to resolve a dispute, by kind; kinds not listed get `otherKinds`.
public struct DisputeDeadlines: Hashable, Sendable, Codable {
    public var byKind: [String: Int]
    public var otherKinds: Int

    /// Days allowed to resolve a dispute of `kind` (matched without regard to case).
    public func days(forKind kind: String) -> Int {
        byKind[kind.lowercased()] ?? otherKinds
    }

    /// The day by which a dispute should be resolved.
    public func deadline(for dispute: Dispute) -> Day {
        dispute.openedOn + days(forKind: dispute.kind)
    }
}
