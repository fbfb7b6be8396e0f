import ArgumentParser
import CreditApp
import CreditCore
import CreditStore
import Foundation

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the demo portfolio into a fresh database and print its summary.",
        discussion: "Run from the repository root. The database is recreated on every run.")

    @Option(help: ArgumentHelp("Demo database file (recreated).", valueName: "path"))
    var db: String = "creditrisk-demo.sqlite"
    @Option(help: ArgumentHelp("Folder of the demo ledger.", valueName: "dir"))
    var fixtures: String = "Fixtures/demo"

    func run() async throws {
        guard FileManager.default.fileExists(atPath: fixtures) else {
            throw ValidationError("no demo data at \(fixtures); run from the repository root or pass --fixtures")
        }
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: db + suffix) {
            try FileManager.default.removeItem(atPath: db + suffix)
        }
        let pool = try CreditDatabase.open(path: db)
        let progress = ProgressLine()
        let (imported, statements) = try reportingImportErrors {
            try DemoPortfolio.load(
                from: URL(fileURLWithPath: fixtures), into: pool, decode: try StatementReading.decoder(),
                today: { Day.today() }, progress: progress.update)
        }
        progress.finish()
        print(ImportSummaryText(imported).text)
        if let statements {
            let matched = statements.entries.filter { $0.customerId != nil }.count
            print("Statements: \(grouped(statements.entries.count)) imported, \(grouped(matched)) matched to customers")
        }
        print("")
        let summary = try PortfolioReport(database: pool).summary(asOf: nil)
        print(SummaryText(summary: summary, currency: imported.baseCurrency).text)
        let model = try ModelFile.load()
        let run = try await ScoringService(database: pool, model: model).scoreAndStore(asOf: summary.asOf)
        print("\nGrades (model \(run.modelVersion), as of \(run.asOf.iso)): "
            + run.grades.map { "\($0.grade): \($0.customers)" }.joined(separator: "  "))
        print("\nDatabase: \(db)  (try: swift run creditrisk explain --db \(db) C0000007)")
    }
}
