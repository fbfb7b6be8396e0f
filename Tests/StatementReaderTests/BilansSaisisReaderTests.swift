import CreditCore
import Foundation
import StatementReader
import Testing

@Suite("INPI bilans saisis")
struct BilansSaisisReaderTests {
    @Test("complete accounts: each amount comes from its form's column for year N")
    func completeAccounts() throws {
        let document = try StatementFixtures.document("inpi/complet-2023.xml")
        #expect(document.format == .bilansSaisis)
        #expect(document.statements.count == 1)
        let statement = try #require(document.statements.first)
        #expect(statement.company.registrationId == "412345678")
        #expect(statement.company.name == "FOURNITURES DU NORD")  // runs of spaces collapsed
        #expect(statement.company.sectorCode == "4669B")
        #expect(statement.periodEnd == Day(year: 2023, month: 12, day: 31))
        #expect(statement.periodMonths == 12)
        #expect(statement.currency == "EUR")
        #expect(statement.consolidated == false)
        let a = statement.amounts
        #expect(a.revenue?.cents == euros(1_200_000))  // FJ m3 (m1 France 1 100 000 + m2 export 100 000)
        #expect(a.operatingIncome?.cents == euros(60_000))  // GG m3
        #expect(a.depreciationAndAmortisation?.cents == euros(42_000))  // GA 40 000 + GB 2 000
        #expect(a.netIncome?.cents == euros(35_000))  // HN m1
        #expect(a.totalAssets?.cents == euros(750_000))  // CO m3 (net), not m1 965 000 (gross)
        #expect(a.currentAssets?.cents == euros(450_000))  // CJ m3
        #expect(a.inventories?.cents == euros(95_000))  // BL 40 000 + BT 55 000
        #expect(a.tradeReceivables?.cents == euros(240_000))  // BX m3
        #expect(a.cash?.cents == euros(100_000))  // CF 80 000 + CD 20 000
        #expect(a.totalLiabilities?.cents == euros(475_000))  // EE 750 000 - DL 275 000
        #expect(a.currentLiabilities?.cents == euros(310_000))  // EG m1
        #expect(a.financialDebt?.cents == euros(200_000))  // DU 180 000 + DV 20 000
        #expect(a.tradePayables?.cents == euros(160_000))  // DX m1
        #expect(a.equity?.cents == euros(275_000))  // DL m1
        #expect(a.retainedEarnings?.cents == euros(140_000))  // DD 10 000 + DG 150 000 + DH -20 000
        #expect(a.workingCapital?.cents == euros(140_000))  // 450 000 - 310 000, derived in the core
    }

    /// `complet-2023.xml` with `edit` applied, read with the shipped mappings.
    func readEdited(_ edit: (String) -> String) throws -> [FinancialStatement] {
        let text = edit(String(decoding: try StatementFixtures.data("inpi/complet-2023.xml"), as: UTF8.self))
        return try StatementFixtures.reader().read(data: Data(text.utf8), name: "complet-2023.xml")
    }

    @Test(
        "a company name keeps single spaces as written; runs, tabs, no-break spaces and spaces at the ends become one space or none",
        arguments: [
            ("FOURNITURES DU NORD", "FOURNITURES DU NORD"), ("Société Générale d'Équipement", "Société Générale d'Équipement"),
            (" FOURNITURES\tDU\u{00A0}NORD ", "FOURNITURES DU NORD"), ("FOURNITURES \n DU  NORD", "FOURNITURES DU NORD"),
        ])
    func companyNameSpacing(written: String, read: String) throws {
        let statements = try readEdited {
            $0.replacingOccurrences(of: "FOURNITURES   DU   NORD", with: written)
        }
        #expect(statements.first?.company.name == read)
    }

