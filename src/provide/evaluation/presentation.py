"""Turn an evaluation document (full or published) into the dashboard's sections.

Works only from :func:`provide.core.evaluation.report_document` output, so a published
document can show nothing that publication withheld: a withheld count stays ``<5`` and a
withheld rate is shown as "withheld" and left out of the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from provide.evaluation.charts import Bar, Marker, Series, bar_chart, line_chart

# Every chart string comes from provide.evaluation.charts, which escapes all of its text, so
# marking it safe below is sound.

BANDS = ("<=24h", "24h-1wk", ">1wk")
BAND_LABELS = {"<=24h": "Within 24 hours", "24h-1wk": "24 hours to 1 week", ">1wk": "Over 1 week"}


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    header: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    head: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    numeric_from: int = 1

    @property
    def head_cells(self) -> list[Cell]:
        return [Cell(h, numeric=i >= self.numeric_from) for i, h in enumerate(self.head)]


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    chart: SafeString | None = None
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def count(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return "–" if value is None else str(value)


def pct(value: Any, *, withheld: bool = False) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{100 * value:.1f}%"
    return "withheld" if withheld else "–"


def num(value: Any, digits: int = 3) -> str:
    if isinstance(value, float):
        if value != 0 and abs(value) < 10**-digits:
            return f"{value:.{digits}g}"
        return f"{value:.{digits}f}"
    return "–" if value is None else str(value)


def _withheld(p: dict[str, Any] | None) -> bool:
    return p is not None and bool(p) and p.get("value") is None and p.get("den") not in (0, None)


def prop_cells(p: dict[str, Any] | None) -> list[Cell]:
    if not p:
        return [Cell("–", True)] * 4
    hidden = _withheld(p)
    interval = (
        f"{pct(p['ci_low'])} to {pct(p['ci_high'])}"
        if isinstance(p.get("ci_low"), float)
        else ("withheld" if hidden else "–")
    )
    return [
        Cell(count(p.get("num")), True),
        Cell(count(p.get("den")), True),
        Cell(pct(p.get("value"), withheld=hidden), True),
        Cell(interval, True),
    ]


PROP_HEAD = ("Yes", "Of", "Proportion", "95% interval (Wilson)")


def _prop_table(
    caption: str, first: str, rows: Sequence[tuple[str, dict[str, Any] | None]]
) -> Table:
    return Table(
        caption,
        (first, *PROP_HEAD),
        [[Cell(label, header=True), *prop_cells(p)] for label, p in rows],
    )


def _bar(label: str, p: dict[str, Any] | None, group: int = 0) -> Bar:
    p = p or {}
    return Bar(label, p.get("value"), p.get("ci_low"), p.get("ci_high"), group)


def _describe(pairs: Sequence[tuple[str, dict[str, Any] | None]]) -> str:
    parts = [f"{label}: {pct((p or {}).get('value'), withheld=_withheld(p))}" for label, p in pairs]
    return "; ".join(parts) + ". The table beside the chart gives the counts and intervals."


def headline(doc: dict[str, Any]) -> Section:
    ev = doc["evaluation"]
    counts = Table(
        "Counts",
        ("Measure", "Number"),
        [
            [
                Cell("Joint-team attendances (tracker rows)", header=True),
                Cell(count(ev["tracker_rows"]), True),
            ],
            [
                Cell("Victims responded to", header=True),
                Cell(count(doc.get("victims_responded")), True),
            ],
            [
                Cell("Victims supported (accepted IDVA support)", header=True),
                Cell(count(doc.get("victims_supported")), True),
            ],
            [
                Cell("Attendances with a valid police-to-IDVA delay", header=True),
                Cell(count(ev["rows_with_valid_delay"]), True),
            ],
        ],
    )
    named = [
        ("IDVA visit within 24 hours", ev["share_within_24h"]),
        ("Accepted IDVA support", ev["idva_support_acceptance"]),
        ("Accepted prosecution support", ev["prosecution_support_acceptance"]),
        ("Engaged with the investigation", ev["engaged_investigation"]),
        ("Engaged with safeguarding advice", ev["engaged_safeguarding"]),
    ]
    before = [
        (
            "Previously engaged with an investigation (self-reported)",
            doc.get("previously_engaged_investigation"),
        ),
        (
            "Previously engaged with safeguarding (self-reported)",
            doc.get("previously_engaged_safeguarding"),
        ),
    ]
    short = ["Within 24 h", "IDVA support", "Prosecution", "Investigation", "Safeguarding"]
    chart = bar_chart(
        "Headline proportions with 95% intervals",
        _describe(named),
        [_bar(s, p) for s, (_, p) in zip(short, named, strict=True)],
    )
    return Section(
        "headline",
        "Headline figures",
        intro="Each proportion counts the attendances where the answer is known; blank answers are left out.",
        chart=mark_safe(chart),
        tables=[counts, _prop_table("Proportions", "Measure", [*named, *before])],
    )


ENGAGEMENT_LABELS = {
    "investigation": "With a police investigation",
    "safeguarding": "With safeguarding advice",
}


def _change_difference(change: dict[str, Any]) -> str:
    if not isinstance(change.get("difference"), float):
        return "withheld" if change.get("pairs") not in (0, None) else "–"
    return (
        f"{num(change['difference'] * 100, 1)} ({num(change['ci_low'] * 100, 1)} to "
        f"{num(change['ci_high'] * 100, 1)})"
    )


def engagement_change(doc: dict[str, Any]) -> Section | None:
    """Engagement before (self-reported) and after the visit, over the same attendances."""
    changes = doc.get("engagement_change") or {}
    if not changes:
        return None
    rows, bars, described = [], [], []
    for kind, label in ENGAGEMENT_LABELS.items():
        change = changes.get(kind) or {}
        before, after = change.get("before"), change.get("after")
        rows.append(
            [
                Cell(label, header=True),
                Cell(count(change.get("pairs")), True),
                *prop_cells(before)[2:],
                *prop_cells(after)[2:],
                Cell(count(change.get("became_engaged")), True),
                Cell(count(change.get("stopped")), True),
                Cell(_change_difference(change), True),
                Cell(num(change.get("p_value")), True),
            ]
        )
        bars += [_bar(label, before, 0), _bar(label, after, 1)]
        described.append(
            f"{label}: before {pct((before or {}).get('value'), withheld=_withheld(before))}, "
            f"after {pct((after or {}).get('value'), withheld=_withheld(after))}"
        )
    return Section(
        "engagement-change",
        "Engagement before and after the visit",
        intro="Only attendances where the victim was asked about before (self-reported to the IDVA) and the "
        "engagement after is known; each victim is compared with themselves.",
        chart=mark_safe(
            bar_chart(
                "Engaged before and after the visit",
                "; ".join(described) + ".",
                bars,
                groups=("Before (self-reported)", "After the visit"),
                y_label="engaged",
            )
        ),
        tables=[
            Table(
                "Engagement before and after, paired",
                (
                    "Engaged",
                    "Pairs",
                    "Before",
                    "Before: 95% interval",
                    "After",
                    "After: 95% interval",
                    "No before, yes after",
                    "Yes before, no after",
                    "Change (points, 95% interval)",
                    "p (exact McNemar)",
                ),
                rows,
            )
        ],
        notes=[
            "Change: Newcombe's interval for paired proportions. The 'before' answer is the victim's own "
            "account and there is no comparison group, so a rise is an association, not an effect."
        ],
    )


def delays(doc: dict[str, Any]) -> Section:
    bands = doc["delay_bands"]
    pairs = [(BAND_LABELS[b], bands.get(b)) for b in BANDS]
    median = doc.get("median_delay_hours")
    return Section(
        "delays",
        "Time from police visit to IDVA visit",
        chart=mark_safe(
            bar_chart(
                "Share of IDVA visits by delay band",
                _describe(pairs),
                [_bar(label, p) for label, p in pairs],
                y_label="share of visits",
            )
        ),
        tables=[_prop_table("IDVA visits by delay band", "Delay", pairs)],
        notes=[f"Median delay: {num(median, 1)} hours."] if isinstance(median, float) else [],
    )


def by_band(key: str, title: str, result: dict[str, Any], what: str) -> Section:
    pairs = [(BAND_LABELS[b], result.get(b)) for b in BANDS]
    test = (
        f"Chi-square test of independence across the bands (no continuity correction): "
        f"χ² = {num(result.get('chi2'))}, p = {num(result.get('p_value'))}."
    )
    return Section(
        key,
        title,
        chart=mark_safe(
            bar_chart(
                f"{what} by delay band",
                _describe(pairs),
                [_bar(label, p) for label, p in pairs],
                y_label=what.lower(),
            )
        ),
        tables=[_prop_table(f"{what} by delay band", "Delay", pairs)],
        notes=[
            test,
            "An association only: later visits differ in other ways (harder-to-reach victims, "
            "suspect released, post-incident mode).",
        ],
    )


def by_hour(doc: dict[str, Any]) -> Section:
    series, tables, notes = [], [], []
    hours = [str(h) for h in range(24)]
    for colour, (key, label) in enumerate(
        (
            ("acceptance_by_hour", "IDVA support"),
            ("prosecution_acceptance_by_hour", "Prosecution support"),
        )
    ):
        result = doc.get(key) or {}
        rows = {r["hour"]: r for r in result.get("by_hour", [])}
        series.append(
            Series(label, [rows.get(h, {}).get("value") for h in range(24)], colour=colour)
        )
        tables.append(
            _prop_table(
                f"{label} accepted, by hour of the IDVA visit (UK time)",
                "Hour",
                [(f"{h:02d}:00", rows[h]) for h in sorted(rows)],
            )
        )
        note = (
            f"{label}: odds ratio per hour {num(result.get('odds_ratio_per_hour'))} "
            f"(95% interval {num(result.get('or_ci_low'))} to {num(result.get('or_ci_high'))}), "
            f"Wald p = {num(result.get('p_value'))}, n = {count(result.get('n'))}."
        )
        if result.get("note"):
            note += f" {result['note']}"
        notes.append(note)
    description = "Acceptance by hour of the visit, UK time. " + " ".join(notes)
    notes.append(
        "Logistic regression of acceptance on hour (linear on the logit scale): a check, not a model of "
        "the daily pattern. Shift patterns mean hour goes with team, workload and visit type."
    )
    return Section(
        "hour",
        "Acceptance by time of day",
        chart=mark_safe(
            line_chart(
                "Acceptance of support by hour of visit",
                description,
                hours,
                series,
                y_label="accepted",
            )
        ),
        tables=tables,
        notes=notes,
    )


def _estimate(e: dict[str, Any] | None) -> str:
    if not e or e.get("value") is None:
        return "–"
    return (
        f"{num(e['value'] * 100, 2)} ({num(e['ci_low'] * 100, 2)} to {num(e['ci_high'] * 100, 2)}), "
        f"p = {num(e.get('p_value'))}"
    )


def outcomes(doc: dict[str, Any]) -> list[Section]:
    inv = doc.get("investigations")
    if not inv:
        return []
    rows = doc["evaluation"].get("positive_outcome_rate", [])
    its = doc.get("its", [])
    quarters = sorted({r["quarter"] for r in rows})
    position = {q: i for i, q in enumerate(quarters)}
    bcus = sorted({r["bcu"] for r in rows})
    series: list[Series] = []
    markers: list[Marker] = []
    for colour, bcu in enumerate(bcus):
        values: list[Any] = [None] * len(quarters)
        for r in rows:
            if r["bcu"] == bcu:
                values[position[r["quarter"]]] = r.get("value")
        series.append(Series(bcu, values, colour=colour))
        for result in its:
            if result["bcu"] != bcu:
                continue
            if result["go_live_quarter"] in position:
                markers.append(
                    Marker(position[result["go_live_quarter"]], f"{bcu} go-live", colour)
                )
            for name, dashed in (("fitted", False), ("counterfactual", True)):
                line: list[Any] = [None] * len(quarters)
                for q, v in zip(result["quarters"], result.get(name) or [], strict=False):
                    if q in position:
                        line[position[q]] = v
                if any(v is not None for v in line):
                    series.append(Series("", line, dashed=dashed, faint=True, colour=colour))
    go_live_text = "; ".join(
        f"{r['bcu']} went live on {r['go_live']} ({r['go_live_quarter']})" for r in its
    )
    description = (
        f"Positive outcome rate per financial quarter for {', '.join(bcus) or 'no BCU'}. "
        f"{go_live_text}. Dotted vertical lines mark go-live; pale lines the segmented regression; "
        "dashed lines the pre-go-live trend continued. The table beside the chart lists every rate."
    )
    table = Table(
        "Positive outcome rate per BCU per quarter",
        ("BCU", "Quarter", *PROP_HEAD),
        [[Cell(r["bcu"], header=True), Cell(r["quarter"]), *prop_cells(r)] for r in rows],
        numeric_from=2,
    )
    sections = [
        Section(
            "outcomes",
            "Positive outcome rate per BCU per financial quarter",
            intro="Outcome types 1, 1A, 2, 3, 4, 6, 7 and 8 over investigations with any outcome type, by the quarter "
            "the investigation was recorded (Q1 = April to June). Open investigations are not counted.",
            chart=mark_safe(
                line_chart(
                    "Positive outcome rate per BCU per quarter",
                    description,
                    quarters,
                    series,
                    markers=markers,
                    y_label="positive outcome rate",
                )
            ),
            tables=[table],
            notes=[go_live_text + "."]
            if go_live_text
            else ["No BCU in this selection has a go-live date."],
        )
    ]
    if its:
        its_rows = [
            [
                Cell(r["bcu"], header=True),
                Cell(r["go_live"]),
                Cell(r["go_live_quarter"]),
                Cell(count(r["n_pre"]), True),
                Cell(count(r["n_post"]), True),
                Cell(_estimate(r.get("level_change")), True),
                Cell(_estimate(r.get("slope_change")), True),
                Cell(num(r.get("durbin_watson"), 2), True),
                Cell(r.get("note") or ""),
            ]
            for r in its
        ]
        sections.append(
            Section(
                "its",
                "Interrupted time series estimate",
                intro="Segmented regression of the quarterly rate: the change in level at go-live and the change in "
                "slope after it, in percentage points, with 95% intervals. Quarters count equally whatever "
                "their size; other changes at the same time (such as COVID-19 lockdowns) are absorbed into the "
                "estimate; recent quarters have more open investigations.",
                tables=[
                    Table(
                        "Change at go-live per BCU",
                        (
                            "BCU",
                            "Go-live",
                            "Go-live quarter",
                            "Quarters before",
                            "Quarters after",
                            "Change in level (points)",
                            "Change in slope (points per quarter)",
                            "Durbin–Watson",
                            "Note",
                        ),
                        its_rows,
                        numeric_from=3,
                    )
                ],
            )
        )
    sections.append(
        Section(
            "repeat",
            "Repeat victimisation",
            tables=[
                _prop_table(
                    "Repeat incidents in the selection",
                    "Measure",
                    [
                        (
                            "Investigations whose victim had another in the previous 365 days",
                            inv.get("repeat_victim"),
                        ),
                        (
                            "Investigations whose suspect had another in the previous 365 days",
                            inv.get("repeat_suspect"),
                        ),
                        ("Positive outcome, whole selection", inv.get("positive_outcome_overall")),
                    ],
                )
            ],
            notes=[
                f"The extract runs from {(inv.get('first_recorded_at') or '–')[:10]} to "
                f"{(inv.get('last_recorded_at') or '–')[:10]}; the look-back is incomplete in its first year."
            ],
        )
    )
    return sections


def comparison(doc: dict[str, Any]) -> Section | None:
    c = doc.get("comparison")
    if not c:
        return None
    labels = {
        "positive_outcome": "Positive outcome",
        "repeat_within_12_months": "Repeat within 12 months",
    }
    bars: list[Bar] = []
    rows = []
    described = []
    for item in c["outcomes"]:
        label = labels.get(item["outcome"], item["outcome"])
        treated = item["treated_rate"]
        bars.append(_bar(label, treated, 0))
        bars.append(Bar(label, item.get("control_rate"), group=1))
        difference = _estimate(
            {
                "value": item.get("difference"),
                "ci_low": item.get("ci_low"),
                "ci_high": item.get("ci_high"),
                "p_value": item.get("p_value"),
            }
            if item.get("ci_low") is not None
            else None
        )
        rows.append(
            [
                Cell(label, header=True),
                *prop_cells(treated),
                Cell(pct(item.get("control_rate"), withheld=doc.get("suppressed", False)), True),
                Cell(difference, True),
                Cell(count(item.get("matched_controls")), True),
                Cell(count(item.get("strata")), True),
            ]
        )
        described.append(
            f"{label}: visited {pct(treated.get('value'), withheld=_withheld(treated))}, "
            f"matched not visited {pct(item.get('control_rate'), withheld=True)}"
        )
    chart = bar_chart(
        "Visited victims against matched victims not visited",
        "; ".join(described) + ".",
        bars,
        groups=("Visited", "Matched, not visited"),
        y_label="rate",
    )
    return Section(
        "comparison",
        "Matched comparison group",
        intro=(
            f"Tracker rows linked to an investigation: {count(c['linked_by_reference'])} by reference, "
            f"{count(c['linked_by_victim'])} by victim and date, {count(c['unlinked'])} not linked. Visited "
            f"investigations: {count(c['treated'])}; candidate controls (victims never visited): "
            f"{count(c['controls'])}. Coarsened exact matching on BCU, month, risk grade, repeat-victim status "
            "and abuse profile."
        ),
        chart=mark_safe(chart),
        tables=[
            Table(
                "Visited against matched not visited",
                (
                    "Outcome",
                    "Visited: yes",
                    "Of",
                    "Rate",
                    "95% interval",
                    "Matched controls' rate",
                    "Difference (points, 95% interval)",
                    "Matched controls",
                    "Strata",
                ),
                rows,
            )
        ],
        notes=[
            "Observational: victims were chosen for a visit on grounds the data does not record, so the "
            "difference is not a causal effect. Repeat victimisation is reported victimisation — more trust "
            "in the police can raise it."
        ],
    )


def sections_for(doc: dict[str, Any]) -> list[Section]:
    ev = doc["evaluation"]
    parts: list[Section | None] = [
        headline(doc),
        engagement_change(doc),
        delays(doc),
        by_band(
            "band",
            "IDVA support acceptance by delay band",
            ev["acceptance_by_delay_band"],
            "IDVA support accepted",
        ),
        by_band(
            "band-safeguarding",
            "Engagement with safeguarding by delay band",
            doc["engagement_by_delay_band"],
            "Engaged with safeguarding",
        ),
        by_hour(doc),
        *outcomes(doc),
        comparison(doc),
    ]
    notes = doc.get("notes") or []
    if notes:
        parts.append(Section("notes", "Data quality notes", notes=list(notes)))
    return [p for p in parts if p is not None]
