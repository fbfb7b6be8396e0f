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
