import ArgumentParser
import CreditCore
import Foundation

/// Prints a value as the API would return it (sorted keys, indented): `--json` of every command.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// `--json` of the commands that answer as an API call does: one flag, one help text, one way to print.
struct AnswerFormat: ParsableArguments {
    @Flag(help: "Print the answer as JSON (the API's response).")
    var json = false

    /// Prints a use case's answer: with `--json` as the API returns it, otherwise as `text` puts it
    /// for a terminal (read only then, so that `--json` asks nothing more of the service).
    func print<Answer: Encodable>(_ answer: Answer, text: (Answer) async throws -> String) async throws {
        if json {
            try printJSON(answer)
        } else {
            Swift.print(try await text(answer))
        }
    }
}
