"""Statistical disclosure control for published outputs (``provide evaluate --publish``, and the
dashboard and its downloads for every role that does not see the full figures).

Hiding the counts below 5 is not enough on its own: an analyst who may choose the period can
ask for two periods that differ by one day and subtract. With exact published totals (108
visits, then 100 the day before) the difference gives the day's small count exactly (8 visits,
7 accepted) although that day, asked for directly, shows ``"<5"`` or ``">=4"``. So every count
is **rounded**, and nothing published can undo the rounding:

1. **Counts.** Every count below :data:`THRESHOLD` (5), zero included, is shown as ``"<5"``.
   Every other count is rounded to the nearest multiple of :data:`BASE` (5): 5, 6 and 7 are
   published as 5; 8 to 12 as 10; 98 as 100. This covers a proportion's ``num`` and ``den``,
   the counts named in :data:`COUNT_KEYS` (``tracker_rows``, ``rows_with_valid_delay``,
   ``n``, ...) and the interrupted time series' ``denominators``. Each rounded count is within
   2 of the true one, so the difference of two published counts is within 4 of the true
   difference: differencing two selections never pins down a count (a difference of 10 means
   anything from 6 to 14).
2. **Rates follow the rounded counts.** A proportion's ``value`` and its 95 % Wilson interval
   (``ci_low``, ``ci_high``) are recomputed from the rounded ``num`` and ``den``; an exact rate
   over a rounded denominator would give the exact numerator back. When ``num`` or ``den`` is
   ``"<5"``, or the rounded ``den`` is below :data:`MIN_RATE_DENOMINATOR` (20, where rounding
   would move the rate too far to be worth reading), the value and interval are withheld
   (``null``). The time series' per-quarter ``rates`` are recomputed the same way. A small complement (98 of 100 accepted: 2 did not)
   needs no rule of its own: 98 and 100 are both published as 100, so the 2 cannot be told
   from 0 or 4.
3. **Everything else that is a number** — test statistics (chi-square, p-values, odds ratios
   and their intervals), the time series' coefficients and fitted values, a matched
   comparison's control rate and difference, a before/after difference, medians — is given to
   :data:`SIGNIFICANT_FIGURES` (2) significant figures, so it cannot be used to work back to
   the exact counts beneath the rounding. As before, a matched comparison's control rate and
   difference are withheld when its matched controls are fewer than 5 or its treated rate is
   withheld, and a paired before/after difference when either side or either discordant count
   is.
4. Data-quality details (:data:`PRIVATE_KEYS`: row numbers, tracker ids) are dropped.
5. The top-level ``suppressed`` flag is set to ``true``.

The measures themselves are computed exactly as before, on the exact data: only what is
published is rounded. Rounding is deterministic (the same selection always publishes the same
figures), so asking again does not average it away; many overlapping selections could still
narrow a count down, which is why every download is audited with its selection.
"""

from __future__ import annotations

import copy
import math
from typing import Any

THRESHOLD = 5
"""Counts below this are shown as ``"<5"``."""

BASE = 5
"""Published counts are rounded to the nearest multiple of this."""

MIN_RATE_DENOMINATOR = 20
"""A rate (and its interval) is published only over a rounded denominator of at least this:
below it, rounding the counts moves the rate too far (7 of 8 would read 5 of 10, 50 %)."""

SIGNIFICANT_FIGURES = 2
"""Published numbers other than counts and recomputed rates keep this many significant figures."""

SUPPRESSED = "<5"

COUNT_KEYS: frozenset[str] = frozenset(
    {
        "tracker_rows",
        "rows_with_valid_delay",
        "n",
        "count",
        "investigations",
        "with_outcome",
        "victims_responded",
        "victims_supported",
        "treated",
        "controls",
        "matched_treated",
        "matched_controls",
        "eligible_treated",
        "eligible_controls",
        "linked_by_reference",
        "linked_by_victim",
        "unlinked",
        "pairs",
        "became_engaged",
        "stopped",
    }
)
"""Keys whose integer values are counts to protect wherever they appear."""

_PROPORTION_KEYS = frozenset({"num", "den", "value", "ci_low", "ci_high"})
_SERIES_KEYS = frozenset({"rates", "denominators"})

