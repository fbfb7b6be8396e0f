#!/usr/bin/env python3
"""Mutation fuzzing of creditrisk's file inputs: ledger CSV exports and statement XML.

No input file may crash the process. Each iteration takes a small fixture, applies one or a few
mutations, and runs the import on a fresh database; when the import is accepted it also runs the
commands that read what was stored (score, explain, summary, kpis, worklist, reports...), since
stored rows that crash a later command are defects too.

  ledger:     copies a small ledger export (Fixtures/ledger/french, .../international or a slice
              of Fixtures/demo), mutates values (numbers and dates at the limits, huge or negative
              terms, ids, long and hostile text), rows (duplicates, dangling references, overpaid
              or early payments, credit notes, many payments on one invoice), columns (swapped,
              missing, extra, duplicated), files (header only, missing) and bytes (flips,
              truncation, NUL, BOM, invalid UTF-8, quotes, line ends), then runs
              `creditrisk import ledger --db <fresh db> <folder>`.
  statements: mutates INPI "bilans saisis" and XBRL instances (values at the limits, decimals
              and scale attributes, absurd or reversed periods, duplicated or conflicting facts,
              unit mismatches, deep nesting, DTDs and entities, namespaces, encodings, bytes) and
              runs `creditrisk import statements --db <copy of a db holding the demo ledger> ...`,
              and `creditrisk apply --statement FILE`.

A crash is a death by signal (returncode < 0 or >= 128) or "Fatal error" on stderr; a hang is a
command still running after --timeout seconds. A clean refusal (exit 1..127 with a message) is
correct behaviour. Every crashing or hanging input is kept in <workdir>/crashes/<n>/ with the
command lines, stdout, stderr and a repro.sh. The last line printed is

  fuzz-files: runs=<n> crashes=<n> hangs=<n> refused=<n> accepted=<n>

Usage: scripts/fuzz_files.py [--iterations 300] [--seed 1] [--jobs 1] [--mode both|ledger|statements]
                             [--binary .build/debug/creditrisk] [--workdir /tmp/fuzzwork] [--timeout 60]
Run from anywhere; the binary runs with cwd = the repository (it reads Models/ there).
Standard library only.
"""

import argparse
import csv
import datetime
import io
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import struct
import warnings
import zipfile
from concurrent.futures import ThreadPoolExecutor

warnings.filterwarnings("ignore", category=UserWarning, module="zipfile")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(REPO, "Fixtures")
TODAY = datetime.datetime.now(datetime.timezone.utc).date()


def iso(d):
    return "%04d-%02d-%02d" % (d.year, d.month, d.day)


def shift_years(d, years):
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


# --------------------------------------------------------------------------------------------
# Value pools
# --------------------------------------------------------------------------------------------

AMOUNTS_HOSTILE = [
    "9223372036854775807", "-9223372036854775808", "9223372036854775808", "92233720368547758.07",
    "-92233720368547758.08", "92233720368547758.08", "1e308", "1e400", "-1e400", "-0", "-0.00", "+0",
    "NaN", "nan", "inf", "-inf", "Infinity", "0.000000001", "99999999999999999999.99",
    "1000000000000.01", "-1000000000000.01", "10000000000000000.00", "1.123456789", "12.500",
    "12.5000000000000000000000000", "1,234.56", "1.234,56", "1 234 567,89", "1\u00a0234,56",
    "1\u202f234,56", "4.000", "12,500", "1,2,3", "1..2", "1.,2", ",5", ".5", "5.", "5,",
    "00000000000000000000000000001.00", "+5", "--5", "5-", "- 5", "1e3", "0x10", "\u0661\u0662\u0663",
    "\uff11\uff12\uff13", " 12.34 ", "", "\u20ac12", "12 EUR", "12%", "(12.00)", "1_000", "1'000.00",
    "1 2 3", "123,456,789.12", "123.456.789,12", "1.234.567", "1,234,567", "0.005", "0.015", "-0.001",
    "9" * 40, "1" + "0" * 17 + ".00", "-" + "9" * 19, "0" * 5000 + "1",
]
AMOUNTS_EDGE = [
    "1000000000000.00", "-1000000000000.00", "999999999999.99", "-999999999999.99", "0.01", "-0.01",
    "0.00", "0", "1", "1000000000000", "999999999999,99", "1 000 000 000 000,00", "12.50", "12,50",
    "-250,00", "5000000000000.00",
]
HUGE_DIGITS = ["9223372036854775807", "-9223372036854775808", "9223372036854775808",
               "18446744073709551616", "99999999999999999999", "-99999999999999999999"]


def date_pools():
    t = TODAY
    hostile = [
        "0001-01-01", "9999-12-31", "1900-02-29", "2024-02-30", "2023-02-29", "0000-01-01",
        "10000-01-01", "1989-12-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-1",
        "2026-01-01T00:00:00", "20260101", "-2026-01-01", "2026/01/01", "31/12/9999",
        "01/01/0001", "29/02/1900", "00/00/0000", "31/02/2026", "32/01/2026", "1/1/2026",
        "\uff12\uff10\uff12\uff16-01-01", "", "yesterday", "2026-01-01 ", " 2026-01-01",
        "2026-01-01\u00a0", "9999-99-99", "2026-02-29", iso(shift_years(t, 100)),
        iso(shift_years(t, 5) + datetime.timedelta(days=1)), iso(t + datetime.timedelta(days=1)),
        "+2026-01-01", "2026\u201001\u201001",
    ]
    edge = [
        "1990-01-01", "01/01/1990", iso(t), iso(t - datetime.timedelta(days=1)),
        iso(shift_years(t, 5)), iso(shift_years(t, 5) - datetime.timedelta(days=1)), "2024-02-29",
        "29/02/2024", "2000-02-29", "1990-01-02", "2026-12-31", "1999-12-31",
    ]
    return hostile, edge


DATES_HOSTILE, DATES_EDGE = date_pools()
INTS_HOSTILE = ["-1", "367", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                "1e3", "30.5", "+30", "\u0663\u0660", "", "99999999999999999999", " 30", "30 ", "0x1e",
                "\uff13\uff10", "-0", "2147483648", "4294967296"]
INTS_EDGE = ["0", "366", "365", "1", "030", "000000000000000000000366"]
RATES_HOSTILE = ["1.0000000001", "100,0000001%", "-0.0000001", "NaN", "nan%", "inf", "1e308%", "%",
                 "1e400", "-1e-400", "101%", "2", "-1%", "0,5 %", "\u221e", "1/2", ""]
RATES_EDGE = ["0", "1", "100%", "0%", "-0", "-0%", "1e-400", "0.000000001", "5e-324", "1,1%",
              "0.9999999999", "1e-9%", "0.0000000005", "99.99999999%"]
NUMS_HOSTILE = ["365.0000001", "-60.0000001", "730.1", "1e308", "nan", "inf", "-inf", "1e400", "",
                "12 days", "1,2,3", "0x10", "-61", "366", "731"]
NUMS_EDGE = ["-60", "365", "0", "730", "-0", "0.000000001", "1e-320", "4,5", "-59.9999999999",
             "364.99999999999", "5e-324", "-5e-324"]
IDS_HOSTILE = ["A" * 65, "C001 ", "\u00a0C001", "C\u200b001", "C001\ufeff", "../../etc/passwd", "-C001",
               ".C", "\u00e7", "C001;", 'C"001', "C\n001", "C\x00", "\U0001d402001", "C 001", "C/001",
               "", "\u3000C001\u3000", "C\t001", "C\u00ad001", "C\u2028001", "x" * 1000]
IDS_EDGE = ["A" * 64, "0", "Z", "C-001", "C_001", "C.001", "9" * 64, "a.b-c_d"]
TEXT_HOSTILE = ["", "x" * 501, "a\x00b", "\ufeffname", "a\u200bb", "\u202eevil", "a\r\nb", "x" * 70000,
                "\x1b[31mred", "a\u2028b", "\ufffd", "\x7f"]
TEXT_EDGE = ["x" * 500, "<script>alert(1)</script>", "'; DROP TABLE customers;--", "\u540d\u524d",
             "\u00c9quipements \u00ab L\u00e9fevre \u00bb", "a|b|c", "%s%n%x", "{{name}}", "\\", "\U0001f4a9"]
FLAGS = ["1", "0", "true", "false", "yes", "oui", "non", "2", "-1", "", "TRUE", "vrai", " 1"]
COUNTRIES = ["FR", "fr", "F", "FRA", "\u00c9T", "  ", "Fr", "XX", "", "1A", "\u0131t"]
CURRENCIES = ["EUR", "eur", "USD", "", "EU", "\u20ac", "EUR ", "\u0131EUR", "Eur", "EURO"]
KINDS = ["price", "Duplicate billing", "duplicate-billing", "prix", "", "PRICE", " other ",
         "invoicing_error", "quality", "missing purchase order", "x" * 1000, "price\u200b"]
LANGS = ["fr", "en", "de", "", "FR", "f"]
EMAILS = ["a@b.c", "@", "a@@b", "x" * 250 + "@b.c", "a b@c.d", "\u00e9@x.fr", ""]
BIG_TEXT = None  # built lazily: a 1 MB field


def pools_for(column):
    c = column.lower().strip()
    if c in ("amount", "limit"):
        return AMOUNTS_HOSTILE, AMOUNTS_EDGE
    if c.endswith("_date") or c.endswith("_on"):
        return DATES_HOSTILE, DATES_EDGE
    if c == "terms_days":
        return INTS_HOSTILE, INTS_EDGE
    if c == "annual_failure_rate":
        return RATES_HOSTILE, RATES_EDGE
    if c.startswith("avg_"):
        return NUMS_HOSTILE, NUMS_EDGE
    if c.endswith("_id") or c == "sector_code":
        return IDS_HOSTILE, IDS_EDGE
    if c == "strategic" or c == "defaulted":
        return FLAGS, FLAGS[:4]
    if c == "country":
        return COUNTRIES, COUNTRIES[:2]
    if c == "currency":
        return CURRENCIES, CURRENCIES[:2]
    if c == "kind":
        return KINDS, KINDS[:4]
    if c == "language":
        return LANGS, LANGS[:2]
    if c == "contact_email":
        return EMAILS, EMAILS[:1]
    return TEXT_HOSTILE, TEXT_EDGE


ALL_HOSTILE = (AMOUNTS_HOSTILE + DATES_HOSTILE + INTS_HOSTILE + RATES_HOSTILE + NUMS_HOSTILE + IDS_HOSTILE
               + TEXT_HOSTILE)

# --------------------------------------------------------------------------------------------
# Ledger model: {file name: Table}
# --------------------------------------------------------------------------------------------


class Table:
    def __init__(self, header, rows, delim=",", bom=False, eol="\n"):
        self.header = header
        self.rows = rows
        self.delim = delim
        self.bom = bom
        self.eol = eol
        self.quote_all = False
        self.raw_suffix = ""  # text appended after serialisation (extra lines)

    def copy(self):
        t = Table(list(self.header), [list(r) for r in self.rows], self.delim, self.bom, self.eol)
        t.quote_all = self.quote_all
        t.raw_suffix = self.raw_suffix
        return t

    def col(self, name):
        try:
            return self.header.index(name)
        except ValueError:
            return None

    def serialise(self):
        out = io.StringIO()
        w = csv.writer(out, delimiter=self.delim, lineterminator=self.eol,
                       quoting=csv.QUOTE_ALL if self.quote_all else csv.QUOTE_MINIMAL)
        w.writerow(self.header)
        for r in self.rows:
            w.writerow(r)
        text = out.getvalue() + self.raw_suffix
        data = text.encode("utf-8", "surrogatepass")
        return (b"\xef\xbb\xbf" if self.bom else b"") + data


