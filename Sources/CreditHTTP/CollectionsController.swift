import CreditApp
import CreditCore
import Hummingbird

/// The collections engine's lists.
struct CollectionsController {
    let dependencies: ServiceDependencies

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
                guard let step = ReminderStep(rawValue: String(text)) else {
                    throw Problem.malformed("step must be one of " + ReminderStep.allCases.map(\.rawValue).joined(separator: ", "))
                }
                return step
            }
            return UseCaseAnswer(
                try await index.worklist(asOf: dependencies.today(), limit: limit, step: step, group: try parameters.text("group")))
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
