"""English words the glossary cannot put in Dutch, read by the multilingual embedder.

The glossary (assistant.glossary) covers the field's vocabulary; a user's English question will
always hold words it lacks ("shortcoming", "supervisor", "parking"). Such a word is not dropped:
the embedder that already ranks the passages (multilingual e5) places single words of the
retrieved Dutch text near it, and the nearest one (`tekortkoming`, `toezichthouder`, `parkeren`)
becomes the word's reading in this answer. A reading only ever *adds* evidence: a unit that holds
it counts the English word as present; a unit without it is judged as before (by similarity), so
a wrong reading can cost a choice, never a refusal.

Measured on 19 hand-picked English/Dutch pairs (not on any question set): the true translation
was the nearest Dutch word for 16, at cosine 0.887-0.968; misses ("fine" → `geschil`, "measure"
→ `budget`) fall below the true ones' range or within a hair of other words, hence the floor and
the margin below.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
from wordfreq import zipf_frequency

from assistant.evidence import COGNATE_PREFIX, KEY_WEIGHT
from assistant.glossary import words
from assistant.question import STOP, Analysis
from ikc.text import terms

log = logging.getLogger(__name__)

# A Dutch word is a reading of the English one only at this cosine or above (e5-small, "passage: " both sides;
# the true pairs of the probe above started at 0.887) ...
READING_FLOOR = 0.885
# ... and only when no other word of the text is this close to it: a near tie means the embedder cannot tell.
READING_MARGIN = 0.012
# Everyday Dutch words (Zipf ≥ 4.8: "gemeente" 5.4, "kinderen" 5.6, "onderwijs" 4.9) name no specific concept; they are
# not candidates (the glossary has them), which also keeps a cold question's embedding to a few hundred words.
COMMON_DUTCH = 4.8
READ_PASSAGES = 4  # the words of this many top passages (and of each named note's best) are the candidates
# Only words this rare in English (Zipf) get a reading: everyday words ("sat" 4.6, "change" 5.5, "end" 5.7) have
# many senses and the embedder reads them as noise ("sat" → `inzet`); the field's nouns are rarer ("rent" 4.6,
# "enforcement" 4.5, "supervisor" 4.0, "shortcoming" 2.6).
READING_MAX_ZIPF = 4.6
CACHE_LIMIT = 50_000  # word vectors kept in memory (~1.5 KB each)


class WordReader:
    """Finds, for an English word, the Dutch word of a text the embedder places nearest to it."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray]) -> None:
        self._embed = embed
        self._vectors: dict[str, np.ndarray] = {}

    def _vectors_of(self, items: list[str]) -> np.ndarray:
        new = [w for w in dict.fromkeys(items) if w not in self._vectors]
        if new:
            if len(self._vectors) + len(new) > CACHE_LIMIT:
                self._vectors.clear()
            for w, v in zip(new, self._embed(new)):
                self._vectors[w] = np.asarray(v, dtype=np.float32)
        return np.stack([self._vectors[w] for w in items])

    def readings(self, english: list[str], dutch_text: str) -> dict[str, str]:
        """English word → its nearest Dutch word in `dutch_text`, when it is near enough and clearly nearest."""
        candidates = sorted({w for w in words(dutch_text) if len(w) >= 4 and w.isalpha() and w not in STOP
                             and zipf_frequency(w, "nl") < COMMON_DUTCH})
        if not english or len(candidates) < 2:
            return {}
        dutch = self._vectors_of(candidates)
        out: dict[str, str] = {}
        for word, vec in zip(english, self._vectors_of(english)):
            sims = dutch @ vec
            order = np.argsort(-sims)
            top = candidates[order[0]]
            # the runner-up is the nearest word of another stem: "pedagogisch" and "pedagogiek" are one reading
            rival = next((j for j in order[1:] if candidates[j][:COGNATE_PREFIX] != top[:COGNATE_PREFIX]), None)
            best = float(sims[order[0]])
            second = float(sims[rival]) if rival is not None else 0.0
            if best >= READING_FLOOR and best - second >= READING_MARGIN:
                out[word] = top
            log.debug("reading %s → %s (%.3f, next other stem %s %.3f)", word, top, best,
                      candidates[rival] if rival is not None else "-", second)
        return out

    def read(self, analysis: Analysis, dutch_text: str) -> None:
        """Give the question's (and its parts') English concepts their Dutch reading, in place."""
        # unmapped words, and the glossed words specific enough to decide a refusal on their own: the glossary's
        # Dutch may not be the word this text uses ("supervision" → toezicht, where the text says "controle")
        concepts = [c for a in (analysis.parts or [analysis]) for c in a.concepts
                    if not c.context and not c.reading and zipf_frequency(c.word, "en") <= READING_MAX_ZIPF
                    and (c.unmapped or (c.weight >= KEY_WEIGHT and set(c.stems) != set(terms(c.word))))
                    and " " not in c.word]  # (a word that stands for itself, "IKC", "Assen", needs no reading)
        found = self.readings(sorted({c.word for c in concepts}), dutch_text)
        for c in concepts:
            if c.word in found:
                c.reading = terms(found[c.word])
