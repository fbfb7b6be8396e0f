import CreditCore
import Foundation
import Hummingbird

/// Checks a request body is JSON as the API document defines it, before any decoding: one value,
/// no key twice in an object (Foundation would keep one silently, so two clients could read the
/// same body differently), no `null` (an optional field is left out, never sent empty), at most
/// `maximumDepth` levels of nesting. Problems name the field and the byte where they are.
struct StrictJSON {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let maximumDepth = 32

    private let bytes: [UInt8]
    private var position = 0
    /// The field names of the top-level object, in order.
    private var topLevelKeys: [String] = []
    /// Numbers that are not whole or do not fit 64 bits, with where they are (`termsDays 30.5`):
    /// Foundation's decoder refuses them in an integer field as "not valid JSON", naming nothing.
    private var unusualNumbers: [String] = []

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// What an acceptable body holds that decoding may need to explain.
    struct Checked {
        /// The top-level object's field names, in order.
        var fields: [String]
        /// Numbers with a fraction or an exponent, or whole ones beyond 64 bits, each with its path.
        var unusualNumbers: [String]
    }

    /// Throws a `Failure` saying what is wrong and where; returns what the body holds when it is
    /// acceptable.
    @discardableResult
    static func check(_ bytes: [UInt8]) throws -> Checked {
        var reader = StrictJSON(bytes)
        reader.skipWhitespace()
        guard reader.position < bytes.count else { throw Failure(description: "the body is empty; send a JSON object") }
        try reader.value(path: [], depth: 0)
        reader.skipWhitespace()
        guard reader.position == bytes.count else {
            throw Failure(description: "the body has more after its JSON value, at byte \(reader.position + 1)")
        }
        return Checked(fields: reader.topLevelKeys, unusualNumbers: reader.unusualNumbers)
    }

    private mutating func value(path: [String], depth: Int) throws {
        guard depth < Self.maximumDepth else {
            throw Failure(description: "the body nests deeper than \(Self.maximumDepth) levels at \(Self.name(path))")
        }
        guard position < bytes.count else { throw unexpectedEnd() }
        switch bytes[position] {
        case UInt8(ascii: "{"): try object(path: path, depth: depth)
        case UInt8(ascii: "["): try array(path: path, depth: depth)
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"):
            try literal("null")
            throw Failure(description: "\(Self.name(path)) is null; leave an optional field out instead of sending null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number(path: path)
        default: throw unexpected()
        }
    }

    private mutating func object(path: [String], depth: Int) throws {
        position += 1
        var keys = Set<String>()
        guard !closesEmpty("}") else { return }
        repeat {
            skipWhitespace()
            guard position < bytes.count else { throw unexpectedEnd() }
            guard bytes[position] == UInt8(ascii: "\"") else { throw unexpected(expecting: "a field name in quotes") }
            let key = try string()
            guard keys.insert(key).inserted else {
                throw Failure(description: "\(Self.name(path + [key])) appears twice; send each field once")
            }
            if depth == 0 { topLevelKeys.append(key) }
            skipWhitespace()
            try expect(":")
            skipWhitespace()
            try value(path: path + [key], depth: depth + 1)
        } while try another(before: "}")
    }

    private mutating func array(path: [String], depth: Int) throws {
        position += 1
        guard !closesEmpty("]") else { return }
        var index = 0
        repeat {
            skipWhitespace()
            try value(path: path + ["\(index)"], depth: depth + 1)
            index += 1
        } while try another(before: "]")
    }

    /// At the start of an object or array: whether `closer` follows at once (and is read).
    private mutating func closesEmpty(_ closer: Unicode.Scalar) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: closer) else { return false }
        position += 1
        return true
    }

    /// After a member or an element: true when a `,` says another follows, false when `closer`
    /// ends the object or array; anything else is an error.
    private mutating func another(before closer: Unicode.Scalar) throws -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw unexpectedEnd() }
        if bytes[position] == UInt8(ascii: ",") {
            position += 1
            return true
        }
        try expect(closer)
        return false
    }

    /// Reads a string with its escapes resolved, so that `"a"` and `"\u0061"` are the same key.
    private mutating func string() throws -> String {
        let start = position
        position += 1
        // Built as UTF-8 bytes and made a String once: appending run after run to a
        // `String.UnicodeScalarView` took time growing with the square of the escapes (200 000
        // `\n` in a 600 kB body, 1.6 s; 800 000, 46 s of a core).
        var utf8: [UInt8] = []
        var run = position
        func flush(_ end: Int) throws {
            guard end > run else { return }
            // Not repaired: a name sent in Latin-1 would be stored with U+FFFD in place of its letters.
            guard Self.isUTF8(bytes[run..<end]) else {
                throw Failure(description: "the body has a string at byte \(start + 1) holding bytes that are not UTF-8; send UTF-8")
            }
            utf8.append(contentsOf: bytes[run..<end])
        }
        func append(_ scalar: Unicode.Scalar) { UTF8.encode(scalar) { utf8.append($0) } }
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                try flush(position)
                position += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try flush(position)
                position += 1
                guard position < bytes.count else { throw unexpectedEnd() }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): append("\"")
                case UInt8(ascii: "\\"): append("\\")
                case UInt8(ascii: "/"): append("/")
                case UInt8(ascii: "b"): append("\u{08}")
                case UInt8(ascii: "f"): append("\u{0C}")
                case UInt8(ascii: "n"): append("\n")
                case UInt8(ascii: "r"): append("\r")
                case UInt8(ascii: "t"): append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                        bytes[position + 1] == UInt8(ascii: "u")
                    {
                        position += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else {
                            throw Failure(description: "the body has a broken \\u escape at byte \(position - 5)")
                        }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else {
                        throw Failure(description: "the body has a lone surrogate \\u escape at byte \(position - 5)")
                    }
                    append(scalar)
                default:
                    throw Failure(description: "the body has an unknown escape \\\(Character(Unicode.Scalar(escape))) at byte \(position - 1)")
                }
                run = position
            case 0..<0x20:
                throw Failure(description: "the body has a raw control character in a string at byte \(position + 1); escape it")
            default:
                position += 1
            }
        }
        throw Failure(description: "the body has a string opened at byte \(start + 1) that is never closed")
    }

    /// Whether `bytes` are well-formed UTF-8, without making a String of them.
    static func isUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw unexpectedEnd() }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw unexpected(expecting: "four hexadecimal digits")
            }
            code = code << 4 | digit
            position += 1
        }
        return code
    }

    /// JSON's number grammar; the value itself is judged by the field's decoder.
    private mutating func number(path: [String]) throws {
        let start = position
        defer {
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            if Int64(text) == nil, unusualNumbers.count < 3 {
                unusualNumbers.append(
                    "\(path.isEmpty ? "the body" : path.joined(separator: ".").truncatedForMessage()) \(text.truncatedForMessage(40))")
            }
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { throw unexpectedEnd() }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            guard isDigit() else { throw unexpected(expecting: "a digit") }
            while isDigit() { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard isDigit() else { throw unexpected(expecting: "a digit") }
            while isDigit() { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard isDigit() else { throw unexpected(expecting: "a digit") }
            while isDigit() { position += 1 }
        }
    }

    private func isDigit() -> Bool {
        position < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position])
    }

    private mutating func literal(_ word: StaticString) throws {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard position + expected.count <= bytes.count, bytes[position..<position + expected.count].elementsEqual(expected) else {
            throw unexpected()
        }
        position += expected.count
    }

    private mutating func expect(_ character: Unicode.Scalar) throws {
        guard position < bytes.count else { throw unexpectedEnd() }
        guard bytes[position] == UInt8(ascii: character) else { throw unexpected(expecting: "'\(character)'") }
        position += 1
    }

    private mutating func skipWhitespace() {
        while position < bytes.count,
            bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == 0x09
        {
            position += 1
        }
    }

    private func unexpectedEnd() -> Failure {
        Failure(description: "the body ends in the middle of its JSON value")
    }

    private func unexpected(expecting: String? = nil) -> Failure {
        let found = position < bytes.count ? Self.shown(bytes[position]) : "the end"
        return Failure(
            description: "the body is not valid JSON at byte \(position + 1): found \(found)"
                + (expecting.map { ", expected \($0)" } ?? ""))
    }

    private static func shown(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
    }

    private static func name(_ path: [String]) -> String {
        path.isEmpty ? "the body" : "field " + path.joined(separator: ".").truncatedForMessage()
    }
}

