"""Benchmark the evaluation engine on generated data.

Two runs, each in its own process so each peak RSS is its own:

* **force** — one 4-year force like Lancashire 2019/20-2022/23: 124,137 investigations over
  three BCUs and 10,000 tracker rows. Times the full report (measures + interrupted time
  series + matched comparison, then the FORMATS.md JSON and the HTML report), median of
  ``--repeat`` runs; the PDF is timed separately.
* **national** — 2.5 million investigations over 43 forces (and 43 x 10,000 tracker rows);
  times the measures (typing, positive-outcome rates, repeat flags, tracker measures).
  Target: <= 180 s and <= 8 GB peak RSS.

Data are generated deterministically (numpy ``default_rng`` with fixed seeds) inside the
benchmark. Run::

    .venv/bin/python benchmarks/evaluation.py            # both, writes benchmarks/results/evaluation.md
    .venv/bin/python benchmarks/evaluation.py force      # one part, prints JSON
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from provide.cli.evaluate import main as evaluate  # noqa: E402 - after the path set-up
from provide.core.evaluation import (  # noqa: E402
    Selection,
    build_report,
    evaluation_json,
    investigation_measures,
    prepare_investigations,
    report_document,
    select_tracker,
    tracker_measures,
)
from provide.core.evaluation.render import render_html, render_pdf  # noqa: E402

FORCE_INVESTIGATIONS = 124_137
FORCE_TRACKER = 10_000
NATIONAL_INVESTIGATIONS = 2_500_000
NATIONAL_FORCES = 43
START = pd.Timestamp("2019-04-01", tz="Europe/London").tz_convert("UTC")
END = pd.Timestamp("2023-04-01", tz="Europe/London").tz_convert("UTC")
BCUS = ("West", "East", "South")
GO_LIVE = {"West": date(2020, 4, 1), "South": date(2021, 10, 1), "East": date(2022, 1, 1)}
ABUSE = (
    ("physical",),
    ("coercive_control",),
    ("physical", "coercive_control"),
    ("emotional",),
    ("stalking_harassment",),
    ("sexual", "physical"),
    ("threats",),
    ("economic", "emotional"),
)
CODES = np.array(
    ["1", "1A", "2", "3", "8", "9", "10", "14", "15", "16", "18", "21", "22", ""], dtype=object
)
CODE_P = np.array([9, 1, 0.3, 3, 2, 1, 1, 6, 18, 45, 3, 2, 2, 6.4])


def generate_investigations(
    n: int, *, seed: int, prefix: str, bcus: tuple[str, ...] = BCUS
) -> pd.DataFrame:
    """``n`` investigations over four financial years, with repeat victims and suspects."""
    rng = np.random.default_rng(seed)
    span = (END - START).value
    recorded = pd.to_datetime(START.value + rng.integers(0, span, n, dtype=np.int64), utc=True)
    victims = max(1, int(n * 0.62))
    victim = rng.integers(0, victims, n)
    suspect = np.where(rng.random(n) < 0.9, rng.integers(0, int(n * 0.7), n), -1)
    codes = rng.choice(CODES, n, p=CODE_P / CODE_P.sum())
    abuse = pd.Series([ABUSE[i] for i in rng.integers(0, len(ABUSE), n)], dtype=object)
    return pd.DataFrame(
        {
            "investigation_ref": pd.Series(np.arange(n)).astype(str).radd(f"{prefix}I"),
            "recorded_at": recorded,
            "bcu": pd.Series(np.array(bcus, dtype=object)[rng.integers(0, len(bcus), n)]).astype(
                str
            ),
            "victim_id": pd.Series(victim).astype(str).radd(f"{prefix}V"),
            "suspect_id": pd.Series(
                np.where(suspect >= 0, pd.Series(suspect).astype(str).radd(f"{prefix}S"), None)
            ),
            "risk_grade": pd.Series(
                rng.choice(np.array(["high", "medium", "standard"]), n, p=[0.2, 0.45, 0.35])
            ),
            "abuse_types": abuse,
            "outcome_code": pd.Series(np.where(codes == "", None, codes), dtype=object),
        }
    )


def generate_tracker(
    investigations: pd.DataFrame, n: int, *, seed: int, go_live: dict[str, date], prefix: str = ""
) -> pd.DataFrame:
    """``n`` tracker rows for investigations after each BCU's go-live, with realistic answers."""
    rng = np.random.default_rng(seed)
    starts = investigations["bcu"].map(
        {b: pd.Timestamp(d, tz="Europe/London") for b, d in go_live.items()}
    )
    eligible = investigations.loc[investigations["recorded_at"] >= starts]
    chosen = eligible.sample(n=min(n, len(eligible)), random_state=seed).reset_index(drop=True)
    m = len(chosen)
    police = chosen["recorded_at"] + pd.to_timedelta(rng.exponential(3, m), unit="h")
    delay_h = np.where(rng.random(m) < 0.65, rng.uniform(0, 24, m), rng.exponential(80, m) + 24)
    delay_h[rng.random(m) < 0.003] *= -1  # a few data-entry errors
    idva = police + pd.to_timedelta(delay_h, unit="h")
    hour = idva.dt.tz_convert("Europe/London").dt.hour.to_numpy()
    logit = 2.6 - 0.9 * (delay_h > 24) - 0.06 * (hour - 12)
    accepted = rng.random(m) < 1 / (1 + np.exp(-logit))

    def answers(p: np.ndarray | float, blank: float) -> pd.Series:
        values = pd.array(rng.random(m) < p, dtype="boolean")
        values[rng.random(m) < blank] = pd.NA
        return pd.Series(values)

    accepted_col = pd.Series(pd.array(accepted, dtype="boolean"))
    accepted_col[rng.random(m) < 0.03] = pd.NA
    tracker = pd.DataFrame(
        {
            "tracker_id": pd.Series(np.arange(m)).astype(str).radd(f"{prefix}T"),
            "investigation_ref": chosen["investigation_ref"],
            "victim_id": chosen["victim_id"],
            "bcu": chosen["bcu"],
            "mode": pd.Series(
                rng.choice(
                    np.array(["live", "post-incident", "consultation"]), m, p=[0.25, 0.7, 0.05]
                )
            ),
            "police_visit_at": police,
            "idva_visit_at": idva,
            "idva_support_accepted": accepted_col,
            "prosecution_support_accepted": answers(0.44, 0.05),
            "engaged_investigation": answers(0.41, 0.05),
            "engaged_safeguarding": answers(0.67, 0.05),
        }
    )
    # 1 % duplicated rows, as real trackers have.
    return pd.concat([tracker, tracker.sample(frac=0.01, random_state=seed)], ignore_index=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_force(repeat: int) -> dict[str, object]:
    t = time.perf_counter()
    investigations = generate_investigations(FORCE_INVESTIGATIONS, seed=2024, prefix="L")
    tracker = generate_tracker(investigations, FORCE_TRACKER, seed=7, go_live=GO_LIVE)
    generate_s = time.perf_counter() - t
    as_of = datetime(2023, 3, 31, 23, 59, tzinfo=UTC)
    timings: dict[str, list[float]] = {"report": [], "json": [], "html": [], "total": []}
    page = ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        report = build_report(
            tracker, investigations, selection=Selection(), go_live=GO_LIVE, as_of=as_of
        )
        t1 = time.perf_counter()
        document = json.dumps(evaluation_json(report.measures), allow_nan=False)
        t2 = time.perf_counter()
        page = render_html(report_document(report))
        t3 = time.perf_counter()
        timings["report"].append(t1 - t0)
        timings["json"].append(t2 - t1)
        timings["html"].append(t3 - t2)
        timings["total"].append(t3 - t0)
    t4 = time.perf_counter()
    pdf = render_pdf(page)
    pdf_s = time.perf_counter() - t4
    comparison = report.comparison
    return {
        "investigations": FORCE_INVESTIGATIONS,
        "tracker_rows_input": len(tracker),
        "tracker_rows": report.measures.tracker_rows,
        "generate_s": round(generate_s, 2),
        "repeat": repeat,
        **{f"{k}_median_s": round(statistics.median(v), 2) for k, v in timings.items()},
        "total_all_s": [round(v, 2) for v in timings["total"]],
        "pdf_s": round(pdf_s, 2),
        "html_kb": round(len(page) / 1024),
        "pdf_kb": round(len(pdf) / 1024),
        "json_bytes": len(document),
        "share_within_24h": report.measures.share_within_24h.value,
        "matched_treated": comparison.outcomes[0].matched_treated if comparison else None,
        "peak_rss_mb": round(peak_rss_mb()),
    }


def run_national() -> dict[str, object]:
    t = time.perf_counter()
    per_force = NATIONAL_INVESTIGATIONS // NATIONAL_FORCES
    parts, trackers = [], []
    for force in range(NATIONAL_FORCES):
        size = per_force + (1 if force < NATIONAL_INVESTIGATIONS % NATIONAL_FORCES else 0)
        prefix = f"F{force:02d}"
        bcus = tuple(f"{prefix}-{b}" for b in BCUS)
        part = generate_investigations(size, seed=1000 + force, prefix=prefix, bcus=bcus)
        parts.append(part)
        trackers.append(
            generate_tracker(
                part,
                FORCE_TRACKER,
                seed=force,
                go_live={f"{prefix}-{b}": d for b, d in GO_LIVE.items()},
                prefix=prefix,
            )
        )
    investigations = pd.concat(parts, ignore_index=True)
    tracker = pd.concat(trackers, ignore_index=True)
    del parts, trackers
    generate_s = time.perf_counter() - t
    rss_after_generate = peak_rss_mb()
    t0 = time.perf_counter()
    prepared = prepare_investigations(investigations)
    t1 = time.perf_counter()
    inv = investigation_measures(prepared)
    t2 = time.perf_counter()
    measures = tracker_measures(select_tracker(tracker))
    t3 = time.perf_counter()
    return {
        "investigations": len(investigations),
        "forces": NATIONAL_FORCES,
        "tracker_rows_input": len(tracker),
        "generate_s": round(generate_s, 1),
        "prepare_s": round(t1 - t0, 1),
        "investigation_measures_s": round(t2 - t1, 1),
        "tracker_measures_s": round(t3 - t2, 1),
        "measures_total_s": round(t3 - t0, 1),
        "bcu_quarters": len(inv.positive_outcome_rate),
        "repeat_victim": inv.repeat_victim.value,
        "tracker_rows": measures.tracker_rows,
        "peak_rss_after_generate_mb": round(rss_after_generate),
        "peak_rss_mb": round(peak_rss_mb()),
    }


def run_cli() -> dict[str, object]:
    """``provide evaluate`` from CSV files of the one-force data (reading included)."""
    investigations = generate_investigations(FORCE_INVESTIGATIONS, seed=2024, prefix="L")
    tracker = generate_tracker(investigations, FORCE_TRACKER, seed=7, go_live=GO_LIVE)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        extract = investigations.assign(abuse_types=investigations["abuse_types"].map(";".join))
        extract.to_csv(base / "investigations.csv", index=False, date_format="%Y-%m-%dT%H:%M:%SZ")
        answers = {True: "Y", False: "N"}
        flat = tracker.copy()
        for column in (
            "idva_support_accepted",
            "prosecution_support_accepted",
            "engaged_investigation",
            "engaged_safeguarding",
        ):
            flat[column] = flat[column].astype(object).map(answers)
        for column in (
            "police_visit_at",
            "idva_visit_at",
        ):  # UK day-first local times, as trackers hold them
            flat[column] = flat[column].dt.tz_convert("Europe/London").dt.strftime("%d/%m/%Y %H:%M")
        flat.to_csv(base / "tracker.csv", index=False)
        go_live = [f"--go-live={b}={d.isoformat()}" for b, d in GO_LIVE.items()]
        t0 = time.perf_counter()
        code = evaluate(
            [
                "--tracker",
                str(base / "tracker.csv"),
                "--investigations",
                str(base / "investigations.csv"),
                "--json",
                str(base / "o.json"),
                "--html",
                str(base / "o.html"),
                "--as-of",
                "2023-03-31",
                *go_live,
            ]
        )
        elapsed = time.perf_counter() - t0
    return {"exit": code, "cli_csv_s": round(elapsed, 2), "peak_rss_mb": round(peak_rss_mb())}


def _child(part: str, repeat: int) -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, __file__, part, "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def _machine() -> str:
    with open("/proc/meminfo") as handle:
        total_kb = int(handle.readline().split()[1])
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs (nproc), {total_kb / 1024 / 1024:.1f} GiB RAM, load average {load} at the end, "
        f"Python {platform.python_version()}, pandas {pd.__version__}"
    )


