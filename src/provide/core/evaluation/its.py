"""Interrupted time series: did a BCU's positive-outcome rate change when Provide went live?

Segmented regression (Wagner et al. 2002; Bernal, Cummins & Gasparrini 2017) of the
quarterly positive-outcome rate ``y_t`` of one BCU, fitted by ordinary least squares
(statsmodels ``OLS``)::

    y_t = b0 + b1·t + b2·D_t + b3·(t − t0)·D_t + e_t

* ``t``  — quarter number (consecutive financial quarters; gaps in the data are allowed);
* ``t0`` — the *go-live quarter*, the financial quarter containing the go-live date;
* ``D_t`` — 1 from the go-live quarter on, else 0;
* ``b1`` — pre-go-live trend per quarter;
* ``b2`` — **change in level** at the go-live quarter (a fraction: 0.05 = 5 points);
* ``b3`` — **change in slope** per quarter after go-live.

95 % intervals and p-values are the usual OLS t-based ones. The counterfactual line is
``b0 + b1·t`` continued past ``t0``.

Assumptions and limits (see docs/models/evaluation.md): each quarter is one equally
weighted point (rates from small denominators are as influential as large ones); errors
are assumed independent — the Durbin-Watson statistic is reported so autocorrelation can be
spotted, but with 12-20 quarters no correction is reliable; seasonality and other changes at
the same time (COVID-19 lockdowns began the same quarter as Op Provide) are not separated
from the programme; a go-live part-way through a quarter dilutes the level change. At
least :data:`MIN_SEGMENT` quarters are needed on each side, or no estimate is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import statsmodels.api as sm
from statsmodels.stats.stattools import durbin_watson

from provide.core.evaluation.measures import GroupRate, quarter_index, quarter_label

MIN_SEGMENT = 3
"""Fewest quarters before and after go-live for an estimate."""


@dataclass(frozen=True)
class Estimate:
    """A regression coefficient with its 95 % interval and p-value."""

    value: float
    ci_low: float
    ci_high: float
    p_value: float

    def as_dict(self) -> dict[str, float]:
        """JSON form."""
        return {
            "value": self.value,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
        }


@dataclass(frozen=True)
class ItsResult:
    """Segmented-regression result for one BCU.

    Attributes
    ----------
    bcu : str
    go_live : date
    go_live_quarter : str
        Label of ``t0``, e.g. ``'2020/21 Q1'``.
    quarters : list of str
        Quarters with data, in order.
    rates : list of float
        Observed positive-outcome rate per quarter.
    denominators : list of int
    n_pre, n_post : int
        Quarters before / from go-live.
    baseline_slope, level_change, slope_change : Estimate or None
        ``b1``, ``b2``, ``b3``; ``None`` when there are too few quarters (see ``note``).
    fitted, counterfactual : list of float
        Model line and the pre-trend continued (empty without a fit).
    durbin_watson : float or None
    note : str or None
    """

    bcu: str
    go_live: date
    go_live_quarter: str
    quarters: list[str]
    rates: list[float]
    denominators: list[int]
    n_pre: int
    n_post: int
    baseline_slope: Estimate | None = None
    level_change: Estimate | None = None
    slope_change: Estimate | None = None
    fitted: list[float] = field(default_factory=list)
    counterfactual: list[float] = field(default_factory=list)
    durbin_watson: float | None = None
    note: str | None = None


def _estimate(fit: Any, index: int) -> Estimate:
    params = np.asarray(fit.params)
    conf = np.asarray(fit.conf_int(alpha=0.05))
    pvalues = np.asarray(fit.pvalues)
    return Estimate(
        float(params[index]), float(conf[index, 0]), float(conf[index, 1]), float(pvalues[index])
    )


def interrupted_time_series(
    rates: Sequence[GroupRate], go_live: date, *, bcu: str | None = None
) -> ItsResult:
    """Fit the segmented regression for one BCU's quarterly rates.

    Parameters
    ----------
    rates : sequence of GroupRate
        Quarterly rates (e.g. ``InvestigationMeasures.positive_outcome_rate``). When
        ``bcu`` is given, only that BCU's rows are used (case-insensitive).
    go_live : date
        The date Provide started in the BCU; its financial quarter is ``t0``.
    bcu : str, optional

    Returns
    -------
    ItsResult
        With ``note`` set and no estimates if fewer than :data:`MIN_SEGMENT` quarters lie
        on either side of go-live.

    Examples
    --------
    A step of exactly +0.10 at go-live on a flat 0.20 series:

    >>> from provide.core.evaluation.proportions import proportion
    >>> from provide.core.evaluation.measures import quarter_label
    >>> qs = range(8080, 8088)
    >>> series = [GroupRate("West", quarter_label(q), q, proportion(20 if q < 8084 else 30, 100)) for q in qs]
    >>> result = interrupted_time_series(series, date(2021, 4, 1))
    >>> round(result.level_change.value, 6), abs(round(result.slope_change.value, 6))
    (0.1, 0.0)
    """
    wanted = bcu.strip().casefold() if bcu else None
    points = sorted(
        (
            r
            for r in rates
            if r.rate.value is not None and (wanted is None or r.bcu.casefold() == wanted)
        ),
        key=lambda r: r.quarter_index,
    )
    name = bcu if bcu is not None else (points[0].bcu if points else "")
    t0 = quarter_index(go_live)
    index = np.array([p.quarter_index for p in points], dtype=float)
    y = np.array([p.rate.value for p in points], dtype=float)
    post = (index >= t0).astype(float)
    result = ItsResult(
        bcu=name,
        go_live=go_live,
        go_live_quarter=quarter_label(t0),
        quarters=[p.quarter for p in points],
        rates=y.tolist(),
        denominators=[p.rate.den for p in points],
        n_pre=int((post == 0).sum()),
        n_post=int((post == 1).sum()),
    )
    if result.n_pre < MIN_SEGMENT or result.n_post < MIN_SEGMENT:
        return replace(
            result,
            note=f"needs at least {MIN_SEGMENT} quarters before and after go-live "
            f"(has {result.n_pre} before, {result.n_post} after)",
        )
    t = index - index.min()
    since = (index - t0) * post
    design = np.column_stack([np.ones_like(t), t, post, since])
    fit = sm.OLS(y, design).fit()
    params = np.asarray(fit.params)
    return replace(
        result,
        baseline_slope=_estimate(fit, 1),
        level_change=_estimate(fit, 2),
        slope_change=_estimate(fit, 3),
        fitted=(design @ params).tolist(),
        counterfactual=(params[0] + params[1] * t).tolist(),
        durbin_watson=float(durbin_watson(np.asarray(fit.resid))),
        note=None if len(y) > 4 else "as many parameters as quarters: no residual error",
    )


def its_by_bcu(rates: Sequence[GroupRate], go_live: Mapping[str, date]) -> list[ItsResult]:
    """Run :func:`interrupted_time_series` for every BCU with a go-live date.

    Parameters
    ----------
    rates : sequence of GroupRate
    go_live : mapping of BCU name to date
        BCU names are matched case-insensitively.

    Returns
    -------
    list of ItsResult
        In the order of ``go_live``.
    """
    spelled = {r.bcu.casefold(): r.bcu for r in rates}
    return [
        interrupted_time_series(rates, day, bcu=spelled.get(name.strip().casefold(), name.strip()))
        for name, day in go_live.items()
    ]
