CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
CREATE TABLE portfolio_setting (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
CREATE TABLE sector (
    code TEXT PRIMARY KEY NOT NULL,
    label TEXT NOT NULL,
    avg_days_beyond_terms REAL NOT NULL,
    avg_dso_days REAL NOT NULL,
    annual_failure_rate REAL NOT NULL CHECK (annual_failure_rate BETWEEN 0 AND 1),
    period TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE customer (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    registration_id TEXT,
    sector_code TEXT NOT NULL,
    country TEXT NOT NULL,
    terms_days INTEGER NOT NULL,
    customer_group TEXT,
    strategic INTEGER NOT NULL DEFAULT 0
, sales_rep TEXT, name_key TEXT NOT NULL DEFAULT '') WITHOUT ROWID;
CREATE INDEX customer_registration ON customer(registration_id) WHERE registration_id IS NOT NULL;
CREATE INDEX customer_sector ON customer(sector_code);
CREATE INDEX customer_group ON customer(customer_group) WHERE customer_group IS NOT NULL;
CREATE TABLE invoice (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    issue_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    -- amount_cents minus the payments recorded so far; kept by every write.
    open_cents INTEGER NOT NULL, order_id TEXT,
    CHECK (due_date >= issue_date)
) WITHOUT ROWID;
CREATE INDEX invoice_customer ON invoice(customer_id, due_date);
CREATE INDEX invoice_due ON invoice(due_date);
CREATE INDEX invoice_open ON invoice(due_date, customer_id) WHERE open_cents <> 0;
CREATE TABLE payment (
    id TEXT PRIMARY KEY NOT NULL,
    invoice_id TEXT NOT NULL REFERENCES invoice(id),
    paid_on TEXT NOT NULL,
    amount_cents INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX payment_invoice ON payment(invoice_id, paid_on);
CREATE TABLE dispute (
    invoice_id TEXT NOT NULL REFERENCES invoice(id),
    opened_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    resolved_on TEXT, owner TEXT, amount_cents INTEGER CHECK (amount_cents IS NULL OR amount_cents > 0), outcome TEXT
    CHECK (outcome IS NULL OR outcome IN ('credit_note', 'corrected_invoice', 'rejected')), deadline_alerted_on TEXT,
    PRIMARY KEY (invoice_id, opened_on),
    CHECK (resolved_on IS NULL OR resolved_on >= opened_on)
) WITHOUT ROWID;
CREATE INDEX dispute_open ON dispute(opened_on) WHERE resolved_on IS NULL;
CREATE TABLE import_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    inserted INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE INDEX import_log_sha ON import_log(sha256);
CREATE TABLE statement (
    id INTEGER PRIMARY KEY,
    registration_id TEXT NOT NULL,
    company_name TEXT,
    sector_code TEXT,
    period_end TEXT NOT NULL,
    period_months INTEGER NOT NULL,
    currency TEXT NOT NULL,
    consolidated INTEGER NOT NULL,
    revenue_cents INTEGER,
    operating_income_cents INTEGER,
    depreciation_cents INTEGER,
    net_income_cents INTEGER,
    total_assets_cents INTEGER,
    current_assets_cents INTEGER,
    inventories_cents INTEGER,
    trade_receivables_cents INTEGER,
    cash_cents INTEGER,
    total_liabilities_cents INTEGER,
    current_liabilities_cents INTEGER,
    financial_debt_cents INTEGER,
    trade_payables_cents INTEGER,
    equity_cents INTEGER,
    retained_earnings_cents INTEGER,
    format TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    -- When the statement became known: evidence as of an earlier day ignores it.
    imported_on TEXT NOT NULL, financial_expenses_cents INTEGER, cost_of_sales_cents INTEGER, personnel_costs_cents INTEGER, fixed_assets_cents INTEGER, short_term_financial_debt_cents INTEGER, long_term_financial_debt_cents INTEGER, minority_interests_cents INTEGER,
    UNIQUE (registration_id, period_end, consolidated)
);
CREATE INDEX statement_company ON statement(registration_id, period_end);
CREATE TABLE assessment (
    id INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    as_of TEXT NOT NULL,
    model_version TEXT NOT NULL,
    grade TEXT NOT NULL,
    pd REAL NOT NULL,
    score INTEGER NOT NULL,
    suggested_limit_cents INTEGER NOT NULL,
    exposure_cents INTEGER NOT NULL,
    -- The whole assessment (reasons, contributions, evidence summary) as JSON,
    -- so a decision can be explained months later exactly as it was made.
    detail TEXT NOT NULL,
    created_at TEXT NOT NULL
, payment_delay_days REAL, thin_file INTEGER, overdue_cents INTEGER NOT NULL DEFAULT 0, fingerprint BLOB);
CREATE INDEX assessment_customer ON assessment(customer_id, as_of, id);
CREATE TABLE credit_override (
    id INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    grade TEXT,
    limit_cents INTEGER,
    reason TEXT NOT NULL,
    author TEXT NOT NULL,
    set_on TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT, authority_version TEXT, limit_request_id INTEGER REFERENCES limit_request(id), expiry_alerted_on TEXT,
    CHECK (grade IS NOT NULL OR limit_cents IS NOT NULL)
);
CREATE INDEX credit_override_customer ON credit_override(customer_id, id);
CREATE TABLE order_check (
    order_id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    amount_cents INTEGER NOT NULL,
    reserve INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    -- The whole decision as JSON: a repeated check by order id answers the same.
    detail TEXT NOT NULL,
    checked_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE payment_promise (
    id INTEGER PRIMARY KEY,
    invoice_id TEXT NOT NULL REFERENCES invoice(id),
    customer_id TEXT NOT NULL REFERENCES customer(id),
    promised_on TEXT NOT NULL,
    pay_by TEXT NOT NULL,
    amount_cents INTEGER,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL, note TEXT,
    CHECK (pay_by >= promised_on)
);
CREATE INDEX payment_promise_customer ON payment_promise(customer_id, pay_by);
CREATE INDEX payment_promise_invoice ON payment_promise(invoice_id, pay_by);
CREATE TABLE credit_application (
    id TEXT PRIMARY KEY NOT NULL,
    received_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'declined')),
    name TEXT NOT NULL,
    registration_id TEXT,
    sector_code TEXT NOT NULL,
    country TEXT NOT NULL,
    terms_days INTEGER NOT NULL,
    customer_group TEXT,
    requested_limit_cents INTEGER,
    -- The request as received (the statement by its SHA-256): a repeated
    -- request is compared with it.
    request_json TEXT NOT NULL,
    -- The assessment and recommendation given when it came in.
    assessment_json TEXT NOT NULL,
    decided_on TEXT,
    decision TEXT CHECK (decision IN ('approve', 'decline')),
    decided_by TEXT,
    decision_reason TEXT,
    customer_id TEXT REFERENCES customer(id),
    CHECK ((status = 'pending') = (decision IS NULL))
) WITHOUT ROWID;
CREATE INDEX credit_application_received ON credit_application(received_on);
CREATE INDEX credit_application_registration ON credit_application(registration_id)
    WHERE registration_id IS NOT NULL;
CREATE TABLE collections_change (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id TEXT
);
CREATE TABLE statement_prior_year (
    statement_id INTEGER PRIMARY KEY NOT NULL REFERENCES statement(id) ON DELETE CASCADE,
    revenue_cents INTEGER,
    operating_income_cents INTEGER,
    depreciation_cents INTEGER,
    net_income_cents INTEGER,
    total_assets_cents INTEGER,
    current_assets_cents INTEGER,
    inventories_cents INTEGER,
    trade_receivables_cents INTEGER,
    cash_cents INTEGER,
    total_liabilities_cents INTEGER,
    current_liabilities_cents INTEGER,
    financial_debt_cents INTEGER,
    trade_payables_cents INTEGER,
    equity_cents INTEGER,
    retained_earnings_cents INTEGER,
    financial_expenses_cents INTEGER,
    cost_of_sales_cents INTEGER,
    personnel_costs_cents INTEGER,
    fixed_assets_cents INTEGER,
    short_term_financial_debt_cents INTEGER,
    long_term_financial_debt_cents INTEGER,
    minority_interests_cents INTEGER
);
CREATE TABLE activity (
    id INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    kind TEXT NOT NULL CHECK (kind IN ('reminder_sent', 'call', 'email', 'letter', 'note', 'visit', 'agency_handover')),
    on_day TEXT NOT NULL,
    channel TEXT,
    outcome TEXT CHECK (outcome IS NULL OR outcome IN ('reached', 'no_answer', 'promised', 'disputed', 'refused')),
    note TEXT,
    author TEXT NOT NULL,
    document_id INTEGER REFERENCES outbox_document(id),
    created_at TEXT NOT NULL
);
CREATE INDEX activity_customer ON activity(customer_id, on_day, id);
CREATE TABLE activity_invoice (
    activity_id INTEGER NOT NULL REFERENCES activity(id),
    invoice_id TEXT NOT NULL REFERENCES invoice(id),
    step TEXT CHECK (step IS NULL OR step IN ('pre_due_notice', 'reminder', 'firm_reminder_and_call', 'formal_notice', 'litigation_handover')),
    PRIMARY KEY (activity_id, invoice_id)
) WITHOUT ROWID;
CREATE INDEX activity_invoice_invoice ON activity_invoice(invoice_id);
CREATE TABLE dunning_progress (
    invoice_id TEXT PRIMARY KEY NOT NULL REFERENCES invoice(id),
    step TEXT NOT NULL CHECK (step IN ('pre_due_notice', 'reminder', 'firm_reminder_and_call', 'formal_notice', 'litigation_handover')),
    on_day TEXT NOT NULL,
    activity_id INTEGER NOT NULL REFERENCES activity(id)
) WITHOUT ROWID;
CREATE TABLE reminder_run (
    id INTEGER PRIMARY KEY,
    run_on TEXT NOT NULL,
    author TEXT NOT NULL,
    -- The run's report as JSON (counts, problems), as it was answered.
    report TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX reminder_run_day ON reminder_run(run_on);
CREATE TABLE outbox_document (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES reminder_run(id),
    customer_id TEXT NOT NULL REFERENCES customer(id),
    issued_on TEXT NOT NULL,
    step TEXT NOT NULL CHECK (step IN ('pre_due_notice', 'reminder', 'firm_reminder_and_call', 'formal_notice', 'litigation_handover')),
    channel TEXT NOT NULL,
    language TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content TEXT NOT NULL,
    -- What the document says, as the core computed it.
    document TEXT NOT NULL,
    -- One run's document per customer and day: a second run that day issues nothing.
    UNIQUE (customer_id, issued_on)
);
CREATE INDEX outbox_document_issued ON outbox_document(issued_on, id);
CREATE TABLE dispute_event (
    id INTEGER PRIMARY KEY,
    invoice_id TEXT NOT NULL REFERENCES invoice(id),
    opened_on TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    action TEXT NOT NULL CHECK (action IN ('opened', 'assigned', 'commented', 'resolved', 'reopened')),
    author TEXT NOT NULL,
    note TEXT,
    owner TEXT,
    on_day TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX dispute_event_customer ON dispute_event(customer_id, on_day);
CREATE INDEX dispute_event_dispute ON dispute_event(invoice_id, opened_on);
CREATE TABLE customer_contact (
    customer_id TEXT PRIMARY KEY NOT NULL REFERENCES customer(id),
    contact_name TEXT,
    email TEXT,
    phone TEXT,
    language TEXT CHECK (language IN ('fr', 'en')),
    postal_address TEXT,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX invoice_order ON invoice(order_id) WHERE order_id IS NOT NULL;
CREATE TABLE "pending_order" (
    id TEXT PRIMARY KEY NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    invoiced_cents INTEGER NOT NULL DEFAULT 0 CHECK (invoiced_cents >= 0),
    accepted_on TEXT,
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('held', 'open', 'invoiced', 'cancelled', 'rejected')),
    requested_on TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    CHECK (status NOT IN ('open', 'invoiced') OR accepted_on IS NOT NULL)
);
CREATE INDEX pending_order_customer ON pending_order(customer_id) WHERE status = 'open';
CREATE INDEX pending_order_held ON pending_order(requested_on, requested_at) WHERE status = 'held';
CREATE TABLE order_event (
    id INTEGER PRIMARY KEY,
    order_id TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    action TEXT NOT NULL CHECK (action IN ('reserved', 'held', 'released', 'rejected', 'invoiced', 'cancelled')),
    amount_cents INTEGER NOT NULL,
    author TEXT NOT NULL,
    on_day TEXT NOT NULL,
    reason TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX order_event_order ON order_event(order_id, id);
CREATE TABLE group_limit (
    group_name TEXT PRIMARY KEY NOT NULL,
    limit_cents INTEGER NOT NULL CHECK (limit_cents >= 0),
    currency TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_on TEXT NOT NULL,
    reason TEXT,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE limit_request (
    id INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    limit_cents INTEGER NOT NULL CHECK (limit_cents >= 0),
    reason TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    suggested_limit_cents INTEGER NOT NULL,
    limit_in_force_cents INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by TEXT,
    decider_role TEXT,
    decided_on TEXT,
    decision_reason TEXT,
    authority_version TEXT,
    override_id INTEGER REFERENCES credit_override(id),
    created_at TEXT NOT NULL,
    decided_at TEXT,
    CHECK ((status = 'pending') = (decided_by IS NULL)),
    CHECK (status != 'approved' OR override_id IS NOT NULL)
);
CREATE INDEX limit_request_status ON limit_request(status, id);
CREATE INDEX limit_request_customer ON limit_request(customer_id, id);
CREATE INDEX credit_override_expiry ON credit_override(expires_on) WHERE revoked_at IS NULL;
CREATE TABLE credit_review (
    id INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    reviewed_on TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('keep', 'raise', 'lower', 'stop')),
    note TEXT,
    author TEXT NOT NULL,
    grade TEXT NOT NULL,
    risk_class TEXT NOT NULL,
    limit_before_cents INTEGER NOT NULL,
    limit_cents INTEGER CHECK (limit_cents IS NULL OR limit_cents >= 0),
    next_review_on TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    authority_version TEXT,
    override_id INTEGER REFERENCES credit_override(id),
    created_at TEXT NOT NULL
);
CREATE INDEX credit_review_customer ON credit_review(customer_id, reviewed_on, id);
CREATE TABLE review_due_alert (
    customer_id TEXT NOT NULL REFERENCES customer(id),
    cycle INTEGER NOT NULL,
    due_on TEXT NOT NULL,
    alerted_on TEXT NOT NULL,
    PRIMARY KEY (customer_id, cycle)
) WITHOUT ROWID;
CREATE TABLE ledger_day (
    day TEXT PRIMARY KEY NOT NULL,
    -- invoices and credit notes issued that day, and their net amount (the day's sales)
    invoices_issued INTEGER NOT NULL DEFAULT 0,
    issued_cents INTEGER NOT NULL DEFAULT 0,
    -- of which invoices (amount above zero)
    debit_issued_cents INTEGER NOT NULL DEFAULT 0,
    -- invoices (amount above zero) falling due that day
    debit_due_cents INTEGER NOT NULL DEFAULT 0,
    -- payments received that day, their amount, and the part on invoices
    payments_received INTEGER NOT NULL DEFAULT 0,
    received_cents INTEGER NOT NULL DEFAULT 0,
    debit_received_cents INTEGER NOT NULL DEFAULT 0,
    -- invoices fully paid that day (the first day their payments reach their amount),
    -- their amount, Σ days beyond terms (floored at 0), Σ amount × those days
    settled_invoices INTEGER NOT NULL DEFAULT 0,
    settled_cents INTEGER NOT NULL DEFAULT 0,
    settled_delay_days INTEGER NOT NULL DEFAULT 0,
    settled_weighted_delay INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE ledger_receipt_due (
    paid_on TEXT NOT NULL,
    due_date TEXT NOT NULL,
    cents INTEGER NOT NULL,
    PRIMARY KEY (paid_on, due_date)
) WITHOUT ROWID;
CREATE INDEX assessment_latest ON assessment(
    customer_id, as_of, id, grade, pd, suggested_limit_cents, payment_delay_days, thin_file);
CREATE INDEX invoice_open_balance ON invoice(customer_id, due_date, open_cents) WHERE open_cents <> 0;
CREATE TRIGGER ledger_day_invoice_insert AFTER INSERT ON invoice BEGIN
INSERT INTO ledger_day (day, invoices_issued, issued_cents, debit_issued_cents)
    VALUES (NEW.issue_date, 1, 1 * NEW.amount_cents, 1 * MAX(NEW.amount_cents, 0))
    ON CONFLICT (day) DO UPDATE SET invoices_issued = invoices_issued + excluded.invoices_issued,
        issued_cents = issued_cents + excluded.issued_cents, debit_issued_cents = debit_issued_cents + excluded.debit_issued_cents;
INSERT INTO ledger_day (day, debit_due_cents) SELECT NEW.due_date, 1 * NEW.amount_cents WHERE NEW.amount_cents > 0
    ON CONFLICT (day) DO UPDATE SET debit_due_cents = debit_due_cents + excluded.debit_due_cents;
END;
CREATE TRIGGER ledger_day_invoice_delete AFTER DELETE ON invoice BEGIN
INSERT INTO ledger_day (day, invoices_issued, issued_cents, debit_issued_cents)
    VALUES (OLD.issue_date, -1, -1 * OLD.amount_cents, -1 * MAX(OLD.amount_cents, 0))
    ON CONFLICT (day) DO UPDATE SET invoices_issued = invoices_issued + excluded.invoices_issued,
        issued_cents = issued_cents + excluded.issued_cents, debit_issued_cents = debit_issued_cents + excluded.debit_issued_cents;
INSERT INTO ledger_day (day, debit_due_cents) SELECT OLD.due_date, -1 * OLD.amount_cents WHERE OLD.amount_cents > 0
    ON CONFLICT (day) DO UPDATE SET debit_due_cents = debit_due_cents + excluded.debit_due_cents;
INSERT INTO ledger_day (day, debit_received_cents)
    SELECT paid_on, -1 * SUM(amount_cents) FROM payment WHERE invoice_id = OLD.id AND OLD.amount_cents > 0 GROUP BY paid_on
    ON CONFLICT (day) DO UPDATE SET debit_received_cents = debit_received_cents + excluded.debit_received_cents;
INSERT INTO ledger_receipt_due (paid_on, due_date, cents)
    SELECT paid_on, OLD.due_date, -1 * SUM(amount_cents) FROM payment
    WHERE invoice_id = OLD.id AND OLD.amount_cents > 0 GROUP BY paid_on
    ON CONFLICT (paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
INSERT INTO ledger_day (day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT d, -1, -1 * OLD.amount_cents, -1 * delay, -1 * OLD.amount_cents * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday(OLD.due_date) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = OLD.id) GROUP BY paid_on)
        WHERE paid >= OLD.amount_cents ORDER BY d LIMIT 1)
    WHERE OLD.amount_cents > 0 AND 1
    ON CONFLICT (day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
END;
CREATE TRIGGER ledger_day_invoice_update AFTER UPDATE OF issue_date, due_date, amount_cents ON invoice BEGIN
INSERT INTO ledger_day (day, invoices_issued, issued_cents, debit_issued_cents)
    VALUES (OLD.issue_date, -1, -1 * OLD.amount_cents, -1 * MAX(OLD.amount_cents, 0))
    ON CONFLICT (day) DO UPDATE SET invoices_issued = invoices_issued + excluded.invoices_issued,
        issued_cents = issued_cents + excluded.issued_cents, debit_issued_cents = debit_issued_cents + excluded.debit_issued_cents;
INSERT INTO ledger_day (day, debit_due_cents) SELECT OLD.due_date, -1 * OLD.amount_cents WHERE OLD.amount_cents > 0
    ON CONFLICT (day) DO UPDATE SET debit_due_cents = debit_due_cents + excluded.debit_due_cents;
INSERT INTO ledger_day (day, debit_received_cents)
    SELECT paid_on, -1 * SUM(amount_cents) FROM payment WHERE invoice_id = OLD.id AND OLD.amount_cents > 0 GROUP BY paid_on
    ON CONFLICT (day) DO UPDATE SET debit_received_cents = debit_received_cents + excluded.debit_received_cents;
INSERT INTO ledger_receipt_due (paid_on, due_date, cents)
    SELECT paid_on, OLD.due_date, -1 * SUM(amount_cents) FROM payment
    WHERE invoice_id = OLD.id AND OLD.amount_cents > 0 GROUP BY paid_on
    ON CONFLICT (paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
INSERT INTO ledger_day (day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT d, -1, -1 * OLD.amount_cents, -1 * delay, -1 * OLD.amount_cents * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday(OLD.due_date) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = OLD.id) GROUP BY paid_on)
        WHERE paid >= OLD.amount_cents ORDER BY d LIMIT 1)
    WHERE OLD.amount_cents > 0 AND 1
    ON CONFLICT (day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
INSERT INTO ledger_day (day, invoices_issued, issued_cents, debit_issued_cents)
    VALUES (NEW.issue_date, 1, 1 * NEW.amount_cents, 1 * MAX(NEW.amount_cents, 0))
    ON CONFLICT (day) DO UPDATE SET invoices_issued = invoices_issued + excluded.invoices_issued,
        issued_cents = issued_cents + excluded.issued_cents, debit_issued_cents = debit_issued_cents + excluded.debit_issued_cents;
INSERT INTO ledger_day (day, debit_due_cents) SELECT NEW.due_date, 1 * NEW.amount_cents WHERE NEW.amount_cents > 0
    ON CONFLICT (day) DO UPDATE SET debit_due_cents = debit_due_cents + excluded.debit_due_cents;
INSERT INTO ledger_day (day, debit_received_cents)
    SELECT paid_on, 1 * SUM(amount_cents) FROM payment WHERE invoice_id = NEW.id AND NEW.amount_cents > 0 GROUP BY paid_on
    ON CONFLICT (day) DO UPDATE SET debit_received_cents = debit_received_cents + excluded.debit_received_cents;
INSERT INTO ledger_receipt_due (paid_on, due_date, cents)
    SELECT paid_on, NEW.due_date, 1 * SUM(amount_cents) FROM payment
    WHERE invoice_id = NEW.id AND NEW.amount_cents > 0 GROUP BY paid_on
    ON CONFLICT (paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
INSERT INTO ledger_day (day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT d, 1, 1 * NEW.amount_cents, 1 * delay, 1 * NEW.amount_cents * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday(NEW.due_date) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = NEW.id) GROUP BY paid_on)
        WHERE paid >= NEW.amount_cents ORDER BY d LIMIT 1)
    WHERE NEW.amount_cents > 0 AND 1
    ON CONFLICT (day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
END;
CREATE TRIGGER ledger_day_payment_insert AFTER INSERT ON payment BEGIN
INSERT INTO ledger_day (day, payments_received, received_cents, debit_received_cents)
    SELECT NEW.paid_on, 1, 1 * NEW.amount_cents, CASE WHEN i.amount_cents > 0 THEN 1 * NEW.amount_cents ELSE 0 END
    FROM invoice i WHERE i.id = NEW.invoice_id
    ON CONFLICT (day) DO UPDATE SET payments_received = payments_received + excluded.payments_received,
        received_cents = received_cents + excluded.received_cents,
        debit_received_cents = debit_received_cents + excluded.debit_received_cents;
INSERT INTO ledger_receipt_due (paid_on, due_date, cents)
    SELECT NEW.paid_on, i.due_date, 1 * NEW.amount_cents FROM invoice i WHERE i.id = NEW.invoice_id AND i.amount_cents > 0
    ON CONFLICT (paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
INSERT INTO ledger_day (day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT d, -1, -1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id), -1 * delay, -1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = NEW.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = NEW.invoice_id AND id <> NEW.id) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) ORDER BY d LIMIT 1)
    WHERE (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) > 0 AND 1
    ON CONFLICT (day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
INSERT INTO ledger_day (day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT d, 1, 1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id), 1 * delay, 1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = NEW.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = NEW.invoice_id) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) ORDER BY d LIMIT 1)
    WHERE (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) > 0 AND 1
    ON CONFLICT (day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
END;
CREATE TRIGGER ledger_day_payment_delete AFTER DELETE ON payment BEGIN
INSERT INTO ledger_day (day, payments_received, received_cents, debit_received_cents)
    SELECT OLD.paid_on, -1, -1 * OLD.amount_cents, CASE WHEN i.amount_cents > 0 THEN -1 * OLD.amount_cents ELSE 0 END
    FROM invoice i WHERE i.id = OLD.invoice_id
    ON CONFLICT (day) DO UPDATE SET payments_received = payments_received + excluded.payments_received,
        received_cents = received_cents + excluded.received_cents,
        debit_received_cents = debit_received_cents + excluded.debit_received_cents;
INSERT INTO ledger_receipt_due (paid_on, due_date, cents)
    SELECT OLD.paid_on, i.due_date, -1 * OLD.amount_cents FROM invoice i WHERE i.id = OLD.invoice_id AND i.amount_cents > 0
    ON CONFLICT (paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
INSERT INTO ledger_day (day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT d, -1, -1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id), -1 * delay, -1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = OLD.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = OLD.invoice_id UNION ALL SELECT OLD.paid_on, OLD.amount_cents) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) ORDER BY d LIMIT 1)
    WHERE (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) > 0 AND 1
    ON CONFLICT (day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
INSERT INTO ledger_day (day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT d, 1, 1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id), 1 * delay, 1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = OLD.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = OLD.invoice_id) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) ORDER BY d LIMIT 1)
    WHERE (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) > 0 AND 1
    ON CONFLICT (day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
END;
CREATE TRIGGER ledger_day_payment_update AFTER UPDATE OF invoice_id, paid_on, amount_cents ON payment BEGIN
INSERT INTO ledger_day (day, payments_received, received_cents, debit_received_cents)
    SELECT OLD.paid_on, -1, -1 * OLD.amount_cents, CASE WHEN i.amount_cents > 0 THEN -1 * OLD.amount_cents ELSE 0 END
    FROM invoice i WHERE i.id = OLD.invoice_id
    ON CONFLICT (day) DO UPDATE SET payments_received = payments_received + excluded.payments_received,
        received_cents = received_cents + excluded.received_cents,
        debit_received_cents = debit_received_cents + excluded.debit_received_cents;
INSERT INTO ledger_receipt_due (paid_on, due_date, cents)
    SELECT OLD.paid_on, i.due_date, -1 * OLD.amount_cents FROM invoice i WHERE i.id = OLD.invoice_id AND i.amount_cents > 0
    ON CONFLICT (paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
INSERT INTO ledger_day (day, payments_received, received_cents, debit_received_cents)
    SELECT NEW.paid_on, 1, 1 * NEW.amount_cents, CASE WHEN i.amount_cents > 0 THEN 1 * NEW.amount_cents ELSE 0 END
    FROM invoice i WHERE i.id = NEW.invoice_id
    ON CONFLICT (day) DO UPDATE SET payments_received = payments_received + excluded.payments_received,
        received_cents = received_cents + excluded.received_cents,
        debit_received_cents = debit_received_cents + excluded.debit_received_cents;
INSERT INTO ledger_receipt_due (paid_on, due_date, cents)
    SELECT NEW.paid_on, i.due_date, 1 * NEW.amount_cents FROM invoice i WHERE i.id = NEW.invoice_id AND i.amount_cents > 0
    ON CONFLICT (paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
INSERT INTO ledger_day (day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT d, -1, -1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id), -1 * delay, -1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = OLD.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = OLD.invoice_id AND id <> NEW.id UNION ALL SELECT OLD.paid_on, OLD.amount_cents) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) ORDER BY d LIMIT 1)
    WHERE (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) > 0 AND 1
    ON CONFLICT (day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
INSERT INTO ledger_day (day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT d, 1, 1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id), 1 * delay, 1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = OLD.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = OLD.invoice_id) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) ORDER BY d LIMIT 1)
    WHERE (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) > 0 AND 1
    ON CONFLICT (day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
INSERT INTO ledger_day (day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT d, -1, -1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id), -1 * delay, -1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = NEW.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = NEW.invoice_id AND id <> NEW.id) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) ORDER BY d LIMIT 1)
    WHERE (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) > 0 AND NEW.invoice_id <> OLD.invoice_id
    ON CONFLICT (day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
INSERT INTO ledger_day (day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT d, 1, 1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id), 1 * delay, 1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = NEW.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = NEW.invoice_id) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) ORDER BY d LIMIT 1)
    WHERE (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) > 0 AND NEW.invoice_id <> OLD.invoice_id
    ON CONFLICT (day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
END;
CREATE INDEX customer_sales_rep ON customer(sales_rep) WHERE sales_rep IS NOT NULL;
CREATE TABLE customer_standing (
    customer_id TEXT PRIMARY KEY NOT NULL REFERENCES customer(id),
    assessment_id INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    grade TEXT NOT NULL,
    pd REAL NOT NULL,
    score INTEGER NOT NULL,
    suggested_limit_cents INTEGER NOT NULL,
    exposure_cents INTEGER NOT NULL,
    overdue_cents INTEGER NOT NULL
, first_as_of TEXT, assessed_on TEXT) WITHOUT ROWID;
CREATE TABLE "alert" (
    id INTEGER PRIMARY KEY,
    customer_id TEXT REFERENCES customer(id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    as_of TEXT NOT NULL,
    created_at TEXT NOT NULL,
    condition TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'closed')),
    closed_on TEXT,
    acknowledged_by TEXT,
    acknowledged_at TEXT,
    acknowledgement_note TEXT,
    CHECK ((status = 'closed') = (closed_on IS NOT NULL))
);
CREATE INDEX alert_created ON alert(created_at);
CREATE INDEX alert_customer ON alert(customer_id, id);
CREATE UNIQUE INDEX alert_unclosed ON alert(IFNULL(customer_id, ''), kind, condition) WHERE status <> 'closed';
CREATE INDEX alert_status ON alert(status, id);
CREATE INDEX alert_kind_customer ON alert(kind, customer_id, as_of);
CREATE INDEX order_event_customer ON order_event(customer_id, id);
CREATE INDEX customer_standing_grade ON customer_standing(grade, exposure_cents);
CREATE INDEX alert_status_kind ON alert(status, kind, customer_id);
CREATE TRIGGER assessment_standing AFTER INSERT ON assessment BEGIN
    INSERT INTO customer_standing (customer_id, assessment_id, as_of, grade, pd, score, suggested_limit_cents,
                                   exposure_cents, overdue_cents, first_as_of, assessed_on)
    VALUES (NEW.customer_id, NEW.id, NEW.as_of, NEW.grade, NEW.pd, NEW.score, NEW.suggested_limit_cents,
            NEW.exposure_cents, NEW.overdue_cents, NEW.as_of, NEW.as_of)
    ON CONFLICT (customer_id) DO UPDATE SET
        assessment_id = excluded.assessment_id, as_of = excluded.as_of, grade = excluded.grade, pd = excluded.pd,
        score = excluded.score, suggested_limit_cents = excluded.suggested_limit_cents,
        exposure_cents = excluded.exposure_cents, overdue_cents = excluded.overdue_cents,
        assessed_on = excluded.assessed_on
    WHERE excluded.as_of >= customer_standing.as_of;
    -- An assessment as of an earlier day than any before it (a run over the past).
    UPDATE customer_standing SET first_as_of = NEW.as_of
    WHERE customer_id = NEW.customer_id AND (first_as_of IS NULL OR NEW.as_of < first_as_of);
