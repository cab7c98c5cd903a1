"""The administrator's admin pages pass axe-core too."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard


@pytest.mark.django_db(transaction=True)
def test_admin_index_user_list_and_area_form_are_accessible(
    page: Any, live_server: Any, make_user: Any
) -> None:
    make_user("administrator")
    sign_in_by_keyboard(page, live_server.url, "administrator")
    for path, label in (
        ("/admin/", "admin index"),
        ("/admin/accounts/user/", "user list"),
        ("/admin/areas/area/add/", "new area form"),
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page, label)
