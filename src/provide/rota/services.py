"""Writes for the rota: shifts and who staffs them, staff skills, leave, and copying a week.

Every service is keyword-only, atomic, checks :func:`provide.rota.policies.can_manage_rota`
and the manager's BCU, and writes an audit event. A refused change raises
:class:`RotaRefused` with a message for the user (one of the constants below) and changes
nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from provide.accounts.models import User
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, changed_fields
from provide.planning.models import Shift, Team
from provide.rota import selectors
from provide.rota.models import Absence, StaffProfile
from provide.rota.policies import (
    can_be_rostered_as_idva,
    can_be_rostered_as_officer,
    can_manage_rota,
)

PATTERN_HOURS: dict[str, tuple[dt.time, dt.time]] = {
    Shift.Pattern.EARLY: (dt.time(7), dt.time(15)),
    Shift.Pattern.LATE: (dt.time(14), dt.time(22)),
}
"""The programme's shift patterns, in local time."""

NOT_ALLOWED = "Your role cannot plan the rota"
NOT_YOUR_TEAM = "That team is not in your BCU"
UNKNOWN_PATTERN = "Choose the early or the late shift"
NEEDS_OFFICER = "Choose the joint-team officer for this shift"
NEEDS_IDVA = "Choose the IDVA for this shift"
NOT_AN_OFFICER = "{name} is not a joint-team officer in {bcu}"
NOT_AN_IDVA = "{name} is not a health IDVA in {bcu}"
ALREADY_ENDED = "That shift has already ended: the rota plans from now on"
ABSENT = "{name} is on {kind} on {day} (recorded for {starts}–{ends})"
DOUBLE_BOOKED = "{name} is already on the {team} {pattern} shift, which overlaps this one"
DUPLICATE = "There is already {article} {pattern} shift for {team} on {day}"
NOT_ROSTERED_STAFF = "Choose a joint-team officer or IDVA you plan the rota for"
LEAVE_ENDS_BEFORE_START = "The last day must be the same as or after the first day"
LEAVE_OVERLAPS = "{name} already has {kind} recorded for {starts}–{ends}"
UNKNOWN_KIND = "Choose leave, sickness or training"
UNKNOWN_GENDER = "Choose a gender from the list, or leave it blank"


class RotaNotAllowed(PermissionError):
    pass


class RotaRefused(ValueError):
    """A rule refused the change; the message says which (and is shown to the user)."""


@dataclass(frozen=True)
class AbsenceRecorded:
    absence: Absence
    clashes: list[Shift]
    """Shifts the person was already rostered on during the absence: re-staff them."""


@dataclass(frozen=True)
class SkippedShift:
    shift: Shift
    reason: str


@dataclass(frozen=True)
class WeekCopy:
    to_week: dt.date
    created: list[Shift] = field(default_factory=list)
    skipped: list[SkippedShift] = field(default_factory=list)


def shift_times(on_date: dt.date, pattern: str) -> tuple[dt.datetime, dt.datetime]:
    """When a shift of ``pattern`` on ``on_date`` starts and ends (aware, local time)."""
    try:
        starts, ends = PATTERN_HOURS[pattern]
    except KeyError:
        raise RotaRefused(UNKNOWN_PATTERN) from None
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(dt.datetime.combine(on_date, starts), zone),
        timezone.make_aware(dt.datetime.combine(on_date, ends), zone),
    )


def shift_create(
    *,
    actor: User,
    team: Team,
    on_date: dt.date,
    pattern: str,
    officer: User | None,
    idva: User | None,
    as_of: dt.datetime | None = None,
) -> Shift:
    """Add ``team``'s shift of ``pattern`` on ``on_date``, staffed by ``officer`` and ``idva``."""
    _require_team(actor, team)
    starts_at, ends_at = shift_times(on_date, pattern)
    with transaction.atomic():
        _lock_people(officer, idva)
        if Shift.objects.filter(team=team, on_date=on_date, pattern=pattern).exists():
            raise RotaRefused(_duplicate(team, on_date, pattern))
        problem = _staffing_problem(
            team=team,
            starts_at=starts_at,
            ends_at=ends_at,
            officer=officer,
            idva=idva,
            as_of=as_of or timezone.now(),
        )
        if problem:
            raise RotaRefused(problem)
        shift = _create(team, on_date, pattern, starts_at, ends_at, officer, idva)
        _audit_created(actor, shift)
    return shift


