import CreditApp
import CreditCore
import Foundation
import Hummingbird
import LedgerReader
import ZIPFoundation

/// The same all-or-nothing imports as the CLI, for admins: a ledger export as a zip of its CSV
/// files (or one CSV named by `?file=invoices.csv`), a sector table as CSV, statements as one XML
/// document or a zip of them. Errors come back as a problem listing every file, line and field.
struct ImportController {
    let dependencies: ServiceDependencies

    struct LedgerImportResponse: ResponseEncodable {
        var summary: ImportSummary
        func encode(to encoder: any Encoder) throws { try summary.encode(to: encoder) }
    }

    struct StatementImportResponse: ResponseEncodable {
        var summary: StatementImportSummary
        func encode(to encoder: any Encoder) throws { try summary.encode(to: encoder) }
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        group.post("imports/ledger") { request, context -> LedgerImportResponse in
            try context.require(.importData)
            let folder = try await Self.receive(request, context: context, csvName: request.uri.queryParameters["file"].map(String.init))
            defer { try? FileManager.default.removeItem(at: folder) }
            let summary = try LedgerImporter(database: dependencies.database).importLedger(directory: folder)
            dependencies.metrics.count("imports")
            return LedgerImportResponse(summary: summary)
        }
        group.post("imports/sectors") { request, context -> LedgerImportResponse in
            try context.require(.importData)
            let folder = try await Self.receive(request, context: context, csvName: "sectors.csv")
            defer { try? FileManager.default.removeItem(at: folder) }
            let summary = try LedgerImporter(database: dependencies.database)
                .importSectors(file: folder.appendingPathComponent("sectors.csv"))
            dependencies.metrics.count("imports")
            return LedgerImportResponse(summary: summary)
        }
        group.post("imports/statements") { request, context -> StatementImportResponse in
            try context.require(.importData)
            guard let decode = dependencies.statementDecoder else {
                throw Problem(.serviceUnavailable, "statements-unavailable", "Statement import unavailable",
                    detail: "the server runs without statement mappings (Models/statement-mappings)")
            }
            let folder = try await Self.receive(request, context: context, csvName: nil, xmlName: "statement.xml")
            defer { try? FileManager.default.removeItem(at: folder) }
            let summary = try StatementImporter(
                database: dependencies.database, decode: decode, maximumDocumentBytes: dependencies.maximumBodyBytes,
                today: dependencies.today
            ).importStatements(paths: [folder])
            dependencies.metrics.count("imports")
            return StatementImportResponse(summary: summary)
        }
    }

    /// Saves the body into a fresh folder: a zip is unpacked (its files only, flattened, no
    /// paths that climb out), CSV or XML is saved under the given name.
    static func receive(
        _ request: Request, context: CreditRequestContext, csvName: String?, xmlName: String? = nil
    ) async throws -> URL {
        let contentType = request.headers[.contentType]?.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer: body)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("creditrisk-upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        switch contentType {
        case "application/zip":
            let archive: Archive
            do {
                archive = try Archive(data: data, accessMode: .read)
            } catch {
                throw Problem.malformed("the body is not a zip archive")
            }
            for entry in archive where entry.type == .file {
                let name = URL(fileURLWithPath: entry.path).lastPathComponent
                guard !name.isEmpty, !name.hasPrefix(".") else { continue }
                var content = Data()
                _ = try archive.extract(entry) { content.append($0) }
                try content.write(to: folder.appendingPathComponent(name))
            }
        case "text/csv" where csvName != nil:
            guard let csvName, LedgerFileKind.allCases.map(\.fileName).contains(csvName) else {
                throw Problem.invalid("file must name a ledger file: " + LedgerFileKind.allCases.map(\.fileName).joined(separator: ", "))
            }
            try data.write(to: folder.appendingPathComponent(csvName))
        case "application/xml" where xmlName != nil, "text/xml" where xmlName != nil:
            try data.write(to: folder.appendingPathComponent(xmlName ?? "statement.xml"))
        default:
            let accepted = ["application/zip"] + (csvName != nil ? ["text/csv"] : []) + (xmlName != nil ? ["application/xml"] : [])
            throw Problem(
                .unsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                detail: "send \(accepted.joined(separator: " or ")), not \(contentType.isEmpty ? "no Content-Type" : contentType)")
        }
        return folder
    }
}
