"""Real-browser tests: Playwright for Python driving Debian's Chromium.

Never `playwright install`: the browser is the system's /usr/bin/chromium.
Without it these tests skip and say why, unless JAKRES_REQUIRE_BROWSER=1
(as in .ci/run), where a missing browser is a failure.
"""

import os
import shutil

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("JAKRES_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made
# by the test itself (not the live server) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = (
            f"Chromium not found at {CHROMIUM}: browser tests need Debian's chromium "
            "(apt-get install -y chromium)."
        )
        if os.environ.get("JAKRES_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A page at 1,280 × 900 in Indonesian. Any Content-Security-Policy violation in it
    or in a window it opens (the admin's pop-ups) fails the test: the public site and
    the admin run under a policy with nothing inline (jakres/settings/base.py)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    refused = []

    def watch(opened):
        opened.on(
            "console",
            lambda message: (
                refused.append(f"{opened.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )

    context.on("page", watch)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not refused, "refused by the Content-Security-Policy:\n" + "\n".join(refused)


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the 26 Sept 2018 workshop loaded."""
    call_command("loaddata", "workshop_2018_09_26", verbosity=0)
    return live_server.url
