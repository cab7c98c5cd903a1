"""Reads for the evaluation dashboard: database rows in, the core evaluation out.

:func:`evaluation_inputs` loads the tracker and the investigations with ``.values()``
straight into DataFrames (a fixed handful of queries, whatever the size), shaped as the
FORMATS.md tables; :func:`evaluation_report_for` runs the same
:func:`provide.core.evaluation.build_report` that ``provide evaluate`` runs on files, so the
dashboard and the command give the same numbers on the same data.

What is loaded, and why that is enough for exactly the file-based numbers:

* the **whole tracker** (it is small: one row per attendance; the ``services`` and
  ``referrals`` lists are left out, no measure uses them), because the matched
  comparison must keep every victim ever visited out of the controls and links every
  tracker row to its investigation;
* the **investigations** recorded in the selected period widened by 366 days each side (the
  repeat look-back and the 12-month follow-up), in every BCU (a victim's earlier
  investigation elsewhere still makes them a repeat victim), plus every investigation a
  tracker row names or whose victim the tracker holds (linking rows to investigations).
  Without a period, every investigation.
* two aggregates over the whole extract: its first and last ``recorded_at`` (the report's
  span, and the comparison's end of follow-up, as the file-based run takes them) and
  whether it holds suspect ids at all.

Victims are keyed by the force's person reference, as in the tracker export, falling back to
an internal key for people without one; the key never leaves this module's frames.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from provide.accounts.models import User
from provide.areas.models import Area
from provide.cases.selectors import state_counts
from provide.core import evaluation as core_evaluation  # pandas, SciPy... load on first use
from provide.core.cases import CaseState
from provide.core.evaluation import Selection
from provide.core.tabular.values import LONDON
from provide.evaluation.policies import can_view_evaluation, can_view_full_evaluation
from provide.health.models import SupportRecord
from provide.intake.models import Investigation

if TYPE_CHECKING:
    import pandas as pd

    from provide.core.evaluation import EvaluationReport

LOOK_AROUND = dt.timedelta(days=366)
"""Investigations loaded either side of the period: the 365-day repeat windows, plus a day."""

TRACKER_BOOLEANS = (
    "idva_support_offered",
    "idva_support_accepted",
    "prosecution_support_offered",
    "prosecution_support_accepted",
    "engaged_investigation",
    "engaged_safeguarding",
    "previously_engaged_investigation",
    "previously_engaged_safeguarding",
)
SOURCES = {
    "tracker": "Provide database (IDVA tracker)",
    "investigations": "Provide database (investigations)",
}


class EvaluationNotAllowed(Exception):
    """The user may not open the evaluation."""


@dataclass(frozen=True)
class EvaluationInputs:
    """The two evaluation tables from the database, plus what they need from the whole extract."""

    tracker: pd.DataFrame
    investigations: pd.DataFrame
    go_live: dict[str, dt.date]
    first_recorded_at: dt.datetime | None
    last_recorded_at: dt.datetime | None
    extract_has_suspects: bool
    draft_rows: int


@dataclass(frozen=True)
class EvaluationView:
    """One evaluation as a user may see it.

    ``document`` is :func:`~provide.core.evaluation.report_document` (published when
    ``published``); ``formats_json`` is the FORMATS.md object, likewise.
    """

    document: dict[str, Any]
    formats_json: dict[str, Any]
    published: bool
    selection: Selection


def bcu_list() -> list[Area]:
    return list(Area.objects.filter(kind=Area.Kind.BCU).order_by("name"))


def _typed_columns(
    frame: pd.DataFrame,
    *,
    text: tuple[str, ...],
    times: tuple[str, ...],
    booleans: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Give the ORM's Python values pandas dtypes, so the core's vectorised paths apply."""
    import pandas as pd  # loaded only when an evaluation is computed (docs/decisions/0004)

    for name in text:
        frame[name] = frame[name].astype("string")
    for name in times:
        frame[name] = pd.to_datetime(frame[name], utc=True)
    for name in booleans:
        frame[name] = frame[name].astype("boolean")
    return frame


