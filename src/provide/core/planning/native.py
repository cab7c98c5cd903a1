"""The compiled labelling of :mod:`provide.core.planning.pricing` (``labelling.c``).

Pricing is the inner loop of the route-based bound: hundreds of labelling runs, each
extending up to millions of partial routes. In Python that takes seconds per run on
60-visit problems; the same algorithm in C takes milliseconds, which is what lets the
planner prove bounds within its time limit. The Python implementation stays the reference:
tests run both on the same problems and compare values, bounds and routes.

The C file is built **at install time** into the cffi extension module
``provide.core.planning._labelling`` (API mode; ``_labelling_build.py``, run by the build
hook ``hatch_build.py``). At run time this module only imports it: nothing is compiled and
nothing is loaded from a cache folder. The call takes one struct, ``ProvidePricingCall``,
declared once in ``labelling.h``; :func:`_run` sets its fields by name, and a name that the
header does not declare (or one it declares that Python does not set) raises
:class:`InterfaceMismatch` instead of corrupting memory.

If the extension was not built (no compiler at install), was built from other sources than
the ``labelling.h`` and ``labelling.c`` beside this module, or ``PROVIDE_NATIVE_PRICING=0``
(read once, on first use), :func:`best_routes` and :func:`enumerate_sets` return None and
the caller uses the Python implementation: slower, same answers. :func:`unavailable_reason`
says why; ``provide check`` reports it (provide.W003).
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from provide.core.planning.pricing import Prepared, TeamNetwork

__all__ = [
    "EXTENSION",
    "INPUT_FIELDS",
    "MAX_KEEP",
    "MAX_PLACES",
    "OUTPUT_FIELDS",
    "TURNED_OFF",
    "InterfaceMismatch",
    "available",
    "best_routes",
    "check_interface",
    "enumerate_sets",
    "source_digest",
    "unavailable_reason",
]

EXTENSION = "provide.core.planning._labelling"
"""The extension module built at install time (``_labelling_build.py``)."""

MAX_PLACES = 64
"""Masks are 64-bit: networks with more places (base, visits, base) use Python."""

MAX_KEEP = 64
"""At most this many routes may be asked for in one call."""

MAX_LABELS = 20_000_000
"""A run making more labels stops early (its bound stays valid), to bound memory."""

ENUMERATION_MAX_LABELS = 4_000_000
"""An enumeration making more labels gives up. Measured: about 2 million labels a second;
near 20 million, growing the arrays (gigabytes) overran a 5-second plan by up to 0.7 s."""

TURNED_OFF = "turned off by PROVIDE_NATIVE_PRICING=0"
""":func:`unavailable_reason` when the environment turns the compiled pricing off."""

ALL_ONES = (1 << 64) - 1
FOLDER = Path(__file__).resolve().parent
"""Where ``labelling.h`` and ``labelling.c`` are: beside this module, in a wheel too."""

# fmt: off
INPUT_FIELDS = frozenset(
    {
        # the team's network
        "n_places", "travel", "service", "win_offset", "win_start", "win_end",
        "oor_offset", "oor_threshold", "oor_mask", "shift_start", "shift_end",
        "has_break", "break_open", "break_close", "break_minutes",
        # the prices of this call
        "gain", "active", "n_active", "density", "n_density", "weight", "remember", "closed",
        # the search
        "mode", "breadth", "floor_value", "keep", "deadline", "max_labels", "threshold",
        # buffers the call fills
        "sets", "max_sets", "max_length", "route_value", "route_length", "route_places",
        "route_rest", "route_taken",
    }
)
# fmt: on
"""Fields of ``ProvidePricingCall`` that :func:`_run` sets before every call."""

OUTPUT_FIELDS = frozenset({"n_sets", "n_routes", "bound", "labels_made", "finished"})
"""Fields of ``ProvidePricingCall`` that the C call writes."""


class InterfaceMismatch(RuntimeError):
    """The fields Python sets and the fields ``labelling.h`` declares differ."""


@dataclass(frozen=True)
class _Extension:
    ffi: Any
    lib: Any


def check_interface(ffi: Any) -> None:
    """Raise :class:`InterfaceMismatch` unless ``ProvidePricingCall``, as ``ffi`` declares
    it, has exactly the fields of :data:`INPUT_FIELDS` and :data:`OUTPUT_FIELDS`."""
    declared = {name for name, _ in ffi.typeof("ProvidePricingCall").fields}
    _compare(declared, INPUT_FIELDS | OUTPUT_FIELDS, "labelling.h declares", "native.py")


def _compare(declared: set[str], used: frozenset[str] | set[str], side: str, other: str) -> None:
    unknown = sorted(used - declared)
    unset = sorted(declared - used)
    if unknown or unset:
        raise InterfaceMismatch(
            f"ProvidePricingCall: {side} no field {', '.join(unknown) or '-'}; "
            f"{other} does not set {', '.join(unset) or '-'}"
        )


def source_digest(folder: Path) -> str | None:
    """SHA-256 of ``labelling.h`` then ``labelling.c`` in ``folder``, as the build script
    records it in the extension; None if the sources are not there."""
    try:
        return hashlib.sha256(
            (folder / "labelling.h").read_bytes() + (folder / "labelling.c").read_bytes()
        ).hexdigest()
    except FileNotFoundError:
        return None


@cache
def _load() -> _Extension | str:
    """The extension, or why it is not used (once per process)."""
    if os.environ.get("PROVIDE_NATIVE_PRICING", "1") == "0":
        return TURNED_OFF
    try:
        module = importlib.import_module(EXTENSION)
    except ImportError as error:
        return f"the compiled pricing was not built when the package was installed ({error})"
    digest = getattr(module.lib, "provide_labelling_digest", None)
    built_from = module.ffi.string(digest()).decode() if digest is not None else None
    present = source_digest(FOLDER)
    if present is not None and built_from != present:
        return (
            "the compiled pricing is older than labelling.c or labelling.h beside it: "
            "reinstall (make install) to rebuild it"
        )
    try:
        check_interface(module.ffi)
    except InterfaceMismatch as error:
        return str(error)
    return _Extension(module.ffi, module.lib)


def _extension() -> _Extension | None:
    loaded = _load()
    return loaded if isinstance(loaded, _Extension) else None


def available() -> bool:
    """Whether pricing runs compiled."""
    return _extension() is not None


def unavailable_reason() -> str | None:
    """Why pricing runs in Python (None if it runs compiled)."""
    loaded = _load()
    return loaded if isinstance(loaded, str) else None


def _fill(ffi: Any, inputs: Mapping[str, object]) -> Any:
    """A new ``ProvidePricingCall`` with every input field set by name.

    Raises :class:`InterfaceMismatch` if ``inputs`` names a field the header does not
    declare, or leaves out one it declares (outputs apart). The arrays referenced by
    ``inputs`` must outlive the call: the struct holds only their addresses.
    """
    call = ffi.new("ProvidePricingCall *")
    declared = {name for name, _ in ffi.typeof("ProvidePricingCall").fields} - OUTPUT_FIELDS
    _compare(declared, set(inputs), "labelling.h declares", "the caller")
    for name, value in inputs.items():
        setattr(call, name, value)
    return call


@dataclass(frozen=True)
class _NetworkArrays:
    """A team network as C arrays (cffi owns them; they live as long as this object)."""

    n_places: int
    travel: Any
    service: Any
    win_offset: Any
    win_start: Any
    win_end: Any
    oor_offset: Any
    oor_threshold: Any
    oor_mask: Any


def _int32s(ffi: Any, values: list[int]) -> Any:
    return ffi.new("int32_t[]", values or [0])


def _uint64s(ffi: Any, values: list[int]) -> Any:
    return ffi.new("uint64_t[]", [v & ALL_ONES for v in values] or [0])


@lru_cache(maxsize=32)
def _arrays(net: TeamNetwork, ffi: Any) -> _NetworkArrays:
    win_offset: list[int] = [0]
    win_start: list[int] = []
    win_end: list[int] = []
    for spans in net.windows:
        for a, b in spans:
            win_start.append(a)
            win_end.append(b)
        win_offset.append(len(win_start))
    oor_offset: list[int] = [0]
    oor_threshold: list[int] = []
    oor_mask: list[int] = []
    for thresholds, masks in net.out_of_reach:
        oor_threshold.extend(thresholds)
        oor_mask.extend(masks)
        oor_offset.append(len(oor_threshold))
    return _NetworkArrays(
        n_places=len(net.travel),
        travel=_int32s(ffi, [t for row in net.travel for t in row]),
        service=_int32s(ffi, list(net.service)),
        win_offset=_int32s(ffi, win_offset),
        win_start=_int32s(ffi, win_start),
        win_end=_int32s(ffi, win_end),
        oor_offset=_int32s(ffi, oor_offset),
        oor_threshold=_int32s(ffi, oor_threshold),
        oor_mask=_uint64s(ffi, oor_mask),
    )


Chain = tuple[list[int], list[bool], bool]
"""A route as local places after the base, break-on-the-leg flags, break-taken flag."""

Mode = Literal["HEURISTIC", "EXACT", "ENUMERATE"]
"""A search mode: the suffix of its ``PROVIDE_PRICING_*`` constant in ``labelling.h``."""


def best_routes(
    net: TeamNetwork,
    prepared: Prepared,
    *,
    exact: bool,
    floor: float,
    keep: int,
    breadth: int,
    deadline: float | None,
) -> tuple[list[float], list[Chain], float | None, int, bool] | None:
    """Run the compiled labelling; None if it is not available or the network too large.

    Returns route values (best first), their chains, the bound (exact only), the number of
    labels made and whether the labelling finished. ``deadline`` is a
    :func:`time.monotonic` value (Linux: the same clock as C's ``CLOCK_MONOTONIC``).
    """
    if not 0 < keep <= MAX_KEEP:
        return None
    run = _run(
        net,
        prepared,
        mode="EXACT" if exact else "HEURISTIC",
        floor=floor,
        keep=keep,
        breadth=breadth,
        deadline=deadline,
    )
    if run is None:
        return None
    values, chains, bound, labels, finished, _ = run
    return values, chains, bound if exact else None, labels, finished


def enumerate_sets(
    net: TeamNetwork,
    prepared: Prepared,
    *,
    threshold: float,
    most: int,
    deadline: float | None,
) -> list[int] | None:
    """Every set of places (bit masks) some route makes worth at least ``threshold``.

    Routes follow the same relaxed rules as pricing (shortest-path legs, the break on any
    leg), so the sets include every set a team can really drive, and maybe some it cannot.
    A set may be listed more than once. None if the compiled labelling is not available,
    the deadline passed, or there are more than ``most`` (no partial lists).
    """
    run = _run(
        net,
        prepared,
        mode="ENUMERATE",
        floor=0.0,
        keep=1,
        breadth=0,
        deadline=deadline,
        threshold=threshold,
        most=most,
        max_labels=ENUMERATION_MAX_LABELS,
    )
    if run is None:
        return None
    *_, finished, sets = run
    return sets if finished else None


def _run(
    net: TeamNetwork,
    prepared: Prepared,
    *,
    mode: Mode,
    floor: float,
    keep: int,
    breadth: int,
    deadline: float | None,
    threshold: float = 0.0,
    most: int = 0,
    max_labels: int = MAX_LABELS,
) -> tuple[list[float], list[Chain], float, int, bool, list[int]] | None:
    extension = _extension()
    n = len(net.travel)
    if extension is None or n > MAX_PLACES:
        return None
    ffi, lib = extension.ffi, extension.lib
    a = _arrays(net, ffi)
    brk = net.break_window
    inputs: dict[str, Any] = {
        "n_places": n,
        "travel": a.travel,
        "service": a.service,
        "win_offset": a.win_offset,
        "win_start": a.win_start,
        "win_end": a.win_end,
        "oor_offset": a.oor_offset,
        "oor_threshold": a.oor_threshold,
        "oor_mask": a.oor_mask,
        "shift_start": net.shift_start,
        "shift_end": net.shift_end,
        "has_break": 1 if brk is not None else 0,
        "break_open": brk[0] if brk is not None else 0,
        "break_close": brk[1] if brk is not None else -1,
        "break_minutes": net.break_minutes,
        "gain": ffi.new("double[]", prepared.gain),
        "active": _int32s(ffi, prepared.active),
        "n_active": len(prepared.active),
        "density": _int32s(ffi, prepared.density),
        "n_density": len(prepared.density),
        "weight": _int32s(ffi, prepared.weight),
        "remember": _uint64s(ffi, prepared.remember),
        "closed": prepared.closed & ALL_ONES,
        "mode": getattr(lib, f"PROVIDE_PRICING_{mode}"),
        "breadth": breadth,
        "floor_value": floor,
        "keep": keep,
        "deadline": deadline if deadline is not None else 0.0,
        "max_labels": max_labels,
        "threshold": threshold,
        "sets": ffi.new("uint64_t[]", max(1, most)),
        "max_sets": most,
        "max_length": n,
        "route_value": ffi.new("double[]", keep),
        "route_length": ffi.new("int32_t[]", keep),
        "route_places": ffi.new("int32_t[]", keep * n),
        "route_rest": ffi.new("uint8_t[]", keep * n),
        "route_taken": ffi.new("uint8_t[]", keep),
    }
    call = _fill(ffi, inputs)  # `inputs` keeps the arrays alive until the call returns
    if lib.provide_best_routes(call) != 0:  # pragma: no cover - out of memory: let Python try
        return None
    places, rests = inputs["route_places"], inputs["route_rest"]
    chains: list[Chain] = []
    for r in range(call.n_routes):
        start = r * n
        length = inputs["route_length"][r]
        chains.append(
            (
                ffi.unpack(places + start, length),
                [bool(x) for x in ffi.unpack(rests + start, length)],
                bool(inputs["route_taken"][r]),
            )
        )
    return (
        ffi.unpack(inputs["route_value"], call.n_routes),
        chains,
        call.bound,
        call.labels_made,
        bool(call.finished),
        ffi.unpack(inputs["sets"], call.n_sets),
    )
