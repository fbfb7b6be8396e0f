import CreditApp
import CreditCore
import Hummingbird

/// The collections engine's lists.
struct CollectionsController {
    let dependencies: ServiceDependencies

    struct OutboxResponse: ResponseEncodable {
        var documents: [OutboxEntry]
        var nextCursor: String?
    }

    struct DisputesResponse: ResponseEncodable {
        var asOf: Day
        var disputes: [DisputeEntry]
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        let index = dependencies.service.collectionsIndex
        let working = group.requiring(.workCollections)
        working.get("collections/worklist") { request, _ -> UseCaseAnswer<CollectionsLists.Worklist> in
            let query = request.uri.queryParameters
            let parameters = QueryParameters(request: request)
            let limit = try parameters.integer("limit", in: 1...10_000) ?? 100
            let step = try query["step"].map { text -> ReminderStep in
                guard let step = ReminderStep(parsing: String(text)) else {
                    throw Problem.malformed("step must be one of \(ReminderStep.listed)")
                }
                return step
            }
            let view = try query["view"].map { text -> WorklistView in
                guard let view = WorklistView(rawValue: String(text)) else { throw Problem.malformed("view must be customers or invoices") }
                return view
            }
            let dueOnly = try query["status"].map { text -> Bool in
                switch text {
                case "due": return true
                case "all": return false
                default: throw Problem.malformed("status must be due (a step due today) or all (everything still claimed)")
                }
            }
            return UseCaseAnswer(
                try await index.worklist(
                    asOf: dependencies.today(), limit: limit, view: view ?? .customers,
                    filter: WorklistFilter(step: step, group: try parameters.text("group"), dueOnly: dueOnly ?? true)))
        }
        working.post("collections/reminder-runs") { request, context -> EditedResponse<UseCaseAnswer<ReminderRunReport>> in
            let parameters = QueryParameters(request: request)
            let today = dependencies.today()
            let report = try await dependencies.service.reminders.run(
                asOf: try parameters.day("asOf") ?? today, today: today, author: context.author())
            return .created(report)
        }
        working.get("collections/outbox") { request, _ -> OutboxResponse in
            let parameters = QueryParameters(request: request)
            let limit = try parameters.integer("limit", in: 1...1_000) ?? 100
            let cursor = try parameters.integer("cursor", in: 1...Int.max)
            let documents = try await dependencies.service.reminders.outbox(
                day: try parameters.day("day"), customerId: try parameters.text("customerId"), limit: limit, afterId: cursor.map(Int64.init))
            return OutboxResponse(
                documents: documents, nextCursor: documents.count == limit ? documents.last.map { String($0.id) } : nil)
        }
        working.get("collections/outbox/:id") { _, context -> Response in
            let (entry, content) = try await dependencies.service.reminders.document(id: try context.recordNumber(of: "document"))
            return Response(
                status: .ok,
                headers: [
                    .contentType: entry.contentType,
                    .contentDisposition: "inline; filename=\"\(entry.fileName.filter { $0.isASCII && $0 != "\"" && $0 != "\\" })\"",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(string: content)))
        }
        working.get("customers/:id/timeline") { request, context -> UseCaseAnswer<TimelinePage> in
            let parameters = QueryParameters(request: request)
            return UseCaseAnswer(
                try await dependencies.service.activities.timeline(
                    customerId: try context.parameters.require("id"), today: dependencies.today(),
                    limit: try parameters.integer("limit", in: 1...1_000) ?? 50, cursor: try parameters.text("cursor")))
        }
        working.get("collections/disputes") { request, _ -> DisputesResponse in
            let day = dependencies.today()
            let parameters = QueryParameters(request: request)
            let owner = try parameters.text("owner")
            let overdue = try parameters.flag("overdue") ?? false
            return DisputesResponse(
                asOf: day, disputes: try await dependencies.service.disputes.list(asOf: day, owner: owner, overdueOnly: overdue))
        }
    }
}
