"""The en→nl vocabulary of the field (`data/glossary-en-nl.yaml`), for English questions about Dutch notes.

BM25 over Dutch stems finds nothing for "waiting list"; the glossary turns an English question's
phrases into the notes' own words (`wachtlijst`), for retrieval and for the refusal decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import simplemma
import yaml

from ikc.text import fold, terms

GLOSSARY = Path(__file__).parent / "data" / "glossary-en-nl.yaml"
WORD = re.compile(r"[a-zà-ÿ0-9]+(?:[-'’][a-zà-ÿ]+)*")
MAX_PHRASE = 4


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))["terms"]
    return {fold(k): tuple(v) for k, v in data.items()}


@lru_cache(maxsize=8192)
def lemma_en(word: str) -> str:
    return fold(simplemma.lemmatize(word, lang="en"))


def words(text: str) -> list[str]:
    """Lowercase words without accents, possessive 's dropped."""
    out = [w.strip("-'’") for w in WORD.findall(fold(text))]
    return [re.sub(r"['’]s$", "", w) for w in out if w]


@dataclass
class Span:
    """A run of question words: the glossary's Dutch for it, or None."""

    text: str
    dutch: tuple[str, ...] | None


def spans(text: str) -> list[Span]:
    """The question's words, longest glossary phrases first (matched on the words or their lemmas)."""
    gloss = glossary()
    ws = words(text)
    lemmas = [lemma_en(w) for w in ws]
    out: list[Span] = []
    i = 0
    while i < len(ws):
        for n in range(min(MAX_PHRASE, len(ws) - i), 0, -1):
            # "teaching assistants": only the head noun (the last word) takes its lemma
            head = " ".join(ws[i:i + n - 1] + [lemmas[i + n - 1]])
            dutch = gloss.get(head) or gloss.get(" ".join(lemmas[i:i + n])) or gloss.get(" ".join(ws[i:i + n]))
            if dutch:
                out.append(Span(" ".join(ws[i:i + n]), dutch))
                i += n
                break
        else:
            out.append(Span(ws[i], None))
            i += 1
    return out


def dutch_keywords(text: str) -> str:
    """The Dutch words the glossary gives for an English text (for a BM25 query)."""
    return " ".join(d for span in spans(text) if span.dutch for d in span.dutch)


@lru_cache(maxsize=1)
def inverse() -> dict[str, str]:
    """Dutch stem → the English term whose first Dutch word it is, else the shortest one naming it (single Dutch
    words only), so that `functies` finds `functie` and reads "function", not "job" ([baan, functie])."""
    best: dict[str, tuple[int, int, int, str]] = {}
    for order, (english, dutch) in enumerate(glossary().items()):
        for place, d in enumerate(dutch):
            stems = terms(d)
            if " " not in d.strip() and len(stems) == 1:
                rank = (min(place, 1), len(english), order, english)  # (on a tie the glossary's first entry)
                if stems[0] not in best or rank < best[stems[0]]:
                    best[stems[0]] = rank
    return {stem: rank[3] for stem, rank in best.items()}


def gloss(text: str, weight, limit: int = 3, min_weight: float = 3.0) -> list[tuple[str, str]]:
    """English for the most specific Dutch words of a quote, for a reader who asked in English.

    `weight(word)` says how specific a word is in the notes (an IDF); everyday words are left alone.
    """
    inv = inverse()
    folded = fold(text)
    # a phrase of three or more words the glossary gives whole ("één keer per jaar" = "once a year") is read before
    # its words, which one by one are too common to gloss (the longest one found; its offsets are the text's unless
    # folding changed the length, as a ligature "ĳ" → "ij" does, and then no phrase is read)
    phrases = next(([(text[m.start():m.end()], english)] for dutch, english in _phrases().items()
                    if len(folded) == len(text) and (m := re.search(r"\b" + re.escape(dutch) + r"\b", folded))), [])
    seen: dict[str, tuple[str, str]] = {}
    for raw in re.findall(r"[A-Za-zÀ-ÿ'’-]+", text):
        stems = terms(raw)
        english = inv.get(stems[0]) if len(stems) == 1 else None
        word = fold(raw)
        if english and english != word and stems[0] not in seen and weight(raw) >= min_weight:
            seen[stems[0]] = (raw, english)
    ranked = sorted(seen, key=lambda st: -weight(seen[st][0]))[:limit - len(phrases)]
    return sorted(phrases + [seen[st] for st in ranked], key=lambda pair: text.find(pair[0]))


@lru_cache(maxsize=1)
def _phrases() -> dict[str, str]:
    """Dutch phrase of three or more words → its English (the first glossary entry giving it), longest first."""
    out: dict[str, str] = {}
    for english, dutch in glossary().items():
        for d in dutch:
            if len(d.split()) >= 3:
                out.setdefault(fold(d), english)
    return dict(sorted(out.items(), key=lambda item: -len(item[0])))
