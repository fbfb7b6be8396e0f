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

@Suite("Imports over HTTP")
struct ImportAPITests {
    static let admin: HTTPFields = .apiKey("demo-admin-key-0001")
    static let zipAdmin: HTTPFields = .apiKey("demo-admin-key-0001", contentType: "application/zip")

    func zip(_ folder: URL) throws -> ByteBuffer {
        let archive = try Archive(accessMode: .create)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".csv") {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return ByteBuffer(bytes: archive.data ?? Data())
    }

    func app(maximumBodyBytes: Int = 1 << 20) throws -> (some ApplicationProtocol, ServiceDependencies) {
        var dependencies = try APITests.dependencies()
        dependencies.maximumBodyBytes = maximumBodyBytes
        return (Application(router: buildRouter(dependencies)), dependencies)
    }

    @Test("a zipped ledger export imports; importing it again changes nothing")
    func ledgerZip() async throws {
        let (app, _) = try app()
        let body = try zip(APITests.repository.appendingPathComponent("Fixtures/ledger/french"))
        let headers = Self.zipAdmin
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/imports/ledger", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                let files = try #require(json["files"] as? [[String: Any]])
                #expect(files.first { $0["fileName"] as? String == "invoices.csv" }?["inserted"] as? Int == 5)
            }
        }
    }

    @Test("an import re-scores the portfolio before it answers, so the imported customers have assessments at once")
    func importRescores() async throws {
        let (app, dependencies) = try app()
        _ = try await ScoringService(database: dependencies.database, model: dependencies.model).scoreAndStore(asOf: APITests.today)
        let body = try zip(APITests.repository.appendingPathComponent("Fixtures/ledger/french"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/imports/ledger", method: .post, headers: Self.zipAdmin, body: body) { response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                let scoring = try #require(json["scoring"] as? [String: Any])
                // The demo's 200 customers plus the 3 of the French fixture, scored as of today.
                #expect(scoring["customers"] as? Int == 203)
                #expect(scoring["asOf"] as? String == APITests.today.iso)
            }
        }
        let scored = try await dependencies.database.read {
            try Int.fetchOne($0, sql: "SELECT COUNT(DISTINCT customer_id) FROM assessment")
        }
        #expect(scored == 203, "the imported customers have assessments, so order checks and the worklist see them")
    }

    @Test("a zip that expands far beyond the body limit is refused before it fills the disk")
    func zipBomb() async throws {
        let (app, dependencies) = try app(maximumBodyBytes: 64 << 10)
        let archive = try Archive(accessMode: .create)
        let zeros = Data(count: 4 << 20)  // 4 MB of zeros compress to a few kB; the budget is 20 × 64 kB
        try archive.addEntry(with: "invoices.csv", type: .file, uncompressedSize: Int64(zeros.count), compressionMethod: .deflate) {
            position, size in zeros.subdata(in: Int(position)..<Int(position) + size)
        }
        let body = ByteBuffer(bytes: try #require(archive.data))
        #expect(body.readableBytes < 64 << 10)
        let before = try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM invoice") }
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/imports/ledger", method: .post, headers: Self.zipAdmin, body: body) { response in
                #expect(response.status == .contentTooLarge)
                #expect(String(buffer: response.body).contains("unpacked"))
            }
        }
        #expect(try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM invoice") } == before)
    }

    @Test("a zip entry damaged in transit (its checksum no longer matches, or it does not inflate) is a 400 naming it; nothing is stored")
    func damagedZipEntry() async throws {
        let (app, dependencies) = try app()
        for deflated in [false, true] {
            let compression: CompressionMethod = deflated ? .deflate : .none
            let archive = try Archive(accessMode: .create)
            let rows = Data(String(repeating: "C9;Name;;10.71C;FR;30;;false\n", count: 200).utf8)
            try archive.addEntry(with: "customers.csv", type: .file, uncompressedSize: Int64(rows.count), compressionMethod: compression) {
                position, size in rows.subdata(in: Int(position)..<Int(position) + size)
            }
            var damaged = try #require(archive.data)
            // Bytes of the entry's data (its local header is 30 bytes and its name 13), changed.
            for index in 50..<56 { damaged[index] ^= 0x5A }
            let body = ByteBuffer(bytes: damaged)
            let before = try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer") }
            try await app.test(.router) { client in
                try await client.execute(uri: "/v1/imports/ledger", method: .post, headers: Self.zipAdmin, body: body) { response in
                    #expect(response.status == .badRequest, "deflated: \(deflated)")
                    #expect(String(buffer: response.body).contains("customers.csv is damaged in the archive"), "\(String(buffer: response.body))")
                }
            }
            #expect(try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer") } == before)
        }
    }

    @Test("two files of one name in different folders of a zip (two subsidiaries' exports) are refused, naming both; nothing is stored")
    func sameNameTwice() async throws {
        let (app, dependencies) = try app()
        let archive = try Archive(accessMode: .create)
        let header = "customer_id;name;registration_id;sector_code;country;terms_days;group;strategic\n"
        for (folder, id) in [("subsidiary-a", "A001"), ("subsidiary-b", "B001")] {
            let rows = Data((header + "\(id);Name \(id);;4711;FR;30;;false\n").utf8)
            try archive.addEntry(with: "\(folder)/customers.csv", type: .file, uncompressedSize: Int64(rows.count)) { position, size in
                rows.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let body = ByteBuffer(bytes: try #require(archive.data))
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/imports/ledger", method: .post, headers: Self.zipAdmin, body: body) { response in
                #expect(response.status == .unprocessableContent)
                let text = String(buffer: response.body)
                #expect(text.contains("subsidiary-a/customers.csv") && text.contains("subsidiary-b/customers.csv"), "\(text)")
            }
        }
        let stored = try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM customer WHERE id IN ('A001', 'B001')") }
        #expect(stored == 0)
    }

    @Test(
        "a zip whose directory or an entry's data point past its end is a 400 naming the damage, on every import; the server lives on",
        arguments: ["ledger", "sectors", "statements"])
    func zipPointingPastItsEnd(endpoint: String) async throws {
        var dependencies = try APITests.dependencies()
        dependencies.maximumBodyBytes = 1 << 20
        dependencies.statementDecoder = try StatementReading.decoder(
            mappingsPath: APITests.repository.appendingPathComponent("Models/statement-mappings").path)
        let app = Application(router: buildRouter(dependencies))
        let archive = try Archive(accessMode: .create)
        let rows = Data("customer_id;name\n".utf8)
        try archive.addEntry(with: "customers.csv", type: .file, uncompressedSize: Int64(rows.count)) { position, size in
            rows.subdata(in: Int(position)..<Int(position) + size)
        }
        let good = try #require(archive.data)
        let end = try #require(good.lastRange(of: Data([0x50, 0x4B, 0x05, 0x06]))).lowerBound
        var directoryPastEnd = good  // the end record's directory offset moved 1 000 bytes on
        let offset = Int(good[end + 16]) | Int(good[end + 17]) << 8
        directoryPastEnd[end + 16] = UInt8((offset + 1_000) & 0xFF)
        directoryPastEnd[end + 17] = UInt8((offset + 1_000) >> 8)
        var headerPastEnd = good  // the entry's local header offset (central directory + 42) moved on
        let directory = offset
        headerPastEnd[directory + 42] = 0xE8
        headerPastEnd[directory + 43] = 0x03
        let damaged = [(directoryPastEnd, "central directory"), (headerPastEnd, "customers.csv should start at offset 1000")]
        try await app.test(.router) { client in
            for (body, expected) in damaged {
                try await client.execute(
                    uri: "/v1/imports/\(endpoint)", method: .post, headers: Self.zipAdmin, body: ByteBuffer(bytes: body)
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains(expected), "\(String(buffer: response.body))")
                }
            }
            try await client.expectStatus(.ok, uri: "/health", method: .get)
        }
    }

    @Test("a bad ledger file is a 422 problem listing file, line and column, and nothing is stored")
    func refusedImport() async throws {
        let (app, dependencies) = try app()
        let before = try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM invoice") }
        let body = try zip(APITests.repository.appendingPathComponent("Fixtures/ledger/broken/bad-date"))
        let headers = Self.zipAdmin
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/imports/ledger", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unprocessableContent)
                let json = try jsonObject(response)
                #expect(json["type"] as? String == "/problems/import-refused")
                let errors = try #require(json["errors"] as? [[String: Any]])
                #expect(
                    errors.contains { $0["file"] as? String == "invoices.csv" && $0["line"] as? Int == 3 && $0["column"] as? String == "issue_date" })
            }
        }
        #expect(try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM invoice") } == before)
    }

    /// A zip of the named files.
    func zip(files: [URL]) throws -> ByteBuffer {
        let archive = try Archive(accessMode: .create)
        for file in files {
            let data = try Data(contentsOf: file)
            try archive.addEntry(with: file.lastPathComponent, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return ByteBuffer(bytes: archive.data ?? Data())
    }

    @Test("statements with skipInvalid=true: the valid ones are stored, each invalid one listed with file, line and element")
    func statementsSkippingInvalid() async throws {
        var dependencies = try APITests.dependencies()
        dependencies.statementDecoder = try StatementReading.decoder(
            mappingsPath: APITests.repository.appendingPathComponent("Models/statement-mappings").path)
        dependencies.maximumBodyBytes = 1 << 20
        let app = Application(router: buildRouter(dependencies))
        let inconsistent = "PUB_CA_802020909_7501_2014B10447_2016_7330.donnees.xml"  // total assets 100 times the liabilities side
        let body = try zip(files: [
            APITests.repository.appendingPathComponent("Fixtures/statements/inpi/complet-2023.xml"),
            APITests.repository.appendingPathComponent("Fixtures/real-filings/inpi/\(inconsistent)"),
        ])
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/imports/statements", method: .post, headers: Self.zipAdmin, body: body) { response in
                #expect(response.status == .unprocessableContent, "all or nothing by default")
            }
            try await client.execute(uri: "/v1/imports/statements?skipInvalid=yes", method: .post, headers: Self.zipAdmin, body: body) {
                response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("skipInvalid must be true or false"))
            }
            try await client.execute(uri: "/v1/imports/statements?skipInvalid=true", method: .post, headers: Self.zipAdmin, body: body) {
                response in
                #expect(response.status == .ok)
                let json = try jsonObject(response)
                #expect(json["imported"] as? Int == 1)
                let entries = try #require(json["entries"] as? [[String: Any]])
                #expect(entries.map { $0["document"] as? String } == ["complet-2023.xml"])
                let refused = try #require(json["refused"] as? [[String: Any]])
                #expect(refused.count == 1)
                #expect(refused.first?["file"] as? String == inconsistent)
                #expect(refused.first?["line"] as? Int == 28)
                #expect((refused.first?["message"] as? String)?.contains("the totals disagree") == true)
            }
        }
        let stored = try await dependencies.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM statement") }
        #expect(stored == 1)
    }

    @Test("imports are for admins, need a supported media type, and respect the body limit")
    func refusals() async throws {
        let (app, _) = try app(maximumBodyBytes: 64)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/imports/ledger", method: .post, headers: OrderCheckAPITests.sales, body: ByteBuffer(string: "x")) {
                response in
                #expect(response.status == .forbidden)
            }
            let json: HTTPFields = .apiKey("demo-admin-key-0001", contentType: "application/json")
            try await client.execute(uri: "/v1/imports/sectors", method: .post, headers: json, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            let csv: HTTPFields = .apiKey("demo-admin-key-0001", contentType: "text/csv")
            try await client.expectStatus(
                .contentTooLarge, uri: "/v1/imports/sectors", method: .post, headers: csv,
                body: ByteBuffer(string: String(repeating: "a", count: 100)))
        }
    }
}
