"""Browser tests: Playwright (Python) driving Debian's Chromium, with axe-core on every page."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = Path(os.environ.get("PROVIDE_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
ARTIFACTS = Path(
    os.environ.get("PROVIDE_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  // axe-core (evaluated by the test, so from no file) parses the stylesheets in <style>
  // elements it adds; a <style> of the site's own comes from its page, which is a file.
  if (!event.sourceFile && event.effectiveDirective === "style-src-elem") { return; }
  console.error(`CSP violation: ${event.effectiveDirective} refused ${event.blockedURI || "inline code"}`
                + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""
"""Every page reports a Content Security Policy violation by the site's own HTML or scripts on
the console, where the page fixture collects it: no browser test may pass with one."""
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make system-deps`")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (make system-deps installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def warm_live_server(live_server: Any) -> Any:
    """The first request loads every URL module (and the evaluation stack): do it once, with a
    generous timeout, before any browser waits on it."""
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/sign-in/", timeout=180) as response:  # noqa: S310
        response.read()
    return live_server


@pytest.fixture
def page(browser: Any, warm_live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    # Service workers only where a test is about them (@pytest.mark.service_workers): elsewhere
    # pages load straight from the server, as on a first visit.
    allowed = request.node.get_closest_marker("service_workers") is not None
    context = browser.new_context(viewport=DESKTOP, service_workers="allow" if allowed else "block")
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    page.set_default_timeout(30_000)
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(f"{page.url}: {message.text}")
            if message.text.startswith("CSP violation")
            else None
        ),
    )
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"{request.node.name}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failure: {shot}")
    context.close()
    assert not csp_violations, "the Content Security Policy refused:\n" + "\n".join(csp_violations)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page and return its violations (WCAG 2.2 A/AA and best practice)."""
    page.evaluate(AXE_JS)
    result = page.evaluate("""async () => await axe.run(document, {resultTypes: ['violations']})""")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def assert_accessible(page: Any, label: str) -> None:
    """No axe violations at desktop width and at phone width (390 px), no sideways scroll."""
    # a page reached by a click may still be arriving (through the service worker): wait until
    # it has loaded and has its main landmark before judging it
    page.wait_for_load_state("load")
    page.locator("main").first.wait_for(state="attached")
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        violations = axe_violations(page)
        assert violations == [], f"{label} at {name} width: {violations}"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{label} scrolls sideways by {overflow}px at {name} width"
    page.set_viewport_size(DESKTOP)
