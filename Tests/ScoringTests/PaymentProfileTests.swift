import Testing

@testable import CreditCore

@Suite("Payment profile")
struct PaymentProfileTests {
    /// As of 2025-06-30 the window holds invoices due from 2024-07-01 (365 days), the recent part
    /// those due from 2025-04-01 (91 days).
    ///
    /// | inv | due        | amount | what happened                          | events (amount, days)      |
    /// |-----|------------|--------|----------------------------------------|----------------------------|
    /// | A   | 2025-01-31 | 1000   | paid 2025-02-10                        | (1000, +10)                |
    /// | B   | 2025-03-03 | 2000   | 600 on 2025-03-03, 1400 on 2025-04-12  | (600, 0), (1400, +40)      |
    /// | C   | 2025-05-01 | 500    | open: 60 days past due on 2025-06-30   | (500, +60)                 |
    /// | D   | 2025-05-20 | 1000   | paid 2025-05-10, ten days early        | (1000, -10)                |
    /// | E   | 2025-07-15 | 3000   | open, not due: no event                |                            |
    /// | F   | 2024-01-01 | 800    | paid 2024-01-05, due before the window |                            |
    static func ledger() -> LedgerBuilder {
        var ledger = LedgerBuilder()
        ledger.invoice("F", issued: "2023-12-01", due: "2024-01-01", 800)
        ledger.pay("F", on: "2024-01-05", 800)
        ledger.invoice("A", issued: "2025-01-01", due: "2025-01-31", 1000)
        ledger.pay("A", on: "2025-02-10", 1000)
        ledger.invoice("B", issued: "2025-02-01", due: "2025-03-03", 2000)
        ledger.pay("B", on: "2025-03-03", 600)
        ledger.pay("B", on: "2025-04-12", 1400)
        ledger.invoice("C", issued: "2025-04-01", due: "2025-05-01", 500)
        ledger.invoice("D", issued: "2025-04-20", due: "2025-05-20", 1000)
        ledger.pay("D", on: "2025-05-10", 1000)
        ledger.invoice("E", issued: "2025-06-15", due: "2025-07-15", 3000)
        return ledger
    }

    @Test("days beyond terms are weighted by each payment's amount at its own date, open overdue amounts at the as-of date")
    func weightedDaysBeyondTerms() throws {
        let model = try ModelFile.shipped()
        let profile = PaymentProfile(evidence: Self.ledger().evidence(asOf: "2025-06-30"), model: model)
        // Weights 1000 + 600 + 1400 + 500 + 1000 = 4500.
        #expect(profile.weightedAmount == euros(4500))
        #expect(profile.events == 5)
        // Floored: (1000·10 + 600·0 + 1400·40 + 500·60 + 1000·0) / 4500 = 96000 / 4500 = 21.333…
        #expect(try #require(profile.averageDaysBeyondTerms).isClose(to: 96_000.0 / 4500))
        // Signed: (96000 − 1000·10) / 4500 = 86000 / 4500 = 19.111…
        #expect(try #require(profile.signedAverageDaysBeyondTerms).isClose(to: 86_000.0 / 4500))
        // PAYDEX between 15 days (70) and 30 days (50): 70 − (19.111 − 15) / 15 · 20 = 64.5185…
        #expect(try #require(profile.paymentIndex).isClose(to: 70 - (86_000.0 / 4500 - 15) / 15 * 20))
        // More than 30 days: 1400 (B, +40) + 500 (C, +60) = 1900 of 4500 = 0.4222…
        #expect(try #require(profile.lateShare).isClose(to: 1900.0 / 4500))
        // Recent (due from 2025-04-01): C and D, (500·60 + 1000·0) / 1500 = 20.
        #expect(profile.recentDaysBeyondTerms == 20)
        // Earlier: A and B, (1000·10 + 600·0 + 1400·40) / 3000 = 66000 / 3000 = 22; trend 20 − 22 = −2.
        #expect(profile.earlierDaysBeyondTerms == 22)
        #expect(profile.trendDays == -2)
        #expect(profile.worstDaysBeyondTerms == 60)
    }

