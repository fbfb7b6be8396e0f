import CreditApp
import CreditCore
import Foundation
import Hummingbird
import Mustache

/// The credit team's web application: server-rendered pages over the same use cases as the API,
/// served by the same server. Pages are Mustache templates kept as resources (`Resources/web`),
/// every value escaped by the template engine; a user signs in with their API key into a session
/// cookie and works with the role of that key.
public struct WebApp: Sendable {
    let dependencies: ServiceDependencies
    let sessions: WebSessions
    let templates: MustacheLibrary
    let texts: WebTexts
    let stylesheet: String
    /// `Secure` on the cookies: set when the service is reached over TLS (directly or behind a
    /// proxy that terminates it), so that a session never travels in clear.
    let secureCookies: Bool

    /// Loads the templates, texts and stylesheet from the module's resources; a broken template
    /// stops the server at start, not at the first request.
    public static func load(_ dependencies: ServiceDependencies, secureCookies: Bool = false) throws -> WebApp {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("web") else {
            throw ConfigurationError("the web application's resources are missing from the build")
        }
        var templates = MustacheLibrary()
        let templateFolder = folder.appendingPathComponent("templates")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: templateFolder.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".mustache") {
            let path = templateFolder.appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError("web template \(path) cannot be read")
            }
            do {
                try templates.register(String(decoding: data, as: UTF8.self), named: String(name.dropLast(".mustache".count)))
            } catch {
                throw ConfigurationError("web template \(path) does not parse: \(error)")
            }
        }
        guard templates.getTemplate(named: "top") != nil else { throw ConfigurationError("web templates missing in \(templateFolder.path)") }
        let stylesheet = try String(contentsOf: folder.appendingPathComponent("static/app.css"), encoding: .utf8)
        return WebApp(
            dependencies: dependencies, sessions: WebSessions(), templates: templates,
            texts: try WebTexts.load(folder.appendingPathComponent("i18n")), stylesheet: stylesheet, secureCookies: secureCookies)
    }

    var service: CreditService { dependencies.service }

    /// Adds the pages to the router, beside the API.
    public func add(to router: Router<CreditRequestContext>) {
        let pages = router.group().add(middleware: WebMiddleware(app: self))
        router.get("static/app.css") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: stylesheet)))
        }
        WebSignIn(app: self).add(to: pages)
        WebDashboard(app: self).add(to: pages)
        WebCustomerPages(app: self).add(to: pages)
        WebWorkPages(app: self).add(to: pages)
        WebOpeningPages(app: self).add(to: pages)
        WebDecisionPages(app: self).add(to: pages)
    }
}

// MARK: Pages

/// What every page knows of its request: the language, the signed-in user and their session.
struct WebPage {
    let language: WebLanguage
    let texts: [String: String]
    let session: WebSession?
    /// The page's path and query: where the language switch comes back to.
    let path: String

    var caller: APIKeys.Key? { session?.caller }

    func may(_ capability: Capability) -> Bool { caller?.role.may(capability) ?? false }

    /// Who acts through a form: the signed-in user's key name, as the API's `author`.
    var author: String { caller?.name ?? "unknown" }

    /// The signed-in user's role as the approval authorities name it (`credit_manager`).
    var roleName: String { caller?.role.rawValue ?? "" }

    /// A code's label in the page's language (`prefix` + code in the texts), else the code itself.
    func label(_ prefix: String, _ code: String) -> String { texts[prefix + code] ?? code }

    /// A select's options: each code with its label (`label(prefix, code)`).
    func options<Code: RawRepresentable>(_ codes: [Code], labels prefix: String) -> [[String: Any]] where Code.RawValue == String {
        codes.map { ["value": $0.rawValue, "label": label(prefix, $0.rawValue)] }
    }

    /// A select's options with the `selected` one marked.
    func options<Code: RawRepresentable & Equatable>(_ codes: [Code], labels prefix: String, selected: Code) -> [[String: Any]]
    where Code.RawValue == String {
        codes.map { ["value": $0.rawValue, "label": label(prefix, $0.rawValue), "selected": $0 == selected] }
    }

    /// The notice of the action a form just did, in the page's language: the `done` its redirect
    /// named (`WebApp.acting`).
    func notice(_ request: Request) -> String? {
        request.uri.queryParameters["done"].flatMap { texts["done_\($0)"] }
    }
}

extension RouterGroup where Context == CreditRequestContext {
    /// A page: `respond` gets the request's `WebPage` (language, session) from `app`.
    @discardableResult
    func get(
        _ path: RouterPath, page app: WebApp, _ respond: @Sendable @escaping (Request, Context, WebPage) async throws -> Response
    ) -> Self {
        get(path) { request, context in try await respond(request, context, app.page(request, context)) }
    }

    /// A form posted from a page: `respond` gets the page and the form's fields, its CSRF token
    /// checked (`WebApp.form`).
    @discardableResult
    func post(
        _ path: RouterPath, form app: WebApp, _ respond: @Sendable @escaping (Request, Context, WebPage, WebForm) async throws -> Response
    ) -> Self {
        post(path) { request, context in
            let page = app.page(request, context)
            return try await respond(request, context, page, try await app.form(request, context))
        }
    }
}

