"""SPEC §6: the IDVA's health-side data never reaches a police role — not through a page, the
admin, or the API. Every role is tried against every door; health roles must see it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES
from provide.health.models import HealthAppointment, HealthIdentity, SupportRecord
from tests.cast import HEALTH_SECRETS

NON_HEALTH = [role.slug for role in ALL_ROLES if not role.is_health]
HEALTH = [role.slug for role in ALL_ROLES if role.is_health]


def _pages(case: dict[str, Any]) -> list[str]:
    record: SupportRecord = case["support_record"]
    identity = HealthIdentity.objects.get(person=case["victim"])
    appointment: HealthAppointment = case["appointment"]
    return [
        reverse("web:home"),
        reverse("people:person-detail", args=[case["victim"].public_id]),
        reverse("web:investigation-detail", args=[case["investigation"].public_id]),
        reverse("audit:log"),
        reverse("admin:index"),
        reverse("admin:health_supportrecord_changelist"),
        reverse("admin:health_supportrecord_change", args=[record.pk]),
        reverse("admin:health_healthidentity_change", args=[identity.pk]),
        reverse("admin:health_healthappointment_change", args=[appointment.pk]),
        reverse("admin:people_person_change", args=[case["victim"].pk]),
        reverse("admin:visits_visit_change", args=[case["visit"].pk]),
        "/api/people/",
        f"/api/people/{case['victim'].public_id}/",
        "/api/investigations/",
        "/api/support-records/",
        f"/api/support-records/{record.public_id}/",
        "/api/schema/",
    ]


def _everything_seen_by(user: User, case: dict[str, Any]) -> str:
    client = Client()
    client.force_login(user)
    seen = []
    for url in _pages(case):
        response = client.get(url, follow=True)
        assert response.status_code < 500, url
        seen.append(response.content.decode())
    _, token = AuthToken.objects.create(user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    for url in _pages(case):
        if url.startswith("/api/"):
            seen.append(api.get(url).content.decode())
    return "\n".join(seen)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", NON_HEALTH)
@pytest.mark.parametrize("secret", sorted(HEALTH_SECRETS))
def test_non_health_roles_never_see_health_side_data(
    slug: str, secret: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    user = make_user(slug)
    assert HEALTH_SECRETS[secret] not in _everything_seen_by(user, west_case)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", NON_HEALTH)
def test_police_roles_get_403_from_the_health_api(
    slug: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    _, token = AuthToken.objects.create(make_user(slug))
    response = Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/support-records/")
    assert response.status_code == 403
    assert "health roles only" in response.json()["detail"]


@pytest.mark.django_db
def test_a_police_user_given_health_permissions_by_mistake_still_sees_nothing(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    from django.contrib.auth.models import Permission

    officer = make_user("joint_team_officer")
    officer.user_permissions.add(*Permission.objects.filter(content_type__app_label="health"))
    officer = User.objects.get(pk=officer.pk)  # drop the permission cache
    assert officer.has_perm("health.view_supportrecord")
    assert HEALTH_SECRETS["notes"] not in _everything_seen_by(officer, west_case)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", HEALTH)
def test_health_roles_see_the_idva_notes(
    slug: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    user = make_user(slug)
    client = Client()
    client.force_login(user)
    page = client.get(
        reverse("people:person-detail", args=[west_case["victim"].public_id])
    ).content.decode()
    assert HEALTH_SECRETS["notes"] in page
    _, token = AuthToken.objects.create(user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/support-records/").json()
    assert api["results"][0]["notes"] == HEALTH_SECRETS["notes"]


@pytest.mark.django_db
def test_shared_joint_fields_are_visible_to_police(
    make_user: Any, west_case: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(make_user("joint_team_officer"))
    page = client.get(
        reverse("people:person-detail", args=[west_case["victim"].public_id])
    ).content.decode()
    assert "Support accepted" in page and "Engaged" in page


# Labels, not field names: the API schema documents every field's name to everyone.
PREVIOUS_ENGAGEMENT_MARKERS = (
    "before today, had the victim engaged",
    "before today, engaged with",
    "previously engaged",
)


def _with_previous_engagement(case: dict[str, Any]) -> None:
    record: SupportRecord = case["support_record"]
    record.previously_engaged_investigation = False
    record.previously_engaged_safeguarding = True
    record.save()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", NON_HEALTH)
def test_police_roles_never_see_the_victims_previous_engagement(
    slug: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    """Asked by the IDVA and kept on the health side: not on any page, the visit included."""
    _with_previous_engagement(west_case)
    user = make_user(slug)
    client = Client()
    client.force_login(user)
    visit_page = client.get(
        reverse("visits:visit-record", args=[west_case["visit"].public_id])
    ).content.decode()
    seen = (_everything_seen_by(user, west_case) + visit_page).lower()
    assert not [marker for marker in PREVIOUS_ENGAGEMENT_MARKERS if marker in seen]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", HEALTH)
def test_health_roles_see_the_victims_previous_engagement(
    slug: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    _with_previous_engagement(west_case)
    user = make_user(slug)
    _, token = AuthToken.objects.create(user)
    row = (
        Client(HTTP_AUTHORIZATION=f"Token {token}")
        .get("/api/support-records/")
        .json()["results"][0]
    )
    assert (row["previously_engaged_investigation"], row["previously_engaged_safeguarding"]) == (
        False,
        True,
    )
    client = Client()
    client.force_login(user)
    page = client.get(
        reverse("visits:visit-record", args=[west_case["visit"].public_id])
    ).content.decode()
    assert "engaged with a police investigation" in page


# --- one wall on every surface: pages, PDFs, downloads, the API ----------------------------
#
# Every role x every health-side field x every surface. Each field is planted with a marker
# that appears nowhere else; a role meets a marker only where the health-side wall
# (provide.health.policies.can_view_health_field) lets it: health roles everywhere, the
# safeguarding team only the summary an IDVA shared on a referral that has been *sent*, and
# nobody else anything. The PDFs are read as text (pdftotext), the XLSX export part by part.

SURFACES = ("page", "pdf", "download", "api")
SURFACE_IDVA_NAME = "IDVANAME-Surface-k3v9"
DRAFT_SUMMARY = "IDVASUMMARY-DRAFT-5k2q"
SENT_SUMMARY = "IDVASUMMARY-SENT-8m4w"
SURFACE_FIELDS = {
    "notes": HEALTH_SECRETS["notes"],
    "nhs_number": HEALTH_SECRETS["nhs_number"],
    "appointment": HEALTH_SECRETS["appointment"],
    "idva_name": SURFACE_IDVA_NAME,
    "idva_summary_on_a_draft": DRAFT_SUMMARY,
    "idva_summary_on_a_sent_referral": SENT_SUMMARY,
}
SHARED_WITH_PARTNERS = frozenset({"idva_summary_on_a_sent_referral"})
MISTAKEN_POLICE = "joint_team_officer_given_health_permissions"
PARTNER_ROLES = frozenset(role.slug for role in ALL_ROLES if role.agency == "partner")


def _may_see(slug: str, field: str) -> bool:
    """The matrix's expectation for one cell."""
    if slug in HEALTH:
        return True
    return slug in PARTNER_ROLES and field in SHARED_WITH_PARTNERS