/// How the API reads request bodies: `application/json` only (415 otherwise), strict JSON
/// (`StrictJSON`), then decoded against the input bounds so that a hostile amount is a 400
/// before any use case runs.
public struct CreditRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let mediaType = request.mediaType
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            throw Problem(
                .unsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                detail: "send the body as application/json, not \(mediaType.isEmpty ? "without a Content-Type" : mediaType.truncatedForMessage())")
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let bytes = Array(buffer.readableBytesView)
        let checked: StrictJSON.Checked
        do {
            checked = try StrictJSON.check(bytes)
        } catch let failure as StrictJSON.Failure {
            throw Problem.malformed(failure.description)
        }
        let fields = checked.fields
        if let documented = T.self as? any DocumentedRequestBody.Type,
            let unknown = fields.first(where: { !documented.documentedFields.contains($0) })
        {
            // A misspelt field ("ammount") or one this version does not take is said, not dropped.
            throw Problem.malformed(
                "field \(unknown.truncatedForMessage()) is not one this request takes; its fields are "
                    + documented.documentedFields.sorted().joined(separator: ", "))
        }
        let decoder = JSONDecoder()
        decoder.userInfo[.inputBounds] = InputBounds.standard
        do {
            return try decoder.decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            // The body passed the strict check, so it is valid JSON: a "corrupted" body with no
            // path is Foundation's word for a number its field cannot hold (30.5 or 2^63 in an
            // integer field). Name the numbers that can be that, rather than "not valid JSON".
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, !checked.unusualNumbers.isEmpty {
                throw Problem.malformed(
                    "a number does not fit its field (whole numbers within ±9223372036854775807 where the API document says integer): "
                        + checked.unusualNumbers.joined(separator: ", "))
            }
            // Said here, with the field's path: Hummingbird's own wording drops it.
            throw Problem.malformed("the JSON body does not match the expected shape: \(ProblemMiddleware<CreditRequestContext>.describe(error))")
        }
    }
}

/// A request body whose fields are those of its schema in the API document (where the schema
/// says `additionalProperties: false`); any other field is refused. `OpenAPITests` keeps the two
/// lists the same.
public protocol DocumentedRequestBody: Decodable {
    static var documentedFields: Set<String> { get }
}
