"""Reads for the rota: the teams, shifts, staff and absences a rota manager may see.

Everything is limited to the manager's BCU (:func:`provide.shared.access.bcu_scope`); a
force-wide manager (the IDVA manager, the administrator) sees every BCU.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from provide.accounts.models import User
from provide.accounts.roles import HEALTH_IDVA, JOINT_TEAM_OFFICER, Role
from provide.accounts.services import role_of
from provide.areas.models import Area
from provide.planning.models import Shift, Team
from provide.rota.models import Absence, StaffProfile
from provide.rota.policies import can_manage_rota
from provide.shared.access import bcu_scope, get_by_public_id

ROSTERED_ROLES = (JOINT_TEAM_OFFICER, HEALTH_IDVA)


@dataclass(frozen=True)
class RotaDay:
    day: dt.date
    shifts: tuple[tuple[str, str, Shift | None], ...]
    """(pattern, label, the team's shift of that pattern or None), early first."""


@dataclass(frozen=True)
class TeamWeek:
    team: Team
    days: tuple[RotaDay, ...]


def week_start_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def team_list_for(*, user: User | AnonymousUser) -> QuerySet[Team]:
    if not can_manage_rota(user):
        return Team.objects.none()
    teams = Team.objects.select_related("bcu", "base")
    bcu = bcu_scope(user)
    return teams.filter(bcu=bcu) if bcu is not None else teams


def team_get_for(*, user: User | AnonymousUser, team_id: uuid.UUID | str) -> Team:
    return get_by_public_id(team_list_for(user=user), team_id)


def shift_get_for(*, user: User | AnonymousUser, shift_id: uuid.UUID | str) -> Shift:
    shifts = Shift.objects.select_related("team", "team__bcu", "officer", "idva").filter(
        team__in=team_list_for(user=user)
    )
    return get_by_public_id(shifts, shift_id)


def staff_list_for(
    *, user: User | AnonymousUser, role: Role | None = None, bcu: Area | None = None
) -> QuerySet[User]:
    """Active joint-team officers and IDVAs (or those of ``role``) the manager may roster: of
    the manager's BCU, or of ``bcu`` when given (a force-wide manager staffing one team)."""
    if not can_manage_rota(user):
        return User.objects.none()
    roles = (role,) if role is not None else ROSTERED_ROLES
    staff = (
        User.objects.filter(is_active=True, groups__name__in=[r.name for r in roles])
        .select_related("staff_profile", "bcu")
        .prefetch_related("groups")
    )
    scope = bcu_scope(user)
    if scope is not None:
        staff = staff.filter(bcu=scope)
    if bcu is not None:
        staff = staff.filter(bcu=bcu)
    return staff.distinct().order_by("last_name", "first_name", "username")


def staff_get_for(*, user: User | AnonymousUser, staff_id: uuid.UUID | str) -> User:
    return get_by_public_id(staff_list_for(user=user), staff_id)


@dataclass(frozen=True)
class StaffRow:
    person: User
    role: str
    languages: tuple[str, ...]
    gender: str


def staff_rows_for(*, user: User | AnonymousUser) -> list[StaffRow]:
    """The staff the manager rosters, each with role, languages and gender (three queries)."""
    rows = []
    for person in staff_list_for(user=user):
        profile = profile_of(person)
        role = role_of(person)
        rows.append(
            StaffRow(
                person=person,
                role=role.name if role else "",
                languages=tuple(profile.languages) if profile else (),
                gender=profile.get_gender_display() if profile and profile.gender else "",
            )
        )
    return rows


def profile_of(staff: User) -> StaffProfile | None:
    """``staff``'s skills, if recorded (a missing one-to-one row raises AttributeError)."""
    profile: StaffProfile | None = getattr(staff, "staff_profile", None)
    return profile


def rota_week_for(*, user: User | AnonymousUser, week_start: dt.date) -> list[TeamWeek]:
    """Each team in scope with its shifts for the seven days from ``week_start`` (two queries)."""
    teams = list(team_list_for(user=user))
    days = [week_start + dt.timedelta(days=n) for n in range(7)]
    shifts = Shift.objects.filter(team__in=teams, on_date__gte=days[0], on_date__lte=days[-1])
    by_key = {(s.team_id, s.on_date, s.pattern): s for s in shifts}
    return [
        TeamWeek(
            team=team,
            days=tuple(
                RotaDay(
                    day=day,
                    shifts=tuple(
                        (pattern, str(label), by_key.get((team.pk, day, pattern)))
                        for pattern, label in Shift.Pattern.choices
                    ),
                )
                for day in days
            ),
        )
        for team in teams
    ]


def shift_list_between(
    *, user: User | AnonymousUser, first: dt.date, last: dt.date
) -> QuerySet[Shift]:
    return Shift.objects.filter(
        team__in=team_list_for(user=user), on_date__gte=first, on_date__lte=last
    ).select_related("team", "officer", "idva")


def absence_list_for(
    *, user: User | AnonymousUser, starts_on: dt.date, ends_on: dt.date
) -> QuerySet[Absence]:
    """Absences of rosterable staff in scope that overlap ``starts_on``-``ends_on``."""
    return Absence.objects.filter(
        user__in=staff_list_for(user=user), starts_on__lte=ends_on, ends_on__gte=starts_on
    ).select_related("user", "recorded_by")


def absence_get_for(*, user: User | AnonymousUser, absence_id: uuid.UUID | str) -> Absence:
    absences = Absence.objects.filter(user__in=staff_list_for(user=user)).select_related("user")
    return get_by_public_id(absences, absence_id)


def absences_on(*, people: Iterable[User], on_date: dt.date) -> dict[int, Absence]:
    """The absence covering ``on_date`` of each of ``people`` who is away that day, by user id."""
    ids = [person.pk for person in people]
    found = Absence.objects.filter(user_id__in=ids, starts_on__lte=on_date, ends_on__gte=on_date)
    return {absence.user_id: absence for absence in found.order_by("starts_on")}


def overlapping_shifts(
    *, person: User, starts_at: dt.datetime, ends_at: dt.datetime, excluding: Shift | None = None
) -> QuerySet[Shift]:
    """Shifts ``person`` staffs (as officer or IDVA) that overlap ``starts_at``-``ends_at``."""
    shifts = Shift.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).filter(
        officer=person
    ) | Shift.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at, idva=person)
    if excluding is not None:
        shifts = shifts.exclude(pk=excluding.pk)
    return shifts.select_related("team")


def shifts_during(*, person: User, starts_on: dt.date, ends_on: dt.date) -> list[Shift]:
    """The shifts ``person`` is rostered on between these days (to re-staff after leave)."""
    shifts = Shift.objects.filter(on_date__gte=starts_on, on_date__lte=ends_on)
    return list(
        (shifts.filter(officer=person) | shifts.filter(idva=person))
        .select_related("team")
        .order_by("starts_at")
    )


def team_skills_for(shift: Shift) -> frozenset[str]:
    """The languages the shift's officer and IDVA speak between them (for the planner: a
    victim who needs Punjabi goes to a team that speaks it)."""
    return frozenset(
        language
        for profile in StaffProfile.objects.filter(user_id__in=_staff_ids(shift))
        for language in profile.languages
    )


def team_genders_for(shift: Shift) -> frozenset[str]:
    """The recorded genders of the shift's officer and IDVA (for a victim who asks)."""
    return frozenset(
        StaffProfile.objects.filter(user_id__in=_staff_ids(shift))
        .exclude(gender="")
        .values_list("gender", flat=True)
    )


def _staff_ids(shift: Shift) -> list[int]:
    return [pk for pk in (shift.officer_id, shift.idva_id) if pk is not None]
