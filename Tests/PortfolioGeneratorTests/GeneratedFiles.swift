import CreditCore
import Foundation
import PortfolioGenerator

/// A generated portfolio read back with a deliberately simple CSV reader, independent of the
/// generator's writer, so the tests check the files as an importer would see them.
struct GeneratedFiles: Sendable {
    let directory: URL
    let style: CSVStyle
    let customers: [[String: String]]
    let invoices: [[String: String]]
    let payments: [[String: String]]
    let disputes: [[String: String]]
    let sectors: [[String: String]]
    let outcomes: [[String: String]]
    let headers: [String: String]

    /// The portfolio most tests read: 500 customers, seed 42, generated once per style and run.
    static let sharedCustomers = 500
    private static let shared: [CSVStyle: Result<(GeneratedFiles, GenerationSummary), ReadError>] = {
        var cache: [CSVStyle: Result<(GeneratedFiles, GenerationSummary), ReadError>] = [:]
        for style in CSVStyle.allCases {
            do {
                let (files, summary) = try generate(GeneratorConfiguration(customers: sharedCustomers, seed: 42, style: style))
                files.remove()
                cache[style] = .success((files, summary))
            } catch {
                cache[style] = .failure(ReadError(message: "\(error)"))
            }
        }
        return cache
    }()

    static func shared(_ style: CSVStyle) throws -> GeneratedFiles {
        try shared[style]!.get().0
    }

    static func sharedSummary(_ style: CSVStyle) throws -> GenerationSummary {
        try shared[style]!.get().1
    }

    /// Generates `configuration` into a fresh temporary folder and reads every file back.
    static func generate(_ configuration: GeneratorConfiguration) throws -> (GeneratedFiles, GenerationSummary) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("portfolio-\(configuration.style.rawValue)-\(configuration.seed)-\(UUID().uuidString)")
        let summary = try PortfolioGenerator(configuration: configuration).write(to: directory)
        return (try GeneratedFiles(directory: directory, style: configuration.style), summary)
    }

    init(directory: URL, style: CSVStyle) throws {
        self.directory = directory
        self.style = style
        let delimiter: Character = style == .french ? ";" : ","
        func read(_ name: String) throws -> [[String: String]] {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            guard lines.last == "" else { throw ReadError(message: "\(name) does not end with a line break") }
            lines.removeLast()
            let header = GeneratedFiles.fields(String(lines[0]), delimiter: delimiter)
            return try lines.dropFirst().enumerated().map { offset, line in
                let values = GeneratedFiles.fields(String(line), delimiter: delimiter)
                guard values.count == header.count else {
                    throw ReadError(message: "\(name) line \(offset + 2) has \(values.count) fields, not \(header.count)")
                }
                return Dictionary(uniqueKeysWithValues: zip(header, values))
            }
        }
        customers = try read("customers.csv")
        invoices = try read("invoices.csv")
        payments = try read("payments.csv")
        disputes = try read("disputes.csv")
        sectors = try read("sectors.csv")
        outcomes = try read("outcomes.csv")
        var headers: [String: String] = [:]
        for name in PortfolioGenerator.fileNames {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            headers[name] = String(text.prefix { $0 != "\n" })
        }
        self.headers = headers
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    func header(_ name: String) -> String {
        headers[name] ?? ""
    }

    /// Splits one line: fields in double quotes may hold the delimiter, `""` is a quote.
    static func fields(_ line: String, delimiter: Character) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(line)[...]
        while let character = iterator.popFirst() {
            if quoted {
                if character == "\"" {
                    if iterator.first == "\"" {
                        current.append("\"")
                        iterator.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == delimiter {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    /// Cents from `1 234,56` (French) or `1234.56` (international); nil for anything else.
    func cents(_ text: String?) -> Int64? {
        guard var text else { return nil }
        if style == .french {
            guard !text.contains(".") else { return nil }
            text = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: ",", with: ".")
        } else {
            guard !text.contains(" "), !text.contains(",") else { return nil }
        }
        let negative = text.hasPrefix("-")
        let parts = text.drop { $0 == "-" }.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, let units = Int64(parts[0]), let fraction = Int64(parts[1]) else {
            return nil
        }
        return (units * 100 + fraction) * (negative ? -1 : 1)
    }

    /// A date in the style's form only (French files must not carry ISO dates and the reverse).
    func day(_ text: String?) -> Day? {
        guard let text, text.count == 10 else { return nil }
        let french = text.dropFirst(2).first == "/"
        guard french == (style == .french) else { return nil }
        return Day(parsing: text)
    }
}

struct ReadError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