@pytest.fixture
def surface_case(west_case: dict[str, Any], make_user: Any) -> dict[str, Any]:
    from provide.safeguarding import services as safeguarding

    record: SupportRecord = west_case["support_record"]
    record.idva_name = SURFACE_IDVA_NAME
    record.save()
    idva = make_user("health_idva", username="surface.idva")
    draft = safeguarding.referral_create(
        user=idva,
        victim=west_case["victim"],
        visit=west_case["visit"],
        target="marac",
        consent="given",
        reasons="Threats to kill",
        idva_shared_summary=DRAFT_SUMMARY,
    )
    sent = safeguarding.referral_create(
        user=idva,
        victim=west_case["victim"],
        investigation=west_case["investigation"],
        target="marac",
        consent="given",
        reasons="Strangulation",
        idva_shared_summary=SENT_SUMMARY,
    )
    sent = safeguarding.referral_send(user=idva, referral=sent)
    return {**west_case, "draft": draft, "sent": sent}


def _surface_urls(case: dict[str, Any]) -> dict[str, list[str]]:
    draft, sent = case["draft"].public_id, case["sent"].public_id
    evaluation = "/evaluation/download/{}/?bcu=West"
    return {
        "page": [
            reverse("web:home"),
            reverse("people:person-detail", args=[case["victim"].public_id]),
            reverse("web:investigation-detail", args=[case["investigation"].public_id]),
            reverse("visits:visit-record", args=[case["visit"].public_id]),
            reverse("safeguarding:referral-list"),
            reverse("safeguarding:referral-detail", args=[draft]),
            reverse("safeguarding:referral-detail", args=[sent]),
            reverse("safeguarding:referral-edit", args=[draft]),
            reverse("audit:log"),
        ],
        "pdf": [
            reverse("safeguarding:referral-pdf", args=[draft]),
            reverse("safeguarding:referral-pdf", args=[sent]),
            evaluation.format("pdf"),
        ],
        "download": [
            reverse("health:tracker-export"),
            evaluation.format("json"),
            evaluation.format("report-json"),
            evaluation.format("html"),
        ],
        "api": [
            "/api/referrals/",
            f"/api/referrals/{draft}/",
            f"/api/referrals/{sent}/",
            "/api/people/",
            f"/api/people/{case['victim'].public_id}/",
            "/api/support-records/",
            f"/api/visits/{case['visit'].public_id}/",
        ],
    }


