"""The import upload form and the risk assessment form for each tool."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from provide.core.risk import DASH_QUESTIONS, RIC_QUESTIONS
from provide.intake.forms import ImportUploadForm, RiskAssessmentForm


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("june.csv", True),
        ("June.XLSX", True),
        ("june.txt", True),
        ("june.pdf", False),
        ("june.csv.exe", False),
    ],
)
def test_only_csv_and_xlsx_files_are_taken(name: str, valid: bool) -> None:
    form = ImportUploadForm(
        {"kind": "investigations"}, {"file": SimpleUploadedFile(name, b"a,b\n1,2\n")}
    )
    assert form.is_valid() is valid
    if not valid:
        assert form.errors["file"] == ["The file must be a CSV or XLSX file"]


def test_the_kind_of_file_must_be_chosen() -> None:
    form = ImportUploadForm({}, {"file": SimpleUploadedFile("a.csv", b"a\n1\n")})
    assert form.errors["kind"] == ["Select what is in the file"]


def test_a_dash_form_asks_every_theme_in_order_and_returns_the_answers() -> None:
    data = {f"q_{q.code}": "yes" if n < 3 else "no" for n, q in enumerate(DASH_QUESTIONS)}
    form = RiskAssessmentForm(data, tool="DASH")
    assert form.is_valid(), form.errors
    assert form.answers() == ["yes"] * 3 + ["no"] * (len(DASH_QUESTIONS) - 3)
    assert next(field.label for field in form.question_fields()) == f"1. {DASH_QUESTIONS[0].theme}"
    assert not form.fields["reason"].required and form.cleaned_data["grade"] == ""


def test_an_unanswered_question_is_named_by_its_number() -> None:
    data = {f"q_{q.code}": "no" for q in RIC_QUESTIONS[1:]}
    form = RiskAssessmentForm(data, tool="RIC")
    assert form.errors[f"q_{RIC_QUESTIONS[0].code}"] == ["Answer question 1: yes, no or don't know"]


def test_a_dara_needs_a_grade_and_a_rationale_and_has_no_questions() -> None:
    form = RiskAssessmentForm({}, tool="DARA")
    assert form.question_fields() == []
    assert not form.is_valid()
    assert form.errors["grade"] == ["Select the grade"]
    assert form.errors["reason"] == ["Give your rationale for the grade"]
    assert RiskAssessmentForm({"grade": "medium", "reason": "Threats"}, tool="DARA").is_valid()
