/// The SQL of the triggers that keep the ledger's daily totals, for the whole ledger (`ledger_day`,
/// `ledger_receipt_due`, v13) or by scope, a customer's group, sector or sales rep
/// (`ledger_day_scope`, `ledger_receipt_due_scope`, v20): the same flows, each row counted once
/// in the whole ledger and once in every scope of its customer (`customer_scope`).
///
/// Migrations run this SQL once; `whole` writes exactly what v13 wrote, so it never changes.
struct LedgerTotalsSQL: Sendable {
    /// `ledger_day` or `ledger_day_scope`.
    let dayTable: String
    let receiptTable: String
    /// `""` or `"scope, "`: the key columns before the day.
    let key: String
    /// `""` or `"cs.scope, "`: the key values before the day.
    let keyValue: String
    /// How an invoice row `r` reaches its scopes: `""` or a join on `customer_scope`.
    let invoiceScopes: @Sendable (_ r: String) -> String
    /// How a row of `invoice i` reaches its scopes.
    let joinedInvoiceScopes: String

    static let whole = LedgerTotalsSQL(
        dayTable: "ledger_day", receiptTable: "ledger_receipt_due", key: "", keyValue: "", invoiceScopes: { _ in "" },
        joinedInvoiceScopes: "")
    static let scoped = LedgerTotalsSQL(
        dayTable: "ledger_day_scope", receiptTable: "ledger_receipt_due_scope", key: "scope, ", keyValue: "cs.scope, ",
        invoiceScopes: { r in " FROM customer_scope cs WHERE cs.customer_id = \(r).customer_id" },
        joinedInvoiceScopes: " JOIN customer_scope cs ON cs.customer_id = i.customer_id")

    // Trigger pieces. R is NEW or OLD, s is 1 to add and -1 to take away.
    func invoiceFlows(_ r: String, _ s: String) -> String {
        let values =
            key.isEmpty
            ? "VALUES (\(r).issue_date, \(s), \(s) * \(r).amount_cents, \(s) * MAX(\(r).amount_cents, 0))"
            : "SELECT \(keyValue)\(r).issue_date, \(s), \(s) * \(r).amount_cents, \(s) * MAX(\(r).amount_cents, 0)\(invoiceScopes(r))"
        let due =
            key.isEmpty
            ? "SELECT \(r).due_date, \(s) * \(r).amount_cents WHERE \(r).amount_cents > 0"
            : "SELECT \(keyValue)\(r).due_date, \(s) * \(r).amount_cents\(invoiceScopes(r)) AND \(r).amount_cents > 0"
        return """
            INSERT INTO \(dayTable) (\(key)day, invoices_issued, issued_cents, debit_issued_cents)
                \(values)
                ON CONFLICT (\(key)day) DO UPDATE SET invoices_issued = invoices_issued + excluded.invoices_issued,
                    issued_cents = issued_cents + excluded.issued_cents, debit_issued_cents = debit_issued_cents + excluded.debit_issued_cents;
            INSERT INTO \(dayTable) (\(key)day, debit_due_cents) \(due)
                ON CONFLICT (\(key)day) DO UPDATE SET debit_due_cents = debit_due_cents + excluded.debit_due_cents;
            """
    }

    func paymentFlows(_ r: String, _ s: String) -> String {
        """
        INSERT INTO \(dayTable) (\(key)day, payments_received, received_cents, debit_received_cents)
            SELECT \(keyValue)\(r).paid_on, \(s), \(s) * \(r).amount_cents, CASE WHEN i.amount_cents > 0 THEN \(s) * \(r).amount_cents ELSE 0 END
            FROM invoice i\(joinedInvoiceScopes) WHERE i.id = \(r).invoice_id
            ON CONFLICT (\(key)day) DO UPDATE SET payments_received = payments_received + excluded.payments_received,
                received_cents = received_cents + excluded.received_cents,
                debit_received_cents = debit_received_cents + excluded.debit_received_cents;
        INSERT INTO \(receiptTable) (\(key)paid_on, due_date, cents)
            SELECT \(keyValue)\(r).paid_on, i.due_date, \(s) * \(r).amount_cents FROM invoice i\(joinedInvoiceScopes) WHERE i.id = \(r).invoice_id AND i.amount_cents > 0
            ON CONFLICT (\(key)paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
        """
    }

