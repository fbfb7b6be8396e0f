import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// Periodic reviews of limits by risk class, and the overrides about to expire (the credit team).
struct ReviewController {
    let dependencies: ServiceDependencies

    var reviews: CreditReviews { dependencies.service.reviews }

    struct ReviewBody: Decodable {
        /// keep, raise, lower or stop.
        var decision: String
        var note: String?
        /// The new limit, for raise or lower.
        var limit: Money?
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        let reviewing = group.requiring(.reviewLimits)
        reviewing.get("reviews/due") { request, _ -> UseCaseAnswer<ReviewDueList> in
            let query = QueryParameters(request: request)
            let today = dependencies.today()
            return UseCaseAnswer(
                try await reviews.due(
                    before: try query.day("before") ?? today, today: today, limit: try query.integer("limit", in: 1...1000) ?? 100))
        }
        reviewing.post("customers/:id/reviews", body: ReviewBody.self) { body, context -> EditedResponse<UseCaseAnswer<CreditReview>> in
            let review = try await reviews.record(
                customerId: try context.pathParameter("id"), decision: body.decision, note: body.note, limit: body.limit, author: context.author(),
                role: context.roleName, today: dependencies.today())
            return .created(review)
        }
        reviewing.get("overrides/expiring") { request, _ -> UseCaseAnswer<ExpiringOverrides> in
            let query = QueryParameters(request: request)
            return UseCaseAnswer(
                try await reviews.expiringOverrides(
                    asOf: try query.day("asOf") ?? dependencies.today(), withinDays: try query.integer("withinDays", in: 0...366)))
        }
    }
}