def shift_staff(
    *,
    actor: User,
    shift: Shift,
    officer: User | None,
    idva: User | None,
    as_of: dt.datetime | None = None,
) -> Shift:
    """Change who staffs ``shift``."""
    _require_team(actor, shift.team)
    with transaction.atomic():
        _lock_people(officer, idva)
        problem = _staffing_problem(
            team=shift.team,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            officer=officer,
            idva=idva,
            as_of=as_of or timezone.now(),
            excluding=shift,
        )
        if problem:
            raise RotaRefused(problem)
        before = _staffing(shift)
        shift.officer, shift.idva = officer, idva
        shift.officer_name, shift.idva_name = _name(officer), _name(idva)
        shift.save(update_fields=["officer", "idva", "officer_name", "idva_name", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            event="rota.shift_staffed",
            subject=shift,
            changes=changed_fields(before, _staffing(shift)),
        )
    return shift


def staff_profile_update(
    *, actor: User, staff: User, languages: Iterable[str], gender: str
) -> StaffProfile:
    """Record the languages ``staff`` speaks and their gender (blank: not recorded)."""
    _require_staff(actor, staff)
    if gender and gender not in StaffProfile.Gender.values:
        raise RotaRefused(UNKNOWN_GENDER)
    with transaction.atomic():
        profile, _ = StaffProfile.objects.select_for_update().get_or_create(user=staff)
        before = {"languages": ", ".join(profile.languages), "gender": profile.gender}
        profile.languages = tidy_languages(languages)
        profile.gender = gender
        profile.updated_by = actor
        profile.save()
        after = {"languages": ", ".join(profile.languages), "gender": profile.gender}
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            event="rota.staff_skills_changed",
            subject=profile,
            changes=changed_fields(before, after),
        )
    return profile


def tidy_languages(languages: Iterable[str]) -> list[str]:
    """Each language once, trimmed, capitalised ("punjabi " → "Punjabi"), in order."""
    tidy: dict[str, str] = {}
    for language in languages:
        name = " ".join(language.split())
        if name:
            tidy.setdefault(name.casefold(), name[:1].upper() + name[1:])
    return sorted(tidy.values())


def absence_record(
    *,
    actor: User,
    staff: User,
    starts_on: dt.date,
    ends_on: dt.date,
    kind: str,
    as_of: dt.datetime | None = None,
) -> AbsenceRecorded:
    """Record that ``staff`` is away from ``starts_on`` to ``ends_on`` (both included)."""
    _require_staff(actor, staff)
    if kind not in Absence.Kind.values:
        raise RotaRefused(UNKNOWN_KIND)
    if ends_on < starts_on:
        raise RotaRefused(LEAVE_ENDS_BEFORE_START)
    with transaction.atomic():
        _lock_people(staff)
        existing = Absence.objects.filter(
            user=staff, starts_on__lte=ends_on, ends_on__gte=starts_on
        ).first()
        if existing is not None:
            raise RotaRefused(
                LEAVE_OVERLAPS.format(
                    name=_name(staff),
                    kind=existing.get_kind_display().lower(),
                    starts=_day(existing.starts_on),
                    ends=_day(existing.ends_on),
                )
            )
        absence = Absence.objects.create(
            user=staff,
            starts_on=starts_on,
            ends_on=ends_on,
            kind=kind,
            recorded_by=actor,
            recorded_at=as_of or timezone.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            event="rota.absence_recorded",
            subject=absence,
            changes={
                "user": [None, staff.username],
                "kind": [None, kind],
                "starts_on": [None, starts_on.isoformat()],
                "ends_on": [None, ends_on.isoformat()],
            },
        )
    clashes = selectors.shifts_during(person=staff, starts_on=starts_on, ends_on=ends_on)
    return AbsenceRecorded(absence=absence, clashes=clashes)


def absence_cancel(*, actor: User, absence: Absence) -> None:
    """Remove an absence recorded in error (the audit log keeps what it was)."""
    _require_staff(actor, absence.user)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            event="rota.absence_cancelled",
            subject=absence,
            changes={
                "user": [absence.user.username, None],
                "kind": [absence.kind, None],
                "starts_on": [absence.starts_on.isoformat(), None],
                "ends_on": [absence.ends_on.isoformat(), None],
            },
        )
        absence.delete()


def week_copy(*, actor: User, week_start: dt.date, as_of: dt.datetime | None = None) -> WeekCopy:
    """Copy every shift of the week from ``week_start`` (a Monday), with its staffing, to the
    week after. A shift already on the rota, whose staff are away or already rostered, or that
    would have ended, is skipped with the reason; the rest are added together or not at all."""
    if not can_manage_rota(actor):
        raise RotaNotAllowed(NOT_ALLOWED)
    now = as_of or timezone.now()
    result = WeekCopy(to_week=week_start + dt.timedelta(days=7))
    with transaction.atomic():
        sources = list(
            selectors.shift_list_between(
                user=actor, first=week_start, last=week_start + dt.timedelta(days=6)
            ).order_by("on_date", "starts_at", "team__name")
        )
        _lock_people(*{person for s in sources for person in (s.officer, s.idva) if person})
        for source in sources:
            copied, reason = _copy_one(actor, source, now)
            if copied is not None:
                result.created.append(copied)
            else:
                result.skipped.append(SkippedShift(shift=source, reason=reason))
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            event="rota.week_copied",
            changes={
                "from_week": [None, week_start.isoformat()],
                "to_week": [None, result.to_week.isoformat()],
                "created": [None, len(result.created)],
                "skipped": [None, len(result.skipped)],
            },
        )
    return result


