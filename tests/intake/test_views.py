"""Intake pages: upload -> check -> confirm an import; record a risk assessment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from provide.core.risk import RIC_QUESTIONS
from provide.intake.models import IntakeImport, Investigation, RiskAssessment
from tests.audit_assertions import assert_audited
from tests.intake.builders import csv_text, investigation_row


@pytest.fixture(autouse=True)
def import_dir(settings: Any, tmp_path: Path) -> Path:
    settings.PROVIDE_IMPORT_DIR = tmp_path / "imports"
    return settings.PROVIDE_IMPORT_DIR


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, rows: list[dict[str, str]], kind: str = "investigations") -> Any:
    data = SimpleUploadedFile("extract.csv", csv_text(rows).encode(), content_type="text/csv")
    return client.post(reverse("intake:import-upload"), {"kind": kind, "file": data})


@pytest.mark.django_db
def test_administrator_uploads_sees_the_report_and_confirms(
    personas: dict[str, Any], import_dir: Path
) -> None:
    client = client_for(personas["administrator"])
    response = upload(client, [investigation_row("WB/1"), investigation_row("WB/2")])
    record = IntakeImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "intake:import-preview", args=[record.public_id]
    )
    assert Path(record.stored_path).is_relative_to(import_dir) and Path(record.stored_path).exists()
    html = client.get(response["Location"]).content.decode()
    assert "What the import would do" in html and "Confirm and import" in html
    assert Investigation.objects.count() == 0, "the check writes nothing"
    done = client.post(response["Location"], follow=True).content.decode()
    assert "2 created" in done and Investigation.objects.count() == 2
    record.refresh_from_db()
    assert record.status == "imported" and not Path(record.stored_path).exists()
    assert client.post(response["Location"]).status_code == 200, "posting again imports nothing"
    assert Investigation.objects.count() == 2


@pytest.mark.django_db
def test_a_file_with_problems_shows_them_and_can_import_the_good_rows(
    personas: dict[str, Any],
) -> None:
    client = client_for(personas["administrator"])
    response = upload(
        client, [investigation_row("WB/1"), investigation_row("WB/2", recorded_at="31/02/2023")]
    )
    html = client.get(response["Location"]).content.decode()
    assert "row 3, column recorded_at: &#x27;31/02/2023&#x27; is not a real date" in html
    assert "Confirm and import" not in html and "Import the rows without problems" in html
    client.post(response["Location"], {"partial": "on"})
    assert list(Investigation.objects.values_list("investigation_ref", flat=True)) == ["WB/1"]


@pytest.mark.django_db
def test_the_upload_form_re_shows_the_problem(personas: dict[str, Any]) -> None:
    client = client_for(personas["administrator"])
    html = client.post(reverse("intake:import-upload"), {"kind": "investigations"}).content.decode()
    assert "There is a problem" in html and "Select a CSV or XLSX file" in html
    assert 'value="investigations" checked' in html, "what was chosen is kept"


@pytest.mark.django_db
def test_roles_without_the_import_permission_cannot_open_the_upload_page(
    personas: dict[str, Any],
) -> None:
    for slug in ("triage_sergeant", "health_idva", "analyst"):
        assert client_for(personas[slug]).get(reverse("intake:import-upload")).status_code == 403


@pytest.mark.django_db
def test_officer_records_a_ric_with_a_judgement_regrade(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    investigation = west_case["investigation"]
    url = reverse("intake:risk-assessment-new", args=[investigation.public_id])
    client = client_for(personas["response_officer"])
    answers = {f"q_{code}": "no" for code in _ric_codes()}
    answers.update({"tool": "RIC", "grade": "high", "reason": ""})
    html = client.post(url, answers).content.decode()
    assert "A professional-judgement grade needs a reason" in html
    assert 'value="high" checked' in html
    answers["reason"] = "Strangulation disclosed"
    assert client.post(url, answers).status_code == 302
    assessment = RiskAssessment.objects.get(investigation=investigation)
    assert (assessment.tool, assessment.yes_count, assessment.grade, assessment.regrade_reason) == (
        "RIC",
        0,
        "high",
        "Strangulation disclosed",
    )
    assert len(assessment.answers) == 24


@pytest.mark.django_db
def test_dara_needs_the_officers_rationale(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    url = (
        reverse("intake:risk-assessment-new", args=[west_case["investigation"].public_id])
        + "?tool=DARA"
    )
    client = client_for(personas["triage_sergeant"])
    html = client.post(url, {"tool": "DARA", "grade": "medium"}).content.decode()
    assert "Give your rationale for the grade" in html
    assert (
        client.post(
            url, {"tool": "DARA", "grade": "medium", "reason": "controlling, escalating"}
        ).status_code
        == 302
    )
    west_case["investigation"].refresh_from_db()
    assert west_case["investigation"].risk_grade == "medium"


def _ric_codes() -> list[str]:
    return [q.code for q in RIC_QUESTIONS]


@pytest.mark.django_db
def test_the_report_lists_references_held_for_review(personas: dict[str, Any], areas: Any) -> None:
    from provide.people.models import Person

    Person.objects.create(
        force_person_ref="P100",
        given_name="Marion",
        family_name="Collier",
        synthetic=True,
        date_of_birth="2003-02-11",
    )
    client = client_for(personas["administrator"])
    response = upload(
        client, [investigation_row("WB/1", victim_name="Denise Harper", victim_dob="1984-08-30")]
    )
    html = client.get(response["Location"]).content.decode()
    assert "Held for review: 1 person reference</h2>" in html
    assert "will not be changed" in html and reverse("people:match-list") in html
    assert (
        '<td class="govuk-table__cell">2</td><td class="govuk-table__cell">P100</td>'
        '<td class="govuk-table__cell">Victim</td><td class="govuk-table__cell">name and date of birth</td>'
    ) in html
    done = client.post(response["Location"], follow=True).content.decode()
    assert "1 held for review" in done and "was not changed" in done
    first, kept_apart = Person.objects.filter(force_person_ref="P100").order_by("pk")
    assert (first.given_name, kept_apart.given_name) == ("Marion", "Denise")


def _preview_url(record: IntakeImport) -> str:
    return reverse("intake:import-preview", args=[record.public_id])


@pytest.mark.django_db
def test_the_upload_page_lists_the_ten_most_recent_imports(personas: dict[str, Any]) -> None:
    for n in range(12):
        IntakeImport.objects.create(
            kind=IntakeImport.Kind.INVESTIGATIONS, file_name=f"extract-{n:02d}.csv", file_sha256=""
        )
    html = client_for(personas["administrator"]).get(reverse("intake:import-upload")).content
    page = html.decode()
    assert "Recent imports" in page
    listed = [n for n in range(12) if f"extract-{n:02d}.csv" in page]
    assert listed == list(range(2, 12)), "the newest ten, the two oldest left off"


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_on_the_form(
    personas: dict[str, Any], settings: Any
) -> None:
    settings.PROVIDE_IMPORT_MAX_MB = 0
    response = upload(client_for(personas["administrator"]), [investigation_row("WB/1")])
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "The file is larger than the import limit of 0 MB" in html
    assert not IntakeImport.objects.exists()


@pytest.mark.django_db
def test_a_custody_feed_is_checked_with_the_custody_importer(personas: dict[str, Any]) -> None:
    client = client_for(personas["administrator"])
    response = upload(client, [investigation_row("WB/1")], kind="custody")
    record = IntakeImport.objects.get()
    assert record.kind == "custody" and response["Location"] == _preview_url(record)
    html = client.get(response["Location"]).content.decode()
    assert "Custody events" in html and "required column &#x27;custody_ref&#x27; is missing" in html


@pytest.mark.django_db
def test_an_unknown_or_malformed_import_is_not_found(personas: dict[str, Any]) -> None:
    client = client_for(personas["administrator"])
    assert client.get("/intake/import/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/intake/import/not-a-uuid/").status_code == 404


@pytest.mark.django_db
def test_roles_that_cannot_import_do_not_see_an_import(personas: dict[str, Any]) -> None:
    response = upload(client_for(personas["administrator"]), [investigation_row("WB/1")])
    for slug in ("triage_sergeant", "health_idva", "analyst"):
        other = client_for(personas[slug])
        assert other.get(response["Location"]).status_code == 404
        assert other.post(response["Location"]).status_code == 404
    assert IntakeImport.objects.get().status == "previewed" and not Investigation.objects.exists()


@pytest.mark.django_db
def test_confirming_a_file_whose_every_row_has_problems_rejects_it(
    personas: dict[str, Any],
) -> None:
    client = client_for(personas["administrator"])
    response = upload(client, [investigation_row("WB/1", recorded_at="31/02/2023")])
    html = client.get(response["Location"]).content.decode()
    assert "Import the rows without problems" not in html and "Confirm and import" not in html
    page = client.post(response["Location"], follow=True).content.decode()
    record = IntakeImport.objects.get()
    assert record.status == "rejected" and not Investigation.objects.exists()
    assert "The file was rejected and nothing was imported" in page
    assert "created, 0 updated" not in page, "no success message for a rejected file"


@pytest.mark.django_db
def test_only_the_first_200_problems_are_listed_with_a_count_of_the_rest(
    personas: dict[str, Any],
) -> None:
    rows = [investigation_row(f"WB/{n}", recorded_at="31/02/2023") for n in range(205)]
    client = client_for(personas["administrator"])
    html = client.get(upload(client, rows)["Location"]).content.decode()
    assert html.count("is not a real date") == 200
    assert "And 5 more." in html


@pytest.mark.django_db
def test_roles_that_cannot_assess_risk_are_refused(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    url = reverse("intake:risk-assessment-new", args=[west_case["investigation"].public_id])
    for slug in ("joint_team_officer", "health_idva", "analyst", "administrator"):
        assert client_for(personas[slug]).get(url).status_code == 403


@pytest.mark.django_db
def test_an_investigation_outside_the_officers_area_is_not_found(
    personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    client = client_for(personas["response_officer"])
    url = reverse("intake:risk-assessment-new", args=[east_case["investigation"].public_id])
    assert client.get(url).status_code == 404
    unknown = reverse("intake:risk-assessment-new", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(unknown).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("tool", ["", "CAADA", "dash"])
def test_without_a_known_tool_the_officer_chooses_one(
    personas: dict[str, Any], west_case: dict[str, Any], tool: str
) -> None:
    investigation = west_case["investigation"]
    url = reverse("intake:risk-assessment-new", args=[investigation.public_id])
    html = client_for(personas["response_officer"]).get(url, {"tool": tool}).content.decode()
    assert "Choose the tool you used" in html and "Investigation WB/2026/000001" in html
    for value in ("DARA", "DASH", "RIC"):
        assert f'href="?tool={value}"' in html
    assert_audited("intake.investigation_viewed", action="view", subject=investigation)
    assert not RiskAssessment.objects.exists()


@pytest.mark.django_db
def test_a_recorded_assessment_returns_to_the_investigation_with_a_message(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    investigation = west_case["investigation"]
    url = reverse("intake:risk-assessment-new", args=[investigation.public_id])
    answers = {f"q_{code}": "no" for code in _ric_codes()}
    response = client_for(personas["response_officer"]).post(
        url, {**answers, "tool": "RIC", "grade": ""}, follow=True
    )
    assert response.redirect_chain[0][0] == reverse(
        "web:investigation-detail", args=[investigation.public_id]
    )
    assert "Risk assessment recorded" in response.content.decode()
    assessment = RiskAssessment.objects.get()
    assert (assessment.tool, assessment.grade, assessment.yes_count) == ("RIC", "standard", 0)


@pytest.mark.django_db
def test_lowering_a_visible_high_risk_is_refused_on_the_grade(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    url = reverse("intake:risk-assessment-new", args=[west_case["investigation"].public_id])
    answers = {f"q_{code}": "yes" for code in _ric_codes()}
    answers.update({"tool": "RIC", "grade": "medium", "reason": "She says it has calmed down"})
    response = client_for(personas["triage_sergeant"]).post(url, answers)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<a href="#id_grade_0">Professional judgement cannot lower a visible high risk'
    ) in html, "the error is put on the grade, not the reason"
    assert "She says it has calmed down" in html
    assert not RiskAssessment.objects.exists()


@pytest.mark.django_db
def test_a_missing_answer_is_named_by_its_question_number(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    url = reverse("intake:risk-assessment-new", args=[west_case["investigation"].public_id])
    answers = {f"q_{code}": "no" for code in _ric_codes()[1:]}
    html = (
        client_for(personas["response_officer"])
        .post(url, {**answers, "tool": "RIC"})
        .content.decode()
    )
    assert "Answer question 1: yes, no or don&#x27;t know" in html
    assert not RiskAssessment.objects.exists()


@pytest.fixture
def fy1_directory() -> None:
    from django.utils import timezone

    from provide.areas.models import PostcodeCentroid

    PostcodeCentroid.objects.create(postcode="FY1 9XA", latitude=53.8162, longitude=-3.0531,
                                    loaded_at=timezone.now())  # fmt: skip


@pytest.mark.django_db
def test_a_case_without_a_location_says_so_with_the_postcode_to_correct(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    url = reverse("intake:investigation-location", args=[west_case["investigation"].public_id])
    page = client_for(personas["triage_sergeant"]).get(url).content.decode()
    assert "No location: the plan cannot include her." in page
    assert 'value="FY1 1AA"' in page, "her postcode as held, ready to correct"


@pytest.mark.django_db
def test_the_fix_places_the_case_and_returns_to_the_investigation(
    personas: dict[str, Any], west_case: dict[str, Any], fy1_directory: None
) -> None:
    investigation = west_case["investigation"]
    client = client_for(personas["joint_team_officer"])
    url = reverse("intake:investigation-location", args=[investigation.public_id])
    response = client.post(url, {"postcode": "fy1 9xa"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "web:investigation-detail", args=[investigation.public_id]
    )
    investigation.refresh_from_db()
    assert (investigation.latitude, investigation.location_source) == (53.8162, "postcode")
    page = client.get(url).content.decode()
    assert "No location" not in page and "centre of the victim&#x27;s postcode" in page


@pytest.mark.django_db
def test_the_fix_goes_back_to_the_page_it_came_from_on_this_site_only(
    personas: dict[str, Any], west_case: dict[str, Any], fy1_directory: None
) -> None:
    client = client_for(personas["triage_sergeant"])
    url = reverse("intake:investigation-location", args=[west_case["investigation"].public_id])
    back = client.post(url, {"postcode": "FY1 9XA", "next": "/triage/?bcu=West"})
    assert back["Location"] == "/triage/?bcu=West"
    away = client.post(url, {"postcode": "FY1 9XA", "next": "https://example.org/"})
    assert away["Location"].startswith("/investigations/")


@pytest.mark.django_db
def test_an_unknown_postcode_is_named_and_what_was_typed_is_kept(
    personas: dict[str, Any], west_case: dict[str, Any], fy1_directory: None
) -> None:
    url = reverse("intake:investigation-location", args=[west_case["investigation"].public_id])
    response = client_for(personas["triage_sergeant"]).post(url, {"postcode": "FY9 9ZZ"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "FY9 9ZZ is not in the postcode directory" in page
    assert 'value="FY9 9ZZ"' in page
    west_case["investigation"].refresh_from_db()
    assert west_case["investigation"].location_source == "none"


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("analyst", 403), ("administrator", 403),
                                               ("response_officer", 200), ("health_idva", 200)])  # fmt: skip
def test_roles_that_cannot_change_her_contact_details_cannot_place_her_case(
    personas: dict[str, Any], west_case: dict[str, Any], role: str, status: int
) -> None:
    url = reverse("intake:investigation-location", args=[west_case["investigation"].public_id])
    assert client_for(personas[role]).get(url).status_code == status


@pytest.mark.django_db
def test_a_case_outside_the_officers_area_is_not_found_for_the_fix(
    personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    url = reverse("intake:investigation-location", args=[east_case["investigation"].public_id])
    assert client_for(personas["triage_sergeant"]).get(url).status_code == 404


@pytest.mark.django_db
def test_the_partial_for_other_pages_flags_the_case_and_posts_the_fix(
    personas: dict[str, Any], west_case: dict[str, Any], rf: Any
) -> None:
    from django.template.loader import render_to_string

    request = rf.get("/triage/")
    request.user = personas["triage_sergeant"]
    investigation = west_case["investigation"]
    html = render_to_string("intake/_location_missing.html",
                            {"investigation": investigation, "next": "/triage/"}, request=request)  # fmt: skip
    assert "No location: the plan cannot include her." in html
    assert reverse("intake:investigation-location", args=[investigation.public_id]) in html
    assert 'name="next" value="/triage/"' in html
    request.user = personas["analyst"]
    assert "<form" not in render_to_string("intake/_location_missing.html",
                                           {"investigation": investigation}, request=request)  # fmt: skip
