import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one document file whole, unless it is over a size limit: one `open`, one `fstat` and
/// reads straight into the buffer. FileManager's attributes (which look up the owner's and the
/// group's names) and `Data(contentsOf:)` cost more than parsing a small statement does, and an
/// import reads ten thousand of them. Whatever this path cannot handle (a file that cannot be
/// opened, one that grows while it is read) goes to `Data(contentsOf:)`, so errors read as before.
enum DocumentFile {
    enum Contents {
        case contents(Data)
        /// The file's size, over the limit: nothing was read.
        case tooLarge(Int)
    }

    /// Whether the path names a folder, and its size; nil when nothing is there (`stat` follows
    /// links, as `FileManager.fileExists` does).
    static func status(of path: String) -> (isFolder: Bool, size: Int)? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return ((status.st_mode & S_IFMT) == S_IFDIR, Int(status.st_size))
    }

    static func contents(of path: String, maximumBytes: Int) throws -> Contents {
        /// What Foundation reads, and how it words a failure.
        func foundation() throws -> Contents { .contents(try Data(contentsOf: URL(fileURLWithPath: path))) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return try foundation() }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return try foundation() }
        let size = Int(status.st_size)
        guard size <= maximumBytes else { return .tooLarge(size) }
        // One byte more than the size, to see the end of the file rather than assume it.
        var data = Data(count: size + 1)
        let filled = data.withUnsafeMutableBytes { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            var filled = 0
            while filled < buffer.count {
                let count = read(descriptor, base + filled, buffer.count - filled)
                if count > 0 {
                    filled += count
                } else if count == 0 {
                    return filled
                } else if errno != EINTR {
                    return nil
                }
            }
            return filled
        }
        guard let filled, filled <= size else { return try foundation() }
        data.count = filled
        return .contents(data)
    }
}
