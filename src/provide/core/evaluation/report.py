"""Assemble an evaluation: the FORMATS.md JSON object and the richer report structure.

* :func:`build_report` runs everything (measures, interrupted time series, matched
  comparison) once and returns an :class:`EvaluationReport`.
* :func:`evaluation_json` gives exactly the FORMATS.md "Evaluation output (JSON)" object:
  the documented top-level keys, in the documented order, and nothing else
  (``positive_outcome_rate`` only when investigations were given).
* :func:`report_document` gives the richer JSON-able structure the HTML/PDF report and
  the dashboard render (delay bands, by-hour tables, repeat measures, ITS, comparison,
  data-quality notes).

Both are plain dicts of JSON types: no NaN or infinity (these become ``null``), so the
output is strict JSON. Apply :func:`provide.core.evaluation.publish.publish` to either
for a published version.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from provide.core.evaluation.comparison import ComparisonResult, OutcomeComparison, compare_matched
from provide.core.evaluation.engagement import EngagementChange
from provide.core.evaluation.its import Estimate, ItsResult, its_by_bcu
from provide.core.evaluation.measures import (
    DELAY_BANDS,
    EVERYTHING,
    DelayBandAcceptance,
    GroupRate,
    HourAcceptance,
    Measures,
    Selection,
    investigation_measures,
    prepare_investigations,
    select_tracker,
    tracker_measures,
)
from provide.core.evaluation.proportions import Proportion
from provide.core.evaluation.tables import TableInput, tracker_frame

JSON_KEYS: tuple[str, ...] = (
    "tracker_rows",
    "rows_with_valid_delay",
    "share_within_24h",
    "idva_support_acceptance",
    "prosecution_support_acceptance",
    "engaged_investigation",
    "engaged_safeguarding",
    "acceptance_by_delay_band",
    "acceptance_by_hour",
    "positive_outcome_rate",
    "suppressed",
)
"""The FORMATS.md top-level keys, in order."""


@dataclass(frozen=True)
class EvaluationReport:
    """Everything one evaluation run computed.

    Attributes
    ----------
    measures : Measures
    its : list of ItsResult
        One per BCU with a go-live date (empty without investigations or go-live dates).
    comparison : ComparisonResult or None
        ``None`` without investigations.
    notes : list of str
        Data-quality notes for the reader (duplicates, negative delays, extra columns...).
    sources : dict of str to str
        Input description, e.g. ``{"tracker": "tracker.csv"}``.
    go_live : dict of str to date
    """

    measures: Measures
    its: list[ItsResult] = field(default_factory=list)
    comparison: ComparisonResult | None = None
    notes: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    go_live: dict[str, date] = field(default_factory=dict)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def proportion_json(p: Proportion) -> dict[str, Any]:
    """FORMATS.md proportion object ``{"num", "den", "value", "ci_low", "ci_high"}``."""
    return {k: _clean(v) for k, v in p.as_dict().items()}


def _band_json(result: DelayBandAcceptance) -> dict[str, Any]:
    out: dict[str, Any] = {band: proportion_json(result.bands[band]) for band in DELAY_BANDS}
    out["chi2"] = _clean(result.chi2)
    out["p_value"] = _clean(result.p_value)
    return out


def _rate_json(rate: GroupRate) -> dict[str, Any]:
    return {"bcu": rate.bcu, "quarter": rate.quarter, **proportion_json(rate.rate)}


def _change_json(change: EngagementChange) -> dict[str, Any]:
    return {
        "pairs": change.pairs,
        "before": proportion_json(change.before),
        "after": proportion_json(change.after),
        "became_engaged": change.became_engaged,
        "stopped": change.stopped,
        "difference": _clean(change.difference),
        "ci_low": _clean(change.ci_low),
        "ci_high": _clean(change.ci_high),
        "p_value": _clean(change.p_value),
    }


def evaluation_json(measures: Measures) -> dict[str, Any]:
    """The FORMATS.md "Evaluation output (JSON)" object, exactly.

    Parameters
    ----------
    measures : Measures
        From :func:`~provide.core.evaluation.measures.compute_measures` or
        ``build_report(...).measures``.

    Returns
    -------
    dict
        Keys of :data:`JSON_KEYS` in order; ``positive_outcome_rate`` only when the
        measures include investigations; ``suppressed`` is ``False`` (see
        :func:`provide.core.evaluation.publish.publish`).
    """
    hour = measures.acceptance_by_hour
    out: dict[str, Any] = {
        "tracker_rows": measures.tracker_rows,
        "rows_with_valid_delay": measures.rows_with_valid_delay,
        "share_within_24h": proportion_json(measures.share_within_24h),
        "idva_support_acceptance": proportion_json(measures.idva_support_acceptance),
        "prosecution_support_acceptance": proportion_json(measures.prosecution_support_acceptance),
        "engaged_investigation": proportion_json(measures.engaged_investigation),
        "engaged_safeguarding": proportion_json(measures.engaged_safeguarding),
        "acceptance_by_delay_band": _band_json(measures.acceptance_by_delay_band),
        "acceptance_by_hour": {
            "odds_ratio_per_hour": _clean(hour.odds_ratio_per_hour),
            "p_value": _clean(hour.p_value),
            "n": hour.n,
        },
    }
    if measures.investigations is not None:
        out["positive_outcome_rate"] = [
            _rate_json(r) for r in measures.investigations.positive_outcome_rate
        ]
    out["suppressed"] = False
    return out


def _hour_json(result: HourAcceptance) -> dict[str, Any]:
    return {
        "by_hour": [{"hour": h, **proportion_json(p)} for h, p in sorted(result.by_hour.items())],
        "n": result.n,
        "odds_ratio_per_hour": _clean(result.odds_ratio_per_hour),
        "or_ci_low": _clean(result.or_ci_low),
        "or_ci_high": _clean(result.or_ci_high),
        "p_value": _clean(result.p_value),
        "note": result.note,
    }


def _estimate_json(estimate: Estimate | None) -> dict[str, Any] | None:
    return None if estimate is None else {k: _clean(v) for k, v in estimate.as_dict().items()}


def _its_json(result: ItsResult) -> dict[str, Any]:
    return {
        "bcu": result.bcu,
        "go_live": result.go_live.isoformat(),
        "go_live_quarter": result.go_live_quarter,
        "quarters": result.quarters,
        "rates": [_clean(r) for r in result.rates],
        "denominators": result.denominators,
        "n_pre": result.n_pre,
        "n_post": result.n_post,
        "baseline_slope": _estimate_json(result.baseline_slope),
        "level_change": _estimate_json(result.level_change),
        "slope_change": _estimate_json(result.slope_change),
        "fitted": [_clean(v) for v in result.fitted],
        "counterfactual": [_clean(v) for v in result.counterfactual],
        "durbin_watson": _clean(result.durbin_watson),
        "note": result.note,
    }


def _outcome_json(item: OutcomeComparison) -> dict[str, Any]:
    return {
        "outcome": item.outcome,
        "eligible_treated": item.eligible_treated,
        "eligible_controls": item.eligible_controls,
        "matched_treated": item.matched_treated,
        "matched_controls": item.matched_controls,
        "strata": item.strata,
        "treated_rate": proportion_json(item.treated_rate),
        "control_rate": _clean(item.control_rate),
        "difference": _clean(item.difference),
        "ci_low": _clean(item.ci_low),
        "ci_high": _clean(item.ci_high),
        "p_value": _clean(item.p_value),
    }


def report_document(report: EvaluationReport) -> dict[str, Any]:
    """The richer report structure (JSON-able) that the HTML/PDF and dashboard render.

    Contains the FORMATS.md object under ``"evaluation"`` plus: selection, data-quality
    counts and notes, delay band shares, median delay, previous engagement, engagement by
    band, acceptance by hour (both supports), mode counts, victims responded/supported,
    investigation measures (positive-outcome and repeat rates), ITS results and the
    matched comparison.
    """
    m = report.measures
    s = m.selection
    doc: dict[str, Any] = {
        "evaluation": evaluation_json(m),
        "selection": {
            "bcu": s.bcu,
            "from": s.date_from.isoformat() if s.date_from else None,
            "to": s.date_to.isoformat() if s.date_to else None,
        },
        "sources": dict(report.sources),
        "data_quality": {
            "tracker_input_rows": m.tracker_input_rows,
            "duplicate_rows": m.duplicate_rows,
            "conflicting_duplicate_ids": list(m.conflicting_duplicate_ids),
            "undated_rows": m.undated_rows,
            "rows_missing_a_time": m.rows_missing_a_time,
            "negative_delays": [
                {"tracker_id": d.tracker_id, "row": d.row, "delay_hours": d.delay_hours}
                for d in m.negative_delays
            ],
        },
        "notes": list(report.notes),
        "delay_bands": {band: proportion_json(m.delay_bands[band]) for band in DELAY_BANDS},
        "median_delay_hours": _clean(m.median_delay_hours),
        "previously_engaged_investigation": proportion_json(m.previously_engaged_investigation),
        "previously_engaged_safeguarding": proportion_json(m.previously_engaged_safeguarding),
        "engagement_change": {
            kind: _change_json(change) for kind, change in m.engagement_change.items()
        },
        "engagement_by_delay_band": _band_json(m.engagement_by_delay_band),
        "acceptance_by_hour": _hour_json(m.acceptance_by_hour),
        "prosecution_acceptance_by_hour": _hour_json(m.prosecution_acceptance_by_hour),
        "modes": [{"mode": k, "count": v} for k, v in sorted(m.modes.items())],
        "victims_responded": m.victims_responded,
        "victims_supported": m.victims_supported,
        "investigations": None,
        "its": [_its_json(r) for r in report.its],
        "comparison": None,
        "suppressed": False,
    }
    inv = m.investigations
    if inv is not None:
        doc["investigations"] = {
            "investigations": inv.investigations,
            "with_outcome": inv.with_outcome,
            "positive_outcome_overall": proportion_json(inv.positive_outcome_overall),
            "repeat_victim": proportion_json(inv.repeat_victim),
            "repeat_victim_by_quarter": [_rate_json(r) for r in inv.repeat_victim_by_quarter],
            "repeat_suspect": None
            if inv.repeat_suspect is None
            else proportion_json(inv.repeat_suspect),
            "first_recorded_at": inv.first_recorded_at.isoformat()
            if inv.first_recorded_at
            else None,
            "last_recorded_at": inv.last_recorded_at.isoformat() if inv.last_recorded_at else None,
        }
    c = report.comparison
    if c is not None:
        doc["comparison"] = {
            "tracker_rows": c.tracker_rows,
            "linked_by_reference": c.linked_by_reference,
            "linked_by_victim": c.linked_by_victim,
            "unlinked": c.unlinked,
            "treated": c.treated,
            "controls": c.controls,
            "as_of": c.as_of.isoformat() if c.as_of else None,
            "outcomes": [_outcome_json(o) for o in c.outcomes],
        }
    return doc


def _notes(measures: Measures) -> list[str]:
    notes: list[str] = []
    if measures.duplicate_rows:
        notes.append(
            f"{measures.duplicate_rows} repeated tracker row(s) dropped (the last row of each tracker_id is used)"
        )
    if measures.conflicting_duplicate_ids:
        shown = ", ".join(measures.conflicting_duplicate_ids[:10])
        more = len(measures.conflicting_duplicate_ids) - 10
        notes.append(
            "repeated tracker_id with different contents: "
            + shown
            + (f" and {more} more" if more > 0 else "")
        )
    if measures.negative_delays:
        shown = ", ".join(f"{d.tracker_id} (row {d.row})" for d in measures.negative_delays[:10])
        notes.append(
            f"{len(measures.negative_delays)} row(s) have the IDVA visit before the police visit "
            f"(excluded from the delay measures only): {shown}"
        )
    if measures.undated_rows:
        notes.append(
            f"{measures.undated_rows} tracker row(s) have no visit time and are outside any period"
        )
    hour = measures.acceptance_by_hour
    if hour.note:
        notes.append(f"acceptance by hour: {hour.note}")
    band = measures.acceptance_by_delay_band
    if band.min_expected is not None and band.min_expected < 5:
        notes.append(
            f"chi-square: smallest expected count is {band.min_expected:.1f} (< 5); the p-value is approximate"
        )
    return notes


def build_report(
    tracker: TableInput,
    investigations: TableInput | None = None,
    *,
    selection: Selection = EVERYTHING,
    go_live: Mapping[str, date] | None = None,
    as_of: datetime | None = None,
    sources: Mapping[str, str] | None = None,
    notes: Sequence[str] = (),
    with_comparison: bool = True,
) -> EvaluationReport:
    """Compute a full evaluation: measures, interrupted time series and matched comparison.

    Parameters
    ----------
    tracker : DataFrame or rows
        The *whole* IDVA tracker (selection is applied here; the comparison needs every
        visited victim).
    investigations : DataFrame or rows, optional
        The whole police extract. Without it: tracker measures only.
    selection : Selection
        BCU and period.
    go_live : mapping of BCU to date, optional
        Provide's start per BCU, for the interrupted time series and the chart markers.
    as_of : datetime, optional
        Aware end of follow-up for the comparison's 12-month repeat outcome (default: the
        extract's latest ``recorded_at``). Never the wall clock.
    sources : mapping, optional
        Input file names to show in the report.
    notes : sequence of str
        Extra notes from reading the files (e.g. extra columns).
    with_comparison : bool, default True

    Returns
    -------
    EvaluationReport
    """
    whole = tracker_frame(tracker)
    selected = select_tracker(whole, selection)
    measures = tracker_measures(selected, selection)
    its: list[ItsResult] = []
    comparison: ComparisonResult | None = None
    if investigations is not None:
        prepared = prepare_investigations(investigations)
        inv = investigation_measures(prepared, selection)
        measures = replace(measures, investigations=inv)
        if go_live:
            its = its_by_bcu(inv.positive_outcome_rate, go_live)
        if with_comparison:
            deduped = whole.drop_duplicates("tracker_id", keep="last")
            comparison = compare_matched(deduped, prepared, selection=selection, as_of=as_of)
    return EvaluationReport(
        measures=measures,
        its=its,
        comparison=comparison,
        notes=[*notes, *_notes(measures)],
        sources=dict(sources or {}),
        go_live=dict(go_live or {}),
    )
