"""A small synthetic programme in the database, and its export in the FORMATS.md shapes.

The data is built to exercise what the dashboard's windowed loading must get right: repeat
victims across BCUs and more than a year apart, tracker rows linked by reference and by
victim, a visit in one period linked to an investigation recorded in another, a negative
delay, blank answers, a draft record, a visit in the autumn clock-change hour, and several
years of outcomes either side of West's go-live (2020-04-01) for the time series.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from provide.areas.models import Area
from provide.health.models import SupportRecord
from provide.intake.models import Investigation
from provide.people.models import Person

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
TRACKER_HEADER = (
    "tracker_id",
    "investigation_ref",
    "victim_id",
    "bcu",
    "mode",
    "police_visit_at",
    "idva_visit_at",
    "idva_support_offered",
    "idva_support_accepted",
    "prosecution_support_offered",
    "prosecution_support_accepted",
    "engaged_investigation",
    "engaged_safeguarding",
    "previously_engaged_investigation",
    "previously_engaged_safeguarding",
    "services",
    "referrals",
    "idva",
)
INVESTIGATION_HEADER = (
    "investigation_ref",
    "recorded_at",
    "bcu",
    "victim_id",
    "suspect_id",
    "risk_grade",
    "abuse_types",
    "outcome_code",
    "offence",
)
NEGATIVE_ID = "T-NEGATIVE-1"
ABUSE = ("physical", "sexual", "coercive_control", "stalking_harassment", "emotional", "economic")
OUTCOMES = ("1", "1A", "2", "4", "8", "15", "16", "16", "18", "21", "22", "")


def _yn(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "n")


@pytest.fixture
def programme(areas: dict[str, Area]) -> dict[str, Any]:
    """About 900 investigations (2019-2021 and 2023), 260 tracker rows, in West and East."""
    rng = random.Random(20240611)
    people = Person.objects.bulk_create(
        [
            Person(
                force_person_ref=f"P{n:04d}",
                given_name=f"Given{n}",
                family_name=f"Family{n}",
                synthetic=True,
            )
            for n in range(420)
        ]
    )
    suspects = people[380:]
    victims = people[:380]
    investigations: list[Investigation] = []
    start = dt.datetime(2019, 1, 1, 9, 0, tzinfo=UTC)
    for n in range(900):
        west = n % 3 != 0
        victim = victims[
            rng.randrange(len(victims)) if n % 7 else n % 40
        ]  # some victims recur often
        day = (
            rng.randrange(0, 1095) if n < 820 else rng.randrange(1460, 1640)
        )  # 2019-2021, and 2023
        recorded = start + dt.timedelta(days=day, seconds=rng.randrange(0, 86_400))
        after_go_live = recorded.date() >= dt.date(2020, 4, 1)
        codes = OUTCOMES if not after_go_live else (*OUTCOMES, "1", "2", "8")
        investigations.append(
            Investigation(
                investigation_ref=f"{'WB' if west else 'EB'}/{n:05d}",
                recorded_at=recorded,
                bcu=areas["west" if west else "east"],
                victim=victim,
                suspect=suspects[rng.randrange(len(suspects))] if n % 5 else None,
                risk_grade=rng.choice(("high", "medium", "standard", "")),
                abuse_types=rng.sample(ABUSE, rng.randrange(0, 3)),
                outcome_code=rng.choice(codes),
                offence="Assault",
            )
        )
    Investigation.objects.bulk_create(investigations)
    records: list[SupportRecord] = []
    visited = [i for i in investigations if i.recorded_at.date() >= dt.date(2020, 4, 1)]
    rng.shuffle(visited)
    for n, inv in enumerate(visited[:260]):
        police = inv.recorded_at + dt.timedelta(minutes=rng.randrange(10, 600))
        idva = police + dt.timedelta(hours=rng.choice((1, 3, 20, 24, 30, 60, 100, 170, 200, 400)))
        linked_by_ref = n % 4 != 0

        def answer(p: float) -> bool | None:
            return None if rng.random() < 0.06 else rng.random() < p

        records.append(
            SupportRecord(
                tracker_id=f"T-{n:04d}",
                investigation=inv if linked_by_ref else None,
                investigation_ref=inv.investigation_ref if linked_by_ref else "",
                victim=inv.victim,
                bcu=inv.bcu,
                mode=rng.choice(("live", "post-incident", "consultation", "")),
                police_visit_at=police if n % 17 else None,
                idva_visit_at=idva,
                idva_support_offered=True,
                idva_support_accepted=answer(0.85 if idva - police < dt.timedelta(days=1) else 0.7),
                prosecution_support_offered=answer(0.9),
                prosecution_support_accepted=answer(0.45),
                engaged_investigation=answer(0.4),
                engaged_safeguarding=answer(0.67),
                previously_engaged_investigation=answer(0.3) if n % 3 == 0 else None,
                previously_engaged_safeguarding=answer(0.5) if n % 3 == 0 else None,
                services=["safety_planning"],
                referrals=["marac"] if n % 2 else [],
                idva_name="Ida Vale",
                notes="IDVA-only note, never exported",
                record_status=SupportRecord.RecordStatus.DRAFT
                if n == 5
                else SupportRecord.RecordStatus.COMPLETE,
            )
        )
    first = visited[0]
    records.append(
        SupportRecord(  # IDVA visit recorded before the police visit: a data error
            tracker_id=NEGATIVE_ID,
            investigation=first,
            investigation_ref=first.investigation_ref,
            victim=first.victim,
            bcu=first.bcu,
            police_visit_at=first.recorded_at + dt.timedelta(hours=5),
            idva_visit_at=first.recorded_at + dt.timedelta(hours=2),
            idva_support_accepted=True,
        )
    )
    # 01:30 on 2020-10-25 happened twice in London; stored as the first (BST) occurrence.
    records.append(
        SupportRecord(
            tracker_id="T-CLOCK",
            victim=victims[3],
            bcu=areas["west"],
            police_visit_at=dt.datetime(2020, 10, 24, 23, 0, tzinfo=UTC),
            idva_visit_at=dt.datetime(2020, 10, 25, 0, 30, tzinfo=UTC),
            idva_support_accepted=False,
            engaged_safeguarding=True,
        )
    )
    SupportRecord.objects.bulk_create(records)
    return {"investigations": investigations, "records": records}


def _local(value: dt.datetime | None, style: str) -> str:
    if value is None:
        return ""
    if style == "iso":
        return value.astimezone(UTC).isoformat()
    return value.astimezone(LONDON).strftime("%d/%m/%Y %H:%M:%S")


def export_csv(folder: Path) -> tuple[Path, Path]:
    """Write the database's tracker and investigations as FORMATS.md CSV files.

    Written straight from the models (not through the dashboard's selector): tracker times as
    UK day-first local time, investigation times as ISO 8601 UTC, booleans as Yes/n/blank.
    """
    tracker = folder / "tracker.csv"
    with tracker.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(TRACKER_HEADER)
        for r in SupportRecord.objects.select_related("victim", "bcu", "investigation").order_by(
            "pk"
        ):
            if r.idva_visit_at is not None and r.idva_visit_at.astimezone(LONDON).fold:
                raise AssertionError("the export would lose the clock-change fold")
            writer.writerow(
                [
                    r.tracker_id,
                    r.investigation_ref
                    or (r.investigation.investigation_ref if r.investigation else ""),
                    r.victim.force_person_ref if r.victim else "",
                    r.bcu.name if r.bcu else "",
                    r.mode,
                    _local(r.police_visit_at, "uk"),
                    _local(r.idva_visit_at, "uk"),
                    _yn(r.idva_support_offered),
                    _yn(r.idva_support_accepted),
                    _yn(r.prosecution_support_offered),
                    _yn(r.prosecution_support_accepted),
                    _yn(r.engaged_investigation),
                    _yn(r.engaged_safeguarding),
                    _yn(r.previously_engaged_investigation),
                    _yn(r.previously_engaged_safeguarding),
                    "; ".join(r.services),
                    " | ".join(r.referrals),
                    r.idva_name,
                ]
            )
    investigations = folder / "investigations.csv"
    with investigations.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(INVESTIGATION_HEADER)
        for i in Investigation.objects.select_related("victim", "suspect", "bcu").order_by("pk"):
            writer.writerow(
                [
                    i.investigation_ref,
                    _local(i.recorded_at, "iso"),
                    i.bcu.name,
                    i.victim.force_person_ref,
                    i.suspect.force_person_ref if i.suspect else "",
                    i.risk_grade,
                    ", ".join(i.abuse_types),
                    i.outcome_code,
                    i.offence,
                ]
            )
    return tracker, investigations
