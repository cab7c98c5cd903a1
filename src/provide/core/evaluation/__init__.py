"""Evaluation statistics: the measures of FORMATS.md, ITS, matched comparison, report.

Pure Python (pandas, numpy, scipy, statsmodels, matplotlib; WeasyPrint only for PDF), no
Django. One implementation serves ``provide evaluate``, the report and the dashboard.

Typical use::

    from provide.core.evaluation import Selection, build_report, evaluation_json, publish

    report = build_report(tracker_rows, investigation_rows,
                          selection=Selection(bcu="West"), go_live={"West": date(2020, 4, 1)})
    document = evaluation_json(report.measures)          # FORMATS.md object
    published = publish(document)                        # counts below 5 as "<5"

Inputs are pandas DataFrames or iterables of plain dict rows (raw spreadsheet cells or
typed Python values; see :mod:`provide.core.evaluation.tables`).
"""

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
    Selection,
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
from provide.core.evaluation.publish import publish, suppress_count, suppress_proportion
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
    "report_document",
    "select_tracker",
    "share_within_24h",
    "suppress_count",
    "suppress_proportion",
    "tracker_frame",
    "tracker_measures",
    "wilson_interval",
]
