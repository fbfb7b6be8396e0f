import CreditApp
import CreditCore
import CreditHTTP
import CreditStore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing
import ZIPFoundation

@testable import CreditHTTP

/// Uploads that leave nothing behind, and storage failures said as such, never a bare 500.
@Suite("Storage and uploads")
struct StorageEdgeTests {
    static let zipAdmin: HTTPFields = [.init("X-API-Key")!: "demo-admin-key-0001", .contentType: "application/zip"]

    static func folders(_ url: URL) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    }

    @Test("a garbage zip and a CSV of no ledger file are refused and leave no upload folder")
    func refusedUploadsLeaveNothing() async throws {
        var dependencies = try APITests.dependencies()
        dependencies.uploadsFolder = FileManager.default.temporaryDirectory.appendingPathComponent("uploads-\(UUID().uuidString)")
        let uploads = dependencies.uploadsFolder
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.execute(
                uri: "/v1/imports/ledger", method: .post, headers: Self.zipAdmin, body: ByteBuffer(string: "PK not a zip")
            ) { response in
                #expect(response.status == .badRequest)
            }
            let csv: HTTPFields = [.init("X-API-Key")!: "demo-admin-key-0001", .contentType: "text/csv"]
            try await client.execute(
                uri: "/v1/imports/ledger", method: .post, headers: csv, body: ByteBuffer(string: "a,b\n1,2\n")
            ) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
        #expect(Self.folders(uploads).isEmpty)
    }

    @Test("a refusal names the upload, never the server's own folders")
    func noServerPaths() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("hello".utf8).write(to: folder.appendingPathComponent("readme.txt"))
        let body = try ImportAPITests().zip(folder)
        try await APITests.app().test(.router) { client in
            try await client.execute(uri: "/v1/imports/ledger", method: .post, headers: Self.zipAdmin, body: body) { response in
                #expect(response.status == .unprocessableContent)
                let text = String(buffer: response.body)
                #expect(text.contains(#""file":"the upload","message":"holds none of the ledger files"#), "\(text)")
                #expect(!text.contains(FileManager.default.temporaryDirectory.path), "\(text)")
            }
        }
    }

    @Test("folders left by a process killed mid-import are purged at the next start")
    func leftoversPurged() async throws {
        var dependencies = try APITests.dependencies()
        dependencies.uploadsFolder = FileManager.default.temporaryDirectory.appendingPathComponent("uploads-\(UUID().uuidString)")
        for index in 0..<3 {
            let folder = dependencies.uploadsFolder.appendingPathComponent("upload-\(index)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data("invoice_id".utf8).write(to: folder.appendingPathComponent("invoices.csv"))
        }
        #expect(dependencies.purgeUploads() == 3)
        #expect(Self.folders(dependencies.uploadsFolder).isEmpty)
    }

    @Test("a database busy with another process's write answers 503 with Retry-After, and a full or read-only one says so")
    func storageProblems() {
        let busy = ProblemMiddleware<CreditRequestContext>.problem(for: DatabaseError(resultCode: .SQLITE_BUSY))
        #expect(busy.status == 503 && busy.detail.contains("nothing was stored"))
        #expect(ProblemMiddleware<CreditRequestContext>.response(busy).headers[.retryAfter] == "2")
        let full = ProblemMiddleware<CreditRequestContext>.problem(for: DatabaseError(resultCode: .SQLITE_FULL))
        #expect(full.status == 503 && full.detail.contains("disk is full"))
        let readOnly = ProblemMiddleware<CreditRequestContext>.problem(for: DatabaseError(resultCode: .SQLITE_READONLY))
        #expect(readOnly.detail.contains("read-only"))
    }

    @Test("health reports a database that cannot be written: 503 and what stops it")
    func healthReadOnly() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("credit.sqlite").path
        #expect(StorageCheck.state(ofDatabaseAt: path) == "ok")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        #expect(StorageCheck.state(ofDatabaseAt: path) == "ok")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path) }
        // root may write anything: the check is meaningful only for an ordinary user.
        if getuid() != 0 {
            #expect(StorageCheck.state(ofDatabaseAt: path) == "read-only")
        }
    }
}