extension WebApp {
    /// The page as the request asks for it: its language (the switch's cookie, else the
    /// browser's `Accept-Language`, else English) and its session.
    func page(_ request: Request, _ context: CreditRequestContext) -> WebPage {
        let language =
            WebCookies.value(WebCookies.language, in: request.headers[.cookie]).flatMap(WebLanguage.init(rawValue:))
            ?? WebLanguage.preferred(by: request.headers[.acceptLanguage])
        let path = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return WebPage(language: language, texts: texts.strings(language), session: context.webSession, path: path)
    }

    /// A whole HTML page: `template` rendered within the frame (navigation for the user's role,
    /// language switch, sign-out form), with `values` as the page's own, and above them the notice
    /// of an action done or the message of one refused.
    func render(
        _ template: String, _ page: WebPage, title: String, status: HTTPResponse.Status = .ok, notice: String? = nil, error: String? = nil,
        _ values: [String: Any] = [:]
    ) -> Response {
        var frame: [String: Any] = [
            "t": page.texts, "lang": page.language.rawValue, "title": title, "otherLanguage": page.language.other.rawValue,
            "otherLanguageName": page.language.other.name, "path": page.path,
        ]
        if let session = page.session {
            frame["user"] = ["name": session.caller.name, "role": page.label("role_", session.caller.role.rawValue)]
            frame["csrf"] = session.csrfToken
            frame["nav"] = navigation(page, current: template)
        }
        for (key, value) in values { frame[key] = value }
        if let notice { frame["notice"] = notice }
        if let error { frame["error"] = error }
        let html = templates.render(frame, withTemplate: template) ?? ""
        return Self.html(html, status: status)
    }

    /// An HTML response with the headers every page carries: no script (none is needed), no
    /// framing by another site, nothing cached (pages hold customers' data).
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-store",
                .init("Content-Security-Policy")!:
                    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                .init("X-Content-Type-Options")!: "nosniff",
                .init("Referrer-Policy")!: "same-origin",
                .init("X-Frame-Options")!: "DENY",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A redirect after a form (303: the browser follows it with a GET), with cookies to set.
    static func redirect(to location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        headers[values: .setCookie] = cookies
        return Response(status: .seeOther, headers: headers)
    }

    /// The menu: the pages the user's role may open, the current one marked.
    func navigation(_ page: WebPage, current: String) -> [[String: Any]] {
        let items: [(path: String, template: String, label: String, capability: Capability)] = [
            ("/", "dashboard", "nav_dashboard", .readAssessments),
            ("/customers", "customers", "nav_customers", .readAssessments),
            ("/worklist", "worklist", "nav_worklist", .workCollections),
            ("/disputes", "disputes", "nav_disputes", .workCollections),
            ("/orders/held", "held-orders", "nav_held_orders", .decideHeldOrders),
            ("/reviews", "reviews", "nav_reviews", .reviewLimits),
            ("/limit-requests", "limit-requests", "nav_limit_requests", .decideLimitRequests),
            ("/alerts", "alerts", "nav_alerts", .workCollections),
            ("/applications/new", "opening", "nav_opening", .openAccounts),
        ]
        return items.filter { page.may($0.capability) }.map { item in
            ["path": item.path, "label": page.texts[item.label] ?? item.label, "current": item.template == current]
        }
    }

    /// Runs a form's action: done, the browser goes to `back` with the notice `done` (303, so a
    /// reload does not post again); refused by the use case, the page is shown again by `again`
    /// with the refusal's message and its status.
    func acting(
        back: String, done: String, _ action: () async throws -> Void,
        again: (_ message: String, _ status: HTTPResponse.Status) async throws -> Response
    ) async throws -> Response {
        do {
            try await action()
            return Self.redirect(to: back + (back.contains("?") ? "&" : "?") + "done=\(done)")
        } catch {
            guard let refusal = Refusal(error) else { throw error }
            let status: HTTPResponse.Status =
                switch refusal.refusalKind {
                case .notFound: .notFound
                case .forbidden: .forbidden
                case .conflict: .conflict
                default: .unprocessableContent
                }
            return try await again(refusal.description, status)
        }
    }

    /// The fields of a form posted by a signed-in user, after its CSRF token was checked: a
    /// request from another site's page (which cannot know the token) is refused.
    func form(_ request: Request, _ context: CreditRequestContext, maximumBytes: Int = 64 << 10) async throws -> WebForm {
        guard let session = context.webSession else { throw WebRefusal.signInRequired }
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw Refusal(.invalid, "the form was not sent as a form (application/x-www-form-urlencoded)")
        }
        let buffer = try await request.body.collect(upTo: maximumBytes)
        let form = WebForm(String(buffer: buffer))
        guard let token = form["_csrf"], APIKeys.constantTimeEqual(Array(token.utf8), Array(session.csrfToken.utf8)) else {
            throw WebRefusal.forgedForm
        }
        return form
    }
}

/// A posted form's fields (the first value of each name), decoded from
/// `application/x-www-form-urlencoded`.
struct WebForm: Sendable {
    let fields: [String: String]

