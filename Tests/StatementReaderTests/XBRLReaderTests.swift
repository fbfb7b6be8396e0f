import CreditCore
import Foundation
import StatementReader
import Testing

@Suite("XBRL instances")
struct XBRLReaderTests {
    @Test("US GAAP 10-K: main-year facts only, by namespace not prefix, nil facts skipped")
    func usGaap() throws {
        let document = try StatementFixtures.document("xbrl/us-gaap-10k.xml")
        #expect(document.format == .xbrl)
        let statement = try #require(document.statements.first)
        #expect(statement.company.registrationId == "0000123456")
        #expect(statement.company.name == "Acme Widgets, Inc.")
        #expect(statement.periodEnd == Day(year: 2023, month: 12, day: 31))
        #expect(statement.periodMonths == 12)  // 2023-01-01..2023-12-31, not the Q4 context
        #expect(statement.currency == "USD")
        #expect(statement.consolidated)
        let a = statement.amounts
        // 125 000 400 (decimals 0) and 125 000 000 (decimals -6) agree to millions: the precise one wins.
        #expect(a.revenue?.cents == units(125_000_400))
        #expect(a.operatingIncome?.cents == units(15_500_000))
        #expect(a.depreciationAndAmortisation?.cents == units(4_200_000))
        #expect(a.netIncome?.cents == units(9_800_000))  // ProfitLoss is nil, NetIncomeLoss next in line
        #expect(a.totalAssets?.cents == units(210_000_000))  // not the parent-only 99 000 000
        #expect(a.currentAssets?.cents == units(90_000_000))
        #expect(a.inventories?.cents == units(25_000_000))
        #expect(a.tradeReceivables?.cents == units(30_000_000))
        #expect(a.cash?.cents == 1_234_567_890)  // 12 345 678.90, cents kept
        #expect(a.totalLiabilities?.cents == units(130_000_000))
        #expect(a.currentLiabilities?.cents == units(60_000_000))
        #expect(a.financialDebt?.cents == units(55_000_000))  // LongTermDebt 50 000 000 + ShortTermBorrowings 5 000 000
        #expect(a.tradePayables?.cents == units(20_000_000))
        #expect(a.equity?.cents == units(80_000_000))
        #expect(a.retainedEarnings?.cents == units(45_000_000))
        #expect(a.ebitda?.cents == units(15_500_000 + 4_200_000))
    }

    @Test("IFRS (ESEF shape): LEI, EUR, https taxonomy namespace, scenario facts ignored, the owners' share preferred")
    func ifrs() throws {
        let statement = try #require(try StatementFixtures.read("xbrl/ifrs-esef.xml", name: "ifrs").first)
        #expect(statement.company.registrationId == "969500ABCDEF12345678")
        #expect(statement.company.name == "Exemple SA")
        #expect(statement.periodEnd == Day(year: 2023, month: 12, day: 31))  // latest duration, no dei
        #expect(statement.currency == "EUR")
        let a = statement.amounts
        #expect(a.revenue?.cents == units(48_200_000))
        #expect(a.netIncome?.cents == units(-520_000))  // owners of the parent; ProfitLoss -450 000 includes minorities' 70 000
        #expect(a.financialDebt?.cents == units(15_000_000))  // 12 000 000 non-current + 3 000 000 current
        #expect(a.shortTermFinancialDebt?.cents == units(3_000_000))  // CurrentBorrowingsAndCurrentPortionOfNoncurrentBorrowings
        #expect(a.longTermFinancialDebt?.cents == units(12_000_000))  // NoncurrentPortionOfNoncurrentBorrowings
        // Owners of the parent: not the 22 000 000 including minorities, nor the restated 21 000 000.
        #expect(a.equity?.cents == units(20_500_000))
        #expect(a.minorityInterests?.cents == units(1_500_000))
        #expect(a.totalLiabilities?.cents == units(39_000_000))
        #expect(a.tradeReceivables?.cents == units(9_500_000))
        #expect(a.tradePayables?.cents == units(11_000_000))
        #expect(a.financialExpenses?.cents == units(700_000))  // FinanceCosts
        #expect(a.costOfSales?.cents == units(30_100_000))
        #expect(a.personnelCosts?.cents == units(9_800_000))  // EmployeeBenefitsExpense
        #expect(a.fixedAssets?.cents == units(34_000_000))  // NoncurrentAssets
        let prior = try #require(statement.priorYear)
        #expect(prior.revenue?.cents == units(45_000_000))
        #expect(prior.financialExpenses?.cents == units(650_000))
        #expect(prior.equity?.cents == units(21_000_000))  // Equity, no minorities stated that year
        #expect(prior.totalLiabilities?.cents == units(58_000_000 - 21_000_000))  // Assets - Equity
        #expect(prior.fixedAssets?.cents == units(58_000_000 - 25_000_000))  // Assets - CurrentAssets
        #expect(prior.longTermFinancialDebt?.cents == units(13_000_000))
    }
}

/// Whole currency units to cents.
private func units(_ value: Int64) -> Int64 { value * 100 }
