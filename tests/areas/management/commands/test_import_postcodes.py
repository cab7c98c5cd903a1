"""provide import-postcodes FILE [--dry-run] [--skip-terminated] [--json]."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from provide.areas.models import PostcodeCentroid

SAMPLE = Path(__file__).parents[2] / "data" / "onspd_sample.csv"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_postcodes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_command_loads_and_prints_a_json_summary_last() -> None:
    out, _ = run(str(SAMPLE), "--json")
    summary = json.loads(out.strip().splitlines()[-1])
    assert (summary["loaded"], summary["skipped_by_reason"]) == (16, {"no coordinates": 1})
    assert "16 postcodes loaded (16 new, 2 terminated), 1 skipped (1 no coordinates)" in out
    assert PostcodeCentroid.objects.count() == 16


@pytest.mark.django_db
def test_dry_run_and_skip_terminated() -> None:
    out, _ = run(str(SAMPLE), "--dry-run", "--skip-terminated", "--json")
    assert json.loads(out.strip().splitlines()[-1])["loaded"] == 14
    assert PostcodeCentroid.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_file_fails_with_its_problems_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("pcds,lat,long\nFY1 9XA,53.8,-3.05\nFY1 9XB,north,-3.05\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="file rejected, nothing written"):
        call_command("import_postcodes", str(path), stdout=io.StringIO(), stderr=err)
    assert "row 3, column lat/long: 'north' is not a number" in err.getvalue()
    assert PostcodeCentroid.objects.count() == 0


def test_a_missing_or_wrong_file_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "nowhere.csv"))


@pytest.mark.django_db
def test_a_file_without_the_directory_columns_is_a_command_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ONS Postcode Directory"):
        run(str(path))
