"""Content terms of a text, stemmed the way the BM25 index stems them (shared by answer and grounding)."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from ikc.index import bm25_tokenize


def fold(text: str) -> str:
    """Lowercase without accents, for matching words whatever their spelling in a question."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def terms(text: str) -> tuple[str, ...]:
    """Dutch-stemmed tokens without stopwords; numbers are kept as they stand."""
    tokens = list(bm25_tokenize([text])[0])
    numbers = re.findall(r"\d+(?:[.,]\d+)?%?", text)
    return tuple(tokens + [n for n in numbers if n not in tokens])


class TermStats:
    """Document frequencies over the index's chunks, for IDF-weighted overlap."""

    def __init__(self, texts: list[str]) -> None:
        self.n = max(1, len(texts))
        df: dict[str, int] = {}
        for text in texts:
            for t in set(terms(text)):
                df[t] = df.get(t, 0) + 1
        self.df = df

    def idf(self, term: str) -> float:
        return math.log(1 + self.n / (1 + self.df.get(term, 0)))

    def known(self, term: str) -> bool:
        """In the notes' vocabulary, allowing another inflection (`verstaat`/`verstaan` stem differently)."""
        if term in self.df:
            return True
        if not hasattr(self, "_prefixes"):
            self._prefixes = {t[:n] for t in self.df for n in range(5, len(t) + 1)}
        return len(term) >= 5 and term[: max(5, len(term) - 2)] in self._prefixes

    def overlap(self, query_terms: tuple[str, ...], text_terms: tuple[str, ...]) -> float:
        """Share of the query's IDF mass found in the text (0..1)."""
        q = set(query_terms)
        if not q:
            return 0.0
        have = set(text_terms)
        total = sum(self.idf(t) for t in q)
        return sum(self.idf(t) for t in q if t in have) / total if total else 0.0
