"""The credit team's web application, end to end, as its users work with it: a creditrisk server on
a fresh demo database, headless chromium with JavaScript off, one line per step. A failed step is
reported with the page's address, what the page shows and a screenshot, and the next steps still run
(each signs in afresh); the exit status is 1 when any failed.

    run.py --binary PATH [--screenshots DIR] [--readme-screenshots DIR]
"""

import argparse
import json
import re
import sys
import time
import traceback
import urllib.request
from pathlib import Path

sys.dont_write_bytecode = True
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

from browser import DESKTOP, PHONE, Browser, FormControls, StepFailure, TableRows  # noqa: E402
from server import Server  # noqa: E402

MANAGER = "demo-credit-manager-key-0001"
SALES = "demo-sales-key-0001"
COLLECTIONS = "demo-collections-key-0001"
MENU_PATHS = {"Dashboard": "/", "Customers": "/customers", "Worklist": "/worklist", "Disputes": "/disputes",
              "Held orders": "/orders/held", "Reviews": "/reviews", "Account opening": "/applications/new",
              "Limit requests": "/limit-requests", "Alerts": "/alerts"}
MENU = list(MENU_PATHS)
# (who, key, the role the header names, the menu they see); the roles' rights are in Role.swift.
ROLES = [
    ("credit manager", MANAGER, "Credit manager", MENU),
    ("credit director", "demo-credit-director-key-0001", "Credit director", MENU),
    ("sales", SALES, "Sales", ["Dashboard", "Customers"]),
    ("sales rep marie", "demo-sales-marie-key-0001", "Sales", ["Dashboard", "Customers"]),
    ("collections", COLLECTIONS, "Collections", ["Dashboard", "Customers", "Worklist", "Disputes", "Alerts"]),
    ("admin", "demo-admin-key-0001", "Administrator", ["Dashboard", "Customers"]),
]
# The pages whose screenshots illustrate the README, at both widths.
README_PAGES = ["dashboard", "customers", "customer", "worklist", "held-orders"]
README_MAX_BYTES = 300 * 1024
INPI_STATEMENT = "Fixtures/real-filings/inpi/PUB_CA_483935326_1303_2013D00195_2015_1048.donnees.xml"


def cents(text: str) -> int | None:
    """An amount as the English pages print it (`-12,345.67`), in cents."""
    match = re.fullmatch(r"(-|−)?([\d,]+)\.(\d\d)", text.strip())
    if not match:
        return None
    value = int(match.group(2).replace(",", "")) * 100 + int(match.group(3))
    return -value if match.group(1) else value


def describe(element) -> str:
    """An element as a user knows it: its label or text, else its tag."""
    ident, text = element.get_attribute("id"), " ".join(element.text.split())
    if element.tag_name in ("body", "html"):
        return "(out of the page)"
    return f"#{ident}" if ident else f"\"{text[:30]}\"" if text else element.tag_name


def amount(value: int) -> str:
    return f"{value // 100}.{value % 100:02d}"


class Skipped(Exception):
    """A step whose page does not exist yet."""


