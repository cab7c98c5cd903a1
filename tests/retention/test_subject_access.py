"""Subject access: each side's export holds that side's records, and never the other side's."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.utils import timezone

from provide.people.models import Person
from provide.retention.subject_access import subject_access_build, subject_access_zip
from tests.retention.conftest import HEALTH_MARKERS, POLICE_MARKERS

pytestmark = pytest.mark.django_db
POLICE_ONLY = (
    "offence",
    "rationale",
    "custody_ref",
    "safety",
    "topic",
    "advice",
    "referral",
    "fears",
    "handover",
    "triage",
    "closed_reason",
    "suspect_given",
    "incident_ref",
)


def _unzipped(person: Person, side: str) -> tuple[dict[str, Any], str, str]:
    data = subject_access_zip(subject_access_build(person=person, side=side, now=timezone.now()))
    archive = zipfile.ZipFile(io.BytesIO(data))
    return (
        json.loads(archive.read("subject-access.json")),
        archive.read("summary.html").decode(),
        archive.read("README.txt").decode(),
    )


def test_the_police_export_holds_the_police_records_and_nothing_of_the_health_side(
    old_records: dict[str, Any],
) -> None:
    document, html, readme = _unzipped(old_records["victim"], "police")
    text = json.dumps(document)
    assert [
        key for key in POLICE_ONLY if key != "custody_ref" and POLICE_MARKERS[key] not in text
    ] == []
    assert [m for m in HEALTH_MARKERS.values() if m in text or m in html] == []
    assert document["controller"] == "police force" and document["subject"] == str(
        old_records["victim"].public_id
    )
    assert len(document["sections"]["investigations"]) == 2
    assert document["other_people_named"] == 1  # the suspect
    assert (
        "Other people are named in 1 place" in html
        and "review third-party information" in readme.lower()
    )
    assert POLICE_MARKERS["rationale"] in html and "Physical" in html  # codes in words


def test_the_health_export_holds_the_health_records_and_nothing_of_the_police_side(
    old_records: dict[str, Any],
) -> None:
    document, html, _readme = _unzipped(old_records["victim"], "health")
    text = json.dumps(document) + html
    assert [m for m in HEALTH_MARKERS.values() if m not in text] == []
    assert [key for key in POLICE_ONLY if POLICE_MARKERS[key] in text] == []
    assert POLICE_MARKERS["address"] not in text and POLICE_MARKERS["phone"] not in text
    assert document["controller"] == "NHS trust"
    assert set(document["sections"]) == {
        "person",
        "nhs_identity",
        "appointments",
        "tracker_records",
        "joint_visits",
        "legal_holds",
    }
    assert document["sections"]["joint_visits"][0]["contact_result"] == "engaged"
    assert document["other_people_named"] == 0


def test_the_suspects_export_leaves_out_the_victims_own_records(
    old_records: dict[str, Any],
) -> None:
    document, _html, _readme = _unzipped(old_records["suspect"], "police")
    sections = document["sections"]
    assert len(sections["investigations"]) == 2
    assert [row["custody_ref"] for row in sections["custody"]] == [POLICE_MARKERS["custody_ref"]]
    assert (
        sections["risk_assessments"] == []
        and sections["visits"] == []
        and sections["referrals"] == []
    )
    assert POLICE_MARKERS["rationale"] not in json.dumps(document)


def test_a_duplicate_merged_into_the_person_is_included(old_records: dict[str, Any]) -> None:
    duplicate = Person.objects.create(
        given_name="Verity",
        family_name="Old-castle",
        force_person_ref="P-OLD-1",
        merged_into=old_records["victim"],
        merged_at=dt.datetime(2013, 1, 1, tzinfo=dt.UTC),
    )
    document, _html, _readme = _unzipped(old_records["victim"], "police")
    assert [row["public_id"] for row in document["sections"]["person"]] == [
        str(old_records["victim"].public_id),
        str(duplicate.public_id),
    ]


def test_an_unknown_side_is_refused(old_records: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="side must be police or health"):
        subject_access_build(person=old_records["victim"], side="both", now=timezone.now())
