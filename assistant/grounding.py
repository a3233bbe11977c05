"""The grounding gate: every answer sentence must be supported by the passage it cites.

Deterministic and mode-independent. Support is the larger of a lexical score (share of the
sentence's content terms found in the passage) and, when an embedder is given and the
lexical score is not already decisive, the cosine between sentence and passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ikc.records import Citation
from ikc.text import split_sentences, terms

MARKER = re.compile(r"\[(\d+)\]")
# e5 cosine similarities crowd into 0.75–0.92 even for unrelated Dutch text; this maps that band onto 0..1.
DENSE_FLOOR, DENSE_SPAN = 0.76, 0.14


def dense_support(cosine: float) -> float:
    return min(1.0, max(0.0, (cosine - DENSE_FLOOR) / DENSE_SPAN))


def lexical_support(sentence: str, passage: str) -> float:
    s = set(terms(MARKER.sub("", sentence)))
    if not s:
        return 0.0
    p = set(terms(passage))
    return len(s & p) / len(s)


@dataclass
class GateResult:
    text: str
    citations: list[Citation]
    removed: list[str]
    repaired: int


def split_lines(text: str) -> list[tuple[int, str]]:
    """(line number, unit): list lines and lead-ins whole; a prose line cut into runs of sentences that end
    at citation markers ("S1 S2 [1] S3 [2]" → "S1 S2 [1]", "S3 [2]"), the markers attributing the run,
    as the eval scorer reads them; unmarked sentences at a line's end stand alone."""
    units: list[tuple[int, str]] = []
    for i, line in enumerate(text.split("\n")):
        if not line.strip() or line.lstrip().startswith(("-", "•", "*")) or line.rstrip().endswith(":"):
            units.append((i, line))
            continue
        # a run ends at its markers, also when a stop follows them ("… basisscholen [1]. De …")
        runs = re.split(r"(?<=\])\s+(?=[^\s\[])|(?<=\][.!?;])\s+(?=[^\s\[])", line)
        for run in runs:
            if MARKER.search(run):
                units.append((i, run))
            else:
                units.extend((i, run[a:b]) for a, b in split_sentences(run))
    return units


def split_answer(text: str) -> list[str]:
    """The units of `split_lines`, without their line numbers."""
    return [unit for _, unit in split_lines(text)]


def gate(
    text: str,
    citations: list[Citation],
    threshold: float,
    embed=None,
    mark_unsupported: str | None = None,
    exempt=lambda unit: False,
) -> GateResult:
    """Check, repair or drop markers; drop (or mark) unsupported sentences; renumber citations.

    `embed` (texts → unit vectors) adds semantic support for paraphrases (LLM answers);
    `mark_unsupported` keeps unsupported sentences with that suffix instead of removing them.
    """
    by_n = {c.n: c for c in citations}
    used: list[int] = []
    out: list[str] = []
    lines_of: list[int] = []  # the answer line each kept unit came from
    removed: list[str] = []
    repaired = 0

    def support(unit: str, cit: Citation) -> float:
        lex = lexical_support(unit, cit.text)
        if lex >= threshold or embed is None:
            return lex
        vecs = embed([MARKER.sub("", unit), cit.text])
        return max(lex, dense_support(float(np.dot(vecs[0], vecs[1]))))

    for line_no, unit in split_lines(text):
        lines_of.append(line_no)
        markers = [int(m) for m in MARKER.findall(unit)]
        if markers and not terms(MARKER.sub("", unit)):  # "Zie ook [9]": nothing to support, nothing to cite
            unit, markers = MARKER.sub("", unit).rstrip(), []
        if not markers:
            if unit.strip() and not exempt(unit) and mark_unsupported is not None and len(terms(unit)) >= 3:
                unit = f"{unit} {mark_unsupported}"
            out.append(unit)
            continue
        keep = []
        for n in markers:
            cit = by_n.get(n)
            if cit is not None and n not in keep and support(unit, cit) >= threshold:
                keep.append(n)
        if not keep:  # repair: point at the citation that does support it, if any
            score, best = max(((support(unit, c), c.n) for c in citations), default=(0.0, None))
            if best is not None and score >= threshold:
                keep, repaired = [best], repaired + 1
        bare = MARKER.sub("", unit).rstrip()
        bare = re.sub(r"\s+([.,;:!?])", r"\1", bare)
        if not keep:
            if mark_unsupported is None:
                removed.append(bare)
                lines_of.pop()
                continue
            out.append(f"{bare} {mark_unsupported}")
            continue
        out.append(bare + " " + "".join(f"[{n}]" for n in keep))
        used.extend(n for n in keep if n not in used)

    renumber = {old: new for new, old in enumerate(sorted(set(used), key=used.index), start=1)}
    joined: dict[int, list[str]] = {}
    for line_no, unit in zip(lines_of, out):
        joined.setdefault(line_no, []).append(unit)
    final_text = "\n".join(" ".join(u for u in units if u.strip()) if len(units) > 1 else units[0]
                           for _, units in sorted(joined.items()))
    final_text = MARKER.sub(lambda m: f"[{renumber.get(int(m.group(1)), 0)}]", final_text).replace(" [0]", "")
    final = []
    for old, new in renumber.items():
        c = by_n[old]
        final.append(Citation(**{**c.__dict__, "n": new}))
    final.sort(key=lambda c: c.n)
    return GateResult(final_text.strip(), final, removed, repaired)
