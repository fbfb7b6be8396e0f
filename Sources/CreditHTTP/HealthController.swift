import Foundation
import GRDB
import Hummingbird

/// Liveness and metrics: open to monitoring without a key.
struct HealthController {
    let dependencies: ServiceDependencies

    struct Health: ResponseEncodable {
        var status: String
        var modelVersion: String
        var database: String
    }

    func add(to router: Router<CreditRequestContext>) {
        // Cheap on purpose (monitors call it often): the database answers, the model is loaded.
        router.get("health") { _, _ -> Health in
            _ = try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT 1") }
            return Health(status: "ok", modelVersion: dependencies.model.version, database: "ok")
        }
        router.get("openapi.yaml") { _, _ -> Response in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
                let data = FileManager.default.contents(atPath: url.path)
            else { throw Problem.notFound("the OpenAPI document is not bundled with this build") }
            return Response(
                status: .ok, headers: [.contentType: "application/yaml"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: dependencies.metrics.text)))
        }
    }
}
