import CreditCore
import Foundation

/// Where the cash forecast's policy comes from: `CREDITRISK_FORECAST_POLICY`, else the file
/// shipped in `Models/` of the working directory.
public enum CashForecastPolicyFile {
    public static let defaultPath = "Models/cash-forecast-v1.json"

    public static func path(_ explicit: String?) -> String {
        explicit ?? ProcessInfo.processInfo.environment["CREDITRISK_FORECAST_POLICY"] ?? defaultPath
    }

    /// Loads and validates the policy; the error names the file and the field.
    public static func load(_ explicit: String? = nil) throws -> CashForecastPolicy {
        try ModelFile.decode(at: path(explicit), unreadable: "cannot be read (set CREDITRISK_FORECAST_POLICY)", CashForecastPolicy.decode)
    }

    /// The policy when its file exists (nil when it does not: the forecast is then refused as
    /// unavailable); a file that exists but does not validate is an error.
    public static func loadIfPresent(_ explicit: String? = nil) throws -> CashForecastPolicy? {
        guard FileManager.default.fileExists(atPath: path(explicit)) else { return nil }
        return try load(explicit)
    }
}