END;
CREATE INDEX assessment_grade_as_of ON assessment(customer_id, as_of, id, grade, exposure_cents);
CREATE INDEX customer_standing_assessed ON customer_standing(assessed_on, grade, exposure_cents);
CREATE VIEW customer_scope AS
    SELECT id AS customer_id, 'sector:' || sector_code AS scope FROM customer
    UNION ALL SELECT id, 'group:' || customer_group FROM customer WHERE customer_group IS NOT NULL
    UNION ALL SELECT id, 'rep:' || sales_rep FROM customer WHERE sales_rep IS NOT NULL;
CREATE TABLE ledger_day_scope (
    scope TEXT NOT NULL,
    day TEXT NOT NULL,
    invoices_issued INTEGER NOT NULL DEFAULT 0,
    issued_cents INTEGER NOT NULL DEFAULT 0,
    debit_issued_cents INTEGER NOT NULL DEFAULT 0,
    debit_due_cents INTEGER NOT NULL DEFAULT 0,
    payments_received INTEGER NOT NULL DEFAULT 0,
    received_cents INTEGER NOT NULL DEFAULT 0,
    debit_received_cents INTEGER NOT NULL DEFAULT 0,
    settled_invoices INTEGER NOT NULL DEFAULT 0,
    settled_cents INTEGER NOT NULL DEFAULT 0,
    settled_delay_days INTEGER NOT NULL DEFAULT 0,
    settled_weighted_delay INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, day)
) WITHOUT ROWID;
CREATE TABLE ledger_receipt_due_scope (
    scope TEXT NOT NULL,
    paid_on TEXT NOT NULL,
    due_date TEXT NOT NULL,
    cents INTEGER NOT NULL,
    PRIMARY KEY (scope, paid_on, due_date)
) WITHOUT ROWID;
CREATE TABLE ledger_scope_stale (customer_id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
CREATE TRIGGER customer_scope_moved AFTER UPDATE OF sector_code, customer_group, sales_rep ON customer
WHEN OLD.sector_code IS NOT NEW.sector_code OR OLD.customer_group IS NOT NEW.customer_group
    OR OLD.sales_rep IS NOT NEW.sales_rep
BEGIN
    INSERT OR IGNORE INTO ledger_scope_stale (customer_id) VALUES (NEW.id);
END;
CREATE TRIGGER ledger_scope_invoice_insert AFTER INSERT ON invoice BEGIN
INSERT INTO ledger_day_scope (scope, day, invoices_issued, issued_cents, debit_issued_cents)
    SELECT cs.scope, NEW.issue_date, 1, 1 * NEW.amount_cents, 1 * MAX(NEW.amount_cents, 0) FROM customer_scope cs WHERE cs.customer_id = NEW.customer_id
    ON CONFLICT (scope, day) DO UPDATE SET invoices_issued = invoices_issued + excluded.invoices_issued,
        issued_cents = issued_cents + excluded.issued_cents, debit_issued_cents = debit_issued_cents + excluded.debit_issued_cents;
INSERT INTO ledger_day_scope (scope, day, debit_due_cents) SELECT cs.scope, NEW.due_date, 1 * NEW.amount_cents FROM customer_scope cs WHERE cs.customer_id = NEW.customer_id AND NEW.amount_cents > 0
    ON CONFLICT (scope, day) DO UPDATE SET debit_due_cents = debit_due_cents + excluded.debit_due_cents;
END;
CREATE TRIGGER ledger_scope_invoice_delete AFTER DELETE ON invoice BEGIN
INSERT INTO ledger_day_scope (scope, day, invoices_issued, issued_cents, debit_issued_cents)
    SELECT cs.scope, OLD.issue_date, -1, -1 * OLD.amount_cents, -1 * MAX(OLD.amount_cents, 0) FROM customer_scope cs WHERE cs.customer_id = OLD.customer_id
    ON CONFLICT (scope, day) DO UPDATE SET invoices_issued = invoices_issued + excluded.invoices_issued,
        issued_cents = issued_cents + excluded.issued_cents, debit_issued_cents = debit_issued_cents + excluded.debit_issued_cents;
INSERT INTO ledger_day_scope (scope, day, debit_due_cents) SELECT cs.scope, OLD.due_date, -1 * OLD.amount_cents FROM customer_scope cs WHERE cs.customer_id = OLD.customer_id AND OLD.amount_cents > 0
    ON CONFLICT (scope, day) DO UPDATE SET debit_due_cents = debit_due_cents + excluded.debit_due_cents;
INSERT INTO ledger_day_scope (scope, day, debit_received_cents)
    SELECT cs.scope, paid_on, -1 * SUM(amount_cents) FROM payment JOIN customer_scope cs ON cs.customer_id = OLD.customer_id WHERE invoice_id = OLD.id AND OLD.amount_cents > 0 GROUP BY cs.scope, paid_on
    ON CONFLICT (scope, day) DO UPDATE SET debit_received_cents = debit_received_cents + excluded.debit_received_cents;
INSERT INTO ledger_receipt_due_scope (scope, paid_on, due_date, cents)
    SELECT cs.scope, paid_on, OLD.due_date, -1 * SUM(amount_cents) FROM payment JOIN customer_scope cs ON cs.customer_id = OLD.customer_id
    WHERE invoice_id = OLD.id AND OLD.amount_cents > 0 GROUP BY cs.scope, paid_on
    ON CONFLICT (scope, paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
INSERT INTO ledger_day_scope (scope, day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT cs.scope, d, -1, -1 * OLD.amount_cents, -1 * delay, -1 * OLD.amount_cents * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday(OLD.due_date) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = OLD.id) GROUP BY paid_on)
        WHERE paid >= OLD.amount_cents ORDER BY d LIMIT 1) JOIN customer_scope cs ON cs.customer_id = OLD.customer_id
    WHERE OLD.amount_cents > 0 AND 1
    ON CONFLICT (scope, day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
END;
CREATE TRIGGER ledger_scope_invoice_update AFTER UPDATE OF issue_date, due_date, amount_cents, customer_id ON invoice BEGIN
INSERT INTO ledger_day_scope (scope, day, invoices_issued, issued_cents, debit_issued_cents)
    SELECT cs.scope, OLD.issue_date, -1, -1 * OLD.amount_cents, -1 * MAX(OLD.amount_cents, 0) FROM customer_scope cs WHERE cs.customer_id = OLD.customer_id
    ON CONFLICT (scope, day) DO UPDATE SET invoices_issued = invoices_issued + excluded.invoices_issued,
        issued_cents = issued_cents + excluded.issued_cents, debit_issued_cents = debit_issued_cents + excluded.debit_issued_cents;
INSERT INTO ledger_day_scope (scope, day, debit_due_cents) SELECT cs.scope, OLD.due_date, -1 * OLD.amount_cents FROM customer_scope cs WHERE cs.customer_id = OLD.customer_id AND OLD.amount_cents > 0
    ON CONFLICT (scope, day) DO UPDATE SET debit_due_cents = debit_due_cents + excluded.debit_due_cents;
INSERT INTO ledger_day_scope (scope, day, debit_received_cents)
    SELECT cs.scope, paid_on, -1 * SUM(amount_cents) FROM payment JOIN customer_scope cs ON cs.customer_id = OLD.customer_id WHERE invoice_id = OLD.id AND OLD.amount_cents > 0 GROUP BY cs.scope, paid_on
    ON CONFLICT (scope, day) DO UPDATE SET debit_received_cents = debit_received_cents + excluded.debit_received_cents;
INSERT INTO ledger_receipt_due_scope (scope, paid_on, due_date, cents)
    SELECT cs.scope, paid_on, OLD.due_date, -1 * SUM(amount_cents) FROM payment JOIN customer_scope cs ON cs.customer_id = OLD.customer_id
    WHERE invoice_id = OLD.id AND OLD.amount_cents > 0 GROUP BY cs.scope, paid_on
    ON CONFLICT (scope, paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
INSERT INTO ledger_day_scope (scope, day, payments_received, received_cents)
    SELECT cs.scope, paid_on, -1 * COUNT(*), -1 * SUM(amount_cents) FROM payment JOIN customer_scope cs ON cs.customer_id = OLD.customer_id
    WHERE invoice_id = OLD.id AND NEW.customer_id <> OLD.customer_id GROUP BY cs.scope, paid_on
    ON CONFLICT (scope, day) DO UPDATE SET payments_received = payments_received + excluded.payments_received,
        received_cents = received_cents + excluded.received_cents;
INSERT INTO ledger_day_scope (scope, day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT cs.scope, d, -1, -1 * OLD.amount_cents, -1 * delay, -1 * OLD.amount_cents * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday(OLD.due_date) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = OLD.id) GROUP BY paid_on)
        WHERE paid >= OLD.amount_cents ORDER BY d LIMIT 1) JOIN customer_scope cs ON cs.customer_id = OLD.customer_id
    WHERE OLD.amount_cents > 0 AND 1
    ON CONFLICT (scope, day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
INSERT INTO ledger_day_scope (scope, day, payments_received, received_cents)
    SELECT cs.scope, paid_on, 1 * COUNT(*), 1 * SUM(amount_cents) FROM payment JOIN customer_scope cs ON cs.customer_id = NEW.customer_id
    WHERE invoice_id = NEW.id AND NEW.customer_id <> OLD.customer_id GROUP BY cs.scope, paid_on
    ON CONFLICT (scope, day) DO UPDATE SET payments_received = payments_received + excluded.payments_received,
        received_cents = received_cents + excluded.received_cents;
INSERT INTO ledger_day_scope (scope, day, invoices_issued, issued_cents, debit_issued_cents)
    SELECT cs.scope, NEW.issue_date, 1, 1 * NEW.amount_cents, 1 * MAX(NEW.amount_cents, 0) FROM customer_scope cs WHERE cs.customer_id = NEW.customer_id
    ON CONFLICT (scope, day) DO UPDATE SET invoices_issued = invoices_issued + excluded.invoices_issued,
        issued_cents = issued_cents + excluded.issued_cents, debit_issued_cents = debit_issued_cents + excluded.debit_issued_cents;
INSERT INTO ledger_day_scope (scope, day, debit_due_cents) SELECT cs.scope, NEW.due_date, 1 * NEW.amount_cents FROM customer_scope cs WHERE cs.customer_id = NEW.customer_id AND NEW.amount_cents > 0
    ON CONFLICT (scope, day) DO UPDATE SET debit_due_cents = debit_due_cents + excluded.debit_due_cents;
INSERT INTO ledger_day_scope (scope, day, debit_received_cents)
    SELECT cs.scope, paid_on, 1 * SUM(amount_cents) FROM payment JOIN customer_scope cs ON cs.customer_id = NEW.customer_id WHERE invoice_id = NEW.id AND NEW.amount_cents > 0 GROUP BY cs.scope, paid_on
    ON CONFLICT (scope, day) DO UPDATE SET debit_received_cents = debit_received_cents + excluded.debit_received_cents;
INSERT INTO ledger_receipt_due_scope (scope, paid_on, due_date, cents)
    SELECT cs.scope, paid_on, NEW.due_date, 1 * SUM(amount_cents) FROM payment JOIN customer_scope cs ON cs.customer_id = NEW.customer_id
    WHERE invoice_id = NEW.id AND NEW.amount_cents > 0 GROUP BY cs.scope, paid_on
    ON CONFLICT (scope, paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
INSERT INTO ledger_day_scope (scope, day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT cs.scope, d, 1, 1 * NEW.amount_cents, 1 * delay, 1 * NEW.amount_cents * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday(NEW.due_date) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = NEW.id) GROUP BY paid_on)
        WHERE paid >= NEW.amount_cents ORDER BY d LIMIT 1) JOIN customer_scope cs ON cs.customer_id = NEW.customer_id
    WHERE NEW.amount_cents > 0 AND 1
    ON CONFLICT (scope, day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
END;
CREATE TRIGGER ledger_scope_payment_insert AFTER INSERT ON payment BEGIN
INSERT INTO ledger_day_scope (scope, day, payments_received, received_cents, debit_received_cents)
    SELECT cs.scope, NEW.paid_on, 1, 1 * NEW.amount_cents, CASE WHEN i.amount_cents > 0 THEN 1 * NEW.amount_cents ELSE 0 END
    FROM invoice i JOIN customer_scope cs ON cs.customer_id = i.customer_id WHERE i.id = NEW.invoice_id
    ON CONFLICT (scope, day) DO UPDATE SET payments_received = payments_received + excluded.payments_received,
        received_cents = received_cents + excluded.received_cents,
        debit_received_cents = debit_received_cents + excluded.debit_received_cents;
INSERT INTO ledger_receipt_due_scope (scope, paid_on, due_date, cents)
    SELECT cs.scope, NEW.paid_on, i.due_date, 1 * NEW.amount_cents FROM invoice i JOIN customer_scope cs ON cs.customer_id = i.customer_id WHERE i.id = NEW.invoice_id AND i.amount_cents > 0
    ON CONFLICT (scope, paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
INSERT INTO ledger_day_scope (scope, day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT cs.scope, d, -1, -1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id), -1 * delay, -1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = NEW.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = NEW.invoice_id AND id <> NEW.id) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) ORDER BY d LIMIT 1) JOIN customer_scope cs ON cs.customer_id = (SELECT customer_id FROM invoice WHERE id = NEW.invoice_id)
    WHERE (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) > 0 AND 1
    ON CONFLICT (scope, day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
INSERT INTO ledger_day_scope (scope, day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT cs.scope, d, 1, 1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id), 1 * delay, 1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = NEW.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = NEW.invoice_id) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) ORDER BY d LIMIT 1) JOIN customer_scope cs ON cs.customer_id = (SELECT customer_id FROM invoice WHERE id = NEW.invoice_id)
    WHERE (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) > 0 AND 1
    ON CONFLICT (scope, day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
END;
CREATE TRIGGER ledger_scope_payment_delete AFTER DELETE ON payment BEGIN
INSERT INTO ledger_day_scope (scope, day, payments_received, received_cents, debit_received_cents)
    SELECT cs.scope, OLD.paid_on, -1, -1 * OLD.amount_cents, CASE WHEN i.amount_cents > 0 THEN -1 * OLD.amount_cents ELSE 0 END
    FROM invoice i JOIN customer_scope cs ON cs.customer_id = i.customer_id WHERE i.id = OLD.invoice_id
    ON CONFLICT (scope, day) DO UPDATE SET payments_received = payments_received + excluded.payments_received,
        received_cents = received_cents + excluded.received_cents,
        debit_received_cents = debit_received_cents + excluded.debit_received_cents;
INSERT INTO ledger_receipt_due_scope (scope, paid_on, due_date, cents)
    SELECT cs.scope, OLD.paid_on, i.due_date, -1 * OLD.amount_cents FROM invoice i JOIN customer_scope cs ON cs.customer_id = i.customer_id WHERE i.id = OLD.invoice_id AND i.amount_cents > 0
    ON CONFLICT (scope, paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
INSERT INTO ledger_day_scope (scope, day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT cs.scope, d, -1, -1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id), -1 * delay, -1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = OLD.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = OLD.invoice_id UNION ALL SELECT OLD.paid_on, OLD.amount_cents) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) ORDER BY d LIMIT 1) JOIN customer_scope cs ON cs.customer_id = (SELECT customer_id FROM invoice WHERE id = OLD.invoice_id)
    WHERE (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) > 0 AND 1
    ON CONFLICT (scope, day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
INSERT INTO ledger_day_scope (scope, day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT cs.scope, d, 1, 1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id), 1 * delay, 1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = OLD.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = OLD.invoice_id) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) ORDER BY d LIMIT 1) JOIN customer_scope cs ON cs.customer_id = (SELECT customer_id FROM invoice WHERE id = OLD.invoice_id)
    WHERE (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) > 0 AND 1
    ON CONFLICT (scope, day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
END;
CREATE TRIGGER ledger_scope_payment_update AFTER UPDATE OF invoice_id, paid_on, amount_cents ON payment BEGIN
INSERT INTO ledger_day_scope (scope, day, payments_received, received_cents, debit_received_cents)
    SELECT cs.scope, OLD.paid_on, -1, -1 * OLD.amount_cents, CASE WHEN i.amount_cents > 0 THEN -1 * OLD.amount_cents ELSE 0 END
    FROM invoice i JOIN customer_scope cs ON cs.customer_id = i.customer_id WHERE i.id = OLD.invoice_id
    ON CONFLICT (scope, day) DO UPDATE SET payments_received = payments_received + excluded.payments_received,
        received_cents = received_cents + excluded.received_cents,
        debit_received_cents = debit_received_cents + excluded.debit_received_cents;
INSERT INTO ledger_receipt_due_scope (scope, paid_on, due_date, cents)
    SELECT cs.scope, OLD.paid_on, i.due_date, -1 * OLD.amount_cents FROM invoice i JOIN customer_scope cs ON cs.customer_id = i.customer_id WHERE i.id = OLD.invoice_id AND i.amount_cents > 0
    ON CONFLICT (scope, paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
INSERT INTO ledger_day_scope (scope, day, payments_received, received_cents, debit_received_cents)
    SELECT cs.scope, NEW.paid_on, 1, 1 * NEW.amount_cents, CASE WHEN i.amount_cents > 0 THEN 1 * NEW.amount_cents ELSE 0 END
    FROM invoice i JOIN customer_scope cs ON cs.customer_id = i.customer_id WHERE i.id = NEW.invoice_id
    ON CONFLICT (scope, day) DO UPDATE SET payments_received = payments_received + excluded.payments_received,
        received_cents = received_cents + excluded.received_cents,
        debit_received_cents = debit_received_cents + excluded.debit_received_cents;
INSERT INTO ledger_receipt_due_scope (scope, paid_on, due_date, cents)
    SELECT cs.scope, NEW.paid_on, i.due_date, 1 * NEW.amount_cents FROM invoice i JOIN customer_scope cs ON cs.customer_id = i.customer_id WHERE i.id = NEW.invoice_id AND i.amount_cents > 0
    ON CONFLICT (scope, paid_on, due_date) DO UPDATE SET cents = cents + excluded.cents;
INSERT INTO ledger_day_scope (scope, day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT cs.scope, d, -1, -1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id), -1 * delay, -1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = OLD.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = OLD.invoice_id AND id <> NEW.id UNION ALL SELECT OLD.paid_on, OLD.amount_cents) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) ORDER BY d LIMIT 1) JOIN customer_scope cs ON cs.customer_id = (SELECT customer_id FROM invoice WHERE id = OLD.invoice_id)
    WHERE (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) > 0 AND 1
    ON CONFLICT (scope, day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
INSERT INTO ledger_day_scope (scope, day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT cs.scope, d, 1, 1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id), 1 * delay, 1 * (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = OLD.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = OLD.invoice_id) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) ORDER BY d LIMIT 1) JOIN customer_scope cs ON cs.customer_id = (SELECT customer_id FROM invoice WHERE id = OLD.invoice_id)
    WHERE (SELECT amount_cents FROM invoice WHERE id = OLD.invoice_id) > 0 AND 1
    ON CONFLICT (scope, day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
INSERT INTO ledger_day_scope (scope, day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT cs.scope, d, -1, -1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id), -1 * delay, -1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = NEW.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = NEW.invoice_id AND id <> NEW.id) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) ORDER BY d LIMIT 1) JOIN customer_scope cs ON cs.customer_id = (SELECT customer_id FROM invoice WHERE id = NEW.invoice_id)
    WHERE (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) > 0 AND NEW.invoice_id <> OLD.invoice_id
    ON CONFLICT (scope, day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
INSERT INTO ledger_day_scope (scope, day, settled_invoices, settled_cents, settled_delay_days, settled_weighted_delay)
    SELECT cs.scope, d, 1, 1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id), 1 * delay, 1 * (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) * delay FROM (
        SELECT d, COALESCE(MAX(0, CAST(julianday(d) - julianday((SELECT due_date FROM invoice WHERE id = NEW.invoice_id)) AS INTEGER)), 0) AS delay FROM (
            SELECT paid_on AS d, SUM(SUM(amount_cents)) OVER (ORDER BY paid_on) AS paid
            FROM (SELECT paid_on, amount_cents FROM payment WHERE invoice_id = NEW.invoice_id) GROUP BY paid_on)
        WHERE paid >= (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) ORDER BY d LIMIT 1) JOIN customer_scope cs ON cs.customer_id = (SELECT customer_id FROM invoice WHERE id = NEW.invoice_id)
    WHERE (SELECT amount_cents FROM invoice WHERE id = NEW.invoice_id) > 0 AND NEW.invoice_id <> OLD.invoice_id
    ON CONFLICT (scope, day) DO UPDATE SET settled_invoices = settled_invoices + excluded.settled_invoices,
        settled_cents = settled_cents + excluded.settled_cents,
        settled_delay_days = settled_delay_days + excluded.settled_delay_days,
        settled_weighted_delay = settled_weighted_delay + excluded.settled_weighted_delay;
