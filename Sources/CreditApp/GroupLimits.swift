import CreditCore
import CreditStore
import Foundation
import GRDB

/// A group of customers as the credit manager sees it: how many accounts, what they owe and
/// have on order together, and the limit they share, if any.
public struct GroupStanding: Sendable, Codable, Hashable {
    public var group: String
    public var members: Int
    /// The members' exposures added up, today.
    public var exposure: Money
    /// The shared limit, when the group has one (nil: only each customer's own limit applies).
    public var limit: GroupLimit?
    /// The limit minus the exposure; nil without a limit.
    public var headroom: Money?
}

/// Group limits: the customers of one group (customers.csv `group`) may share a limit that an
/// order check applies besides each customer's own. Set here by the credit manager (who and why
/// kept) or imported from `groups.csv` (`LedgerImporter`).
public struct GroupLimits: RequestUseCase {
    public let resources: RequestResources

    public init(resources: RequestResources) { self.resources = resources }

    let checks = InputChecks()

    /// The group's members, exposure and limit; refused when no customer belongs to `group`.
    public func standing(group: String) async throws -> GroupStanding {
        let group = try checkedGroup(group)
        return try await database.read { try standing($0, group: group) }
    }

    /// Sets the group's limit (zero: no credit for the group) on `day`, with who and why.
    public func setLimit(group: String, limit: Money, reason: String, author: String, on day: Day) async throws -> GroupStanding {
        let group = try checkedGroup(group)
        try checks.amount(limit, "limit")
        guard limit.cents >= 0 else { throw Refusal.invalid(field: "limit", "\(limit.decimalText) is negative: a limit is zero or more") }
        let reason = try checks.text(reason, "reason", required: true) ?? reason
        let author = try checks.text(author, "author", required: true) ?? author
        let updatedAt = Timestamp.string(now())
        return try await writer.write { db in
            let currency = try LedgerQueries().baseCurrency(db) ?? "EUR"
            guard try GroupLimitStore().memberCount(db, group: group) > 0 else { throw Self.unknown(group) }
            try GroupLimitStore().set(
                db, GroupLimit(group: group, limit: limit, currency: currency, setBy: author, setOn: day, reason: reason),
                updatedAt: updatedAt)
            return try standing(db, group: group)
        }
    }

    private func checkedGroup(_ group: String) throws -> String {
        try checks.text(group, "group", required: true) ?? group
    }

    private static func unknown(_ group: String) -> Refusal {
        Refusal(.notFound, "no customer belongs to group \(group.truncatedForMessage(60)) (the group column of customers.csv)")
    }

    private func standing(_ db: Database, group: String) throws -> GroupStanding {
        let store = GroupLimitStore()
        let members = try store.memberCount(db, group: group)
        guard members > 0 else { throw Self.unknown(group) }
        let exposure = try store.exposure(db, group: group)
        let limit = try store.limit(db, group: group)
        return GroupStanding(group: group, members: members, exposure: exposure, limit: limit, headroom: limit.map { $0.limit - exposure })
    }
}
