"""report.md: an evaluation run written for someone who does not read code.

Order: the headline, the overall table with what each measure means, the comparison with
the baseline (if any), per type, per language, and then every failing question with its
answer, its citations and the reasons it failed.
"""

from __future__ import annotations

from typing import Protocol

from evals.compare import Comparison
from evals.display import CHECK_LABELS, format_delta, format_value
from evals.metrics import METRICS, ItemScore
from evals.sets import EvalItem
from ikc.text import normalise_whitespace

# Columns of the per-type and per-language tables.
GROUP_COLUMNS = ("pass_rate", "hit@5", "cited_gold_rate", "grounded_sentence_rate", "must_include_rate",
                 "refusal_accuracy", "false_refusal_rate")


class ReportedRun(Protocol):
    """What the report reads of a run: `evals.runner.EvalRun`, which imports this module to write report.md."""

    set_name: str
    items: list[EvalItem]
    results: list[dict]
    scores: list[ItemScore]
    summary: dict
    meta: dict
    comparison: Comparison | None

    @property
    def metrics(self) -> dict: ...


def _esc(text: str) -> str:
    """Document text and answers are untrusted: show them as text, never as HTML."""
    return (text or "").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def _one_line(text: str) -> str:
    return _esc(normalise_whitespace(text or ""))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def _overall(run: ReportedRun) -> list[str]:
    counts = run.summary["counts"]
    rows = [[m.label, format_value(name, run.metrics.get(name), counts), m.meaning] for name, m in METRICS.items()
            if run.metrics.get(name) is not None]
    return ["## Overall", ""] + _table(["Measure", "Result", "What it means"], rows) + [""]


def _comparison(run: ReportedRun) -> list[str]:
    comp = run.comparison
    if comp is None:
        return []
    worse = sum(d.regressed for d in comp.deltas)
    verdict = (f"**Regression:** {worse} measure(s) got worse by more than the tolerance and "
               f"{len(comp.to_fail)} question(s) that passed now fail." if comp.regressed
               else "No regression: no measure got worse by more than the tolerance "
                    "and no question flipped to failing.")
    lines = ["## Compared with the baseline", "", f"Baseline: `{comp.baseline}` (tolerance {comp.tolerance:g}).", "",
             verdict, ""]
    rows = [[d.label, format_value(d.name, d.before), format_value(d.name, d.after),
             format_delta(d.name, d.delta) + (" ⚠" if d.regressed else "")]
            for d in comp.deltas if d.before is not None or d.after is not None]
    lines += _table(["Measure", "Baseline", "Now", "Change"], rows) + [""]
    for title, flips, which in (("Now failing (passed in the baseline)", comp.to_fail, "failed_now"),
                                ("Now passing (failed in the baseline)", comp.to_pass, "failed_before")):
        lines.append(f"**{title}:** " + (", ".join(
            f"{f.id} ({', '.join(getattr(f, which))})" if getattr(f, which) else f.id for f in flips) or "none") + "  ")
    if comp.new_items or comp.missing_items:
        lines.append(f"Not compared: {len(comp.new_items)} new question(s), "
                     f"{len(comp.missing_items)} no longer in the set.")
    return lines + [""]


def _groups(title: str, first: str, groups: dict) -> list[str]:
    header = [first, "Questions"] + [METRICS[c].label for c in GROUP_COLUMNS]
    rows = [[_esc(name), str(g["counts"]["items"])]
            + [format_value(c, g["metrics"].get(c), g["counts"]) for c in GROUP_COLUMNS]
            for name, g in groups.items()]
    return [f"## {title}", ""] + _table(header, rows) + [""]


def _quote_block(text: str) -> list[str]:
    return ["> " + (_esc(line) or " ") for line in (text or "(empty)").splitlines()] or ["> (empty)"]


def _failing(run: ReportedRun) -> list[str]:
    failing = [(i, r, s) for i, r, s in zip(run.items, run.results, run.scores) if s.passed is False]
    lines = [f"## Failing questions ({len(failing)})", ""]
    if not failing:
        return lines + ["Every scored question passed.", ""]
    for item, result, score in failing:
        names = ", ".join(CHECK_LABELS.get(c.name, c.name).lower() for c in score.failed_checks)
        lines += [f"### {item.id} · {item.kind} · {item.language}", "", f"Fails: {names}.", "",
                  f"**Question:** {_one_line(item.question)}", ""]
        for turn in item.history:
            lines.append(f"- earlier {turn['role']}: {_one_line(turn['content'])}")
        if item.history:
            lines.append("")
        status = " (refused)" if score.refused else ""
        lines += [f"**Answer{status}:**", ""] + _quote_block(result.get("answer", "")) + [""]
        citations = result.get("citations") or []
        if citations:
            lines += ["**Citations:**", ""]
            for c in citations:
                where = f"{_one_line(c.get('title', ''))}, p. {c.get('page')}"
                if c.get("section"):
                    where += f" ({_one_line(c['section'])})"
                lines.append(f"{c.get('n')}. {where}: “{_one_line(c.get('text', ''))}”")
            lines.append("")
        lines += ["**Why it failed:**", ""]
        lines += [f"- {CHECK_LABELS.get(c.name, c.name)}: {_one_line(c.reason)}" for c in score.failed_checks]
        if item.gold:
            lines.append("- Expected source: " + "; ".join(f"{g.doc}: “{_one_line(g.quote)}”" for g in item.gold))
        if item.answer:
            lines.append(f"- Reference answer: {_one_line(item.answer)}")
        lines.append("")
    return lines


def _when(created: str | None) -> str:
    return (created or "").replace("T", " ").replace("+00:00", " UTC")


def render_report(run: ReportedRun) -> str:
    counts = run.summary["counts"]
    settings = run.meta.get("settings", {})
    index = run.meta.get("index") or {}
    head = [
        f"# Evaluation report: {_esc(run.set_name)}", "",
        f"{_when(run.meta.get('created'))} · {counts['items']} questions · answer mode {settings.get('mode', '?')} · "
        f"embedder {index.get('embedder', settings.get('embedder', '?'))} · commit {run.meta.get('commit') or '?'} · "
        f"{run.meta.get('seconds', '?')} s", "",
        f"**{counts['passed']} of {counts['scored']} questions pass every check.**"
        + (f" {counts['items'] - counts['scored']} question(s) had nothing to check."
           if counts["items"] > counts["scored"] else "")
        + (f" {counts['errors']} question(s) crashed the assistant." if counts["errors"] else ""), "",
    ]
    body = (_overall(run) + _comparison(run) + _groups("By question type", "Type", run.summary["by_type"])
            + _groups("By language", "Language", run.summary["by_language"]) + _failing(run))
    return "\n".join(head + body).rstrip() + "\n"
