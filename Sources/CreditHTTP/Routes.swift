import CreditCore
import Hummingbird

/// Refuses a request unless the caller's role allows `capability` (401 without a key, 403 for a
/// role without it), before anything else of the request is read.
struct CapabilityMiddleware: RouterMiddleware {
    typealias Context = CreditRequestContext
    let capability: Capability

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try context.require(capability)
        return try await next(request, context)
    }
}

extension RouterGroup where Context == CreditRequestContext {
    /// The routes added to the returned group answer only callers whose role allows `capability`:
    /// the role is on the group, so a route cannot forget to check it.
    func requiring(_ capability: Capability) -> RouterGroup<Context> {
        group().add(middleware: CapabilityMiddleware(capability: capability))
    }

    /// A route that takes a JSON body, read by `CreditRequestDecoder` (strict, bounded): the use
    /// case sees only a body that decoded.
    @discardableResult
    func on<Body: Decodable & Sendable, Output: ResponseGenerator>(
        _ path: RouterPath, method: HTTPRequest.Method, body: Body.Type, use handler: @Sendable @escaping (Body, Context) async throws -> Output
    ) -> Self {
        on(path, method: method) { request, context in
            try await handler(try await request.decode(as: Body.self, context: context), context)
        }
    }

    /// A POST route that takes a JSON body (`on(_:method:body:use:)`).
    @discardableResult
    func post<Body: Decodable & Sendable, Output: ResponseGenerator>(
        _ path: RouterPath, body: Body.Type, use handler: @Sendable @escaping (Body, Context) async throws -> Output
    ) -> Self {
        on(path, method: .post, body: body, use: handler)
    }
}

/// A use case's own value sent as the response body, encoded as it is: an order check, an
/// event's outcome, an application, the indicators, the worklist.
struct UseCaseAnswer<Value: Encodable & Sendable>: ResponseEncodable {
    var value: Value

    init(_ value: Value) { self.value = value }

    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

extension EditedResponse {
    /// A use case's new record, answered 201.
    static func created<Value>(_ value: Value) -> Self where Generator == UseCaseAnswer<Value> {
        EditedResponse(status: .created, response: UseCaseAnswer(value))
    }
}

extension CreditRequestContext {
    /// Who decided or reported something: the author the body names, unless blank, else the
    /// name of the caller's API key.
    func author(stated: String? = nil) -> String {
        stated.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 } ?? caller?.name ?? "unknown"
    }

    /// The caller's role as the approval authorities name it (`credit_manager`); the routes that
    /// read it all require a key.
    var roleName: String { caller?.role.rawValue ?? "" }
}
