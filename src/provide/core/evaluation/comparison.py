"""Matched comparison group: visited victims against similar victims the team did not visit.

The published evaluations had no comparison group (seed 002). This module builds one from
the police extract by coarsened exact matching (Iacus, King & Porro 2012):

1. **Treated** — investigations in the selection that a tracker row refers to, by
   ``investigation_ref``; for tracker rows without a reference, the victim's latest
   investigation recorded at or before the visit (IDVA visit, else police visit) and no
   more than :data:`LINK_WINDOW` earlier.
2. **Candidate controls** — investigations in the selection whose victim appears nowhere
   in the tracker (never visited, in any period) and is not the victim of a treated
   investigation.
3. **Strata** — exact on BCU, calendar month of ``recorded_at`` (London), risk grade
   (blank = its own level), repeat-victim status (another investigation in the previous
   365 days) and a coarsened abuse profile: which of physical, sexual, coercive control and
   stalking/harassment are present, plus one flag for any other type.
4. **Weights** — strata with at least one treated and one control are kept; each treated
   investigation has weight 1 and each control ``n_treated / n_controls`` of its stratum, so
   the controls stand in for the treated group's mix: the estimate is the average effect on
   the treated (ATT).
5. **Outcomes**, each matched on its own eligible rows:

   * *positive outcome* — outcome type in the positive set, among investigations with any
     outcome type (as the positive-outcome rate);
   * *repeat victimisation within 12 months* — the victim has another investigation recorded
     within 365 days after, among investigations with a complete follow-up
     (``recorded_at + 365 days <= as_of``).

   Difference = treated rate − weighted control rate; 95 % Wald interval with the variance
   ``p_t(1 − p_t)/N_t + Σ w_i² (y_i − p_c)² / (Σ w_i)²`` (a linearisation that treats the
   weights as fixed and ignores the strata, which makes it somewhat conservative).

Limits: observational; selection on unobservables (the team chose whom to visit, on grounds
the extract does not record — willingness, custody, officer judgement), so the difference
is not a causal effect; unmatched treated investigations are dropped and reported; the
control pool shrinks as the programme's coverage grows; spill-over (controls helped by
officers trained alongside IDVAs) biases the difference towards zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from scipy import stats

from provide.core.evaluation.measures import (
    EVERYTHING,
    LONDON_KEY,
    REPEAT_WINDOW,
    Selection,
    flag_within,
    select_investigations,
)
from provide.core.evaluation.proportions import Proportion, proportion

LINK_WINDOW = timedelta(days=28)
"""How far before a visit a victim's investigation may be recorded to be linked without a reference."""

KEY_ABUSE_TYPES: tuple[str, ...] = ("physical", "sexual", "coercive_control", "stalking_harassment")
"""Abuse types matched individually; every other type is folded into one ``other`` flag."""

STRATA_COLUMNS: tuple[str, ...] = ("bcu", "month", "risk", "repeat", "abuse")


@dataclass(frozen=True)
class OutcomeComparison:
    """Matched difference for one outcome.

    Attributes
    ----------
    outcome : str
        ``"positive_outcome"`` or ``"repeat_within_12_months"``.
    eligible_treated, eligible_controls : int
        Rows eligible for this outcome before matching.
    matched_treated, matched_controls : int
        Rows in strata with both groups.
    strata : int
        Strata used.
    treated_rate : Proportion
        Observed rate among matched treated (Wilson interval).
    control_rate : float or None
        Weighted rate among matched controls.
    difference, ci_low, ci_high, p_value : float or None
        Treated minus control, 95 % Wald interval, two-sided z-test p-value.
    """

    outcome: str
    eligible_treated: int
    eligible_controls: int
    matched_treated: int
    matched_controls: int
    strata: int
    treated_rate: Proportion
    control_rate: float | None
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None


@dataclass(frozen=True)
class ComparisonResult:
    """Matched comparison of visited and not-visited victims' investigations.

    Attributes
    ----------
    tracker_rows : int
        Tracker rows considered.
    linked_by_reference, linked_by_victim, unlinked : int
        How tracker rows were tied to investigations.
    treated, controls : int
        Distinct treated investigations and candidate controls in the selection.
    outcomes : list of OutcomeComparison
    as_of : datetime or None
        End of follow-up for the repeat outcome.
    """

    tracker_rows: int
    linked_by_reference: int
    linked_by_victim: int
    unlinked: int
    treated: int
    controls: int
    outcomes: list[OutcomeComparison] = field(default_factory=list)
    as_of: datetime | None = None


