"""The policy editor carries every rule of a version: the repeat-suspect weight, must-attend grades,
high risk ranked first and the failed-visit rules. Saving what the page shows changes nothing else."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from provide.triage.models import TriagePolicy

pytestmark = pytest.mark.django_db
EDITOR = reverse("triage:policy-edit")


def _admin(personas: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(personas["administrator"])
    return client


def _as_a_browser_posts(initial: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The editor's values as a browser sends them: a ticked box as "on", an unticked one not at all."""
    data: dict[str, Any] = {}
    for name, value in {**initial, **changes}.items():
        if value is True:
            data[name] = "on"
        elif value is not False and value is not None:
            data[name] = value
    return data


def _number(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" type="text"[^>]* value="([^"]*)"', html)
    assert found, f"no {name} field"
    return found.group(1)


def test_the_editor_shows_the_must_attend_ranking_and_attempt_rules(
    personas: dict[str, Any],
) -> None:
    html = _admin(personas).get(EDITOR).content.decode()
    assert "Repeat suspect (12 months)" in html and _number(html, "weight_repeat_suspect") == "10"
    assert 'id="id_must_attend_0" name="must_attend" type="checkbox" value="high" checked' in html
    assert 'name="rank_high_risk_first" type="checkbox" value="on" checked' in html
    assert 'name="escalate_high_risk_no_contact" type="checkbox" value="on" checked' in html
    assert (_number(html, "retry_after_hours"), _number(html, "escalate_after_attempts")) == (
        "4",
        "3",
    )


def test_saving_the_page_unchanged_keeps_every_rule(personas: dict[str, Any]) -> None:
    client = _admin(personas)
    initial = dict(client.get(EDITOR).context["form"].initial)
    saved = client.post(
        EDITOR, {**_as_a_browser_posts(initial, notes="No change"), "action": "save"}
    )
    assert saved.status_code == 302
    (before, after) = TriagePolicy.objects.order_by("version")
    assert (after.weights, after.eligibility, after.look_back_hours) == (
        before.weights,
        before.eligibility,
        before.look_back_hours,
    )
    assert after.thresholds == {**after.thresholds, **before.thresholds}
    assert after.thresholds["rank_high_risk_first"] is True and after.eligibility[
        "must_attend"
    ] == ["high"]


def test_an_administrator_can_rank_by_points_alone_and_make_medium_risk_must_attend(
    personas: dict[str, Any],
) -> None:
    client = _admin(personas)
    initial = dict(client.get(EDITOR).context["form"].initial)
    data = _as_a_browser_posts(
        initial,
        notes="Pilot",
        rank_high_risk_first=False,
        must_attend=["high", "medium"],
        weight_repeat_suspect="25",
        retry_after_hours="6",
    )
    assert client.post(EDITOR, {**data, "action": "save"}).status_code == 302
    active = TriagePolicy.objects.get(is_active=True)
    assert (
        active.thresholds["rank_high_risk_first"] is False
        and active.thresholds["retry_after_hours"] == 6
    )
    assert (
        active.eligibility["must_attend"] == ["high", "medium"]
        and active.weights["repeat_suspect"] == 25
    )


def test_a_must_attend_grade_that_is_never_eligible_is_refused(personas: dict[str, Any]) -> None:
    client = _admin(personas)
    initial = dict(client.get(EDITOR).context["form"].initial)
    data = _as_a_browser_posts(
        initial, notes="x", eligible_with_need=["medium"], must_attend=["high", "standard"]
    )
    response = client.post(EDITOR, {**data, "action": "save"})
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        'href="#id_must_attend_0">A must-attend grade must also be eligible for a joint visit (standard)'
        in html
    )
    assert TriagePolicy.objects.count() == 1
