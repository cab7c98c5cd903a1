"""Every measure of FORMATS.md "Measure definitions", implemented once.

The JSON output, the HTML/PDF report and the dashboard all call :func:`compute_measures`
(or the single-measure functions below); nothing else computes these numbers.

Inputs are the typed tables of :mod:`provide.core.evaluation.tables`; every public function
also accepts plain rows or an untyped DataFrame and types them first. Time is UTC
throughout, so a delay spanning a clock change is the true elapsed time; *calendar*
questions (hour of day, which day a row falls on, financial quarter) are answered in
Europe/London local time.

Definitions (T = tracker rows in the selection after de-duplicating ``tracker_id``):

* **delay** = ``idva_visit_at - police_visit_at`` for rows with both. A negative delay is a
  data error: it is listed and excluded from the delay measures only (the row still counts
  for acceptance and engagement).
* **delay bands**: ``<=24h`` (delay <= 24:00:00), ``24h-1wk`` (24 h < delay <= 7 days),
  ``>1wk`` (delay > 7 days). Exactly 24 h is ``<=24h``; exactly 7 days is ``24h-1wk``.
* **share within 24 h** = rows in ``<=24h`` / rows with a valid (non-negative) delay.
* **IDVA support acceptance** = rows with ``idva_support_accepted`` true / rows where it is
  known. Likewise prosecution support acceptance, engagement with the investigation and
  with safeguarding. Blank is unknown, not "no".
* **acceptance by delay band** = IDVA support acceptance within each band, with Pearson's
  chi-square test of independence (bands x accepted), no continuity correction.
* **acceptance by hour** = acceptance by the Europe/London hour (0-23) of ``idva_visit_at``,
  with a logistic regression ``logit P(accept) = b0 + b1 * hour``; reported: ``exp(b1)`` (the
  odds ratio per hour later in the day) and its Wald p-value.
* **positive outcome rate** per BCU per financial quarter of ``recorded_at`` (Q1 =
  April-June, labelled ``2021/22 Q3``) = investigations with outcome type in
  {1, 1A, 2, 3, 4, 6, 7, 8} / investigations with any outcome type.
* **repeat victim** = the same ``victim_id`` has another investigation recorded in the
  365 days (365 x 24 h, inclusive) before this one. The look-back uses the whole extract,
  not only the selection.

Selection: a tracker row belongs to a period by the London date of ``idva_visit_at``
(``police_visit_at`` when the IDVA time is blank; rows with neither are left out when a
period is given); an investigation by the London date of ``recorded_at``. BCU matching is
case-insensitive. Duplicated ``tracker_id``: the **last** row in the file wins (a later row
is taken to be the correction); conflicting duplicates are listed.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from provide.core.evaluation.engagement import EngagementChange, engagement_change
from provide.core.evaluation.proportions import (
    Proportion,
    proportion,
    proportions_from_arrays,
)
from provide.core.evaluation.selection import Selection as Selection  # re-exported: its old home
from provide.core.evaluation.tables import TableInput, investigation_frame, tracker_frame

LONDON_KEY = "Europe/London"

DELAY_BANDS: tuple[str, str, str] = ("<=24h", "24h-1wk", ">1wk")
"""Delay band labels, shortest first (ASCII forms of ≤24h, 24h–1wk, >1wk)."""

DAY = timedelta(hours=24)
WEEK = timedelta(days=7)

POSITIVE_OUTCOME_CODES: frozenset[str] = frozenset({"1", "1A", "2", "3", "4", "6", "7", "8"})
"""Home Office outcome types counted as positive (charge/summons, cautions, TIC, PND,
cannabis/khat warning, community resolution). DOMAIN.md §5."""

REPEAT_WINDOW = timedelta(days=365)
ENGAGEMENT_KINDS = ("investigation", "safeguarding")
"""The two kinds of engagement measured before and after the visit."""
"""Look-back (and follow-up) window for repeat victimisation."""

PROPORTION_COLUMNS: dict[str, str] = {
    "idva_support_acceptance": "idva_support_accepted",
    "prosecution_support_acceptance": "prosecution_support_accepted",
    "engaged_investigation": "engaged_investigation",
    "engaged_safeguarding": "engaged_safeguarding",
}
"""Output name -> tracker column of the four acceptance/engagement proportions."""


EVERYTHING = Selection()
"""The selection of all rows (every BCU, whole period)."""


def _in_period(times: pd.Series, selection: Selection) -> pd.Series:
    """Mask of times (UTC) whose London date lies in the selection period; NaT is False."""
    mask = times.notna()
    if selection.date_from is not None:
        start = pd.Timestamp(
            datetime.combine(selection.date_from, datetime.min.time())
        ).tz_localize(LONDON_KEY)
        mask &= times >= start
    if selection.date_to is not None:
        end = pd.Timestamp(
            datetime.combine(selection.date_to + timedelta(days=1), datetime.min.time())
        ).tz_localize(LONDON_KEY)
        mask &= times < end
    return mask.fillna(False).astype(bool)


def _bcu_mask(bcus: pd.Series, bcu: str | None) -> pd.Series:
    if bcu is None:
        return pd.Series(True, index=bcus.index)
    wanted = bcu.strip().casefold()
    return bcus.map(lambda b: isinstance(b, str) and b.strip().casefold() == wanted).astype(bool)


# --------------------------------------------------------------------------- tracker


@dataclass(frozen=True)
class NegativeDelay:
    """A tracker row whose IDVA visit is recorded before the police visit (a data error)."""

    tracker_id: str
    row: int
    delay_hours: float


@dataclass(frozen=True)
class TrackerSelection:
    """The tracker table after de-duplication and selection, with delay columns.

    Attributes
    ----------
    frame : DataFrame
        Typed tracker rows plus ``delay_seconds`` (float, NaN when a time is missing),
        ``valid_delay`` (bool), ``delay_band`` (one of :data:`DELAY_BANDS` or ``None``).
    input_rows : int
        Rows before de-duplication.
    duplicate_rows : int
        Rows dropped as repeats of a ``tracker_id``.
    conflicting_ids : tuple of str
        ``tracker_id`` values whose repeated rows disagree (the last row was used).
    undated_rows : int
        Rows left out because a period was selected and they had no visit time.
    """

    frame: pd.DataFrame
    input_rows: int
    duplicate_rows: int
    conflicting_ids: tuple[str, ...]
    undated_rows: int


def delay_band(delay: timedelta) -> str | None:
    """Return the delay band of one delay.

    Parameters
    ----------
    delay : timedelta
        ``idva_visit_at - police_visit_at``.

    Returns
    -------
    str or None
        ``"<=24h"`` for 0 <= delay <= 24 h, ``"24h-1wk"`` for 24 h < delay <= 7 days,
        ``">1wk"`` beyond; ``None`` for a negative delay (a data error).

    Examples
    --------
    >>> delay_band(timedelta(hours=24)), delay_band(timedelta(days=7)), delay_band(timedelta(days=7, seconds=1))
    ('<=24h', '24h-1wk', '>1wk')
    """
    if delay < timedelta(0):
        return None
    if delay <= DAY:
        return DELAY_BANDS[0]
    if delay <= WEEK:
        return DELAY_BANDS[1]
    return DELAY_BANDS[2]


def deduplicate_tracker(frame: pd.DataFrame) -> tuple[pd.DataFrame, int, tuple[str, ...]]:
    """Keep the last row of each ``tracker_id``.

    Returns
    -------
    (DataFrame, int, tuple of str)
        The de-duplicated rows (file order), the number of rows dropped, and the ids whose
        repeated rows disagree in any column other than ``row``.
    """
    repeated = frame["tracker_id"].duplicated(keep=False)
    conflicting: tuple[str, ...] = ()
    if repeated.any():
        columns = [c for c in frame.columns if c != "row"]
        copies = frame.loc[repeated, columns].astype(str).drop_duplicates()
        counts = copies["tracker_id"].value_counts()
        conflicting = tuple(sorted(counts[counts > 1].index.astype(str)))
    keep = ~frame["tracker_id"].duplicated(keep="last")
    return frame.loc[keep].reset_index(drop=True), int((~keep).sum()), conflicting


def add_delays(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with ``delay_seconds``, ``valid_delay`` and ``delay_band`` columns."""
    out = frame.copy()
    seconds = (out["idva_visit_at"] - out["police_visit_at"]).dt.total_seconds()
    out["delay_seconds"] = seconds.astype(float)
    valid = seconds.notna() & (seconds >= 0)
    out["valid_delay"] = valid.astype(bool)
    band = np.select(
        [
            valid & (seconds <= DAY.total_seconds()),
            valid & (seconds <= WEEK.total_seconds()),
            valid,
        ],
        list(DELAY_BANDS),
        default="",
    )
    out["delay_band"] = pd.Series(band, index=out.index, dtype=object).replace("", None)
    return out


