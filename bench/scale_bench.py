"""Scale: synthetic corpora of growing size — ingest time, index size, query latency, memory.

See bench/synth.py for how the documents are built so that only a measured fraction of
their text needs embedding. The pool's embedding cache is kept under the work dir's
`cache/` between runs (keyed by the pool's content), so a second `make bench` skips it.
Per size: a fresh ingest, an unchanged re-ingest, `changed_runs` re-ingests with one document
changed (incremental generations), and a serving process.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import time
from dataclasses import asdict
from pathlib import Path

from bench.context import Context
from bench.proc import run_worker
from bench.synth import Section, SynthSpec, build_corpus, perturb, pool_corpus
from ingest.corpus import discover
from ingest.pdf import read_source


def _pool_key(pool: list[Section], spec: SynthSpec) -> str:
    digest = hashlib.sha1()
    for s in pool:
        digest.update(s.render().encode())
    digest.update("|".join(spec.places).encode())
    return digest.hexdigest()[:12]


def pool_cache(ctx: Context, pool: list[Section], spec: SynthSpec) -> tuple[Path, dict]:
    """The embedding cache holding every unperturbed (place, section) window; built once."""
    cache = ctx.cache / f"pool-{_pool_key(pool, spec)}.sqlite"
    record = cache.with_suffix(".json")
    if cache.exists() and record.exists():
        ctx.say(f"scale: reusing pool embedding cache {cache.name}")
        return cache, {**json.loads(record.read_text()), "reused": True}
    corpus = ctx.fresh_dir("pool-corpus")
    stats = pool_corpus(corpus, pool, spec)
    data = ctx.fresh_dir("pool-data")
    ctx.say(f"scale: embedding the section pool once ({stats.sections} sections)")
    result = run_worker("ingest", {"data_dir": str(data), "corpus_dir": str(corpus)}, ctx.logs)
    ctx.cache.mkdir(parents=True, exist_ok=True)
    shutil.copy(data / "index" / "embedding-cache.sqlite", cache)
    record.write_text(json.dumps(result))
    shutil.rmtree(data, ignore_errors=True)
    return cache, {**result, "reused": False}


def scale(ctx: Context, pool: list[Section], spec: SynthSpec, sizes: list[int], passes: int,
          changed_runs: int = 3) -> dict:
    """Per size: a fresh ingest seeded with the pool cache, re-ingests, then a serving process on that index."""
    cache, warm = pool_cache(ctx, pool, spec)
    rows = []
    for size in sizes:
        corpus = ctx.fresh_dir(f"synth-{size}")
        stats = build_corpus(corpus, pool, size, spec)
        data = ctx.fresh_dir(f"synth-{size}-data")
        ctx.say(f"scale: ingest {size} synthetic documents ({stats.sections} sections, {stats.perturbed} perturbed)")
        ingest = run_worker("ingest", {"data_dir": str(data), "corpus_dir": str(corpus), "seed_cache": str(cache)},
                            ctx.logs)
        ctx.say(f"scale: re-ingest {size} documents, unchanged and with one document changed")
        again = {"data_dir": str(data), "corpus_dir": str(corpus)}
        unchanged = run_worker("ingest", again, ctx.logs)
        changed = []
        for run in range(changed_runs):  # a different document each time, each gaining a different new section
            extend_document(corpus / f"synth-{(run * 37) % size:04d}.txt", pool, spec, run)
            changed.append(run_worker("ingest", again, ctx.logs))
        ctx.say(f"scale: serving {size} documents ({passes} pass(es) over the question set)")
        served = run_worker("serve", {"data_dir": str(data), "set": str(ctx.question_set), "passes": passes},
                            ctx.logs)
        rows.append({"documents": size, "corpus": asdict(stats), "ingest": ingest, "serve": served,
                     "unchanged": unchanged, "changed": changed})
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(corpus, ignore_errors=True)
    notes = real_notes(ctx.corpus)
    return {"spec": asdict(spec), "pool_sections": len(pool), "pool_warm": warm, "rows": rows,
            "real_words_per_doc": notes["words_per_doc"], "real": notes}


def extend_document(path: Path, pool: list[Section], spec: SynthSpec, run: int = 0) -> None:
    """Append one perturbed section (new text) to a synthetic document: a small edit to re-ingest."""
    rng = random.Random(f"{spec.seed}-edit-{run}")
    place = spec.places[0]
    section = perturb(rng.choice(pool), rng, pool, place)
    path.write_text(path.read_text(encoding="utf-8") + "\n" + section.render(), encoding="utf-8")


def real_notes(corpus_dir: Path) -> dict:
    """The real notes' length (words per document and per page, to say how the synthetic documents compare and
    what a page is) and pypdf's parsing time per page (to project the synthetic plain-text corpora to PDFs)."""
    files = discover(corpus_dir)
    t0 = time.perf_counter()
    sources = [read_source(path, 50) for path in files]
    parse_s = time.perf_counter() - t0
    pdf_pages = sum(len(s.pages) for s, path in zip(sources, files) if path.suffix.lower() == ".pdf")
    pages = sum(len(s.pages) for s in sources)
    words = sum(len(page.text.split()) for s in sources for page in s.pages)
    return {"documents": len(files), "pages": pages, "words_per_doc": words / max(len(files), 1),
            "words_per_page": words / max(pages, 1), "parse_s_per_page": parse_s / max(pdf_pages, 1)}


def real_words_per_doc(corpus_dir: Path) -> float:
    """Mean length of the real notes (words per document)."""
    return real_notes(corpus_dir)["words_per_doc"]
