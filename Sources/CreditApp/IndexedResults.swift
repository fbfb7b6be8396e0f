import Foundation

/// A fixed-size buffer that worker threads (`DispatchQueue.concurrentPerform`) fill at distinct
/// indexes; `values` gives them back in index order, so parallel work keeps a stable order.
final class IndexedResults<Value>: @unchecked Sendable {
    private var storage: [Value?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return storage.compactMap { $0 }
    }

    /// `values`, leaving the buffer empty: the results are moved out rather than copied.
    func take() -> [Value] {
        lock.lock()
        var taken: [Value?] = []
        swap(&taken, &storage)
        lock.unlock()
        return taken.compactMap { $0 }
    }
}
