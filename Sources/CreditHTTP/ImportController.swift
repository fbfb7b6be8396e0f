import CreditApp
import CreditCore
import Foundation
import Hummingbird
import LedgerReader
import ZIPFoundation

/// The same all-or-nothing imports as the CLI, for admins: a ledger export as a zip of its CSV
/// files (or one CSV named by `?file=invoices.csv`), a sector table as CSV, statements as one XML
/// document or a zip of them. Errors come back as a problem listing every file, line and field;
/// statements with `?skipInvalid=true` store the valid documents and list the others as `refused`.
///
/// New evidence changes grades, so a successful import re-scores the portfolio as of today
/// before it answers: when the response arrives, assessments, order checks and the worklist all
/// reflect the import. Both run on a dispatch thread, not on the server's async threads.
struct ImportController {
    let dependencies: ServiceDependencies

    /// The import's own summary, with the scoring run that followed it as `scoring`.
    struct ImportResponse<Summary: Encodable & Sendable>: ResponseEncodable {
        var summary: Summary
        var scoring: ScoringRunSummary?

        enum Key: String, CodingKey { case scoring }

        func encode(to encoder: any Encoder) throws {
            try summary.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encodeIfPresent(scoring, forKey: .scoring)
        }
    }

    /// The response of an import: its own summary and the re-scoring that followed it.
    func respond<Summary: Sendable>(_ imported: Imported<Summary>) -> ImportResponse<Summary> {
        dependencies.metrics.count("imports")
        // Rebuild the worklist in the background: the admin need not wait for it, and the next
        // worklist request waits only for what is left of it.
        let index = dependencies.service.collectionsIndex
        let today = dependencies.today()
        Task(priority: .background) { try? await index.warm(asOf: today) }
        return ImportResponse(summary: imported.summary, scoring: imported.scoring)
    }

