"""The consultation log (deployment mode 3): an officer records asking an IDVA for advice —
who, when, topic, advice — in a couple of clicks."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from provide.visits.models import Consultation
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db


def test_an_officer_logs_a_consultation_in_one_form(
    client_for: Any, west_case: dict[str, Any]
) -> None:
    idva_client = client_for("health_idva")
    officer = client_for("response_officer")
    page = officer.get(reverse("visits:consultation-new")).content.decode()
    assert "Health Persona" in page  # the IDVAs of the officer's area are offered
    response = officer.post(
        reverse("visits:consultation-new"),
        {
            "topic": "Risk and safety",
            "detail": "strangulation disclosed",
            "idva": idva_client.user.pk,
            "investigation_ref": "WB/2026/000001",
            "advice": "Refer to MARAC today",
        },
        follow=True,
    )
    assert "Consultation logged" in response.content.decode()
    consultation = Consultation.objects.get()
    assert consultation.officer == officer.user and consultation.idva == idva_client.user
    assert consultation.topic == "Risk and safety: strangulation disclosed"
    assert (
        consultation.investigation == west_case["investigation"]
        and consultation.asked_at is not None
    )
    assert_audited(
        "visits.consultation_logged", action="create", actor=officer.user, subject=consultation
    )


def test_only_the_topic_is_needed(client_for: Any, west_case: dict[str, Any]) -> None:
    officer = client_for("joint_team_officer")
    response = officer.post(reverse("visits:consultation-new"), {"topic": "Other"})
    assert response.status_code == 302 and Consultation.objects.get().topic == "Other"


def test_a_missing_topic_or_unknown_reference_is_re_shown(
    client_for: Any, west_case: dict[str, Any]
) -> None:
    officer = client_for("response_officer")
    response = officer.post(reverse("visits:consultation-new"), {"advice": "typed advice"})
    html = response.content.decode()
    assert (
        response.status_code == 400
        and "Select what you asked about" in html
        and "typed advice" in html
    )
    response = officer.post(
        reverse("visits:consultation-new"),
        {"topic": "Other", "investigation_ref": "EB/2026/000001"},
    )
    assert "No investigation in your area has that reference" in response.content.decode()
    assert not Consultation.objects.exists()


def test_the_idva_asked_adds_the_advice(client_for: Any, west_case: dict[str, Any]) -> None:
    officer, idva = client_for("response_officer"), client_for("health_idva")
    officer.post(reverse("visits:consultation-new"), {"topic": "Other", "idva": idva.user.pk})
    consultation = Consultation.objects.get()
    url = reverse("visits:consultation-detail", args=[consultation.public_id])
    assert "Save the advice" not in officer.get(url).content.decode()
    assert officer.post(url, {"advice": "officer edits"}).status_code == 403
    assert idva.post(url, {"advice": ""}).status_code == 400
    idva.post(url, {"advice": "Offer an IDVA referral with consent"})
    consultation.refresh_from_db()
    assert consultation.advice == "Offer an IDVA referral with consent"
    assert_audited(
        "visits.consultation_advised", action="update", actor=idva.user, subject=consultation
    )


def test_officers_see_their_own_consultations_and_idvas_those_asked_of_them(
    client_for: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    first, idva = client_for("response_officer"), client_for("health_idva")
    first.post(
        reverse("visits:consultation-new"),
        {"topic": "Other", "detail": "FIRST-ASK", "idva": idva.user.pk},
    )
    other = make_user("joint_team_officer", username="other.officer")
    from django.test import Client

    other_client = Client()
    other_client.force_login(other)
    assert "FIRST-ASK" not in other_client.get(reverse("visits:consultation-list")).content.decode()
    assert "FIRST-ASK" in idva.get(reverse("visits:consultation-list")).content.decode()


def test_roles_without_the_log_cannot_reach_it(client_for: Any) -> None:
    assert client_for("analyst").get(reverse("visits:consultation-list")).status_code == 403
    assert client_for("health_idva").get(reverse("visits:consultation-new")).status_code == 403
