import CreditCore
import Testing

@Suite("Calendar days")
struct DayTests {
    @Test("ISO and French dates name the same day")
    func isoAndFrench() throws {
        let iso = try #require(Day(parsing: "2024-02-29"))
        let french = try #require(Day(parsing: "29/02/2024"))
        #expect(iso == french)
        #expect(iso.iso == "2024-02-29")
    }

    @Test("days since 1970-01-01 follow the Gregorian calendar")
    func epochArithmetic() throws {
        #expect(Day(year: 1970, month: 1, day: 1)?.daysSinceEpoch == 0)
        // 2000-03-01: 30 years × 365 + 8 leap days (72..96, 2000 is leap but Feb 29 2000 is before Mar 1 → counted) = 10957 to 2000-01-01, + 31 + 29 = 11017
        #expect(Day(year: 2000, month: 3, day: 1)?.daysSinceEpoch == 11_017)
        let day = try #require(Day(parsing: "2026-11-24"))
        #expect((day + 7).iso == "2026-12-01")
        #expect(try #require(Day(parsing: "2027-01-01")) - day == 38)  // 6 left in Nov + 31 Dec + 1
    }

    @Test(
        "impossible or malformed dates are refused",
        arguments: [
            "31/02/2024", "2023-02-29", "2024-13-01", "00/01/2024", "2024-1-5", "5/1/2024", "2024/01/05", "", "tomorrow",
        ])
    func refused(text: String) {
        #expect(Day(parsing: text) == nil)
    }

    @Test("round trip through components for every day of four years")
    func roundTrip() throws {
        let start = try #require(Day(parsing: "2023-01-01"))
        for offset in 0..<(4 * 366) {
            let day = start + offset
            let (y, m, d) = day.components
            #expect(Day(year: y, month: m, day: d) == day)
            #expect(Day(parsing: day.iso) == day)
        }
    }

    @Test(
        "months are added on the calendar, on the month's last day when it is shorter",
        arguments: [
            ("2026-10-31", 12, "2027-10-31"), ("2026-10-31", 6, "2027-04-30"), ("2026-11-30", 3, "2027-02-28"),
            ("2027-11-30", 3, "2028-02-29"), ("2026-01-15", -1, "2025-12-15"), ("2026-03-31", -13, "2025-02-28"),
        ])
    func addingMonths(from: String, months: Int, to: String) throws {
        #expect(try #require(Day(parsing: from)).adding(months: months) == Day(parsing: to))
    }
}