def read_table(path):
    raw = open(path, "rb").read()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8") if bom else raw.decode("utf-8")
    first = text.splitlines()[0] if text else ""
    delim = ";" if first.count(";") > first.count(",") else ","
    if first.count("\t") > max(first.count(";"), first.count(",")):
        delim = "\t"
    eol = "\r\n" if "\r\n" in text else "\n"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    rows = [r for r in rows if r]
    return Table(rows[0], rows[1:], delim, bom, eol)


LEDGER_FILES = ["customers.csv", "invoices.csv", "payments.csv", "disputes.csv", "sectors.csv"]


def load_folder(folder):
    tables = {}
    for name in LEDGER_FILES:
        p = os.path.join(folder, name)
        if os.path.exists(p):
            tables[name] = read_table(p)
    return tables


def demo_slice(count, rng):
    """A slice of the demo ledger: `count` customers and everything that refers to them."""
    demo = load_folder(os.path.join(FIX, "demo"))
    customers = demo["customers.csv"]
    picked = rng.sample(customers.rows, min(count, len(customers.rows)))
    ids = {r[0] for r in picked}
    inv = demo["invoices.csv"]
    ci = inv.col("customer_id")
    inv_rows = [r for r in inv.rows if r[ci] in ids]
    inv_ids = {r[0] for r in inv_rows}
    pay = demo["payments.csv"]
    pay_rows = [r for r in pay.rows if r[pay.col("invoice_id")] in inv_ids]
    dis = demo["disputes.csv"]
    dis_rows = [r for r in dis.rows if r[dis.col("invoice_id")] in inv_ids]
    out = {
        "customers.csv": Table(customers.header, picked, customers.delim, customers.bom, customers.eol),
        "invoices.csv": Table(inv.header, inv_rows, inv.delim, inv.bom, inv.eol),
        "payments.csv": Table(pay.header, pay_rows, pay.delim, pay.bom, pay.eol),
        "disputes.csv": Table(dis.header, dis_rows, dis.delim, dis.bom, dis.eol),
        "sectors.csv": demo["sectors.csv"].copy(),
    }
    return out


_SEED_CACHE = {}


def ledger_seed(rng):
    r = rng.random()
    if r < 0.30:
        key = "french"
    elif r < 0.50:
        key = "international"
    elif r < 0.97:
        return "demo-slice", demo_slice(rng.choice([3, 5, 8, 12]), rng)
    else:
        key = "demo"
    if key not in _SEED_CACHE:
        folder = os.path.join(FIX, "demo") if key == "demo" else os.path.join(FIX, "ledger", key)
        _SEED_CACHE[key] = load_folder(folder)
    return key, {k: v.copy() for k, v in _SEED_CACHE[key].items()}


def big_text():
    global BIG_TEXT
    if BIG_TEXT is None:
        BIG_TEXT = "x" * (1 << 20)
    return BIG_TEXT


def new_id(rng, prefix):
    return "%s%d" % (prefix, rng.randrange(10 ** 6, 10 ** 7))


def any_row(tables, name, rng):
    t = tables.get(name)
    if not t or not t.rows:
        return None, None
    return t, rng.choice(t.rows)


def set_cell(t, row, column, value):
    i = t.col(column)
    if i is None:
        return False
    while len(row) <= i:
        row.append("")
    row[i] = value
    return True


def m_field(tables, rng, edge_bias):
    """One field of one row set to a value at or beyond the limits of its column."""
    name = rng.choice(sorted(tables))
    t = tables[name]
    if not t.rows or not t.header:
        return "field: %s has no rows" % name
    row = rng.choice(t.rows)
    i = rng.randrange(len(t.header))
    column = t.header[i]
    hostile, edge = pools_for(column)
    r = rng.random()
    if r < edge_bias:
        value = rng.choice(edge)
    elif r < 0.9:
        value = rng.choice(hostile)
    else:
        value = rng.choice(ALL_HOSTILE)
    set_field(row, i, value)
    return "field %s[%s] = %r" % (name, column, value[:60])


def set_field(row, i, value):
    """Sets field i of a row, padding a short row with empty fields."""
    while len(row) <= i:
        row.append("")
    row[i] = value


def m_column_all_rows(tables, rng, edge_bias):
    """One column of a file set to one limit value in every row (makes the edge reach scoring)."""
    name = rng.choice(sorted(tables))
    t = tables[name]
    if not t.rows or not t.header:
        return "column: %s has no rows" % name
    i = rng.randrange(len(t.header))
    column = t.header[i]
    hostile, edge = pools_for(column)
    value = rng.choice(edge if rng.random() < edge_bias else hostile)
    for row in t.rows:
        set_field(row, i, value)
    return "column %s[%s] all = %r" % (name, column, value[:60])


def m_duplicate_row(tables, rng, _):
    name = rng.choice(sorted(tables))
    t = tables[name]
    if not t.rows:
        return "dup: %s empty" % name
    row = rng.choice(t.rows)
    t.rows.insert(rng.randrange(len(t.rows) + 1), list(row))
    return "duplicate row in %s" % name


def m_delete_row(tables, rng, _):
    name = rng.choice(sorted(tables))
    t = tables[name]
    if not t.rows:
        return "del: %s empty" % name
    t.rows.pop(rng.randrange(len(t.rows)))
    return "delete a row of %s" % name


def m_header_only(tables, rng, _):
    name = rng.choice(sorted(tables))
    tables[name].rows = []
    return "header only: %s" % name


def m_drop_file(tables, rng, _):
    name = rng.choice(sorted(tables))
    del tables[name]
    return "drop file %s" % name


def m_drop_column(tables, rng, _):
    name = rng.choice(sorted(tables))
    t = tables[name]
    if not t.header:
        return "drop column: none"
    i = rng.randrange(len(t.header))
    col = t.header.pop(i)
    for r in t.rows:
        if len(r) > i:
            r.pop(i)
    return "drop column %s[%s]" % (name, col)


def m_extra_column(tables, rng, _):
    name = rng.choice(sorted(tables))
    t = tables[name]
    col = rng.choice(["extra", "", t.header[0] if t.header else "x", "AMOUNT", "amount ", " customer_id",
                      "order_id", "owner", "amount", "sales_rep", "contact_email", "postal_address", "x" * 70000])
    t.header.append(col)
    for r in t.rows:
        r.append(rng.choice(["", "1", "x", "C001", "1000000000000.00", "a\nb"]))
    return "extra column %s[%r]" % (name, col[:40])


def m_swap_columns(tables, rng, _):
    name = rng.choice(sorted(tables))
    t = tables[name]
    if len(t.header) < 2:
        return "swap: too few"
    i, j = rng.sample(range(len(t.header)), 2)
    if rng.random() < 0.5:
        t.header[i], t.header[j] = t.header[j], t.header[i]
        return "swap header names %s[%s<->%s]" % (name, t.header[i], t.header[j])
    for r in t.rows:
        if len(r) > max(i, j):
            r[i], r[j] = r[j], r[i]
    return "swap values %s[%s<->%s]" % (name, t.header[i], t.header[j])


def m_misalign(tables, rng, _):
    name = rng.choice(sorted(tables))
    t = tables[name]
    if not t.rows:
        return "misalign: empty"
    r = rng.choice(t.rows)
    if rng.random() < 0.5 and r:
        r.pop()
        return "row with a missing field in %s" % name
    r.extend([""] * rng.randint(1, 3))
    return "row with extra fields in %s" % name


def m_long_field(tables, rng, _):
    name = rng.choice(sorted(tables))
    t = tables[name]
    if not t.rows or not t.header:
        return "long: empty"
    r = rng.choice(t.rows)
    i = rng.randrange(len(t.header))
    n = rng.choice([65535, 65536, 65537, 1 << 20])
    value = big_text()[:n] if n < (1 << 20) else big_text()
    if rng.random() < 0.3:
        value = "1" * n  # a million-digit number
    while len(r) <= i:
        r.append("")
    r[i] = value
    return "long field %s[%s] %d bytes" % (name, t.header[i], n)


def m_format(tables, rng, _):
    name = rng.choice(sorted(tables))
    t = tables[name]
    choice = rng.randrange(6)
    if choice == 0:
        t.delim = rng.choice([",", ";", "\t", "|"])
        return "delimiter of %s = %r" % (name, t.delim)
    if choice == 1:
        t.eol = rng.choice(["\n", "\r\n", "\r"])
        return "line end of %s = %r" % (name, t.eol)
    if choice == 2:
        t.bom = not t.bom
        return "toggle BOM of %s" % name
    if choice == 3:
        t.quote_all = True
        return "quote all fields of %s" % name
    if choice == 4:
        t.raw_suffix = rng.choice(["\n\n\n", t.eol * 50, ";;;;;;\n", '"', '"\n', "\x00", "\r", " \n"])
        return "suffix after %s: %r" % (name, t.raw_suffix[:10])
    t.header = [h.upper() if rng.random() < 0.5 else " " + h + " " for h in t.header]
    return "header case/spaces in %s" % name


def ids_of(tables, name, column):
    t = tables.get(name)
    if not t or t.col(column) is None:
        return []
    i = t.col(column)
    return [r[i] for r in t.rows if len(r) > i]


def append_row(tables, name, values):
    t = tables.get(name)
    if t is None:
        return False
    row = [""] * len(t.header)
    for k, v in values.items():
        i = t.col(k)
        if i is not None:
            row[i] = v
    t.rows.append(row)
    return True


