"""The evaluation dashboard and its downloads: who opens them, what each role sees, the filter,
the file names, the audit of every export and the query count."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from provide.accounts.roles import ALL_ROLES
from provide.audit.models import AuditAction, AuditEvent
from provide.core.evaluation import publish
from provide.health.models import SupportRecord
from tests.audit_assertions import assert_audited
from tests.cast import HEALTH_SECRETS, PASSWORD
from tests.evaluation.conftest import NEGATIVE_ID

ALLOWED = {"idva_manager": "full", "analyst": "published", "triage_sergeant": "published"}
URL = "/evaluation/"


def client_for(make_user: Any, slug: str) -> Client:
    make_user(slug)
    client = Client()
    assert client.login(username=slug.replace("_", "."), password=PASSWORD)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda r: r.slug)
def test_only_the_idva_manager_analyst_and_police_supervisor_open_the_dashboard(
    role: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    client = client_for(make_user, role.slug)
    page = client.get(URL)
    download = client.get(f"{URL}download/json/")
    home = client.get("/").content.decode()
    if role.slug in ALLOWED:
        assert page.status_code == 200 and download.status_code == 200
        assert 'href="/evaluation/"' in home  # navigation (and, for the analyst, the home page)
    else:
        assert page.status_code == 403 and download.status_code == 403
        assert 'href="/evaluation/"' not in home
    assert (
        not AuditEvent.objects.filter(event="evaluation.report_exported")
        .exclude(actor__username=role.slug.replace("_", "."))
        .exists()
    )


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, db: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.django_db
def test_idva_manager_sees_full_figures_and_data_quality_notes(
    make_user: Any, programme: dict[str, Any]
) -> None:
    client = client_for(make_user, "idva_manager")
    html = client.get(URL).content.decode()
    assert "Full figures" in html
    assert NEGATIVE_ID in html  # the data-quality note names the row to fix
    assert "draft" in html
    data = json.loads(client.get(f"{URL}download/json/").content)
    assert data["suppressed"] is False and isinstance(data["tracker_rows"], int)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["analyst", "triage_sergeant"])
def test_analyst_and_police_see_published_figures_without_row_level_health_data(
    slug: str, make_user: Any, programme: dict[str, Any], west_case: dict[str, Any]
) -> None:
    client = client_for(make_user, slug)
    html = client.get(
        URL, {"bcu": "West", "date_from": "2020-10-01", "date_to": "2020-12-31"}
    ).content.decode()
    data = json.loads(
        client.get(
            f"{URL}download/report-json/",
            {"bcu": "West", "date_from": "2020-10-01", "date_to": "2020-12-31"},
        ).content
    )
    assert "Published (small counts suppressed)" in html
    assert "&lt;5" in html  # small counts in a three-month West selection are suppressed
    assert data["suppressed"] is True and "notes" not in data and "data_quality" not in data
    text = html + json.dumps(data)
    tracker_ids = list(SupportRecord.objects.values_list("tracker_id", flat=True))
    assert not [t for t in tracker_ids if t in text]
    for secret in (
        *HEALTH_SECRETS.values(),
        "IDVA-only note",
        "Ida Vale",
        "P0001",
        "Alice",
        "Westby",
    ):
        assert secret not in text
    # every proportion with a small count is withheld
    for hour in data["acceptance_by_hour"]["by_hour"]:
        if hour["num"] == "<5" or hour["den"] == "<5":
            assert hour["value"] is None and hour["ci_low"] is None


@pytest.mark.django_db
def test_published_figures_equal_publish_of_the_full_figures(
    make_user: Any, programme: dict[str, Any]
) -> None:
    query = {"bcu": "East", "date_from": "2021-01-01", "date_to": ""}
    full = json.loads(
        client_for(make_user, "idva_manager").get(f"{URL}download/json/", query).content
    )
    published = json.loads(
        client_for(make_user, "analyst").get(f"{URL}download/json/", query).content
    )
    assert published == publish(full)


@pytest.mark.django_db
def test_bcu_filter_counts_only_that_bcu(make_user: Any, programme: dict[str, Any]) -> None:
    client = client_for(make_user, "idva_manager")
    every = json.loads(client.get(f"{URL}download/json/").content)
    west = json.loads(client.get(f"{URL}download/json/", {"bcu": "West"}).content)
    east = json.loads(client.get(f"{URL}download/json/", {"bcu": "East"}).content)
    expected_west = SupportRecord.objects.filter(bcu__name="West").count()
    assert west["tracker_rows"] == expected_west
    assert west["tracker_rows"] + east["tracker_rows"] == every["tracker_rows"]
    assert {r["bcu"] for r in west["positive_outcome_rate"]} == {"West"}
    page = client.get(URL, {"bcu": "West"}).content.decode()
    assert '<option value="West" selected>' in page


@pytest.mark.django_db
def test_period_filter_is_inclusive_and_accepts_uk_dates(
    make_user: Any, programme: dict[str, Any]
) -> None:
    client = client_for(make_user, "idva_manager")
    iso = json.loads(
        client.get(
            f"{URL}download/json/", {"date_from": "2020-10-01", "date_to": "2020-12-31"}
        ).content
    )
    uk = json.loads(
        client.get(
            f"{URL}download/json/", {"date_from": "01/10/2020", "date_to": "31/12/2020"}
        ).content
    )
    assert iso == uk
    quarters = {r["quarter"] for r in iso["positive_outcome_rate"]}
    assert quarters == {"2020/21 Q3"}


@pytest.mark.django_db
def test_invalid_dates_are_shown_again_with_the_problem_marked(
    make_user: Any, programme: dict[str, Any]
) -> None:
    client = client_for(make_user, "idva_manager")
    html = client.get(
        URL, {"bcu": "West", "date_from": "31/02/2021", "date_to": "2020-01-01"}
    ).content.decode()
    assert "There is a problem" in html
    assert 'href="#id_date_from"' in html
    assert 'value="31/02/2021"' in html and "govuk-input--error" in html
    assert "Enter a real start date" in html
    assert "Headline figures" not in html  # no figures for a filter that could not be read
    html = client.get(URL, {"date_from": "2021-01-01", "date_to": "2020-01-01"}).content.decode()
    assert "The end date must be the same as or after the start date" in html
    assert client.get(f"{URL}download/json/", {"date_from": "yesterday"}).status_code == 400
    assert client.get(URL, {"bcu": "Atlantis"}).content.decode().count("govuk-error-message") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["html", "pdf", "json", "report-json"])
@pytest.mark.parametrize("slug", ["idva_manager", "analyst"])
def test_every_download_is_audited_as_an_export(
    fmt: str, slug: str, make_user: Any, programme: dict[str, Any]
) -> None:
    client = client_for(make_user, slug)
    response = client.get(f"{URL}download/{fmt}/", {"bcu": "West", "date_from": "2020-04-01"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert ("published" in response["Content-Disposition"]) == (ALLOWED[slug] == "published")
    body = response.content
    if fmt == "pdf":
        assert body.startswith(b"%PDF")
    if fmt == "html":
        text = body.decode()
        assert "Positive outcome rate" in text and 'src="http' not in text
        assert ("Published version" in text) == (slug == "analyst")
    event = AuditEvent.objects.get(event="evaluation.report_exported")
    assert event.action == AuditAction.EXPORT and event.actor.username == slug.replace("_", ".")
    assert event.changes["format"] == fmt and event.changes["bcu"] == "West"
    assert event.changes["published"] is (slug == "analyst")


@pytest.mark.django_db
def test_unknown_download_format_is_not_found(make_user: Any, programme: dict[str, Any]) -> None:
    assert client_for(make_user, "idva_manager").get(f"{URL}download/xlsx/").status_code == 404
    assert not AuditEvent.objects.filter(event="evaluation.report_exported").exists()


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_rows(
    make_user: Any, programme: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = client_for(make_user, "idva_manager")
    client.get(URL)  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(
            URL, {"bcu": "West", "date_from": "2020-07-01", "date_to": "2021-06-30"}
        )
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        client.get(URL)


@pytest.mark.django_db
def test_page_has_a_chart_with_a_text_alternative_beside_each_table(
    make_user: Any, programme: dict[str, Any]
) -> None:
    html = client_for(make_user, "idva_manager").get(URL).content.decode()
    assert html.count('<svg class="provide-chart"') >= 6
    assert html.count('<title id="chart-') == html.count('<svg class="provide-chart"')
    assert '<desc id="chart-' in html
    assert "Interrupted time series estimate" in html and "West go-live" in html
    assert "Matched comparison group" in html
    assert "χ² =" in html and "odds ratio per hour" in html


def test_the_dashboard_shows_the_case_journey(personas: dict[str, Any], west_case: Any) -> None:
    client = Client()
    client.force_login(personas["analyst"])
    body = client.get("/evaluation/").content.decode()
    assert (
        "Where cases stand now" in body
        and "New: awaiting triage" in body
        and "fewer than 5" in body
    )
    assert "rounded to the nearest 5" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "slug", "filename"),
    [
        ({}, "idva_manager", "provide-evaluation_all.json"),
        ({"bcu": "West"}, "idva_manager", "provide-evaluation_west.json"),
        ({"bcu": "West"}, "analyst", "provide-evaluation_west_published.json"),
        (
            {"date_from": "01/04/2020", "date_to": "2021-03-31"},
            "idva_manager",
            "provide-evaluation_all_2020-04-01-2021-03-31.json",
        ),
        (
            {"date_from": "2020-04-01"},
            "analyst",
            "provide-evaluation_all_2020-04-01-end_published.json",
        ),
        ({"date_to": "2021-03-31"}, "idva_manager", "provide-evaluation_all_start-2021-03-31.json"),
    ],
)
def test_a_download_is_named_by_its_bcu_period_and_whether_it_is_published(
    query: dict[str, str], slug: str, filename: str, make_user: Any, west_case: Any
) -> None:
    response = client_for(make_user, slug).get(f"{URL}download/json/", query)
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert (
        response["Content-Type"] == "application/json" and response["Cache-Control"] == "no-store"
    )


@pytest.mark.django_db
def test_a_bcu_name_with_spaces_becomes_one_word_in_the_file_name(
    make_user: Any, west_case: Any
) -> None:
    from provide.areas.models import Area

    Area.objects.create(name="North Coast", kind=Area.Kind.BCU)
    response = client_for(make_user, "idva_manager").get(
        f"{URL}download/report-json/", {"bcu": "North Coast"}
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="provide-evaluation_north-coast.report.json"'
    )
    assert json.loads(response.content)["selection"]["bcu"] == "North Coast"


@pytest.mark.django_db
def test_the_html_download_is_titled_with_the_selection(make_user: Any, west_case: Any) -> None:
    response = client_for(make_user, "idva_manager").get(
        f"{URL}download/html/", {"bcu": "West", "date_from": "2020-04-01"}
    )
    page = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "<title>Provide evaluation: West, 2020-04-01 to latest</title>" in page
    every = client_for(make_user, "analyst").get(f"{URL}download/html/").content.decode()
    assert "<title>Provide evaluation: all BCUs, start to latest</title>" in every


@pytest.mark.django_db
def test_the_export_event_records_the_selection_and_the_size_of_what_was_sent(
    make_user: Any, west_case: Any
) -> None:
    manager = make_user("idva_manager")
    client = Client()
    client.force_login(manager)
    response = client.get(
        f"{URL}download/report-json/", {"bcu": "West", "date_from": "2020-04-01", "date_to": ""}
    )
    event = assert_audited("evaluation.report_exported", action="export", actor=manager)
    assert event.changes == {
        "format": "report-json",
        "bcu": "West",
        "from": "2020-04-01",
        "to": "",
        "published": False,
        "bytes": len(response.content),
    }


@pytest.mark.django_db
def test_a_download_with_a_bad_filter_says_what_to_correct_and_is_not_audited(
    make_user: Any, west_case: Any
) -> None:
    response = client_for(make_user, "idva_manager").get(
        f"{URL}download/pdf/", {"date_from": "2021-01-01", "date_to": "2020-01-01"}
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "Correct the filter: The end date must be the same as or after the start date"
    )
    assert not AuditEvent.objects.filter(event="evaluation.report_exported").exists()


@pytest.mark.django_db
def test_the_page_title_says_error_when_the_filter_has_a_problem(
    make_user: Any, west_case: Any
) -> None:
    client = client_for(make_user, "analyst")
    bad = client.get(URL, {"date_from": "yesterday"}).content.decode()
    good = client.get(URL, {"date_from": "2020-01-01"}).content.decode()
    assert re.search(r"<title>Error: Evaluation\b", bad)
    assert re.search(r"<title>Evaluation\b", good) and "Headline figures" in good


@pytest.mark.django_db
def test_the_unfiltered_dashboard_shows_every_bcu_over_all_the_data(
    make_user: Any, west_case: Any
) -> None:
    response = client_for(make_user, "idva_manager").get(URL)
    view = response.context["view"]
    assert view.selection.bcu is None and view.selection.date_from is None
    html = response.content.decode()
    assert "All BCUs" in html and "Start of the data to the latest record" in html
    assert "Full figures" in html
