import CreditCore
import Testing

@Suite("Financial profile")
struct FinancialProfileTests {
    @Test("Altman Z'' on a hand example: a sound company is in the safe zone")
    func altmanSafe() throws {
        let profile = try #require(FinancialProfile(statement: statement(), asOf: day("2025-06-30"), model: try ModelFile.shipped()))
        // X1 = (600 000 − 400 000) / 1 000 000 = 0.2; X2 = 200 000 / 1 000 000 = 0.2;
        // X3 = 100 000 / 1 000 000 = 0.1; X4 = 400 000 / 600 000 = 0.6667.
        #expect(try #require(profile.x1).isClose(to: 0.2))
        #expect(try #require(profile.x2).isClose(to: 0.2))
        #expect(try #require(profile.x3).isClose(to: 0.1))
        #expect(try #require(profile.x4).isClose(to: 2.0 / 3))
        // Z'' = 6.56·0.2 + 3.26·0.2 + 6.72·0.1 + 1.05·0.6667 = 1.312 + 0.652 + 0.672 + 0.7 = 3.336 > 2.6.
        #expect(try #require(profile.zScore).isClose(to: 3.336))
        #expect(profile.zone == .safe)
        #expect(profile.equityRatio == 0.4)  // 400 000 / 1 000 000
        #expect(profile.currentRatio == 1.5)  // 600 000 / 400 000
        #expect(profile.netMargin == 0.03)  // 60 000 / 2 000 000
        #expect(profile.hasNegativeEquity == false)
        #expect(profile.hasLoss == false)
        #expect(profile.missingFigures.isEmpty)
    }

    @Test("negative equity and losses land in the distress zone")
    func altmanDistress() throws {
        let accounts = statement(
            operatingIncome: -50_000, netIncome: -80_000, currentAssets: 300_000, currentLiabilities: 500_000,
            totalLiabilities: 1_050_000, equity: -50_000, retainedEarnings: -100_000)
        let profile = try #require(FinancialProfile(statement: accounts, asOf: day("2025-06-30"), model: try ModelFile.shipped()))
        // X1 = −200 000 / 1 000 000 = −0.2; X2 = −0.1; X3 = −0.05; X4 = −50 000 / 1 050 000 = −0.047619.
        // Z'' = −1.312 − 0.326 − 0.336 − 0.05 = −2.024 < 1.1.
        #expect(try #require(profile.zScore).isClose(to: -2.024, within: 1e-6))
        #expect(profile.zone == .distress)
        #expect(profile.hasNegativeEquity == true)
        #expect(profile.hasLoss == true)
    }

    @Test("a grey-zone company: Z'' between 1.1 and 2.6")
    func altmanGrey() throws {
        let accounts = statement(operatingIncome: 30_000, currentAssets: 500_000, currentLiabilities: 450_000, retainedEarnings: 100_000)
        let profile = try #require(FinancialProfile(statement: accounts, asOf: day("2025-06-30"), model: try ModelFile.shipped()))
        // X1 = 0.05, X2 = 0.1, X3 = 0.03, X4 = 0.6667: 0.328 + 0.326 + 0.2016 + 0.7 = 1.5556.
        #expect(try #require(profile.zScore).isClose(to: 1.5556, within: 1e-9))
        #expect(profile.zone == .grey)
    }

    @Test(
        "statement age weight: full to 18 months, linear to nothing at 30",
        arguments: [(0.0, 1.0), (18, 1), (21, 0.75), (24, 0.5), (27, 0.25), (30, 0), (48, 0)])
    func ageFade(months: Double, weight: Double) {
        // (30 − age) / (30 − 18): 21 → 9/12 = 0.75, 24 → 6/12 = 0.5, 27 → 3/12 = 0.25.
        #expect(FinancialProfile.ageWeight(ageMonths: months, full: 18, zero: 30).isClose(to: weight))
    }

    @Test("age is counted from the period end to the as-of date")
    func ageFromDates() throws {
        // 2024-12-31 → 2026-12-31 is 730 days = 23.98 months: (30 − 23.984) / 12 = 0.5013.
        let profile = try #require(FinancialProfile(statement: statement(), asOf: day("2026-12-31"), model: try ModelFile.shipped()))
        #expect(profile.ageMonths.isClose(to: 730 / 30.4375))
        #expect(profile.ageWeight.isClose(to: (30 - 730 / 30.4375) / 12))
    }

    @Test("a statement closed after the as-of date is not known yet")
    func noLookAhead() throws {
        #expect(FinancialProfile(statement: statement(periodEnd: "2025-12-31"), asOf: day("2025-06-30"), model: try ModelFile.shipped()) == nil)
    }

    @Test("missing figures are named and Z'' is left out; a half-year's revenue counts twice")
    func missingFigures() throws {
        let accounts = statement(months: 6, retainedEarnings: nil)
        let profile = try #require(FinancialProfile(statement: accounts, asOf: day("2025-06-30"), model: try ModelFile.shipped()))
        #expect(profile.zScore == nil)
        #expect(profile.missingFigures == ["retainedEarnings"])
        #expect(profile.annualRevenue == euros(4_000_000))  // 2 000 000 × 12 / 6
    }
}
