import CreditCore
import Foundation
import StatementReader

/// Paths into the repository's Fixtures and Models folders, found from this file's location.
enum StatementFixtures {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let statements = repository.appendingPathComponent("Fixtures/statements")
    static let mappingFolder = repository.appendingPathComponent("Models/statement-mappings")

    /// Public filings kept unchanged, with their sources in `Fixtures/real-filings/README.md`.
    static let realFilings = repository.appendingPathComponent("Fixtures/real-filings")

    static func url(_ path: String) -> URL { statements.appendingPathComponent(path) }
    static func data(_ path: String) throws -> Data { try Data(contentsOf: url(path)) }

    /// The statements of a fixture under `Fixtures/statements`, read with the shipped mappings;
    /// `name` is the document's name in messages (by default the file's).
    static func read(_ path: String, name: String? = nil, previousYear: Bool = false) throws -> [FinancialStatement] {
        try reader(previousYear: previousYear).read(data: data(path), name: name ?? (path as NSString).lastPathComponent)
    }

    /// A fixture read whole (its format and statements), with the shipped mappings.
    static func document(_ path: String) throws -> StatementDocument {
        try reader().readDocument(data: data(path), name: (path as NSString).lastPathComponent)
    }

    /// A real filing, e.g. `inpi/PUB_CA_....donnees.xml` or `us-gaap/aapl-20220924_10k_htm.xml`.
    static func realFiling(_ path: String) throws -> Data { try Data(contentsOf: realFilings.appendingPathComponent(path)) }

    /// The statements of a real filing, read with the shipped mappings.
    static func readReal(_ path: String, with reader: StatementReader = reader()) throws -> [FinancialStatement] {
        try reader.read(data: realFiling(path), name: (path as NSString).lastPathComponent)
    }

    /// The error reading a real filing (after `edit`, a change made to reproduce a defect), nil if it reads.
    static func errorReadingReal(_ path: String, edit: (String) -> String = { $0 }) throws -> StatementError? {
        let text = edit(String(decoding: try realFiling(path), as: UTF8.self))
        do {
            _ = try reader().read(data: Data(text.utf8), name: (path as NSString).lastPathComponent)
            return nil
        } catch {
            return error
        }
    }

    /// The mappings as shipped, loaded once.
    static let mappings: StatementMappings = {
        do { return try StatementMappings.load(directory: mappingFolder) } catch { preconditionFailure("\(error)") }
    }()

    static func reader(previousYear: Bool = false, maximumBytes: Int = 20 << 20) -> StatementReader {
        StatementReader(mappings: mappings, limits: ReadingLimits(maximumBytes: maximumBytes), includePreviousYear: previousYear)
    }

    /// Reads a fixture, returning the error instead of throwing, for table tests.
    static func error(reading path: String, with reader: StatementReader = reader()) -> StatementError? {
        do {
            _ = try reader.read(data: data(path), name: (path as NSString).lastPathComponent)
            return nil
        } catch let error as StatementError {
            return error
        } catch {
            return StatementError(.notXML, document: path, message: "fixture unreadable: \(error)")
        }
    }
}

/// Whole currency units to cents, so expectations read like the document.
func euros(_ units: Int64) -> Int64 { units * 100 }

/// Whole dollars to cents.
func dollars(_ units: Int64) -> Int64 { units * 100 }
