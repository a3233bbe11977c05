"""Ingest benchmarks: fresh ingest against the bare embedder, re-ingest, one changed document,
and what the second core buys the embedder."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from bench.changes import append_text_page
from bench.context import Context
from bench.proc import Worker, run_ikc, run_worker
from bench.synth import Section, perturb

CHANGED_FILE = "pdf/lansingerland-kennisnotitie-ikc.pdf"  # the largest note: the dearest edit to re-ingest


def fresh_ingest(ctx: Context, runs: int, seed_cache: Path | None = None) -> tuple[list[dict], list[dict], Path]:
    """`runs` fresh ingests (empty data dir, empty cache unless seeded) interleaved with bare-embedder
    runs on the same texts, so both see the same machine noise. Returns the last data dir too."""
    ingests, bares = [], []
    data_dir = ctx.runs / "corpus-ingest"
    for r in range(runs):
        data_dir = ctx.fresh_dir(f"corpus-ingest-{r}")
        ctx.say(f"fresh ingest of corpus/ ({r + 1}/{runs}{', cached embeddings' if seed_cache else ''})")
        args = {"data_dir": str(data_dir), "corpus_dir": str(ctx.corpus)}
        if seed_cache:
            args["seed_cache"] = str(seed_cache)
        ingests.append(run_worker("ingest", args, ctx.logs))
        if seed_cache is None:
            ctx.say(f"bare embedder on the same windows ({r + 1}/{runs})")
            bares.append(run_worker("bare", {"corpus_dir": str(ctx.corpus)}, ctx.logs))
        if r < runs - 1:
            shutil.rmtree(data_dir, ignore_errors=True)
    return ingests, bares, data_dir


def bare_sample(ctx: Context, data_dir: Path | None, limit: int) -> dict:
    """Embedder throughput on the first `limit` windows of a built index, or of the corpus parsed when there
    is none (the quick bench's stand-in for a full bare run)."""
    ctx.say(f"bare embedder on {limit} windows")
    where = {"data_dir": str(data_dir)} if data_dir else {}
    return run_worker("bare", {"corpus_dir": str(ctx.corpus), **where, "limit": limit}, ctx.logs)


def reingest_unchanged(ctx: Context, data_dir: Path, runs: int) -> list[dict]:
    """`ikc ingest --json` on the unchanged corpus, as a user runs it (fresh process each time)."""
    out = []
    for r in range(runs):
        ctx.say(f"re-ingest unchanged via `ikc ingest` ({r + 1}/{runs})")
        wall, report = run_ikc(["ingest", "--corpus", str(ctx.corpus), "--data-dir", str(data_dir)])
        out.append({"wall_s": wall, "seconds": report["seconds"], "unchanged": report["unchanged"]})
    return out


def _new_page_text(pool: list[Section], run: int) -> str:
    """About 150 words of text the index has never seen (perturbed note paragraphs)."""
    rng = random.Random(f"changed-{run}")
    sections = [perturb(s, rng, pool, "Lansingerland") for s in rng.sample(pool, 2)]
    return "\n".join(f"{s.heading}\n{s.text}" for s in sections)


def reingest_changed(ctx: Context, data_dir: Path, pool: list[Section], runs: int,
                     changed_file: str = CHANGED_FILE) -> list[dict]:
    """One note gains a page of new text; `ikc ingest` re-reads it and re-embeds only new windows.

    Works on copies (corpus and index); between runs the original is restored and re-ingested
    (untimed), so every timed run starts from the same index with a different new page.
    """
    corpus = ctx.fresh_dir("changed-corpus")
    shutil.copytree(ctx.corpus, corpus, dirs_exist_ok=True)
    index = ctx.runs / "changed-data"
    shutil.rmtree(index, ignore_errors=True)
    shutil.copytree(data_dir, index)
    target, original = corpus / changed_file, ctx.corpus / changed_file
    base = ["ingest", "--corpus", str(corpus), "--data-dir", str(index)]
    run_ikc(base)
    out = []
    for r in range(runs):
        append_text_page(original, target, _new_page_text(pool, r))
        ctx.say(f"re-ingest with one changed note via `ikc ingest` ({r + 1}/{runs})")
        wall, report = run_ikc(base)
        out.append({"file": changed_file, "wall_s": wall, "seconds": report["seconds"], "updated": report["updated"],
                    "embedded": report["embedded"], "timings": report.get("timings", {})})
        shutil.copy(original, target)
        run_ikc(base)
    return out


def embed_parallelism(ctx: Context, limit: int, runs: int) -> dict[str, list[dict]]:
    """Embedder throughput on `limit` windows: 1 thread, 2 threads (the default), 2 processes × 1 thread."""
    results: dict[str, list[dict]] = {"1 thread": [], "2 threads": [], "2 processes × 1 thread": []}
    base = {"corpus_dir": str(ctx.corpus), "limit": limit}
    for r in range(runs):
        for threads in (1, 2):
            ctx.say(f"embedder, {threads} thread(s), {limit} windows ({r + 1}/{runs})")
            res = run_worker("bare", {**base, "settings": {"embed_threads": threads}}, ctx.logs)
            results[f"{threads} thread{'s' if threads > 1 else ''}"].append(res)
        ctx.say(f"embedder, 2 processes × 1 thread, {limit} windows ({r + 1}/{runs})")
        pair = [Worker("bare", {**base, "settings": {"embed_threads": 1}, "part": [i, 2]}, ctx.logs) for i in range(2)]
        parts = [w.result() for w in pair]
        seconds = max(p["ended_at"] for p in parts) - min(p["started_at"] for p in parts)
        texts = sum(p["texts"] for p in parts)
        results["2 processes × 1 thread"].append({"texts": texts, "seconds": seconds, "per_s": texts / seconds,
                                                  "maxrss_mb": sum(p["maxrss_mb"] for p in parts)})
    return results
