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
    calibrate,
    evidence_scale,
    fit_platt,
    fit_softmax,
    predict_softmax,
    text_calibration_inputs,
)
from evals.director import BUCKETS, read_set, without_theme_question  # noqa: E402
from ikc.settings import Settings  # noqa: E402

# Tried combinations of embedding and lexical weight (the two numbers that shape the features themselves).
GRID = ((0.5, 3.0), (1.0, 3.0), (0.5, 2.0), (1.0, 4.0))
L2 = 0.003  # chosen under cross-validation: smaller overfits (over-confident), larger under-states confidence
THEME_L2 = 0.003
UNCERTAIN_BELOW = 0.6  # below this the placer is wrong about as often as right: say "onzeker"
THEME_UNCERTAIN_BELOW = 0.6  # the same for the theme read from the text: below it, ask which theme
REPEATS = 20
NAMED = THEME_FEATURES.index("named")  # the theme feature that says how clearly the text names the theme


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


def evaluate(level_all, level_y, theme_x, theme_y, labels, l2=L2, theme_l2=None, repeats=REPEATS,
             level_all_u=None, theme_x_u=None) -> dict:
    """Out-of-fold predictions, pooled over the repeats. `level_all[i, t]`: the level features of item i
    on theme t, times its `evidence_scale` (the chat runs the level model on the theme it chose).
    `level_all_u`, `theme_x_u`: the same for each item with its question sentences replaced by a bare
    "Waar staan we?" (the theme not named); the theme model is fitted on both forms of the training items
    and scored on both forms of the test items (an item and its other form are always in the same half)."""
    level_x = np.stack([level_all[i, t] for i, t in enumerate(theme_y)])
    unnamed = theme_x_u is not None
    given, chat, chat_u, wrong = [], [], [], {}
    accuracy_given, accuracy_chat, accuracy_theme, accuracy_chat_u, accuracy_theme_u = [], [], [], [], []
    for seed in range(repeats):
        halves = folds(labels, seed)
        right = {"given": 0, "chat": 0, "theme": 0, "chat_u": 0, "theme_u": 0}
        for k in (0, 1):
            test, train = halves[k], halves[1 - k]
            wl = fit_softmax(level_x[train], [level_y[i] for i in train], l2)
            tx = theme_x[train] if not unnamed else np.concatenate([theme_x[train], theme_x_u[train]])
            ty = [{theme_y[i]} for i in train] * (2 if unnamed else 1)
            wt = fit_softmax(tx, ty, l2 if theme_l2 is None else theme_l2)
            for i in test:
                p = predict_softmax(level_x[i], wl)
                best = int(np.argmax(p))
                ok = best in level_y[i]
                given.append((float(p[best]), ok, i))
                right["given"] += ok
                if not ok:
                    wrong[i] = wrong.get(i, 0) + 1
                forms = [("", theme_x, level_all, chat)] + ([("_u", theme_x_u, level_all_u, chat_u)] if unnamed else [])
                for suffix, tx_, la_, out in forms:
                    pt = predict_softmax(tx_[i], wt)
                    chosen = int(np.argmax(pt))
                    theme_ok = chosen == theme_y[i]
                    right["theme" + suffix] += theme_ok
                    # with the theme read from the text the level model runs on the chosen theme
                    pc = predict_softmax(la_[i, chosen], wl)
                    chat_ok = theme_ok and int(np.argmax(pc)) in level_y[i]
                    out.append((float(pt.max() * pc.max()), chat_ok, float(pt.max()), theme_ok, i, float(pc.max()),
                                float(tx_[i][chosen][NAMED])))
                    right["chat" + suffix] += chat_ok
        n = len(labels)
        accuracy_given.append(right["given"] / n)
        accuracy_chat.append(right["chat"] / n)
        accuracy_theme.append(right["theme"] / n)
        accuracy_chat_u.append(right["chat_u"] / n)
        accuracy_theme_u.append(right["theme_u"] / n)
    below = [ok for c, ok, _ in given if c < UNCERTAIN_BELOW]
    above = [ok for c, ok, _ in given if c >= UNCERTAIN_BELOW]
    report = {
        "level_accuracy_theme_given": round(float(np.mean(accuracy_given)), 3),
        "accuracy_theme_from_text": round(float(np.mean(accuracy_chat)), 3),
        "level_accuracy_sd": round(float(np.std(accuracy_given)), 3),
        "theme_accuracy": round(float(np.mean(accuracy_theme)), 3),
        "buckets_theme_given": buckets([(c, ok) for c, ok, _ in given]),
        "buckets_theme_from_text": buckets([(c, ok) for c, ok, *_ in chat]),
        "buckets_theme_probability": buckets([(pt, ok) for _, _, pt, ok, *_ in chat + chat_u]),
        "uncertain_share": round(len(below) / len(given), 3),
        "accuracy_when_uncertain": round(float(np.mean(below)), 3) if below else None,
        "accuracy_when_sure": round(float(np.mean(above)), 3) if above else None,
        "wrong_most": sorted(wrong.items(), key=lambda x: -x[1])[:12],
    }
    # the out-of-fold outcomes per item, for accuracy per source set (`per_set`)
    report["_outcomes"] = {"given": [(i, ok) for _, ok, i in given], "text": [(row[4], row[1]) for row in chat],
                           "not_named": [(row[4], row[1]) for row in chat_u]}
    if unnamed:
        sure = [ok for _, ok, pt, *_ in chat_u if pt >= THEME_UNCERTAIN_BELOW]
        unsure = [ok for _, ok, pt, *_ in chat_u if pt < THEME_UNCERTAIN_BELOW]
        report |= {
            "accuracy_theme_not_named": round(float(np.mean(accuracy_chat_u)), 3),
            "theme_accuracy_not_named": round(float(np.mean(accuracy_theme_u)), 3),
            "buckets_theme_not_named": buckets([(c, ok) for c, ok, *_ in chat_u]),
            "theme_unsure_share_not_named": round(len(unsure) / len(chat_u), 3),
            "accuracy_not_named_when_theme_sure": round(float(np.mean(sure)), 3) if sure else None,
        }
    # Calibration maps (`calibrate`): fitted on the out-of-fold predictions of one half of the items and
    # scored on the other half (and the other way round), so the reported buckets are of items the map has
    # not seen; the shipped maps are fitted on all out-of-fold predictions.
    given_preds = [((c,), ok, i, ()) for c, ok, i in given]
    # the theme read from the text: `text_calibration_inputs` of the level and theme probability and the naming
    def as_pred(rows: list[tuple]) -> list[tuple]:
        out = []
        for _, ok, pt, _, i, pl, named in rows:
            probabilities, extras = text_calibration_inputs(pl, pt, named)
            out.append((probabilities, ok, i, extras))
        return out

    text_preds = as_pred(chat + chat_u)
    report["calibration_given"] = list(fit_platt([c for c, *_ in given_preds], [ok for _, ok, *_ in given_preds]))
    report["calibration_text"] = list(fit_platt([c for c, *_ in text_preds], [ok for _, ok, *_ in text_preds],
                                                extras=[x for *_, x in text_preds]))
    report["buckets_theme_given_calibrated"] = buckets(cross_calibrated(given_preds))
    report["buckets_theme_from_text_calibrated"] = buckets(cross_calibrated(as_pred(chat), text_preds))
    if unnamed:
        report["buckets_theme_not_named_calibrated"] = buckets(cross_calibrated(as_pred(chat_u), text_preds))
    return report


