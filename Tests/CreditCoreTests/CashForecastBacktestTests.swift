import Testing

@testable import CreditCore

@Suite("Cash forecast backtest")
struct CashForecastBacktestTests {
    static func day(_ text: String) -> Day { Day(parsing: text)! }
    static func euros(_ units: Int64) -> Money { Money(cents: units * 100) }

    @Test("WAPE, bias and MAPE are computed over the weeks, weighted by what came")
    func errors() {
        // Forecast 100, 50, 0 against receipts 80, 100, 20:
        // |20| + |−50| + |−20| = 90 over 200 received: WAPE 0.45;
        // (150 − 200) / 200 = −0.25 bias (too cautious);
        // MAPE (20/80 + 50/100 + 20/20) / 3 = (0.25 + 0.5 + 1) / 3 = 0.58333…
        let errors = CashForecastBacktest.Errors(
            [(Self.euros(100), Self.euros(80)), (Self.euros(50), Self.euros(100)), (Self.euros(0), Self.euros(20))].map {
                (forecast: $0.0, actual: $0.1)
            })
        #expect(errors.forecast == Self.euros(150))
        #expect(errors.actual == Self.euros(200))
        #expect(abs((errors.wape ?? 0) - 0.45) < 1e-12)
        #expect(abs((errors.bias ?? 0) + 0.25) < 1e-12)
        #expect(abs((errors.mape ?? 0) - 1.75 / 3) < 1e-12)
        #expect(errors.pairs == 3 && errors.pairsWithReceipts == 3)
    }

    @Test("weeks without receipts count in WAPE and bias but not in MAPE; nothing received gives no ratio")
    func nothingReceived() {
        // Forecast 30 and 10 against 0 and 40: WAPE (30 + 30) / 40 = 1.5, bias 0, MAPE 30/40 = 0.75.
        let errors = CashForecastBacktest.Errors([(forecast: Self.euros(30), actual: .zero), (forecast: Self.euros(10), actual: Self.euros(40))])
        #expect(errors.wape == 1.5)
        #expect(errors.bias == 0)
        #expect(errors.mape == 0.75)
        #expect(errors.pairsWithReceipts == 1)
        let none = CashForecastBacktest.Errors([(forecast: Self.euros(30), actual: .zero)])
        #expect(none.wape == nil && none.bias == nil && none.mape == nil)
    }

    @Test("the backtest forecasts from the latest month-ends whose whole horizon the ledger covers")
    func monthEnds() {
        // Ledger to 31 October 2026, 13 weeks (91 days): the latest month-end with its horizon
        // inside is 31 July (+91 = 30 October); 31 August + 91 = 30 November is too late.
        #expect(
            CashForecastBacktest.monthEnds(count: 3, weeks: 13, lastDay: Self.day("2026-10-31"))
                == [Self.day("2026-05-31"), Self.day("2026-06-30"), Self.day("2026-07-31")])
        #expect(
            CashForecastBacktest.monthEnds(count: 2, weeks: 1, lastDay: Self.day("2026-03-07")) == [Self.day("2026-01-31"), Self.day("2026-02-28")])
    }

    @Test("each week of horizon gathers the same week of every forecast day")
    func byWeek() {
        let weeks = ForecastWeeks(asOf: Self.day("2026-01-31"), count: 2)
        #expect(weeks.index(of: Self.day("2026-01-31")) == nil)
        #expect(weeks.index(of: Self.day("2026-02-07")) == 0)
        #expect(weeks.index(of: Self.day("2026-02-08")) == 1)
        #expect(weeks.index(of: Self.day("2026-02-15")) == nil)
        let policy = CashForecastPolicy(version: "t", description: "", lateItemsWeeks: 1, doubtfulPastDueDays: 90, backtestMonths: 2)
        func origin(_ asOf: String, _ forecast: [Int64], _ actual: [Int64]) -> CashForecastBacktest.Origin {
            var builder = CashForecast.Builder(asOf: Self.day(asOf), weeks: 2, policy: policy)
            builder.add(
                ForecastCustomer(
                    customerId: "C1", delay: PaymentDelay(days: 0, source: .own),
                    items: forecast.enumerated().map { index, units in
                        ForecastItem(invoiceId: "I\(index)", dueDate: Self.day(asOf) + 1 + 7 * index, open: Self.euros(units))
                    }))
            return CashForecastBacktest.Origin(forecast: builder.build(), actual: actual.map(Self.euros))
        }
        let backtest = CashForecastBacktest(
            policyVersion: "t", weeks: 2, origins: [origin("2026-01-31", [100, 40], [90, 60]), origin("2026-02-28", [50, 10], [70, 10])])
        // Week 1: forecast 100 + 50 = 150 against 90 + 70 = 160, |10| + |−20| = 30: WAPE 30/160.
        #expect(backtest.byWeek[0].errors.forecast == Self.euros(150))
        #expect(backtest.byWeek[0].errors.actual == Self.euros(160))
        #expect(backtest.byWeek[0].errors.wape == 30.0 / 160.0)
        // Week 2: 40 + 10 against 60 + 10: |−20| + 0 = 20 over 70.
        #expect(backtest.byWeek[1].errors.wape == 20.0 / 70.0)
        // Overall: (30 + 20) / (160 + 70) = 50 / 230; bias (200 − 230) / 230.
        #expect(backtest.overall.wape == 50.0 / 230.0)
        #expect(backtest.overall.bias == -30.0 / 230.0)
    }
}
