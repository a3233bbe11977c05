"""Score the director tools on a labelled set: placements on the Ontwikkelinstrument and category choices.

    python -m evals.director evals/sets/placement-dev.jsonl            # placement: chat (theme read from
                                                                        # the text) and wizard (theme given)
    python -m evals.director evals/sets/category-dev.jsonl [--json]    # category choice and the questions asked

A placement set has per line `id`, `question`, `theme`, `level` (a level name) and optionally
`acceptable_levels`; a category set has `id`, `question`, `category` and optionally `unknown` (the §8
criteria the text leaves open: wil, team, ouders, mr, bestuur, partner, tempo). The kind is read from the
fields. The score is top-1 accuracy, accuracy per confidence bucket and the calibration error (how far the
stated confidence lies from the observed accuracy, per bucket and weighted over all); for categories also
whether exactly the open criteria were asked. The tools see the question only, never the labels.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

# Confidence buckets for the calibration table: wide enough to hold several items of a ~60-item set.
BUCKETS = (0.0, 0.5, 0.7, 0.85, 1.0001)
CRITERIA = ("wil", "team", "ouders", "mr", "bestuur", "partner", "tempo")


class DirectorSetError(ValueError):
    """A line of a director set that cannot be scored (one line per problem)."""


@dataclass
class Scored:
    """One item: what was predicted, how sure, and whether it was right."""

    id: str
    language: str
    predicted: str
    confidence: float | None  # None: the tool states no confidence
    correct: bool
    gold: str
    detail: dict = field(default_factory=dict)


@dataclass
class Bucket:
    low: float
    high: float
    n: int
    confidence: float  # mean stated confidence
    accuracy: float  # observed share correct

    @property
    def gap(self) -> float:
        return abs(self.confidence - self.accuracy)


@dataclass
class Score:
    kind: str  # "placement (theme given)", "placement (theme from text)", "category"
    n: int
    accuracy: float
    buckets: list[Bucket]
    calibration_error: float  # expected calibration error: bucket gaps weighted by their size
    max_gap: float  # the largest gap of a bucket with at least `min_bucket` items
    extra: dict = field(default_factory=dict)
    items: list[Scored] = field(default_factory=list)

    def to_json(self) -> dict:
        data = asdict(self)
        for bucket, raw in zip(self.buckets, data["buckets"]):
            raw["gap"] = round(bucket.gap, 4)
        return data


def read_set(path: Path) -> list[dict]:
    """The items of a JSONL set; a malformed line stops with its number and the reason."""
    items, problems = [], []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not JSON ({exc.msg})")
            continue
        if not isinstance(item, dict) or not str(item.get("question", "")).strip():
            problems.append(f"line {number}: no question")
            continue
        if "category" not in item and not ("theme" in item and "level" in item):
            problems.append(f"line {number}: neither a category nor a theme and level to score against")
            continue
        items.append(item)
    if problems:
        raise DirectorSetError(f"{path}: " + "; ".join(problems))
    if not items:
        raise DirectorSetError(f"{path}: no items")
    return items


# What a chat message without a named theme ends with once its own question is taken out.
GENERIC_QUESTION = {"nl": "Waar staan we?", "en": "Where do we stand?"}


def without_theme_question(item: dict) -> dict:
    """The item with its question sentences replaced by a bare "Waar staan we?": the situation as a director
    may type it in chat, without saying which theme it is about (most labelled items name it)."""
    from ikc.text import sentences

    kept = [s for s in sentences(item["question"]) if not s.rstrip().endswith("?")]
    generic = GENERIC_QUESTION.get(item.get("language", "nl"), GENERIC_QUESTION["nl"])
    return {**item, "id": f"{item.get('id', '')}-unnamed", "question": " ".join(kept + [generic])}


def set_kind(items: list[dict]) -> str:
    return "category" if all("category" in i for i in items) else "placement"


def calibrate(scored: list[Scored], edges: tuple[float, ...] = BUCKETS, min_bucket: int = 5) -> tuple[list[Bucket], float, float]:
    """Buckets of stated confidence with their observed accuracy; the weighted and the largest gap.
    Items without a stated confidence (NaN) are left out."""
    scored = [s for s in scored if s.confidence is not None]
    buckets = []
    for low, high in zip(edges, edges[1:]):
        inside = [s for s in scored if low <= s.confidence < high]
        if inside:
            buckets.append(Bucket(low, min(high, 1.0), len(inside), sum(s.confidence for s in inside) / len(inside),
                                  sum(s.correct for s in inside) / len(inside)))
    total = sum(b.n for b in buckets) or 1
    ece = sum(b.n * b.gap for b in buckets) / total
    max_gap = max((b.gap for b in buckets if b.n >= min_bucket), default=0.0)
    return buckets, ece, max_gap


def summarise(kind: str, scored: list[Scored], extra: dict | None = None) -> Score:
    buckets, ece, max_gap = calibrate(scored)
    accuracy = sum(s.correct for s in scored) / len(scored) if scored else 0.0
    return Score(kind, len(scored), accuracy, buckets, ece, max_gap, extra or {}, scored)


# --- placement ----------------------------------------------------------------------------------


def score_placements(items: list[dict], placer, theme_given: bool) -> Score:
    """Top-1: the suggested level is one of the item's acceptable levels (and, when the theme is read
    from the text, the theme is the item's). Confidence is the one the placer states."""
    instrument = placer.instrument
    scored, theme_right = [], 0
    for item in items:
        acceptable = {_level_key(instrument, name) for name in item.get("acceptable_levels") or [item["level"]]}
        suggestion = placer.suggest(item["question"], int(item["theme"]) if theme_given else None)
        same_theme = suggestion.theme == int(item["theme"])
        theme_right += same_theme
        correct = same_theme and suggestion.level in acceptable
        scored.append(Scored(item["id"], item.get("language", ""), f"{suggestion.theme}/{suggestion.level_name}",
                             suggestion.confidence, correct, f"{item['theme']}/{item['level']}",
                             {"uncertain": bool(getattr(suggestion, "uncertain", False)
                                                or getattr(suggestion, "theme_uncertain", False)),
                              "theme_uncertain": bool(getattr(suggestion, "theme_uncertain", False))}))
    kind = "placement (theme given)" if theme_given else "placement (theme from text)"
    extra = {} if theme_given else {"theme_accuracy": theme_right / len(items)}
    uncertain = [s for s in scored if s.detail.get("uncertain")]
    sure = [s for s in scored if not s.detail.get("uncertain")]
    extra |= {"uncertain": len(uncertain),
              "accuracy_when_sure": sum(s.correct for s in sure) / len(sure) if sure else None,
              "accuracy_when_uncertain": sum(s.correct for s in uncertain) / len(uncertain) if uncertain else None}
    return summarise(kind, scored, extra)


