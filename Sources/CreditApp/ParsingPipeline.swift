import CreditCore
import Foundation
import LedgerReader

/// Parses a ledger file on a thread of its own while the caller writes the previous rows to the
/// store: the two halves of an import each keep one core busy.
///
/// Rows travel in batches through a small bounded buffer, so memory stays flat: the parser
/// waits when the writer falls behind. The parser thread owns the `CSVRecords` from the moment
/// the pipeline starts; nothing else touches it.
final class ParsingPipeline: Sequence, IteratorProtocol, @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[ParsedRow]] = []
    private var finished = false
    private var cancelled = false
    private var readProblem: LocatedProblem?
    private let capacity = 4
    private let batchSize = 2048

    init(records: CSVRecords, kind: LedgerFileKind, parser: LedgerRowParser) {
        let owned = UncheckedBox(records)
        let thread = Thread { [self] in
            let records = owned.value
            var batch: [ParsedRow] = []
            batch.reserveCapacity(batchSize)
            for record in records {
                batch.append(
                    parser.parse(record, kind: kind, file: records.fileName, width: records.width, delimiter: records.delimiter))
                if batch.count == batchSize {
                    guard push(batch) else { return }
                    batch.removeAll(keepingCapacity: true)
                }
            }
            _ = push(batch)
            condition.lock()
            readProblem = records.readProblem
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 1 << 22
        thread.start()
    }

    /// Hands a batch to the writer; false when the writer has stopped listening.
    private func push(_ batch: [ParsedRow]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        if !batch.isEmpty { batches.append(batch) }
        condition.broadcast()
        return true
    }

    func next() -> [ParsedRow]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        condition.broadcast()
        return batches.removeFirst()
    }

    /// What stopped the file being read to its end, once all batches are taken.
    var problemAtEnd: LocatedProblem? {
        condition.lock()
        defer { condition.unlock() }
        return readProblem
    }

    /// Stops the parser early; the caller must call it when it stops reading for any reason
    /// (a `defer` right after creating the pipeline), or the parser thread would wait forever.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Moves a non-Sendable value to another thread that becomes its only user.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
