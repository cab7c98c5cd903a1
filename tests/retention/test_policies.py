"""Each side's retention belongs to one role; the extract to the analyst."""

from __future__ import annotations

import pytest

from provide.accounts.models import User
from provide.retention.models import Side
from provide.retention.policies import can_download_extract, can_manage_retention, retention_side_of

EXPECTED_SIDE = {"administrator": Side.POLICE, "idva_manager": Side.HEALTH}


@pytest.mark.django_db
def test_only_the_administrator_and_the_idva_manager_manage_retention(
    personas: dict[str, User],
) -> None:
    for slug, user in personas.items():
        side = EXPECTED_SIDE.get(slug)
        assert retention_side_of(user) == side, slug
        assert can_manage_retention(user, Side.POLICE) is (side == Side.POLICE), slug
        assert can_manage_retention(user, Side.HEALTH) is (side == Side.HEALTH), slug


@pytest.mark.django_db
def test_only_the_analyst_downloads_the_extract(personas: dict[str, User]) -> None:
    assert {slug for slug, user in personas.items() if can_download_extract(user)} == {"analyst"}