    /// The payments of invoice `r` (NEW or OLD) re-filed under its due date and sign: the
    /// invoice's own update moves them.
    func invoicePayments(_ r: String, _ s: String) -> String {
        let scopes = key.isEmpty ? "" : " JOIN customer_scope cs ON cs.customer_id = \(r).customer_id"
        let group = key.isEmpty ? "paid_on" : "cs.scope, paid_on"
        return """
            INSERT INTO \(dayTable) (\(key)day, debit_received_cents)
                SELECT \(keyValue)paid_on, \(s) * SUM(amount_cents) FROM payment\(scopes) WHERE invoice_id = \(r).id AND \(r).amount_cents > 0 GROUP BY \(group)
                ON CONFLICT (\(key)day) DO UPDATE SET debit_received_cents = debit_received_cents + excluded.debit_received_cents;
            INSERT INTO \(receiptTable) (\(key)paid_on, due_date, cents)
                SELECT \(keyValue)paid_on, \(r).due_date, \(s) * SUM(amount_cents) FROM payment\(scopes)
                WHERE invoice_id = \(r).id AND \(r).amount_cents > 0 GROUP BY \(group)
                ON CONFLICT (\(key)paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
            """
    }

    /// Scoped only: the payments of invoice `r` counted as received by its customer's scopes,
    /// moved when the invoice moves to another customer (the whole ledger's count stays).
    func invoicePaymentCounts(_ r: String, _ s: String) -> String {
        guard !key.isEmpty else { return "" }
        return """
            INSERT INTO \(dayTable) (\(key)day, payments_received, received_cents)
                SELECT \(keyValue)paid_on, \(s) * COUNT(*), \(s) * SUM(amount_cents) FROM payment JOIN customer_scope cs ON cs.customer_id = \(r).customer_id
                WHERE invoice_id = \(r).id AND NEW.customer_id <> OLD.customer_id GROUP BY cs.scope, paid_on
                ON CONFLICT (\(key)day) DO UPDATE SET payments_received = payments_received + excluded.payments_received,
                    received_cents = received_cents + excluded.received_cents;
            """
    }

    /// Adds (s = 1) or takes away (s = -1) the full payment of an invoice of `amount` due on
    /// `due` whose payments are `payments` (a SELECT of paid_on, amount_cents): the first day
    /// their running total, day by day, reaches the amount. Nothing for a credit note or an
    /// invoice not fully paid. A stored date that is no day (a row edited by hand) counts a
    /// delay of 0 rather than failing the write that would correct it. Scoped, the invoice's
    /// customer is `customer`.
    func settlement(_ s: String, amount: String, due: String, payments: String, when: String = "1", customer: String = "") -> String {
        let (select, scopes) =
            key.isEmpty
            ? ("SELECT d, ", "")
            : ("SELECT cs.scope, d, ", " JOIN customer_scope cs ON cs.customer_id = \(customer)")
        return """
            INSERT INTO \(dayTable) (\(key)day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
                \(select)\(s), \(s) * \(amount), \(s) * delay, \(s) * \(amount) * delay FROM (
                    SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday(\(due)) AS INTEGER)), 0) AS delay FROM (
                        SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
                        FROM (\(payments)) GROUP BY paid_on)
                    WHERE paid >= \(amount) ORDER BY d LIMIT 1)\(scopes)
                WHERE \(amount) > 0 AND \(when)
                ON CONFLICT (\(key)day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
                    settled_cents = settled_cents + excluded.settled_cents,
                    settled_delay_days = settled_delay_days + excluded.settled_delay_days,
                    settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
            """
    }

    /// The settlement of invoice `id` taken away as it stood with `before` payments and added
    /// as it stands now (only `when` that holds).
    func resettle(_ id: String, before: String, when: String = "1") -> String {
        let amount = "(SELECT amount_cents FROM invoice WHERE id = \(id))"
        let due = "(SELECT due_date FROM invoice WHERE id = \(id))"
        let customer = "(SELECT customer_id FROM invoice WHERE id = \(id))"
        let now = "SELECT paid_on, amount_cents FROM payment WHERE invoice_id = \(id)"
        return settlement("-1", amount: amount, due: due, payments: before, when: when, customer: customer) + "\n"
            + settlement("1", amount: amount, due: due, payments: now, when: when, customer: customer)
    }

    /// When a payment inserted for invoice `NEW.invoice_id` cannot move the day it was fully
    /// paid, read from the invoice's payments in one pass with no sort: a credit note; payments
    /// whose positive amounts together never reach the amount (the running total never does:
    /// partial payments as they come); or other payments that add up to the amount (so their
    /// running total reached it by their last day) and this one, not negative, made on or after
    /// that last day. Settling anew sorts all the invoice's payments by day: for every insert,
    /// a cost that grew with the square of an invoice's payments (5 000 partial payments of one
    /// invoice merged in 143 s).
    static let paymentLeavesSettlement = """
        (SELECT i.amount_cents <= 0
            OR t.positive < i.amount_cents
            OR (NEW.amount_cents >= 0 AND t.others >= i.amount_cents AND NEW.paid_on >= t.latest)
        FROM invoice i, (
            SELECT SUM(MAX(amount_cents, 0)) AS positive,
                SUM(CASE WHEN id <> NEW.id THEN amount_cents ELSE 0 END) AS others,
                MAX(CASE WHEN id <> NEW.id THEN paid_on END) AS latest
            FROM payment WHERE invoice_id = NEW.invoice_id) t
        WHERE i.id = NEW.invoice_id)
        """

