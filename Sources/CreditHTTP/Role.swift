import Foundation

/// Who is calling, as their API key says. Each role sees what its work needs.
public enum Role: String, Codable, Sendable, CaseIterable {
    case sales
    case collections
    case creditManager = "credit_manager"
    /// The credit manager's superior: may do all a credit manager does, and approve limits beyond
    /// the credit manager's authority (how far each may go is in `Models/approval-authorities-v2.json`).
    case creditDirector = "credit_director"
    case admin

    /// What a role may do; the credit manager does everything sales and collections do, plus
    /// account opening, overrides, held orders, group limits, deciding limit requests and reviews;
    /// the credit director does what the credit manager does (with a wider authority over limits,
    /// set in the authorities file, not here); admin runs imports. Sales and collections ask for
    /// limits. Collections and admin also read the portfolio indicators (collections managers watch DSO).
    public func may(_ capability: Capability) -> Bool {
        switch (self, capability) {
        case (.sales, .readAssessments), (.sales, .checkOrders), (.sales, .requestLimits): true
        case (.collections, .readAssessments), (.collections, .workCollections), (.collections, .reportEvents),
            (.collections, .readPortfolio), (.collections, .requestLimits):
            true
        case (.creditManager, .importData), (.creditDirector, .importData): false
        case (.creditManager, _), (.creditDirector, _): true
        case (.admin, .importData), (.admin, .readAssessments), (.admin, .readPortfolio): true
        default: false
        }
    }
}

public enum Capability: String, Sendable {
    case readAssessments = "read assessments"
    case checkOrders = "check orders"
    case workCollections = "work the collections lists"
    case reportEvents = "report payments, promises and disputes"
    case openAccounts = "open accounts"
    case overrideDecisions = "override credit decisions"
    case decideHeldOrders = "release or reject held orders"
    case setGroupLimits = "set group limits"
    case importData = "import data"
    case readPortfolio = "read portfolio indicators"
    case requestLimits = "request credit limits"
    case decideLimitRequests = "approve or reject limit requests"
    case reviewLimits = "review customers' limits"
}

/// API keys and their roles. Compared in constant time, and never logged.
public struct APIKeys: Sendable {
    public struct Key: Sendable, Codable {
        public var name: String
        public var role: Role
        public var key: String
        /// For a sales key: the rep it belongs to, whose accounts alone its customer list shows.
        public var salesRep: String?

        public init(name: String, role: Role, key: String, salesRep: String? = nil) {
            self.name = name
            self.role = role
            self.key = key
            self.salesRep = salesRep
        }
    }

    public var keys: [Key]

    public init(keys: [Key]) { self.keys = keys }

    /// The role of a presented key. Every stored key is compared in full whatever matches, so
    /// the time taken says nothing about how close a guess was.
    public func key(for presented: String) -> Key? {
        let presentedBytes = Array(presented.utf8)
        var found: Key?
        for key in keys where APIKeys.constantTimeEqual(Array(key.key.utf8), presentedBytes) && found == nil {
            found = key
        }
        return found
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }

    /// Keys from `CREDITRISK_API_KEYS` (`role:key,role:key`) or a JSON file
    /// (`[{"name": ..., "role": ..., "key": ..., "salesRep": ...}]`, `salesRep` optional).
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> APIKeys? {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ConfigurationError("API key file \(file) cannot be read")
            }
            do {
                return APIKeys(keys: try JSONDecoder().decode([Key].self, from: data))
            } catch {
                throw ConfigurationError("API key file \(file) is not a JSON list of {name, role, key}: \(error)")
            }
        }
        guard let text = environment["CREDITRISK_API_KEYS"], !text.isEmpty else { return nil }
        var keys: [Key] = []
        for (index, entry) in text.split(separator: ",").enumerated() {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let role = Role(rawValue: parts[0]), parts[1].count >= 16 else {
                throw ConfigurationError(
                    "CREDITRISK_API_KEYS entry \(index + 1) is not role:key with a role among "
                        + Role.allCases.map(\.rawValue).joined(separator: ", ") + " and a key of 16 characters or more")
            }
            keys.append(Key(name: "\(parts[0])-\(index + 1)", role: role, key: parts[1]))
        }
        return APIKeys(keys: keys)
    }

    /// Fixed keys for the demo database only; printed at start so the README's examples run.
    public static let demo = APIKeys(keys: [
        Key(name: "demo-sales", role: .sales, key: "demo-sales-key-0001"),
        Key(name: "demo-sales-marie", role: .sales, key: "demo-sales-marie-key-0001", salesRep: "marie"),
        Key(name: "demo-collections", role: .collections, key: "demo-collections-key-0001"),
        Key(name: "demo-credit-manager", role: .creditManager, key: "demo-credit-manager-key-0001"),
        Key(name: "demo-credit-director", role: .creditDirector, key: "demo-credit-director-key-0001"),
        Key(name: "demo-admin", role: .admin, key: "demo-admin-key-0001"),
    ])
}

public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
