import ArgumentParser
import CreditApp
import CreditCore

/// The database every command works on.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite database file; created when missing.", valueName: "path"))
    var db: String = "creditrisk.sqlite"

    static func service(path: String, model: ScoringModel, statementDecoder: StatementDecoding? = nil) throws -> CreditService {
        do {
            return try CreditService.open(path: path, model: model, statementDecoder: statementDecoder)
        } catch let error as DatabaseOpenError {
            throw CommandError(error.description)
        }
    }
}

/// The database and the scoring model: the options of every command that works on the portfolio.
struct ServiceOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var modelOptions: ModelOptions

    /// The application over this database and model, with the credit policies found beside the
    /// model: the one door every command goes through.
    func open(statementDecoder: StatementDecoding? = nil) throws -> CreditService {
        let model = try modelOptions.load()
        var service = try DatabaseOptions.service(path: database.db, model: model, statementDecoder: statementDecoder)
        service.policies = try modelOptions.policies(for: model)
        return service
    }
}

/// A failure that is not about the command line itself (unknown customer, refused override,
/// unreadable model): printed as `Error: ...` without the usage text.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
