#!/usr/bin/env python3
"""Render the SEEN document-kinds corpora again in other layouts and score ingest's structure on each.

The same texts and ground truth as kinds-dev / kinds-dev2, laid out differently, tell whether the structure
mechanisms depend on one layout: headings set in bold at body size only, every heading number on its own line,
the text reflowed (other font family, size, margins and alignment, so lines wrap elsewhere), bookmarks on/off.

    python evals/corpora/variants.py                      # all variants of both seen corpora, into /tmp/ikc-variants
    python evals/corpora/variants.py --out DIR --variant bold

Requires what build.py requires. Only the seen corpora: the held-out ones are scored by others, never tuned on.
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import build  # noqa: E402  (the renderer next to this file)

SEEN = ["kinds-dev", "kinds-dev2", "kinds-dev3"]


def _reflow(cfg: dict, delta: float, margins: list[float], align: str) -> None:
    cfg["size"] = cfg.get("size", build.DEFAULTS["size"]) + delta
    cfg["leading"] = cfg.get("leading", build.DEFAULTS["leading"]) + delta * 0.45
    cfg["margins"], cfg["align"] = margins, align
    cfg["font"] = "serif" if cfg.get("font", "sans") == "sans" else "sans"


# name: (change to the document settings, change to each heading level's settings)
VARIANTS = {
    "bold": (None, lambda h, size: {**h, "size": size, "style": "B"}),
    "ownline": (None, lambda h, size: {**h, "own_line": True}),
    "big": (lambda c: _reflow(c, 1.0, [22, 26, 20], "J"), lambda h, size: {**h, "size": h["size"] + 1.0}),
    "small": (lambda c: _reflow(c, -1.0, [18, 24, 18], "L"), lambda h, size: {**h, "size": h["size"] - 1.0}),
    "outline": (lambda c: c.update(outline=not c.get("outline", False)), lambda h, size: h),  # bookmarks on/off
    # all at once: reflowed larger type, every heading bold at body size with its number on its own line
    "mixed": (lambda c: _reflow(c, 1.0, [22, 26, 20], "L"), lambda h, size: {**h, "size": size + 1.0, "style": "B",
                                                                              "own_line": True}),
}


def render(corpus: str, variant: str, out: Path) -> Path:
    """Write <out>/<variant>-<corpus>/ (src, pdf, corpus.yaml, expected.json) and return it."""
    doc_change, head_change = VARIANTS[variant]
    target = out / f"{variant}-{corpus}"
    (target / "src").mkdir(parents=True, exist_ok=True)
    documents = []
    for src in sorted((HERE / corpus / "src").glob("*.md")):
        _, front, body = src.read_text(encoding="utf-8").split("---\n", 2)
        cfg = yaml.safe_load(front)
        cfg.pop("copies", None)  # duplicates are scored on the corpus itself
        if doc_change:
            doc_change(cfg)
        heads = {int(k): v for k, v in (cfg.get("headings") or {}).items()}
        for level in build.DEFAULTS["headings"]:
            merged = {**copy.deepcopy(build.DEFAULTS["headings"][level]), **heads.get(level, {})}
            heads[level] = head_change(merged, cfg.get("size", build.DEFAULTS["size"]))
        cfg["headings"] = heads
        (target / "src" / src.name).write_text("---\n" + yaml.safe_dump(cfg, allow_unicode=True) + "---\n" + body,
                                               encoding="utf-8")
        documents.append({"id": cfg["id"], "title": cfg["meta"]["title"], "file": f"pdf/{cfg['file']}"})
    (target / "corpus.yaml").write_text(yaml.safe_dump({"documents": documents}, allow_unicode=True), encoding="utf-8")
    build.HERE = out  # build_corpus renders <HERE>/<name>
    try:
        problems = build.build_corpus(target.name)
    finally:
        build.HERE = HERE
    if problems:
        raise SystemExit("\n".join(problems))
    return target


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("/tmp/ikc-variants"))
    ap.add_argument("--corpus", choices=SEEN, action="append")
    ap.add_argument("--variant", choices=sorted(VARIANTS), action="append")
    args = ap.parse_args()
    from evals.structure import score_corpus

    for corpus in args.corpus or SEEN:
        for variant in args.variant or list(VARIANTS):
            score = score_corpus(render(corpus, variant, args.out.resolve()))
            print(f"{variant}-{corpus}", json.dumps(score.summary()))
            for line in score.wrong[:10]:
                print("  ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
