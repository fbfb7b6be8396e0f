import CreditCore

/// The hidden state of every customer of a configuration, without writing any file.
///
/// A collection computed on demand: `portfolio[i]` draws customer `i` from the seed, so reading
/// one company costs the same as reading any other and nothing is held in memory. The ledger
/// files and (next) the financial statements are drawn from these values.
public struct LatentPortfolio: RandomAccessCollection, Sendable {
    public let configuration: GeneratorConfiguration
    let timeline: Timeline
    /// Months of health before the history, for prior-year statements.
    static let monthsBeforeHistory = 12

    public init(configuration: GeneratorConfiguration) {
        self.configuration = configuration
        self.timeline = Timeline(endDay: configuration.endDay, monthsOfHistory: configuration.monthsOfHistory)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { Swift.max(0, configuration.customers) }

    public subscript(position: Int) -> LatentCompany {
        company(at: position)
    }

    /// Customer id of the company at `index`: `C` and seven digits, in portfolio order.
    static func customerId(_ index: Int) -> String {
        "C" + zeroPadded(index + 1, width: 7)
    }

    static func zeroPadded(_ value: Int, width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    private func company(at index: Int) -> LatentCompany {
        var random = RandomSource(seed: configuration.seed, index: index, stream: 1)
        let sector = SectorTable.all[random.pick(weights: SectorTable.weights)]
        let size = CompanySize.allCases[random.pick(weights: CompanySize.portfolioWeights)]
        let identity = CompanyIdentity.draw(
            index: index, sector: sector, size: size, customers: configuration.customers,
            seed: configuration.seed, random: &random)
        let terms = [30, 45, 60][random.pick(weights: sector.termsWeights)]

        let revenueEuros = size.medianRevenueEuros * DeterministicMath.exp(0.5 * random.normal())
        let typicalInvoice = size.medianInvoiceEuros * sector.amountScale * DeterministicMath.exp(0.45 * random.normal()) * 100
        let habit = 2.5 * random.normal()

        let historyDays = configuration.endDay - timeline.startDay
        let customerSince: Day
        if random.chance(0.8) || historyDays < 60 {
            customerSince = timeline.startDay
        } else {
            customerSince = timeline.startDay + random.int(0...(historyDays - 45))
        }

        let path = drawHealth(sector: sector, size: size, customerSince: customerSince, random: &random)
        let customer = Customer(
            id: LatentPortfolio.customerId(index), name: identity.name, registrationId: identity.registrationId,
            sectorCode: sector.code, country: identity.country, termsDays: terms, group: identity.group,
            strategic: identity.strategic)
        return LatentCompany(
            index: index, customer: customer, sector: sector, size: size,
            annualRevenue: Money(cents: Int64(revenueEuros.rounded()) * 100), customerSince: customerSince,
            health: path.health, isDeteriorating: path.deterioratingFrom != nil || path.shocked,
            deteriorationStart: path.deterioratingFrom, defaultDay: path.defaultDay,
            typicalInvoiceCents: typicalInvoice, paymentHabitDays: habit, writesStrategicFlag: identity.writesStrategicFlag)
    }

    /// The health random walk. Sound companies revert to a level set by sector and size risk;
    /// a minority turn down at some month and drift towards failure; a rare shock (a lost major
    /// client, a fire) knocks a company down at once. Failure is the first month at or below zero.
    private func drawHealth(
        sector: SectorProfile, size: CompanySize, customerSince: Day, random: inout RandomSource
    ) -> (health: HealthPath, deterioratingFrom: Day?, shocked: Bool, defaultDay: Day?) {
        let risk = sector.relativeRisk * size.relativeRisk
        let level = Swift.max(1.0, 2.45 - 0.32 * risk)
        var health = Swift.max(0.6, level + 0.5 * random.normal())
        let months = configuration.monthsOfHistory
        let deteriorating = random.chance(Swift.min(0.3, 0.075 + 0.035 * risk))
        let onset = deteriorating ? random.int(-6...Swift.max(-6, months - 3)) : Int.max
        let slope = random.uniform(0.05, 0.17)
        let shockChance = 0.0009 * risk
        let joinMonth = timeline.monthOffset(of: customerSince)

        var shocked = false
        var defaultMonth: Int?
        var monthly: [Double] = []
        monthly.reserveCapacity(months + LatentPortfolio.monthsBeforeHistory)
        for offset in -LatentPortfolio.monthsBeforeHistory..<months {
            if defaultMonth != nil {
                // A failed company keeps sinking: its later accounts show the losses.
                health -= 0.08 + 0.04 * random.unit()
            } else {
                let reversion = offset >= onset ? 0 : 0.06 * (level - health)
                health += reversion + 0.09 * random.normal() - (offset >= onset ? slope : 0)
                if offset >= 0, random.chance(shockChance) {
                    health -= random.uniform(0.9, 1.8)
                    shocked = true
                }
                // A supplier only opens accounts for companies that are not failing.
                if offset < Swift.max(0, joinMonth) { health = Swift.max(health, 0.45) }
                if offset >= Swift.max(0, joinMonth), health <= HealthPath.defaultThreshold {
                    defaultMonth = offset
                }
            }
            monthly.append(health)
        }

        var defaultDay: Day?
        if let month = defaultMonth {
            let first = Swift.max(timeline.firstDay(ofMonthOffset: month), customerSince + 30)
            let last = Swift.min(timeline.firstDay(ofMonthOffset: month + 1) - 1, configuration.endDay)
            defaultDay = first <= last ? first + random.int(0...(last - first)) : Swift.min(first, configuration.endDay)
        }
        let path = HealthPath(
            firstAbsoluteMonth: timeline.firstMonth - LatentPortfolio.monthsBeforeHistory, monthly: monthly)
        let trendStart = onset == Int.max ? nil : timeline.firstDay(ofMonthOffset: onset)
        return (path, trendStart, shocked, defaultDay)
    }
}
