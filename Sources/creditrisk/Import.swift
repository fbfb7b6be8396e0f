import ArgumentParser
import CreditApp
import Foundation
import LedgerReader

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import ledger files or sector averages, all or nothing.",
        subcommands: [Ledger.self, Sectors.self]
    )

    struct Ledger: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a ledger export folder: customers.csv, invoices.csv, payments.csv, disputes.csv (and sectors.csv).",
            discussion: """
                Files may use , ; or tab as delimiter, decimal point or comma (1 234,56), dates YYYY-MM-DD or \
                DD/MM/YYYY, UTF-8 with or without BOM. Rows are matched by id: a newer export updates what \
                changed and re-importing the same files changes nothing. On any error nothing is stored and \
                every problem is listed with its file, line and column.
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: ArgumentHelp("The portfolio's currency (ISO 4217); invoices in another are refused.", valueName: "code"))
        var baseCurrency: String?
        @Argument(help: ArgumentHelp("Folder holding the export's CSV files.", valueName: "dir"))
        var directory: String

        func run() throws {
            let importer = LedgerImporter(database: try database.open())
            let progress = ProgressLine()
            let summary = try reportingImportErrors {
                try importer.importLedger(
                    directory: URL(fileURLWithPath: directory), baseCurrency: baseCurrency, progress: progress.update)
            }
            progress.finish()
            print(ImportSummaryText(summary).text)
        }
    }

    struct Sectors: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a sector table: sector_code, label, avg_days_beyond_terms, avg_dso_days, annual_failure_rate, period, source.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: ArgumentHelp("The sectors CSV file.", valueName: "file"))
        var file: String

        func run() throws {
            let importer = LedgerImporter(database: try database.open())
            let progress = ProgressLine()
            let summary = try reportingImportErrors {
                try importer.importSectors(file: URL(fileURLWithPath: file), progress: progress.update)
            }
            progress.finish()
            print(ImportSummaryText(summary).text)
        }
    }
}

/// Prints an import's problems to standard error and exits non-zero, so scripts can tell.
func reportingImportErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as LedgerImportError {
        ProgressLine.clear()
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode(65)  // EX_DATAERR
    }
}
