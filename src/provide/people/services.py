"""Writes to people: merge and un-merge duplicates, decide review-queue matches, and safe-contact
details. Each is atomic, permission-checked and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from provide.accounts.models import User
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, changed_fields
from provide.people.contact import contact_fields_from_text, schedule_of
from provide.people.models import Person, PersonMatch, PersonMerge, VictimAvailability

CANNOT_MERGE = "Your role cannot merge person records"
CANNOT_EDIT_CONTACT = "Your role cannot change safe-contact details"
SAME_PERSON = "A record cannot be merged into itself"
ALREADY_MERGED = "This record has already been merged into another"
ALREADY_UNDONE = "This merge has already been undone"
NOT_LATEST = "Undo the later merges into this record first"
SAFE_CONTACT_FIELDS = ("safe_phone", "safe_contact_times", "safe_contact_method", "no_messages",
                       "suspect_may_answer", "no_letters", "no_sms")  # fmt: skip


def _require(user: User, permission: str, message: str) -> None:
    if not (getattr(user, "is_authenticated", False) and user.has_perm(permission)):
        raise PermissionDenied(message)


def _person_links() -> list[tuple[type[models.Model], str]]:
    """Every foreign key to Person outside people itself (any app may add one)."""
    links = []
    for model in apps.get_models():
        if model._meta.app_label == "people":
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Person:
                links.append((model, field.attname))
    return links


@transaction.atomic
def person_merge(*, user: User, duplicate: Person, survivor: Person, reason: str = "",
                 match: PersonMatch | None = None) -> PersonMerge:  # fmt: skip
    """Move everything that points at ``duplicate`` to ``survivor`` and mark the duplicate
    merged. One-to-one links (e.g. an NHS identity) are moved only when the survivor has
    none. The moved record ids are kept, so :func:`person_unmerge` can put them back."""
    _require(user, "people.merge_person", CANNOT_MERGE)
    duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    if duplicate.pk == survivor.pk:
        raise ValidationError(SAME_PERSON)
    if duplicate.merged_into_id or survivor.merged_into_id:
        raise ValidationError(ALREADY_MERGED)
    moved: dict[str, list[int]] = {}
    for model, attname in _person_links():
        field = model._meta.get_field(attname.removesuffix("_id"))
        rows = model._default_manager.filter(**{attname: duplicate.pk})
        if (
            getattr(field, "one_to_one", False)
            and model._default_manager.filter(**{attname: survivor.pk}).exists()
        ):
            continue
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            model._default_manager.filter(pk__in=ids).update(**{attname: survivor.pk})
            moved[f"{model._meta.label_lower}.{attname}"] = ids
    duplicate.merged_into = survivor
    duplicate.merged_at = timezone.now()
    duplicate.save(update_fields=["merged_into", "merged_at", "updated_at"])
    merge = PersonMerge.objects.create(duplicate=duplicate, survivor=survivor, moved=moved,
                                       reason=reason.strip(), merged_by=user)  # fmt: skip
    if match is not None:
        _decide(match, PersonMatch.Status.MERGED, user)
    audit_record(actor=user, action=AuditAction.UPDATE, event="people.person_merged", subject=survivor,
                 reason=reason.strip(),
                 changes={"duplicate": str(duplicate.public_id), "survivor": str(survivor.public_id),
                          "moved": {key: len(ids) for key, ids in moved.items()}})  # fmt: skip
    return merge


@transaction.atomic
def person_unmerge(*, user: User, merge: PersonMerge, reason: str = "") -> Person:
    """Undo a merge: the moved records point at the duplicate again, which is live again."""
    _require(user, "people.merge_person", CANNOT_MERGE)
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(ALREADY_UNDONE)
    later = PersonMerge.objects.filter(survivor=merge.duplicate, undone_at__isnull=True).exists()
    if later:
        raise ValidationError(NOT_LATEST)
    for key, ids in merge.moved.items():
        app_label, model_name, attname = key.split(".")
        model = apps.get_model(app_label, model_name)
        model._default_manager.filter(pk__in=ids, **{attname: merge.survivor_id}).update(
            **{attname: merge.duplicate_id}
        )
    duplicate = merge.duplicate
    duplicate.merged_into = None
    duplicate.merged_at = None
    duplicate.save(update_fields=["merged_into", "merged_at", "updated_at"])
    merge.undone_at = timezone.now()
    merge.undone_by = user
    merge.save(update_fields=["undone_at", "undone_by", "updated_at"])
    audit_record(actor=user, action=AuditAction.UPDATE, event="people.person_unmerged", subject=duplicate,
                 reason=reason.strip(),
                 changes={"duplicate": str(duplicate.public_id), "survivor": str(merge.survivor.public_id)})  # fmt: skip
    return duplicate


def _decide(match: PersonMatch, status: str, user: User) -> None:
    match.status = status
    match.decided_by = user
    match.decided_at = timezone.now()
    match.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])


@transaction.atomic
def person_match_reject(*, user: User, match: PersonMatch) -> PersonMatch:
    """A reviewer says the two records are different people."""
    _require(user, "people.merge_person", CANNOT_MERGE)
    _decide(match, PersonMatch.Status.DISTINCT, user)
    audit_record(actor=user, action=AuditAction.UPDATE, event="people.match_rejected", subject=match.person,
                 changes={"candidate": str(match.candidate.public_id), "score": match.score})  # fmt: skip
    return match


@transaction.atomic
def person_safe_contact_update(*, user: User, person: Person, **values: Any) -> Person:
    """Change a person's safe-contact details (only those fields), audited with old and new."""
    _require(user, "people.change_safe_contact", CANNOT_EDIT_CONTACT)
    unknown = set(values) - set(SAFE_CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"not safe-contact fields: {', '.join(sorted(unknown))}")
    if "safe_contact_times" in values:
        # the times are read into ranges here, and only here (provide.people.contact)
        read = contact_fields_from_text(values["safe_contact_times"])
        values = {**values, **read}  # a warning the text names is turned on, never off
    before = {name: getattr(person, name) for name in values}
    changes = changed_fields(before, values)
    if not changes:
        return person
    for name, value in values.items():
        setattr(person, name, value)
    person.safe_contact_recorded_by = user
    person.safe_contact_recorded_at = timezone.now()
    person.save(update_fields=[*values, "safe_contact_recorded_by", "safe_contact_recorded_at",
                               "updated_at"])  # fmt: skip
    audit_record(actor=user, action=AuditAction.UPDATE, event="people.safe_contact_changed",
                 subject=person, changes=changes)  # fmt: skip
    return person


