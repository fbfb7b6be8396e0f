import CreditCore
import Foundation
import StatementReader
import Testing

/// Published INPI "bilans saisis" files, unchanged (sources in Fixtures/real-filings/README.md).
/// Every expected figure is the file's own liasse value, or their arithmetic written beside it.
@Suite("Real INPI filings")
struct RealINPIFilingTests {
    /// AUTOMOBILES DANGEL, complete accounts, year to 2020-03-31, with a 2057 schedule of debts.
    static let dangel = "inpi/libinpibilan-test-950058644-20200331.donnees.xml"
    /// SELARL UCI VISTA, complete accounts, 2015: a service company (no purchases of goods).
    static let vista = "inpi/PUB_CA_483935326_1303_2013D00195_2015_1048.donnees.xml"
    /// A holding company, complete accounts to 2017-03-31: income statement without turnover or staff.
    static let holding = "inpi/PUB_CA_415127778_5402_1998B00026_2017_2543.donnees.xml"
    /// A first-year filer: duree_exercice_n 00, no previous closing date (00000000), no N-1 columns.
    static let firstYear = "inpi/PUB_CA_820585297_8305_2016B01086_2017_B2019002487.donnees.xml"
    /// Simplified accounts (2033) to 2018-09-30 of a company whose sales stopped.
    static let simplified = "inpi/PUB_CA_353109333_8302_1990B00041_2018_1168.donnees.xml"
    /// Consolidated accounts (K) of a group with minority interests, 2017.
    static let group = "inpi/PUB_CA_323623603_7802_2010B03274_2017_6141.donnees.xml"
    /// Complete accounts whose income statement is confidential (code_confidentialite 2).
    static let confidentialIncome = "inpi/PUB_CA_500450515_4202_2009B00825_2018_B2019002266.donnees.xml"
    /// IgnitionOne, 2016: total assets stated 100 times the liabilities side (code_motif 01, "incohérences à la source").
    static let hundredTimes = "inpi/PUB_CA_802020909_7501_2014B10447_2016_7330.donnees.xml"
    /// Complete accounts, 2016, whose N-1 liabilities column is ten times its assets column.
    static let tenTimesLastYear = "inpi/PUB_CA_751798745_1407_2012B00202_2016_411.donnees.xml"
    /// Complete accounts of 18 months to 2017-06-30, after a year of 12 months to 2015-12-31.
    static let eighteenMonths = "inpi/PUB_CA_529262396_3802_2011B00041_2017_B2019001667.donnees.xml"
    /// Complete accounts to 2018-09-30 whose depreciation is all on GB (provisions), GA left blank.
    static let blankGA = "inpi/PUB_CA_015850282_2104_1958B00028_2018_2546.donnees.xml"

    @Test(
        "complete accounts: interest is GR, not the financial charges total GU; purchases and external charges, staff and fixed assets from their lines"
    )
    func completeAccountsNewFigures() throws {
        let statement = try #require(try StatementFixtures.readReal(Self.dangel).first)
        let a = statement.amounts
        #expect(a.financialExpenses?.cents == euros(106_810))  // GR, not GU 220 653
        // FS 137 133 + FT -114 824 + FU 12 010 208 + FV -247 455 + FW 3 801 689
        #expect(a.costOfSales?.cents == euros(137_133 - 114_824 + 12_010_208 - 247_455 + 3_801_689))
        #expect(a.personnelCosts?.cents == euros(3_888_828 + 1_247_187))  // FY + FZ
        #expect(a.fixedAssets?.cents == euros(7_853_794))  // BJ m3, net
        #expect(a.minorityInterests == nil)  // company accounts have none
    }

    @Test("financial debt by maturity comes from the 2057 schedule: within a year from its m2 column, the rest after")
    func debtByMaturity() throws {
        let a = try #require(try StatementFixtures.readReal(Self.dangel).first).amounts
        // VG.m2 8 029 + VH.m2 1 078 857 + 8A.m2 125 985 + VI.m2 123 854
        #expect(a.shortTermFinancialDebt?.cents == euros(8_029 + 1_078_857 + 125_985 + 123_854))
        // (VG 8 029 - 8 029) + (VH 5 351 396 - 1 078 857) + (8A 350 985 - 125 985) + (VI 123 854 - 123 854)
        #expect(a.longTermFinancialDebt?.cents == euros(5_351_396 - 1_078_857 + 350_985 - 125_985))
        // Here the schedule details the balance sheet's debts exactly: DU 5 359 425 + DV 474 839.
        #expect(a.financialDebt?.cents == euros(5_359_425 + 474_839))
        #expect(a.shortTermFinancialDebt.flatMap { short in a.longTermFinancialDebt.map { short + $0 } } == a.financialDebt)

        let vista = try #require(try StatementFixtures.readReal(Self.vista).first).amounts
        #expect(vista.shortTermFinancialDebt?.cents == euros(349 + 87_092 + 33_155))  // VG.m2 + VH.m2 + VI.m2
        #expect(vista.longTermFinancialDebt?.cents == euros(371_476 - 87_092))  // VH - VH.m2
    }

