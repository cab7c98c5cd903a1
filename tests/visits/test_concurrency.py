"""The officer and the IDVA fill in the same visit at once: neither loses what they typed.

Two browser sessions (two clients) work from the same version of the form. Different answers
merge; the same answer changed two ways shows a conflict screen with both versions. The
threaded test runs two database connections against each other: on PostgreSQL the second
save really waits on the first's row lock (``select_for_update``) and then sees its work.
"""

from __future__ import annotations

import threading
import time
from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.urls import reverse

from provide.health.models import SupportRecord
from provide.visits import services
from provide.visits.models import PoliceVisitRecord, Visit
from tests.visits.formdata import form_data, with_changes


def _url(visit: Visit) -> str:
    return reverse("visits:visit-record", args=[visit.public_id])


def _form(client: Any, visit: Visit) -> dict[str, list[str]]:
    return form_data(client.get(_url(visit)).content.decode())


@pytest.mark.django_db
def test_officer_and_idva_saving_different_answers_at_once_both_keep_their_work(
    client_for: Any, planned_visit: Visit
) -> None:
    officer, idva = client_for("joint_team_officer"), client_for("health_idva")
    officer_form, idva_form = (
        _form(officer, planned_visit),
        _form(idva, planned_visit),
    )  # both at version 1
    officer.post(
        _url(planned_visit),
        {
            **with_changes(
                officer_form, shared__contact_result="engaged", police__statement_taken="yes"
            ),
            "action": "save",
        },
    )
    response = idva.post(
        _url(planned_visit),
        {
            **with_changes(idva_form, shared__place_type="gp", health__notes="Seen at the GP"),
            "action": "save",
        },
    )
    assert response.status_code == 302
    planned_visit.refresh_from_db()
    assert planned_visit.lock_version == 3
    assert planned_visit.contact_result == "engaged" and planned_visit.place_type == "gp"
    assert PoliceVisitRecord.objects.get(visit=planned_visit).statement_taken is True
    assert SupportRecord.objects.get(visit=planned_visit).notes == "Seen at the GP"