AVAILABILITY_INVERTED = "The end must be after the start"
AVAILABILITY_PAST = "That time has already passed"
AVAILABILITY_TOO_LONG = "Record one day at a time: a time she is available ends the day it starts"


@transaction.atomic
def victim_availability_add(
    *, user: User, person: Person, starts_at: dt.datetime, ends_at: dt.datetime
) -> VictimAvailability:
    """Record a time the victim said she can be seen. Refused (ValidationError, by field) when
    it is inverted, over, longer than its day, or touches a time her schedule says is unsafe."""
    _require(user, "people.change_safe_contact", CANNOT_EDIT_CONTACT)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": AVAILABILITY_INVERTED})
    if ends_at <= timezone.now():
        raise ValidationError({"ends_at": AVAILABILITY_PAST})
    local_start = timezone.localtime(starts_at)
    if timezone.localtime(ends_at).date() != local_start.date() and timezone.localtime(
        ends_at
    ).time() != dt.time(0, 0):
        raise ValidationError({"ends_at": AVAILABILITY_TOO_LONG})
    local_end = timezone.localtime(ends_at)
    start_minute = local_start.hour * 60 + local_start.minute  # wall clock, as the schedule is
    end_minute = (
        1440 if local_end.date() != local_start.date() else local_end.hour * 60 + local_end.minute
    )
    schedule = schedule_of(person)
    clash = [r for r in schedule.ranges if not r.safe and local_start.weekday() in r.days
             and r.start < end_minute and start_minute < r.end]  # fmt: skip
    if clash:
        raise ValidationError(
            {
                "starts_at": "Contact is not safe then: "
                + clash[0].in_words().removeprefix("not safe: ")
            }
        )
    availability = VictimAvailability.objects.create(
        person=person, starts_at=starts_at, ends_at=ends_at, recorded_by=user
    )
    audit_record(actor=user, action=AuditAction.CREATE, event="people.availability_added",
                 subject=person, changes={"starts_at": starts_at.isoformat(),
                                          "ends_at": ends_at.isoformat()})  # fmt: skip
    return availability


@transaction.atomic
def victim_availability_remove(*, user: User, availability: VictimAvailability) -> None:
    """Take back a time the victim is available (she changed her mind, or it was wrong)."""
    _require(user, "people.change_safe_contact", CANNOT_EDIT_CONTACT)
    audit_record(actor=user, action=AuditAction.DELETE, event="people.availability_removed",
                 subject=availability.person,
                 changes={"starts_at": availability.starts_at.isoformat(),
                          "ends_at": availability.ends_at.isoformat()})  # fmt: skip
    availability.delete()
