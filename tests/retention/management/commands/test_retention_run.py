"""provide retention-run: a dry run lists counts; a run anonymises; both audited."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from provide.intake.models import Investigation
from provide.retention.services import DRY_RUN_EVENT, RUN_EVENT
from tests.audit_assertions import assert_audited
from tests.retention.conftest import POLICE_MARKERS

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("retention_run", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_counts_and_changes_nothing(
    old_records: dict[str, Any], as_of: Any
) -> None:
    text = _run("--dry-run")
    assert text.startswith("Retention dry run for 2030-06-01: would anonymise")
    assert "  Investigations: 2 (held past their date 0;" in text
    assert "  People: names, dates of birth, addresses and phone numbers: 2" in text
    assert POLICE_MARKERS["victim_family"] not in text
    assert Investigation.objects.filter(
        investigation_ref=POLICE_MARKERS["investigation_ref"]
    ).exists()
    assert_audited(DRY_RUN_EVENT, action="view", actor_username="provide retention-run")


def test_a_run_prints_json_and_anonymises(old_records: dict[str, Any], as_of: Any) -> None:
    document = json.loads(_run("--json"))
    assert document["dry_run"] is False and document["changed"]["intake.investigation"] == 2
    assert not Investigation.objects.filter(
        investigation_ref=POLICE_MARKERS["investigation_ref"]
    ).exists()
    assert_audited(RUN_EVENT, action="update", actor_username="provide retention-run")
