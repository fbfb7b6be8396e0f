import Foundation
import Testing

@testable import CreditCore

/// The forecast as of Tuesday 31 March 2026: week 1 is 1–7 April, week 2 8–14 April, week 3
/// 15–21 April, week 4 22–28 April, and the 13 weeks end on 30 June.
@Suite("Cash-collection forecast")
struct CashForecastTests {
    static func day(_ text: String) -> Day { Day(parsing: text)! }
    static func euros(_ units: Int64) -> Money { Money(cents: units * 100) }
    static let asOf = day("2026-03-31")
    static let policy = CashForecastPolicy(
        version: "test", description: "", lateItemsWeeks: 4, doubtfulPastDueDays: 90, backtestMonths: 12)

    static func forecast(_ customers: [ForecastCustomer], weeks: Int = 13) -> CashForecast {
        var builder = CashForecast.Builder(asOf: asOf, weeks: weeks, policy: policy)
        for customer in customers { builder.add(customer) }
        return builder.build()
    }

    static func customer(delay days: Double, _ items: ForecastItem...) -> ForecastCustomer {
        ForecastCustomer(customerId: "C1", delay: PaymentDelay(days: days, source: .own), items: items)
    }

    /// Everything open is forecast in a week, after the horizon, or left out as disputed or doubtful.
    static func accountsForEverything(_ forecast: CashForecast) -> Bool {
        forecast.expectedInHorizon + forecast.expectedAfterHorizon + forecast.disputedExcluded + forecast.doubtfulExcluded
            == forecast.openReceivables
    }

    @Test("the forecast puts a promised amount in the promised week and leaves a disputed part out")
    func promiseAndDispute() {
        // 1000 € due 20 March (11 days late), 200 € of it disputed, 500 € promised for 10 April
        // (week 2). The customer pays 5 days beyond terms, so the rest (1000 − 200 − 500 = 300 €)
        // is already later than its habit (25 March): 75 € in each of the first four weeks.
        let forecast = Self.forecast([
            Self.customer(
                delay: 5,
                ForecastItem(
                    invoiceId: "A", dueDate: Self.day("2026-03-20"), open: Self.euros(1000), disputed: Self.euros(200),
                    promise: PromisedPayment(payBy: Self.day("2026-04-10"), amount: Self.euros(500))))
        ])
        #expect(forecast.weeks[1].promised == Self.euros(500))
        #expect(forecast.weeks.map(\.promised).reduce(.zero, +) == Self.euros(500))
        #expect(forecast.disputedExcluded == Self.euros(200))
        #expect(forecast.weeks.prefix(4).map(\.late) == Array(repeating: Self.euros(75), count: 4))
        #expect(forecast.weeks[0].expected == Self.euros(75))
        #expect(forecast.weeks[1].expected == Self.euros(575))  // 500 promised + 75 late
        #expect(forecast.expectedInHorizon == Self.euros(800))
        #expect(Self.accountsForEverything(forecast))
    }

    @Test("a promise of the whole balance whose day has passed within the grace is expected in the first week")
    func promisePassed() {
        let forecast = Self.forecast([
            Self.customer(
                delay: 0,
                ForecastItem(
                    invoiceId: "A", dueDate: Self.day("2026-03-01"), open: Self.euros(640),
                    promise: PromisedPayment(payBy: Self.day("2026-03-30"), amount: nil)))
        ])
        #expect(forecast.weeks[0].promised == Self.euros(640))
        #expect(forecast.expectedInHorizon == Self.euros(640))
    }

    @Test("an invoice is expected on its due date plus its customer's payment delay")
    func dueDatePlusDelay() {
        // Due 5 April, the customer pays 10.4 days late: 15 April, week 3.
        let late = Self.forecast([Self.customer(delay: 10.4, ForecastItem(invoiceId: "B", dueDate: Self.day("2026-04-05"), open: Self.euros(2000)))])
        #expect(late.weeks[2].byPaymentDelay == Self.euros(2000))
        #expect(late.expectedInHorizon == Self.euros(2000))
        // An early payer (7 days before the due date) whose usual day has passed: expected by the
        // due date, 3 April, week 1, not spread as late.
        let early = Self.forecast([Self.customer(delay: -7, ForecastItem(invoiceId: "C", dueDate: Self.day("2026-04-03"), open: Self.euros(300)))])
        #expect(early.weeks[0].byPaymentDelay == Self.euros(300))
        #expect(early.weeks[0].late == .zero)
    }

    @Test("an amount later than its customer's habit is spread over the first weeks; one long past due is doubtful")
    func lateAndDoubtful() {
        let forecast = Self.forecast([
            Self.customer(
                delay: 10,
                // 1 000.03 €, 21 days late, habit 10: 100 003 cents in four parts, the 3 odd cents to the first weeks.
                ForecastItem(invoiceId: "L", dueDate: Self.day("2026-03-10"), open: Money(cents: 100_003)),
                // 120 days past due (due 1 December) and past the habit: doubtful.
                ForecastItem(invoiceId: "D", dueDate: Self.day("2025-12-01"), open: Self.euros(4000)))
        ])
        #expect(forecast.weeks.prefix(4).map(\.late) == [25_001, 25_001, 25_001, 25_000].map { Money(cents: $0) })
        #expect(forecast.doubtfulExcluded == Self.euros(4000))
        #expect(Self.accountsForEverything(forecast))
    }

