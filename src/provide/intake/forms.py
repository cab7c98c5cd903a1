from __future__ import annotations

from typing import Any

from django import forms

from provide.core.risk import QUESTIONS_BY_TOOL
from provide.intake.models import IntakeImport, RiskAssessment, RiskGrade

ANSWER_CHOICES = [("yes", "Yes"), ("no", "No"), ("dont_know", "Don't know")]


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label="What is in the file?", choices=IntakeImport.Kind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Select what is in the file"})  # fmt: skip
    file = forms.FileField(label="Upload a file", help_text="CSV (UTF-8) or XLSX, in the FORMATS.md columns",
                           error_messages={"required": "Select a CSV or XLSX file"})  # fmt: skip
    mapping = forms.FileField(label="Column mapping (optional)", required=False,
                              help_text="Only if your headers differ: JSON, or CSV of file header, column")  # fmt: skip

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError("The file must be a CSV or XLSX file")
        return upload


class ImportConfirmForm(forms.Form):
    partial = forms.BooleanField(
        required=False, label="Import the good rows and set the others aside"
    )


class RiskAssessmentForm(forms.Form):
    """One form for each tool: a yes / no / don't know per theme (DASH, RIC), or a grade and
    the officer's rationale (DARA). Grading rules are enforced by the service."""

    grade = forms.ChoiceField(label="Grade", required=False, choices=[("", "As the answers give"), *RiskGrade.choices],
                              widget=forms.RadioSelect)  # fmt: skip
    reason = forms.CharField(
        label="Reason", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, tool: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tool = tool
        self.questions = QUESTIONS_BY_TOOL.get(tool, ())
        for number, question in enumerate(self.questions, start=1):
            self.fields[f"q_{question.code}"] = forms.ChoiceField(
                label=f"{number}. {question.theme}",
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": f"Answer question {number}: yes, no or don't know"},
            )
        if tool == RiskAssessment.Tool.DARA:
            self.fields["grade"] = forms.ChoiceField(label="Grade", choices=RiskGrade.choices, widget=forms.RadioSelect,
                                                     error_messages={"required": "Select the grade"})  # fmt: skip
            self.fields["reason"].label = "Your rationale for the grade"
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = "Give your rationale for the grade"
        else:
            self.fields["grade"].label = "Professional judgement (optional)"
            self.fields["reason"].label = "Reason for a professional-judgement grade"
            self.fields[
                "reason"
            ].help_text = "Needed when the grade differs from what the answers give"

    def answers(self) -> list[str]:
        return [self.cleaned_data[f"q_{q.code}"] for q in self.questions]

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{q.code}"] for q in self.questions]


class LocationFixForm(forms.Form):
    """The victim's postcode, to place a case the extract did not; the service checks it."""

    postcode = forms.CharField(label="Victim's postcode", max_length=10,
                               help_text="The centre of the postcode is used, for example FY1 1AA",
                               error_messages={"required": "Enter the victim's postcode"})  # fmt: skip
    next = forms.CharField(required=False, widget=forms.HiddenInput)
