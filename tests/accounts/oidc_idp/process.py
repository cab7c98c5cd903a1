"""Start the test identity provider as a subprocess on a free port, and stop it.

``running_identity_provider`` migrates a fresh SQLite database, creates the signing key
(``creatersakey``), the client and the users, serves the provider with ``runserver
--noreload`` on 127.0.0.1 and waits until its discovery document answers.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[3]
CLIENT_ID = "provide-test-client"
CLIENT_SECRET = "provide-test-client-secret-" + "z" * 20
READY_WITHIN_SECONDS = 120


@dataclass
class IdentityProvider:
    """A running provider: its issuer URL and the file of its users' extra claims."""

    base_url: str
    claims_file: Path
    log_file: Path

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/openid"

    def set_claims(self, username: str, **claims: Any) -> None:
        """Replace one user's extra claims (``roles``, ``bcu``, ``amr``); read on the next request."""
        current = json.loads(self.claims_file.read_text(encoding="utf-8"))
        current[username] = claims
        self.claims_file.write_text(json.dumps(current), encoding="utf-8")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _manage(arguments: list[str], environment: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "tests.accounts.oidc_idp.manage", *arguments],
        cwd=REPOSITORY,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )


@contextmanager
def running_identity_provider(
    folder: Path, *, redirect_uris: list[str], users: list[dict[str, str]]
) -> Iterator[IdentityProvider]:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    claims_file = folder / "claims.json"
    claims_file.write_text("{}", encoding="utf-8")
    spec_file = folder / "spec.json"
    spec_file.write_text(
        json.dumps(
            {
                "client": {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": redirect_uris,
                },
                "users": users,
            }
        ),
        encoding="utf-8",
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "PROVIDE_"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.accounts.oidc_idp.settings",
            "IDP_SITE_URL": base_url,
            "IDP_DATABASE": str(folder / "idp.sqlite3"),
            "IDP_CLAIMS_FILE": str(claims_file),
            "PYTHONPATH": str(REPOSITORY),
        }
    )
    _manage(["migrate", "--noinput"], environment)
    _manage(["creatersakey"], environment)
    subprocess.run(
        [sys.executable, "-m", "tests.accounts.oidc_idp.setup_idp", str(spec_file)],
        cwd=REPOSITORY,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    log_file = folder / "idp.log"
    with log_file.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.accounts.oidc_idp.manage",
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
            ],
            cwd=REPOSITORY,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            provider = IdentityProvider(
                base_url=base_url, claims_file=claims_file, log_file=log_file
            )
            _wait_until_ready(provider, server)
            yield provider
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_ready(provider: IdentityProvider, server: subprocess.Popen[bytes]) -> None:
    discovery = f"{provider.issuer}/.well-known/openid-configuration"
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"the test identity provider stopped: {provider.log_file.read_text()}"
            )
        try:
            with urllib.request.urlopen(discovery, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(
        f"the test identity provider did not answer: {provider.log_file.read_text()}"
    )
