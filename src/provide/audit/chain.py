"""The audit log's hash chain: every event seals the one before it.

Each event stores its place in the chain (``chain_index``: 1, 2, 3 ... with no gaps), the hash
of the event before it (``previous_hash``; 64 zeros for the first) and its own ``hash``: the
SHA-256, in hex, of a canonical JSON object of its fields (:data:`HASHED_FIELDS`) and the
previous hash. Changing an event changes its hash; removing or inserting one breaks the link of
the event after it; removing events leaves a gap in ``chain_index``.

:func:`chain_head_locked` gives the last link under a lock held to the end of the transaction
(a PostgreSQL advisory lock; SQLite lets one writer at a time anyway), so concurrent writers
make one chain. :func:`chain_verify` walks the chain and reports the first problem.

What the chain cannot show alone: someone who can write to the database may append events, or
recompute every hash after an event they changed. Record the head printed by
``provide audit-verify`` somewhere else (an anchor) and check against it with ``--anchor``:
any rewrite at or before the anchor, and any loss of events up to it, shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connections, router

from provide.audit.models import AuditEvent
from provide.audit.triggers import missing_triggers

GENESIS = "0" * 64
"""The ``previous_hash`` of the first event."""

HASHED_FIELDS = (
    "public_id",
    "occurred_at",
    "actor_id",
    "actor_username",
    "action",
    "event",
    "object_type",
    "object_id",
    "person_id",
    "person_label",
    "reason",
    "changes",
    "flagged",
    "ip_address",
)
"""The fields each hash covers, with ``previous_hash``. ``chain_index`` is left out: the links
carry the order, and a renumbering shows as a broken link or a gap."""

CHAIN_LOCK = int.from_bytes(b"prov-aud", "big")
"""The PostgreSQL advisory lock key that writers of the chain take."""

_ROW_FIELDS = ("id", "chain_index", "previous_hash", "hash", *HASHED_FIELDS)


def plain_json(value: Any) -> Any:
    """``value`` as the JSON the database gives back: string keys, lists, and whole floats as
    integers (PostgreSQL's ``jsonb`` returns ``1e20`` as ``100000000000000000000``)."""
    if isinstance(value, Mapping):
        return {str(key): plain_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_json(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _canonical(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "occurred_at":
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if name in ("public_id", "person_id"):
        return str(uuid.UUID(str(value)))
    if name == "ip_address":  # the bytes: how Python writes some addresses changed in 3.13
        return ipaddress.ip_address(str(value)).packed.hex()
    if name == "changes":
        return plain_json(value)
    if name == "flagged":
        return bool(value)
    if name == "actor_id":
        return int(value)
    return str(value)


def event_hash(fields: Mapping[str, Any], previous_hash: str) -> str:
    """SHA-256 (hex) of the event's :data:`HASHED_FIELDS` and the hash of the event before it.

    ``fields`` maps each field name to its value as the model holds it (``occurred_at`` an
    aware datetime, UUIDs, the ``changes`` dict ...). The JSON is canonical: sorted keys, no
    spaces, UTF-8, times in UTC to the microsecond, an address as its bytes in hex.
    """
    payload = {name: _canonical(name, fields[name]) for name in HASHED_FIELDS}
    payload["previous_hash"] = previous_hash
    text = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain_head_locked(using: str | None = None) -> tuple[int, str]:
    """The last link (index, hash), ``(0, GENESIS)`` for an empty log, locked for appending.

    Call inside ``transaction.atomic``: on PostgreSQL the advisory lock is held until the
    transaction ends, so the next writer waits and reads the link this one adds.
    """
    alias = using or router.db_for_write(AuditEvent)
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    last = (
        AuditEvent.objects.using(alias)
        .order_by("-chain_index")
        .values_list("chain_index", "hash")
        .first()
    )
    return last if last is not None else (0, GENESIS)


def chain_link(events: Iterable[AuditEvent], head: tuple[int, str]) -> None:
    """Give each unsaved event, in order, its place after ``head`` and its hashes."""
    index, previous = head
    for event in events:
        index += 1
        event.chain_index, event.previous_hash = index, previous
        event.hash = previous = event_hash(
            {name: getattr(event, name) for name in HASHED_FIELDS}, previous
        )


@dataclass(frozen=True)
class ChainPoint:
    """A verified link: anchors and checkpoints are written ``<index>:<hash>``."""

    index: int
    hash: str
    event_id: int | None = None
    occurred_at: dt.datetime | None = None

    @classmethod
    def parse(cls, text: str) -> ChainPoint:
        """``"<index>:<hash>"`` as a point; ValueError when it is not one."""
        index, _, digest = text.strip().partition(":")
        if (
            not index.isdigit()
            or int(index) < 1
            or len(digest) != 64
            or digest.strip("0123456789abcdef")
        ):
            raise ValueError(f"{text!r} is not <index>:<64 hex digits>")
        return cls(int(index), digest)

    def __str__(self) -> str:
        return f"{self.index}:{self.hash}"


@dataclass(frozen=True)
class ChainProblem:
    """The first thing wrong with the chain, at one event (or where one should be)."""

    kind: str  # "edited", "missing", "broken_link" or "anchor"
    detail: str
    event_id: int | None = None
    chain_index: int | None = None
    occurred_at: dt.datetime | None = None


@dataclass(frozen=True)
class ChainReport:
    checked: int
    """Events whose hash was recomputed on this walk."""
    head: ChainPoint | None
    """The last event verified (the last event of the log when nothing is wrong)."""
    problem: ChainProblem | None
    missing_triggers: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.missing_triggers

    def as_dict(self) -> dict[str, Any]:
        def when(value: dt.datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "ok": self.ok,
            "checked": self.checked,
            "missing_triggers": list(self.missing_triggers),
            "head": None
            if self.head is None
            else {
                "chain_index": self.head.index,
                "hash": self.head.hash,
                "id": self.head.event_id,
                "occurred_at": when(self.head.occurred_at),
                "anchor": str(self.head),
            },
            "problem": None
            if self.problem is None
            else {
                "kind": self.problem.kind,
                "detail": self.problem.detail,
                "id": self.problem.event_id,
                "chain_index": self.problem.chain_index,
                "occurred_at": when(self.problem.occurred_at),
            },
        }


def _problem(kind: str, detail: str, row: Mapping[str, Any] | None = None) -> ChainProblem:
    if row is None:
        return ChainProblem(kind, detail)
    return ChainProblem(kind, detail, row["id"], row["chain_index"], row["occurred_at"])


def _point(row: Mapping[str, Any]) -> ChainPoint:
    return ChainPoint(row["chain_index"], row["hash"], row["id"], row["occurred_at"])


def _check_row(
    row: Mapping[str, Any], expected_index: int, previous: ChainPoint | None
) -> ChainProblem | None:
    if row["chain_index"] != expected_index:
        gap = (
            f"event #{expected_index} is"
            if row["chain_index"] == expected_index + 1
            else f"events #{expected_index} to #{row['chain_index'] - 1} are"
        )
        return _problem("missing", f"{gap} missing before this one: deleted from the log", row)
    if event_hash(row, row["previous_hash"]) != row["hash"]:
        return _problem(
            "edited", "its fields do not match its hash: it was changed after it was written", row
        )
    if row["previous_hash"] != (previous.hash if previous else GENESIS):
        before = (
            f"event #{previous.index} (id {previous.event_id})"
            if previous
            else "the start of the log"
        )
        return _problem(
            "broken_link",
            f"it does not follow {before}: an event between them was inserted, removed or replaced",
            row,
        )
    return None


def chain_verify(
    *, after: ChainPoint | None = None, anchor: ChainPoint | None = None, using: str | None = None
) -> ChainReport:
    """Walk the chain in order and report the first problem, and any missing trigger.

    ``after``: a point verified before (a checkpoint); the walk checks that event is unchanged,
    then the events after it only. ``anchor``: a point recorded elsewhere earlier; the chain
    must still hold that event with that hash. Reads the log in chunks; memory stays flat.
    """
    alias = using or router.db_for_read(AuditEvent)
    absent = tuple(missing_triggers(connections[alias]))
    events = AuditEvent.objects.using(alias).order_by("chain_index")
    previous: ChainPoint | None = None
    if after is not None:
        row = events.filter(chain_index=after.index).values(*_ROW_FIELDS).first()
        if row is None:
            return ChainReport(
                0,
                None,
                ChainProblem(
                    "missing",
                    f"event #{after.index}, verified before, is gone",
                    chain_index=after.index,
                ),
                absent,
            )
        if row["hash"] != after.hash or event_hash(row, row["previous_hash"]) != row["hash"]:
            return ChainReport(
                0, None, _problem("edited", "it changed since it was verified", row), absent
            )
        previous = _point(row)
        events = events.filter(chain_index__gt=after.index)
    checked = 0
    for row in events.values(*_ROW_FIELDS).iterator(chunk_size=2000):
        problem = _check_row(row, previous.index + 1 if previous else 1, previous)
        if (
            problem is None
            and anchor is not None
            and row["chain_index"] == anchor.index
            and row["hash"] != anchor.hash
        ):
            problem = _problem(
                "anchor",
                f"its hash is not the anchor's ({anchor.hash[:12]}...): the log was "
                "rewritten up to here",
                row,
            )
        if problem is not None:
            return ChainReport(checked, previous, problem, absent)
        checked += 1
        previous = _point(row)
    if anchor is not None and (previous is None or previous.index < anchor.index):
        end = f"#{previous.index}" if previous else "the start"
        return ChainReport(
            checked,
            previous,
            ChainProblem(
                "missing",
                f"the log ends at {end}, before the anchor #{anchor.index}: events were removed",
                chain_index=anchor.index,
            ),
            absent,
        )
    return ChainReport(checked, previous, None, absent)


CHECKPOINT_CACHE_KEY = "provide.audit.chain_checkpoint"
FULL_WALK_SECONDS = 3600
"""How long a page may rely on an earlier walk: after this, the next page walks the whole chain."""


@dataclass(frozen=True)
class PageCheck:
    """What a page shows: the report, and when the whole chain was last walked."""

    report: ChainReport
    full_walk_at: dt.datetime


def chain_verify_for_page(*, now: dt.datetime) -> PageCheck:
    """The verifier's answer for pages, without walking the whole log on every request.

    The last verified point is kept in the cache with the time of the full walk it came from;
    a page then checks that point and the events after it. At most every
    :data:`FULL_WALK_SECONDS` (or when the cache is empty, or when the point no longer checks
    out, e.g. after the database was restored) the whole chain is walked again, so a change to
    an older event shows within that time. ``provide audit-verify`` always walks it all.
    """
    cached = cache.get(CHECKPOINT_CACHE_KEY)
    report = None
    full_walk_at = now
    if cached and now.timestamp() - cached["full_walk_at"] < FULL_WALK_SECONDS:
        report = chain_verify(after=ChainPoint(cached["index"], cached["hash"]))
        full_walk_at = dt.datetime.fromtimestamp(cached["full_walk_at"], tz=dt.UTC)
    if report is None or report.problem is not None:
        report, full_walk_at = chain_verify(), now
    if report.ok and report.head is not None:
        cache.set(
            CHECKPOINT_CACHE_KEY,
            {
                "index": report.head.index,
                "hash": report.head.hash,
                "full_walk_at": full_walk_at.timestamp(),
            },
            FULL_WALK_SECONDS,
        )
    return PageCheck(report, full_walk_at)
