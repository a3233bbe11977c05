"""Fit the placer's weights on a labelled set of situations and report them cross-validated.

    HF_HUB_OFFLINE=1 .venv/bin/python scripts/fit_placer.py [--set evals/sets/placement-dev.jsonl] [--write]

The set has per line `question`, `theme`, `level` and optionally `acceptable_levels`. Two small softmax
models are fitted (`assistant.director.placement`): the level within a theme (from the ordinal features
of the description's clauses against the theme's descriptors) and the theme. Repeated two-fold
cross-validation (fit on one half, predict the other, both ways, 20 shuffles, stratified by level)
measures what the placer does on situations it was not fitted on: top-1 accuracy, and the stated
confidence against the observed accuracy per bucket. `--write` stores the weights fitted on the whole set,
with that report, in assistant/director/data/placement-weights.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.director.instrument import load_instrument  # noqa: E402
from assistant.director.placement import (  # noqa: E402
    LEVEL_FEATURES,
    THEME_FEATURES,
    WEIGHTS,
    Placer,
    PlacerWeights,
    evidence_scale,
    fit_softmax,
    predict_softmax,
)
from evals.director import BUCKETS, read_set  # noqa: E402
from ikc.settings import Settings  # noqa: E402

# Tried combinations of embedding and lexical weight (the two numbers that shape the features themselves).
GRID = ((0.5, 3.0), (1.0, 3.0), (0.5, 2.0), (1.0, 4.0))
L2 = 0.003  # chosen under cross-validation: smaller overfits (over-confident), larger under-states confidence
THEME_L2 = 0.003
UNCERTAIN_BELOW = 0.6  # below this the placer is wrong about as often as right: say "onzeker"
REPEATS = 20


def folds(labels: list[int], seed: int) -> list[list[int]]:
    """Two halves, each with about half of every level."""
    rng = random.Random(seed)
    order = list(range(len(labels)))
    rng.shuffle(order)
    halves: list[list[int]] = [[], []]
    for label in sorted(set(labels)):
        members = [i for i in order if labels[i] == label]
        for j, i in enumerate(members):
            halves[(j + seed) % 2].append(i)
    return halves


def buckets(pairs: list[tuple[float, bool]]) -> list[dict]:
    out = []
    for low, high in zip(BUCKETS, BUCKETS[1:]):
        inside = [(c, ok) for c, ok in pairs if low <= c < high]
        if inside:
            conf = float(np.mean([c for c, _ in inside]))
            acc = float(np.mean([ok for _, ok in inside]))
            out.append({"low": low, "high": min(high, 1.0), "n": len(inside), "confidence": round(conf, 3),
                        "accuracy": round(acc, 3), "gap": round(abs(conf - acc), 3)})
    return out


def evaluate(level_all, level_y, theme_x, theme_y, labels, l2=L2, theme_l2=None, repeats=REPEATS) -> dict:
    """Out-of-fold predictions, pooled over the repeats. `level_all[i, t]`: the level features of item i
    on theme t, times its `evidence_scale` (the chat runs the level model on the theme it chose)."""
    level_x = np.stack([level_all[i, t] for i, t in enumerate(theme_y)])
    given, chat, wrong = [], [], {}
    accuracy_given, accuracy_chat, accuracy_theme = [], [], []
    for seed in range(repeats):
        halves = folds(labels, seed)
        right_given = right_chat = right_theme = 0
        for k in (0, 1):
            test, train = halves[k], halves[1 - k]
            wl = fit_softmax(level_x[train], [level_y[i] for i in train], l2)
            wt = fit_softmax(theme_x[train], [{theme_y[i]} for i in train], l2 if theme_l2 is None else theme_l2)
            for i in test:
                p = predict_softmax(level_x[i], wl)
                best = int(np.argmax(p))
                ok = best in level_y[i]
                given.append((float(p[best]), ok))
                right_given += ok
                pt = predict_softmax(theme_x[i], wt)
                theme_ok = int(np.argmax(pt)) == theme_y[i]
                right_theme += theme_ok
                # with the theme read from the text the level model runs on the chosen theme
                chosen = int(np.argmax(pt))
                pc = predict_softmax(level_all[i, chosen], wl)
                chat_ok = theme_ok and int(np.argmax(pc)) in level_y[i]
                chat.append((float(pt.max() * pc.max()), chat_ok))
                right_chat += chat_ok
                if not ok:
                    wrong[i] = wrong.get(i, 0) + 1
        n = len(labels)
        accuracy_given.append(right_given / n)
        accuracy_chat.append(right_chat / n)
        accuracy_theme.append(right_theme / n)
    below = [ok for c, ok in given if c < UNCERTAIN_BELOW]
    above = [ok for c, ok in given if c >= UNCERTAIN_BELOW]
    return {
        "level_accuracy_theme_given": round(float(np.mean(accuracy_given)), 3),
        "accuracy_theme_from_text": round(float(np.mean(accuracy_chat)), 3),
        "level_accuracy_sd": round(float(np.std(accuracy_given)), 3),
        "theme_accuracy": round(float(np.mean(accuracy_theme)), 3),
        "buckets_theme_given": buckets(given),
        "buckets_theme_from_text": buckets(chat),
        "uncertain_share": round(len(below) / len(given), 3),
        "accuracy_when_uncertain": round(float(np.mean(below)), 3) if below else None,
        "accuracy_when_sure": round(float(np.mean(above)), 3) if above else None,
        "wrong_most": sorted(wrong.items(), key=lambda x: -x[1])[:12],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=ROOT / "evals/sets/placement-dev.jsonl")
    parser.add_argument("--write", action="store_true", help="store the weights fitted on the whole set")
    parser.add_argument("--data-dir", type=Path, default=None, help="data dir for the embedding cache")
    parser.add_argument("--l2", type=float, nargs="*", default=[L2], help="L2 penalties to compare")
    parser.add_argument("--theme-l2", type=float, nargs="*", default=[THEME_L2], help="the same for the theme model")
    parser.add_argument("--grid", type=float, nargs="*", default=None,
                        help="dense/lexical pairs to try instead of the built-in grid, e.g. 1 4 0.5 3")
    args = parser.parse_args()
    items = read_set(args.set)
    instrument = load_instrument()
    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    placeholder = PlacerWeights(1.0, 1.0, tuple([0.0] * len(LEVEL_FEATURES)), tuple([0.0] * len(THEME_FEATURES)),
                                UNCERTAIN_BELOW, 0.0)
    placer = Placer(instrument, settings, placeholder)
    readings = [placer.read(item["question"]) for item in items]
    themes = [t.number for t in instrument.themes]
    level_y = [{instrument.parse_level(n).index for n in item.get("acceptable_levels") or [item["level"]]}
               for item in items]
    labels = [instrument.parse_level(item["level"]).index for item in items]
    theme_y = [themes.index(int(item["theme"])) for item in items]

    results = []
    # A theme match this strong (the 5th percentile of the labelled situations' own theme) gets the level
    # model's full say; weaker matches get a flatter judgement (see evidence_scale).
    full_evidence = 0.0
    grid = list(zip(args.grid[::2], args.grid[1::2])) if args.grid else GRID
    for dense, lexical in grid:
        placer.weights = PlacerWeights(dense, lexical, placeholder.level, placeholder.theme, UNCERTAIN_BELOW, 0.0)
        level_all = np.stack([np.stack([placer.level_features(r, t) for t in themes]) for r in readings])
        evidence_all = np.array([[placer.theme_evidence(r, t) for t in themes] for r in readings])
        full_evidence = round(float(np.percentile([evidence_all[i, t] for i, t in enumerate(theme_y)], 5)), 2)
        scale = np.vectorize(lambda e: evidence_scale(e, full_evidence))(evidence_all)  # noqa: B023
        level_all = level_all * scale[:, :, None, None]
        theme_x = np.stack([placer.theme_features(r, item["question"]) for r, item in zip(readings, items)])
        for l2, theme_l2 in ((a, b) for a in args.l2 for b in args.theme_l2):
          report = evaluate(level_all, level_y, theme_x, theme_y, labels, l2=l2, theme_l2=theme_l2)
          report["l2"], report["theme_l2"] = l2, theme_l2
          print(f"l2 {l2}/{theme_l2} dense {dense} lexical {lexical}: level (theme given) {report['level_accuracy_theme_given']:.1%} "
              f"± {report['level_accuracy_sd']:.1%}, theme {report['theme_accuracy']:.1%}, "
              f"theme and level from text {report['accuracy_theme_from_text']:.1%}")
          print("   given", [(b["confidence"], b["accuracy"], b["n"]) for b in report["buckets_theme_given"]])
          print("   text ", [(b["confidence"], b["accuracy"], b["n"]) for b in report["buckets_theme_from_text"]])
          results.append((report["level_accuracy_theme_given"], dense, lexical, level_all, theme_x, report,
                          full_evidence))
    _, dense, lexical, level_all, theme_x, report, full_evidence = max(results, key=lambda r: r[0])
    level_x = np.stack([level_all[i, t] for i, t in enumerate(theme_y)])
    print(json.dumps({k: v for k, v in report.items() if k != "wrong_most"}, indent=2))
    print("most often wrong:", [(items[i]["id"], n) for i, n in report["wrong_most"]])

    level_w = fit_softmax(level_x, level_y, report["l2"])
    theme_w = fit_softmax(theme_x, [{t} for t in theme_y], report["theme_l2"])
    placer.weights = PlacerWeights(dense, lexical, tuple(level_w), tuple(theme_w), UNCERTAIN_BELOW, 0.0)
    evidence = [float((dense * r.dense + lexical * r.covers_part).max()) for r in readings]
    # The chat places a situation only when something in it matches a descriptor about as well as the
    # weakest labelled situation does (less a margin): otherwise it answers from the notes.
    min_evidence = round(min(evidence) - 0.5, 2)
    print(f"weights level {np.round(level_w, 2).tolist()} theme {np.round(theme_w, 2).tolist()}; "
          f"min evidence {min_evidence}")
    if args.write:
        report.pop("wrong_most")
        data = {
            "comment": "Written by scripts/fit_placer.py; do not edit by hand. Features: assistant/director/placement.py.",
            "fitted_on": f"{args.set.relative_to(ROOT) if args.set.is_relative_to(ROOT) else args.set} "
                         f"({len(items)} situations), {date.today().isoformat()}",
            "embedder": settings.embedder,
            "dense": dense, "lexical": lexical, "l2": report.pop("l2"), "theme_l2": report.pop("theme_l2"),
            "level_features": list(LEVEL_FEATURES), "level": [round(float(x), 4) for x in level_w],
            "theme_features": list(THEME_FEATURES), "theme": [round(float(x), 4) for x in theme_w],
            "uncertain_below": UNCERTAIN_BELOW, "min_evidence": min_evidence, "full_evidence": full_evidence,
            "report": {"cross_validation": f"{REPEATS} x 2-fold, stratified by level", **report},
        }
        WEIGHTS.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
