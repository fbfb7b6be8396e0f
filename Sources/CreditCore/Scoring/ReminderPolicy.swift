/// The dunning actions of the collections flow, in the order they escalate.
public enum ReminderStep: String, CaseIterable, Hashable, Sendable, Codable {
    case preDueNotice = "pre_due_notice"
    case reminder
    case firmReminderAndCall = "firm_reminder_and_call"
    case formalNotice = "formal_notice"
    case litigationHandover = "litigation_handover"

    /// Position in the escalation, 0 for the pre-due notice.
    public var escalation: Int { ReminderStep.allCases.firstIndex(of: self) ?? 0 }
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

    /// One step of a scenario: due from `offsetDays` after the due date (negative: before it).
    public struct Rule: Hashable, Sendable, Codable {
        public var step: ReminderStep
        public var offsetDays: Int
        /// How the step reaches the customer (`email`, `letter`, `phone`, `registered_letter`, ...).
        public var channel: String
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
