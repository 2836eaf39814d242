"""Playwright driving Debian's Chromium against the live server.

Never downloads a browser: it uses /usr/bin/chromium (or LIANXI_CHROMIUM). Without one the browser
tests skip with a message saying how to get it; CI sets LIANXI_REQUIRE_BROWSER=true so a missing
Chromium fails there instead of skipping."""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Playwright must not look for (or fetch) its own browser builds.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

SHOTS = Path(os.environ.get("LIANXI_SCREENSHOT_DIR", "/tmp/lianxi-shots"))


def _chromium_path() -> str | None:
    candidate = os.environ.get("LIANXI_CHROMIUM") or "/usr/bin/chromium"
    if Path(candidate).exists():
        return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium():
    path = _chromium_path()
    if path is None:
        message = "no Chromium found: `apt-get install chromium fonts-noto-cjk` (or set LIANXI_CHROMIUM) to run browser tests"
        if os.environ.get("LIANXI_REQUIRE_BROWSER", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def shot(page, name: str):
    """Keep a screenshot for a person to look at (not asserted on)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def login(page, live_server, username: str, password: str):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")

