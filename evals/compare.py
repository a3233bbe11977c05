"""Compare a run with a baseline: metric deltas, items that flipped, and whether that is a regression.

A baseline is an earlier `results.jsonl` (re-scored now, with today's items and rules, so a
change in the scorer never reads as a change in the assistant) or an earlier `metrics.json`
(its metrics and per-item pass/fail are compared as they stand).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from evals.display import format_value
from evals.metrics import DEFAULT_RULES, METRICS, ItemScore, Rules, score_results, summarise
from evals.sets import EvalItem

DEFAULT_TOLERANCE = 0.01


@dataclass
class Baseline:
    source: str
    metrics: dict
    items: dict[str, dict]  # id → {"passed": bool | None, "failed": [check names]}
    rescored: bool  # True when built from results.jsonl


@dataclass
class MetricDelta:
    name: str
    before: float | None
    after: float | None
    delta: float | None
    regressed: bool  # worse by more than the tolerance, on a gated metric

    @property
    def label(self) -> str:
        return METRICS[self.name].label if self.name in METRICS else self.name


@dataclass
class Flip:
    id: str
    failed_before: list[str]
    failed_now: list[str]


@dataclass
class Comparison:
    baseline: str
    tolerance: float
    deltas: list[MetricDelta] = field(default_factory=list)
    to_fail: list[Flip] = field(default_factory=list)
    to_pass: list[Flip] = field(default_factory=list)
    new_items: list[str] = field(default_factory=list)
    missing_items: list[str] = field(default_factory=list)

    @property
    def regressions(self) -> list[str]:
        """Why this comparison counts as a regression, in plain words (empty: it doesn't)."""
        out = [f"{d.label} {'dropped' if METRICS[d.name].better == 'higher' else 'rose'} from "
               f"{format_value(d.name, d.before)} to {format_value(d.name, d.after)}"
               for d in self.deltas if d.regressed]
        out += [f"{f.id} now fails ({', '.join(f.failed_now)})" for f in self.to_fail]
        return out

    @property
    def regressed(self) -> bool:
        return bool(self.regressions)

    def to_json(self) -> dict:
        out = asdict(self)
        out["regressed"] = self.regressed
        out["regressions"] = self.regressions
        return out


def read_results(path: Path) -> list[dict]:
    """The result objects of a results.jsonl."""
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_baseline(path: Path | str, items: list[EvalItem], rules: Rules = DEFAULT_RULES) -> Baseline:
    """A baseline from results.jsonl (re-scored against `items`) or from metrics.json."""
    path = Path(path)
    if path.suffix == ".jsonl":
        scores = score_results(items, read_results(path), rules)
        summary = summarise(scores, rules)
        return Baseline(str(path), summary["overall"], summary["items"], rescored=True)
    data = json.loads(path.read_text(encoding="utf-8"))
    if "overall" not in data:
        raise ValueError(f"{path} is neither a results.jsonl nor a metrics.json written by `ikc eval`")
    return Baseline(str(path), data["overall"], data.get("items", {}), rescored=False)


def compare_scores(scores: list[ItemScore], baseline: Baseline, rules: Rules = DEFAULT_RULES,
                   tolerance: float = DEFAULT_TOLERANCE) -> Comparison:
    """Deltas and flips of `scores` against `baseline`.

    With a re-scored baseline the current metrics are recomputed over the items both runs
    share, so adding questions to a set never reads as a regression.
    """
    now_ids = {s.id for s in scores}
    common = [s for s in scores if s.id in baseline.items]
    metrics = summarise(common if baseline.rescored else scores, rules)["overall"]
    comparison = Comparison(
        baseline=baseline.source, tolerance=tolerance,
        new_items=sorted(now_ids - set(baseline.items)), missing_items=sorted(set(baseline.items) - now_ids),
    )
    for name, metric in METRICS.items():
        before, after = baseline.metrics.get(name), metrics.get(name)
        if before is None or after is None:
            comparison.deltas.append(MetricDelta(name, before, after, None, False))
            continue
        delta = round(after - before, 4)
        worse = -delta if metric.better == "higher" else delta
        comparison.deltas.append(MetricDelta(name, before, after, delta, metric.gated and worse > tolerance))
    for s in common:
        before = baseline.items[s.id]
        was, now = before.get("passed"), s.passed
        flip = Flip(s.id, list(before.get("failed", [])), [c.name for c in s.failed_checks])
        if was is True and now is False:
            comparison.to_fail.append(flip)
        elif was is False and now is True:
            comparison.to_pass.append(flip)
    return comparison
