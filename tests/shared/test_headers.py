"""The headers every response carries: a strict CSP that every page keeps to (no inline script
or style anywhere), no-store on everything but static files, Permissions-Policy and COOP."""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import Client, RequestFactory
from django.utils import timezone
from django.views.decorators.cache import never_cache

import provide
from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES
from provide.demo.services import demo_data_load
from provide.planning.models import Plan, PlannedStop, Shift
from provide.shared.headers import (
    PERMISSIONS_POLICY,
    NoStoreMiddleware,
    PermissionsPolicyMiddleware,
    is_static_path,
    permissions_policy_header,
)
from tests.planning.test_services import west_shift  # noqa: F401 - the shift fixture (07:00-15:00)

EXPECTED_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}
DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}
"""<script> types that hold data, never run (``json_script``): the CSP does not apply."""


def csp_of(response: HttpResponseBase) -> dict[str, set[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {words[0]: set(words[1:]) for words in directives}


def cache_directives(response: HttpResponseBase) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


class InlineCode(HTMLParser):
    """What a strict CSP would refuse in a page (inline script, style and handlers, code that
    htmx would evaluate), and the page's own links to follow."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.links: list[str] = []
        self._script_start: tuple[str, bool] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = {name: value or "" for name, value in attrs}
        where = f"<{tag}{' id=' + given['id'] if 'id' in given else ''}>"
        if tag == "style":
            self.found.append(f"{where} element")
        if tag == "script":
            runs = given.get("type", "").lower() not in DATA_BLOCK_TYPES
            self._script_start = (where, runs and "src" not in given)
        for name, value in given.items():
            if name == "style":
                self.found.append(f"{where} style attribute")
            elif name.startswith("on"):
                self.found.append(f"{where} {name} handler")
            elif name in (
                "href",
                "src",
                "action",
                "formaction",
            ) and value.strip().lower().startswith("javascript:"):
                self.found.append(f"{where} javascript: URL")
            elif name.startswith(("hx-on", "data-hx-on")) or name in ("hx-vars", "js-vars"):
                self.found.append(f"{where} {name} (htmx evaluates it)")
            elif name in ("hx-trigger", "data-hx-trigger") and "[" in value:
                self.found.append(f"{where} hx-trigger filter (htmx evaluates it)")
            elif name in ("hx-vals", "data-hx-vals") and value.strip().startswith("js:"):
                self.found.append(f"{where} hx-vals js: (htmx evaluates it)")
        href = given.get("href", "")
        if tag == "a" and href.startswith("/"):
            self.links.append(href.split("#")[0])

    def handle_data(self, data: str) -> None:
        if self._script_start is not None and self._script_start[1] and data.strip():
            self.found.append(f"{self._script_start[0]} inline script")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_start = None


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_inline_code_finder_finds_what_the_csp_refuses() -> None:
    assert inline_code('<p style="color: red">x</p><svg><rect style="fill: red"/></svg>') == [
        "<p> style attribute",
        "<rect> style attribute",
    ]
    assert inline_code("<style>p {}</style><script>alert(1)</script>") == [
        "<style> element",
        "<script> inline script",
    ]
    assert inline_code('<button onclick="go()">Go</button><a href="javascript:go()">Go</a>') == [
        "<button> onclick handler",
        "<a> javascript: URL",
    ]
    assert inline_code(
        '<div hx-trigger="every 2s [ready()]"></div><div hx-on:click="x()"></div>'
    ) == ["<div> hx-trigger filter (htmx evaluates it)", "<div> hx-on:click (htmx evaluates it)"]
    assert (
        inline_code(
            '<script src="/static/a.js"></script><script type="application/json" id="c">{}</script>'
            '<div hx-trigger="every 120s"></div>'
        )
        == []
    )


# --- the middleware on its own ------------------------------------------------------------------


def _through(middleware: type[Any], path: str, response: HttpResponseBase) -> HttpResponseBase:
    def view(request: HttpRequest) -> HttpResponseBase:
        return response

    return middleware(view)(RequestFactory().get(path))  # type: ignore[no-any-return]


def test_no_store_is_added_to_pages_and_downloads() -> None:
    assert (
        _through(NoStoreMiddleware, "/people/", HttpResponse("a page"))["Cache-Control"]
        == "no-store"
    )
    download = HttpResponse(b"PK", content_type="application/vnd.ms-excel")
    download["Cache-Control"] = "private, max-age=600"
    assert (
        _through(NoStoreMiddleware, "/health/tracker/export/", download)["Cache-Control"]
        == "no-store"
    )


def test_no_store_keeps_a_stricter_header_and_leaves_static_files_alone() -> None:
    stricter = never_cache(lambda request: HttpResponse("x"))(RequestFactory().get("/"))
    assert _through(NoStoreMiddleware, "/", stricter)["Cache-Control"] == stricter["Cache-Control"]
    static = HttpResponse("body {}")
    static["Cache-Control"] = "max-age=60, public"
    assert (
        _through(NoStoreMiddleware, "/static/provide/provide.css", static)["Cache-Control"]
        == "max-age=60, public"
    )


def test_static_paths_follow_static_url(settings: Any) -> None:
    assert (
        is_static_path("/static/provide/init.js")
        and not is_static_path("/staticky/")
        and not is_static_path("/")
    )
    settings.STATIC_URL = "https://assets.example.org/provide-static/"
    assert is_static_path("/provide-static/x.css") and not is_static_path("/static/x.css")


def test_permissions_policy_denies_every_powerful_feature() -> None:
    header = _through(PermissionsPolicyMiddleware, "/", HttpResponse("x"))["Permissions-Policy"]
    assert header == permissions_policy_header(PERMISSIONS_POLICY)
    assert "camera=()" in header and "microphone=()" in header and "geolocation=()" in header
    assert set(PERMISSIONS_POLICY.values()) == {"()"}
    assert (
        permissions_policy_header({"camera": "()", "geolocation": "(self)"})
        == "camera=(), geolocation=(self)"
    )


# --- the whole stack -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sign_in_page_carries_every_header(client: Client) -> None:
    response = client.get("/sign-in/")
    assert response.status_code == 200
    assert csp_of(response) == EXPECTED_CSP
    assert "no-store" in cache_directives(response)
    assert response["Permissions-Policy"] == permissions_policy_header(PERMISSIONS_POLICY)
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
    assert inline_code(response.content.decode()) == []
    assert (
        '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false'
        in response.content.decode()
    )


@pytest.mark.django_db
def test_redirects_and_api_answers_are_not_stored_either(client: Client) -> None:
    redirect = client.get("/triage/")
    assert redirect.status_code == 302 and redirect["Cache-Control"] == "no-store"
    api = client.get("/api/cases/")
    assert (
        api.status_code == 401
        and api["Cache-Control"] == "no-store"
        and csp_of(api) == EXPECTED_CSP
    )


def test_static_files_keep_their_caching(client: Client) -> None:
    response = client.get("/static/provide/provide.css")
    assert response.status_code == 200
    assert (
        "no-store" not in response.get("Cache-Control", "")
        and "max-age" in response["Cache-Control"]
    )


@pytest.mark.django_db
def test_the_api_answers_json_only_never_the_browsable_pages(personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["triage_sergeant"])
    response = client.get("/api/cases/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


# --- every template and every page ----------------------------------------------------------------

PACKAGE = Path(provide.__file__).parent
PDF_ONLY_TEMPLATES = {"safeguarding/marac_referral_form.html"}
"""Printed by WeasyPrint, never served as a page (no CSP applies to a PDF): may keep a <style>."""


def _templates() -> Iterator[tuple[str, str]]:
    for path in sorted(PACKAGE.rglob("templates/**/*.html")):
        name = path.relative_to(next(p for p in path.parents if p.name == "templates")).as_posix()
        yield name, path.read_text(encoding="utf-8")


def test_no_template_holds_inline_script_or_style() -> None:
    found = {
        name: inline_code(text) for name, text in _templates() if name not in PDF_ONLY_TEMPLATES
    }
    assert {name: code for name, code in found.items() if code} == {}
    assert len(found) > 50


def test_pdf_only_templates_are_rendered_only_for_pdfs() -> None:
    for name in PDF_ONLY_TEMPLATES:
        users = [
            path.relative_to(PACKAGE).as_posix()
            for path in PACKAGE.rglob("*.py")
            if name in path.read_text(encoding="utf-8")
        ]
        assert users == ["safeguarding/pdf.py"], f"{name} is rendered by {users}"


SKIP = re.compile(
    r"sign-out|logout|\.pdf|\.xlsx|\.csv|/download|export|/delete/|/history/|/password/|/api/"
)
PAGES_PER_ROLE = 60
PAGES_PER_KIND = 2


def _kind(url: str) -> str:
    """Pages of one kind share a URL up to the first id or query."""
    return re.split(r"[0-9a-f]{8}-[0-9a-f]{4}-|/\d+/|\?", url)[0]


def _walk(client: Client, start: list[str]) -> tuple[int, dict[str, list[str]]]:
    """Visit up to PAGES_PER_ROLE pages reachable from ``start``; each response's missing
    headers and inline code. Returns how many pages were read, and the findings."""
    queue, seen, per_kind, found = (
        deque(start),
        set[str](),
        dict[str, int](),
        dict[str, list[str]](),
    )
    pages = 0
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        problems = []
        if csp_of(response) != EXPECTED_CSP:
            problems.append(f"CSP is {response.get('Content-Security-Policy')!r}")
        if "no-store" not in cache_directives(response):
            problems.append(f"Cache-Control is {response.get('Cache-Control')!r}")
        if not response.get("Permissions-Policy"):
            problems.append("no Permissions-Policy")
        html = response.content.decode() if "html" in response.get("Content-Type", "") else ""
        if (
            response.status_code == 200
            and html
            and "attachment" not in response.get("Content-Disposition", "")
        ):
            pages += 1
            parser = InlineCode()
            parser.feed(html)
            problems.extend(parser.found)
            for link in parser.links:
                kind = _kind(link)
                if (
                    link not in seen
                    and not SKIP.search(link)
                    and per_kind.get(kind, 0) < PAGES_PER_KIND
                ):
                    per_kind[kind] = per_kind.get(kind, 0) + 1
                    queue.append(link)
        if problems:
            found[url] = problems
    return pages, found


@pytest.fixture
def demo(db: Any) -> str:
    today = timezone.localdate()
    demo_data_load(end_on=today, days=3, seed=7, bcus=("West",), password="demo-password-123")
    return (today - dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("role", [role.slug for role in ALL_ROLES])
def test_every_page_of_every_role_keeps_to_the_csp(role: str, demo: str) -> None:
    user = User.objects.get(groups__name=next(r.name for r in ALL_ROLES if r.slug == role))
    client = Client()
    client.force_login(user)
    start = [
        "/",
        "/triage/?show=all",
        f"/triage/?show=all&date={demo}",
        "/triage/handover/",
        "/safeguarding/marac/",
        "/visits/",
        "/planning/",
        "/evaluation/",
        "/admin/",
    ]
    pages, found = _walk(client, start)
    assert found == {}
    assert pages >= 2, f"the walk read only {pages} pages as {role}"


@pytest.mark.django_db
def test_the_shift_timeline_is_drawn_with_svg_attributes_not_style(
    make_user: Any,
    west_case: dict[str, Any],
    west_shift: Shift,  # noqa: F811
) -> None:
    plan = Plan.objects.create(shift=west_shift, version=1, status=Plan.Status.CURRENT)
    PlannedStop.objects.create(
        plan=plan,
        sequence=1,
        investigation=west_case["investigation"],
        planned_arrival_at=west_shift.starts_at + dt.timedelta(hours=2),
        planned_departure_at=west_shift.starts_at + dt.timedelta(hours=4),
    )
    client = Client()
    client.force_login(make_user("triage_sergeant"))
    page = client.get(f"/planning/shifts/{west_shift.public_id}/").content.decode()
    # The shift runs 07:00-15:00: the visit from 09:00 to 11:00 starts a quarter in, a quarter long.
    assert re.search(
        r'<svg class="provide-timeline__visit" x="25\.0+%" y="4" width="25\.0+%"', page
    ), page
    assert inline_code(page) == []


def test_the_evaluation_charts_are_drawn_without_style(demo: str) -> None:
    client = Client()
    client.force_login(
        User.objects.get(groups__name=next(r.name for r in ALL_ROLES if r.slug == "analyst"))
    )
    charts = client.get("/evaluation/").content.decode()
    assert charts.count('<svg class="provide-chart"') >= 2
    assert inline_code(charts) == []
