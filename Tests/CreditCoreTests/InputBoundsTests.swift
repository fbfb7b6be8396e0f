import CreditCore
import Foundation
import Testing

@Suite("Plausible input: bounds on amounts, dates, ids and text")
struct InputBoundsTests {
    let bounds = InputBounds.standard
    let today = Day(year: 2026, month: 12, day: 2)!

    @Test("one amount may reach 1 000 000 000 000.00 in magnitude, not a cent more")
    func amountBound() {
        #expect(bounds.isPlausible(Money(cents: 100_000_000_000_000)))
        #expect(bounds.isPlausible(Money(cents: -100_000_000_000_000)))
        #expect(!bounds.isPlausible(Money(cents: 100_000_000_000_001)))
        #expect(!bounds.isPlausible(Money(cents: Int64.min)))
        #expect(bounds.amountProblem(Money(cents: 9_223_372_036_854_775_807)) != nil)
    }

    @Test("the ledger total bound leaves room for every sum: ten such ledgers still fit in cents")
    func ledgerTotalFits() {
        // 10^18 cents per ledger; Int64.max is about 9.22 × 10^18.
        #expect(bounds.maximumLedgerTotal.cents.multipliedReportingOverflow(by: 9).overflow == false)
    }

    @Test("dates that may lie ahead run from 1990-01-01 to five years after today")
    func futureWindow() {
        #expect(bounds.futureDayProblem(Day(year: 1990, month: 1, day: 1)!, today: today) == nil)
        #expect(bounds.futureDayProblem(Day(year: 1989, month: 12, day: 31)!, today: today) != nil)
        #expect(bounds.futureDayProblem(Day(year: 2031, month: 12, day: 2)!, today: today) == nil)
        #expect(bounds.futureDayProblem(Day(year: 2031, month: 12, day: 3)!, today: today) != nil)
        #expect(bounds.futureDayProblem(Day(year: 9999, month: 12, day: 31)!, today: today) != nil)
        #expect(bounds.futureDayProblem(Day(year: 1, month: 1, day: 1)!, today: today) != nil)
    }

    @Test("from 29 February, five years ahead is 28 February")
    func leapDay() {
        let leap = Day(year: 2028, month: 2, day: 29)!
        #expect(bounds.latestFutureDay(today: leap) == Day(year: 2033, month: 2, day: 28)!)
    }

    @Test("what has happened (a payment, a dispute opened) cannot be dated after today")
    func pastWindow() {
        #expect(bounds.pastDayProblem(today, today: today) == nil)
        #expect(bounds.pastDayProblem(today + 1, today: today)?.contains("in the future") == true)
        #expect(bounds.pastDayProblem(Day(year: 1970, month: 1, day: 1)!, today: today) != nil)
    }

    @Test(
        "ids are ASCII letters, digits, '.', '_' and '-', 1 to 64, starting with a letter or digit",
        arguments: [
            ("C0000007", true), ("F-1001", true), ("INV_2026.001", true), ("a", true),
            (String(repeating: "x", count: 64), true), (String(repeating: "x", count: 65), false),
            ("", false), ("A\u{0000}B", false), ("../../etc", false), ("..", false), ("C001\u{00A0}", false),
            ("C001 ", false), (" C001", false), ("\u{FEFF}C001", false), ("C\u{200B}001", false), ("FA/2026/1", false),
            ("-C001", false), ("C%30001", false), ("Café", false), ("C001\n", false),
        ] as [(String, Bool)])
    func ids(id: String, accepted: Bool) {
        #expect((bounds.idProblem(id) == nil) == accepted)
    }

    @Test("a refused id names the character at fault")
    func idMessage() {
        #expect(bounds.idProblem("A\u{0000}B")?.contains("U+0000") == true)
        #expect(bounds.idProblem("C001\u{00A0}")?.contains("U+00A0") == true)
        #expect(bounds.idProblem("a/b")?.contains("\"/\"") == true)
    }

    @Test("text refuses control and invisible characters, and more than 500 characters")
    func text() {
        #expect(bounds.textProblem("Parent company guarantee signed") == nil)
        #expect(bounds.textProblem("Boulangerie Dupont; Fils — café") == nil)
        #expect(bounds.textProblem("a\u{0000}b") != nil)
        #expect(bounds.textProblem("a\u{FEFF}b") != nil)
        #expect(bounds.textProblem("line\nbreak") != nil)
        #expect(bounds.textProblem("line\nbreak", allowLineBreaks: true) == nil)
        #expect(bounds.textProblem(String(repeating: "é", count: 500)) == nil)
        #expect(bounds.textProblem(String(repeating: "é", count: 501)) != nil)
    }

    @Test("values in messages are cut to a readable length")
    func truncation() {
        let long = String(repeating: "x", count: 10_000)
        #expect(long.truncatedForMessage().count == 81)
        #expect("short".truncatedForMessage() == "short")
    }
}