def _text_of(response: Any, tmp_path: Any) -> str:
    import io
    import subprocess
    import zipfile

    content = response.content
    if content.startswith(b"%PDF"):
        path = tmp_path / "surface.pdf"
        path.write_bytes(content)
        return subprocess.run(
            ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
    if content.startswith(b"PK\x03\x04"):  # an XLSX workbook: every part of it
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            return "\n".join(
                workbook.read(name).decode("utf-8", "replace") for name in workbook.namelist()
            )
    return content.decode("utf-8", "replace")


def _seen_on(user: User, case: dict[str, Any], surface: str, tmp_path: Any) -> str:
    session = Client()
    session.force_login(user)
    _, token = AuthToken.objects.create(user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    seen = []
    for url in _surface_urls(case)[surface]:
        response = api.get(url) if url.startswith("/api/") else session.get(url, follow=True)
        assert response.status_code < 500, url
        seen.append(_text_of(response, tmp_path))
    return " ".join(" ".join(seen).split())  # PDF text wraps lines: compare with single spaces


def _user_for(slug: str, make_user: Any) -> User:
    if slug != MISTAKEN_POLICE:
        return make_user(slug)
    from django.contrib.auth.models import Permission

    officer = make_user("joint_team_officer")
    officer.user_permissions.add(*Permission.objects.filter(content_type__app_label="health"))
    return User.objects.get(pk=officer.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("slug", [*(role.slug for role in ALL_ROLES), MISTAKEN_POLICE])
def test_each_role_meets_each_health_side_field_only_where_the_wall_lets_it(
    slug: str, surface: str, make_user: Any, surface_case: dict[str, Any], tmp_path: Any
) -> None:
    """One test per role and surface; the assertion names every (field) cell that leaked."""
    seen = _seen_on(_user_for(slug, make_user), surface_case, surface, tmp_path)
    leaked = [
        f"{slug} x {field} x {surface}"
        for field, marker in SURFACE_FIELDS.items()
        if marker in seen and not _may_see(slug, field)
    ]
    assert leaked == []


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [*HEALTH, *sorted(PARTNER_ROLES)])
def test_the_wall_lets_through_every_field_a_role_may_see(
    slug: str, make_user: Any, surface_case: dict[str, Any], tmp_path: Any
) -> None:
    """The positive control: the markers are found when a role that may see them looks."""
    user = make_user(slug)
    seen = {surface: _seen_on(user, surface_case, surface, tmp_path) for surface in SURFACES}
    missing = [
        field
        for field, marker in SURFACE_FIELDS.items()
        if _may_see(slug, field) and not any(marker in text for text in seen.values())
    ]
    assert missing == []
    summaries = [
        field
        for field in SURFACE_FIELDS
        if field.startswith("idva_summary") and _may_see(slug, field)
    ]
    assert all(SURFACE_FIELDS[field] in seen["pdf"] for field in summaries), (
        "the MARAC form carries the summary"
    )


@pytest.mark.django_db
def test_the_django_admin_applies_the_same_wall_to_the_shared_summary(
    make_user: Any, surface_case: dict[str, Any]
) -> None:
    """An administrator given the referral permissions by mistake still meets no summary."""
    from django.contrib.auth.models import Permission

    admin = make_user("administrator")
    admin.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="safeguarding",
            codename__in=["view_referral", "change_referral"],
        )
    )
    admin = User.objects.get(pk=admin.pk)
    client = Client()
    client.force_login(admin)
    seen = " ".join(
        client.get(
            reverse("admin:safeguarding_referral_change", args=[surface_case[key].pk])
        ).content.decode()
        for key in ("draft", "sent")
    )
    assert "Threats to kill" in seen  # the page is the referral's ...
    assert DRAFT_SUMMARY not in seen and SENT_SUMMARY not in seen  # ... without the summary