def _copy_one(actor: User, source: Shift, now: dt.datetime) -> tuple[Shift | None, str]:
    on_date = source.on_date + dt.timedelta(days=7)
    if Shift.objects.filter(team=source.team, on_date=on_date, pattern=source.pattern).exists():
        return None, _duplicate(source.team, on_date, source.pattern)
    starts_at, ends_at = shift_times(on_date, source.pattern)
    problem = _staffing_problem(
        team=source.team,
        starts_at=starts_at,
        ends_at=ends_at,
        officer=source.officer,
        idva=source.idva,
        as_of=now,
    )
    if problem:
        return None, problem
    shift = _create(
        source.team, on_date, source.pattern, starts_at, ends_at, source.officer, source.idva
    )
    _audit_created(actor, shift, copied_from=source)
    return shift, ""


def _staffing_problem(
    *,
    team: Team,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    officer: User | None,
    idva: User | None,
    as_of: dt.datetime,
    excluding: Shift | None = None,
) -> str:
    """The first reason this staffing cannot stand, or "" when it can."""
    if ends_at <= as_of:
        return ALREADY_ENDED
    if officer is None:
        return NEEDS_OFFICER
    if idva is None:
        return NEEDS_IDVA
    if not (can_be_rostered_as_officer(officer) and officer.bcu_id == team.bcu_id):
        return NOT_AN_OFFICER.format(name=_name(officer), bcu=team.bcu.name)
    if not (can_be_rostered_as_idva(idva) and idva.bcu_id == team.bcu_id):
        return NOT_AN_IDVA.format(name=_name(idva), bcu=team.bcu.name)
    on_date = timezone.localdate(starts_at)
    away = selectors.absences_on(people=(officer, idva), on_date=on_date)
    for person in (officer, idva):
        if person.pk in away:
            return _absent(person, away[person.pk], on_date)
        clash = selectors.overlapping_shifts(
            person=person, starts_at=starts_at, ends_at=ends_at, excluding=excluding
        ).first()
        if clash is not None:
            return DOUBLE_BOOKED.format(
                name=_name(person), team=clash.team, pattern=clash.get_pattern_display().lower()
            )
    return ""


def _create(
    team: Team,
    on_date: dt.date,
    pattern: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    officer: User | None,
    idva: User | None,
) -> Shift:
    try:
        with transaction.atomic():
            return Shift.objects.create(
                team=team,
                on_date=on_date,
                pattern=pattern,
                starts_at=starts_at,
                ends_at=ends_at,
                officer=officer,
                idva=idva,
                officer_name=_name(officer),
                idva_name=_name(idva),
            )
    except IntegrityError:  # added by someone else since we looked
        raise RotaRefused(_duplicate(team, on_date, pattern)) from None


def _audit_created(actor: User, shift: Shift, copied_from: Shift | None = None) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        event="rota.shift_created",
        subject=shift,
        changes={
            "team": [None, shift.team.name],
            "on_date": [None, shift.on_date.isoformat()],
            "pattern": [None, shift.pattern],
            **{key: [None, value] for key, value in _staffing(shift).items()},
            **({"copied_from": [None, str(copied_from.public_id)]} if copied_from else {}),
        },
    )


def _staffing(shift: Shift) -> dict[str, str | None]:
    return {
        "officer": shift.officer.username if shift.officer else None,
        "idva": shift.idva.username if shift.idva else None,
    }


def _require_team(actor: User, team: Team) -> None:
    if not can_manage_rota(actor):
        raise RotaNotAllowed(NOT_ALLOWED)
    if not selectors.team_list_for(user=actor).filter(pk=team.pk).exists():
        raise RotaRefused(NOT_YOUR_TEAM)


def _require_staff(actor: User, staff: User) -> None:
    if not can_manage_rota(actor):
        raise RotaNotAllowed(NOT_ALLOWED)
    if not selectors.staff_list_for(user=actor).filter(pk=staff.pk).exists():
        raise RotaRefused(NOT_ROSTERED_STAFF)


def _lock_people(*people: User | None) -> None:
    """Lock the people being rostered, in primary-key order, so that two managers staffing
    the same person at once are taken one after the other (PostgreSQL; SQLite locks the
    whole database anyway)."""
    ids: Sequence[int] = sorted({person.pk for person in people if person is not None})
    if ids:
        list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _duplicate(team: Team, on_date: dt.date, pattern: str) -> str:
    label = Shift.Pattern(pattern).label.split(" ")[0].lower()
    article = "an" if label[:1] in ("a", "e", "i", "o", "u") else "a"
    return DUPLICATE.format(article=article, team=team, pattern=label, day=_day(on_date))


def _absent(person: User, absence: Absence, on_date: dt.date) -> str:
    return ABSENT.format(
        name=_name(person),
        kind=absence.get_kind_display().lower(),
        day=_day(on_date),
        starts=_day(absence.starts_on),
        ends=_day(absence.ends_on),
    )


def _name(person: User | None) -> str:
    return (person.get_full_name() or person.username) if person else ""


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"