    init(_ body: String) {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String? { String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decode(parts[0]) else { continue }
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if fields[name] == nil, let value { fields[name] = value }
        }
        self.fields = fields
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// The field's text, trimmed; nil when absent or blank.
    func text(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}

extension WebForm {
    /// The amount in field `name` (as people type it: `1 234,56` or `1234.56`); nil when blank and
    /// not `required`; refused, the field named, when it is no amount.
    func money(_ name: String, _ page: WebPage, required: Bool) throws -> Money? {
        guard let text = text(name) else {
            if required { throw Refusal.invalid(field: name, page.texts["form_amount_missing"] ?? "an amount is needed") }
            return nil
        }
        guard let amount = Money(parsing: text) else {
            throw Refusal.invalid(field: name, "\"\(text.truncatedForMessage(30))\" " + (page.texts["form_not_amount"] ?? "is not an amount"))
        }
        return amount
    }

    /// The day in field `name`; refused, the field named, when it is blank or no day.
    func day(_ name: String, _ page: WebPage) throws -> Day {
        guard let text = text(name), let day = Day(parsing: text) else {
            throw Refusal.invalid(field: name, page.texts["form_not_day"] ?? "a day is needed (YYYY-MM-DD)")
        }
        return day
    }
}

extension WebApp {
    /// The scale's three worst grades and `D`: shown in red.
    func risky(_ grade: String?) -> Bool {
        guard let grade else { return false }
        if grade == Grade.defaultCode { return true }
        let scale = service.model.grades
        return service.model.grade(code: grade).map { $0.rank > scale.count - 3 } ?? false
    }

    /// Text as one segment of a path or a query value.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }
}

/// Why a page refuses a request, in the user's words.
enum WebRefusal: Error {
    case signInRequired
    /// The form's CSRF token is missing or is not the session's.
    case forgedForm
}

// MARK: Languages

/// The languages of the pages.
enum WebLanguage: String, CaseIterable, Sendable {
    case en
    case fr

    var other: WebLanguage { self == .en ? .fr : .en }
    var name: String { self == .en ? "English" : "Français" }

    /// The first of the browser's languages (by `q`) that the pages speak, English otherwise.
    static func preferred(by header: String?) -> WebLanguage {
        guard let header else { return .en }
        let ranked = header.split(separator: ",").enumerated().compactMap { index, part -> (WebLanguage, Double, Int)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(), let language = WebLanguage(rawValue: String(tag.prefix(2))) else { return nil }
            let quality = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            guard quality.isFinite, quality > 0 else { return nil }
            return (language, quality, index)
        }
        return ranked.sorted { ($0.1, -$0.2) > ($1.1, -$1.2) }.first?.0 ?? .en
    }

    /// An amount as people read it in the language: `1,234.56` or `1 234,56`.
    func money(_ amount: Money) -> String {
        let text = amount.formatted
        return self == .en ? text.replacingOccurrences(of: " ", with: ",") : text.replacingOccurrences(of: ".", with: ",")
    }

    /// A day as people write it: `2026-10-31` or `31/10/2026`.
    func day(_ day: Day) -> String {
        guard self == .fr else { return day.iso }
        let parts = day.iso.split(separator: "-")
        return parts.count == 3 ? "\(parts[2])/\(parts[1])/\(parts[0])" : day.iso
    }

    /// A share as a percentage with `places` decimals: `12.5 %` or `12,5 %`.
    func percent(_ share: Double, places: Int = 1) -> String {
        guard share.isFinite else { return "–" }
        let text = String(format: "%.\(places)f", share * 100) + " %"
        return self == .fr ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    func number(_ value: Double, places: Int = 1) -> String {
        guard value.isFinite else { return "–" }
        let text = String(format: "%.\(places)f", value)
        return self == .fr ? text.replacingOccurrences(of: ".", with: ",") : text
    }
}

/// The pages' words in each language, from `Resources/web/i18n/<language>.json`: every language
/// has the same keys (checked at load), so no page shows a key instead of a word.
struct WebTexts: Sendable {
    let byLanguage: [WebLanguage: [String: String]]

    static func load(_ folder: URL) throws -> WebTexts {
        var byLanguage: [WebLanguage: [String: String]] = [:]
        for language in WebLanguage.allCases {
            let path = folder.appendingPathComponent("\(language.rawValue).json").path
            guard let data = FileManager.default.contents(atPath: path),
                let strings = try? JSONDecoder().decode([String: String].self, from: data)
            else {
                throw ConfigurationError("web texts \(path) cannot be read as a JSON object of strings")
            }
            byLanguage[language] = strings
        }
        let english = Set(byLanguage[.en]?.keys.map { $0 } ?? [])
        for (language, strings) in byLanguage where Set(strings.keys) != english {
            let missing = english.symmetricDifference(strings.keys).sorted().prefix(5).joined(separator: ", ")
            throw ConfigurationError("web texts for \(language.rawValue) and en do not have the same keys (\(missing))")
        }
        return WebTexts(byLanguage: byLanguage)
    }

    func strings(_ language: WebLanguage) -> [String: String] { byLanguage[language] ?? [:] }
}
