"""Joint-team visits and the IDVA tracker rows they produce.

Each shift makes 3-6 visits (4.5 on average) at times spread through the shift. A visit is
live (the team is sent to an incident called in within the last two hours, about 20%), a
consultation (about 5%) or post-incident (the rest). Post-incident visits pick a victim whose
first police visit was within 24 hours, 1-7 days or 1-4 weeks ago, favouring high risk, so
that about 65% of visits happen within 24 hours, as in the West evaluation.

The victim's answers follow the seeds' figures: IDVA support accepted by about 86% (about 90%
within 24 h, 82% within a week, 70% later, and less later in the day), prosecution support by
about 44%, engagement with the investigation about 41% and with safeguarding about 67%.
A few answers are left blank, as in real trackers.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from provide.core.synthetic.geography import Bcu
from provide.core.synthetic.investigations import DraftInvestigation
from provide.core.synthetic.sampling import LONDON, WeightedChoice, chance, logistic, logit
from provide.core.synthetic.shifts import SyntheticShift

VISITS_PER_SHIFT = WeightedChoice([(3, 15.0), (4, 35.0), (5, 35.0), (6, 15.0)])
MODES = WeightedChoice([("live", 28.0), ("consultation", 5.0), ("post-incident", 67.0)])
POST_INCIDENT_BANDS = WeightedChoice([(0, 44.0), (1, 45.0), (2, 11.0)])
"""Delay band sought for a post-incident visit: 0 = within 24 h, 1 = 24 h-1 week, 2 = later."""
BAND_WINDOWS_HOURS: tuple[tuple[float, float], ...] = ((1.0, 24.0), (24.0, 168.0), (168.0, 672.0))
"""(youngest, oldest) age in hours of the first police visit for each delay band."""

ACCEPTANCE_BY_BAND = (0.91, 0.82, 0.70)
"""Chance of accepting IDVA support when offered, by delay band, at the mean visit hour."""
HOUR_SLOPE = -0.07
"""Change in the log-odds of accepting support per hour later in the day."""
MEAN_VISIT_HOUR = 14.5
IDVA_OFFER_RATE = 0.98
PROSECUTION_OFFER_RATE = {True: 0.95, False: 0.75}
"""Chance prosecution support is offered, for crimes (True) and non-crime incidents."""
PROSECUTION_ACCEPTANCE = {True: 0.54, False: 0.14}
"""Chance of accepting prosecution support if offered, given IDVA support accepted or not."""
ENGAGED_INVESTIGATION = {True: 0.75, False: 0.15}
"""Chance of engaging with the investigation, given prosecution support accepted or not."""
ENGAGED_SAFEGUARDING = {True: 0.75, False: 0.22}
"""Chance of engaging with safeguarding advice, given IDVA support accepted or not."""
PREVIOUSLY_ENGAGED = (0.144, 0.215)
"""Self-reported earlier engagement of repeat victims (investigation, safeguarding)."""
BLANK_RATE = 0.025
"""Chance that any one tracker answer is left blank."""
NO_CONTACT_RATE = 0.04
"""Chance a post-incident visit finds nobody to speak to."""

PLACES_POST_INCIDENT = WeightedChoice(
    [("home", 68.0), ("gp", 7.0), ("dental", 2.0), ("hospital", 6.0), ("police_station", 7.0),
     ("other_safe_place", 10.0)]
)  # fmt: skip
PLACES_LIVE = WeightedChoice([("home", 90.0), ("other_safe_place", 10.0)])
SERVICE_RATES_ACCEPTED = {
    "risk_assessment": 0.95,
    "safety_planning": 0.8,
    "emotional_support": 0.85,
    "signposting": 0.7,
    "social_welfare": 0.3,
}
SERVICE_RATES_DECLINED = {"risk_assessment": 0.5, "signposting": 0.6}
REFERRAL_RATES = {
    "safeguarding_unit": 0.55,
    "refuge": 0.05,
    "housing": 0.12,
    "mental_health": 0.1,
    "drug_alcohol": 0.06,
    "gp": 0.15,
    "dvds": 0.05,
    "other": 0.03,
}


@dataclass(frozen=True)
class SyntheticTrackerRow:
    """One joint-team attendance as the IDVA tracker records it (FORMATS.md B, plus extras)."""

    tracker_id: str
    investigation_ref: str
    victim_ref: str
    bcu: str
    mode: str
    police_visit_at: datetime
    idva_visit_at: datetime
    idva_support_offered: bool | None
    idva_support_accepted: bool | None
    prosecution_support_offered: bool | None
    prosecution_support_accepted: bool | None
    engaged_investigation: bool | None
    engaged_safeguarding: bool | None
    previously_engaged_investigation: bool | None
    previously_engaged_safeguarding: bool | None
    services: tuple[str, ...]
    referrals: tuple[str, ...]
    idva: str
    place_type: str
    contact_result: str
    team_name: str
    shift_pattern: str


def _visit_weight(draft: DraftInvestigation) -> float:
    """How strongly triage favours a case (1 = always taken when found)."""
    extra_need = bool(draft.vulnerabilities) or draft.children_in_household > 0
    if draft.risk_grade == "high":
        weight = 1.0
    elif draft.risk_grade == "medium":
        weight = 0.4 + (0.25 if extra_need else 0.0)
    else:
        weight = 0.05 + (0.12 if extra_need else 0.0)
    return min(1.0, weight + (0.1 if draft.repeat_victim else 0.0))


_LIVE_WEIGHT = {"high": 1.0, "medium": 0.75, "standard": 0.45}


class _Candidates:
    """A BCU's investigations indexed by call time and by first police visit time."""

    def __init__(self, drafts: list[DraftInvestigation]) -> None:
        self.drafts = drafts
        self.recorded = [d.recorded_at.timestamp() for d in drafts]
        self.by_visit = sorted(drafts, key=lambda d: d.first_police_visit_at)
        self.visited_ts = [d.first_police_visit_at.timestamp() for d in self.by_visit]
        self.weights = [_visit_weight(d) for d in self.by_visit]

    def live(self, rng: random.Random, now: float) -> DraftInvestigation | None:
        lo = bisect.bisect_left(self.recorded, now - 120 * 60)
        hi = bisect.bisect_right(self.recorded, now - 5 * 60)
        for _ in range(min(30, 4 * (hi - lo))):
            draft = self.drafts[rng.randrange(lo, hi)]
            if not draft.visited and rng.random() < _LIVE_WEIGHT[draft.risk_grade]:
                return draft
        return None

    def post_incident(self, rng: random.Random, now: float, band: int) -> DraftInvestigation | None:
        youngest, oldest = BAND_WINDOWS_HOURS[band]
        lo = bisect.bisect_left(self.visited_ts, now - oldest * 3600)
        hi = bisect.bisect_right(self.visited_ts, now - youngest * 3600)
        for _ in range(min(60, 4 * (hi - lo))):
            index = rng.randrange(lo, hi)
            draft = self.by_visit[index]
            if not draft.visited and rng.random() < self.weights[index]:
                return draft
        return None


