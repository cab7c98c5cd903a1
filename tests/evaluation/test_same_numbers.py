"""The dashboard's numbers equal ``provide evaluate`` run on an export of the same rows."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from provide.cli.evaluate import main as evaluate_main
from provide.core.evaluation import (
    INVESTIGATION_COLUMNS,
    TRACKER_COLUMNS,
    Selection,
    build_report,
    report_document,
)
from provide.core.tabular import read_records, read_table
from provide.evaluation.selectors import evaluation_build, evaluation_inputs
from tests.cast import PASSWORD
from tests.evaluation.conftest import NEGATIVE_ID, export_csv

GO_LIVE = {"West": dt.date(2020, 4, 1), "East": dt.date(2023, 1, 9)}
SELECTIONS = {
    "everything": Selection(),
    "west-period": Selection(
        bcu="West", date_from=dt.date(2020, 7, 1), date_to=dt.date(2021, 3, 31)
    ),
    "east-from": Selection(bcu="east", date_from=dt.date(2021, 1, 1)),
    "to-only": Selection(date_to=dt.date(2020, 12, 31)),
}


def assert_same(left: Any, right: Any, path: str = "$") -> None:
    """Equal JSON values; floats to 1e-9 relative (summation order may differ)."""
    if isinstance(left, float) or isinstance(right, float):
        assert isinstance(left, int | float) and isinstance(right, int | float), (
            f"{path}: {left!r} != {right!r}"
        )
        assert math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12), (
            f"{path}: {left!r} != {right!r}"
        )
    elif isinstance(left, dict):
        assert isinstance(right, dict) and left.keys() == right.keys(), (
            f"{path}: keys {left.keys()} != {right}"
        )
        for key in left:
            assert_same(left[key], right[key], f"{path}.{key}")
    elif isinstance(left, list):
        assert isinstance(right, list) and len(left) == len(right), f"{path}: lengths differ"
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            assert_same(a, b, f"{path}[{i}]")
    else:
        assert left == right, f"{path}: {left!r} != {right!r}"


def _cli_args(selection: Selection, tracker: Path, investigations: Path, out: Path) -> list[str]:
    args = ["--tracker", str(tracker), "--investigations", str(investigations), "--json", str(out)]
    args += [f"--go-live={bcu}={day.isoformat()}" for bcu, day in GO_LIVE.items()]
    if selection.bcu:
        args += ["--bcu", selection.bcu]
    if selection.date_from:
        args += ["--from", selection.date_from.strftime("%d/%m/%Y")]
    if selection.date_to:
        args += ["--to", selection.date_to.isoformat()]
    return args


def _query(selection: Selection) -> dict[str, str]:
    return {
        "bcu": {"west": "West", "east": "East"}.get((selection.bcu or "").lower(), ""),
        "date_from": selection.date_from.isoformat() if selection.date_from else "",
        "date_to": selection.date_to.strftime("%d/%m/%Y") if selection.date_to else "",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", SELECTIONS)
def test_dashboard_json_equals_provide_evaluate_on_the_export(
    name: str, programme: dict[str, Any], make_user: Any, tmp_path: Path, capsys: Any
) -> None:
    # Given the database exported to CSV and `provide evaluate` run on the files
    selection = SELECTIONS[name]
    tracker, investigations = export_csv(tmp_path)
    out = tmp_path / "evaluate.json"
    assert evaluate_main(_cli_args(selection, tracker, investigations, out)) == 0, (
        capsys.readouterr().err
    )
    from_files = json.loads(out.read_text())
    # When the IDVA manager downloads the same selection's JSON from the dashboard
    make_user("idva_manager")
    client = Client()
    assert client.login(username="idva.manager", password=PASSWORD)
    response = client.get("/evaluation/download/json/", _query(selection))
    assert response.status_code == 200
    # Then every number is the same
    from_dashboard = json.loads(response.content)
    assert from_dashboard["tracker_rows"] > 0
    assert_same(from_dashboard, from_files)


@pytest.mark.django_db
@pytest.mark.parametrize("name", SELECTIONS)
def test_full_report_equals_the_core_on_the_export(
    name: str, programme: dict[str, Any], tmp_path: Path
) -> None:
    """Time series, comparison, repeats, hour and band tables: all equal the file-based report."""
    selection = SELECTIONS[name]
    tracker, investigations = export_csv(tmp_path)
    tracker_read = read_records(read_table(tracker), TRACKER_COLUMNS)
    investigations_read = read_records(read_table(investigations), INVESTIGATION_COLUMNS)
    assert not tracker_read.problems and not investigations_read.problems
    from_files = report_document(
        build_report(
            tracker_read.records,
            investigations_read.records,
            selection=selection,
            go_live=GO_LIVE,
        )
    )
    from_database = report_document(evaluation_build(evaluation_inputs(selection), selection))
    for key in ("sources", "notes"):
        from_files.pop(key), from_database.pop(key)
    for document in (from_files, from_database):  # a database has no spreadsheet row numbers
        document["its"].sort(key=lambda r: r["bcu"])
        for item in document["data_quality"]["negative_delays"]:
            item.pop("row")
    if name == "everything":
        assert [d["tracker_id"] for d in from_database["data_quality"]["negative_delays"]] == [
            NEGATIVE_ID
        ]
    assert from_database["comparison"]["treated"] > 0
    assert from_database["comparison"]["outcomes"][0]["matched_treated"] > 0
    if name == "everything":
        west = next(r for r in from_database["its"] if r["bcu"] == "West")
        assert west["level_change"] is not None, west["note"]
    assert_same(from_database, from_files)


@pytest.mark.django_db
def test_the_window_loads_fewer_investigations_but_the_same_numbers(
    programme: dict[str, Any],
) -> None:
    selection = SELECTIONS["west-period"]
    windowed = evaluation_inputs(selection)
    whole = evaluation_inputs(Selection())
    assert len(windowed.investigations) < len(whole.investigations)
    assert_same(
        report_document(evaluation_build(windowed, selection)),
        report_document(evaluation_build(whole, selection)),
    )