    @Test("aged balance, exposure and overdue share on the as-of date")
    func exposureAndAgeing() throws {
        var evidence = Self.ledger().evidence(asOf: "2025-06-30")
        evidence.pendingOrders = euros(500)
        let profile = PaymentProfile(evidence: evidence, model: try ModelFile.shipped())
        #expect(profile.agedBalance.days31to60 == euros(500))  // C, 60 days past due
        #expect(profile.agedBalance.notDue == euros(3000))  // E
        #expect(profile.exposure == euros(4000))  // 500 + 3000 open + 500 pending orders
        // Overdue 500 over receivables 3500 + orders 500 = 0.125.
        #expect(profile.overdueShare == 0.125)
    }

    @Test("history size: five invoices in the window and a first invoice in 2023 is not a thin file")
    func historySize() throws {
        let profile = PaymentProfile(evidence: Self.ledger().evidence(asOf: "2025-06-30"), model: try ModelFile.shipped())
        #expect(profile.invoicesInWindow == 5)  // A, B, C, D, E issued from 2024-07-01
        #expect(profile.firstInvoice == day("2023-12-01"))
        #expect(profile.lastInvoice == day("2025-06-15"))
        #expect(profile.lastPayment == day("2025-05-10"))
        #expect(!profile.isThinFile)
    }

    @Test("two invoices, or a first invoice less than six months back, make a thin file")
    func thinFile() throws {
        let model = try ModelFile.shipped()
        var few = LedgerBuilder()
        few.invoice("A", issued: "2024-01-10", due: "2024-02-09", 1000)
        few.invoice("B", issued: "2025-03-10", due: "2025-04-09", 1000)
        few.invoice("C", issued: "2025-05-10", due: "2025-06-09", 1000)
        // 2 invoices issued from 2024-07-01 (B, C): fewer than 3.
        #expect(PaymentProfile(evidence: few.evidence(asOf: "2025-06-30"), model: model).isThinFile)
        var young = LedgerBuilder()
        for (index, issued) in ["2025-01-05", "2025-02-05", "2025-03-05", "2025-04-05"].enumerated() {
            young.invoice("I\(index)", issued: issued, due: issued, 100)
        }
        // Four invoices, but the first is 2025-06-30 − 2025-01-05 = 176 days back: fewer than 183.
        #expect(PaymentProfile(evidence: young.evidence(asOf: "2025-06-30"), model: model).isThinFile)
        // 2025-07-07 − 2025-01-05 = 183 days: enough.
        #expect(!PaymentProfile(evidence: young.evidence(asOf: "2025-07-07"), model: model).isThinFile)
    }

    @Test("highest balance carried and paid well counts only invoices settled within 30 days beyond terms")
    func highestExposurePaidWell() throws {
        let profile = PaymentProfile(evidence: Self.ledger().evidence(asOf: "2025-06-30"), model: try ModelFile.shipped())
        // Paid well: F (4 days), A (10), D (early); B's last part is 40 days late, C and E are open.
        // Never two at once: F 2023-12-01…2024-01-05, A 2025-01-01…02-10, D 2025-04-20…05-10 → peak 1000.
        #expect(profile.highestExposurePaidWell == euros(1000))

        var overlapping = LedgerBuilder()
        overlapping.invoice("X", issued: "2025-01-01", due: "2025-01-31", 1000)
        overlapping.invoice("Y", issued: "2025-01-15", due: "2025-02-14", 2500)
        overlapping.pay("X", on: "2025-02-05", 1000)
        overlapping.pay("Y", on: "2025-02-20", 2500)
        // 1000 + 2500 carried together from 2025-01-15 to 2025-02-05.
        let both = PaymentProfile(evidence: overlapping.evidence(asOf: "2025-06-30"), model: try ModelFile.shipped())
        #expect(both.highestExposurePaidWell == euros(3500))
    }

