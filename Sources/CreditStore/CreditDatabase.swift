import CreditCore
import Foundation
import GRDB

/// Opens the credit-risk database and brings its schema up to date.
///
/// The writer is handed to the rest of the program as `any DatabaseWriter`: a `DatabasePool`
/// in WAL mode for the service and the CLI (readers never wait for an import), an in-memory
/// `DatabaseQueue` in tests.
public enum CreditDatabase {
    /// Opens (creating if needed) the database file at `path`, in WAL mode with foreign keys on.
    /// A database already up to date is only read: opening it never waits for a writer, so a
    /// command that reads the portfolio answers while a long import or scoring run holds the
    /// write lock (bringing the schema up to date takes that lock, and waited for it at every
    /// open). A database a newer version has migrated further is refused, not used half-understood.
    public static func open(path: String) throws -> DatabasePool {
        let pool = try DatabasePool(path: path, configuration: configuration())
        let migrator = self.migrator
        // Through the writer's connection, outside any transaction: plain reads take no write lock,
        // and no reader connection is left open (a first load keeps the WAL beside an open one).
        let (completed, superseded) = try pool.writeWithoutTransaction { db in
            (try migrator.hasCompletedMigrations(db), try migrator.hasBeenSuperseded(db))
        }
        if superseded { throw NewerSchemaError(path: path) }
        if completed { return pool }
        try startFromSnapshotIfEmpty(pool)
        try migrator.migrate(pool)
        return pool
    }

    /// The database holds changes of schema this version does not know: a newer creditrisk made it.
    public struct NewerSchemaError: Error, CustomStringConvertible {
        public var path: String
        public var description: String {
            "\((path as NSString).lastPathComponent) was brought up to date by a newer version of creditrisk: use that version"
        }
    }

    /// A private in-memory database with the full schema, for tests and dry runs.
    public static func inMemory() throws -> DatabaseQueue {
        let queue = try DatabaseQueue(configuration: configuration())
        try startFromSnapshotIfEmpty(queue)
        try migrator.migrate(queue)
        return queue
    }

    /// A database with nothing in it starts from what the first 22 migrations leave (the schema,
    /// their seed row and their own record of having run: `Resources/schema-v22.sql`), in one
    /// transaction, instead of running them: their table rebuilds and 22 transactions took
    /// 30 ms at every new database (each first start, each test). Later migrations run as usual.
    /// A test holds the result equal to the migrations', object by object and row by row, and
    /// writes the file anew when asked (`CREDITRISK_WRITE_SCHEMA_SNAPSHOT=1`).
    static func startFromSnapshotIfEmpty(_ writer: any DatabaseWriter) throws {
        guard let snapshot = schemaSnapshot else { return }
        try writer.writeWithoutTransaction { db in
            // Looked at inside the write lock: a second process opening the same new file waits,
            // then finds it made.
            try db.inTransaction(.immediate) {
                if try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0 { try db.execute(sql: snapshot) }
                return .commit
            }
        }
    }

    /// Nil when the resource is missing: every migration then runs.
    static let schemaSnapshotMigration = "v22 receipts by due date"
    static let schemaSnapshot: String? = Bundle.module.url(forResource: "schema-v22", withExtension: "sql").flatMap {
        try? String(contentsOf: $0, encoding: .utf8)
    }

    /// The SQL that rebuilds `db` as it is: its objects in the order they were made, then every
    /// table's rows. For a database the migrations just made (a few seed rows).
    static func dump(_ db: Database) throws -> String {
        var lines = try String.fetchAll(
            db, sql: "SELECT sql || ';' FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
        // AUTOINCREMENT counters last, set once: the inserts before them have moved them already.
        var tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence' ORDER BY rowid")
        if try db.tableExists("sqlite_sequence") { tables.append("sqlite_sequence") }
        for table in tables {
            if table == "sqlite_sequence" { lines.append("DELETE FROM sqlite_sequence;") }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)") {
                let values = row.databaseValues.map { value -> String in
                    switch value.storage {
                    case .null: "NULL"
                    case .int64(let integer): String(integer)
                    case .double(let double): "\(double)"
                    case .string(let text): "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
                    case .blob(let bytes): "X'" + bytes.map { String(format: "%02x", $0) }.joined() + "'"
                    }
                }
                lines.append("INSERT INTO \(table.quotedDatabaseIdentifier) VALUES (\(values.joined(separator: ", ")));")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // NORMAL is durable across application crashes in WAL mode and much faster for imports.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA temp_store = FILE")
            try db.execute(sql: "PRAGMA cache_size = -16000")
        }
        return configuration
    }