def select_tracker(tracker: TableInput, selection: Selection = EVERYTHING) -> TrackerSelection:
    """De-duplicate, select and add delays: the table T of FORMATS.md.

    Parameters
    ----------
    tracker : DataFrame or rows
        Tracker rows (typed by :func:`~provide.core.evaluation.tables.tracker_frame`).
    selection : Selection
        BCU and period.

    Returns
    -------
    TrackerSelection
    """
    frame = tracker_frame(tracker)
    input_rows = len(frame)
    frame, dropped, conflicting = deduplicate_tracker(frame)
    mask = _bcu_mask(frame["bcu"], selection.bcu)
    undated = 0
    if selection.date_from is not None or selection.date_to is not None:
        when = frame["idva_visit_at"].fillna(frame["police_visit_at"])
        undated = int((mask & when.isna()).sum())
        mask &= _in_period(when, selection)
    selected = add_delays(frame.loc[mask].reset_index(drop=True))
    return TrackerSelection(selected, input_rows, dropped, conflicting, undated)


def boolean_proportion(column: pd.Series) -> Proportion:
    """True rows / known rows of a nullable boolean column (blank = unknown, excluded).

    Examples
    --------
    >>> boolean_proportion(pd.Series([True, False, None, True], dtype="boolean")).as_dict()["den"]
    3
    """
    known = column.notna()
    num = int(column[known].astype(bool).sum())
    return proportion(num, int(known.sum()))


