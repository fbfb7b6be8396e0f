/// Why a use case refused a request, in the ways every adapter reports alike: the HTTP API as
/// 404, 409, 422 or 503 problems, the CLI as a message.
public enum RefusalKind: Sendable, Hashable {
    /// The customer, invoice, order or application named does not exist.
    case notFound
    /// The request contradicts what is already recorded (an order id reused with another amount).
    case conflict
    /// The request is well formed but breaks a rule (a negative amount, an expiry in the past).
    case invalid
    /// The service cannot take the request now (the database is held by an import or a scoring
    /// run for longer than a request may wait); nothing was stored, and the same request may
    /// succeed later.
    case unavailable
}

/// An error that is a refusal of the request, not a failure of the service: its description is
/// written for the caller, and says what to change.
public protocol RefusedRequest: Error, CustomStringConvertible {
    var refusalKind: RefusalKind { get }
    /// For an `unavailable` refusal: after how many seconds the same request may succeed.
    var retryAfterSeconds: Int? { get }
}

extension RefusedRequest {
    public var retryAfterSeconds: Int? { nil }
}
