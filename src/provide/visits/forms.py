"""Input validation for the visit form (three sections) and the consultation log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from provide.core.safeguarding.targets import REFERRAL_TARGETS
from provide.health.models import Service
from provide.visits.models import Visit

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
YES_NO_NOT_ASKED = [("yes", "Yes"), ("no", "No"), ("unknown", "Not asked")]
_TO_BOOL = {"yes": True, "no": False, "unknown": None, "": None}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]


def yes_no(
    label: str, hint: str = "", choices: list[tuple[str, str]] = YES_NO_UNKNOWN
) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=hint,
        choices=choices,
        coerce=lambda v: _TO_BOOL[v],
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )


def _is_yes_no(field: forms.Field) -> bool:
    return isinstance(field, forms.TypedChoiceField) and field.choices in (
        YES_NO_UNKNOWN,
        YES_NO_NOT_ASKED,
    )


def bool_to_form(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "unknown")  # type: ignore[arg-type]


class SectionForm(forms.Form):
    """A form section whose initial values come from the model and whose cleaned data is
    what the service saves."""

    kind: str = ""

    @classmethod
    def initial_from(cls, values: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name, field in cls.base_fields.items():
            value = values.get(name)
            if _is_yes_no(field):
                initial[name] = bool_to_form(value)
            elif isinstance(value, dt.datetime):
                initial[name] = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
            elif value is None:
                initial[name] = ""
            else:
                initial[name] = value
        return initial


class SharedSectionForm(SectionForm):
    kind = "shared"
    arrived_at = forms.DateTimeField(
        label="Arrived at",
        required=False,
        input_formats=DATETIME_FORMATS,
        help_text="Date and time, for example 14/06/2026 09:30",
        error_messages={
            "invalid": "Enter the arrival time as a date and time, like 14/06/2026 09:30"
        },
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    contact_result = forms.ChoiceField(
        label="Contact result",
        required=False,
        choices=Visit.ContactResult.choices,
        widget=forms.RadioSelect,
    )
    place_type = forms.ChoiceField(
        label="Where did the visit take place?",
        required=False,
        choices=Visit.PlaceType.choices,
        widget=forms.RadioSelect,
    )
    suspect_present = yes_no("Was the suspect present?")
    referrals_made = forms.MultipleChoiceField(
        label="Referrals made",
        required=False,
        choices=REFERRAL_TARGETS,
        help_text="Shared with the police: select all that were made.",
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_arrived_at(self) -> dt.datetime | None:
        value = self.cleaned_data.get("arrived_at")
        if value is not None and value > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError("The arrival time must be now or in the past")
        return value


class PoliceSectionForm(SectionForm):
    kind = "police"
    evidence_gathered = yes_no("Evidence gathered")
    body_worn_video = yes_no("Body-worn video recorded")
    statement_taken = yes_no("Statement taken")
    safety_actions = forms.CharField(
        label="Safety actions",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: alarm fitted, bail conditions explained, DVPN considered.",
    )


class HealthSectionForm(SectionForm):
    kind = "health"
    idva_support_offered = yes_no("IDVA support offered")
    idva_support_accepted = yes_no("IDVA support accepted")
    prosecution_support_offered = yes_no("Prosecution support offered")
    prosecution_support_accepted = yes_no("Prosecution support accepted")
    engaged_investigation = yes_no("Engaged with the criminal investigation")
    engaged_safeguarding = yes_no("Engaged with safeguarding advice")
    previously_engaged_investigation = yes_no(
        "Before today, had the victim engaged with a police investigation?",
        "What the victim tells you about earlier incidents. Choose \u201cNot asked\u201d if it did not come up.",
        YES_NO_NOT_ASKED,
    )
    previously_engaged_safeguarding = yes_no(
        "Before today, had the victim engaged with safeguarding advice?",
        "Self-reported, as above.",
        YES_NO_NOT_ASKED,
    )
    services = forms.MultipleChoiceField(
        label="Services given by the IDVA",
        required=False,
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label="IDVA notes",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Health side: the police never see these notes.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("idva_support_accepted") and data.get("idva_support_offered") is False:
            self.add_error(
                "idva_support_accepted", "Support cannot be accepted if it was not offered"
            )
        if (
            data.get("prosecution_support_accepted")
            and data.get("prosecution_support_offered") is False
        ):
            self.add_error(
                "prosecution_support_accepted",
                "Prosecution support cannot be accepted if it was not offered",
            )
        return data


class StartVisitForm(forms.Form):
    investigation_ref = forms.CharField(
        label="Investigation reference",
        max_length=40,
        help_text="The crime or occurrence number, for example WB/2026/000123",
        error_messages={"required": "Enter the investigation reference"},
    )
    mode = forms.ChoiceField(
        label="Type of visit",
        choices=Visit.Mode.choices[:2],
        initial=Visit.Mode.POST_INCIDENT,
        widget=forms.RadioSelect,
    )


CONSULTATION_TOPICS = [
    ("Risk and safety", "Risk and safety"),
    ("Support the victim could be offered", "Support the victim could be offered"),
    ("Onward referral or MARAC", "Onward referral or MARAC"),
    ("Children in the household", "Children in the household"),
    ("Contacting the victim safely", "Contacting the victim safely"),
    ("Other", "Other"),
]


class ConsultationForm(forms.Form):
    topic = forms.ChoiceField(
        label="What did you ask about?",
        choices=CONSULTATION_TOPICS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you asked about"},
    )
    detail = forms.CharField(
        label="Question in a few words (optional)", required=False, max_length=150
    )
    idva: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="IDVA asked",
        queryset=None,
        required=False,
        empty_label="Not recorded",
    )
    investigation_ref = forms.CharField(
        label="Investigation reference (optional)", required=False, max_length=40
    )
    advice = forms.CharField(
        label="Advice given",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, idvas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idva"].queryset = idvas  # type: ignore[attr-defined]
        self.fields["idva"].label_from_instance = lambda user: user.get_full_name() or user.username  # type: ignore[attr-defined]

    def topic_text(self) -> str:
        detail = self.cleaned_data.get("detail", "").strip()
        topic = self.cleaned_data["topic"]
        return f"{topic}: {detail}"[:200] if detail else topic


class AdviceForm(forms.Form):
    advice = forms.CharField(
        label="Advice given",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the advice you gave"},
    )


SECTION_FORMS: dict[str, type[SectionForm]] = {
    "shared": SharedSectionForm,
    "police": PoliceSectionForm,
    "health": HealthSectionForm,
}


class VisitForms:
    """The sections of the visit form one user may edit, bound or unbound together."""

    def __init__(
        self, sections: list[str], raw: dict[str, dict[str, Any]], data: Any = None
    ) -> None:
        self.forms: dict[str, SectionForm] = {
            section: SECTION_FORMS[section](
                data,
                prefix=section,
                initial=SECTION_FORMS[section].initial_from(raw.get(section, {})),
            )
            for section in sections
        }

    def __getitem__(self, section: str) -> SectionForm:
        return self.forms[section]

    def get(self, section: str) -> SectionForm | None:
        return self.forms.get(section)

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in self.forms.values()]  # validate every section
        return all(results)

    def values(self) -> dict[str, dict[str, Any]]:
        return {section: dict(form.cleaned_data) for section, form in self.forms.items()}

    def add_errors(self, errors: dict[str, str]) -> None:
        for key, message in errors.items():
            section, name = key.split("-", 1)
            if section in self.forms:
                self.forms[section].add_error(name, message)

    def error_list(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the GOV.UK error summary."""
        found: list[tuple[str, str]] = []
        for form in self.forms.values():
            for name, errors in form.errors.items():
                bound = form[name] if name in form.fields else None
                anchor = bound.auto_id if bound is not None else ""
                if bound is not None and isinstance(
                    bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
                ):
                    anchor = f"{anchor}-1"
                found.extend((anchor, str(message)) for message in errors)
        return found


def form_data_value(section: str, name: str, value: Any) -> list[str]:
    """How ``value`` is posted by the form field ``section-name`` (for the conflict screen)."""
    shown = SECTION_FORMS[section].initial_from({name: value})[name]
    if isinstance(shown, list | tuple):
        return [str(item) for item in shown]
    return [str(shown)]


def display_value(section: str, name: str, value: Any) -> str:
    """A value as people read it, for the conflict screen."""
    field = SECTION_FORMS[section].base_fields[name]
    if value is None or value == "" or value == []:
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(item, item)) for item in value)
    return str(choices.get(value, value))
