import CreditCore
import Foundation

/// A plain-text e-mail written as an RFC 5322 message file (`.eml`), ready for any mail client or
/// relay to send: CRLF line ends, every header line at most 78 characters, non-ASCII names and
/// subjects as RFC 2047 encoded words, the UTF-8 body in quoted-printable (RFC 2045) lines of at
/// most 76 characters.
///
/// No value can add a header: line breaks and other control characters in a name or a subject
/// become spaces, and addresses must pass `ContactRules.emailProblem` (no spaces, quotes, angle
/// brackets or line breaks), else the message is refused.
struct EmailMessage {
    struct Mailbox {
        var name: String?
        var address: String
    }

    var from: Mailbox
    var to: Mailbox
    var subject: String
    var date: Date
    /// The message id without its angle brackets.
    var messageId: String
    var language: DocumentLanguage
    var body: String

    static let maximumLineLength = 78

    /// The whole message, headers and body, with CRLF line ends.
    func rendered() throws -> String {
        for (field, mailbox) in [("From", from), ("To", to)] {
            if let problem = ContactRules.emailProblem(mailbox.address) {
                throw Refusal.invalid(field: field, "\"\(mailbox.address.truncatedForMessage(60))\" \(problem)")
            }
        }
        var lines: [String] = []
        lines += Self.header("From", Self.mailboxTokens(from))
        lines += Self.header("To", Self.mailboxTokens(to))
        lines += Self.header("Subject", Self.textTokens(Self.singleLine(subject)))
        lines.append("Date: " + Self.rfc5322Date(date))
        lines.append("Message-ID: <" + messageId + ">")
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: text/plain; charset=utf-8")
        lines.append("Content-Transfer-Encoding: quoted-printable")
        lines.append("Content-Language: " + language.rawValue)
        // RFC 3834: written by a program, so that auto-responders do not answer it.
        lines.append("Auto-Submitted: auto-generated")
        lines.append("")
        lines += Self.quotedPrintable(body)
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: Headers

    /// `Name: token token ...`, folded (CRLF and a space) before a token that would take the line
    /// past 78 characters.
    static func header(_ name: String, _ tokens: [String]) -> [String] {
        var lines: [String] = []
        var current = name + ":"
        for token in tokens {
            if current.utf8.count + 1 + token.utf8.count > maximumLineLength, current != name + ":" {
                lines.append(current)
                current = " " + token
            } else {
                current += " " + token
            }
        }
        lines.append(current)
        return lines
    }

    /// A display name and its address: plain words for a simple ASCII name, a quoted string when
    /// it holds specials, encoded words when it is not ASCII.
    static func mailboxTokens(_ mailbox: Mailbox) -> [String] {
        let address = "<" + mailbox.address + ">"
        guard let name = mailbox.name.map(singleLine), !name.isEmpty else { return [address] }
        if !name.unicodeScalars.allSatisfy({ $0.isASCII }) { return encodedWords(name) + [address] }
        let specials = CharacterSet(charactersIn: "()<>[]:;@\\,.\"")
        if name.unicodeScalars.contains(where: { specials.contains($0) }) {
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return ["\"" + escaped + "\"", address]
        }
        return name.split(separator: " ").map(String.init) + [address]
    }

    /// Unstructured text (a subject): its words when it is ASCII, encoded words otherwise.
    static func textTokens(_ text: String) -> [String] {
        if text.unicodeScalars.allSatisfy({ $0.isASCII }) { return text.split(separator: " ").map(String.init) }
        return encodedWords(text)
    }

    /// RFC 2047 `=?utf-8?B?...?=` words of at most 42 bytes of text each (68 characters, so that
    /// `Subject: ` and one word fit in 78), never splitting a character.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 42, !chunk.isEmpty {
                words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words
    }

    /// The text on one line: every control character (CR and LF above all), line separator and
    /// run of spaces becomes one space, so that no value can start a header of its own. No-break
    /// spaces stay (`52 407,00 €`): they are text, not line ends.
    static func singleLine(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar == "\u{85}" || InputBounds.isForbiddenInText(scalar, allowLineBreaks: false)
                || (scalar.properties.isWhitespace && scalar != "\u{A0}" && scalar != "\u{202F}")
            {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    /// `Sun, 06 Dec 2026 14:08:00 +0000` (RFC 5322 section 3.3), in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Day(daysSinceEpoch: days).components
        // 1970-01-01 was a Thursday.
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(two(day)) \(months[max(0, min(11, month - 1))]) \(year) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) +0000"
    }

    // MARK: Body

    /// The body's lines in quoted-printable: printable ASCII as is (but `=`), every other byte
    /// of the UTF-8 text as `=XX`, a space or tab at a line's end encoded, and soft line breaks
    /// (`=` at the end) keeping each line at most 76 characters.
    static func quotedPrintable(_ text: String) -> [String] {
        // Over bytes: a reminder run writes thousands of these, and building Strings piece by
        // piece was most of its time.
        var output: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(80)
        let bytes = Array(text.utf8)
        var index = 0
        func endLine() {
            output.append(String(decoding: current, as: UTF8.self))
            current.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            // CRLF, CR and LF all end a line.
            if byte == 13 || byte == 10 {
                endLine()
                index += byte == 13 && index + 1 < bytes.count && bytes[index + 1] == 10 ? 2 : 1
                continue
            }
            let isLast = index + 1 == bytes.count || bytes[index + 1] == 10 || bytes[index + 1] == 13
            let literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast)
            let width = literal ? 1 : 3
            // Room for the piece and, unless this is the line's last, a soft break's "=".
            if current.count + width > (isLast ? 76 : 75) {
                current.append(61)
                endLine()
            }
            if literal {
                current.append(byte)
            } else {
                current.append(61)
                current.append(hexDigits[Int(byte >> 4)])
                current.append(hexDigits[Int(byte & 0x0F)])
            }
            index += 1
        }
        endLine()
        return output
    }

    static let hexDigits = Array("0123456789ABCDEF".utf8)

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
