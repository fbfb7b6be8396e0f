import CreditCore
import Foundation

/// Writes drafted statements in the two formats credit managers receive: French annual accounts
/// as INPI publishes them ("bilans saisis" XML, forms 2050-2053) and XBRL instances (IFRS
/// concepts, as group accounts are filed), with the same codes and concepts as the mappings in
/// `Models/statement-mappings`, so that the importer reads back exactly what was drafted.
public enum StatementDocuments {
    /// File name of a statement: `<siren>_<year end>.xml`.
    public static func fileName(_ statement: FinancialStatement, format: Format) -> String {
        "\(statement.company.registrationId)_\(statement.periodEnd.iso)\(format == .xbrl ? "_xbrl" : "").xml"
    }

    public enum Format: Sendable { case inpi, xbrl }

    /// Large companies file group accounts in XBRL; the others the French forms.
    public static func format(for company: LatentCompany) -> Format {
        company.size == .large ? .xbrl : .inpi
    }

    /// INPI amounts: whole euros, zero-padded to 15 digits, a leading minus when negative.
    static func liasseAmount(_ money: Money) -> String {
        let euros = money.cents / 100
        let digits = String(euros.magnitude)
        return (euros < 0 ? "-" : "") + String(repeating: "0", count: max(0, 15 - digits.count)) + digits
    }

    static func compact(_ day: Day) -> String { day.iso.replacingOccurrences(of: "-", with: "") }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Writes the statements of every company of the configuration into `directory` (created),
    /// one file per company and year; returns how many files were written.
    @discardableResult
    public static func write(configuration: GeneratorConfiguration, to directory: URL) throws -> Int {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let drafts = StatementDrafts(configuration: configuration)
        var written = 0
        for company in LatentPortfolio(configuration: configuration) {
            let format = format(for: company)
            for statement in drafts.statements(for: company) {
                let text = format == .xbrl ? xbrl(statement) : inpi(statement)
                try Data(text.utf8).write(to: directory.appendingPathComponent(fileName(statement, format: format)))
                written += 1
            }
        }
        return written
    }