@pytest.mark.django_db
def test_the_same_answer_changed_two_ways_shows_both_versions_and_saves_nothing(
    client_for: Any, planned_visit: Visit
) -> None:
    officer, idva = client_for("joint_team_officer"), client_for("health_idva")
    officer_form, idva_form = _form(officer, planned_visit), _form(idva, planned_visit)
    officer.post(
        _url(planned_visit),
        {
            **with_changes(
                officer_form, shared__contact_result="engaged", shared__place_type="home"
            ),
            "action": "save",
        },
    )
    response = idva.post(
        _url(planned_visit),
        {
            **with_changes(
                idva_form,
                shared__contact_result="declined",
                health__notes="My notes, typed at the door",
            ),
            "action": "save",
        },
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Joint-team Persona changed this visit while you were editing it" in html
    assert "Keep yours: Declined" in html and "Keep Joint-team Persona’s: Engaged" in html
    assert "My notes, typed at the door" in html  # nothing the IDVA typed is lost
    assert not SupportRecord.objects.filter(visit=planned_visit).exists()  # and nothing saved yet
    planned_visit.refresh_from_db()
    assert planned_visit.contact_result == "engaged" and planned_visit.lock_version == 2
    # The officer's other change (place) is taken into the IDVA's form, not overwritten.
    conflict_form = form_data(html)
    assert conflict_form["shared-place_type"] == ["home"] and conflict_form["lock_version"] == ["2"]

    response = idva.post(
        _url(planned_visit),
        {**conflict_form, "resolve-shared-contact_result": "theirs", "action": "save"},
    )
    assert response.status_code == 302
    planned_visit.refresh_from_db()
    assert planned_visit.contact_result == "engaged" and planned_visit.place_type == "home"
    assert SupportRecord.objects.get(visit=planned_visit).notes == "My notes, typed at the door"


@pytest.mark.django_db
def test_keeping_your_own_version_after_seeing_both(client_for: Any, planned_visit: Visit) -> None:
    officer, idva = client_for("joint_team_officer"), client_for("health_idva")
    officer_form, idva_form = _form(officer, planned_visit), _form(idva, planned_visit)
    officer.post(
        _url(planned_visit),
        {**with_changes(officer_form, shared__suspect_present="yes"), "action": "save"},
    )
    html = idva.post(
        _url(planned_visit),
        {**with_changes(idva_form, shared__suspect_present="no"), "action": "save"},
    ).content.decode()
    idva.post(
        _url(planned_visit),
        {**form_data(html), "resolve-shared-suspect_present": "mine", "action": "save"},
    )
    planned_visit.refresh_from_db()
    assert planned_visit.suspect_present is False and planned_visit.lock_version == 3


@pytest.mark.django_db
def test_autosave_from_a_stale_form_reports_the_conflict_and_saves_nothing(
    client_for: Any, planned_visit: Visit
) -> None:
    officer, idva = client_for("joint_team_officer"), client_for("health_idva")
    officer_form, idva_form = _form(officer, planned_visit), _form(idva, planned_visit)
    officer.post(
        _url(planned_visit),
        {**with_changes(officer_form, shared__contact_result="engaged"), "action": "save"},
    )
    response = idva.post(
        reverse("visits:visit-autosave", args=[planned_visit.public_id]),
        with_changes(idva_form, shared__contact_result="no_contact"),
    )
    assert "Someone else has changed this visit" in response.content.decode()
    planned_visit.refresh_from_db()
    assert planned_visit.contact_result == "engaged"


@pytest.mark.django_db
def test_the_version_is_claimed_by_compare_and_set(make_user: Any, planned_visit: Visit) -> None:
    """A writer that slipped in between the read and the write (what the row lock prevents
    on PostgreSQL; SQLite has no row locks) makes the claim fail, so nothing is overwritten."""
    officer = make_user("joint_team_officer")
    stale = Visit.objects.get(pk=planned_visit.pk)  # read at version 1
    Visit.objects.filter(pk=planned_visit.pk).update(contact_result="declined", lock_version=2)
    with pytest.raises(services._StaleRead):
        services._claim_version(stale, user=officer, updates={"contact_result": "engaged"})
    planned_visit.refresh_from_db()
    assert planned_visit.contact_result == "declined" and planned_visit.lock_version == 2


@pytest.mark.django_db
def test_a_stale_claim_is_retried_from_a_fresh_read(make_user: Any, planned_visit: Visit) -> None:
    officer = make_user("joint_team_officer")
    real_claim = services._claim_version
    calls = {"n": 0}

    def claim_loses_once(visit: Visit, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise services._StaleRead
        real_claim(visit, **kwargs)

    with mock.patch.object(services, "_claim_version", claim_loses_once):
        services.visit_record(
            user=officer,
            visit_id=planned_visit.public_id,
            lock_version=1,
            values={"shared": {"contact_result": "engaged"}},
        )
    planned_visit.refresh_from_db()
    assert (
        calls["n"] == 2
        and planned_visit.contact_result == "engaged"
        and planned_visit.lock_version == 2
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks to wait on")
def test_on_postgresql_a_second_save_waits_for_the_first_and_then_sees_it(
    make_user: Any, planned_visit: Visit
) -> None:
    officer, idva = make_user("joint_team_officer"), make_user("health_idva")
    first_saved, results = threading.Event(), {}
    committed_at: dict[str, float] = {}

    def officer_saves() -> None:
        try:
            with transaction.atomic():
                services.visit_record(
                    user=officer,
                    visit_id=planned_visit.public_id,
                    lock_version=1,
                    base={"shared": {"contact_result": ""}},
                    values={"shared": {"contact_result": "engaged"}},
                )
                first_saved.set()
                time.sleep(0.8)  # hold the row lock while the IDVA tries to save
            committed_at["officer"] = time.monotonic()
        finally:
            connection.close()

    def idva_saves() -> None:
        first_saved.wait(5)
        started = time.monotonic()
        try:
            services.visit_record(
                user=idva,
                visit_id=planned_visit.public_id,
                lock_version=1,
                base={"shared": {"contact_result": ""}},
                values={"shared": {"contact_result": "declined"}},
            )
            results["idva"] = "saved"
        except services.VisitConflict as conflict:
            results["idva"] = f"conflict:{conflict.conflicts[0].theirs}"
        finally:
            results["waited"] = time.monotonic() - started
            connection.close()

    threads = [threading.Thread(target=officer_saves), threading.Thread(target=idva_saves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert results["idva"] == "conflict:engaged"  # it saw the officer's committed answer
    assert results["waited"] >= 0.5  # because it waited on the row lock
    planned_visit.refresh_from_db()
    assert planned_visit.contact_result == "engaged" and planned_visit.lock_version == 2
