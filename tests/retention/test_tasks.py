"""The nightly task runs the anonymiser and is audited under its own name."""

from __future__ import annotations

from typing import Any

import pytest

from provide.retention.models import RetentionRun
from provide.retention.services import RUN_EVENT
from provide.retention.tasks import NIGHTLY_ACTOR, retention_nightly
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db


def test_the_nightly_task_anonymises_what_is_due(old_records: dict[str, Any], as_of: Any) -> None:
    summary = retention_nightly.apply().get()  # as a worker runs it
    assert summary["changed"]["intake.investigation"] == 2
    run = RetentionRun.objects.get()
    assert (run.dry_run, run.actor_label) == (False, NIGHTLY_ACTOR)
    assert_audited(RUN_EVENT, action="update", actor_username=NIGHTLY_ACTOR, subject=run)
