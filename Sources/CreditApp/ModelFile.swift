import CreditCore
import Foundation

/// Where the scoring model comes from: `--model`, else `CREDITRISK_MODEL`, else the model
/// shipped in `Models/` of the working directory.
public enum ModelFile {
    public static let defaultPath = "Models/scoring-model-v5.json"

    public static func path(_ explicit: String?) -> String {
        explicit ?? ProcessInfo.processInfo.environment["CREDITRISK_MODEL"] ?? defaultPath
    }

    /// Loads and validates a model; the error names the file and the field.
    public static func load(_ explicit: String? = nil) throws -> ScoringModel {
        try decode(at: path(explicit), unreadable: "cannot be read (pass --model PATH or set CREDITRISK_MODEL)", ScoringModel.decode)
    }

    /// Reads the data file at `path` and decodes it with `decode`, which validates it; the error
    /// names the file, and the field as `decode` names it.
    static func decode<Value>(at path: String, unreadable: String, _ decode: (Data) throws(ModelError) -> Value) throws -> Value {
        guard let data = FileManager.default.contents(atPath: path) else { throw ModelFileError(path: path, message: unreadable) }
        do {
            return try decode(data)
        } catch {
            throw ModelFileError(path: path, message: error.message)
        }
    }
}

public struct ModelFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}
