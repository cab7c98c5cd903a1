"""The dashboard's filter: a known BCU and an inclusive period, in three date spellings."""

from __future__ import annotations

import datetime as dt

import pytest

from provide.evaluation.forms import EvaluationFilterForm

BCUS = ["West", "South", "East"]


@pytest.mark.parametrize("spelling", ["2023-04-01", "01/04/2023", "01/04/23"])
def test_dates_are_read_in_every_documented_spelling(spelling: str) -> None:
    form = EvaluationFilterForm({"date_from": spelling}, bcus=BCUS)
    assert form.is_valid() and form.cleaned_data["date_from"] == dt.date(2023, 4, 1)


def test_an_empty_filter_is_every_bcu_and_all_time() -> None:
    form = EvaluationFilterForm({}, bcus=BCUS)
    assert form.is_valid() and form.cleaned_data == {"bcu": "", "date_from": None, "date_to": None}
    assert form.fields["bcu"].choices[0] == ("", "All BCUs")  # type: ignore[attr-defined]


def test_an_unknown_bcu_is_refused() -> None:
    assert not EvaluationFilterForm({"bcu": "North"}, bcus=BCUS).is_valid()
    assert EvaluationFilterForm({"bcu": "East"}, bcus=BCUS).is_valid()


def test_a_period_that_ends_before_it_starts_names_the_end_date() -> None:
    form = EvaluationFilterForm({"date_from": "2023-04-02", "date_to": "2023-04-01"}, bcus=BCUS)
    assert not form.is_valid()
    assert form.error_list() == [
        ("id_date_to", "The end date must be the same as or after the start date")
    ]
    assert EvaluationFilterForm(
        {"date_from": "2023-04-01", "date_to": "2023-04-01"}, bcus=BCUS
    ).is_valid()


def test_an_impossible_date_gets_the_plain_message() -> None:
    form = EvaluationFilterForm({"date_from": "31/02/2023"}, bcus=BCUS)
    assert form.error_list() == [("id_date_from", "Enter a real start date, like 2023-04-01")]
