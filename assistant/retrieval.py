"""Hybrid retrieval: BM25 (Dutch stems) and dense (Chroma) ranked lists fused with RRF.

Two things matter for these notes beyond plain fusion: questions often name the note they
are about ("volgens de Leeuwarder notitie", "the VNG handbook"), and a multi-document
question needs each named note represented in the top passages.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from assistant.glossary import dutch_keywords
from assistant.language import detect_language
from ikc.index import IndexReader
from ikc.records import Chunk, Passage
from ikc.settings import Settings
from ikc.text import fold

log = logging.getLogger(__name__)

_GENERIC = {
    "gemeente", "notitie", "integrale", "integraal", "kindcentra", "kindcentrum", "ikc", "beleid", "visie",
    "voor", "van", "het", "de", "een", "en", "kinderen", "kind", "landelijk", "centraal", "uitvoeringsprogramma",
    "kennisnotitie", "onderwijshuisvesting", "maken", "kansen",
}


def reciprocal_rank_fusion(rankings: list[list[str]], k: int, weights: list[float] | None = None) -> dict[str, float]:
    """Cormack et al.'s RRF.

    Written out rather than imported: ranx (the maintained implementation) pulls numba and
    costs ~3 s at import, which alone would break the 3 s cold-start budget.
    """
    weights = weights or [1.0] * len(rankings)
    fused: dict[str, float] = defaultdict(float)
    for ranking, weight in zip(rankings, weights):
        for rank, key in enumerate(ranking, start=1):
            fused[key] += weight / (k + rank)
    return fused


@dataclass
class DocAliases:
    """Distinctive words that name a note in a question (municipality, id and title words)."""

    by_doc: dict[str, set[str]]

    @classmethod
    def build(cls, chunks: list[Chunk]) -> DocAliases:
        meta: dict[str, set[str]] = {}
        for c in chunks:
            if c.doc_id not in meta:
                words = re.findall(r"[a-z]{3,}", fold(f"{c.municipality} {c.doc_id} {c.title}"))
                meta[c.doc_id] = {w for w in words if w not in _GENERIC}
        counts: dict[str, int] = defaultdict(int)
        for words in meta.values():
            for w in words:
                counts[w] += 1
        return cls({doc: {w for w in words if counts[w] == 1} for doc, words in meta.items()})

    def mentioned(self, question: str) -> list[str]:
        """Docs the question names; `Asser`, `Leeuwarder`, `Lansingerlandse` count for their municipality."""
        tokens = re.findall(r"[a-z]{3,}", fold(question))
        found = []
        for doc, aliases in self.by_doc.items():
            for alias in aliases:
                need = len(alias) if len(alias) < 4 else max(4, len(alias) - 1)
                # "Asser", "Leeuwarder": another ending of the name, not a longer word ("peuteropvang" ≠ "peuters")
                if any(need <= len(t) <= len(alias) + 2 and t[:need] == alias[:need] for t in tokens):
                    found.append(doc)
                    break
        return found


class HybridRetriever:
    """Ranks chunks for a question; reads the index only through IndexReader."""

    def __init__(self, reader: IndexReader, settings: Settings) -> None:
        self.reader = reader
        self.settings = settings
        self._generation = None
        self.sync()

    def sync(self) -> None:
        """Follow the live index generation (the reader reloads after an ingest)."""
        self.reader.refresh()
        if self._generation != self.reader.manifest.generation:
            self._generation = self.reader.manifest.generation
            self.aliases = DocAliases.build(self.reader.chunks)

    def allowed(self, filters: dict | None) -> np.ndarray | None:
        """Boolean mask over windows for {"doc_id": [...]} / {"municipality": [...]} filters."""
        if not filters:
            return None
        by_id = self.reader.by_id
        mask = np.ones(len(self.reader.windows), dtype=bool)
        for key in ("doc_id", "municipality"):
            values = filters.get(key)
            if values:
                wanted = {values} if isinstance(values, str) else set(values)
                mask &= np.array([getattr(by_id[w.chunk_id], key) in wanted for w in self.reader.windows])
        return mask

    def search(self, question: str, k: int | None = None, filters: dict | None = None,
               query_vector: np.ndarray | None = None) -> list[Passage]:
        """Windows are ranked by BM25 and by e5, fused, then lifted to their chunks (small-to-big).

        `query_vector`: the question's embedding when the caller searches several times for one question."""
        self.sync()
        s = self.settings
        k = k or s.top_k
        reader = self.reader
        if not reader.windows:
            return []
        # BM25 reads Dutch stems: an English question is searched with the glossary's Dutch for its words too.
        lexical_query = question
        if detect_language(question) == "en":
            lexical_query = f"{question} {dutch_keywords(question)}"
        scores = reader.bm25_scores(lexical_query)
        mask = self.allowed(filters)
        if mask is not None:
            scores = np.where(mask, scores, -1.0)
        order = np.argsort(-scores, kind="stable")[: s.bm25_k]  # equal scores keep window order: same list every run
        bm25_ranking = [reader.windows[i].window_id for i in order if scores[i] > 0]
        query_vec = query_vector if query_vector is not None else reader.embedder.embed_query(question)
        dense = reader.dense_search(query_vec, s.dense_k, mask=mask)
        dense_sim = dict(dense)
        fused = reciprocal_rank_fusion([bm25_ranking, [wid for wid, _ in dense]], s.rrf_k, [s.bm25_weight, 1.0])
        chunk_score: dict[str, float] = defaultdict(float)
        hits: dict[str, list[tuple[int, int, float, float]]] = defaultdict(list)
        # Ties keep the fused dict's insertion order (BM25 list, then dense): stable sorts over lists that are
        # themselves the same in every process, so equal scores never reorder between runs.
        for wid, score in sorted(fused.items(), key=lambda kv: -kv[1]):
            window = reader.window_by_id[wid]
            chunk_score[window.chunk_id] = max(chunk_score[window.chunk_id], score)
            hits[window.chunk_id].append((window.start, window.end, dense_sim.get(wid, 0.0), score))
        ranked = sorted(chunk_score, key=lambda cid: -chunk_score[cid])
        allowed_docs = None if mask is None else {reader.by_id[w.chunk_id].doc_id for w, m in zip(reader.windows, mask) if m}
        named = [d for d in self.aliases.mentioned(question) if allowed_docs is None or d in allowed_docs]
        if named:
            ranked = self._favour_named(ranked, named)
        passages = []
        for cid in ranked[:k]:
            c = reader.by_id[cid]
            passages.append(Passage.from_chunk(c, chunk_score[cid], [(a, b, sim) for a, b, sim, _ in hits[cid]]))
        return passages

    def _favour_named(self, ranked: list[str], named: list[str]) -> list[str]:
        """Passages from the notes the question names come first, the best of each named note leading."""
        by_id = self.reader.by_id
        own = [cid for cid in ranked if by_id[cid].doc_id in named]
        rest = [cid for cid in ranked if by_id[cid].doc_id not in named]
        leaders = []
        for doc in named:
            first = next((cid for cid in own if by_id[cid].doc_id == doc), None)
            if first:
                leaders.append(first)
        return leaders + [cid for cid in own if cid not in leaders] + rest
