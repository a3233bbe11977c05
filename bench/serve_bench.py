"""Answering benchmarks: cold start, warm `ask` latency split into retrieval and composition,
peak RSS, and retrieval quality of the product next to the tutorial pipeline."""

from __future__ import annotations

from pathlib import Path

from bench.context import Context
from bench.proc import run_worker


def serve(ctx: Context, data_dir: Path, passes: int, results: bool = True,
          settings: dict | None = None, budget_s: float | None = None) -> dict:
    """One serving process: cold start to the first answer, then `passes` warm passes over the set
    (cut short after `budget_s` seconds of warm answering, for the quick bench)."""
    ctx.say(f"serving process{' ' + str(settings) if settings else ''}: cold start, then {passes} warm pass(es) "
            f"over {ctx.question_set.name}")
    return run_worker("serve", {"data_dir": str(data_dir), "set": str(ctx.question_set), "passes": passes,
                                "results": results, "settings": settings or {}, "budget_s": budget_s},
                      ctx.logs)


def cold_starts(ctx: Context, data_dir: Path, runs: int) -> list[dict]:
    """Extra fresh processes that stop after their first answer (for the spread of cold starts)."""
    out = []
    for r in range(runs):
        ctx.say(f"cold start ({r + 1}/{runs})")
        out.append(run_worker("serve", {"data_dir": str(data_dir), "set": str(ctx.question_set), "cold_only": True},
                              ctx.logs))
    return out


def naive(ctx: Context) -> dict:
    ctx.say("tutorial pipeline (1000/200 splitter + Chroma + all-MiniLM-L6-v2)")
    persist = ctx.fresh_dir("naive-chroma")
    return run_worker("naive", {"corpus_dir": str(ctx.corpus), "set": str(ctx.question_set),
                                "persist_dir": str(persist), "k": 8}, ctx.logs)


def retrieval_quality(set_path: Path, results: list[dict]) -> dict:
    """hit@1, hit@5, MRR and recall@5 with the project's own eval scorer (evals/metrics.py)."""
    from evals.metrics import aggregate, score_results
    from evals.sets import load_set

    metrics, counts = aggregate(score_results(load_set(set_path), results))
    return {"hit@1": metrics["hit@1"], "hit@5": metrics["hit@5"], "mrr": metrics["mrr"],
            "recall@5": metrics["recall@5"], "with_gold": counts["with_gold"],
            "depth": max((len(r.get("retrieved") or []) for r in results), default=0)}
