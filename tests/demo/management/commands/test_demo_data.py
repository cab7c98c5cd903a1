"""provide demo-data: loads the demo once, and leaves a database that has data alone."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from provide.intake.models import Investigation


@pytest.mark.django_db
def test_demo_data_command_respects_if_empty(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    sign_in = tmp_path / "sign-in.txt"
    call_command(
        "demo_data", "--days", "2", "--bcu", "West", "--sign-in-file", str(sign_in), stdout=out
    )
    assert "SYNTHETIC" in out.getvalue()
    assert "triage.sergeant" in sign_in.read_text()
    count = Investigation.objects.count()
    out = io.StringIO()
    call_command("demo_data", "--if-empty", "--sign-in-file", str(sign_in), stdout=out)
    assert "already has data" in out.getvalue()
    assert Investigation.objects.count() == count
