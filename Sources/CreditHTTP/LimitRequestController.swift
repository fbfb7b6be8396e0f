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
        asking.post("customers/:id/limit-requests", body: LimitRequestBody.self) { body, context -> EditedResponse<UseCaseAnswer<LimitRequestView>> in
            let asked = try await requests.request(
                customerId: try context.pathParameter("id"), limit: body.limit, reason: body.reason, expiresOn: body.expiresOn,
                requester: context.author(), today: dependencies.today())
            return .created(asked)
        }
        asking.get("limit-requests") { request, _ -> UseCaseAnswer<LimitRequestPage> in
            let query = QueryParameters(request: request)
            return UseCaseAnswer(
                try await requests.list(
                    status: try query.text("status"), customerId: try query.text("customerId"),
                    limit: try query.integer("limit", in: 1...1000) ?? 100))
        }
        asking.get("limit-requests/:id") { _, context -> UseCaseAnswer<LimitRequestView> in
            UseCaseAnswer(try await requests.request(id: try context.recordNumber(of: "limit request")))
        }
        deciding.post("limit-requests/:id/approve", body: DecisionBody.self) { body, context -> UseCaseAnswer<LimitRequestView> in
            UseCaseAnswer(
                try await requests.approve(
                    id: try context.recordNumber(of: "limit request"), reason: body.reason, approver: context.author(), role: context.roleName,
                    today: dependencies.today()))
        }
        deciding.post("limit-requests/:id/reject", body: DecisionBody.self) { body, context -> UseCaseAnswer<LimitRequestView> in
            UseCaseAnswer(
                try await requests.reject(
                    id: try context.recordNumber(of: "limit request"), reason: body.reason, decider: context.author(), role: context.roleName,
                    today: dependencies.today()))
        }
    }
}