    func add(to group: RouterGroup<CreditRequestContext>) {
        let service = dependencies.service
        group.post("imports/ledger") { request, context -> ImportResponse<ImportSummary> in
            try context.require(.importData)
            let folder = try await Self.receive(
                request, context: context, maximumBodyBytes: dependencies.maximumBodyBytes, uploads: dependencies.uploadsFolder,
                csvName: request.uri.queryParameters["file"].map(String.init), recognisesCSV: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            do {
                return respond(try await service.importLedger(directory: folder, rescoreAsOf: dependencies.today()))
            } catch let error as LedgerImportError {
                throw error.naming(folder: folder.lastPathComponent, as: "the upload")
            }
        }
        group.post("imports/sectors") { request, context -> ImportResponse<ImportSummary> in
            try context.require(.importData)
            let folder = try await Self.receive(
                request, context: context, maximumBodyBytes: dependencies.maximumBodyBytes, uploads: dependencies.uploadsFolder,
                csvName: "sectors.csv")
            defer { try? FileManager.default.removeItem(at: folder) }
            return respond(
                try await service.importSectors(file: folder.appendingPathComponent("sectors.csv"), rescoreAsOf: dependencies.today()))
        }
        group.post("imports/statements") { request, context -> ImportResponse<StatementImportSummary> in
            try context.require(.importData)
            let skipInvalid = try QueryParameters(request: request).flag("skipInvalid") ?? false
            guard service.statementDecoder != nil else {
                throw Problem(
                    .serviceUnavailable, "statements-unavailable", "Statement import unavailable",
                    detail: "the server runs without statement mappings (Models/statement-mappings)")
            }
            let folder = try await Self.receive(
                request, context: context, maximumBodyBytes: dependencies.maximumBodyBytes, uploads: dependencies.uploadsFolder, csvName: nil,
                xmlName: "statement.xml")
            defer { try? FileManager.default.removeItem(at: folder) }
            do {
                return respond(
                    try await service.importStatements(
                        paths: [folder], maximumDocumentBytes: dependencies.maximumBodyBytes, skipInvalid: skipInvalid,
                        rescoreAsOf: dependencies.today()))
            } catch let error as LedgerImportError {
                throw error.naming(folder: folder.lastPathComponent, as: "the upload")
            }
        }
    }

    /// Saves the body into a fresh folder: a zip is unpacked (its files only, flattened, no
    /// paths that climb out), CSV or XML is saved under the given name.
    static let expansionFactor = 20

    struct ArchiveTooLarge: Error {}

    static func receive(
        _ request: Request, context: CreditRequestContext, maximumBodyBytes: Int, uploads: URL, csvName: String?,
        recognisesCSV: Bool = false, xmlName: String? = nil
    ) async throws -> URL {
        let contentType = request.mediaType
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer: body)
        let folder = uploads.appendingPathComponent(ServiceDependencies.uploadFolderName())
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Unpacking and writing files is blocking work: off the async threads. A refused upload
        // leaves nothing behind: whatever was unpacked goes with the refusal.
        do {
            try await BlockingWork.run {
                try Self.unpack(
                    data, contentType: contentType, into: folder, maximumBodyBytes: maximumBodyBytes, csvName: csvName,
                    recognisesCSV: recognisesCSV, xmlName: xmlName)
            }
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        return folder
    }

    /// Writes the body into `folder` by its media type.
    static func unpack(
        _ data: Data, contentType: String, into folder: URL, maximumBodyBytes: Int, csvName: String?, recognisesCSV: Bool,
        xmlName: String?
    ) throws {
        switch contentType {
        case "application/zip":
            // Its layout checked first: ZIPFoundation reading from memory trusts the offsets an
            // archive states, and one pointing past its end trapped (the server died of a
            // 141-byte upload). Read from a file besides, where a bad offset is an error.
            if let problem = ZipLayout.problem(in: data) { throw Problem.malformed("the body \(problem)") }
            let file = folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + ".zip")
            try data.write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let archive: Archive
            do {
                archive = try Archive(url: file, accessMode: .read)
            } catch {
                throw Problem.malformed("the body is not a zip archive")
            }
            // A small archive can expand enormously (a "zip bomb"): the files together may be at
            // most `expansionFactor` times the body limit once unpacked.
            let budget = maximumBodyBytes * Self.expansionFactor
            var unpacked = 0
            // Entries are unpacked by their names alone: two of one name in different folders
            // (two subsidiaries' customers.csv) would silently leave only the last.
            var entryNamed: [String: String] = [:]
            for entry in archive where entry.type == .file {
                let name = URL(fileURLWithPath: entry.path).lastPathComponent
                guard !name.isEmpty, !name.hasPrefix(".") else { continue }
                if let earlier = entryNamed.updateValue(entry.path, forKey: name) {
                    throw Problem.invalid(
                        "the archive holds \(earlier.truncatedForMessage(80)) and \(entry.path.truncatedForMessage(80)), both named "
                            + "\(name.truncatedForMessage(80)); its files are read by name, so send one of them per upload")
                }
                // Written as it inflates: an entry of a gigabyte is not held in memory first.
                let path = folder.appendingPathComponent(name)
                guard FileManager.default.createFile(atPath: path.path, contents: nil) else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path.path])
                }
                let file = try FileHandle(forWritingTo: path)
                defer { try? file.close() }
                do {
                    try archive.extractChecked(entry) { chunk in
                        unpacked += chunk.count
                        guard unpacked <= budget else { throw ArchiveTooLarge() }
                        try file.write(contentsOf: chunk)
                    }
                } catch is ArchiveTooLarge {
                    throw Problem(
                        .contentTooLarge, "too-large", "Archive too large once unpacked",
                        detail: "the archive's files come to more than \(budget) bytes unpacked (\(entry.path) reached it); send smaller exports")
                } catch let damaged as DamagedZipEntry {
                    throw Problem.malformed("\(entry.path.truncatedForMessage(80)) \(damaged.message)")
                }
            }
        case "text/csv" where csvName != nil || recognisesCSV:
            // One CSV sent without `?file=` is named by its header: the file whose columns it holds.
            let headerLine = String(decoding: data.prefix(64 << 10).prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
            guard let csvName = csvName ?? LedgerFileKind.recognising(headerLine: headerLine)?.fileName else {
                throw Problem.invalid(
                    "the CSV's header is not that of one ledger file (columns of "
                        + LedgerFileKind.allCases.map { "\($0.fileName): \($0.requiredColumns.joined(separator: ", "))" }
                        .joined(separator: "; ") + "); name the file with ?file=")
            }
            guard LedgerFileKind.allCases.map(\.fileName).contains(csvName) else {
                throw Problem.invalid("file must name a ledger file: " + LedgerFileKind.allCases.map(\.fileName).joined(separator: ", "))
            }
            try data.write(to: folder.appendingPathComponent(csvName))
        case "application/xml" where xmlName != nil, "text/xml" where xmlName != nil:
            try data.write(to: folder.appendingPathComponent(xmlName ?? "statement.xml"))
        default:
            let accepted = ["application/zip"] + (csvName != nil || recognisesCSV ? ["text/csv"] : []) + (xmlName != nil ? ["application/xml"] : [])
            throw Problem(
                .unsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                detail: "send \(accepted.joined(separator: " or ")), not \(contentType.isEmpty ? "no Content-Type" : contentType)")
        }
    }
}
