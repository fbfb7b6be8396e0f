import CreditApp
import CreditCore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CreditHTTP

/// The credit team's web pages, driven as a browser would: sign in with a key into a session
/// cookie, then pages and forms under the same roles as the API.
@Suite("Web pages")
struct WebPagesTests {
    /// A demo service with its pages; the service's clock stands at `APITests.today`.
    static func app(secureCookies: Bool = false) throws -> (some ApplicationProtocol, ServiceDependencies) {
        var dependencies = try APITests.dependencies()
        dependencies.statementDecoder = try StatementReading.decoder(
            mappingsPath: APITests.repository.appendingPathComponent("Models/statement-mappings").path)
        dependencies.maximumBodyBytes = 1 << 20
        let web = try WebApp.load(dependencies, secureCookies: secureCookies)
        return (Application(router: buildRouter(dependencies, web: web)), dependencies)
    }

    /// A signed-in browser: its session cookie, and the CSRF token read from a page.
    struct Browser {
        let client: any TestClientProtocol
        var cookie = ""
        var csrf = ""

        init(_ client: any TestClientProtocol) { self.client = client }

        /// A browser signed in with `key`.
        static func signedIn(_ client: any TestClientProtocol, _ key: String) async throws -> Browser {
            var browser = Browser(client)
            try await browser.signIn(key)
            return browser
        }

        mutating func signIn(_ key: String) async throws {
            let response = try await client.execute(
                uri: "/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "key=\(key)&next=%2Fcustomers"))
            #expect(response.status == .seeOther)
            let setCookie = try #require(response.headers[.setCookie])
            cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
            let page = try await get("/customers")
            csrf = try #require(Self.csrf(in: page.body))
        }

        func get(_ uri: String, headers: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, body: String, headers: HTTPFields) {
            var headers = headers
            headers[.cookie] = cookie
            let response = try await client.execute(uri: uri, method: .get, headers: headers, body: nil)
            return (response.status, String(buffer: response.body), response.headers)
        }

        /// Posts a form with the session's CSRF token (unless `token` says otherwise).
        func post(
            _ uri: String, _ fields: [(String, String)], token: String? = nil
        ) async throws -> (
            status: HTTPResponse.Status, body: String, headers: HTTPFields
        ) {
            let all = [("_csrf", token ?? csrf)] + fields
            let body = all.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
            let response = try await client.execute(
                uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: body))
            return (response.status, String(buffer: response.body), response.headers)
        }

        static func csrf(in html: String) -> String? {
            guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
            return String(html[range.upperBound...].prefix { $0 != "\"" })
        }

