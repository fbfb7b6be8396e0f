import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// In front of every page: finds the user's session from its cookie (the role of its key then
/// applies as in the API), sends a visitor without one to the sign-in page, and shows any error
/// as a page in the user's language instead of problem+json.
struct WebMiddleware: RouterMiddleware {
    typealias Context = CreditRequestContext
    let app: WebApp

    /// The pages a visitor may open without a session.
    static let open: Set<String> = ["/signin", "/language"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let id = WebCookies.value(WebCookies.session, in: request.headers[.cookie]), let session = await app.sessions.session(id) {
            context.webSession = session
            context.caller = session.caller
            context.logger[metadataKey: "caller"] = .string(session.caller.name)
        } else if !Self.open.contains(request.uri.path) {
            guard request.method == .get || request.method == .head else {
                return errorPage(request, context, status: .unauthorized, message: "signin_expired")
            }
            return WebApp.redirect(to: "/signin?next=" + WebMiddleware.nextParameter(request.uri.path))
        }
        do {
            return try await next(request, context)
        } catch let refusal as WebRefusal {
            switch refusal {
            case .signInRequired: return WebApp.redirect(to: "/signin")
            case .forgedForm: return errorPage(request, context, status: .forbidden, message: "error_forged_form")
            }
        } catch {
            let problem = ProblemMiddleware<Context>.problem(for: error)
            if problem.status >= 500 { context.logger.error("page failed: \(String(reflecting: error))") }
            return errorPage(
                request, context, status: HTTPResponse.Status(code: problem.status), message: nil,
                detail: problem.status >= 500 ? nil : problem.detail)
        }
    }

    /// The error page: what went wrong in the user's words, and the way back.
    func errorPage(_ request: Request, _ context: Context, status: HTTPResponse.Status, message: String?, detail: String? = nil) -> Response {
        let page = app.page(request, context)
        let key =
            message
            ?? (status.code >= 500
                ? "error_internal" : status == .notFound ? "error_not_found" : status == .forbidden ? "error_forbidden" : "error_refused")
        var values: [String: Any] = ["message": page.texts[key] ?? key, "status": Int(status.code)]
        if let detail { values["detail"] = detail }
        return app.render("error", page, title: page.texts["error_title"] ?? "Error", status: status, values)
    }

    /// Only a path of this site is a place to come back to after signing in (never another site).
    static func nextParameter(_ path: String) -> String {
        guard path.hasPrefix("/"), !path.hasPrefix("//") else { return "%2F" }
        return WebApp.encode(path)
    }

    /// Where to go after signing in: the `next` path when it is one of this site's, the dashboard otherwise.
    /// A browser drops tabs and line breaks from a URL and reads `\` as `/`: `/\t/evil.example`
    /// would be `//evil.example`, another site. So no control character, space or backslash at all.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"),
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "\\" && !(0x80...0x9F).contains($0.value) })
        else { return "/" }
        return next
    }
}

/// Signing in with an API key, and out.
struct WebSignIn {
    let app: WebApp

    func add(to pages: RouterGroup<CreditRequestContext>) {
        pages.get("signin") { request, context -> Response in
            let page = app.page(request, context)
            return app.render(
                "signin", page, title: page.texts["signin_title"] ?? "Sign in",
                ["next": WebMiddleware.safeNext(request.uri.queryParameters["next"].map(String.init))])
        }
        pages.post("signin") { request, context -> Response in
            let page = app.page(request, context)
            let contentType = request.headers[.contentType] ?? ""
            guard contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
                throw Refusal(.invalid, "the form was not sent as a form (application/x-www-form-urlencoded)")
            }
            let form = WebForm(String(buffer: try await request.body.collect(upTo: 16 << 10)))
            let next = WebMiddleware.safeNext(form["next"])
            guard let presented = form.text("key"), let key = app.dependencies.keys.key(for: presented) else {
                context.logger.info("web sign-in refused")
                return app.render(
                    "signin", page, title: page.texts["signin_title"] ?? "Sign in", status: .unauthorized,
                    ["next": next, "failed": true])
            }
            let session = await app.sessions.open(for: key)
            context.logger.info("web sign-in", metadata: ["caller": .string(key.name)])
            return WebApp.redirect(
                to: next,
                cookies: [WebCookies.set(WebCookies.session, session.id, maxAge: Int(app.sessions.maximumAge), secure: app.secureCookies)])
        }
        pages.post("signout") { request, context -> Response in
            _ = try await app.form(request, context)
            if let session = context.webSession { await app.sessions.close(session.id) }
            return WebApp.redirect(
                to: "/signin", cookies: [WebCookies.set(WebCookies.session, "", maxAge: 0, secure: app.secureCookies)])
        }
        // Signed in, the switch is a form like any other (its token checked); before signing in
        // it sets the language alone.
        pages.post("language") { request, context -> Response in
            let form =
                context.webSession != nil
                ? try await app.form(request, context) : WebForm(String(buffer: try await request.body.collect(upTo: 4 << 10)))
            let language = form["to"].flatMap(WebLanguage.init(rawValue:)) ?? .en
            return WebApp.redirect(
                to: WebMiddleware.safeNext(form["back"]),
                cookies: [WebCookies.set(WebCookies.language, language.rawValue, maxAge: 365 * 86_400, secure: app.secureCookies)])
        }
    }
}
