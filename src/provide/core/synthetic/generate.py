"""Assemble a complete synthetic dataset for one or more Lancashire BCUs.

:func:`generate_dataset` runs the stages for each BCU in turn, each from its own named random
stream, so a BCU's data does not depend on which other BCUs were asked for:

1. investigations (arrivals, victims and suspects, risk, circumstances);
2. joint-team shifts from the BCU's go-live date;
3. joint-team visits and IDVA tracker rows (live visits become the first police visit);
4. custody episodes;
5. outcome codes for crimes closed by the end of the window.

The same arguments always give an identical dataset. Nothing here reads the clock or does I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from provide.core.synthetic.custody import SyntheticCustodyEvent, generate_custody
from provide.core.synthetic.geography import Bcu, lancashire_bcus, select_bcus
from provide.core.synthetic.investigations import (
    SyntheticInvestigation,
    draft_investigations,
    finalise,
)
from provide.core.synthetic.names import build_name_pools
from provide.core.synthetic.outcomes import assign_outcomes
from provide.core.synthetic.people import PersonFactory, SyntheticPerson
from provide.core.synthetic.sampling import local_midnight_utc, stream
from provide.core.synthetic.shifts import SyntheticShift, build_roster, generate_shifts
from provide.core.synthetic.tracker import SyntheticTrackerRow, generate_tracker

PERSON_REFS_PER_BCU = 1_000_000
"""Person refs are numbered per BCU: West P1000001..., South P2000001..., East P3000001..."""


@dataclass(frozen=True)
class SyntheticDataset:
    """Everything the generator produced, each collection in time (or reference) order."""

    bcus: tuple[Bcu, ...]
    people: tuple[SyntheticPerson, ...]
    investigations: tuple[SyntheticInvestigation, ...]
    custody_events: tuple[SyntheticCustodyEvent, ...]
    shifts: tuple[SyntheticShift, ...]
    tracker_rows: tuple[SyntheticTrackerRow, ...]
    seed: int
    start_on: date
    days: int

    @property
    def end_on(self) -> date:
        """The first day after the window."""
        return self.start_on + timedelta(days=self.days)

    @property
    def end_at(self) -> datetime:
        """Local midnight at the end of the window, in UTC: the 'as of' time of the data."""
        return local_midnight_utc(self.end_on)


def generate_dataset(
    *,
    start_on: date,
    days: int,
    seed: int,
    bcus: tuple[str, ...] | None = None,
    investigations_per_day_per_bcu: float = 25.0,
) -> SyntheticDataset:
    """Generate ``days`` days of synthetic data from ``start_on`` for the named BCUs (all three
    when ``bcus`` is None)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    selected = select_bcus(bcus)
    force_order = [bcu.name for bcu in lancashire_bcus()]
    names = build_name_pools(seed)
    end_on = start_on + timedelta(days=days)
    end_at = local_midnight_utc(end_on)
    people: list[SyntheticPerson] = []
    investigations: list[SyntheticInvestigation] = []
    custody: list[SyntheticCustodyEvent] = []
    shifts: list[SyntheticShift] = []
    tracker: list[SyntheticTrackerRow] = []
    for bcu in selected:
        number_base = (force_order.index(bcu.name) + 1) * PERSON_REFS_PER_BCU
        factory = PersonFactory(stream(seed, f"people/{bcu.name}"), names, start_on, number_base)
        drafts = draft_investigations(
            bcu=bcu,
            start_on=start_on,
            days=days,
            per_day=investigations_per_day_per_bcu,
            rng=stream(seed, f"investigations/{bcu.name}"),
            people=factory,
        )
        roster = build_roster(stream(seed, f"staff/{bcu.name}"), names, bcu)
        bcu_shifts = generate_shifts(bcu=bcu, start_on=start_on, days=days, roster=roster)
        tracker += generate_tracker(
            bcu=bcu, shifts=bcu_shifts, drafts=drafts, rng=stream(seed, f"tracker/{bcu.name}")
        )
        custody += generate_custody(
            bcu=bcu, drafts=drafts, end_at=end_at, rng=stream(seed, f"custody/{bcu.name}")
        )
        assign_outcomes(drafts, end_on, stream(seed, f"outcomes/{bcu.name}"))
        investigations += [finalise(draft) for draft in drafts]
        people += factory.people
        shifts += bcu_shifts
    return SyntheticDataset(
        bcus=selected,
        people=tuple(people),
        investigations=tuple(
            sorted(investigations, key=lambda i: (i.recorded_at, i.investigation_ref))
        ),
        custody_events=tuple(sorted(custody, key=lambda e: (e.event_at, e.custody_ref, e.event))),
        shifts=tuple(sorted(shifts, key=lambda s: (s.starts_at, s.bcu, s.team_name))),
        tracker_rows=tuple(sorted(tracker, key=lambda t: (t.idva_visit_at, t.tracker_id))),
        seed=seed,
        start_on=start_on,
        days=days,
    )


def trim_dataset(dataset: SyntheticDataset, investigations: int) -> SyntheticDataset:
    """Keep the first ``investigations`` investigations (by recorded time) and what refers to
    them: their people, visits and custody events, and the shifts up to the last kept day."""
    if investigations < 0 or investigations > len(dataset.investigations):
        raise ValueError(
            f"cannot keep {investigations} of {len(dataset.investigations)} investigations"
        )
    kept = dataset.investigations[:investigations]
    refs = {i.investigation_ref for i in kept}
    person_refs = {i.victim_ref for i in kept} | {i.suspect_ref for i in kept}
    last_day = max((i.recorded_at for i in kept), default=dataset.end_at)
    return replace(
        dataset,
        people=tuple(p for p in dataset.people if p.person_ref in person_refs),
        investigations=kept,
        custody_events=tuple(e for e in dataset.custody_events if e.investigation_ref in refs),
        shifts=tuple(s for s in dataset.shifts if s.starts_at <= last_day),
        tracker_rows=tuple(t for t in dataset.tracker_rows if t.investigation_ref in refs),
    )


def generate_exact(
    *,
    investigations: int,
    start_on: date,
    seed: int,
    bcus: tuple[str, ...] | None = None,
    investigations_per_day_per_bcu: float = 25.0,
    min_days: int = 1,
) -> SyntheticDataset:
    """Generate from ``start_on`` until exactly ``investigations`` investigations exist
    (at least ``min_days`` days), trimming the last day deterministically."""
    if investigations < 1:
        raise ValueError("investigations must be at least 1")
    per_day = investigations_per_day_per_bcu * len(select_bcus(bcus))
    days = max(min_days, math.ceil(investigations / per_day * 1.02) + 2)
    while True:
        dataset = generate_dataset(
            start_on=start_on,
            days=days,
            seed=seed,
            bcus=bcus,
            investigations_per_day_per_bcu=investigations_per_day_per_bcu,
        )
        if len(dataset.investigations) >= investigations:
            return trim_dataset(dataset, investigations)
        days = math.ceil(days * 1.1) + 1
