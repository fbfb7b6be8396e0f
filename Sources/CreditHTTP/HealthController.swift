import CreditApp
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
        // Whether the database can be written is read off its files, not by a write: a probe
        // write would queue behind an import and make monitoring wait for it.
        router.get("health") { _, context -> Response in
            _ = try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT 1") }
            let storage = StorageCheck.state(ofDatabaseAt: dependencies.database.path)
            let health = Health(
                status: storage == "ok" ? "ok" : "degraded", modelVersion: dependencies.model.version, database: storage)
            return Response(
                status: storage == "ok" ? .ok : .serviceUnavailable, headers: [.contentType: "application/json; charset=utf-8"],
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

/// What stops the database from being written, as its files and their disk tell.
enum StorageCheck {
    static func state(ofDatabaseAt path: String) -> String {
        guard path != ":memory:", !path.isEmpty, FileManager.default.fileExists(atPath: path) else { return "ok" }
        let folder = (path as NSString).deletingLastPathComponent
        // A read-only mount stops root too, whose file permissions are never in the way.
        var volume = statvfs()
        if statvfs(folder.isEmpty ? "." : folder, &volume) == 0, volume.f_flag & UInt(ST_RDONLY) != 0 { return "read-only" }
        guard FileManager.default.isWritableFile(atPath: path),
            FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder)
        else { return "read-only" }
        if let free = StorageGuard(databasePath: path).freeBytes(), free < StorageGuard.minimumFreeBytes {
            return "disk nearly full (\(free >> 20) MiB free)"
        }
        return "ok"
    }
}
