"""Pages: forms re-show what was typed, permissions, the MARAC day, the PDF and the API."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from provide.safeguarding import services
from provide.safeguarding.models import MaracCase, Referral
from tests.cast import HEALTH_SECRETS

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_referral_form_re_shows_what_was_typed_with_the_problem_marked(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    client = _client(personas["health_idva"])
    url = reverse("safeguarding:referral-create")
    response = client.post(
        url,
        {
            "visit": west_case["visit"].public_id,
            "target": "marac",
            "consent": "refused",
            "victim_aware": "no",
            "lawful_basis": "",
            "victim_wants": "Feel safe at home",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and "Set out why this case should go to MARAC" in html
    assert "set out the lawful basis for sharing" in html
    assert "Feel safe at home</textarea>" in html and 'value="refused" checked' in html
    assert not Referral.objects.exists()


def test_idva_refers_from_a_visit_and_officer_accepts_onto_the_next_meeting(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    idva = _client(personas["health_idva"])
    response = idva.post(
        reverse("safeguarding:referral-create"),
        {
            "visit": west_case["visit"].public_id,
            "target": "marac",
            "consent": "given",
            "victim_aware": "yes",
            "reasons": "Non-fatal strangulation last night",
            "idva_shared_summary": "",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and referral.visit == west_case["visit"]
    idva.post(reverse("safeguarding:referral-move", args=[referral.public_id, "send"]))
    officer = _client(personas["safeguarding_officer"])
    officer.post(reverse("safeguarding:referral-move", args=[referral.public_id, "accept"]))
    case = MaracCase.objects.get()
    html = officer.get(
        reverse("safeguarding:marac-day") + f"?date={case.meeting_on:%Y-%m-%d}"
    ).content.decode()
    assert "Alice Westby" in html and "Professional judgement" in html
    home = officer.get(reverse("web:home")).content.decode()
    assert "Next MARAC" in home and "Alice Westby" in home


def test_reject_without_a_reason_says_why(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    referral = Referral.objects.create(victim=west_case["victim"], target="refuge", status="sent")
    client = _client(personas["safeguarding_officer"])
    response = client.post(
        reverse("safeguarding:referral-move", args=[referral.public_id, "reject"]),
        {"reason": ""},
        follow=True,
    )
    assert "Give the reason the referral was rejected" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_analysts_and_other_areas_cannot_open_referrals(
    personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    referral = Referral.objects.create(victim=east_case["victim"], target="refuge", status="sent")
    url = reverse("safeguarding:referral-detail", args=[referral.public_id])
    assert _client(personas["analyst"]).get(url).status_code == 404
    assert (
        _client(personas["joint_team_officer"]).get(url).status_code == 404
    )  # West officer, East victim
    assert _client(personas["safeguarding_officer"]).get(url).status_code == 200
    assert _client(personas["analyst"]).get(reverse("safeguarding:marac-day")).status_code == 403


def test_marac_case_page_records_an_action_and_marks_it_done(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    case = MaracCase.objects.create(
        victim=west_case["victim"], criterion="repeat", meeting_on=timezone.localdate()
    )
    client = _client(personas["safeguarding_officer"])
    url = reverse("safeguarding:marac-case", args=[case.public_id])
    bad = client.post(url, {"agency": "", "action": "Fit a panic alarm", "due_on": "tomorrow"})
    html = bad.content.decode()
    assert (
        bad.status_code == 400
        and "Enter the agency" in html
        and "Enter the due date as YYYY-MM-DD" in html
    )
    assert "Fit a panic alarm</textarea>" in html
    client.post(
        url,
        {
            "agency": "Police",
            "action": "Fit a panic alarm",
            "owner": "PC Hale",
            "due_on": "2030-01-02",
        },
    )
    action = case.actions.get()
    client.post(reverse("safeguarding:marac-action-done", args=[action.public_id]))
    action.refresh_from_db()
    assert action.done_at is not None
    client.post(
        reverse("safeguarding:marac-minutes", args=[case.public_id]), {"minutes": "Alarm agreed"}
    )
    case.refresh_from_db()
    assert case.minutes == "Alarm agreed"


def test_measures_and_handover_pages(personas: dict[str, Any], west_case: dict[str, Any]) -> None:
    client = _client(personas["safeguarding_officer"])
    person = west_case["victim"].public_id
    bad = client.post(
        reverse("safeguarding:measure-create"),
        {"person": person, "kind": "dvpo", "issued_at": "2026-01-01 10:00", "dvpo_days": "40"},
    )
    assert bad.status_code == 400 and "A DVPO lasts 14 to 28 days" in bad.content.decode()
    issued = (timezone.localtime() - dt.timedelta(hours=40)).strftime("%Y-%m-%d %H:%M")
    client.post(
        reverse("safeguarding:measure-create"),
        {"person": person, "kind": "dvpn", "issued_at": issued},
    )
    assert "DVPO hearing needed" in client.get(reverse("web:home")).content.decode()
    officer = _client(personas["joint_team_officer"])
    response = officer.post(
        reverse("safeguarding:handover-create"),
        {"visit": west_case["visit"].public_id, "title": "Take victim statement"},
    )
    assert response.status_code == 302
    assert (
        "Take victim statement"
        in client.get(reverse("safeguarding:handover-list")).content.decode()
    )


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_marac_referral_form_pdf_holds_only_what_marac_may_see(
    personas: dict[str, Any], west_case: dict[str, Any], da_event: Any, tmp_path: Path
) -> None:
    # Given a MARAC referral, the IDVA's health-side notes and another police investigation
    other = da_event(west_case["victim"], timezone.now() - dt.timedelta(days=30), yes=15)
    referral = services.referral_create(
        user=personas["health_idva"],
        victim=west_case["victim"],
        visit=west_case["visit"],
        target="marac",
        consent="refused",
        lawful_basis="Meets the MARAC threshold; DPA 2018 Sch 1 para 18",
        reasons="Threats to kill",
        victim_wants="To stay in her home",
    )
    # When the safeguarding officer downloads the form
    response = _client(personas["safeguarding_officer"]).get(
        reverse("safeguarding:referral-pdf", args=[referral.public_id])
    )
    pdf = response.content
    # Then it is a PDF that renders, with the form's fields and nothing health-side
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert pdf.startswith(b"%PDF")
    (tmp_path / "form.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "form.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    assert (tmp_path / "page-1.png").stat().st_size > 5_000
    text = " ".join(_pdf_text(pdf, tmp_path).split())
    if out := os.environ.get("PROVIDE_KEEP_PDF"):
        Path(out).write_bytes(pdf)
    for expected in (
        "MARAC referral form",
        "WESTBY, Alice",
        "FY1 1AA",
        "WB/2026/000001",
        "Threats to kill",
        "Consent refused",
        "DPA 2018 Sch 1 para 18",
        "DASH: 15 yes answers",
        "WESTBY, Mal",
        "suspect may answer",
    ):
        assert expected in text, expected
    for secret in (*HEALTH_SECRETS.values(), other.investigation_ref):
        assert secret not in text, secret


def test_api_shows_referral_status_and_refuses_bad_moves_with_a_reason(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    referral = Referral.objects.create(
        victim=west_case["victim"], target="refuge", status="draft", consent="given"
    )
    api = APIClient()
    api.force_authenticate(personas["response_officer"])
    listed = api.get("/api/referrals/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["status"] for row in rows] == ["draft"]
    refused = api.post(f"/api/referrals/{referral.public_id}/accept/")
    assert refused.status_code == 403 and refused.json()["detail"]
    api.force_authenticate(personas["safeguarding_officer"])
    wrong = api.post(f"/api/referrals/{referral.public_id}/accept/")
    assert wrong.status_code == 400 and "cannot be marked accepted" in wrong.json()["detail"]
    assert api.post(f"/api/referrals/{referral.public_id}/send/").json()["status"] == "sent"
    assert api.get("/api/referrals/not-a-uuid/").status_code == 404
    api.force_authenticate(personas["analyst"])
    assert api.get("/api/referrals/").status_code == 403
