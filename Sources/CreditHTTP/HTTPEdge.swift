import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// The methods each path of the API answers, filled once the routes are registered, so that a
/// known path asked with another method answers 405 with `Allow` instead of "no such resource".
final class RouteTable: Sendable {
    private struct Route: Sendable {
        var components: [Substring]
        var method: HTTPRequest.Method
    }

    private let routes: LockedRoutes

    init() { routes = LockedRoutes() }

    func register(_ descriptions: [(path: String, method: HTTPRequest.Method)]) {
        routes.set(descriptions.map { Route(components: $0.path.split(separator: "/"), method: $0.method) })
    }

    /// The methods the path answers, or none when no route has this shape.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let components = path.split(separator: "/")
        var found: [HTTPRequest.Method] = []
        for route in routes.get() where route.components.count == components.count {
            let matches = zip(route.components, components).allSatisfy { pattern, component in
                pattern.hasPrefix(":") || pattern.hasPrefix("{") || pattern == "*" || pattern == component
            }
            if matches, !found.contains(route.method) { found.append(route.method) }
        }
        return found.sorted { $0.rawValue < $1.rawValue }
    }

    /// Written once at start, read by every request.
    private final class LockedRoutes: @unchecked Sendable {
        private let lock = NSLock()
        private var routes: [Route] = []
        func set(_ routes: [Route]) { lock.withLock { self.routes = routes } }
        func get() -> [Route] { lock.withLock { routes } }
    }
}

/// Answers 405 with `Allow` for a known path asked with a method it does not take (TRACE,
/// DELETE on an assessment…) instead of the router's "no such resource".
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let table: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = table.methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw error }
            var response = ProblemMiddleware<Context>.response(
                Problem(
                    .methodNotAllowed, "method-not-allowed", "Method not allowed",
                    detail: "\(request.uri.path.truncatedForMessage()) answers "
                        + allowed.map(\.rawValue).joined(separator: ", ") + ", not \(request.method.rawValue.truncatedForMessage())"))
            response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
            return response
        }
    }
}

extension Request {
    /// The body's media type, lowercased, without parameters (`text/csv; charset=utf-8` is
    /// `text/csv`); empty when no Content-Type was sent.
    var mediaType: String {
        headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }
}

extension CreditRequestContext {
    /// The path parameter `name`, percent-decoded: `C%2F1` is the id `C/1`, which the use case
    /// then refuses as malformed, rather than an id nobody sent.
    func pathParameter(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        guard let decoded = raw.removingPercentEncoding else {
            throw Problem.malformed("the path parameter \(name) has a broken percent-encoding")
        }
        return decoded
    }

    /// The path parameter `name` as a stored record's number (a positive whole number), nil when
    /// it is not one.
    func recordNumber(_ name: String) throws -> Int64? {
        guard let id = Int64(try pathParameter(name)), id > 0 else { return nil }
        return id
    }

    /// The path parameter `id` as the number of a `record` (`"alert"`): anything else is a 400
    /// naming the record.
    func recordNumber(of record: String) throws -> Int64 {
        guard let id = try recordNumber("id") else { throw Problem.malformed("the \(record) id must be a positive whole number") }
        return id
    }
}

/// Query parameters read by the rules the API document states: a parameter given empty or in
/// another form is a 400 naming it, never silently taken as absent.
struct QueryParameters {
    let request: Request

    private func raw(_ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map(String.init)
    }

    /// A day as YYYY-MM-DD.
    func day(_ name: String) throws -> Day? {
        guard let text = raw(name) else { return nil }
        guard let day = Day(isoText: text) else {
            throw Problem.malformed("\(name) \"\(text.truncatedForMessage())\" is not a date (expected YYYY-MM-DD)")
        }
        return day
    }

    /// Free text such as a customer group: not blank, no control characters, at most `maximumLength`.
    func text(_ name: String, maximumLength: Int = InputBounds.standard.maximumTextLength) throws -> String? {
        guard let text = raw(name) else { return nil }
        guard !text.trimmingWhitespace().isEmpty else {
            throw Problem.malformed("\(name) is blank; leave it out to mean all")
        }
        if let problem = InputBounds.standard.textProblem(text) {
            throw Problem.malformed("\(name): \(problem)")
        }
        guard text.unicodeScalars.count <= maximumLength else {
            throw Problem.malformed("\(name) is longer than \(maximumLength) characters")
        }
        return text
    }

    /// `true` or `false`, and nothing else.
    func flag(_ name: String) throws -> Bool? {
        guard let text = raw(name) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw Problem.malformed("\(name) must be true or false, not \"\(text.truncatedForMessage())\"")
        }
    }

    /// One of a closed list of words, refused with the list otherwise.
    func choice<Value: RawRepresentable & CaseIterable>(_ name: String, _ type: Value.Type, except: [Value] = []) throws -> Value?
    where Value.RawValue == String, Value: Equatable {
        guard let text = try text(name) else { return nil }
        let allowed = Value.allCases.filter { !except.contains($0) }
        guard let value = Value(rawValue: text), allowed.contains(value) else {
            throw Problem.malformed("\(name) must be one of \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// One of a closed list of codes read as users write them (`ClosedList`: case, spaces and
    /// dashes aside), refused with the list otherwise.
    func listed<List: ClosedList>(_ name: String, _ list: List.Type) throws -> List? {
        try text(name).map { text in
            guard let value = List(parsing: text) else { throw Problem.malformed("\(name) must be one of \(List.listed)") }
            return value
        }
    }

    /// A whole number within `range`.
    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = raw(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw Problem.malformed("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
