"""The FORMATS.md JSON object and the report structure (its HTML and PDF: test_render.py)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from provide.core.evaluation import (
    JSON_KEYS,
    build_report,
    evaluation_json,
    report_document,
)

PROPORTION = {"num", "den", "value", "ci_low", "ci_high"}


def tracker_rows() -> list[dict[str, Any]]:
    start = datetime(2022, 4, 4, 9, tzinfo=UTC)
    rows = []
    for i in range(60):
        police = start + timedelta(days=i)
        rows.append(
            {
                "tracker_id": f"T{i}",
                "investigation_ref": f"I{i}",
                "victim_id": f"V{i}",
                "bcu": "West",
                "police_visit_at": police,
                "idva_visit_at": police + timedelta(hours=(i % 10) * 20),
                "idva_support_accepted": i % 3 != 0,
                "prosecution_support_accepted": i % 2 == 0,
                "engaged_investigation": i % 4 == 0,
                "engaged_safeguarding": None if i == 5 else i % 5 != 0,
            }
        )
    return rows


def investigation_rows() -> list[dict[str, Any]]:
    rows = []
    for i in range(400):
        recorded = datetime(2019, 4, 1, tzinfo=UTC) + timedelta(days=i * 3)
        rows.append(
            {
                "investigation_ref": f"I{i}",
                "victim_id": f"V{i % 250}",
                "bcu": "West" if i % 2 else "East",
                "recorded_at": recorded,
                "risk_grade": ["high", "medium", "standard"][i % 3],
                "abuse_types": "physical" if i % 2 else "coercive_control",
                "outcome_code": None if i % 7 == 0 else ["1", "16", "15", "8"][i % 4],
            }
        )
    return rows


def test_json_has_exactly_the_documented_keys() -> None:
    report = build_report(tracker_rows(), investigation_rows(), go_live={"West": date(2020, 4, 1)})
    document = evaluation_json(report.measures)
    assert tuple(document) == JSON_KEYS
    assert set(document["share_within_24h"]) == PROPORTION
    assert set(document["acceptance_by_delay_band"]) == {
        "<=24h",
        "24h-1wk",
        ">1wk",
        "chi2",
        "p_value",
    }
    assert set(document["acceptance_by_hour"]) == {"odds_ratio_per_hour", "p_value", "n"}
    assert all(set(r) == {"bcu", "quarter"} | PROPORTION for r in document["positive_outcome_rate"])
    assert document["suppressed"] is False
    json.dumps(document, allow_nan=False)


def test_json_without_investigations_has_no_outcome_key() -> None:
    document = evaluation_json(build_report(tracker_rows()).measures)
    assert "positive_outcome_rate" not in document
    assert tuple(document) == tuple(k for k in JSON_KEYS if k != "positive_outcome_rate")


def test_json_figures_match_the_fixture() -> None:
    document = evaluation_json(build_report(tracker_rows()).measures)
    assert document["tracker_rows"] == 60
    # Delays are (i % 10) * 20 hours: 0 and 20 h are within 24 h -> 12 of 60.
    assert (document["share_within_24h"]["num"], document["share_within_24h"]["den"]) == (12, 60)
    # i % 3 != 0 -> 40 of 60 accepted.
    assert document["idva_support_acceptance"]["num"] == 40
    assert document["engaged_safeguarding"]["den"] == 59


def test_report_document_holds_every_section_as_json() -> None:
    report = build_report(tracker_rows(), investigation_rows(), go_live={"West": date(2020, 4, 1)})
    document = report_document(report)
    json.dumps(document, allow_nan=False)
    assert document["its"][0]["level_change"] is not None
    assert document["comparison"]["treated"] > 0
