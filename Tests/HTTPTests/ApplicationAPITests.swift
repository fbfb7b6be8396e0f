import CreditApp
import CreditCore
import CreditHTTP
import CreditStore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// Account opening through the router: applications assessed, stored, read back and decided.
@Suite("Account opening over HTTP")
struct ApplicationAPITests {
    static let creditManager = APITests.creditManager
    static let sales: HTTPFields = .apiKey("demo-sales-key-0001", contentType: "application/json")

    /// The demo ledger with statement reading on and room for a statement in the body.
    func app() throws -> (some ApplicationProtocol, ServiceDependencies) {
        var dependencies = try APITests.dependencies()
        dependencies.statementDecoder = try StatementReading.decoder(
            mappingsPath: APITests.repository.appendingPathComponent("Models/statement-mappings").path)
        dependencies.maximumBodyBytes = 1 << 20
        return (Application(router: buildRouter(dependencies)), dependencies)
    }

    /// Accounts to 31 December 2025 as an XBRL instance, laid out like
    /// Fixtures/demo/statements/325612950_2023-12-31_xbrl.xml; amounts in whole euros.
    static func xbrl(siren: String, name: String, _ figures: Figures) -> String {
        func fact(_ concept: String, _ context: String, _ value: Int) -> String {
            "  <ifrs:\(concept) contextRef=\"\(context)\" unitRef=\"EUR\" decimals=\"0\">\(value)</ifrs:\(concept)>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance"
                        xmlns:ifrs="https://xbrl.ifrs.org/taxonomy/2023-03-23/ifrs-full"
                        xmlns:iso4217="http://www.xbrl.org/2003/iso4217">
              <xbrli:context id="year">
                <xbrli:entity><xbrli:identifier scheme="https://www.sirene.fr">\(siren)</xbrli:identifier></xbrli:entity>
                <xbrli:period><xbrli:startDate>2025-01-01</xbrli:startDate><xbrli:endDate>2025-12-31</xbrli:endDate></xbrli:period>
              </xbrli:context>
              <xbrli:context id="end">
                <xbrli:entity><xbrli:identifier scheme="https://www.sirene.fr">\(siren)</xbrli:identifier></xbrli:entity>
                <xbrli:period><xbrli:instant>2025-12-31</xbrli:instant></xbrli:period>
              </xbrli:context>
              <xbrli:unit id="EUR"><xbrli:measure>iso4217:EUR</xbrli:measure></xbrli:unit>
              <ifrs:NameOfReportingEntityOrOtherMeansOfIdentification contextRef="year">\(name)</ifrs:NameOfReportingEntityOrOtherMeansOfIdentification>
            \(fact("Revenue", "year", figures.revenue))
            \(fact("ProfitLossFromOperatingActivities", "year", figures.operatingIncome))
            \(fact("ProfitLoss", "year", figures.netIncome))
            \(fact("Assets", "end", figures.totalAssets))
            \(fact("CurrentAssets", "end", figures.currentAssets))
            \(fact("Liabilities", "end", figures.totalLiabilities))
            \(fact("CurrentLiabilities", "end", figures.currentLiabilities))
            \(fact("Equity", "end", figures.equity))
            \(fact("RetainedEarnings", "end", figures.retainedEarnings))
            </xbrli:xbrl>
            """
    }

    struct Figures {
        var revenue, operatingIncome, netIncome, totalAssets, currentAssets, totalLiabilities, currentLiabilities, equity,
            retainedEarnings: Int
    }

    /// Z'' = 6.56 × (7 − 3)/12 + 3.26 × 4/12 + 6.72 × 2/12 + 1.05 × 6/6 = 2.19 + 1.09 + 1.12 + 1.05 = 5.44: safe zone.
    static let strong = Figures(
        revenue: 20_000_000, operatingIncome: 2_000_000, netIncome: 1_400_000, totalAssets: 12_000_000,
        currentAssets: 7_000_000, totalLiabilities: 6_000_000, currentLiabilities: 3_000_000, equity: 6_000_000,
        retainedEarnings: 4_000_000)
    /// Negative equity, a loss, and Z'' = 6.56 × (1.5 − 2.5)/3 + 3.26 × −1.2/3 + 6.72 × −0.6/3 + 1.05 × −0.4/3.4 = −4.96.
    static let weak = Figures(
        revenue: 5_000_000, operatingIncome: -600_000, netIncome: -800_000, totalAssets: 3_000_000,
        currentAssets: 1_500_000, totalLiabilities: 3_400_000, currentLiabilities: 2_500_000, equity: -400_000,
        retainedEarnings: -1_200_000)

    static func body(_ fields: [String: Any]) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]))
    }

    static func codes(_ json: [String: Any]) -> [String] {
        (json["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }

    /// A prospect in dental practices (failure rate 0.4 %), with or without a statement.
    static func prospect(
        id: String? = nil, siren: String, figures: Figures? = nil, requestedLimit: String? = nil, sector: String = "86.23Z"
    ) -> [String: Any] {
        var fields: [String: Any] = [
            "name": "Cabinet Prospect SELARL", "registrationId": siren, "sectorCode": sector, "country": "FR", "termsDays": 30,
        ]
        if let id { fields["applicationId"] = id }
        if let figures { fields["statementXML"] = xbrl(siren: siren, name: "Cabinet Prospect SELARL", figures) }
        if let requestedLimit { fields["requestedLimit"] = requestedLimit }
        return fields
    }

    @Test("an applicant without a statement or history is capped at the thin-file grade, with no limit to size")
    func thinFile() async throws {
        let (app, dependencies) = try app()
        let model = dependencies.model
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/applications", method: .post, headers: Self.creditManager,
                body: try Self.body(Self.prospect(siren: "812345676"))
            ) { response in
                #expect(response.status == .created)
                let json = try jsonObject(response)
                let id = try #require(json["applicationId"] as? String)
                #expect(id.hasPrefix("APP-20261031-"))
                #expect(response.headers[.location] == "/v1/applications/\(id)")
                #expect(json["status"] as? String == "pending")
                // Prior 0.4 % (sector 86.23Z); an applicant has no ledger, so every payment component
                // counts for nothing: PD = 0.004, grade 3 (up to 0.6 %), capped at the thin file's best grade, 4.
                #expect(abs((json["pd"] as? Double ?? 0) - 0.004) < 0.000001)
                #expect(json["uncappedGrade"] as? String == "3")
                #expect(json["grade"] as? String == model.thinFile.bestGrade)
                // Score: 100 × (0 − ln(0.004/0.996)) / (0 − ln(0.0005/0.9995)) = 100 × 5.5175 / 7.6004 = 72.6.
                #expect(json["score"] as? Int == 73)
                #expect(json["suggestedLimit"] as? String == "0.00")
                #expect(json["recommendation"] as? String == "refer")
                let codes = Self.codes(json)
                #expect(codes.first == "no_limit_sized")
                #expect(codes.contains("thin_file") && codes.contains("no_statement"))
                #expect((json["evidence"] as? [String: Any])?["invoices"] as? Int == 0)
                #expect(json["modelVersion"] as? String == model.version)
                #expect(json["asOf"] as? String == "2026-10-31")
            }
        }
    }

    @Test("a weak statement (negative equity, loss) grades worse than a strong one; a stored statement is reused")
    func statementsDecide() async throws {
        let (app, dependencies) = try app()
        let model = dependencies.model
        try await app.test(.router) { client in
            var strong: [String: Any] = [:]
            var weak: [String: Any] = [:]
            try await client.execute(
                uri: "/v1/applications", method: .post, headers: Self.creditManager,
                body: try Self.body(Self.prospect(siren: "823456785", figures: Self.strong, sector: "46.69B"))
            ) { response in
                #expect(response.status == .created)
                strong = try jsonObject(response)
            }
            try await client.execute(
                uri: "/v1/applications", method: .post, headers: Self.creditManager,
                body: try Self.body(Self.prospect(siren: "834567893", figures: Self.weak, sector: "46.69B"))
            ) { response in
                #expect(response.status == .created)
                weak = try jsonObject(response)
            }
            let strongGrade = try #require(model.grade(code: strong["grade"] as? String ?? ""))
            let weakGrade = try #require(model.grade(code: weak["grade"] as? String ?? ""))
            #expect(strongGrade < weakGrade)
            #expect((strong["pd"] as? Double ?? 1) < (weak["pd"] as? Double ?? 0))
            // The statement counts at once, although it closed ten months ago (no publication lag).
            #expect((strong["evidence"] as? [String: Any])?["statementPeriodEnd"] as? String == "2025-12-31")
            // Strong: prior logit(1.3 %) − 0.2 − 1.2 (Z'' effect capped) = −5.73: grade 3, capped at 4, whose
            // limit is the least of 12 % of equity 6 000 000 = 720 000, 3.5 % of revenue 20 000 000 = 700 000
            // and the grade cap 200 000.
            #expect(strong["grade"] as? String == "4")
            #expect(strong["suggestedLimit"] as? String == "200000.00")
            #expect(strong["recommendation"] as? String == "approve")
            // Weak: −4.33 − 0.2 + 2.0 (Z'' capped) + 0.7 + 0.3 = −1.53, PD 17.8 %: grade 9, no open credit.
            #expect(weak["grade"] as? String == "9")
            #expect(weak["suggestedLimit"] as? String == "0.00")
            #expect(weak["recommendation"] as? String == "approve_with_deposit_or_cash_in_advance")
            #expect(Self.codes(weak).contains("negative_equity") && Self.codes(weak).contains("net_loss"))

            // A second application for the strong company without XML uses its stored, published statement.
            try await client.execute(
                uri: "/v1/applications", method: .post, headers: Self.creditManager,
                body: try Self.body(Self.prospect(siren: "823456785", sector: "46.69B"))
            ) { response in
                #expect(response.status == .created)
                let json = try jsonObject(response)
                #expect((json["evidence"] as? [String: Any])?["statementPeriodEnd"] as? String == "2025-12-31")
                #expect(json["grade"] as? String == "4")
            }
        }
        let stored = try await dependencies.database.read {
            try String.fetchOne($0, sql: "SELECT file_name FROM statement WHERE registration_id = '823456785'")
        }
        #expect(stored?.hasPrefix("application APP-20261031-") == true)
    }

    @Test("a requested limit above the suggested one is referred, one within it approved")
    func requestedLimit() async throws {
        let (app, _) = try app()
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/applications", method: .post, headers: Self.creditManager,
                body: try Self.body(Self.prospect(siren: "823456785", figures: Self.strong, requestedLimit: "250000.00", sector: "46.69B"))
            ) { response in
                let json = try jsonObject(response)
                #expect(json["suggestedLimit"] as? String == "200000.00")
                #expect(json["requestedLimit"] as? String == "250000.00")
                #expect(json["recommendation"] as? String == "refer")
                let first = try #require((json["reasons"] as? [[String: Any]])?.first)
                #expect(first["code"] as? String == "requested_limit_above_suggested")
                #expect((first["text"] as? String)?.contains("250 000.00") == true)
            }
            try await client.execute(
                uri: "/v1/applications", method: .post, headers: Self.creditManager,
                body: try Self.body(Self.prospect(siren: "823456785", figures: Self.strong, requestedLimit: "150000.00", sector: "46.69B"))
            ) { response in
                let json = try jsonObject(response)
                #expect(json["recommendation"] as? String == "approve")
                #expect(!Self.codes(json).contains("requested_limit_above_suggested"))
            }
        }
    }

    @Test("the same application id and request answer the same; other details under that id, or a customer's registration id, conflict")
    func idempotency() async throws {
        let (app, _) = try app()
        try await app.test(.router) { client in
            let request = Self.prospect(id: "WEB-1001", siren: "845678903", figures: Self.strong)
            var first = ""
            try await client.execute(uri: "/v1/applications", method: .post, headers: Self.creditManager, body: try Self.body(request)) {
                #expect($0.status == .created)
                first = String(buffer: $0.body)
            }
            try await client.execute(uri: "/v1/applications", method: .post, headers: Self.creditManager, body: try Self.body(request)) {
                #expect($0.status == .ok)
                #expect(String(buffer: $0.body) == first)
            }
            var changed = request
            changed["termsDays"] = 60
            try await client.execute(uri: "/v1/applications", method: .post, headers: Self.creditManager, body: try Self.body(changed)) {
                #expect($0.status == .conflict)
            }
            try await client.execute(uri: "/v1/applications/WEB-1001", method: .get, headers: Self.creditManager) {
                #expect($0.status == .ok)
                #expect(String(buffer: $0.body) == first)
            }
            try await client.execute(uri: "/v1/applications/NOPE", method: .get, headers: Self.creditManager) {
                #expect($0.status == .notFound)
            }
            // C0000001 (Hexapro SAS) has SIREN 300957735 in Fixtures/demo/customers.csv.
            try await client.execute(
                uri: "/v1/applications", method: .post, headers: Self.creditManager,
                body: try Self.body(Self.prospect(siren: "300 957 735"))
            ) { response in
                #expect(response.status == .conflict)
                let problem = try Self.problem(response)
                #expect(problem.detail.contains("C0000001"))
            }
        }
    }

    struct ProblemBody: Decodable {
        struct Located: Decodable {
            var file: String
            var line: Int?
            var column: String?
        }
        var type: String
        var detail: String
        var errors: [Located]?
    }

    static func problem(_ response: TestResponse) throws -> ProblemBody {
        #expect(response.headers[.contentType] == "application/problem+json")
        return try JSONDecoder().decode(ProblemBody.self, from: Data(buffer: response.body))
    }

    @Test("sales may not open accounts; bad JSON is 400, bad values and unreadable XML are 422, and nothing is stored")
    func refusals() async throws {
        let (app, dependencies) = try app()
        let unclosed = try String(
            contentsOf: APITests.repository.appendingPathComponent("Fixtures/statements/hostile/unclosed-element.xml"), encoding: .utf8)
        try await app.test(.router) { client in
            let good = try Self.body(Self.prospect(siren: "812345676"))
            try await client.execute(uri: "/v1/applications", method: .post, headers: Self.sales, body: good) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/v1/applications/X/decision", method: .post, headers: Self.sales, body: good) {
                #expect($0.status == .forbidden)
            }
            for malformed in [
                #"{"name": "A""#, #"{"name": "A", "sectorCode": "86.23Z", "country": "FR"}"#,
                #"{"name": "A", "sectorCode": "x", "country": "FR", "termsDays": "thirty"}"#,
            ] {
                try await client.execute(
                    uri: "/v1/applications", method: .post, headers: Self.creditManager, body: ByteBuffer(string: malformed)
                ) {
                    #expect($0.status == .badRequest)
                    let problem = try Self.problem($0)
                    #expect(problem.type == "/problems/malformed")
                }
            }
            var invalid: [[String: Any]] = []
            for (key, value) in [
                ("termsDays", 400 as Any), ("registrationId", "123456789"), ("country", "France"), ("name", " "), ("applicationId", "a/b"),
            ] {
                var fields = Self.prospect(siren: "812345676")
                fields[key] = value
                invalid.append(fields)
            }
            for fields in invalid {
                try await client.execute(uri: "/v1/applications", method: .post, headers: Self.creditManager, body: try Self.body(fields)) {
                    #expect($0.status == .unprocessableContent, "\(fields)")
                }
            }
            var withBadXML = Self.prospect(siren: "812345676")
            withBadXML["statementXML"] = unclosed
            try await client.execute(uri: "/v1/applications", method: .post, headers: Self.creditManager, body: try Self.body(withBadXML)) {
                #expect($0.status == .unprocessableContent)
                let problem = try Self.problem($0)
                #expect(problem.type == "/problems/statement-unreadable")
                #expect(problem.detail.hasPrefix("statementXML line "))
                #expect(problem.errors?.first?.line != nil)
            }
            // Accounts of another company than the applicant's.
            var otherCompany = Self.prospect(siren: "812345676")
            otherCompany["statementXML"] = Self.xbrl(siren: "823456785", name: "Other", Self.strong)
            try await client.execute(uri: "/v1/applications", method: .post, headers: Self.creditManager, body: try Self.body(otherCompany)) {
                #expect($0.status == .unprocessableContent)
                let problem = try Self.problem($0)
                #expect(problem.detail.contains("823456785"))
            }
        }
        let counts = try await dependencies.database.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM credit_application"), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM statement"))
        }
        #expect(counts.0 == 0 && counts.1 == 0)
    }

    @Test("an account opened with a limit beyond the credit manager's authority is refused and names the credit director, who may")
    func openingBeyondAuthority() async throws {
        let (app, _) = try app()
        try await app.test(.router) { client in
            try await client.expectStatus(
                .created, uri: "/v1/applications", method: .post, headers: Self.creditManager,
                body: try Self.body(Self.prospect(id: "OPEN-9", siren: "798765434", figures: Self.strong, sector: "46.69B")))
            // Suggested 200 000.00: a credit manager may open it with at most 2 × 200 000.00 = 400 000.00.
            let decision = try Self.body([
                "decision": "approve", "customerId": "C9000009", "limit": "400000.01", "reason": "strategic account",
            ])
            try await client.execute(
                uri: "/v1/applications/OPEN-9/decision", method: .post, headers: Self.creditManager, body: decision
            ) { response in
                #expect(response.status == .forbidden)
                let problem = try Self.problem(response)
                #expect(problem.detail.contains("credit_director may approve it"), "\(problem.detail)")
            }
            let director: HTTPFields = .apiKey("demo-credit-director-key-0001", contentType: "application/json")
            try await client.execute(uri: "/v1/applications/OPEN-9/decision", method: .post, headers: director, body: decision) { response in
                #expect(response.status == .created)
                let json = try jsonObject(response)
                #expect(json["limit"] as? String == "400000.01")
            }
        }
    }

    @Test("approving opens the account with the suggested limit, or an override for another; an application is decided once")
    func approve() async throws {
        let (app, _) = try app()
        try await app.test(.router) { client in
            for (id, siren) in [("OPEN-1", "823456785"), ("OPEN-2", "845678903"), ("OPEN-3", "798765434")] {
                try await client.expectStatus(
                    .created, uri: "/v1/applications", method: .post, headers: Self.creditManager,
                    body: try Self.body(Self.prospect(id: id, siren: siren, figures: Self.strong, sector: "46.69B")))
            }
            // As suggested: no override, the customer reads 200 000.00 like the application said.
            try await client.execute(
                uri: "/v1/applications/OPEN-1/decision", method: .post, headers: Self.creditManager,
                body: try Self.body(["decision": "approve", "customerId": "C9000001"])
            ) { response in
                #expect(response.status == .created)
                let json = try jsonObject(response)
                #expect(json["assessmentUrl"] as? String == "/v1/customers/C9000001/assessment")
                #expect(response.headers[.location] == "/v1/customers/C9000001/assessment")
                #expect(json["status"] as? String == "approved")
                #expect(json["limit"] as? String == "200000.00")
                #expect(json["override"] == nil)
            }
            try await client.execute(uri: "/v1/customers/C9000001/assessment", method: .get, headers: Self.sales) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["limit"] as? String == "200000.00")
                #expect(json["overrideStatus"] as? String == "none")
                #expect((json["evidence"] as? [String: Any])?["statementPeriodEnd"] as? String == "2025-12-31")
            }
            try await client.execute(
                uri: "/v1/applications/OPEN-1/decision", method: .post, headers: Self.creditManager,
                body: try Self.body(["decision": "decline", "reason": "changed our mind"])
            ) { response in
                #expect(response.status == .conflict)
                let problem = try Self.problem(response)
                #expect(problem.detail.contains("C9000001"))
            }
            try await client.execute(uri: "/v1/applications/OPEN-1", method: .get, headers: Self.creditManager) { response in
                let json = try jsonObject(response)
                #expect(json["status"] as? String == "approved")
                #expect((json["decision"] as? [String: Any])?["customerId"] as? String == "C9000001")
                #expect((json["decision"] as? [String: Any])?["decidedBy"] as? String == "demo-credit-manager")
            }

            // Another limit: refused without a reason, kept as an override for a year with one.
            try await client.expectStatus(
                .unprocessableContent, uri: "/v1/applications/OPEN-2/decision", method: .post, headers: Self.creditManager,
                body: try Self.body(["decision": "approve", "customerId": "C9000002", "limit": "50000.00"]))
            try await client.expectStatus(
                .conflict, uri: "/v1/applications/OPEN-2/decision", method: .post, headers: Self.creditManager,
                body: try Self.body(["decision": "approve", "customerId": "C0000001"]))
            try await client.execute(
                uri: "/v1/applications/OPEN-2/decision", method: .post, headers: Self.creditManager,
                body: try Self.body([
                    "decision": "approve", "customerId": "C9000002", "limit": "50000.00", "reason": "new customer: start lower",
                    "author": "M. Durand",
                ])
            ) { response in
                #expect(response.status == .created)
                let json = try jsonObject(response)
                #expect(json["limit"] as? String == "50000.00")
                #expect(json["suggestedLimit"] as? String == "200000.00")
            }
            try await client.execute(uri: "/v1/customers/C9000002/assessment", method: .get, headers: Self.sales) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["limit"] as? String == "50000.00")
                #expect(json["overrideStatus"] as? String == "active")
                let override = try #require(json["override"] as? [String: Any])
                #expect(override["author"] as? String == "M. Durand")
                #expect(override["expiresOn"] as? String == "2027-10-31")
            }

            // Declining needs a reason; unknown applications are 404.
            try await client.expectStatus(
                .unprocessableContent, uri: "/v1/applications/OPEN-3/decision", method: .post, headers: Self.creditManager,
                body: try Self.body(["decision": "decline"]))
            try await client.execute(
                uri: "/v1/applications/OPEN-3/decision", method: .post, headers: Self.creditManager,
                body: try Self.body(["decision": "decline", "reason": "sanctions screening hit"])
            ) { response in
                #expect(response.status == .created)
                let json = try jsonObject(response)
                #expect(json["status"] as? String == "declined")
                #expect(json["customerId"] == nil)
            }
            try await client.expectStatus(
                .conflict, uri: "/v1/applications/OPEN-3/decision", method: .post, headers: Self.creditManager,
                body: try Self.body(["decision": "decline", "reason": "again"]))
            try await client.expectStatus(
                .notFound, uri: "/v1/applications/NOPE/decision", method: .post, headers: Self.creditManager,
                body: try Self.body(["decision": "approve", "customerId": "C9000009"]))
            try await client.execute(
                uri: "/v1/applications/OPEN-3/decision", method: .post, headers: Self.creditManager,
                body: ByteBuffer(string: #"{"decision": "maybe"}"#)
            ) { #expect($0.status == .badRequest) }
        }
    }
}
