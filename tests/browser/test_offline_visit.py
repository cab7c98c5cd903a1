"""The joint team works with no signal (issue 17): at 390 px, the officer opens the visit form
with signal, the network is cut mid-visit, the answers and "Finish" are kept on the phone (a
reload with no network still shows the form, with them), and when the signal returns they are
sent and saved. Nothing health-side is kept on a police officer's phone, and signing out
leaves nothing behind."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import get_resolver

from provide.visits.models import PoliceVisitRecord, Visit
from tests.browser.conftest import PHONE, assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard
from tests.cast import HEALTH_SECRETS

KEPT_TEXT = """async () => {
  const texts = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      texts.push((await (await cache.match(request)).text()));
    }
  }
  return texts;
}"""
DRAFTS = """() => new Promise((resolve, reject) => {
  const opened = indexedDB.open("provide-offline", 1);
  opened.onupgradeneeded = () => opened.result.createObjectStore("drafts", { keyPath: "key" });
  opened.onsuccess = () => {
    const all = opened.result.transaction("drafts").objectStore("drafts").getAll();
    all.onsuccess = () => { resolve(all.result); opened.result.close(); };
  };
  opened.onerror = () => reject(opened.error);
})"""


@pytest.fixture(autouse=True)
def _urls_loaded() -> None:
    get_resolver().url_patterns  # noqa: B018


@pytest.mark.service_workers
@pytest.mark.django_db(transaction=True)
def test_a_visit_recorded_with_no_signal_is_kept_and_sent_when_the_signal_returns(
    page: Any, live_server: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    make_user("joint_team_officer")
    page.set_viewport_size(PHONE)
    sign_in_by_keyboard(page, live_server.url, "joint.team.officer")
    page.get_by_role("button", name="Start a visit").click()
    page.get_by_label("Investigation reference").fill("WB/2026/000001")
    page.get_by_role("button", name="Start the visit").click()
    page.wait_for_url("**/visits/*/")
    form_url = page.url
    # the service worker takes over, and keeps this page from the next load on
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    assert page.evaluate("() => Boolean(navigator.serviceWorker.controller)")
    page.get_by_role("button", name="Record arrival now").click()  # a form sent with signal
    page.get_by_text("Arrival recorded").wait_for()
    assert page.evaluate(DRAFTS) == [], "a form the server answered leaves no draft"

    page.context.set_offline(True)
    page.get_by_role("group", name="Contact result").get_by_label("Engaged").check()
    page.get_by_role("group", name="Where did the visit take place?").get_by_label("Home").check()
    page.get_by_role("group", name="Was the suspect present?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("group", name="Evidence gathered").get_by_label("Yes", exact=True).check()
    page.get_by_label("Safety actions").fill("Seen at the door with no signal; alarm fitted")
    page.get_by_role("button", name="Finish and record the visit").click()
    status = page.locator("#offline-status")
    status.get_by_text("No signal").wait_for()
    visit = Visit.objects.get(public_id=form_url.rstrip("/").rsplit("/", 1)[-1])
    assert visit.record_status != "complete", "nothing reached the server"

    page.reload()  # no network: the phone's copy of the form, with the answers put back
    assert page.get_by_role("heading", level=1).inner_text() == "Visit to Alice Westby"
    assert page.get_by_label("Safety actions").input_value() == (
        "Seen at the door with no signal; alarm fitted"
    )
    assert "kept on this phone" in status.inner_text()
    assert_accessible(page, "visit form kept with no signal")
    page.set_viewport_size(PHONE)

    page.context.set_offline(False)  # the signal returns: sent as it was, and saved
    page.get_by_text("Visit recorded").wait_for(timeout=30_000)
    visit.refresh_from_db()
    assert visit.record_status == "complete" and visit.contact_result == "engaged"
    assert PoliceVisitRecord.objects.get(visit=visit).safety_actions == (
        "Seen at the door with no signal; alarm fitted"
    )
    assert page.evaluate(DRAFTS) == []
    assert page.url.startswith(form_url.split("?")[0])

    kept = page.evaluate(KEPT_TEXT)
    assert kept, "the phone keeps the pages it needs with no signal"
    for secret in HEALTH_SECRETS.values():
        assert not any(secret in text for text in kept), f"{secret!r} kept on a police phone"

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/**")
    assert page.evaluate("async () => (await caches.keys()).length") == 0
    assert page.evaluate(DRAFTS) == []