END;
CREATE TABLE grade_mix_change (
    day TEXT NOT NULL,
    grade TEXT NOT NULL,
    customers INTEGER NOT NULL DEFAULT 0,
    exposure_cents INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, grade)
) WITHOUT ROWID;
CREATE TRIGGER assessment_grade_mix AFTER INSERT ON assessment BEGIN
    -- The assessment enters on its day.
    INSERT INTO grade_mix_change (day, grade, customers, exposure_cents)
        VALUES (NEW.as_of, NEW.grade, 1, NEW.exposure_cents)
        ON CONFLICT (day, grade) DO UPDATE SET
            customers = customers + excluded.customers, exposure_cents = exposure_cents + excluded.exposure_cents;
    -- The one in force before it leaves that day.
    INSERT INTO grade_mix_change (day, grade, customers, exposure_cents)
        SELECT * FROM (
            SELECT NEW.as_of, p.grade, -1, -p.exposure_cents FROM assessment p INDEXED BY assessment_grade_as_of
            WHERE p.customer_id = NEW.customer_id AND (p.as_of < NEW.as_of OR (p.as_of = NEW.as_of AND p.id < NEW.id))
            ORDER BY p.as_of DESC, p.id DESC LIMIT 1)
        WHERE true
        ON CONFLICT (day, grade) DO UPDATE SET
            customers = customers + excluded.customers, exposure_cents = exposure_cents + excluded.exposure_cents;
    -- Made over the past: the customer's next assessment now replaces this one, not the one before.
    INSERT INTO grade_mix_change (day, grade, customers, exposure_cents)
        SELECT * FROM (
            SELECT n.as_of, NEW.grade, -1, -NEW.exposure_cents FROM assessment n INDEXED BY assessment_grade_as_of
            WHERE n.customer_id = NEW.customer_id AND (n.as_of > NEW.as_of OR (n.as_of = NEW.as_of AND n.id > NEW.id))
            ORDER BY n.as_of, n.id LIMIT 1)
        WHERE true
        ON CONFLICT (day, grade) DO UPDATE SET
            customers = customers + excluded.customers, exposure_cents = exposure_cents + excluded.exposure_cents;
    INSERT INTO grade_mix_change (day, grade, customers, exposure_cents)
        SELECT * FROM (
            SELECT
                (SELECT n.as_of FROM assessment n INDEXED BY assessment_grade_as_of
                 WHERE n.customer_id = NEW.customer_id AND (n.as_of > NEW.as_of OR (n.as_of = NEW.as_of AND n.id > NEW.id))
                 ORDER BY n.as_of, n.id LIMIT 1) AS day,
                p.grade, 1, p.exposure_cents
            FROM assessment p INDEXED BY assessment_grade_as_of
            WHERE p.customer_id = NEW.customer_id AND (p.as_of < NEW.as_of OR (p.as_of = NEW.as_of AND p.id < NEW.id))
            ORDER BY p.as_of DESC, p.id DESC LIMIT 1)
        WHERE day IS NOT NULL
        ON CONFLICT (day, grade) DO UPDATE SET
            customers = customers + excluded.customers, exposure_cents = exposure_cents + excluded.exposure_cents;
