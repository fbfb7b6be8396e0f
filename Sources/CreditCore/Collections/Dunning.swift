/// How far an invoice's dunning has gone: the last reminder step carried out and the day.
public struct DunningProgress: Hashable, Sendable, Codable {
    public var step: ReminderStep
    public var on: Day

    public init(step: ReminderStep, on: Day) {
        self.step = step
        self.on = on
    }
}

/// The step an invoice's dunning goes to next, and from which day it is due.
public struct NextStep: Hashable, Sendable, Codable {
    public var rule: ReminderPolicy.Rule
    /// The first day the step is due: its offset after the due date is reached and the gap
    /// since the previous step carried out has passed.
    public var dueFrom: Day

    public var step: ReminderStep { rule.step }
    public func isDue(on day: Day) -> Bool { dueFrom <= day }
}

/// Dunning that follows what was done: each step comes after the previous one was carried out,
/// never on the calendar alone.
///
/// A scenario is walked in order: the first step is due when its offset is reached; each next
/// step when its own offset is reached *and* its minimum gap has passed since the previous step
/// was carried out. A step not carried out stays due (and waits longer), so nothing escalates
/// behind the collector's back, and once it is done the item leaves the day's list until the
/// next step is due. A pre-due notice is skipped once the invoice is due: it can no longer
/// come before the due date.
extension ReminderPolicy.RiskClass {
    /// The next step after `progress` for an invoice due on `dueDate`, as of `day`; nil when
    /// the scenario is finished.
    public func nextStep(dueDate: Day, asOf day: Day, progress: DunningProgress?) -> NextStep? {
        let pastDue = day > dueDate
        guard
            let index = steps.firstIndex(where: { rule in
                if let progress, rule.step.escalation <= progress.step.escalation { return false }
                return !(pastDue && rule.step == .preDueNotice)
            })
        else { return nil }
        let rule = steps[index]
        var dueFrom = dueDate + rule.offsetDays
        if let progress { dueFrom = max(dueFrom, progress.on + gapDays(before: index)) }
        return NextStep(rule: rule, dueFrom: dueFrom)
    }

    /// Days the step at `index` waits after the previous step carried out: the model's
    /// `minimumGapDays`, or the scenario's own spacing for files that do not set it.
    public func gapDays(before index: Int) -> Int {
        let rule = steps[index]
        if let gap = rule.minimumGapDays { return gap }
        return index > 0 ? max(0, rule.offsetDays - steps[index - 1].offsetDays) : 0
    }

    /// The step an activity on `day` carries out on an invoice due on `dueDate`, or nil when it
    /// carries none.
    ///
    /// A note reaches nobody and a call nobody answered reminds nobody: neither carries a step.
    /// An agency hand-over is the hand-over step whatever came before. Any other contact
    /// carries out the next step once its offset is reached (acting before the gap has passed
    /// is the collector's call); `requested` names the step explicitly and must come after the
    /// last one done.
    public func stepCarriedOut(
        kind: ActivityKind, outcome: ActivityOutcome?, requested: ReminderStep?, dueDate: Day, on day: Day,
        progress: DunningProgress?
    ) throws -> ReminderStep? {
        if let requested {
            if let progress, requested.escalation <= progress.step.escalation {
                throw Refusal.invalid(
                    field: "step",
                    "\(requested.rawValue) is not after \(progress.step.rawValue), carried out on \(progress.on.iso)")
            }
            return requested
        }
        guard kind.contactsCustomer, outcome != .noAnswer else { return nil }
        if kind == .agencyHandover {
            return progress?.step == .litigationHandover ? nil : .litigationHandover
        }
        guard let next = nextStep(dueDate: dueDate, asOf: day, progress: progress),
            day >= dueDate + next.rule.offsetDays
        else { return nil }
        return next.step
    }
}
