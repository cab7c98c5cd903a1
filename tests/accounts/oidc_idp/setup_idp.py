"""Fill the test provider's database: one confidential client (Provide) and its users.

Run after ``manage migrate`` and ``manage creatersakey``, with the provider's settings::

    python -m tests.accounts.oidc_idp.setup_idp spec.json

where ``spec.json`` holds ``{"client": {"client_id", "client_secret", "redirect_uris"},
"users": [{"username", "password", "email", "first_name", "last_name"}]}``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any


def set_up(spec: dict[str, Any]) -> None:
    from django.contrib.auth.models import User
    from oidc_provider.models import Client, ResponseType

    client = Client.objects.create(
        name="Provide",
        client_type="confidential",
        client_id=spec["client"]["client_id"],
        client_secret=spec["client"]["client_secret"],
        jwt_alg="RS256",
        require_consent=False,
        reuse_consent=True,
    )
    client.redirect_uris = spec["client"]["redirect_uris"]
    client.scope = ["openid", "email", "profile", "provide"]
    client.save()
    client.response_types.add(ResponseType.objects.get(value="code"))
    for person in spec["users"]:
        User.objects.create_user(
            username=person["username"],
            password=person["password"],
            email=person.get("email", ""),
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
        )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.accounts.oidc_idp.settings"
    import django

    django.setup()
    set_up(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
