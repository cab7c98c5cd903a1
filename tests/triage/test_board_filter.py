"""The board shows undecided cases first; decided ones are folded behind ``?show=``, with
every count still on the page, without JavaScript and through HTMX."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from provide.triage.models import TriageDecision
from provide.triage.versions import triage_policy_ensure_default

pytestmark = pytest.mark.django_db
BOARD = reverse("triage:board") + "?date=2023-01-10"


def _sergeant(personas: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(personas["triage_sergeant"])
    return client


def _decide(
    client: Client,
    investigation: Any,
    decision: str,
    *,
    show: str = "",
    htmx: bool = False,
    reason: str = "",
) -> Any:
    url = reverse("triage:case-decide", args=[investigation.public_id]) + "?date=2023-01-10"
    url += f"&show={show}" if show else ""
    return client.post(
        url,
        {"decision": decision, "reason": reason},
        headers={"HX-Request": "true"} if htmx else {},
    )


def _cards(html: str) -> list[str]:
    return re.findall(r'id="case-title-[^"]+">.*?\d+\. (\S+) ·', html)


def _headings(html: str) -> list[str]:
    return re.findall(r'<h2 class="govuk-heading-m" id="[^"]+">([^<]+)</h2>', html)


@pytest.fixture
def one_decided(personas: dict[str, Any], triage_day: dict[str, Any]) -> Client:
    """The board of 10 January with WB/23/HIGH accepted, the other cases still to decide."""
    triage_policy_ensure_default()
    client = _sergeant(personas)
    assert _decide(client, triage_day["high"], "joint_visit_post").status_code == 302
    return client


def test_default_view_shows_only_undecided_cases_and_folds_the_decided(one_decided: Client) -> None:
    html = one_decided.get(BOARD).content.decode()
    assert "WB/23/HIGH" not in _cards(html)
    assert set(_cards(html)) == {
        "WB/23/NEED",
        "WB/23/PLAIN",
        "WB/23/REPEAT",
        "WB/23/REGRADE",
        "WB/23/OLD",
    }
    assert "1 decided case is folded away." in html
    assert (
        'href="/triage/?date=2023-01-10&amp;show=decided"' in html
        and "Show decided cases (1)" in html
    )


def test_counts_stay_visible_whichever_cases_are_shown(one_decided: Client) -> None:
    for show in ("", "&show=decided", "&show=all"):
        html = one_decided.get(BOARD + show).content.decode()
        assert "To decide (5)" in html and "Decided (1)" in html and "All cases (6)" in html
        assert re.search(r'provide-figure">\d+</span> eligible to decide', html)


def test_decided_view_shows_the_decided_cases_only(one_decided: Client) -> None:
    html = one_decided.get(BOARD + "&show=decided").content.decode()
    assert _cards(html) == ["WB/23/HIGH"]
    assert _headings(html) == ["Decided (1)"]
    assert 'aria-current="page">Decided (1)' in html and "folded away" not in html


def test_all_view_lists_undecided_sections_before_the_decided(one_decided: Client) -> None:
    html = one_decided.get(BOARD + "&show=all").content.decode()
    assert _headings(html) == [
        "Eligible under the policy: to decide (3)",
        "Not eligible under the policy: to decide (1)",
        "Carried over from earlier days: still to decide (1)",
        "Decided (1)",
    ]
    assert _cards(html)[-1] == "WB/23/HIGH"


def test_an_unknown_filter_shows_the_default_view(one_decided: Client) -> None:
    html = one_decided.get(BOARD + "&show=everything").content.decode()
    assert "WB/23/HIGH" not in _cards(html) and 'aria-current="page">To decide (5)' in html


def test_htmx_filter_returns_the_queue_for_that_filter(one_decided: Client) -> None:
    response = one_decided.get(BOARD + "&show=decided&partial=queue", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="triage-queue"') and "<h1" not in html
    assert _cards(html) == ["WB/23/HIGH"]
    # the queue's own refresh keeps the filter
    assert 'hx-get="/triage/?date=2023-01-10&amp;show=decided&amp;partial=queue"' in html
    assert 'hx-get="/triage/?date=2023-01-10&amp;show=undecided&amp;partial=queue"' in html
    assert 'hx-push-url="/triage/?date=2023-01-10&amp;show=undecided"' in html


def test_plain_form_decision_from_the_all_view_returns_to_the_case(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    client = _sergeant(personas)
    response = _decide(client, triage_day["plain"], "not_eligible", show="all")
    assert (
        response["Location"]
        == f"/triage/?date=2023-01-10&show=all#case-{triage_day['plain'].public_id}"
    )
    html = client.get(response["Location"]).content.decode()
    assert "Decision recorded for WB/23/PLAIN" in html and _cards(html)[-1] == "WB/23/PLAIN"


def test_htmx_decision_keeps_the_card_in_place_until_the_next_refresh(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    client = _sergeant(personas)
    html = _decide(client, triage_day["need"], "joint_visit_post", htmx=True).content.decode()
    assert "Decision recorded: Joint visit (post-incident)" in html and "data-triage-focus" in html
    refreshed = client.get(BOARD + "&partial=queue", HTTP_HX_REQUEST="true").content.decode()
    assert "WB/23/NEED" not in _cards(refreshed) and "Show decided cases (1)" in refreshed


def test_a_decision_error_on_a_folded_case_is_still_shown(
    one_decided: Client, triage_day: dict[str, Any]
) -> None:
    # Given a decided case changed without JavaScript from the default view, with no reason
    response = _decide(one_decided, triage_day["high"], "consultation")
    html = response.content.decode()
    # Then the board comes back with that card and its error, although decided cases are folded
    assert response.status_code == 400 and "WB/23/HIGH" in _cards(html)
    assert "There is a problem" in html
    assert TriageDecision.objects.filter(investigation=triage_day["high"]).count() == 1
