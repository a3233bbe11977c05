"""Small summary statistics: these machines are noisy, so every figure carries its spread."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from evals import stats as evals_stats


def percentile(values: list[float], q: int) -> float:
    """`evals.stats.percentile` (q in 0..100, numpy's linear interpolation), NaN rather than None for no values."""
    value = evals_stats.percentile(values, q)
    return math.nan if value is None else value


@dataclass(frozen=True)
class Summary:
    """Median and range of repeated runs, or p50/p95 of a latency sample."""

    n: int
    median: float
    low: float
    high: float
    p95: float

    @classmethod
    def of(cls, values: list[float]) -> Summary:
        values = [float(v) for v in values]
        if not values:
            return cls(0, math.nan, math.nan, math.nan, math.nan)
        return cls(len(values), percentile(values, 50), min(values), max(values), percentile(values, 95))

    def fmt(self, digits: int = 2, unit: str = "") -> str:
        """`1.23 s (1.10–1.40, n=3)`; a single run shows no range."""
        if self.n == 0:
            return "–"
        main = f"{self.median:.{digits}f}{unit}"
        if self.n == 1:
            return main
        return f"{main} ({self.low:.{digits}f}–{self.high:.{digits}f}, n={self.n})"


def median(values: Iterable[float]) -> float:
    """Median of repeated runs, NaN for none."""
    return Summary.of(list(values)).median


def ratio(a: float, b: float) -> float:
    """a / b, NaN when b is zero or missing."""
    return a / b if b and not math.isnan(b) else math.nan


def fmt_ratio(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.2f}×"
