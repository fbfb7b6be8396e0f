import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// The day's work lists: the collections worklist (a call, a note, a promise or a dispute
/// recorded in place), the disputes (overdue first), the held orders (released or rejected with
/// a reason) and the reviews due (recorded in place). Each action goes through the same use case
/// as the API and comes back to its list with a notice, or with the refusal's message.
struct WebWorkPages {
    let app: WebApp

    var service: CreditService { app.service }

    func add(to pages: RouterGroup<CreditRequestContext>) {
        pages.requiring(.workCollections).get("worklist", page: app) { request, _, page in try await worklist(request, page) }
        pages.requiring(.reportEvents).post("worklist/activity", form: app) { request, _, page, form in
            try await acting(request, page, back: "/worklist", done: "activity") {
                guard let kind = form.text("kind").flatMap(ActivityKind.init(parsing:)) else {
                    throw Refusal.invalid(field: "kind", "use one of \(ActivityKind.listed)")
                }
                _ = try await service.activities.record(
                    ActivityReport(
                        customerId: form.text("customerId") ?? "", kind: kind, invoiceIds: nil, channel: nil,
                        outcome: form.text("outcome").flatMap(ActivityOutcome.init(parsing:)), note: form.text("note"),
                        author: page.author, on: nil, step: nil),
                    today: app.dependencies.today())
            }
        }
        pages.requiring(.reportEvents).post("worklist/promise", form: app) { request, _, page, form in
            try await acting(request, page, back: "/worklist", done: "promise") {
                _ = try await service.events.promise(
                    invoiceId: form.text("invoiceId") ?? "", payBy: try form.day("payBy", page),
                    amount: try form.money("amount", page, required: false), author: page.author, note: form.text("note"),
                    today: app.dependencies.today())
            }
        }
        pages.requiring(.reportEvents).post("worklist/dispute", form: app) { request, _, page, form in
            try await acting(request, page, back: "/worklist", done: "dispute") {
                let today = app.dependencies.today()
                _ = try await service.disputes.open(
                    invoiceId: form.text("invoiceId") ?? "", kind: form.text("kind") ?? "",
                    amount: try form.money("amount", page, required: false), owner: form.text("owner"), note: form.text("note"),
                    author: page.author, on: today, today: today)
            }
        }
        pages.requiring(.workCollections).get("disputes", page: app) { request, _, page in try await disputes(request, page) }
        pages.requiring(.decideHeldOrders).get("orders/held", page: app) { request, _, page in try await heldOrders(request, page) }
        for (action, release) in [("release", true), ("reject", false)] {
            pages.requiring(.decideHeldOrders).post("orders/:id/\(action)", form: app) { request, context, page, form in
                let id = try context.pathParameter("id")
                return try await acting(request, page, back: "/orders/held", done: release ? "released" : "rejected") {
                    let reason = form.text("reason") ?? ""
                    let today = app.dependencies.today()
                    _ =
                        release
                        ? try await service.orders.release(orderId: id, reason: reason, author: page.author, on: today)
                        : try await service.orders.reject(orderId: id, reason: reason, author: page.author, on: today)
                }
            }
        }
        pages.requiring(.reviewLimits).get("reviews", page: app) { request, _, page in try await reviews(request, page) }
        pages.requiring(.reviewLimits).post("customers/:id/review", form: app) { request, context, page, form in
            let id = try context.pathParameter("id")
            return try await acting(request, page, back: "/reviews", done: "review") {
                _ = try await service.reviews.record(
                    customerId: id, decision: form.text("decision") ?? "", note: form.text("note"),
                    limit: try form.money("limit", page, required: false), author: page.author, role: page.roleName,
                    today: app.dependencies.today())
            }
        }
    }

    // MARK: Lists

