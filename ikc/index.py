"""The one definition of the index: layout on disk, collections, metadata schema, manifest.

Ingest writes through `IndexWriter`, the assistant reads through `IndexReader`; nobody else
touches Chroma or the BM25 files. Each build is a *generation*: its own Chroma collection
and its own folder (documents, chunks, windows, BM25). Windows are written, never recomputed:
the BM25 rows, the Chroma ids and `windows.jsonl` share their ids and order. The manifest
names the live generation and every setting that shaped it, and is replaced atomically, so a
crash mid-ingest leaves the previous generation answering.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

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


class IndexMissingError(RuntimeError):
    """No complete, readable index exists under the data dir (the message says what to run)."""


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

    def generation(self, gen: str) -> Path:
        return self.generations / gen


def read_manifest(data_dir: Path) -> Manifest | None:
    path = IndexPaths(data_dir).manifest
    if not path.exists():
        return None
    return Manifest.from_json(path.read_text(encoding="utf-8"))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + f".tmp-{os.getpid()}")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def chroma_client(data_dir: Path):
    """A PersistentClient with telemetry off; one per data dir per process."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    paths = IndexPaths(data_dir)
    paths.chroma.mkdir(parents=True, exist_ok=True)
    key = str(paths.chroma.resolve())
    with _clients_lock:
        if key not in _clients:
            _clients[key] = chromadb.PersistentClient(
                path=key, settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False)
            )
        return _clients[key]


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
        self._db = sqlite3.connect(str(path), timeout=30)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (embedder TEXT, hash TEXT, vec BLOB, PRIMARY KEY (embedder, hash))"
        )

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
    text is embedded once, in hash order, so the batches do not depend on the order texts come in.
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
    todo = sorted({h: t for h, t in zip(hashes, texts) if h not in cached}.items())
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
    """Builds a new generation beside the live one; `commit()` makes it live in one rename."""

    def __init__(self, data_dir: Path, embedder: Embedder, shape: IndexShape) -> None:
        self.data_dir = Path(data_dir)
        self.paths = IndexPaths(self.data_dir)
        self.embedder = embedder
        self.shape = shape
        self.generation = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.dir = self.paths.generation(self.generation)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.client = chroma_client(self.data_dir)
        self.collection = self.client.create_collection(
            name=COLLECTION_PREFIX + self.generation,
            embedding_function=chroma_embedding_function(embedder),
            metadata={"hnsw:space": "cosine", "embedder_id": embedder.id, "dim": embedder.dim},
        )
        self.documents: list[Document] = []
        self.chunks: list[Chunk] = []
        self.windows: list[Window] = []

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

    def commit(self, files: dict[str, FileRecord]) -> Manifest:
        """Write documents, chunks, windows and BM25, then switch the manifest; old generations are pruned."""
        bm25s = load_bm25s()
        _write_jsonl(self.dir / "documents.jsonl", (d.to_dict() for d in self.documents))
        _write_jsonl(self.dir / "chunks.jsonl", (c.to_dict() for c in self.chunks))
        _write_jsonl(self.dir / "windows.jsonl", (w.to_dict() for w in self.windows))
        if self.windows:
            retriever = bm25s.BM25()
            retriever.index(tokenize([w.text for w in self.windows]), show_progress=False)
            retriever.save(str(self.dir / "bm25"))
        manifest = Manifest(generation=self.generation, shape=self.shape, created=time.time(), files=files)
        previous = read_manifest(self.data_dir)
        _write_atomic(self.paths.manifest, manifest.to_json())
        prune_generations(self.data_dir, keep={manifest.generation} | ({previous.generation} if previous else set()))
        return manifest

    def abort(self) -> None:
        """Remove the half-built generation (the live one is untouched)."""
        try:
            self.client.delete_collection(COLLECTION_PREFIX + self.generation)
        except Exception:  # already gone or never created
            log.debug("collection for %s not deleted", self.generation, exc_info=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def prune_generations(data_dir: Path, keep: set[str]) -> None:
    """Delete every generation not in `keep` (the live one and its predecessor), half-built ones included."""
    paths = IndexPaths(data_dir)
    client = chroma_client(data_dir)
    collections = {c.name[len(COLLECTION_PREFIX):] for c in client.list_collections()
                   if c.name.startswith(COLLECTION_PREFIX)}
    folders = {p.name for p in paths.generations.glob("*")}
    for gen in (collections | folders) - keep:
        if gen in collections:
            client.delete_collection(COLLECTION_PREFIX + gen)
        shutil.rmtree(paths.generation(gen), ignore_errors=True)


# --- reading ----------------------------------------------------------------------------------


class IndexReader:
    """A loaded snapshot of the live generation: chunk table, BM25 and the Chroma collection."""

    def __init__(self, data_dir: Path, embedder: Embedder) -> None:
        self.data_dir = Path(data_dir)
        self.paths = IndexPaths(self.data_dir)
        self.embedder = embedder
        self._lock = threading.Lock()
        self.manifest: Manifest | None = None
        self._load()

    def _load(self) -> None:
        bm25s = load_bm25s()
        manifest = read_manifest(self.data_dir)
        if manifest is None:
            raise IndexMissingError(f"no index under {self.data_dir}; run `ikc ingest` first")
        if manifest.embedder_id != self.embedder.id:
            raise IndexMissingError(
                f"the index was built with {manifest.embedder_id}, but the embedder now is {self.embedder.id}; "
                "run `ikc ingest` to rebuild it"
            )
        gen_dir = self.paths.generation(manifest.generation)
        try:
            documents, chunks, windows = generation_records(self.data_dir, manifest.generation)
            bm25 = bm25s.BM25.load(str(gen_dir / "bm25")) if windows else None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexMissingError(
                f"the index generation {manifest.generation} is incomplete or damaged ({type(exc).__name__}): "
                "run `ikc ingest --rebuild`") from exc
        if bm25 is not None and int(bm25.scores["num_docs"]) != len(windows):
            raise IndexMissingError(
                f"the index is inconsistent (BM25 has {bm25.scores['num_docs']} rows for {len(windows)} windows): "
                "run `ikc ingest --rebuild`")
        collection = chroma_client(self.data_dir).get_collection(
            manifest.collection, embedding_function=chroma_embedding_function(self.embedder)
        )
        self.manifest, self.chunks, self.windows = manifest, chunks, windows
        self.bm25, self.collection = bm25, collection
        self.documents = {d.meta.doc_id: d for d in documents}
        self.by_id = {c.chunk_id: c for c in chunks}
        self.window_by_id = {w.window_id: w for w in windows}
        self._mtime = self.paths.manifest.stat().st_mtime_ns

    def refresh(self) -> bool:
        """Reload when ingest switched generations; returns whether it did."""
        try:
            mtime = self.paths.manifest.stat().st_mtime_ns
        except FileNotFoundError:
            return False
        if mtime == self._mtime:
            return False
        with self._lock:
            if mtime != self._mtime:
                self._load()
                return True
        return False

    def bm25_scores(self, query: str) -> np.ndarray:
        """BM25 score of every window (same order as `self.windows`)."""
        if self.bm25 is None:
            return np.zeros(0, dtype=np.float32)
        tokens = [t for t in tokenize([query])[0] if t in self.bm25.vocab_dict]
        if not tokens:
            return np.zeros(len(self.windows), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(tokens), dtype=np.float32)

    def dense_search(self, query_vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(window id, cosine similarity) best first, through Chroma."""
        if not self.windows:
            return []
        result = self.collection.query(
            query_embeddings=[query_vector], n_results=min(k, len(self.windows)), where=where or None,
            include=["distances"],
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0])]
