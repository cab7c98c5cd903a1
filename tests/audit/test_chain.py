"""The hash chain: each event seals the one before it, and the walk finds the first break.

Tampering is done as a database administrator would: the triggers dropped, then raw SQL.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.utils import timezone

from provide.audit.chain import (
    CHECKPOINT_CACHE_KEY,
    FULL_WALK_SECONDS,
    GENESIS,
    HASHED_FIELDS,
    ChainPoint,
    chain_verify,
    chain_verify_for_page,
    event_hash,
    plain_json,
)
from provide.audit.models import AuditAction, AuditEvent
from provide.audit.services import audit_record, audit_record_many
from tests.audit import tamper

pytestmark = pytest.mark.django_db


def _fields(**changed: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "public_id": uuid.UUID(int=1),
        "occurred_at": dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC),
        "actor_id": 7,
        "actor_username": "triage.sergeant",
        "action": "view",
        "event": "people.person_viewed",
        "object_type": "people.person",
        "object_id": "abc",
        "person_id": uuid.UUID(int=2),
        "person_label": "Alex Westby",
        "reason": "",
        "changes": {"records": ["a", "b"]},
        "flagged": False,
        "ip_address": "192.0.2.1",
    }
    fields.update(changed)
    return fields


def _events(count: int, personas: dict[str, Any] | None = None) -> list[AuditEvent]:
    actor = personas["triage_sergeant"] if personas else None
    return [
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            event="test.viewed",
            reason=f"look {n}",
            changes={"n": n},
        )
        for n in range(1, count + 1)
    ]


class TestEventHash:
    def test_the_same_fields_give_the_same_hash_and_any_change_another(self) -> None:
        base = event_hash(_fields(), GENESIS)
        assert base == event_hash(_fields(), GENESIS) and len(base) == 64
        changed = {
            "public_id": uuid.UUID(int=3),
            "occurred_at": dt.datetime(2026, 5, 1, 9, 30, 0, 1, tzinfo=dt.UTC),
            "actor_id": 8,
            "actor_username": "someone",
            "action": "export",
            "event": "people.person_exported",
            "object_type": "people.other",
            "object_id": "abd",
            "person_id": None,
            "person_label": "B",
            "reason": "why",
            "changes": {"records": ["a"]},
            "flagged": True,
            "ip_address": "192.0.2.2",
        }
        assert set(changed) == set(HASHED_FIELDS)
        hashes = {
            name: event_hash(_fields(**{name: value}), GENESIS) for name, value in changed.items()
        }
        assert base not in hashes.values() and len(set(hashes.values())) == len(HASHED_FIELDS)
        assert event_hash(_fields(), "f" * 64) != base

    def test_a_time_is_the_same_instant_in_any_zone(self) -> None:
        london = dt.datetime(2026, 5, 1, 10, 30, tzinfo=timezone.get_current_timezone())
        assert event_hash(_fields(occurred_at=london), GENESIS) == event_hash(_fields(), GENESIS)

    def test_json_is_hashed_as_the_database_gives_it_back(self) -> None:
        assert plain_json({"a": (1.0, 2.5, 1e20), 3: {"b": [True, None]}}) == {
            "a": [1, 2.5, 10**20],
            "3": {"b": [True, None]},
        }
        assert event_hash(_fields(changes={"n": 1.0}), GENESIS) == event_hash(
            _fields(changes={"n": 1}), GENESIS
        )


class TestChainPoint:
    def test_a_point_is_written_index_colon_hash(self) -> None:
        point = ChainPoint.parse(f" 12:{'ab' * 32} ")
        assert (point.index, point.hash) == (12, "ab" * 32) and str(point) == f"12:{'ab' * 32}"

    @pytest.mark.parametrize(
        "text", ["12", f"0:{'a' * 64}", f"x:{'a' * 64}", "3:abc", f"3:{'g' * 64}"]
    )
    def test_anything_else_is_refused(self, text: str) -> None:
        with pytest.raises(ValueError, match="not <index>:<64 hex digits>"):
            ChainPoint.parse(text)


class TestChainWriting:
    def test_each_event_links_to_the_one_before(self, personas: dict[str, Any]) -> None:
        first, second = _events(2, personas)
        many = audit_record_many(
            actor=personas["analyst"],
            action=AuditAction.EXPORT,
            event="test.exported",
            subjects=[personas["analyst"], personas["administrator"]],
        )
        assert many == 2
        rows = list(
            AuditEvent.objects.order_by("chain_index")
        )  # with what setting up the cast wrote
        assert [row.chain_index for row in rows] == list(range(1, len(rows) + 1))
        assert rows[0].previous_hash == GENESIS
        assert all(
            later.previous_hash == earlier.hash for earlier, later in itertools.pairwise(rows)
        )
        assert [row.event for row in rows[-4:]] == [
            "test.viewed",
            "test.viewed",
            "test.exported",
            "test.exported",
        ]
        assert (rows[-4].hash, rows[-3].hash) == (first.hash, second.hash)
        assert second.previous_hash == first.hash and second.chain_index == first.chain_index + 1

    def test_a_stored_event_still_matches_its_hash_when_read_back(
        self, personas: dict[str, Any], west_case: dict[str, Any]
    ) -> None:
        event = audit_record(
            actor=personas["triage_sergeant"],
            action=AuditAction.BREAK_GLASS,
            event="people.person_viewed_out_of_area",
            subject=west_case["victim"],
            reason="Urgent: café owner's report\nsecond line",
            ip_address="2001:DB8::0:1",
            changes={"floats": [1.0, 0.1, 1.5e-07, 1e20], "nested": {"ü": (1, 2)}, 5: "int key"},
        )
        stored = AuditEvent.objects.values(*HASHED_FIELDS, "previous_hash", "hash").get(pk=event.pk)
        assert stored["ip_address"] == "2001:db8::1"
        assert event_hash(stored, stored["previous_hash"]) == stored["hash"] == event.hash

    def test_an_event_written_without_the_service_is_refused(self) -> None:
        from provide.audit.models import AppendOnlyError

        with pytest.raises(AppendOnlyError, match=r"written by provide\.audit\.services"):
            AuditEvent.objects.create(action="view", event="test.viewed", chain_index=1)

    def test_an_event_rolled_back_with_its_change_leaves_no_hole(self) -> None:
        _events(1)
        with pytest.raises(RuntimeError), transaction.atomic():
            _events(1)
            raise RuntimeError("the change failed")
        _events(1)
        assert list(
            AuditEvent.objects.order_by("chain_index").values_list("chain_index", flat=True)
        ) == [1, 2]
        assert chain_verify().ok


class TestChainVerify:
    def test_an_intact_chain_verifies_to_its_last_event(self, personas: dict[str, Any]) -> None:
        events = _events(4, personas)
        report = chain_verify()
        assert report.ok and report.problem is None and report.missing_triggers == ()
        assert report.checked == AuditEvent.objects.count() == events[-1].chain_index
        assert report.head == ChainPoint(
            events[-1].chain_index, events[-1].hash, events[-1].pk, events[-1].occurred_at
        )

    def test_an_empty_log_verifies(self) -> None:
        report = chain_verify()
        assert report.ok and report.checked == 0 and report.head is None

    def test_an_edit_is_found_at_the_edited_event(self, personas: dict[str, Any]) -> None:
        events = _events(4, personas)
        tamper.drop_triggers()
        tamper.execute(
            "UPDATE audit_auditevent SET reason = 'nothing to see' WHERE id = %s", [events[1].pk]
        )
        report = chain_verify()
        assert not report.ok and report.problem is not None
        assert (report.problem.kind, report.problem.event_id, report.problem.chain_index) == (
            "edited",
            events[1].pk,
            events[1].chain_index,
        )
        assert report.problem.occurred_at == events[1].occurred_at
        assert "do not match its hash" in report.problem.detail
        assert report.checked == events[0].chain_index
        assert report.head is not None and report.head.event_id == events[0].pk

    def test_an_edited_json_field_or_flag_is_found(self, personas: dict[str, Any]) -> None:
        events = _events(3, personas)
        tamper.drop_triggers()
        tamper.execute(
            "UPDATE audit_auditevent SET flagged = %s WHERE id = %s", [True, events[2].pk]
        )
        assert chain_verify().problem.event_id == events[2].pk  # type: ignore[union-attr]

    def test_a_deletion_is_found_at_the_event_after_the_gap(self, personas: dict[str, Any]) -> None:
        events = _events(4, personas)
        tamper.drop_triggers()
        tamper.execute(
            "DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[1].pk, events[2].pk]
        )
        problem = chain_verify().problem
        assert problem is not None and (problem.kind, problem.event_id) == ("missing", events[3].pk)
        assert (
            f"events #{events[1].chain_index} to #{events[2].chain_index} are missing"
            in problem.detail
        )

    def test_a_deletion_hidden_by_renumbering_breaks_the_link(
        self, personas: dict[str, Any]
    ) -> None:
        events = _events(4, personas)
        tamper.drop_triggers()
        tamper.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
        tamper.execute(
            "UPDATE audit_auditevent SET chain_index = chain_index - 1 WHERE chain_index > %s",
            [events[1].chain_index],
        )
        problem = chain_verify().problem
        assert problem is not None and (problem.kind, problem.event_id) == (
            "broken_link",
            events[2].pk,
        )
        assert (
            f"does not follow event #{events[0].chain_index} (id {events[0].pk})" in problem.detail
        )

    def test_an_insertion_in_the_middle_is_found_even_with_a_correct_hash(
        self, personas: dict[str, Any]
    ) -> None:
        events = _events(3, personas)
        tamper.drop_triggers()
        # Make room before the second event (in two steps, as the unique index demands), then
        # forge a well-hashed event there.
        place = events[1].chain_index
        tamper.execute(
            "UPDATE audit_auditevent SET chain_index = chain_index + 1000 WHERE chain_index >= %s",
            [place],
        )
        tamper.execute(
            "UPDATE audit_auditevent SET chain_index = chain_index - 999 WHERE chain_index >= %s",
            [place + 1000],
        )
        forged = _fields(
            public_id=uuid.uuid4(),
            occurred_at=events[0].occurred_at,
            actor_id=None,
            actor_username="nobody",
            person_id=None,
            ip_address=None,
        )
        digest = event_hash(forged, events[0].hash)
        forged_id = tamper.insert_row(
            **{
                name.removesuffix("_id") if name == "actor_id" else name: value
                for name, value in forged.items()
            },
            chain_index=place,
            previous_hash=events[0].hash,
            hash=digest,
        )
        problem = chain_verify().problem
        assert problem is not None and (problem.kind, problem.event_id, problem.chain_index) == (
            "broken_link",
            events[1].pk,
            place + 1,
        )
        assert f"does not follow event #{place} (id {forged_id})" in problem.detail

    def test_an_event_appended_with_a_made_up_hash_is_found(self, personas: dict[str, Any]) -> None:
        events = _events(2, personas)
        forged_id = tamper.insert_row(
            **{
                name.removesuffix("_id") if name == "actor_id" else name: value
                for name, value in _fields(
                    public_id=uuid.uuid4(), actor_id=None, person_id=None
                ).items()
            },
            chain_index=events[1].chain_index + 1,
            previous_hash=events[1].hash,
            hash=events[1].hash,
        )
        problem = chain_verify().problem
        assert problem is not None and (problem.kind, problem.event_id) == ("edited", forged_id)

    def test_missing_triggers_fail_the_check_even_when_the_chain_is_intact(self) -> None:
        _events(2)
        tamper.drop_triggers()
        report = chain_verify()
        assert (
            report.problem is None
            and not report.ok
            and "audit_event_no_update" in report.missing_triggers
        )


class TestAnchorsAndCheckpoints:
    def test_an_anchor_catches_the_removal_of_the_last_events(
        self, personas: dict[str, Any]
    ) -> None:
        events = _events(3, personas)
        anchor = chain_verify().head
        assert anchor is not None and chain_verify(anchor=anchor).ok
        tamper.drop_triggers()
        tamper.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
        assert chain_verify().problem is None  # the chain alone cannot see its tail go
        problem = chain_verify(anchor=anchor).problem
        assert problem is not None and problem.kind == "missing"
        assert f"before the anchor #{events[2].chain_index}" in problem.detail

    def test_an_anchor_catches_a_rewritten_chain(self, personas: dict[str, Any]) -> None:
        events = _events(2, personas)
        anchor = ChainPoint(events[1].chain_index, events[1].hash)
        tamper.drop_triggers()
        # Rewrite event 1 and re-hash everything after it: the chain is consistent again ...
        tamper.execute(
            "UPDATE audit_auditevent SET reason = 'rewritten' WHERE id = %s", [events[0].pk]
        )
        previous = GENESIS
        for row in AuditEvent.objects.order_by("chain_index").values("id", *HASHED_FIELDS):
            digest = event_hash(row, previous)
            tamper.execute(
                "UPDATE audit_auditevent SET previous_hash = %s, hash = %s WHERE id = %s",
                [previous, digest, row["id"]],
            )
            previous = digest
        assert chain_verify().problem is None
        # ... but not with what was recorded elsewhere.
        problem = chain_verify(anchor=anchor).problem
        assert problem is not None and (problem.kind, problem.event_id) == ("anchor", events[1].pk)

    def test_a_checkpoint_walks_only_the_newer_events_and_still_sees_its_own_change(
        self, personas: dict[str, Any]
    ) -> None:
        events = _events(3, personas)
        checkpoint = chain_verify().head
        _events(2, personas)
        report = chain_verify(after=checkpoint)
        assert report.ok and report.checked == 2
        assert report.head is not None and report.head.index == events[-1].chain_index + 2
        tamper.drop_triggers()
        tamper.execute(
            "UPDATE audit_auditevent SET reason = 'edited' WHERE id = %s", [events[2].pk]
        )
        problem = chain_verify(after=checkpoint).problem
        assert problem is not None and (problem.kind, problem.event_id) == ("edited", events[2].pk)
        tamper.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
        problem = chain_verify(after=checkpoint).problem
        assert problem is not None and problem.kind == "missing"
        assert f"#{events[2].chain_index}, verified before, is gone" in problem.detail


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer at a time; the lock under test is PostgreSQL's",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_wait_for_each_other_and_make_one_chain() -> None:
    first_written, may_commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first_writer() -> None:
        try:
            with transaction.atomic():
                audit_record(actor=None, action=AuditAction.VIEW, event="test.first")
                first_written.set()
                may_commit.wait(timeout=60)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def second_writer() -> None:
        try:
            audit_record(actor=None, action=AuditAction.VIEW, event="test.second")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(target=first_writer)
    first.start()
    assert first_written.wait(timeout=60)
    second = threading.Thread(target=second_writer)
    second.start()
    # The second writer is waiting on the chain's lock (bounded polling; no time is asserted).
    waiting = 0
    for _ in range(2000):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            )
            waiting = cursor.fetchone()[0]
        if waiting:
            break
        second.join(timeout=0.01)
    assert waiting == 1 and second.is_alive()
    may_commit.set()
    first.join(timeout=60)
    second.join(timeout=60)
    assert errors == []
    first_event, second_event = AuditEvent.objects.order_by("chain_index")
    assert (first_event.event, second_event.event) == ("test.first", "test.second")
    assert second_event.previous_hash == first_event.hash and chain_verify().ok


class TestPageCheck:
    def test_the_page_walks_everything_once_then_only_the_new_events(
        self, personas: dict[str, Any]
    ) -> None:
        cache.clear()
        now = timezone.now()
        events = _events(3, personas)
        first = chain_verify_for_page(now=now)
        assert (
            first.report.ok
            and first.report.checked == events[-1].chain_index
            and first.full_walk_at == now
        )
        newer = _events(2, personas)
        later = chain_verify_for_page(now=now + dt.timedelta(minutes=5))
        assert later.report.ok and later.report.checked == 2 and later.full_walk_at == now
        assert later.report.head is not None and later.report.head.index == newer[-1].chain_index
        hour_on = chain_verify_for_page(now=now + dt.timedelta(seconds=FULL_WALK_SECONDS + 1))
        assert hour_on.report.checked == newer[-1].chain_index
        assert hour_on.full_walk_at == now + dt.timedelta(seconds=FULL_WALK_SECONDS + 1)

    def test_a_checkpoint_that_no_longer_checks_out_means_a_full_walk(
        self, personas: dict[str, Any]
    ) -> None:
        cache.clear()
        now = timezone.now()
        events = _events(2, personas)
        cache.set(
            CHECKPOINT_CACHE_KEY,
            {"index": events[1].chain_index, "hash": "f" * 64, "full_walk_at": now.timestamp()},
        )
        check = chain_verify_for_page(now=now)  # e.g. after the database was restored from a backup
        assert check.report.ok and check.report.checked == events[1].chain_index

    def test_a_problem_is_reported_and_not_cached(self, personas: dict[str, Any]) -> None:
        cache.clear()
        events = _events(2, personas)
        tamper.drop_triggers()
        tamper.execute("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [events[0].pk])
        problem = chain_verify_for_page(now=timezone.now()).report.problem
        assert problem is not None and problem.event_id == events[0].pk
        assert cache.get(CHECKPOINT_CACHE_KEY) is None
