import CreditApp
import CreditCore
import Hummingbird

/// The collections engine's lists.
struct CollectionsController {
    let dependencies: ServiceDependencies

    struct WorklistResponse: ResponseEncodable {
        var worklist: CollectionsLists.Worklist
        func encode(to encoder: any Encoder) throws { try worklist.encode(to: encoder) }
    }

    struct DisputesResponse: ResponseEncodable {
        var asOf: Day
        var disputes: [DisputeEntry]
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        let lists = dependencies.service.collections
        let index = dependencies.service.collectionsIndex
        group.get("collections/worklist") { request, context -> WorklistResponse in
            try context.require(.workCollections)
            let query = request.uri.queryParameters
            let parameters = QueryParameters(request: request)
            let limit = try parameters.integer("limit", in: 1...10_000) ?? 100
            let step = try query["step"].map { text -> ReminderStep in
                guard let step = ReminderStep(rawValue: String(text)) else {
                    throw Problem.malformed("step must be one of " + ReminderStep.allCases.map(\.rawValue).joined(separator: ", "))
                }
                return step
            }
            return WorklistResponse(
                worklist: try await index.worklist(
                    asOf: dependencies.today(), limit: limit, step: step, group: try parameters.text("group")))
        }
        group.get("collections/disputes") { _, context -> DisputesResponse in
            try context.require(.workCollections)
            let day = dependencies.today()
            return DisputesResponse(asOf: day, disputes: try await lists.disputes(asOf: day))
        }
    }
}
