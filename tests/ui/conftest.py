"""Browser tests of the web UI: one all-in-one host (gateway included) on free loopback ports,
the system Chromium driven by Playwright, and a program of partners, customers and events.

Chromium is Debian's (/usr/bin/chromium, installed by scripts/test-setup); no browser is
downloaded. Screenshots of every view go to test-artifacts/ui/.
"""
from __future__ import annotations

import os
import pathlib
import subprocess
from collections.abc import Iterator

import pytest

from tests.conftest import make_settings, running_host
from tests.ui import world as world_mod

ROOT = pathlib.Path(__file__).resolve().parents[2]
STATIC = ROOT / "services" / "gateway" / "static"
ARTIFACTS = ROOT / "test-artifacts" / "ui"
CHROMIUM = os.environ.get("PARTNEROS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def ui_assets() -> None:
    """The vendored front-end libraries (normally copied by the set-up command)."""
    if not (STATIC / "vendor" / "chart.umd.min.js").exists() or not (STATIC / "vendor" / "gridstack-all.js").exists():
        subprocess.run([str(ROOT / "services" / "gateway" / "ui" / "build.sh")], check=True, timeout=300)


@pytest.fixture(scope="package")
def ui_host(tmp_path_factory: pytest.TempPathFactory, clickhouse_dsn: str, ui_assets: None):  # noqa: ANN201
    """Every service plus the HTTP gateway in one host; the gateway on a free port."""
    with running_host(make_settings(tmp_path_factory.mktemp("ui"), clickhouse_dsn)) as host:
        yield host


@pytest.fixture(scope="package")
def base_url(ui_host) -> str:  # noqa: ANN001
    return f"http://127.0.0.1:{gateway_port(ui_host)}"


def gateway_port(host) -> int:  # noqa: ANN001
    """The port the gateway plugin bound (settings.http_port is 0 here)."""
    from services.gateway.plugin import bound_port

    return bound_port(host.context)


@pytest.fixture(scope="package")
def world(ui_host, base_url):  # noqa: ANN001, ANN201
    """Partners, customers, people, metrics, dashboards and events shared by the UI tests."""
    return world_mod.build(ui_host)


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201
    from playwright.sync_api import sync_playwright

    if not pathlib.Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/test-setup (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url):  # noqa: ANN001, ANN201
    """A fresh browser context (own storage) whose page fails the test on any script error."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=base_url)
    context.set_default_timeout(10_000)
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    yield p
    context.close()
    assert not errors, f"script errors in the page: {errors}"


def shoot(page, name: str) -> None:  # noqa: ANN001
    """Write a full-page screenshot to test-artifacts/ui/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def sign_in(page, base_url) -> Iterator:  # noqa: ANN001
    """sign_in(token, path='#/') opens the app signed in through the #token= link."""
    def _sign_in(token: str, then: str = "") -> None:
        page.goto(f"{base_url}/#token={token}")
        page.wait_for_selector("#sign-out")
        if then:
            page.goto(f"{base_url}/{then}")
    yield _sign_in
