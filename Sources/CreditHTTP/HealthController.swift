import Foundation
import GRDB
import Hummingbird

/// Liveness and metrics: open to monitoring without a key.
struct HealthController {
    let dependencies: ServiceDependencies

    struct Health: ResponseEncodable {
        var status: String
        var modelVersion: String
        var customers: Int
    }

    func add(to router: Router<CreditRequestContext>) {
        router.get("health") { _, _ -> Health in
            let customers = try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer") ?? 0 }
            return Health(status: "ok", modelVersion: dependencies.model.version, customers: customers)
        }
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: dependencies.metrics.text)))
        }
    }
}