    @Test("a liasse code the mapping does not read may repeat with other amounts, but its amounts must still be amounts")
    func unreadCodes() throws {
        let repeated = #"<liasse code="ZZ" m1="000000000000001"/><liasse code="ZZ" m1="000000000000002"/>"#
        let statements = try readEdited { $0.replacingOccurrences(of: "<liasse code=\"DL\"", with: repeated + "<liasse code=\"DL\"") }
        #expect(statements.first?.amounts.equity?.cents == euros(275_000))  // DL m1, as without the ZZ lines

        let error = try #require(throws: StatementError.self) {
            try readEdited { $0.replacingOccurrences(of: "<liasse code=\"DL\"", with: #"<liasse code="ZZ" m3="12,5"/><liasse code="DL""#) }
        }
        #expect(error.kind == .invalidValue)
        #expect(error.line == 44)  // the ZZ line, inserted before DL's
        #expect(error.element == "liasse ZZ")
        #expect(error.message.contains(#"m3 "12,5" is not an amount"#))
    }

    @Test("the previous year comes from the N-1 columns when asked for")
    func previousYear() throws {
        let statements = try StatementFixtures.read("inpi/complet-2023.xml", previousYear: true)
        #expect(statements.count == 2)
        let previous = try #require(statements.last)
        #expect(previous.periodEnd == Day(year: 2022, month: 12, day: 31))
        let a = previous.amounts
        #expect(a.revenue?.cents == euros(1_130_000))  // FJ m4
        #expect(a.operatingIncome?.cents == euros(50_000))  // GG m4
        #expect(a.depreciationAndAmortisation?.cents == euros(38_000))  // GA m4; GB has no m4
        #expect(a.netIncome?.cents == euros(30_000))  // HN m2
        #expect(a.totalAssets?.cents == euros(722_000))  // CO m4
        #expect(a.inventories?.cents == euros(85_000))  // BL 35 000 + BT 50 000
        #expect(a.cash?.cents == euros(95_000))  // CF m4; CD has no m4
        #expect(a.totalLiabilities?.cents == euros(467_000))  // EE 722 000 - DL 255 000
        #expect(a.financialDebt?.cents == euros(225_000))  // DU 200 000 + DV 25 000
        #expect(a.retainedEarnings?.cents == euros(125_000))  // 10 000 + 120 000 - 5 000
    }

    @Test("simplified accounts (2033): liabilities read from m3, income statement from m1")
    func simplifiedAccounts() throws {
        let statement = try #require(try StatementFixtures.read("inpi/simplifie-2022.xml").first)
        #expect(statement.company.registrationId == "498765432")
        #expect(statement.periodEnd == Day(year: 2022, month: 9, day: 30))
        #expect(statement.consolidated == false)
        let a = statement.amounts
        #expect(a.revenue?.cents == euros(200_000))  // 210: 150 000 (209 export is part of it) + 218: 50 000
        #expect(a.operatingIncome?.cents == euros(12_000))  // 270
        #expect(a.depreciationAndAmortisation?.cents == euros(6_000))  // 254
        #expect(a.netIncome?.cents == euros(9_000))  // 310
        #expect(a.totalAssets?.cents == euros(120_000))  // 110 m3
        #expect(a.currentAssets?.cents == euros(80_000))  // 096 m3
        #expect(a.inventories?.cents == euros(34_000))  // 050: 10 000 + 060: 24 000
        #expect(a.tradeReceivables?.cents == euros(30_000))  // 068
        #expect(a.cash?.cents == euros(16_000))  // 084
        #expect(a.equity?.cents == euros(14_000))  // 142 m3
        #expect(a.totalLiabilities?.cents == euros(106_000))  // 180: 120 000 - 142: 14 000
        #expect(a.currentLiabilities?.cents == euros(66_000))  // 176: 106 000 - 195: 40 000
        #expect(a.financialDebt?.cents == euros(50_000))  // 156
        #expect(a.tradePayables?.cents == euros(35_000))  // 166
        #expect(a.retainedEarnings?.cents == euros(-3_000))  // 134, negative
    }

    @Test("consolidated accounts under another prefix: the group's share of the result preferred, flagged consolidated")
    func consolidatedAccounts() throws {
        let statement = try #require(try StatementFixtures.read("inpi/consolide-2023.xml").first)
        #expect(statement.consolidated)
        #expect(statement.periodMonths == 15)
        #expect(statement.amounts.netIncome?.cents == euros(230_000))  // R8 (part du groupe), not R6 250 000 (minorities included)
        #expect(statement.amounts.revenue?.cents == euros(8_000_000))  // FJ m3
        #expect(statement.amounts.totalLiabilities?.cents == euros(3_200_000))  // EE 5 000 000 - DL 1 800 000
        #expect(statement.amounts.currentLiabilities == nil)  // not mapped for K
    }

    @Test("a published INPI file (complete accounts) reads with its totals")
    func realCompleteFile() throws {
        let statement = try #require(try StatementFixtures.read("inpi/real-PUB_CA_036380061_2018.donnees.xml", name: "real").first)
        #expect(statement.company.registrationId == "036380061")
        #expect(statement.company.name == "SETP")
        #expect(statement.periodEnd == Day(year: 2018, month: 6, day: 30))
        let a = statement.amounts
        #expect(a.revenue?.cents == euros(17_756_540))  // FJ m3
        #expect(a.totalAssets?.cents == euros(15_326_018))  // CO m3, equal to EE m1
        #expect(a.equity?.cents == euros(4_652_612))  // DL
        #expect(a.operatingIncome?.cents == euros(242_891))  // GG m3
        #expect(a.netIncome?.cents == euros(224_049))  // HN, equal to DI
        #expect(a.totalLiabilities?.cents == euros(10_673_406))  // EE 15 326 018 - DL 4 652 612
        #expect(a.inventories?.cents == euros(3_268_185))  // BL 2 545 780 + BN 221 153 + BR 501 252
    }

    @Test("a published INPI file (simplified accounts) reads with its totals")
    func realSimplifiedFile() throws {
        let statements = try StatementFixtures.read("inpi/real-PUB_CA_016650467_2017.donnees.xml", name: "real", previousYear: true)
        #expect(statements.count == 2)
        let a = statements[0].amounts
        #expect(a.revenue?.cents == euros(19_850))  // 210 m1
        #expect(a.totalAssets?.cents == euros(112_877))  // 110 m3, equal to 180 m3
        #expect(a.equity?.cents == euros(106_511))  // 142 m3
        #expect(a.netIncome?.cents == euros(8_373))  // 310 m1, equal to 136 m3
        #expect(statements[1].amounts.retainedEarnings?.cents == euros(5_231 + 7_496 - 4_086))  // 126 + 132 + 134, m4
    }
}
