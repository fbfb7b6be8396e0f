import CreditCore
import Foundation
import StatementReader
import Testing

/// SEC XBRL instances, unchanged (sources in Fixtures/real-filings/README.md): the 2009-2011
/// `xbrl.us` namespaces, 10-Ks and 10-Qs, minorities and sparse filers.
@Suite("Real SEC filings")
struct RealSECFilingTests {
    static let netflix2009 = "sec-2009/nflx-20091231.xml"
    static let netflixQ3_2010 = "sec-2009/nflx-20100930.xml"
    static let bottling2009 = "sec-2009/bgllc-20090905.xml"
    static let apple2022 = "us-gaap/aapl-20220924_10k_htm.xml"
    static let tesla2024 = "us-gaap/tsla-20240630_10q_htm.xml"
    static let globalArena2024 = "us-gaap/gahc-20240930_10q_htm.xml"
    static let netflix2023 = "us-gaap/nflx-20231231_10k_htm.xml"
    static let microsoft2015 = "us-gaap/msft-20150630_10k-excerpt.xml"
    static let google2013 = "us-gaap/goog-20131231_10k-excerpt.xml"
    static let cannabics2015 = "us-gaap/cannabics_pharmaceuticals_inc_10k-excerpt.xml"
    static let wlRoss2015 = "us-gaap/wl_ross_holding_corp_10k-excerpt.xml"
    static let atlasAir2014Q2 = "us-gaap/aaww-20140630-excerpt.xml"
    static let unionPacific2012 = "us-gaap/unp-20121231-excerpt.xml"
    static let amazon2012Q1 = "us-gaap/amzn-20120331-excerpt.xml"
    static let target2012 = "us-gaap/tgt-20130202-excerpt.xml"
    static let cummins2008Q2 = "us-gaap/cmi-20080629_10q-excerpt.xml"

    @Test(
        "instances of 2009-2011 in the xbrl.us us-gaap and dei namespaces read like today's", arguments: [netflix2009, netflixQ3_2010, bottling2009])
    func oldNamespacesRead(_ file: String) throws {
        let statements = try StatementFixtures.readReal(file)
        #expect(statements.count == 1)
        #expect(statements.first?.amounts.totalAssets != nil)
    }

    @Test("Netflix 10-K 2009 (xbrl.us namespaces): the year, the new figures and the year before")
    func netflix2009Figures() throws {
        let statement = try #require(try StatementFixtures.readReal(Self.netflix2009).first)
        #expect(statement.company.registrationId == "0001065280")
        #expect(statement.periodEnd == Day(year: 2009, month: 12, day: 31))  // dei:DocumentPeriodEndDate, xbrl.us/dei
        #expect(statement.periodMonths == 12)
        let a = statement.amounts
        #expect(a.revenue?.cents == dollars(1_670_269_000))
        #expect(a.financialExpenses?.cents == dollars(6_475_000))  // InterestExpense
        #expect(a.costOfSales?.cents == dollars(1_079_271_000))  // CostOfRevenue
        #expect(a.fixedAssets?.cents == dollars(679_734_000 - 411_013_000))  // Assets - AssetsCurrent
        #expect(a.longTermFinancialDebt?.cents == dollars(200_000_000))  // LongTermDebtNoncurrent
        let prior = try #require(statement.priorYear)
        #expect(prior.revenue?.cents == dollars(1_364_661_000))  // the 2008 duration
        #expect(prior.financialExpenses?.cents == dollars(2_458_000))
        #expect(prior.totalAssets?.cents == dollars(615_424_000))  // the 2008-12-31 instant
    }

