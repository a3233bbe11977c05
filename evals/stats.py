"""The project's one percentile: eval latency metrics and the benchmark's summaries both use it."""

from __future__ import annotations

import statistics


def percentile(values: list[float], q: int) -> float | None:
    """The q-th percentile (q in 0..100), linearly interpolated like numpy's default; None for no values.

    `statistics.quantiles(method="inclusive")` is that interpolation; it needs two values, so one value
    is its own percentile.
    """
    if not 0 <= q <= 100 or int(q) != q:
        raise ValueError(f"percentile wants a whole q in 0..100, not {q!r}")
    if not values:
        return None
    if q in (0, 100) or len(values) == 1:  # the ends (quantiles gives only the 99 cut points between)
        return float(min(values) if q == 0 else max(values))
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
