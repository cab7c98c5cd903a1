"""No page answers with a server error, whatever a signed-in user sends it (issue 16, item 8).

Each role signs in to a small synthetic demo and walks the pages a browser would reach: the
home page, every URL pattern without parameters, and the links found on the pages (a few
pages per route pattern, so a list of a hundred people costs three visits, not a hundred).
Then it submits each form it found with boundary values (dates in the years 1, 9999 and
99999, impossible dates, huge and non-numbers, 5,000-character text, NUL bytes, options the
form does not offer), one field at a time and all at once, and sends each page's usual query
parameters (``date``, ``since``, ``from``, ``to``, ``page`` ...) far in the past and future.

Any 5xx fails the test, with every request that got one listed. The walk is bounded by
counts, never by the clock, and it must actually reach pages and forms, so it cannot pass by
visiting nothing. The admin, single sign-on, static files, sign-out, the second factor and
the API (fuzzed by the API's own tests) are left out.

The second test saves the same visit from two connections at the same moment on SQLite: the
one that finds the record locked gets the conflict screen (409), never a 500, and nothing of
it is saved.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.db import connection, transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone

from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES, Role
from provide.demo.services import demo_data_load
from provide.health.models import SupportRecord
from provide.intake.selectors import investigation_list_for
from provide.visits.policies import can_start_visit
from provide.visits.services import visit_plan, visit_record
from tests.visits.formdata import form_data, with_changes

DEMO_PASSWORD = "synthetic-walk-password-1"
SKIPPED_PATHS = re.compile(r"^/(admin|oidc|static|api|accounts/second-factor|sign-out)(/|$)")

PAGES_PER_ROUTE = 2
"""Pages visited per URL pattern: the first shows the page, the second a different record."""
MAX_PAGES = 200
"""A backstop: the walk stops by itself at PAGES_PER_ROUTE pages of each URL pattern."""
FORMS_PER_ACTION = 1
"""Forms submitted per (URL pattern, method) they post to."""
ROUTES_AT_LEAST = {
    "response_officer": 12,
    "triage_sergeant": 20,
    "joint_team_officer": 12,
    "health_idva": 12,
    "idva_manager": 18,
    "safeguarding_officer": 14,
    "analyst": 3,
    "administrator": 10,
}
"""URL patterns each role's walk shows a page of (status 200): about two thirds of what it
reached when this test was written, so a walk that stops reaching pages fails."""
KEPT_AS_IS = frozenset({"csrfmiddlewaretoken"})
QUERY_NAMES = ("date", "since", "until", "from", "to", "date_from", "date_to", "on", "week")


@dataclasses.dataclass(frozen=True)
class Variant:
    """One set of boundary values, by the kind of value a field takes."""

    name: str
    date: str
    datetime: str
    time: str
    number: str
    text: str | None  # None: leave text as it was (or a harmless filler when empty)
    option: str | None  # None: keep the option the form offers


VARIANTS = (
    Variant(
        "far future", "9999-12-31", "9999-12-31T23:59", "23:59", "99999999999999999999", None, None
    ),
    Variant("far past", "0001-01-01", "0001-01-01T00:00", "00:00", "-1", None, None),
    Variant(
        "five-digit year", "99999-01-01", "99999-01-01T00:00", "24:00", "1e400", "x" * 5000, None
    ),
    Variant(
        "impossible", "2026-02-30", "2026-13-01T25:61", "25:61", "NaN", "\x00", "zzz-not-an-option"
    ),
)
FIELD_VARIANTS = VARIANTS[:3]
"""Tried on one date, time or number field at a time, the others left as the page drew them."""


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    kind: str  # the input's type, or "select" / "textarea" / "button"
    value: str


@dataclasses.dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list[Field] = dataclasses.field(default_factory=list)


class _PageReader(HTMLParser):
    """The links and forms on a page, each field with the value the page drew it with."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            action = urljoin(self.page, a.get("action") or self.page)
            self._form = Form(self.page, action, a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "textarea", "select", "button") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            self._form.fields.append(Field(a["name"], kind.lower(), a.get("value", "")))
        elif tag == "option" and self._form.fields and a.get("value"):
            last = self._form.fields[-1]
            if last.kind == "select" and (not last.value or "selected" in a):
                self._form.fields[-1] = dataclasses.replace(last, value=a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
DATETIME_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?")
TIME_TEXT = re.compile(r"\d{2}:\d{2}")
NUMBER_TEXT = re.compile(r"-?\d+(\.\d+)?")
DATE_NAME = re.compile(r"date|_on$|_from$|_to$|since|until|^from$|^to$|^on$|day|week")


def value_kind(field: Field) -> str:
    """What a field holds: ``date``, ``datetime``, ``time``, ``number``, ``option`` or ``text``."""
    if field.kind == "date" or DATE_TEXT.fullmatch(field.value):
        return "date"
    if field.kind == "datetime-local" or DATETIME_TEXT.fullmatch(field.value):
        return "datetime"
    if field.kind == "time" or TIME_TEXT.fullmatch(field.value):
        return "time"
    if field.kind == "number" or field.name in ("page", "lock_version"):
        return "number"
    if field.kind in ("text", "hidden") and NUMBER_TEXT.fullmatch(field.value):
        return "number"
    if field.kind in ("text", "hidden") and DATE_NAME.search(field.name):
        return "date"
    if field.kind in ("select", "checkbox", "radio", "submit", "button", "file"):
        return "option"
    return "text"


def boundary_value(field: Field, variant: Variant) -> str:
    """The value ``variant`` puts in ``field``."""
    kind = value_kind(field)
    if kind in ("date", "datetime", "time", "number"):
        return str(getattr(variant, kind))
    if kind == "option":
        if field.kind == "select" and variant.option is not None:
            return variant.option
        return field.value or "on"
    return variant.text if variant.text is not None else field.value or "Synthetic value 12"


def drawn_values(form: Form) -> dict[str, str]:
    """What a user who changed nothing would send (empty text gets a harmless filler)."""
    return {
        field.name: field.value or ("Synthetic value 12" if value_kind(field) == "text" else "")
        for field in form.fields
    }


def submissions(form: Form) -> Iterator[tuple[str, dict[str, str]]]:
    """(label, data) for each boundary submission of ``form``: every field at once per
    variant, then each date, time or number field on its own."""
    for variant in VARIANTS:
        yield (
            variant.name,
            {
                field.name: field.value
                if field.name in KEPT_AS_IS
                else boundary_value(field, variant)
                for field in form.fields
            },
        )
    drawn = drawn_values(form)
    for field in form.fields:
        if field.name in KEPT_AS_IS or value_kind(field) in ("text", "option"):
            continue
        for variant in FIELD_VARIANTS:
            yield (
                f"{field.name}: {variant.name}",
                {**drawn, field.name: boundary_value(field, variant)},
            )


def query_variants() -> Iterator[tuple[str, dict[str, str]]]:
    for variant in VARIANTS:
        query = dict.fromkeys(QUERY_NAMES, variant.date)
        yield f"query {variant.name}", {**query, "page": variant.number, "year": variant.number}


def url_patterns(patterns: list[URLPattern | URLResolver], prefix: str = "/") -> Iterator[str]:
    """Every URL pattern's path, for those without parameters."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if "<" in route or "^" in route or "(" in route:
            continue
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, route)
        else:
            yield route


def route_of(path: str) -> str:
    """The URL pattern a path matches (``cases/<uuid:case_id>/``), or the path itself."""
    try:
        return resolve(path).route
    except Resolver404:
        return path


def is_walked(url: str) -> bool:
    """True for this site's pages, less the skipped ones."""
    parts = urlsplit(url)
    return (
        parts.scheme in ("", "http", "https")
        and parts.netloc in ("", "testserver")
        and parts.path.startswith("/")
        and not SKIPPED_PATHS.match(parts.path)
    )


@dataclasses.dataclass
class Walk:
    """One signed-in user's walk: what it reached and every 5xx it met."""

    client: Client
    failures: list[str] = dataclasses.field(default_factory=list)
    routes_shown: dict[str, str] = dataclasses.field(default_factory=dict)
    """URL pattern -> the first page of it that was shown."""
    forms: list[Form] = dataclasses.field(default_factory=list)
    """Every form found so far, in the order found."""
    forms_sent: Counter[tuple[str, str]] = dataclasses.field(default_factory=Counter)
    """(URL pattern, method) -> forms submitted to it."""
    pages_seen: Counter[str] = dataclasses.field(default_factory=Counter)
    """URL pattern -> pages of it visited."""
    urls_seen: set[str] = dataclasses.field(default_factory=set)
    requests: Counter[str] = dataclasses.field(default_factory=Counter)

    def send(self, method: str, url: str, data: dict[str, str], label: str) -> HttpResponseBase:
        if method == "post":
            response = self.client.post(url, data)
        else:
            response = self.client.get(f"{urlsplit(url).path}?{urlencode(data)}")
        self.requests[method] += 1
        if response.status_code >= 500:
            self.failures.append(
                f"{method.upper()} {url} [{label}] {data!r:.300} -> {response.status_code}"
            )
        return response

    def pages(self, start: list[str]) -> None:
        """Visit pages breadth-first from ``start``, keeping the forms found on them."""
        queue = list(start)
        while queue and self.pages_seen.total() < MAX_PAGES:
            url = queue.pop(0)
            route = route_of(urlsplit(url).path)
            if url in self.urls_seen or self.pages_seen[route] >= PAGES_PER_ROUTE:
                continue
            self.urls_seen.add(url)
            self.pages_seen[route] += 1
            queue += self.visit(url, route)

    def visit(self, url: str, route: str) -> list[str]:
        """GET one page; return the links on it."""
        response = self.client.get(url)
        self.requests["get"] += 1
        if response.status_code >= 500:
            self.failures.append(f"GET {url} [as linked] -> {response.status_code}")
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return []
        self.routes_shown.setdefault(route, urlsplit(url).path)
        reader = _PageReader(url)
        reader.feed(response.content.decode(errors="replace"))
        self.forms += reader.forms
        return [link for link in (urljoin(url, href) for href in reader.links) if is_walked(link)]

    def submit(self) -> None:
        """Send each form's boundary submissions, bounded per action and method. A
        submission that saves and moves on (a redirect) may lead to a page not linked before,
        such as a new visit's record: the first one per action is visited too, and its forms
        join the list."""
        for form in self.forms:  # grows while it is read
            key = (route_of(urlsplit(form.action).path), form.method)
            if not is_walked(form.action) or self.forms_sent[key] >= FORMS_PER_ACTION:
                continue
            self.forms_sent[key] += 1
            followed = False
            for label, data in submissions(form):
                response = self.send(form.method, form.action, data, label)
                target = urljoin(form.action, response.get("Location", ""))
                if response.status_code in (301, 302, 303) and not followed and is_walked(target):
                    followed = True
                    self.urls_seen.add(target)
                    self.visit(target, route_of(urlsplit(target).path))

    def queries(self) -> None:
        """Send the date and page query parameters to one page of each URL pattern shown."""
        for path in sorted(self.routes_shown.values()):
            for label, data in query_variants():
                self.send("get", path, data, label)


def demo_user(role: Role) -> User:
    summary = demo_data_load(end_on=timezone.localdate(), days=1, seed=3, password=DEMO_PASSWORD)
    return User.objects.get(username=summary.users[role.name])


def start_pages(user: User) -> list[str]:
    """The home page, every URL pattern without parameters and, for the roles that record
    visits, a visit still to record (the demo's visits are all finished, and their record
    page then has no form to submit)."""
    pages = ["/", *(path for path in url_patterns(get_resolver().url_patterns) if is_walked(path))]
    investigation = investigation_list_for(user=user).order_by("recorded_at").first()
    if can_start_visit(user) and investigation is not None:
        visit = visit_plan(user=user, investigation=investigation)
        pages.append(reverse("visits:visit-record", args=[visit.public_id]))
    return pages


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda role: role.slug)
def test_no_page_or_form_answers_with_a_server_error(role: Role) -> None:
    """Each role walks its pages and forms with boundary values; nothing answers 5xx."""
    user = demo_user(role)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    walk = Walk(client)

    walk.pages(start_pages(user))
    walk.submit()
    walk.queries()

    assert not walk.failures, f"{len(walk.failures)} server errors for {role.slug}:\n" + "\n".join(
        walk.failures
    )
    assert len(walk.routes_shown) >= ROUTES_AT_LEAST[role.slug], sorted(walk.routes_shown)
    assert walk.forms_sent, f"{role.slug} submitted no form; pages: {sorted(walk.routes_shown)}"
    if can_start_visit(user):
        assert walk.forms_sent["visits/<uuid:visit_id>/", "post"], sorted(walk.forms_sent)
    assert client.get(reverse("web:home")).status_code == 200  # still signed in at the end


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL makes the second save wait on the row lock instead "
    "(tests/visits/test_concurrency.py)",
)
def test_a_visit_saved_while_another_save_holds_it_gets_the_conflict_screen(
    make_user: Callable[..., User], west_case: dict[str, Any]
) -> None:
    """The officer's save is still open when the IDVA saves the same visit: the IDVA gets
    the conflict screen (409), not a 500, and nothing of the IDVA's save is written.

    The test database is SQLite in memory with a shared cache, where the second connection
    finds the visit's table locked at once ("database table is locked"); on a file database
    the second save would wait for the first and then find the visit changed. Both are 409.
    """
    officer, idva = make_user("joint_team_officer"), make_user("health_idva")
    visit = visit_plan(user=officer, investigation=west_case["investigation"])
    url = reverse("visits:visit-record", args=[visit.public_id])
    client = Client(raise_request_exception=False)
    client.force_login(idva)
    idva_form = form_data(client.get(url).content.decode())
    holding, release, officer_saved = threading.Event(), threading.Event(), threading.Event()

    def officer_saves() -> None:
        try:
            with transaction.atomic():
                visit_record(
                    user=officer,
                    visit_id=visit.public_id,
                    lock_version=1,
                    values={"shared": {"contact_result": "engaged"}},
                )
                holding.set()
                release.wait(30)
            officer_saved.set()
        finally:
            connection.close()

    officer_thread = threading.Thread(target=officer_saves)
    officer_thread.start()
    try:
        assert holding.wait(30)
        response = client.post(
            url,
            {
                **with_changes(
                    idva_form, shared__contact_result="declined", health__notes="Typed at the door"
                ),
                "action": "save",
            },
        )
    finally:
        release.set()
        officer_thread.join(30)

    assert response.status_code == 409, response.content.decode()[:2000]
    assert officer_saved.is_set()
    visit.refresh_from_db()
    assert visit.contact_result == "engaged" and visit.lock_version == 2
    assert not SupportRecord.objects.filter(visit=visit).exists()
