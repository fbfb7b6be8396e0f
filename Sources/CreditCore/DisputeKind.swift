import Foundation

/// Why a customer contests an invoice. A closed list, so that a dispute's deadline, owner and
/// statistics never depend on how someone spelt it: each kind gets its resolution deadline from
/// the model file, and `other` covers what fits no kind.
public enum DisputeKind: String, Sendable, Hashable, Codable, CaseIterable {
    case price
    case quantity
    case quality
    case technical
    case delivery
    /// The invoice itself is wrong (wrong entity, rate, reference): a corrected invoice or a
    /// credit note resolves it.
    case invoicingError = "invoicing_error"
    case duplicateBilling = "duplicate_billing"
    case missingPurchaseOrder = "missing_purchase_order"
    case other

    /// The one reading of a kind as written in a ledger file, a request or a command: case and
    /// surrounding spaces do not matter, and `-` or a space inside stands for `_`
    /// (`Duplicate billing` is `duplicate_billing`). Nil for anything else.
    public init?(parsing text: String) {
        self.init(rawValue: text.closedListCode)
    }

    /// The kinds as a user reads them in a refusal: `price, quantity, ..., other`.
    public static var listed: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

extension String {
    /// The code a user means by this text in a closed list (dispute kinds, outcomes): lowercased,
    /// trimmed, and `-`, spaces or `_` between words read as one `_`.
    var closedListCode: String {
        trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" }).joined(separator: "_")
    }
}
