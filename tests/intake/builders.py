"""Small extracts for import tests, in the FORMATS.md column sets."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from provide.core.synthetic.extract import CUSTODY_COLUMNS, INVESTIGATION_COLUMNS


def investigation_row(ref: str = "WB/2023/000001", **overrides: Any) -> dict[str, str]:
    row = {
        "investigation_ref": ref,
        "incident_ref": "LC-20230601-0001",
        "recorded_at": "2023-06-01T14:05",
        "first_police_visit_at": "01/06/2023 15:00",
        "bcu": "West",
        "district": "Blackpool",
        "crime_or_incident": "crime",
        "offence": "Common assault and battery",
        "abuse_types": "physical;coercive_control",
        "relationship": "partner",
        "victim_id": "P100",
        "victim_name": "Marion Collier",
        "victim_dob": "1990-03-04",
        "victim_sex": "female",
        "victim_postcode": "FY1 1AA",
        "victim_lat": "53.81",
        "victim_lon": "-3.05",
        "suspect_id": "P200",
        "suspect_name": "Edward Collier",
        "suspect_dob": "1988-05-27",
        "risk_tool": "DASH",
        "risk_grade": "high",
        "dash_yes_count": "15",
        "children_in_household": "2",
        "victim_pregnant": "N",
        "vulnerabilities": "mental_health",
        "suspect_in_custody": "Y",
        "expected_release_at": "2023-06-02T09:00",
        "outcome_code": "",
        "outcome_date": "",
    }
    row.update({key: str(value) for key, value in overrides.items()})
    return row


def custody_row(ref: str = "C-1", event: str = "arrested", **overrides: Any) -> dict[str, str]:
    row = {
        "custody_ref": ref,
        "suspect_id": "P200",
        "investigation_ref": "WB/2023/000001",
        "event": event,
        "event_at": "2023-06-01T15:30",
        "expected_release_at": "2023-06-02T15:30",
    }
    row.update({key: str(value) for key, value in overrides.items()})
    return row


def csv_text(rows: list[dict[str, str]], columns: tuple[str, ...] | list[str] | None = None) -> str:
    columns = list(columns or (rows[0].keys() if rows else INVESTIGATION_COLUMNS))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_csv(
    path: Path, rows: list[dict[str, str]], columns: Any = None, *, encoding: str = "utf-8"
) -> Path:
    path.write_bytes(csv_text(rows, columns).encode(encoding))
    return path


def write_investigations(path: Path, rows: list[dict[str, str]]) -> Path:
    return write_csv(path, rows, INVESTIGATION_COLUMNS)


def write_custody(path: Path, rows: list[dict[str, str]]) -> Path:
    return write_csv(path, rows, CUSTODY_COLUMNS)
