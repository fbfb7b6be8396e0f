import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// The decisions that wait for someone: limit requests (approved or rejected within the
/// decider's authority), alerts (acknowledged with a note), and the steps of a dispute (assigned,
/// commented, resolved) from the disputes list.
struct WebDecisionPages {
    let app: WebApp

    var service: CreditService { app.service }

    func add(to pages: RouterGroup<CreditRequestContext>) {
        pages.requiring(.requestLimits).get("limit-requests", page: app) { request, _, page in try await limitRequests(request, page) }
        for (action, approve) in [("approve", true), ("reject", false)] {
            pages.requiring(.decideLimitRequests).post("limit-requests/:id/\(action)", form: app) { request, context, page, form in
                guard let id = try context.recordNumber("id") else { throw Refusal(.notFound, "no such limit request") }
                return try await acting(request, page, back: "/limit-requests", done: approve ? "request_approved" : "request_rejected") {
                    let reason = form.text("reason") ?? ""
                    let today = app.dependencies.today()
                    _ =
                        approve
                        ? try await service.limitRequests.approve(id: id, reason: reason, approver: page.author, role: page.roleName, today: today)
                        : try await service.limitRequests.reject(id: id, reason: reason, decider: page.author, role: page.roleName, today: today)
                }
            }
        }
        pages.requiring(.readAssessments).get("alerts", page: app) { request, _, page in try await alerts(request, page) }
        pages.requiring(.workCollections).post("alerts/:id/acknowledge", form: app) { request, context, page, form in
            guard let id = try context.recordNumber("id") else { throw Refusal(.notFound, "no such alert") }
            return try await acting(request, page, back: "/alerts", done: "acknowledged") {
                _ = try await service.alerts.acknowledge(id: id, author: page.author, note: form.text("note"))
            }
        }
        pages.requiring(.reportEvents).post("disputes/:invoice/:action", form: app) { request, context, page, form in
            let invoice = try context.pathParameter("invoice")
            let action = try context.pathParameter("action")
            return try await acting(request, page, back: "/disputes", done: "dispute_\(action)") {
                let author = page.author
                let today = app.dependencies.today()
                switch action {
                case "assign":
                    _ = try await service.disputes.assign(
                        invoiceId: invoice, owner: form.text("owner") ?? "", note: form.text("note"), author: author, on: today, today: today)
                case "comment":
                    _ = try await service.disputes.comment(invoiceId: invoice, note: form.text("note") ?? "", author: author, on: today, today: today)
                case "resolve":
                    _ = try await service.disputes.resolve(
                        invoiceId: invoice, outcome: form.text("outcome"), note: form.text("note"), author: author, on: today, today: today)
                default:
                    throw Refusal(.notFound, "no dispute action \(action.truncatedForMessage(20))")
                }
            }
        }
    }

    func limitRequests(_ request: Request, _ page: WebPage, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = page.language
        let pending = try await service.limitRequests.list(status: "pending", customerId: nil, limit: 200)
        let mayDecide = page.may(.decideLimitRequests)
        let rows: [[String: Any]] = pending.requests.map { view in
            let request = view.request
            return [
                "id": request.id, "customerId": request.customerId, "limit": language.money(request.limit),
                "inForce": language.money(request.limitInForce), "suggested": language.money(request.suggestedLimit),
                "until": language.day(request.expiresOn), "by": request.requestedBy, "on": language.day(request.requestedOn),
                "reason": request.reason, "approvableBy": view.approvableBy.map { page.label("role_", $0) }.joined(separator: ", "),
                "mine": request.requestedBy == page.caller?.name,
            ]
        }
        let values: [String: Any] = ["rows": rows, "total": pending.total, "mayDecide": mayDecide]
        return app.render(
            "limit-requests", page, title: page.texts["requests_title"] ?? "Limit requests", status: status, notice: page.notice(request),
            error: error, values)
    }

    func alerts(_ request: Request, _ page: WebPage, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = page.language
        let query = request.uri.queryParameters
        let kind = query["kind"].flatMap { AlertKind(rawValue: String($0)) }
        let statusFilter = query["status"].flatMap { AlertStatus(parsing: String($0)) } ?? .open
        let list = try await service.alerts.list(AlertFilter(kind: kind, status: statusFilter, limit: 200))
        let mayAcknowledge = page.may(.workCollections)
        let rows: [[String: Any]] = list.map { alert in
            [
                "id": alert.id ?? 0, "customerId": alert.customerId ?? false, "kind": page.label("alert_", alert.kind.rawValue),
                "detail": alert.detail, "day": language.day(alert.asOf), "open": alert.status == .open,
                "acknowledgedBy": alert.acknowledgement?.by ?? false, "acknowledgementNote": alert.acknowledgement?.note ?? "",
            ]
        }
        let values: [String: Any] = [
            "rows": rows, "mayAcknowledge": mayAcknowledge,
            "kinds": ([nil] + AlertKind.allCases).map { option -> [String: Any] in
                [
                    "value": option?.rawValue ?? "", "label": option.map { page.label("alert_", $0.rawValue) } ?? (page.texts["all"] ?? "all"),
                    "selected": option == kind,
                ]
            },
            "statuses": page.options(AlertStatus.allCases, labels: "alert_status_", selected: statusFilter),
        ]
        return app.render(
            "alerts", page, title: page.texts["alerts_title"] ?? "Alerts", status: status, notice: page.notice(request),
            error: error, values)
    }

    /// Runs the action and comes back to its list with a notice, or shows the list again with the
    /// refusal's message.
    func acting(_ request: Request, _ page: WebPage, back: String, done: String, _ action: () async throws -> Void) async throws -> Response {
        try await app.acting(back: back, done: done, action) { message, status in
            switch back {
            case "/limit-requests": return try await limitRequests(request, page, error: message, status: status)
            case "/alerts": return try await alerts(request, page, error: message, status: status)
            default: return try await WebWorkPages(app: app).disputes(request, page, error: message, status: status)
            }
        }
    }
}
