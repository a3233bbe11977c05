"""Incremental, atomic ingest of a corpus folder into the index."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ikc.embedders import get_embedder
from ikc.index import EmbeddingCache, FileRecord, IndexPaths, IndexWriter, index_units, read_manifest, text_hash
from ikc.settings import Settings
from ingest.chunking import Chunk, build_document, chunk_document
from ingest.clean import clean_pages
from ingest.corpus import discover, doc_meta, file_sha256, load_metadata
from ingest.pdf import BadInputError, read_source

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]


@dataclass
class IngestReport:
    """The `ikc ingest --json` object."""

    documents: int = 0
    pages: int = 0
    chunks: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    embedded: int = 0
    rebuilt: bool = False
    message: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        data = asdict(self)
        for key in ("added", "updated", "unchanged", "removed"):
            data[key] = len(data[key])
        data["files"] = {k: getattr(self, k) for k in ("added", "updated", "unchanged", "removed")}
        return data


def _noop(stage: str, done: int, total: int) -> None:
    return None


def _load_previous_chunks(data_dir: Path, generation: str) -> dict[str, list[Chunk]]:
    path = IndexPaths(data_dir).generation(generation) / "chunks.jsonl"
    by_file: dict[str, list[Chunk]] = {}
    if path.exists():
        for line in path.open(encoding="utf-8"):
            chunk = Chunk.from_dict(json.loads(line))
            by_file.setdefault(chunk.file, []).append(chunk)
    return by_file


def parse_file(path: Path, rel: str, entry: dict | None, settings: Settings) -> tuple[list[Chunk], int, dict]:
    """One file → chunks (raises BadInputError with a human reason)."""
    timings = {}
    t0 = time.perf_counter()
    source = read_source(path, settings.max_file_mb, settings.min_text_chars_per_page)
    t1 = time.perf_counter()
    meta = doc_meta(rel, entry, source.pdf_title)
    document = build_document(meta, clean_pages(source.pages))
    chunks = chunk_document(document, settings.chunk_words, settings.chunk_overlap_words)
    if not chunks:
        raise BadInputError("no text could be extracted from the file")
    timings["parse"] = t1 - t0
    timings["chunk"] = time.perf_counter() - t1
    return chunks, len(source.pages), timings


def embed_texts(texts: list[str], settings: Settings, cache: EmbeddingCache, progress: ProgressFn) -> tuple[np.ndarray, int]:
    """Vectors for all texts, from the cache where possible; returns (vectors, newly embedded)."""
    embedder = get_embedder(settings)
    hashes = [text_hash(t) for t in texts]
    cached = cache.get_many(embedder.id, list(set(hashes)))
    todo = sorted({h: t for h, t in zip(hashes, texts) if h not in cached}.items())
    batch = max(1, settings.embed_batch)
    for i in range(0, len(todo), batch):
        part = todo[i : i + batch]
        vectors = embedder.embed_passages([t for _, t in part])
        cache.put_many(embedder.id, zip([h for h, _ in part], vectors))
        cached.update({h: v for (h, _), v in zip(part, vectors)})
        progress("embed", min(i + batch, len(todo)), len(todo))
    matrix = np.stack([cached[h] for h in hashes]) if hashes else np.zeros((0, embedder.dim), np.float32)
    return matrix.astype(np.float32), len(todo)


def ingest_corpus(
    settings: Settings,
    corpus_dir: Path | None = None,
    rebuild: bool = False,
    progress: ProgressFn = _noop,
) -> IngestReport:
    """Bring the index in line with the corpus folder, touching only what changed.

    The new generation becomes visible only at the final manifest switch; any exception
    before it leaves the previous index as it was.
    """
    started = time.perf_counter()
    corpus_dir = Path(corpus_dir or settings.corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder {corpus_dir} does not exist")
    report = IngestReport()
    embedder = get_embedder(settings)
    manifest = read_manifest(settings.data_dir)
    if manifest is not None and manifest.embedder_id != embedder.id:
        report.message = (
            f"the index was built with {manifest.embedder_id}; the embedder is now {embedder.id}: "
            "rebuilding the whole index"
        )
        log.warning(report.message)
        rebuild = True
    report.rebuilt = rebuild or manifest is None

    files = discover(corpus_dir)
    metadata = load_metadata(corpus_dir)
    current = {str(p.relative_to(corpus_dir)): p for p in files}
    hashes = {rel: file_sha256(p) for rel, p in current.items()}
    previous = manifest.files if manifest else {}

    if not rebuild and manifest is not None and hashes == {k: v.sha256 for k, v in previous.items()}:
        report.unchanged = sorted(current)
        report.documents = len(previous)
        report.pages = sum(r.pages for r in previous.values())
        report.chunks = sum(r.chunks for r in previous.values())
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    old_chunks = _load_previous_chunks(settings.data_dir, manifest.generation) if manifest else {}
    records: dict[str, FileRecord] = {}
    all_chunks: list[Chunk] = []
    timings = {"parse": 0.0, "chunk": 0.0, "embed": 0.0, "write": 0.0}
    used_ids: set[str] = set()
    for n, (rel, path) in enumerate(current.items(), start=1):
        progress("read", n, len(current))
        old = previous.get(rel)
        if not rebuild and old is not None and old.sha256 == hashes[rel] and rel in old_chunks:
            records[rel] = old
            all_chunks.extend(old_chunks[rel])
            report.unchanged.append(rel)
            used_ids.add(old.doc_id)
            continue
        try:
            chunks, pages, t = parse_file(path, rel, metadata.get(rel), settings)
        except BadInputError as exc:
            report.failed.append({"file": rel, "reason": str(exc)})
            log.warning("skipped %s: %s", rel, exc)
            if old is not None and rel in old_chunks:  # keep what we had rather than lose it
                records[rel] = old
                all_chunks.extend(old_chunks[rel])
            continue
        for key in timings.keys() & t.keys():
            timings[key] += t[key]
        doc_id = chunks[0].doc_id
        if doc_id in used_ids:  # two files, same name: keep ids unique
            doc_id = f"{doc_id}-{hashes[rel][:6]}"
            for c in chunks:
                c.doc_id = doc_id
        used_ids.add(doc_id)
        first = chunks[0]
        records[rel] = FileRecord(rel, hashes[rel], doc_id, first.title, first.municipality, first.year, pages, len(chunks))
        all_chunks.extend(chunks)
        (report.updated if old is not None else report.added).append(rel)
    report.removed = sorted(set(previous) - set(current))

    cache = EmbeddingCache(IndexPaths(settings.data_dir).cache)
    writer = IndexWriter(settings.data_dir, embedder, settings.window_words)
    try:
        units = index_units(all_chunks, settings.window_words)
        t0 = time.perf_counter()
        vectors, report.embedded = embed_texts([t for _, _, t in units], settings, cache, progress)
        timings["embed"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        progress("write", 0, 1)
        writer.add(all_chunks, units, vectors)
        writer.commit(records)
        timings["write"] = time.perf_counter() - t0
        progress("write", 1, 1)
    except BaseException:
        writer.abort()
        raise
    finally:
        cache.close()
    report.documents = len(records)
    report.pages = sum(r.pages for r in records.values())
    report.chunks = len(all_chunks)
    report.timings = {k: round(v, 3) for k, v in timings.items()}
    report.seconds = round(time.perf_counter() - started, 3)
    return report
