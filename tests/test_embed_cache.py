"""The one embed-with-cache (ikc.index.embed_cached) that ingest and the instrument's descriptors share."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ikc.embedders import get_embedder
from ikc.index import EmbeddingCache, IndexPaths, embed_cached, embed_in_data_dir
from ikc.settings import Settings

TEXTS = ["Een integraal kindcentrum biedt onderwijs en opvang onder één dak.",
         "De gemeente stelt een huisvestingsplan op.",
         "Een integraal kindcentrum biedt onderwijs en opvang onder één dak.",  # the same text again
         "Ouders kiezen zelf de opvang."]


class CountingEmbedder:
    """The real embedder, counting what it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner, self.id, self.dim, self.seen = inner, inner.id, inner.dim, []

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.seen.append(list(texts))
        return self.inner.embed_passages(texts)


@pytest.fixture(scope="module")
def embedder():
    return get_embedder(Settings())


def test_each_distinct_text_is_embedded_once_and_then_read_from_the_cache(tmp_path: Path, embedder) -> None:
    counting = CountingEmbedder(embedder)
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    progress = []
    vectors, embedded = embed_cached(counting, TEXTS, cache, batch=2, progress=lambda d, t: progress.append((d, t)))
    assert embedded == 3 and [len(b) for b in counting.seen] == [2, 1] and progress == [(2, 3), (3, 3)]
    assert vectors.shape == (4, embedder.dim) and vectors.dtype == np.float32
    assert np.array_equal(vectors[0], vectors[2]) and not np.array_equal(vectors[0], vectors[1])
    assert np.allclose(vectors, embedder.embed_passages(TEXTS), atol=1e-6)  # in the order of the texts

    counting.seen.clear()
    again, embedded = embed_cached(counting, TEXTS[::-1] + ["Nieuw: een tweede locatie."], cache)
    assert embedded == 1 and counting.seen == [["Nieuw: een tweede locatie."]]
    assert np.array_equal(again[:4], vectors[::-1])
    cache.close()


def test_the_cache_is_per_embedder(tmp_path: Path, embedder) -> None:
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    embed_cached(embedder, TEXTS, cache)
    other = CountingEmbedder(embedder)
    other.id = "another/model"
    _, embedded = embed_cached(other, TEXTS, cache)
    assert embedded == 3
    cache.close()


def test_data_dir_cache_is_reused_and_a_broken_data_dir_still_embeds(tmp_path: Path, embedder) -> None:
    counting = CountingEmbedder(embedder)
    first = embed_in_data_dir(counting, TEXTS, tmp_path / "data")
    assert IndexPaths(tmp_path / "data").cache.exists()
    second = embed_in_data_dir(counting, TEXTS, tmp_path / "data")
    assert len(counting.seen) == 1 and np.array_equal(first, second)

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")  # the cache cannot be created under it (root ignores chmod)
    vectors = embed_in_data_dir(counting, TEXTS, blocked)
    assert np.array_equal(vectors, first) and len(counting.seen) == 2
    with pytest.raises(OSError):
        EmbeddingCache(IndexPaths(blocked).cache)
