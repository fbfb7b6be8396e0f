/// JSON's scalars as `JSONEncoder` writes them (strings escaped the same way, a double as its
/// shortest description without a trailing `.0`), written into a byte buffer: used by the
/// streaming encoder and by `JSONWriter`, so both write the same bytes.
enum JSONText {
    static func string(_ value: String, into output: inout [UInt8], escapingSlashes: Bool) {
        let quote = UInt8(ascii: "\"")
        // Most strings (keys, codes, amounts) need no escape: written in one append.
        let slash = escapingSlashes ? UInt8(ascii: "/") : quote
        func plain(_ byte: UInt8) -> Bool { byte >= 0x20 && byte != quote && byte != UInt8(ascii: "\\") && byte != slash }
        // A native string's bytes scanned and copied in place (one memcpy), not through the UTF-8 view's indices.
        let written: Bool? = value.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where !plain(byte) { return false }
            output.append(quote)
            output.append(contentsOf: bytes)
            output.append(quote)
            return true
        }
        if written == true { return }
        if written == nil, value.utf8.allSatisfy(plain) {
            output.append(quote)
            output.append(contentsOf: value.utf8)
            output.append(quote)
            return
        }
        output.append(quote)
        let hex: StaticString = "0123456789abcdef"
        for byte in value.utf8 {
            switch byte {
            case quote, UInt8(ascii: "\\"), slash: output += [UInt8(ascii: "\\"), byte]
            case 0x08: output += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: output += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                output += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")]
                hex.withUTF8Buffer { output += [$0[Int(byte >> 4)], $0[Int(byte & 0xF)]] }
            default: output.append(byte)
            }
        }
        output.append(quote)
    }

    static func integer<T: BinaryInteger>(_ value: T, into output: inout [UInt8]) {
        guard let value = Int64(exactly: value) else { return output.append(contentsOf: String(value).utf8) }
        // The digits written straight into the output (no String per number), least significant first, then reversed.
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = output.count
        repeat {
            output.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        output[start...].reverse()
    }

    static func double(_ value: Double, into output: inout [UInt8]) throws {
        guard value.isFinite else { throw StreamingJSONEncoder.Unsupported(description: "a non-finite number") }
        let text = value.description
        output.append(contentsOf: text.hasSuffix(".0") ? text.utf8.dropLast(2) : text.utf8[...])
    }
}

/// JSON written member by member by the code of a type, for the one encoding on a hot path: a
/// scoring run writes 100k assessment details, and the `Encodable` machinery (a boxed container,
/// generic metadata and a dynamic call per field) cost four times the bytes it wrote. A type
/// written here keeps its `Codable` conformance as the reference: a test holds the two
/// byte-identical (keys in declaration order, optionals left out when nil, scalars as
/// `JSONEncoder` writes them).
///
/// Containers are opened and closed by the caller; `key` and `element` put the commas.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the container being written has no member yet (no comma before the next one).
    private var first = true
    public var escapingSlashes: Bool

    public init(capacity: Int = 4096, escapingSlashes: Bool = true) {
        bytes.reserveCapacity(capacity)
        self.escapingSlashes = escapingSlashes
    }

    public mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    public mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        first = true
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    /// Starts a member: the comma, the key and the colon. Keys are the caller's literals, plain
    /// ASCII names that need no escape.
    public mutating func key(_ key: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// Starts a member whose key is data (a dictionary's key): escaped like any string.
    public mutating func key(_ key: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        JSONText.string(key, into: &bytes, escapingSlashes: escapingSlashes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Starts an element of an array.
    public mutating func element() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
    }

    public mutating func string(_ value: String) { JSONText.string(value, into: &bytes, escapingSlashes: escapingSlashes) }
    public mutating func integer(_ value: Int) { JSONText.integer(value, into: &bytes) }
    public mutating func integer(_ value: Int64) { JSONText.integer(value, into: &bytes) }
    public mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    /// Throws `StreamingJSONEncoder.Unsupported` for a non-finite number, which `JSONEncoder` refuses too.
    public mutating func double(_ value: Double) throws { try JSONText.double(value, into: &bytes) }

    // Members as synthesised `Codable` writes them: an optional that is nil is left out.

    public mutating func member(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    public mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        member(name, value)
    }

    public mutating func member(_ name: StaticString, _ value: Int) {
        key(name)
        integer(value)
    }

    public mutating func member(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        member(name, value)
    }

    public mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    public mutating func member(_ name: StaticString, _ value: Bool?) {
        guard let value else { return }
        member(name, value)
    }

    public mutating func member(_ name: StaticString, _ value: Double) throws {
        key(name)
        try double(value)
    }

    public mutating func member(_ name: StaticString, _ value: Double?) throws {
        guard let value else { return }
        try member(name, value)
    }
}
