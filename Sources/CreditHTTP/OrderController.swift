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

    struct OrderCheckResponse: ResponseEncodable {
        var result: OrderCheckResult
        func encode(to encoder: any Encoder) throws { try result.encode(to: encoder) }
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        group.post("customers/:id/order-checks") { request, context -> OrderCheckResponse in
            try context.require(.checkOrders)
            let id = try context.pathParameter("id")
            let body = try await request.decode(as: OrderCheckRequest.self, context: context)
            let result = try await orders.check(
                customerId: id, orderId: body.orderId, amount: body.amount, reserve: body.reserve ?? false,
                on: dependencies.today())
            return OrderCheckResponse(result: result)
        }
        group.post("orders/:id/cancel") { _, context -> HTTPResponse.Status in
            try context.require(.checkOrders)
            let id = try context.pathParameter("id")
            guard try await orders.cancel(orderId: id) else { throw Problem.notFound("no open reservation for order \(id)") }
            return .noContent
        }
    }
}
