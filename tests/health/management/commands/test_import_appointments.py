"""provide import-appointments: FHIR R4 (UK Core) Patient + Appointment → discreet-contact
windows for the planner, matched by NHS number, health-side only."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from provide.audit.models import AuditEvent
from provide.health.fhir import nhs_number_is_valid
from provide.health.models import HealthAppointment
from provide.health.selectors import appointment_windows_for
from tests.cast import HEALTH_SECRETS

pytestmark = pytest.mark.django_db
NHS = HEALTH_SECRETS["nhs_number"]
NHS_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"


def patient(pid: str = "p1", nhs: str = NHS) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": pid,
        "meta": {"profile": ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"]},
        "identifier": [{"system": NHS_SYSTEM, "value": nhs}],
        "name": [{"family": "Westby"}],
    }


def appointment(
    aid: str = "a1",
    status: str = "booked",
    start: str = "2030-03-04T09:30:00+00:00",
    end: str | None = "2030-03-04T09:50:00+00:00",
    patient_ref: str = "Patient/p1",
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": aid,
        "status": status,
        "start": start,
        "participant": [
            {"actor": {"reference": patient_ref}, "status": "accepted"},
            {
                "actor": {"reference": "Location/l1", "display": "Whitegate Surgery"},
                "status": "accepted",
            },
        ],
    }
    if end:
        resource["end"] = end
    return resource


LOCATION = {
    "resourceType": "Location",
    "id": "l1",
    "name": "Whitegate Health Centre GP",
    "type": [{"text": "GP practice"}],
    "position": {"latitude": 53.81, "longitude": -3.03},
}


def bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:uuid:{r['resourceType']}-{r.get('id')}", "resource": r}
            for r in resources
        ],
    }


def run(tmp_path: Path, document: Any, *args: str) -> tuple[dict[str, int], str]:
    path = tmp_path / "appointments.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_appointments", str(path), "--json", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def test_a_bundle_becomes_a_contact_window_for_the_victim(
    west_case: dict[str, Any], tmp_path: Path
) -> None:
    counts, _ = run(tmp_path, bundle(patient(), LOCATION, appointment()))
    assert counts["created"] == 1 and counts["rejected"] == 0
    window = HealthAppointment.objects.get(fhir_id="Appointment/a1")
    assert window.person == west_case["victim"]
    assert window.starts_at == dt.datetime(2030, 3, 4, 9, 30, tzinfo=dt.UTC)
    assert window.ends_at == dt.datetime(2030, 3, 4, 9, 50, tzinfo=dt.UTC)
    assert window.location_name == "Whitegate Health Centre GP" and window.place_type == "gp"
    assert window.latitude == pytest.approx(53.81) and window.longitude == pytest.approx(-3.03)
    assert AuditEvent.objects.filter(event="health.appointments_imported").exists()


def test_re_importing_changes_nothing_and_a_moved_appointment_updates(
    west_case: dict[str, Any], tmp_path: Path
) -> None:
    run(tmp_path, bundle(patient(), LOCATION, appointment()))
    counts, _ = run(tmp_path, bundle(patient(), LOCATION, appointment()))
    assert counts["unchanged"] == 1 and counts["created"] == 0
    counts, _ = run(
        tmp_path,
        bundle(
            patient(),
            LOCATION,
            appointment(start="2030-03-05T10:00:00Z", end="2030-03-05T10:20:00Z"),
        ),
    )
    assert counts["updated"] == 1
    assert HealthAppointment.objects.get(fhir_id="Appointment/a1").starts_at.day == 5


def test_a_cancelled_appointment_removes_its_window(
    west_case: dict[str, Any], tmp_path: Path
) -> None:
    run(tmp_path, bundle(patient(), LOCATION, appointment()))
    counts, _ = run(tmp_path, bundle(patient(), appointment(status="cancelled")))
    assert counts["removed"] == 1
    assert not HealthAppointment.objects.filter(fhir_id="Appointment/a1").exists()


def test_an_invalid_resource_is_rejected_with_its_validation_message(
    west_case: dict[str, Any], tmp_path: Path
) -> None:
    broken = appointment(aid="bad", start="next tuesday")
    path = tmp_path / "appointments.json"
    path.write_text(json.dumps(bundle(patient(), appointment(), broken)), encoding="utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_appointments", str(path), "--json", stdout=out, stderr=err)
    assert "entry 3 (Appointment/bad): invalid Appointment: start:" in err.getvalue()
    assert "does not match spec regex" in err.getvalue()
    assert HealthAppointment.objects.filter(fhir_id__startswith="Appointment/").count() == 0
    counts, _ = run(tmp_path, bundle(patient(), appointment(), broken), "--partial")
    assert counts["created"] == 1 and counts["rejected"] == 1


def test_a_missing_required_element_is_reported(west_case: dict[str, Any], tmp_path: Path) -> None:
    no_status = appointment()
    del no_status["status"]
    with pytest.raises(CommandError):
        run(tmp_path, no_status)
    path = tmp_path / "appointments.json"
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_appointments", str(path), stdout=StringIO(), stderr=err)
    assert "status: Value for the field 'status' is required" in err.getvalue()


def test_single_resources_and_arrays_are_read(west_case: dict[str, Any], tmp_path: Path) -> None:
    single = appointment(aid="solo", patient_ref="")
    single["participant"][0]["actor"] = {"identifier": {"system": NHS_SYSTEM, "value": NHS}}
    counts, _ = run(tmp_path, single)
    assert counts["created"] == 1
    counts, _ = run(tmp_path, [patient(), appointment(aid="arr", end=None)])
    assert counts["created"] == 1
    window = HealthAppointment.objects.get(fhir_id="Appointment/arr")
    assert window.ends_at - window.starts_at == dt.timedelta(minutes=30)  # no end: a default length


def test_an_nhs_number_with_no_victim_is_counted_not_failed(
    west_case: dict[str, Any], tmp_path: Path
) -> None:
    other = "9434765919"
    assert nhs_number_is_valid(other) and not nhs_number_is_valid("9990000019")
    counts, _ = run(tmp_path, bundle(patient(nhs=other), appointment()))
    assert counts["unmatched"] == 1 and counts["created"] == 0


def test_an_invalid_nhs_number_is_rejected(west_case: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        run(tmp_path, bundle(patient(nhs="1234567890"), appointment()))


def test_not_json_is_refused(tmp_path: Path, areas: Any) -> None:
    path = tmp_path / "x.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_appointments", str(path), stdout=StringIO(), stderr=StringIO())


def test_windows_for_the_planner_are_health_side_only(
    west_case: dict[str, Any], personas: dict[str, Any]
) -> None:
    start, end = (
        west_case["appointment"].starts_at - dt.timedelta(hours=2),
        west_case["appointment"].ends_at,
    )
    victim = west_case["victim"].public_id
    windows = appointment_windows_for(
        user=personas["health_idva"], person_ids=[victim], start=start, end=end
    )
    assert [w.location_name for w in windows] == [HEALTH_SECRETS["appointment"]]
    assert windows[0].person_id == victim
    assert AuditEvent.objects.filter(event="health.appointment_window_read").exists()
    for slug in ("triage_sergeant", "joint_team_officer", "administrator", "analyst"):
        assert (
            appointment_windows_for(user=personas[slug], person_ids=[victim], start=start, end=end)
            == []
        )
    later = appointment_windows_for(
        user=personas["health_idva"], person_ids=[victim], start=end, end=end + dt.timedelta(days=1)
    )
    assert later == []
