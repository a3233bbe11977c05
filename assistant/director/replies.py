"""Short answers a director types (ja / nee / misschien, yes / no / maybe): one word list for the
walkthrough's confirmations and the category interview's questions, so both read a reply alike.
"""

from __future__ import annotations

import re

YES, NO, MAYBE = "yes", "no", "maybe"

YES_WORDS = ("ja", "jazeker", "zeker", "klopt", "akkoord", "ok", "oké", "okay", "prima", "goed", "bevestig",
             "absoluut", "yes", "yep", "sure", "definitely", "correct", "right", "confirm")
NO_WORDS = ("nee", "neen", "klopt niet", "niet", "geen", "no", "nope", "not", "wrong", "incorrect")
# Hedges are read first, so "not sure" and "nog niet" are not a plain no.
MAYBE_WORDS = ("misschien", "twijfel", "weet niet", "weet ik niet", "deels", "gedeeltelijk", "beetje", "nog niet",
               "maybe", "partly", "partially", "not sure", "unsure", "don't know", "not yet")


# "I don't know": an answer that leaves a question open (the category interview keeps the criterion unknown,
# never a no). Read before the hedges, which would take "weet niet" as a maybe.
DONT_KNOW = re.compile(r"^(?:(?:dat )?weet ik (?:het |dat )?(?:nog )?niet|weet (?:het |ik )?(?:nog )?niet|onbekend|"
                       r"geen idee|nog onbekend|(?:i )?(?:don't|do not) know(?: yet)?|unknown|no idea|not known)\W*$",
                       re.IGNORECASE)


def is_dont_know(text: str) -> bool:
    """Is this whole reply "weet ik niet" / "don't know"?"""
    return bool(DONT_KNOW.match(re.sub(r"\s+", " ", (text or "").strip())))


def _pattern(words: tuple[str, ...], whole: bool) -> re.Pattern:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    tail = r"\W*$" if whole else r"(?![\w'])"
    return re.compile(rf"^(?:{alternatives}){tail}", re.IGNORECASE)


_PATTERNS = {whole: [(MAYBE, _pattern(MAYBE_WORDS, whole)), (NO, _pattern(NO_WORDS, whole)),
                     (YES, _pattern(YES_WORDS, whole))] for whole in (True, False)}


def read_reply(text: str, whole: bool = False) -> str | None:
    """YES, NO or MAYBE for a reply that starts with one of the words (with `whole`: that is all of it), else None."""
    value = re.sub(r"\s+", " ", (text or "").strip())
    for kind, pattern in _PATTERNS[whole]:
        if pattern.match(value):
            return kind
    return None
