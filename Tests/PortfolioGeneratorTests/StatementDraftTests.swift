import CreditCore
import PortfolioGenerator
import Testing

@Suite("Statements drawn from hidden health")
struct StatementDraftTests {
    let configuration = GeneratorConfiguration(customers: 3000, seed: 11)

    func all() -> [(LatentCompany, [FinancialStatement])] {
        let drafts = StatementDrafts(configuration: configuration)
        return LatentPortfolio(configuration: configuration).map { ($0, drafts.statements(for: $0)) }
    }

    @Test("only French companies file, about two thirds of them, and only accounts published by the export date")
    func coverage() throws {
        let companies = all()
        let french = companies.filter { $0.0.customer.registrationId?.count == 9 }
        let filing = french.filter { !$0.1.isEmpty }
        let share = Double(filing.count) / Double(french.count)
        #expect(share > 0.55 && share < 0.8, "share of filers \(share)")
        let latestPublishable = try #require(Day(parsing: "2025-12-31"))  // FY2025 is public end of July 2026 ≤ 2026-10-31
        for (_, statements) in companies {
            #expect(statements.allSatisfy { $0.periodEnd <= latestPublishable })
        }
        #expect(companies.filter { $0.0.customer.registrationId?.count != 9 }.allSatisfy { $0.1.isEmpty })
    }

    @Test("balance sheets balance, and a year of weak health gives thin equity, losses and poor liquidity")
    func weakYearsLookWeak() throws {
        var weak: [FinancialStatement.Amounts] = []
        var strong: [FinancialStatement.Amounts] = []
        for (company, statements) in all() {
            for statement in statements {
                let a = statement.amounts
                #expect(try #require(a.equity) + (try #require(a.totalLiabilities)) == (try #require(a.totalAssets)))
                let start = Day(year: statement.periodEnd.components.year, month: 1, day: 1)!
                let health = company.health.average(from: start, through: statement.periodEnd)
                if health < 1 { weak.append(a) } else if health > 2.5 { strong.append(a) }
            }
        }
        func mean(_ list: [FinancialStatement.Amounts], _ ratio: (FinancialStatement.Amounts) -> Double) -> Double {
            list.map(ratio).reduce(0, +) / Double(max(list.count, 1))
        }
        let equityRatio = { (a: FinancialStatement.Amounts) in Double(a.equity!.cents) / Double(a.totalAssets!.cents) }
        let margin = { (a: FinancialStatement.Amounts) in Double(a.netIncome!.cents) / Double(a.revenue!.cents) }
        let currentRatio = { (a: FinancialStatement.Amounts) in Double(a.currentAssets!.cents) / Double(a.currentLiabilities!.cents) }
        #expect(weak.count > 10 && strong.count > 10)
        // With the draft's slopes: equity ratio −0.15 + 0.17·h, net margin −0.05 + 0.03·h, current ratio 0.6 + 0.35·h,
        // so h < 1 against h > 2.5 differs by at least 0.25, 0.045 and 0.5 on average.
        #expect(mean(strong, equityRatio) - mean(weak, equityRatio) > 0.2)
        #expect(mean(weak, margin) < 0 && mean(strong, margin) > 0.02)
        #expect(mean(strong, currentRatio) - mean(weak, currentRatio) > 0.4)
    }

    @Test("the same configuration draws the same statements")
    func deterministic() {
        let first = all().map(\.1)
        let second = all().map(\.1)
        #expect(first == second)
    }
}
