import Foundation
import Testing

/// The command line as a user meets it: the built `creditrisk` run against a temporary
/// database, its output, its error messages and its exit codes.
@Suite("Command line")
struct CLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The executable beside the test bundle, built with it by `swift build --build-tests`.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("creditrisk")

    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs `creditrisk` with `arguments` from the repository root (the model and mappings are found there).
    static func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = repository
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), errors: String(decoding: err, as: UTF8.self))
    }

    /// A new empty folder for one test's files, and the path of a database file in it (created by the first command).
    static func scratch() throws -> (folder: URL, db: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (folder, folder.appendingPathComponent("credit.sqlite").path)
    }

    /// A fresh database holding the French fixture ledger, scored as of 2026-06-30.
    static func ledger() throws -> String {
        let db = try scratch().db
        let imported = try run(["import", "ledger", "--db", db, "--no-rescore", "Fixtures/ledger/french"])
        #expect(imported.status == 0, "\(imported.errors)")
        let scored = try run(["score", "--db", db, "--as-of", "2026-06-30"])
        #expect(scored.status == 0, "\(scored.errors)")
        #expect(scored.output.hasPrefix("Scored 3 customers as of 2026-06-30 with model scoring-model-v5"), "\(scored.output)")
        return db
    }

    @Test("import lists every file's rows and re-scores the portfolio as the API does")
    func importLedger() throws {
        let db = try Self.scratch().db
        let run = try Self.run(["import", "ledger", "--db", db, "Fixtures/ledger/french"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("invoices.csv      5         5        0          0"), "\(run.output)")
        #expect(run.output.contains("Re-scored 3 customers as of"), "\(run.output)")
        let again = try Self.run(["import", "ledger", "--db", db, "--no-rescore", "Fixtures/ledger/french"])
        #expect(again.output.contains("invoices.csv      5         0        0          5"), "every row unchanged: \(again.output)")
        #expect(!again.output.contains("Re-scored"))
    }

    @Test("a refused import lists its problems with file, line and column, stores nothing and exits 65")
    func refusedImport() throws {
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).sqlite").path
        let run = try Self.run(["import", "ledger", "--db", db, "Fixtures/ledger/broken/bad-date"])
        #expect(run.status == 65)
        #expect(run.errors.contains("import refused, nothing was stored: 1 problem"), "\(run.errors)")
        #expect(run.errors.contains(#"invoices.csv line 3, column issue_date: "31/02/2026" is not a date"#), "\(run.errors)")
        let summary = try Self.run(["summary", "--db", db])
        #expect(summary.output.contains("customers            0"), "\(summary.output)")
    }

    @Test("explain shows a customer's grade and reasons; an unknown customer exits 66")
    func explain() throws {
        let db = try Self.ledger()
        let known = try Self.run(["explain", "--db", db, "--as-of", "2026-06-30", "C001"])
        #expect(known.status == 0, "\(known.errors)")
        #expect(known.output.contains("C001"), "\(known.output)")
        let unknown = try Self.run(["explain", "--db", db, "NOPE"])
        #expect(unknown.status == 66)
        #expect(unknown.errors == "Error: no customer NOPE\n")
    }

    @Test("an order check answers with a verdict; a reservation under the same id with another amount exits 65")
    func orderCheck() throws {
        let db = try Self.ledger()
        // C001 owes nothing: an order of 10.00 is within any limit.
        let first = try Self.run(["order", "check", "--db", db, "--order-id", "SO-1", "--amount", "10.00", "--reserve", "--json", "C001"])
        #expect(first.status == 0, "\(first.errors)")
        let answer = try JSONSerialization.jsonObject(with: Data(first.output.utf8)) as? [String: Any]
        let verdict = (answer?["decision"] as? [String: Any])?["verdict"] as? String
        #expect(verdict == "approve" && answer?["reserved"] as? Bool == true, "\(first.output)")
        let conflicting = try Self.run(["order", "check", "--db", db, "--order-id", "SO-1", "--amount", "20.00", "--reserve", "C001"])
        #expect(conflicting.status == 65)
        #expect(conflicting.errors.contains("order SO-1 was already reserved for customer C001 and 10.00"), "\(conflicting.errors)")
    }

    @Test("the worklist and the indicators print; --json gives the API's JSON")
    func worklistAndKPIs() throws {
        let db = try Self.ledger()
        let worklist = try Self.run(["worklist", "--db", db, "--as-of", "2026-06-30"])
        #expect(worklist.status == 0, "\(worklist.errors)")
        let kpis = try Self.run(["kpis", "--db", db, "--as-of", "2026-06-30", "--json"])
        #expect(kpis.status == 0, "\(kpis.errors)")
        let json = try JSONSerialization.jsonObject(with: Data(kpis.output.utf8)) as? [String: Any]
        #expect(json?["customers"] as? Int == 3)
        #expect(json?["dso"] != nil)
    }

    @Test("a dispute of a kind not on the list is refused with the list and exits 65")
    func unknownDisputeKind() throws {
        let db = try Self.ledger()
        let run = try Self.run(["event", "open-dispute", "--db", db, "--kind", "prix", "F-1002"])
        #expect(run.status == 65)
        #expect(run.errors.contains("is not a dispute kind; use one of price, quantity"), "\(run.errors)")
    }

    @Test("fit writes a model that backtest compares with its base and monitor reads; a model without a fit sample cannot be monitored")
    func fitBacktestMonitor() throws {
        let (folder, db) = try Self.scratch()
        let demo = try Self.run(["import", "ledger", "--db", db, "--no-rescore", "Fixtures/demo"])
        #expect(demo.status == 0, "\(demo.errors)")
        let fitted = folder.appendingPathComponent("fitted.json").path
        let fit = try Self.run([
            "fit", "--db", db, "--model", "Models/scoring-model-v3.json", "--snapshots", "8", "--horizon-days", "180", "--version", "demo-fit",
            "--output", fitted,
        ])
        #expect(fit.status == 0, "\(fit.errors)")
        #expect(fit.output.contains("Fitted demo-fit from scoring-model-v3"), "\(fit.output)")
        #expect(fit.output.contains("labels from the ledger default rule"))
        #expect(fit.output.contains("Jeffreys 95 %"))
        let charts = folder.appendingPathComponent("charts").path
        let backtest = try Self.run([
            "backtest", "--db", db, "--model", "Models/scoring-model-v3.json", "--challenger", fitted, "--snapshots", "2", "--through",
            "2026-04-30", "--horizon-days", "180", "--svg", charts,
        ])
        #expect(backtest.status == 0, "\(backtest.errors)")
        #expect(backtest.output.contains("scoring-model-v3") && backtest.output.contains("demo-fit"), "\(backtest.output)")
        // The verdict on the later month end (its 180 days end before the ledger's last day), and each date's count.
        #expect(
            backtest.output.contains("demo-fit, per grade on 2026-04-30, the latest reference date with a complete 180-day horizon"),
            "\(backtest.output)")
        #expect(backtest.output.contains("dates calibrated") && backtest.output.contains("grades calibrated per reference date:"))
        #expect(backtest.output.contains("2026-03-31 "), "\(backtest.output)")
        let roc = try String(contentsOfFile: charts + "/roc.svg", encoding: .utf8)
        #expect(roc.hasPrefix("<svg") && roc.contains("demo-fit (AUC"))
        #expect(FileManager.default.fileExists(atPath: charts + "/calibration.svg"))
        let monitor = try Self.run(["monitor", "--db", db, "--model", fitted])
        #expect(monitor.status == 0, "\(monitor.errors)")
        #expect(monitor.output.contains("Model demo-fit") && monitor.output.contains("overdueShare"), "\(monitor.output)")
        let unfitted = try Self.run(["monitor", "--db", db, "--model", "Models/scoring-model-v3.json"])
        #expect(unfitted.status == 65)
        #expect(unfitted.errors.contains("creditrisk fit"), "\(unfitted.errors)")
        let tooFew = try Self.run(["fit", "--db", db, "--snapshots", "2", "--version", "x", "--output", fitted])
        #expect(tooFew.status == 64 || tooFew.status == 65, "\(tooFew.errors)")
        #expect(tooFew.errors.contains("--snapshots"), "\(tooFew.errors)")
        // A statement ratio the base does not weigh can be tried (the demo's accounts state no financial
        // expenses: interest cover is left out); a payment component or an unknown name is refused, naming the candidates.
        let tried = try Self.run([
            "fit", "--db", db, "--model", "Models/scoring-model-v3.json", "--snapshots", "8", "--horizon-days", "180", "--version", "demo-fit-2",
            "--output", folder.appendingPathComponent("fitted-2.json").path, "--candidate", "interestCover",
        ])
        #expect(tried.status == 0, "\(tried.errors)")
        #expect(tried.output.contains("candidate interestCover: left out"), "\(tried.output)")
        let payment = try Self.run(["fit", "--db", db, "--version", "x", "--output", fitted, "--candidate", "sectorDelay"])
        #expect(payment.status == 65, "\(payment.errors)")
        #expect(payment.errors.contains("sectorDelay cannot be a candidate") && payment.errors.contains("interestCover"), "\(payment.errors)")
        let unknown = try Self.run(["fit", "--db", db, "--version", "x", "--output", fitted, "--candidate", "luck"])
        #expect(unknown.status != 0 && unknown.errors.contains("--candidate luck is not a component"), "\(unknown.errors)")
    }

    @Test("import statements is all or nothing (exit 65); with --skip-invalid it stores the valid documents and lists each refused one")
    func importStatementsSkippingInvalid() throws {
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).sqlite").path
        // A hand-made complete filing, and a published one whose total assets are 100 times its liabilities side.
        let documents = [
            "Fixtures/statements/inpi/complet-2023.xml", "Fixtures/real-filings/inpi/PUB_CA_802020909_7501_2014B10447_2016_7330.donnees.xml",
        ]
        let located = "PUB_CA_802020909_7501_2014B10447_2016_7330.donnees.xml line 28, column liasse CO m3"
        let refused = try Self.run(["import", "statements", "--db", db, "--no-rescore"] + documents)
        #expect(refused.status == 65)
        #expect(refused.errors.contains("import refused, nothing was stored: 1 problem"), "\(refused.errors)")
        #expect(refused.errors.contains(located), "\(refused.errors)")

        let skipped = try Self.run(["import", "statements", "--db", db, "--no-rescore", "--skip-invalid"] + documents)
        #expect(skipped.status == 0, "\(skipped.errors)")
        #expect(skipped.output.contains("Imported 1 statements: 1 new"), "\(skipped.output)")
        #expect(skipped.output.contains("Refused 1 document, left out:"), "\(skipped.output)")
        #expect(skipped.output.contains(located), "\(skipped.output)")
    }

    @Test("a bad option value is a usage error naming the option, exit 64")
    func usageError() throws {
        let run = try Self.run(["score", "--as-of", "31/31/2026"])
        #expect(run.status == 64)
        #expect(run.errors.contains(#"--as-of "31/31/2026" is not a date"#), "\(run.errors)")
    }
}
