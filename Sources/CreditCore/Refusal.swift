/// Why a use case refused a request, in the ways every adapter reports alike: the HTTP API as
/// 403, 404, 409, 422 or 503 problems, the CLI as a message.
public enum RefusalKind: Sendable, Hashable {
    /// The customer, invoice, order or application named does not exist.
    case notFound
    /// The request contradicts what is already recorded (an order id reused with another amount).
    case conflict
    /// The request is well formed but breaks a rule (a negative amount, an expiry in the past).
    case invalid
    /// The caller may make requests of this kind, but not this one: a limit beyond their
    /// approval authority, an approval of their own request. The message says who may.
    case forbidden
    /// The service cannot take the request now (the database is held by an import or a scoring
    /// run for longer than a request may wait); nothing was stored, and the same request may
    /// succeed later.
    case unavailable
}

/// An error that is a refusal of the request, not a failure of the service. Errors that carry
/// more for the code that catches them (an import's problems, a storage failure's cause) stay
/// their own types, but each says what it is as one `Refusal`: the adapters read only that.
public protocol RefusedRequest: Error, CustomStringConvertible {
    var refusal: Refusal { get }
}

extension RefusedRequest {
    public var refusalKind: RefusalKind { refusal.refusalKind }
    /// For an `unavailable` refusal: after how many seconds the same request may succeed.
    public var retryAfterSeconds: Int? { refusal.retryAfterSeconds }
}

/// The one refusal of the use cases: what kind, a message written for the caller that says what
/// to change, and where the refusal lies when it is about a field or a document. The HTTP API
/// turns it into a problem (403, 404, 409, 422, 503), the CLI into an `Error:` line and an exit code.
public struct Refusal: RefusedRequest, Sendable, Hashable {
    public var refusal: Refusal { self }
    public var refusalKind: RefusalKind
    public var description: String
    /// The request field at fault, when one is.
    public var field: String?
    /// A stable name for a refusal finer than its kind (`statement-unreadable`), for clients to
    /// branch on: the API's problem type.
    public var code: String?
    /// Where in a document or file, when the refusal is about one: element, line, column. The
    /// first ones only, for a file with thousands; `description` gives the count.
    public var problems: [LocatedProblem]
    public var retryAfterSeconds: Int?

    public init(
        _ kind: RefusalKind, _ description: String, field: String? = nil, code: String? = nil, problems: [LocatedProblem] = [],
        retryAfterSeconds: Int? = nil
    ) {
        self.refusalKind = kind
        self.description = description
        self.field = field
        self.code = code
        self.problems = problems
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// A field that is not plausible: `"\(field) \(problem)"`.
    public static func invalid(field: String, _ problem: String) -> Refusal {
        Refusal(.invalid, "\(field) \(problem)", field: field)
    }
}
