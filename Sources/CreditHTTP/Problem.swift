import CreditApp
import CreditCore
import Foundation
import Hummingbird
import LedgerReader
import NIOCore
import NIOHTTP1

/// An error as the API reports it: RFC 9457 problem details, with a stable `type` per kind of
/// problem so that clients can branch on it, and the located problems of an import.
public struct Problem: Error, Codable, Sendable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var errors: [LocatedProblem]?
    /// Seconds after which the same request may succeed (`Retry-After`); not part of the body.
    public var retryAfterSeconds: Int?

    enum CodingKeys: String, CodingKey { case type, title, status, detail, errors }

    public init(_ status: HTTPResponse.Status, _ slug: String, _ title: String, detail: String, errors: [LocatedProblem]? = nil) {
        self.type = "/problems/\(slug)"
        self.title = title
        self.status = Int(status.code)
        self.detail = detail
        self.errors = errors
    }

    public static func notFound(_ detail: String) -> Problem { Problem(.notFound, "not-found", "Not found", detail: detail) }
    public static func invalid(_ detail: String) -> Problem {
        Problem(.unprocessableContent, "invalid", "Invalid request", detail: detail)
    }
    public static func malformed(_ detail: String) -> Problem { Problem(.badRequest, "malformed", "Malformed request", detail: detail) }
    public static func conflict(_ detail: String) -> Problem { Problem(.conflict, "conflict", "Conflict", detail: detail) }
}

/// Turns every error into problem+json, so that bad input never shows as a bare 500.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.problem(for: error)
            if problem.status >= 500, !(error is Problem), Refusal(error) == nil {
                context.logger.error("unhandled error: \(String(reflecting: error))")
            } else if problem.type == "/problems/damaged-row" {
                // The operator must mend the row; the log keeps the query that met it.
                context.logger.error("damaged row: \(String(reflecting: error))")
            }
            return Self.response(problem)
        }
    }

    static func problem(for error: any Error) -> Problem {
        if let problem = error as? Problem { return problem }
        if let refusal = Refusal(error) { return problem(for: refusal) }
        switch error {
        case let error as NIOTooManyBytesError:
            // A chunked body has no length to check up front: it is cut when it passes the limit.
            return Problem(
                .contentTooLarge, "too-large", "Request body too large",
                detail: "the body is over the limit" + (error.maxBytes.map { " of \($0) bytes" } ?? "") + "; nothing was stored")
        case let error as HTTPParserError:
            // A broken chunk size or framing met while the body streams in.
            return .malformed("the request's body could not be read as HTTP (\(error)); nothing was stored")
        case let error as DecodingError:
            return .malformed("the JSON body does not match the expected shape: \(describe(error))")
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound(error.body ?? "no such resource")
            case .contentTooLarge:
                return Problem(.contentTooLarge, "too-large", "Request body too large", detail: error.body ?? "the body is over the limit")
            case .badRequest: return .malformed(error.body ?? "the request could not be read")
            case .unsupportedMediaType:
                return Problem(.unsupportedMediaType, "unsupported-media-type", "Unsupported media type", detail: error.body ?? "")
            case .methodNotAllowed:
                return Problem(.methodNotAllowed, "method-not-allowed", "Method not allowed", detail: error.body ?? "")
            default:
                return Problem(error.status, "http-\(error.status.code)", error.status.reasonPhrase, detail: error.body ?? "")
            }
        default:
            return Problem(.internalServerError, "internal", "Internal error", detail: "the request failed; see the server log")
        }
    }

    /// The one conversion of a use case's refusal into a problem: its kind gives the status, its
    /// code (when it has one) the problem type, its located problems the `errors`.
    static func problem(for refusal: Refusal) -> Problem {
        var problem: Problem
        switch refusal.refusalKind {
        case .notFound: problem = .notFound(refusal.description)
        case .conflict: problem = .conflict(refusal.description)
        case .invalid: problem = .invalid(refusal.description)
        case .forbidden: problem = Problem(.forbidden, "forbidden", "Forbidden", detail: refusal.description)
        case .unavailable:
            problem = Problem(.serviceUnavailable, "unavailable", "Service unavailable", detail: refusal.description)
            problem.retryAfterSeconds = refusal.retryAfterSeconds ?? 5
        }
        if let code = refusal.code {
            problem.type = "/problems/\(code)"
            problem.title = refusalTitles[code] ?? problem.title
        }
        if !refusal.problems.isEmpty { problem.errors = refusal.problems }
        return problem
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "field \(path): ") + context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }

    static func response(_ problem: Problem) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(problem)) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let seconds = problem.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
        if problem.status == 401 {
            // RFC 9110: a 401 names how to authenticate; the key also goes as a bearer token.
            headers[.wwwAuthenticate] = #"Bearer realm="creditrisk", charset="UTF-8""#
        }
        return Response(
            status: HTTPResponse.Status(code: problem.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Titles of the refusals finer than their kind, by code (the problem type).
private let refusalTitles = [
    "import-refused": "Import refused, nothing was stored",
    "database-busy": "Database busy",
    "storage-unavailable": "Storage unavailable",
    "damaged-row": "A stored row is damaged",
    "statement-unreadable": "Statement unreadable, nothing was stored",
    "statements-unavailable": "Statement reading unavailable",
    "beyond-authority": "Beyond the caller's approval authority",
    "own-request": "A request is approved by someone else",
    "policies-unavailable": "Credit policies unavailable",
]
