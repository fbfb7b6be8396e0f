/// Open amounts split by how far past due they are: the credit manager's first view of a ledger.
///
/// Credit notes and overpayments not yet set against an invoice are kept apart as unapplied
/// credits: netting them into the buckets would hide how late the real debts are.
public struct AgedBalance: Hashable, Sendable, Codable {
    public var notDue: Money = .zero
    public var days1to30: Money = .zero
    public var days31to60: Money = .zero
    public var days61to90: Money = .zero
    public var over90: Money = .zero
    /// Open credit (negative balances), whatever its date.
    public var unappliedCredits: Money = .zero

    public init() {}

    /// Net open balance: the buckets plus the (negative) unapplied credits.
    public var total: Money { receivables + unappliedCredits }
    /// What customers owe, before credits.
    public var receivables: Money { notDue + days1to30 + days31to60 + days61to90 + over90 }
    public var overdue: Money { days1to30 + days31to60 + days61to90 + over90 }

    /// Exposure: the net open balance (never below zero: unapplied credits are not a credit
    /// line) plus orders accepted and not yet invoiced. One definition for scoring and order checks.
    public func exposure(pendingOrders: Money) -> Money { Self.exposure(netOpen: total, pendingOrders: pendingOrders) }

    /// Exposure from a net open balance and the orders reserved: the same definition where only
    /// the totals are at hand (a group's members, summed in the store).
    public static func exposure(netOpen: Money, pendingOrders: Money) -> Money { max(.zero, netOpen) + pendingOrders }

    /// Adds an open amount that is `daysPastDue` days past its due date (zero or negative: not due).
    public mutating func add(_ amount: Money, daysPastDue: Int) {
        if amount.cents < 0 {
            unappliedCredits += amount
            return
        }
        switch daysPastDue {
        case ...0: notDue += amount
        case 1...30: days1to30 += amount
        case 31...60: days31to60 += amount
        case 61...90: days61to90 += amount
        default: over90 += amount
        }
    }

    public static func + (lhs: AgedBalance, rhs: AgedBalance) -> AgedBalance {
        var sum = lhs
        sum.notDue += rhs.notDue
        sum.days1to30 += rhs.days1to30
        sum.days31to60 += rhs.days31to60
        sum.days61to90 += rhs.days61to90
        sum.over90 += rhs.over90
        sum.unappliedCredits += rhs.unappliedCredits
        return sum
    }
}

/// An invoice's balance as of a day: what is still owed and since when it is due.
public struct OpenItem: Hashable, Sendable, Codable {
    public var invoiceId: String
    public var customerId: String
    public var dueDate: Day
    public var openAmount: Money

    public init(invoiceId: String, customerId: String, dueDate: Day, openAmount: Money) {
        self.invoiceId = invoiceId
        self.customerId = customerId
        self.dueDate = dueDate
        self.openAmount = openAmount
    }

    public func daysPastDue(asOf day: Day) -> Int { day - dueDate }
}

extension AgedBalance {
    /// Ages open items as of a day. Items with no balance left are ignored.
    public init(openItems: some Sequence<OpenItem>, asOf day: Day) {
        self.init()
        for item in openItems where item.openAmount != .zero {
            add(item.openAmount, daysPastDue: item.daysPastDue(asOf: day))
        }
    }
}
