"""The rota pages: the IDVA manager, the triage sergeant and the administrator plan a week of
shifts; every other role is refused, and another BCU's teams stay out of sight."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from provide.accounts.roles import ALL_ROLES
from provide.planning.models import Shift
from provide.rota import services
from provide.rota.models import Absence, StaffProfile
from tests.audit_assertions import assert_audited
from tests.rota.conftest import DAY, NOW, WEEK, Rota, shift_kwargs

pytestmark = pytest.mark.django_db
MANAGERS = {"idva_manager", "triage_sergeant", "administrator"}
INDEX = reverse("rota:index")


@pytest.fixture(autouse=True)
def _monday_noon() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _shift_post(rota: Rota, **overrides: str) -> dict[str, str]:
    data = {
        "team": str(rota.west_a.public_id),
        "on_date": DAY.isoformat(),
        "pattern": "early",
        "officer": str(rota.officer.public_id),
        "idva": str(rota.idva.public_id),
    }
    return {**data, **overrides}


class TestAccess:
    @pytest.mark.parametrize("role", ALL_ROLES, ids=lambda role: role.slug)
    def test_only_rota_managers_open_the_rota(self, role: Any, make_user: Any, rota: Rota) -> None:
        client = _client(make_user(role.slug))
        expected = 200 if role.slug in MANAGERS else 403
        assert client.get(INDEX).status_code == expected
        assert client.get(reverse("rota:shift-create")).status_code == expected
        assert client.get(reverse("rota:absence-record")).status_code == expected

    @pytest.mark.parametrize("slug", ["response_officer", "analyst", "joint_team_officer"])
    def test_other_roles_cannot_change_the_rota(
        self, slug: str, make_user: Any, rota: Rota
    ) -> None:
        client = _client(make_user(slug))
        assert client.post(reverse("rota:shift-create"), _shift_post(rota)).status_code == 403
        assert client.post(reverse("rota:week-copy"), {"week": WEEK.isoformat()}).status_code == 403
        skills = reverse("rota:staff-skills", args=[rota.idva.public_id])
        assert client.post(skills, {"languages": "Urdu"}).status_code == 403
        assert not Shift.objects.exists()
        assert not StaffProfile.objects.exists()

    def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in(self, db: Any) -> None:
        response = Client().get(INDEX)
        assert response.status_code == 302
        assert "/sign-in/" in response["Location"]

    def test_the_rota_is_in_the_navigation_of_managers_only(
        self, sergeant: Any, make_user: Any, rota: Rota
    ) -> None:
        home = _client(sergeant).get("/")
        assert f'href="{INDEX}"' in home.content.decode()
        home = _client(make_user("response_officer")).get("/")
        assert f'href="{INDEX}"' not in home.content.decode()


class TestWeek:
    def test_a_sergeant_sees_their_bcus_teams_only(self, rota: Rota, sergeant: Any) -> None:
        page = _client(sergeant).get(INDEX).content.decode()
        assert "West A" in page and "West B" in page
        assert "East A" not in page
        assert "Erin Eastwood" not in page

    def test_a_force_wide_manager_sees_every_bcus_teams(self, rota: Rota, manager: Any) -> None:
        page = _client(manager).get(INDEX).content.decode()
        assert "West A" in page and "East A" in page

    def test_the_week_shows_who_staffs_each_shift(self, rota: Rota, sergeant: Any) -> None:
        shift = services.shift_create(actor=sergeant, **shift_kwargs(rota))
        page = _client(sergeant).get(f"{INDEX}?week={DAY.isoformat()}").content.decode()
        assert "Week of Monday 9 March to Sunday 15 March 2026" in page
        assert "Pat Jones and Sam Ahmed" in page
        assert reverse("rota:shift-staff", args=[shift.public_id]) in page
        assert "?week=2026-03-02" in page and "?week=2026-03-16" in page

    @pytest.mark.parametrize("week", ["", "not-a-date", "0001-01-01", "9999-12-31"])
    def test_a_missing_or_unusable_week_shows_this_week(
        self, week: str, rota: Rota, sergeant: Any
    ) -> None:
        response = _client(sergeant).get(f"{INDEX}?week={week}")
        assert response.status_code == 200
        assert response.context["week_start"] == WEEK

    def test_an_empty_slot_links_to_a_prefilled_form(self, rota: Rota, sergeant: Any) -> None:
        page = _client(sergeant).get(INDEX).content.decode()
        link = f"?team={rota.west_a.public_id}&amp;on_date=2026-03-10&amp;pattern=late"
        assert link in page
        form = _client(sergeant).get(reverse("rota:shift-create") + link.replace("&amp;", "&"))
        assert form.context["form"].initial["pattern"] == "late"

    def test_staff_skills_and_leave_are_listed(self, rota: Rota, sergeant: Any) -> None:
        services.staff_profile_update(
            actor=sergeant, staff=rota.idva, languages=["Punjabi", "Urdu"], gender="female"
        )
        services.absence_record(
            actor=sergeant, staff=rota.officer_2, starts_on=DAY, ends_on=DAY, kind="training"
        )
        page = _client(sergeant).get(INDEX).content.decode()
        assert "Punjabi, Urdu" in page
        assert "Training" in page and "Amir Khan" in page


class TestShiftCreate:
    def test_the_manager_adds_a_staffed_shift(self, rota: Rota, manager: Any) -> None:
        response = _client(manager).post(
            reverse("rota:shift-create"), _shift_post(rota), follow=True
        )
        shift = Shift.objects.get()
        assert (shift.team, shift.officer, shift.idva) == (rota.west_a, rota.officer, rota.idva)
        assert response.redirect_chain[-1][0] == f"{INDEX}?week=2026-03-09"
        assert "Added West A: Tuesday 10 March, Early (07:00–15:00)" in response.content.decode()
        assert_audited("rota.shift_created", action="create", actor=manager, subject=shift)

    @pytest.mark.parametrize(
        ("missing", "message"),
        [
            ("idva", "Choose the IDVA for this shift"),
            ("officer", "Choose the joint-team officer for this shift"),
        ],
    )
    def test_a_shift_without_both_people_is_refused(
        self, missing: str, message: str, rota: Rota, manager: Any
    ) -> None:
        response = _client(manager).post(
            reverse("rota:shift-create"), _shift_post(rota, **{missing: ""})
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page and message in page
        assert not Shift.objects.exists()

    def test_a_person_on_leave_is_refused_with_the_reason(self, rota: Rota, manager: Any) -> None:
        services.absence_record(
            actor=manager, staff=rota.idva, starts_on=DAY, ends_on=DAY, kind="leave"
        )
        response = _client(manager).post(reverse("rota:shift-create"), _shift_post(rota))
        assert response.status_code == 400
        assert "Sam Ahmed is on leave on Tue 10 Mar 2026" in response.content.decode()
        assert not Shift.objects.exists()

    def test_a_duplicate_is_refused(self, rota: Rota, manager: Any) -> None:
        services.shift_create(actor=manager, **shift_kwargs(rota))
        response = _client(manager).post(
            reverse("rota:shift-create"),
            _shift_post(
                rota, officer=str(rota.officer_2.public_id), idva=str(rota.idva_2.public_id)
            ),
        )
        assert response.status_code == 400
        assert (
            "There is already an early shift for West A on Tue 10 Mar 2026"
            in response.content.decode()
        )
        assert Shift.objects.count() == 1

    def test_a_sergeant_cannot_choose_another_bcus_team(self, rota: Rota, sergeant: Any) -> None:
        response = _client(sergeant).post(
            reverse("rota:shift-create"),
            _shift_post(
                rota,
                team=str(rota.east_a.public_id),
                officer=str(rota.east_officer.public_id),
                idva=str(rota.east_idva.public_id),
            ),
        )
        assert response.status_code == 400
        assert not Shift.objects.exists()


class TestShiftStaff:
    def test_the_sergeant_changes_the_idva(self, rota: Rota, sergeant: Any) -> None:
        shift = services.shift_create(actor=sergeant, **shift_kwargs(rota))
        url = reverse("rota:shift-staff", args=[shift.public_id])
        assert _client(sergeant).get(url).status_code == 200
        response = _client(sergeant).post(
            url, {"officer": str(rota.officer.public_id), "idva": str(rota.idva_2.public_id)}
        )
        assert response.status_code == 302
        shift.refresh_from_db()
        assert shift.idva_name == "Kit Nowak"

    def test_an_overlapping_shift_is_refused(self, rota: Rota, sergeant: Any) -> None:
        services.shift_create(actor=sergeant, **shift_kwargs(rota))
        late = services.shift_create(
            actor=sergeant,
            **shift_kwargs(
                rota, team=rota.west_b, pattern="late", officer=rota.officer_2, idva=rota.idva_2
            ),
        )
        response = _client(sergeant).post(
            reverse("rota:shift-staff", args=[late.public_id]),
            {"officer": str(rota.officer.public_id), "idva": str(rota.idva_2.public_id)},
        )
        assert response.status_code == 400
        assert "Pat Jones is already on the West A early" in response.content.decode()
        late.refresh_from_db()
        assert late.officer == rota.officer_2

    def test_another_bcus_shift_is_not_found(self, rota: Rota, manager: Any, sergeant: Any) -> None:
        east = services.shift_create(
            actor=manager,
            **shift_kwargs(rota, team=rota.east_a, officer=rota.east_officer, idva=rota.east_idva),
        )
        assert (
            _client(sergeant).get(reverse("rota:shift-staff", args=[east.public_id])).status_code
            == 404
        )


class TestAbsences:
    def test_leave_is_recorded_and_clashing_shifts_named(self, rota: Rota, manager: Any) -> None:
        services.shift_create(actor=manager, **shift_kwargs(rota))
        response = _client(manager).post(
            reverse("rota:absence-record"),
            {
                "staff": str(rota.idva.public_id),
                "kind": "sickness",
                "starts_on": DAY.isoformat(),
                "ends_on": (DAY + dt.timedelta(days=1)).isoformat(),
            },
            follow=True,
        )
        page = response.content.decode()
        assert "Recorded sickness for Sam Ahmed" in page
        assert "Sam Ahmed is on the rota for West A, Tuesday 10 March" in page
        absence = Absence.objects.get()
        assert (absence.recorded_by, absence.recorded_at) == (manager, NOW)

    def test_leave_ending_before_it_starts_is_refused(self, rota: Rota, manager: Any) -> None:
        response = _client(manager).post(
            reverse("rota:absence-record"),
            {
                "staff": str(rota.idva.public_id),
                "kind": "leave",
                "starts_on": "2026-03-12",
                "ends_on": "2026-03-10",
            },
        )
        assert response.status_code == 400
        assert (
            "The last day must be the same as or after the first day" in response.content.decode()
        )
        assert not Absence.objects.exists()

    def test_leave_is_removed(self, rota: Rota, sergeant: Any) -> None:
        absence = services.absence_record(
            actor=sergeant, staff=rota.idva, starts_on=DAY, ends_on=DAY, kind="leave"
        ).absence
        url = reverse("rota:absence-cancel", args=[absence.public_id])
        assert _client(sergeant).get(url).status_code == 405
        assert _client(sergeant).post(url).status_code == 302
        assert not Absence.objects.exists()
        assert_audited("rota.absence_cancelled", action="delete", actor=sergeant, subject=absence)

    def test_another_bcus_leave_cannot_be_removed(
        self, rota: Rota, manager: Any, sergeant: Any
    ) -> None:
        absence = services.absence_record(
            actor=manager, staff=rota.east_idva, starts_on=DAY, ends_on=DAY, kind="leave"
        ).absence
        url = reverse("rota:absence-cancel", args=[absence.public_id])
        assert _client(sergeant).post(url).status_code == 404
        assert Absence.objects.exists()


class TestSkills:
    def test_the_manager_records_languages_and_gender(self, rota: Rota, manager: Any) -> None:
        url = reverse("rota:staff-skills", args=[rota.idva.public_id])
        assert _client(manager).get(url).status_code == 200
        response = _client(manager).post(url, {"languages": "urdu, Punjabi", "gender": "female"})
        assert response.status_code == 302
        profile = StaffProfile.objects.get(user=rota.idva)
        assert (profile.languages, profile.gender, profile.updated_by) == (
            ["Punjabi", "Urdu"],
            "female",
            manager,
        )
        again = _client(manager).get(url)
        assert again.context["form"].initial == {"languages": "Punjabi, Urdu", "gender": "female"}

    def test_another_bcus_staff_are_not_found(self, rota: Rota, sergeant: Any) -> None:
        url = reverse("rota:staff-skills", args=[rota.east_idva.public_id])
        assert _client(sergeant).get(url).status_code == 404


class TestWeekCopy:
    def test_the_week_is_copied_and_the_skipped_shifts_listed(
        self, rota: Rota, sergeant: Any
    ) -> None:
        services.shift_create(actor=sergeant, **shift_kwargs(rota))
        services.shift_create(
            actor=sergeant,
            **shift_kwargs(rota, team=rota.west_b, officer=rota.officer_2, idva=rota.idva_2),
        )
        services.absence_record(
            actor=sergeant,
            staff=rota.idva_2,
            starts_on=DAY + dt.timedelta(days=7),
            ends_on=DAY + dt.timedelta(days=7),
            kind="training",
        )
        response = _client(sergeant).post(reverse("rota:week-copy"), {"week": DAY.isoformat()})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Added 1 shift" in page
        assert "West A, Tuesday 17 March, Early (07:00–15:00): Pat Jones and Sam Ahmed" in page
        assert "Not copied (1)" in page
        assert "Kit Nowak is on training on Tue 17 Mar 2026" in page
        assert Shift.objects.filter(on_date=DAY + dt.timedelta(days=7)).count() == 1

    def test_a_bad_week_changes_nothing(self, rota: Rota, sergeant: Any) -> None:
        response = _client(sergeant).post(reverse("rota:week-copy"), {"week": "soon"})
        assert response.status_code == 302
        assert not Shift.objects.exists()
