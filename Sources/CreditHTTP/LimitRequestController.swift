import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// Limit requests: sales, collections and the credit team ask; the credit team decides, each
/// within the authority of their role. The requester and the decider are the callers' API keys.
struct LimitRequestController {
    let dependencies: ServiceDependencies

    var requests: LimitRequests { dependencies.service.limitRequests }

    struct LimitRequestBody: Decodable {
        var limit: Money
        var reason: String
        /// The last day the limit would hold once approved.
        var expiresOn: Day
    }

    struct DecisionBody: Decodable {
        var reason: String
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        let asking = group.requiring(.requestLimits)
        let deciding = group.requiring(.decideLimitRequests)
        asking.post("customers/:id/limit-requests") { request, context -> EditedResponse<UseCaseAnswer<LimitRequestView>> in
            let id = try context.pathParameter("id")
            let body = try await request.decode(as: LimitRequestBody.self, context: context)
            let asked = try await requests.request(
                customerId: id, limit: body.limit, reason: body.reason, expiresOn: body.expiresOn, requester: context.author(),
                today: dependencies.today())
            return EditedResponse(status: .created, response: UseCaseAnswer(asked))
        }
        asking.get("limit-requests") { request, _ -> UseCaseAnswer<LimitRequestPage> in
            let query = QueryParameters(request: request)
            return UseCaseAnswer(
                try await requests.list(
                    status: try query.text("status"), customerId: try query.text("customerId"),
                    limit: try query.integer("limit", in: 1...1000) ?? 100))
        }
        asking.get("limit-requests/:id") { _, context -> UseCaseAnswer<LimitRequestView> in
            UseCaseAnswer(try await requests.request(id: try requestId(context)))
        }
        deciding.post("limit-requests/:id/approve") { request, context -> UseCaseAnswer<LimitRequestView> in
            let body = try await request.decode(as: DecisionBody.self, context: context)
            return UseCaseAnswer(
                try await requests.approve(
                    id: try requestId(context), reason: body.reason, approver: context.author(), role: context.roleName,
                    today: dependencies.today()))
        }
        deciding.post("limit-requests/:id/reject") { request, context -> UseCaseAnswer<LimitRequestView> in
            let body = try await request.decode(as: DecisionBody.self, context: context)
            return UseCaseAnswer(
                try await requests.reject(
                    id: try requestId(context), reason: body.reason, decider: context.author(), role: context.roleName,
                    today: dependencies.today()))
        }
    }

    func requestId(_ context: CreditRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")), id > 0 else {
            throw Problem.malformed("the limit request id must be a positive whole number")
        }
        return id
    }
}
