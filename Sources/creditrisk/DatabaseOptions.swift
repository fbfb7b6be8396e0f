import ArgumentParser
import CreditStore
import GRDB

/// The database every command works on.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite database file; created when missing.", valueName: "path"))
    var db: String = "creditrisk.sqlite"

    func open() throws -> DatabasePool {
        do {
            return try CreditDatabase.open(path: db)
        } catch {
            throw CommandError("cannot open database \(db): \(error)")
        }
    }
}

/// A failure that is not about the command line itself (unknown customer, refused override,
/// unreadable model): printed as `Error: ...` without the usage text.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
