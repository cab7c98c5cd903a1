"""The visit form's sections and the consultation log's forms: what they accept, what they
refuse and why, and how stored values are shown back (in the form and on the conflict screen)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from provide.visits.forms import (
    YES_NO_NOT_ASKED,
    AdviceForm,
    ConsultationForm,
    HealthSectionForm,
    PoliceSectionForm,
    SharedSectionForm,
    StartVisitForm,
    VisitForms,
    bool_to_form,
    display_value,
    form_data_value,
    yes_no,
)

SUMMER = dt.datetime(2026, 6, 14, 8, 30, tzinfo=dt.UTC)  # 09:30 in London (BST)
NOW = dt.datetime(2026, 6, 14, 12, 0, tzinfo=dt.UTC)


def shared(**data: Any) -> SharedSectionForm:
    return SharedSectionForm({f"shared-{k}": v for k, v in data.items()}, prefix="shared")


def health(**data: Any) -> HealthSectionForm:
    return HealthSectionForm({f"health-{k}": v for k, v in data.items()}, prefix="health")


@pytest.mark.parametrize(("posted", "value"), [("yes", True), ("no", False), ("unknown", None)])
def test_a_yes_no_question_reads_yes_no_and_not_known(posted: str, value: bool | None) -> None:
    field = yes_no("Was the suspect present?")
    assert field.clean(posted) is value
    assert field.clean("") is None, "unanswered is unknown, never no"
    assert field.required is False


def test_a_yes_no_question_refuses_any_other_answer() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        yes_no("Evidence gathered").clean("maybe")


def test_a_not_asked_question_shows_its_own_words_for_unknown() -> None:
    field = yes_no("Before today?", "Self-reported", YES_NO_NOT_ASKED)
    assert dict(field.choices)["unknown"] == "Not asked"  # type: ignore[arg-type]
    assert field.help_text == "Self-reported" and field.clean("unknown") is None


@pytest.mark.parametrize(("value", "shown"), [(True, "yes"), (False, "no"), (None, "unknown")])
def test_bool_to_form_is_the_radio_to_tick(value: bool | None, shown: str) -> None:
    assert bool_to_form(value) == shown


def test_initial_values_come_from_the_stored_ones() -> None:
    initial = SharedSectionForm.initial_from(
        {
            "arrived_at": SUMMER,
            "contact_result": "engaged",
            "suspect_present": False,
            "referrals_made": ["marac", "housing"],
        }
    )
    assert initial == {
        "arrived_at": "2026-06-14T09:30",  # local time, as the datetime-local input wants it
        "contact_result": "engaged",
        "place_type": "",
        "suspect_present": "no",
        "referrals_made": ["marac", "housing"],
    }
    police = PoliceSectionForm.initial_from({"evidence_gathered": None, "safety_actions": ""})
    assert police["evidence_gathered"] == "unknown" and police["statement_taken"] == "unknown"
    assert police["safety_actions"] == ""


@pytest.mark.parametrize("typed", ["2026-06-14T09:30", "14/06/2026 09:30", "2026-06-14 09:30"])
def test_the_arrival_time_is_read_in_every_documented_spelling_as_uk_time(typed: str) -> None:
    with time_machine.travel(NOW, tick=False):
        form = shared(arrived_at=typed)
        assert form.is_valid(), form.errors
    assert form.cleaned_data["arrived_at"] == SUMMER


def test_an_arrival_more_than_five_minutes_ahead_is_refused() -> None:
    with time_machine.travel(NOW, tick=False):
        soon, later = shared(arrived_at="14/06/2026 13:04"), shared(arrived_at="14/06/2026 13:06")
        assert soon.is_valid(), "a phone's clock a few minutes fast is allowed for"
        assert not later.is_valid()
    assert later.errors["arrived_at"] == ["The arrival time must be now or in the past"]


def test_an_arrival_that_is_not_a_time_says_how_to_write_one() -> None:
    form = shared(arrived_at="yesterday-ish")
    assert not form.is_valid()
    assert form.errors["arrived_at"] == [
        "Enter the arrival time as a date and time, like 14/06/2026 09:30"
    ]


def test_a_shared_section_with_nothing_filled_in_is_valid() -> None:
    form = shared()
    assert form.is_valid()
    assert form.cleaned_data == {
        "arrived_at": None,
        "contact_result": "",
        "place_type": "",
        "suspect_present": None,
        "referrals_made": [],
    }


def test_support_cannot_be_accepted_when_it_was_not_offered() -> None:
    form = health(
        idva_support_offered="no",
        idva_support_accepted="yes",
        prosecution_support_offered="no",
        prosecution_support_accepted="yes",
    )
    assert not form.is_valid()
    assert form.errors["idva_support_accepted"] == [
        "Support cannot be accepted if it was not offered"
    ]
    assert form.errors["prosecution_support_accepted"] == [
        "Prosecution support cannot be accepted if it was not offered"
    ]


@pytest.mark.parametrize("offered", ["yes", "unknown"])
def test_support_accepted_is_fine_when_offered_or_when_the_offer_is_not_recorded(
    offered: str,
) -> None:
    form = health(idva_support_offered=offered, idva_support_accepted="yes")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["idva_support_accepted"] is True


def test_health_notes_and_services_are_kept_as_typed() -> None:
    form = health(notes="Seen at the GP", services=["safety_planning", "signposting"])
    assert form.is_valid()
    assert form.cleaned_data["notes"] == "Seen at the GP"
    assert form.cleaned_data["services"] == ["safety_planning", "signposting"]
    assert not health(services=["tea"]).is_valid()


def test_a_visit_is_started_as_live_or_post_incident_only() -> None:
    assert StartVisitForm({"investigation_ref": "WB/1", "mode": "live"}).is_valid()
    consultation = StartVisitForm({"investigation_ref": "WB/1", "mode": "consultation"})
    assert not consultation.is_valid() and "mode" in consultation.errors
    missing = StartVisitForm({"mode": "live"})
    assert missing.errors["investigation_ref"] == ["Enter the investigation reference"]


@pytest.mark.django_db
def test_the_consultation_offers_the_idvas_given_by_name(make_user: Any) -> None:
    from provide.accounts.models import User

    idva = make_user("health_idva")
    nameless = User.objects.create_user(username="nameless.idva")
    form = ConsultationForm(idvas=User.objects.filter(pk__in=[idva.pk, nameless.pk]))
    labels = {label for value, label in form.fields["idva"].choices if value}  # type: ignore[attr-defined]
    assert labels == {"Health Persona", "nameless.idva"}
    refused = ConsultationForm(
        {"topic": "Other", "idva": make_user("analyst").pk}, idvas=User.objects.filter(pk=idva.pk)
    )
    assert not refused.is_valid() and "idva" in refused.errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("detail", "topic"),
    [
        ("", "Risk and safety"),
        ("  strangulation disclosed ", "Risk and safety: strangulation disclosed"),
    ],
)
def test_the_topic_is_the_choice_and_the_question_in_a_few_words(
    detail: str, topic: str, make_user: Any
) -> None:
    from provide.accounts.models import User

    form = ConsultationForm(
        {"topic": "Risk and safety", "detail": detail}, idvas=User.objects.none()
    )
    assert form.is_valid(), form.errors
    assert form.topic_text() == topic


@pytest.mark.django_db
def test_the_longest_topic_and_question_fit_the_log_whole(db: Any) -> None:
    from provide.accounts.models import User
    from provide.visits.models import Consultation

    form = ConsultationForm(
        {"topic": "Support the victim could be offered", "detail": "x" * 150},
        idvas=User.objects.none(),
    )
    assert form.is_valid()
    assert form.topic_text() == "Support the victim could be offered: " + "x" * 150
    assert len(form.topic_text()) <= Consultation._meta.get_field("topic").max_length  # type: ignore[operator]
    assert not ConsultationForm(
        {"topic": "Other", "detail": "x" * 151}, idvas=User.objects.none()
    ).is_valid()


@pytest.mark.django_db
def test_a_consultation_needs_a_topic_and_advice_needs_words(db: Any) -> None:
    from provide.accounts.models import User

    form = ConsultationForm({"advice": "typed"}, idvas=User.objects.none())
    assert form.errors["topic"] == ["Select what you asked about"]
    assert AdviceForm({"advice": ""}).errors["advice"] == ["Enter the advice you gave"]
    assert AdviceForm({"advice": "Refer to MARAC"}).is_valid()


def test_visit_forms_hold_only_the_sections_given() -> None:
    forms = VisitForms(["shared", "police"], {"shared": {"contact_result": "engaged"}})
    assert forms.get("health") is None and forms["police"].prefix == "police"
    assert forms["shared"].initial["contact_result"] == "engaged"
    assert forms["police"].initial["evidence_gathered"] == "unknown"
    assert not forms.is_valid(), "unbound forms are not valid"


def test_visit_forms_validate_every_section_and_list_every_error_with_its_anchor() -> None:
    data = {
        "shared-arrived_at": "yesterday-ish",
        "shared-contact_result": "exploded",
        "health-idva_support_offered": "no",
        "health-idva_support_accepted": "yes",
    }
    forms = VisitForms(["shared", "health"], {}, data)
    assert not forms.is_valid()
    assert forms.error_list() == [
        (
            "id_shared-arrived_at",
            "Enter the arrival time as a date and time, like 14/06/2026 09:30",
        ),
        (
            "id_shared-contact_result-1",
            "Select a valid choice. exploded is not one of the available choices.",
        ),
        ("id_health-idva_support_accepted-1", "Support cannot be accepted if it was not offered"),
    ]


def test_visit_forms_give_each_sections_cleaned_values() -> None:
    data = {
        "shared-contact_result": "engaged",
        "shared-suspect_present": "no",
        "police-statement_taken": "yes",
        "police-safety_actions": "Alarm fitted",
        "health-notes": "not this user's section",
    }
    forms = VisitForms(["shared", "police"], {}, data)
    assert forms.is_valid()
    values = forms.values()
    assert set(values) == {"shared", "police"}
    assert values["shared"]["suspect_present"] is False
    assert values["police"] == {
        "evidence_gathered": None,
        "body_worn_video": None,
        "statement_taken": True,
        "safety_actions": "Alarm fitted",
    }


def test_service_errors_are_added_to_their_sections_fields() -> None:
    forms = VisitForms(["shared"], {}, {})
    forms.is_valid()
    forms.add_errors(
        {"shared-arrived_at": "Enter the time you arrived", "health-notes": "not shown here"}
    )
    assert forms.error_list() == [("id_shared-arrived_at", "Enter the time you arrived")]


def test_form_data_value_is_what_the_form_would_post() -> None:
    assert form_data_value("shared", "suspect_present", True) == ["yes"]
    assert form_data_value("health", "previously_engaged_safeguarding", None) == ["unknown"]
    assert form_data_value("shared", "referrals_made", ["marac", "gp"]) == ["marac", "gp"]
    assert form_data_value("shared", "arrived_at", SUMMER) == ["2026-06-14T09:30"]
    assert form_data_value("shared", "place_type", None) == [""]


@pytest.mark.parametrize(
    ("section", "name", "value", "shown"),
    [
        ("shared", "contact_result", None, "Not recorded"),
        ("police", "safety_actions", "", "Not recorded"),
        ("shared", "referrals_made", [], "Not recorded"),
        ("shared", "suspect_present", True, "Yes"),
        ("police", "statement_taken", False, "No"),
        ("shared", "arrived_at", SUMMER, "14/06/2026 09:30"),
        ("shared", "contact_result", "no_contact", "No contact"),
        ("shared", "place_type", "gp", "GP surgery"),
        ("shared", "referrals_made", ["marac", "dvds"], "MARAC, Clare's Law (DVDS)"),
        ("health", "services", ["safety_planning", "old_code"], "Safety planning, old_code"),
        ("police", "safety_actions", "Alarm fitted", "Alarm fitted"),
    ],
)
def test_display_value_is_what_people_read_on_the_conflict_screen(
    section: str, name: str, value: Any, shown: str
) -> None:
    assert display_value(section, name, value) == shown
