import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// The customer list and a customer's page, with the forms a user's role allows on it: an
/// override (credit team), a limit request (sales, collections, credit team), an order check
/// (sales and the credit team). Every rule is the use cases'; a page only reads and renders.
struct WebCustomerPages {
    let app: WebApp

    var service: CreditService { app.service }

    func add(to pages: RouterGroup<CreditRequestContext>) {
        pages.requiring(.readAssessments).get("customers", page: app) { request, _, page in try await list(request, page) }
        pages.requiring(.readAssessments).get("customers/:id", page: app) { request, context, page in
            try await customerPage(page, id: try context.pathParameter("id"), notice: page.notice(request))
        }
        pages.requiring(.overrideDecisions).post("customers/:id/override", form: app) { _, context, page, form in
            let id = try context.pathParameter("id")
            return try await acting(page, id: id, done: "override") {
                let today = app.dependencies.today()
                _ = try await service.decisions.setOverride(
                    customerId: id, gradeCode: form.text("grade"), limit: try form.money("limit", page, required: false),
                    reason: form.text("reason") ?? "", author: page.author, role: page.roleName, setOn: today,
                    expiresOn: try form.day("expiresOn", page))
            }
        }
        pages.requiring(.requestLimits).post("customers/:id/limit-request", form: app) { _, context, page, form in
            let id = try context.pathParameter("id")
            return try await acting(page, id: id, done: "limit_request") {
                _ = try await service.limitRequests.request(
                    customerId: id, limit: try form.money("limit", page, required: true) ?? .zero, reason: form.text("reason") ?? "",
                    expiresOn: try form.day("expiresOn", page), requester: page.author, today: app.dependencies.today())
            }
        }
        pages.requiring(.checkOrders).post("customers/:id/order-check", form: app) { _, context, page, form in
            let id = try context.pathParameter("id")
            do {
                let result = try await service.orders.check(
                    customerId: id, orderId: form.text("orderId") ?? "", amount: try form.money("amount", page, required: true) ?? .zero,
                    reserve: form["reserve"] == "1", author: page.author, on: app.dependencies.today())
                return try await customerPage(page, id: id, orderCheck: orderCheckView(result, page))
            } catch {
                guard let refusal = Refusal(error), refusal.refusalKind != .notFound else { throw error }
                return try await customerPage(page, id: id, error: refusal.description, status: .unprocessableContent)
            }
        }
    }

    // MARK: The list

    func list(_ request: Request, _ page: WebPage) async throws -> Response {
        let query = request.uri.queryParameters
        func text(_ name: String) -> String? {
            query[Substring(name)].map(String.init).flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        }
        let ownRep = page.caller?.ownAccountsRep
        let sort = text("sort").flatMap(CustomerSort.init(parsing:)) ?? .name
        let descending = text("order") == "desc"
        let listQuery = CustomerListQuery(
            search: text("q"), grade: text("grade"), group: text("group"), sector: text("sector"), salesRep: ownRep ?? text("rep"),
            overLimit: text("overLimit") == "1" ? true : nil, overdue: text("overdue") == "1" ? true : nil, sort: sort,
            descending: descending, limit: 50, cursor: text("cursor"))
        let result = try await service.customers.list(listQuery, asOf: app.dependencies.today())
        let language = page.language
        let rows: [[String: Any]] = result.customers.map { entry in
            var row: [String: Any] = [
                "id": entry.customerId, "name": entry.name, "sector": entry.sectorCode, "country": entry.country,
                "grade": entry.grade ?? "–", "risky": app.risky(entry.grade), "group": false, "rep": "", "over": false,
            ]
            if let group = entry.group { row["group"] = group }
            if let rep = entry.salesRep { row["rep"] = rep }
            Self.figures(of: entry, language, into: &row)
            if let pd = entry.pd { row["pd"] = language.percent(pd, places: 2) }
            return row
        }
        var values: [String: Any] = [
            // Named apart from the rows' fields: a row without a group must not show the filter's.
            "rows": rows, "matching": result.matching, "filterQ": text("q") ?? "", "filterGroup": text("group") ?? "",
            "filterSector": text("sector") ?? "", "filterOverLimit": listQuery.overLimit == true, "filterOverdue": listQuery.overdue == true,
            "ownRep": ownRep ?? false, "filterRep": text("rep") ?? "", "descending": descending,
            "grades": ([""] + service.model.grades.map(\.code)).map { ["code": $0, "selected": $0 == (text("grade") ?? "")] },
            "sorts": page.options(CustomerSort.allCases, labels: "sort_", selected: sort),
        ]
        if let next = result.nextCursor {
            var parameters = query.map { (String($0.key), String($0.value)) }.filter { $0.0 != "cursor" }
            parameters.append(("cursor", next))
            values["next"] = "/customers?" + parameters.map { "\(WebApp.encode($0.0))=\(WebApp.encode($0.1))" }.joined(separator: "&")
        }
        return app.render("customers", page, title: page.texts["customers_title"] ?? "Customers", values)
    }

