"""Which language a question is in (nl or en): the answer is written in that language."""

from __future__ import annotations

import re

from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN_PLUS
from wordfreq import zipf_frequency

# Function words of both languages (bm25s's Snowball Dutch list and its NLTK English list), plus the words a question
# about the notes opens or refers with. Only these vote: an English question names Dutch terms and titles ("Until when
# did the Subsidieregeling pilots startgroepen voor peuters stay in force?"), so content words say little.
_FUNCTION = frozenset(STOPWORDS_DUTCH) | frozenset(STOPWORDS_EN_PLUS) | {
    "wat", "welke", "hoe", "waarom", "wie", "waar", "wanneer", "hoeveel", "zijn", "wordt", "volgens", "notitie",
    "gemeente", "what", "which", "how", "why", "who", "where", "when", "according", "does", "note", "municipality"}
# A word votes for the language it is more frequent in (wordfreq, Zipf) by at least this much; closer, it is
# shared ("we" 6.6 nl / 6.5 en, "want" 5.7 / 6.0, "in", "is"). The old fixed lists let "the" (English) and "voor"
# (Dutch) tie, because "when", "did" and "until" were missing from the shorter English list.
_TIE = 0.5


def _vote(word: str) -> int:
    gap = zipf_frequency(word, "en") - zipf_frequency(word, "nl")
    return 0 if abs(gap) < _TIE else (1 if gap > 0 else -1)


def detect_language(text: str, default: str = "nl") -> str:
    """Function-word vote; ties go to Dutch, the language of the notes."""
    score = sum(_vote(w) for w in re.findall(r"[a-zà-ÿ']+", text.lower()) if w in _FUNCTION)
    if score > 0:
        return "en"
    if score < 0:
        return "nl"
    return default
