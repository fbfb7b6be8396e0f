/// The cash forecast checked against the ledger's past: forecasts made as of past month-ends
/// with only what was known then, compared week by week with the receipts that came.
///
/// Errors are over all (month-end, week) pairs, and per week of horizon across month-ends:
/// - WAPE, Σ|forecast − actual| / Σ actual: the share of the receipts the forecast missed by,
///   either way (weighted by amount, so quiet weeks do not dominate);
/// - bias, Σ(forecast − actual) / Σ actual: positive when the forecast expected too much;
/// - MAPE, the mean of |forecast − actual| / actual over the weeks with receipts: every week
///   counting alike, a week with little cash as much as a busy one.
public struct CashForecastBacktest: Hashable, Sendable, Codable {
    public var policyVersion: String
    public var weeks: Int
    public var method: String
    public var origins: [Origin]
    public var byWeek: [HorizonWeek]
    public var overall: Errors

    /// The errors of a set of (forecast, actual) weekly pairs; nil when nothing was received.
    public struct Errors: Hashable, Sendable, Codable {
        public var forecast: Money
        public var actual: Money
        public var wape: Double?
        public var bias: Double?
        public var mape: Double?
        /// Pairs compared, and those with receipts (the MAPE's).
        public var pairs: Int
        public var pairsWithReceipts: Int

        /// The errors of `pairs` of weekly amounts (forecast, actual).
        public init(_ pairs: some Sequence<(forecast: Money, actual: Money)>) {
            var forecast: Int64 = 0
            var actual: Int64 = 0
            var absolute = 0.0
            var percentages = 0.0
            var count = 0
            var withReceipts = 0
            for pair in pairs {
                count += 1
                forecast = forecast.addingSaturated(pair.forecast.cents)
                actual = actual.addingSaturated(pair.actual.cents)
                let miss = abs(Double(pair.forecast.cents) - Double(pair.actual.cents))
                absolute += miss
                if pair.actual.cents > 0 {
                    withReceipts += 1
                    percentages += miss / Double(pair.actual.cents)
                }
            }
            self.forecast = Money(cents: forecast)
            self.actual = Money(cents: actual)
            self.wape = actual > 0 ? absolute / Double(actual) : nil
            self.bias = actual > 0 ? (Double(forecast) - Double(actual)) / Double(actual) : nil
            self.mape = withReceipts > 0 ? percentages / Double(withReceipts) : nil
            self.pairs = count
            self.pairsWithReceipts = withReceipts
        }
    }

    /// One forecast day: what was forecast for each week and what came.
    public struct Origin: Hashable, Sendable, Codable {
        public var asOf: Day
        public var forecast: [Money]
        public var actual: [Money]
        public var expectedAfterHorizon: Money
        public var disputedExcluded: Money
        public var doubtfulExcluded: Money
        public var errors: Errors

        public init(forecast: CashForecast, actual: [Money]) {
            self.asOf = forecast.asOf
            self.forecast = forecast.weeks.map(\.expected)
            self.actual = actual
            self.expectedAfterHorizon = forecast.expectedAfterHorizon
            self.disputedExcluded = forecast.disputedExcluded
            self.doubtfulExcluded = forecast.doubtfulExcluded
            self.errors = Errors(zip(self.forecast, actual).map { (forecast: $0, actual: $1) })
        }
    }

    /// One week of horizon (week 1, week 2...) over every forecast day.
    public struct HorizonWeek: Hashable, Sendable, Codable {
        public var week: Int
        public var errors: Errors
    }

    public static let methodDescription =
        "for each month-end, the forecast is made with only what was known that day (payment delays measured on the "
        + "ledger as of the month-end by the payment profile's rule) and compared, week by week, with the payments that "
        + "came on invoices issued by then; WAPE = Σ|forecast − actual| / Σ actual, bias = Σ(forecast − actual) / Σ actual "
        + "(positive: too optimistic), MAPE = mean of |forecast − actual| / actual over weeks with receipts"

    public init(policyVersion: String, weeks: Int, origins: [Origin]) {
        self.policyVersion = policyVersion
        self.weeks = weeks
        self.method = Self.methodDescription
        self.origins = origins
        self.byWeek = (0..<weeks).map { index in
            HorizonWeek(
                week: index + 1,
                errors: Errors(
                    origins.compactMap { origin in
                        index < origin.forecast.count && index < origin.actual.count
                            ? (forecast: origin.forecast[index], actual: origin.actual[index]) : nil
                    }))
        }
        self.overall = Errors(origins.flatMap { zip($0.forecast, $0.actual).map { (forecast: $0, actual: $1) } })
    }

    /// The month-ends to forecast from: the `count` latest whose whole horizon (`weeks` × 7 days)
    /// lies on or before `lastDay` (the ledger's latest day), oldest first.
    public static func monthEnds(count: Int, weeks: Int, lastDay: Day) -> [Day] {
        var ends: [Day] = []
        var (year, month, _) = (lastDay - 7 * weeks).components
        while ends.count < count {
            let end = Day(year: year, month: month, day: Day.daysIn(month: month, year: year))
            if let end, end + 7 * weeks <= lastDay { ends.append(end) }
            month -= 1
            if month == 0 {
                month = 12
                year -= 1
            }
            if year < 1900 { break }
        }
        return ends.reversed()
    }
}
