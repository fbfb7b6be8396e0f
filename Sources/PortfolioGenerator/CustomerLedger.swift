import CreditCore

/// Why an invoice was contested; each kind takes its own time to settle.
enum DisputeKind: String, Sendable, CaseIterable {
    case price, quantity, quality, delivery
    case duplicateBilling = "duplicate_billing"
    case missingPurchaseOrder = "missing_purchase_order"

    static let weights: [Double] = [30, 20, 20, 17, 7, 6]

    /// Days from opening to resolution (a duplicate is quick to prove, a quality claim needs an expert).
    var resolutionDays: ClosedRange<Int> {
        switch self {
        case .price: 10...60
        case .quantity: 7...40
        case .quality: 20...100
        case .delivery: 7...45
        case .duplicateBilling: 3...20
        case .missingPurchaseOrder: 5...30
        }
    }
}

/// One customer's ledger events, drawn from its latent state: invoices and credit notes,
/// payments, disputes. Ordinals number the customer's invoices from 1 in issue-date order.
struct CustomerLedger: Sendable {
    struct Entry: Sendable {
        var ordinal: Int
        var issue: Day
        var due: Day
        var cents: Int64
    }

    struct Receipt: Sendable {
        var invoiceOrdinal: Int
        /// 1 for a single payment; 1, 2, 3 for an invoice paid in parts.
        var part: Int
        var day: Day
        var cents: Int64
    }

    struct Contest: Sendable {
        var invoiceOrdinal: Int
        var kind: DisputeKind
        var opened: Day
        var resolved: Day?
    }

    var invoices: [Entry] = []
    var payments: [Receipt] = []
    var disputes: [Contest] = []

    /// Draws the ledger of `company` up to `endDay`.
    ///
    /// Payment delays come from the customer's health at the due date (never from a score):
    /// sound customers mostly pay on time or a little early, weak ones 30 to 120 days late, and
    /// a failed customer stops paying altogether; August and the end of December add delay.
    init(company: LatentCompany, timeline: Timeline, seed: UInt64, invoiceVolume: Double = 1) {
        var random = RandomSource(seed: seed, index: company.index, stream: 2)
        let endDay = timeline.endDay
        let terms = company.customer.termsDays
        // A supplier notices a failure within weeks and stops delivering.
        let lastIssueDay = company.defaultDay.map { min(endDay, $0 + random.int(0...30)) } ?? endDay

        // Invoices: a Poisson count per month, thinner in August, fewer when health is poor.
        var drafts: [(issue: Day, cents: Int64)] = []
        let firstMonth = max(0, timeline.monthOffset(of: company.customerSince))
        for month in firstMonth..<timeline.monthsOfHistory {
            let monthStart = timeline.firstDay(ofMonthOffset: month)
            let from = max(monthStart, company.customerSince)
            let to = min(timeline.firstDay(ofMonthOffset: month + 1) - 1, lastIssueDay)
            guard from <= to else { continue }
            let health = company.health.value(on: monthStart)
            let seasonal = monthStart.components.month == 8 ? 0.55 : 1.0
            let appetite = max(0.4, min(1.15, 0.55 + 0.3 * health))
            let coverage = Double(to - from + 1) / Double(Day.daysIn(month: monthStart.components.month, year: monthStart.components.year))
            let count = random.poisson(mean: company.size.invoicesPerMonth * invoiceVolume * seasonal * appetite * coverage)
            for _ in 0..<count {
                let issue = from + random.int(0...(to - from))
                var euros = company.typicalInvoiceCents / invoiceVolume * DeterministicMath.exp(0.6 * random.normal()) / 100
                euros = max(25, min(900_000, euros))
                let cents = random.chance(0.4) ? Int64(euros.rounded()) * 100 : Int64((euros * 100).rounded())
                drafts.append((issue, cents))
            }
        }
        // Credit notes: a partial or full cancellation of an earlier invoice, a few weeks later.
        var creditNotes: [(issue: Day, cents: Int64)] = []
        for draft in drafts where random.chance(0.03) {
            let issue = draft.issue + random.int(2...40)
            guard issue <= lastIssueDay else { continue }
            let share = random.chance(0.3) ? 1.0 : random.uniform(0.05, 0.5)
            let cents = max(100, Int64((Double(draft.cents) * share).rounded()))
            creditNotes.append((issue, -min(cents, draft.cents)))
        }
        let all = (drafts + creditNotes).enumerated().sorted {
            $0.element.issue != $1.element.issue ? $0.element.issue < $1.element.issue : $0.offset < $1.offset
        }
        invoices.reserveCapacity(all.count)
        for (position, item) in all.enumerated() {
            invoices.append(Entry(ordinal: position + 1, issue: item.element.issue, due: item.element.issue + terms, cents: item.element.cents))
        }

        for invoice in invoices {
            if invoice.cents < 0 {
                settleCreditNote(invoice, company: company, endDay: endDay, random: &random)
            } else {
                settleInvoice(invoice, company: company, endDay: endDay, random: &random)
            }
        }
    }

