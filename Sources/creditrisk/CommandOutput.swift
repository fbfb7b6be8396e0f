import CreditCore
import Foundation

/// Prints a value as the API would return it (sorted keys, indented): `--json` of every command.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Runs a use case and turns its refusal (unknown id, conflict, broken rule) into the CLI's
/// `Error: ...` line, the way the API turns it into a problem.
func refusingPolitely<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let refusal as any RefusedRequest {
        throw CommandError(refusal.description)
    }
}

/// An amount option: `2500`, `2500.00` or `"2 500,00"`.
func parseMoney(_ text: String, option: String) throws -> Money {
    guard let money = Money(parsing: text) else {
        throw CommandError("--\(option) \"\(text)\" is not an amount (e.g. 2500.00 or \"2 500,00\")")
    }
    return money
}
