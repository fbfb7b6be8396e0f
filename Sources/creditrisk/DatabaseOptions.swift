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
            throw ValidationError("cannot open database \(db): \(error)")
        }
    }
}
