"""Small inline SVG charts for the dashboard: no script, no external request, no matplotlib.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (its text
alternative); the dashboard always shows the table of the plotted numbers beside it.
Values that are not numbers (withheld by publication, or undefined) are simply not drawn.
Every piece of text is escaped here, so the result may be marked safe in a template.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT = 560, 300
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 16, 64
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738", "#5694ca", "#912b88", "#85994b")
INK = "#0b0c0c"
GRID = "#b1b4b6"

_ids = itertools.count(1)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


@dataclass(frozen=True)
class Bar:
    label: str
    value: object
    ci_low: object = None
    ci_high: object = None
    group: int = 0


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[object]
    dashed: bool = False
    faint: bool = False
    colour: int = 0


@dataclass(frozen=True)
class Marker:
    position: int
    label: str
    colour: int = 0


@dataclass
class _Frame:
    title: str
    description: str
    y_label: str
    parts: list[str] = field(default_factory=list)

    def y(self, value: float) -> float:
        return TOP + (1 - value) * (HEIGHT - TOP - BOTTOM)

    def open(self) -> None:
        n = next(_ids)
        self.ident = f"chart-{n}"
        self.parts.append(
            f'<svg class="provide-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-labelledby="{self.ident}-title {self.ident}-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{self.ident}-title">{_e(self.title)}</title>'
            f'<desc id="{self.ident}-desc">{_e(self.description)}</desc>'
        )
        for tick in (0, 0.25, 0.5, 0.75, 1):
            y = self.y(tick)
            self.parts.append(
                f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
                f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="{INK}">{int(tick * 100)}%</text>'
            )
        middle = TOP + (HEIGHT - TOP - BOTTOM) / 2
        self.parts.append(
            f'<text transform="translate(14 {middle:.1f}) rotate(-90)" text-anchor="middle" font-size="12" '
            f'fill="{INK}">{_e(self.y_label)}</text>'
        )

    def close(self) -> str:
        self.parts.append("</svg>")
        return "".join(self.parts)


def bar_chart(
    title: str,
    description: str,
    bars: Sequence[Bar],
    *,
    y_label: str = "proportion",
    groups: Sequence[str] = (),
) -> str:
    """Vertical bars of proportions (0-1) with 95 % interval whiskers; ``groups`` names a legend."""
    frame = _Frame(title, description, y_label)
    frame.open()
    labels = list(dict.fromkeys(b.label for b in bars))
    n_groups = max(1, len(groups))
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    width = min(48.0, slot * 0.7 / n_groups)
    for bar in bars:
        centre = (
            LEFT + slot * (labels.index(bar.label) + 0.5) + (bar.group - (n_groups - 1) / 2) * width
        )
        value = _number(bar.value)
        if value is not None:
            top = frame.y(value)
            frame.parts.append(
                f'<rect x="{centre - width / 2:.1f}" y="{top:.1f}" width="{width:.1f}" '
                f'height="{frame.y(0) - top:.1f}" fill="{COLOURS[bar.group % len(COLOURS)]}"/>'
            )
            low, high = _number(bar.ci_low), _number(bar.ci_high)
            if low is not None and high is not None:
                frame.parts.append(
                    f'<path d="M{centre:.1f} {frame.y(low):.1f}V{frame.y(high):.1f}M{centre - 5:.1f} {frame.y(low):.1f}'
                    f'h10M{centre - 5:.1f} {frame.y(high):.1f}h10" stroke="{INK}" stroke-width="1.5" fill="none"/>'
                )
    for i, label in enumerate(labels):
        x = LEFT + slot * (i + 0.5)
        frame.parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12" fill="{INK}">{_e(label)}</text>'
        )
    _legend(frame, [(name, i, False) for i, name in enumerate(groups)])
    return frame.close()


def line_chart(
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    markers: Sequence[Marker] = (),
    y_label: str = "proportion",
) -> str:
    """Lines over ordered categories (quarters, hours); ``markers`` draw labelled vertical lines."""
    frame = _Frame(title, description, y_label)
    frame.open()
    count = max(1, len(x_labels))
    step = (WIDTH - LEFT - RIGHT) / count

    def x(i: int) -> float:
        return LEFT + step * (i + 0.5)

    for marker in markers:
        colour = COLOURS[marker.colour % len(COLOURS)]
        frame.parts.append(
            f'<line x1="{x(marker.position) - step / 2:.1f}" x2="{x(marker.position) - step / 2:.1f}" y1="{TOP}" '
            f'y2="{frame.y(0):.1f}" stroke="{colour}" stroke-width="2" stroke-dasharray="2 3"/>'
            f'<text x="{x(marker.position) - step / 2 + 3:.1f}" y="{TOP + 12 + 13 * marker.colour}" font-size="11" '
            f'fill="{INK}">{_e(marker.label)}</text>'
        )
    for line in series:
        colour = COLOURS[line.colour % len(COLOURS)]
        segments: list[list[tuple[float, float]]] = [[]]
        for i, raw in enumerate(line.values):
            value = _number(raw)
            if value is None:
                segments.append([])
            else:
                segments[-1].append((x(i), frame.y(value)))
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        opacity = ' stroke-opacity="0.55"' if line.faint else ""
        for points in segments:
            if len(points) > 1:
                path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
                frame.parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}{opacity}/>'
                )
            if not line.dashed and not line.faint:
                frame.parts.extend(
                    f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>'
                    for px, py in points
                )
    every = max(1, count // 8)
    for i in range(0, len(x_labels), every):
        frame.parts.append(
            f'<text transform="translate({x(i):.1f} {HEIGHT - BOTTOM + 14}) rotate(30)" font-size="11" '
            f'fill="{INK}">{_e(x_labels[i])}</text>'
        )
    legend = [(s.name, s.colour, s.dashed) for s in series if s.name]
    _legend(frame, legend)
    return frame.close()


def _legend(frame: _Frame, entries: Sequence[tuple[str, int, bool]]) -> None:
    x: float = LEFT
    y = HEIGHT - 12
    for name, colour, dashed in entries:
        stroke = COLOURS[colour % len(COLOURS)]
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        frame.parts.append(
            f'<line x1="{x}" x2="{x + 18}" y1="{y - 4}" y2="{y - 4}" stroke="{stroke}" stroke-width="4"{dash}/>'
            f'<text x="{x + 22}" y="{y}" font-size="11" fill="{INK}">{_e(name)}</text>'
        )
        x += 30 + 6.5 * len(name)
