import Foundation
import StatementReader

/// Paths into the repository's Fixtures and Models folders, found from this file's location.
enum StatementFixtures {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let statements = repository.appendingPathComponent("Fixtures/statements")
    static let mappingFolder = repository.appendingPathComponent("Models/statement-mappings")

    static func url(_ path: String) -> URL { statements.appendingPathComponent(path) }
    static func data(_ path: String) throws -> Data { try Data(contentsOf: url(path)) }

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
