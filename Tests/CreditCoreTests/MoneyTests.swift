import CreditCore
import Testing

@Suite("Amounts as ERPs export them")
struct MoneyTests {
    @Test(
        "French and international notations",
        arguments: [
            ("1234.56", 123_456), ("1234,56", 123_456), ("1 234,56", 123_456), ("1\u{00A0}234,56", 123_456),
            ("1\u{202F}234,56", 123_456), ("1,234.56", 123_456), ("1.234,56", 123_456), ("1 234 567,8", 123_456_780),
            ("-12,5", -1250), ("-250", -25_000), ("+7", 700), ("0,01", 1), ("1.234.567", 123_456_700),
        ] as [(String, Int64)])
    func parses(text: String, cents: Int64) {
        #expect(Money(parsing: text)?.cents == cents)
    }

    @Test(
        "text that is not an amount is refused",
        arguments: [
            "", "abc", "12,345", "1,2,3.4", "1.2.3,4.5", "12€", "--5", "5-", ",5", "1.005", "99999999999999999999", "4.000", "12,500", "-1,000",
            "1 234,500",
        ])
    func refused(text: String) {
        #expect(Money(parsing: text) == nil)
    }

    @Test("formatting groups thousands and keeps the sign")
    func formatting() {
        #expect(Money(cents: 123_456_789).formatted == "1 234 567.89")
        #expect(Money(cents: -5).formatted == "-0.05")
        #expect(Money(cents: -123_450).decimalText == "-1234.50")
    }
}
