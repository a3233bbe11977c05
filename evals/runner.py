"""Run a question set through the assistant and score it: the library the CLI and the UI call.

The assistant sees each item's question and history only, never its gold data. One warm-up
question is answered before timing starts, so the first item's latency does not include
loading models and the index.
"""

from __future__ import annotations

import json
import logging
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from evals.compare import DEFAULT_TOLERANCE, Comparison, compare_scores, load_baseline
from evals.metrics import DEFAULT_RULES, ItemScore, Rules, score_item, summarise
from evals.report import render_report
from evals.sets import EvalItem
from ikc.settings import Settings, get_settings

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]  # (done, total, id of the item just answered)
WARMUP_QUESTION = "Wat is een integraal kindcentrum?"
# Settings that say nothing about the run or must not be written to disk.
_UNRECORDED = {"llm_api_key", "ui_auth", "ui_host", "ui_port", "ui_concurrency", "ui_max_upload_mb"}


@dataclass
class EvalRun:
    """One scored run of a set: what `run_eval` returns and `write` saves."""

    set_name: str
    items: list[EvalItem]
    results: list[dict]
    scores: list[ItemScore]
    summary: dict
    meta: dict = field(default_factory=dict)
    rules: Rules = DEFAULT_RULES
    comparison: Comparison | None = None

    @property
    def metrics(self) -> dict:
        """The overall metrics (names as in `evals.metrics.METRICS`)."""
        return self.summary["overall"]

    def rows(self) -> list[dict]:
        """One flat row per question, for a table in the UI."""
        rows = []
        for item, result, score in zip(self.items, self.results, self.scores):
            rows.append({
                "id": item.id, "type": item.kind, "language": item.language, "question": item.question,
                "answer": result.get("answer", ""), "refused": bool(result.get("refused")),
                "citations": "; ".join(f"[{c.get('n')}] {c.get('title')}, p. {c.get('page')}"
                                       for c in result.get("citations") or []),
                "passed": score.passed,
                "checks": {c.name: c.passed for c in score.checks},
                "why": "; ".join(f"{c.name}: {c.reason}" for c in score.failed_checks),
                "latency_ms": result.get("latency_ms"),
            })
        return rows

    def metrics_json(self) -> dict:
        out = {"set": self.set_name, **self.meta, **self.summary}
        if self.comparison is not None:
            out["comparison"] = self.comparison.to_json()
        return out

    def write(self, out_dir: Path | str) -> dict[str, Path]:
        """Write results.jsonl, metrics.json and report.md; returns their paths."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = {"results": out / "results.jsonl", "metrics": out / "metrics.json", "report": out / "report.md"}
        with paths["results"].open("w", encoding="utf-8") as fh:
            for result in self.results:
                fh.write(json.dumps(result, ensure_ascii=False) + "\n")
        paths["metrics"].write_text(json.dumps(self.metrics_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        paths["report"].write_text(render_report(self), encoding="utf-8")
        return paths


def git_commit(root: Path | None = None) -> str | None:
    """The commit the code ran from, marked `-dirty` when the working tree had changes; None outside git.

    Recorded with eval runs and benchmark results, so a number can be traced to its code.
    """
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, timeout=5,
                              cwd=root or Path(__file__).resolve().parent).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None
    return (commit + ("-dirty" if dirty else "")) if commit else None


def _run_meta(settings: Settings) -> dict:
    from ikc.index import read_manifest

    manifest = read_manifest(settings.data_dir)
    recorded = {k: v for k, v in settings.model_dump(mode="json").items() if k not in _UNRECORDED}
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "settings": recorded,
        "index": None if manifest is None else {
            "generation": manifest.generation, "embedder": manifest.embedder_id,
            "documents": len(manifest.files), "chunks": sum(f.chunks for f in manifest.files.values()),
        },
    }


def _failed_result(item: EvalItem, exc: Exception, latency_ms: float) -> dict:
    """A result-format object for an item the assistant crashed on (scored as failed, run goes on)."""
    return {"id": item.id, "question": item.question, "answer": "", "refused": False, "language": item.language,
            "citations": [], "retrieved": [], "latency_ms": round(latency_ms, 1),
            "error": f"{type(exc).__name__}: {exc}"}


def answer_item(assistant, item: EvalItem) -> dict:
    """Ask one item (question + history only) and return its result object."""
    started = time.perf_counter()
    try:
        answer = assistant.ask(item.question, history=[dict(turn) for turn in item.history])
    except Exception as exc:  # one broken item must not lose the whole run
        log.exception("item %s failed", item.id)
        return _failed_result(item, exc, (time.perf_counter() - started) * 1000)
    wall_ms = (time.perf_counter() - started) * 1000
    result = answer.to_result(item.id)
    if not result.get("latency_ms"):
        result["latency_ms"] = round(wall_ms, 1)
    return result


def run_eval(
    items: list[EvalItem],
    settings: Settings | None = None,
    *,
    assistant=None,
    progress: ProgressFn | None = None,
    rules: Rules = DEFAULT_RULES,
    set_name: str = "set",
    baseline: Path | str | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> EvalRun:
    """Answer every item, score it, and (with `baseline`) compare with an earlier run.

    Pass an existing `assistant` to reuse its loaded index (the UI does); otherwise one is
    built from `settings`. `progress(done, total, item_id)` is called after each item.
    """
    settings = settings or (assistant.settings if assistant is not None else get_settings())
    if assistant is None:
        from assistant.core import Assistant

        assistant = Assistant(settings)
    started = time.perf_counter()
    meta = _run_meta(settings)
    if progress:
        progress(0, len(items), "")
    try:
        assistant.ask(WARMUP_QUESTION)
    except Exception:  # the items will show the failure; warming up is best effort
        log.exception("warm-up question failed")
    results = []
    for done, item in enumerate(items, start=1):
        results.append(answer_item(assistant, item))
        if progress:
            progress(done, len(items), item.id)
    scores = [score_item(item, result, rules) for item, result in zip(items, results)]
    meta["seconds"] = round(time.perf_counter() - started, 1)
    run = EvalRun(set_name, items, results, scores, summarise(scores, rules), meta, rules)
    if baseline is not None:
        run.comparison = compare(run, baseline, tolerance)
    return run


def compare(run: EvalRun, baseline: Path | str, tolerance: float = DEFAULT_TOLERANCE) -> Comparison:
    """Compare a run with an earlier results.jsonl or metrics.json (see `evals.compare`)."""
    return compare_scores(run.scores, load_baseline(baseline, run.items, run.rules), run.rules, tolerance)