def _blank(rng: random.Random, value: bool) -> bool | None:
    return None if rng.random() < BLANK_RATE else value


def _slot_times(rng: random.Random, shift: SyntheticShift) -> list[float]:
    start = shift.starts_at.timestamp()
    last = shift.ends_at.timestamp() - 20 * 60
    moment = start + rng.uniform(25, 60) * 60
    times: list[float] = []
    for _ in range(VISITS_PER_SHIFT(rng)):
        if moment > last:
            break
        times.append(math.floor(moment / 60) * 60)
        moment += rng.uniform(60, 95) * 60
    return times


def _band_of(delay_hours: float) -> int:
    if delay_hours <= 24:
        return 0
    return 1 if delay_hours <= 168 else 2


def generate_tracker(
    *,
    bcu: Bcu,
    shifts: list[SyntheticShift],
    drafts: list[DraftInvestigation],
    rng: random.Random,
) -> list[SyntheticTrackerRow]:
    """Plan the BCU's joint-team visits shift by shift and record each as a tracker row.

    Marks each visited draft (``visited``, ``prosecution_support``); a live visit becomes the
    investigation's first police visit.
    """
    candidates = _Candidates(drafts)
    rows: list[SyntheticTrackerRow] = []
    for shift in shifts:
        for now in _slot_times(rng, shift):
            mode = MODES(rng)
            draft: DraftInvestigation | None = None
            if mode == "live":
                draft = candidates.live(rng, now)
                if draft is None:
                    mode = "post-incident"
                    draft = candidates.post_incident(rng, now, 0)
                else:
                    draft.first_police_visit_at = datetime.fromtimestamp(now, tz=UTC)
            if mode == "consultation":
                draft = candidates.post_incident(rng, now, 0)
            elif mode == "post-incident" and draft is None:
                wanted = POST_INCIDENT_BANDS(rng)
                for band in (wanted, *(b for b in (0, 1, 2) if b != wanted)):
                    draft = candidates.post_incident(rng, now, band)
                    if draft is not None:
                        break
            if draft is None:
                continue
            draft.visited = True
            rows.append(_record_visit(rng, bcu, shift, draft, mode, now, len(rows) + 1))
    return rows


