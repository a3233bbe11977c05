"""Which language a question is in (nl or en): the answer is written in that language."""

from __future__ import annotations

import re

from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN

_NL = set(STOPWORDS_DUTCH) | {"wat", "welke", "hoe", "waarom", "wie", "waar", "zijn", "wordt", "volgens", "notitie", "gemeente"}
_EN = set(STOPWORDS_EN) | {"what", "which", "how", "why", "who", "where", "according", "does", "note", "municipality"}
_SHARED = _NL & _EN


def detect_language(text: str, default: str = "nl") -> str:
    """Stopword vote; ties go to Dutch, the language of the notes."""
    words = re.findall(r"[a-zà-ÿ']+", text.lower())
    nl = sum(1 for w in words if w in _NL and w not in _SHARED)
    en = sum(1 for w in words if w in _EN and w not in _SHARED)
    if en > nl:
        return "en"
    if nl > en:
        return "nl"
    return default
