import CreditCore
import Foundation
import Hummingbird
import Logging
import StreamingJSON

/// The request context of the API: who is calling (set by `AuthMiddleware`).
public struct CreditRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var caller: APIKeys.Key?
    /// The web application's session, for a page request from a signed-in user.
    var webSession: WebSession?

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// JSON with sorted keys: the same answer always reads the same (a repeated order check,
    /// two snapshots of an assessment compared by a client).
    public var responseEncoder: CreditResponseEncoder { CreditResponseEncoder() }

    /// Request bodies are strict JSON read against the input bounds (`CreditRequestDecoder`).
    public var requestDecoder: some RequestDecoder { CreditRequestDecoder() }

    /// Bodies are limited by `BodyLimitMiddleware` (configurable); this is the framework's ceiling.
    public var maxUploadSize: Int { 256 << 20 }

    /// Refuses the request unless the caller's role allows `capability`.
    func require(_ capability: Capability) throws {
        guard let caller else {
            throw Problem(.unauthorized, "unauthorized", "Unauthorized", detail: "send an API key in the X-API-Key header")
        }
        guard caller.role.may(capability) else {
            throw Problem(
                .forbidden, "forbidden", "Forbidden",
                detail: "the \(caller.role.rawValue) role may not \(capability.rawValue)")
        }
    }
}

/// Finds the caller from `X-API-Key` (or `Authorization: Bearer`). Unknown keys are refused at
/// once; requests without a key go on, for the public endpoints (`/health`, `/openapi.yaml`).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = CreditRequestContext
    let keys: APIKeys

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let presented =
            request.headers[.init("X-API-Key")!]
            ?? request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        if let presented {
            guard let key = keys.key(for: presented) else {
                throw Problem(.unauthorized, "unauthorized", "Unauthorized", detail: "the API key is not known")
            }
            context.caller = key
            context.logger[metadataKey: "caller"] = .string(key.name)
        }
        return try await next(request, context)
    }
}

/// One log line per request with its id, and the id echoed in `X-Request-Id`.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(method: request.method.rawValue, route: route, status: Int(response.status.code), seconds: seconds)
        response.headers[.init("X-Request-Id")!] = context.id
        // The time the server spent on the request, for browsers' tools and the benchmarks.
        response.headers[.init("Server-Timing")!] = "app;dur=" + String(format: "%.2f", seconds * 1000)
        context.logger.info(
            "\(request.method.rawValue) \(request.uri.path) \(response.status.code)",
            metadata: ["route": .string(route), "ms": .string(String(format: "%.2f", seconds * 1000))])
        return response
    }
}

/// Refuses bodies over the configured size with 413 before reading them whole. A caller without
/// a key has no operation that takes a body, so its body is never read into memory: the route
/// answers 401 and the server discards the bytes as they come.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = CreditRequestContext
    let maximumBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.caller != nil else { return try await next(request, context) }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBytes {
            throw Problem(
                .contentTooLarge, "too-large", "Request body too large",
                detail: "the body has \(length) bytes; the limit is \(maximumBytes)")
        }
        var request = request
        do {
            let body = try await request.collectBody(upTo: maximumBytes)
            request.body = RequestBody(buffer: body)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem(.contentTooLarge, "too-large", "Request body too large", detail: "the limit is \(maximumBytes) bytes")
        }
        return try await next(request, context)
    }
}

/// The API's JSON: `JSONEncoder`'s bytes with sorted keys and slashes as they are, written as
/// the answer encodes itself (`StreamingJSONEncoder`): a worklist page of a hundred customers
/// spent half its time in `JSONEncoder`.
public struct CreditResponseEncoder: ResponseEncoder {
    static let json = StreamingJSONEncoder(sortedKeys: true, escapingSlashes: false)

    public func encode(_ value: some Encodable) throws -> Data {
        try Self.json.encodeOrFallBack(value)
    }

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let data = try encode(value)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(data.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
