"""Evaluation statistics: the measures of FORMATS.md, ITS, matched comparison, report.

Pure Python (pandas, numpy, scipy, statsmodels, matplotlib; WeasyPrint only for PDF), no
Django. One implementation serves ``provide evaluate``, the report and the dashboard.

Typical use::

    from provide.core.evaluation import Selection, build_report, evaluation_json, publish

    report = build_report(tracker_rows, investigation_rows,
                          selection=Selection(bcu="West"), go_live={"West": date(2020, 4, 1)})
    document = evaluation_json(report.measures)          # FORMATS.md object
    published = publish(document)                        # "<5", others rounded to 5

Inputs are pandas DataFrames or iterables of plain dict rows (raw spreadsheet cells or
typed Python values; see :mod:`provide.core.evaluation.tables`).

The names below load on first use (PEP 562), so importing this package, or
:class:`Selection` alone, does not load pandas, SciPy, statsmodels or matplotlib: a command or
a page that does not compute an evaluation starts fast (docs/decisions/0004-lazy-heavy-imports.md).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Light modules load now. ``publish`` must: it shares its name with its module, and importing
# the module later would bind the module, not the function, to ``provide.core.evaluation.publish``.
from provide.core.evaluation.publish import publish, suppress_count, suppress_proportion
from provide.core.evaluation.selection import Selection

if TYPE_CHECKING:
    from provide.core.evaluation.comparison import (
        ComparisonResult,
        OutcomeComparison,
        compare_matched,
        link_tracker,
        matched_difference,
    )
    from provide.core.evaluation.its import Estimate, ItsResult, interrupted_time_series, its_by_bcu
    from provide.core.evaluation.measures import (
        DELAY_BANDS,
        POSITIVE_OUTCOME_CODES,
        REPEAT_WINDOW,
        DelayBandAcceptance,
        GroupRate,
        HourAcceptance,
        InvestigationMeasures,
        Measures,
        TrackerSelection,
        acceptance_by_delay_band,
        acceptance_by_hour,
        boolean_proportion,
        chi_square_independence,
        compute_measures,
        delay_band,
        financial_quarter,
        flag_within,
        investigation_measures,
        local_hour,
        logistic_trend,
        prepare_investigations,
        quarter_index,
        quarter_label,
        quarter_start,
        select_tracker,
        share_within_24h,
        tracker_measures,
    )
    from provide.core.evaluation.proportions import Proportion, proportion, wilson_interval
    from provide.core.evaluation.render import render_html, render_pdf
    from provide.core.evaluation.report import (
        JSON_KEYS,
        EvaluationReport,
        build_report,
        evaluation_json,
        report_document,
    )
    from provide.core.evaluation.tables import (
        INVESTIGATION_COLUMNS,
        TRACKER_COLUMNS,
        investigation_frame,
        tracker_frame,
    )

EXPORTS: dict[str, tuple[str, ...]] = {
    "comparison": (
        "ComparisonResult",
        "OutcomeComparison",
        "compare_matched",
        "link_tracker",
        "matched_difference",
    ),
    "its": ("Estimate", "ItsResult", "interrupted_time_series", "its_by_bcu"),
    "measures": (
        "DELAY_BANDS",
        "POSITIVE_OUTCOME_CODES",
        "REPEAT_WINDOW",
        "DelayBandAcceptance",
        "GroupRate",
        "HourAcceptance",
        "InvestigationMeasures",
        "Measures",
        "TrackerSelection",
        "acceptance_by_delay_band",
        "acceptance_by_hour",
        "boolean_proportion",
        "chi_square_independence",
        "compute_measures",
        "delay_band",
        "financial_quarter",
        "flag_within",
        "investigation_measures",
        "local_hour",
        "logistic_trend",
        "prepare_investigations",
        "quarter_index",
        "quarter_label",
        "quarter_start",
        "select_tracker",
        "share_within_24h",
        "tracker_measures",
    ),
    "proportions": ("Proportion", "proportion", "wilson_interval"),
    "publish": ("publish", "suppress_count", "suppress_proportion"),
    "render": ("render_html", "render_pdf"),
    "report": (
        "JSON_KEYS",
        "EvaluationReport",
        "build_report",
        "evaluation_json",
        "report_document",
    ),
    "selection": ("Selection",),
    "tables": ("INVESTIGATION_COLUMNS", "TRACKER_COLUMNS", "investigation_frame", "tracker_frame"),
}
"""Each public name, by the submodule that defines it."""

_HOME = {name: module for module, names in EXPORTS.items() for name in names}


def __getattr__(name: str) -> object:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])


__all__ = [
    "DELAY_BANDS",
    "INVESTIGATION_COLUMNS",
    "JSON_KEYS",
    "POSITIVE_OUTCOME_CODES",
    "REPEAT_WINDOW",
    "TRACKER_COLUMNS",
    "ComparisonResult",
    "DelayBandAcceptance",
    "Estimate",
    "EvaluationReport",
    "GroupRate",
    "HourAcceptance",
    "InvestigationMeasures",
    "ItsResult",
    "Measures",
    "OutcomeComparison",
    "Proportion",
    "Selection",
    "TrackerSelection",
    "acceptance_by_delay_band",
    "acceptance_by_hour",
    "boolean_proportion",
    "build_report",
    "chi_square_independence",
    "compare_matched",
    "compute_measures",
    "delay_band",
    "evaluation_json",
    "financial_quarter",
    "flag_within",
    "interrupted_time_series",
    "investigation_frame",
    "investigation_measures",
    "its_by_bcu",
    "link_tracker",
    "local_hour",
    "logistic_trend",
    "matched_difference",
    "prepare_investigations",
    "proportion",
    "publish",
    "quarter_index",
    "quarter_label",
    "quarter_start",
    "render_html",
    "render_pdf",
    "report_document",
    "select_tracker",
    "share_within_24h",
    "suppress_count",
    "suppress_proportion",
    "tracker_frame",
    "tracker_measures",
    "wilson_interval",
]
