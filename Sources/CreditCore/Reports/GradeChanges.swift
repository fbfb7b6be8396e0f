/// A customer's stored assessment at one end of a period: what the grade changes report compares.
public struct GradeSnapshot: Hashable, Sendable, Codable {
    public var asOf: Day
    public var grade: String
    public var pd: Double
    public var suggestedLimit: Money
    /// The assessment's reasons, largest effect first (as stored).
    public var reasons: [Reason]

    public init(asOf: Day, grade: String, pd: Double, suggestedLimit: Money, reasons: [Reason]) {
        self.asOf = asOf
        self.grade = grade
        self.pd = pd
        self.suggestedLimit = suggestedLimit
        self.reasons = reasons
    }
}

/// Which way a grade moved.
public enum GradeDirection: String, Hashable, Sendable, Codable, CaseIterable {
    case downgrade
    case upgrade
    /// Between grades of which one is no longer on the model's scale: neither better nor worse.
    case changed
}

/// One customer whose grade at the end of a period differs from its grade at the start.
public struct GradeChange: Hashable, Sendable, Encodable {
    public var customerId: String
    public var name: String
    public var group: String?
    public var direction: GradeDirection
    /// Scale steps moved: positive for a downgrade, negative for an upgrade, 0 when unknown.
    public var steps: Int
    public var from: GradeSnapshot
    public var to: GradeSnapshot
    /// `to.suggestedLimit − from.suggestedLimit`.
    public var limitChange: Money
    /// The reason that moved most in the direction of the change (see `GradeChanges.mainReason`).
    public var mainReason: Reason?

    enum CodingKeys: String, CodingKey {
        case customerId, name, group, direction, steps, fromGrade, toGrade, fromAsOf, toAsOf, fromPD, toPD, fromLimit, toLimit,
            limitChange, mainReason
    }

    public init(
        customerId: String, name: String, group: String?, direction: GradeDirection, steps: Int, from: GradeSnapshot, to: GradeSnapshot,
        mainReason: Reason?
    ) {
        self.customerId = customerId
        self.name = name
        self.group = group
        self.direction = direction
        self.steps = steps
        self.from = from
        self.to = to
        self.limitChange = to.suggestedLimit - from.suggestedLimit
        self.mainReason = mainReason
    }

    /// Flat, as a report line reads: both grades, both PDs, both limits (the reasons are not repeated).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(customerId, forKey: .customerId)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(group, forKey: .group)
        try container.encode(direction, forKey: .direction)
        try container.encode(steps, forKey: .steps)
        try container.encode(from.grade, forKey: .fromGrade)
        try container.encode(to.grade, forKey: .toGrade)
        try container.encode(from.asOf, forKey: .fromAsOf)
        try container.encode(to.asOf, forKey: .toAsOf)
        try container.encode(from.pd, forKey: .fromPD)
        try container.encode(to.pd, forKey: .toPD)
        try container.encode(from.suggestedLimit, forKey: .fromLimit)
        try container.encode(to.suggestedLimit, forKey: .toLimit)
        try container.encode(limitChange, forKey: .limitChange)
        try container.encodeIfPresent(mainReason, forKey: .mainReason)
    }
}

/// A customer's grade at both ends of a period, and the PD at the end: what the grade changes
/// report ranks before it reads the rest of the few it lists.
public struct GradeMove: Hashable, Sendable {
    public var customerId: String
    public var direction: GradeDirection
    /// Scale steps moved: positive for a downgrade, negative for an upgrade, 0 when unknown.
    public var steps: Int
    public var endPD: Double
}

/// Downgrades and upgrades over a period, read from the stored assessments.
public enum GradeChanges {
    public static let method =
        "each customer's grade at the start is that of its latest assessment made before `from`, at the end that of its latest "
        + "assessment made on or before `to`; customers whose two grades differ are listed, downgrades first, then upgrades, "
        + "each the most steps first, then the highest PD at the end; customers first assessed during the period are counted "
        + "in newlyAssessed, not listed. mainReason: into or out of default, the default reason; otherwise the reason "
        + "whose effect on the log-odds moved most in the direction of the change"

