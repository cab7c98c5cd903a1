"""Referral, draft, protective-measure and hand-over forms: the checks a user sees at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.core.safeguarding.lifecycle import NEEDS_LAWFUL_BASIS
from provide.safeguarding.forms import DraftReferralForm, HandoverForm, MeasureForm, ReferralForm
from provide.safeguarding.models import Referral

BASIS = "Meets the MARAC threshold; DPA 2018 Schedule 1 paragraph 18, safeguarding of individuals at risk."


def referral(**overrides: Any) -> dict[str, Any]:
    data = {"target": "housing", "consent": "given", "victim_aware": "yes"}
    data.update(overrides)
    return data


@pytest.mark.parametrize(("aware", "stored"), [("yes", True), ("no", False), ("unknown", None)])
def test_victim_aware_becomes_yes_no_or_unknown(aware: str, stored: bool | None) -> None:
    form = ReferralForm(referral(victim_aware=aware))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["victim_aware"] is stored


def test_a_marac_referral_needs_its_reasons() -> None:
    form = ReferralForm(referral(target="marac"))
    assert form.errors == {"reasons": ["Set out why this case should go to MARAC"]}
    assert ReferralForm(
        referral(target="marac", reasons="Strangulation; threats to kill")
    ).is_valid()


@pytest.mark.parametrize("consent", ["refused", "not_sought"])
def test_sharing_without_consent_needs_a_lawful_basis(consent: str) -> None:
    assert ReferralForm(referral(consent=consent)).errors == {"lawful_basis": [NEEDS_LAWFUL_BASIS]}
    assert ReferralForm(referral(consent=consent, lawful_basis=BASIS)).is_valid()


def test_only_the_health_side_sees_the_idva_summary_field() -> None:
    assert "idva_shared_summary" not in ReferralForm()
    assert "idva_shared_summary" in [field.name for field in ReferralForm(health=True)]


def test_a_draft_keeps_its_service_and_applies_its_rules() -> None:
    form = DraftReferralForm({"consent": "given", "victim_aware": "no"}, target="marac")
    assert "target" not in form.fields
    assert form.errors == {"reasons": ["Set out why this case should go to MARAC"]}
    completed = DraftReferralForm(
        {"consent": "given", "victim_aware": "no", "reasons": "Stalking"}, target="marac"
    )
    assert completed.is_valid() and "target" not in completed.cleaned_data


def test_a_draft_form_starts_from_the_referral() -> None:
    draft = Referral(
        consent="refused",
        victim_aware=None,
        lawful_basis=BASIS,
        reasons="r",
        victim_wants="w",
        victim_fears="f",
        idva_shared_summary="",
    )
    initial = DraftReferralForm.initial_from(draft)
    assert initial["victim_aware"] == "unknown" and initial["lawful_basis"] == BASIS
    assert DraftReferralForm({**initial}, target="housing").is_valid()


@pytest.mark.parametrize(
    ("days", "valid"), [(None, False), (13, False), (14, True), (28, True), (29, False)]
)
def test_a_dvpo_lasts_14_to_28_days(days: int | None, valid: bool) -> None:
    data = {"kind": "dvpo", "issued_at": "2026-03-10 14:30"}
    if days is not None:
        data["dvpo_days"] = str(days)
    form = MeasureForm(data)
    assert form.is_valid() is valid
    if not valid:
        assert form.errors["dvpo_days"] == ["A DVPO lasts 14 to 28 days"]


def test_other_measures_need_no_length_and_times_take_two_spellings() -> None:
    form = MeasureForm({"kind": "dvpn", "issued_at": "10/03/2026 14:30"})
    assert form.is_valid() and form.cleaned_data["issued_at"] == dt.datetime(
        2026, 3, 10, 14, 30, tzinfo=dt.UTC
    )  # GMT
    assert MeasureForm({"kind": "dvpn", "issued_at": "tomorrow"}).errors["issued_at"] == [
        "Enter the date and time as YYYY-MM-DD HH:MM"
    ]


def test_a_hand_over_says_what_to_do() -> None:
    assert HandoverForm({}).errors["title"] == ["Say what the safeguarding team needs to do"]
    assert HandoverForm({"title": "Fit a door alarm", "due_on": "2026-03-11"}).is_valid()