def _level_key(instrument, name: str) -> str:
    level = instrument.parse_level(str(name))
    if level is None:
        raise DirectorSetError(f"unknown level {name!r}")
    return level.key


# --- category -----------------------------------------------------------------------------------


def score_categories(items: list[dict], advise: Callable[[str], object]) -> Score:
    """Top-1: the advised category is the item's. `advise(text)` returns a CategoryAdvice (or None when the
    text is not recognised); its `open_criteria` are the criteria it asks about, compared with `unknown`."""
    scored, exact, asked_right, asked_total, gold_total = [], 0, 0, 0, 0
    for item in items:
        advice = advise(item["question"])
        number = getattr(advice, "number", None)
        asked = set(getattr(advice, "open_criteria", []) or [])
        gold = set(item.get("unknown") or [])
        exact += asked == gold
        asked_right += len(asked & gold)
        asked_total += len(asked)
        gold_total += len(gold)
        confidence = getattr(advice, "confidence", None)  # the category helper states none: rules, not a guess
        scored.append(Scored(item["id"], item.get("language", ""), str(number),
                             float(confidence) if confidence is not None else None,
                             number == int(item["category"]), str(item["category"]),
                             {"asked": sorted(asked), "unknown": sorted(gold)}))
    extra = {"open_criteria_exact": exact / len(items),
             "open_criteria_precision": asked_right / asked_total if asked_total else 1.0,
             "open_criteria_recall": asked_right / gold_total if gold_total else 1.0}
    return summarise("category", scored, extra)


# --- output -------------------------------------------------------------------------------------


def format_score(score: Score, show_items: bool = False) -> str:
    lines = [f"{score.kind}: top-1 {score.accuracy:.1%} ({sum(s.correct for s in score.items)}/{score.n})"]
    for key, value in score.extra.items():
        if value is not None:
            lines.append(f"  {key.replace('_', ' ')}: {value:.1%}" if isinstance(value, float) else
                         f"  {key.replace('_', ' ')}: {value}")
    if not score.buckets:
        lines.append("  (no stated confidence to calibrate)")
        return "\n".join(lines + _item_lines(score, show_items))
    lines.append("  confidence     n  stated  observed  gap")
    for b in score.buckets:
        lines.append(f"  {b.low:.2f}-{b.high:.2f}  {b.n:4d}  {b.confidence:6.1%}  {b.accuracy:8.1%}  {b.gap * 100:4.1f}")
    lines.append(f"  calibration error {score.calibration_error * 100:.1f} points (weighted), "
                 f"largest gap {score.max_gap * 100:.1f} points (buckets of 5 or more)")
    return "\n".join(lines + _item_lines(score, show_items))


def _item_lines(score: Score, show: bool) -> list[str]:
    if not show:
        return []
    return [f"  {'ok ' if s.correct else 'ERR'} {s.id}: {s.predicted}"
            f"{f' ({s.confidence:.0%})' if s.confidence is not None else ''} gold {s.gold} {s.detail or ''}"
            for s in score.items]


def run(path: Path, settings=None, modes: Iterable[str] = ("given", "text")) -> list[Score]:
    """Score a set with the tools of this checkout."""
    items = read_set(path)
    if set_kind(items) == "category":
        from assistant.director.situation import advise_from_text

        return [score_categories(items, lambda text: advise_from_text(text, force=True))]
    from assistant.director.placement import get_placer

    placer = get_placer(settings)
    scores = []
    for mode in modes:
        if mode == "unnamed":
            score = score_placements([without_theme_question(i) for i in items], placer, theme_given=False)
            score.kind = "placement (theme from text, question sentences removed)"
        else:
            score = score_placements(items, placer, theme_given=(mode == "given"))
        scores.append(score)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.director", description=__doc__.split("\n\n")[0])
    parser.add_argument("set", type=Path, help="a placement or category set (JSONL)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--items", action="store_true", help="list every item with its prediction")
    parser.add_argument("--mode", choices=("given", "text", "unnamed", "both", "all"), default="both",
                        help="placement: theme given (wizard), read from the text (chat), read from the text "
                             "without its question sentences (unnamed), both (given + text) or all three")
    args = parser.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.WARNING)
    try:
        modes = {"both": ("given", "text"), "all": ("given", "text", "unnamed")}.get(args.mode, (args.mode,))
        scores = run(args.set, modes=modes)
    except (DirectorSetError, OSError) as exc:
        print(f"Cannot score {args.set}: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([s.to_json() for s in scores], ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(format_score(s, args.items) for s in scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