END;
CREATE INDEX ledger_receipt_due_by_due ON ledger_receipt_due (due_date, paid_on, cents);
INSERT INTO "grdb_migrations" VALUES ('v1 ledger');
INSERT INTO "grdb_migrations" VALUES ('v2 statements, assessments, overrides, alerts');
INSERT INTO "grdb_migrations" VALUES ('v3 order checks');
INSERT INTO "grdb_migrations" VALUES ('v4 payment promises');
INSERT INTO "grdb_migrations" VALUES ('v5 applications');
INSERT INTO "grdb_migrations" VALUES ('v6 collections change log');
INSERT INTO "grdb_migrations" VALUES ('v7 statement: interest, cost of sales, personnel, fixed assets, debt by maturity, minorities, prior year');
INSERT INTO "grdb_migrations" VALUES ('v8 collections memory');
INSERT INTO "grdb_migrations" VALUES ('v9 disputes workflow');
INSERT INTO "grdb_migrations" VALUES ('v10 customer contacts');
INSERT INTO "grdb_migrations" VALUES ('v11 order lifecycle and group limits');
INSERT INTO "grdb_migrations" VALUES ('v12 limit requests and reviews');
INSERT INTO "grdb_migrations" VALUES ('v13 reports');
INSERT INTO "grdb_migrations" VALUES ('v14 customer standing and sales reps');
INSERT INTO "grdb_migrations" VALUES ('v15 alert lifecycle');
INSERT INTO "grdb_migrations" VALUES ('v16 customer name key and order steps by customer');
INSERT INTO "grdb_migrations" VALUES ('v17 dashboard');
INSERT INTO "grdb_migrations" VALUES ('v18 assessment fingerprint');
INSERT INTO "grdb_migrations" VALUES ('v19 grades as of a day');
INSERT INTO "grdb_migrations" VALUES ('v20 ledger totals by group, sector and sales rep');
INSERT INTO "grdb_migrations" VALUES ('v21 grade mix by day');
INSERT INTO "grdb_migrations" VALUES ('v22 receipts by due date');
INSERT INTO "collections_change" VALUES (1, NULL);
DELETE FROM sqlite_sequence;
INSERT INTO "sqlite_sequence" VALUES ('collections_change', 1);