    func worklist(_ request: Request, _ page: WebPage, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let query = request.uri.queryParameters
        let step = query["step"].flatMap { ReminderStep(parsing: String($0)) }
        let group = query["group"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let list = try await service.collectionsIndex.worklist(
            asOf: app.dependencies.today(), limit: 100, view: .customers, filter: WorklistFilter(step: step, group: group, dueOnly: true))
        let language = page.language
        let entries: [[String: Any]] = (list.customers ?? []).map { entry in
            var row: [String: Any] = [
                "id": entry.customerId, "name": entry.customerName, "grade": entry.grade, "risky": app.risky(entry.grade),
                "overdue": language.money(entry.overdueAmount), "net": language.money(entry.netAmount),
                "oldest": entry.oldestDaysPastDue, "group": false, "disputed": false, "promised": false, "last": false, "step": "",
                "invoices": entry.invoices.map { line -> [String: Any] in
                    ["invoice": line.invoiceId, "open": language.money(line.openAmount), "days": line.daysPastDue]
                },
            ]
            if let step = entry.step { row["step"] = page.label("step_", step.rawValue) }
            if let group = entry.group { row["group"] = group }
            if entry.disputedAmount > .zero { row["disputed"] = language.money(entry.disputedAmount) }
            if entry.promisedAmount > .zero { row["promised"] = language.money(entry.promisedAmount) }
            if let last = entry.lastAction { row["last"] = "\(language.day(last.on)) \(last.kind.rawValue)" }
            return row
        }
        let values: [String: Any] = [
            "entries": entries, "listed": list.listed, "filterGroup": group ?? "",
            "steps": ([nil] + ReminderStep.allCases).map { option -> [String: Any] in
                [
                    "value": option?.rawValue ?? "", "label": option.map { page.label("step_", $0.rawValue) } ?? (page.texts["all"] ?? "all"),
                    "selected": option == step,
                ]
            },
            "activityKinds": page.options([ActivityKind.call, .email, .letter, .note, .visit], labels: "activity_"),
            "outcomes": page.options(ActivityOutcome.allCases, labels: "outcome_"),
            "disputeKinds": page.options(DisputeKind.allCases, labels: "dispute_"),
            "today": app.dependencies.today().iso,
        ]
        return app.render(
            "worklist", page, title: page.texts["worklist_title"] ?? "Worklist", status: status, notice: page.notice(request),
            error: error, values)
    }

    func disputes(_ request: Request, _ page: WebPage, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let today = app.dependencies.today()
        let overdueOnly = request.uri.queryParameters["overdue"] == "1"
        let list = try await service.disputes.list(asOf: today, owner: nil, overdueOnly: overdueOnly)
        let language = page.language
        let rows: [[String: Any]] = list.map { dispute in
            var row: [String: Any] = [
                "invoice": dispute.invoiceId, "customer": dispute.customerId, "kind": page.label("dispute_", dispute.kind),
                "opened": language.day(dispute.openedOn), "deadline": language.day(dispute.deadline), "late": dispute.daysOverdue > 0,
                "daysOverdue": dispute.daysOverdue, "amount": language.money(dispute.disputedAmount), "owner": dispute.owner ?? "–",
                "comment": false, "path": WebApp.encode(dispute.invoiceId),
            ]
            if let comment = dispute.lastComment { row["comment"] = "\(comment.author): \(comment.note)" }
            return row
        }
        let values: [String: Any] = [
            "rows": rows, "overdueOnly": overdueOnly, "mayAct": page.may(.reportEvents),
            "outcomes": page.options(DisputeOutcome.allCases, labels: "outcome_"),
        ]
        return app.render(
            "disputes", page, title: page.texts["disputes_title"] ?? "Disputes", status: status, notice: page.notice(request),
            error: error, values)
    }

    func heldOrders(_ request: Request, _ page: WebPage, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let orders = try await service.orders.held()
        let language = page.language
        let rows: [[String: Any]] = orders.map { order in
            var row: [String: Any] = [
                "id": order.orderId, "customerId": order.customerId, "customer": order.customerName, "amount": language.money(order.amount),
                "requested": language.day(order.requestedOn), "by": order.requestedBy,
            ]
            if let decision = order.decision {
                row["reasons"] = decision.reasons
                row["largest"] = language.money(decision.largestApprovable)
                row["headroomAfter"] = language.money(decision.headroomAfter)
            }
            return row
        }
        let values: [String: Any] = ["rows": rows]
        return app.render(
            "held-orders", page, title: page.texts["held_title"] ?? "Held orders", status: status, notice: page.notice(request),
            error: error, values)
    }

    func reviews(_ request: Request, _ page: WebPage, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let today = app.dependencies.today()
        let due = try await service.reviews.due(before: today, today: today, limit: 100)
        let language = page.language
        let rows: [[String: Any]] = due.reviews.map { review in
            [
                "id": review.customerId, "name": review.name, "grade": review.grade, "risky": app.risky(review.grade),
                "class": review.riskClass, "limit": language.money(review.limit), "suggested": language.money(review.suggestedLimit),
                "exposure": language.money(review.exposure), "due": language.day(review.dueOn),
                "reason": page.label("review_reason_", review.dueReason.rawValue),
            ]
        }
        let values: [String: Any] = [
            "rows": rows, "total": due.total,
            "decisions": page.options(ReviewDecision.allCases, labels: "review_"),
        ]
        return app.render(
            "reviews", page, title: page.texts["reviews_title"] ?? "Reviews due", status: status, notice: page.notice(request),
            error: error, values)
    }

    /// Runs a list's action and comes back to the list with a notice, or shows the list again
    /// with the refusal's message when the use case refused it.
    func acting(_ request: Request, _ page: WebPage, back: String, done: String, _ action: () async throws -> Void) async throws -> Response {
        try await app.acting(back: back, done: done, action) { message, status in
            switch back {
            case "/orders/held": return try await heldOrders(request, page, error: message, status: status)
            case "/reviews": return try await reviews(request, page, error: message, status: status)
            default: return try await worklist(request, page, error: message, status: status)
            }
        }
    }
}
