"""Text primitives every layer shares: folding, whitespace rules, the tokenizer and the one sentence splitter.

This module imports nothing of the project, so ingest, the index, the assistant and the eval
scorer all read text the same way (a quote that matches at ingest matches in the scorer).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

BULLET = "•"

# Dutch (and a few English) abbreviations after which a full stop does not end a sentence.
# Collected from the five corpus notes and the Dutch government texts of evals/corpora.
ABBREVIATIONS = frozenset((
    "bijv", "bv", "o.a", "d.w.z", "e.d", "nr", "nrs", "art", "artt", "p", "pp", "ca", "m.b.t", "t.a.v", "i.p.v",
    "z.g.n", "zgn", "z.g", "dhr", "mevr", "mw", "drs", "dr", "prof", "ir", "ing", "mr", "jl", "evt", "incl", "excl",
    "e.g", "i.e", "etc", "vs", "cf", "ea", "e.a", "blz", "resp", "t.o.v", "m.u.v", "a.s", "st", "al", "lid", "jo",
    "stb", "stcrt", "kamerstukken", "vgl", "o.m", "m.i.v", "t/m", "c.q", "n.a.v", "i.o.m", "z.s.m", "a.u.b",
))

# A sentence ends at . ! ? … (plus closing quotes/brackets, a footnote digit and any [n] markers),
# or at [n] markers alone, when whitespace and something other than a lowercase letter follow.
_SENTENCE_END = re.compile(
    r"(?:[.!?…][\"'’”»)]*(?:\d{1,2}(?=\s+[A-ZÀ-Ý]))?(?:\s*\[\d+\])*|(?:\s*\[\d+\])+)"
    r"(?=\s+[\"'‘“(]*[^\s\[a-zà-ÿ])"
    # a web address followed by a capitalised word: the PDF ran a figure's or footnote's link into the next sentence
    r"|(?:https?://|www\.)\S+(?=\s+[A-ZÀ-Ý][a-zà-ÿ])"
)
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+")
_SMALL_NUMBER = re.compile(r"\(?\d{1,2}")  # "thema 1. Bestuurlijke …", "lid 2. De …": an enumerator, not an end

_WHITESPACE = re.compile(r"\s+")
_COORDINATION = re.compile(r"(\w)-\n[ ]*(en|of|tot|als|and|or)\b")
_SOFT_BREAK = re.compile(r"([a-zà-ÿ])-\n[ ]*([a-zà-ÿ])")
_HARD_BREAK = re.compile(r"(\w)-\n[ ]*(\w)")


def fold(text: str) -> str:
    """Lowercase without accents, for matching words whatever their spelling in a question."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def normalise_whitespace(text: str) -> str:
    """The eval contract's rule: every whitespace run (NBSP included) becomes one space."""
    return _WHITESPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def join_hyphens(text: str) -> str:
    """Undo hyphenation at line ends, keeping real hyphens and `voor- en` coordinations."""
    text = _COORDINATION.sub(r"\1- \2", text)
    text = _SOFT_BREAK.sub(r"\1\2", text)
    return _HARD_BREAK.sub(r"\1-\2", text)


def normalise_for_match(text: str) -> str:
    """Canonical form for comparing a quote with note text (hyphens joined, spaces folded)."""
    return normalise_whitespace(join_hyphens(text.replace("\r\n", "\n")))


