"""Engagement before and after the visit: the seed evaluation's "14 % → 41 %" and "22 % → 67 %".

The "before" answer is the victim's own account, given to the IDVA at the visit, of whether
they had engaged with a police investigation (or with safeguarding advice) before; the "after"
answer is whether they engaged this time (FORMATS.md B: ``previously_engaged_*`` and
``engaged_*``). The seed compared the two proportions over different rows (the "before"
figures came from repeat victims only), so its rise mixes who was asked with what changed.

This measure is *paired*: it counts only the attendances where both answers are known (a blank
"before" means not asked), so each victim is compared with themselves. It reports

* the before and after proportions over those pairs, each with its Wilson interval;
* the discordant pairs: ``became_engaged`` (no before, yes after) and ``stopped`` (yes before,
  no after);
* the difference after − before with Newcombe's (1998) method-10 interval for paired data: the
  two Wilson intervals combined with the correlation between the answers (its numerator
  shrunk by n/2 towards zero, as Newcombe recommends), so the interval stays in [−1, 1] and
  behaves with few discordant pairs;
* the exact McNemar p-value: two-sided binomial test of ``became_engaged`` against
  ``stopped`` with p = ½.

Self-report and no comparison group remain: a rise is an association with the visit, not its
effect.

Example::

    >>> change = engagement_change([False, False, True, None], [True, True, True, True])
    >>> change.pairs, change.before.num, change.after.num, change.became_engaged, change.stopped
    (3, 1, 3, 2, 0)
    >>> round(change.difference, 4), change.p_value
    (0.6667, 0.5)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from provide.core.evaluation.proportions import CONFIDENCE, Proportion, proportion, wilson_interval


@dataclass(frozen=True)
class EngagementChange:
    """Paired before/after engagement (see the module docstring).

    Attributes
    ----------
    pairs : int
        Attendances with both answers known.
    before, after : Proportion
        Engaged before (self-reported) and after, over ``pairs``.
    became_engaged, stopped : int
        Discordant pairs: no → yes, and yes → no.
    difference, ci_low, ci_high : float or None
        ``after.value − before.value`` and its Newcombe method-10 interval; None without pairs.
    p_value : float or None
        Exact two-sided McNemar test; None without pairs.
    """

    pairs: int
    before: Proportion
    after: Proportion
    became_engaged: int
    stopped: int
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None


def _known(value: object) -> bool | None:
    """The answer, or None when blank (None, NaN or pandas' NA)."""
    if value is None or bool(pd.isna(value)):
        return None
    return bool(value)


def mcnemar_exact(became: int, stopped: int) -> float:
    """Two-sided exact McNemar p-value: P(X <= min) doubled, X ~ Binomial(b + c, ½), capped at 1.

    >>> mcnemar_exact(5, 0)
    0.0625
    >>> mcnemar_exact(3, 3)
    1.0
    """
    n = became + stopped
    if n == 0:
        return 1.0
    tail: float = sum(math.comb(n, k) for k in range(min(became, stopped) + 1)) / 2**n
    return min(1.0, 2 * tail)


def newcombe_paired_interval(
    both: int,
    before_only: int,
    after_only: int,
    neither: int,
    confidence: float = CONFIDENCE,
) -> tuple[float, float]:
    """Newcombe (1998) method-10 interval for ``p_after − p_before`` from the paired 2×2 table.

    Parameters
    ----------
    both, before_only, after_only, neither : int
        Pairs engaged both times, only before, only after, neither time (total >= 1).

    Returns
    -------
    (float, float)
        Lower and upper limits, within [−1, 1].
    """
    n = both + before_only + after_only + neither
    if n < 1:
        raise ValueError("no pairs")
    after_yes, before_yes = both + after_only, both + before_only
    p1, p2 = after_yes / n, before_yes / n
    l1, u1 = wilson_interval(after_yes, n, confidence)
    l2, u2 = wilson_interval(before_yes, n, confidence)
    margins = after_yes * (n - after_yes) * before_yes * (n - before_yes)
    cross = both * neither - before_only * after_only
    shrunk = cross - n / 2 if cross > n / 2 else (cross if cross < 0 else 0.0)
    phi = shrunk / math.sqrt(margins) if margins > 0 else 0.0
    difference = p1 - p2
    low = difference - math.sqrt(
        max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2)
    )
    high = difference + math.sqrt(
        max(0.0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2)
    )
    return max(-1.0, low), min(1.0, high)


def engagement_change(before: Iterable[object], after: Iterable[object]) -> EngagementChange:
    """Compare engagement before (self-reported) with after the visit, pair by pair.

    Parameters
    ----------
    before, after : iterables of bool or None (NaN counts as None)
        One value per attendance, in the same order; rows where either is unknown are left out.
    """
    pairs = [
        (b, a)
        for b, a in ((_known(x), _known(y)) for x, y in zip(before, after, strict=True))
        if b is not None and a is not None
    ]
    both = sum(1 for b, a in pairs if b and a)
    before_only = sum(1 for b, a in pairs if b and not a)
    after_only = sum(1 for b, a in pairs if a and not b)
    n = len(pairs)
    if n == 0:
        empty = proportion(0, 0)
        return EngagementChange(0, empty, empty, 0, 0, None, None, None, None)
    low, high = newcombe_paired_interval(
        both, before_only, after_only, n - both - before_only - after_only
    )
    return EngagementChange(
        pairs=n,
        before=proportion(both + before_only, n),
        after=proportion(both + after_only, n),
        became_engaged=after_only,
        stopped=before_only,
        difference=(after_only - before_only) / n,
        ci_low=low,
        ci_high=high,
        p_value=mcnemar_exact(after_only, before_only),
    )
