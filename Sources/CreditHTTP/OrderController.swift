import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// Sales' order checks and reservations; the credit manager's held orders and group limits.
struct OrderController {
    let dependencies: ServiceDependencies

    var orders: OrderChecks { dependencies.service.orders }

    struct OrderCheckRequest: Decodable {
        var orderId: String
        var amount: Money
        var reserve: Bool?
    }

    /// The credit manager's decision on a held order: why (required), and who when not the caller.
    struct HeldOrderDecision: Decodable {
        var reason: String
        var author: String?
    }

    struct GroupLimitRequest: Decodable {
        var limit: Money
        var reason: String
        var author: String?
    }

    struct HeldOrders: ResponseEncodable {
        var orders: [KeptOrder]
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        let checking = group.requiring(.checkOrders)
        checking.post("customers/:id/order-checks", body: OrderCheckRequest.self) { body, context -> UseCaseAnswer<OrderCheckResult> in
            UseCaseAnswer(
                try await orders.check(
                    customerId: try context.pathParameter("id"), orderId: body.orderId, amount: body.amount, reserve: body.reserve ?? false,
                    author: context.author(), on: dependencies.today()))
        }
        checking.get("orders/:id/history") { _, context -> UseCaseAnswer<KeptOrder> in
            UseCaseAnswer(try await orders.order(orderId: try context.pathParameter("id")))
        }
        checking.post("orders/:id/cancel") { _, context -> HTTPResponse.Status in
            let id = try context.pathParameter("id")
            guard try await orders.cancel(orderId: id, author: context.author(), on: dependencies.today()) else {
                throw Problem.notFound("no reserved or held order \(id)")
            }
            return .noContent
        }
        let deciding = group.requiring(.decideHeldOrders)
        deciding.get("orders/held") { _, _ -> HeldOrders in
            HeldOrders(orders: try await orders.held())
        }
        deciding.post("orders/:id/release", body: HeldOrderDecision.self) { body, context -> UseCaseAnswer<KeptOrder> in
            UseCaseAnswer(
                try await orders.release(
                    orderId: try context.pathParameter("id"), reason: body.reason, author: context.author(stated: body.author),
                    on: dependencies.today()))
        }
        deciding.post("orders/:id/reject", body: HeldOrderDecision.self) { body, context -> UseCaseAnswer<KeptOrder> in
            UseCaseAnswer(
                try await orders.reject(
                    orderId: try context.pathParameter("id"), reason: body.reason, author: context.author(stated: body.author),
                    on: dependencies.today()))
        }
        group.requiring(.readAssessments).get("groups/:group/limit") { _, context -> UseCaseAnswer<GroupStanding> in
            UseCaseAnswer(try await dependencies.service.groups.standing(group: try context.pathParameter("group")))
        }
        let setting = group.requiring(.setGroupLimits)
        setting.on("groups/:group/limit", method: .put, body: GroupLimitRequest.self) { body, context -> UseCaseAnswer<GroupStanding> in
            UseCaseAnswer(
                try await dependencies.service.groups.setLimit(
                    group: try context.pathParameter("group"), limit: body.limit, reason: body.reason,
                    author: context.author(stated: body.author), on: dependencies.today()))
        }
    }
}
