"""Header normalisation and user-supplied column mappings.

Headers are compared after :func:`normalise_header`: case-insensitive, surrounding spaces
ignored, and ``_``, ``-`` and space equivalent (``"Tracker ID"``, ``"tracker-id"`` and
``" TRACKER_ID "`` are all ``tracker_id``).

A column mapping says which of the file's headers holds which canonical column, for files
whose headers differ from the documented ones. Keys are the file's headers, values the
canonical names: ``{"Crime Ref": "investigation_ref"}``. It can be given as a dict, a JSON
object file, or a two-column CSV file (``source,target``; a first row reading ``source,target``
or ``from,to`` is treated as a header).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path

from provide.core.tabular.problems import CellProblem, TabularError

_SEPARATORS = re.compile(r"[\s_\-]+")
_MAPPING_HEADERS = {("source", "target"), ("from", "to"), ("file_column", "column")}


def normalise_header(name: object) -> str:
    """Return the comparison form of a header.

    Parameters
    ----------
    name : object
        A header cell (usually ``str``; numbers and ``None`` are converted with ``str``).

    Returns
    -------
    str
        Lower case, trimmed, with each run of spaces, ``_`` and ``-`` replaced by one ``_``.
        A BOM or non-breaking space is treated as a space.

    Examples
    --------
    >>> normalise_header("  Tracker-ID ")
    'tracker_id'
    >>> normalise_header("IDVA support  accepted")
    'idva_support_accepted'
    """
    text = "" if name is None else str(name)
    text = text.replace("\ufeff", " ").replace("\u00a0", " ").strip().lower()
    return _SEPARATORS.sub("_", text).strip("_")


def normalise_mapping(mapping: Mapping[str, str]) -> dict[str, str]:
    """Normalise both sides of a column mapping (file header -> canonical column).

    Raises
    ------
    TabularError
        If two different file headers normalise to the same key with different targets.
    """
    result: dict[str, str] = {}
    problems: list[str] = []
    for source, target in mapping.items():
        key, value = normalise_header(source), normalise_header(target)
        if not key or not value:
            problems.append(f"column mapping: empty name in {source!r} -> {target!r}")
            continue
        if key in result and result[key] != value:
            problems.append(
                f"column mapping: {source!r} is mapped twice ({result[key]!r} and {value!r})"
            )
            continue
        result[key] = value
    if problems:
        raise TabularError(problems)
    return result


def load_mapping(path: str | Path) -> dict[str, str]:
    """Read a column mapping from a JSON or CSV file.

    Parameters
    ----------
    path : str or Path
        ``*.json``: one object ``{"file header": "canonical column", ...}``.
        Anything else: CSV with two columns, file header then canonical column.

    Returns
    -------
    dict of str to str
        The normalised mapping (see :func:`normalise_mapping`).

    Raises
    ------
    TabularError
        If the file cannot be read or is not a mapping.
    """
    path = Path(path)
    label = path.name  # messages name the file, never the folder it was kept in
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise TabularError([f"{label}: cannot read mapping file ({error.strerror})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TabularError([f"{label}: mapping file is not UTF-8 text"]) from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise TabularError(
                [f"{label}: not valid JSON (line {error.lineno}, column {error.colno})"]
            ) from None
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise TabularError(
                [f"{label}: a mapping must be one JSON object of file header -> column name"]
            )
        return normalise_mapping(data)
    pairs: dict[str, str] = {}
    problems: list[CellProblem] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if number == 1 and tuple(normalise_header(c) for c in cells[:2]) in _MAPPING_HEADERS:
            continue
        if len(cells) < 2 or not cells[0] or not cells[1] or any(cells[2:]):
            problems.append(
                CellProblem(number, None, "expected two cells: file header, column name", label)
            )
            continue
        pairs[cells[0]] = cells[1]
    if problems:
        raise TabularError(problems)
    return normalise_mapping(pairs)
