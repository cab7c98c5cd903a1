"""The board page, HTMX decisions, the policy editor, the stale list and the hand-over."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from provide.triage.models import TriageDecision, TriagePolicy
from provide.triage.versions import triage_policy_ensure_default

pytestmark = pytest.mark.django_db
BOARD = reverse("triage:board") + "?date=2023-01-10"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _decide_url(investigation: Any) -> str:
    return reverse("triage:case-decide", args=[investigation.public_id]) + "?date=2023-01-10"


def test_board_shows_each_case_with_its_reasons_and_points(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    html = _client(personas["triage_sergeant"]).get(BOARD).content.decode()
    assert "1. WB/23/" in html and "EB/23/EAST" not in html
    # recorded before the window and still undecided: carried over, never dropped
    assert "Carried over from earlier days: still to decide (1)" in html and "WB/23/OLD" in html
    assert "Suspect in police custody now; expected release in 5 hours" in html
    assert "Due soon: 4 h left" in html
    assert "Medium risk with a health need: mental health" in html
    assert "Not eligible under the policy: to decide (1)" in html
    assert 'hx-trigger="every 120s' in html and 'hx-post="/triage/cases/' in html


def test_htmx_decision_swaps_the_row(personas: dict[str, Any], triage_day: dict[str, Any]) -> None:
    response = _client(personas["triage_sergeant"]).post(
        _decide_url(triage_day["high"]),
        {"decision": "joint_visit_post", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="govuk-summary-card provide-triage-case')
    assert "Decision recorded: Joint visit (post-incident) (policy version 1)." in html
    assert "<html" not in html
    assert TriageDecision.objects.get().decision == "joint_visit_post"


def test_htmx_decision_with_a_missing_reason_re_shows_what_was_chosen(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    response = _client(personas["triage_sergeant"]).post(
        _decide_url(triage_day["plain"]),
        {"decision": "joint_visit_post", "reason": "  "},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "There is a problem" in html and "this decision differs from the policy" in html
    assert 'value="joint_visit_post" checked' in html
    assert (
        "govuk-textarea--error" in html
        and '<details class="govuk-details provide-triage-decide" open>' in html
    )
    assert not TriageDecision.objects.exists()


def test_plain_form_decision_redirects_back_to_the_case(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    client = _client(personas["triage_sergeant"])
    response = client.post(
        _decide_url(triage_day["plain"]), {"decision": "not_eligible", "reason": ""}
    )
    assert response.status_code == 302
    # the decided case folds away under the default view: back to the board and its message
    assert response["Location"] == "/triage/?date=2023-01-10"
    assert "Decision recorded for WB/23/PLAIN" in client.get(response["Location"]).content.decode()


def test_plain_form_errors_re_show_the_board_with_the_typed_reason(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    response = _client(personas["triage_sergeant"]).post(
        _decide_url(triage_day["high"]), {"reason": "typed but no decision"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "<title>Error: Triage board" in html
    assert "Choose a decision" in html and "typed but no decision</textarea>" in html


def test_other_roles_cannot_decide_or_see_the_board(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    officer = _client(personas["response_officer"])
    assert officer.get(BOARD).status_code == 403
    assert (
        officer.post(_decide_url(triage_day["high"]), {"decision": "joint_visit_post"}).status_code
        == 403
    )
    assert not TriageDecision.objects.exists()


def test_the_refresh_returns_the_queue_only(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    html = (
        _client(personas["triage_sergeant"])
        .get(BOARD + "&partial=queue", HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert html.lstrip().startswith('<div id="triage-queue"') and "<h1" not in html


def test_board_page_query_count_is_fixed(
    personas: dict[str, Any],
    triage_day: dict[str, Any],
    make: Any,
    django_assert_max_num_queries: Any,
) -> None:
    triage_policy_ensure_default()
    client = _client(personas["triage_sergeant"])
    client.get(BOARD)
    for i in range(20):
        make.investigation(
            f"WB/23/X{i}", victim=make.person(f"Extra Person{i}"), recorded=3, visit=2, grade="high"
        )
    with django_assert_max_num_queries(20):
        response = client.get(BOARD)
    assert response.content.decode().count('class="govuk-summary-card provide-triage-case') == 26


def test_policy_editor_previews_then_saves_a_new_version(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    client = _client(personas["administrator"])
    page = client.get(reverse("triage:policy-edit"))
    form = dict(page.context["form"].initial)
    form.update(
        {
            "notes": "Pregnancy weighs more",
            "weight_pregnancy": "40",
            "preview_bcu": "West",
            "eligible_always": ["high"],
            "eligible_with_need": ["medium", "standard"],
            "monday_covers_weekend": "on",
        }
    )
    preview = client.post(reverse("triage:policy-edit"), {**form, "action": "preview"})
    assert preview.status_code == 200 and 'id="policy-preview"' in preview.content.decode()
    assert TriagePolicy.objects.count() == 1
    saved = client.post(reverse("triage:policy-edit"), {**form, "action": "save"})
    assert saved.status_code == 302
    assert TriagePolicy.objects.get(is_active=True).weights["pregnancy"] == 40


def test_policy_editor_re_shows_what_was_typed_with_the_problem_marked(
    personas: dict[str, Any],
) -> None:
    client = _client(personas["administrator"])
    form = client.get(reverse("triage:policy-edit")).context["form"].initial
    data = {
        **form,
        "notes": "x",
        "weight_risk_medium": "90",
        "look_back_hours": "lots",
        "action": "save",
        "eligible_always": ["high"],
        "eligible_with_need": ["medium"],
    }
    response = client.post(reverse("triage:policy-edit"), data)
    html = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in html
    assert "Look-back (hours) must be a whole number" in html and 'value="lots"' in html
    assert TriagePolicy.objects.count() == 1


def test_policy_editor_is_for_administrators(personas: dict[str, Any]) -> None:
    assert (
        _client(personas["triage_sergeant"]).get(reverse("triage:policy-edit")).status_code == 403
    )
    assert (
        _client(personas["triage_sergeant"]).get(reverse("triage:policy-list")).status_code == 200
    )


def test_stale_and_handover_pages(personas: dict[str, Any], triage_day: dict[str, Any]) -> None:
    sergeant = _client(personas["triage_sergeant"])
    assert (
        "Not visited after 72 hours (0)" in sergeant.get(reverse("triage:stale")).content.decode()
    )
    html = sergeant.get(reverse("triage:handover") + "?date=2023-01-10").content.decode()
    assert "Shift hand-over" in html and "WB/23/HIGH: In police custody" in html
    assert _client(personas["idva_manager"]).get(reverse("triage:stale")).status_code == 200
    assert _client(personas["analyst"]).get(reverse("triage:stale")).status_code == 403


def test_sergeant_home_links_to_the_board(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    html = _client(personas["triage_sergeant"]).get(reverse("web:home")).content.decode()
    assert 'href="/triage/"' in html and "Next to decide" in html and "WB/2026/000001" in html
