/// What a credit manager should look at after a scoring run or the daily run. Printed as its raw value, the word
/// the API and the store use.
public enum AlertKind: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// The grade worsened since the last assessment.
    case downgrade
    /// The suggested limit is below what the customer already owes or has on order.
    case limitBelowExposure = "limit_below_exposure"
    /// A payment promise passed its deadline unpaid since the last assessment.
    case brokenPromise = "broken_promise"
    /// An open dispute passed its resolution deadline (raised once per dispute, for its owner
    /// and the credit manager).
    case disputeOverdue = "dispute_overdue"
    /// The ledger's latest entry is older than the service allows: grades move with the calendar
    /// alone while nothing new arrives. About the portfolio, not one customer.
    case dataFreshness = "data_freshness"
    /// An override ends within the review policy's notice (one per override, closed when it is
    /// replaced, cleared or has expired): renew it by a limit request or a review, or let the
    /// suggestion apply again.
    case overrideExpiring = "override_expiring"
    /// The customer's periodic review is due (raised once per review cycle).
    case reviewDue = "review_due"
    /// A referred order was reserved by sales and waits for the credit manager to release or
    /// reject it (one per held order, closed when it is released, rejected or cancelled).
    case orderHeld = "order_held"

    public var description: String { rawValue }

    /// Whether the alert states a condition that lasts (it closes by itself when the condition
    /// ends: a limit back above exposure, a dispute resolved, a new import, a held order decided) rather than an event
    /// (a downgrade, a broken promise: open until someone acknowledges it).
    public var lasts: Bool {
        switch self {
        case .limitBelowExposure, .disputeOverdue, .dataFreshness, .reviewDue, .overrideExpiring, .orderHeld: true
        case .downgrade, .brokenPromise: false
        }
    }
}

/// One alert raised by the rules, before it is stored.
public struct RaisedAlert: Hashable, Sendable, Codable {
    public var kind: AlertKind
    public var detail: String
    /// Which condition of its kind it is about, for its customer ("" when a customer can have one
    /// only): an alert is never raised again while the same one is open.
    public var condition: String

    public init(kind: AlertKind, detail: String, condition: String = "") {
        self.kind = kind
        self.detail = detail
        self.condition = condition
    }
}

/// Where an alert stands: open when raised, acknowledged by someone (who said what), closed when
/// its condition ended.
public enum AlertStatus: String, Hashable, Sendable, Codable, ClosedList {
    case open
    case acknowledged
    case closed

    public static let listName = "an alert status"
}

/// How fresh the ledger is: a scoring run on a ledger whose latest entry is older than the
/// allowed age says so, in an alert and in every downgrade it raises.
public struct DataFreshness: Hashable, Sendable {
    /// The day of the ledger's latest entry (invoice issued, payment received, dispute opened).
    public var latestEntry: Day
    /// The day scored.
    public var asOf: Day
    /// How old the latest entry may be before the data counts as stale.
    public var staleAfterDays: Int

    public init(latestEntry: Day, asOf: Day, staleAfterDays: Int) {
        self.latestEntry = latestEntry
        self.asOf = asOf
        self.staleAfterDays = staleAfterDays
    }

    public var ageDays: Int { asOf - latestEntry }
    public var isStale: Bool { ageDays > staleAfterDays }

    /// What a downgrade in this state adds: the calendar alone may explain it.
    public var caveat: String? {
        isStale
            ? "the ledger's latest entry is \(ageDays) days old (\(latestEntry.iso)): the calendar alone may explain it"
            : nil
    }

    /// The portfolio's alert while the data is stale.
    public var alert: RaisedAlert? {
        guard isStale else { return nil }
        return RaisedAlert(
            kind: .dataFreshness,
            detail: "the ledger's latest entry is from \(latestEntry.iso), \(ageDays) days before \(asOf.iso) "
                + "(more than \(staleAfterDays)): import the ledger, or grades move with the calendar alone")
    }
}

/// The alert rules: pure, so a run over the past raises exactly what it would have raised then.
public enum AlertRules {
    /// The customer's assessment before this one, what a change is measured against.
    public struct Previous: Hashable, Sendable {
        public var grade: String
        public var asOf: Day

        public init(grade: String, asOf: Day) {
            self.grade = grade
            self.asOf = asOf
        }
    }

    /// How far back a first assessment looks for newly broken promises: without a previous
    /// assessment there is no "since", and a promise broken long ago is old news.
    public static let firstLookBackDays = 30

    /// Alerts for `assessment`: a downgrade from `previous`, a suggested limit below exposure,
    /// and each promise broken since `previous` (one alert per promise, never repeated by a
    /// later run, because a promise breaks on one day only).
    public static func alerts(
        for assessment: Assessment, previous: Previous?, model: ScoringModel, freshness: DataFreshness? = nil
    ) -> [RaisedAlert] {
        var alerts: [RaisedAlert] = []
        if let previous, let before = model.grade(code: previous.grade), before < assessment.grade {
            alerts.append(
                RaisedAlert(
                    kind: .downgrade,
                    detail: "grade \(previous.grade) (as of \(previous.asOf.iso)) → \(assessment.grade.code)"
                        + (freshness?.caveat.map { "; \($0)" } ?? ""),
                    condition: assessment.asOf.iso))
        }
        if assessment.exposure > assessment.suggestedLimit {
            alerts.append(
                RaisedAlert(
                    kind: .limitBelowExposure,
                    detail: "suggested limit \(assessment.suggestedLimit.formatted) below exposure \(assessment.exposure.formatted)"))
        }
        // Broken as of a day means that day is after the deadline: new since `previous` when
        // the deadline is on or after the previous as-of day.
        let since = previous?.asOf ?? assessment.asOf - firstLookBackDays
        for broken in assessment.paymentProfile.brokenPromiseDetails where broken.deadline >= since {
            alerts.append(
                RaisedAlert(
                    kind: .brokenPromise,
                    detail: "invoice \(broken.invoiceId): \(broken.promised.formatted) promised on \(broken.promisedOn.iso) "
                        + "for \(broken.payBy.iso), \(broken.paid.formatted) paid by \(broken.deadline.iso)",
                    condition: "\(broken.invoiceId) \(broken.promisedOn.iso)"))
        }
        return alerts
    }
}
