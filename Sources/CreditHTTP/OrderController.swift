import CreditApp
import CreditCore
import Foundation
import Hummingbird

/// Sales' order checks and reservations.
struct OrderController {
    let dependencies: ServiceDependencies

    var orders: OrderChecks { dependencies.service.orders }

    struct OrderCheckRequest: Decodable {
        var orderId: String
        var amount: Money
        var reserve: Bool?
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        let checking = group.requiring(.checkOrders)
        checking.post("customers/:id/order-checks") { request, context -> UseCaseAnswer<OrderCheckResult> in
            let id = try context.pathParameter("id")
            let body = try await request.decode(as: OrderCheckRequest.self, context: context)
            return UseCaseAnswer(
                try await orders.check(
                    customerId: id, orderId: body.orderId, amount: body.amount, reserve: body.reserve ?? false,
                    on: dependencies.today()))
        }
        checking.post("orders/:id/cancel") { _, context -> HTTPResponse.Status in
            let id = try context.pathParameter("id")
            guard try await orders.cancel(orderId: id) else { throw Problem.notFound("no open reservation for order \(id)") }
            return .noContent
        }
    }
}
