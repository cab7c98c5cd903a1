"""The evaluation dashboard in a real browser: the IDVA manager opens it from the navigation,
filters by BCU, and the page passes axe-core at desktop and phone width."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard
from tests.evaluation.conftest import programme  # noqa: F401 - the fixture


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("programme")
def test_idva_manager_filters_the_dashboard_by_bcu(
    page: Any, live_server: Any, make_user: Any
) -> None:
    make_user("idva_manager")
    sign_in_by_keyboard(page, live_server.url, "idva.manager")
    page.get_by_role("link", name="Evaluation").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Evaluation"
    assert_accessible(page, "evaluation dashboard")
    every = page.locator("#caption-headline-1 + thead + tbody tr").first.locator("td").inner_text()

    page.get_by_label("BCU", exact=True).select_option("West")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url("**/evaluation/?bcu=West*")
    west = page.locator("#caption-headline-1 + thead + tbody tr").first.locator("td").inner_text()
    assert int(west.replace(",", "")) < int(every.replace(",", ""))
    assert page.locator("p.govuk-body-s", has_text="West went live on 2020-04-01").is_visible()
    assert page.locator("svg.provide-chart").count() >= 6
    assert_accessible(page, "evaluation dashboard, West")

    page.get_by_label("From", exact=True).fill("31/02/2021")
    page.get_by_role("button", name="Show figures").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert page.get_by_label("From", exact=True).input_value() == "31/02/2021"
    assert_accessible(page, "evaluation dashboard with an invalid date")
