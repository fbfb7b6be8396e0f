import ArgumentParser
import CreditApp
import CreditCore
import Foundation
import LedgerReader

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import ledger files or sector averages, all or nothing.",
        subcommands: [Ledger.self, Sectors.self, Statements.self]
    )
}

/// What every import takes: the database and model, and whether to re-score once stored. Re-scoring
/// after an import is what the API does: on by default, off for loading history in bulk.
struct ImportOptions: ParsableArguments {
    @OptionGroup var serviceOptions: ServiceOptions
    @Flag(
        name: .customLong("rescore"), inversion: .prefixedNo,
        help: "Re-score the portfolio as of today once the import is stored (as the API does).")
    var rescore = true

    /// The day to re-score as of, nil for none.
    var rescoreDay: Day? { rescore ? Day.today() : nil }
}

extension Import {
    struct Ledger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a ledger export folder: customers.csv, invoices.csv, payments.csv, disputes.csv (and sectors.csv).",
            discussion: """
                Files may use , ; or tab as delimiter, decimal point or comma (1 234,56), dates YYYY-MM-DD or \
                DD/MM/YYYY, UTF-8 with or without BOM. Rows are matched by id: a newer export updates what \
                changed and re-importing the same files changes nothing. On any error nothing is stored and \
                every problem is listed with its file, line and column.
                """)

        @OptionGroup var options: ImportOptions
        @Option(help: ArgumentHelp("The portfolio's currency (ISO 4217); invoices in another are refused.", valueName: "code"))
        var baseCurrency: String?
        @Argument(help: ArgumentHelp("Folder holding the export's CSV files.", valueName: "dir"))
        var directory: String

        func run() async throws {
            let service = try options.serviceOptions.open()
            let progress = ProgressLine()
            let imported = try await service.importLedger(
                directory: URL(fileURLWithPath: directory), baseCurrency: baseCurrency, rescoreAsOf: options.rescoreDay,
                firstLoadJournal: true, progress: progress.update)
            progress.finish()
            try printStored(imported, ImportSummaryText(imported.summary).text, warnings: imported.summary.warnings)
        }
    }

    struct Sectors: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a sector table: sector_code, label, avg_days_beyond_terms, avg_dso_days, annual_failure_rate, period, source.")

        @OptionGroup var options: ImportOptions
        @Argument(help: ArgumentHelp("The sectors CSV file.", valueName: "file"))
        var file: String

        func run() async throws {
            let service = try options.serviceOptions.open()
            let imported = try await service.importSectors(file: URL(fileURLWithPath: file), rescoreAsOf: options.rescoreDay)
            try printStored(imported, ImportSummaryText(imported.summary).text, warnings: imported.summary.warnings)
        }
    }
}

extension Import {
    struct Statements: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import financial statements: XBRL instances and French annual accounts (INPI \"bilans saisis\" XML).",
            discussion: """
                PATH may be an XML file, a folder (searched recursively) or a zip archive as INPI ships them. \
                The format is detected from the root element and namespace. Statements are matched to \
                customers by registration id (SIREN, LEI, CIK...); others are kept for account opening. \
                Documents with a DOCTYPE (external entities, entity expansion) are refused, and so are \
                documents whose own totals disagree (total assets against liabilities and equity, beyond \
                rounding). All or nothing by default: one bad document stores nothing and every problem \
                names the document, line and element. With --skip-invalid the good documents are stored \
                and each bad one is listed with its reason.
                """)

        @OptionGroup var options: ImportOptions
        @Option(help: ArgumentHelp("Folder of mapping files (default: $CREDITRISK_MAPPINGS or Models/statement-mappings).", valueName: "dir"))
        var mappings: String?
        @Option(help: ArgumentHelp("Largest document accepted, in bytes.", valueName: "bytes"))
        var maxBytes: Int = 20 << 20
        @Flag(help: "Store the valid documents and list each invalid one with its reason, instead of refusing them all.")
        var skipInvalid = false
        @Argument(help: ArgumentHelp("XML files, folders or zip archives.", valueName: "path"))
        var paths: [String]

        func run() async throws {
            let decode: StatementDecoding
            do {
                decode = try StatementReading.decoder(mappingsPath: mappings, maximumBytes: maxBytes)
            } catch {
                throw CommandError("\(error)")
            }
            let progress = ProgressLine()
            // The documents are read while the database opens (on a new file, while its schema is made).
            let (urls, maxBytes, skipInvalid) = (paths.map { URL(fileURLWithPath: $0) }, maxBytes, skipInvalid)
            let reading = Task {
                try await CreditService.readStatements(
                    paths: urls, decoder: decode, maximumDocumentBytes: maxBytes, skipInvalid: skipInvalid, progress: progress.update)
            }
            let service: CreditService
            do {
                service = try options.serviceOptions.open(statementDecoder: decode)
            } catch {
                _ = try? await reading.value
                throw error
            }
            let imported = try await service.storeStatements(try await reading.value, rescoreAsOf: options.rescoreDay)
            let summary = imported.summary
            progress.finish()
            let stored = summary.entries.filter { $0.outcome != StatementImportSummary.noFigures }
            let matched = stored.filter { $0.customerId != nil }.count
            var lines = [
                "Imported \(grouped(summary.imported)) statements: \(grouped(summary.inserted)) new, "
                    + "\(grouped(summary.updated)) updated, \(grouped(summary.unchanged)) unchanged; "
                    + "\(grouped(matched)) matched to customers, \(grouped(summary.imported - matched)) kept as prospects'"
                    + (summary.withoutFigures == 0
                        ? "" : "; \(grouped(summary.withoutFigures)) without a figure (confidential accounts) not stored")
            ]
            if summary.entries.count <= 20 {
                lines += table(
                    [["document", "company", "period end", "format", "customer", "outcome"]]
                        + summary.entries.map {
                            [$0.document, $0.registrationId, $0.periodEnd.iso, $0.format, $0.customerId ?? "-", $0.outcome]
                        }, rightAligned: [])
            }
            if skipInvalid {
                let count = summary.refused.count
                lines.append("Refused \(grouped(count)) document\(count == 1 ? "" : "s")\(count == 0 ? "" : ", left out:")")
                lines += summary.refused.map { "  \($0)" }
            }
            try printStored(imported, lines.joined(separator: "\n"), warnings: summary.warnings)
        }
    }
}

/// What an import prints once stored: its own summary (`text`), the re-scoring that followed,
/// then the storage warnings of both, which make the command exit 75.
func printStored<Summary>(_ imported: Imported<Summary>, _ text: String, warnings: [String]) throws {
    print(text)
    printRescoring(imported.scoring)
    try warnAfterStoring(warnings + imported.warnings)
}

/// One line on the re-scoring that followed an import.
func printRescoring(_ run: ScoringRunSummary?) {
    guard let run else { return }
    print(scoringRunLine("Re-scored", run))
}

/// An import that was stored but left the storage in trouble (a full disk after the commit)
/// says so on standard error and exits 75 (EX_TEMPFAIL), so that a scheduled import is noticed
/// before the next write fails.
func warnAfterStoring(_ warnings: [String]) throws {
    guard !warnings.isEmpty else { return }
    for warning in warnings {
        FileHandle.standardError.write(Data(("Warning: " + warning + "\n").utf8))
    }
    throw ExitCode(75)
}
