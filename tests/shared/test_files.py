"""Files the site writes are its user's alone: 0600 files in 0700 folders, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from provide.shared.files import (
    FILE_MODE,
    FOLDER_MODE,
    private_folder,
    private_opener,
    restrict_new_files,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """A process that would otherwise create world-readable files (umask 022)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("permissive_umask")
def test_after_restricting_new_files_everything_created_is_owner_only(tmp_path: Path) -> None:
    assert restrict_new_files() == 0o022
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "db.sqlite3").write_bytes(b"x")
    assert mode(tmp_path / "folder") == 0o700 and mode(tmp_path / "folder" / "db.sqlite3") == 0o600


@pytest.mark.usefixtures("permissive_umask")
def test_a_private_folder_is_0700_even_when_it_already_existed(tmp_path: Path) -> None:
    assert mode(private_folder(tmp_path / "imports" / "one")) == FOLDER_MODE == 0o700
    (tmp_path / "open").mkdir(mode=0o755)
    assert mode(private_folder(tmp_path / "open")) == 0o700


@pytest.mark.usefixtures("permissive_umask")
def test_a_file_opened_with_the_private_opener_is_0600_new_or_old(tmp_path: Path) -> None:
    with open(tmp_path / "upload.csv", "wb", opener=private_opener) as handle:
        handle.write(b"ref\n")
    assert mode(tmp_path / "upload.csv") == FILE_MODE == 0o600
    (tmp_path / "old.csv").write_bytes(b"")
    assert mode(tmp_path / "old.csv") == 0o644
    with open(tmp_path / "old.csv", "wb", opener=private_opener) as handle:
        handle.write(b"ref\n")
    assert mode(tmp_path / "old.csv") == 0o600 and (tmp_path / "old.csv").read_bytes() == b"ref\n"