        static func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
        }
    }

    @Test("a visitor without a session is sent to sign in, and comes back to the page asked for")
    func signInFirst() async throws {
        let (app, _) = try Self.app()
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/customers/C0000007", method: .get)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/signin?next=%2Fcustomers%2FC0000007")
            let form = try await client.execute(uri: "/signin?next=%2Fcustomers%2FC0000007", method: .get)
            #expect(form.status == .ok && String(buffer: form.body).contains(#"value="/customers/C0000007""#))
        }
    }

    @Test(
        "a place to come back to is a path of this site however it is disguised: tabs, line breaks and backslashes are refused",
        arguments: ["//evil.example/", "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "\\/evil.example", "https://evil.example", "/ /x"])
    func nextNeverLeavesTheSite(next: String) {
        #expect(WebMiddleware.safeNext(next) == "/")
        #expect(WebMiddleware.safeNext("/customers/C0000007?done=opened") == "/customers/C0000007?done=opened")
    }

    @Test("signing in sets an HttpOnly, SameSite=Strict session cookie (Secure behind TLS) and never puts the key in a URL")
    func sessionCookie() async throws {
        for secure in [false, true] {
            let (app, _) = try Self.app(secureCookies: secure)
            try await app.test(.router) { client in
                let response = try await client.execute(
                    uri: "/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "key=demo-credit-manager-key-0001&next=%2F%2Fevil.example%2F"))
                #expect(response.status == .seeOther)
                // Only a path of this site is a place to come back to.
                #expect(response.headers[.location] == "/")
                let cookie = try #require(response.headers[.setCookie])
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Max-Age="))
                #expect(cookie.contains("Secure") == secure)
                #expect(!cookie.contains("demo-credit-manager-key-0001"))
                #expect(!(response.headers[.location] ?? "").contains("key"))
            }
        }
    }

    @Test("a wrong key is refused with the form again; a forged or stale session cookie counts for nothing")
    func wrongKey() async throws {
        let (app, _) = try Self.app()
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "key=not-a-key-at-all-0000"))
            #expect(response.status == .unauthorized)
            #expect(response.headers[.setCookie] == nil)
            #expect(String(buffer: response.body).contains("This key is not known"))
            let forged = try await client.execute(uri: "/customers", method: .get, headers: [.cookie: "creditrisk_session=guess"])
            #expect(forged.status == .seeOther)
        }
    }

    @Test("pages carry headers that forbid scripts, framing and caching")
    func securityHeaders() async throws {
        let (app, _) = try Self.app()
        try await app.test(.router) { client in
            let browser = try await Browser.signedIn(client, "demo-credit-manager-key-0001")
            let page = try await browser.get("/customers")
            let policy = try #require(page.headers[.init("Content-Security-Policy")!])
            #expect(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'") && !policy.contains("script-src"))
            #expect(page.headers[.cacheControl] == "no-store")
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
        }
    }

    @Test("a customer named <script>alert(1)</script> is shown as text, in the list and on its page")
    func escaping() async throws {
        let (app, dependencies) = try Self.app()
        try await dependencies.database.write { db in
            try db.execute(
                sql: "UPDATE customer SET name = '<script>alert(1)</script>', name_key = '<script>alert(1)</script>' WHERE id = 'C0000007'")
        }
        try await app.test(.router) { client in
            let browser = try await Browser.signedIn(client, "demo-credit-manager-key-0001")
            for uri in ["/customers?q=C0000007", "/customers/C0000007"] {
                let page = try await browser.get(uri)
                #expect(page.status == .ok, "\(uri)")
                #expect(!page.body.contains("<script>"), "\(uri)")
                #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(uri)")
            }
        }
    }

    @Test("a form without the session's CSRF token is refused and changes nothing")
    func csrf() async throws {
        let (app, dependencies) = try Self.app()
        try await app.test(.router) { client in
            let browser = try await Browser.signedIn(client, "demo-credit-manager-key-0001")
            for token in ["", "forged-token"] {
                let refused = try await browser.post(
                    "/customers/C0000007/override", [("limit", "9000"), ("expiresOn", "2027-06-30"), ("reason", "guarantee")], token: token)
                #expect(refused.status == .forbidden)
            }
            let overrides = try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM credit_override") }
            #expect(overrides == 0)
            let done = try await browser.post(
                "/customers/C0000007/override", [("limit", "9000"), ("expiresOn", "2027-06-30"), ("reason", "guarantee")])
            #expect(done.status == .seeOther && done.headers[.location] == "/customers/C0000007?done=override")
            let page = try await browser.get("/customers/C0000007?done=override")
            #expect(page.body.contains("The override is set.") && page.body.contains("9,000.00"))
        }
    }

    @Test("sales sees no override form and the server refuses it anyway; a rep's key lists that rep's accounts only")
    func roles() async throws {
        let (app, dependencies) = try Self.app()
        try await app.test(.router) { client in
            let sales = try await Browser.signedIn(client, "demo-sales-key-0001")
            let page = try await sales.get("/customers/C0000007")
            #expect(page.status == .ok)
            #expect(!page.body.contains("/customers/C0000007/override") && page.body.contains("/customers/C0000007/order-check"))
            let refused = try await sales.post(
                "/customers/C0000007/override", [("limit", "9000"), ("expiresOn", "2027-06-30"), ("reason", "friend")])
            #expect(refused.status == .forbidden)
            #expect(try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM credit_override") } == 0)
            #expect(try await sales.get("/orders/held").status == .forbidden)
            #expect(!page.body.contains(#"href="/orders/held""#))

            let marie = try await Browser.signedIn(client, "demo-sales-marie-key-0001")
            let list = try await marie.get("/customers")
            let reps = try await dependencies.database.read {
                try Set(String.fetchAll($0, sql: "SELECT id FROM customer WHERE sales_rep = 'marie'"))
            }
            let listed = Set(list.body.components(separatedBy: #"<a href="/customers/"#).dropFirst().map { String($0.prefix(8)) })
            #expect(!listed.isEmpty && listed.isSubset(of: reps))
        }
    }

    @Test("the pages speak French when the browser asks for it, and the switch keeps the choice")
    func french() async throws {
        let (app, _) = try Self.app()
        try await app.test(.router) { client in
            let browser = try await Browser.signedIn(client, "demo-credit-manager-key-0001")
            let french = try await browser.get("/customers", headers: [.acceptLanguage: "fr-FR,fr;q=0.9,en;q=0.5"])
            #expect(french.body.contains(#"<html lang="fr">"#) && french.body.contains("Clients"))
            let switched = try await browser.post("/language", [("to", "en"), ("back", "/customers")])
            #expect(switched.status == .seeOther && switched.headers[.location] == "/customers")
            #expect(switched.headers[.setCookie]?.hasPrefix("creditrisk_lang=en") == true)
        }
        #expect(WebLanguage.preferred(by: "de-DE, en;q=0.4, fr;q=0.8") == .fr)
        #expect(WebLanguage.preferred(by: "de-DE") == .en)
        #expect(WebLanguage.fr.money(Money(cents: 123_456)) == "1 234,56" && WebLanguage.en.money(Money(cents: -123_456)) == "-1,234.56")
    }

    @Test("a held order is released from its list, with the reason; the order is then reserved")
    func heldOrderReleased() async throws {
        let (app, dependencies) = try Self.app()
        try await app.test(.router) { client in
            let sales = try await Browser.signedIn(client, "demo-sales-key-0001")
            // A customer with credit and nothing long past due: an order 5 % of its limit beyond its headroom is referred (within
            // the 10 % a credit manager may allow) and, reserved, held.
            var chosen: (id: String, amount: Money)?
            for index in 1...200 where chosen == nil {
                let id = String(format: "C%07d", index)
                guard let decision = try await dependencies.service.decisions.decision(customerId: id, asOf: APITests.today) else { continue }
                let aged = decision.assessment.paymentProfile.agedBalance
                guard decision.effective.limit.cents >= 100_000, decision.effective.headroom.cents >= 0,
                    (aged.days61to90 + aged.over90) == .zero, !decision.effective.grade.isDefault
                else { continue }
                chosen = (id, decision.effective.headroom + Money(cents: decision.effective.limit.cents / 20))
            }
            let (customer, amount) = try #require(chosen)
            let checked = try await sales.post(
                "/customers/\(customer)/order-check", [("orderId", "SO-W1"), ("amount", amount.decimalText), ("reserve", "1")])
            #expect(checked.status == .ok && checked.body.contains("The order is held"), "\(checked.body.prefix(200))")
            let manager = try await Browser.signedIn(client, "demo-credit-manager-key-0001")
            let list = try await manager.get("/orders/held")
            #expect(list.body.contains("SO-W1"))
            let released = try await manager.post("/orders/SO-W1/release", [("reason", "bank guarantee received")])
            #expect(released.status == .seeOther && released.headers[.location] == "/orders/held?done=released")
            let order = try await dependencies.service.orders.order(orderId: "SO-W1")
            #expect(
                order.status == .open && order.steps.last?.reason == "bank guarantee received" && order.steps.last?.author == "demo-credit-manager")
            // Deciding it again is refused on the page, with the use case's message.
            let again = try await manager.post("/orders/SO-W1/reject", [("reason", "changed my mind")])
            #expect(again.status == .conflict && again.body.contains("not held"), "\(again.body.suffix(600))")
        }
    }

    @Test("a call recorded on the worklist is on the customer's timeline with its note and author")
    func callRecorded() async throws {
        let (app, dependencies) = try Self.app()
        // The worklist ranks scored customers.
        _ = try await dependencies.service.scoring.scoreAndStore(asOf: APITests.today)
        try await app.test(.router) { client in
            let collector = try await Browser.signedIn(client, "demo-collections-key-0001")
            let list = try await collector.get("/worklist")
            #expect(list.status == .ok)
            let first = try #require(list.body.components(separatedBy: #"name="customerId" value=""#).dropFirst().first.map { String($0.prefix(8)) })
            let recorded = try await collector.post(
                "/worklist/activity", [("customerId", first), ("kind", "call"), ("outcome", "reached"), ("note", "will pay Friday")])
            #expect(recorded.status == .seeOther && recorded.headers[.location] == "/worklist?done=activity")
            let timeline = try await dependencies.service.activities.timeline(customerId: first, today: APITests.today, limit: 5, cursor: nil)
            #expect(timeline.events.contains { $0.kind == .activity && $0.note == "will pay Friday" && $0.author == "demo-collections" })
        }
    }

    @Test("an account is opened from the web form with an INPI statement: assessed, then approved into a customer")
    func accountOpening() async throws {
        let (app, _) = try Self.app()
        let statement = try String(
            contentsOf: APITests.repository.appendingPathComponent("Fixtures/statements/inpi/real-PUB_CA_016650467_2017.donnees.xml"),
            encoding: .utf8)
        try await app.test(.router) { client in
            let manager = try await Browser.signedIn(client, "demo-credit-manager-key-0001")
            #expect(try await manager.get("/applications/new").status == .ok)
            let boundary = "----opening-test-boundary"
            func multipart(_ fields: [(String, String)], file: String?) -> ByteBuffer {
                var body = ""
                for (name, value) in fields {
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
                }
                if let file {
                    body +=
                        "--\(boundary)\r\nContent-Disposition: form-data; name=\"statement\"; filename=\"accounts.xml\"\r\n"
                        + "Content-Type: text/xml\r\n\r\n\(file)\r\n"
                }
                return ByteBuffer(string: body + "--\(boundary)--\r\n")
            }
            let fields = [
                ("name", "Atelier Réel SA"), ("registrationId", "016650467"), ("sectorCode", "43.32A"), ("country", "fr"),
                ("termsDays", "45"), ("requestedLimit", "20 000,00"),
            ]
            let headers: HTTPFields = [.cookie: manager.cookie, .contentType: "multipart/form-data; boundary=\(boundary)"]
            // Without the session's token the form is refused and nothing is stored.
            let forged = try await client.execute(uri: "/applications", method: .post, headers: headers, body: multipart(fields, file: statement))
            #expect(forged.status == .forbidden)
            let sent = try await client.execute(
                uri: "/applications", method: .post, headers: headers, body: multipart([("_csrf", manager.csrf)] + fields, file: statement))
            #expect(sent.status == .seeOther)
            let location = try #require(sent.headers[.location])
            #expect(location.hasPrefix("/applications/APP-"))
            let decisionPage = try await manager.get(location)
            #expect(decisionPage.status == .ok && decisionPage.body.contains("Atelier Réel SA") && decisionPage.body.contains("20,000.00"))
            let id = String(location.dropFirst("/applications/".count))
            let approved = try await manager.post(
                "/applications/\(id)/decision", [("decision", "approve"), ("customerId", "C9000001"), ("limit", "5000"), ("reason", "met the owner")])
            #expect(approved.status == .seeOther && approved.headers[.location] == "/customers/C9000001?done=opened")
            let customer = try await manager.get("/customers/C9000001?done=opened")
            #expect(customer.status == .ok && customer.body.contains("The account is open.") && customer.body.contains("5,000.00"))
            // A bad field comes back on the form with the reason, the fields kept.
            let bad = try await client.execute(
                uri: "/applications", method: .post, headers: headers,
                body: multipart([("_csrf", manager.csrf)] + fields.map { $0.0 == "termsDays" ? ($0.0, "soon") : $0 }, file: nil))
            #expect(bad.status == .unprocessableContent && String(buffer: bad.body).contains("payment terms in days are needed"))
            #expect(String(buffer: bad.body).contains(#"value="Atelier Réel SA""#))
            // Thousands of parts are refused before they are decoded: their decoding took the square of their number.
            let crowded = try await client.execute(
                uri: "/applications", method: .post, headers: headers,
                body: multipart([("_csrf", manager.csrf)] + (0..<5_000).map { ("note\($0)", "x") }, file: nil))
            #expect(crowded.status == .unprocessableContent && String(buffer: crowded.body).contains("5001 parts"))
        }
    }

    @Test("a limit asked on the customer page by sales is approved on the requests page by the credit director, not by its requester")
    func limitRequestApproved() async throws {
        let (app, dependencies) = try Self.app()
        try await app.test(.router) { client in
            let manager = try await Browser.signedIn(client, "demo-credit-manager-key-0001")
            let asked = try await manager.post(
                "/customers/C0000007/limit-request", [("limit", "150 000"), ("expiresOn", "2027-06-30"), ("reason", "framework contract")])
            #expect(asked.status == .seeOther && asked.headers[.location] == "/customers/C0000007?done=limit_request")
            let list = try await manager.get("/limit-requests")
            #expect(list.body.contains("framework contract") && list.body.contains("Your own request"))
            #expect(!list.body.contains("/limit-requests/1/approve"))
            // The server refuses the requester anyway.
            let own = try await manager.post("/limit-requests/1/approve", [("reason", "fine")])
            #expect(own.status == .forbidden)
            let director = try await Browser.signedIn(client, "demo-credit-director-key-0001")
            let approved = try await director.post("/limit-requests/1/approve", [("reason", "parent guarantee")])
            #expect(approved.status == .seeOther && approved.headers[.location] == "/limit-requests?done=request_approved")
            let request = try await dependencies.service.limitRequests.request(id: 1)
            #expect(request.request.status == .approved && request.request.decision?.by == "demo-credit-director")
        }
    }

    @Test("a dispute opened on the worklist is resolved from the disputes list, and its alert can be acknowledged")
    func disputeResolved() async throws {
        let (app, dependencies) = try Self.app()
        _ = try await dependencies.service.scoring.scoreAndStore(asOf: APITests.today)
        try await app.test(.router) { client in
            let collector = try await Browser.signedIn(client, "demo-collections-key-0001")
            let list = try await collector.get("/worklist")
            let invoice = try #require(
                list.body.components(separatedBy: #"name="invoiceId"><option value=""#).dropFirst().first.map { String($0.prefix { $0 != "\"" }) })
            let opened = try await collector.post("/worklist/dispute", [("invoiceId", invoice), ("kind", "quality"), ("owner", "quality-team")])
            #expect(opened.status == .seeOther && opened.headers[.location] == "/worklist?done=dispute")
            let disputes = try await collector.get("/disputes")
            #expect(disputes.body.contains(invoice) && disputes.body.contains("quality-team") && disputes.body.contains("Quality"))
            let resolved = try await collector.post(
                "/disputes/\(Browser.encode(invoice))/resolve", [("outcome", "rejected"), ("note", "no defect found")])
            #expect(resolved.status == .seeOther && resolved.headers[.location] == "/disputes?done=dispute_resolve")
            #expect(!(try await collector.get("/disputes")).body.contains("quality-team"))
            let unknown = try await collector.post("/disputes/\(Browser.encode(invoice))/shred", [])
            #expect(unknown.status == .notFound)

            let alerts = try await collector.get("/alerts")
            let alertId = try #require(
                alerts.body.components(separatedBy: #"action="/alerts/"#).dropFirst().first.map { String($0.prefix { $0 != "/" }) })
            let acknowledged = try await collector.post("/alerts/\(alertId)/acknowledge", [("note", "called the customer")])
            #expect(acknowledged.status == .seeOther && acknowledged.headers[.location] == "/alerts?done=acknowledged")
            let seen = try await collector.get("/alerts?status=acknowledged")
            #expect(seen.body.contains("called the customer") && seen.body.contains("demo-collections"))
        }
    }

    @Test("the dashboard shows the use case's figures; a rep's sales key sees its own accounts' only")
    func dashboard() async throws {
        let (app, dependencies) = try Self.app()
        _ = try await dependencies.service.scoring.scoreAndStore(asOf: APITests.today)
        let whole = try await dependencies.service.dashboard(asOf: APITests.today)
        let maries = try await dependencies.service.dashboard(asOf: APITests.today, selection: PortfolioSelection(salesRep: "marie"))
        #expect(whole.indicators.openReceivables != maries.indicators.openReceivables)
        try await app.test(.router) { client in
            let manager = try await Browser.signedIn(client, "demo-credit-manager-key-0001")
            let page = try await manager.get("/")
            #expect(page.status == .ok)
            #expect(page.body.contains(WebLanguage.en.money(whole.indicators.openReceivables)))
            #expect(page.body.contains("<svg class=\"chart\"") && page.body.contains("Top 20 late payers"))
            if let first = whole.latePayers.latePayers.first { #expect(page.body.contains("/customers/\(first.customerId)")) }
            let marie = try await Browser.signedIn(client, "demo-sales-marie-key-0001")
            let own = try await marie.get("/")
            #expect(own.body.contains("Sales rep marie") && own.body.contains(WebLanguage.en.money(maries.indicators.openReceivables)))
            #expect(!own.body.contains("Waiting for you"))
        }
    }

    @Test("hostile forms get an error page, never a crash: oversized, broken encoding, wrong content type, garbage multipart")
    func hostileForms() async throws {
        let (app, dependencies) = try Self.app()
        try await app.test(.router) { client in
            let manager = try await Browser.signedIn(client, "demo-credit-manager-key-0001")
            let huge = try await manager.post("/customers/C0000007/limit-request", [("reason", String(repeating: "x", count: 200_000))])
            #expect(huge.status == .contentTooLarge)
            let broken = try await client.execute(
                uri: "/customers/C0000007/override", method: .post,
                headers: [.cookie: manager.cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=\(manager.csrf)&limit=%ZZ%&expiresOn=%&reason=%E2%28"))
            #expect(broken.status == .unprocessableContent)
            let wrongType = try await client.execute(
                uri: "/worklist/activity", method: .post, headers: [.cookie: manager.cookie, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"_csrf": "x"}"#))
            #expect(wrongType.status == .unprocessableContent)
            let garbage = try await client.execute(
                uri: "/applications", method: .post, headers: [.cookie: manager.cookie, .contentType: "multipart/form-data; boundary=zz"],
                body: ByteBuffer(string: "--zz\r\nContent-Disposition: form-data\r\n\r\n\u{0}\u{1}--z"))
            #expect(garbage.status == .forbidden || garbage.status == .unprocessableContent)  // no token can be read from it
            let noBoundary = try await client.execute(
                uri: "/applications", method: .post, headers: [.cookie: manager.cookie, .contentType: "multipart/form-data"],
                body: ByteBuffer(string: "x"))
            #expect(noBoundary.status == .unprocessableContent)
            let brokenPath = try await manager.get("/customers/%FF%FE").status
            #expect(brokenPath == .badRequest || brokenPath == .notFound)
            let oddList = try await manager.get("/customers?cursor=-1&sort=nonsense&grade=%3Cx%3E").status
            #expect(oddList == .unprocessableContent)
            #expect(try await manager.get("/orders/held").status == .ok)
        }
        #expect(try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM credit_override") } == 0)
    }
}
