import ArgumentParser
import CreditApp
import CreditCore

/// The database every command works on.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite database file; created when missing.", valueName: "path"))
    var db: String = "creditrisk.sqlite"

    /// The application over this database: the one door every command goes through.
    func service(_ model: ModelOptions, statementDecoder: StatementDecoding? = nil) throws -> CreditService {
        try Self.service(path: db, model: try model.load(), statementDecoder: statementDecoder)
    }

    static func service(path: String, model: ScoringModel, statementDecoder: StatementDecoding? = nil) throws -> CreditService {
        do {
            return try CreditService.open(path: path, model: model, statementDecoder: statementDecoder)
        } catch let error as DatabaseOpenError {
            throw CommandError(error.description)
        }
    }
}

/// A failure that is not about the command line itself (unknown customer, refused override,
/// unreadable model): printed as `Error: ...` without the usage text.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
