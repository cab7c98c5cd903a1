"""The evaluation report as one self-contained HTML page, and that page printed to PDF."""

from __future__ import annotations

import base64
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from provide.core.evaluation import build_report, publish, report_document
from provide.core.evaluation.render import render_html, render_pdf
from tests.core.evaluation.test_report import investigation_rows, tracker_rows

CHART = re.compile(r'<img alt="([^"]*)" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)">')


def tracker_document() -> dict[str, Any]:
    return report_document(build_report(tracker_rows()))


def charts(page: str) -> list[tuple[str, str]]:
    """Each chart's alt text and its SVG."""
    return [(alt, base64.b64decode(data).decode()) for alt, data in CHART.findall(page)]


def headings(page: str) -> list[str]:
    return re.findall(r"<h2>(.*?)</h2>", page)


def test_report_document_and_html_render_every_section() -> None:
    report = build_report(tracker_rows(), investigation_rows(), go_live={"West": date(2020, 4, 1)})
    page = render_html(report_document(report))
    assert page.count("data:image/svg+xml;base64,") == 7
    assert page.count("<table>") >= 8
    assert "Interrupted time series" in page and "Matched comparison group" in page
    assert "2021/22 Q1" in page


def test_a_tracker_only_report_has_its_sections_in_order_and_no_investigation_sections() -> None:
    page = render_html(tracker_document())
    assert headings(page) == [
        "Headline figures",
        "Engagement before and after the visit",
        "Time from police visit to IDVA visit",
        "IDVA support acceptance by delay band",
        "Engagement with safeguarding by delay band",
        "Acceptance by time of day",
        "Data quality notes",
    ]
    assert len(charts(page)) == 4  # delay, two delay-band charts, hour of day


def test_headline_counts_and_proportions_are_table_cells_with_wilson_intervals() -> None:
    page = render_html(tracker_document())
    # 12 of the 60 fixture rows have a delay within 24 h; 40 accepted support.
    assert (
        '<td class="l">IDVA visit within 24 h of police visit</td>'
        "<td>12</td><td>60</td><td>20.0%</td><td>11.8% – 31.8%</td>"
    ) in page
    assert '<td class="l">Accepted IDVA support</td><td>40</td><td>60</td><td>66.7%</td>' in page
    # No one was asked about before: no rate and no interval, not "0%".
    assert (
        '<td class="l">Previously engaged with an investigation (self-reported)</td>'
        "<td>0</td><td>0</td><td>–</td><td>–</td>"
    ) in page


def test_every_chart_has_alt_text_and_sits_beside_the_table_of_its_numbers() -> None:
    page = render_html(tracker_document())
    alts = [alt for alt, _ in charts(page)]
    assert alts == [
        "Share of IDVA visits by delay band",
        "IDVA support accepted by delay band",
        "engaged with safeguarding by delay band",
        "Acceptance of support by hour of visit",
    ]
    pairs = re.findall(r'<div class="pair"><div><img [^>]*></div><div>(.*?)</div></div>', page)
    assert len(pairs) == 4 and all("<table>" in table for table in pairs)


def test_the_page_is_self_contained_with_no_script_or_external_file() -> None:
    page = render_html(tracker_document())
    assert "<script" not in page
    links = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert len(links) == 4 and all(link.startswith("data:image/svg+xml;base64,") for link in links)
    assert "url(" not in page and "@import" not in page
    assert page.startswith("<!doctype html>") and '<html lang="en-GB">' in page


def test_the_same_document_gives_the_same_page() -> None:
    assert render_html(tracker_document()) == render_html(tracker_document())


def test_title_selection_sources_and_notes_are_escaped() -> None:
    document = tracker_document()
    document["selection"] = {"bcu": "West <North>", "from": "2022-04-01", "to": None}
    document["sources"] = {"tracker": "tracker & co.csv"}
    document["notes"] = ['row 3: "<b>bad</b>" date']
    page = render_html(document, title="Provide <evaluation> & more")
    assert "<title>Provide &lt;evaluation&gt; &amp; more</title>" in page
    assert "<h1>Provide &lt;evaluation&gt; &amp; more</h1>" in page
    assert (
        "<p>BCU: West &lt;North&gt;; period: 2022-04-01 to end of data. "
        "Sources: tracker = tracker &amp; co.csv</p>"
    ) in page
    assert "<li>row 3: &quot;&lt;b&gt;bad&lt;/b&gt;&quot; date</li>" in page
    assert "<b>bad</b>" not in page


def test_an_unfiltered_selection_reads_all_bcus_over_all_the_data() -> None:
    document = tracker_document()
    document["selection"] = {}
    page = render_html(document)
    assert "<p>BCU: all; period: start of data to end of data. Sources: </p>" in page


def test_without_notes_there_is_no_notes_section() -> None:
    document = tracker_document()
    document["notes"] = []
    assert "Data quality notes" not in render_html(document)


def test_published_html_withholds_small_counts() -> None:
    report = build_report(tracker_rows()[:7])
    page = render_html(publish(report_document(report)))
    assert "&lt;5" in page
    assert "Published version" in page
    assert "T3" not in page


def test_the_full_report_has_no_published_banner() -> None:
    assert "Published version" not in render_html(tracker_document())


def test_withheld_values_are_shown_as_withheld_and_left_out_of_the_charts() -> None:
    full = report_document(build_report(tracker_rows()[:7]))
    published = publish(full)
    full_page, published_page = render_html(full), render_html(published)
    assert (
        '<td class="l">IDVA visit within 24 h of police visit</td>'
        "<td>&lt;5</td><td>5</td><td>withheld</td><td>withheld</td>"
    ) in published_page
    # The delay chart: every band has a rate in the full figures and none once published.
    bars = len([b for b in full["delay_bands"].values() if b["value"] is not None])
    assert bars == 3
    full_delay, published_delay = charts(full_page)[0][1], charts(published_page)[0][1]
    assert full_delay.count('id="patch_') - published_delay.count('id="patch_') == bars


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tracker-only report printed to PDF once for every PDF test (WeasyPrint is slow)."""
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    path.write_bytes(render_pdf(render_html(tracker_document())))
    return path


def test_pdf_is_a_pdf(report_pdf: Path) -> None:
    pdf = report_pdf.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 5_000
    info = subprocess.run(
        ["pdfinfo", str(report_pdf)], check=True, capture_output=True, text=True
    ).stdout
    assert re.search(r"^Pages:\s+[1-9]", info, re.MULTILINE)


def test_pdf_prints_every_section_and_the_headline_figures(report_pdf: Path) -> None:
    text = subprocess.run(
        ["pdftotext", str(report_pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    words = " ".join(text.split())
    for heading in (
        "Provide evaluation report",
        "Headline figures",
        "Time from police visit to IDVA visit",
        "IDVA support acceptance by delay band",
        "Acceptance by time of day",
        "Data quality notes",
    ):
        assert heading in words
    # 12 of the 60 fixture rows have a delay within 24 h, 40 accepted support (as in the JSON).
    assert "IDVA visit within 24 h of police visit 12 60 20.0%" in words
    assert "Accepted IDVA support 40 60 66.7%" in words


def test_render_pdf_prints_any_page_it_is_given() -> None:
    pdf = render_pdf("<!doctype html><html><body><h1>Only a title</h1></body></html>")
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
