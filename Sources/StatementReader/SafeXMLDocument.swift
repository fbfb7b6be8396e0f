import CLibXML2
import CreditCore
import Foundation

/// Limits applied to every document before and while it is parsed.
public struct ReadingLimits: Sendable, Hashable {
    /// Documents larger than this are refused before libxml2 sees a byte.
    public var maximumBytes: Int

    /// Nesting depth is not configurable: libxml2 refuses more than 256 levels as long as
    /// XML_PARSE_HUGE is off, which it always is here. Statements need fewer than ten.
    public static let maximumDepth = 256

    /// Attributes (and namespace declarations) one element may have. Real filings' roots declare
    /// up to 26 namespaces and their facts carry at most 5 attributes; libxml2's time grows with
    /// the square of an element's attributes, so a bound keeps any document's parse short.
    public static let maximumAttributes = 128

    public init(maximumBytes: Int = 20 << 20) {
        self.maximumBytes = maximumBytes
    }
}

/// A parsed XML document that cannot reach the network or the file system.
///
/// Parsing options: short text nodes stored in their node (XML_PARSE_COMPACT: fewer
/// allocations, the same tree read-only), the white space between elements left out
/// (XML_PARSE_NOBLANKS: a pretty-printed INPI filing is half indentation nodes; an element's
/// own text stays as written), no network (XML_PARSE_NONET), no entity substitution (no XML_PARSE_NOENT),
/// no DTD loading or default attributes (no XML_PARSE_DTDLOAD / DTDATTR / DTDVALID), no
/// XML_PARSE_HUGE (so libxml2 keeps its depth and text-size limits). On top of that, any
/// DOCTYPE stops the parser the moment it is seen, before a single entity declaration is
/// read: statements never need one, and refusing them closes XXE and entity bombs for good.
///
/// One instance owns one `xmlDoc` and frees it in `deinit`; the parser context is freed
/// before `parse` returns. Each call parses into its own context, with no global handler,
/// so documents can be read from many threads at once.
final class SafeXMLDocument {
    private let document: xmlDocPtr

    private init(document: xmlDocPtr) {
        self.document = document
    }

    deinit {
        xmlFreeDoc(document)
    }

    /// libxml2 must be initialised once before it is used from several threads; a static
    /// `let` runs its initialiser exactly once, under a lock.
    private static let initialised: Bool = {
        xmlInitParser()
        return true
    }()

    /// Parses `data`, or explains why not.
    static func parse(_ data: Data, name: String, limits: ReadingLimits) throws(StatementError) -> SafeXMLDocument {
        guard data.count <= limits.maximumBytes else {
            throw StatementError(
                .tooLarge, document: name,
                message: "is \(data.count) bytes, over the limit of \(limits.maximumBytes) bytes; "
                    + "split the document or raise the statement size limit")
        }
        guard !data.isEmpty else {
            throw StatementError(.notXML, document: name, line: 1, message: "is empty; expected an XML statement")
        }
        guard data.count <= Int(Int32.max) else {
            throw StatementError(.tooLarge, document: name, message: "is too large for the XML parser")
        }
        _ = initialised
        let outcome: Result<SafeXMLDocument, StatementError> = data.withUnsafeBytes { bytes in
            parse(bytes, name: name)
        }
        return try outcome.get()
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer, name: String) -> Result<SafeXMLDocument, StatementError> {
        if let crowded = crowdedElement(bytes) {
            return .failure(
                StatementError(
                    .malformedXML, document: name, line: crowded.line, element: crowded.element,
                    message: "has more than \(ReadingLimits.maximumAttributes) attributes; statements need a handful, "
                        + "so the document is refused"))
        }
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
            let context = xmlCreateMemoryParserCtxt(base, Int32(bytes.count))
        else {
            return .failure(StatementError(.notXML, document: name, message: "could not be handed to the XML parser"))
        }
        defer { xmlFreeParserCtxt(context) }

        let options: Int32 = Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_COMPACT.rawValue | XML_PARSE_NOBLANKS.rawValue)
        _ = xmlCtxtUseOptions(context, options)

        let sink = UnsafeMutablePointer<ParseSink>.allocate(capacity: 1)
        sink.initialize(to: ParseSink())
        defer {
            sink.deinitialize(count: 1)
            sink.deallocate()
        }
        context.pointee._private = UnsafeMutableRawPointer(sink)
        if let sax = context.pointee.sax {
            // Errors go to this context only (never to libxml2's global handler or stderr).
            sax.pointee.serror = { userData, error in
                guard let userData, let error else { return }
                let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
                context.pointee._private?.assumingMemoryBound(to: ParseSink.self).pointee.record(error.pointee)
            }
            // Any DOCTYPE (internal subset, external identifier or both) stops the parse at once.
            sax.pointee.internalSubset = { userData, _, _, _ in
                guard let userData else { return }
                let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
                let sink = context.pointee._private?.assumingMemoryBound(to: ParseSink.self)
                if sink?.pointee.doctypeLine == nil {
                    sink?.pointee.doctypeLine = context.pointee.input.map { Int($0.pointee.line) } ?? 1
                }
                xmlStopParser(context)
            }
        }

