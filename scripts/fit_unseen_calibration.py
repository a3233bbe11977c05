"""Fit the placer's last calibration step on situations it had not seen (`placement.UnseenMap`).

    HF_HUB_OFFLINE=1 .venv/bin/python scripts/fit_unseen_calibration.py            # report, leave one set out
    HF_HUB_OFFLINE=1 .venv/bin/python scripts/fit_unseen_calibration.py --write    # and store the map
    HF_HUB_OFFLINE=1 .venv/bin/python scripts/fit_unseen_calibration.py --record evals/sets/placement-dev5.jsonl

`--record SET` adds the first scores of a new placement set, as this checkout states them, to
`assistant/director/data/placement-first-scores.jsonl`: run it once, on the code as it was before anything was
changed for that set (a clean checkout), and never again for that set. Every line keeps the commit it was scored
at. The map is sigmoid(a * logit(stated) + b) per mode (theme given; theme read from the text), fitted by
likelihood with a small pull towards the identity (a = 1, b = 0); the report fits it on all sets but one and
measures it on the one left out, per confidence bucket.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.director.placement import UNSEEN_CALIBRATION, UnseenMap, calibrate, fit_platt  # noqa: E402
from evals.director import BUCKETS  # noqa: E402

FIRST_SCORES = ROOT / "assistant/director/data/placement-first-scores.jsonl"
L2 = 0.01
MODES = ("given", "text")


def fit(stated: list[float], correct: list[bool], l2: float = L2, iterations: int = 5000) -> tuple[float, float]:
    """`placement.fit_platt` on one input (the stated confidence), rounded as the map is stored."""
    a, b = fit_platt(stated, correct, l2=l2, iterations=iterations)
    return round(a, 4), round(b, 4)


def buckets(pairs: list[tuple[float, bool]]) -> list[dict]:
    out = []
    for low, high in zip(BUCKETS, BUCKETS[1:]):
        inside = [(c, ok) for c, ok in pairs if low <= c < high]
        if inside:
            out.append({"low": low, "high": min(high, 1.0), "n": len(inside),
                        "stated": round(sum(c for c, _ in inside) / len(inside), 3),
                        "observed": round(sum(ok for _, ok in inside) / len(inside), 3)})
    return out


def read_rows() -> list[dict]:
    if not FIRST_SCORES.exists():
        return []
    return [json.loads(line) for line in FIRST_SCORES.read_text(encoding="utf-8").splitlines() if line.strip()]


def record(path: Path) -> int:
    from evals.director import run

    rows = read_rows()
    if any(r["set"] == path.stem for r in rows):
        print(f"{path.stem} has first scores already: a set is recorded once, before any change for it")
        return 2
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    for score in run(path):
        mode = "given" if "given" in score.kind else "text"
        rows += [{"set": path.stem, "commit": commit, "mode": mode, "id": s.id, "stated": round(s.confidence, 4),
                  "correct": s.correct} for s in score.items]
    FIRST_SCORES.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    print(f"recorded {path.stem} at {commit}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="store the map fitted on every recorded set")
    parser.add_argument("--record", type=Path, help="add a new set's first scores (once, before any change for it)")
    args = parser.parse_args()
    if args.record:
        return record(args.record)
    rows = read_rows()
    sets = sorted({r["set"] for r in rows})
    data: dict = {"comment": "Written by scripts/fit_unseen_calibration.py; do not edit by hand.",
                  "fitted_on": {s: sorted({r["commit"] for r in rows if r["set"] == s}) for s in sets},
                  "report": {}}
    for mode in MODES:
        mine = [r for r in rows if r["mode"] == mode]
        data[mode] = list(fit([r["stated"] for r in mine], [r["correct"] for r in mine]))
        left_out = []
        for held in sets:
            train = [r for r in mine if r["set"] != held]
            a, b = fit([r["stated"] for r in train], [r["correct"] for r in train])
            mapped = UnseenMap((a, b), (a, b))
            left_out += [(mapped(r["stated"], True), r["correct"]) for r in mine if r["set"] == held]
        data["report"][mode] = {"n": len(mine), "accuracy": round(sum(r["correct"] for r in mine) / len(mine), 3),
                                "as_stated": buckets([(r["stated"], r["correct"]) for r in mine]),
                                "leave_one_set_out": buckets(left_out)}
        a, b = data[mode]
        print(f"{mode}: a={a} b={b}; stated 0.6/0.8/0.95/0.99 -> "
              + " / ".join(f"{calibrate(c, (a, b)):.2f}" for c in (0.6, 0.8, 0.95, 0.99)))
        print("   as stated        ", [(x["stated"], x["observed"], x["n"]) for x in data["report"][mode]["as_stated"]])
        print("   leave one set out", [(x["stated"], x["observed"], x["n"])
                                       for x in data["report"][mode]["leave_one_set_out"]])
    if args.write:
        UNSEEN_CALIBRATION.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {UNSEEN_CALIBRATION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