class Suite:
    """The steps, in order; each returns what it saw, in one line. Later steps use what earlier ones
    made: the customer found, the order held, the account opened."""

    def __init__(self, server: Server, browser: Browser, screenshots: Path, readme_screenshots: Path | None):
        self.server = server
        self.browser = browser
        self.screenshots = screenshots
        self.readme_screenshots = readme_screenshots
        self.customer_id = ""       # found by searching
        self.held_order = None      # (order id, customer id)
        self.application_path = ""  # the decision page of an account opening, when that page exists
        self.sources: dict[str, str] = {}  # page name -> HTML, for the labels check
        self.run_id = str(int(time.time()) % 100000)

    def fresh(self) -> Browser:
        self.browser.driver.delete_all_cookies()
        return self.browser

    # MARK: Steps

    def sign_in_with_the_keyboard(self) -> str:
        b = self.fresh()
        b.open("/")
        if not b.path.startswith("/signin"):
            raise StepFailure(f"a visitor without a session was not sent to sign in (at {b.path})")
        arrival = describe(b.driver.switch_to.active_element)
        if arrival != "#key":
            raise StepFailure(f"on arrival the focus is on {arrival}, not in the key field")
        # Once round the page with Tab: every stop in order, back to the key field.
        stops = []
        for _ in range(12):
            ActionChains(b.driver).send_keys(Keys.TAB).perform()
            stops.append(describe(b.driver.switch_to.active_element))
            if stops[-1] == "#key":
                break
        else:
            raise StepFailure(f"Tab does not come back to the key field (focus went: {' → '.join(stops)})")
        b.navigate(ActionChains(b.driver).send_keys(MANAGER).send_keys(Keys.ENTER).perform)
        current = b.text("header nav a[aria-current=page]")
        if b.path != "/" or current != "Dashboard":
            raise StepFailure(f"Enter in the key field did not open the dashboard (at {b.path}, menu at \"{current}\")")
        return f"focus in the key field on arrival; Tab goes #key → {' → '.join(stops)}; typing the key and Enter opens the dashboard"

    def each_role_sees_its_menu(self) -> str:
        seen = []
        # Account opening is in the menu once its page exists (a visitor is sent to sign in, not told 404).
        b = self.fresh()
        menu_items = [item for item in MENU if item != "Account opening" or b.status(MENU_PATHS[item]) != 404]
        for who, key, role_label, expected in ROLES:
            expected = [item for item in expected if item in menu_items]
            b = self.fresh()
            b.sign_in(key)
            who_text = b.text("header .who")
            if role_label not in who_text:
                raise StepFailure(f"{who}: the header says \"{who_text}\", not the role {role_label}")
            menu = b.nav()
            missing = [item for item in expected if item not in menu]
            forbidden = [item for item in menu_items if item not in expected and item in menu]
            if missing or forbidden:
                raise StepFailure(f"{who}: the menu is {menu}; missing {missing}, not theirs {forbidden}")
            for item in expected:
                b.click(next(link for link in b.all("header nav a") if link.text.strip() == item))
                if b.path.split("?")[0] != MENU_PATHS[item] or b.text("h1") == "Something went wrong":
                    raise StepFailure(f"{who}: the menu's {item} does not open its page")
                b.expect_no_error(f"{who}: {item}")
            refused = [item for item in menu_items if item not in expected]
            if refused:
                b.open(MENU_PATHS[refused[0]])
                if "Your role does not allow this." not in b.text("main"):
                    raise StepFailure(f"{who}: {MENU_PATHS[refused[0]]} is not refused")
            if who == "sales rep marie":
                b.open("/customers")
                reps = {row.get("Sales rep", "") for row in TableRows(b.source()).rows}
                if "Your accounts as sales rep marie" not in b.text("main") or reps - {"marie"}:
                    raise StepFailure(f"marie's customer list is not hers alone (reps listed: {sorted(reps)})")
            extra = [item for item in menu if item not in menu_items]
            seen.append(f"{who} {len(menu)}" + (f" (and {', '.join(extra)}, not checked)" if extra else ""))
        return "menu items by role: " + ", ".join(seen) + "; each opens its page, another role's page is refused"

    def search_and_open_a_customer(self) -> str:
        b = self.fresh()
        b.sign_in(MANAGER, "/customers")
        first = b.one("tbody tr td a", "the first customer of the list")
        name, href = first.text.strip(), first.get_attribute("href")
        self.customer_id = href.rsplit("/", 1)[1]
        word = max(re.findall(r"\w{4,}", name) or [name], key=len)
        b.type("#q", word, "the search field")
        b.submit("form[role=search]", "the search form")
        matching = re.search(r"(\d+) customers match", b.text("main"))
        names = [link.text.strip() for link in b.all("tbody tr td a")]
        if "q=" not in b.url or not matching or name not in names:
            raise StepFailure(f"searching \"{word}\" does not list {name} (listed: {names[:5]})")
        b.click(next(link for link in b.all("tbody tr td a") if link.text.strip() == name))
        if b.path != f"/customers/{self.customer_id}" or name not in b.text("h1"):
            raise StepFailure(f"the customer's link does not open their page (heading \"{b.text('h1')}\")")
        for label in ("Limit", "Exposure", "Headroom", "PD (12 months)"):
            if label not in b.text(".figures"):
                raise StepFailure(f"the customer's page shows no {label}")
        if not b.has("form[action$='/override'] #ov-grade"):
            raise StepFailure("the credit manager sees no override form on the customer's page")
        b.open("/customers")
        page_one = [link.text for link in b.all("tbody tr td a")]
        b.click(b.one("a.button[href*='cursor=']", "the Next page link"))
        page_two = [link.text for link in b.all("tbody tr td a")]
        if not page_two or set(page_one) & set(page_two):
            raise StepFailure("the next page does not list other customers")
        return (f"\"{word}\" finds {matching.group(1)}, among them {name} ({self.customer_id}), whose page opens; "
                f"Next page lists {len(page_two)} others")

    def sales_sees_no_override(self) -> str:
        b = self.fresh()
        b.sign_in(SALES)
        b.open(f"/customers/{self.customer_id}")
        if b.has("form[action$='/override']") or b.has("#ov-grade"):
            raise StepFailure("sales sees the override form")
        for form, what in (("order-check", "order check"), ("limit-request", "limit request")):
            if not b.has(f"form[action$='/{form}']"):
                raise StepFailure(f"sales sees no {what} form")
        self.sources["customer (sales)"] = b.source()
        return f"on {self.customer_id} sales has the order check and the limit request, no override"

    def sales_on_a_phone_checks_an_order(self) -> str:
        b = self.fresh()
        b.width((390, 844))
        b.sign_in("demo-sales-marie-key-0001", "/customers?sort=headroom&order=desc")
        rows = TableRows(b.source()).rows
        if not rows or any(row.get("Sales rep", "marie") != "marie" for row in rows):
            raise StepFailure(f"marie's list on a phone is not hers alone ({[row.get('Sales rep') for row in rows][:5]})")
        overflow = b.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]["width"]
        if overflow > 400:
            raise StepFailure(f"the customer list is {overflow:.0f} px wide on a 390 px phone: it scrolls sideways")
        first = b.one("tbody tr td a", "the first of marie's customers")
        customer = first.get_attribute("href").rsplit("/", 1)[1]
        b.click(first)
        b.type("#orderId", "SO-PHONE-1", "the order number field")
        b.type("#amount", "10.00", "the amount field")
        b.submit("form[action$='/order-check']", "the order check form")
        b.expect_no_error("checking an order on a phone")
        verdict = b.text("#check-title")
        if "SO-PHONE-1" not in verdict:
            raise StepFailure(f"the order check's answer does not show on the phone (heading \"{verdict}\")")
        return f"390 px wide: {len(rows)} of marie's accounts, no sideways scroll; on {customer} an order of 10.00 is {verdict.split(':')[-1].strip()}"

    def check_an_order_that_is_held(self) -> str:
        b = self.fresh()
        b.sign_in(SALES, "/customers?sort=headroom&order=desc")
        candidates = []
        for row in TableRows(b.source()).rows:
            headroom, limit = cents(row.get("Headroom", "")), cents(row.get("Limit", ""))
            if row.get("href") and headroom and limit and headroom > 0:
                candidates.append((row["href"].rsplit("/", 1)[1], headroom, limit))
        tried = []
        for index, (customer, headroom, limit) in enumerate(candidates[:8]):
            # Over the headroom by one euro: within the referral tolerance of any limit, so referred.
            order = f"SO-{7001 + index}"
            b.open(f"/customers/{customer}")
            b.type("#orderId", order, "the order number field")
            b.type("#amount", amount(headroom + 100), "the order amount field")
            b.one("#reserve", "the reserve checkbox").click()
            b.submit("form[action$='/order-check']", "the order check form")
            answer = b.text("section[aria-labelledby=check-title]")
            if not answer:
                raise StepFailure(f"checking order {order} shows no answer")
            if "The order is held" in answer:
                self.held_order = (order, customer)
                verdict = b.text("#check-title")
                return f"{verdict} for {amount(headroom + 100)} (headroom {amount(headroom)}) on {customer}: the answer says it is held"
            tried.append(f"{customer}: {b.text('#check-title')}")
        raise StepFailure(f"no order over the headroom was held ({'; '.join(tried) or 'no customer with headroom'})")

    def open_an_account(self) -> str:
        b = self.fresh()
        b.sign_in(MANAGER)
        status = b.status("/applications/new")
        if status == 404:
            raise Skipped("/applications/new answers 404 (not built yet)")
        b.open("/applications/new")
        statement = self.server.root / INPI_STATEMENT
        fields = {"name": f"UCI Vista E2E {self.run_id}", "registrationId": "483935326", "sectorCode": "86.22C",
                  "country": "FR", "termsDays": "30", "requestedLimit": "20000.00"}
        for name, value in fields.items():
            control = b.one(f"form [name={name}]", f"the {name} field")
            if control.tag_name == "select":
                Select(control).select_by_value(value)
            else:
                control.clear()
                control.send_keys(value)
        b.one("form input[type=file][name=statement]", "the statement file field").send_keys(str(statement))
        b.click(b.one("form[enctype='multipart/form-data'] button[type=submit]", "the application form's button"))
        b.expect_no_error("submitting the application")
        if not re.fullmatch(r"/applications/[^/?]+", b.path.split("?")[0]):
            raise StepFailure(f"submitting the application did not open its decision page (at {b.path})")
        if fields["name"] not in b.text("main"):
            raise StepFailure("the decision page does not name the applicant")
        # The statement's fiscal year ends on 2015-12-31 (Fixtures/real-filings/inpi/README.md): the page weighs those accounts.
        if "2015-12-31" not in b.text("main"):
            raise StepFailure("the decision page says nothing of the statement's accounts (to 2015-12-31)")
        for name in ("decision", "customerId", "limit", "reason"):
            if not b.has(f"form [name={name}]"):
                raise StepFailure(f"the decision page has no {name} field")
        self.application_path = b.path.split("?")[0]
        return f"{statement.name} submitted: {self.application_path} weighs its 2015-12-31 accounts, shows the decision form"

    def approve_the_account(self) -> str:
        if not self.application_path:
            raise Skipped("no account opening to decide (its page does not exist yet)")
        b = self.fresh()
        b.sign_in(MANAGER, self.application_path)
        b.choose("form [name=decision]", "approve", "the decision")
        # The new account's number in the ERP: the same id the ledger exports will carry.
        b.type("form [name=customerId]", "C9100001", "the customer id field")
        b.type("form [name=limit]", "5000.00", "the limit field")
        b.type("form [name=reason]", "Known practice; start small", "the reason field")
        b.submit("form[action$='/decision']", "the decision form")
        b.expect_no_error("approving the account as C9100001")
        match = re.fullmatch(r"/customers/([^/?]+)\?done=opened", b.path)
        if not match or not b.text("main .notice.good") or "UCI Vista" not in b.text("h1"):
            raise StepFailure(f"approving did not open the new customer's page with a notice (at {b.path})")
        if "5,000.00" not in b.text(".figures"):
            raise StepFailure(f"the new customer's limit is not the 5,000.00 approved ({b.text('.figures')})")
        return f"approved with a limit of 5,000.00: customer {match.group(1)}'s page opens with the notice \"{b.text('main .notice.good')}\""

    def screenshots_of_every_page(self) -> str:
        b = self.fresh()
        b.sign_in(MANAGER, "/worklist")
        worklist_first = b.all("main section h2 a")
        customer = worklist_first[0].get_attribute("href").rsplit("/", 1)[1] if worklist_first else self.customer_id
        pages = [("dashboard", "/"), ("customers", "/customers"), ("customer", f"/customers/{customer}"),
                 ("worklist", "/worklist"), ("disputes", "/disputes"), ("held-orders", "/orders/held"),
                 ("reviews", "/reviews"), ("not-found", "/customers/NO-SUCH-CUSTOMER")]
        if self.application_path:
            pages += [("application-new", "/applications/new"), ("application", self.application_path)]
        taken = 0
        for name, path in pages:
            b.open(path)
            if name != "not-found":
                b.expect_no_error(f"the {name} page")
            self.sources[name] = b.source()
            taken += self.shoot(name)
        b.driver.delete_all_cookies()
        b.open("/signin")
        self.sources["signin"] = b.source()
        taken += self.shoot("signin")
        note = ""
        if self.readme_screenshots:
            note = f"; README set ({len(README_PAGES) * 2}) in {self.readme_screenshots}"
        return f"{taken} screenshots ({len(pages) + 1} pages × {DESKTOP[0]} and {PHONE[0]} wide) in {self.screenshots}{note}"

    def shoot(self, name: str) -> int:
        b = self.browser
        for size in (DESKTOP, PHONE):
            b.width(size)
            b.screenshot(self.screenshots / f"{name}-{size[0]}.png", full_page=True)
            if self.readme_screenshots and name in README_PAGES:
                path = self.readme_screenshots / f"{name}-{size[0]}.png"
                b.screenshot(path, full_page=False)
                if path.stat().st_size > README_MAX_BYTES:
                    b.screenshot(path, full_page=False, scale=0.75)
                if path.stat().st_size > README_MAX_BYTES:
                    raise StepFailure(f"{path} is {path.stat().st_size // 1024} KB, over {README_MAX_BYTES // 1024} KB")
        b.width(DESKTOP)
        return 2

    def every_control_has_a_label(self) -> str:
        controls, problems = 0, []
        for name, html in self.sources.items():
            parsed = FormControls(html)
            controls += len(parsed.controls)
            problems += [f"{name}: {control} has no <label for>" for control in parsed.unlabelled()]
            problems += [f"{name}: id \"{ident}\" is used twice" for ident in parsed.duplicate_ids()]
        if problems:
            raise StepFailure("; ".join(problems[:8]) + (f" (and {len(problems) - 8} more)" if len(problems) > 8 else ""))
        return f"{controls} inputs, selects and text areas on {len(self.sources)} pages, each with a <label for> (ids unique)"

    def release_the_held_order(self) -> str:
        if not self.held_order:
            raise StepFailure("no held order to release (the order check step found none)")
        order, customer = self.held_order
        b = self.fresh()
        b.sign_in(MANAGER, "/orders/held")
        if not b.has(f"[id='o-{order}']"):
            raise StepFailure(f"order {order} is not among the held orders")
        reason = f"Known customer, E2E {self.run_id}"
        b.type(f"[id='rr-{order}']", reason, "the release reason field")
        b.submit(f"form[action='/orders/{order}/release']", "the release form")
        notice = b.text("main .notice.good")
        if "The order is released" not in notice:
            raise StepFailure(f"releasing {order} shows no notice (\"{notice}\")")
        if b.has(f"[id='o-{order}']"):
            raise StepFailure(f"order {order} is still listed as held after its release")
        b.open(f"/customers/{customer}")
        steps = [item.text for item in b.all("ol.timeline li") if order in item.text]
        if not any(reason in step for step in steps):
            raise StepFailure(f"the customer's timeline does not show the release of {order} with its reason (lines: {steps})")
        return f"{order} released with a reason: notice shown, gone from the list, on {customer}'s timeline"

    def record_a_call_from_the_worklist(self) -> str:
        b = self.fresh()
        b.sign_in(COLLECTIONS, "/worklist")
        entry = b.one("main section[aria-labelledby^='wl-']", "a worklist entry")
        customer = entry.get_attribute("aria-labelledby")[3:]
        note = b.one(f"[id='n-{customer}']", "the call's note field")
        if note.is_displayed():
            raise StepFailure("the recording forms are open before the user opens them")
        entry.find_element("css selector", "details > summary").click()
        if not note.is_displayed():
            raise StepFailure("opening the entry's <details> does not show its forms")
        text = f"Called the accountant, E2E {self.run_id}"
        b.choose(f"[id='k-{customer}']", "call", "the activity kind")
        b.choose(f"[id='o-{customer}']", "reached", "the outcome")
        note.send_keys(text)
        b.click(entry.find_element("css selector", "form[action='/worklist/activity'] button[type=submit]"))
        if b.text("main .notice.good") != "Recorded.":
            raise StepFailure(f"recording the call shows no notice (\"{b.text('main .notice')}\")")
        b.open(f"/customers/{customer}")
        lines = [item.text for item in b.all("ol.timeline li") if text in item.text]
        if not lines or "call: reached" not in lines[0] or "demo-collections" not in lines[0]:
            raise StepFailure(f"the call is not on {customer}'s timeline as a reached call by its author (lines: {lines})")
        summary = " ".join(lines[0].split())[:60]
        return f"call on {customer} recorded from its <details>: notice shown, on the timeline as \"{summary}…\""

    def a_script_in_a_name_stays_text(self) -> str:
        name = f"<script>document.title='owned'</script> Bâtiment & Fils {self.run_id}"
        customer = f"CX-E2E-{self.run_id}"
        application = f"E2E-XSS-{self.run_id}"
        self.api("/v1/applications", {"applicationId": application, "name": name, "registrationId": "812345676",
                                      "sectorCode": "10.71C", "country": "FR", "termsDays": 30, "requestedLimit": "5000.00"})
        self.api(f"/v1/applications/{application}/decision",
                 {"decision": "approve", "customerId": customer, "limit": "3000.00", "reason": "browser suite"})
        b = self.fresh()
        b.sign_in(MANAGER, f"/customers/{customer}")
        if name not in b.text("h1") or b.driver.title == "owned" or b.all("body script"):
            raise StepFailure(f"the name is not shown as text (heading \"{b.text('h1')}\", title \"{b.driver.title}\")")
        return "a customer named <script>… shows the tag as text, runs nothing"

    def api(self, path: str, body: dict) -> dict:
        request = urllib.request.Request(self.server.base + path, data=json.dumps(body).encode(), method="POST",
                                         headers={"X-API-Key": MANAGER, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())

    def switch_to_french(self) -> str:
        b = self.fresh()
        b.sign_in(MANAGER, "/customers")
        b.click(b.button("Français", "the language switch"))
        french_amounts = [row["Encours autorisé"] for row in TableRows(b.source()).rows if row.get("Encours autorisé")]
        checks = {
            "the page's language": b.driver.find_element("tag name", "html").get_attribute("lang") == "fr",
            "the heading Clients": b.text("h1") == "Clients",
            "the menu's Tableau de bord": "Tableau de bord" in b.nav(),
            "the button Se déconnecter": bool(b.button("Se déconnecter", "the French sign-out")),
            "amounts with a decimal comma": bool(french_amounts) and all(re.search(r",\d\d$", text) for text in french_amounts),
        }
        failed = [what for what, ok in checks.items() if not ok]
        if failed:
            raise StepFailure(f"after Français the page at {b.path} lacks {', '.join(failed)}")
        b.open("/worklist")
        if b.text("h1") == "Collections worklist":
            raise StepFailure("the language does not stay French on the next page")
        b.click(b.button("English", "the switch back"))
        if b.text("h1") != "Collections worklist":
            raise StepFailure(f"English does not switch back (heading \"{b.text('h1')}\")")
        return (f"Français: lang=fr, \"Clients\", \"Tableau de bord\", \"Se déconnecter\", amounts like {french_amounts[0]}; "
                "stays on the next page; English back")

    def sign_out_ends_the_session(self) -> str:
        b = self.fresh()
        b.sign_in(MANAGER, "/customers")
        session = b.cookie("creditrisk_session")
        b.sign_out()
        if not b.path.startswith("/signin") or not b.has("#key"):
            raise StepFailure(f"signing out does not show the sign-in page (at {b.path})")
        b.open("/customers")
        if not b.path.startswith("/signin") or not b.has("#key"):
            raise StepFailure("after signing out, the customers page opens without signing in")
        b.driver.add_cookie({"name": "creditrisk_session", "value": session, "path": "/"})
        b.open("/customers")
        if not b.path.startswith("/signin"):
            raise StepFailure("the signed-out session's cookie still opens pages: the session was not ended on the server")
        return "Sign out shows the sign-in page; the next page, even with the old cookie, asks to sign in again"


STEPS = [
    ("sign in with the keyboard", Suite.sign_in_with_the_keyboard),
    ("each role sees its menu", Suite.each_role_sees_its_menu),
    ("search a customer and open its page", Suite.search_and_open_a_customer),
    ("sales sees no override form", Suite.sales_sees_no_override),
    ("sales on a phone lists its accounts and checks an order", Suite.sales_on_a_phone_checks_an_order),
    ("an order over the headroom is referred and held", Suite.check_an_order_that_is_held),
    ("open an account with an INPI statement", Suite.open_an_account),
    ("screenshots of every page", Suite.screenshots_of_every_page),
    ("every form control has a label", Suite.every_control_has_a_label),
    ("the credit manager releases the held order", Suite.release_the_held_order),
    ("the credit manager approves the account under the ERP's customer id", Suite.approve_the_account),
    ("a call recorded from the worklist", Suite.record_a_call_from_the_worklist),
    ("a <script> in a name stays text", Suite.a_script_in_a_name_stays_text),
    ("the French switch", Suite.switch_to_french),
    ("sign out ends the session", Suite.sign_out_ends_the_session),
]


def report_failure(name: str, error: Exception, seconds: float, browser: Browser, server: Server, screenshot: Path) -> None:
    """The step, what went wrong, the page's address and what it shows, a screenshot of it, and the
    server's last requests."""
    if isinstance(error, StepFailure):
        what = str(error)
    elif isinstance(error, WebDriverException):
        what = "the browser failed: " + ((error.msg or "").splitlines() or [type(error).__name__])[0]
    else:
        what = f"{type(error).__name__}: {error}"
    print(f"FAIL {seconds:5.1f}s {name}: {what}")
    print(f"     at {browser.url}")
    print(f"     the page shows: {browser.visible_error()}")
    try:
        browser.screenshot(screenshot, full_page=True)
        print(f"     screenshot: {screenshot}")
    except WebDriverException:
        pass
    if not isinstance(error, (StepFailure, WebDriverException)):
        traceback.print_exc(limit=4)
    print("     the server's last requests:\n" + "\n".join("       " + line for line in server.tail(4).splitlines()), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, type=Path)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--screenshots", type=Path, default=None)
    parser.add_argument("--readme-screenshots", type=Path, default=None)
    arguments = parser.parse_args()
    screenshots = arguments.screenshots or arguments.root / "build" / "screenshots"
    for stale in screenshots.glob("*.png"):
        stale.unlink()

    started = time.monotonic()
    server = Server(arguments.binary, arguments.root)
    browser = None
    passed = skipped = 0
    failed = ["start"]
    try:
        try:
            server.start()
            browser = Browser(server.base)
        except (RuntimeError, WebDriverException) as error:
            print(f"FAIL start: {error}")
            print("browser: 0 passed, 1 failed, 0 skipped" + (f". The server's folder is kept: {server.work}" if server.work else ""))
            return 1
        print(f"ok   {time.monotonic() - started:5.1f}s server and chromium up: {server.printed_address() or server.base} "
              f"(binary {arguments.binary}, demo from {server.root / 'Fixtures/demo'})")
        suite = Suite(server, browser, screenshots, arguments.readme_screenshots)
        failed = []
        for name, step in STEPS:
            began = time.monotonic()
            try:
                said = step(suite)
                passed += 1
                print(f"ok   {time.monotonic() - began:5.1f}s {name}: {said}", flush=True)
            except Skipped as reason:
                skipped += 1
                print(f"skip {time.monotonic() - began:5.1f}s {name}: {reason}", flush=True)
            except Exception as error:  # noqa: BLE001 (any failure is reported the same way; the next steps go on)
                failed.append(name)
                report_failure(name, error, time.monotonic() - began, browser, server, screenshots / f"failure-{len(failed)}.png")
        print(f"browser: {passed} passed, {len(failed)} failed, {skipped} skipped ({time.monotonic() - started:.0f} s)")
        if failed:
            print(f"failed: {'; '.join(failed)}. The server's folder (database, log) is kept: {server.work}")
        return 1 if failed else 0
    finally:
        if browser:
            browser.quit()
        server.stop(keep=bool(failed))


if __name__ == "__main__":
    sys.exit(main())
