"""The compiled labelling of :mod:`provide.core.planning.pricing` (``labelling.c``).

Pricing is the inner loop of the route-based bound: hundreds of labelling runs, each
extending up to millions of partial routes. In Python that takes seconds per run on
60-visit problems; the same algorithm in C takes milliseconds, which is what lets the
planner prove bounds within its time limit. The Python implementation stays the reference:
tests run both on the same problems and compare values and bounds.

The C file is compiled on first use with the system's C compiler (``$CC``, else ``cc``)
into a cache directory (``$PROVIDE_CACHE_DIR``, else ``$XDG_CACHE_HOME/provide``, else
``~/.cache/provide``), named by a hash of the source, and loaded with :mod:`ctypes`. If
there is no compiler, or ``PROVIDE_NATIVE_PRICING=0``, :func:`best_routes` returns None and
the caller uses the Python implementation: slower, same answers.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import platform
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from provide.core.planning.pricing import Prepared, TeamNetwork

__all__ = [
    "MAX_KEEP",
    "MAX_PLACES",
    "available",
    "best_routes",
    "enumerate_sets",
    "library",
    "unavailable_reason",
]

MAX_PLACES = 64
"""Masks are 64-bit: networks with more places (base, visits, base) use Python."""

MAX_KEEP = 64
"""At most this many routes may be asked for in one call."""

MAX_LABELS = 20_000_000
"""A run making more labels stops early (its bound stays valid), to bound memory."""

ENUMERATION_MAX_LABELS = 4_000_000
"""An enumeration making more labels gives up. Measured: about 2 million labels a second;
near 20 million, growing the arrays (gigabytes) overran a 5-second plan by up to 0.7 s."""

SOURCE = Path(__file__).with_name("labelling.c")
FLAGS = ("-O2", "-shared", "-fPIC", "-std=c99", "-D_POSIX_C_SOURCE=199309L")
ALL_ONES = (1 << 64) - 1
HEURISTIC, EXACT, ENUMERATE = 0, 1, 2

_lock = threading.Lock()
_state: dict[str, object] = {}

I32 = ctypes.c_int32
I64 = ctypes.c_int64
F64 = ctypes.c_double
U64 = ctypes.c_uint64
P_I32 = ctypes.POINTER(I32)
P_F64 = ctypes.POINTER(F64)
P_U64 = ctypes.POINTER(U64)
P_U8 = ctypes.POINTER(ctypes.c_uint8)
P_I64 = ctypes.POINTER(I64)


def _cache_dir() -> Path:
    explicit = os.environ.get("PROVIDE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "provide"


def _build() -> ctypes.CDLL:
    source = SOURCE.read_bytes()
    compiler = os.environ.get("CC", "cc")
    digest = hashlib.sha256(source + " ".join((compiler, *FLAGS)).encode()).hexdigest()[:16]
    directory = _cache_dir()
    target = directory / f"labelling-{digest}-{platform.machine()}.so"
    if not target.exists():
        directory.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=directory, suffix=".so.tmp")
        os.close(handle)
        try:
            subprocess.run(  # noqa: S603 - our own compiler call on our own file
                [compiler, *FLAGS, "-o", partial, str(SOURCE)],
                check=True,
                capture_output=True,
                timeout=120,
            )
            os.replace(partial, target)  # atomic: other processes see all or nothing
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
    lib = ctypes.CDLL(str(target))
    function = lib.provide_best_routes
    function.restype = ctypes.c_int
    function.argtypes = [
        I32, P_I32, P_I32,  # n_places, travel, service
        P_I32, P_I32, P_I32,  # windows
        P_I32, P_I32, P_U64,  # out of reach
        P_F64, P_I32, I32, P_I32, I32,  # gain, active, n_active, density, n_density
        P_I32, P_U64, U64,  # weight, remember, closed
        I32, I32, I32, I32, I32, I32,  # shift, break
        I32, I32, F64, I32, F64, I64,  # mode, breadth, floor, keep, deadline, max labels
        F64, P_U64, I64, P_I64,  # enumeration: threshold, sets out, room, count
        I32, P_I32, P_F64, P_I32, P_I32, P_U8, P_U8,  # routes out
        P_F64, P_I64, P_I32,  # bound, labels, finished
    ]
    return lib


def library() -> ctypes.CDLL | None:
    """The compiled labelling, built on first use; None if it cannot be built or is off."""
    with _lock:
        if "library" not in _state:
            if os.environ.get("PROVIDE_NATIVE_PRICING", "1") == "0":
                _state["library"] = None
                _state["reason"] = "turned off by PROVIDE_NATIVE_PRICING=0"
            else:
                try:
                    _state["library"] = _build()
                    _state["reason"] = None
                except (OSError, subprocess.SubprocessError) as error:
                    _state["library"] = None
                    _state["reason"] = f"could not build {SOURCE.name}: {error}"
        lib = _state["library"]
        return lib if isinstance(lib, ctypes.CDLL) else None


def available() -> bool:
    """Whether pricing runs compiled."""
    return library() is not None


def unavailable_reason() -> str | None:
    """Why pricing runs in Python (None if it runs compiled)."""
    library()
    reason = _state.get("reason")
    return reason if isinstance(reason, str) else None


@dataclass(frozen=True)
class _NetworkArrays:
    n_places: int
    travel: ctypes.Array[ctypes.c_int32]
    service: ctypes.Array[ctypes.c_int32]
    win_offset: ctypes.Array[ctypes.c_int32]
    win_start: ctypes.Array[ctypes.c_int32]
    win_end: ctypes.Array[ctypes.c_int32]
    oor_offset: ctypes.Array[ctypes.c_int32]
    oor_threshold: ctypes.Array[ctypes.c_int32]
    oor_mask: ctypes.Array[ctypes.c_uint64]


def _int32s(values: list[int]) -> ctypes.Array[ctypes.c_int32]:
    return (I32 * max(1, len(values)))(*values)


def _uint64s(values: list[int]) -> ctypes.Array[ctypes.c_uint64]:
    return (U64 * max(1, len(values)))(*(v & ALL_ONES for v in values))


@lru_cache(maxsize=32)
def _arrays(net: TeamNetwork) -> _NetworkArrays:
    n = len(net.travel)
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
        n_places=n,
        travel=_int32s([t for row in net.travel for t in row]),
        service=_int32s(list(net.service)),
        win_offset=_int32s(win_offset),
        win_start=_int32s(win_start),
        win_end=_int32s(win_end),
        oor_offset=_int32s(oor_offset),
        oor_threshold=_int32s(oor_threshold),
        oor_mask=_uint64s(oor_mask),
    )


Chain = tuple[list[int], list[bool], bool]
"""A route as local places after the base, break-on-the-leg flags, break-taken flag."""


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
        mode=EXACT if exact else HEURISTIC,
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
        mode=ENUMERATE,
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
    mode: int,
    floor: float,
    keep: int,
    breadth: int,
    deadline: float | None,
    threshold: float = 0.0,
    most: int = 0,
    max_labels: int = MAX_LABELS,
) -> tuple[list[float], list[Chain], float, int, bool, list[int]] | None:
    lib = library()
    n = len(net.travel)
    if lib is None or n > MAX_PLACES:
        return None
    a = _arrays(net)
    brk = net.break_window
    n_routes = I32(0)
    values = (F64 * keep)()
    lengths = (I32 * keep)()
    places = (I32 * (keep * n))()
    rests = (ctypes.c_uint8 * (keep * n))()
    taken = (ctypes.c_uint8 * keep)()
    bound = F64(0.0)
    labels = I64(0)
    finished = I32(0)
    sets = (U64 * max(1, most))()
    n_sets = I64(0)
    status = lib.provide_best_routes(
        n,
        a.travel,
        a.service,
        a.win_offset,
        a.win_start,
        a.win_end,
        a.oor_offset,
        a.oor_threshold,
        a.oor_mask,
        (F64 * n)(*prepared.gain),
        _int32s(prepared.active),
        len(prepared.active),
        _int32s(prepared.density),
        len(prepared.density),
        _int32s(prepared.weight),
        _uint64s(prepared.remember),
        prepared.closed & ALL_ONES,
        net.shift_start,
        net.shift_end,
        1 if brk is not None else 0,
        brk[0] if brk is not None else 0,
        brk[1] if brk is not None else -1,
        net.break_minutes,
        mode,
        breadth,
        floor,
        keep,
        deadline if deadline is not None else 0.0,
        max_labels,
        threshold,
        sets,
        most,
        ctypes.byref(n_sets),
        n,
        ctypes.byref(n_routes),
        values,
        lengths,
        places,
        rests,
        taken,
        ctypes.byref(bound),
        ctypes.byref(labels),
        ctypes.byref(finished),
    )
    if status != 0:  # pragma: no cover - out of memory: let Python try
        return None
    chains: list[Chain] = []
    for r in range(n_routes.value):
        row = slice(r * n, r * n + lengths[r])
        chains.append(([*places[row]], [bool(x) for x in rests[row]], bool(taken[r])))
    return (
        [values[r] for r in range(n_routes.value)],
        chains,
        bound.value,
        labels.value,
        bool(finished.value),
        list(sets[: n_sets.value]),
    )