    @Test("default: undisputed amounts more than 90 days past due, when material")
    func pastDueDefault() throws {
        let model = try ModelFile.shipped()
        var ledger = LedgerBuilder()
        ledger.invoice("A", issued: "2025-01-30", due: "2025-03-01", 1000)  // 121 days past due on 2025-06-30
        var profile = PaymentProfile(evidence: ledger.evidence(asOf: "2025-06-30"), model: model)
        #expect(profile.seriouslyPastDue == euros(1000))
        #expect(profile.isPastDueDefault)  // 1000 ≥ 500 and ≥ 1 % of 1000

        var disputed = ledger
        disputed.disputes = [Dispute(invoiceId: "A", kind: "quality", openedOn: day("2025-03-10"))]
        profile = PaymentProfile(evidence: disputed.evidence(asOf: "2025-06-30"), model: model)
        #expect(profile.seriouslyPastDue == .zero)  // contested: not a default
        #expect(profile.disputedAmount == euros(1000))
        #expect(!profile.isPastDueDefault)

        var small = LedgerBuilder()
        small.invoice("A", issued: "2025-01-30", due: "2025-03-01", 400)
        #expect(!PaymentProfile(evidence: small.evidence(asOf: "2025-06-30"), model: model).isPastDueDefault)  // 400 < 500

        // 90 days exactly (2025-04-01 → 2025-06-30) is not "more than 90".
        var ninety = LedgerBuilder()
        ninety.invoice("A", issued: "2025-03-01", due: "2025-04-01", 1000)
        #expect(!PaymentProfile(evidence: ninety.evidence(asOf: "2025-06-30"), model: model).isPastDueDefault)
    }

    @Test("disputes open on the date and disputes opened within twelve months, each counted once")
    func disputes() throws {
        var ledger = Self.ledger()
        ledger.disputes = [
            Dispute(invoiceId: "C", kind: "price", openedOn: day("2025-05-05")),  // open and recent
            Dispute(invoiceId: "A", kind: "delivery", openedOn: day("2025-01-10"), resolvedOn: day("2025-02-01")),  // recent
            Dispute(invoiceId: "F", kind: "quality", openedOn: day("2023-12-20"), resolvedOn: day("2024-01-02")),  // neither
            Dispute(invoiceId: "B", kind: "price", openedOn: day("2025-02-15"), resolvedOn: day("2025-07-10")),  // open (resolved later)
        ]
        let profile = PaymentProfile(evidence: ledger.evidence(asOf: "2025-06-30"), model: try ModelFile.shipped())
        #expect(profile.openDisputes == 2)  // C, B
        #expect(profile.recentDisputes == 3)  // C, A, B opened from 2024-07-01
        #expect(profile.disputesScored == 3)
        #expect(profile.disputedAmount == euros(500))  // C open; B fully paid
        // C's 500 leaves the delay averages: (96000 − 30000) / 4000 = 16.5.
        #expect(profile.averageDaysBeyondTerms == 16.5)
    }
}

@Suite("Payment index (PAYDEX anchors)")
struct PaymentIndexTests {
    @Test(
        "anchor points and interpolation between them",
        arguments: [
            (-30.0, 100.0),  // anticipates well ahead: top of the scale
            (-15, 100),
            (-7.5, 90),  // halfway between −15 (100) and 0 (80)
            (0, 80),  // prompt
            (7.5, 75),  // halfway to 15 days (70)
            (15, 70),
            (22.5, 60),  // halfway between 15 (70) and 30 (50)
            (30, 50),
            (45, 45),
            (60, 40),
            (90, 30),
            (120, 20),
            (150, 10.5),  // halfway between 120 (20) and 180 (1)
            (180, 1),
            (365, 1),  // far beyond 120 days
        ])
    func anchors(days: Double, expected: Double) throws {
        let index = PaymentIndex(anchors: try ModelFile.shipped().paymentIndexAnchors)
        #expect(index.index(daysBeyondTerms: days).isClose(to: expected))
    }
}
