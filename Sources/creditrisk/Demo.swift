import ArgumentParser
import CreditApp
import CreditCore
import Foundation

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the demo portfolio into a fresh database and print its summary.",
        discussion: "Run from the repository root. The database is recreated on every run.")

    @Option(help: ArgumentHelp("Demo database file (recreated).", valueName: "path"))
    var db: String = "creditrisk-demo.sqlite"
    @Option(help: ArgumentHelp("Folder of the demo ledger.", valueName: "dir"))
    var fixtures: String = "Fixtures/demo"
    @Flag(help: "Keep the dates as generated (the ledger ends 2026-10-31) instead of moving the portfolio so that it ends yesterday.")
    var asGenerated = false

    func run() async throws {
        guard FileManager.default.fileExists(atPath: fixtures) else {
            throw ValidationError("no demo data at \(fixtures); run from the repository root or pass --fixtures")
        }
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: db + suffix) {
            try FileManager.default.removeItem(atPath: db + suffix)
        }
        let service = try DatabaseOptions.service(path: db, model: try ModelFile.load(), statementDecoder: try StatementReading.decoder())
        let progress = ProgressLine()
        // Moved so that its last day is yesterday (unless kept as generated), and scored as of
        // that last day: the demo tells its story as of its export.
        let (imported, statements, run) = try await service.loadPortfolio(
            from: URL(fileURLWithPath: fixtures), scoreAsOf: nil, movedTo: asGenerated ? nil : Day.today() - 1, progress: progress.update)
        progress.finish()
        print(ImportSummaryText(imported).text)
        if let statements {
            let matched = statements.entries.filter { $0.customerId != nil }.count
            print("Statements: \(grouped(statements.entries.count)) imported, \(grouped(matched)) matched to customers")
        }
        print("")
        let summary = try service.portfolio.summary(asOf: nil)
        print(SummaryText(summary: summary, currency: imported.baseCurrency).text)
        print(
            "\nGrades (model \(run.modelVersion), as of \(run.asOf.iso)): "
                + run.grades.map { "\($0.grade): \($0.customers)" }.joined(separator: "  "))
        print("\nDatabase: \(db)  (try: swift run creditrisk explain --db \(db) C0000007)")
    }
}