    @Test("a 10-Q's previous year is the same span a year earlier: nine months against nine months")
    func quarterlyPriorYear() throws {
        let statement = try #require(try StatementFixtures.readReal(Self.netflixQ3_2010).first)
        #expect(statement.periodMonths == 9)  // 2010-01-01..2010-09-30, not the quarter
        #expect(statement.amounts.revenue?.cents == dollars(1_566_703_000))
        #expect(statement.priorYear?.revenue?.cents == dollars(1_225_727_000))  // 2009-01-01..2009-09-30
        // The balance sheet compares with the previous year end, not with 2009-09-30: no prior balances.
        #expect(statement.priorYear?.totalAssets == nil)
    }

    @Test("the parent's result and equity are preferred to the figures including minorities, which get their own field")
    func parentBeforeMinorities() throws {
        let a = try #require(try StatementFixtures.readReal(Self.bottling2009).first).amounts
        #expect(a.netIncome?.cents == dollars(777_000_000))  // NetIncomeLoss, not ProfitLoss 809 000 000
        #expect(a.equity?.cents == dollars(8_518_000_000))  // StockholdersEquity, not 8 518 + 726 million
        #expect(a.minorityInterests?.cents == dollars(726_000_000))  // MinorityInterest
        #expect(a.totalLiabilities?.cents == dollars(8_230_000_000))  // tagged Liabilities
        #expect(a.financialExpenses?.cents == dollars(181_000_000))  // InterestExpense, nine months

        let tesla = try #require(try StatementFixtures.readReal(Self.tesla2024).first).amounts
        #expect(tesla.equity?.cents == dollars(66_468_000_000))  // StockholdersEquity
        #expect(tesla.minorityInterests?.cents == dollars(723_000_000))
        #expect(tesla.shortTermFinancialDebt?.cents == dollars(2_024_000_000))  // DebtCurrent
    }

    @Test("total liabilities left untagged is total assets less equity including minorities")
    func derivedLiabilities() throws {
        let a = try #require(try StatementFixtures.readReal(Self.globalArena2024).first).amounts
        #expect(a.totalAssets?.cents == dollars(744_276))
        #expect(a.equity?.cents == dollars(-9_632_773))  // StockholdersEquity (the parent's)
        #expect(a.minorityInterests?.cents == dollars(-23_042))
        // Assets 744 276 - StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest (-9 632 773 - 23 042)
        #expect(a.totalLiabilities?.cents == dollars(744_276 + 9_632_773 + 23_042))
        #expect(a.personnelCosts?.cents == dollars(96_617))  // LaborAndRelatedExpense
        #expect(a.fixedAssets?.cents == dollars(744_276 - 8_138))  // Assets - AssetsCurrent
    }

    @Test("Apple 10-K 2022: cost of goods and services sold, non-current assets, and short-term debt as current long-term debt plus commercial paper")
    func appleNewFigures() throws {
        let statement = try #require(try StatementFixtures.readReal(Self.apple2022).first)
        #expect(statement.periodEnd == Day(year: 2022, month: 9, day: 24))  // a 52-week year
        let a = statement.amounts
        #expect(a.costOfSales?.cents == dollars(223_546_000_000))  // CostOfGoodsAndServicesSold
        #expect(a.financialExpenses?.cents == dollars(2_931_000_000))  // InterestExpense
        #expect(a.fixedAssets?.cents == dollars(217_350_000_000))  // AssetsNoncurrent
        #expect(a.shortTermFinancialDebt?.cents == dollars(11_128_000_000 + 9_982_000_000))  // LongTermDebtCurrent + CommercialPaper
        #expect(a.longTermFinancialDebt?.cents == dollars(98_959_000_000))  // LongTermDebtNoncurrent
        #expect(a.financialDebt?.cents == dollars(98_959_000_000 + 11_128_000_000 + 9_982_000_000))
        let prior = try #require(statement.priorYear)  // the year to 2021-09-25, six days off a calendar year
        #expect(prior.revenue?.cents == dollars(365_817_000_000))
        #expect(prior.costOfSales?.cents == dollars(212_981_000_000))
        #expect(prior.shortTermFinancialDebt?.cents == dollars(15_613_000_000))
    }

