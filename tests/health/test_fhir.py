"""FHIR R4 Patient + Appointment -> discreet-contact windows: the check (no database) and the import."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from provide.health.fhir import (
    AppointmentsNotAllowed,
    AppointmentSummary,
    FhirFileError,
    appointments_import,
    fhir_check,
    nhs_number_is_valid,
)
from provide.health.models import HealthAppointment
from tests.audit_assertions import assert_audited
from tests.cast import HEALTH_SECRETS

NHS = HEALTH_SECRETS["nhs_number"]
NHS_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
START = "2030-03-04T09:30:00+00:00"


def patient(pid: str = "p1", nhs: str = NHS) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": pid,
        "identifier": [{"system": NHS_SYSTEM, "value": nhs}],
    }


def appointment(
    aid: str = "a1",
    *,
    status: str = "booked",
    start: str | None = START,
    end: str | None = None,
    patient_ref: str = "Patient/p1",
    **extra: Any,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": aid,
        "status": status,
        "participant": [{"actor": {"reference": patient_ref}, "status": "accepted"}],
        **extra,
    }
    if start is not None:
        resource["start"] = start
    if end is not None:
        resource["end"] = end
    return resource


def bundle(*resources: dict[str, Any]) -> str:
    return json.dumps(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": resource} for resource in resources],
        }
    )


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        (NHS, True),
        ("9434765919", True),
        ("9434765918", False),
        ("943476591", False),
        ("943 476 5919", False),
    ],
)
def test_nhs_number_modulus_11(number: str, valid: bool) -> None:
    assert nhs_number_is_valid(number) is valid


def test_an_appointment_without_an_end_lasts_its_duration_or_30_minutes() -> None:
    check = fhir_check(bundle(patient(), appointment("a1"), appointment("a2", minutesDuration=50)))
    assert check.problems == []
    start = dt.datetime(2030, 3, 4, 9, 30, tzinfo=dt.UTC)
    assert [(w.starts_at, w.ends_at) for w in check.appointments] == [
        (start, start + dt.timedelta(minutes=30)),
        (start, start + dt.timedelta(minutes=50)),
    ]
    assert [w.key for w in check.appointments] == ["Appointment/a1", "Appointment/a2"]


def test_a_location_gives_the_name_place_type_and_position() -> None:
    location = {
        "resourceType": "Location",
        "id": "l1",
        "name": "Whitegate Dental Practice",
        "position": {"latitude": 53.8, "longitude": -3.02},
    }
    visit = appointment(
        participant=[
            {"actor": {"reference": "Patient/p1"}, "status": "accepted"},
            {"actor": {"reference": "Location/l1"}, "status": "accepted"},
        ]
    )
    (window,) = fhir_check(bundle(patient(), location, visit)).appointments
    assert (window.location_name, window.place_type, window.latitude, window.longitude) == (
        "Whitegate Dental Practice",
        "dental",
        53.8,
        -3.02,
    )


@pytest.mark.parametrize(
    ("display", "place"),
    [
        ("Layton Medical Centre", "gp"),
        ("Victoria Hospital", "hospital"),
        ("The GP surgery", "gp"),
        ("Library", ""),
    ],
)
def test_place_type_is_read_from_the_location_words(display: str, place: str) -> None:
    visit = appointment(
        participant=[
            {"actor": {"reference": "Patient/p1"}, "status": "accepted"},
            {"actor": {"reference": "Location/x", "display": display}, "status": "accepted"},
        ]
    )
    (window,) = fhir_check(bundle(patient(), visit)).appointments
    assert (window.location_name, window.place_type) == (display, place)


def test_a_patient_can_be_named_by_identifier_or_by_full_url() -> None:
    by_identifier = appointment(
        "a1",
        participant=[
            {"actor": {"identifier": {"system": NHS_SYSTEM, "value": NHS}}, "status": "accepted"}
        ],
    )
    by_url = appointment("a2", patient_ref="urn:uuid:8d9e1b7a-0000-4000-8000-000000000001")
    document = json.dumps(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [
                {
                    "fullUrl": "urn:uuid:8d9e1b7a-0000-4000-8000-000000000001",
                    "resource": patient("p9"),
                },
                {"resource": by_identifier},
                {"resource": by_url},
            ],
        }
    )
    check = fhir_check(document)
    assert check.problems == [] and [w.nhs_number for w in check.appointments] == [NHS, NHS]


def test_a_single_resource_and_a_json_array_are_read_and_other_types_ignored() -> None:
    observation = {
        "resourceType": "Observation",
        "id": "o1",
        "status": "final",
        "code": {"text": "x"},
    }
    array = fhir_check(json.dumps([patient(), appointment(), observation]))
    assert len(array.appointments) == 1 and array.ignored == 1
    single = fhir_check(
        json.dumps(
            appointment(
                participant=[
                    {
                        "actor": {"identifier": {"system": NHS_SYSTEM, "value": NHS}},
                        "status": "accepted",
                    }
                ]
            )
        )
    )
    assert len(single.appointments) == 1


@pytest.mark.parametrize(
    ("resources", "problem"),
    [
        ((patient(), appointment(end="2030-03-04T09:00:00+00:00")), "ends before it starts"),
        ((patient(), appointment(start=None)), "has no start time"),
        ((appointment(patient_ref="Patient/unknown"),), "no patient with an NHS number"),
        ((patient(nhs="9434765918"), appointment()), "'9434765918' is not a valid NHS number"),
        ((patient(), appointment(minutesDuration="long")), "invalid Appointment"),
    ],
)
def test_each_unusable_resource_is_named_with_the_reason(
    resources: tuple[dict[str, Any], ...], problem: str
) -> None:
    check = fhir_check(bundle(*resources), source="gp.json")
    assert check.appointments == []
    assert all(line.startswith("gp.json: entry ") for line in check.problems)
    assert any(problem in line for line in check.problems), check.problems


def test_a_cancelled_appointment_needs_no_start() -> None:
    (window,) = fhir_check(
        bundle(patient(), appointment(status="cancelled", start=None))
    ).appointments
    assert window.cancelled and window.starts_at is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{", "not valid JSON"),
        ('{"id": 1}', "no resourceType"),
        ('{"resourceType": "Bundle", "entry": "x"}', "Bundle.entry must be a list"),
    ],
)
def test_a_file_that_is_not_fhir_is_refused_whole(raw: str, message: str) -> None:
    with pytest.raises(FhirFileError, match=message):
        fhir_check(raw, source="x.json")


def test_the_summary_line_says_what_happened() -> None:
    summary = AppointmentSummary(created=2, unmatched=1, dry_run=True)
    assert summary.line() == (
        "2 created, 0 updated, 0 unchanged, 0 rejected, 0 removed, "
        "1 with no matching victim (dry run: nothing written)"
    )
    assert (
        AppointmentSummary(file_rejected=True).line().endswith("(file rejected: nothing written)")
    )


@pytest.mark.django_db
def test_an_idva_imports_a_window_once_and_it_is_audited(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    idva = personas["health_idva"]
    check = fhir_check(bundle(patient(), appointment()), source="gp.json")
    summary = appointments_import(check=check, user=idva)
    assert summary.counts() == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "removed": 0,
        "unmatched": 0,
    }
    window = HealthAppointment.objects.get(person=west_case["victim"], fhir_id="Appointment/a1")
    assert window.ends_at - window.starts_at == dt.timedelta(minutes=30)
    assert_audited("health.appointments_imported", action="import", actor=idva)
    assert_audited("health.appointment_imported", action="update", actor=idva, subject=window)
    again = appointments_import(check=check, user=idva)
    assert (again.created, again.unchanged) == (0, 1)


@pytest.mark.django_db
def test_police_roles_may_not_import(personas: dict[str, Any], west_case: dict[str, Any]) -> None:
    check = fhir_check(bundle(patient(), appointment()))
    with pytest.raises(AppointmentsNotAllowed):
        appointments_import(check=check, user=personas["triage_sergeant"])
    assert not HealthAppointment.objects.filter(fhir_id="Appointment/a1").exists()


@pytest.mark.django_db
def test_a_problem_rejects_the_file_unless_partial(west_case: dict[str, Any]) -> None:
    check = fhir_check(bundle(patient(), appointment("good"), appointment("bad", start=None)))
    rejected = appointments_import(check=check, actor_label="provide import-appointments")
    assert rejected.file_rejected and rejected.rejected == 1
    assert not HealthAppointment.objects.filter(fhir_id="Appointment/good").exists()
    partial = appointments_import(
        check=check, actor_label="provide import-appointments", partial=True
    )
    assert (partial.created, partial.rejected) == (1, 1)


@pytest.mark.django_db
def test_a_dry_run_counts_but_writes_nothing(west_case: dict[str, Any]) -> None:
    before = HealthAppointment.objects.count()
    summary = appointments_import(check=fhir_check(bundle(patient(), appointment())), dry_run=True)
    assert summary.created == 1 and HealthAppointment.objects.count() == before


@pytest.mark.django_db
def test_a_window_without_an_id_is_matched_by_its_times(west_case: dict[str, Any]) -> None:
    resource = appointment()
    del resource["id"]
    check = fhir_check(bundle(patient(), resource))
    assert appointments_import(check=check).created == 1
    assert appointments_import(check=check).unchanged == 1


@pytest.mark.django_db
def test_re_importing_an_appointment_with_a_long_id_changes_nothing(
    west_case: dict[str, Any],
) -> None:
    check = fhir_check(bundle(patient(), appointment("a" * 60)))
    assert appointments_import(check=check).created == 1
    assert appointments_import(check=check).unchanged == 1
    other = fhir_check(bundle(patient(), appointment("a" * 59 + "b")))
    assert appointments_import(check=other).created == 1, "a different long id is another one"
