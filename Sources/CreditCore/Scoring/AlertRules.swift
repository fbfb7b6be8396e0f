/// What a credit manager should look at after a scoring run. Printed as its raw value, the word
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
    /// A referred order was reserved by sales and waits for the credit manager to release or
    /// reject it (raised once each time an order is held).
    case orderHeld = "order_held"

    public var description: String { rawValue }
}

/// One alert raised by the rules, before it is stored.
public struct RaisedAlert: Hashable, Sendable, Codable {
    public var kind: AlertKind
    public var detail: String
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
    public static func alerts(for assessment: Assessment, previous: Previous?, model: ScoringModel) -> [RaisedAlert] {
        var alerts: [RaisedAlert] = []
        if let previous, let before = model.grade(code: previous.grade), before < assessment.grade {
            alerts.append(
                RaisedAlert(
                    kind: .downgrade,
                    detail: "grade \(previous.grade) (as of \(previous.asOf.iso)) → \(assessment.grade.code)"))
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
                        + "for \(broken.payBy.iso), \(broken.paid.formatted) paid by \(broken.deadline.iso)"))
        }
        return alerts
    }
}
