import Foundation

/// Why a customer contests an invoice. A closed list, so that a dispute's deadline, owner and
/// statistics never depend on how someone spelt it: each kind gets its resolution deadline from
/// the model file, and `other` covers what fits no kind.
public enum DisputeKind: String, Sendable, Hashable, Codable, ClosedList {
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

    /// Read as written in a ledger file, a request or a command (`ClosedList`): `Duplicate
    /// billing` is `duplicate_billing`.
    public static let listName = "a dispute kind"
}

extension String {
    /// The code a user means by this text in a closed list (dispute kinds, outcomes): lowercased,
    /// trimmed, and `-`, spaces or `_` between words read as one `_`.
    var closedListCode: String {
        trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            .split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" }).joined(separator: "_")
    }
}

/// A closed list of codes (activity kinds, outcomes, reminder steps) read from what a user wrote:
/// case, surrounding spaces and `-` or a space for `_` do not matter, and anything else is
/// refused with the list.
public protocol ClosedList: RawRepresentable, CaseIterable, Sendable where RawValue == String {
    /// How a refusal names the list: "an activity kind".
    static var listName: String { get }
}

extension ClosedList {
    public init?(parsing text: String) {
        self.init(rawValue: text.closedListCode)
    }

    /// The codes as a user reads them in a refusal.
    public static var listed: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The reading of a JSON string: a refusal names the text, the list and (through the
    /// decoding error's path) the field.
    public static func decodeListed(from decoder: any Decoder) throws -> Self {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(parsing: text) else {
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(shown)\" is not \(listName); use one of \(listed)")
        }
        return value
    }
}
