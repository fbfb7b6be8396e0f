import CreditCore
import Foundation
import ZIPFoundation

/// An entry of an archive whose data do not decompress or do not match their checksum.
public struct DamagedZipEntry: Error, Sendable {
    public var path: String
    public var cause: String?
    public var message: String {
        "is damaged in the archive: its data do not decompress or do not match their checksum" + (cause.map { " (\($0))" } ?? "")
    }
}

extension Archive {
    /// Extracts `entry` chunk by chunk into `consumer`, then compares the checksum of what came
    /// out with the entry's: ZIPFoundation returns the checksum without comparing it, so a
    /// damaged stored entry would otherwise read as good. Errors of `consumer` pass through.
    public func extractChecked(_ entry: Entry, _ consumer: (Data) throws -> Void) throws {
        struct ConsumerError: Error { let error: any Error }
        let checksum: CRC32
        do {
            checksum = try extract(entry, skipCRC32: false) { chunk in
                do { try consumer(chunk) } catch { throw ConsumerError(error: error) }
            }
        } catch let wrapped as ConsumerError {
            throw wrapped.error
        } catch {
            throw DamagedZipEntry(path: entry.path, cause: "\(error)")
        }
        guard checksum == entry.checksum else { throw DamagedZipEntry(path: entry.path) }
    }
}

/// The layout of a zip archive checked before ZIPFoundation reads it: the end record, the
/// central directory inside the file before it, and every entry's local header where the
/// directory says. ZIPFoundation trusts these offsets: reading an archive held in memory, one
/// that points past its end traps (a server crash, from a 141-byte upload); reading a file, it
/// lists no entry, so a damaged archive imported as empty.
public enum ZipLayout {
    /// Why the archive cannot be read, or nil when its layout holds together.
    public static func problem(in archive: Data) -> String? {
        archive.withUnsafeBytes { problem(in: $0) }
    }

    static func problem(in data: UnsafeRawBufferPointer) -> String? {
        let size = data.count
        func u16(_ at: Int) -> Int { Int(data[at]) | Int(data[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        // The end record: 22 bytes and a comment of at most 65 535, signature PK\5\6.
        guard size >= 22 else { return "is too short to be a zip archive" }
        var end = -1
        var at = size - 22
        while at >= max(0, size - 22 - 65_535) {
            if data[at] == 0x50, data[at + 1] == 0x4B, data[at + 2] == 0x05, data[at + 3] == 0x06, at + 22 + u16(at + 20) <= size {
                end = at
                break
            }
            at -= 1
        }
        guard end >= 0 else { return "has no end of central directory record: it is not a zip archive, or it was cut short" }
        let entries = u16(end + 10)
        let directorySize = u32(end + 12)
        let directoryStart = u32(end + 16)
        // ZIP64 keeps its figures elsewhere; ZIPFoundation reads those from the file.
        if entries == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryStart == 0xFFFF_FFFF { return nil }
        guard directoryStart + directorySize <= end else {
            return "is damaged: its central directory (\(directorySize) bytes at offset \(directoryStart)) lies beyond its end record"
                + " at offset \(end); the archive was cut or altered"
        }
        var position = directoryStart
        for index in 0..<entries {
            guard position + 46 <= end, u32(position) == 0x0201_4B50 else {
                return "is damaged: entry \(index + 1) of \(entries) of its central directory is missing or broken"
            }
            let nameLength = u16(position + 28)
            let headerOffset = u32(position + 42)
            let next = position + 46 + nameLength + u16(position + 30) + u16(position + 32)
            guard next <= end else { return "is damaged: entry \(index + 1) of its central directory runs past its end" }
            let name = String(decoding: data[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self)
            if headerOffset != 0xFFFF_FFFF {
                guard headerOffset + 30 <= directoryStart, u32(headerOffset) == 0x0403_4B50 else {
                    return "is damaged: the data of \(name.truncatedForMessage(80)) should start at offset \(headerOffset), "
                        + "where there is none"
                }
            }
            position = next
        }
        return nil
    }
}
