"""The investigation page: custody read as the triage board reads it, the triage decisions and
the visits with their contact results, in words."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from provide.intake.models import CustodyEpisode
from provide.intake.presenters import NOT_IN_CUSTODY
from provide.triage.models import TriageDecision
from provide.triage.versions import triage_policy_ensure_default
from provide.visits.models import Visit
from tests.triage.conftest import CUTOFF, Maker, before

pytestmark = pytest.mark.django_db


@pytest.fixture
def make(areas: dict[str, Any]) -> Maker:
    return Maker(areas)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _board_custody(client: Client, reference: str) -> str:
    html = client.get(reverse("triage:board") + "?date=2023-01-10").content.decode()
    card = html[html.index(reference) :]
    match = re.search(
        r'summary-list__key">Custody</dt><dd class="govuk-summary-list__value">([^<]+)<', card
    )
    assert match is not None
    return match.group(1)


def _page_custody(client: Client, investigation: Any) -> str:
    html = client.get(
        reverse("web:investigation-detail", args=[investigation.public_id])
    ).content.decode()
    match = re.search(r'id="custody-now">([^<]+)<', html)
    assert match is not None
    return match.group(1)


def test_board_and_page_agree_when_the_suspect_is_remanded_on_another_investigation(
    personas: dict[str, Any], make: Maker
) -> None:
    # Given a suspect charged and remanded on an earlier investigation, and a new one naming him
    suspect = make.person("Rex Remand")
    earlier = make.investigation(
        "WB/22/EARLIER", victim=make.person("Una Earlier"), recorded=24 * 40, suspect=suspect
    )
    CustodyEpisode.objects.create(
        custody_ref="C-REMAND",
        suspect=suspect,
        investigation=earlier,
        arrested_at=before(24 * 30),
        status=CustodyEpisode.Status.CHARGED_REMANDED,
    )
    new = make.investigation(
        "WB/23/NEW",
        victim=make.person("Nia New"),
        recorded=5,
        visit=4,
        grade="high",
        suspect=suspect,
    )
    triage_policy_ensure_default()
    client = _client(personas["triage_sergeant"])
    # Then the board and the investigation page say the same thing, from the one reading
    assert _board_custody(client, "WB/23/NEW") == "Charged and remanded in custody (C-REMAND)"
    assert _page_custody(client, new) == "Charged and remanded in custody (C-REMAND)"
    page = _text(
        client.get(reverse("web:investigation-detail", args=[new.public_id])).content.decode()
    )
    assert (
        "C-REMAND: Charged and remanded" in page
        and "recorded against investigation WB/22/EARLIER" in page
    )
    assert "No custody episodes" not in page


def test_page_says_not_in_custody_once_the_suspect_is_released(
    personas: dict[str, Any], make: Maker
) -> None:
    suspect = make.person("Ray Released")
    investigation = make.investigation(
        "WB/23/REL", victim=make.person("Vic Released"), recorded=5, visit=4, suspect=suspect
    )
    CustodyEpisode.objects.create(
        custody_ref="C-OUT",
        suspect=suspect,
        investigation=investigation,
        arrested_at=before(4),
        status=CustodyEpisode.Status.RELEASED_NFA,
        released_at=CUTOFF + dt.timedelta(hours=1),
    )
    client = _client(personas["triage_sergeant"])
    assert _page_custody(client, investigation) == NOT_IN_CUSTODY
    assert "C-OUT: Released, no further action" in _text(
        client.get(
            reverse("web:investigation-detail", args=[investigation.public_id])
        ).content.decode()
    )


def test_page_shows_the_triage_decision_and_visits_in_words(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    # Given a decision by the sergeant and a no-contact visit before the engaged one
    investigation = west_case["investigation"]
    sergeant = personas["triage_sergeant"]
    TriageDecision.objects.create(
        investigation=investigation,
        policy=triage_policy_ensure_default(),
        decision="joint_visit_post",
        reasons="High risk: always offered a joint visit",
        priority_score=91,
        eligible_by_policy=True,
        decided_by=sergeant,
        decided_at=investigation.recorded_at + dt.timedelta(hours=2),
    )
    Visit.objects.create(
        mode="post-incident",
        investigation=investigation,
        victim=west_case["victim"],
        arrived_at=investigation.recorded_at + dt.timedelta(hours=3),
        contact_result="no_contact",
        place_type="police_station",
    )
    # When the sergeant opens the investigation
    response = _client(sergeant).get(
        reverse("web:investigation-detail", args=[investigation.public_id])
    )
    page = _text(response.content.decode())
    # Then the decision (what, who, when, why, priority) and every visit's contact result show in words
    assert "Joint visit (post-incident)" in page and "Decided by Triage Persona" in page
    assert (
        "High risk: always offered a joint visit" in page
        and "91 points under triage policy version 1" in page
    )
    assert "No contact" in page and "Engaged" in page and "Police station" in page
    assert "no_contact" not in page and "joint_visit_post" not in page
    # and the case lifecycle's panel: the case's state and attempts, from the one owner
    assert response.context["case_summary"].investigation_id == response.context["investigation"].pk
    assert "Visit attempts" in page and "New: awaiting triage" in page


def test_roles_without_triage_see_no_decisions(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    investigation = west_case["investigation"]
    TriageDecision.objects.create(
        investigation=investigation,
        policy=triage_policy_ensure_default(),
        decision="joint_visit_post",
        reasons="SECRET-REASON",
        decided_at=investigation.recorded_at,
    )
    html = (
        _client(personas["response_officer"])
        .get(reverse("web:investigation-detail", args=[investigation.public_id]))
        .content.decode()
    )
    assert personas["response_officer"].has_perm("intake.view_investigation")
    assert "SECRET-REASON" not in html
