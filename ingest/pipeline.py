"""Incremental, atomic ingest of a corpus folder into the index."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ikc.embedders import Embedder, embedder_id, get_embedder
from ikc.index import (
    REBUILD_HINT,
    EmbeddingCache,
    FileRecord,
    IndexMissingError,
    IndexPaths,
    IndexReader,
    IndexShape,
    IndexWriter,
    Manifest,
    StoredDocument,
    embed_cached,
    generation_documents,
    quick_check,
    read_manifest,
    set_aside_manifest,
    set_aside_store,
    text_hash,
    writer_lock,
)
from ikc.records import ITEM, PARA, Chunk, Document, Window
from ikc.settings import Settings
from ikc.text import fold, normalise_whitespace, split_sentences
from ingest.chunking import CHUNKER_VERSION, chunk_document, chunk_windows
from ingest.clean import clean_pages
from ingest.corpus import doc_meta, file_sha256, load_metadata, scan_corpus
from ingest.pdf import BadInputError, read_source
from ingest.structure import build_document

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int], None]
# Two files are the same document when this share of their (cleaned) pages is identical: a re-export
# with a new cover date or file name is still a duplicate (issue: "≥ 95 % identical pages").
DUPLICATE_PAGE_SHARE = 0.95
# A text file (.md, .txt) is the same document as a PDF when this share of their sentences is identical (pages
# cannot be compared). The five kinds-dev2 sources written as Markdown share 0.92-0.98 of their sentences with
# their PDFs (tables and captions aside); different documents share < 0.05.
DUPLICATE_TEXT_SHARE = 0.9
# Sentences shorter than this say too little to tell documents apart ("Artikel 3", "Besluit:").
MIN_HASHED_SENTENCE_WORDS = 6
_TEXT_SUFFIXES = (".md", ".txt")


class IngestRefusedError(Exception):
    """The ingest would do harm (empty the index by accident); nothing was changed. The message says how to force it."""


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
    stored: int = 0  # window vectors written to Chroma (the rest stayed where the previous generation had them)
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
    text_hashes: list[str] = field(default_factory=list)


def _without_hint(exc: Exception) -> str:
    return str(exc).replace(f": {REBUILD_HINT}", "")


def _corrupt(exc: BaseException) -> bool:
    """Whether opening the embedded store failed because its files are damaged (not locked or unreadable)."""
    text = f"{exc} {exc.__cause__ or ''}".lower()
    return any(word in text for word in ("not a database", "malformed", "corrupt", "no such table"))


def _damage(settings: Settings, manifest: Manifest) -> str | None:
    """Why the live index cannot be opened (missing or truncated files, a lost Chroma store), or None. Checked
    from file sizes and headers when the generation allows it (ikc.index.quick_check), else by opening it."""
    quick = quick_check(settings.data_dir, manifest)
    if quick is not None:
        return quick or None
    try:
        IndexReader(settings.data_dir, get_embedder(settings), settings.chroma_url, settings.chroma_token)
    except IndexMissingError as exc:
        return _without_hint(exc)
    return None


def index_shape(settings: Settings, embedder: Embedder | None = None, dim: int = 0) -> IndexShape:
    """Every setting that shapes the index. Without `embedder`: the one the settings name, not loaded (its id from
    the settings, `dim` as given: one id is one model, so a manifest's own dim can be compared)."""
    return IndexShape(CHUNKER_VERSION, settings.chunk_words, settings.chunk_overlap_words, settings.window_words,
                      embedder.id if embedder else embedder_id(settings), embedder.dim if embedder else dim)


def _previous(settings: Settings, manifest: Manifest) -> tuple[dict[str, StoredDocument], dict[str, int]]:
    """The previous generation's documents by source file, as stored, to carry unchanged files over; and how
    many vectors each of its collections holds."""
    try:
        stored, sizes = generation_documents(settings.data_dir, manifest.generation, manifest.shape.dim)
    except (OSError, ValueError, KeyError, TypeError) as exc:  # every file is read again (vectors from the cache)
        log.warning("the previous index generation cannot be carried over (%s); every file is read again", exc)
        return {}, {}
    return {s.file: s for s in stored}, sizes


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
    windows = [w for c in chunks for w in chunk_windows(c, settings.window_words, document)]
    timings["parse"] = t1 - t0
    timings["chunk"] = time.perf_counter() - t1
    page_hashes = [text_hash(normalise_whitespace(p.text)) for p in pages if p.text.strip()]
    return Parsed(document, chunks, windows, len(source.pages), page_hashes, sentence_hashes(document)), timings


def sentence_hashes(document: Document) -> list[str]:
    """Short hashes of the document's body sentences (letters and digits only), whatever the file format made of
    its lines, markers and headings: how a Markdown or text copy of a PDF is recognised."""
    found: set[str] = set()
    for block in document.blocks:
        if block.kind not in (PARA, ITEM):
            continue
        for s, e in split_sentences(document.text[block.start : block.end], block.start):
            words = re.findall(r"[a-z0-9]+", fold(document.text[s:e]).lower())
            if len(words) >= MIN_HASHED_SENTENCE_WORDS:
                found.add(text_hash(" ".join(words))[:16])
    return sorted(found)


def _same_share(mine: set[str], theirs: set[str], share: float) -> bool:
    return bool(mine and theirs) and len(mine & theirs) >= share * max(len(mine), len(theirs))


def duplicate_of(page_hashes: list[str], seen: dict[str, list[str]], rel: str = "", text_hashes: list[str] | None = None,
                 seen_text: dict[str, list[str]] | None = None) -> str | None:
    """The file already indexed whose pages this one repeats (all, or at least 95 % of them), or, between a text
    file and a PDF, whose sentences it repeats (at least 90 % of them)."""
    mine = set(page_hashes)
    for other, hashes in seen.items():
        if _same_share(mine, set(hashes), DUPLICATE_PAGE_SHARE):
            return other
    sentences = set(text_hashes or [])
    for other, hashes in (seen_text or {}).items():
        if (rel.lower().endswith(_TEXT_SUFFIXES) != other.lower().endswith(_TEXT_SUFFIXES)) \
                and _same_share(sentences, set(hashes), DUPLICATE_TEXT_SHARE):
            return other
    return None


def ingest_corpus(
    settings: Settings,
    corpus_dir: Path | None = None,
    rebuild: bool = False,
    progress: ProgressFn = _noop,
    prune_all: bool = False,
    wait: float = 0.0,
) -> IngestReport:
    """Bring the index in line with the corpus folder, touching only what changed.

    One writer at a time: the data dir's lock is held throughout (a second writer waits `wait`
    seconds, then raises IndexBusyError naming the first one's pid). The new generation becomes
    visible only at the final manifest switch; any exception before it leaves the previous index
    as it was. A corpus without files never empties an index unless `prune_all` says so.
    """
    with writer_lock(settings.data_dir, what="ingest", wait=wait):
        return _ingest(settings, corpus_dir, rebuild, progress, prune_all)


def _ingest(settings: Settings, corpus_dir: Path | None, rebuild: bool, progress: ProgressFn,
            prune_all: bool) -> IngestReport:
    started = time.perf_counter()
    corpus_dir = Path(corpus_dir or settings.corpus_dir)
    report = IngestReport()
    notes: list[str] = []
    damaged = False
    try:
        manifest = read_manifest(settings.data_dir)
    except IndexMissingError as exc:  # never parsed again: set aside below, once the corpus checks passed
        notes.append(_without_hint(exc))
        manifest, rebuild, damaged = None, True, True
    # The shape is checked before the embedder is loaded: its id is known from the settings, and one id is one
    # model, so its dimension is the one the manifest recorded. The model is loaded only when something changed.
    shape = index_shape(settings, dim=manifest.shape.dim if manifest is not None else 0)
    if not corpus_dir.is_dir():
        kept = f"; the index's {len(manifest.files)} documents are kept" if manifest and manifest.files else ""
        raise FileNotFoundError(f"corpus folder {corpus_dir} does not exist{kept}")
    if manifest is not None and (manifest.chroma_url or None) != (settings.chroma_url or None):
        notes.append(f"the index's vectors are in {manifest.chroma_url or 'the embedded store'}, the settings say "
                     f"{settings.chroma_url or 'the embedded store'}")
        rebuild = True
    if manifest is not None and manifest.shape != shape:
        notes.append(f"the index was built with other settings ({'; '.join(manifest.shape.differences(shape))})")
        rebuild = True

    scan = scan_corpus(corpus_dir)
    metadata = load_metadata(corpus_dir)  # an unusable corpus.yaml stops here, before anything is written
    root = corpus_dir.resolve()
    # corpus.yaml's order first: of two files with the same content, the one listed first is the original
    listed = list(metadata)
    files = sorted(scan.files, key=lambda p: (listed.index(p.relative_to(root).as_posix())
                                             if p.relative_to(root).as_posix() in listed else len(listed),
                                             p.relative_to(root).as_posix()))
    current = {p.relative_to(root).as_posix(): p for p in files}
    report.failed.extend(scan.skipped)
    passed_over = {s["file"] for s in scan.skipped}
    for rel in sorted(set(metadata) - set(current) - passed_over):
        report.failed.append({"file": rel, "reason": f"listed in corpus.yaml but not found in {corpus_dir}"})
    previous = manifest.files if manifest else {}
    if not current and previous and not prune_all:
        raise IngestRefusedError(
            f"the corpus folder {corpus_dir} holds no PDF, TXT or MD files; the index's {len(previous)} documents "
            "are kept (run `ikc ingest --prune-all` to empty the index)")
    hashes = {rel: file_sha256(p) for rel, p in current.items()}

    if not rebuild and manifest is not None and hashes == {k: v.sha256 for k, v in previous.items()}:
        problem = _damage(settings, manifest)
        if problem is None:
            report.unchanged = sorted(current)
            report.documents = len(previous)
            report.pages = sum(r.pages for r in previous.values())
            report.chunks = sum(r.chunks for r in previous.values())
            report.seconds = round(time.perf_counter() - started, 3)
            return report
        notes.append(problem)
        rebuild = True
    embedder = get_embedder(settings)
    shape = index_shape(settings, embedder)
    if damaged:
        aside = set_aside_manifest(settings.data_dir)
        notes[0] += f" (set aside as {aside.name})" if aside else ""
    if rebuild and notes:
        notes[-1] += ": rebuilding the whole index"
    report.message = "; ".join(notes)
    if report.message:
        log.info(report.message)
    report.rebuilt = rebuild or manifest is None

    t0 = time.perf_counter()
    old, sizes = _previous(settings, manifest) if manifest and not rebuild else ({}, {})
    timings = {"carry": time.perf_counter() - t0, "parse": 0.0, "chunk": 0.0, "embed": 0.0, "write": 0.0}
    records: dict[str, FileRecord] = {}
    kept: dict[str, StoredDocument | Parsed] = {}
    used_ids: set[str] = set()
    seen_pages: dict[str, list[str]] = {}
    seen_text: dict[str, list[str]] = {}
    by_sha: dict[str, str] = {}

    def keep(rel: str, record: FileRecord, entry: StoredDocument | Parsed) -> None:
        records[rel] = record
        kept[rel] = entry
        used_ids.add(record.doc_id)

    # Of two files with the same content the one already indexed stays (then the one listed first in corpus.yaml:
    # the catalogue names the original before its copy, whatever the file names' alphabetical order):
    # a copy added later is the duplicate, never the note the index has been answering from. A PDF goes before a
    # text file of the same text: its pages are what citations point at.
    order = sorted(current, key=lambda rel: (not (rel in previous and previous[rel].sha256 == hashes[rel]),
                                             listed.index(rel) if rel in metadata else len(listed),
                                             rel.lower().endswith(_TEXT_SUFFIXES), rel))
    for n, (rel, path) in enumerate(((rel, current[rel]) for rel in order), start=1):
        progress("read", n, len(current))
        before = previous.get(rel)
        if hashes[rel] in by_sha:  # byte-identical to a file read above
            report.duplicates.append({"file": rel, "of": by_sha[hashes[rel]]})
            continue
        if before is not None and before.sha256 == hashes[rel] and rel in old:
            keep(rel, before, old[rel])
            by_sha[hashes[rel]] = rel
            seen_pages[rel] = list(before.page_hashes)
            seen_text[rel] = list(before.text_hashes)
            report.unchanged.append(rel)
            continue
        try:
            parsed, t = parse_file(path, rel, metadata.get(rel), settings)
        except BadInputError as exc:
            report.failed.append({"file": rel, "reason": str(exc)})
            log.debug("skipped %s: %s", rel, exc)  # reported once, by whoever shows the report
            if before is not None and rel in old:  # keep what we had rather than lose it
                keep(rel, before, old[rel])
            continue
        for key in timings.keys() & t.keys():
            timings[key] += t[key]
        original = duplicate_of(parsed.page_hashes, seen_pages, rel, parsed.text_hashes, seen_text)
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
                            len(parsed.chunks), parsed.page_hashes, parsed.text_hashes)
        keep(rel, record, parsed)
        by_sha[hashes[rel]] = rel
        seen_pages[rel] = parsed.page_hashes
        seen_text[rel] = parsed.text_hashes
        (report.updated if before is not None else report.added).append(rel)
    report.removed = sorted(set(previous) - set(current))

    cache = EmbeddingCache(IndexPaths(settings.data_dir).cache)
    try:
        try:
            writer = IndexWriter(settings.data_dir, embedder, shape, settings.chroma_url, settings.chroma_token)
        except IndexMissingError as exc:
            if settings.chroma_url or not _corrupt(exc):  # a server is not ours to reset; a busy store is not damaged
                raise
            aside = set_aside_store(settings.data_dir)  # damaged embedded store: start a fresh one beside it
            log.info("%s", exc)
            report.message = "; ".join(filter(None, [report.message, "the embedded Chroma store was damaged: set aside "
                                                     f"as {aside.name if aside else '-'}"]))
            writer = IndexWriter(settings.data_dir, embedder, shape, settings.chroma_url, settings.chroma_token)
    except BaseException:
        cache.close()
        raise
    # The generation stores files in one order whatever their history (corpus.yaml's files first, then by path),
    # so an incremental build holds the same windows in the same order as a build from scratch.
    stored = sorted(kept, key=lambda rel: (rel not in metadata, rel))
    try:
        t0 = time.perf_counter()
        todo = [rel for rel in stored if isinstance(kept[rel], Parsed)]
        texts = [w.text for rel in todo for w in kept[rel].windows]
        vectors, report.embedded = embed_cached(embedder, texts, cache, batch=settings.embed_batch,
                                                progress=lambda done, total: progress("embed", done, total))
        rows, start = {}, 0
        for rel in todo:
            rows[rel] = vectors[start : start + len(kept[rel].windows)]
            start += len(kept[rel].windows)
        timings["embed"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        progress("write", 0, 1)
        for rel in stored:
            entry = kept[rel]
            if isinstance(entry, Parsed):
                writer.add(entry.document, entry.chunks, entry.windows, rows[rel])
            else:
                writer.carry(entry, sizes.get(entry.segment or ""))
        writer.commit({rel: records[rel] for rel in stored})
        timings["write"] = time.perf_counter() - t0
        timings.update({f"write_{k}": v for k, v in writer.timings.items()})
        report.stored = writer.added
        progress("write", 1, 1)
    except BaseException:
        writer.abort()
        raise
    finally:
        cache.close()
    report.documents = len(records)
    report.pages = sum(r.pages for r in records.values())
    report.chunks = sum(r.chunks for r in records.values())
    report.timings = {k: round(v, 3) for k, v in timings.items()}
    report.seconds = round(time.perf_counter() - started, 3)
    return report
