import ArgumentParser
import CreditApp
import CreditStore
import Foundation

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the demo portfolio into a fresh database and print its summary.",
        discussion: "Run from the repository root. The database is recreated on every run.")

    @Option(help: ArgumentHelp("Demo database file (recreated).", valueName: "path"))
    var db: String = "creditrisk-demo.sqlite"
    @Option(help: ArgumentHelp("Folder of the demo ledger.", valueName: "dir"))
    var fixtures: String = "Fixtures/demo"

    func run() throws {
        guard FileManager.default.fileExists(atPath: fixtures) else {
            throw ValidationError("no demo data at \(fixtures); run from the repository root or pass --fixtures")
        }
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: db + suffix) {
            try FileManager.default.removeItem(atPath: db + suffix)
        }
        let pool = try CreditDatabase.open(path: db)
        let progress = ProgressLine()
        let imported = try reportingImportErrors {
            try LedgerImporter(database: pool).importLedger(
                directory: URL(fileURLWithPath: fixtures), progress: progress.update)
        }
        progress.finish()
        print(ImportSummaryText(imported).text)
        print("")
        let summary = try PortfolioReport(database: pool).summary(asOf: nil)
        print(SummaryText(summary: summary, currency: imported.baseCurrency).text)
        print("\nDatabase: \(db)  (try: swift run creditrisk summary --db \(db) --as-of 2026-06-30)")
    }
}
