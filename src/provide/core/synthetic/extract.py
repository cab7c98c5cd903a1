"""The synthetic dataset as rows of the FORMATS.md interchange files (A, B and C).

Pure functions: each returns the header and string rows, and the CLI writes them. Times are
ISO 8601 in Europe/London local time with their UTC offset; dates ISO 8601; booleans ``Y`` /
``N`` with blank for unknown; lists ``;``-separated.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from provide.core.synthetic.custody import SyntheticCustodyEvent
from provide.core.synthetic.generate import SyntheticDataset
from provide.core.synthetic.sampling import LONDON

INVESTIGATION_COLUMNS: tuple[str, ...] = (
    "investigation_ref", "incident_ref", "recorded_at", "first_police_visit_at", "bcu",
    "district", "crime_or_incident", "offence", "abuse_types", "relationship", "victim_id",
    "victim_name", "victim_dob", "victim_sex", "victim_postcode", "victim_lat", "victim_lon",
    "suspect_id", "suspect_name", "suspect_dob", "risk_tool", "risk_grade", "dash_yes_count",
    "children_in_household", "victim_pregnant", "vulnerabilities", "suspect_in_custody",
    "expected_release_at", "outcome_code", "outcome_date",
)  # fmt: skip
"""FORMATS.md A, in order."""

TRACKER_COLUMNS: tuple[str, ...] = (
    "tracker_id", "investigation_ref", "victim_id", "bcu", "mode", "police_visit_at",
    "idva_visit_at", "idva_support_offered", "idva_support_accepted",
    "prosecution_support_offered", "prosecution_support_accepted", "engaged_investigation",
    "engaged_safeguarding", "previously_engaged_investigation",
    "previously_engaged_safeguarding", "services", "referrals", "idva",
)  # fmt: skip
"""FORMATS.md B, in order."""

CUSTODY_COLUMNS: tuple[str, ...] = (
    "custody_ref", "suspect_id", "investigation_ref", "event", "event_at", "expected_release_at",
)  # fmt: skip
"""FORMATS.md C, in order."""


def format_datetime(moment: datetime | None) -> str:
    """ISO 8601 local London time with offset, e.g. ``2023-04-01T20:05:00+01:00``."""
    return "" if moment is None else moment.astimezone(LONDON).isoformat(timespec="seconds")


def format_date(day: date | None) -> str:
    """ISO 8601 date, blank for None."""
    return "" if day is None else day.isoformat()


def format_bool(value: bool | None) -> str:
    """``Y`` / ``N``, blank for unknown."""
    return "" if value is None else ("Y" if value else "N")


def format_list(values: tuple[str, ...]) -> str:
    """``;``-separated."""
    return ";".join(values)


def custody_at(
    events: tuple[SyntheticCustodyEvent, ...], as_of: datetime
) -> dict[str, datetime | None]:
    """Investigations whose suspect is in police custody at ``as_of``, with the expected release.

    Any event after the arrest (charge and remand to court included) ends the police episode.
    """
    open_episodes: dict[str, tuple[str, datetime | None]] = {}
    for event in events:
        if event.event_at > as_of:
            break
        if event.event == "arrested":
            open_episodes[event.custody_ref] = (event.investigation_ref, event.expected_release_at)
        else:
            open_episodes.pop(event.custody_ref, None)
    return dict(open_episodes.values())


def investigation_rows(
    dataset: SyntheticDataset, as_of: datetime | None = None
) -> Iterator[list[str]]:
    """FORMATS A rows; ``suspect_in_custody`` is as at ``as_of`` (default: end of the window)."""
    people = {person.person_ref: person for person in dataset.people}
    in_custody = custody_at(dataset.custody_events, as_of or dataset.end_at)
    for inv in dataset.investigations:
        victim = people[inv.victim_ref]
        suspect = people[inv.suspect_ref]
        custody = inv.investigation_ref in in_custody
        yield [
            inv.investigation_ref,
            inv.incident_ref,
            format_datetime(inv.recorded_at),
            format_datetime(inv.first_police_visit_at),
            inv.bcu,
            inv.district,
            inv.crime_or_incident,
            inv.offence,
            format_list(inv.abuse_types),
            inv.relationship,
            victim.person_ref,
            victim.full_name,
            format_date(victim.date_of_birth),
            victim.sex,
            victim.postcode,
            f"{victim.lat:.5f}",
            f"{victim.lon:.5f}",
            suspect.person_ref,
            suspect.full_name,
            format_date(suspect.date_of_birth),
            inv.risk_tool,
            inv.risk_grade,
            "" if inv.dash_yes_count is None else str(inv.dash_yes_count),
            str(inv.children_in_household),
            format_bool(inv.victim_pregnant),
            format_list(inv.vulnerabilities),
            format_bool(custody),
            format_datetime(in_custody.get(inv.investigation_ref)) if custody else "",
            inv.outcome_code or "",
            format_date(inv.outcome_on),
        ]


def tracker_rows(dataset: SyntheticDataset) -> Iterator[list[str]]:
    """FORMATS B rows."""
    for row in dataset.tracker_rows:
        yield [
            row.tracker_id,
            row.investigation_ref,
            row.victim_ref,
            row.bcu,
            row.mode,
            format_datetime(row.police_visit_at),
            format_datetime(row.idva_visit_at),
            format_bool(row.idva_support_offered),
            format_bool(row.idva_support_accepted),
            format_bool(row.prosecution_support_offered),
            format_bool(row.prosecution_support_accepted),
            format_bool(row.engaged_investigation),
            format_bool(row.engaged_safeguarding),
            format_bool(row.previously_engaged_investigation),
            format_bool(row.previously_engaged_safeguarding),
            format_list(row.services),
            format_list(row.referrals),
            row.idva,
        ]


def custody_rows(dataset: SyntheticDataset) -> Iterator[list[str]]:
    """FORMATS C rows."""
    for event in dataset.custody_events:
        yield [
            event.custody_ref,
            event.suspect_ref,
            event.investigation_ref,
            event.event,
            format_datetime(event.event_at),
            format_datetime(event.expected_release_at),
        ]
