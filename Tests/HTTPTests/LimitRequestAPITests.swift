@_spi(Testing) import CreditApp
import CreditCore
import CreditHTTP
import CreditStore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Limits under approval authority and periodic reviews through the API, each caller its demo
/// key: sales asks, the credit manager decides within max(2 × suggested, 10 000.00), the credit
/// director beyond. C0000007 is suggested 4 000.00 on 2026-10-31 (model v2).
@Suite("Limit requests and reviews over HTTP")
struct LimitRequestAPITests {
    static let sales: HTTPFields = .apiKey("demo-sales-key-0001", contentType: "application/json")
    static let manager: HTTPFields = .apiKey("demo-credit-manager-key-0001", contentType: "application/json")
    static let director: HTTPFields = .apiKey("demo-credit-director-key-0001", contentType: "application/json")

    static func problem(_ buffer: ByteBuffer) throws -> APITests.ProblemBody {
        try JSONDecoder().decode(APITests.ProblemBody.self, from: Data(buffer: buffer))
    }

    @Test("an override beyond the credit manager's authority is a 403 naming the credit director, who may set it")
    func overrideBeyondAuthority() async throws {
        try await APITests.app().test(.router) { client in
            let body = ByteBuffer(string: #"{"limit": "5000000.00", "reason": "CEO friend", "expiresOn": "2030-12-31"}"#)
            try await client.execute(uri: "/v1/customers/C0000007/override", method: .post, headers: Self.manager, body: body) { response in
                #expect(response.status == .forbidden)
                let problem = try Self.problem(response.body)
                #expect(problem.type == "/problems/beyond-authority")
                #expect(problem.detail.contains("beyond the authority of the credit_manager role (10 000.00 here"), "\(problem.detail)")
                #expect(problem.detail.contains("credit_director may approve it: send a limit request"), "\(problem.detail)")
            }
            try await client.execute(uri: "/v1/customers/C0000007/assessment", method: .get, headers: Self.sales) { response in
                let answer = try jsonObject(response.body)
                #expect(answer["limit"] as? String == "4000.00")
            }
            try await client.execute(uri: "/v1/customers/C0000007/override", method: .post, headers: Self.director, body: body) { response in
                #expect(response.status == .created)
                let answer = try jsonObject(response.body)
                #expect(answer["limit"] as? String == "5000000.00")
            }
        }
    }

    @Test("sales asks for a limit; the credit manager may not approve it, the credit director does; the timeline shows both")
    func requestApproved() async throws {
        try await APITests.app().test(.router) { client in
            let ask = ByteBuffer(string: #"{"limit": "40000.00", "reason": "framework contract signed", "expiresOn": "2027-06-30"}"#)
            var requestId = 0
            try await client.execute(uri: "/v1/customers/C0000007/limit-requests", method: .post, headers: Self.sales, body: ask) { response in
                #expect(response.status == .created)
                let request = try jsonObject(response.body)
                #expect(request["status"] as? String == "pending" && request["requestedBy"] as? String == "demo-sales")
                #expect(request["suggestedLimit"] as? String == "4000.00" && request["limitInForce"] as? String == "4000.00")
                #expect(request["approvableBy"] as? [String] == ["credit_director"])
                requestId = try #require(request["id"] as? Int)
            }
            try await client.execute(uri: "/v1/limit-requests?status=pending", method: .get, headers: Self.manager) { response in
                #expect(response.status == .ok)
                let page = try jsonObject(response.body)
                #expect(page["total"] as? Int == 1)
                #expect((page["requests"] as? [[String: Any]])?.first?["id"] as? Int == requestId)
            }
            let decision = ByteBuffer(string: #"{"reason": "group guarantee checked"}"#)
            try await client.execute(
                uri: "/v1/limit-requests/\(requestId)/approve", method: .post, headers: Self.manager, body: decision
            ) { response in
                #expect(response.status == .forbidden)
                let answer = try Self.problem(response.body)
                #expect(answer.detail.contains("credit_director may approve it"))
            }
            try await client.execute(
                uri: "/v1/limit-requests/\(requestId)/approve", method: .post, headers: Self.director, body: decision
            ) { response in
                #expect(response.status == .ok)
                let request = try jsonObject(response.body)
                #expect(request["status"] as? String == "approved")
                let made = try #require(request["decision"] as? [String: Any])
                #expect(made["by"] as? String == "demo-credit-director" && made["role"] as? String == "credit_director")
                #expect(made["authorityVersion"] as? String == "approval-authorities-v2" && made["overrideId"] is Int)
            }
            try await client.execute(uri: "/v1/customers/C0000007/assessment", method: .get, headers: Self.sales) { response in
                let assessment = try jsonObject(response.body)
                #expect(assessment["limit"] as? String == "40000.00" && assessment["overrideStatus"] as? String == "active")
            }
            try await client.expectStatus(
                .conflict, uri: "/v1/limit-requests/\(requestId)/reject", method: .post, headers: Self.manager, body: decision)
            // Sales who asked follow it up: decided, by whom, and the override it became.
            try await client.execute(uri: "/v1/limit-requests/\(requestId)", method: .get, headers: Self.sales) { response in
                #expect(response.status == .ok)
                let request = try jsonObject(response.body)
                #expect(request["id"] as? Int == requestId && request["status"] as? String == "approved")
                #expect((request["decision"] as? [String: Any])?["by"] as? String == "demo-credit-director")
            }
            for missing in ["\(requestId + 1)", "0", "abc"] {
                try await client.execute(uri: "/v1/limit-requests/\(missing)", method: .get, headers: Self.sales) { response in
                    #expect(response.status == (missing == "abc" || missing == "0" ? .badRequest : .notFound), "\(missing)")
                }
            }
            try await client.execute(uri: "/v1/customers/C0000007/timeline?limit=3", method: .get, headers: Self.manager) { response in
                let events = try #require(try jsonObject(response.body)["events"] as? [[String: Any]])
                #expect(events.map { $0["kind"] as? String } == ["override_set", "limit_request_approved", "limit_requested"])
            }
        }
    }

    @Test("the requester may not decide their own request, sales may not decide any, and a request is named by a positive number")
    func whoDecides() async throws {
        try await APITests.app().test(.router) { client in
            let ask = ByteBuffer(string: #"{"limit": "9000.00", "reason": "seasonal peak", "expiresOn": "2027-01-31"}"#)
            try await client.expectStatus(.created, uri: "/v1/customers/C0000007/limit-requests", method: .post, headers: Self.manager, body: ask)
            let decision = ByteBuffer(string: #"{"reason": "fine"}"#)
            try await client.execute(uri: "/v1/limit-requests/1/approve", method: .post, headers: Self.manager, body: decision) { response in
                #expect(response.status == .forbidden)
                let answer = try Self.problem(response.body)
                #expect(answer.type == "/problems/own-request")
            }
            try await client.execute(uri: "/v1/limit-requests/1/reject", method: .post, headers: Self.sales, body: decision) { response in
                #expect(response.status == .forbidden)
                let answer = try Self.problem(response.body)
                #expect(answer.type == "/problems/forbidden")
            }
            try await client.expectStatus(.notFound, uri: "/v1/limit-requests/99/reject", method: .post, headers: Self.director, body: decision)
            try await client.expectStatus(.badRequest, uri: "/v1/limit-requests/0/reject", method: .post, headers: Self.director, body: decision)
            try await client.expectStatus(.conflict, uri: "/v1/customers/C0000007/limit-requests", method: .post, headers: Self.sales, body: ask)
            try await client.expectStatus(.unprocessableContent, uri: "/v1/limit-requests?status=waiting", method: .get, headers: Self.sales)
            // The credit director may approve a credit manager's request.
            try await client.expectStatus(.ok, uri: "/v1/limit-requests/1/approve", method: .post, headers: Self.director, body: decision)
        }
    }

    @Test("the reviews due, a review recorded with its next date, and the overrides expiring, for the credit team only")
    func reviews() async throws {
        let dependencies = try APITests.dependencies()
        _ = try await dependencies.service.scoring.scoreAndStore(asOf: APITests.today)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            // The quarterly (high risk) customers first reviewed 2026-10-31 + 3 months: 15 + 5 + 6 + 9 of grades 8, 9, 10, D.
            try await client.execute(uri: "/v1/reviews/due?before=2027-01-31&limit=2", method: .get, headers: Self.manager) { response in
                #expect(response.status == .ok)
                let list = try jsonObject(response.body)
                #expect(list["total"] as? Int == 35 && list["policyVersion"] as? String == "review-policy-v1")
                let first = try #require((list["reviews"] as? [[String: Any]])?.first)
                #expect(first["dueOn"] as? String == "2027-01-31" && first["dueReason"] as? String == "first_review")
                #expect(first["daysOverdue"] as? Int == -92)  // 2026-10-31 to 2027-01-31: 1 + 30 + 31 + 30 days
            }
            let review = ByteBuffer(string: #"{"decision": "raise", "limit": "10000.00", "note": "two years without delay"}"#)
            try await client.execute(uri: "/v1/customers/C0000007/reviews", method: .post, headers: Self.manager, body: review) { response in
                #expect(response.status == .created)
                let recorded = try jsonObject(response.body)
                #expect(recorded["author"] as? String == "demo-credit-manager" && recorded["riskClass"] as? String == "low")
                #expect(recorded["limitBefore"] as? String == "4000.00" && recorded["limit"] as? String == "10000.00")
                #expect(recorded["nextReviewOn"] as? String == "2027-10-31")  // grade 4: a year on
            }
            let beyond = ByteBuffer(string: #"{"decision": "raise", "limit": "20000.00"}"#)
            try await client.expectStatus(.forbidden, uri: "/v1/customers/C0000007/reviews", method: .post, headers: Self.manager, body: beyond)
            try await client.expectStatus(.forbidden, uri: "/v1/customers/C0000007/reviews", method: .post, headers: Self.sales, body: review)
            // The review's limit holds until the next review, 365 days ahead: listed only with a window that long.
            try await client.execute(uri: "/v1/overrides/expiring", method: .get, headers: Self.manager) { response in
                #expect(response.status == .ok)
                let list = try jsonObject(response.body)
                #expect(list["withinDays"] as? Int == 30 && (list["overrides"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/v1/overrides/expiring?withinDays=365", method: .get, headers: Self.director) { response in
                let overrides = try #require(try jsonObject(response.body)["overrides"] as? [[String: Any]])
                #expect(overrides.count == 1 && overrides.first?["customerId"] as? String == "C0000007")
                #expect(overrides.first?["daysLeft"] as? Int == 365 && overrides.first?["expiresOn"] as? String == "2027-10-31")
            }
        }
    }
}

@Suite("Override expiries and reviews in the daily run")
struct ReviewDailyTests {
    @Test("the daily run alerts an override expiring within 30 days once, and each review that fell due once")
    func dailyAlerts() async throws {
        let dependencies = try APITests.dependencies()
        _ = try await dependencies.service.scoring.scoreAndStore(asOf: APITests.today)
        let clock = DayBox(APITests.today)
        let daily = DailyRescoring(service: dependencies.service, today: { clock.day }, logger: Logger(label: "test"))
        _ = try await dependencies.service.decisions.setOverride(
            customerId: "C0000007", gradeCode: nil, limit: Money(cents: 900_000), reason: "guarantee", author: "carl", role: "credit_manager",
            setOn: APITests.today, expiresOn: Day(parsing: "2026-12-15")!)
        // 2026-11-14 is 31 days before the expiry, 2026-11-15 the first day within 30.
        clock.day = Day(parsing: "2026-11-14")!
        #expect(try await daily.raiseReviewAlerts()?.overridesExpiring == 0)
        clock.day = Day(parsing: "2026-11-15")!
        #expect(try await daily.raiseReviewAlerts()?.overridesExpiring == 1)
        clock.day = Day(parsing: "2026-11-16")!
        #expect(try await daily.raiseReviewAlerts()?.overridesExpiring == 0)
        // The 35 quarterly customers fall due on 2027-01-31, alerted that day and not again.
        clock.day = Day(parsing: "2027-01-31")!
        #expect(try await daily.raiseReviewAlerts()?.reviewsDue == 35)
        clock.day = Day(parsing: "2027-02-01")!
        #expect(try await daily.raiseReviewAlerts()?.reviewsDue == 0)
        let alerts = try await dependencies.service.alerts.list(AlertFilter())
        #expect(alerts.filter { $0.kind == .overrideExpiring }.map(\.customerId) == ["C0000007"])
        #expect(alerts.filter { $0.kind == .reviewDue }.count == 35)
    }
}

@Suite("Roles and credit policies")
struct RolePolicyTests {
    @Test("the credit director may do all the credit manager does, imports aside; sales and collections ask for limits only")
    func roles() {
        for capability in [Capability.overrideDecisions, .decideLimitRequests, .reviewLimits, .requestLimits, .openAccounts] {
            #expect(Role.creditDirector.may(capability) && Role.creditManager.may(capability), "\(capability)")
        }
        #expect(!Role.creditDirector.may(.importData))
        for role in [Role.sales, .collections] {
            #expect(role.may(.requestLimits) && !role.may(.decideLimitRequests) && !role.may(.reviewLimits), "\(role)")
        }
        #expect(APIKeys.demo.key(for: "demo-credit-director-key-0001")?.role == .creditDirector)
    }

    @Test("the shipped authorities name only roles the API knows, and the review policy covers the default model's grades")
    func shippedPolicies() throws {
        let models = APITests.repository.appendingPathComponent("Models")
        let model = try ScoringModel.decode(from: Data(contentsOf: models.appendingPathComponent("scoring-model-v5.json")))
        let policies = try CreditPolicies.load(directory: models.path, model: model, roles: Role.allCases.map(\.rawValue))
        #expect(policies.authorities.limitAuthorities.map(\.role) == ["credit_manager", "credit_director"])
        #expect(policies.reviews.riskClasses.map(\.intervalMonths) == [12, 6, 3])
    }
}
