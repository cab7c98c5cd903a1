"""SPEC §6 for visit recording: every role × every health-side field × every door (pages,
API, admin, exports, search).

Each health-side field has markers: its distinctive value where it is text, the words it is
labelled with on pages and in the admin, and its key in the API and in exports. A non-health
role must meet none of them through any door; a health role must meet every field through
at least one door (so the check cannot pass by looking at the wrong thing).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES
from provide.health.models import HealthIdentity, SupportRecord, TrackerUpload
from provide.visits.models import Consultation
from tests.cast import HEALTH_SECRETS

NON_HEALTH = [role.slug for role in ALL_ROLES if not role.is_health]
HEALTH = [role.slug for role in ALL_ROLES if role.is_health]
DOORS = ("pages", "api", "admin", "exports", "search")

TRACKER_ID = "TRK-MATRIX-7731"
IDVA_NAME = "IDVANAME-Matrixperson"
UPLOAD_NAME = "UPLOADNAME-history-2019.xlsx"


def _labelled(field: str, *labels: str) -> tuple[str, ...]:
    return (field, *labels)


# field -> markers (matched case-insensitively)
HEALTH_FIELDS: dict[str, tuple[str, ...]] = {
    "tracker_id": (TRACKER_ID,),
    "idva_support_offered": _labelled("idva_support_offered", "idva support offered"),
    "idva_support_accepted": _labelled("idva_support_accepted", "idva support accepted"),
    "prosecution_support_offered": _labelled(
        "prosecution_support_offered", "prosecution support offered"
    ),
    "prosecution_support_accepted": _labelled(
        "prosecution_support_accepted", "prosecution support accepted"
    ),
    "engaged_investigation": _labelled(
        "engaged_investigation", "engaged with the criminal investigation", "engaged investigation"
    ),
    "engaged_safeguarding": _labelled(
        "engaged_safeguarding", "engaged with safeguarding advice", "engaged safeguarding"
    ),
    "previously_engaged_investigation": _labelled(
        "previously_engaged_investigation", "previously engaged investigation"
    ),
    "previously_engaged_safeguarding": _labelled(
        "previously_engaged_safeguarding", "previously engaged safeguarding"
    ),
    "services": ("cjs_advocacy", "criminal-justice advocacy", "services given by the idva"),
    "notes": (HEALTH_SECRETS["notes"],),
    "idva_name": (IDVA_NAME,),
    "nhs_number": (HEALTH_SECRETS["nhs_number"],),
    "appointment": (HEALTH_SECRETS["appointment"],),
    "tracker_upload": (UPLOAD_NAME,),
}


@pytest.fixture
def matrix_case(west_case: dict[str, Any], make_user: Any) -> dict[str, Any]:
    record: SupportRecord = west_case["support_record"]
    record.tracker_id = TRACKER_ID
    record.idva_name = IDVA_NAME
    record.idva_support_offered = True
    record.prosecution_support_offered = True
    record.prosecution_support_accepted = False
    record.engaged_investigation = True
    record.engaged_safeguarding = True
    record.previously_engaged_investigation = False
    record.previously_engaged_safeguarding = True
    record.services = ["cjs_advocacy", "safety_planning"]
    record.save()
    manager = make_user("idva_manager", username="matrix.manager")
    upload = TrackerUpload.objects.create(uploaded_by=manager, file_name=UPLOAD_NAME, content=b"x")
    officer = make_user("response_officer", username="matrix.officer")
    Consultation.objects.create(
        officer=officer,
        asked_at=record.idva_visit_at,
        topic="Risk and safety",
        advice="Shared advice",
    )
    return {**west_case, "upload": upload}


def _body(response: Any) -> str:
    content = response.content
    if content.startswith(b"PK\x03\x04"):  # an XLSX export: read every part of it
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return content.decode("utf-8", "replace")


def _door_urls(case: dict[str, Any]) -> dict[str, list[str]]:
    record: SupportRecord = case["support_record"]
    identity = HealthIdentity.objects.get(person=case["victim"])
    visit = case["visit"]
    # Terms that find the case (a name, a reference, part of the NHS number) but are not
    # markers themselves, since a search page may echo what was typed.
    searches = ["Westby", "WB/2026/000001", "P-W-1", HEALTH_SECRETS["nhs_number"][:9]]
    return {
        "pages": [
            reverse("web:home"),
            reverse("people:person-detail", args=[case["victim"].public_id]),
            reverse("web:investigation-detail", args=[case["investigation"].public_id]),
            reverse("visits:visit-list"),
            reverse("visits:visit-record", args=[visit.public_id]),
            reverse("visits:consultation-list"),
            reverse("health:tracker"),
            reverse("health:tracker-upload"),
            reverse("health:tracker-upload-report", args=[case["upload"].public_id]),
            reverse("audit:log"),
        ],
        "api": [
            "/api/visits/",
            f"/api/visits/{visit.public_id}/",
            "/api/support-records/",
            f"/api/support-records/{record.public_id}/",
            "/api/people/",
            f"/api/people/{case['victim'].public_id}/",
            "/api/investigations/",
        ],
        "admin": [
            reverse("admin:index"),
            reverse("admin:health_supportrecord_changelist"),
            reverse("admin:health_supportrecord_change", args=[record.pk]),
            reverse("admin:health_healthidentity_change", args=[identity.pk]),
            reverse("admin:health_healthappointment_change", args=[case["appointment"].pk]),
            reverse("admin:health_trackerupload_changelist"),
            reverse("admin:visits_visit_change", args=[visit.pk]),
            reverse("admin:visits_visit_changelist"),
            reverse("admin:people_person_change", args=[case["victim"].pk]),
            reverse("admin:audit_auditevent_changelist"),
        ],
        "exports": [reverse("health:tracker-export")],
        "search": [
            *(f"{reverse('health:tracker')}?q={term}" for term in searches),
            *(f"{reverse('admin:people_person_changelist')}?q={term}" for term in searches),
            *(f"{reverse('admin:health_supportrecord_changelist')}?q={term}" for term in searches),
            *(f"{reverse('admin:audit_auditevent_changelist')}?q={term}" for term in searches),
            *(f"/api/people/?search={term}" for term in searches),
        ],
    }


def _seen_through(user: User, case: dict[str, Any], door: str) -> str:
    session = Client()
    session.force_login(user)
    _, token = AuthToken.objects.create(user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    seen = []
    for url in _door_urls(case)[door]:
        client = api if url.startswith("/api/") else session
        response = client.get(url, follow=not url.startswith("/api/"))
        assert response.status_code < 500, url
        seen.append(_body(response))
    return "\n".join(seen).lower()


def _leaks(seen: str) -> list[str]:
    return [
        field for field, markers in HEALTH_FIELDS.items() if any(m.lower() in seen for m in markers)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("slug", NON_HEALTH)
def test_non_health_roles_meet_no_health_side_field(
    slug: str, door: str, make_user: Any, matrix_case: dict[str, Any]
) -> None:
    user = make_user(slug)
    assert _leaks(_seen_through(user, matrix_case, door)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("door", DOORS)
def test_a_police_user_given_health_permissions_by_mistake_meets_none_either(
    door: str, make_user: Any, matrix_case: dict[str, Any]
) -> None:
    officer = make_user("joint_team_officer")
    officer.user_permissions.add(*Permission.objects.filter(content_type__app_label="health"))
    officer.is_staff = True
    officer.save()
    officer = User.objects.get(pk=officer.pk)
    assert officer.has_perm("health.view_supportrecord") and officer.has_perm(
        "health.export_tracker"
    )
    assert _leaks(_seen_through(officer, matrix_case, door)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("slug", HEALTH)
def test_health_roles_meet_every_health_side_field(
    slug: str, make_user: Any, matrix_case: dict[str, Any]
) -> None:
    """The positive control: the same markers are found when a health role looks."""
    # An upload is seen only by the manager who made it.
    user = matrix_case["upload"].uploaded_by if slug == "idva_manager" else make_user(slug)
    seen = "\n".join(_seen_through(user, matrix_case, door) for door in DOORS)
    if slug != "idva_manager":
        seen += UPLOAD_NAME.lower()
    assert sorted(set(HEALTH_FIELDS) - set(_leaks(seen))) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug",
    [
        role.slug
        for role in ALL_ROLES
        if not role.is_health and "visits.view_visit" in role.permissions
    ],
)
def test_non_health_roles_still_see_the_shared_joint_fields(
    slug: str, make_user: Any, matrix_case: dict[str, Any]
) -> None:
    """Segregation must not hide what the information-sharing agreement shares."""
    user = make_user(slug)
    _, token = AuthToken.objects.create(user)
    data = (
        Client(HTTP_AUTHORIZATION=f"Token {token}")
        .get(f"/api/visits/{matrix_case['visit'].public_id}/")
        .json()
    )
    assert data["support_accepted"] is True and data["contact_result"] == "engaged"
    assert set(data) >= {"arrived_at", "support_accepted", "referrals_made"}
