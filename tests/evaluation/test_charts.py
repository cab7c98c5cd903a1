"""Inline SVG charts: an accessible name, every text escaped, only numbers drawn."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from provide.evaluation.charts import (
    BOTTOM,
    HEIGHT,
    TOP,
    Bar,
    Marker,
    Series,
    bar_chart,
    line_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own SVG, not untrusted input


def test_a_chart_is_an_image_labelled_by_its_title_and_description() -> None:
    root = parse(bar_chart("Acceptance <by> band", "Within 24 hours: 91% & more", [Bar("a", 0.5)]))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert (title.text, desc.text) == ("Acceptance <by> band", "Within 24 hours: 91% & more")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_two_charts_on_one_page_have_different_ids() -> None:
    first, second = parse(bar_chart("A", "a", [])), parse(bar_chart("B", "b", []))
    assert first.find(f"{SVG}title").get("id") != second.find(f"{SVG}title").get("id")  # type: ignore[union-attr]


def test_bar_heights_are_proportions_of_the_plot_and_withheld_values_are_not_drawn() -> None:
    bars = [
        Bar("Within 24 hours", 0.5),
        Bar("24 hours to 1 week", 1.0),
        Bar("Over 1 week", None),
        Bar("Flag", True),
        Bar("Text", "withheld"),
    ]
    root = parse(bar_chart("t", "d", bars))
    heights = [float(rect.get("height", "0")) for rect in root.iter(f"{SVG}rect")]
    assert heights == pytest.approx([PLOT_HEIGHT / 2, PLOT_HEIGHT], abs=0.1)
    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert {"Within 24 hours", "Over 1 week", "Flag", "Text"} <= set(labels)


def test_whiskers_are_drawn_only_with_both_interval_ends() -> None:
    root = parse(bar_chart("t", "d", [Bar("a", 0.5, 0.4, 0.6), Bar("b", 0.5, 0.4, None)]))
    assert len(list(root.iter(f"{SVG}path"))) == 1


def test_grouped_bars_sit_side_by_side_and_name_a_legend() -> None:
    bars = [Bar("Q1", 0.4, group=0), Bar("Q1", 0.6, group=1)]
    root = parse(bar_chart("t", "d", bars, groups=("West", "East")))
    xs = [float(rect.get("x", "0")) for rect in root.iter(f"{SVG}rect")]
    assert xs[0] < xs[1]
    assert {"West", "East"} <= {text.text for text in root.iter(f"{SVG}text")}


def test_a_line_breaks_where_a_value_is_missing() -> None:
    series = [
        Series("Accepted", [0.5, 0.6, None, 0.7, 0.8]),
        Series("Trend", [0.1, 0.2, 0.3], dashed=True),
    ]
    root = parse(line_chart("t", "d", ["Q1", "Q2", "Q3", "Q4", "Q5"], series))
    lines = [line.get("points", "").split() for line in root.iter(f"{SVG}polyline")]
    assert [len(points) for points in lines] == [2, 2, 3]
    assert len(list(root.iter(f"{SVG}circle"))) == 4  # only the solid line marks its points


def test_markers_are_labelled_and_escaped() -> None:
    root = parse(
        line_chart(
            "t",
            "d",
            ["2020", "2021"],
            [Series("s", [0.2, 0.4])],
            markers=[Marker(1, "West <go-live>")],
        )
    )
    assert "West <go-live>" in {text.text for text in root.iter(f"{SVG}text")}


def test_long_category_lists_label_about_eight_ticks() -> None:
    labels = [f"H{hour}" for hour in range(24)]
    root = parse(line_chart("t", "d", labels, [Series("", [0.5] * 24)]))
    ticks = [text.text for text in root.iter(f"{SVG}text") if (text.text or "").startswith("H")]
    assert ticks == labels[::3]
