import CreditApp
import Foundation
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
        // Cheap on purpose (monitors call it often): the database answers, the model is loaded,
        // and nothing visible stops the database from being written.
        router.get("health") { _, context -> Response in
            let storage = try await dependencies.service.health()
            let health = Health(
                status: storage.isWritable ? "ok" : "degraded", modelVersion: dependencies.model.version, database: storage.state)
            return Response(
                status: storage.isWritable ? .ok : .serviceUnavailable, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: try context.responseEncoder.encode(health))))
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