@Suite("Money arithmetic never traps")
struct MoneyArithmeticTests {
    @Test("sums and differences beyond what cents hold stop at the rail instead of trapping")
    func saturates() {
        let huge = Money(cents: Int64.max - 10)
        #expect((huge + Money(cents: 100)) == Money.rail)
        #expect((huge + Money(cents: 100)).isOnRail)
        #expect((-huge - Money(cents: 100)).cents == -Int64.max)
        #expect((Money(cents: 5) - Money(cents: 7)) == Money(cents: -2))
        var total = Money.zero
        for _ in 0..<3 { total += Money(cents: 5_000_000_000_000_000_000) }
        #expect(total.isOnRail)
        #expect((-Money(cents: Int64.min)).cents == Int64.max)
    }

    @Test("checked adding reports overflow where a caller can refuse")
    func checked() {
        #expect(Money(cents: Int64.max).adding(Money(cents: 1)) == nil)
        #expect(Money(cents: 1).adding(Money(cents: 2)) == Money(cents: 3))
        #expect(Money(cents: Int64.min).subtracting(Money(cents: 1)) == nil)
    }

    @Test("a share of an amount near the rail is clamped, not a trapping conversion")
    func scaling() {
        #expect(Money(cents: Int64.max).scaled(by: 1.0).cents == Int64.max)
        #expect(Money(cents: 1_000).scaled(by: 0.125) == Money(cents: 125))
        #expect(Money(clampingCents: .nan) == .zero)
        #expect(Money(clampingCents: -.infinity).cents == -Int64.max)
    }

    @Test("running totals of raw cents saturate too")
    func rawCents() {
        #expect(Int64.max.addingSaturated(1) == Int64.max)
        #expect((-Int64.max).addingSaturated(-5) == -Int64.max)
        #expect(Int64(40).addingSaturated(2) == 42)
    }
}

@Suite("Amounts and days in requests: one documented form")
struct RequestValueTests {
    struct Body: Decodable { var amount: Money }
    struct DayBody: Decodable { var on: Day }

    func decode(_ json: String, bounded: Bool = true) -> Money? {
        let decoder = JSONDecoder()
        if bounded { decoder.userInfo[.inputBounds] = InputBounds.standard }
        return try? decoder.decode(Body.self, from: Data(json.utf8)).amount
    }

    @Test(
        "amounts are strings of digits, a point and two decimals",
        arguments: [
            (#"{"amount": "1234.56"}"#, Int64(123_456)), (#"{"amount": "-0.05"}"#, -5), (#"{"amount": "0.00"}"#, 0),
            (#"{"amount": "1000000000000.00"}"#, 100_000_000_000_000),
        ])
    func accepted(json: String, cents: Int64) {
        #expect(decode(json)?.cents == cents)
    }

    @Test(
        "anything else is refused: numbers, signs, commas, grouping, other decimals, beyond the bound",
        arguments: [
            #"{"amount": 5}"#, #"{"amount": 5.5}"#, #"{"amount": "+5.00"}"#, #"{"amount": "5,00"}"#, #"{"amount": "1 2 3.00"}"#,
            #"{"amount": "5"}"#, #"{"amount": "5.5"}"#, #"{"amount": "5.555"}"#, #"{"amount": ".50"}"#, #"{"amount": "1e3"}"#,
            #"{"amount": "92233720368547758.07"}"#, #"{"amount": "1000000000000.01"}"#, #"{"amount": "-1000000000000.01"}"#,
            #"{"amount": "99999999999999999.99"}"#, #"{"amount": "--5.00"}"#, #"{"amount": ""}"#, #"{"amount": null}"#,
        ])
    func refused(json: String) {
        #expect(decode(json) == nil)
    }

    @Test("without the request bound (stored JSON), large sums still read back")
    func storedSums() {
        #expect(decode(#"{"amount": "50000000000000.00"}"#, bounded: false)?.cents == 5_000_000_000_000_000)
    }

    @Test("days in requests are YYYY-MM-DD only")
    func days() {
        let decoder = JSONDecoder()
        #expect((try? decoder.decode(DayBody.self, from: Data(#"{"on": "2026-12-01"}"#.utf8)))?.on == Day(year: 2026, month: 12, day: 1))
        #expect((try? decoder.decode(DayBody.self, from: Data(#"{"on": "01/12/2026"}"#.utf8))) == nil)
        #expect((try? decoder.decode(DayBody.self, from: Data(#"{"on": "2026-02-30"}"#.utf8))) == nil)
        #expect(Day(isoText: "01/12/2026") == nil)
        #expect(Day(parsing: "01/12/2026") == Day(year: 2026, month: 12, day: 1))
    }
}
