"""The shared shape of ``provide import-investigations`` and ``provide import-custody``:
the options each passes to its importer, what it prints, and when it fails.

Run through the two real commands on small files; what each importer decides is tested in
``tests/intake/services/``.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from provide.intake.management.commands.import_custody import Command as CustodyCommand
from provide.intake.management.commands.import_investigations import (
    Command as InvestigationsCommand,
)
from provide.intake.models import CustodyEpisode, Investigation
from provide.intake.services import custody_import, investigations_import
from provide.people.models import Person
from tests.audit_assertions import assert_audited
from tests.intake.builders import (
    custody_row,
    investigation_row,
    write_csv,
    write_custody,
    write_investigations,
)

pytestmark = pytest.mark.django_db


def run(command: str, *args: str | Path) -> tuple[list[str], list[str]]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue().splitlines()


def run_failing(command: str, *args: str | Path) -> tuple[CommandError, list[str], list[str]]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(command, *[str(a) for a in args], stdout=out, stderr=err)
    return raised.value, out.getvalue().splitlines(), err.getvalue().splitlines()


def test_each_command_names_its_importer_and_itself() -> None:
    assert InvestigationsCommand.importer is investigations_import
    assert InvestigationsCommand.command_name == "import-investigations"
    assert CustodyCommand.importer is custody_import
    assert CustodyCommand.command_name == "import-custody"


def test_a_missing_file_is_refused_before_anything_is_read(areas: Any, tmp_path: Path) -> None:
    error, out, _ = run_failing("import_investigations", tmp_path / "absent.csv")
    assert str(error) == f"{tmp_path / 'absent.csv'}: no such file"
    assert out == [] and not Investigation.objects.exists()


def test_the_import_is_written_by_the_command_name_and_ends_with_the_summary(
    areas: Any, tmp_path: Path
) -> None:
    path = write_investigations(
        tmp_path / "a.csv", [investigation_row("WB/1"), investigation_row("WB/2")]
    )
    out, err = run("import_investigations", path)
    assert err == []
    assert out[-1].startswith(f"{path}: 2 created, 0 updated, 0 unchanged, 0 rejected (2 rows, ")
    assert "people: 2 new, 0 updated" in out, "the importer's notes are printed"
    assert Investigation.objects.count() == 2
    event = assert_audited(
        "intake.investigations_imported",
        action="import",
        actor_username="provide import-investigations",
    )
    assert event.actor is None


def test_json_adds_the_counts_as_the_last_line(areas: Any, tmp_path: Path) -> None:
    path = write_investigations(tmp_path / "a.csv", [investigation_row("WB/1")])
    out, _ = run("import_investigations", path, "--json")
    assert json.loads(out[-1]) == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "held_for_review": 0,
        "identity_conflicts": [],
    }
    assert out[-2].startswith(f"{path}: 1 created")


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(areas: Any, tmp_path: Path) -> None:
    path = write_investigations(tmp_path / "a.csv", [investigation_row("WB/1")])
    out, _ = run("import_investigations", path, "--dry-run")
    assert out[-1] == (
        f"{path}: dry run, nothing written - would be 1 created, 0 updated, 0 unchanged, "
        "0 rejected (1 rows)"
    )
    assert not Investigation.objects.exists() and not Person.objects.exists()


def test_extra_columns_are_named_on_standard_output(areas: Any, tmp_path: Path) -> None:
    row = {**investigation_row("WB/1"), "Officer Notes": "see log", "Shoulder No": "1234"}
    out, _ = run("import_investigations", write_csv(tmp_path / "a.csv", [row]))
    assert "extra columns kept aside: Officer Notes, Shoulder No" in out


def test_a_file_with_problems_prints_them_to_standard_error_and_fails_with_status_1(
    areas: Any, tmp_path: Path
) -> None:
    path = write_investigations(
        tmp_path / "a.csv",
        [investigation_row("WB/1"), investigation_row("WB/2", victim_pregnant="maybe")],
    )
    error, out, err = run_failing("import_investigations", path, "--json")
    assert error.returncode == 1 and str(error) == f"{path}: file rejected, nothing written"
    assert len(err) == 1 and err[0].startswith(
        "row 3, column victim_pregnant: 'maybe' is not yes/no"
    )
    assert out[-2].startswith(f"{path}: REJECTED, nothing written - 1 problem(s) in 1 of 2 rows")
    assert json.loads(out[-1])["rejected"] == 1, "the counts are printed before failing"
    assert not Investigation.objects.exists()


def test_partial_writes_the_bad_rows_where_rejects_says(areas: Any, tmp_path: Path) -> None:
    path = write_investigations(
        tmp_path / "a.csv", [investigation_row("WB/1"), investigation_row("WB/2", bcu="Nowhere")]
    )
    rejects = tmp_path / "kept" / "bad-rows.csv"
    rejects.parent.mkdir()
    out, err = run("import_investigations", path, "--partial", "--rejects", rejects)
    assert f"rejected rows written to {rejects}" in out
    assert len(err) == 1 and err[0].startswith("row 3, column bcu: 'Nowhere' is not a known BCU")
    assert "WB/2" in rejects.read_text(encoding="utf-8-sig")
    assert not (tmp_path / "a.rejects.csv").exists()
    assert list(Investigation.objects.values_list("investigation_ref", flat=True)) == ["WB/1"]


def test_a_two_column_csv_mapping_renames_the_files_headers(areas: Any, tmp_path: Path) -> None:
    row = investigation_row("WB/1")
    renamed = {"Crime Ref": row.pop("investigation_ref"), **row}
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("file header,column\nCrime Ref,investigation_ref\n", encoding="utf-8")
    out, _ = run(
        "import_investigations", write_csv(tmp_path / "force.csv", [renamed]), "--mapping", mapping
    )
    assert "1 created" in out[-1]
    assert Investigation.objects.get().investigation_ref == "WB/1"


def test_sheet_chooses_the_worksheet_of_a_workbook(areas: Any, tmp_path: Path) -> None:
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Cover"
    cover.append(["This extract was produced for the joint team"])
    data = workbook.create_sheet("Extract")
    row = investigation_row("WB/7")
    data.append(list(row))
    data.append(list(row.values()))
    path = tmp_path / "extract.xlsx"
    workbook.save(path)
    error, _, _ = run_failing("import_investigations", path)  # the first sheet is not an extract
    assert error.returncode == 1 and not Investigation.objects.exists()
    out, _ = run("import_investigations", path, "--sheet", "Extract")
    assert "1 created" in out[-1]
    assert Investigation.objects.get().investigation_ref == "WB/7"


def test_references_held_for_review_are_listed(areas: Any, tmp_path: Path) -> None:
    Person.objects.create(
        force_person_ref="P100",
        given_name="Marion",
        family_name="Collier",
        date_of_birth="2003-02-11",
        synthetic=True,
    )
    path = write_investigations(
        tmp_path / "a.csv",
        [investigation_row("WB/1", victim_name="Denise Harper", victim_dob="1984-08-30")],
    )
    out, _ = run("import_investigations", path)
    held = [line for line in out if line.startswith("held for review: ")]
    assert held == [
        "held for review: row 2: victim reference 'P100' is held for a person with a different "
        "name and date of birth; kept apart for review"
    ]
    assert out[-1].startswith(f"{path}: 1 created, 0 updated, 0 unchanged, 0 rejected, 1 held")


def test_import_custody_shares_the_shape(areas: Any, tmp_path: Path) -> None:
    run("import_investigations", write_investigations(tmp_path / "i.csv", [investigation_row()]))
    path = write_custody(
        tmp_path / "c.csv",
        [
            custody_row("C-1", "arrested"),
            custody_row("C-1", "released_rui", event_at="02/06/2023 09:15"),
        ],
    )
    out, err = run("import_custody", path, "--json")
    assert err == []
    assert "2 event rows folded into 1 custody episodes" in out
    assert json.loads(out[-1])["created"] == 1
    assert CustodyEpisode.objects.get().status == "released_rui"
    assert_audited(
        "intake.custody_imported", action="import", actor_username="provide import-custody"
    )
    error, _, _ = run_failing("import_custody", tmp_path / "absent.csv")
    assert str(error).endswith("absent.csv: no such file")