def split_sentences(text: str, base: int = 0) -> list[tuple[int, int]]:
    """Sentence spans (offsets + `base`) inside one line or paragraph of `text`.

    One splitter for the whole project. A regex was kept over pysbd (nl) and sentencex after
    measuring them on the five notes (docs/architecture.md): pysbd was 300x slower (2.5 s vs 8 ms
    for 1,266 paragraphs) and split after "zgn." and mid-URL; the regex, with this abbreviation
    list, agreed with sentencex on all but 28 paragraphs, most of them list enumerators.
    Markers such as `[2]` stay with the sentence they follow.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start : m.start()]
        words = before.split()
        last = words[-1].strip("([\"'“‘").rstrip(".") if words else ""
        if text[m.start()] == ".":
            if last.casefold() in ABBREVIATIONS or _INITIALS.fullmatch(last + "."):
                continue
            if _SMALL_NUMBER.fullmatch(last) and len(words) <= 3:
                continue
        if not _LETTERS.search(before):  # an enumerator such as "1." is not a sentence
            continue
        spans.append((base + start, base + m.end()))
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    tail = text[start:].rstrip()
    if tail.strip():
        spans.append((base + start, base + start + len(tail)))
    return [(s, e) for s, e in spans if e > s]


def sentences(text: str) -> list[str]:
    """The sentences of a text, line by line (a line break always ends a sentence)."""
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(line[s:e].strip() for s, e in split_sentences(line))
    return [s for s in out if s]


# --- tokens ------------------------------------------------------------------------------------

_stemmer = None


def load_bm25s():
    """bm25s, imported once and quieted: it sets its own logger to DEBUG on import."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def tokenize(texts: list[str]) -> list[list[str]]:
    """Dutch Snowball stems without Dutch stopwords: the same tokens at ingest, at query time and in answers."""
    import Stemmer

    bm25s = load_bm25s()
    global _stemmer
    if _stemmer is None:
        _stemmer = Stemmer.Stemmer("dutch")
    return bm25s.tokenize(texts, stopwords="nl", stemmer=_stemmer, return_ids=False, show_progress=False)


@lru_cache(maxsize=8192)
def terms(text: str) -> tuple[str, ...]:
    """Dutch-stemmed content tokens of a text, accents folded as a question's words are ("coördinator" in a note is
    the "coordinator" a question names); numbers are kept as they stand."""
    tokens = list(tokenize([fold(text)])[0])
    numbers = re.findall(r"\d+(?:[.,]\d+)?%?", text)
    return tuple(tokens + [n for n in numbers if n not in tokens])


# A party or thing a contract, covenant or regulation names once in full and afterwards by a short name: "3. Kinderopvang
# Tierelier B.V., houder van …, hierna: de opvangorganisatie;", "Stichting Kempenwijs (hierna te noemen: het
# schoolbestuur)". Its clauses then speak of "de opvangorganisatie", never of Tierelier again.
_HEREAFTER = re.compile(r"\(?\bhierna(?:\s+(?:gezamenlijk\s+)?te\s+noemen)?\s*:?\s*[‘'\"“]?(?:de|het)\s+"
                        r"([a-zà-ÿ][a-zà-ÿ-]{3,40})\b", re.I)
_DEFINED_START = re.compile(r"(?:^|[;:]|\b\d{1,2}[.)]\s)\s*")
# The full name is the capitalised run that opens the definition's clause, up to its first comma or bracket; only its
# rare words name the party ("Tierelier", "Kempenwijs"; not "Kinderopvang" or "Stichting", which name kinds of things).
DEFINED_NAME_MAX_ZIPF = 3.0


def defined_names(text: str) -> dict[str, str]:
    """Folded rare words of a defined party's full name → the short name the text calls it by afterwards (read once
    per document and index generation: `assistant.units.UnitIndex.defined`)."""
    from wordfreq import zipf_frequency

    out: dict[str, str] = {}
    for m in _HEREAFTER.finditer(text):
        before = text[max(0, m.start() - 400):m.start()]
        starts = [s.end() for s in _DEFINED_START.finditer(before)]
        clause = before[starts[-1]:] if starts else before
        name = re.split(r"[,(]", clause, maxsplit=1)[0]
        for word in re.findall(r"\b[A-ZÀ-Ý][\wÀ-ÿ-]{3,}", name):
            folded = fold(word)
            if zipf_frequency(folded, "nl") < DEFINED_NAME_MAX_ZIPF and folded != fold(m.group(1)):
                out.setdefault(folded, fold(m.group(1)))
    return out