    /// The figures of a customer's standing it has (before its first assessment, none): limit,
    /// exposure, headroom (and whether the exposure is over the limit), overdue.
    static func figures(of standing: CustomerListEntry, _ language: WebLanguage, into values: inout [String: Any]) {
        if let limit = standing.limit { values["limit"] = language.money(limit) }
        if let exposure = standing.exposure { values["exposure"] = language.money(exposure) }
        if let headroom = standing.headroom {
            values["headroom"] = language.money(headroom)
            values["over"] = headroom < .zero
        }
        if let overdue = standing.overdue { values["overdue"] = language.money(overdue) }
    }

    // MARK: One customer

    /// The customer's page, with a notice (after an action), an error (an action refused, shown
    /// beside the forms) or an order check's answer.
    func customerPage(
        _ page: WebPage, id: String, notice: String? = nil, error: String? = nil, orderCheck: [String: Any]? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let today = app.dependencies.today()
        let detail = try await service.customers.detail(customerId: id, asOf: today)
        let decision = try await service.decisions.decision(customerId: id, asOf: today)
        let history = try await service.history(customerId: id)
        let language = page.language
        let standing = detail.standing
        var values: [String: Any] = [
            "id": detail.customer.id, "name": detail.customer.name, "sector": detail.customer.sectorCode,
            "country": detail.customer.country, "terms": detail.customer.termsDays, "grade": standing.grade ?? "–",
            "risky": app.risky(standing.grade), "openBalance": language.money(detail.openBalance),
            "unappliedCredits": language.money(detail.unappliedCredits), "overridden": standing.overridden,
        ]
        if let registration = detail.customer.registrationId { values["registration"] = registration }
        if let group = detail.customer.group { values["group"] = group }
        if let rep = detail.customer.salesRep { values["rep"] = rep }
        Self.figures(of: standing, language, into: &values)
        if let suggested = detail.suggestedLimit { values["suggestedLimit"] = language.money(suggested) }
        if let contact = detail.contact {
            values["contact"] = ["email": contact.email ?? "", "phone": contact.phone ?? "", "name": contact.name ?? ""]
        }
        if let last = detail.lastReview { values["lastReview"] = language.day(last.reviewedOn) }
        if let next = detail.nextReview { values["nextReview"] = language.day(next.dueOn) }
        if let decision {
            // The figures as of now (reservations and events since the last scoring included), as
            // an order check would see them.
            let effective = decision.effective
            values["grade"] = effective.grade.code
            values["risky"] = app.risky(effective.grade.code)
            values["limit"] = language.money(effective.limit)
            values["exposure"] = language.money(effective.exposure)
            values["headroom"] = language.money(effective.headroom)
            values["over"] = effective.headroom < .zero
            values["overdue"] = language.money(decision.assessment.paymentProfile.agedBalance.overdue)
            values["suggestedLimit"] = language.money(effective.suggestedLimit)
            let assessment = decision.assessment
            values["pd"] = language.percent(assessment.pd, places: 2)
            values["score"] = assessment.score
            values["modelVersion"] = assessment.modelVersion
            values["assessedOn"] = language.day(assessment.asOf)
            values["reasons"] = assessment.reasons.map { reason -> [String: Any] in
                ["text": reason.text, "effect": language.number(reason.effect, places: 2), "worse": reason.effect > 0]
            }
            values["recommendation"] = page.label("recommendation_", assessment.recommendation.rawValue)
            if let override = decision.effective.override {
                var parts: [String] = []
                if let grade = override.grade { parts.append("\(page.texts["grade"] ?? "grade") \(grade.code)") }
                if let limit = override.limit { parts.append("\(page.texts["limit"] ?? "limit") \(language.money(limit))") }
                values["override"] = [
                    "what": parts.joined(separator: ", "), "reason": override.reason, "author": override.author,
                    "until": language.day(override.expiresOn), "status": decision.effective.overrideStatus.rawValue,
                ]
            }
        }
        values["openItems"] = detail.openItems.map { item -> [String: Any] in
            [
                "invoice": item.invoiceId, "issued": language.day(item.issueDate), "due": language.day(item.dueDate),
                "amount": language.money(item.amount), "open": language.money(item.openAmount), "late": item.daysPastDue > 0,
                "daysPastDue": item.daysPastDue > 0 ? String(item.daysPastDue) : "", "disputed": item.disputed,
                "credit": item.openAmount < .zero,
            ]
        }
        // The latest assessment stands through the last day a run confirmed it: the charts run to that day.
        var assessed = Array(history.assessments.suffix(24))
        let confirmed = history.confirmedOn.flatMap { day in assessed.last.map { ($0, day) } }
        if let (latest, day) = confirmed {
            var through = latest
            through.asOf = day
            assessed.append(through)
        }
        if assessed.count >= 2 {
            values["historyChart"] = WebCharts.lines(
                labels: assessed.map { language.day($0.asOf) },
                series: [.init(name: page.texts["score"] ?? "score", values: assessed.map { Double($0.score) })],
                title: page.texts["chart_score"] ?? "Score", format: { language.number($0, places: 0) })
            values["limitChart"] = WebCharts.lines(
                labels: assessed.map { language.day($0.asOf) },
                series: [
                    .init(name: page.texts["suggested_limit"] ?? "suggested limit", values: assessed.map { Double($0.suggestedLimit.cents) / 100 }),
                    .init(name: page.texts["exposure"] ?? "exposure", values: assessed.map { Double($0.exposure.cents) / 100 }),
                ],
                title: page.texts["chart_limit"] ?? "Limit and exposure", format: { language.money(Money(clampingCents: $0 * 100)) })
            values["history"] = history.assessments.suffix(24).reversed().enumerated().map { index, stored -> [String: Any] in
                [
                    "day": language.day(stored.asOf), "grade": stored.grade, "score": stored.score,
                    "pd": language.percent(stored.pd, places: 2), "limit": language.money(stored.suggestedLimit),
                    "exposure": language.money(stored.exposure),
                    "confirmedThrough": index == 0 ? confirmed.map { language.day($0.1) } ?? false : false,
                ]
            }
        }
        if page.may(.workCollections) {
            let timeline = try await service.activities.timeline(customerId: id, today: today, limit: 30, cursor: nil)
            values["hasTimeline"] = !timeline.events.isEmpty
            values["timeline"] = timeline.events.map { event -> [String: Any] in
                var line: [String: Any] = ["day": language.day(event.on), "summary": event.summary]
                if let author = event.author { line["author"] = author }
                if let note = event.note { line["note"] = note }
                return line
            }
        }
        values["mayOverride"] = page.may(.overrideDecisions)
        values["mayRequest"] = page.may(.requestLimits)
        values["mayCheck"] = page.may(.checkOrders)
        values["defaultExpiry"] = (today + 180).iso
        values["grades"] = service.model.grades.map(\.code)
        if let orderCheck { values["orderCheck"] = orderCheck }
        return app.render("customer", page, title: detail.customer.name, status: status, notice: notice, error: error, values)
    }

