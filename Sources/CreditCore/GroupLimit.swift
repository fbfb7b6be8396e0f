/// A credit limit shared by the customers of one group (the `group` of customers.csv): what
/// the members owe and have on order, together, stays within it, whatever each one's own limit.
/// Set by the credit manager, or by an import of `groups.csv`, which says so.
public struct GroupLimit: Hashable, Sendable, Codable {
    /// The group's name, as the customers' `group` spells it.
    public var group: String
    public var limit: Money
    /// The portfolio's base currency (a ledger file may state it, never another).
    public var currency: String
    /// Who set it (`import` for groups.csv), on which day, and why.
    public var setBy: String
    public var setOn: Day
    public var reason: String?

    public init(group: String, limit: Money, currency: String, setBy: String, setOn: Day, reason: String?) {
        self.group = group
        self.limit = limit
        self.currency = currency
        self.setBy = setBy
        self.setOn = setOn
        self.reason = reason
    }
}

/// A group's limit against its members' exposure (the sum of each member's exposure, as
/// `AgedBalance.exposure(netOpen:pendingOrders:)` defines it), as an order check reads them.
public struct GroupExposure: Hashable, Sendable, Codable {
    public var group: String
    public var limit: Money
    public var exposure: Money

    public init(group: String, limit: Money, exposure: Money) {
        self.group = group
        self.limit = limit
        self.exposure = exposure
    }
}

/// Where an order leaves the customer's group: its limit, the members' exposure before the
/// order, and the group's headroom after it (negative when the order goes over).
public struct GroupHeadroom: Hashable, Sendable, Codable {
    public var group: String
    public var limit: Money
    public var exposure: Money
    public var headroomAfter: Money
}
