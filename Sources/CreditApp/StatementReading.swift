import CreditCore
import Foundation
import LedgerReader
import StatementReader

extension StatementError: LocatedError {
    public func problem(file: String) -> LocatedProblem {
        LocatedProblem(file: file, line: line, column: element, message: message)
    }
}

/// The statement reader as the importer uses it: mappings loaded from `Models/statement-mappings`
/// (or `CREDITRISK_MAPPINGS`), each document's format recorded with its statements.
public enum StatementReading {
    public static let defaultMappingsPath = "Models/statement-mappings"

    public static func decoder(mappingsPath explicit: String? = nil, maximumBytes: Int = 20 << 20) throws -> StatementDecoding {
        let path = explicit ?? ProcessInfo.processInfo.environment["CREDITRISK_MAPPINGS"] ?? defaultMappingsPath
        let mappings = try StatementMappings.load(directory: URL(fileURLWithPath: path))
        let reader = StatementReader(mappings: mappings, limits: ReadingLimits(maximumBytes: maximumBytes))
        return { data, name in
            let document = try reader.readDocument(data: data, name: name)
            return document.statements.map { ReadStatement(statement: $0, format: document.format.rawValue) }
        }
    }
}