def fmt_amount(t, cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    text = "%d%s%02d" % (cents // 100, "," if t.delim == ";" else ".", cents % 100)
    return sign + text


def fmt_date(t, d):
    return d.strftime("%d/%m/%Y") if t.delim == ";" else iso(d)


def rand_past(rng, lo_year=1990):
    start = datetime.date(lo_year, 1, 1)
    span = (TODAY - start).days
    return start + datetime.timedelta(days=rng.randrange(max(1, span + 1)))


def issue_of(tables, invoice_id):
    t = tables.get("invoices.csv")
    if not t or t.col("issue_date") is None:
        return None
    i, k = t.col("invoice_id"), t.col("issue_date")
    for r in t.rows:
        if len(r) > max(i, k) and r[i] == invoice_id:
            return parse_day(r[k])[0]
    return None


def between(rng, lo, hi):
    if lo is None or lo > hi:
        return hi
    return lo + datetime.timedelta(days=rng.randrange((hi - lo).days + 1))


def m_semantic(tables, rng, edge_bias):
    """Rows that are individually plausible but combine badly: they reach scoring when accepted."""
    inv = tables.get("invoices.csv")
    pay = tables.get("payments.csv")
    cust = tables.get("customers.csv")
    dis = tables.get("disputes.csv")
    customers = ids_of(tables, "customers.csv", "customer_id")
    invoices = ids_of(tables, "invoices.csv", "invoice_id")
    kind = rng.randrange(14)
    if kind == 0 and inv and customers:
        # invoices at the largest amount accepted, several of them
        n = rng.choice([1, 2, 10, 100])
        c = rng.choice(customers)
        for _k in range(n):
            issue = rand_past(rng, 1990)
            due = issue + datetime.timedelta(days=rng.choice([0, 30, 366, 1826]))
            if due > shift_years(TODAY, 5):
                due = shift_years(TODAY, 5)
            append_row(tables, "invoices.csv", {
                "invoice_id": new_id(rng, "FZ"), "customer_id": c, "issue_date": fmt_date(inv, issue),
                "due_date": fmt_date(inv, due), "amount": fmt_amount(inv, rng.choice([100000000000000, -100000000000000, 99999999999999])),
                "currency": "EUR"})
        return "%d max-amount invoices for %s" % (n, c)
    if kind == 1 and pay and invoices:
        # a payment larger than its invoice
        i = rng.choice(invoices)
        if edge_bias >= 1.0:  # the exact open amount, or the invoice amount again
            return "overpay skipped in edge-valid mode"
        append_row(tables, "payments.csv", {"payment_id": new_id(rng, "PZ"), "invoice_id": i,
                                            "paid_on": fmt_date(pay, TODAY), "amount": fmt_amount(pay, rng.choice([100000000000000, 10 ** 10, 1]))})
        return "payment maybe beyond invoice %s" % i
    if kind == 2 and pay and invoices:
        # many payments on one invoice
        i = rng.choice(invoices)
        n = rng.choice([50, 500, 3000, 6000])
        lo = issue_of(tables, i) if edge_bias >= 1.0 else datetime.date(2020, 1, 1)
        for _k in range(n):
            append_row(tables, "payments.csv", {"payment_id": new_id(rng, "PM") + "-%d" % _k, "invoice_id": i,
                                                "paid_on": fmt_date(pay, between(rng, lo, TODAY)), "amount": fmt_amount(pay, rng.choice([1, -1, 2, 1]))})
        return "%d tiny payments on %s" % (n, i)
    if kind == 3 and pay and invoices:
        # payment before the invoice / on 1990-01-01
        i = rng.choice(invoices)
        day = issue_of(tables, i) if edge_bias >= 1.0 else datetime.date(1990, 1, 1)
        day = day or datetime.date(1990, 1, 1)
        append_row(tables, "payments.csv", {"payment_id": new_id(rng, "PE"), "invoice_id": i,
                                            "paid_on": fmt_date(pay, day), "amount": fmt_amount(pay, rng.choice([1, -1, 100]))})
        return "payment on %s for %s" % (day, i)
    if kind == 4 and inv and customers:
        # credit note (negative) and its refund payment, or negative payment
        c = rng.choice(customers)
        fid = new_id(rng, "CN")
        d = rand_past(rng, 2000)
        append_row(tables, "invoices.csv", {"invoice_id": fid, "customer_id": c, "issue_date": fmt_date(inv, d),
                                            "due_date": fmt_date(inv, d), "amount": fmt_amount(inv, -rng.choice([1, 25000, 100000000000000])), "currency": "EUR"})
        if pay:
            append_row(tables, "payments.csv", {"payment_id": new_id(rng, "PR"), "invoice_id": fid,
                                                "paid_on": fmt_date(pay, min(TODAY, d + datetime.timedelta(days=10))),
                                                "amount": fmt_amount(pay, rng.choice([-1, -25000, 1, -100000000000000]))})
        return "credit note %s for %s" % (fid, c)
    if kind == 5 and inv and edge_bias < 1.0:
        # references to missing customers / invoices
        append_row(tables, "invoices.csv", {"invoice_id": new_id(rng, "FX"), "customer_id": "NOPE-1",
                                            "issue_date": fmt_date(inv, TODAY), "due_date": fmt_date(inv, TODAY),
                                            "amount": "1", "currency": "EUR"})
        if pay:
            append_row(tables, "payments.csv", {"payment_id": new_id(rng, "PX"), "invoice_id": "NOPE-F",
                                                "paid_on": fmt_date(pay, TODAY), "amount": "1"})
        return "dangling references"
    if kind == 6 and inv and customers:
        # due date 100 years (or 5 years) after issue, issue in 1990
        c = rng.choice(customers)
        issue = datetime.date(1990, 1, 1)
        due = rng.choice([datetime.date(2090, 1, 1), shift_years(TODAY, 5), TODAY])
        append_row(tables, "invoices.csv", {"invoice_id": new_id(rng, "FL"), "customer_id": c,
                                            "issue_date": fmt_date(inv, issue), "due_date": fmt_date(inv, due),
                                            "amount": fmt_amount(inv, rng.choice([1, 100000000000000])), "currency": "EUR"})
        return "long-term invoice for %s due %s" % (c, due)
    if kind == 7 and dis and invoices:
        # disputes at the limits: amount bigger than invoice, resolved before opened, 1990
        i = rng.choice(invoices)
        opened = rng.choice([datetime.date(1990, 1, 1), TODAY, rand_past(rng, 2015)])
        resolved = rng.choice(["", fmt_date(dis, TODAY), fmt_date(dis, datetime.date(1990, 1, 1))])
        vals = {"invoice_id": i, "kind": rng.choice(KINDS[:4]), "opened_on": fmt_date(dis, opened),
                "resolved_on": resolved}
        if dis.col("amount") is None and rng.random() < 0.5:
            dis.header.append("amount")
            for r in dis.rows:
                r.append("")
        if dis.col("amount") is not None:
            vals["amount"] = rng.choice(["", "0.01", "100000000000000", "1000000000000.00", "-1"])
        append_row(tables, "disputes.csv", vals)
        return "dispute on %s opened %s" % (i, opened)
    if kind == 8 and cust:
        # terms at the bounds for every customer
        v = rng.choice(["0", "366", "365", "1"])
        for r in cust.rows:
            set_cell(cust, r, "terms_days", v)
        return "all terms_days = %s" % v
    if kind == 9 and "sectors.csv" in tables:
        s = tables["sectors.csv"]
        v = {"annual_failure_rate": rng.choice(RATES_EDGE), "avg_days_beyond_terms": rng.choice(NUMS_EDGE),
             "avg_dso_days": rng.choice(["0", "730", "0.000000001", "-0"])}
        col = rng.choice(sorted(v))
        for r in s.rows:
            set_cell(s, r, col, v[col])
        return "all sectors %s = %s" % (col, v[col])
    if kind == 10:
        # groups.csv with limits at the limits
        groups = sorted({g for g in ids_of(tables, "customers.csv", "group") if g}) or ["Groupe Z"]
        if cust and cust.col("group") is not None and not any(ids_of(tables, "customers.csv", "group")):
            set_cell(cust, cust.rows[0], "group", "Groupe Z")
        t = Table(["group", "limit", "currency"], [], rng.choice([",", ";"]))
        for g in groups:
            if edge_bias >= 1.0:
                t.rows.append([g, rng.choice([a for a in AMOUNTS_EDGE if not a.startswith("-")]), rng.choice(["EUR", ""])])
            else:
                t.rows.append([g, rng.choice(AMOUNTS_EDGE + AMOUNTS_HOSTILE[:12]), rng.choice(["EUR", "", "USD"])])
        tables["groups.csv"] = t
        return "groups.csv with %d groups" % len(groups)
    if kind == 11 and inv and customers:
        # every invoice of the file due the same extreme day / issued on 1990-01-01
        d = rng.choice([datetime.date(1990, 1, 1), shift_years(TODAY, 5), TODAY])
        col = rng.choice(["issue_date", "due_date"])
        for r in inv.rows:
            set_cell(inv, r, col, fmt_date(inv, d))
            if edge_bias >= 1.0:  # keep issue <= due, and payments after the issue
                set_cell(inv, r, "issue_date" if col == "due_date" else "due_date", fmt_date(inv, d))
        if edge_bias >= 1.0 and pay and d > datetime.date(1990, 1, 1):
            for r in pay.rows:
                set_cell(pay, r, "paid_on", fmt_date(pay, min(TODAY, d)))
        return "all invoices %s = %s" % (col, d)
    if kind == 12 and inv and pay and customers:
        # a single customer's ledger paid exactly on 1990 dates and today: long spans
        c = rng.choice(customers)
        fid = new_id(rng, "FS")
        append_row(tables, "invoices.csv", {"invoice_id": fid, "customer_id": c, "issue_date": fmt_date(inv, datetime.date(1990, 1, 1)),
                                            "due_date": fmt_date(inv, datetime.date(1990, 1, 1)), "amount": fmt_amount(inv, 100000000000000), "currency": "EUR"})
        append_row(tables, "payments.csv", {"payment_id": new_id(rng, "PS"), "invoice_id": fid,
                                            "paid_on": fmt_date(pay, TODAY), "amount": fmt_amount(pay, 100000000000000)})
        return "invoice of 1990 paid today in full for %s" % c
    if kind == 13 and cust:
        # customers with no invoices at all, strategic, odd countries/sectors
        append_row(tables, "customers.csv", {"customer_id": new_id(rng, "CZ"), "name": "Zed", "sector_code": rng.choice(["00.00Z", "41.20A", "x"]),
                                             "country": rng.choice(["FR", "GB", "US"]), "terms_days": rng.choice(["0", "366"]),
                                             "strategic": "1", "group": rng.choice(["", "Groupe Z"])})
        return "customer without ledger"
    return "semantic no-op"


def m_ids_collide(tables, rng, _):
    """The same id in two roles: a payment id equal to an invoice id, an invoice to itself..."""
    inv = tables.get("invoices.csv")
    if not inv or not inv.rows:
        return "collide: none"
    r = rng.choice(inv.rows)
    other = rng.choice(inv.rows)
    set_cell(inv, r, "invoice_id", other[0])
    return "invoice id collision %s" % other[0]


def parse_day(text):
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date(int(text[:4]), int(text[5:7]), int(text[8:10])), "iso"
        if re.fullmatch(r"\d{2}/\d{2}/\d{4}", text):
            return datetime.date(int(text[6:10]), int(text[3:5]), int(text[:2])), "fr"
    except ValueError:
        return None, None
    return None, None


def write_day(d, style):
    return d.strftime("%d/%m/%Y") if style == "fr" else iso(d)


DATE_COLUMNS = {"invoices.csv": ["issue_date", "due_date"], "payments.csv": ["paid_on"],
                "disputes.csv": ["opened_on", "resolved_on"]}
HAPPENED = {("payments.csv", "paid_on"), ("disputes.csv", "opened_on"), ("disputes.csv", "resolved_on")}


def m_shift_dates(tables, rng, _):
    """Moves the whole ledger in time, keeping it consistent: its first day on 1990-01-01, or its
    last payment today, or its last due date five years ahead."""
    cells = []
    for name, cols in DATE_COLUMNS.items():
        t = tables.get(name)
        if not t:
            continue
        for c in cols:
            i = t.col(c)
            if i is None:
                continue
            for r in t.rows:
                if len(r) > i:
                    d, style = parse_day(r[i])
                    if d:
                        cells.append((name, c, r, i, d, style))
    if not cells:
        return "shift: no dates"
    earliest = min(x[4] for x in cells)
    happened = [x[4] for x in cells if (x[0], x[1]) in HAPPENED] or [earliest]
    scheduled = max(x[4] for x in cells)
    latest_future = shift_years(TODAY, 5)
    choices = [datetime.date(1990, 1, 1) - earliest, TODAY - max(happened), latest_future - scheduled]
    offset = rng.choice(choices)
    # keep what happened on or before today and everything from 1990 on
    offset = min(offset, TODAY - max(happened), latest_future - scheduled)
    offset = max(offset, datetime.date(1990, 1, 1) - earliest)
    for name, c, r, i, d, style in cells:
        r[i] = write_day(d + offset, style)
    return "shift all dates by %d days" % offset.days


def parse_cents(text):
    t = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if not t:
        return None
    neg = t.startswith("-")
    t = t.lstrip("+-")
    last = max(t.rfind(","), t.rfind("."))
    if last >= 0 and len(t) - last - 1 in (1, 2):
        whole, frac = t[:last], t[last + 1:]
    else:
        whole, frac = t, ""
    whole = whole.replace(",", "").replace(".", "")
    if not whole.isdigit() or (frac and not frac.isdigit()):
        return None
    cents = int(whole) * 100 + int((frac + "00")[:2])
    return -cents if neg else cents


def m_scale_amounts(tables, rng, _):
    """Every amount of the ledger times a factor, within the bounds (1e12 each, 1e16 in all)."""
    cells = []
    for name, col in (("invoices.csv", "amount"), ("payments.csv", "amount"), ("disputes.csv", "amount")):
        t = tables.get(name)
        if not t or t.col(col) is None:
            continue
        i = t.col(col)
        for r in t.rows:
            if len(r) > i:
                c = parse_cents(r[i])
                if c is not None:
                    cells.append((t, r, i, c))
    if not cells:
        return "scale: no amounts"
    biggest = max(abs(c) for _, _, _, c in cells) or 1
    total = sum(abs(c) for _, _, _, c in cells) or 1
    limit = min(10 ** 14 // biggest, 10 ** 18 // total)
    factor = rng.choice([10, 1000, 10 ** 6, limit, limit, max(1, limit // 2)])
    factor = max(1, min(factor, limit)) if rng.random() < 0.85 else factor * rng.choice([1, 10])
    for t, r, i, c in cells:
        r[i] = fmt_amount(t, c * factor)
    return "scale all amounts x%d" % factor


def m_field_edge(tables, rng, _):
    return m_field(tables, rng, 1.0)


VALID_MUTATORS = [(m_semantic, 45), (m_field_edge, 20), (m_shift_dates, 15), (m_scale_amounts, 15),
                  (m_duplicate_row, 2), (m_format, 3)]


LEDGER_MUTATORS = [
    (m_field, 30), (m_column_all_rows, 8), (m_duplicate_row, 5), (m_delete_row, 4), (m_header_only, 2),
    (m_drop_file, 2), (m_drop_column, 4), (m_extra_column, 4), (m_swap_columns, 4), (m_misalign, 3),
    (m_long_field, 2), (m_format, 6), (m_semantic, 25), (m_ids_collide, 2),
]


def weighted(rng, items):
    total = sum(w for _, w in items)
    x = rng.uniform(0, total)
    for item, w in items:
        x -= w
        if x <= 0:
            return item
    return items[-1][0]


# Byte-level mutations of a serialised file ------------------------------------------------------

BYTE_SNIPPETS = [b"\x00", b"\xef\xbb\xbf", b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xc0\xaf", b"\xed\xa0\x80",
                 b"\xf4\x90\x80\x80", b"\xe2\x80", b'"', b'""', b'"\n"', b"\r", b"\n", b"\r\n", b";", b",",
                 b"\t", b"\\", b"\x1a", b"\xe2\x80\x8b", b"\xc2\xa0", b"\x7f"]


def mutate_bytes(data, rng, binary_ok=True):
    if not data:
        return data, "bytes: empty"
    kind = rng.randrange(8)
    data = bytearray(data)
    pos = rng.randrange(len(data) + 1)
    if kind == 0:
        n = rng.randint(1, 8)
        for _ in range(n):
            p = rng.randrange(len(data))
            data[p] ^= 1 << rng.randrange(8)
        return bytes(data), "flip %d bits" % n
    if kind == 1:
        return bytes(data[:pos]), "truncate at %d" % pos
    if kind == 2:
        s = rng.choice(BYTE_SNIPPETS)
        data[pos:pos] = s
        return bytes(data), "insert %r at %d" % (s, pos)
    if kind == 3:
        end = min(len(data), pos + rng.randint(1, 40))
        del data[pos:end]
        return bytes(data), "delete %d..%d" % (pos, end)
    if kind == 4:
        text = bytes(data)
        choice = rng.randrange(3)
        if choice == 0:
            return text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"), "LF->CRLF"
        if choice == 1:
            return text.replace(b"\r\n", b"\n").replace(b"\n", b"\r"), "LF->CR"
        return text.replace(b"\r\n", b"\n"), "CRLF->LF"
    if kind == 5:
        p = rng.randrange(len(data))
        data[p] = rng.randrange(256)
        return bytes(data), "random byte at %d" % p
    if kind == 6:
        # duplicate a slice (joined exports)
        end = min(len(data), pos + rng.randint(1, 200))
        data[end:end] = data[pos:end]
        return bytes(data), "duplicate slice %d..%d" % (pos, end)
    s = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    data[pos:pos] = s
    return bytes(data), "insert %d random bytes at %d" % (len(s), pos)


# --------------------------------------------------------------------------------------------
# Statements
# --------------------------------------------------------------------------------------------

def demo_registry():
    """SIREN or registration id -> customer id, from the demo ledger."""
    t = read_table(os.path.join(FIX, "demo", "customers.csv"))
    ri, ci = t.col("registration_id"), t.col("customer_id")
    return {r[ri]: r[ci] for r in t.rows if r[ri]}


REGISTRY = None


def statement_seed_files():
    demo = sorted(os.path.join(FIX, "demo", "statements", f) for f in os.listdir(os.path.join(FIX, "demo", "statements")))
    inpi = sorted(os.path.join(FIX, "statements", "inpi", f) for f in os.listdir(os.path.join(FIX, "statements", "inpi")))
    xbrl = sorted(os.path.join(FIX, "statements", "xbrl", f) for f in os.listdir(os.path.join(FIX, "statements", "xbrl")))
    hostile = sorted(os.path.join(FIX, "statements", "hostile", f) for f in os.listdir(os.path.join(FIX, "statements", "hostile")))
    real_inpi = sorted(os.path.join(FIX, "real-filings", "inpi", f) for f in os.listdir(os.path.join(FIX, "real-filings", "inpi"))
                       if f.endswith(".xml"))
    real_small = [os.path.join(FIX, "real-filings", "other-gaap", "dk-erst-38072781-2017-offentliggorelse.xml"),
                  os.path.join(FIX, "real-filings", "sec-2009", "nflx-20100930.xml"),
                  os.path.join(FIX, "real-filings", "sec-2009", "bgllc-20090905.xml")]
    real_large = sorted(os.path.join(FIX, "real-filings", "us-gaap", f) for f in os.listdir(os.path.join(FIX, "real-filings", "us-gaap")))
    return {"demo": demo, "inpi": inpi, "xbrl": xbrl, "hostile": hostile, "real_inpi": real_inpi,
            "real_small": real_small, "real_large": real_large}


SEEDS = None
XML_VALUES = [
    "9223372036854775807", "-9223372036854775808", "9223372036854775808", "92233720368547758.07",
    "92233720368547758.075", "-92233720368547758.08", "1e308", "1E400", "-1e400", "-0", "+0", "NaN", "INF",
    "-INF", "0.000000001", "99999999999999999999.99", "999999999999999999", "-999999999999999999",
    "1000000000000000000", "0000000000000000000000000001", "1.5e3", " 12 ", "12 345", "1,234",
    "", "\u0661\u0662", "0x1F", "1..2", ".5", "5.", "-", "+", "--1", "1" * 400, "0." + "9" * 400,
    "0.005", "0.015", "-0.005", "184467440737095516.16", "92233720368547758.0749",
]
DECIMALS_VALUES = ["INF", "-2147483649", "2147483648", "-9223372036854775808", "-9223372036854775807",
                   "-9223372036854775806", "9223372036854775807", "99999999999999999999", "-99999999999999999999",
                   "0", "-3", "2", "18", "19", "-18", "-19", "-20", " -3 ", "abc", "", "inf", "-0", "+2", "1e3"]
XBRL_DATES = ["0001-01-01", "9999-12-31", "1900-02-29", "2024-02-30", "0000-01-01", "10000-01-01",
              "2023-12-31T00:00:00", "2024-01-01T00:00:00", "2023-12-31T23:59:59Z", "2023-12-31+02:00",
              "1990-01-01", iso(TODAY), iso(shift_years(TODAY, 5)), "2023-13-01", "2023-12-32", "", "20231231",
              "-2023-12-31", "2023-12-31 ", "9999-12-31T00:00:00", "0000-01-01T00:00:00"]
INPI_DATES = ["00010101", "99991231", "19000229", "20240230", "00000000", "20240229", "99999999", "2023123",
              "202312310", "19900101", iso(TODAY).replace("-", ""), iso(shift_years(TODAY, 5)).replace("-", ""),
              "", "2023-12-31", "18991231", "00001231", "0000-1-1"]
MONTHS = ["0", "00", "1", "36", "37", "-1", "99", "9223372036854775807", "9223372036854775808", "",
          "12.5", " 12", "0012", "\u0661\u0662", "-9223372036854775808"]


def sub_one(rng, pattern, text, repl, flags=0):
    """Replaces one random match of `pattern` by repl(match)."""
    matches = list(re.finditer(pattern, text, flags))
    if not matches:
        return text, False
    m = rng.choice(matches)
    return text[:m.start()] + repl(m) + text[m.end():], True


def sub_all(pattern, text, repl, flags=0):
    return re.sub(pattern, repl, text, flags=flags)


def x_inpi_amount(text, rng):
    v = rng.choice(XML_VALUES + ["000000000000000", "-000000000000001", "999999999999999999",
                                 "-999999999999999999", "9999999999999999999", "  42  "])
    t, ok = sub_one(rng, r'(m[1-4])="([^"]*)"', text, lambda m: '%s="%s"' % (m.group(1), v))
    return t, "inpi liasse value = %r" % v if ok else "inpi amount: none"


def x_inpi_all_amounts(text, rng):
    v = rng.choice(["999999999999999999", "-999999999999999999", "000000000000000", "1", "-1",
                    "92233720368547758", "100000000000000"])
    col = rng.choice(["m1", "m2", "m3", "m4"])
    t = sub_all(r'(%s)="([^"]*)"' % col, text, lambda m: '%s="%s"' % (m.group(1), v))
    return t, "inpi all %s = %s" % (col, v)


def x_inpi_scale(text, rng):
    """Multiplies one liasse amount by a power of ten (a scale error), keeping the format."""
    def repl(m):
        try:
            n = int(m.group(2))
        except ValueError:
            return m.group(0)
        k = rng.choice([10, 1000, 10 ** 6, 10 ** 9, 0, -1])
        return '%s="%015d"' % (m.group(1), n * k) if n * k >= 0 else '%s="-%015d"' % (m.group(1), -n * k)
    t, ok = sub_one(rng, r'(m[1-4])="([^"]*)"', text, repl)
    return t, "inpi scaled amount"


def x_inpi_identity(text, rng):
    field = rng.choice(["date_cloture_exercice", "date_cloture_exercice_n-1", "duree_exercice_n",
                        "duree_exercice_n-1", "siren", "code_type_bilan", "code_devise", "code_activite",
                        "denomination"])
    if field.startswith("date"):
        v = rng.choice(INPI_DATES)
    elif field.startswith("duree"):
        v = rng.choice(MONTHS)
    elif field == "siren":
        v = rng.choice(["000000000", "999999999", "12345678", "1234567890", "", "ABCDEFGHI",
                        "\u0661" * 9] + list(REGISTRY.keys())[:5])
    elif field == "code_type_bilan":
        v = rng.choice(["C", "S", "K", "A", "B", "", "c", "CS", "\u0421"])
    elif field == "code_devise":
        v = rng.choice(["EUR", "USD", "eur", "EU", "", "FRF", "XXX"])
    elif field == "code_activite":
        v = rng.choice(["", "x" * 10000, "0000Z", "4520A"])
    else:
        v = rng.choice(["", "x" * 100000, "a\x01b", "<![CDATA[x]]>", "   ", "\u202e"])
    pattern = r"<%s>(.*?)</%s>" % (re.escape(field), re.escape(field))
    t, ok = sub_one(rng, pattern, text, lambda m: "<%s>%s</%s>" % (field, v.replace("&", "&amp;").replace("<", "&lt;") if "CDATA" not in v else v, field), re.S)
    if not ok:
        t, ok = sub_one(rng, r"</identite>", text, lambda m: "<%s>%s</%s></identite>" % (field, v, field))
    return t, "inpi %s = %r" % (field, v[:40])


def x_inpi_duplicate_liasse(text, rng):
    matches = list(re.finditer(r"<liasse [^>]*/>", text))
    if not matches:
        return text, "inpi dup: none"
    m = rng.choice(matches)
    dup = m.group(0)
    if rng.random() < 0.5:
        dup = re.sub(r'(m[1-4])="([^"]*)"', lambda x: '%s="%s"' % (x.group(1), rng.choice(["000000000000001", x.group(2)])), dup)
    n = rng.choice([1, 1, 1000])
    return text[:m.end()] + ("\n" + dup) * n + text[m.end():], "inpi duplicated liasse x%d" % n


def x_inpi_delete_liasse(text, rng):
    t, ok = sub_one(rng, r"<liasse [^>]*/>", text, lambda m: "")
    return t, "inpi deleted liasse"


def x_inpi_extra_bilan(text, rng):
    m = re.search(r"<bilan>.*?</bilan>", text, re.S)
    if not m:
        return text, "inpi extra bilan: none"
    b = m.group(0)
    b2 = re.sub(r"<date_cloture_exercice>\d*</date_cloture_exercice>",
                "<date_cloture_exercice>%s</date_cloture_exercice>" % rng.choice(INPI_DATES), b)
    n = rng.choice([1, 2, 200])
    return text[:m.end()] + b2 * n + text[m.end():], "inpi %d extra bilan(s)" % n


def x_inpi_attr_codes(text, rng):
    v = rng.choice(["", "ZZ", "co", "CO ", "x" * 10000, "BJ", "EE"])
    t, ok = sub_one(rng, r'code="([^"]*)"', text, lambda m: 'code="%s"' % v)
    return t, "inpi code = %r" % v[:20]


def x_xbrl_value(text, rng):
    v = rng.choice(XML_VALUES)
    t, ok = sub_one(rng, r'(<[A-Za-z][\w.-]*:[\w.-]+ [^>]*contextRef="[^"]*"[^>]*>)([^<]*)(</)', text,
                    lambda m: m.group(1) + v + m.group(3))
    return t, "xbrl fact value = %r" % v[:40] if ok else "xbrl value: none"


def x_xbrl_all_values(text, rng):
    v = rng.choice(["92233720368547758.07", "-92233720368547758.08", "0", "1", "-1", "999999999999999999",
                    "10000000000000000", "0.001", "-0"])
    t = sub_all(r'(<[A-Za-z][\w.-]*:[\w.-]+ [^>]*unitRef="[^"]*"[^>]*>)([^<]*)(</)', text,
                lambda m: m.group(1) + v + m.group(3))
    return t, "xbrl all monetary facts = %s" % v


def x_xbrl_decimals(text, rng):
    v = rng.choice(DECIMALS_VALUES)
    if rng.random() < 0.5:
        t = sub_all(r'decimals="[^"]*"', text, lambda m: 'decimals="%s"' % v)
        return t, "xbrl all decimals = %r" % v
    t, ok = sub_one(rng, r'decimals="[^"]*"', text, lambda m: 'decimals="%s"' % v)
    return t, "xbrl decimals = %r" % v


def x_xbrl_scale(text, rng):
    v = rng.choice(["3", "6", "-3", "9223372036854775807", "-9223372036854775808", "INF", "x"])
    t, ok = sub_one(rng, r'(contextRef="[^"]*")', text, lambda m: m.group(1) + ' scale="%s" format="ixt:num-dot-decimal"' % v)
    return t, "xbrl scale = %s" % v


def x_xbrl_duplicate_fact(text, rng):
    matches = list(re.finditer(r'<([A-Za-z][\w.-]*:[\w.-]+) [^>]*contextRef="[^"]*"[^>]*>[^<]*</\1>', text))
    if not matches:
        return text, "xbrl dup: none"
    m = rng.choice(matches)
    dup = m.group(0)
    r = rng.random()
    if r < 0.4:
        dup = re.sub(r'decimals="[^"]*"', 'decimals="%s"' % rng.choice(DECIMALS_VALUES), dup)
    elif r < 0.7:
        dup = re.sub(r">([^<]*)<", lambda x: ">%s<" % rng.choice(XML_VALUES[:20]), dup, count=1)
    elif r < 0.85:
        dup = re.sub(r'unitRef="[^"]*"', 'unitRef="%s"' % rng.choice(["shares", "USD", "EUR", "pure", "nope", ""]), dup)
    n = rng.choice([1, 1, 2, 500])
    return text[:m.end()] + ("\n" + dup) * n + text[m.end():], "xbrl duplicated fact x%d" % n


def x_xbrl_context_date(text, rng):
    v = rng.choice(XBRL_DATES)
    tag = rng.choice(["startDate", "endDate", "instant"])
    if rng.random() < 0.3:
        t = sub_all(r"(<[\w]*:?%s>)([^<]*)(</)" % tag, text, lambda m: m.group(1) + v + m.group(3))
        return t, "xbrl all %s = %r" % (tag, v)
    t, ok = sub_one(rng, r"(<[\w]*:?%s>)([^<]*)(</)" % tag, text, lambda m: m.group(1) + v + m.group(3))
    return t, "xbrl %s = %r" % (tag, v)


def x_xbrl_swap_period(text, rng):
    def repl(m):
        return m.group(0).replace(m.group(2), "\0S").replace(m.group(4), m.group(2)).replace("\0S", m.group(4))
    t, ok = sub_one(rng, r"(<[\w]*:?startDate>)([^<]*)(</[\w]*:?startDate>\s*<[\w]*:?endDate>)([^<]*)(<)", text, repl)
    return t, "xbrl period end before start"


def x_xbrl_period_end_date(text, rng):
    v = rng.choice(XBRL_DATES)
    if "DocumentPeriodEndDate" in text:
        t, ok = sub_one(rng, r"(DocumentPeriodEndDate[^>]*>)([^<]*)(<)", text, lambda m: m.group(1) + v + m.group(3))
        return t, "dei:DocumentPeriodEndDate = %r" % v
    return text, "no DocumentPeriodEndDate"


def x_xbrl_unit(text, rng):
    r = rng.randrange(4)
    if r == 0:
        t, ok = sub_one(rng, r"(<[\w]*:?measure>)([^<]*)(</)", text,
                        lambda m: m.group(1) + rng.choice(["iso4217:USD", "xbrli:shares", "iso4217:", "nope:EUR", "iso4217:EUR iso4217:USD", ""]) + m.group(3))
        return t, "xbrl unit measure changed"
    if r == 1:
        t, ok = sub_one(rng, r'unitRef="[^"]*"', text, lambda m: 'unitRef="%s"' % rng.choice(["shares", "missing", "", "U1"]))
        return t, "xbrl unitRef changed"
    if r == 2:
        t = text.replace("iso4217:EUR", "iso4217:USD", 1).replace("iso4217:USD", "iso4217:EUR", 1)
        return t, "xbrl currency swap"
    t, ok = sub_one(rng, r'unitRef="[^"]*"', text, lambda m: "")
    return t, "xbrl unitRef removed"


def x_xbrl_identifier(text, rng):
    v = rng.choice(list(REGISTRY.keys()) + ["", " ", "x" * 10000, "0000000000", "\u0661"])
    t = sub_all(r"(<[\w]*:?identifier[^>]*>)([^<]*)(</)", text, lambda m: m.group(1) + v + m.group(3))
    return t, "xbrl identifier = %r" % v[:30]


def x_xbrl_dimension(text, rng):
    t, ok = sub_one(rng, r"(</[\w]*:?entity>)", text,
                    lambda m: "<xbrli:segment>" + "<x/>" * rng.choice([0, 1]) + "</xbrli:segment>" + m.group(1))
    return t, "xbrl segment added to a context"


def x_xbrl_nil(text, rng):
    t, ok = sub_one(rng, r'(contextRef="[^"]*")', text,
                    lambda m: m.group(1) + ' xsi:nil="%s" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' % rng.choice(["true", "1", "false", "yes"]))
    return t, "xbrl xsi:nil"


def x_xbrl_contextref(text, rng):
    t, ok = sub_one(rng, r'contextRef="[^"]*"', text, lambda m: 'contextRef="%s"' % rng.choice(["", "nope", "c2023 ", "i2023_restated"]))
    return t, "xbrl contextRef changed"


def x_namespace(text, rng):
    pairs = [("http://www.xbrl.org/2003/instance", "http://www.xbrl.org/2003/instance/"),
             ("http://www.xbrl.org/2003/instance", "HTTP://WWW.XBRL.ORG/2003/INSTANCE"),
             ("https://xbrl.ifrs.org/taxonomy/2022-03-24/ifrs-full", "http://xbrl.ifrs.org/taxonomy/2022-03-24/ifrs-full"),
             ("https://xbrl.ifrs.org/taxonomy/2022-03-24/ifrs-full", "https://xbrl.ifrs.org/taxonomy/2099-99-99/ifrs-full"),
             ("https://xbrl.ifrs.org/taxonomy/2022-03-24/ifrs-full", "https://xbrl.ifrs.org/taxonomy/a/b/ifrs-full"),
             ("http://fasb.org/us-gaap/2023", "http://fasb.org/us-gaap/9999"),
             ("http://fasb.org/us-gaap/2023", "http://fasb.org/us-gaap/"),
             ("fr:inpi:odrncs:bilansSaisisXML", "fr:inpi:odrncs:bilansSaisisXML2"),
             ("fr:inpi:odrncs:bilansSaisisXML", ""),
             ('xmlns="fr:inpi:odrncs:bilansSaisisXML"', 'xmlns:b="fr:inpi:odrncs:bilansSaisisXML"'),
             ("http://www.xbrl.org/2003/iso4217", "http://www.xbrl.org/2003/iso4217x")]
    applicable = [p for p in pairs if p[0] in text]
    if not applicable:
        return text, "namespace: none"
    a, b = rng.choice(applicable)
    return text.replace(a, b, 1 if rng.random() < 0.5 else -1), "namespace %r -> %r" % (a[-30:], b[-30:])


def x_prefix_rename(text, rng):
    # same namespace, other prefix: must not matter
    m = re.search(r'xmlns:(\w+)="(http://fasb.org/us-gaap/[^"]*|https?://xbrl.ifrs.org/[^"]*)"', text)
    if not m:
        return text, "prefix: none"
    p = m.group(1)
    q = rng.choice(["zz", "xbrli", "a" * 300])
    t = re.sub(r"(</?)%s:" % re.escape(p), r"\g<1>%s:" % q, text)
    t = t.replace("xmlns:%s=" % p, "xmlns:%s=" % q)
    return t, "prefix %s -> %s" % (p, q[:10])


def x_doctype(text, rng):
    payloads = [
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
        '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
        '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
        '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
        '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
        '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
        '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>',
        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE x SYSTEM "http://127.0.0.1:1/evil.dtd">',
        '<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>',
        '<!DOCTYPE x>',
    ]
    p = rng.choice(payloads)
    m = re.search(r"<\?xml[^>]*\?>", text)
    at = m.end() if m else 0
    t = text[:at] + "\n" + p + "\n" + text[at:]
    if "lol9" in p:
        t, _ = sub_one(rng, r"(<[\w]*:?denomination>)", t, lambda m: m.group(1) + "&lol9;")
    if "xxe" in p:
        t, _ = sub_one(rng, r"(<[\w]*:?denomination>)", t, lambda m: m.group(1) + "&xxe;")
    return t, "DOCTYPE %r" % p[:30]


def x_undeclared_entity(text, rng):
    e = rng.choice(["&nbsp;", "&#0;", "&#x110000;", "&#xFFFE;", "&#65;", "&#x1F4A9;", "&lt;", "&amp", "&#99999999999999999999;", "&#xD800;"])
    t, ok = sub_one(rng, r">([^<\s]+)<", text, lambda m: ">" + m.group(1) + e + "<")
    return t, "entity %s" % e


def x_deep_nesting(text, rng):
    depth = rng.choice([100, 257, 10000, 100000])
    tag = rng.choice(["a", "xbrli:scenario", "page"])
    blob = "<%s>" % tag * depth + "</%s>" % tag * depth
    m = re.search(r"</[\w:]+>\s*$", text)
    at = m.start() if m else len(text)
    return text[:at] + blob + text[at:], "nesting depth %d" % depth


def x_many_elements(text, rng):
    n = rng.choice([10000, 100000])
    m = re.search(r"</[\w:]+>\s*$", text)
    at = m.start() if m else len(text)
    return text[:at] + "<z/>" * n + text[at:], "%d empty elements" % n


def x_encoding(text, rng):
    enc = rng.choice(["UTF-16", "ISO-8859-1", "EBCDIC", "x-unknown", "UTF-32", "US-ASCII", "windows-1252"])
    if re.search(r'encoding="[^"]*"', text[:200]):
        return re.sub(r'encoding="[^"]*"', 'encoding="%s"' % enc, text, count=1), "encoding = %s" % enc
    return '<?xml version="1.0" encoding="%s"?>\n' % enc + text, "encoding = %s" % enc


def x_cdata_comment_pi(text, rng):
    snippet = rng.choice(["<![CDATA[123]]>", "<!-- -->", "<?pi x?>", "<!---->", "<![CDATA[]]]]><![CDATA[>]]>", "\u0085", "\u2028"])
    t, ok = sub_one(rng, r">(-?\d+)<", text, lambda m: ">" + snippet + m.group(1) + "<")
    return t, "inserted %r in a value" % snippet


def x_xml_declaration(text, rng):
    v = rng.choice(['<?xml version="1.1"?>', '<?xml version="2.0"?>', "", '<?xml version="1.0" standalone="maybe"?>', "\ufeff"])
    t = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    return v + t, "xml declaration %r" % v


XML_MUTATORS_INPI = [
    (x_inpi_amount, 25), (x_inpi_all_amounts, 6), (x_inpi_scale, 8), (x_inpi_identity, 22),
    (x_inpi_duplicate_liasse, 8), (x_inpi_delete_liasse, 6), (x_inpi_extra_bilan, 5), (x_inpi_attr_codes, 4),
]
XML_MUTATORS_XBRL = [
    (x_xbrl_value, 20), (x_xbrl_all_values, 5), (x_xbrl_decimals, 14), (x_xbrl_scale, 3), (x_xbrl_duplicate_fact, 14),
    (x_xbrl_context_date, 12), (x_xbrl_swap_period, 5), (x_xbrl_period_end_date, 5), (x_xbrl_unit, 7),
    (x_xbrl_identifier, 10), (x_xbrl_dimension, 3), (x_xbrl_nil, 3), (x_xbrl_contextref, 3), (x_prefix_rename, 3),
]
XML_MUTATORS_ANY = [
    (x_namespace, 5), (x_doctype, 5), (x_undeclared_entity, 4), (x_deep_nesting, 3), (x_many_elements, 1),
    (x_encoding, 3), (x_cdata_comment_pi, 3), (x_xml_declaration, 2),
]


def statement_seed(rng):
    r = rng.random()
    if r < 0.40:
        kind = "demo"
    elif r < 0.52:
        kind = "inpi"
    elif r < 0.77:
        kind = "xbrl"
    elif r < 0.84:
        kind = "hostile"
    elif r < 0.92:
        kind = "real_inpi"
    elif r < 0.985:
        kind = "real_small"
    else:
        kind = "real_large"
    path = rng.choice(SEEDS[kind])
    data = open(path, "rb").read()
    text = data.decode("utf-8", "replace")
    # Make XBRL seeds belong to a demo customer half the time, so that they feed its scoring.
    if kind in ("xbrl", "real_small", "real_large") and rng.random() < 0.6:
        reg = rng.choice([k for k in REGISTRY if k.isdigit() and len(k) == 9] or list(REGISTRY))
        text = re.sub(r"(<[\w]*:?identifier[^>]*>)([^<]*)(</)", lambda m: m.group(1) + reg + m.group(3), text)
    # Move INPI seeds onto a demo customer now and then (the demo ones already are).
    if kind in ("inpi", "real_inpi") and rng.random() < 0.5:
        reg = rng.choice([k for k in REGISTRY if k.isdigit() and len(k) == 9])
        text = re.sub(r"<siren>[^<]*</siren>", "<siren>%s</siren>" % reg, text)
    return kind, os.path.basename(path), text


def mutate_statement(text, kind, rng, notes):
    n = rng.choice([1, 1, 2, 2, 3, 4])
    data = None
    for _ in range(n):
        r = rng.random()
        if r < 0.12:
            continue_bytes = True
        else:
            continue_bytes = False
        if continue_bytes:
            data = (data if data is not None else text.encode("utf-8", "surrogatepass"))
            data, note = mutate_bytes(data, rng)
            notes.append(note)
            continue
        if data is not None:
            text = data.decode("utf-8", "replace")
            data = None
        is_inpi = "bilansSaisis" in text[:2000] or "<bilans" in text[:2000]
        pool = (XML_MUTATORS_INPI if is_inpi else XML_MUTATORS_XBRL) + XML_MUTATORS_ANY
        if rng.random() < 0.15:
            pool = XML_MUTATORS_ANY
        fn = weighted(rng, pool)
        text, note = fn(text, rng)
        notes.append(note)
    if data is None:
        data = text.encode("utf-8", "surrogatepass")
    return data


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------


class Outcome:
    def __init__(self, argv, rc, out, err, seconds, hung):
        self.argv = argv
        self.rc = rc
        self.out = out
        self.err = err
        self.seconds = seconds
        self.hung = hung

    @property
    def crashed(self):
        if self.hung:
            return False
        return self.rc < 0 or self.rc >= 128 or b"Fatal error" in self.err

    @property
    def label(self):
        if self.hung:
            return "hang"
        if self.crashed:
            return "crash"
        return "ok" if self.rc == 0 else "refused(%d)" % self.rc


def run(argv, timeout):
    start = time.time()
    env = dict(os.environ)
    env.setdefault("SWIFT_BACKTRACE", "enable=yes,interactive=no,color=no,sanitize=no")
    p = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        return Outcome(argv, p.returncode, out, err, time.time() - start, False)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
        return Outcome(argv, p.returncode, out, err, time.time() - start, True)


SRC_FRAME_RE = re.compile(r" in creditrisk at (/[\w/+.-]+/Sources/[\w/+.-]+\.swift):(\d+)")
FATAL_RE = re.compile(r"([\w/+.-]+\.swift):(\d+): Fatal error: ([^\n]*)")
RUNTIME_RE = re.compile(r"\*\*\* (Swift runtime failure: [^*]*|Program crashed: [^*]*)\*\*\*")


def signature(outcome):
    """What trapped and where: the runtime's message and the first frame of our sources in the
    crashed thread's backtrace (the Swift backtracer prints it on Linux)."""
    err = outcome.err.decode("utf-8", "replace")
    if outcome.hung:
        return "hang: " + " ".join(a for a in outcome.argv[1:3])
    parts = []
    m = FATAL_RE.search(err)
    r = RUNTIME_RE.search(err)
    if m:
        parts.append("%s:%s Fatal error: %s" % (os.path.basename(m.group(1)), m.group(2), m.group(3)[:80]))
    elif r:
        parts.append(r.group(1).strip()[:100])
    elif "Fatal error" in err:
        parts.append([l for l in err.splitlines() if "Fatal error" in l][0][:120])
    else:
        parts.append("signal %d" % (-outcome.rc if outcome.rc < 0 else outcome.rc - 128))
    crashed = re.search(r"Thread \d+[^\n]* crashed:\n(.*?)(?:\n\nThread |\n\nRegisters|\Z)", err, re.S)
    section = crashed.group(1) if crashed else err
    for fm in SRC_FRAME_RE.finditer(section):
        if "/.build/" in fm.group(1):
            continue
        parts.append("%s:%s" % (fm.group(1).split("/Sources/", 1)[1], fm.group(2)))
        break
    return " @ ".join(parts)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.runs = self.crashes = self.hangs = self.refused = self.accepted = 0
        self.crash_seq = 0
        self.signatures = {}
        self.commands = 0
        self.slowest = (0.0, "")


def save_case(stats, workdir, folder, files_note, steps, bad, notes, kind, repro):
    with stats.lock:
        stats.crash_seq += 1
        n = stats.crash_seq
        while os.path.exists(os.path.join(workdir, "crashes", str(n))):
            n += 1
            stats.crash_seq = n
        dest = os.path.join(workdir, "crashes", str(n))
        os.makedirs(dest)
    shutil.copytree(folder, os.path.join(dest, "input"))
    with open(os.path.join(dest, "command.txt"), "w") as f:
        f.write("cd %s\n" % REPO)
        for o in steps:
            f.write("%s    # %s %.1fs\n" % (" ".join(shlex.quote(a) for a in o.argv), o.label, o.seconds))
    with open(os.path.join(dest, "stderr.txt"), "wb") as f:
        f.write(bad.err)
    with open(os.path.join(dest, "stdout.txt"), "wb") as f:
        f.write(bad.out[-20000:])
    with open(os.path.join(dest, "mutations.txt"), "w") as f:
        f.write("kind: %s\nseed: %s\n" % (kind, files_note))
        for note in notes:
            f.write(note + "\n")
        f.write("signature: %s\n" % signature(bad))
    with open(os.path.join(dest, "repro.sh"), "w") as f:
        f.write("#!/bin/sh\n# Reproduces the %s; run from anywhere.\nset -x\ncd %s\n%s\n" % (bad.label, REPO, repro))
    os.chmod(os.path.join(dest, "repro.sh"), 0o755)
    return dest


def read_commands(binary, db, customer_ids, rng, full, groups=()):
    """The commands that read what an accepted import stored."""
    b = binary
    cmds = [[b, "score", "--db", db]]
    if full or rng.random() < 0.5:
        cmds.append([b, "score", "--db", db, "--as-of", iso(TODAY)])
    if full or rng.random() < 0.25:
        # a day at the edge of what the ledger may hold
        day = rng.choice(["1990-01-01", iso(shift_years(TODAY, 5)), iso(TODAY + datetime.timedelta(days=400))])
        cmds.append([b, "score", "--db", db, "--as-of", day])
        cmds.append([b, "kpis", "--db", db, "--as-of", day])
        cmds.append([b, "summary", "--db", db, "--as-of", day])
        cmds.append([b, "worklist", "--db", db, "--as-of", day, "--all"])
        cmds.append([b, "report", "cash-forecast", "--db", db, "--as-of", day])
    for cid in customer_ids[:3]:
        cmds.append([b, "explain", "--db", db, cid] + (["--json"] if rng.random() < 0.3 else []))
    base = [
        ["summary"], ["kpis"], ["kpis", "--json"], ["worklist", "--all", "--invoices"], ["worklist", "--json", "--all"],
        ["dashboard", "--json"], ["disputes", "--json"], ["customers", "--sort", "risk", "--limit", "50"],
        ["customers", "--overdue", "--over-limit", "--sort", "headroom", "--json"],
        ["report", "late-payers", "--by", "dbt"], ["report", "late-payers", "--csv"],
        ["report", "grade-changes", "--from", "1990-01-01", "--to", iso(TODAY)],
        ["report", "cash-forecast", "--weeks", "52"], ["report", "forecast-backtest", "--json"],
        ["report", "kpi-trend", "--months", "36"], ["reviews", "due", "--json"], ["monitor"], ["alerts", "--json"],
        ["backtest"],
    ]
    if not full:
        base = rng.sample(base, k=min(len(base), 10))
    for c in base:
        cmds.append([b] + c[:2] + ["--db", db] + c[2:] if c[0] in ("report", "reviews") else [b, c[0], "--db", db] + c[1:])
    for cid in customer_ids[:2]:
        cmds.append([b, "customer", "--db", db, cid, "--json"])
        if full or rng.random() < 0.3:
            cmds.append([b, "history", "--db", db, cid])
            cmds.append([b, "timeline", "--db", db, cid])
        if full or rng.random() < 0.3:
            cmds.append([b, "order", "check", "--db", db, "--order-id", "FZ-1", "--amount", rng.choice(["1", "2500", "999999999999.99"]), cid])
    if full or rng.random() < 0.4:
        # reminder letters and e-mails carry the contacts, names and amounts stored
        cmds.append([b, "remind", "--db", db, "--json"])
        cmds.append([b, "outbox", "--db", db, "--json"])
        cmds.append([b, "reviews", "alert", "--db", db])
    for group in groups[:1]:
        cmds.append([b, "group", "show", "--db", db, group, "--json"])
    return cmds


def customer_ids_of(folder):
    p = os.path.join(folder, "customers.csv")
    try:
        t = read_table(p)
    except Exception:
        return []
    i = t.col("customer_id")
    if i is None:
        return []
    return [r[i] for r in t.rows if len(r) > i and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", r[i])]


def column_of(folder, name, column):
    try:
        t = read_table(os.path.join(folder, name))
    except Exception:
        return []
    i = t.col(column)
    return [r[i] for r in t.rows if i is not None and len(r) > i]


def outcomes_table(tables, rng, valid):
    ids = ids_of(tables, "customers.csv", "customer_id") or ["C001"]
    t = Table(["customer_id", "defaulted", "default_date"], [], rng.choice([",", ";"]))
    for cid in ids:
        defaulted = rng.random() < 0.3
        if defaulted:
            day = rng.choice(DATES_EDGE if valid else DATES_EDGE + DATES_HOSTILE)
            t.rows.append([cid, rng.choice(["1", "true", "oui"]), day])
        else:
            t.rows.append([cid, rng.choice(["0", "", "no"]), ""])
    if not valid:
        for _ in range(rng.randint(0, 3)):
            t.rows.append([rng.choice(IDS_HOSTILE + ids), rng.choice(FLAGS), rng.choice(DATES_HOSTILE)])
    return t


def ledger_iteration(it, args, stats):
    rng = random.Random((args.seed << 32) ^ (it * 2654435761))
    seed_name, tables = ledger_seed(rng)
    original = {k: v.copy() for k, v in tables.items()}
    notes = []
    valid = rng.random() < 0.5  # only mutations meant to be accepted: they reach the scoring
    edge_bias = 1.0 if valid else rng.choice([0.2, 0.5, 0.8])
    notes.append("mode: " + ("edge-valid" if valid else "hostile"))
    for _ in range(rng.choice([1, 1, 2, 2, 3, 4, 6])):
        fn = weighted(rng, VALID_MUTATORS if valid else LEDGER_MUTATORS)
        if not tables:
            break
        notes.append(fn(tables, rng, edge_bias))
    tmp = tempfile.mkdtemp(prefix="it%05d-" % it, dir=os.path.join(args.workdir, "tmp"))
    folder = os.path.join(tmp, "ledger")
    os.makedirs(folder)
    blobs = {name: t.serialise() for name, t in tables.items()}
    if blobs and not valid and rng.random() < 0.35:
        for _ in range(rng.choice([1, 1, 2])):
            name = rng.choice(sorted(blobs))
            blobs[name], note = mutate_bytes(blobs[name], rng)
            notes.append("%s: %s" % (name, note))
    for name, data in blobs.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
    # outcomes.csv (for backtest and fit): not a ledger file, the import passes it over
    outcomes = None
    if rng.random() < 0.35:
        ot = outcomes_table(tables, rng, valid)
        notes.append("outcomes.csv with %d rows" % len(ot.rows))
        data = ot.serialise()
        if not valid and rng.random() < 0.3:
            data, note = mutate_bytes(data, rng)
            notes.append("outcomes.csv: " + note)
        outcomes = os.path.join(folder, "outcomes.csv")
        with open(outcomes, "wb") as f:
            f.write(data)
    db = os.path.join(tmp, "ledger.sqlite")
    steps = []
    bad = None
    if rng.random() < args.incremental_share:
        # A newer export over an older one: the rows are merged by id (the update paths and the
        # triggers that keep the daily totals), not bulk-loaded into empty tables.
        first = os.path.join(tmp, "ledger", "first")
        os.makedirs(first)
        for name, t in original.items():
            with open(os.path.join(first, name), "wb") as f:
                f.write(t.serialise())
        notes.append("incremental: the unmutated seed imported first (input/first)")
        o = run([args.binary, "import", "ledger", "--db", db, "--no-rescore", first], args.timeout)
        steps.append(o)
        bad = o if (o.crashed or o.hung) else None
    if bad is None:
        imp = [args.binary, "import", "ledger", "--db", db, folder]
        if rng.random() < 0.2:
            imp.insert(5, "--no-rescore")
        o = run(imp, args.timeout)
        steps.append(o)
        bad = o if (o.crashed or o.hung) else None
    accepted = o.rc == 0 and not bad
    if accepted:
        ids = customer_ids_of(folder)
        rng.shuffle(ids)
        groups = sorted({g for g in column_of(folder, "customers.csv", "group") if g and "\n" not in g})
        cmds = read_commands(args.binary, db, ids, rng, args.full, groups)
        if outcomes:
            day = rng.choice(["2025-10-31", "2026-01-31", "1990-01-01", iso(TODAY)])
            cmds.append([args.binary, "backtest", "--db", db, "--as-of", day, "--outcomes", outcomes])
            if rng.random() < 0.3:
                cmds.append([args.binary, "fit", "--db", db, "--outcomes", outcomes, "--version", "fz", "--snapshots", "6",
                             "--output", os.path.join(tmp, "fit.json")])
        for argv in cmds:
            r = run(argv, args.timeout)
            steps.append(r)
            if r.crashed or r.hung:
                bad = r
                break
            if argv[1] == "outbox" and r.rc == 0:
                for doc in re.findall(rb'"id"\s*:\s*"?([A-Za-z0-9_-]+)', r.out)[:2]:
                    o2 = run([args.binary, "outbox", "--db", db, "--show", doc.decode()], args.timeout)
                    steps.append(o2)
                    if o2.crashed or o2.hung:
                        bad = o2
                        break
                if bad:
                    break
    record(it, args, stats, "ledger", seed_name, folder, steps, bad, notes, accepted,
           repro_ledger(args, folder, steps, bad) if bad else "")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


def repro_ledger(args, folder, steps, bad):
    lines = ["DB=$(mktemp -d)/repro.sqlite", "INPUT=$(dirname \"$(readlink -f \"$0\")\")/input"]
    for o in steps:
        argv = ["$DB" if a.endswith("ledger.sqlite") else a for a in o.argv]
        argv = [a.replace(folder, "$INPUT") for a in argv]
        lines.append(" ".join(('"%s"' % a) if a.startswith("$") else shlex.quote(a) for a in argv))
        if o is bad:
            break
    return "\n".join(lines)


def repro_statements(args, folder, steps, bad):
    lines = ["DB=$(mktemp -d)/repro.sqlite", "INPUT=$(dirname \"$(readlink -f \"$0\")\")/input",
             "%s import ledger --db \"$DB\" %s" % (shlex.quote(args.binary), shlex.quote(os.path.join(FIX, "demo")))]
    for o in steps:
        argv = []
        for a in o.argv:
            if a.endswith("statements.sqlite"):
                argv.append("$DB")
            elif a.startswith(folder):
                argv.append("$INPUT" + a[len(folder):])
            else:
                argv.append(a)
        lines.append(" ".join(('"%s"' % a) if a.startswith("$") else shlex.quote(a) for a in argv))
        if o is bad:
            break
    return "\n".join(lines)


_BASE_LOCK = threading.Lock()


def base_db(args):
    """A database holding the demo ledger (scored), made once per run and copied for each iteration."""
    path = os.path.join(args.workdir, "base", "demo-%d.sqlite" % os.getpid())
    with _BASE_LOCK:
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            o = run([args.binary, "import", "ledger", "--db", path, os.path.join(FIX, "demo")], 300)
            if o.rc != 0:
                sys.exit("cannot build the base database: %s" % o.err.decode("utf-8", "replace"))
            # Checkpoint the WAL into the main file so that a plain copy is whole.
            run([args.binary, "summary", "--db", path], 60)
    return path


def copy_db(src, dst):
    shutil.copyfile(src, dst)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(src + suffix):
            shutil.copyfile(src + suffix, dst + suffix)


ZIP_FIELDS = {
    b"PK\x03\x04": [(4, 2), (6, 2), (8, 2), (14, 4), (18, 4), (22, 4), (26, 2), (28, 2)],
    b"PK\x01\x02": [(8, 2), (10, 2), (16, 4), (20, 4), (24, 4), (28, 2), (30, 2), (32, 2), (34, 2), (38, 4), (42, 4)],
    b"PK\x05\x06": [(4, 2), (6, 2), (8, 2), (10, 2), (12, 4), (16, 4), (20, 2)],
}


def make_zip(docs, rng, notes):
    """The documents as an INPI-style zip archive, maybe with odd entries and broken headers."""
    buf = io.BytesIO()
    method = rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
    with zipfile.ZipFile(buf, "w", compression=method) as z:
        for name, data in docs:
            arc = rng.choice([name, name, "sub/dir/" + name, "../" + name, "/" + name, name[:-4] + ".XML",
                              "\u00e9t\u00e9/" + name, "a" * 300 + ".xml"])
            z.writestr(arc, data)
        extra = rng.random()
        if extra < 0.15:
            z.writestr("empty.xml", b"")
            notes.append("zip: empty entry")
        elif extra < 0.25:
            z.writestr("folder.xml/", b"")
            notes.append("zip: directory entry named .xml")
        elif extra < 0.35:
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w") as zi:
                zi.writestr(docs[0][0], docs[0][1])
            z.writestr("nested.zip", inner.getvalue())
            notes.append("zip: nested zip")
        elif extra < 0.45:
            z.writestr(docs[0][0], docs[0][1])  # the same name twice
            notes.append("zip: duplicate entry name")
    data = bytearray(buf.getvalue())
    notes.append("zip of %d document(s), method %d" % (len(docs), method))
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        r = rng.random()
        if r < 0.6:
            sig = rng.choice(list(ZIP_FIELDS))
            positions = [m.start() for m in re.finditer(re.escape(sig), bytes(data))]
            if not positions:
                continue
            at = rng.choice(positions)
            off, width = rng.choice(ZIP_FIELDS[sig])
            if at + off + width > len(data):
                continue
            top = (1 << (8 * width)) - 1
            old = int.from_bytes(data[at + off:at + off + width], "little")
            value = rng.choice([0, 1, top, top - 1, top // 2, old + 1, max(0, old - 1), old * 2, len(data), rng.randrange(top + 1)]) & top
            data[at + off:at + off + width] = value.to_bytes(width, "little")
            notes.append("zip header %r+%d = %d" % (sig, off, value))
        else:
            mutated, note = mutate_bytes(bytes(data), rng)
            data = bytearray(mutated)
            notes.append("zip bytes: " + note)
    return bytes(data)


def statements_iteration(it, args, stats):
    rng = random.Random((args.seed << 32) ^ (it * 2654435761) ^ 0x5151)
    tmp = tempfile.mkdtemp(prefix="st%05d-" % it, dir=os.path.join(args.workdir, "tmp"))
    folder = os.path.join(tmp, "statements")
    os.makedirs(folder)
    notes = []
    seeds = []
    matched = set()
    docs = []
    for k in range(rng.choice([1, 1, 1, 2, 3])):
        kind, name, text = statement_seed(rng)
        seeds.append("%s/%s" % (kind, name))
        data = mutate_statement(text, kind, rng, notes) if (k == 0 or rng.random() < 0.5) else text.encode("utf-8")
        for reg in re.findall(rb"<siren>(\d{9})</siren>|identifier[^>]*>([^<]{1,40})<", data):
            r = (reg[0] or reg[1]).decode("utf-8", "replace") if isinstance(reg, tuple) else reg.decode()
            if r in REGISTRY:
                matched.add(REGISTRY[r])
        docs.append(("%d-%s" % (k, name), data))
    if rng.random() < args.zip_share:
        with open(os.path.join(folder, "statements.zip"), "wb") as f:
            f.write(make_zip(docs, rng, notes))
    else:
        for name, data in docs:
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
    db = os.path.join(tmp, "statements.sqlite")
    copy_db(base_db(args), db)
    steps = []
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder))
    imp = [args.binary, "import", "statements", "--db", db]
    if rng.random() < 0.3:
        imp.append("--skip-invalid")
    if rng.random() < 0.2:
        imp.append("--no-rescore")
    imp += [folder] if rng.random() < 0.5 else files
    o = run(imp, args.timeout)
    steps.append(o)
    bad = o if (o.crashed or o.hung) else None
    accepted = o.rc == 0 and not bad
    if not bad and rng.random() < 0.35:
        # The account-opening path reads a statement file too.
        a = run([args.binary, "apply", "--db", db, "--name", "Fuzz SAS", "--sector", "25.62B", "--terms", "30",
                 "--statement", files[0], "--requested-limit", "5000", "--json"], args.timeout)
        steps.append(a)
        if a.crashed or a.hung:
            bad = a
    if accepted and not bad:
        ids = sorted(matched)
        rng.shuffle(ids)
        ids = ids + ["C0000001"]
        cmds = [[args.binary, "score", "--db", db]]
        for cid in ids[:3]:
            cmds.append([args.binary, "explain", "--db", db, cid, "--json"])
            cmds.append([args.binary, "customer", "--db", db, cid])
            if rng.random() < 0.3:
                cmds.append([args.binary, "score", "--db", db, "--customer", cid, "--as-of", iso(TODAY)])
        if rng.random() < 0.5:
            cmds.append([args.binary, "customers", "--db", db, "--sort", "risk", "--json"])
            cmds.append([args.binary, "dashboard", "--db", db])
            cmds.append([args.binary, "monitor", "--db", db])
        for argv in cmds:
            r = run(argv, args.timeout)
            steps.append(r)
            if r.crashed or r.hung:
                bad = r
                break
    record(it, args, stats, "statements", ",".join(seeds), folder, steps, bad, notes, accepted,
           repro_statements(args, folder, steps, bad) if bad else "")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


def record(it, args, stats, kind, seed, folder, steps, bad, notes, accepted, repro):
    with stats.lock:
        stats.runs += 1
        stats.commands += len(steps)
        for o in steps:
            if o.seconds > stats.slowest[0]:
                stats.slowest = (o.seconds, "iteration %d: %s" % (it, " ".join(os.path.basename(a) if a.startswith("/") else a for a in o.argv[1:6])))
        if bad is not None and bad.hung:
            stats.hangs += 1
        elif bad is not None:
            stats.crashes += 1
        elif accepted:
            stats.accepted += 1
        else:
            stats.refused += 1
    dest = None
    if bad is not None:
        dest = save_case(stats, args.workdir, folder, seed, steps, bad, notes, kind, repro)
        sig = signature(bad)
        with stats.lock:
            stats.signatures.setdefault(sig, []).append(dest)
    if args.verbose or bad is not None:
        status = bad.label if bad is not None else ("accepted" if accepted else steps[0].label)
        line = "[%5d] %-10s %-9s %s | %s" % (it, kind, status, seed[:50], "; ".join(notes)[:200])
        if args.verbose > 1 and bad is None and not accepted:
            why = [l for l in steps[0].err.decode("utf-8", "replace").splitlines() if l.strip()][1:3]
            line += "\n        why: " + " / ".join(w.strip()[:160] for w in why)
        if dest:
            line += "\n        -> %s  %s  (%s)" % (dest, signature(bad), " ".join(os.path.basename(a) for a in bad.argv[1:3]))
        print(line, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--iterations", "-n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", "-j", type=int, default=1, help="parallel iterations (at most 2 on a 2-core machine)")
    ap.add_argument("--mode", choices=["both", "ledger", "statements"], default="both")
    ap.add_argument("--binary", default=os.environ.get("CREDITRISK_BIN", os.path.join(REPO, ".build/debug/creditrisk")))
    ap.add_argument("--workdir", default="/tmp/fuzzwork")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds before a command counts as hung")
    ap.add_argument("--full", action="store_true", help="run every read command after each accepted import")
    ap.add_argument("--keep", action="store_true", help="keep every iteration's folder and database")
    ap.add_argument("--verbose", "-v", action="count", default=0, help="one line per iteration (-vv: and why a refusal)")
    ap.add_argument("--start", type=int, default=0, help="first iteration number (to resume a seed)")
    ap.add_argument("--incremental-share", type=float, default=0.25,
                    help="share of ledger iterations imported over the unmutated seed (merge by id)")
    ap.add_argument("--zip-share", type=float, default=0.2, help="share of statement iterations packed as a zip archive")
    args = ap.parse_args()
    args.binary = os.path.abspath(args.binary)
    os.makedirs(os.path.join(args.workdir, "crashes"), exist_ok=True)
    os.makedirs(os.path.join(args.workdir, "tmp"), exist_ok=True)
    global REGISTRY, SEEDS
    REGISTRY = demo_registry()
    SEEDS = statement_seed_files()
    stats = Stats()
    started = time.time()

    def one(it):
        mode = args.mode
        if mode == "both":
            mode = "ledger" if random.Random(args.seed * 7919 + it).random() < 0.55 else "statements"
        try:
            if mode == "ledger":
                ledger_iteration(it, args, stats)
            else:
                statements_iteration(it, args, stats)
        except Exception as e:  # a bug of the fuzzer, not of the program: say so and go on
            print("[%5d] fuzzer error: %r" % (it, e), file=sys.stderr, flush=True)

    iterations = range(args.start, args.start + args.iterations)
    if args.jobs <= 1:
        for it in iterations:
            one(it)
    else:
        with ThreadPoolExecutor(max_workers=min(args.jobs, 2)) as pool:
            list(pool.map(one, iterations))
    elapsed = time.time() - started
    if stats.signatures:
        print("distinct crash/hang signatures:")
        for sig, dests in sorted(stats.signatures.items(), key=lambda kv: -len(kv[1])):
            print("  %3d x %s   e.g. %s" % (len(dests), sig, dests[0]))
    print("(%d commands in %.0f s, seed %d; slowest command %.1f s, %s)" % (stats.commands, elapsed, args.seed, stats.slowest[0], stats.slowest[1]))
    print("fuzz-files: runs=%d crashes=%d hangs=%d refused=%d accepted=%d"
          % (stats.runs, stats.crashes, stats.hangs, stats.refused, stats.accepted))
    return 1 if stats.crashes or stats.hangs else 0


if __name__ == "__main__":
    sys.exit(main())