    /// Half of the credit notes are refunded (a negative payment) a few weeks after issue;
    /// the others stay open, to be netted against a later invoice.
    private mutating func settleCreditNote(_ note: Entry, company: LatentCompany, endDay: Day, random: inout RandomSource) {
        guard random.chance(0.5) else { return }
        let day = note.issue + random.int(5...45)
        guard day <= endDay, company.defaultDay.map({ day < $0 }) ?? true else { return }
        payments.append(Receipt(invoiceOrdinal: note.ordinal, part: 1, day: day, cents: note.cents))
    }

    private mutating func settleInvoice(_ invoice: Entry, company: LatentCompany, endDay: Day, random: inout RandomSource) {
        let health = company.health.value(on: invoice.due)
        let weakness = max(0, 1.5 - health)

        // Disputes: more frequent with customers under strain (contesting is a way to delay).
        var contest: Contest?
        if random.chance(0.02 + 0.015 * weakness) {
            let kind = DisputeKind.allCases[random.pick(weights: DisputeKind.weights)]
            let opened = invoice.issue + random.int(3...45)
            if opened <= endDay {
                let resolved = opened + random.int(kind.resolutionDays)
                contest = Contest(invoiceOrdinal: invoice.ordinal, kind: kind, opened: opened, resolved: resolved <= endDay ? resolved : nil)
                disputes.append(contest!)
            }
        }

        var payDay = invoice.due + daysBeyondTerms(health: health, weakness: weakness, company: company, random: &random)
        let month = payDay.components
        if month.month == 8, random.chance(0.6) {
            payDay = payDay + random.int(5...20)
        } else if month.month == 12, month.day >= 20, random.chance(0.6) {
            payDay = payDay + random.int(4...14)
        }
        if let contest {
            // A disputed invoice is paid once the dispute is settled, never while it is open.
            guard let resolved = contest.resolved else { return }
            payDay = max(payDay, resolved + random.int(1...15))
        }
        payDay = max(payDay, invoice.issue + 1)

        // Parts: about 5 % of invoices are paid in two or three instalments ending on payDay.
        var parts: [(day: Day, cents: Int64)] = []
        if random.chance(0.05), invoice.cents >= 200 {
            let count = random.chance(0.6) ? 2 : 3
            var remaining = invoice.cents
            var day = payDay
            var reversed: [(Day, Int64)] = []
            for part in 0..<(count - 1) {
                _ = part
                let share = random.uniform(0.2, 0.45)
                let cents = max(1, min(remaining - 1, Int64((Double(invoice.cents) * share).rounded())))
                remaining -= cents
                reversed.append((day, cents))
                day = max(invoice.issue + 1, day - random.int(7...30))
            }
            reversed.append((day, remaining))
            parts = reversed.reversed()
        } else {
            parts = [(payDay, invoice.cents)]
        }
        for (number, part) in parts.enumerated() {
            // After the export date the money has not arrived yet; after a failure it never will.
            guard part.day <= endDay, company.defaultDay.map({ part.day < $0 }) ?? true else { break }
            payments.append(Receipt(invoiceOrdinal: invoice.ordinal, part: number + 1, day: part.day, cents: part.cents))
        }
    }

    /// Days paid after the due date (negative: early). Sound customers mostly pay on the due date
    /// or a few days before; otherwise the sector's usual delay, stretched as health weakens and
    /// with a steep extra delay near failure (weak payers run 30 to 120 days late).
    private func daysBeyondTerms(health: Double, weakness: Double, company: LatentCompany, random: inout RandomSource) -> Int {
        let onTime = max(0.05, min(0.7, 0.05 + 0.22 * health))
        if random.chance(onTime) {
            return -random.int(0...5)
        }
        let sectorDays = company.sector.averageDaysBeyondTerms
        let stretch = 1.2 + 0.8 * max(0, 2 - health)
        let usual = sectorDays * stretch * DeterministicMath.exp(0.55 * random.normal())
        let distress = 60 * weakness * weakness * (0.75 + 0.5 * random.unit())
        return max(-5, Int((usual + distress + company.paymentHabitDays).rounded()))
    }
}