def per_set(outcomes: dict[str, list[tuple[int, bool]]], sources: list[str]) -> dict[str, dict]:
    """Out-of-fold accuracy per source set and mode, pooled over the repeats: how each set fares on weights that
    were never fitted on its items."""
    out: dict[str, dict] = {}
    for name in dict.fromkeys(sources):
        out[name] = {"n": sources.count(name)}
        for mode, rows in outcomes.items():
            hits = [ok for i, ok in rows if sources[i] == name]
            if hits:
                out[name][mode] = round(float(np.mean(hits)), 3)
    return out


def cross_calibrated(preds: list[tuple[tuple, bool, int, tuple]], fit_on: list[tuple[tuple, bool, int, tuple]] | None = None,
                     ) -> list[tuple[float, bool]]:
    """`preds` with their confidence passed through a calibration map fitted on the items of the other half
    (items split by a fixed shuffle; `fit_on` defaults to `preds`)."""
    fit_on = preds if fit_on is None else fit_on
    items = sorted({i for _, _, i, _ in fit_on})
    random.Random(7).shuffle(items)
    half = {i: n % 2 for n, i in enumerate(items)}
    out = []
    for h in (0, 1):
        train = [p for p in fit_on if half[p[2]] != h]
        coefficients = fit_platt([c for c, *_ in train], [ok for _, ok, *_ in train],
                                 extras=[x for *_, x in train] if train and train[0][3] else None)
        out += [(calibrate(c, coefficients, x), ok) for c, ok, i, x in preds if half.get(i, 0) == h]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, nargs="+", default=[ROOT / "evals/sets/placement-dev.jsonl"],
                        help="one or more placement sets, pooled (cross-validated together, reported per set)")
    parser.add_argument("--write", action="store_true", help="store the weights fitted on the whole set")
    parser.add_argument("--data-dir", type=Path, default=None, help="data dir for the embedding cache")
    parser.add_argument("--l2", type=float, nargs="*", default=[L2], help="L2 penalties to compare")
    parser.add_argument("--theme-l2", type=float, nargs="*", default=[THEME_L2], help="the same for the theme model")
    parser.add_argument("--grid", type=float, nargs="*", default=None,
                        help="dense/lexical pairs to try instead of the built-in grid, e.g. 1 4 0.5 3")
    args = parser.parse_args()
    items, sources = [], []
    for path in args.set:
        found = read_set(path)
        items += found
        sources += [path.stem] * len(found)
    instrument = load_instrument()
    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    placeholder = PlacerWeights(1.0, 1.0, tuple([0.0] * len(LEVEL_FEATURES)), tuple([0.0] * len(THEME_FEATURES)),
                                UNCERTAIN_BELOW, 0.0)
    placer = Placer(instrument, settings, placeholder)
    readings = [placer.read(item["question"]) for item in items]
    unnamed_items = [without_theme_question(item) for item in items]
    readings_u = [placer.read(item["question"]) for item in unnamed_items]
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
        level_all_u = np.stack([np.stack([placer.level_features(r, t) for t in themes]) for r in readings_u])
        evidence_u = np.array([[placer.theme_evidence(r, t) for t in themes] for r in readings_u])
        level_all_u = level_all_u * np.vectorize(lambda e: evidence_scale(e, full_evidence))(evidence_u)[:, :, None, None]  # noqa: B023
        theme_x_u = np.stack([placer.theme_features(r, item["question"]) for r, item in zip(readings_u, unnamed_items)])
        for l2, theme_l2 in ((a, b) for a in args.l2 for b in args.theme_l2):
          report = evaluate(level_all, level_y, theme_x, theme_y, labels, l2=l2, theme_l2=theme_l2,
                            level_all_u=level_all_u, theme_x_u=theme_x_u)
          report["l2"], report["theme_l2"] = l2, theme_l2
          print(f"l2 {l2}/{theme_l2} dense {dense} lexical {lexical}: level (theme given) {report['level_accuracy_theme_given']:.1%} "
              f"± {report['level_accuracy_sd']:.1%}, theme {report['theme_accuracy']:.1%}, "
              f"theme and level from text {report['accuracy_theme_from_text']:.1%}")
          print("   given", [(b["confidence"], b["accuracy"], b["n"]) for b in report["buckets_theme_given"]])
          print("   text ", [(b["confidence"], b["accuracy"], b["n"]) for b in report["buckets_theme_from_text"]])
          print(f"   not named: theme {report['theme_accuracy_not_named']:.1%}, theme and level "
                f"{report['accuracy_theme_not_named']:.1%}",
                [(b["confidence"], b["accuracy"], b["n"]) for b in report["buckets_theme_not_named"]])
          print("   P(theme)", [(b["confidence"], b["accuracy"], b["n"]) for b in report["buckets_theme_probability"]])
          for key in ("given", "from_text", "not_named"):
              print(f"   calibrated {key}", [(b["confidence"], b["accuracy"], b["n"])
                                           for b in report[f"buckets_theme_{key}_calibrated"]])
          results.append((report["level_accuracy_theme_given"], dense, lexical, level_all, theme_x, report,
                          full_evidence, theme_x_u))
    _, dense, lexical, level_all, theme_x, report, full_evidence, theme_x_u = max(results, key=lambda r: r[0])
    level_x = np.stack([level_all[i, t] for i, t in enumerate(theme_y)])
    print(json.dumps({k: v for k, v in report.items() if k not in ("wrong_most", "_outcomes")}, indent=2))
    print("most often wrong:", [(items[i]["id"], n) for i, n in report["wrong_most"]])
    report["per_set"] = per_set(report.pop("_outcomes"), sources)
    print("out-of-fold accuracy per set:", json.dumps(report["per_set"]))

    level_w = fit_softmax(level_x, level_y, report["l2"])
    theme_w = fit_softmax(np.concatenate([theme_x, theme_x_u]), [{t} for t in theme_y] * 2, report["theme_l2"])
    placer.weights = PlacerWeights(dense, lexical, tuple(level_w), tuple(theme_w), UNCERTAIN_BELOW, 0.0,
                                   calibration_given=tuple(report["calibration_given"]),
                                   calibration_text=tuple(report["calibration_text"]))
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
            "fitted_on": ", ".join(str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p) for p in args.set)
                         + f" ({len(items)} situations, pooled), {date.today().isoformat()}",
            "embedder": settings.embedder,
            "dense": dense, "lexical": lexical, "l2": report.pop("l2"), "theme_l2": report.pop("theme_l2"),
            "level_features": list(LEVEL_FEATURES), "level": [round(float(x), 4) for x in level_w],
            "theme_features": list(THEME_FEATURES), "theme": [round(float(x), 4) for x in theme_w],
            "calibration_given": [round(float(x), 4) for x in report.pop("calibration_given")],
            "calibration_text": [round(float(x), 4) for x in report.pop("calibration_text")],
            "uncertain_below": UNCERTAIN_BELOW, "theme_uncertain_below": THEME_UNCERTAIN_BELOW,
            "min_evidence": min_evidence, "full_evidence": full_evidence,
            "report": {"cross_validation": f"{REPEATS} x 2-fold, stratified by level", **report},
        }
        WEIGHTS.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
