"""Under the strict CSP, HTMX still works as the pages need it: its own styles and code
evaluation are off, and the triage queue's refresh still waits while a decision is in use
(the page fixture fails any test whose pages the CSP refused something on)."""

from __future__ import annotations

from typing import Any

import pytest

from provide.intake.models import Investigation
from tests.browser.test_role_homes import sign_in_by_keyboard
from tests.browser.test_triage_board import _urls_imported, morning  # noqa: F401 - fixtures

REFRESH_NOW = """() => {
  const queue = document.getElementById("triage-queue");
  queue.setAttribute("hx-trigger", "provide-refresh-now");
  htmx.process(queue);
  htmx.trigger(queue, "provide-refresh-now");
}"""
"""Fire the queue's own request at once (its two-minute poll, without the two minutes)."""


@pytest.mark.django_db(transaction=True)
def test_htmx_runs_without_inline_styles_or_eval_and_the_refresh_waits_for_a_decision(
    page: Any,
    live_server: Any,
    make_user: Any,
    morning: dict[str, Investigation],  # noqa: F811
) -> None:
    make_user("triage_sergeant")
    sign_in_by_keyboard(page, live_server.url, "triage.sergeant")
    page.goto(f"{live_server.url}/triage/")
    page.wait_for_function(
        "() => window.htmx !== undefined && document.body.classList.contains('js-enabled')"
    )
    assert page.evaluate(
        "[htmx.config.includeIndicatorStyles, htmx.config.allowEval, htmx.config.allowScriptTags]"
    ) == [False, False, False]
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')") is True

    refreshes: list[str] = []
    page.on(
        "request",
        lambda request: refreshes.append(request.url) if "partial=queue" in request.url else None,
    )
    # Given a decision form open in the queue, the refresh is held back
    page.locator("#triage-queue details summary").first.click()
    page.evaluate(REFRESH_NOW)
    page.wait_for_timeout(500)
    assert refreshes == []
    # When nothing is in use, it runs and swaps in the fresh queue
    page.evaluate(
        "document.querySelectorAll('#triage-queue details').forEach(d => d.open = false);"
        "document.activeElement.blur()"
    )
    with page.expect_response(
        lambda response: "partial=queue" in response.url and response.status == 200
    ):
        page.evaluate(REFRESH_NOW)
    page.locator("#triage-queue").wait_for()
    assert len(refreshes) == 1