def _record_visit(
    rng: random.Random,
    bcu: Bcu,
    shift: SyntheticShift,
    draft: DraftInvestigation,
    mode: str,
    now: float,
    number: int,
) -> SyntheticTrackerRow:
    visit_at = datetime.fromtimestamp(now, tz=UTC)
    police_at = draft.first_police_visit_at
    band = _band_of((now - police_at.timestamp()) / 3600)
    if mode == "live":
        place = PLACES_LIVE(rng)
    elif mode == "consultation":
        place = "police_station"
    else:
        place = PLACES_POST_INCIDENT(rng)
    repeat = draft.repeat_victim
    previously_investigation = _blank(rng, chance(rng, PREVIOUSLY_ENGAGED[0])) if repeat else None
    previously_safeguarding = _blank(rng, chance(rng, PREVIOUSLY_ENGAGED[1])) if repeat else None
    answers: tuple[bool | None, ...]
    services: tuple[str, ...] = ()
    referrals: tuple[str, ...] = ()
    if mode == "post-incident" and chance(rng, NO_CONTACT_RATE):
        answers = (None,) * 6
        contact_result = "no_contact"
    else:
        local = visit_at.astimezone(LONDON)
        shift_logit = HOUR_SLOPE * (local.hour + local.minute / 60 - MEAN_VISIT_HOUR)
        idva_offered = chance(rng, IDVA_OFFER_RATE)
        idva_accepted = idva_offered and chance(
            rng, logistic(logit(ACCEPTANCE_BY_BAND[band]) + shift_logit)
        )
        pros_offered = chance(rng, PROSECUTION_OFFER_RATE[draft.crime])
        pros_accepted = pros_offered and chance(
            rng, logistic(logit(PROSECUTION_ACCEPTANCE[idva_accepted]) + shift_logit)
        )
        engaged_investigation = chance(rng, ENGAGED_INVESTIGATION[pros_accepted])
        engaged_safeguarding = chance(rng, ENGAGED_SAFEGUARDING[idva_accepted])
        draft.prosecution_support = pros_accepted
        answers = tuple(
            _blank(rng, value)
            for value in (
                idva_offered,
                idva_accepted,
                pros_offered,
                pros_accepted,
                engaged_investigation,
                engaged_safeguarding,
            )
        )
        services = _services(rng, idva_accepted, pros_accepted)
        referrals = _referrals(rng, draft)
        contact_result = "engaged" if idva_accepted or engaged_safeguarding else "declined"
    return SyntheticTrackerRow(
        tracker_id=f"SYN-T-{bcu.code}-{number:06d}",
        investigation_ref=draft.investigation_ref,
        victim_ref=draft.victim.person_ref,
        bcu=bcu.name,
        mode=mode,
        police_visit_at=police_at,
        idva_visit_at=visit_at,
        idva_support_offered=answers[0],
        idva_support_accepted=answers[1],
        prosecution_support_offered=answers[2],
        prosecution_support_accepted=answers[3],
        engaged_investigation=answers[4],
        engaged_safeguarding=answers[5],
        previously_engaged_investigation=previously_investigation,
        previously_engaged_safeguarding=previously_safeguarding,
        services=services,
        referrals=referrals,
        idva=shift.idva_name,
        place_type=place,
        contact_result=contact_result,
        team_name=shift.team_name,
        shift_pattern=shift.pattern,
    )


def _services(rng: random.Random, idva_accepted: bool, pros_accepted: bool) -> tuple[str, ...]:
    rates = SERVICE_RATES_ACCEPTED if idva_accepted else SERVICE_RATES_DECLINED
    chosen = {service for service, rate in rates.items() if chance(rng, rate)}
    if idva_accepted and chance(rng, 0.8 if pros_accepted else 0.15):
        chosen.add("cjs_advocacy")
    order = ("risk_assessment", "safety_planning", "emotional_support", "signposting",
             "cjs_advocacy", "social_welfare")  # fmt: skip
    return tuple(service for service in order if service in chosen)


def _referrals(rng: random.Random, draft: DraftInvestigation) -> tuple[str, ...]:
    high = draft.risk_grade == "high"
    chosen = {target for target, rate in REFERRAL_RATES.items() if chance(rng, rate)}
    if high and chance(rng, 0.85):
        chosen.add("marac")
    if chance(rng, 0.25 if high else 0.08):
        chosen.add("alarm")
    if chance(rng, 0.1 if high else 0.03):
        chosen.add("protection_order")
    if draft.children_in_household and chance(rng, 0.5):
        chosen.add("childrens_services")
    return tuple(sorted(chosen))
