"""provide import-investigations: CSV and XLSX, every tolerance, idempotent, audited."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import transaction

from provide.audit.models import AuditEvent
from provide.intake.models import Investigation, RiskAssessment
from provide.intake.services import investigations_import
from provide.intake.services.risk import risk_assessment_record
from provide.people.models import Person, PersonMatch
from tests.audit_assertions import assert_audited
from tests.intake.builders import csv_text, investigation_row, write_csv, write_investigations

UTC = dt.UTC
NOTHING_HELD = {"held_for_review": 0, "identity_conflicts": []}


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_investigations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_creates_investigations_with_linked_people_and_a_dated_assessment(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    path = write_investigations(
        tmp_path / "a.csv",
        [
            investigation_row("WB/1"),
            investigation_row(
                "WB/2", recorded_at="2023-07-01T10:00", risk_grade="medium", dash_yes_count="9"
            ),
        ],
    )
    out, _ = run(str(path), "--json")
    assert json.loads(out.strip().splitlines()[-1]) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        **NOTHING_HELD,
    }
    first = Investigation.objects.get(investigation_ref="WB/1")
    second = Investigation.objects.get(investigation_ref="WB/2")
    assert first.victim == second.victim, "the same victim_id is one person"
    victim = first.victim
    assert (victim.given_name, victim.family_name, victim.date_of_birth) == (
        "Marion",
        "Collier",
        dt.date(1990, 3, 4),
    )
    assert victim.postcode == "FY1 1AA" and victim.vulnerabilities == ["mental_health"]
    assert first.suspect.force_person_ref == "P200"
    assert first.recorded_at == dt.datetime(2023, 6, 1, 13, 5, tzinfo=UTC)  # BST -> UTC
    assert first.abuse_types == ["physical", "coercive_control"]
    assert first.bcu == areas["west"] and first.district == areas["blackpool"]
    assert first.suspect_in_custody is True and first.source == "import"
    assessment = RiskAssessment.objects.get(investigation=first)
    assert (assessment.tool, assessment.grade, assessment.yes_count) == ("DASH", "high", 15)
    assert assessment.visible_high_risk is True
    assert assessment.assessed_at == dt.datetime(2023, 6, 1, 14, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(areas: dict[str, Any], tmp_path: Path) -> None:
    path = write_investigations(
        tmp_path / "a.csv",
        [
            investigation_row("WB/1", children_in_household="1"),
            investigation_row("WB/2", recorded_at="2023-07-01T10:00", children_in_household="3"),
            investigation_row("WB/3", suspect_id="", suspect_name="Kyle Unknown", suspect_dob=""),
        ],
    )
    run(str(path))
    counts = (Person.objects.count(), Investigation.objects.count(), RiskAssessment.objects.count())
    events = AuditEvent.objects.count()
    out, _ = run(str(path), "--json")
    assert json.loads(out.strip().splitlines()[-1]) == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "rejected": 0,
        **NOTHING_HELD,
    }
    assert (
        Person.objects.count(),
        Investigation.objects.count(),
        RiskAssessment.objects.count(),
    ) == counts
    assert AuditEvent.objects.count() == events + 1, "only the import event itself"
    assert Person.objects.get(force_person_ref="P100").children_in_household == 3, "latest row wins"


@pytest.mark.django_db
def test_a_newer_extract_updates_by_reference_and_records_what_changed(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    run(
        str(
            write_investigations(
                tmp_path / "a.csv", [investigation_row("WB/1"), investigation_row("WB/2")]
            )
        )
    )
    newer = write_investigations(
        tmp_path / "b.csv",
        [
            investigation_row(
                "WB/1", outcome_code="16", outcome_date="2023-09-01", risk_grade="medium"
            ),
            investigation_row("WB/2"),
            investigation_row("WB/3"),
        ],
    )
    out, _ = run(str(newer), "--json")
    assert json.loads(out.strip().splitlines()[-1]) == {
        "created": 1,
        "updated": 1,
        "unchanged": 1,
        "rejected": 0,
        **NOTHING_HELD,
    }
    investigation = Investigation.objects.get(investigation_ref="WB/1")
    assert (investigation.outcome_code, investigation.outcome_on) == ("16", dt.date(2023, 9, 1))
    event = AuditEvent.objects.get(event="intake.investigation_updated")
    assert event.changes["outcome_code"] == ["", "16"]
    assert event.changes["risk_grade"] == ["high", "medium"]
    assert event.actor_username == "provide import-investigations"
    assert str(event.person_id) == str(investigation.victim.public_id)
    grades = list(RiskAssessment.objects.filter(investigation=investigation).order_by("pk"))
    assert [a.grade for a in grades] == ["high", "medium"], "assessments are never overwritten"
    assert grades[1].regrade_of == grades[0] and grades[1].regrade_reason
    assert AuditEvent.objects.filter(event="intake.investigations_imported").count() == 2


@pytest.mark.django_db
def test_every_formats_tolerance_is_read(areas: dict[str, Any], tmp_path: Path) -> None:
    row = investigation_row(
        "WB/1",
        recorded_at="03/04/22 14:05",
        first_police_visit_at="3/4/2022 15:00",
        victim_pregnant="yes.",
        suspect_in_custody="y ",
        abuse_types="Physical | Coercive control",
        vulnerabilities="mental_health, substance_use",
        risk_grade=" HIGH ",
        crime_or_incident="Non-Crime",
        relationship="Ex-Partner",
        victim_dob="04/03/1990",
        outcome_code="1a",
    )
    text = (
        csv_text([row])
        .replace("investigation_ref", " Investigation Ref ")
        .replace("victim_pregnant", "VICTIM-PREGNANT")
    )
    path = tmp_path / "tolerant.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode() + b"\r\n,,,\r\n")
    result = investigations_import(actor=None, path=path)
    assert result.problems == [] and result.created == 1
    investigation = Investigation.objects.get()
    assert investigation.recorded_at == dt.datetime(2022, 4, 3, 13, 5, tzinfo=UTC), (
        "day first, London time"
    )
    assert investigation.victim_pregnant is True and investigation.suspect_in_custody is True
    assert investigation.abuse_types == ["physical", "coercive_control"]
    assert (investigation.crime_or_incident, investigation.relationship) == (
        "non-crime",
        "ex_partner",
    )
    assert investigation.outcome_code == "1A"
    assert investigation.victim.date_of_birth == dt.date(1990, 3, 4)
    assert investigation.victim.vulnerabilities == ["mental_health", "substance_use"]


@pytest.mark.django_db
def test_blank_booleans_stay_unknown(areas: dict[str, Any], tmp_path: Path) -> None:
    path = write_investigations(
        tmp_path / "a.csv", [investigation_row("WB/1", victim_pregnant="", suspect_in_custody="")]
    )
    investigations_import(actor=None, path=path)
    investigation = Investigation.objects.get()
    assert investigation.victim_pregnant is None and investigation.suspect_in_custody is None


@pytest.mark.django_db
def test_xlsx_with_native_date_cells_is_imported(areas: dict[str, Any], tmp_path: Path) -> None:
    from openpyxl import Workbook

    row = investigation_row("WB/9")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(row))
    values: list[Any] = list(row.values())
    values[2] = dt.datetime(2023, 1, 10, 9, 30)  # noqa: DTZ001 - a native (zone-less) date cell, GMT
    values[12] = dt.datetime(1990, 3, 4)  # noqa: DTZ001 - victim_dob as Excel stores it
    sheet.append(values)
    path = tmp_path / "extract.xlsx"
    workbook.save(path)
    result = investigations_import(actor=None, path=path)
    assert result.problems == [] and result.created == 1
    investigation = Investigation.objects.get()
    assert investigation.recorded_at == dt.datetime(2023, 1, 10, 9, 30, tzinfo=UTC)
    assert investigation.victim.date_of_birth == dt.date(1990, 3, 4)


@pytest.mark.django_db
def test_a_column_mapping_reads_other_headers(areas: dict[str, Any], tmp_path: Path) -> None:
    row = investigation_row("WB/1")
    renamed = {
        "Crime Ref": row.pop("investigation_ref"),
        "Date Recorded": row.pop("recorded_at"),
        "Division": row.pop("bcu"),
        "Victim Person ID": row.pop("victim_id"),
        **row,
    }
    path = write_csv(tmp_path / "force.csv", [renamed])
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "Crime Ref": "investigation_ref",
                "Date Recorded": "recorded_at",
                "Division": "bcu",
                "Victim Person ID": "victim_id",
            }
        )
    )
    out, _ = run(str(path), "--mapping", str(mapping), "--json")
    assert json.loads(out.strip().splitlines()[-1])["created"] == 1
    assert Investigation.objects.get().investigation_ref == "WB/1"


@pytest.mark.django_db
def test_unknown_extra_columns_are_reported_not_an_error(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    row = {**investigation_row("WB/1"), "Officer Notes": "see log"}
    out, _ = run(str(write_csv(tmp_path / "a.csv", [row])))
    assert "extra columns kept aside: Officer Notes" in out
    assert Investigation.objects.count() == 1


@pytest.mark.django_db
def test_dry_run_prints_the_report_and_writes_nothing(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    path = write_investigations(
        tmp_path / "a.csv", [investigation_row("WB/1"), investigation_row("WB/2")]
    )
    events = AuditEvent.objects.count()
    out, _ = run(str(path), "--dry-run", "--json")
    assert "dry run, nothing written" in out
    assert json.loads(out.strip().splitlines()[-1])["created"] == 2
    assert (Investigation.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == (
        0,
        0,
        events,
    )


@pytest.mark.django_db
def test_a_bad_row_rejects_the_whole_file_by_default(areas: dict[str, Any], tmp_path: Path) -> None:
    path = write_investigations(
        tmp_path / "a.csv",
        [
            investigation_row("WB/1"),
            investigation_row("WB/2", recorded_at="31/02/2023 10:00"),
            investigation_row("WB/3", victim_pregnant="maybe"),
        ],
    )
    with pytest.raises(CommandError) as raised:
        run(str(path), "--json")
    assert raised.value.returncode == 1
    assert Investigation.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.django_db
def test_problems_are_printed_as_row_column_reason(areas: dict[str, Any], tmp_path: Path) -> None:
    path = write_investigations(
        tmp_path / "a.csv", [investigation_row("WB/1", victim_pregnant="maybe")]
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_investigations", str(path), stdout=io.StringIO(), stderr=err)
    assert "row 2, column victim_pregnant: 'maybe' is not yes/no" in err.getvalue()


@pytest.mark.django_db
def test_partial_imports_good_rows_and_writes_a_rejects_file(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    path = write_investigations(
        tmp_path / "a.csv",
        [
            investigation_row("WB/1"),
            investigation_row("WB/2", bcu="Nowhere"),
            investigation_row("WB/3"),
        ],
    )
    out, _ = run(str(path), "--partial", "--json")
    assert json.loads(out.strip().splitlines()[-1]) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        **NOTHING_HELD,
    }
    rejects = (tmp_path / "a.rejects.csv").read_text(encoding="utf-8-sig")
    assert "WB/2" in rejects and "'Nowhere' is not a known BCU" in rejects and "WB/1" not in rejects
    assert set(Investigation.objects.values_list("investigation_ref", flat=True)) == {
        "WB/1",
        "WB/3",
    }


@pytest.mark.django_db
def test_a_suspect_without_a_force_id_is_linked_by_name_and_date_of_birth(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    run(str(write_investigations(tmp_path / "a.csv", [investigation_row("WB/1")])))
    later = investigation_row(
        "WB/2", suspect_id="", suspect_name="Edward Colier", suspect_dob="1988-05-27"
    )
    result = investigations_import(
        actor=None, path=write_investigations(tmp_path / "b.csv", [later])
    )
    assert result.problems == []
    assert Investigation.objects.get(investigation_ref="WB/2").suspect.force_person_ref == "P200"


@pytest.mark.django_db
def test_a_user_without_the_import_permission_is_refused(
    personas: dict[str, Any], tmp_path: Path
) -> None:
    path = write_investigations(tmp_path / "a.csv", [investigation_row("WB/1")])
    with pytest.raises(PermissionDenied):
        investigations_import(actor=personas["triage_sergeant"], path=path)
    result = investigations_import(actor=personas["administrator"], path=path)
    assert result.created == 1
    assert_audited(
        "intake.investigations_imported", action="import", actor=personas["administrator"]
    )


@pytest.mark.django_db
def test_a_grade_recorded_in_provide_survives_a_reimport_of_the_older_extract(
    personas: dict[str, Any], tmp_path: Path
) -> None:
    path = write_investigations(
        tmp_path / "a.csv",
        [investigation_row("WB/1", risk_tool="DARA", risk_grade="medium", dash_yes_count="")],
    )
    investigations_import(actor=None, path=path)
    investigation = Investigation.objects.get()
    risk_assessment_record(
        user=personas["triage_sergeant"],
        investigation=investigation,
        tool="DARA",
        grade="high",
        reason="threats to kill disclosed at the follow-up visit",
    )
    again = investigations_import(actor=None, path=path)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    investigation.refresh_from_db()
    assert investigation.risk_grade == "high"
    newer = write_investigations(
        tmp_path / "b.csv",
        [investigation_row("WB/1", risk_tool="DARA", risk_grade="standard", dash_yes_count="")],
    )
    assert investigations_import(actor=None, path=newer).updated == 1, (
        "a newer extract's grade still applies"
    )
    investigation.refresh_from_db()
    assert investigation.risk_grade == "standard"


# -- identity: a reference never rewrites who a person is ------------------------------------

HELD_REASON = "same force person id P100, different name and date of birth"


def _collision(tmp_path: Path) -> tuple[Person, Any]:
    """Marion Collier (born 2003) is P100; a later extract gives P100 to someone born 1984."""
    investigations_import(
        actor=None,
        path=write_investigations(
            tmp_path / "a.csv",
            [
                investigation_row(
                    "WB/1",
                    victim_name="Marion Collier",
                    victim_dob="2003-02-11",
                    victim_postcode="FY1 1AA",
                )
            ],
        ),
    )
    held = Person.objects.get(force_person_ref="P100")
    newer = write_investigations(
        tmp_path / "b.csv",
        [
            investigation_row(
                "WB/1",
                victim_name="Marion Collier",
                victim_dob="2003-02-11",
                outcome_code="16",
                outcome_date="2023-09-01",
            ),
            investigation_row(
                "WB/2",
                recorded_at="2023-07-01T10:00",
                victim_name="Denise Harper",
                victim_dob="1984-08-30",
                victim_postcode="PR1 2AB",
            ),
        ],
    )
    return held, newer


@pytest.mark.django_db
def test_a_reference_collision_leaves_the_person_held_unchanged_and_queues_a_review(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    held, newer = _collision(tmp_path)
    before = Person.objects.filter(pk=held.pk).values().get()
    result = investigations_import(actor=None, path=newer)
    assert result.problems == [] and (result.created, result.updated) == (1, 1)
    assert Person.objects.filter(pk=held.pk).values().get() == before, (
        "name, date of birth, postcode untouched"
    )
    assert not AuditEvent.objects.filter(event="people.person_updated").exists()
    other = Investigation.objects.get(investigation_ref="WB/2").victim
    assert other.pk != held.pk and other.force_person_ref == "P100"
    assert (other.given_name, other.family_name, other.date_of_birth, other.postcode) == (
        "Denise",
        "Harper",
        dt.date(1984, 8, 30),
        "PR1 2AB",
    )
    assert Investigation.objects.get(investigation_ref="WB/1").victim == held
    match = PersonMatch.objects.get(status="open")
    assert (match.person, match.candidate) == (other, held)
    assert match.reasons[0] == HELD_REASON
    assert [c.as_dict() for c in result.identity_conflicts] == [
        {"reference": "P100", "row": 3, "role": "victim", "differs": ["name", "date of birth"]}
    ]


@pytest.mark.django_db
def test_the_summary_and_json_list_each_reference_held_for_review(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    _, newer = _collision(tmp_path)
    out, _ = run(str(newer), "--json")
    lines = out.strip().splitlines()
    assert json.loads(lines[-1]) == {
        "created": 1,
        "updated": 1,
        "unchanged": 0,
        "rejected": 0,
        "held_for_review": 1,
        "identity_conflicts": [
            {"reference": "P100", "row": 3, "role": "victim", "differs": ["name", "date of birth"]}
        ],
    }
    assert (
        "held for review: row 3: victim reference 'P100' is held for a person with a different name and "
        "date of birth; kept apart for review"
    ) in lines
    assert lines[-2].startswith(
        f"{newer}: 1 created, 1 updated, 0 unchanged, 0 rejected, 1 held for review (2 rows, "
    )


@pytest.mark.django_db
def test_re_importing_a_collision_queues_nothing_new(areas: dict[str, Any], tmp_path: Path) -> None:
    _, newer = _collision(tmp_path)
    investigations_import(actor=None, path=newer)
    counts = (Person.objects.count(), PersonMatch.objects.count())
    again = investigations_import(actor=None, path=newer)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert again.identity_conflicts == [], "the row lands on the record kept apart last time"
    assert (Person.objects.count(), PersonMatch.objects.count()) == counts


@pytest.mark.django_db
def test_a_stored_investigation_keeps_its_victim_when_the_row_gives_that_id_another_identity(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    held, _ = _collision(tmp_path)
    renamed = write_investigations(
        tmp_path / "c.csv",
        [
            investigation_row(
                "WB/1", victim_name="Denise Harper", victim_dob="1984-08-30", offence="Harassment"
            )
        ],
    )
    result = investigations_import(actor=None, path=renamed)
    assert result.updated == 1 and len(result.identity_conflicts) == 1
    investigation = Investigation.objects.get(investigation_ref="WB/1")
    assert investigation.victim == held and investigation.offence == "Harassment"
    event = AuditEvent.objects.get(event="intake.investigation_updated")
    assert set(event.changes) == {"offence"}


@pytest.mark.django_db
def test_a_victim_moving_house_is_an_update_and_a_blank_date_of_birth_is_filled_in(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    investigations_import(
        actor=None,
        path=write_investigations(
            tmp_path / "a.csv",
            [investigation_row("WB/1", victim_dob="", victim_postcode="FY1 1AA")],
        ),
    )
    moved = write_investigations(
        tmp_path / "b.csv",
        [
            investigation_row(
                "WB/2",
                recorded_at="2023-07-01T10:00",
                victim_name="MARION  COLLIER",
                victim_dob="1990-03-04",
                victim_postcode="PR4 9NN",
            )
        ],
    )
    result = investigations_import(actor=None, path=moved)
    assert result.identity_conflicts == [] and PersonMatch.objects.count() == 0
    person = Person.objects.get(force_person_ref="P100")
    assert (person.given_name, person.family_name) == ("Marion", "Collier"), (
        "the spelling held is kept"
    )
    assert (person.date_of_birth, person.postcode) == (dt.date(1990, 3, 4), "PR4 9NN")
    event = AuditEvent.objects.get(event="people.person_updated")
    assert event.changes["postcode"] == ["FY1 1AA", "PR4 9NN"] and event.changes[
        "date_of_birth"
    ] == [None, "1990-03-04"]


@pytest.mark.django_db
def test_two_people_with_one_reference_in_one_file_are_kept_apart(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    path = write_investigations(
        tmp_path / "a.csv",
        [
            investigation_row("WB/1", victim_dob="2003-02-11"),
            investigation_row(
                "WB/2",
                recorded_at="2023-07-01T10:00",
                victim_name="Denise Harper",
                victim_dob="1984-08-30",
            ),
            investigation_row(
                "WB/3",
                recorded_at="2023-08-01T10:00",
                victim_name="Marion Collier",
                victim_dob="2003-02-11",
            ),
        ],
    )
    result = investigations_import(actor=None, path=path)
    victims = {
        i.investigation_ref: i.victim for i in Investigation.objects.select_related("victim")
    }
    assert victims["WB/1"] == victims["WB/3"] != victims["WB/2"]
    assert victims["WB/1"].date_of_birth == dt.date(2003, 2, 11) and victims[
        "WB/2"
    ].date_of_birth == dt.date(1984, 8, 30)
    assert [(c.reference, c.row) for c in result.identity_conflicts] == [("P100", 3)]


@pytest.mark.django_db
def test_once_a_reviewer_merges_the_pair_either_identity_lands_on_the_survivor(
    areas: dict[str, Any], personas: dict[str, Any], tmp_path: Path
) -> None:
    from provide.people.services import person_merge

    held, newer = _collision(tmp_path)
    investigations_import(actor=None, path=newer)
    match = PersonMatch.objects.get()
    person_merge(
        user=personas["triage_sergeant"],
        duplicate=match.person,
        survivor=held,
        reason="same woman",
        match=match,
    )
    again = investigations_import(actor=None, path=newer)
    assert again.identity_conflicts == [] and PersonMatch.objects.count() == 1
    assert set(Investigation.objects.values_list("victim", flat=True)) == {held.pk}
    held.refresh_from_db()
    assert held.date_of_birth == dt.date(2003, 2, 11), "the survivor keeps its own details"


@pytest.mark.django_db
def test_a_suspect_reference_collision_is_held_too(areas: dict[str, Any], tmp_path: Path) -> None:
    investigations_import(
        actor=None, path=write_investigations(tmp_path / "a.csv", [investigation_row("WB/1")])
    )
    other = write_investigations(
        tmp_path / "b.csv",
        [
            investigation_row(
                "WB/2",
                recorded_at="2023-07-01T10:00",
                victim_id="P101",
                suspect_name="Gary Tomlin",
                suspect_dob="1979-01-02",
            )
        ],
    )
    result = investigations_import(actor=None, path=other)
    assert [c.as_dict() for c in result.identity_conflicts] == [
        {"reference": "P200", "row": 2, "role": "suspect", "differs": ["name", "date of birth"]}
    ]
    assert (
        Person.objects.get(
            pk=Investigation.objects.get(investigation_ref="WB/1").suspect_id
        ).given_name
        == "Edward"
    )


@pytest.mark.django_db
def test_writing_in_batches_gives_what_one_batch_gives(
    areas: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import provide.intake.services.investigations as investigations

    rows = [
        investigation_row(
            f"WB/{n}",
            recorded_at=f"2023-06-{n:02d}T10:00",
            victim_id=f"P{100 + n % 3}",
            victim_name=f"Victim{'abc'[n % 3]} Synthetic",
            victim_dob=f"199{n % 3}-01-01",
            children_in_household=str(n),
            suspect_id="" if n % 4 else "P900",
            suspect_name="Kyle Synthetic" if n % 4 else "Gordon Synthetic",
            suspect_dob="1985-05-05" if n % 4 else "1960-10-10",
        )
        for n in range(1, 12)
    ]
    rows[10] = {
        **rows[10],
        "victim_name": "Someone Else",
        "victim_dob": "1970-07-07",
    }  # P102 collides
    path = write_investigations(tmp_path / "a.csv", rows)

    def imported(batch: int) -> tuple[Any, ...]:
        """Import in batches of ``batch`` rows, note what is stored, and roll it all back."""
        monkeypatch.setattr(investigations, "WRITE_BATCH", batch)
        seen: list[Any] = []
        with pytest.raises(_RolledBack), transaction.atomic():
            result = investigations_import(actor=None, path=path)
            people = sorted(
                Person.objects.values_list(
                    "force_person_ref", "given_name", "date_of_birth", "children_in_household"
                ),
                key=str,
            )
            links = sorted(
                Investigation.objects.values_list(
                    "investigation_ref", "victim__given_name", "suspect__given_name"
                )
            )
            seen.extend(
                [
                    result.counts(),
                    result.identity_conflicts,
                    people,
                    links,
                    PersonMatch.objects.count(),
                ]
            )
            raise _RolledBack
        return tuple(seen)

    whole, batched = imported(10_000), imported(2)
    assert batched == whole
    assert whole[1] and whole[4] >= 1, "the collision is held and queued either way"
    assert (10, "P101") in {(p[3], p[0]) for p in whole[2]}, "the latest row wins"


class _RolledBack(Exception):
    pass


@pytest.mark.django_db
def test_two_rows_filling_in_different_dates_of_birth_are_a_conflict_too(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    investigations_import(
        actor=None,
        path=write_investigations(tmp_path / "a.csv", [investigation_row("WB/1", victim_dob="")]),
    )
    path = write_investigations(
        tmp_path / "b.csv",
        [
            investigation_row("WB/2", recorded_at="2023-07-01T10:00", victim_dob="1990-03-04"),
            investigation_row("WB/3", recorded_at="2023-08-01T10:00", victim_dob="1979-12-12"),
        ],
    )
    result = investigations_import(actor=None, path=path)
    assert [(c.row, c.differs) for c in result.identity_conflicts] == [(3, ("date of birth",))]
    first, kept_apart = Person.objects.filter(force_person_ref="P100").order_by("pk")
    assert (first.date_of_birth, kept_apart.date_of_birth) == (
        dt.date(1990, 3, 4),
        dt.date(1979, 12, 12),
    )


@pytest.mark.django_db
def test_a_grid_reference_under_other_header_spellings_places_the_case(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    row = investigation_row("WB/1", victim_lat="", victim_lon="")
    row["Victim Easting"], row["VICTIM-NORTHING"] = "330000", "436000"
    result = investigations_import(actor=None, path=write_csv(tmp_path / "g.csv", [row]))
    assert result.problems == [] and result.extra_columns == []
    case = Investigation.objects.get(investigation_ref="WB/1")
    assert case.location_source == "grid_reference"
    assert (case.latitude, case.longitude) == (
        pytest.approx(53.8155, abs=1e-4),
        pytest.approx(-3.0647, abs=1e-4),
    )


@pytest.mark.django_db
def test_the_grid_transformation_is_built_once_per_import(
    areas: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from provide.areas import grid

    built: list[object] = []
    real = grid.Transformer.from_crs
    monkeypatch.setattr(
        grid.Transformer, "from_crs", lambda *a, **k: built.append(a) or real(*a, **k)
    )
    rows = [investigation_row(f"WB/{n}", victim_lat="", victim_lon="", victim_easting=str(330000 + n),
                              victim_northing="436000") for n in range(30)]  # fmt: skip
    investigations_import(actor=None, path=write_csv(tmp_path / "g.csv", rows))
    assert len(built) == 1
    assert Investigation.objects.filter(location_source="grid_reference").count() == 30