def _markdown(force: dict[str, object], cli: dict[str, object], national: dict[str, object]) -> str:
    stamp = datetime.now(UTC).strftime(
        "%Y-%m-%d %H:%M UTC"
    )  # a benchmark's own timestamp, not core logic
    return f"""# Evaluation engine benchmark

Latest run: {stamp}. Machine: {_machine()}. Produced by `benchmarks/evaluation.py`
(generated data, fixed seeds); shared machine, so figures are medians and indicative.

## One force, four years (full report)

{force["investigations"]:,} investigations (3 BCUs), {force["tracker_rows_input"]:,} tracker rows
({force["tracker_rows"]:,} after de-duplication).

| step | median of {force["repeat"]} runs (s) |
|---|---|
| measures + ITS + matched comparison (`build_report`) | {force["report_median_s"]} |
| FORMATS.md JSON | {force["json_median_s"]} |
| HTML report with 7 charts | {force["html_median_s"]} |
| **total (JSON + HTML)** | **{force["total_median_s"]}** (runs: {force["total_all_s"]}) |
| PDF (WeasyPrint, timed separately) | {force["pdf_s"]} |

HTML {force["html_kb"]} KiB, PDF {force["pdf_kb"]} KiB; peak RSS {force["peak_rss_mb"]} MB
(data generation: {force["generate_s"]} s, not included).

The same data as CSV files through `provide evaluate` (reading and checking every cell with
the FORMATS.md tolerances, then JSON + HTML): {cli["cli_csv_s"]} s, exit status {cli["exit"]},
peak RSS {cli["peak_rss_mb"]} MB.

## National scale (measures)

{national["investigations"]:,} investigations over {national["forces"]} forces, {national["tracker_rows_input"]:,} tracker rows.

| step | seconds |
|---|---|
| type + outcome/quarter/repeat columns (`prepare_investigations`) | {national["prepare_s"]} |
| positive-outcome and repeat rates (`investigation_measures`) | {national["investigation_measures_s"]} |
| tracker measures (`select_tracker` + `tracker_measures`) | {national["tracker_measures_s"]} |
| **measures total** (target <= 180 s) | **{national["measures_total_s"]}** |

Peak RSS {national["peak_rss_mb"]} MB (target <= 8192 MB; {national["peak_rss_after_generate_mb"]} MB of it
reached while generating the data). {national["bcu_quarters"]} BCU-quarters. Data generation:
{national["generate_s"]} s, not included.
"""


def main(argv: list[str]) -> int:
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    if argv and argv[0] == "force":
        print(json.dumps(run_force(repeat)))
        return 0
    if argv and argv[0] == "national":
        print(json.dumps(run_national()))
        return 0
    if argv and argv[0] == "cli":
        print(json.dumps(run_cli()))
        return 0
    force = _child("force", repeat)
    print("force:", json.dumps(force, indent=1))
    cli = _child("cli", 1)
    print("cli:", json.dumps(cli, indent=1))
    national = _child("national", 1)
    print("national:", json.dumps(national, indent=1))
    out = ROOT / "benchmarks" / "results" / "evaluation.md"
    out.write_text(_markdown(force, cli, national))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