    public static func inpi(_ statement: FinancialStatement) -> String {
        let a = statement.amounts
        let zero = Money.zero
        var lines: [String] = []
        func line(_ code: String, _ columns: [(String, Money?)]) {
            let attributes = columns.compactMap { name, value in value.map { "\(name)=\"\(liasseAmount($0))\"" } }
            guard !attributes.isEmpty else { return }
            lines.append("<liasse code=\"\(code)\" \(attributes.joined(separator: " "))/>")
        }
        let fixedAssets = (a.totalAssets ?? zero) - (a.currentAssets ?? zero)
        let otherReserves = (a.retainedEarnings ?? zero)
        lines.append("<page numero=\"01\">")
        line("BJ", [("m1", fixedAssets), ("m3", fixedAssets)])
        line("BT", [("m1", a.inventories), ("m3", a.inventories)])
        line("BX", [("m1", a.tradeReceivables), ("m3", a.tradeReceivables)])
        line("CF", [("m1", a.cash), ("m3", a.cash)])
        line("CJ", [("m1", a.currentAssets), ("m3", a.currentAssets)])
        line("CO", [("m1", a.totalAssets), ("m3", a.totalAssets)])
        lines.append("</page>")
        lines.append("<page numero=\"02\">")
        line("DG", [("m1", otherReserves)])
        line("DI", [("m1", a.netIncome)])
        line("DL", [("m1", a.equity)])
        line("DU", [("m1", a.financialDebt)])
        line("DX", [("m1", a.tradePayables)])
        line("EC", [("m1", a.totalLiabilities)])
        line("EE", [("m1", a.totalAssets)])
        line("EG", [("m1", a.currentLiabilities)])
        lines.append("</page>")
        lines.append("<page numero=\"03\">")
        line("FJ", [("m1", a.revenue), ("m3", a.revenue)])
        line("GA", [("m3", a.depreciationAndAmortisation)])
        line("GG", [("m3", a.operatingIncome)])
        lines.append("</page>")
        lines.append("<page numero=\"04\">")
        line("HN", [("m1", a.netIncome)])
        lines.append("</page>")
        let previousEnd = Day(year: statement.periodEnd.components.year - 1, month: 12, day: 31) ?? statement.periodEnd
        let sector = (statement.company.sectorCode ?? "").replacingOccurrences(of: ".", with: "")
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="no"?>
            <bilans version="1.0" xmlns="fr:inpi:odrncs:bilansSaisisXML">
            <bilan>
            <identite>
            <siren>\(statement.company.registrationId)</siren>
            <date_cloture_exercice>\(compact(statement.periodEnd))</date_cloture_exercice>
            <code_activite>\(sector)</code_activite>
            <date_cloture_exercice_n-1>\(compact(previousEnd))</date_cloture_exercice_n-1>
            <duree_exercice_n>\(statement.periodMonths < 10 ? "0" : "")\(statement.periodMonths)</duree_exercice_n>
            <duree_exercice_n-1>12</duree_exercice_n-1>
            <code_type_bilan>C</code_type_bilan>
            <code_devise>\(statement.currency)</code_devise>
            <code_confidentialite>0</code_confidentialite>
            <denomination><![CDATA[\(statement.company.name ?? "")]]></denomination>
            </identite>
            <detail>
            \(lines.joined(separator: "\n"))
            </detail>
            </bilan>
            </bilans>

            """
    }

    public static func xbrl(_ statement: FinancialStatement) -> String {
        let a = statement.amounts
        let end = statement.periodEnd
        let start = Day(year: end.components.year, month: 1, day: 1) ?? end
        var facts: [String] = []
        func fact(_ concept: String, _ context: String, _ value: Money?) {
            guard let value else { return }
            facts.append("  <ifrs:\(concept) contextRef=\"\(context)\" unitRef=\"EUR\" decimals=\"0\">\(value.cents / 100)</ifrs:\(concept)>")
        }
        fact("Revenue", "year", a.revenue)
        fact("ProfitLossFromOperatingActivities", "year", a.operatingIncome)
        fact("DepreciationAndAmortisationExpense", "year", a.depreciationAndAmortisation)
        fact("ProfitLoss", "year", a.netIncome)
        fact("Assets", "end", a.totalAssets)
        fact("CurrentAssets", "end", a.currentAssets)
        fact("Inventories", "end", a.inventories)
        fact("CurrentTradeReceivables", "end", a.tradeReceivables)
        fact("CashAndCashEquivalents", "end", a.cash)
        fact("Liabilities", "end", a.totalLiabilities)
        fact("CurrentLiabilities", "end", a.currentLiabilities)
        fact("Borrowings", "end", a.financialDebt)
        fact("TradeAndOtherCurrentPayables", "end", a.tradePayables)
        fact("Equity", "end", a.equity)
        fact("RetainedEarnings", "end", a.retainedEarnings)
        let entity = """
            <xbrli:entity><xbrli:identifier scheme="https://www.sirene.fr">\(statement.company.registrationId)</xbrli:identifier></xbrli:entity>
            """
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance"
                        xmlns:ifrs="https://xbrl.ifrs.org/taxonomy/2023-03-23/ifrs-full"
                        xmlns:iso4217="http://www.xbrl.org/2003/iso4217">
              <xbrli:context id="year">
                \(entity)
                <xbrli:period><xbrli:startDate>\(start.iso)</xbrli:startDate><xbrli:endDate>\(end.iso)</xbrli:endDate></xbrli:period>
              </xbrli:context>
              <xbrli:context id="end">
                \(entity)
                <xbrli:period><xbrli:instant>\(end.iso)</xbrli:instant></xbrli:period>
              </xbrli:context>
              <xbrli:unit id="EUR"><xbrli:measure>iso4217:\(statement.currency)</xbrli:measure></xbrli:unit>
              <ifrs:NameOfReportingEntityOrOtherMeansOfIdentification contextRef="year">\(escaped(statement.company.name ?? ""))</ifrs:NameOfReportingEntityOrOtherMeansOfIdentification>
            \(facts.joined(separator: "\n"))
            </xbrli:xbrl>

            """
    }
}