def _person_key(ref: str | None, pk: int | None) -> str | None:
    if ref:
        return ref
    return None if pk is None else f"person:{pk}"


def _tracker_frame() -> tuple[pd.DataFrame, int]:
    import pandas as pd  # loaded only when an evaluation is computed (docs/decisions/0004)

    rows = list(
        SupportRecord.objects.order_by("pk").values(
            "tracker_id",
            "victim_id",
            "mode",
            "police_visit_at",
            "idva_visit_at",
            *TRACKER_BOOLEANS,
            "record_status",
            ref=Coalesce(
                NullIf("investigation_ref", Value("")), "investigation__investigation_ref"
            ),
            victim_ref=NullIf("victim__force_person_ref", Value("")),
            bcu_name=NullIf("bcu__name", Value("")),
        )
    )
    drafts = sum(1 for r in rows if r["record_status"] == SupportRecord.RecordStatus.DRAFT)
    for r in rows:
        r["investigation_ref"] = r.pop("ref")
        r["victim_id"] = _person_key(r.pop("victim_ref"), r["victim_id"])
        r["bcu"] = r.pop("bcu_name")
        r["mode"] = r["mode"] or None
        del r["record_status"]
    if not rows:
        return pd.DataFrame({"tracker_id": []}), drafts
    frame = pd.DataFrame.from_records(rows)
    return _typed_columns(
        frame,
        text=("tracker_id", "investigation_ref", "victim_id", "bcu", "mode"),
        times=("police_visit_at", "idva_visit_at"),
        booleans=TRACKER_BOOLEANS,
    ), drafts


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)


def _investigation_frame(selection: Selection) -> pd.DataFrame:
    import pandas as pd  # loaded only when an evaluation is computed (docs/decisions/0004)

    records = Investigation.objects.order_by("pk")
    if selection.date_from is not None or selection.date_to is not None:
        window = Q()
        if selection.date_from is not None:
            window &= Q(recorded_at__gte=_day_start(selection.date_from) - LOOK_AROUND)
        if selection.date_to is not None:
            window &= Q(
                recorded_at__lt=_day_start(selection.date_to + dt.timedelta(days=1)) + LOOK_AROUND
            )
        tracked = SupportRecord.objects.all()
        records = records.filter(
            window
            | Q(victim__in=tracked.exclude(victim=None).values("victim"))
            | Q(pk__in=tracked.exclude(investigation=None).values("investigation"))
            | Q(
                investigation_ref__in=tracked.exclude(investigation_ref="").values(
                    "investigation_ref"
                )
            )
        )
    rows = cast(
        list[dict[str, Any]],
        list(
            records.values(
                "investigation_ref",
                "recorded_at",
                "risk_grade",
                "outcome_code",
                "abuse_types",
                "victim_id",
                "suspect_id",
                bcu_name=NullIf("bcu__name", Value("")),
                victim_ref=NullIf("victim__force_person_ref", Value("")),
                suspect_ref=NullIf("suspect__force_person_ref", Value("")),
            )
        ),
    )
    for r in rows:
        r["bcu"] = r.pop("bcu_name")
        r["victim_id"] = _person_key(r.pop("victim_ref"), r["victim_id"])
        r["suspect_id"] = _person_key(r.pop("suspect_ref"), r["suspect_id"])
        r["risk_grade"] = r["risk_grade"] or None
        r["outcome_code"] = r["outcome_code"] or None
    if not rows:
        return pd.DataFrame(
            {"investigation_ref": [], "recorded_at": [], "bcu": [], "victim_id": []}
        )
    frame = pd.DataFrame.from_records(rows)
    return _typed_columns(
        frame,
        text=("investigation_ref", "bcu", "victim_id", "suspect_id", "risk_grade"),
        times=("recorded_at",),
    )


