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
    static let zipAdmin: HTTPFields = .apiKey("demo-admin-key-0001", contentType: "application/zip")

    static func folders(_ url: URL) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    }

    @Test("a garbage zip and a CSV of no ledger file are refused and leave no upload folder")
    func refusedUploadsLeaveNothing() async throws {
        var dependencies = try APITests.dependencies()
        dependencies.uploadsFolder = FileManager.default.temporaryDirectory.appendingPathComponent("uploads-\(UUID().uuidString)")
        let uploads = dependencies.uploadsFolder
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            try await client.expectStatus(
                .badRequest, uri: "/v1/imports/ledger", method: .post, headers: Self.zipAdmin, body: ByteBuffer(string: "PK not a zip"))
            let csv: HTTPFields = .apiKey("demo-admin-key-0001", contentType: "text/csv")
            try await client.expectStatus(
                .unprocessableContent, uri: "/v1/imports/ledger", method: .post, headers: csv, body: ByteBuffer(string: "a,b\n1,2\n"))
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

    @Test("a server starting keeps the uploads another running server is importing, and purges those of dead processes")
    func uploadsOfLiveServersKept() throws {
        var dependencies = try APITests.dependencies()
        dependencies.uploadsFolder = FileManager.default.temporaryDirectory.appendingPathComponent("uploads-\(UUID().uuidString)")
        // A process that has ended: its pid names a folder nobody is working in.
        let ended = try Process.run(URL(fileURLWithPath: "/bin/true"), arguments: [])
        ended.waitUntilExit()
        let mine = "upload-\(getpid())-in-progress"
        let dead = "upload-\(ended.processIdentifier)-left-behind"
        for name in [mine, dead] {
            try FileManager.default.createDirectory(
                at: dependencies.uploadsFolder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        #expect(dependencies.purgeUploads() == 1)
        #expect(Self.folders(dependencies.uploadsFolder) == [mine])
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
        #expect(StorageHealth.of(databasePath: path).state == "ok")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        #expect(StorageHealth.of(databasePath: path).state == "ok")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path) }
        // root may write anything: the file's mode stops only an ordinary user.
        if getuid() != 0 {
            #expect(StorageHealth.of(databasePath: path).state == "read-only")
        }
    }

    /// Runs `/bin/mount` (or another tool) with `arguments`; whether it succeeded.
    @discardableResult
    static func mount(_ arguments: [String], tool: String = "/bin/mount") -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Whether this run may mount a small file system of its own (root, as in CI).
    static let canMount: Bool = {
        guard getuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("mount-probe-\(UUID().uuidString)")
        guard (try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)) != nil else { return false }
        defer { try? FileManager.default.removeItem(at: probe) }
        guard mount(["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.path]) else { return false }
        return mount([probe.path], tool: "/bin/umount")
    }()

    @Test(
        "health reports a disk nearly full and a database on a read-only mount, which stops root too",
        .enabled(if: canMount, "needs root and a mountable tmpfs"))
    func healthReadOnlyMount() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ro-mount-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Room for the database but below the 64 MiB that an import needs to be safe.
        #expect(Self.mount(["-t", "tmpfs", "-o", "size=4m", "tmpfs", folder.path]))
        defer {
            Self.mount([folder.path], tool: "/bin/umount")
            try? FileManager.default.removeItem(at: folder)
        }
        let path = folder.appendingPathComponent("credit.sqlite").path
        _ = try CreditDatabase.open(path: path)
        #expect(StorageHealth.of(databasePath: path).state.hasPrefix("disk nearly full ("))
        #expect(Self.mount(["-o", "remount,size=128m", folder.path]))
        #expect(StorageHealth.of(databasePath: path).state == "ok")
        #expect(Self.mount(["-o", "remount,ro", folder.path]))
        #expect(StorageHealth.of(databasePath: path).state == "read-only")
    }

    @Test("writes waiting behind an import answer 503 with Retry-After, store nothing, and go through once it is done")
    func writesBehindImport() async throws {
        var dependencies = try APITests.dependencies()
        dependencies.maximumWriteWait = .milliseconds(200)
        let (customer, _) = try await OrderCheckAPITests().customerWithHeadroom(dependencies)
        let database = dependencies.database
        _ = try await ScoringService(database: database, model: dependencies.model).scoreAndStore(asOf: APITests.today)
        let invoice = try #require(
            try await database.read {
                try String.fetchOne($0, sql: "SELECT id FROM invoice WHERE customer_id = ? AND open_cents > 0 LIMIT 1", arguments: [customer])
            })
        let collections: HTTPFields = .apiKey("demo-collections-key-0001", contentType: "application/json")
        let order = ByteBuffer(string: #"{"orderId": "SO-BUSY", "amount": "10.00", "reserve": true}"#)
        let payment = ByteBuffer(string: #"{"paymentId": "PAY-BUSY", "invoiceId": "\#(invoice)", "paidOn": "2026-10-30", "amount": "1.00"}"#)
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            // An import (or another process) holds the writer until it is released.
            let (held, signal) = AsyncStream<Void>.makeStream()
            let released = DispatchSemaphore(value: 0)
            let importing = Task {
                try await database.write { _ in
                    signal.yield()
                    _ = released.wait(timeout: .now() + 10)
                }
            }
            for await _ in held { break }
            try await client.execute(
                uri: "/v1/customers/\(customer)/order-checks", method: .post, headers: OrderCheckAPITests.sales, body: order
            ) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "5")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(String(buffer: response.body).contains("nothing was stored"))
            }
            try await client.expectStatus(.serviceUnavailable, uri: "/v1/events/payments", method: .post, headers: collections, body: payment)
            released.signal()
            try await importing.value
            try await database.write { _ in }
            #expect(try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM order_check") } == 0)
            #expect(try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM payment WHERE id = 'PAY-BUSY'") } == 0)
            try await client.expectStatus(
                .ok, uri: "/v1/customers/\(customer)/order-checks", method: .post, headers: OrderCheckAPITests.sales, body: order)
            try await client.execute(uri: "/v1/events/payments", method: .post, headers: collections, body: payment) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
        }
    }
}