        _ = xmlParseDocument(context)
        let parsed = context.pointee.myDoc
        context.pointee.myDoc = nil
        let wellFormed = context.pointee.wellFormed != 0

        if let line = sink.pointee.doctypeLine {
            if let parsed { xmlFreeDoc(parsed) }
            return .failure(
                StatementError(
                    .documentTypeRefused, document: name, line: max(line, 1), element: "DOCTYPE",
                    message: "declares a document type (DTD); statements never need one and DTDs carry "
                        + "entity attacks (XXE, entity expansion), so the document is refused; remove the DOCTYPE"))
        }
        guard wellFormed, let parsed else {
            if let parsed { xmlFreeDoc(parsed) }
            return .failure(sink.pointee.error(document: name))
        }
        guard xmlDocGetRootElement(parsed) != nil else {
            xmlFreeDoc(parsed)
            return .failure(StatementError(.notXML, document: name, message: "has no root element"))
        }
        return .success(SafeXMLDocument(document: parsed))
    }

    /// The first start tag with more than `ReadingLimits.maximumAttributes` attributes (namespace
    /// declarations included), found by one pass over the bytes: libxml2 compares each attribute
    /// of an element with all those before it, so 200 000 attributes on one fact (2.3 MB) took
    /// 91 s to parse. Comments, CDATA sections and processing instructions are stepped over; an
    /// `=` outside quotes within a tag is one attribute. Nil when every tag is within the limit.
    static func crowdedElement(_ bytes: UnsafeRawBufferPointer) -> (line: Int, element: String)? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        let limit = ReadingLimits.maximumAttributes
        /// The index of the next `byte` at or after `from`, or `count`: memchr, for the long runs between tags.
        func next(_ byte: UInt8, from: Int) -> Int {
            guard from < count, let found = memchr(base + from, Int32(byte), count - from) else { return count }
            return base.distance(to: UnsafeRawPointer(found))
        }
        /// The index just past `terminator` at or after `from`, or `count`.
        func past(_ terminator: [UInt8], from: Int) -> Int {
            var index = from
            while true {
                index = next(terminator[0], from: index)
                guard index + terminator.count <= count else { return count }
                if (1..<terminator.count).allSatisfy({ bytes[index + $0] == terminator[$0] }) { return index + terminator.count }
                index += 1
            }
        }
        func starts(_ text: [UInt8], at index: Int) -> Bool {
            index + text.count <= count && (0..<text.count).allSatisfy { bytes[index + $0] == text[$0] }
        }
        var index = next(UInt8(ascii: "<"), from: 0)
        while index < count {
            let following = index + 1 < count ? bytes[index + 1] : 0
            if following == UInt8(ascii: "!"), starts(Markup.commentStart, at: index) {
                index = past(Markup.commentEnd, from: index + Markup.commentStart.count)
            } else if following == UInt8(ascii: "!"), starts(Markup.cdataStart, at: index) {
                index = past(Markup.cdataEnd, from: index + Markup.cdataStart.count)
            } else if following == UInt8(ascii: "?") {
                index = past(Markup.instructionEnd, from: index + 2)
            } else {
                // A tag: count `=` outside quoted values until its `>`.
                let tagStart = index
                var attributes = 0
                var quote: UInt8? = nil
                index += 1
                while index < count {
                    let byte = bytes[index]
                    if let open = quote {
                        if byte == open { quote = nil }
                    } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                        quote = byte
                    } else if byte == UInt8(ascii: "=") {
                        attributes += 1
                        if attributes > limit {
                            // Lines are counted only now, for the message.
                            var line = 1
                            var at = next(0x0A, from: 0)
                            while at < tagStart {
                                line += 1
                                at = next(0x0A, from: at + 1)
                            }
                            let name = bytes[(tagStart + 1)..<min(count, tagStart + 200)].prefix { $0 > 0x20 && $0 != UInt8(ascii: "/") }
                            return (line, String(decoding: name, as: UTF8.self).truncatedForMessage(80))
                        }
                    } else if byte == UInt8(ascii: ">") {
                        break
                    }
                    index += 1
                }
                index += 1
            }
            index = next(UInt8(ascii: "<"), from: index)
        }
        return nil
    }

    /// The root element; valid as long as this document is alive (the node keeps it alive).
    var root: XMLNode {
        // Checked non-nil in `parse`.
        XMLNode(pointer: xmlDocGetRootElement(document)!, owner: self)
    }

    /// Resolves a QName's prefix (nil for the default namespace) in the scope of `node`.
    fileprivate func namespaceURI(prefix: String?, at node: xmlNodePtr) -> String? {
        let found: xmlNsPtr? =
            if let prefix { prefix.withCString { xmlSearchNs(document, node, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) } } else {
                xmlSearchNs(document, node, nil)
            }
        return found?.pointee.href.map { String(cString: $0) }
    }
}