def share_within_24h(frame: pd.DataFrame) -> Proportion:
    """Rows in the ``<=24h`` band / rows with a valid delay (frame from :func:`add_delays`)."""
    valid = frame["valid_delay"]
    return proportion(int((frame["delay_band"] == DELAY_BANDS[0]).sum()), int(valid.sum()))


@dataclass(frozen=True)
class DelayBandAcceptance:
    """IDVA support acceptance within each delay band, and the chi-square test.

    Attributes
    ----------
    bands : dict of str to Proportion
        Keyed by :data:`DELAY_BANDS`.
    chi2, p_value : float or None
        Pearson chi-square (no continuity correction) over the bands that have rows;
        ``None`` when fewer than two bands have rows or every answer is the same.
    dof : int or None
    min_expected : float or None
        Smallest expected cell count; below 5 the chi-square approximation is doubtful.
    """

    bands: dict[str, Proportion]
    chi2: float | None
    p_value: float | None
    dof: int | None
    min_expected: float | None


def chi_square_independence(table: np.ndarray) -> tuple[float, float, int, float] | None:
    """Pearson chi-square test of independence without continuity correction.

    Parameters
    ----------
    table : array (r, c)
        Counts. Rows or columns that are all zero are dropped first.

    Returns
    -------
    (chi2, p_value, dof, min_expected) or None
        ``None`` when fewer than two rows or columns remain.

    Examples
    --------
    >>> chi, p, dof, _ = chi_square_independence(np.array([[42, 8], [43, 27]]))
    >>> round(chi, 4), dof
    (7.1925, 1)
    """
    counts = np.asarray(table, dtype=float)
    counts = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]
    if counts.shape[0] < 2 or counts.shape[1] < 2:
        return None
    result = stats.chi2_contingency(counts, correction=False)
    expected = np.asarray(result.expected_freq, dtype=float)
    return float(result.statistic), float(result.pvalue), int(result.dof), float(expected.min())


