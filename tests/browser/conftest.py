"""Browser tests: Playwright drives Debian's Chromium against a live test server.

A missing browser skips these tests on a developer's machine, and fails them when
PORTAL_REQUIRE_BROWSER is set (as .ci/run does), so CI never counts a skip as a pass.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between page actions are synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("PORTAL_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class CSPWatcher:
    """Collects Content-Security-Policy violations reported by the page and its console."""

    def __init__(self, page):
        self.violations = []
        page.on("console", self._on_console)

    def _on_console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append(message.text)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.csp = CSPWatcher(page)
    yield page
    context.close()


def assert_accessible(page):
    """axe-core finds no WCAG 2.1 A or AA violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    violations = results.response["violations"]
    assert not violations, results.generate_report()


def assert_no_csp_violations(page):
    assert page.csp.violations == [], page.csp.violations


def login(page, user, password=None):
    from tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("Sähköposti").fill(user.email)
    page.get_by_label("Salasana").fill(password or PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