/// The delimiters `SafeXMLDocument.crowdedElement` steps over, made once.
private enum Markup {
    static let commentStart = Array("<!--".utf8)
    static let commentEnd = Array("-->".utf8)
    static let cdataStart = Array("<![CDATA[".utf8)
    static let cdataEnd = Array("]]>".utf8)
    static let instructionEnd = Array("?>".utf8)
}

/// Where libxml2's structured errors land during one parse.
private struct ParseSink {
    var firstFatal: (code: Int32, line: Int, message: String)?
    var firstError: (code: Int32, line: Int, message: String)?
    var doctypeLine: Int?

    mutating func record(_ error: xmlError) {
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        var message = error.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "XML error"
        // Some builds of libxml2 have no text for a few codes; the commonest said in our words.
        if message.isEmpty || message.hasPrefix("Unregistered error") {
            switch error.code {
            case Int32(XML_ERR_INVALID_CHAR.rawValue):
                message = "a character XML does not allow (a control character such as U+0001, or a byte that is not UTF-8)"
            case Int32(XML_ERR_CDATA_NOT_FINISHED.rawValue):
                message = "a CDATA section holds a character XML does not allow (a control character such as U+0001) or is not closed"
            default: message = "libxml2 error \(error.code)"
            }
        }
        // libxml2 gives the column in `int2`.
        if error.int2 > 0 { message += " (column \(error.int2))" }
        let entry = (code: error.code, line: Int(error.line), message: message)
        if firstError == nil { firstError = entry }
        if error.level == XML_ERR_FATAL, firstFatal == nil { firstFatal = entry }
    }

    func error(document: String) -> StatementError {
        guard let (code, line, message) = firstFatal ?? firstError else {
            return StatementError(.malformedXML, document: document, message: "is not well-formed XML")
        }
        let where_ = line > 0 ? line : nil
        if code == Int32(XML_ERR_DOCUMENT_EMPTY.rawValue) || code == Int32(XML_ERR_DOCUMENT_START.rawValue)
            || (code == Int32(XML_ERR_DOCUMENT_END.rawValue) && line <= 1)
        {
            return StatementError(
                .notXML, document: document, line: where_,
                message: "is not an XML document (\(message)); expected an XBRL instance or INPI bilans saisis XML")
        }
        if message.contains("Excessive depth") {
            return StatementError(
                .tooDeep, document: document, line: where_,
                message: "nests elements more than \(ReadingLimits.maximumDepth) levels deep; statements need a "
                    + "handful, so the document is refused")
        }
        return StatementError(
            .malformedXML, document: document, line: where_,
            message: "is not well-formed XML: \(message); fix the document or ask its sender for a valid export")
    }
}

/// A read-only view of one element. Holds its document alive, so it is safe to keep.
struct XMLNode {
    let pointer: xmlNodePtr
    let owner: SafeXMLDocument

    /// The element's name without prefix.
    var localName: String { String(cString: pointer.pointee.name) }

    /// The namespace the element is in, resolved by libxml2 (never compare prefixes).
    var namespaceURI: String? { pointer.pointee.ns?.pointee.href.map { String(cString: $0) } }

    /// `{namespace}local`, for messages.
    var expandedName: String { (namespaceURI.map { "{\($0)}" } ?? "") + localName }

    /// Prefixed name as written, for messages.
    var qualifiedName: String {
        if let prefix = pointer.pointee.ns?.pointee.prefix { return String(cString: prefix) + ":" + localName }
        return localName
    }

    var line: Int { Int(xmlGetLineNo(pointer)) }

    /// True when the element's local name and namespace are these. Compares libxml2's bytes in
    /// place: readers ask this of every element, and making strings of both names cost more than
    /// the parse itself.
    func `is`(_ name: String, in namespace: String?) -> Bool {
        guard xmlBytes(pointer.pointee.name, equal: name) else { return false }
        guard let namespace else { return pointer.pointee.ns?.pointee.href == nil }
        return xmlBytes(pointer.pointee.ns?.pointee.href, equal: namespace)
    }

