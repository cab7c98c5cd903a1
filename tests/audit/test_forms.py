"""The audit log's search form: every field optional, dates in two formats, and a range that
ends before it starts is refused at its end date."""

from __future__ import annotations

import datetime as dt

import pytest

from provide.audit.forms import AuditSearchForm


def test_an_empty_search_is_valid() -> None:
    form = AuditSearchForm({})
    assert form.is_valid()
    assert form.cleaned_data == {"username": "", "person": "", "date_from": None, "date_to": None}


@pytest.mark.parametrize("typed", ["2026-05-01", "01/05/2026"])
def test_dates_are_read_as_year_month_day_or_day_month_year(typed: str) -> None:
    form = AuditSearchForm({"date_from": typed})
    assert form.is_valid()
    assert form.cleaned_data["date_from"] == dt.date(2026, 5, 1)


def test_an_american_or_unreadable_date_is_refused() -> None:
    assert "date_to" in AuditSearchForm({"date_to": "05/31/2026"}).errors
    assert "date_from" in AuditSearchForm({"date_from": "last week"}).errors


def test_a_range_ending_before_it_starts_is_refused_at_the_end_date() -> None:
    form = AuditSearchForm({"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert not form.is_valid()
    assert form.errors == {"date_to": ["The end date must be on or after the start date"]}


def test_a_one_day_range_and_an_open_ended_range_are_valid() -> None:
    assert AuditSearchForm({"date_from": "2026-05-01", "date_to": "2026-05-01"}).is_valid()
    assert AuditSearchForm({"date_to": "2026-05-01"}).is_valid()
    assert AuditSearchForm({"username": "triage.sergeant", "person": "Westby"}).is_valid()
