import Foundation

/// The files an ERP export consists of, with the columns each must carry.
public enum LedgerFileKind: String, Sendable, CaseIterable, Codable {
    case customers, invoices, payments, disputes, sectors, groups

    /// The order an import must follow so that every reference points to something already read
    /// (a group limit names a group of the customers).
    public static let importOrder: [LedgerFileKind] = [.sectors, .customers, .groups, .invoices, .payments, .disputes]

    public var fileName: String { rawValue + ".csv" }

    public var requiredColumns: [String] {
        switch self {
        case .customers: ["customer_id", "name", "sector_code", "country", "terms_days"]
        case .invoices: ["invoice_id", "customer_id", "issue_date", "due_date", "amount", "currency"]
        case .payments: ["payment_id", "invoice_id", "paid_on", "amount"]
        case .disputes: ["invoice_id", "kind", "opened_on"]
        case .sectors: ["sector_code", "label", "avg_days_beyond_terms", "avg_dso_days", "annual_failure_rate"]
        case .groups: ["group", "limit"]
        }
    }
}

extension LedgerFileKind {
    /// The kind of file a header line belongs to, for a single CSV sent without its name: the
    /// kind whose required columns the header holds, or nil when no kind's (or more than one
    /// kind's) columns are all there.
    public static func recognising(headerLine: String) -> LedgerFileKind? {
        var line = Substring(headerLine)
        if line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
        let delimiter: Character =
            [";", "\t", ","].max { a, b in
                line.filter { $0 == a }.count < line.filter { $0 == b }.count
            } ?? ","
        let columns = Set(
            line.split(separator: delimiter, omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\n\"")).lowercased()
            })
        let candidates = allCases.filter { kind in kind.requiredColumns.allSatisfy(columns.contains) }
        return candidates.count == 1 ? candidates[0] : nil
    }
}
