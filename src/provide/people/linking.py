"""Linking the victims and suspects named in an import to the people already held, in bulk.

By the force's person id when the row has one (a merged record is followed to the record that
now holds its history); otherwise by a fuzzy match on name, date of birth and postcode
(:mod:`provide.core.linking`). New records that look like someone already held go to the
review queue (:class:`~provide.people.models.PersonMatch`); nothing is merged automatically
across two different force ids.

Identity is never rewritten by an import. Name and date of birth (:data:`IDENTITY_FIELDS`)
are filled in when the record has none, never changed. A row whose force id is held for
someone with a different name or date of birth (a reference collision, or a correction) is
not applied to that person: it gets a record of its own, with the same force id, queued for
review next to the person held (:class:`LinkConflict`). A later row with that id and that
identity lands on the same record, so re-importing the file queues nothing new; once a
reviewer merges the two, rows with either identity land on the survivor. Other details
(postcode, vulnerabilities...) are updated as before: a victim moving house is normal.

:class:`PersonLinker` is used by the importers: it prefetches everything it needs in a few
queries, hands back ``Person`` objects (new ones unsaved), and :meth:`PersonLinker.save`
writes them all with bulk operations and audit events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from provide.audit.models import AuditAction
from provide.audit.services import audit_record_many, changed_fields
from provide.core.linking import (
    CandidateIndex,
    PersonRecord,
    consistent,
    decide,
    normalise_name,
    score_match,
    transposed,
)
from provide.people.bulk_insert import insert_new
from provide.people.models import Person, PersonMatch

CHUNK = 900
"""Largest ``__in`` list sent in one query (SQLite's historical variable limit is 999)."""

UPDATABLE_FIELDS = (
    "given_name", "family_name", "date_of_birth", "sex", "postcode", "latitude", "longitude",
    "district_id", "vulnerabilities", "children_in_household",
)  # fmt: skip
"""Person fields an import may fill in or correct; safe-contact details are never touched."""
IDENTITY_FIELDS = ("given_name", "family_name", "date_of_birth")
"""Person fields an import fills in when blank and never changes (see the module docstring)."""


@dataclass
class PersonDetails:
    """What one row says about a person; ``None`` / blank means the row does not say."""

    force_ref: str = ""
    given_name: str = ""
    family_name: str = ""
    date_of_birth: dt.date | None = None
    sex: str | None = None
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    district_id: int | None = None
    vulnerabilities: list[str] | None = None
    children_in_household: int | None = None

    def values(self) -> dict[str, Any]:
        """The fields this row gives a value for."""
        out: dict[str, Any] = {}
        for name in UPDATABLE_FIELDS:
            value = getattr(self, name)
            if value is None or value == "":
                continue
            out[name] = value
        return out

    def record(self, key: object) -> PersonRecord:
        return PersonRecord(key, self.given_name, self.family_name, self.date_of_birth,
                            self.postcode, self.force_ref)  # fmt: skip


@dataclass(frozen=True)
class LinkConflict:
    """A row whose force id is held for a person with another name or date of birth.

    ``held`` is the new record made for the row (queued for review next to ``existing``,
    which is left as it was); ``differs`` names what differs (``"name"``,
    ``"date of birth"``); ``row`` and ``role`` are the caller's, for its report.
    """

    force_ref: str
    differs: tuple[str, ...]
    held: Person
    existing: Person
    row: int | None = None
    role: str = ""


@dataclass
class LinkSummary:
    created: int = 0
    updated: int = 0
    linked_by_match: int = 0
    queued_for_review: int = 0
    changes: list[tuple[Person, dict[str, Any]]] = field(default_factory=list)
    conflicts: list[LinkConflict] = field(default_factory=list)


def identity_differences(person: Person, details: PersonDetails,
                         staged: Mapping[str, Any] | None = None) -> tuple[str, ...]:  # fmt: skip
    """What of the row's identity contradicts the record: ``"name"`` when a given or family
    name both give differs (after :func:`~provide.core.linking.normalise_name`: case, accents,
    punctuation and titles do not count), ``"date of birth"`` when both are known and differ.
    Blank on either side contradicts nothing. ``staged`` holds values an earlier row filled in
    that are not saved yet; they count as the record's."""
    held = {name: (staged or {}).get(name, getattr(person, name)) for name in IDENTITY_FIELDS}
    differs: list[str] = []
    for name in ("given_name", "family_name"):
        ours, theirs = normalise_name(held[name]), normalise_name(getattr(details, name))
        if ours and theirs and ours != theirs:
            differs.append("name")
            break
    if held["date_of_birth"] is not None and details.date_of_birth is not None \
            and held["date_of_birth"] != details.date_of_birth:  # fmt: skip
        differs.append("date of birth")
    return tuple(differs)


_LOADED = ("pk", "public_id", "pseudonym", "force_person_ref", "merged_into_id", "given_name", "family_name",
           "date_of_birth", "sex", "postcode", "latitude", "longitude", "district_id",
           "vulnerabilities", "children_in_household")  # fmt: skip
"""Fields a linker reads: enough to compare and update, and to name the person in audit."""


def _record_of(person: Person, key: object) -> PersonRecord:
    return PersonRecord(key, person.given_name, person.family_name, person.date_of_birth,
                        person.postcode, person.force_person_ref)  # fmt: skip


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


class PersonLinker:
    """Resolve the people of one import; see the module docstring."""

    def __init__(self) -> None:
        # Every record with each force id, as (record, live person holding its history): live
        # records first, oldest first; records made during this import at the end.
        self._holders: dict[str, list[tuple[Person, Person]]] = {}
        self._by_id: dict[int, Person] = {}
        self._new: list[Person] = []
        self._pending: dict[int, tuple[Person, dict[str, Any]]] = {}  # id(person) -> changes
        self._index: CandidateIndex | None = None
        self._new_keys: dict[object, Person] = {}
        self._refless_seen: dict[tuple[str, str, dt.date | None], Person] = {}
        self._queue: list[tuple[Person, Person, float, tuple[str, ...]]] = []
        self._conflicts_saved = 0
        self.summary = LinkSummary()

    # -- prefetching -------------------------------------------------------------------
    def load_refs(self, refs: Iterable[str]) -> None:
        """Fetch every person with one of ``refs`` as force id, following merges."""
        wanted = sorted({ref for ref in refs if ref and ref not in self._holders})
        found: list[Person] = []
        for chunk in _chunks(wanted):
            found.extend(Person.objects.filter(force_person_ref__in=chunk).only(*_LOADED))
        survivors = self._load_survivors(found)
        for person in sorted(found, key=lambda p: (p.merged_into_id is not None, p.pk)):
            # Two records with one force id: the live, oldest one is the first asked.
            self._holders.setdefault(person.force_person_ref, []).append(
                (person, survivors.get(person.pk, person))
            )
            self._by_id.setdefault(person.pk, person)

    def load_ids(self, ids: Iterable[int]) -> dict[int, Person]:
        """Fetch people by primary key; return id -> the live person holding their history."""
        ids = [pk for pk in ids if pk]
        wanted = sorted({pk for pk in ids if pk not in self._by_id})
        for chunk in _chunks(wanted):
            for person in Person.objects.filter(pk__in=chunk):
                self._by_id[person.pk] = person
        known = [self._by_id[pk] for pk in set(ids) if pk in self._by_id]
        survivors = self._load_survivors(known)
        for survivor in survivors.values():
            self._by_id.setdefault(survivor.pk, survivor)
        return {person.pk: survivors.get(person.pk, person) for person in known}

    def _load_survivors(self, people: list[Person]) -> dict[int, Person]:
        """Map each merged person's id to the live record at the end of its merge chain."""
        result: dict[int, Person] = {}
        pending = {p.pk: p.merged_into_id for p in people if p.merged_into_id}
        for _ in range(10):  # merge chains are short; ten links would already be absurd
            if not pending:
                break
            targets = Person.objects.in_bulk(set(pending.values()))
            following: dict[int, int] = {}
            for pk, target_id in pending.items():
                target = targets.get(target_id)
                if target is None:
                    continue
                if target.merged_into_id:
                    following[pk] = target.merged_into_id
                else:
                    result[pk] = self._by_id.setdefault(target.pk, target)
            pending = following
        return result

    # -- resolving ---------------------------------------------------------------------
    def by_ref(self, details: PersonDetails, *, row: int | None = None, role: str = "") -> Person:
        """The person with this force id: existing (changes staged) or new (unsaved).

        Call in the order rows should win: a later call's values replace an earlier one's
        (identity fields excepted). When every record with this force id has another name or
        date of birth than the row, the row gets a new record of its own, recorded as a
        :class:`LinkConflict` (with ``row`` and ``role``) and queued for review on save.
        """
        holders = self._holders.setdefault(details.force_ref, [])
        for record, person in holders:
            if not identity_differences(record, details, self._staged(record)):
                self._stage(person, details)
                return person
        person = Person(force_person_ref=details.force_ref, **details.values())
        self._new.append(person)
        if holders:
            record, existing = holders[0]
            self.summary.conflicts.append(
                LinkConflict(
                    force_ref=details.force_ref,
                    differs=identity_differences(record, details, self._staged(record)),
                    held=person,
                    existing=existing,
                    row=row,
                    role=role,
                )
            )
        holders.append((person, person))
        return person

    def refless(self, details: PersonDetails, *, current: Person | None) -> Person | None:
        """Link a person the row names without a force id.

        ``current`` is the person the stored investigation already points at: kept when the
        names agree, so re-importing a file changes nothing. Otherwise the best fuzzy match
        is used at :data:`~provide.core.linking.AUTO_LINK_SCORE` or more, and a new record is
        made (queued for review when a candidate scores at least the review threshold).
        Returns ``current`` when the row names nobody.
        """
        if not (details.given_name or details.family_name):
            return current
        record = details.record("row")
        if current is not None and consistent(record, _record_of(current, "current")):
            self._stage(current, details)
            return current
        seen_key = (details.given_name.lower(), details.family_name.lower(), details.date_of_birth)
        if seen_key in self._refless_seen:
            return self._refless_seen[seen_key]
        best = self._candidate_index().best_match(record)
        if best is not None and decide(record, best[0], best[1]) == "link":
            person = self._person_for_key(best[0].key)
            self.summary.linked_by_match += 1
            self._stage(person, details)
        else:
            person = Person(**details.values())
            self._new.append(person)
            key = ("obj", id(person))
            self._new_keys[key] = person
            self._candidate_index().add(details.record(key))
            if best is not None:
                self._queue.append((person, self._person_for_key(best[0].key), best[1].score,
                                    best[1].reasons))  # fmt: skip
        self._refless_seen[seen_key] = person
        return person

    def _person_for_key(self, key: Any) -> Person:
        if key[0] == "obj":
            return self._new_keys[key]
        return self.load_ids([key[1]])[key[1]]

    def _staged(self, person: Person) -> dict[str, Any]:
        """Changes staged for a saved person by earlier rows (empty for a new one)."""
        return self._pending.get(id(person), (person, {}))[1]

    def _stage(self, person: Person, details: PersonDetails) -> None:
        # Identity is only filled in, never changed, and the first row to fill it in stands.
        staged = self._staged(person)
        values = {name: value for name, value in details.values().items()
                  if name not in IDENTITY_FIELDS or (getattr(person, name) in ("", None) and name not in staged)}  # fmt: skip
        if person.pk is None:
            for name, value in values.items():
                setattr(person, name, value)
            return
        # Later rows win: a value equal to the stored one cancels an earlier row's change.
        staged = self._pending.setdefault(id(person), (person, {}))[1]
        for name, value in values.items():
            if getattr(person, name) == value:
                staged.pop(name, None)
            else:
                staged[name] = value

    def _candidate_index(self) -> CandidateIndex:
        """Every live person held, blocked for fuzzy matching (one query, built on demand)."""
        if self._index is None:
            self._index = CandidateIndex()
            rows = Person.objects.filter(merged_into__isnull=True).values_list(
                "pk", "given_name", "family_name", "date_of_birth", "postcode", "force_person_ref"
            )
            for pk, given, family, dob, postcode, ref in rows.iterator(chunk_size=5000):
                self._index.add(PersonRecord(("db", pk), given, family, dob, postcode, ref))
        return self._index

    # -- saving ------------------------------------------------------------------------
    def save(self, *, actor: Any, actor_username: str = "") -> LinkSummary:
        """Write new people, apply staged changes (audited), queue possible duplicates."""
        summary = self.summary
        earlier = self._earlier_with_dates_of(p for p in self._new if p.force_person_ref)
        # New people are covered by the import's own audit event (one per import); each
        # change to a person already held gets its own event with the changed fields.
        insert_new(Person, self._new)
        summary.created += len(self._new)
        self._save_changes(actor=actor, actor_username=actor_username)
        matches = [
            self._conflict_match(conflict)
            for conflict in summary.conflicts[self._conflicts_saved :]
        ]
        self._conflicts_saved = len(summary.conflicts)
        matches += [PersonMatch(person=new, candidate=other, score=score, reasons=list(reasons))
                    for new, other, score, reasons in self._queue if new.pk != other.pk]  # fmt: skip
        matches += self._new_ref_duplicates(earlier)
        unique: dict[tuple[int | None, int | None], PersonMatch] = {}
        for match in matches:
            unique.setdefault((match.person_id, match.candidate_id), match)
        if unique:
            PersonMatch.objects.bulk_create(list(unique.values()), ignore_conflicts=True)
        summary.queued_for_review += len(unique)
        return summary

    def flush(self, *, actor: Any, actor_username: str = "") -> LinkSummary:
        """:meth:`save`, then let go of the people of this batch, so one linker can take a
        large import batch by batch in bounded memory. The summary adds up; the fuzzy-match
        index and the people made without a force id are kept (a later batch may name them
        again); people with a force id are fetched again by :meth:`load_refs` when a later
        batch names them (they are in the database by then)."""
        summary = self.save(actor=actor, actor_username=actor_username)
        self._holders.clear()
        self._by_id.clear()
        self._new.clear()
        self._pending.clear()
        self._queue.clear()
        return summary

    @staticmethod
    def _conflict_match(conflict: LinkConflict) -> PersonMatch:
        held, existing = conflict.held, conflict.existing
        score = score_match(_record_of(held, "held"), _record_of(existing, "existing"))
        reasons = [f"same force person id {conflict.force_ref}, different {' and '.join(conflict.differs)}",
                   *score.reasons]  # fmt: skip
        return PersonMatch(person=held, candidate=existing, score=score.score, reasons=reasons)

    def _save_changes(self, *, actor: Any, actor_username: str) -> None:
        now = timezone.now()
        changed: list[Person] = []
        changes: list[dict[str, Any]] = []
        fields: set[str] = set()
        for person, wanted in self._pending.values():
            if not wanted:
                continue
            before = {name: getattr(person, name) for name in wanted}
            for name, value in wanted.items():
                setattr(person, name, value)
            person.updated_at = now
            changed.append(person)
            changes.append(changed_fields(before, wanted))
            fields.update(wanted)
        if not changed:
            return
        Person.objects.bulk_update(changed, sorted(fields | {"updated_at"}), batch_size=500)
        audit_record_many(actor=actor, action=AuditAction.UPDATE, event="people.person_updated",
                          subjects=changed, changes=changes, actor_username=actor_username)  # fmt: skip
        self.summary.updated += len(changed)
        self.summary.changes = list(zip(changed, changes, strict=True))  # of the last save only

    def _earlier_with_dates_of(self, people: Iterable[Person]) -> CandidateIndex:
        """People already held whose date of birth equals (or transposes) a new person's."""
        dates: set[dt.date] = set()
        for person in people:
            if person.date_of_birth is not None:
                dates.add(person.date_of_birth)
                swapped = transposed(person.date_of_birth)
                if swapped is not None:
                    dates.add(swapped)
        index = CandidateIndex()
        wanted = sorted(dates)
        for chunk in _chunks(wanted):
            rows = Person.objects.filter(
                date_of_birth__in=chunk, merged_into__isnull=True
            ).values_list(
                "pk", "given_name", "family_name", "date_of_birth", "postcode", "force_person_ref"
            )
            for pk, given, family, dob, postcode, ref in rows:
                index.add(PersonRecord(("db", pk), given, family, dob, postcode, ref))
        return index

    def _new_ref_duplicates(self, index: CandidateIndex) -> list[PersonMatch]:
        """New people with a force id who look like someone held before them, or like another
        new person earlier in the file. A pair is queued once, on the newer record."""
        matches: list[PersonMatch] = []
        for person in sorted((p for p in self._new if p.force_person_ref), key=lambda p: p.pk):
            record = _record_of(person, ("db", person.pk))
            if person.date_of_birth is not None:
                best = index.best_match(record)
                if best is not None:
                    matches.append(PersonMatch(person_id=person.pk, candidate_id=best[0].key[1],  # type: ignore[index]
                                               score=best[1].score, reasons=list(best[1].reasons)))  # fmt: skip
            index.add(record)
        return matches
