"""provide import-tracker: FORMATS.md §B with every tolerance, all-or-nothing by default,
idempotent, updates by tracker_id, links to investigations and victims."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from provide.areas.models import Area
from provide.audit.models import AuditEvent
from provide.cli.synth_extract import main as synth_extract
from provide.health.models import SupportRecord
from provide.visits.models import Visit

pytestmark = pytest.mark.django_db

HEADER = (
    "tracker_id,investigation_ref,victim_id,bcu,mode,police_visit_at,idva_visit_at,"
    "idva_support_offered,idva_support_accepted,prosecution_support_offered,"
    "prosecution_support_accepted,engaged_investigation,engaged_safeguarding,"
    "previously_engaged_investigation,previously_engaged_safeguarding,services,referrals,idva"
)


def write(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


NOTHING_HELD = {"held_for_review": 0, "relinks_held": []}


def run(*args: str) -> tuple[dict[str, int], str]:
    """The four counts of ``--json`` (these files move no row to another victim) and stderr."""
    out, err = StringIO(), StringIO()
    call_command("import_tracker", *args, "--json", stdout=out, stderr=err)
    summary = json.loads(out.getvalue())
    assert {key: summary.pop(key) for key in NOTHING_HELD} == NOTHING_HELD
    return summary, err.getvalue()


ROW_1 = "T1,,,West,post-incident,01/06/2022 10:00,01/06/2022 14:05,Y,Y,N,,yes.,TRUE,,,safety_planning;emotional_support,marac,Jo IDVA"
ROW_2 = "T2,,,West,live,2022-06-02T09:00,2022-06-02T09:30:00Z,y ,No,1,0,,,,,,,Jo IDVA"


def test_a_clean_file_is_imported_and_summarised_as_json(areas: Any, tmp_path: Path) -> None:
    counts, _ = run(str(write(tmp_path / "t.csv", ROW_1, ROW_2)))
    assert counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    t1 = SupportRecord.objects.get(tracker_id="T1")
    assert t1.bcu == areas["west"] and t1.mode == "post-incident"
    assert t1.idva_visit_at == dt.datetime(2022, 6, 1, 13, 5, tzinfo=dt.UTC)  # BST, stored as UTC
    assert t1.prosecution_support_offered is False and t1.prosecution_support_accepted is None
    assert t1.engaged_investigation is True and t1.engaged_safeguarding is True
    assert t1.services == ["safety_planning", "emotional_support"] and t1.referrals == ["marac"]
    assert t1.idva_name == "Jo IDVA"
    t2 = SupportRecord.objects.get(tracker_id="T2")
    assert t2.idva_support_offered is True and t2.prosecution_support_accepted is False
    assert t2.idva_visit_at == dt.datetime(2022, 6, 2, 9, 30, tzinfo=dt.UTC)


def test_the_one_line_summary_without_json(areas: Any, tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "import_tracker", str(write(tmp_path / "t.csv", ROW_1)), stdout=out, stderr=StringIO()
    )
    assert out.getvalue().strip() == "1 created, 0 updated, 0 unchanged, 0 rejected"


def test_re_importing_the_same_file_changes_nothing(areas: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", ROW_1, ROW_2)
    run(str(path))
    before = list(SupportRecord.objects.order_by("tracker_id").values())
    counts, _ = run(str(path))
    assert counts == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert list(SupportRecord.objects.order_by("tracker_id").values()) == before


def test_a_newer_file_updates_rows_by_tracker_id(areas: Any, tmp_path: Path) -> None:
    run(str(write(tmp_path / "old.csv", ROW_1, ROW_2)))
    newer = ROW_2.replace(",No,1,0,", ",Yes,1,1,")
    counts, _ = run(str(write(tmp_path / "new.csv", ROW_1, newer, "T3,,,West,live,,,,,,,,,,,,,")))
    assert counts == {"created": 1, "updated": 1, "unchanged": 1, "rejected": 0}
    t2 = SupportRecord.objects.get(tracker_id="T2")
    assert t2.idva_support_accepted is True and t2.prosecution_support_accepted is True
    assert AuditEvent.objects.filter(
        event="health.support_record_updated_by_import", object_id=str(t2.public_id)
    ).exists()


def test_one_unreadable_row_rejects_the_whole_file(areas: Any, tmp_path: Path) -> None:
    bad = ROW_2.replace("y ,No", "y ,perhaps")
    path = write(
        tmp_path / "t.csv",
        ROW_1,
        bad,
        "T3,,,West,live,31/02/2022 10:00,,,,,,,,,,,,",
        "T4,,,Northern,live,,,,,,,,,,,,,",
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_tracker", str(path), "--json", stdout=out, stderr=err)
    assert SupportRecord.objects.count() == 0
    assert json.loads(out.getvalue()) == {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "rejected": 3,
        **NOTHING_HELD,
    }
    problems = err.getvalue()
    assert "row 3, column idva_support_accepted: 'perhaps' is not yes/no" in problems
    assert "row 4, column police_visit_at: '31/02/2022 10:00' is not a real date" in problems
    assert "row 5, column bcu: 'Northern' is not a known BCU" in problems


def test_partial_imports_the_good_rows_and_writes_the_rejects(areas: Any, tmp_path: Path) -> None:
    bad = ROW_2.replace("y ,No", "y ,perhaps")
    path = write(tmp_path / "t.csv", ROW_1, bad)
    counts, err = run(str(path), "--partial")
    assert counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert "rejected rows written to" in err
    assert list(SupportRecord.objects.values_list("tracker_id", flat=True)) == ["T1"]
    rejects = (tmp_path / "t.csv.rejects.csv").read_text(encoding="utf-8-sig")
    assert rejects.splitlines()[0].endswith(",problems")
    assert "T2" in rejects and "column idva_support_accepted: 'perhaps' is not yes/no" in rejects
    assert "T1," not in rejects


def test_dry_run_counts_but_writes_nothing(areas: Any, tmp_path: Path) -> None:
    counts, _ = run(str(write(tmp_path / "t.csv", ROW_1, ROW_2)), "--dry-run")
    assert counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert (
        SupportRecord.objects.count() == 0
        and not AuditEvent.objects.filter(event="health.tracker_imported").exists()
    )


def test_messy_headers_and_unknown_columns_are_tolerated(areas: Any, tmp_path: Path) -> None:
    header = " Tracker ID ,BCU,IDVA-Support Accepted,idva visit at,Services,Comments"
    path = write(
        tmp_path / "t.csv",
        "T9,west,yes.,1/6/22 14:05,Risk assessment | cjs advocacy,call back",
        "T10,West,,03/04/2022,,",
        header=header,
    )
    counts, err = run(str(path))
    assert counts["created"] == 2
    assert "extra columns kept aside: Comments" in err
    t9, t10 = (
        SupportRecord.objects.get(tracker_id="T9"),
        SupportRecord.objects.get(tracker_id="T10"),
    )
    assert t9.idva_support_accepted is True and t9.services == ["risk_assessment", "cjs_advocacy"]
    assert t9.idva_visit_at == dt.datetime(2022, 6, 1, 13, 5, tzinfo=dt.UTC)
    assert t10.idva_support_accepted is None  # blank is unknown, never "no"
    assert t10.idva_visit_at.date() == dt.date(2022, 4, 2)  # 3 April 00:00 BST is 2 April 23:00 UTC


def test_a_column_the_file_lacks_leaves_stored_values_alone(areas: Any, tmp_path: Path) -> None:
    run(str(write(tmp_path / "full.csv", ROW_1)))
    counts, _ = run(
        str(write(tmp_path / "thin.csv", "T1,Y", header="tracker_id,idva_support_accepted"))
    )
    assert counts == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    assert SupportRecord.objects.get(tracker_id="T1").services == [
        "safety_planning",
        "emotional_support",
    ]


def test_a_mapping_reads_a_file_with_different_headers(areas: Any, tmp_path: Path) -> None:
    mapping = tmp_path / "map.json"
    mapping.write_text(
        json.dumps({"Ref": "tracker_id", "Division": "bcu", "Accepted?": "idva_support_accepted"})
    )
    path = write(tmp_path / "t.csv", "R1,West,N", header="Ref,Division,Accepted?")
    counts, _ = run(str(path), "--mapping", str(mapping))
    assert counts["created"] == 1
    assert SupportRecord.objects.get(tracker_id="R1").idva_support_accepted is False


def test_an_xlsx_tracker_with_native_date_cells(areas: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Tracker_ID", "bcu", "idva_visit_at", "idva_support_accepted"])
    sheet.append(["X1", "West", dt.datetime(2022, 1, 10, 9, 30), True])  # noqa: DTZ001 - Excel cells have no zone
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    counts, _ = run(str(path))
    assert counts["created"] == 1
    record = SupportRecord.objects.get(tracker_id="X1")
    assert record.idva_visit_at == dt.datetime(2022, 1, 10, 9, 30, tzinfo=dt.UTC)  # GMT in January
    assert record.idva_support_accepted is True


def test_a_missing_tracker_id_column_rejects_the_file(areas: Any, tmp_path: Path) -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_tracker",
            str(write(tmp_path / "t.csv", "West", header="bcu")),
            stdout=StringIO(),
            stderr=err,
        )
    assert "required column 'tracker_id' is missing" in err.getvalue()


def test_rows_link_to_investigations_and_victims(west_case: dict[str, Any], tmp_path: Path) -> None:
    path = write(
        tmp_path / "t.csv",
        "L1,WB/2026/000001,,,post-incident,,2022-06-01T10:00,Y,Y,,,,,,,,refuge,",
        "L2,,P-W-1,West,live,,,,,,,,,,,,,",
        "L3,UNKNOWN/1,P-NOBODY,West,live,,,,,,,,,,,,,",
    )
    counts, _ = run(str(path))
    assert counts["created"] == 3
    l1 = SupportRecord.objects.get(tracker_id="L1")
    assert l1.investigation == west_case["investigation"] and l1.victim == west_case["victim"]
    assert l1.bcu.name == "West"
    assert (
        l1.visit is not None
        and l1.visit.support_accepted is True
        and l1.visit.referrals_made == ["refuge"]
    )
    assert SupportRecord.objects.get(tracker_id="L2").victim == west_case["victim"]
    l3 = SupportRecord.objects.get(tracker_id="L3")
    assert l3.investigation is None and l3.investigation_ref == "UNKNOWN/1" and l3.victim is None


def test_a_victim_id_that_contradicts_the_investigation_is_a_problem(
    west_case: dict[str, Any], tmp_path: Path
) -> None:
    path = write(tmp_path / "t.csv", "C1,WB/2026/000001,P-W-2,,,,,,,,,,,,,,,")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_tracker", str(path), stdout=StringIO(), stderr=err)
    assert (
        "row 2, column victim_id: investigation WB/2026/000001 is about person P-W-1, not 'P-W-2'"
        in err.getvalue()
    )


def test_the_same_tracker_id_twice_with_different_values_is_a_problem(
    areas: Any, tmp_path: Path
) -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_tracker",
            str(write(tmp_path / "t.csv", ROW_1, ROW_1.replace(",Y,Y,", ",Y,N,"))),
            stdout=StringIO(),
            stderr=err,
        )
    assert "row 3, column tracker_id: 'T1' is also in row 2 with different values" in err.getvalue()


@pytest.fixture
def synthetic_tracker(tmp_path: Path, areas: Any) -> Path:
    Area.objects.create(name="South", kind=Area.Kind.BCU, parent=areas["west"].parent)
    out = tmp_path / "synth"
    assert (
        synth_extract(
            ["--days", "30", "--start", "2023-03-01", "--per-day", "4", "--out", str(out), "--xlsx"]
        )
        == 0
    )
    return out


def test_a_synthetic_extract_imports_whole_and_again_changes_nothing(
    synthetic_tracker: Path,
) -> None:
    rows = len((synthetic_tracker / "tracker.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert rows > 50
    counts, _ = run(str(synthetic_tracker / "tracker.csv"))
    assert counts == {"created": rows, "updated": 0, "unchanged": 0, "rejected": 0}
    counts, _ = run(str(synthetic_tracker / "tracker.xlsx"))  # the same rows as a workbook
    assert counts == {"created": 0, "updated": 0, "unchanged": rows, "rejected": 0}
    assert (
        Visit.objects.count() == 0
    )  # no victims in Provide yet: nothing to link, no shared record


def _moving_row() -> str:
    return "T-1,,P-W-2,West,post-incident,,2022-06-01T10:00,,N,,,,,,,,,Jo IDVA"


def test_a_row_that_would_move_to_another_victim_is_held_and_listed_in_json(
    west_case: Any, tmp_path: Path
) -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "import_tracker",
        str(write(tmp_path / "t.csv", _moving_row(), ROW_1)),
        "--json",
        stdout=out,
        stderr=err,
    )
    assert json.loads(out.getvalue()) == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "held_for_review": 1,
        "relinks_held": [
            {"tracker_id": "T-1", "row": 2, "victim_now": "P-W-1", "victim_in_file": "P-W-2"}
        ],
    }
    assert (
        "held for review: row 2: tracker row T-1 is linked to victim P-W-1; the file names P-W-2. Held: nothing "
        "of this row was written (approve with --relink T-1)"
    ) in err.getvalue()
    assert SupportRecord.objects.get(tracker_id="T-1").victim == west_case["victim"]


def test_relink_moves_only_the_rows_named(west_case: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", _moving_row())
    counts, _ = run(str(path), "--relink", "T-9,T-1")
    assert counts["updated"] == 1
    assert SupportRecord.objects.get(tracker_id="T-1").victim.force_person_ref == "P-W-2"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (f"{HEADER}\n", "t.csv: the file has a header row but no data rows"),
        (f'{HEADER}\nT1,"WB/1,,West\n', "t.csv: row 2: a quoted cell is never closed"),
    ],
    ids=["header only", "broken quote"],
)
def test_a_file_with_nothing_to_import_is_an_error_not_a_success(
    areas: Any, tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(content, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_tracker", str(path), "--json", stdout=StringIO(), stderr=err)
    assert err.getvalue().startswith(str(tmp_path / expected))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    areas: Any, tmp_path: Path, settings: Any
) -> None:
    settings.PROVIDE_IMPORT_MAX_MB = 1
    path = write(tmp_path / "t.csv", *([ROW_1] * 12_000))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_tracker", str(path), stdout=StringIO(), stderr=err)
    assert "the limit is 1 MB (setting PROVIDE_IMPORT_MAX_MB)" in err.getvalue()
    assert not SupportRecord.objects.exists()
