"""Input for the rota pages. Forms check the shape of what was typed; the rules (leave,
overlaps, duplicates) are the services'."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from provide.accounts.models import User
from provide.planning.models import Shift, Team
from provide.rota.models import Absence, StaffProfile
from provide.shared.dates import validate_day_in_range

MAX_LANGUAGES = 12
MAX_LANGUAGE_LENGTH = 40
LANGUAGES_TOO_MANY = f"Enter at most {MAX_LANGUAGES} languages"
LANGUAGE_TOO_LONG = f"Each language must be {MAX_LANGUAGE_LENGTH} characters or fewer"
LEAVE_ENDS_BEFORE_START = "The last day must be the same as or after the first day"


class _PublicIdChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A record by public id (never the integer key); anything else is "not in the list"."""

    def __init__(self, queryset: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(queryset, to_field_name="public_id", **kwargs)

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            if error.code == "invalid_choice":
                raise
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class PersonChoiceField(_PublicIdChoiceField):
    """A person, shown by full name (and BCU)."""

    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.bcu.name})" if obj.bcu is not None else name


class TeamChoiceField(_PublicIdChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.name} ({obj.bcu.name})"


def _date_field(label: str, required_message: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text="For example, 2026-12-07",
        validators=[validate_day_in_range],
        error_messages={
            "required": required_message,
            "invalid": "Enter a real date, for example 2026-12-07",
        },
    )


class StaffingForm(forms.Form):
    officer = PersonChoiceField(
        User.objects.none(),
        label="Joint-team officer",
        error_messages={
            "required": "Choose the joint-team officer for this shift",
            "invalid_choice": "Choose a joint-team officer from the list",
        },
    )
    idva = PersonChoiceField(
        User.objects.none(),
        label="IDVA",
        error_messages={
            "required": "Choose the IDVA for this shift",
            "invalid_choice": "Choose an IDVA from the list",
        },
    )

    def __init__(self, *args: Any, officers: QuerySet[User], idvas: QuerySet[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]
        self.fields["idva"].queryset = idvas  # type: ignore[attr-defined]


class ShiftForm(StaffingForm):
    team = TeamChoiceField(
        Team.objects.none(),
        label="Team",
        error_messages={
            "required": "Choose the team",
            "invalid_choice": "Choose a team from the list",
        },
    )
    on_date = _date_field("Date", "Enter the date of the shift")
    pattern = forms.ChoiceField(
        label="Shift",
        choices=Shift.Pattern.choices,
        error_messages={
            "required": "Choose the early or the late shift",
            "invalid_choice": "Choose the early or the late shift",
        },
    )
    field_order = ["team", "on_date", "pattern", "officer", "idva"]

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class AbsenceForm(forms.Form):
    staff = PersonChoiceField(
        User.objects.none(),
        label="Person",
        error_messages={
            "required": "Choose who is away",
            "invalid_choice": "Choose a person from the list",
        },
    )
    kind = forms.ChoiceField(
        label="Reason",
        choices=Absence.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose leave, sickness or training"},
    )
    starts_on = _date_field("First day away", "Enter the first day away")
    ends_on = _date_field("Last day away", "Enter the last day away")

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on: dt.date | None = cleaned.get("starts_on")
        ends_on: dt.date | None = cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", LEAVE_ENDS_BEFORE_START)
        return cleaned


class StaffSkillsForm(forms.Form):
    languages = forms.CharField(
        label="Languages spoken besides English",
        help_text="Separate languages with commas, for example Punjabi, Urdu",
        required=False,
        max_length=600,
    )
    gender = forms.ChoiceField(
        label="Gender",
        help_text="Recorded so that a victim who asks can be seen by, say, a woman",
        choices=[("", "Not recorded"), *StaffProfile.Gender.choices],
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_languages(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["languages"].split(",")]
        names = [name for name in names if name]
        if len(names) > MAX_LANGUAGES:
            raise forms.ValidationError(LANGUAGES_TOO_MANY)
        if any(len(name) > MAX_LANGUAGE_LENGTH for name in names):
            raise forms.ValidationError(LANGUAGE_TOO_LONG)
        return names


class WeekCopyForm(forms.Form):
    week = forms.DateField(widget=forms.HiddenInput, validators=[validate_day_in_range])