def acceptance_by_delay_band(
    frame: pd.DataFrame, column: str = "idva_support_accepted"
) -> DelayBandAcceptance:
    """Acceptance within each delay band with a chi-square test (frame from :func:`add_delays`).

    Parameters
    ----------
    frame : DataFrame
        Rows with ``delay_band`` and the boolean ``column``.
    column : str, default ``"idva_support_accepted"``

    Returns
    -------
    DelayBandAcceptance
    """
    rows = frame.loc[frame["valid_delay"] & frame[column].notna(), ["delay_band", column]]
    bands: dict[str, Proportion] = {}
    table = []
    for band in DELAY_BANDS:
        answers = rows.loc[rows["delay_band"] == band, column].astype(bool)
        yes, n = int(answers.sum()), len(answers)
        bands[band] = proportion(yes, n)
        table.append([yes, n - yes])
    test = chi_square_independence(np.array(table))
    if test is None:
        return DelayBandAcceptance(bands, None, None, None, None)
    chi2, p, dof, min_expected = test
    return DelayBandAcceptance(bands, chi2, p, dof, min_expected)


@dataclass(frozen=True)
class HourAcceptance:
    """Acceptance by London hour of the IDVA visit, with a logistic regression on hour.

    Attributes
    ----------
    by_hour : dict of int to Proportion
        Hours 0-23 that have rows.
    n : int
        Rows used (visit time and answer both known).
    odds_ratio_per_hour, or_ci_low, or_ci_high, p_value : float or None
        ``exp(b1)``, its 95 % Wald interval and Wald p-value; ``None`` when the model cannot
        be fitted (see ``note``).
    note : str or None
        Why there is no model, or a warning from the fit.
    """

    by_hour: dict[int, Proportion]
    n: int
    odds_ratio_per_hour: float | None
    or_ci_low: float | None
    or_ci_high: float | None
    p_value: float | None
    note: str | None = None


def local_hour(times: pd.Series) -> pd.Series:
    """Europe/London hour (0-23) of UTC times.

    Examples
    --------
    >>> local_hour(pd.Series(pd.to_datetime(["2022-06-01T00:30Z", "2022-01-01T00:30Z"]))).tolist()
    [1, 0]
    """
    return times.dt.tz_convert(LONDON_KEY).dt.hour


