"""``provide evaluate`` end to end, on messy CSV and on XLSX written here."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from provide.cli.evaluate import main

MESSY_TRACKER = (
    "\ufeff Tracker ID ,BCU,Mode,Police-Visit-At,IDVA visit at,IDVA_support_accepted,"
    "Prosecution support accepted,Engaged investigation,engaged safeguarding,Victim ID,Officer notes\n"
    "T1,West,Live,01/06/2022 10:00,01/06/2022 12:00,Y,n,yes.,TRUE,V1,=HYPERLINK(x)\n"
    "T2,west,post incident,2022-06-01T10:00,03/06/2022 10:00,y ,,No,1,V2,\n"
    "T2,west,post incident,2022-06-01T10:00,03/06/2022 10:00,y ,,No,1,V2,\n"
    "T3,West,consultation,01/06/2022 10:00,31/05/2022 10:00,No,N,,0,V3,\n"
    "T4,West,Live,1/6/22 14:05,2/6/22 14:05,YES,Y,y,y,V4,\n"
    "T5,East,live,01/06/2022 09:00,10/06/2022 09:00,0,1,N,N,V5,\n"
    "T6,West,live,01/07/2022 09:00,01/07/2022 10:00,,,,,V6,\n"
)


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    path = tmp_path / "tracker.csv"
    path.write_text(MESSY_TRACKER, encoding="utf-8")
    return path


def test_messy_csv_end_to_end(
    messy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.json"
    assert run("--tracker", messy, "--json", out) == 0
    document = json.loads(out.read_text())
    assert document["tracker_rows"] == 6  # T2 de-duplicated
    assert document["rows_with_valid_delay"] == 5  # T3 negative
    # Delays: T1 2 h, T2 48 h, T4 exactly 24 h, T5 9 days, T6 1 h.
    assert (document["share_within_24h"]["num"], document["share_within_24h"]["den"]) == (3, 5)
    band = document["acceptance_by_delay_band"]
    assert [(band[b]["num"], band[b]["den"]) for b in ("<=24h", "24h-1wk", ">1wk")] == [
        (2, 2),
        (1, 1),
        (0, 1),
    ]
    # Accepted: T1, T2, T4; declined: T3, T5; T6 is blank: unknown, not "no".
    assert (
        document["idva_support_acceptance"]["num"],
        document["idva_support_acceptance"]["den"],
    ) == (3, 5)
    assert document["suppressed"] is False
    err = capsys.readouterr().err
    assert "extra columns kept aside, not used: Officer notes" in err
    assert "T3 (row 5)" in err


def test_bcu_and_period_selection(messy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    assert (
        run(
            "--tracker",
            messy,
            "--json",
            out,
            "--bcu",
            "WEST",
            "--from",
            "01/06/2022",
            "--to",
            "2022-06-30",
        )
        == 0
    )
    # T1, T2, T4 (T3's IDVA visit is on 31 May; T5 is East; T6 is in July).
    assert json.loads(out.read_text())["tracker_rows"] == 3


def test_publish_suppresses_small_counts(messy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    assert run("--tracker", messy, "--json", out, "--publish") == 0
    document = json.loads(out.read_text())
    assert document["suppressed"] is True
    assert document["share_within_24h"]["num"] == "<5"
    assert document["share_within_24h"]["value"] is None
    assert document["tracker_rows"] == 5  # 6 rows, published rounded to a multiple of 5


def test_bad_values_are_listed_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "tracker_id,police_visit_at,idva_visit_at,idva_support_accepted\n"
        "T1,31/02/2023 10:00,01/03/2023 10:00,Y\n"
        "T2,01/03/2023 10:00,01/03/2023 11:00,perhaps\n"
        ",01/03/2023 10:00,,\n"
    )
    out = tmp_path / "out.json"
    assert run("--tracker", path, "--json", out) == 1
    assert not out.exists()
    err = capsys.readouterr().err.splitlines()
    assert err[:3] == [
        f"{path}: row 2, column police_visit_at: '31/02/2023 10:00' is not a real date (day first: day 31, month 2)",
        f"{path}: row 3, column idva_support_accepted: 'perhaps' is not yes/no (expected Y/N, Yes/No, TRUE/FALSE, 1/0)",
        f"{path}: row 4, column tracker_id: required value is blank",
    ]
    assert "Traceback" not in "\n".join(err)


def test_partial_leaves_bad_rows_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("tracker_id,idva_support_accepted\nT1,Y\nT2,perhaps\nT3,N\n")
    out = tmp_path / "out.json"
    assert run("--tracker", path, "--json", out, "--partial") == 0
    assert json.loads(out.read_text())["tracker_rows"] == 2
    assert "warning: " in capsys.readouterr().err


def test_wrong_encoding_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("tracker_id,idva\nT1,Zo\u00eb\n".encode("cp1252"))
    assert run("--tracker", path, "--json", tmp_path / "o.json") == 1
    err = capsys.readouterr().err
    assert "row 2: byte 0xEB at byte offset 21 is not valid UTF-8" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--json", "o.json"], "required: --tracker"),
        (["--tracker", "t.csv", "--json", "o.json", "--from", "31/02/2022"], "--from: "),
        (
            [
                "--tracker",
                "t.csv",
                "--json",
                "o.json",
                "--from",
                "2022-02-01",
                "--to",
                "2022-01-01",
            ],
            "after --to",
        ),
        (
            ["--tracker", "t.csv", "--json", "o.json", "--go-live", "West"],
            "expected BCU=YYYY-MM-DD",
        ),
        (["--tracker", "t.csv", "--json", "no/such/dir/o.json"], "does not exist"),
    ],
)
def test_usage_errors_exit_2(
    args: list[str],
    message: str,
    messy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    messy.rename(tmp_path / "t.csv")
    assert run(*args) == 2
    assert message in capsys.readouterr().err


def test_missing_file_is_an_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--tracker", tmp_path / "nope.csv", "--json", tmp_path / "o.json") == 1
    assert "cannot read file" in capsys.readouterr().err


def _xlsx_files(tmp_path: Path) -> tuple[Path, Path]:
    tracker = Workbook()
    sheet = tracker.active
    assert sheet is not None
    sheet.title = "Cover"
    sheet.append(["This workbook's second sheet is the tracker"])
    data = tracker.create_sheet("Tracker")
    data.append(
        [
            "Ref",
            "Crime number",
            "Victim",
            "BCU",
            "Police visit",
            "IDVA visit",
            "Accepted IDVA",
            "Engaged CJ",
        ]
    )
    for i in range(30):
        police = datetime(2021, 10, 1, 9) + (datetime(2021, 10, 2) - datetime(2021, 10, 1)) * i  # noqa: DTZ001
        data.append(
            [
                f"T{i}",
                1000 + i,
                f"V{i}",
                "West",
                police,
                police.replace(hour=9 + i % 12),
                "Yes" if i % 4 else "No",
                bool(i % 2),
            ]
        )
    tracker_path = tmp_path / "tracker.xlsx"
    tracker.save(tracker_path)

    extract = Workbook()
    rows = extract.active
    assert rows is not None
    rows.append(
        [
            "investigation_ref",
            "recorded_at",
            "bcu",
            "victim_id",
            "outcome_code",
            "risk_grade",
            "abuse_types",
        ]
    )
    for i in range(120):
        recorded = datetime(2019, 4, 3) + (datetime(2019, 4, 10) - datetime(2019, 4, 3)) * i  # noqa: DTZ001
        code = [1, "16", "1A", 15, None][i % 5]
        rows.append(
            [
                1000 + i if i < 30 else 5000 + i,
                recorded,
                "West" if i % 3 else "East",
                f"V{i}" if i < 30 else f"W{i % 70}",
                code,
                "high",
                "physical; coercive control",
            ]
        )
    extract_path = tmp_path / "extract.xlsx"
    extract.save(extract_path)
    return tracker_path, extract_path


def test_xlsx_end_to_end_with_mapping_html_and_pdf(tmp_path: Path) -> None:
    tracker, extract = _xlsx_files(tmp_path)
    mapping = tmp_path / "mapping.csv"
    mapping.write_text(
        "source,target\nRef,tracker_id\nCrime number,investigation_ref\nVictim,victim_id\n"
        "Police visit,police_visit_at\nIDVA visit,idva_visit_at\nAccepted IDVA,idva_support_accepted\n"
        "Engaged CJ,engaged_investigation\n"
    )
    out, html, pdf = tmp_path / "o.json", tmp_path / "o.html", tmp_path / "o.pdf"
    code = run(
        "--tracker",
        tracker,
        "--tracker-sheet",
        "Tracker",
        "--investigations",
        extract,
        "--mapping",
        mapping,
        "--json",
        out,
        "--html",
        html,
        "--pdf",
        pdf,
        "--go-live",
        "West=2020-04-01",
    )
    assert code == 0
    document = json.loads(out.read_text())
    assert document["tracker_rows"] == 30
    assert (
        document["idva_support_acceptance"]["num"],
        document["idva_support_acceptance"]["den"],
    ) == (22, 30)
    assert (document["engaged_investigation"]["num"], document["engaged_investigation"]["den"]) == (
        15,
        30,
    )
    quarters = {(r["bcu"], r["quarter"]) for r in document["positive_outcome_rate"]}
    assert ("West", "2019/20 Q1") in quarters and ("East", "2021/22 Q1") in quarters
    first = next(
        r
        for r in document["positive_outcome_rate"]
        if (r["bcu"], r["quarter"]) == ("East", "2019/20 Q1")
    )
    # East, April-June 2019: i = 0, 3, 6, 9, 12 -> codes 1, 15, 16, blank, 1A -> 2 positive of 4.
    assert (first["num"], first["den"]) == (2, 4)
    assert "Interrupted time series" in html.read_text()
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_unknown_mapping_target_is_reported(
    messy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"Officer notes": "officer_notez"}))
    assert run("--tracker", messy, "--json", tmp_path / "o.json", "--mapping", mapping) == 1
    assert "mapping names unknown column 'officer_notez'" in capsys.readouterr().err


def test_command_runs_without_django(messy: Path, tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from provide.cli.evaluate import main\n"
        f"code = main(['--tracker', {str(messy)!r}, '--json', {str(tmp_path / 'o.json')!r}])\n"
        "assert code == 0, code\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django imported'\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
