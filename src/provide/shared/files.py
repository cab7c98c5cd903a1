"""Files the site writes hold personal data: they are readable by its own user only.

Every ``provide`` command and the WSGI server start with :func:`restrict_new_files` (umask
0o077), so whatever they create - the SQLite database and its journal, uploads kept for the
preview step, rejects files, exports - is 0600, and folders 0700. Code that writes an upload
also asks for those modes itself (:func:`private_folder`, :func:`private_opener`), so the modes
hold whatever process writes the file.
"""

from __future__ import annotations

import os
from pathlib import Path

OWNER_ONLY_UMASK = 0o077
FILE_MODE = 0o600
FOLDER_MODE = 0o700


def restrict_new_files() -> int:
    """Make every file and folder this process creates from now on its user's alone.
    Returns the previous umask."""
    return os.umask(OWNER_ONLY_UMASK)


def private_folder(path: Path) -> Path:
    """Create ``path`` (and its parents) if missing; ``path`` itself ends 0700."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    path.chmod(FOLDER_MODE)
    return path


def private_opener(path: str, flags: int) -> int:
    """An ``opener`` for :func:`open` that creates the file 0600 (``open(p, "wb",
    opener=private_opener)``); an existing file is made 0600 too."""
    descriptor = os.open(path, flags, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)
    return descriptor
