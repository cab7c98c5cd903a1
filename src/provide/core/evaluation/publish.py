"""Statistical disclosure control for published outputs (``provide evaluate --publish``).

Rules, applied to a JSON-able structure (the FORMATS.md object or the richer report):

1. **Small counts.** Every count below :data:`THRESHOLD` (5), zero included, is replaced by
   the string ``"<5"``: a proportion's ``num`` and ``den`` and the counts named in
   :data:`COUNT_KEYS` (``tracker_rows``, ``rows_with_valid_delay``, ``n``, ...).
2. **Complements.** In a proportion whose ``den - num`` is below 5 (e.g. 98 of 100
   accepted: 2 refused), ``num`` is shown as ``">=N"`` with ``N = den - 4``, so the small
   complementary count cannot be recovered.
3. **Derived values.** Whenever a proportion's ``num`` or ``den`` is withheld, its ``value``,
   ``ci_low`` and ``ci_high`` become ``null``: the exact count could be recomputed from them.
   The same holds for the interrupted time series' per-quarter ``rates`` (with their
   ``denominators``), and a matched comparison's control rate and difference are withheld
   when its matched controls are fewer than 5 or its treated rate is withheld; a paired
   before/after difference is withheld when either side or either discordant count is.
4. Data-quality details (:data:`PRIVATE_KEYS`: row numbers, tracker ids) are dropped.
5. The top-level ``suppressed`` flag is set to ``true``.

Test statistics (chi-square, p-values, odds ratios) are left as they are. Counts that can be
derived by *differencing* two published totals (e.g. ``tracker_rows -
rows_with_valid_delay``) are not protected by these rules: publish one selection at a time
and review tables before release, as NHS and ONS guidance asks.
"""

from __future__ import annotations

import copy
from typing import Any

THRESHOLD = 5
"""Counts below this are shown as ``"<5"``."""

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

PRIVATE_KEYS: frozenset[str] = frozenset({"data_quality", "notes"})
"""Keys dropped from published documents: they name tracker rows and identifiers."""


def suppress_count(count: int) -> int | str:
    """Return ``count``, or ``"<5"`` when it is below :data:`THRESHOLD`.

    Examples
    --------
    >>> suppress_count(4), suppress_count(5), suppress_count(0)
    ('<5', 5, '<5')
    """
    return SUPPRESSED if count < THRESHOLD else count


def suppress_proportion(item: dict[str, Any]) -> dict[str, Any]:
    """Apply rules 1-3 to one proportion dict (other keys such as ``bcu`` are kept).

    Examples
    --------
    >>> suppress_proportion({"num": 3, "den": 40, "value": 0.075, "ci_low": 0.03, "ci_high": 0.2})
    {'num': '<5', 'den': 40, 'value': None, 'ci_low': None, 'ci_high': None}
    >>> suppress_proportion({"num": 98, "den": 100, "value": 0.98, "ci_low": 0.9, "ci_high": 1.0})["num"]
    '>=96'
    """
    out = dict(item)
    num, den = item.get("num"), item.get("den")
    if not isinstance(num, int) or not isinstance(den, int):
        return out
    withheld = False
    if den < THRESHOLD:
        out["den"] = SUPPRESSED
        withheld = True
    if num < THRESHOLD:
        out["num"] = SUPPRESSED
        withheld = True
    elif den - num < THRESHOLD:
        out["num"] = f">={den - (THRESHOLD - 1)}"
        withheld = True
    if withheld:
        out["value"] = out["ci_low"] = out["ci_high"] = None
    return out


def _suppress_series(node: dict[str, Any]) -> dict[str, Any]:
    """Rules 1-3 for parallel ``rates`` / ``denominators`` lists (the ITS series).

    A rate whose denominator, numerator (rate x denominator) or complement is below 5 is
    withheld; every denominator below 5 becomes ``"<5"``.
    """
    out = dict(node)
    rates, dens = list(node["rates"]), list(node["denominators"])
    for i, den in enumerate(dens):
        if not isinstance(den, int) or isinstance(den, bool) or i >= len(rates):
            continue
        rate = rates[i]
        num = round(rate * den) if isinstance(rate, int | float) else None
        if den < THRESHOLD or num is None or num < THRESHOLD or den - num < THRESHOLD:
            rates[i] = None
        dens[i] = suppress_count(den)
    out["rates"], out["denominators"] = rates, dens
    return out


def _suppress_comparison(node: dict[str, Any]) -> dict[str, Any]:
    """A matched difference reveals the control rate once the treated rate is known: withhold
    both when the matched controls are fewer than 5 or the treated rate is withheld."""
    out = dict(node)
    treated = suppress_proportion(node["treated_rate"]) if isinstance(node.get("treated_rate"), dict) else {}
    controls = node.get("matched_controls")
    if treated.get("value") is None or not isinstance(controls, int) or controls < THRESHOLD:
        for key in ("control_rate", "difference", "ci_low", "ci_high"):
            out[key] = None
    return out


def _suppress_change(node: dict[str, Any]) -> dict[str, Any]:
    """A paired before/after difference times the pairs gives became − stopped: withhold it
    (and its interval) when either proportion or either discordant count is withheld."""
    out = dict(node)
    sides = [suppress_proportion(node[k]) if isinstance(node.get(k), dict) else {} for k in ("before", "after")]
    counts = [node.get("became_engaged"), node.get("stopped")]
    if any(side.get("value") is None for side in sides) or any(
        not isinstance(c, int) or c < THRESHOLD for c in counts
    ):
        for key in ("difference", "ci_low", "ci_high"):
            out[key] = None
    return out


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        if node.keys() >= _PROPORTION_KEYS:
            node = suppress_proportion(node)
        if node.keys() >= {"rates", "denominators"}:
            node = _suppress_series(node)
        if node.keys() >= {"treated_rate", "control_rate", "difference"}:
            node = _suppress_comparison(node)
        if node.keys() >= {"before", "after", "difference"}:
            node = _suppress_change(node)
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key in PRIVATE_KEYS:
                continue
            if key in COUNT_KEYS and isinstance(value, int) and not isinstance(value, bool):
                result[key] = suppress_count(value)
            elif key in _PROPORTION_KEYS:
                result[key] = value
            else:
                result[key] = _walk(value)
        return result
    if isinstance(node, list):
        return [_walk(item) for item in node]
    return node


def publish(document: dict[str, Any]) -> dict[str, Any]:
    """Return a suppressed copy of an evaluation document (the input is not changed).

    Parameters
    ----------
    document : dict
        The FORMATS.md evaluation object or the richer report structure.

    Returns
    -------
    dict
        Same shape, counts below 5 as ``"<5"``, derived values withheld, and
        ``suppressed: true``.

    Examples
    --------
    >>> publish({"tracker_rows": 3, "suppressed": False})
    {'tracker_rows': '<5', 'suppressed': True}
    """
    result = _walk(copy.deepcopy(document))
    assert isinstance(result, dict)
    if "suppressed" in result:
        result["suppressed"] = True
    return result