    @Test("Netflix 10-K 2023: short-term borrowings are the debt due within a year")
    func netflixShortTermBorrowings() throws {
        let a = try #require(try StatementFixtures.readReal(Self.netflix2023).first).amounts
        #expect(a.shortTermFinancialDebt?.cents == dollars(399_844_000))  // ShortTermBorrowings
        #expect(a.longTermFinancialDebt?.cents == dollars(14_143_417_000))  // LongTermDebtNoncurrent
        #expect(a.financialExpenses?.cents == dollars(699_826_000))
    }

    @Test("total assets out of step with the liabilities side is refused, naming the concepts, lines and values")
    func totalsDisagree() throws {
        // Netflix's 2009 total assets, 679 734 000 (line 76), made ten times larger.
        let error = try #require(
            try StatementFixtures.errorReadingReal(Self.netflix2009) {
                $0.replacingOccurrences(of: ">679734000</us-gaap:Assets>", with: ">6797340000</us-gaap:Assets>")
            })
        #expect(error.kind == .totalsDisagree)
        #expect(error.line == 76)
        #expect(error.element == "us-gaap:Assets")
        #expect(error.description.contains("6 797 340 000"))
        #expect(error.description.contains("us-gaap:LiabilitiesAndStockholdersEquity 679 734 000 (line 85)"))
        #expect(error.description.contains("the period ending 2009-12-31"))
    }

    @Test("an instance in namespaces the mapping does not know says so, rather than that it has no period end")
    func unknownNamespacesAreNamed() throws {
        var mappings = StatementFixtures.mappings
        var xbrl = try #require(mappings.xbrl)
        xbrl.taxonomies = xbrl.taxonomies.mapValues { $0.filter { !$0.contains("xbrl.us") } }
        mappings.xbrl = xbrl
        let reader = StatementReader(mappings: mappings)
        do {
            _ = try reader.read(data: StatementFixtures.realFiling(Self.netflix2009), name: "nflx-20091231.xml")
            Issue.record("read without the xbrl.us namespaces")
        } catch let error as StatementError {
            #expect(!error.description.contains("has no dei:DocumentPeriodEndDate"), "\(error)")
            #expect(error.description.contains("http://xbrl.us/dei/2009-01-31"), "\(error)")
            #expect(error.description.contains("http://xbrl.us/us-gaap/2009-01-31"), "\(error)")
            #expect(error.element == "DocumentPeriodEndDate")
        }
    }

    @Test("commercial paper tagged beside the short-term borrowings that include it is counted once (Microsoft 10-K 2015)")
    func commercialPaperCountedOnce() throws {
        let statement = try #require(try StatementFixtures.readReal(Self.microsoft2015, with: StatementFixtures.reader(previousYear: true)).first)
        #expect(statement.periodEnd == Day(year: 2015, month: 6, day: 30))
        let a = statement.amounts
        // ShortTermBorrowings 4 985 M is the balance sheet's short-term debt: the 5 000 M of
        // commercial paper (decimals -8) the debt note tags beside it, not more debt.
        // The balance sheet's carrying amounts, not the notes' LongTermDebt 30 300 M (decimals -8).
        #expect(a.financialDebt?.cents == dollars(27_808_000_000 + 2_499_000_000 + 4_985_000_000))
        #expect(a.shortTermFinancialDebt?.cents == dollars(2_499_000_000 + 4_985_000_000))  // LongTermDebtCurrent + ShortTermBorrowings
        #expect(a.longTermFinancialDebt?.cents == dollars(27_808_000_000))
        let prior = try #require(statement.priorYear)
        #expect(prior.financialDebt?.cents == dollars(20_645_000_000 + 0 + 2_000_000_000))
        #expect(prior.shortTermFinancialDebt?.cents == dollars(2_000_000_000))
    }

    @Test("the financial debt is the current and the non-current debt of the balance sheet when the filer tags them (Google 10-K 2013)")
    func currentPlusNoncurrentDebt() throws {
        let statement = try #require(try StatementFixtures.readReal(Self.google2013, with: StatementFixtures.reader(previousYear: true)).first)
        #expect(statement.periodEnd == Day(year: 2013, month: 12, day: 31))
        let a = statement.amounts
        // LongTermDebt 3 255 M alone (what was stored) left out the 3 009 M of current debt,
        // commercial paper included, and was less than its own two parts.
        #expect(a.shortTermFinancialDebt?.cents == dollars(3_009_000_000))  // DebtCurrent
        #expect(a.longTermFinancialDebt?.cents == dollars(1_990_000_000))  // LongTermDebtNoncurrent
        #expect(a.financialDebt?.cents == dollars(3_009_000_000 + 1_990_000_000))
        #expect(statement.priorYear?.financialDebt?.cents == dollars(2_549_000_000 + 2_988_000_000))
    }

    @Test("an 8-K's cover page holds no statement: the refusal says the document type, not that concepts are missing")
    func currentReportRefused() throws {
        let error = try #require(try StatementFixtures.errorReadingReal("us-gaap/wat-20240108_8k.xml"))
        #expect(error.kind == .missingElement)
        #expect(error.description.contains("its document type is 8-K, not an annual or quarterly report"), "\(error)")
    }

    @Test("a development-stage filer's flows since inception are not its year: the year's column is read (Cannabics 10-K 2015)")
    func inceptionToDateIsNotTheYear() throws {
        let statement = try #require(
            try StatementFixtures.readReal(Self.cannabics2015, with: StatementFixtures.reader(previousYear: true)).first)
        // Its flows come in two columns ending 2015-08-31: the year from 2014-09-01 and the
        // span since inception on 2004-09-15, which had been read as a 132-month year.
        #expect(statement.periodEnd == Day(year: 2015, month: 8, day: 31))
        #expect(statement.periodMonths == 12)
        let a = statement.amounts
        #expect(a.netIncome?.cents == dollars(-541_387))  // not -1 279 138 since inception
        #expect(a.operatingIncome?.cents == dollars(-539_526))
        #expect(a.financialExpenses?.cents == dollars(3_026))
        let prior = try #require(statement.priorYear)
        #expect(prior.netIncome?.cents == dollars(-270_005))
        #expect(prior.operatingIncome?.cents == dollars(-216_132))
    }

    @Test("shares subject to redemption (temporary equity) are counted with the liabilities when Liabilities is tagged too (WL Ross 10-K 2015)")
    func temporaryEquityIsALiability() throws {
        let a = try #require(try StatementFixtures.readReal(Self.wlRoss2015).first).amounts
        // A SPAC: assets 500 706 451, of which 476 631 550 held for shares the holders may redeem.
        // Derived from assets less equity, they were liabilities; added to a tagged Liabilities
        // of 19 074 899 they now are too, so the figure no longer depends on how the filer tags.
        #expect(a.totalAssets?.cents == dollars(500_706_451))
        #expect(a.totalLiabilities?.cents == dollars(19_074_899 + 476_631_550))
        #expect(a.equity?.cents == dollars(5_000_002))
    }

    @Test("a 10-Q's equity a year back, stated only including minorities, is left unknown rather than taken for the parent's (Atlas Air Q2 2014)")
    func priorEquityWithoutItsMinorities() throws {
        let statement = try #require(
            try StatementFixtures.readReal(Self.atlasAir2014Q2, with: StatementFixtures.reader(previousYear: true)).first)
        #expect(statement.periodMonths == 6)
        #expect(statement.amounts.equity?.cents == dollars(1_355_551_000))  // StockholdersEquity at 2014-06-30
        let prior = try #require(statement.priorYear)
        // At 2013-06-30 only the equity statement speaks: equity including minorities 1 248 885 000,
        // the parent's 1 244 289 000 on a dimension. MinorityInterest, which the filer tags for the
        // year, is not tagged that day: its absence is no zero.
        #expect(prior.equity == nil)
        #expect(prior.totalAssets == nil)
        #expect(prior.netIncome != nil)  // the six months a year earlier are stated in full
    }

    @Test("depreciation alone stands for depreciation and amortisation when the filer tags nothing wider (Union Pacific 10-K 2012)")
    func depreciationAlone() throws {
        let statement = try #require(
            try StatementFixtures.readReal(Self.unionPacific2012, with: StatementFixtures.reader(previousYear: true)).first)
        #expect(statement.amounts.depreciationAndAmortisation?.cents == dollars(1_760_000_000))
        #expect(statement.priorYear?.depreciationAndAmortisation?.cents == dollars(1_617_000_000))
        #expect(statement.amounts.financialDebt?.cents == dollars(196_000_000 + 8_801_000_000))
    }

    @Test("a 10-Q is read over its year to date, not over a trailing-twelve-months column that also ends that day (Amazon Q1 2012)")
    func quarterNotTrailingTwelveMonths() throws {
        let statement = try #require(
            try StatementFixtures.readReal(Self.amazon2012Q1, with: StatementFixtures.reader(previousYear: true)).first)
        // DocumentFiscalPeriodFocus Q1: three months from 2012-01-01. The cash-flow statement adds
        // 2011-04-01 to 2012-03-31, which had been read as the year: net income 561 M, D&A 1 338 M,
        // and revenue unknown, since the income statement states the quarter only.
        #expect(statement.periodMonths == 3)
        let a = statement.amounts
        #expect(a.revenue?.cents == dollars(13_185_000_000))
        #expect(a.netIncome?.cents == dollars(130_000_000))
        #expect(a.operatingIncome?.cents == dollars(192_000_000))
        #expect(a.depreciationAndAmortisation?.cents == dollars(457_000_000))
        #expect(a.financialExpenses?.cents == dollars(21_000_000))
        #expect(a.costOfSales?.cents == dollars(10_027_000_000))
        let prior = try #require(statement.priorYear)
        #expect(statement.priorYearMonths == 3)
        #expect(prior.revenue?.cents == dollars(9_857_000_000))
        #expect(prior.netIncome?.cents == dollars(201_000_000))
    }

    @Test("a 10-Q whose document context is the quarter is still read over its year to date (Atlas Air Q2 2014, Cummins Q2 2008)")
    func secondQuarterIsSixMonths() throws {
        #expect(try StatementFixtures.readReal(Self.atlasAir2014Q2).first?.periodMonths == 6)
        let cummins = try #require(try StatementFixtures.readReal(Self.cummins2008Q2).first)
        #expect(cummins.periodMonths == 6)
        #expect(cummins.amounts.revenue?.cents == dollars(7_361_000_000))
    }

    @Test("the last choices: net income available to common shareholders, cash with short-term investments (Target 10-K 2012)")
    func targetLastChoices() throws {
        let statement = try #require(
            try StatementFixtures.readReal(Self.target2012, with: StatementFixtures.reader(previousYear: true)).first)
        // Target tags neither NetIncomeLoss nor ProfitLoss, nor any cash concept but this one.
        #expect(statement.amounts.netIncome?.cents == dollars(2_999_000_000))
        #expect(statement.amounts.cash?.cents == dollars(784_000_000))
        #expect(statement.priorYear?.netIncome?.cents == dollars(2_929_000_000))
        #expect(statement.amounts.revenue?.cents == dollars(73_301_000_000))
    }

    @Test("the 2008 names of trade receivables and payables are read (Cummins 10-Q Q2 2008)")
    func receivablesAndPayables2008() throws {
        let a = try #require(try StatementFixtures.readReal(Self.cummins2008Q2).first).amounts
        #expect(a.tradeReceivables?.cents == dollars(2_079_000_000))  // AccountsNotesAndLoansReceivableNetCurrent
        #expect(a.tradePayables?.cents == dollars(1_460_000_000))  // AccountsPayable
    }
}
