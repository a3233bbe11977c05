"""Term statistics over the index (IDF-weighted overlap); the terms themselves come from ikc.text."""

from __future__ import annotations

import math

from ikc.text import fold, terms

__all__ = ["TermStats", "fold", "terms"]


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
