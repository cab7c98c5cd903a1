"""The dashboard shows engagement before and after the visit, paired, with its counts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from provide.health.models import SupportRecord
from tests.cast import PASSWORD

URL = "/evaluation/"


def _client(make_user: Any, slug: str) -> Client:
    make_user(slug)
    client = Client()
    assert client.login(username=slug.replace("_", "."), password=PASSWORD)
    return client


@pytest.mark.django_db
def test_the_idva_manager_sees_the_paired_before_and_after(
    make_user: Any, programme: dict[str, Any]
) -> None:
    complete = SupportRecord.objects.filter(record_status=SupportRecord.RecordStatus.COMPLETE)
    pairs = complete.filter(
        previously_engaged_investigation__isnull=False, engaged_investigation__isnull=False
    )
    became = pairs.filter(
        previously_engaged_investigation=False, engaged_investigation=True
    ).count()
    client = _client(make_user, "idva_manager")
    html = client.get(URL).content.decode()
    assert "Engagement before and after the visit" in html and "p (exact McNemar)" in html
    change = json.loads(client.get(f"{URL}download/report-json/").content)["engagement_change"][
        "investigation"
    ]
    assert change["pairs"] == pairs.count() and change["became_engaged"] == became
    assert change["before"]["den"] == change["after"]["den"] == pairs.count()


@pytest.mark.django_db
def test_the_analyst_sees_it_published(make_user: Any, programme: dict[str, Any]) -> None:
    client = _client(make_user, "analyst")
    assert "Engagement before and after the visit" in client.get(URL).content.decode()
    change = json.loads(client.get(f"{URL}download/report-json/").content)["engagement_change"][
        "safeguarding"
    ]
    assert isinstance(change["pairs"], int) and change["pairs"] >= 5
