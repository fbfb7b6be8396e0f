import Foundation

/// Numbers as the reasons print them: fixed decimals, no locale, the same on every machine.
enum ScoringText {
    /// `value` rounded to `decimals` places, trailing zeros kept (`12.5` with 1 → "12.5", 3 with 1 → "3.0").
    static func number(_ value: Double, decimals: Int = 1) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "∞" : "-∞") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let negative = value < 0 && scaled > 0
        guard scaled < 1e15 else { return String(value) }
        let whole = Int64(scaled)
        let divisor = Int64(scale)
        var text = String(whole / divisor)
        if decimals > 0 {
            let fraction = String(whole % divisor)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return (negative ? "-" : "") + text
    }

    /// A share as a percentage: 0.234 → "23.4 %".
    static func percent(_ share: Double, decimals: Int = 1) -> String {
        number(share * 100, decimals: decimals) + " %"
    }

    /// Days with no decimals when whole: 12.0 → "12", 12.25 → "12.3".
    static func days(_ value: Double) -> String {
        value == value.rounded() ? number(value, decimals: 0) : number(value, decimals: 1)
    }

    static func months(_ days: Int) -> String {
        let months = Double(days) / 30.4375
        return number(months, decimals: 0)
    }

    /// A financial ratio as an analyst writes it: "equity ratio 23.4 %", "interest cover 3.2×".
    static func ratio(_ component: ScoreComponent, _ value: Double) -> String {
        switch component {
        case .equityRatio: "equity ratio \(percent(value))"
        case .leverage: "liabilities \(percent(value)) of total assets"
        case .interestCover:
            value >= FinancialProfile.interestCoverBounds.upperBound
                ? "no financial expenses to cover" : "interest cover \(number(value))× (operating income over financial expenses)"
        case .returnOnAssets: "return on assets \(percent(value))"
        case .operatingReturn: "operating income \(percent(value)) of total assets"
        case .retainedEarningsRatio: "retained earnings \(percent(value)) of total assets"
        case .workingCapitalRatio: "working capital \(percent(value)) of total assets"
        case .currentRatio: "current ratio \(number(value, decimals: 2))"
        case .quickRatio: "quick ratio \(number(value, decimals: 2))"
        case .cashRatio: "cash \(percent(value)) of current liabilities"
        case .assetTurnover: "yearly revenue \(number(value, decimals: 2))× total assets"
        case .revenueGrowth: "revenue \(value >= 0 ? "+" : "")\(percent(value)) on the previous year"
        case .returnOnAssetsChange:
            "return on assets \(value >= 0 ? "up" : "down") \(number(abs(value) * 100)) points on the previous year"
        case .size: "total assets of \(number(exp(value) / 1000, decimals: 0)) thousand"
        case .debtService: "EBITDA \(percent(value)) of total liabilities"
        default: "\(component.rawValue) \(number(value, decimals: 2))"
        }
    }
}