    /// Every schema change, in order. A released migration is never edited: add a new one.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 ledger") { db in
            try db.execute(
                sql: """
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
                    ) WITHOUT ROWID;
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
                        open_cents INTEGER NOT NULL,
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
                        resolved_on TEXT,
                        PRIMARY KEY (invoice_id, opened_on),
                        CHECK (resolved_on IS NULL OR resolved_on >= opened_on)
                    ) WITHOUT ROWID;
                    CREATE INDEX dispute_open ON dispute(opened_on) WHERE resolved_on IS NULL;
                    CREATE TABLE pending_order (
                        id TEXT PRIMARY KEY NOT NULL,
                        customer_id TEXT NOT NULL REFERENCES customer(id),
                        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
                        accepted_on TEXT NOT NULL,
                        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'invoiced', 'cancelled'))
                    );
                    CREATE INDEX pending_order_customer ON pending_order(customer_id) WHERE status = 'open';
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
                    """)
        }
        migrator.registerMigration("v2 statements, assessments, overrides, alerts") { db in
            try db.execute(
                sql: """
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
                        imported_on TEXT NOT NULL,
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
                    );
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
                        revoked_at TEXT,
                        CHECK (grade IS NOT NULL OR limit_cents IS NOT NULL)
                    );
                    CREATE INDEX credit_override_customer ON credit_override(customer_id, id);
                    CREATE TABLE alert (
                        id INTEGER PRIMARY KEY,
                        customer_id TEXT NOT NULL REFERENCES customer(id),
                        kind TEXT NOT NULL,
                        detail TEXT NOT NULL,
                        as_of TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    );
                    CREATE INDEX alert_created ON alert(created_at);
                    """)
        }
        migrator.registerMigration("v3 order checks") { db in
            try db.execute(
                sql: """
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
                    """)
        }
        migrator.registerMigration("v4 payment promises") { db in
            try db.execute(
                sql: """
                    CREATE TABLE payment_promise (
                        id INTEGER PRIMARY KEY,
                        invoice_id TEXT NOT NULL REFERENCES invoice(id),
                        customer_id TEXT NOT NULL REFERENCES customer(id),
                        promised_on TEXT NOT NULL,
                        pay_by TEXT NOT NULL,
                        amount_cents INTEGER,
                        author TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        CHECK (pay_by >= promised_on)
                    );
                    CREATE INDEX payment_promise_customer ON payment_promise(customer_id, pay_by);
                    CREATE INDEX payment_promise_invoice ON payment_promise(invoice_id, pay_by);
                    """)
        }
        migrator.registerMigration("v5 applications") { db in
            try db.execute(
                sql: """
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
                    """)
        }
        migrator.registerMigration("v6 collections change log") { db in
            // What changed for the collections lists since a reader last looked: one row per
            // customer touched by an event or a single re-scoring, or a row with no customer when
            // everything may have changed (an import, a full scoring run). Readers that keep the
            // worklist in memory replay it instead of reading a million open items again.
            try db.execute(
                sql: """
                    CREATE TABLE collections_change (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        customer_id TEXT
                    );
                    INSERT INTO collections_change (customer_id) VALUES (NULL);
                    """)
        }
        migrator.registerMigration("v7 statement: interest, cost of sales, personnel, fixed assets, debt by maturity, minorities, prior year") { db in
            // The figures credit analysis needs beyond the first fifteen, NULL where the document
            // does not give them (and for statements imported before). The previous year as the
            // same document restates it lives in its own table, one row per statement that has
            // one: no row is "no prior year", with no flag to keep in step with the amounts.
            try db.execute(
                sql: """
                    ALTER TABLE statement ADD COLUMN financial_expenses_cents INTEGER;
                    ALTER TABLE statement ADD COLUMN cost_of_sales_cents INTEGER;
                    ALTER TABLE statement ADD COLUMN personnel_costs_cents INTEGER;
                    ALTER TABLE statement ADD COLUMN fixed_assets_cents INTEGER;
                    ALTER TABLE statement ADD COLUMN short_term_financial_debt_cents INTEGER;
                    ALTER TABLE statement ADD COLUMN long_term_financial_debt_cents INTEGER;
                    ALTER TABLE statement ADD COLUMN minority_interests_cents INTEGER;
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
                    """)
        }
        migrator.registerMigration("v8 collections memory") { db in
            // What collections did: each activity on a customer's account, the invoices it
            // covered with the reminder step it carried out on each, and per invoice the last
            // step carried out (kept by every activity, read by the worklist for a million open
            // items). Reminder runs and the documents they issued, rendered once and kept as
            // issued. A promise keeps the collector's note.
            // The lists are written out: a released migration never changes with the code.
            let kinds = "'reminder_sent', 'call', 'email', 'letter', 'note', 'visit', 'agency_handover'"
            let outcomes = "'reached', 'no_answer', 'promised', 'disputed', 'refused'"
            let steps = "'pre_due_notice', 'reminder', 'firm_reminder_and_call', 'formal_notice', 'litigation_handover'"
            try db.execute(
                sql: """
                    CREATE TABLE activity (
                        id INTEGER PRIMARY KEY,
                        customer_id TEXT NOT NULL REFERENCES customer(id),
                        kind TEXT NOT NULL CHECK (kind IN (\(kinds))),
                        on_day TEXT NOT NULL,
                        channel TEXT,
                        outcome TEXT CHECK (outcome IS NULL OR outcome IN (\(outcomes))),
                        note TEXT,
                        author TEXT NOT NULL,
                        document_id INTEGER REFERENCES outbox_document(id),
                        created_at TEXT NOT NULL
                    );
                    CREATE INDEX activity_customer ON activity(customer_id, on_day, id);
                    CREATE TABLE activity_invoice (
                        activity_id INTEGER NOT NULL REFERENCES activity(id),
                        invoice_id TEXT NOT NULL REFERENCES invoice(id),
                        step TEXT CHECK (step IS NULL OR step IN (\(steps))),
                        PRIMARY KEY (activity_id, invoice_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX activity_invoice_invoice ON activity_invoice(invoice_id);
                    CREATE TABLE dunning_progress (
                        invoice_id TEXT PRIMARY KEY NOT NULL REFERENCES invoice(id),
                        step TEXT NOT NULL CHECK (step IN (\(steps))),
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
                        step TEXT NOT NULL CHECK (step IN (\(steps))),
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
                    ALTER TABLE payment_promise ADD COLUMN note TEXT;
                    CREATE INDEX alert_customer ON alert(customer_id, id);
                    """)
        }
        migrator.registerMigration("v9 disputes workflow") { db in
            // A dispute gets an owner (who resolves it), the part of the invoice it contests
            // (NULL: the whole open balance), how it ended, and the day its passed deadline was
            // alerted (so the alert is raised once). Its history (opened, assigned, commented,
            // resolved, reopened; who, when, what was said) is kept per step in dispute_event,
            // read by customer for the account's timeline. No foreign key to dispute: a step
            // stays in the history even if an import rewrites the dispute row.
            try db.execute(
                sql: """
                    ALTER TABLE dispute ADD COLUMN owner TEXT;
                    ALTER TABLE dispute ADD COLUMN amount_cents INTEGER CHECK (amount_cents IS NULL OR amount_cents > 0);
                    ALTER TABLE dispute ADD COLUMN outcome TEXT
                        CHECK (outcome IS NULL OR outcome IN ('credit_note', 'corrected_invoice', 'rejected'));
                    ALTER TABLE dispute ADD COLUMN deadline_alerted_on TEXT;
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
                    """)
        }
        migrator.registerMigration("v10 customer contacts") { db in
            // How collections reach a customer: the billing contact from customers.csv or the API,
            // one row per customer that has ever had one. A NULL field is "not known"; the
            // postal address keeps its lines separated by newlines.
            try db.execute(
                sql: """
                    CREATE TABLE customer_contact (
                        customer_id TEXT PRIMARY KEY NOT NULL REFERENCES customer(id),
                        contact_name TEXT,
                        email TEXT,
                        phone TEXT,
                        language TEXT CHECK (language IN ('fr', 'en')),
                        postal_address TEXT,
                        updated_at TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v11 order lifecycle and group limits") { db in
            // Orders follow their lifecycle. An invoice may name the order it bills (order_id; no
            // foreign key: most orders of an ERP were never checked here); pending_order keeps what
            // those invoices bill so far (invoiced_cents, maintained by every import), and a
            // reservation counts in the exposure for the rest only. pending_order is rebuilt, the
            // one way SQLite changes a CHECK: it gains the held and rejected statuses (a referred
            // order reserved waits for the credit manager; accepted_on is NULL until it is a
            // reservation) and who asked for it, when. Each step of an order (reserved, held,
            // released, rejected, invoiced, cancelled) is kept with author, day and reason in
            // order_event; no foreign key to pending_order, as for dispute_event. A group of
            // customers (customer.customer_group) may share a limit: group_limit, one row per group.
            try db.execute(
                sql: """
                    ALTER TABLE invoice ADD COLUMN order_id TEXT;
                    CREATE INDEX invoice_order ON invoice(order_id) WHERE order_id IS NOT NULL;
                    CREATE TABLE pending_order_v11 (
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
                    INSERT INTO pending_order_v11
                        (id, customer_id, amount_cents, invoiced_cents, accepted_on, status, requested_on, requested_by, requested_at)
                        SELECT id, customer_id, amount_cents, 0, accepted_on, status, accepted_on, 'unknown', '' FROM pending_order;
                    DROP TABLE pending_order;
                    ALTER TABLE pending_order_v11 RENAME TO pending_order;
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
                    """)
        }
        migrator.registerMigration("v12 limit requests and reviews") { db in
            // Limits set by people under approval authority. A limit request waits (pending) until
            // someone else decides it once (approved: the override it became is linked; rejected);
            // who, which role, when, why and under which authorities file stay on the row. Every
            // override records the authorities it was checked against (NULL: set before they
            // existed, or a grade alone) and, for an approval, its request; the day its coming
            // expiry was alerted keeps that alert to one per override. A review keeps its decision,
            // the grade and limit it saw, the limit it set, the next review by risk class and the
            // policy's version; review_due_alert keeps the due alert to one per customer and cycle
            // (cycle 0: before the first review, else the last review's id).
            try db.execute(
                sql: """
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
                    ALTER TABLE credit_override ADD COLUMN authority_version TEXT;
                    ALTER TABLE credit_override ADD COLUMN limit_request_id INTEGER REFERENCES limit_request(id);
                    ALTER TABLE credit_override ADD COLUMN expiry_alerted_on TEXT;
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
                    CREATE INDEX alert_kind_customer ON alert(kind, customer_id, as_of);
                    """)
        }
        migrator.registerMigration("v13 reports") { db in
            try registerReports(db)
        }
        migrator.registerMigration("v14 customer standing and sales reps") { db in
            // Who holds each account (customers.csv sales_rep), and each customer's standing:
            // its latest assessment without the detail, kept by a trigger on every assessment
            // stored, so the customer list filters and sorts 100k customers without looking for
            // each one's latest assessment. An assessment also keeps the overdue part of the
            // balance on its day (the aged balance past due); older ones get it from their detail.
            try db.execute(
                sql: """
                    ALTER TABLE customer ADD COLUMN sales_rep TEXT;
                    CREATE INDEX customer_sales_rep ON customer(sales_rep) WHERE sales_rep IS NOT NULL;
                    ALTER TABLE assessment ADD COLUMN overdue_cents INTEGER NOT NULL DEFAULT 0;
                    UPDATE assessment SET overdue_cents = COALESCE(CAST(ROUND(100 * (
                        COALESCE(json_extract(detail, '$.paymentProfile.agedBalance.days1to30'), 0)
                        + COALESCE(json_extract(detail, '$.paymentProfile.agedBalance.days31to60'), 0)
                        + COALESCE(json_extract(detail, '$.paymentProfile.agedBalance.days61to90'), 0)
                        + COALESCE(json_extract(detail, '$.paymentProfile.agedBalance.over90'), 0))) AS INTEGER), 0)
                    WHERE json_valid(detail);
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
                    ) WITHOUT ROWID;
                    INSERT INTO customer_standing
                        SELECT a.customer_id, a.id, a.as_of, a.grade, a.pd, a.score, a.suggested_limit_cents, a.exposure_cents,
                               a.overdue_cents
                        FROM assessment a
                        WHERE a.id = (SELECT b.id FROM assessment b WHERE b.customer_id = a.customer_id
                                      ORDER BY b.as_of DESC, b.id DESC LIMIT 1);
                    -- The latest assessment wins: a later as-of day, or the same day assessed again.
                    CREATE TRIGGER assessment_standing AFTER INSERT ON assessment BEGIN
                        INSERT INTO customer_standing (customer_id, assessment_id, as_of, grade, pd, score, suggested_limit_cents,
                                                       exposure_cents, overdue_cents)
                        VALUES (NEW.customer_id, NEW.id, NEW.as_of, NEW.grade, NEW.pd, NEW.score, NEW.suggested_limit_cents,
                                NEW.exposure_cents, NEW.overdue_cents)
                        ON CONFLICT (customer_id) DO UPDATE SET
                            assessment_id = excluded.assessment_id, as_of = excluded.as_of, grade = excluded.grade, pd = excluded.pd,
                            score = excluded.score, suggested_limit_cents = excluded.suggested_limit_cents,
                            exposure_cents = excluded.exposure_cents, overdue_cents = excluded.overdue_cents
                        WHERE excluded.as_of >= customer_standing.as_of;
                    END;
                    """)
        }
        migrator.registerMigration("v15 alert lifecycle") { db in
            // An alert is about a condition (`condition`, "" when a customer has one of its kind
            // at most) and lives while it lasts: open, acknowledged (by whom, when, with what
            // note), closed (the day its condition ended). At most one alert per customer, kind
            // and condition is not closed, so a re-scoring never repeats one. A NULL customer is
            // an alert about the whole portfolio (stale data). Rebuilt to let customer_id be NULL;
            // the alerts raised so far are kept as open.
            try db.execute(
                sql: """
                    CREATE TABLE alert_v15 (
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
                    INSERT INTO alert_v15 (id, customer_id, kind, detail, as_of, created_at, condition)
                        SELECT id, customer_id, kind, detail, as_of, created_at, detail FROM alert ORDER BY id;
                    -- The repeats earlier re-scorings raised are closed on the day of the later one.
                    UPDATE alert_v15 SET status = 'closed', closed_on = as_of
                        WHERE id NOT IN (SELECT MAX(id) FROM alert_v15 GROUP BY customer_id, kind, condition);
                    DROP TABLE alert;
                    ALTER TABLE alert_v15 RENAME TO alert;
                    CREATE INDEX alert_created ON alert(created_at);
                    CREATE INDEX alert_customer ON alert(customer_id, id);
                    CREATE UNIQUE INDEX alert_unclosed ON alert(IFNULL(customer_id, ''), kind, condition) WHERE status <> 'closed';
                    CREATE INDEX alert_status ON alert(status, id);
                    CREATE INDEX alert_kind_customer ON alert(kind, customer_id, as_of);
                    """)
        }
        migrator.registerMigration("v16 customer name key and order steps by customer") { db in
            // Each customer's name in the form searches and sorts compare (`CustomerDirectory.searchKey`),
            // written with the name, so that listing customers folds no name per request. Filled
            // here for the customers already stored.
            try db.execute(sql: "ALTER TABLE customer ADD COLUMN name_key TEXT NOT NULL DEFAULT ''")
            // And each customer's order steps, for its timeline.
            try db.execute(sql: "CREATE INDEX order_event_customer ON order_event(customer_id, id)")
            let names = try Row.fetchAll(db, sql: "SELECT id, name FROM customer")
            let update = try db.makeStatement(sql: "UPDATE customer SET name_key = ? WHERE id = ?")
            for row in names {
                let name: String = try row.decode(forColumn: "name")
                let id: String = try row.decode(forColumn: "id")
                try update.execute(arguments: [CustomerDirectory.searchKey(name), id])
            }
        }
        migrator.registerMigration("v17 dashboard") { db in
            // What the dashboard reads for 100k customers without a seek per customer: each
            // standing keeps the day of the customer's first assessment (the periodic review of a
            // customer never reviewed falls due one interval after it), kept by the standing's
            // trigger, recreated to set it; the grade mix counts the standings by grade from a
            // covering index, and the open alerts by status and kind from another.
            try db.execute(
                sql: """
                    ALTER TABLE customer_standing ADD COLUMN first_as_of TEXT;
                    UPDATE customer_standing SET first_as_of = (
                        SELECT MIN(a.as_of) FROM assessment a WHERE a.customer_id = customer_standing.customer_id);
                    DROP TRIGGER assessment_standing;
                    CREATE TRIGGER assessment_standing AFTER INSERT ON assessment BEGIN
                        INSERT INTO customer_standing (customer_id, assessment_id, as_of, grade, pd, score, suggested_limit_cents,
                                                       exposure_cents, overdue_cents, first_as_of)
                        VALUES (NEW.customer_id, NEW.id, NEW.as_of, NEW.grade, NEW.pd, NEW.score, NEW.suggested_limit_cents,
                                NEW.exposure_cents, NEW.overdue_cents, NEW.as_of)
                        ON CONFLICT (customer_id) DO UPDATE SET
                            assessment_id = excluded.assessment_id, as_of = excluded.as_of, grade = excluded.grade, pd = excluded.pd,
                            score = excluded.score, suggested_limit_cents = excluded.suggested_limit_cents,
                            exposure_cents = excluded.exposure_cents, overdue_cents = excluded.overdue_cents
                        WHERE excluded.as_of >= customer_standing.as_of;
                        -- An assessment as of an earlier day than any before it (a run over the past).
                        UPDATE customer_standing SET first_as_of = NEW.as_of
                        WHERE customer_id = NEW.customer_id AND (first_as_of IS NULL OR NEW.as_of < first_as_of);
                    END;
                    CREATE INDEX customer_standing_grade ON customer_standing(grade, exposure_cents);
                    CREATE INDEX alert_status_kind ON alert(status, kind, customer_id);
                    """)
        }
        migrator.registerMigration("v18 assessment fingerprint") { db in
            // A daily run stores an assessment only when its decision or evidence changed: each
            // new one keeps a fingerprint of its verdict (`Assessment.verdict`), and an unchanged
            // one only moves its customer's standing to the day that confirmed it. Older rows have
            // none, so the first run after this migration stores every customer once more.
            // New details are stored deflated (a BLOB); older ones stay JSON text.
            try db.execute(sql: "ALTER TABLE assessment ADD COLUMN fingerprint BLOB")
        }
        migrator.registerMigration("v19 grades as of a day") { db in
            // The portfolio indicators' grade mix as of a day, for 100k customers in milliseconds:
            // each standing keeps the day of the assessment in force (`assessed_on`; its `as_of`
            // moves on with every run that confirms it), so a customer whose assessment in force
            // was made on or before the day is read from the standing alone; the others (a past
            // day) seek their latest assessment by then in a covering index that holds the grade
            // and the exposure, without reading the assessment's row.
            try db.execute(
                sql: """
                    ALTER TABLE customer_standing ADD COLUMN assessed_on TEXT;
                    UPDATE customer_standing SET assessed_on = (SELECT a.as_of FROM assessment a WHERE a.id = customer_standing.assessment_id);
                    DROP TRIGGER assessment_standing;
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
                    """)
        }
        migrator.registerMigration("v20 ledger totals by group, sector and sales rep") { db in
            // The daily totals of v13 once more for each scope of a customer (its group, sector
            // and sales rep: `customer_scope`), so that a group's, sector's or rep's indicators
            // add up from a few thousand rows as the whole portfolio's do. The same triggers keep
            // them; a customer moved to another scope (a newer customers.csv) is listed in
            // `ledger_scope_stale` until the next import rebuilds them, and meanwhile its scopes'
            // indicators come from a walk of their ledgers.
            try db.execute(
                sql: """
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
                    """)
            try db.execute(sql: LedgerTotalsSQL.scoped.triggers(prefix: "ledger_scope"))
            try LedgerDayTotals().rebuild(db)
        }
        migrator.registerMigration("v21 grade mix by day") { db in
            // The portfolio's grade mix as of any day from a few hundred rows: each assessment
            // enters its grade (a customer, its exposure) on its day and takes the assessment in
            // force before it out on that day; one made over the past also changes, on the day
            // of the customer's next assessment, what that one replaced. The mix as of a day is
            // the sum of the changes by then (`KPIQueries.gradeShares`). Assessments are only
            // ever added, so the trigger on insert keeps it exact. Exposures add up with `+`,
            // which SQLite turns into a REAL rather than fail on rows beyond the input bounds.
            try db.execute(
                sql: """
                    CREATE TABLE grade_mix_change (
                        day TEXT NOT NULL,
                        grade TEXT NOT NULL,
                        customers INTEGER NOT NULL DEFAULT 0,
                        exposure_cents INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (day, grade)
                    ) WITHOUT ROWID;
                    INSERT INTO grade_mix_change (day, grade, customers, exposure_cents)
                        SELECT day, grade, TOTAL(customers), TOTAL(exposure_cents) FROM (
                            SELECT as_of AS day, grade, 1 AS customers, exposure_cents FROM assessment
                            UNION ALL
                            SELECT day, previous_grade, -1, -previous_exposure FROM (
                                SELECT as_of AS day, LAG(grade) OVER byDay AS previous_grade, LAG(exposure_cents) OVER byDay AS previous_exposure
                                FROM assessment WINDOW byDay AS (PARTITION BY customer_id ORDER BY as_of, id))
                            WHERE previous_grade IS NOT NULL)
                        GROUP BY day, grade;
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
                    """)
        }
        migrator.registerMigration("v22 receipts by due date") { db in
            // What was received by a day on invoices due before its ageing cutoffs, as the
            // complement of what was received by then on invoices due from the earliest cutoff
            // on (`LedgerDayTotals.paid(_:by:dueBefore:days:scope:)`): a few months of due dates
            // read through this index instead of every receipt since the ledger began. A group's,
            // sector's or sales rep's receipts are a part of the table already (its key starts
            // with the scope): they need none.
            try db.execute(sql: "CREATE INDEX ledger_receipt_due_by_due ON ledger_receipt_due (due_date, paid_on, cents)")
        }
        migrator.registerMigration("v23 payments settle their invoice only when they can") { db in
            // The daily totals' settlement of an invoice, worked out anew at each payment from all
            // of the invoice's payments, only when the payment can move it: merging many partial
            // payments of one invoice cost the square of their number.
            try db.execute(sql: LedgerTotalsSQL.whole.guardedPaymentInsert(prefix: "ledger_day"))
            try db.execute(sql: LedgerTotalsSQL.scoped.guardedPaymentInsert(prefix: "ledger_scope"))
        }
        migrator.registerMigration("v24 the previous year's length") { db in
            // INPI states the previous year's length apart (`duree_exercice_n-1`): a first year of
            // 18 months against a second of 12 is no fall in sales. NULL: not stated.
            try db.execute(sql: "ALTER TABLE statement_prior_year ADD COLUMN period_months INTEGER")
        }
        return migrator
    }
}

extension CreditDatabase {
    /// v13: what the credit team's reports read without walking the whole ledger.
    ///
    /// - `ledger_day`: the whole ledger's movements per day (sales, invoices falling due,
    ///   receipts, invoices fully paid and their delays) and `ledger_receipt_due`: payments on
    ///   invoices by the day paid and the invoice's due date. The portfolio's indicators as of
    ///   any day add up from them (`KPITrend.Month`), so a 12-month trend reads a few thousand
    ///   rows instead of two million. Triggers keep them exact on every write to `invoice` and
    ///   `payment`; a bulk load sets the triggers aside with the indexes and rebuilds both
    ///   tables once at its end (`LedgerDayTotals.rebuild`).
    /// - `assessment.payment_delay_days` and `thin_file`: the payment profile's signed
    ///   amount-weighted days beyond terms and thin-file flag, which the cash forecast reads for
    ///   every customer (they are also in `detail`, read from there for the assessments before).
    /// - Covering indexes for the late payers (open balances by customer) and the grade changes
    ///   and forecast (each customer's latest assessment as of a day, without reading `detail`).
    ///
    /// The SQL is written out here: a released migration never changes with the code.
    static func registerReports(_ db: Database) throws {
        try db.execute(
            sql: """
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
                ALTER TABLE assessment ADD COLUMN payment_delay_days REAL;
                ALTER TABLE assessment ADD COLUMN thin_file INTEGER;
                UPDATE assessment SET
                    payment_delay_days = json_extract(detail, '$.paymentProfile.signedAverageDaysBeyondTerms'),
                    thin_file = json_extract(detail, '$.paymentProfile.isThinFile')
                WHERE json_valid(detail);
                CREATE INDEX assessment_latest ON assessment(
                    customer_id, as_of, id, grade, pd, suggested_limit_cents, payment_delay_days, thin_file);
                CREATE INDEX invoice_open_balance ON invoice(customer_id, due_date, open_cents) WHERE open_cents <> 0;
                """)

        try db.execute(sql: LedgerTotalsSQL.whole.triggers(prefix: "ledger_day"))
        try LedgerDayTotals().rebuild(db)
    }
}
