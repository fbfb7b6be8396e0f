import CreditCore
import Foundation

/// Prints a value as the API would return it (sorted keys, indented): `--json` of every command.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Prints a use case's answer: with `json` as the API returns it, otherwise as `text` puts it for
/// a terminal (read only then, so that `--json` asks nothing more of the service).
func printAnswer<Answer: Encodable>(_ answer: Answer, json: Bool, text: (Answer) async throws -> String) async throws {
    if json {
        try printJSON(answer)
    } else {
        print(try await text(answer))
    }
}
