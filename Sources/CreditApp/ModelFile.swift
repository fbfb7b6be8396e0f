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
        let path = path(explicit)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelFileError(path: path, message: "cannot be read (pass --model PATH or set CREDITRISK_MODEL)")
        }
        do {
            return try ScoringModel.decode(from: data)
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
