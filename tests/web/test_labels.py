"""Every stored code reaches a page in plain English, through the one label registry."""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from html.parser import HTMLParser
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES
from provide.demo.services import demo_data_load
from provide.intake.models import AbuseType
from provide.people.models import Vulnerability
from provide.safeguarding.models import ReferralService
from provide.visits.models import Visit
from provide.web.labels import (
    HOME_OFFICE_OUTCOMES,
    known_codes,
    label_for,
    labels_for,
    vocabularies,
)

SNAKE_CODES = frozenset(code for code in known_codes() if "_" in code)
"""Codes that can never be ordinary English words on a page."""


class _VisibleText(HTMLParser):
    """The text a reader sees (scripts and styles left out) and the page's own links."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        href = dict(attrs).get("href")
        if tag == "a" and href and href.startswith("/"):
            self.links.append(href.split("#")[0])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def codes_shown(html: str) -> set[str]:
    parser = _VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    return {
        code for code in SNAKE_CODES if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)
    }


# --- the registry ------------------------------------------------------------------------


def test_every_choice_has_its_declared_label() -> None:
    assert label_for("no_contact", "visit.contact_result") == "No contact"
    assert label_for("joint_visit_post", "triagedecision.decision") == "Joint visit (post-incident)"
    assert label_for("charged_remanded") == "Charged and remanded"
    for choices, vocabulary in (
        (AbuseType.choices, "abuse_type"),
        (Vulnerability.choices, "vulnerability"),
        (ReferralService.Target.choices, "referral_target"),
        (Visit.PlaceType.choices, "visit.place_type"),
    ):
        assert {code: label_for(code, vocabulary) for code, _ in choices} == dict(choices)


def test_a_list_of_codes_becomes_one_line_of_labels() -> None:
    assert (
        labels_for(["coercive_control", "emotional"], "abuse_type")
        == "Coercive control, Emotional or psychological"
    )
    assert labels_for([], "abuse_type") == "" and labels_for(None) == "" and labels_for("") == ""


def test_one_code_with_two_meanings_takes_the_named_vocabulary() -> None:
    assert label_for("gp", "visit.place_type") == "GP surgery"
    assert label_for("gp", "referral_target") == "GP (IRISi)"
    assert label_for("open", "handovertask.status") == "Not started"


def test_home_office_outcomes_have_words() -> None:
    assert set(HOME_OFFICE_OUTCOMES) == {str(n) for n in range(1, 23)} | {"1A"}
    assert label_for("16", "outcome").startswith("Evidential difficulties")


def test_an_unlabelled_code_is_still_shown_as_words_and_a_bad_vocabulary_fails_loudly() -> None:
    assert label_for("some_new_code") == "Some new code"
    with pytest.raises(KeyError):
        label_for("engaged", "visit.contact_resultz")


def test_the_template_filter_reads_the_registry() -> None:
    template = Template('{% load labels %}{{ codes|label:"referral_target" }} / {{ code|label }}')
    rendered = template.render(
        Context({"codes": ["childrens_services", "refuge"], "code": "released_rui"})
    )
    assert rendered == "Children&#x27;s services, Refuge or hostel / Released under investigation"


def test_the_registry_covers_every_vocabulary_stored_in_lists() -> None:
    assert {"abuse_type", "vulnerability", "referral_target", "service", "outcome"} <= set(
        vocabularies()
    )


def test_the_code_finder_finds_a_code_in_text_but_not_in_attributes_or_scripts() -> None:
    assert codes_shown("<p>Abuse types: coercive_control, emotional</p>") == {"coercive_control"}
    assert codes_shown('<input value="no_contact"><script>var x = "no_contact";</script>') == set()


# --- the pages, as each role sees them with demo data ---------------------------------------

SKIP = re.compile(r"sign-out|\.pdf|\.xlsx|/download/|/admin/|/api/|export")
PAGES_PER_ROLE = 45
PAGES_PER_KIND = 2


def _kind(url: str) -> str:
    """Pages of one kind share a URL up to the first id or query."""
    return re.split(r"[0-9a-f]{8}-[0-9a-f]{4}-|\?", url)[0]


def _crawl(client: Client, start: list[str]) -> dict[str, set[str]]:
    """Visit up to PAGES_PER_ROLE pages reachable from ``start``; the codes each one shows."""
    queue, seen, per_kind, found = deque(start), set[str](), dict[str, int](), dict[str, set[str]]()
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if codes := codes_shown(html):
            found[url] = codes
        parser = _VisibleText()
        parser.feed(html)
        for link in parser.links:
            kind = _kind(link)
            if (
                link not in seen
                and not SKIP.search(link)
                and per_kind.get(kind, 0) < PAGES_PER_KIND
            ):
                per_kind[kind] = per_kind.get(kind, 0) + 1
                queue.append(link)
    return found


@pytest.fixture
def demo(db: Any) -> dict[str, str]:
    today = timezone.localdate()
    demo_data_load(end_on=today, days=3, seed=7, bcus=("West",), password="demo-password-123")
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    return {"yesterday": yesterday}


@pytest.mark.parametrize("role", [role.slug for role in ALL_ROLES])
def test_no_page_shows_a_raw_code(role: str, demo: dict[str, str]) -> None:
    user = User.objects.get(groups__name=next(r.name for r in ALL_ROLES if r.slug == role))
    client = Client()
    client.force_login(user)
    start = [
        "/",
        "/triage/?show=all",
        f"/triage/?show=all&date={demo['yesterday']}",
        "/triage/handover/",
        "/safeguarding/marac/",
        "/visits/",
        "/planning/",
    ]
    assert _crawl(client, start) == {}
