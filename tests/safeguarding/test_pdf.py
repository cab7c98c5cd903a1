"""The MARAC referral form as a PDF: the IDVA's shared summary goes through the health-side
wall (health roles always, the safeguarding team once the referral is sent, police never), the
PDF and the referral page agree, and a download is audited as an export naming the referral."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from provide.audit.models import AuditAction, AuditEvent
from provide.safeguarding import services
from provide.safeguarding.models import Referral
from provide.safeguarding.pdf import NOT_A_MARAC_REFERRAL, marac_form_export, marac_form_fields
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db

SUMMARY = "SHAREDSUMMARY-q7 Victim agreed to share: 20 weeks pregnant"
POLICE = ("response_officer", "triage_sergeant", "joint_team_officer")
HEALTH = ("health_idva", "idva_manager")


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(text.split())


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def draft(personas: dict[str, Any], west_case: dict[str, Any]) -> Referral:
    """A draft MARAC referral on which the IDVA shared a summary."""
    return services.referral_create(
        user=personas["health_idva"],
        victim=west_case["victim"],
        visit=west_case["visit"],
        target="marac",
        consent="given",
        reasons="Stalking and threats to kill",
        idva_shared_summary=SUMMARY,
    )


def _summary_in_pdf(user: Any, referral: Referral, tmp_path: Path) -> bool:
    response = _client(user).get(reverse("safeguarding:referral-pdf", args=[referral.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert "Stalking and threats to kill" in text  # the form itself is there for everyone
    return "SHAREDSUMMARY-q7" in text


def _summary_on_page(user: Any, referral: Referral) -> bool:
    response = _client(user).get(reverse("safeguarding:referral-detail", args=[referral.public_id]))
    assert response.status_code == 200
    return "SHAREDSUMMARY-q7" in response.content.decode()


@pytest.mark.parametrize("slug", POLICE)
def test_police_roles_never_get_the_idva_summary_in_the_pdf_draft_or_sent(
    slug: str, personas: dict[str, Any], draft: Referral, tmp_path: Path
) -> None:
    officer = personas[slug]
    assert not _summary_in_pdf(officer, draft, tmp_path)
    sent = services.referral_send(user=personas["health_idva"], referral=draft)
    assert not _summary_in_pdf(officer, sent, tmp_path)
    assert not _summary_on_page(officer, sent)


@pytest.mark.parametrize("slug", HEALTH)
def test_health_roles_see_the_summary_on_the_draft_and_the_page_agrees(
    slug: str, personas: dict[str, Any], draft: Referral, tmp_path: Path
) -> None:
    assert _summary_in_pdf(personas[slug], draft, tmp_path)
    assert _summary_on_page(personas[slug], draft)


def test_the_safeguarding_team_sees_the_summary_only_once_the_referral_is_sent(
    personas: dict[str, Any], draft: Referral, tmp_path: Path
) -> None:
    officer = personas["safeguarding_officer"]
    assert not _summary_in_pdf(officer, draft, tmp_path)
    assert not _summary_on_page(officer, draft)
    sent = services.referral_send(user=personas["health_idva"], referral=draft)
    assert _summary_in_pdf(officer, sent, tmp_path)
    assert _summary_on_page(officer, sent)


def test_the_form_fields_hold_the_summary_only_past_the_wall(
    personas: dict[str, Any], draft: Referral
) -> None:
    now = timezone.now()
    assert (
        marac_form_fields(draft, user=personas["health_idva"], as_of=now)["idva_shared_summary"]
        == SUMMARY
    )
    for slug in (*POLICE, "safeguarding_officer"):
        assert marac_form_fields(draft, user=personas[slug], as_of=now)["idva_shared_summary"] == ""


def test_a_download_is_audited_as_an_export_naming_the_referral_not_as_a_view(
    personas: dict[str, Any], draft: Referral
) -> None:
    idva, officer = personas["health_idva"], personas["joint_team_officer"]
    _client(idva).get(reverse("safeguarding:referral-pdf", args=[draft.public_id]))
    _client(officer).get(reverse("safeguarding:referral-pdf", args=[draft.public_id]))
    shared = assert_audited(
        "safeguarding.marac_referral_exported",
        action=AuditAction.EXPORT,
        actor=idva,
        subject=draft,
        person=draft.victim,
    )
    withheld = assert_audited(
        "safeguarding.marac_referral_exported",
        action=AuditAction.EXPORT,
        actor=officer,
        subject=draft,
    )
    assert shared.changes == {
        "format": "pdf",
        "status": "draft",
        "idva_shared_summary_included": True,
    }
    assert withheld.changes["idva_shared_summary_included"] is False
    assert not AuditEvent.objects.filter(event="safeguarding.referral_viewed").exists()


def test_only_a_marac_referral_has_the_form(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    refuge = services.referral_create(
        user=personas["health_idva"], victim=west_case["victim"], target="refuge", consent="given"
    )
    with pytest.raises(ValueError, match=NOT_A_MARAC_REFERRAL):
        marac_form_export(user=personas["health_idva"], referral=refuge, as_of=timezone.now())
    response = _client(personas["health_idva"]).get(
        reverse("safeguarding:referral-pdf", args=[refuge.public_id])
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(event="safeguarding.marac_referral_exported").exists()
