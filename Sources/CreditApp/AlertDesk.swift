import CreditCore
import CreditStore
import Foundation
import GRDB

/// Alerts people can work: listed by kind, customer and status (newest first), acknowledged with
/// who did it and a note. Raising and closing are the rules' (scoring runs, dispute deadlines,
/// the data's freshness), never a person's.
public struct AlertDesk: RequestUseCase {
    public let resources: RequestResources

    public init(resources: RequestResources) { self.resources = resources }

    let checks = InputChecks()

    /// The alerts the filter asks for, newest first.
    public func list(_ filter: AlertFilter) async throws -> [Alert] {
        if let customerId = filter.customerId { try checks.id(customerId, "customerId") }
        guard (1...10_000).contains(filter.limit) else { throw Refusal.invalid(field: "limit", "must be from 1 to 10000") }
        return try await database.read { try AlertStore().alerts($0, filter) }
    }

    /// Records that `author` has seen the alert, with an optional note; an unknown id is not found.
    public func acknowledge(id: Int64, author: String, note: String?) async throws -> Alert {
        let author = try checks.text(author, "author", required: true) ?? author
        let note = try checks.text(note, "note", required: false, lineBreaks: true)
        let at = Timestamp.string(now())
        return try await writer.write { db in
            guard let alert = try AlertStore().acknowledge(db, id: id, by: author, at: at, note: note) else {
                throw Refusal(.notFound, "no alert \(id)")
            }
            return alert
        }
    }
}