    @Test("a customer who habitually pays very late is not doubtful before its usual day")
    func slowHabit() {
        // 100 days past due (due 21 December), but this customer pays 150 days beyond terms:
        // 20 May, 50 days after asOf, in week 8 (days 50 → (50 − 1) / 7 + 1).
        let forecast = Self.forecast([Self.customer(delay: 150, ForecastItem(invoiceId: "S", dueDate: Self.day("2025-12-21"), open: Self.euros(900)))]
        )
        #expect(forecast.weeks[7].byPaymentDelay == Self.euros(900))
        #expect(forecast.doubtfulExcluded == .zero)
    }

    @Test("what is expected after the last week is counted apart")
    func afterHorizon() {
        // Due 30 March + 120 days = 28 July, after 30 June.
        let forecast = Self.forecast([Self.customer(delay: 120, ForecastItem(invoiceId: "X", dueDate: Self.day("2026-03-30"), open: Self.euros(50)))])
        #expect(forecast.expectedAfterHorizon == Self.euros(50))
        #expect(forecast.expectedInHorizon == .zero)
        #expect(forecast.weeks.count == 13)
        #expect(forecast.weeks[12].to == Self.day("2026-06-30"))
    }

    @Test("the delay is the customer's own unless its file is thin; then its sector's, or the portfolio's")
    func delaySources() {
        let sector = Sector(
            code: "41.20A", label: "", averageDaysBeyondTerms: 8, averageDSODays: 60, annualFailureRate: 0.02, period: "2024", source: "")
        let portfolio = Sector(
            code: "*", label: "", averageDaysBeyondTerms: 15, averageDSODays: 60, annualFailureRate: 0.02, period: "", source: "")
        #expect(PaymentDelay.expected(ownDays: 12.5, thinFile: false, sector: sector, portfolio: portfolio) == PaymentDelay(days: 12.5, source: .own))
        #expect(PaymentDelay.expected(ownDays: 12.5, thinFile: true, sector: sector, portfolio: portfolio) == PaymentDelay(days: 8, source: .sector))
        #expect(PaymentDelay.expected(ownDays: nil, thinFile: false, sector: nil, portfolio: portfolio) == PaymentDelay(days: 15, source: .portfolio))
    }

    @Test("open invoices are read from the ledger as known on the day: later payments, resolved disputes and broken promises do not count")
    func fromLedger() {
        func invoice(_ id: String, due: String, _ units: Int64) -> Invoice {
            Invoice(id: id, customerId: "C1", issueDate: Self.day("2026-01-01"), dueDate: Self.day(due), amount: Self.euros(units), currency: "EUR")
        }
        let invoices = [
            invoice("A", due: "2026-03-10", 1000), invoice("B", due: "2026-03-15", 800), invoice("N", due: "2026-02-01", -150),
            Invoice(
                id: "Z", customerId: "C1", issueDate: Self.day("2026-04-02"), dueDate: Self.day("2026-05-02"), amount: Self.euros(70), currency: "EUR"
            ),
        ]
        let payments = [
            Payment(id: "P1", invoiceId: "A", paidOn: Self.day("2026-03-20"), amount: Self.euros(400)),
            Payment(id: "P2", invoiceId: "A", paidOn: Self.day("2026-04-02"), amount: Self.euros(600)),  // after asOf
        ]
        let disputes = [
            Dispute(invoiceId: "A", kind: "price", openedOn: Self.day("2026-03-01"), resolvedOn: Self.day("2026-03-05")),
            Dispute(invoiceId: "B", kind: "quality", openedOn: Self.day("2026-03-25"), amount: Self.euros(100)),
        ]
        let promises = [
            PaymentPromise(invoiceId: "A", promisedOn: Self.day("2026-03-12"), payBy: Self.day("2026-03-20")),  // broken: 400 of 600 paid
            PaymentPromise(invoiceId: "B", promisedOn: Self.day("2026-03-26"), payBy: Self.day("2026-04-09"), amount: Self.euros(300)),
        ]
        let (customer, credits) = ForecastCustomer.fromLedger(
            customerId: "C1", asOf: Self.asOf, invoices: invoices, payments: payments, disputes: disputes, promises: promises,
            delay: PaymentDelay(days: 3, source: .own), promiseGraceDays: 3)
        #expect(credits == Self.euros(-150))
        #expect(
            customer.items == [
                // A: 1000 − 400 (the 600 of 2 April is later); its dispute was resolved; its promise was broken.
                ForecastItem(invoiceId: "A", dueDate: Self.day("2026-03-10"), open: Self.euros(600)),
                ForecastItem(
                    invoiceId: "B", dueDate: Self.day("2026-03-15"), open: Self.euros(800), disputed: Self.euros(100),
                    promise: PromisedPayment(payBy: Self.day("2026-04-09"), amount: Self.euros(300))),
            ])
    }

    @Test("a policy file is refused naming the field that is missing or out of its range")
    func policyFile() throws {
        func refusal(_ json: String) -> ModelError? {
            do {
                _ = try CashForecastPolicy.decode(from: Data(json.utf8))
                return nil
            } catch {
                return error
            }
        }
        let good = #"{"version": "v", "description": "", "lateItemsWeeks": 2, "doubtfulPastDueDays": 90, "backtestMonths": 12}"#
        #expect(refusal(good) == nil)
        #expect(refusal(good.replacingOccurrences(of: #""lateItemsWeeks": 2"#, with: #""lateItemsWeeks": 0"#))?.field == "lateItemsWeeks")
        #expect(refusal(good.replacingOccurrences(of: #", "backtestMonths": 12"#, with: ""))?.field == "backtestMonths")
        #expect(refusal("{")?.message.contains("not valid JSON") == true)
    }
}