    /// Child elements, in document order, walked without collecting them.
    var childElements: ChildElements { ChildElements(cursor: pointer.pointee.children, owner: owner) }

    /// The child elements of a node, one after the other.
    struct ChildElements: Sequence, IteratorProtocol {
        fileprivate var cursor: xmlNodePtr?
        let owner: SafeXMLDocument

        mutating func next() -> XMLNode? {
            while let node = cursor {
                cursor = node.pointee.next
                if node.pointee.type == XML_ELEMENT_NODE { return XMLNode(pointer: node, owner: owner) }
            }
            return nil
        }
    }

    /// Child elements, in document order.
    var children: [XMLNode] {
        var result: [XMLNode] = []
        var child = pointer.pointee.children
        while let node = child {
            if node.pointee.type == XML_ELEMENT_NODE { result.append(XMLNode(pointer: node, owner: owner)) }
            child = node.pointee.next
        }
        return result
    }

    /// First child element with this name and namespace.
    func child(_ name: String, in namespace: String?) -> XMLNode? {
        var child = pointer.pointee.children
        while let node = child {
            if node.pointee.type == XML_ELEMENT_NODE {
                let candidate = XMLNode(pointer: node, owner: owner)
                if candidate.is(name, in: namespace) { return candidate }
            }
            child = node.pointee.next
        }
        return nil
    }

    /// The concatenated text and CDATA directly inside the element, trimmed.
    var text: String {
        var result = ""
        var child = pointer.pointee.children
        while let node = child {
            if node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE,
                let content = node.pointee.content
            {
                result += String(cString: content)
            }
            child = node.pointee.next
        }
        // Most values have nothing to trim; Foundation's trimming is costly, so check the ends first
        // (visible ASCII at both ends cannot be white space; only other ends are asked of the set).
        guard let first = result.utf8.first, let last = result.utf8.last else { return result }
        if first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f { return result }
        guard let first = result.unicodeScalars.first, let last = result.unicodeScalars.last,
            CharacterSet.whitespacesAndNewlines.contains(first) || CharacterSet.whitespacesAndNewlines.contains(last)
        else { return result }
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// An attribute's value; `namespace` nil means an unqualified attribute.
    func attribute(_ name: String, in namespace: String? = nil) -> String? {
        var property = pointer.pointee.properties
        while let attribute = property {
            let href = attribute.pointee.ns?.pointee.href
            let sameNamespace = namespace.map { xmlBytes(href, equal: $0) } ?? (href == nil)
            if sameNamespace, xmlBytes(attribute.pointee.name, equal: name) {
                // Usually one text node: its string as it is, without appending to an empty one.
                guard let first = attribute.pointee.children, first.pointee.next != nil else {
                    return attribute.pointee.children?.pointee.content.map { String(cString: $0) } ?? ""
                }
                var value = ""
                var child: xmlNodePtr? = first
                while let node = child {
                    if let content = node.pointee.content { value += String(cString: content) }
                    child = node.pointee.next
                }
                return value
            }
            property = attribute.pointee.next
        }
        return nil
    }

    /// `body` over the UTF-8 of an unqualified attribute's value, in place when libxml2 holds it as
    /// one text (as it does unless the value has entity references); nil when there is no such attribute.
    func withAttributeBytes<Result>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        var property = pointer.pointee.properties
        while let attribute = property {
            if attribute.pointee.ns == nil, xmlBytes(attribute.pointee.name, equal: name) {
                guard let only = attribute.pointee.children, only.pointee.next == nil, let content = only.pointee.content else {
                    var value = self.attribute(name) ?? ""
                    return value.withUTF8(body)
                }
                return body(UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
            }
            property = attribute.pointee.next
        }
        return nil
    }

    /// Resolves the prefix of a QName written in this element's text or attributes.
    func resolve(qName: String) -> (namespace: String?, localName: String) {
        if let colon = qName.firstIndex(of: ":") {
            let prefix = String(qName[..<colon])
            return (owner.namespaceURI(prefix: prefix, at: pointer), String(qName[qName.index(after: colon)...]))
        }
        return (owner.namespaceURI(prefix: nil, at: pointer), qName)
    }
}

/// Whether libxml2's NUL-terminated `bytes` are exactly `string`'s UTF-8; false for nil.
private func xmlBytes(_ bytes: UnsafePointer<xmlChar>?, equal string: String) -> Bool {
    guard let bytes else { return false }
    var string = string
    return string.withUTF8 { utf8 in
        for (index, byte) in utf8.enumerated() where bytes[index] != byte || byte == 0 { return false }
        return bytes[utf8.count] == 0
    }
}
