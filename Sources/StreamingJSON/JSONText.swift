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

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        first = true
    }

    /// A container closed is a value written in its parent: the parent's next member needs a comma.
    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
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

    /// A scalar, or a member: as synthesised `Codable` writes them, an optional that is nil is left out.
    @inlinable public mutating func value<Value: JSONScalar>(_ value: Value) throws { try value.write(to: &self) }

    @inlinable public mutating func member<Value: JSONScalar>(_ name: StaticString, _ value: Value) throws {
        key(name)
        try value.write(to: &self)
    }

    @inlinable public mutating func member<Value: JSONScalar>(_ name: StaticString, _ value: Value?) throws {
        guard let value else { return }
        try member(name, value)
    }

    /// Appends bytes the caller has written already (a number's digits, a literal).
    @usableFromInline mutating func append(integer value: Int64) { JSONText.integer(value, into: &bytes) }
    @usableFromInline mutating func append(double value: Double) throws { try JSONText.double(value, into: &bytes) }
    @usableFromInline mutating func append(literal value: StaticString) { value.withUTF8Buffer { bytes.append(contentsOf: $0) } }
}

/// A value JSON writes as a scalar: a string, a number, a boolean.
public protocol JSONScalar {
    /// Throws `StreamingJSONEncoder.Unsupported` for a non-finite number, which `JSONEncoder` refuses too.
    func write(to json: inout JSONWriter) throws
}

extension String: JSONScalar {
    @inlinable public func write(to json: inout JSONWriter) { json.string(self) }
}

extension Int: JSONScalar {
    @inlinable public func write(to json: inout JSONWriter) { json.append(integer: Int64(self)) }
}

extension Int64: JSONScalar {
    @inlinable public func write(to json: inout JSONWriter) { json.append(integer: self) }
}

extension Bool: JSONScalar {
    @inlinable public func write(to json: inout JSONWriter) { json.append(literal: self ? "true" : "false") }
}

extension Double: JSONScalar {
    @inlinable public func write(to json: inout JSONWriter) throws { try json.append(double: self) }
}