    /// Which way and how far a grade moved on the model's scale; nil when it did not.
    public static func move(customerId: String, from start: String, to end: String, endPD: Double, model: ScoringModel) -> GradeMove? {
        guard start != end else { return nil }
        guard let before = model.grade(code: start), let after = model.grade(code: end) else {
            return GradeMove(customerId: customerId, direction: .changed, steps: 0, endPD: endPD)
        }
        let steps = after.rank - before.rank
        return GradeMove(customerId: customerId, direction: steps > 0 ? .downgrade : .upgrade, steps: steps, endPD: endPD)
    }

    /// The change from `start` to `end`, or nil when the grade is the same.
    public static func change(
        customerId: String, name: String, group: String?, from start: GradeSnapshot, to end: GradeSnapshot, model: ScoringModel
    ) -> GradeChange? {
        guard let move = move(customerId: customerId, from: start.grade, to: end.grade, endPD: end.pd, model: model) else { return nil }
        return GradeChange(
            customerId: customerId, name: name, group: group, direction: move.direction, steps: move.steps, from: start, to: end,
            mainReason: mainReason(from: start, to: end, direction: move.direction))
    }

    /// Why the grade moved, in one reason. Into default, the end's default reason; out of it, the
    /// start's ("no longer: ..."). Otherwise, over the reasons of both assessments matched by code
    /// (a reason missing on one side counts an effect of 0 there), the one whose effect rose most
    /// for a downgrade or fell most for an upgrade, worded as at the end; one that only the start
    /// gave is worded "no longer: ...". Nil when no reason moved that way (the grade then moved
    /// through the calibration or a cap alone).
    public static func mainReason(from start: GradeSnapshot, to end: GradeSnapshot, direction: GradeDirection) -> Reason? {
        let defaultCodes: Set<ReasonCode> = [.pastDueDefault, .defaultFlag]
        let endDefault = end.reasons.first { defaultCodes.contains($0.code) }
        let startDefault = start.reasons.first { defaultCodes.contains($0.code) }
        if let endDefault, startDefault == nil { return endDefault }
        if let startDefault, endDefault == nil { return noLonger(startDefault) }
        if end.reasons.contains(where: { $0.code == .thinFile }) != start.reasons.contains(where: { $0.code == .thinFile }) {
            if let capped = end.reasons.first(where: { $0.code == .thinFile }) { return capped }
        }
        guard direction != .changed else { return end.reasons.first }
        let sign: Double = direction == .downgrade ? 1 : -1
        let before = Dictionary(start.reasons.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(end.reasons.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var best: (move: Double, reason: Reason)?
        for code in Set(before.keys).union(after.keys).sorted(by: { $0.rawValue < $1.rawValue }) {
            let move = sign * ((after[code]?.effect ?? 0) - (before[code]?.effect ?? 0))
            guard move > 0, move > (best?.move ?? 0) else { continue }
            guard let reason = after[code] ?? before[code].map(noLonger) else { continue }
            best = (move, reason)
        }
        return best?.reason
    }

    static func noLonger(_ reason: Reason) -> Reason {
        Reason(code: reason.code, effect: 0, text: "no longer: " + reason.text)
    }

    /// Downgrades first, then upgrades, then other changes; within each the most steps first,
    /// then the highest PD at the end (the riskiest first), then by customer id.
    public static func ordered(_ moves: [GradeMove]) -> [GradeMove] {
        func rank(_ direction: GradeDirection) -> Int {
            switch direction {
            case .downgrade: 0
            case .upgrade: 1
            case .changed: 2
            }
        }
        return moves.sorted { a, b in
            if a.direction != b.direction { return rank(a.direction) < rank(b.direction) }
            if abs(a.steps) != abs(b.steps) { return abs(a.steps) > abs(b.steps) }
            if a.endPD != b.endPD { return a.endPD > b.endPD }
            return a.customerId < b.customerId
        }
    }
}