    @Test("the previous year comes from the N-1 columns of the same file; the 2057 schedule has none, so debt by maturity stays unknown")
    func priorYear() throws {
        let statement = try #require(try StatementFixtures.readReal(Self.dangel).first)
        let prior = try #require(statement.priorYear)
        #expect(prior.revenue?.cents == euros(22_476_337))  // FJ m4
        #expect(prior.totalAssets?.cents == euros(21_315_258))  // CO m4
        #expect(prior.equity?.cents == euros(8_345_204))  // DL m2
        #expect(prior.netIncome?.cents == euros(1_451_735))  // HN m2
        #expect(prior.financialExpenses?.cents == euros(132_630))  // GR m4
        #expect(prior.costOfSales?.cents == euros(201_051 - 57_157 + 11_494_496 - 1_114_383 + 3_674_770))  // FS..FW m4
        #expect(prior.personnelCosts?.cents == euros(3_570_189 + 1_203_434))  // FY + FZ m4
        #expect(prior.fixedAssets?.cents == euros(7_904_822))  // BJ m4
        #expect(prior.shortTermFinancialDebt == nil && prior.longTermFinancialDebt == nil)
    }

    @Test("a year of 18 months after one of 12: the previous year's length is kept beside its figures (duree_exercice_n-1)")
    func previousYearLength() throws {
        let statement = try #require(try StatementFixtures.readReal(Self.eighteenMonths).first)
        #expect(statement.periodMonths == 18)  // duree_exercice_n
        #expect(statement.priorYearMonths == 12)  // duree_exercice_n-1
        #expect(statement.amounts.revenue?.cents == euros(90_380))  // FJ m3, over 18 months
        #expect(statement.priorYear?.revenue?.cents == euros(98_553))  // FJ m4, over 12 months
    }

    @Test("a blank line on a filed income statement is zero: a holding company has no turnover, no staff and no interest")
    func blankLinesOfAFiledFormAreZero() throws {
        let statement = try #require(try StatementFixtures.readReal(Self.holding).first)
        let a = statement.amounts
        #expect(a.revenue == .zero)  // no FJ, FA, FD or FG line; GF, GG, HN are filled
        #expect(a.personnelCosts == .zero)  // no FY, FZ
        #expect(a.financialExpenses == .zero)  // no GR: its GU 41 647 is a provision on shares (GQ), not interest
        #expect(a.costOfSales?.cents == euros(1_456))  // FW alone
        #expect(a.inventories == .zero)  // a filed balance sheet without stock lines
        #expect(a.shortTermFinancialDebt?.cents == euros(662 + 144_466))  // VG.m2 + VI.m2
        #expect(a.longTermFinancialDebt == .zero)
        #expect(statement.priorYear?.revenue == .zero)  // the N-1 column is filed too (GF m4...)
        #expect(a.operatingIncome?.cents == euros(-1_456))  // results are read, never inferred
    }

    @Test("a confidential income statement stays unknown, not zero: the section was not filed")
    func confidentialIncomeStatementIsUnknown() throws {
        let a = try #require(try StatementFixtures.readReal(Self.confidentialIncome).first).amounts
        #expect(a.revenue == nil && a.financialExpenses == nil && a.costOfSales == nil && a.personnelCosts == nil)
        #expect(a.operatingIncome == nil)
        #expect(a.netIncome?.cents == euros(34_281))  // DI, from the balance sheet
        #expect(a.fixedAssets == .zero)  // CO 546 236 - CJ 546 236: no BJ line
        #expect(a.financialDebt == .zero)  // a filed balance sheet without DS..DV
    }

    @Test("a first-year filer's 00 period length is not refused: without a previous closing date it stays unstated (0)")
    func firstYearFiler() throws {
        let statement = try #require(try StatementFixtures.readReal(Self.firstYear).first)
        #expect(statement.periodEnd == Day(year: 2017, month: 12, day: 31))
        #expect(statement.periodMonths == 0)
        #expect(statement.priorYear == nil)  // no N-1 column in a first year
        let a = statement.amounts
        #expect(a.revenue?.cents == euros(21_426))  // FJ m3
        #expect(a.costOfSales?.cents == euros(15_947 - 6_480 + 2_327 + 39_406))  // FS + FT + FU + FW
        #expect(a.retainedEarnings == .zero)  // no reserves yet
        #expect(a.shortTermFinancialDebt == nil)  // no 2057 schedule captured
    }

    @Test("a first-year filer's 00 period length is counted from the previous closing date when the file gives one")
    func firstYearFilerWithPreviousClosing() throws {
        let text = String(decoding: try StatementFixtures.realFiling(Self.firstYear), as: UTF8.self)
            .replacingOccurrences(
                of: "<date_cloture_exercice_n-1>00000000", with: "<date_cloture_exercice_n-1>20160630")
        let statement = try #require(try StatementFixtures.reader().read(data: Data(text.utf8), name: "first-year.xml").first)
        #expect(statement.periodMonths == 18)  // 2016-06-30 to 2017-12-31: 549 days / 30.44
    }