PRIVATE_KEYS: frozenset[str] = frozenset({"data_quality", "notes"})
"""Keys dropped from published documents: they name tracker rows and identifiers."""


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def suppress_count(count: int) -> int | str:
    """Return ``count`` as published: ``"<5"`` below :data:`THRESHOLD`, else rounded to the
    nearest multiple of :data:`BASE`.

    Examples
    --------
    >>> [suppress_count(n) for n in (0, 4, 5, 7, 8, 12, 98, 1288)]
    ['<5', '<5', 5, 5, 10, 10, 100, 1290]
    """
    if count < THRESHOLD:
        return SUPPRESSED
    return BASE * ((count + BASE // 2) // BASE)


def significant(value: float, figures: int = SIGNIFICANT_FIGURES) -> float:
    """``value`` to ``figures`` significant figures (non-finite values are returned as they are).

    Examples
    --------
    >>> significant(1.959375), significant(0.3754284018974368), significant(0.0004321), significant(137.5)
    (2.0, 0.38, 0.00043, 140.0)
    """
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, figures - 1 - math.floor(math.log10(abs(value))))


def _rate(num: int | str, den: int | str) -> tuple[float | None, float | None, float | None]:
    """Value and Wilson interval from published counts (``None`` when either is withheld, or
    the denominator is below :data:`MIN_RATE_DENOMINATOR`)."""
    if not _is_count(num) or not _is_count(den) or int(den) < MIN_RATE_DENOMINATOR:
        return None, None, None
    from provide.core.evaluation.proportions import wilson_interval  # numpy: only when publishing

    assert isinstance(num, int) and isinstance(den, int)
    low, high = wilson_interval(num, den)
    return num / den, low, high


def suppress_proportion(item: dict[str, Any]) -> dict[str, Any]:
    """Apply rules 1-2 to one proportion dict (other keys such as ``bcu`` are kept).

    Examples
    --------
    >>> suppress_proportion({"num": 3, "den": 40, "value": 0.075, "ci_low": 0.03, "ci_high": 0.2})
    {'num': '<5', 'den': 40, 'value': None, 'ci_low': None, 'ci_high': None}
    >>> published = suppress_proportion({"num": 98, "den": 100, "value": 0.98, "ci_low": 0.93, "ci_high": 0.99})
    >>> published["num"], published["den"], published["value"]
    (100, 100, 1.0)
    """
    out = dict(item)
    num, den = item.get("num"), item.get("den")
    if (
        not isinstance(num, int)
        or isinstance(num, bool)
        or not isinstance(den, int)
        or isinstance(den, bool)
    ):
        return out
    out["num"], out["den"] = suppress_count(num), suppress_count(den)
    out["value"], out["ci_low"], out["ci_high"] = _rate(out["num"], out["den"])
    return out


def _suppress_series(node: dict[str, Any]) -> dict[str, Any]:
    """Rules 1-2 for parallel ``rates`` / ``denominators`` lists (the ITS series): each
    denominator is rounded and each rate recomputed from its rounded numerator (rate x
    denominator) and denominator, or withheld when either is below 5."""
    out = dict(node)
    rates, dens = list(node["rates"]), list(node["denominators"])
    for i, den in enumerate(dens):
        if not _is_count(den):
            continue
        rate = rates[i] if i < len(rates) else None
        if isinstance(rate, int | float) and not isinstance(rate, bool):
            rates[i] = _rate(suppress_count(round(rate * den)), suppress_count(den))[0]
        dens[i] = suppress_count(den)
    out["rates"], out["denominators"] = rates, dens
    return out


def _suppress_comparison(node: dict[str, Any]) -> dict[str, Any]:
    """A matched difference reveals the control rate once the treated rate is known: withhold
    both when the matched controls are fewer than 5 or the treated rate is withheld."""
    out = dict(node)
    treated = (
        suppress_proportion(node["treated_rate"])
        if isinstance(node.get("treated_rate"), dict)
        else {}
    )
    controls = node.get("matched_controls")
    if treated.get("value") is None or not isinstance(controls, int) or controls < THRESHOLD:
        for key in ("control_rate", "difference", "ci_low", "ci_high"):
            out[key] = None
    return out


def _suppress_change(node: dict[str, Any]) -> dict[str, Any]:
    """A paired before/after difference times the pairs gives became − stopped: withhold it
    (and its interval) when either proportion or either discordant count is withheld."""
    out = dict(node)
    sides = [
        suppress_proportion(node[k]) if isinstance(node.get(k), dict) else {}
        for k in ("before", "after")
    ]
    counts = [node.get("became_engaged"), node.get("stopped")]
    if any(side.get("value") is None for side in sides) or any(
        not isinstance(c, int) or c < THRESHOLD for c in counts
    ):
        for key in ("difference", "ci_low", "ci_high"):
            out[key] = None
    return out


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        proportion = node.keys() >= _PROPORTION_KEYS
        series = node.keys() >= _SERIES_KEYS
        if proportion:
            node = suppress_proportion(node)
        if series:
            node = _suppress_series(node)
        if node.keys() >= {"treated_rate", "control_rate", "difference"}:
            node = _suppress_comparison(node)
        if node.keys() >= {"before", "after", "difference"}:
            node = _suppress_change(node)
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key in PRIVATE_KEYS:
                continue
            if (proportion and key in _PROPORTION_KEYS) or (series and key in _SERIES_KEYS):
                result[key] = value  # already published by rules 1-2
            elif key in COUNT_KEYS and _is_count(value):
                result[key] = suppress_count(value)
            else:
                result[key] = _walk(value)
        return result
    if isinstance(node, list):
        return [_walk(item) for item in node]
    if isinstance(node, float):
        return significant(node)
    return node


def publish(document: dict[str, Any]) -> dict[str, Any]:
    """Return a published copy of an evaluation document (the input is not changed).

    Parameters
    ----------
    document : dict
        The FORMATS.md evaluation object or the richer report structure.

    Returns
    -------
    dict
        Same shape: counts below 5 as ``"<5"``, other counts rounded to a multiple of 5,
        rates recomputed from the rounded counts, other numbers to 2 significant figures,
        data-quality details dropped and ``suppressed: true``.

    Examples
    --------
    >>> publish({"tracker_rows": 3, "rows_with_valid_delay": 108, "median_delay_hours": 30.25, "suppressed": False})
    {'tracker_rows': '<5', 'rows_with_valid_delay': 110, 'median_delay_hours': 30.0, 'suppressed': True}
    """
    result = _walk(copy.deepcopy(document))
    assert isinstance(result, dict)
    if "suppressed" in result:
        result["suppressed"] = True
    return result
