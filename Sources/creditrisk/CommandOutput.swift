import CreditCore
import Foundation

/// Prints a value as the API would return it (sorted keys, indented): `--json` of every command.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// An amount option: `2500`, `2500.00` or `"2 500,00"`.
func parseMoney(_ text: String, option: String) throws -> Money {
    guard let money = Money(parsing: text) else {
        throw CommandError("--\(option) \"\(text)\" is not an amount (e.g. 2500.00 or \"2 500,00\")")
    }
    return money
}