    @Test("a period length that is neither a number of months nor 00 is still refused, naming the element")
    func nonsensePeriodLength() throws {
        let error = try #require(
            try StatementFixtures.errorReadingReal(Self.firstYear) {
                $0.replacingOccurrences(of: "<duree_exercice_n>00", with: "<duree_exercice_n>4O")
            })
        #expect(error.kind == .invalidValue)
        #expect(error.element == "duree_exercice_n")
        #expect(error.description.contains("\"4O\""))
    }

    @Test("simplified accounts (2033): financial charges 294, staff 250 + 252, purchases and external charges 234..242, fixed assets 044")
    func simplifiedAccounts() throws {
        let statement = try #require(try StatementFixtures.readReal(Self.simplified).first)
        let a = statement.amounts
        #expect(a.financialExpenses?.cents == euros(6_214))  // 294 m1
        #expect(a.personnelCosts?.cents == euros(37))  // 252 m1; 250 blank
        #expect(a.costOfSales?.cents == euros(14_867))  // 242 m1 alone
        #expect(a.fixedAssets?.cents == euros(303_235))  // 044 m3
        #expect(a.revenue == .zero)  // no sales line in year N, though 264, 270 and 310 are filed
        #expect(a.shortTermFinancialDebt == nil)  // the 2033 forms split debt by maturity only as a whole (195)
        let prior = try #require(statement.priorYear)
        #expect(prior.revenue?.cents == euros(6_000 + 50_416))  // 214 m2 + 218 m2
        #expect(prior.personnelCosts?.cents == euros(11_966 + 4_326))  // 250 m2 + 252 m2
        #expect(prior.costOfSales?.cents == euros(3_479 + 781 + 29_806))  // 234 + 236 + 242, m2
        #expect(prior.financialExpenses?.cents == euros(6_111))  // 294 m2
    }

    @Test("consolidated accounts: the group's share of equity and result, minorities in their own field and out of liabilities")
    func consolidatedWithMinorities() throws {
        let statement = try #require(try StatementFixtures.readReal(Self.group).first)
        #expect(statement.consolidated)
        let a = statement.amounts
        #expect(a.netIncome?.cents == euros(600_700_000))  // R8, not R6 665 100 000 = R8 + R7 64 400 000
        #expect(a.equity?.cents == euros(4_661_900_000))  // DL
        #expect(a.minorityInterests?.cents == euros(564_100_000))  // P7
        // EE 13 484 400 000 - DL 4 661 900 000 - P7 564 100 000
        #expect(a.totalLiabilities?.cents == euros(13_484_400_000 - 4_661_900_000 - 564_100_000))
        #expect(a.financialExpenses?.cents == euros(72_200_000))  // GU: the group files no GR line
        #expect(a.costOfSales == nil)  // consolidated captures are summaries: blank lines are not zeros
        #expect(statement.priorYear?.minorityInterests?.cents == euros(519_400_000))  // P7 m2
        #expect(statement.priorYear?.netIncome?.cents == euros(578_800_000))  // R8 m2
    }

    @Test("total assets stated 100 times the liabilities side is refused, naming both figures, their lines and values")
    func hundredTimesTotalAssets() throws {
        let error = try #require(try StatementFixtures.errorReadingReal(Self.hundredTimes))
        #expect(error.kind == .totalsDisagree)
        #expect(error.line == 28)
        #expect(error.element?.hasPrefix("liasse CO m3") == true)
        #expect(error.description.contains("year N:"))
        #expect(error.description.contains("783 118 502"))  // CO m3
        #expect(error.description.contains("liasse EE m1"))
        #expect(error.description.contains("7 831 185 (line 38)"))  // EE m1
    }

    @Test("a previous-year column that does not balance refuses the file too, saying it is year N-1")
    func priorYearColumnOffByTen() throws {
        let error = try #require(try StatementFixtures.errorReadingReal(Self.tenTimesLastYear))
        #expect(error.kind == .totalsDisagree)
        #expect(error.description.contains("year N-1"))
        #expect(error.description.contains("452 380"))  // CO m4
        #expect(error.description.contains("4 123 130"))  // EE m2
    }

    @Test("totals that differ by rounding only are accepted: a euro off on a balance of four million")
    func roundingIsTolerated() throws {
        // VISTA's CO m3 is 4 102 554; make EE m1 one euro more, as rounding line by line does.
        let edited = try StatementFixtures.errorReadingReal(Self.vista) {
            $0.replacingOccurrences(of: #"code="EE" m1="000000004102554""#, with: #"code="EE" m1="000000004102555""#)
        }
        #expect(edited == nil)
    }

    @Test("a blank line on a filed income statement is a zero beside a filled one: D&A is GB when GA is blank, not zero")
    func blankLineBesideAFilledOne() throws {
        let statement = try #require(
            try StatementFixtures.readReal(Self.blankGA, with: StatementFixtures.reader(previousYear: true)).first)
        // D&A is GA + GB; GA is blank both years, GB 197 033 and 235 267 (within GF's total).
        #expect(statement.amounts.depreciationAndAmortisation?.cents == euros(197_033))
        #expect(statement.priorYear?.depreciationAndAmortisation?.cents == euros(235_267))
    }
}
