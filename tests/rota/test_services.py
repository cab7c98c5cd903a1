"""Planning the rota: shifts and their staffing, skills, leave and copying a week. Every
refusal changes nothing and says why; every change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.audit.models import AuditEvent
from provide.planning.models import Shift
from provide.rota import services
from provide.rota.models import Absence, StaffProfile
from provide.rota.services import RotaNotAllowed, RotaRefused
from tests.audit_assertions import assert_audited
from tests.rota.conftest import DAY, NOW, WEEK, Rota, at, shift_kwargs

pytestmark = pytest.mark.django_db


def _away(
    rota: Rota, person: Any, manager: Any, first: dt.date, last: dt.date, kind: str = "leave"
) -> Absence:
    return services.absence_record(
        actor=manager, staff=person, starts_on=first, ends_on=last, kind=kind, as_of=NOW
    ).absence


def _refused(message: str, **kwargs: Any) -> None:
    events = AuditEvent.objects.count()
    shifts = Shift.objects.count()
    with pytest.raises(RotaRefused) as refused:
        services.shift_create(**kwargs)
    assert str(refused.value) == message
    assert (Shift.objects.count(), AuditEvent.objects.count()) == (shifts, events)


class TestShiftCreate:
    def test_manager_adds_a_staffed_early_shift_in_local_time(
        self, rota: Rota, manager: Any
    ) -> None:
        shift = services.shift_create(actor=manager, **shift_kwargs(rota))
        assert (shift.starts_at, shift.ends_at) == (at(DAY, 7), at(DAY, 15))
        assert (shift.officer, shift.idva) == (rota.officer, rota.idva)
        assert (shift.officer_name, shift.idva_name) == ("Pat Jones", "Sam Ahmed")
        event = assert_audited("rota.shift_created", action="create", actor=manager, subject=shift)
        assert event.changes["officer"] == [None, "pc.jones"]
        assert event.changes["pattern"] == [None, "early"]

    def test_late_shift_runs_14_to_22_and_summer_time_is_local(
        self, rota: Rota, manager: Any
    ) -> None:
        summer = dt.date(2026, 7, 14)
        shift = services.shift_create(
            actor=manager, **shift_kwargs(rota, on_date=summer, pattern="late")
        )
        assert shift.starts_at == dt.datetime(2026, 7, 14, 13, tzinfo=dt.UTC)  # 14:00 BST
        assert shift.ends_at == dt.datetime(2026, 7, 14, 21, tzinfo=dt.UTC)

    def test_shift_without_an_idva_is_refused(self, rota: Rota, manager: Any) -> None:
        _refused(services.NEEDS_IDVA, actor=manager, **shift_kwargs(rota, idva=None))

    def test_shift_without_an_officer_is_refused(self, rota: Rota, manager: Any) -> None:
        _refused(services.NEEDS_OFFICER, actor=manager, **shift_kwargs(rota, officer=None))

    def test_a_pattern_other_than_early_or_late_is_refused(self, rota: Rota, manager: Any) -> None:
        _refused(services.UNKNOWN_PATTERN, actor=manager, **shift_kwargs(rota, pattern="night"))

    def test_a_shift_that_has_ended_is_refused(self, rota: Rota, manager: Any) -> None:
        _refused(
            services.ALREADY_ENDED,
            actor=manager,
            **shift_kwargs(rota, as_of=at(DAY, 15)),
        )

    def test_a_shift_in_progress_may_still_be_added(self, rota: Rota, manager: Any) -> None:
        shift = services.shift_create(actor=manager, **shift_kwargs(rota, as_of=at(DAY, 14)))
        assert shift.pk is not None

    def test_the_officer_must_hold_the_officer_role(self, rota: Rota, manager: Any) -> None:
        _refused(
            "Kit Nowak is not a joint-team officer in West",
            actor=manager,
            **shift_kwargs(rota, officer=rota.idva_2),
        )

    def test_the_idva_must_hold_the_idva_role(self, rota: Rota, manager: Any) -> None:
        _refused(
            "Amir Khan is not a health IDVA in West",
            actor=manager,
            **shift_kwargs(rota, idva=rota.officer_2),
        )

    def test_staff_of_another_bcu_are_refused(self, rota: Rota, manager: Any) -> None:
        _refused(
            "Erin Eastwood is not a joint-team officer in West",
            actor=manager,
            **shift_kwargs(rota, officer=rota.east_officer),
        )

    def test_a_person_on_leave_that_day_is_refused(self, rota: Rota, manager: Any) -> None:
        _away(rota, rota.idva, manager, DAY, DAY + dt.timedelta(days=4))
        _refused(
            "Sam Ahmed is on leave on Tue 10 Mar 2026 (recorded for Tue 10 Mar 2026–Sat 14 Mar 2026)",
            actor=manager,
            **shift_kwargs(rota),
        )

    def test_a_person_on_an_overlapping_shift_is_refused(self, rota: Rota, manager: Any) -> None:
        services.shift_create(actor=manager, **shift_kwargs(rota))
        # the late shift starts at 14:00, an hour before the early one ends
        _refused(
            "Pat Jones is already on the West A early (07:00–15:00) shift, which overlaps this one",
            actor=manager,
            **shift_kwargs(rota, team=rota.west_b, pattern="late", idva=rota.idva_2),
        )

    def test_the_same_person_may_work_the_next_days_early(self, rota: Rota, manager: Any) -> None:
        services.shift_create(actor=manager, **shift_kwargs(rota, pattern="late"))
        shift = services.shift_create(
            actor=manager, **shift_kwargs(rota, on_date=DAY + dt.timedelta(days=1))
        )
        assert shift.officer == rota.officer

    def test_a_duplicate_shift_is_refused(self, rota: Rota, manager: Any) -> None:
        services.shift_create(actor=manager, **shift_kwargs(rota))
        _refused(
            "There is already an early shift for West A on Tue 10 Mar 2026",
            actor=manager,
            **shift_kwargs(rota, officer=rota.officer_2, idva=rota.idva_2),
        )

    def test_a_sergeant_cannot_add_a_shift_for_another_bcus_team(
        self, rota: Rota, sergeant: Any
    ) -> None:
        _refused(
            services.NOT_YOUR_TEAM,
            actor=sergeant,
            **shift_kwargs(rota, team=rota.east_a, officer=rota.east_officer, idva=rota.east_idva),
        )

    @pytest.mark.parametrize(
        "slug", ["response_officer", "analyst", "joint_team_officer", "health_idva"]
    )
    def test_other_roles_may_not_plan_the_rota(self, rota: Rota, make_user: Any, slug: str) -> None:
        with pytest.raises(RotaNotAllowed):
            services.shift_create(actor=make_user(slug), **shift_kwargs(rota))
        assert not Shift.objects.exists()


class TestShiftStaff:
    def test_manager_changes_the_staff_and_it_is_audited(self, rota: Rota, sergeant: Any) -> None:
        shift = services.shift_create(actor=sergeant, **shift_kwargs(rota))
        services.shift_staff(
            actor=sergeant, shift=shift, officer=rota.officer_2, idva=rota.idva, as_of=NOW
        )
        shift.refresh_from_db()
        assert (shift.officer, shift.officer_name) == (rota.officer_2, "Amir Khan")
        event = assert_audited("rota.shift_staffed", action="update", actor=sergeant, subject=shift)
        assert event.changes == {"officer": ["pc.jones", "pc.khan"]}

    def test_keeping_the_same_staff_does_not_clash_with_the_shift_itself(
        self, rota: Rota, sergeant: Any
    ) -> None:
        shift = services.shift_create(actor=sergeant, **shift_kwargs(rota))
        services.shift_staff(
            actor=sergeant, shift=shift, officer=rota.officer, idva=rota.idva, as_of=NOW
        )
        assert_audited("rota.shift_staffed", action="update", actor=sergeant, subject=shift)

    def test_removing_the_idva_is_refused_and_nothing_changes(
        self, rota: Rota, sergeant: Any
    ) -> None:
        shift = services.shift_create(actor=sergeant, **shift_kwargs(rota))
        with pytest.raises(RotaRefused, match=services.NEEDS_IDVA):
            services.shift_staff(
                actor=sergeant, shift=shift, officer=rota.officer, idva=None, as_of=NOW
            )
        shift.refresh_from_db()
        assert shift.idva == rota.idva
        assert not AuditEvent.objects.filter(event="rota.shift_staffed").exists()

    def test_staffing_with_someone_absent_is_refused(self, rota: Rota, sergeant: Any) -> None:
        shift = services.shift_create(actor=sergeant, **shift_kwargs(rota))
        _away(rota, rota.officer_2, sergeant, DAY, DAY, kind="sickness")
        with pytest.raises(RotaRefused, match="Amir Khan is on sickness on Tue 10 Mar 2026"):
            services.shift_staff(
                actor=sergeant, shift=shift, officer=rota.officer_2, idva=rota.idva, as_of=NOW
            )

    def test_restaffing_a_shift_that_has_ended_is_refused(self, rota: Rota, sergeant: Any) -> None:
        shift = services.shift_create(actor=sergeant, **shift_kwargs(rota))
        with pytest.raises(RotaRefused, match=services.ALREADY_ENDED):
            services.shift_staff(
                actor=sergeant,
                shift=shift,
                officer=rota.officer_2,
                idva=rota.idva,
                as_of=at(DAY, 16),
            )


class TestSkills:
    def test_languages_and_gender_are_recorded_tidily_and_audited(
        self, rota: Rota, manager: Any
    ) -> None:
        profile = services.staff_profile_update(
            actor=manager,
            staff=rota.idva,
            languages=[" punjabi", "Urdu", "PUNJABI", ""],
            gender="female",
        )
        assert (profile.languages, profile.gender) == (["Punjabi", "Urdu"], "female")
        event = assert_audited(
            "rota.staff_skills_changed", action="update", actor=manager, subject=profile
        )
        assert event.changes == {
            "gender": ["", "female"],
            "languages": ["", "Punjabi, Urdu"],
        }

    def test_an_unknown_gender_is_refused(self, rota: Rota, manager: Any) -> None:
        with pytest.raises(RotaRefused, match=services.UNKNOWN_GENDER):
            services.staff_profile_update(actor=manager, staff=rota.idva, languages=[], gender="x")
        assert not StaffProfile.objects.exists()

    def test_a_sergeant_cannot_change_another_bcus_staff(self, rota: Rota, sergeant: Any) -> None:
        with pytest.raises(RotaRefused, match=services.NOT_ROSTERED_STAFF):
            services.staff_profile_update(
                actor=sergeant, staff=rota.east_idva, languages=["Polish"], gender=""
            )

    def test_skills_are_recorded_only_for_rostered_roles(
        self, rota: Rota, manager: Any, make_user: Any
    ) -> None:
        with pytest.raises(RotaRefused, match=services.NOT_ROSTERED_STAFF):
            services.staff_profile_update(
                actor=manager, staff=make_user("analyst"), languages=["Polish"], gender=""
            )


class TestAbsence:
    def test_leave_is_recorded_with_who_and_when_and_audited(
        self, rota: Rota, manager: Any
    ) -> None:
        recorded = services.absence_record(
            actor=manager,
            staff=rota.officer,
            starts_on=DAY,
            ends_on=DAY,
            kind="training",
            as_of=NOW,
        )
        absence = recorded.absence
        assert (absence.recorded_by, absence.recorded_at, absence.kind) == (
            manager,
            NOW,
            "training",
        )
        assert recorded.clashes == []
        assert_audited("rota.absence_recorded", action="create", actor=manager, subject=absence)

    def test_leave_over_a_rostered_shift_names_the_shift_to_restaff(
        self, rota: Rota, manager: Any
    ) -> None:
        shift = services.shift_create(actor=manager, **shift_kwargs(rota))
        recorded = services.absence_record(
            actor=manager,
            staff=rota.idva,
            starts_on=WEEK,
            ends_on=WEEK + dt.timedelta(days=6),
            kind="sickness",
            as_of=NOW,
        )
        assert recorded.clashes == [shift]

    def test_leave_ending_before_it_starts_is_refused(self, rota: Rota, manager: Any) -> None:
        with pytest.raises(RotaRefused, match=services.LEAVE_ENDS_BEFORE_START):
            services.absence_record(
                actor=manager, staff=rota.officer, starts_on=DAY, ends_on=WEEK, kind="leave"
            )
        assert not Absence.objects.exists()

    def test_overlapping_leave_is_refused(self, rota: Rota, manager: Any) -> None:
        _away(rota, rota.officer, manager, DAY, DAY + dt.timedelta(days=2))
        with pytest.raises(
            RotaRefused,
            match="Pat Jones already has leave recorded for Tue 10 Mar 2026–Thu 12 Mar 2026",
        ):
            _away(
                rota, rota.officer, manager, DAY + dt.timedelta(days=2), DAY + dt.timedelta(days=5)
            )
        assert Absence.objects.count() == 1

    def test_an_unknown_kind_is_refused(self, rota: Rota, manager: Any) -> None:
        with pytest.raises(RotaRefused, match=services.UNKNOWN_KIND):
            _away(rota, rota.officer, manager, DAY, DAY, kind="holiday")

    def test_cancelled_leave_is_gone_and_audited_with_what_it_was(
        self, rota: Rota, manager: Any
    ) -> None:
        absence = _away(rota, rota.officer, manager, DAY, DAY)
        services.absence_cancel(actor=manager, absence=absence)
        assert not Absence.objects.exists()
        event = assert_audited(
            "rota.absence_cancelled", action="delete", actor=manager, subject=absence
        )
        assert event.changes["kind"] == ["leave", None]
        # and the person can be rostered again
        assert services.shift_create(actor=manager, **shift_kwargs(rota)).pk


class TestWeekCopy:
    def _week(self, rota: Rota, manager: Any) -> list[Shift]:
        return [
            services.shift_create(actor=manager, **shift_kwargs(rota)),
            services.shift_create(
                actor=manager,
                **shift_kwargs(rota, team=rota.west_b, officer=rota.officer_2, idva=rota.idva_2),
            ),
            services.shift_create(
                actor=manager,
                **shift_kwargs(
                    rota,
                    team=rota.east_a,
                    officer=rota.east_officer,
                    idva=rota.east_idva,
                    on_date=DAY + dt.timedelta(days=3),
                    pattern="late",
                ),
            ),
        ]

    def test_every_shift_is_copied_a_week_on_with_its_staff(self, rota: Rota, manager: Any) -> None:
        self._week(rota, manager)
        result = services.week_copy(actor=manager, week_start=WEEK, as_of=NOW)
        assert result.to_week == WEEK + dt.timedelta(days=7)
        assert result.skipped == []
        copied = {
            (s.team.name, s.on_date, s.pattern, s.officer, s.idva, s.starts_at)
            for s in result.created
        }
        next_day = DAY + dt.timedelta(days=7)
        assert copied == {
            ("West A", next_day, "early", rota.officer, rota.idva, at(next_day, 7)),
            ("West B", next_day, "early", rota.officer_2, rota.idva_2, at(next_day, 7)),
            (
                "East A",
                DAY + dt.timedelta(days=10),
                "late",
                rota.east_officer,
                rota.east_idva,
                at(DAY + dt.timedelta(days=10), 14),
            ),
        }
        assert_audited("rota.shift_created", action="create", actor=manager, count=6)
        summary = assert_audited("rota.week_copied", action="create", actor=manager)
        assert summary.changes["created"] == [None, 3]

    def test_existing_shifts_and_absent_staff_are_skipped_and_listed(
        self, rota: Rota, manager: Any
    ) -> None:
        self._week(rota, manager)
        next_day = DAY + dt.timedelta(days=7)
        already = services.shift_create(actor=manager, **shift_kwargs(rota, on_date=next_day))
        _away(rota, rota.idva_2, manager, next_day, next_day)
        result = services.week_copy(actor=manager, week_start=WEEK, as_of=NOW)
        assert [s.team.name for s in result.created] == ["East A"]
        assert [(s.shift.team.name, s.reason) for s in result.skipped] == [
            ("West A", "There is already an early shift for West A on Tue 17 Mar 2026"),
            (
                "West B",
                "Kit Nowak is on leave on Tue 17 Mar 2026 (recorded for Tue 17 Mar 2026–Tue 17 Mar 2026)",
            ),
        ]
        assert Shift.objects.filter(on_date=next_day).get() == already

    def test_a_sergeant_copies_only_their_bcus_teams(
        self, rota: Rota, manager: Any, sergeant: Any
    ) -> None:
        self._week(rota, manager)
        result = services.week_copy(actor=sergeant, week_start=WEEK, as_of=NOW)
        assert sorted(s.team.name for s in result.created) == ["West A", "West B"]
        assert not Shift.objects.filter(
            team=rota.east_a, on_date__gt=DAY + dt.timedelta(days=6)
        ).exists()

    def test_a_shift_without_full_staff_is_not_copied(self, rota: Rota, manager: Any) -> None:
        Shift.objects.create(
            team=rota.west_a,
            on_date=DAY,
            pattern="late",
            starts_at=at(DAY, 14),
            ends_at=at(DAY, 22),
            officer_name="PC Legacy",
        )
        result = services.week_copy(actor=manager, week_start=WEEK, as_of=NOW)
        assert result.created == []
        assert [s.reason for s in result.skipped] == [services.NEEDS_OFFICER]

    def test_copying_is_all_or_nothing(self, rota: Rota, manager: Any, monkeypatch: Any) -> None:
        """A failure part-way through (here the audit log refusing the summary) keeps none."""
        self._week(rota, manager)
        before = Shift.objects.count()
        real = services.audit_record

        def failing(**kwargs: Any) -> Any:
            if kwargs["event"] == "rota.week_copied":
                raise RuntimeError("audit log unavailable")
            return real(**kwargs)

        monkeypatch.setattr(services, "audit_record", failing)
        with pytest.raises(RuntimeError):
            services.week_copy(actor=manager, week_start=WEEK, as_of=NOW)
        assert Shift.objects.count() == before

    def test_other_roles_may_not_copy(self, rota: Rota, make_user: Any) -> None:
        with pytest.raises(RotaNotAllowed):
            services.week_copy(actor=make_user("response_officer"), week_start=WEEK, as_of=NOW)


def test_shift_times_refuses_an_unknown_pattern() -> None:
    with pytest.raises(RotaRefused, match=services.UNKNOWN_PATTERN):
        services.shift_times(DAY, "custom")


def test_tidy_languages_keeps_each_once_in_order() -> None:
    assert services.tidy_languages(["urdu", " Polish ", "Urdu", "british  sign language"]) == [
        "British sign language",
        "Polish",
        "Urdu",
    ]
