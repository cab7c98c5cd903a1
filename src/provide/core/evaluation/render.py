"""HTML and PDF evaluation report.

:func:`render_html` turns the structure of
:func:`provide.core.evaluation.report.report_document` (published or not) into one
self-contained HTML page: no external files, no scripts. Every chart is a matplotlib figure
(Agg backend) embedded as an SVG data URI, with the table of the numbers it plots beside
it, so the page reads without the picture (screen readers, print, audit). Values withheld
by :mod:`~provide.core.evaluation.publish` are shown as ``<5`` / "withheld" in the tables
and left out of the charts. :func:`render_pdf` prints that HTML with WeasyPrint.

The template is :class:`string.Template` and every value is escaped with
:func:`html.escape`; no Django or Jinja is needed. Output is deterministic for the same
input (SVG ids are salted with a fixed value and carry no date).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from string import Template
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

matplotlib.rcParams["svg.hashsalt"] = "provide-evaluation"

_PAGE = Template(
    """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>$title</title>
<style>
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #0b0c0c; max-width: 1100px; margin: 0 auto; }
h1 { font-size: 18pt; } h2 { font-size: 13pt; border-bottom: 2px solid #1d70b8; padding-bottom: 2px; margin-top: 20px; }
table { border-collapse: collapse; margin: 4px 0 10px; font-size: 9pt; }
th, td { border: 1px solid #b1b4b6; padding: 2px 6px; text-align: right; }
th { background: #f3f2f1; } td.l, th.l { text-align: left; }
.pair { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; page-break-inside: avoid; }
.pair img { width: 440px; max-width: 100%; }
.note { color: #505a5f; font-size: 9pt; }
.banner { background: #fff7bf; border-left: 5px solid #ffdd00; padding: 6px 10px; }
</style>
</head>
<body>
<h1>$title</h1>
<p>$selection</p>
$banner
$sections
</body>
</html>
"""
)


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _pct(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{100 * value:.1f}%"
    return "withheld" if value is None else _e(value)


def _num(value: Any, digits: int = 3) -> str:
    if isinstance(value, float):
        return f"{value:.{digits}g}" if abs(value) < 1e-3 and value != 0 else f"{value:.{digits}f}"
    return "–" if value is None else _e(value)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    head = "".join(
        f'<th class="l">{_e(h)}</th>' if i < left else f"<th>{_e(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="l">{c}</td>' if i < left else f"<td>{c}</td>" for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _prop_cells(p: dict[str, Any] | None) -> list[str]:
    if p is None:
        return ["–"] * 4
    ci = (
        f"{_pct(p.get('ci_low'))} – {_pct(p.get('ci_high'))}"
        if p.get("ci_low") is not None
        else "withheld"
        if p.get("den") not in (0, None)
        else "–"
    )
    value = _pct(p.get("value")) if p.get("den") != 0 else "–"
    return [_e(p.get("num")), _e(p.get("den")), value, ci]


_PROP_HEAD = ["n", "of", "value", "95% CI (Wilson)"]


def _figure(width: float = 5.6, height: float = 3.0) -> tuple[Figure, Any]:
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _data_uri(fig: Figure, alt: str) -> str:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{_e(alt)}" src="data:image/svg+xml;base64,{encoded}">'


def _bars(labels: Sequence[str], props: Sequence[dict[str, Any]], ylabel: str, alt: str) -> str:
    fig, ax = _figure()
    for i, p in enumerate(props):
        value = p.get("value")
        if isinstance(value, int | float):
            ax.bar(i, value, color="#1d70b8")
            if isinstance(p.get("ci_low"), float) and isinstance(p.get("ci_high"), float):
                ax.errorbar(
                    i,
                    value,
                    yerr=[[value - p["ci_low"]], [p["ci_high"] - value]],
                    color="#0b0c0c",
                    capsize=4,
                )
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylim(0, 1)
    ax.set_ylabel(ylabel)
    return _data_uri(fig, alt)


def _pair(chart: str, table: str) -> str:
    return f'<div class="pair"><div>{chart}</div><div>{table}</div></div>'


def _headline(doc: dict[str, Any]) -> str:
    ev = doc["evaluation"]
    rows = [
        ["Joint-team attendances (tracker rows)", _e(ev["tracker_rows"]), "", "", ""],
        ["Victims responded to", _e(doc.get("victims_responded")), "", "", ""],
        ["Victims supported (accepted IDVA support)", _e(doc.get("victims_supported")), "", "", ""],
        ["Rows with a valid delay", _e(ev["rows_with_valid_delay"]), "", "", ""],
    ]
    named = [
        ("IDVA visit within 24 h of police visit", ev["share_within_24h"]),
        ("Accepted IDVA support", ev["idva_support_acceptance"]),
        ("Accepted prosecution support", ev["prosecution_support_acceptance"]),
        ("Engaged with the investigation", ev["engaged_investigation"]),
        ("Engaged with safeguarding advice", ev["engaged_safeguarding"]),
        (
            "Previously engaged with an investigation (self-reported)",
            doc.get("previously_engaged_investigation"),
        ),
        (
            "Previously engaged with safeguarding (self-reported)",
            doc.get("previously_engaged_safeguarding"),
        ),
    ]
    prop_rows = [[_e(label), *_prop_cells(p)] for label, p in named]
    return (
        "<h2>Headline figures</h2>"
        + _table(["measure", "count"], [r[:2] for r in rows])
        + _table(["measure", *_PROP_HEAD], prop_rows)
    )


def _engagement_change_section(doc: dict[str, Any]) -> str:
    """Engagement before (self-reported) and after the visit, over the same attendances."""
    changes = doc.get("engagement_change") or {}
    rows = []
    for kind, label in (
        ("investigation", "With a police investigation"),
        ("safeguarding", "With safeguarding advice"),
    ):
        c = changes.get(kind)
        if not c:
            continue
        difference = (
            f"{_num(c['difference'] * 100, 1)} ({_num(c['ci_low'] * 100, 1)} to {_num(c['ci_high'] * 100, 1)})"
            if isinstance(c.get("difference"), float)
            else "withheld"
            if c.get("pairs")
            else "–"
        )
        rows.append(
            [
                _e(label),
                _e(c.get("pairs")),
                *_prop_cells(c.get("before"))[2:],
                *_prop_cells(c.get("after"))[2:],
                _e(c.get("became_engaged")),
                _e(c.get("stopped")),
                difference,
                _num(c.get("p_value")),
            ]
        )
    if not rows:
        return ""
    return (
        "<h2>Engagement before and after the visit</h2>"
        '<p class="note">Attendances where the victim was asked about before (self-reported) and the engagement '
        "after is known. Change: Newcombe's paired interval; p: exact McNemar. No comparison group.</p>"
        + _table(
            [
                "engaged",
                "pairs",
                "before",
                "95% CI",
                "after",
                "95% CI",
                "no→yes",
                "yes→no",
                "change (points, 95% CI)",
                "p",
            ],
            rows,
        )
    )


def _delay_section(doc: dict[str, Any]) -> str:
    bands = doc["delay_bands"]
    labels = list(bands)
    chart = _bars(
        labels, [bands[b] for b in labels], "share of visits", "Share of IDVA visits by delay band"
    )
    table = _table(["delay band", *_PROP_HEAD], [[_e(b), *_prop_cells(bands[b])] for b in labels])
    median = doc.get("median_delay_hours")
    extra = (
        f'<p class="note">Median delay: {_num(median, 1)} hours.</p>' if median is not None else ""
    )
    return "<h2>Time from police visit to IDVA visit</h2>" + _pair(chart, table + extra)


def _band_section(title: str, result: dict[str, Any], what: str) -> str:
    labels = [k for k in result if k not in ("chi2", "p_value")]
    chart = _bars(labels, [result[b] for b in labels], what, f"{what} by delay band")
    table = _table(["delay band", *_PROP_HEAD], [[_e(b), *_prop_cells(result[b])] for b in labels])
    test = (
        f'<p class="note">Chi-square test of independence (no continuity correction): '
        f"χ² = {_num(result.get('chi2'), 3)}, p = {_num(result.get('p_value'), 3)}.</p>"
    )
    return f"<h2>{_e(title)}</h2>" + _pair(chart, table + test)


def _hour_section(doc: dict[str, Any]) -> str:
    fig, ax = _figure()
    parts: list[str] = []
    for key, label, colour in (
        ("acceptance_by_hour", "IDVA support", "#1d70b8"),
        ("prosecution_acceptance_by_hour", "prosecution support", "#d4351c"),
    ):
        result = doc.get(key)
        if not result:
            continue
        points = [r for r in result["by_hour"] if isinstance(r.get("value"), float)]
        if points:
            ax.plot(
                [r["hour"] for r in points],
                [r["value"] for r in points],
                "o-",
                color=colour,
                label=label,
            )
        rows = [[_e(r["hour"]), *_prop_cells(r)] for r in result["by_hour"]]
        parts.append(
            f"<p><strong>{_e(label.capitalize())}</strong>: odds ratio per hour "
            f"{_num(result.get('odds_ratio_per_hour'))} (95% CI {_num(result.get('or_ci_low'))}–"
            f"{_num(result.get('or_ci_high'))}), Wald p = {_num(result.get('p_value'))}, n = {_e(result.get('n'))}.</p>"
            + _table(["hour (UK time)", *_PROP_HEAD], rows)
        )
    ax.set_xlim(-0.5, 23.5)
    ax.set_ylim(0, 1)
    ax.set_xlabel("hour of IDVA visit (Europe/London)")
    ax.set_ylabel("acceptance")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower left", fontsize=8)
    chart = _data_uri(fig, "Acceptance of support by hour of visit")
    return "<h2>Acceptance by time of day</h2>" + _pair(chart, "".join(parts))


def _series_chart(
    rows: Sequence[dict[str, Any]],
    its: Sequence[dict[str, Any]],
    ylabel: str,
    alt: str,
    go_live: dict[str, str],
) -> str:
    fig, ax = _figure(7.0, 3.4)
    quarters = sorted({r["quarter"] for r in rows})
    position = {q: i for i, q in enumerate(quarters)}
    bcus = sorted({r["bcu"] for r in rows})
    colours = plt.get_cmap("tab10")
    for n, bcu in enumerate(bcus):
        points = [r for r in rows if r["bcu"] == bcu and isinstance(r.get("value"), float)]
        ax.plot(
            [position[r["quarter"]] for r in points],
            [r["value"] for r in points],
            "o-",
            ms=3,
            color=colours(n % 10),
            label=bcu,
        )
        for result in its:
            if result["bcu"] == bcu and result["fitted"]:
                xs = [position[q] for q in result["quarters"] if q in position]
                ax.plot(xs, result["fitted"], "-", color=colours(n % 10), alpha=0.5, lw=2)
                ax.plot(xs, result["counterfactual"], "--", color=colours(n % 10), alpha=0.5, lw=1)
        quarter = go_live.get(bcu)
        if quarter in position:
            ax.axvline(position[quarter], color=colours(n % 10), ls=":", lw=1.5)
    step = max(1, len(quarters) // 8)
    ax.set_xticks(
        range(0, len(quarters), step),
        [quarters[i] for i in range(0, len(quarters), step)],
        rotation=30,
        ha="right",
        fontsize=7,
    )
    ax.set_ylabel(ylabel)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, ncol=min(4, len(bcus)))
    return _data_uri(fig, alt)


def _outcome_section(doc: dict[str, Any]) -> str:
    inv = doc.get("investigations")
    if not inv:
        return ""
    rows = doc["evaluation"].get("positive_outcome_rate", [])
    its = doc.get("its", [])
    go_live = {r["bcu"]: r["go_live_quarter"] for r in its}
    chart = _series_chart(
        rows, its, "positive outcome rate", "Positive outcome rate per BCU per quarter", go_live
    )
    table = _table(
        ["BCU", "quarter", *_PROP_HEAD],
        [[_e(r["bcu"]), _e(r["quarter"]), *_prop_cells(r)] for r in rows],
        left=2,
    )
    parts = [
        "<h2>Positive outcome rate per BCU per financial quarter</h2>",
        '<p class="note">Outcome types 1, 1A, 2, 3, 4, 6, 7, 8 over investigations with any outcome type, by '
        "quarter recorded. Dotted lines: go-live; solid pale lines: segmented regression; dashed: pre-go-live "
        "trend continued.</p>",
        _pair(chart, table),
    ]
    if its:
        its_rows = []
        for r in its:
            level, slope = r.get("level_change"), r.get("slope_change")
            its_rows.append(
                [
                    _e(r["bcu"]),
                    _e(r["go_live"]),
                    _e(r["go_live_quarter"]),
                    _e(r["n_pre"]),
                    _e(r["n_post"]),
                    _ci_text(level, points=True),
                    _ci_text(slope, points=True),
                    _num(r.get("durbin_watson"), 2),
                    _e(r.get("note") or ""),
                ]
            )
        parts.append("<h2>Interrupted time series (segmented regression)</h2>")
        parts.append(
            _table(
                [
                    "BCU",
                    "go-live",
                    "go-live quarter",
                    "quarters before",
                    "after",
                    "change in level (points)",
                    "change in slope (points/quarter)",
                    "Durbin–Watson",
                    "note",
                ],
                its_rows,
                left=3,
            )
        )
    repeat = inv.get("repeat_victim")
    parts.append("<h2>Repeat victimisation</h2>")
    parts.append(
        _table(
            ["measure", *_PROP_HEAD],
            [
                [
                    "Investigations whose victim had another in the previous 365 days",
                    *_prop_cells(repeat),
                ],
                [
                    "Investigations whose suspect had another in the previous 365 days",
                    *_prop_cells(inv.get("repeat_suspect")),
                ],
                [
                    "Positive outcome, whole selection",
                    *_prop_cells(inv.get("positive_outcome_overall")),
                ],
            ],
        )
    )
    by_quarter = inv.get("repeat_victim_by_quarter", [])
    if by_quarter:
        chart = _series_chart(
            by_quarter, [], "repeat-victim share", "Repeat victims per BCU per quarter", go_live
        )
        table = _table(
            ["BCU", "quarter", *_PROP_HEAD],
            [[_e(r["bcu"]), _e(r["quarter"]), *_prop_cells(r)] for r in by_quarter],
            left=2,
        )
        parts.append(_pair(chart, table))
    return "".join(parts)


def _ci_text(estimate: dict[str, Any] | None, *, points: bool = False) -> str:
    if not estimate:
        return "–"
    scale = 100 if points else 1
    return (
        f"{_num(estimate['value'] * scale, 2)} ({_num(estimate['ci_low'] * scale, 2)} to "
        f"{_num(estimate['ci_high'] * scale, 2)}), p = {_num(estimate['p_value'])}"
    )


def _comparison_section(doc: dict[str, Any]) -> str:
    comparison = doc.get("comparison")
    if not comparison:
        return ""
    outcomes = comparison["outcomes"]
    fig, ax = _figure()
    labels: list[str] = []
    for i, item in enumerate(outcomes):
        treated = item["treated_rate"].get("value")
        control = item.get("control_rate")
        labels.append(item["outcome"].replace("_", " "))
        if isinstance(treated, float):
            ax.bar(
                i - 0.2, treated, width=0.4, color="#1d70b8", label="visited" if i == 0 else None
            )
        if isinstance(control, float) and isinstance(treated, float):
            ax.bar(
                i + 0.2,
                control,
                width=0.4,
                color="#b1b4b6",
                label="matched not visited" if i == 0 else None,
            )
    ax.set_xticks(range(len(labels)), labels, fontsize=8)
    ax.set_ylim(0, 1)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    chart = _data_uri(fig, "Visited victims against matched victims not visited")
    rows = [
        [
            _e(item["outcome"].replace("_", " ")),
            *_prop_cells(item["treated_rate"]),
            _pct(item.get("control_rate"))
            if item["treated_rate"].get("value") is not None
            else "withheld",
            _ci_text(
                {
                    "value": item["difference"],
                    "ci_low": item["ci_low"],
                    "ci_high": item["ci_high"],
                    "p_value": item["p_value"],
                }
                if item.get("difference") is not None
                and item.get("ci_low") is not None
                and item["treated_rate"].get("value") is not None
                else None,
                points=True,
            ),
            _e(item["matched_controls"]),
            _e(item["strata"]),
        ]
        for item in outcomes
    ]
    table = _table(
        [
            "outcome",
            "visited n",
            "of",
            "rate",
            "95% CI",
            "matched controls' rate",
            "difference (points, 95% CI)",
            "controls",
            "strata",
        ],
        rows,
    )
    intro = (
        f'<p class="note">Tracker rows linked to an investigation: {_e(comparison["linked_by_reference"])} by '
        f"reference, {_e(comparison['linked_by_victim'])} by victim and date, {_e(comparison['unlinked'])} not "
        f"linked. Visited investigations: {_e(comparison['treated'])}; candidate controls (victims never "
        f"visited): {_e(comparison['controls'])}. Coarsened exact matching on BCU, month, risk grade, "
        "repeat-victim status and abuse profile; observational — victims were chosen for visits on grounds "
        "the data does not record, so differences are not causal effects.</p>"
    )
    return "<h2>Matched comparison group</h2>" + intro + _pair(chart, table)


def _notes_section(doc: dict[str, Any]) -> str:
    notes = doc.get("notes") or []
    if not notes:
        return ""
    items = "".join(f"<li>{_e(n)}</li>" for n in notes)
    return f"<h2>Data quality notes</h2><ul>{items}</ul>"


def render_html(document: dict[str, Any], *, title: str = "Provide evaluation report") -> str:
    """Render the report structure as a self-contained HTML page.

    Parameters
    ----------
    document : dict
        From :func:`provide.core.evaluation.report.report_document`, optionally passed
        through :func:`provide.core.evaluation.publish.publish`.
    title : str

    Returns
    -------
    str
        HTML5; charts as SVG data URIs, each beside its data table.
    """
    selection = document.get("selection") or {}
    scope = (
        f"BCU: {_e(selection.get('bcu') or 'all')}; period: {_e(selection.get('from') or 'start of data')} to "
        f"{_e(selection.get('to') or 'end of data')}. Sources: "
        + ", ".join(f"{_e(k)} = {_e(v)}" for k, v in (document.get("sources") or {}).items())
    )
    banner = (
        '<p class="banner">Published version: counts below 5 are shown as &lt;5, other counts are rounded to '
        "the nearest 5, and rates are worked out from the rounded counts (withheld over fewer than 20).</p>"
        if document.get("suppressed")
        else ""
    )
    sections = [
        _headline(document),
        _engagement_change_section(document),
        _delay_section(document),
        _band_section(
            "IDVA support acceptance by delay band",
            document["evaluation"]["acceptance_by_delay_band"],
            "IDVA support accepted",
        ),
        _band_section(
            "Engagement with safeguarding by delay band",
            document["engagement_by_delay_band"],
            "engaged with safeguarding",
        ),
        _hour_section(document),
        _outcome_section(document),
        _comparison_section(document),
        _notes_section(document),
    ]
    return _PAGE.substitute(
        title=_e(title), selection=scope, banner=banner, sections="\n".join(sections)
    )


def render_pdf(page: str) -> bytes:
    """Print an HTML page from :func:`render_html` to PDF with WeasyPrint.

    Returns
    -------
    bytes
        The PDF document.
    """
    from weasyprint import HTML  # WeasyPrint takes about a second to import: load it only for PDFs.

    pdf = HTML(string=page).write_pdf()
    assert pdf is not None
    return bytes(pdf)
