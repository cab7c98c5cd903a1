"""Proportions with Wilson score intervals.

Every proportion Provide reports carries its numerator, denominator, value (a fraction, not
a percent) and a 95 % Wilson score interval (Wilson 1927; recommended over the Wald
interval by Newcombe 1998 and Brown, Cai & DasGupta 2001 because it keeps its coverage for
small counts and for values near 0 or 1, and never leaves [0, 1]).

    centre    = (x + z²/2) / (n + z²)
    half-width = z / (n + z²) · sqrt(x (n − x) / n + z²/4)

with ``z`` the standard normal quantile for the confidence level (1.959964 for 95 %).
The same formula is used, vectorised, by :func:`wilson_arrays` for grouped tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

CONFIDENCE = 0.95
"""Confidence level of every interval Provide reports."""


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


@dataclass(frozen=True)
class Proportion:
    """A count out of a count, with its Wilson interval.

    Attributes
    ----------
    num, den : int
        Numerator and denominator (``0 <= num <= den``).
    value : float or None
        ``num / den``; ``None`` when ``den == 0``.
    ci_low, ci_high : float or None
        95 % Wilson score interval; ``None`` when ``den == 0``.
    """

    num: int
    den: int
    value: float | None
    ci_low: float | None
    ci_high: float | None

    def as_dict(self) -> dict[str, int | float | None]:
        """Return the FORMATS.md JSON form ``{"num", "den", "value", "ci_low", "ci_high"}``."""
        return {
            "num": self.num,
            "den": self.den,
            "value": self.value,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
        }


def wilson_interval(num: int, den: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    Parameters
    ----------
    num : int
        Successes, ``0 <= num <= den``.
    den : int
        Trials, ``den >= 1``.
    confidence : float, default 0.95

    Returns
    -------
    (float, float)
        Lower and upper limits, within [0, 1].

    Raises
    ------
    ValueError
        If ``den < 1`` or ``num`` is outside ``[0, den]``.

    Examples
    --------
    Newcombe (1998), Table I, method 3:

    >>> [round(v, 4) for v in wilson_interval(81, 263)]
    [0.2553, 0.3662]
    >>> [round(v, 4) for v in wilson_interval(0, 20)]
    [0.0, 0.1611]
    """
    if den < 1:
        raise ValueError(f"denominator must be at least 1, got {den}")
    if not 0 <= num <= den:
        raise ValueError(f"numerator {num} is outside 0..{den}")
    z = _z(confidence)
    z2 = z * z
    centre = (num + z2 / 2) / (den + z2)
    half = z / (den + z2) * math.sqrt(num * (den - num) / den + z2 / 4)
    low = 0.0 if num == 0 else max(0.0, centre - half)
    high = 1.0 if num == den else min(1.0, centre + half)
    return low, high


def proportion(num: int, den: int, confidence: float = CONFIDENCE) -> Proportion:
    """Build a :class:`Proportion` (value and Wilson interval ``None`` when ``den == 0``).

    Examples
    --------
    >>> p = proportion(15, 148)
    >>> round(p.value, 4), round(p.ci_low, 4), round(p.ci_high, 4)
    (0.1014, 0.0624, 0.1605)
    >>> proportion(0, 0).value is None
    True
    """
    num, den = int(num), int(den)
    if den == 0:
        if num != 0:
            raise ValueError(f"numerator {num} with a zero denominator")
        return Proportion(0, 0, None, None, None)
    low, high = wilson_interval(num, den, confidence)
    return Proportion(num, den, num / den, low, high)


def wilson_arrays(
    num: npt.ArrayLike, den: npt.ArrayLike, confidence: float = CONFIDENCE
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Vectorised :func:`wilson_interval`: value, low and high arrays (NaN where ``den == 0``)."""
    x = np.asarray(num, dtype=np.float64)
    n = np.asarray(den, dtype=np.float64)
    z = _z(confidence)
    z2 = z * z
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(n > 0, x / n, np.nan)
        centre = (x + z2 / 2) / (n + z2)
        half = z / (n + z2) * np.sqrt(np.where(n > 0, x * (n - x) / n, 0.0) + z2 / 4)
        low = np.where(x == 0, 0.0, np.maximum(0.0, centre - half))
        high = np.where(x == n, 1.0, np.minimum(1.0, centre + half))
    low = np.where(n > 0, low, np.nan)
    high = np.where(n > 0, high, np.nan)
    return value, low, high


def proportions_from_arrays(
    num: npt.ArrayLike, den: npt.ArrayLike, confidence: float = CONFIDENCE
) -> list[Proportion]:
    """Build one :class:`Proportion` per element of two count arrays."""
    x = np.asarray(num, dtype=np.int64)
    n = np.asarray(den, dtype=np.int64)
    value, low, high = wilson_arrays(x, n, confidence)
    result: list[Proportion] = []
    for i in range(len(x)):
        if n[i] == 0:
            result.append(Proportion(0, 0, None, None, None))
        else:
            result.append(
                Proportion(int(x[i]), int(n[i]), float(value[i]), float(low[i]), float(high[i]))
            )
    return result