    func orderCheckView(_ result: OrderCheckResult, _ page: WebPage) -> [String: Any] {
        let decision = result.decision
        let language = page.language
        var view: [String: Any] = [
            "orderId": result.orderId, "verdict": page.label("verdict_", decision.verdict.rawValue),
            "approved": decision.verdict == .approve, "amount": language.money(decision.orderAmount),
            "headroomAfter": language.money(decision.headroomAfter), "reasons": decision.reasons, "guidance": decision.guidance,
            "largestApprovable": language.money(decision.largestApprovable), "reserved": result.reserved, "held": result.held,
        ]
        // Always set: a missing key would be looked up in the page around it (the customer's overdue).
        view["overdue"] = decision.overdue > .zero ? language.money(decision.overdue) : false
        return view
    }

    /// Runs an action of a form and comes back to the customer's page: with a notice when done,
    /// with the refusal's message beside the forms when the use case refused it.
    func acting(_ page: WebPage, id: String, done: String, _ action: () async throws -> Void) async throws -> Response {
        try await app.acting(back: "/customers/\(WebApp.encode(id))", done: done, action) { message, status in
            guard status != .notFound else { throw Refusal(.notFound, message) }
            return try await customerPage(page, id: id, error: message, status: status)
        }
    }

}

extension APIKeys.Key {
    /// The sales rep whose accounts alone this key lists: a sales key tied to a rep.
    var ownAccountsRep: String? { role == .sales ? salesRep : nil }
}
