"""provide audit-verify: exit 0 for an intact log; 1 naming the first edit, gap or insertion."""

from __future__ import annotations

import json
import uuid
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from provide.audit.models import AuditAction, AuditEvent
from provide.audit.services import audit_record
from tests.audit import tamper

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _events(personas: dict[str, Any], count: int = 3) -> list[AuditEvent]:
    return [
        audit_record(
            actor=personas["analyst"],
            action=AuditAction.VIEW,
            event="test.viewed",
            changes={"n": n},
        )
        for n in range(count)
    ]


def test_an_intact_log_passes_and_prints_its_anchor(personas: dict[str, Any]) -> None:
    events = _events(personas)
    head = events[-1].chain_index
    code, out, err = _run()
    assert code == 0 and err == ""
    assert f"Audit log verified: {head} event(s), chain intact up to #{head}" in out
    assert f"{head}:{events[-1].hash}" in out
    assert _run("--anchor", f"{head}:{events[-1].hash}")[0] == 0
    assert _run("--anchor", f"{head}:{'0' * 64}")[0] == 1


def test_json_names_the_edited_event_and_exits_1(personas: dict[str, Any]) -> None:
    events = _events(personas)
    tamper.drop_triggers()
    tamper.execute(
        "UPDATE audit_auditevent SET actor_username = 'someone else' WHERE id = %s", [events[1].pk]
    )
    code, out, _ = _run("--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert report["problem"]["kind"] == "edited" and report["problem"]["id"] == events[1].pk
    assert report["problem"]["chain_index"] == events[1].chain_index
    assert report["problem"]["occurred_at"] == events[1].occurred_at.isoformat()
    assert report["head"]["id"] == events[0].pk
    assert set(report["missing_triggers"]) >= {"audit_event_no_update", "audit_event_no_delete"}


def test_text_names_the_gap_left_by_a_deletion(personas: dict[str, Any]) -> None:
    events = _events(personas)
    tamper.drop_triggers()
    tamper.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    code, out, err = _run()
    assert code == 1 and out == ""
    assert f"FAILED at event id {events[2].pk} (#{events[2].chain_index}, " in err
    assert f"event #{events[1].chain_index} is missing" in err
    assert "trigger(s) missing or disabled" in err


def test_an_inserted_event_is_reported(personas: dict[str, Any]) -> None:
    events = _events(personas, 2)
    forged_id = tamper.insert_row(
        public_id=uuid.uuid4(),
        occurred_at=events[0].occurred_at,
        actor_username="x",
        action="view",
        event="test.viewed",
        object_type="",
        object_id="",
        person_label="",
        reason="",
        changes={},
        flagged=False,
        chain_index=events[1].chain_index + 1,
        previous_hash=events[1].hash,
        hash="0" * 64,
    )
    code, out, _ = _run("--json")
    assert code == 1 and json.loads(out)["problem"]["id"] == forged_id


def test_a_bad_anchor_is_refused_before_anything_runs() -> None:
    with pytest.raises(CommandError, match="not <index>:<64 hex digits>"):
        call_command("audit_verify", "--anchor", "abc")


def test_an_empty_log_passes() -> None:
    code, out, _ = _run()
    assert code == 0 and "empty" in out