    /// v23: the payment insert trigger of `prefix` split in two, the settlement part only when a
    /// payment can move it (`paymentLeavesSettlement`).
    func guardedPaymentInsert(prefix: String) -> String {
        let paymentsOf = "SELECT paid_on, amount_cents FROM payment WHERE invoice_id ="
        return """
            DROP TRIGGER \(prefix)_payment_insert;
            CREATE TRIGGER \(prefix)_payment_insert AFTER INSERT ON payment BEGIN
            \(paymentFlows("NEW", "1"))
            END;
            CREATE TRIGGER \(prefix)_payment_settle AFTER INSERT ON payment
            WHEN NOT COALESCE(\(Self.paymentLeavesSettlement), 0) BEGIN
            \(resettle("NEW.invoice_id", before: "\(paymentsOf) NEW.invoice_id AND id <> NEW.id"))
            END;
            """
    }

    /// The six triggers, named `prefix_invoice_insert` and so on.
    func triggers(prefix: String) -> String {
        // Nothing at all for the whole ledger, so that its SQL stays v13's to the byte.
        func moved(_ r: String, _ s: String) -> String { key.isEmpty ? "" : "\n" + invoicePaymentCounts(r, s) }
        let paymentsOf = "SELECT paid_on, amount_cents FROM payment WHERE invoice_id ="
        return """
            CREATE TRIGGER \(prefix)_invoice_insert AFTER INSERT ON invoice BEGIN
            \(invoiceFlows("NEW", "1"))
            END;
            CREATE TRIGGER \(prefix)_invoice_delete AFTER DELETE ON invoice BEGIN
            \(invoiceFlows("OLD", "-1"))
            \(invoicePayments("OLD", "-1"))
            \(settlement("-1", amount: "OLD.amount_cents", due: "OLD.due_date", payments: "\(paymentsOf) OLD.id", customer: "OLD.customer_id"))
            END;
            CREATE TRIGGER \(prefix)_invoice_update AFTER UPDATE OF issue_date, due_date, amount_cents\(key.isEmpty ? "" : ", customer_id") ON invoice BEGIN
            \(invoiceFlows("OLD", "-1"))
            \(invoicePayments("OLD", "-1"))\(moved("OLD", "-1"))
            \(settlement("-1", amount: "OLD.amount_cents", due: "OLD.due_date", payments: "\(paymentsOf) OLD.id", customer: "OLD.customer_id"))\(moved("NEW", "1"))
            \(invoiceFlows("NEW", "1"))
            \(invoicePayments("NEW", "1"))
            \(settlement("1", amount: "NEW.amount_cents", due: "NEW.due_date", payments: "\(paymentsOf) NEW.id", customer: "NEW.customer_id"))
            END;
            CREATE TRIGGER \(prefix)_payment_insert AFTER INSERT ON payment BEGIN
            \(paymentFlows("NEW", "1"))
            \(resettle("NEW.invoice_id", before: "\(paymentsOf) NEW.invoice_id AND id <> NEW.id"))
            END;
            CREATE TRIGGER \(prefix)_payment_delete AFTER DELETE ON payment BEGIN
            \(paymentFlows("OLD", "-1"))
            \(resettle("OLD.invoice_id", before: "\(paymentsOf) OLD.invoice_id UNION ALL SELECT OLD.paid_on, OLD.amount_cents"))
            END;
            CREATE TRIGGER \(prefix)_payment_update AFTER UPDATE OF invoice_id, paid_on, amount_cents ON payment BEGIN
            \(paymentFlows("OLD", "-1"))
            \(paymentFlows("NEW", "1"))
            \(resettle("OLD.invoice_id", before: "\(paymentsOf) OLD.invoice_id AND id <> NEW.id UNION ALL SELECT OLD.paid_on, OLD.amount_cents"))
            \(resettle("NEW.invoice_id", before: "\(paymentsOf) NEW.invoice_id AND id <> NEW.id", when: "NEW.invoice_id <> OLD.invoice_id"))
            END;
            """
    }
}