def _abuse_profile(types: pd.Series) -> pd.Series:
    def profile(items: object) -> str:
        present = set(items) if isinstance(items, tuple | list) else set()
        flags = [t for t in KEY_ABUSE_TYPES if t in present]
        if present - set(KEY_ABUSE_TYPES):
            flags.append("other")
        return "+".join(flags) or "none"

    codes = types.map(lambda v: tuple(sorted(v)) if isinstance(v, tuple | list) else ())
    table = {u: profile(u) for u in pd.unique(codes)}
    return codes.map(table)


def strata_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the coarsened matching variables of investigations (one column each)."""
    local = frame["recorded_at"].dt.tz_convert(LONDON_KEY)
    return pd.DataFrame(
        {
            "bcu": frame["bcu"].fillna("?").astype(str),
            "month": (local.dt.year * 100 + local.dt.month).astype("Int64").astype(str),
            "risk": frame["risk_grade"].fillna("unknown").astype(str),
            "repeat": frame["repeat_victim"].astype(bool).astype(str),
            "abuse": _abuse_profile(frame["abuse_types"]),
        },
        index=frame.index,
    )


def link_tracker(
    tracker: pd.DataFrame, investigations: pd.DataFrame
) -> tuple[pd.Series, int, int, int]:
    """Tie tracker rows to investigations.

    Parameters
    ----------
    tracker : DataFrame
        Typed tracker rows.
    investigations : DataFrame
        Typed investigations (whole extract).

    Returns
    -------
    (Series, int, int, int)
        Linked ``investigation_ref`` values (unique), and counts of rows linked by
        reference, by victim and time, and not linked.
    """
    refs = set(investigations["investigation_ref"].dropna())
    by_ref = tracker["investigation_ref"].isin(refs)
    linked = list(tracker.loc[by_ref, "investigation_ref"])
    rest = tracker.loc[~by_ref & tracker["victim_id"].notna()].copy()
    rest["when"] = rest["idva_visit_at"].fillna(rest["police_visit_at"])
    rest = rest.loc[rest["when"].notna()]
    by_victim = 0
    if not rest.empty:
        left = rest[["victim_id", "when"]].sort_values("when")
        right = investigations.loc[
            investigations["victim_id"].notna(), ["victim_id", "recorded_at", "investigation_ref"]
        ].sort_values("recorded_at")
        joined = pd.merge_asof(
            left,
            right,
            left_on="when",
            right_on="recorded_at",
            by="victim_id",
            direction="backward",
            tolerance=pd.Timedelta(LINK_WINDOW),
        )
        found = joined["investigation_ref"].dropna()
        by_victim = len(found)
        linked.extend(found)
    unlinked = len(tracker) - int(by_ref.sum()) - by_victim
    return (
        pd.Series(pd.unique(pd.Series(linked, dtype=object)), dtype=object),
        int(by_ref.sum()),
        by_victim,
        unlinked,
    )


def matched_difference(
    outcome: str, y: pd.Series, treated: pd.Series, strata: pd.Series
) -> OutcomeComparison:
    """Coarsened-exact-matching ATT difference in a binary outcome.

    Parameters
    ----------
    outcome : str
        Name for the result.
    y : Series of bool
        Outcome per eligible row.
    treated : Series of bool
        Visited (True) or candidate control (False), aligned with ``y``.
    strata : Series
        Stratum key per row (any hashable values, e.g. ``groupby(...).ngroup()``).

    Returns
    -------
    OutcomeComparison

    Examples
    --------
    Two strata; in each, treated do 0.2 better than controls:

    >>> y = pd.Series([1, 1, 0, 0, 0, 1, 1, 1, 0, 0] * 2, dtype=bool)
    >>> treated = pd.Series([True] * 5 + [False] * 5 + [True] * 5 + [False] * 5)
    >>> strata = pd.Series(["a"] * 10 + ["b"] * 10)
    >>> result = matched_difference("x", y, treated, strata)
    >>> round(result.difference, 6), result.strata
    (-0.2, 2)
    """
    frame = pd.DataFrame(
        {
            "y": y.astype(bool).to_numpy(),
            "t": treated.astype(bool).to_numpy(),
            "s": strata.to_numpy(),
        }
    )
    counts = frame.groupby("s")["t"].agg(n_t="sum", n="size")
    counts["n_c"] = counts["n"] - counts["n_t"]
    usable = counts.loc[(counts["n_t"] > 0) & (counts["n_c"] > 0)]
    matched = frame.loc[frame["s"].isin(usable.index)]
    t_rows = matched.loc[matched["t"]]
    c_rows = matched.loc[~matched["t"]]
    treated_rate = proportion(int(t_rows["y"].sum()), len(t_rows))
    base = OutcomeComparison(
        outcome=outcome,
        eligible_treated=int(frame["t"].sum()),
        eligible_controls=int((~frame["t"]).sum()),
        matched_treated=len(t_rows),
        matched_controls=len(c_rows),
        strata=len(usable),
        treated_rate=treated_rate,
        control_rate=None,
        difference=None,
        ci_low=None,
        ci_high=None,
        p_value=None,
    )
    if t_rows.empty:
        return base
    weight = c_rows["s"].map(usable["n_t"] / usable["n_c"]).to_numpy(dtype=float)
    yc = c_rows["y"].to_numpy(dtype=float)
    yt = t_rows["y"].to_numpy(dtype=float)
    p_c = float(np.sum(weight * yc) / np.sum(weight))
    p_t = float(yt.mean())
    var_t = p_t * (1 - p_t) / len(yt)
    var_c = float(np.sum(weight**2 * (yc - p_c) ** 2) / np.sum(weight) ** 2)
    diff = p_t - p_c
    se = math.sqrt(var_t + var_c)
    z = float(stats.norm.ppf(0.975))
    p_value = float(2 * stats.norm.sf(abs(diff) / se)) if se > 0 else None
    return replace(
        base,
        control_rate=p_c,
        difference=diff,
        ci_low=diff - z * se if se > 0 else None,
        ci_high=diff + z * se if se > 0 else None,
        p_value=p_value,
    )


def compare_matched(
    tracker: pd.DataFrame,
    investigations: pd.DataFrame,
    *,
    selection: Selection = EVERYTHING,
    as_of: datetime | None = None,
) -> ComparisonResult:
    """Matched comparison of visited and not-visited victims (see the module docstring).

    Parameters
    ----------
    tracker : DataFrame
        Typed, de-duplicated tracker rows: the *whole* tracker, so that any victim ever
        visited is kept out of the controls.
    investigations : DataFrame
        From :func:`~provide.core.evaluation.measures.prepare_investigations` (whole extract).
    selection : Selection
        Which investigations are compared (BCU, period of ``recorded_at``).
    as_of : datetime, optional
        End of follow-up (aware). Default: the latest ``recorded_at`` in the extract — the
        data's own horizon, not the wall clock.

    Returns
    -------
    ComparisonResult
    """
    linked, by_ref, by_victim, unlinked = link_tracker(tracker, investigations)
    chosen = select_investigations(investigations, selection)
    is_treated = chosen["investigation_ref"].isin(set(linked))
    visited_victims = set(tracker["victim_id"].dropna()) | set(
        chosen.loc[is_treated, "victim_id"].dropna()
    )
    is_control = ~is_treated & ~chosen["victim_id"].isin(visited_victims)
    pool = chosen.loc[is_treated | is_control].copy()
    pool["treated"] = is_treated.loc[pool.index]
    horizon = as_of or (
        investigations["recorded_at"].max().floor("us").to_pydatetime()
        if len(investigations)
        else None
    )
    result = ComparisonResult(
        tracker_rows=len(tracker),
        linked_by_reference=by_ref,
        linked_by_victim=by_victim,
        unlinked=unlinked,
        treated=int(pool["treated"].sum()),
        controls=int((~pool["treated"]).sum()),
        as_of=horizon,
    )
    if pool.empty:
        return result
    keys = strata_keys(pool)
    stratum = keys.groupby(list(STRATA_COLUMNS), sort=False, dropna=False).ngroup()
    with_outcome = pool["has_outcome"]
    result.outcomes.append(
        matched_difference(
            "positive_outcome",
            pool.loc[with_outcome, "positive_outcome"],
            pool.loc[with_outcome, "treated"],
            stratum.loc[with_outcome],
        )
    )
    if horizon is not None:
        after = flag_within(investigations, key="victim_id", direction="after")
        complete = pool["recorded_at"] + pd.Timedelta(REPEAT_WINDOW) <= pd.Timestamp(horizon)
        result.outcomes.append(
            matched_difference(
                "repeat_within_12_months",
                after.loc[pool.index[complete.to_numpy(dtype=bool)]],
                pool.loc[complete, "treated"],
                stratum.loc[complete],
            )
        )
    return result
