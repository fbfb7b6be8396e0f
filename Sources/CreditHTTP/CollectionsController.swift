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
        let lists = dependencies.service.collections
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
        working.get("collections/disputes") { _, _ -> DisputesResponse in
            let day = dependencies.today()
            return DisputesResponse(asOf: day, disputes: try await lists.disputes(asOf: day))
        }
    }
}
