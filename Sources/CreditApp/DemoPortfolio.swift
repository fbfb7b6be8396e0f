import CreditCore
import Foundation
import GRDB

/// Loads a portfolio folder as the generator writes it (ledger CSVs plus `statements/`): what
/// `creditrisk demo` and the server's first start both do.
public enum DemoPortfolio {
    public static func load(
        from folder: URL, into database: any DatabaseWriter, decode: StatementDecoding?, today: @escaping @Sendable () -> Day,
        progress: ImportProgress? = nil
    ) throws -> (ledger: ImportSummary, statements: StatementImportSummary?) {
        let ledger = try LedgerImporter(database: database).importLedger(directory: folder, progress: progress)
        let statementsFolder = folder.appendingPathComponent("statements")
        guard let decode, FileManager.default.fileExists(atPath: statementsFolder.path) else { return (ledger, nil) }
        let statements = try StatementImporter(database: database, decode: decode, today: today)
            .importStatements(paths: [statementsFolder])
        return (ledger, statements)
    }
}