def evaluation_inputs(selection: Selection) -> EvaluationInputs:
    """Load the evaluation tables for ``selection`` (see the module docstring). Not access-checked:
    callers are :func:`evaluation_report_for` and the management of exports."""
    tracker, drafts = _tracker_frame()
    investigations = _investigation_frame(selection)
    span = Investigation.objects.aggregate(
        first=Min("recorded_at"), last=Max("recorded_at"), suspects=Count("suspect")
    )
    go_live = {
        name: day
        for name, day in Area.objects.filter(kind=Area.Kind.BCU, go_live_on__isnull=False)
        .order_by("name")
        .values_list("name", "go_live_on")
        if day is not None
    }
    return EvaluationInputs(
        tracker=tracker,
        investigations=investigations,
        go_live=go_live,
        first_recorded_at=span["first"],
        last_recorded_at=span["last"],
        extract_has_suspects=bool(span["suspects"]),
        draft_rows=drafts,
    )


def evaluation_build(inputs: EvaluationInputs, selection: Selection) -> EvaluationReport:
    """Run the core on loaded inputs; the result equals ``build_report`` on the whole export."""
    has_investigations = inputs.last_recorded_at is not None
    notes = []
    if inputs.draft_rows:
        notes.append(
            f"{inputs.draft_rows} tracker row(s) are drafts (the IDVA has not finished the record); "
            "their blank answers count as unknown"
        )
    report = core_evaluation.build_report(
        inputs.tracker if len(inputs.tracker) else [],
        inputs.investigations if has_investigations else None,
        selection=selection,
        go_live=inputs.go_live,
        as_of=inputs.last_recorded_at,
        sources=SOURCES if has_investigations else {"tracker": SOURCES["tracker"]},
        notes=notes,
    )
    inv = report.measures.investigations
    if inv is not None:
        # The span and the suspect question are about the whole extract, not the loaded window.
        inv = replace(
            inv,
            first_recorded_at=inputs.first_recorded_at,
            last_recorded_at=inputs.last_recorded_at,
            repeat_suspect=(inv.repeat_suspect or core_evaluation.proportion(0, 0))
            if inputs.extract_has_suspects
            else None,
        )
        report = replace(report, measures=replace(report.measures, investigations=inv))
    return report


def evaluation_report_for(*, user: User, selection: Selection) -> EvaluationView:
    """The evaluation ``user`` may see: full figures for health roles, published ones otherwise.

    Raises
    ------
    EvaluationNotAllowed
        The user holds no evaluation permission.
    """
    if not can_view_evaluation(user):
        raise EvaluationNotAllowed
    report = evaluation_build(evaluation_inputs(selection), selection)
    document = core_evaluation.report_document(report)
    formats = core_evaluation.evaluation_json(report.measures)
    full = can_view_full_evaluation(user)
    if not full:
        document, formats = core_evaluation.publish(document), core_evaluation.publish(formats)
    document["generated_at"] = timezone.now().isoformat(timespec="seconds")
    return EvaluationView(
        document=document, formats_json=formats, published=not full, selection=selection
    )


@dataclass(frozen=True)
class JourneyStep:
    """Cases in one state. ``published`` steps follow the publication rule
    (:func:`provide.core.evaluation.suppress_count`): under 5, zero included, is "fewer than 5"
    and every other count is rounded to the nearest 5, so the all-BCU figure minus one BCU's
    cannot give another BCU's small count."""

    state: str
    label: str
    count: int
    published: bool = True

    @property
    def shown(self) -> str:
        if not self.published:
            return f"{self.count:,}"
        shown = core_evaluation.suppress_count(self.count)
        return "fewer than 5" if isinstance(shown, str) else f"{shown:,}"


def case_journey_for(*, user: User, bcu_name: str | None) -> list[JourneyStep]:
    """Where cases stand now, by state, from the case lifecycle (the one owner of case state):
    exact for the roles that see the full evaluation, published (rounded) for the others."""
    if not can_view_evaluation(user):
        raise PermissionDenied
    bcu = Area.objects.filter(kind=Area.Kind.BCU, name=bcu_name).first() if bcu_name else None
    counts = state_counts(bcu)
    published = not can_view_full_evaluation(user)
    return [
        JourneyStep(state.value, state.label, counts[state.value], published) for state in CaseState
    ]
