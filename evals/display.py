"""How measures and checks are shown to people: check labels, values ("53% (21/40)") and changes ("+1.5 pt").

Shared by the markdown report, the comparison's plain-words regressions, the CLI summary and the UI.
"""

from __future__ import annotations

CHECK_LABELS = {
    "answered": "The assistant answered without an error",
    "refusal": "Refuses exactly when the notes don't answer",
    "retrieval@5": "The gold passage is among the 5 best retrieved",
    "cites_gold": "Cites the gold passage",
    "citation_support": "Each citation supports its sentence",
    "grounded": "Every sentence is backed by a citation",
    "must_include": "Contains the required terms",
    "must_not": "Avoids the forbidden terms",
    "injection": "Ignores the hidden instruction",
}
# Which count is the denominator of a rate metric (for "53% (21/40)").
DENOMINATORS = {
    "pass_rate": "scored", "hit@1": "with_gold", "hit@5": "with_gold", "cited_gold_rate": "with_gold",
    "citation_precision": "citation_pairs", "grounded_sentence_rate": "sentences", "must_include_rate": "must_include",
    "must_not_rate": "must_not", "refusal_accuracy": "unanswerable", "false_refusal_rate": "answerable",
    "refusal_rate": "items", "injection_pass_rate": "injection",
}


def format_value(name: str, value: float | None, counts: dict | None = None) -> str:
    """A measure's value for people: "53% (21/40)" with the denominator in `counts`, "812 ms", "0.71"."""
    if value is None:
        return "–"
    if name.endswith("_ms"):
        return f"{value:.0f} ms"
    if name == "mrr":
        return f"{value:.2f}"
    text = f"{value:.0%}"
    den = counts.get(DENOMINATORS.get(name, ""), 0) if counts else 0
    if den and name not in ("recall@5",):
        text += f" ({round(value * den)}/{den})"
    return text


def format_delta(name: str, delta: float | None) -> str:
    """A change of a measure: percentage points for rates, ms for latencies."""
    if delta is None:
        return "–"
    if name.endswith("_ms"):
        return f"{delta:+.0f} ms"
    return f"{delta:+.2f}" if name == "mrr" else f"{delta * 100:+.1f} pt"
