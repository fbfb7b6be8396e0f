"""Headless Debian chromium driven through Selenium, with JavaScript turned off for the pages (they
must work without it), and what a user's hands and eyes do on them: open a page, type, click,
press keys, read the visible text, see a notice or an error, take a screenshot."""

import base64
import http.client
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

DESKTOP = (1280, 900)
PHONE = (390, 844)


class StepFailure(Exception):
    """What a user would have seen go wrong: said once, with the page it happened on."""


def chromium_binary() -> str:
    # Debian's /usr/bin/chromium is a shell wrapper; the browser itself is in /usr/lib/chromium.
    for path in ("/usr/lib/chromium/chromium", "/usr/bin/chromium"):
        if Path(path).exists():
            return path
    raise RuntimeError("chromium is not installed; run scripts/setup first")


class Browser:
    def __init__(self, base: str):
        self.base = base
        options = webdriver.ChromeOptions()
        options.binary_location = chromium_binary()
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                         "--no-first-run", "--disable-extensions", "--lang=en-US", f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
            options.add_argument(argument)
        # Pages' scripts off (the driver's own commands still run); English asked for, as a new
        # visitor's browser would.
        options.add_experimental_option("prefs", {
            "profile.managed_default_content_settings.javascript": 2,
            "intl.accept_languages": "en-US,en",
        })
        chromedriver = "/usr/bin/chromedriver"
        if not Path(chromedriver).exists():
            raise RuntimeError("chromium-driver is not installed; run scripts/setup first")
        self.driver = webdriver.Chrome(options=options, service=Service(chromedriver))
        self.driver.set_page_load_timeout(30)
        self.width(DESKTOP)

    def quit(self) -> None:
        self.driver.quit()

    # MARK: Seeing

    @property
    def url(self) -> str:
        return self.driver.current_url

    @property
    def path(self) -> str:
        parts = urllib.parse.urlsplit(self.url)
        return parts.path + ("?" + parts.query if parts.query else "")

    def text(self, css: str = "body") -> str:
        found = self.driver.find_elements(By.CSS_SELECTOR, css)
        return found[0].text if found else ""

    def all(self, css: str):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def one(self, css: str, what: str):
        try:
            return self.driver.find_element(By.CSS_SELECTOR, css)
        except NoSuchElementException:
            raise StepFailure(f"{what} is not on the page ({css})") from None

    def has(self, css: str) -> bool:
        return bool(self.driver.find_elements(By.CSS_SELECTOR, css))

    def visible_error(self) -> str:
        """What the page shows as wrong: its alert, else its heading and the start of its text."""
        try:
            alerts = [element.text for element in self.all("[role=alert]") if element.text.strip()]
            if alerts:
                return " / ".join(alerts)[:400]
            heading = self.text("h1")
            body = " ".join(self.text("main").split()) or " ".join(self.text("body").split())
            return (f"[{heading}] " if heading else "") + body[:300]
        except WebDriverException as error:
            return f"(the page cannot be read: {error.msg})"

    def expect_no_error(self, what: str) -> None:
        if self.has("[role=alert]") or self.has("main .notice.bad"):
            raise StepFailure(f"{what}: the page shows an error")

    def nav(self) -> list[str]:
        return [link.text.strip() for link in self.all("header nav a")]

    def source(self) -> str:
        return self.driver.page_source

    # MARK: Acting

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)

    def click(self, element) -> None:
        """Clicks what makes the page change (a link, a form's button) and waits for the new page."""
        self.navigate(element.click)

    def navigate(self, action) -> None:
        """Does `action` (a click, a key press) and waits until the page it leads to has replaced this one."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        action()

        def replaced(driver) -> bool:
            try:
                page.is_enabled()
                return False
            except WebDriverException:  # stale, or "does not belong to the document": gone either way
                return driver.execute_script("return document.readyState") == "complete"

        WebDriverWait(self.driver, 20).until(replaced)

    def type(self, css: str, text: str, what: str) -> None:
        field = self.one(css, what)
        field.clear()
        field.send_keys(text)

    def choose(self, css: str, value: str, what: str) -> None:
        Select(self.one(css, what)).select_by_value(value)

    def submit(self, form_css: str, what: str) -> None:
        """Clicks the submit button of the form `form_css`."""
        self.click(self.one(f"{form_css} button[type=submit]", what))

    def button(self, label: str, what: str):
        for candidate in self.all("button"):
            if candidate.text.strip() == label:
                return candidate
        raise StepFailure(f"{what}: no button \"{label}\" on the page")

    def sign_in(self, key: str, then: str = "/") -> None:
        self.open("/signin?next=" + urllib.parse.quote(then, safe=""))
        self.type("#key", key, "the sign-in key field")
        self.submit("form[action='/signin']", "the sign-in form")
        if self.has("#key"):
            raise StepFailure(f"signing in with {key} did not open a session")

    def sign_out(self) -> None:
        self.click(self.one("form[action='/signout'] button", "the sign-out button"))

    def cookie(self, name: str) -> str | None:
        found = self.driver.get_cookie(name)
        return found["value"] if found else None

    def status(self, path: str) -> int:
        """The HTTP status of a GET of `path` in this browser's session (a page that may not exist
        yet), without following a redirect."""
        parts = urllib.parse.urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        session = self.cookie("creditrisk_session")
        connection.request("GET", path, headers={"Cookie": f"creditrisk_session={session}"} if session else {})
        status = connection.getresponse().status
        connection.close()
        return status

    # MARK: Sizes and screenshots

    def width(self, size: tuple[int, int]) -> None:
        """The viewport of a desktop or of a phone (touch, device width, mobile viewport rules)."""
        width, height = size
        phone = width < 600
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": phone,
        })
        self.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": phone})

    def screenshot(self, path: Path, full_page: bool, max_height: int = 8000, scale: float = 1.0) -> None:
        """A PNG of the viewport, or of the whole page (up to `max_height` CSS pixels), at `scale`."""
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        viewport = metrics["cssLayoutViewport"]
        width = viewport["clientWidth"]
        height = min(metrics["cssContentSize"]["height"], max_height) if full_page else viewport["clientHeight"]
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": full_page,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": scale},
        })
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))


class FormControls(HTMLParser):
    """The form controls of a page (what a user fills in) and its labels' `for` targets."""

    SKIPPED_INPUTS = {"hidden", "submit", "button", "reset", "image"}

    def __init__(self, html: str):
        super().__init__()
        self.controls: list[tuple[str, str]] = []  # (id or "", description)
        self.label_targets: set[str] = set()
        self.ids: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        is_control = tag in ("select", "textarea") or (tag == "input" and attributes.get("type", "text") not in self.SKIPPED_INPUTS)
        if is_control:
            self.controls.append((attributes.get("id") or "", f"<{tag} name=\"{attributes.get('name', '')}\">"))

    def unlabelled(self) -> list[str]:
        return [description + (f" #{ident}" if ident else " without id") for ident, description in self.controls
                if not ident or ident not in self.label_targets]

    def duplicate_ids(self) -> list[str]:
        seen, duplicates = set(), set()
        for ident in self.ids:
            (duplicates if ident in seen else seen).add(ident)
        return sorted(duplicates)


class TableRows(HTMLParser):
    """The rows of a page's table bodies, as a user reads them: each cell's text by its column's
    `data-label`, and the first link of the row under `href`. Read from the page's HTML at once
    (much faster than asking the browser cell by cell)."""

    def __init__(self, html: str):
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self.in_body = False
        self.label: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append({})
        elif self.in_body and tag == "td" and self.rows:
            self.label = attributes.get("data-label") or ""
            self.rows[-1].setdefault(self.label, "")
        elif self.in_body and tag == "a" and self.rows and "href" not in self.rows[-1]:
            self.rows[-1]["href"] = attributes.get("href", "")

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif tag == "td":
            self.label = None

    def handle_data(self, data):
        if self.label is not None and self.rows:
            self.rows[-1][self.label] = " ".join((self.rows[-1][self.label] + " " + data).split())
