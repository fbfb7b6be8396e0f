import CreditCore
import Foundation
import PortfolioGenerator
import StatementReader
import Testing

/// The generator's documents are read back by the reader exactly as drafted: the generated
/// demo and benchmark statements exercise the real import path, not a shortcut.
@Suite("Generated statement documents")
struct GeneratedStatementTests {
    @Test("every drafted statement survives a round trip through its XML format")
    func roundTrip() throws {
        let configuration = GeneratorConfiguration(customers: 400, seed: 5)
        let drafts = StatementDrafts(configuration: configuration)
        let reader = StatementFixtures.reader()
        var checked: [StatementDocuments.Format: Int] = [:]
        for company in LatentPortfolio(configuration: configuration) {
            let format = StatementDocuments.format(for: company)
            for statement in drafts.statements(for: company) {
                let text = format == .xbrl ? StatementDocuments.xbrl(statement) : StatementDocuments.inpi(statement)
                let read = try reader.read(data: Data(text.utf8), name: StatementDocuments.fileName(statement, format: format))
                #expect(read.count == 1)
                // The generator drafts the fifteen original figures. The others read as the
                // document implies: fixed assets as total less current assets (INPI's BJ line,
                // XBRL's Assets - CurrentAssets), and, on the French forms, the income statement's
                // blank lines (interest, purchases, personnel) as zero.
                var drafted = try #require(read.first?.amounts)
                let a = statement.amounts
                if let total = a.totalAssets, let current = a.currentAssets {
                    #expect(drafted.fixedAssets == total - current)
                }
                if format == .inpi {
                    #expect(drafted.financialExpenses == .zero && drafted.costOfSales == .zero && drafted.personnelCosts == .zero)
                }
                (drafted.fixedAssets, drafted.financialExpenses, drafted.costOfSales, drafted.personnelCosts) = (nil, nil, nil, nil)
                #expect(drafted == a)
                #expect(read.first?.periodEnd == statement.periodEnd)
                #expect(read.first?.company.registrationId == statement.company.registrationId)
                #expect(read.first?.consolidated == statement.consolidated)
                checked[format, default: 0] += 1
            }
        }
        #expect(checked[.inpi, default: 0] > 100)
        #expect(checked[.xbrl, default: 0] > 0)
    }
}
