import Foundation

/// A one-line progress display (rows and rows per second) on a terminal; silent when standard
/// error is a file or a pipe, so logs and CI output stay clean.
/// Updated from one thread at a time (the import reports from its reading thread only).
final class ProgressLine: @unchecked Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    private var start = Date()
    private var currentFile = ""

    func update(_ file: String, _ rows: Int) {
        guard enabled else { return }
        if file != currentFile {
            currentFile = file
            start = Date()
        }
        let seconds = max(Date().timeIntervalSince(start), 0.001)
        let rate = Int(Double(rows) / seconds)
        let line = "\r\u{1B}[K\(file): \(grouped(rows)) rows, \(grouped(rate)) rows/s"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if enabled { ProgressLine.clear() }
    }

    /// A thread-safe counter display for work reported from other threads.
    static func counter(label: String) -> (@Sendable (Int) -> Void)? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        let start = Date()
        return { count in
            let rate = Int(Double(count) / max(Date().timeIntervalSince(start), 0.001))
            FileHandle.standardError.write(Data("\r\u{1B}[K\(label): \(grouped(count)), \(grouped(rate))/s".utf8))
        }
    }

    static func clear() {
        if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// 1234567 as "1 234 567".
func grouped(_ value: Int) -> String {
    var digits = String(value.magnitude)
    var out = ""
    while digits.count > 3 {
        out = " " + digits.suffix(3) + out
        digits.removeLast(3)
    }
    return (value < 0 ? "-" : "") + digits + out
}