def logistic_trend(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float] | str:
    """Fit ``logit P(y=1) = b0 + b1 x`` by maximum likelihood (statsmodels ``Logit``).

    Parameters
    ----------
    x : array
        Predictor (hour of day).
    y : array of 0/1
        Outcome.

    Returns
    -------
    (odds_ratio, ci_low, ci_high, wald_p) or str
        ``exp(b1)``, its 95 % Wald interval and the Wald p-value of ``b1``; or the reason
        there is no estimate (too few rows, one answer or one hour only, or no convergence,
        which is what (quasi-)complete separation produces).
    """
    if len(y) < 3:
        return f"no model: {len(y)} row(s)"
    if np.unique(y).size < 2:
        return "no model: every row has the same answer"
    if np.unique(x).size < 2:
        return "no model: every visit is in the same hour"
    design = sm.add_constant(x.astype(float), has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # non-convergence is checked below, not printed
        try:
            fit = sm.Logit(y.astype(float), design).fit(disp=0, maxiter=100)
        except (np.linalg.LinAlgError, ValueError) as error:
            return f"no model: the fit failed ({error})"
    if not fit.mle_retvals.get("converged", False):
        return "no model: the fit did not converge (answers are separated by hour)"
    beta = float(fit.params[1])
    se = float(fit.bse[1])
    z = float(stats.norm.ppf(0.975))
    return (
        float(np.exp(beta)),
        float(np.exp(beta - z * se)),
        float(np.exp(beta + z * se)),
        float(fit.pvalues[1]),
    )


def acceptance_by_hour(
    frame: pd.DataFrame, column: str = "idva_support_accepted"
) -> HourAcceptance:
    """Acceptance by London hour of ``idva_visit_at`` with a logistic regression on hour.

    Parameters
    ----------
    frame : DataFrame
        Typed tracker rows.
    column : str, default ``"idva_support_accepted"``

    Returns
    -------
    HourAcceptance
    """
    rows = frame.loc[frame["idva_visit_at"].notna() & frame[column].notna()]
    hours = local_hour(rows["idva_visit_at"]).to_numpy(dtype=int)
    accepted = rows[column].astype(bool).to_numpy(dtype=int)
    by_hour: dict[int, Proportion] = {}
    for hour in sorted(set(hours.tolist())):
        chosen = accepted[hours == hour]
        by_hour[hour] = proportion(int(chosen.sum()), len(chosen))
    fit = logistic_trend(hours, accepted)
    if isinstance(fit, str):
        return HourAcceptance(by_hour, len(rows), None, None, None, None, fit)
    odds, low, high, p = fit
    return HourAcceptance(by_hour, len(rows), odds, low, high, p)


# --------------------------------------------------------------------------- investigations


def financial_quarter(day: date) -> str:
    """Financial-year quarter label of a date (Q1 = April-June).

    Examples
    --------
    >>> financial_quarter(date(2022, 3, 31)), financial_quarter(date(2022, 4, 1))
    ('2021/22 Q4', '2022/23 Q1')
    >>> financial_quarter(date(2021, 12, 1))
    '2021/22 Q3'
    """
    return quarter_label(quarter_index(day))


def quarter_index(day: date) -> int:
    """Consecutive integer for a financial quarter: ``4 * start_year + (quarter - 1)``."""
    start_year = day.year - (1 if day.month < 4 else 0)
    return start_year * 4 + (day.month - 4) % 12 // 3


def quarter_label(index: int) -> str:
    """Label of a :func:`quarter_index`, e.g. ``8087`` -> ``'2021/22 Q4'``."""
    start_year, offset = divmod(index, 4)
    return f"{start_year}/{(start_year + 1) % 100:02d} Q{offset + 1}"


def quarter_start(index: int) -> date:
    """First day of a :func:`quarter_index` quarter."""
    start_year, offset = divmod(index, 4)
    month = 4 + 3 * offset
    return date(start_year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def quarter_indices(times: pd.Series) -> pd.Series:
    """Vectorised :func:`quarter_index` of UTC times, by their London date (``Int64``)."""
    local = times.dt.tz_convert(LONDON_KEY)
    year = local.dt.year.astype("Int64")
    month = local.dt.month.astype("Int64")
    start = year - (month < 4).astype("Int64")
    return start * 4 + (month - 4) % 12 // 3


@dataclass(frozen=True)
class GroupRate:
    """A proportion for one BCU in one financial quarter."""

    bcu: str
    quarter: str
    quarter_index: int
    rate: Proportion


def _grouped_rates(frame: pd.DataFrame, flag: str, base: str | None = None) -> list[GroupRate]:
    rows = frame if base is None else frame.loc[frame[base]]
    rows = rows.loc[rows["bcu"].notna() & rows["quarter_index"].notna()]
    if rows.empty:
        return []
    grouped = (
        rows.assign(_flag=rows[flag].astype(bool))
        .groupby(["bcu", "quarter_index"], sort=True)["_flag"]
        .agg(["sum", "size"])
        .reset_index()
    )
    props = proportions_from_arrays(grouped["sum"].to_numpy(), grouped["size"].to_numpy())
    return [
        GroupRate(str(b), quarter_label(int(q)), int(q), p)
        for b, q, p in zip(grouped["bcu"], grouped["quarter_index"], props, strict=True)
    ]


def mark_outcomes(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``has_outcome``, ``positive_outcome`` and ``quarter_index`` columns."""
    out = frame.copy()
    codes = out["outcome_code"]
    out["has_outcome"] = codes.notna().astype(bool)
    out["positive_outcome"] = codes.isin(POSITIVE_OUTCOME_CODES).astype(bool)
    out["quarter_index"] = quarter_indices(out["recorded_at"])
    return out


def flag_within(
    frame: pd.DataFrame,
    *,
    key: str = "victim_id",
    window: timedelta = REPEAT_WINDOW,
    direction: str = "before",
) -> pd.Series:
    """Whether another investigation with the same ``key`` lies within ``window``.

    Parameters
    ----------
    frame : DataFrame
        Typed investigations with ``key`` and ``recorded_at``.
    key : str, default ``"victim_id"``
        ``"suspect_id"`` gives repeat suspects.
    window : timedelta, default 365 days
        Inclusive: another investigation exactly 365 days earlier counts.
    direction : ``"before"`` or ``"after"``
        Look back (repeat victim) or forward (re-victimisation within 12 months).

    Returns
    -------
    Series of bool
        Aligned with ``frame``; ``False`` where the key or time is missing. Another
        investigation at the *same* instant is neither before nor after.
    """
    if direction not in ("before", "after"):
        raise ValueError(f"direction must be 'before' or 'after', got {direction!r}")
    usable = frame[key].notna() & frame["recorded_at"].notna()
    pairs = (
        frame.loc[usable, [key, "recorded_at"]]
        .drop_duplicates()
        .sort_values([key, "recorded_at"], kind="stable")
        .reset_index(drop=True)
    )
    if pairs.empty:
        return pd.Series(False, index=frame.index)
    same = pairs[key].to_numpy()
    times = pairs["recorded_at"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    limit = int(window.total_seconds() * 1_000_000_000)
    hit = np.zeros(len(pairs), dtype=bool)
    if direction == "before":
        hit[1:] = (same[1:] == same[:-1]) & (times[1:] - times[:-1] <= limit)
    else:
        hit[:-1] = (same[:-1] == same[1:]) & (times[1:] - times[:-1] <= limit)
    pairs["_hit"] = hit
    merged = frame.loc[usable, [key, "recorded_at"]].merge(
        pairs, on=[key, "recorded_at"], how="left"
    )
    result = pd.Series(False, index=frame.index)
    result.loc[usable] = merged["_hit"].to_numpy(dtype=bool)
    return result


@dataclass(frozen=True)
class InvestigationMeasures:
    """Measures over the investigations extract.

    Attributes
    ----------
    investigations : int
        Investigations in the selection.
    with_outcome : int
        Of which with any outcome code.
    positive_outcome_rate : list of GroupRate
        Per BCU per financial quarter (groups with at least one outcome).
    positive_outcome_overall : Proportion
    repeat_victim : Proportion
        Selected investigations whose victim had another in the 365 days before.
    repeat_victim_by_quarter : list of GroupRate
    repeat_suspect : Proportion or None
        As ``repeat_victim`` by ``suspect_id`` (``None`` without suspect ids).
    first_recorded_at, last_recorded_at : datetime or None
        Span of the whole extract (the look-back is incomplete in its first 365 days).
    """

    investigations: int
    with_outcome: int
    positive_outcome_rate: list[GroupRate]
    positive_outcome_overall: Proportion
    repeat_victim: Proportion
    repeat_victim_by_quarter: list[GroupRate]
    repeat_suspect: Proportion | None
    first_recorded_at: datetime | None
    last_recorded_at: datetime | None


def prepare_investigations(investigations: TableInput) -> pd.DataFrame:
    """Type the investigations and add outcome, quarter and repeat columns.

    Adds ``has_outcome``, ``positive_outcome``, ``quarter_index``, ``repeat_victim``
    (look-back 365 days over the whole extract) and ``repeat_suspect``.
    """
    frame = mark_outcomes(investigation_frame(investigations))
    frame["repeat_victim"] = flag_within(frame, key="victim_id")
    frame["repeat_suspect"] = flag_within(frame, key="suspect_id")
    return frame


def select_investigations(frame: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Rows of a prepared investigations frame inside the selection (BCU, period)."""
    mask = _bcu_mask(frame["bcu"], selection.bcu)
    if selection.date_from is not None or selection.date_to is not None:
        mask &= _in_period(frame["recorded_at"], selection)
    return frame.loc[mask]


def investigation_measures(
    prepared: pd.DataFrame, selection: Selection = EVERYTHING
) -> InvestigationMeasures:
    """Positive-outcome and repeat measures over a :func:`prepare_investigations` frame.

    Parameters
    ----------
    prepared : DataFrame
        From :func:`prepare_investigations` (the whole extract: repeat look-back needs it).
    selection : Selection

    Returns
    -------
    InvestigationMeasures
    """
    chosen = select_investigations(prepared, selection)
    outcomes = chosen.loc[chosen["has_outcome"]]
    has_suspects = bool(prepared["suspect_id"].notna().any())
    suspects = chosen.loc[chosen["suspect_id"].notna()]
    times = prepared["recorded_at"].dropna()
    return InvestigationMeasures(
        investigations=len(chosen),
        with_outcome=len(outcomes),
        positive_outcome_rate=_grouped_rates(chosen, "positive_outcome", base="has_outcome"),
        positive_outcome_overall=proportion(int(outcomes["positive_outcome"].sum()), len(outcomes)),
        repeat_victim=proportion(int(chosen["repeat_victim"].sum()), len(chosen)),
        repeat_victim_by_quarter=_grouped_rates(chosen, "repeat_victim"),
        repeat_suspect=(
            proportion(int(suspects["repeat_suspect"].sum()), len(suspects))
            if has_suspects
            else None
        ),
        first_recorded_at=times.min().floor("us").to_pydatetime() if len(times) else None,
        last_recorded_at=times.max().floor("us").to_pydatetime() if len(times) else None,
    )


# --------------------------------------------------------------------------- everything


@dataclass(frozen=True)
class Measures:
    """All FORMATS.md measures for one selection, plus the counts the report needs.

    The JSON keys of FORMATS.md map one to one onto attributes of the same name (see
    :func:`provide.core.evaluation.report.evaluation_json`).
    """

    selection: Selection
    tracker_input_rows: int
    duplicate_rows: int
    conflicting_duplicate_ids: tuple[str, ...]
    undated_rows: int
    tracker_rows: int
    rows_with_valid_delay: int
    rows_missing_a_time: int
    negative_delays: tuple[NegativeDelay, ...]
    delay_bands: dict[str, Proportion]
    median_delay_hours: float | None
    share_within_24h: Proportion
    idva_support_acceptance: Proportion
    prosecution_support_acceptance: Proportion
    engaged_investigation: Proportion
    engaged_safeguarding: Proportion
    previously_engaged_investigation: Proportion
    previously_engaged_safeguarding: Proportion
    acceptance_by_delay_band: DelayBandAcceptance
    engagement_by_delay_band: DelayBandAcceptance
    acceptance_by_hour: HourAcceptance
    prosecution_acceptance_by_hour: HourAcceptance
    modes: dict[str, int]
    victims_responded: int
    victims_supported: int
    investigations: InvestigationMeasures | None = None
    tracker: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False, compare=False)
    engagement_change: dict[str, EngagementChange] = field(default_factory=dict)
    """Paired before/after engagement, keyed ``investigation`` and ``safeguarding``."""


def tracker_measures(selected: TrackerSelection, selection: Selection = EVERYTHING) -> Measures:
    """Compute every tracker measure over a :func:`select_tracker` result."""
    frame = selected.frame
    valid = frame.loc[frame["valid_delay"]]
    negatives = frame.loc[frame["delay_seconds"] < 0]
    band_counts = valid["delay_band"].value_counts()
    bands = {b: proportion(int(band_counts.get(b, 0)), len(valid)) for b in DELAY_BANDS}
    modes = frame["mode"].fillna("unknown").value_counts()
    victims = frame["victim_id"].dropna()
    accepted = frame["idva_support_accepted"].fillna(False).astype(bool)
    return Measures(
        selection=selection,
        tracker_input_rows=selected.input_rows,
        duplicate_rows=selected.duplicate_rows,
        conflicting_duplicate_ids=selected.conflicting_ids,
        undated_rows=selected.undated_rows,
        tracker_rows=len(frame),
        rows_with_valid_delay=len(valid),
        rows_missing_a_time=int(frame["delay_seconds"].isna().sum()),
        negative_delays=tuple(
            NegativeDelay(str(t), int(r), round(float(s) / 3600, 2))
            for t, r, s in zip(
                negatives["tracker_id"], negatives["row"], negatives["delay_seconds"], strict=True
            )
        ),
        delay_bands=bands,
        median_delay_hours=float(valid["delay_seconds"].median() / 3600) if len(valid) else None,
        share_within_24h=share_within_24h(frame),
        idva_support_acceptance=boolean_proportion(frame["idva_support_accepted"]),
        prosecution_support_acceptance=boolean_proportion(frame["prosecution_support_accepted"]),
        engaged_investigation=boolean_proportion(frame["engaged_investigation"]),
        engaged_safeguarding=boolean_proportion(frame["engaged_safeguarding"]),
        previously_engaged_investigation=boolean_proportion(
            frame["previously_engaged_investigation"]
        ),
        previously_engaged_safeguarding=boolean_proportion(
            frame["previously_engaged_safeguarding"]
        ),
        acceptance_by_delay_band=acceptance_by_delay_band(frame),
        engagement_by_delay_band=acceptance_by_delay_band(frame, "engaged_safeguarding"),
        acceptance_by_hour=acceptance_by_hour(frame),
        prosecution_acceptance_by_hour=acceptance_by_hour(frame, "prosecution_support_accepted"),
        modes={str(k): int(v) for k, v in modes.items()},
        victims_responded=int(victims.nunique()),
        victims_supported=int(frame.loc[accepted, "victim_id"].dropna().nunique()),
        tracker=frame,
        engagement_change={
            kind: engagement_change(frame[f"previously_engaged_{kind}"], frame[f"engaged_{kind}"])
            for kind in ENGAGEMENT_KINDS
        },
    )


def compute_measures(
    tracker: TableInput,
    investigations: TableInput | None = None,
    *,
    selection: Selection = EVERYTHING,
) -> Measures:
    """Compute every FORMATS.md measure.

    Parameters
    ----------
    tracker : DataFrame or rows
        IDVA tracker rows (FORMATS.md B); raw cells or typed values.
    investigations : DataFrame or rows, optional
        Police investigation extract (FORMATS.md A), the *whole* extract (the repeat-victim
        look-back needs history outside the selection). Without it the positive-outcome and
        repeat measures are absent.
    selection : Selection
        BCU and inclusive London-date period.

    Returns
    -------
    Measures

    Examples
    --------
    >>> rows = [
    ...     {"tracker_id": "T1", "police_visit_at": "01/06/2022 10:00",
    ...      "idva_visit_at": "02/06/2022 10:00", "idva_support_accepted": "Y"},
    ...     {"tracker_id": "T2", "police_visit_at": "01/06/2022 10:00",
    ...      "idva_visit_at": "03/06/2022 10:00", "idva_support_accepted": ""},
    ... ]
    >>> m = compute_measures(rows)
    >>> m.share_within_24h.num, m.share_within_24h.den, m.idva_support_acceptance.den
    (1, 2, 1)
    """
    measures = tracker_measures(select_tracker(tracker, selection), selection)
    if investigations is None:
        return measures
    prepared = prepare_investigations(investigations)
    return replace(measures, investigations=investigation_measures(prepared, selection))
