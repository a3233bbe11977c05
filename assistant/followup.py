"""Make a follow-up question standalone without an LLM, by carrying over the previous turn's topic.

"En welke van PCBO?" after "Welke IKC's van Proloog komen in aanmerking…?" becomes
"Welke IKC's van PCBO komen in aanmerking…?": the new entity replaces the one that stood
after the same preposition. Otherwise a short or elliptical question borrows the previous
question's words, as does one that points back at it ("those centres"). Which notes the conversation was about is carried over separately.
"""

from __future__ import annotations

import re

from assistant.question import POINTS_AT_PLACE

_MARKERS = re.compile(
    r"^\s*(en|ook|maar|dus|and|also|but|what about|how about|en wat|en hoe|en in|en bij|en voor|and in|and for)\b",
    re.IGNORECASE,
)
# Words that point back at the previous turn ("those centres", "hun rol"): the question leans on it.
_ANAPHORA = re.compile(r"\b(those|these|they|them|their|it|its|that|there|this|die|deze|dit|dat|daar\w*|hun|ze|zij|hen|"
                       r"hiervan|ervan|hierbij|daarbij)\b", re.IGNORECASE)
_PREPOSITIONS = ("van", "in", "bij", "voor", "door", "of", "for", "at", "by", "from", "over", "about", "with", "met")
_ENTITY = r"([A-ZÀ-Ý0-9][\w'’.\-]*(?:\s+[A-ZÀ-Ý0-9][\w'’.\-]*)*)"


ELLIPTIC_WORDS = 6  # a follow-up this short leans on the last question for its words ("En voor Huizen?", "En wat kost dat?")
MAX_THREAD = 3  # a conversation's topic is read back over at most this many user turns


def thread(history: list[dict]) -> list[str]:
    """The user's previous questions that the next follow-up leans on, most recent first: back to and including
    the last one that stood on its own ("Welke twee scenario's … Assen?" ← "En wat kost dat?" ← "Wanneer?")."""
    out: list[str] = []
    for turn in reversed(history or []):
        text = str(turn.get("content", "")).strip()
        if turn.get("role") != "user" or not text:
            continue
        out.append(text)
        if not is_followup(text) or len(out) >= MAX_THREAD:
            break
    return out


def notes_in_thread(history: list[dict], mentioned) -> list[str]:
    """The notes the conversation is about: those named in the latest question of the thread that names any."""
    return next((found for found in map(mentioned, thread(history)) if found), [])


# A longer question leans on the previous turn when it points at a place or at people only that turn names:
# "daar"/"there" as a place ("Hoeveel uur per week krijgen peuters daar?"; not "there is/are"), or a pronoun as the
# subject of the question's verb ("How many hours a week do they each work?", "Wanneer starten ze?").
_POINTS_BACK = re.compile(
    POINTS_AT_PLACE.pattern + r"|"
    r"\b(?:do|does|did|are|is|were|was|have|has|had|can|could|will|would|should|must)\s+(?:they|she|he)\b|"
    r"\b[a-zà-ÿ]{2,}(?:en|t)\s+(?:ze|zij|hij)\b(?!\s+(?:die|dat)\b)|"
    # or as the subject of a clause the question opens ("Wat gebeurt er als ze het niet eens worden?", "What if
    # they disagree?"): the people are still the last turn's
    r"\b(?:als|wanneer|indien|zodra|nadat|omdat|if|when|once|after|because|unless)\s+(?:ze|zij|hij|they|she|he)\b|"
    # a quantifier standing alone at the end distributes over what the last turn named ("How many hours a week
    # each?", "Hoeveel uur per week elk?")
    r"\b(?:each|apiece|elk|ieder|elke|iedere|per stuk)\s*[?.!]*\s*$", re.IGNORECASE)


def continues(question: str) -> bool:
    """The question says it goes on from the last turn: "En …", "And …", or it points back ("daar", "do they")."""
    return bool(_MARKERS.match(question) or _POINTS_BACK.search(question))


def is_followup(question: str) -> bool:
    words = re.findall(r"\w+", question)
    return bool(_MARKERS.match(question)) or len(words) <= 5 or bool(_POINTS_BACK.search(question))


def substitute_entity(question: str, previous: str) -> str | None:
    """Swap the entity after a shared preposition: 'En welke van X?' + '... van Y ...' → '... van X ...'."""
    for prep in _PREPOSITIONS:
        new = re.search(rf"\b{prep}\s+{_ENTITY}", question)
        old = re.search(rf"\b{prep}\s+{_ENTITY}", previous)
        if new and old and new.group(1) != old.group(1):
            return previous[: old.start(1)] + new.group(1) + previous[old.end(1) :]
    return None


def standalone(question: str, history: list[dict]) -> str:
    """The question to retrieve with: unchanged when it stands on its own."""
    earlier = thread(history)
    if not earlier or not is_followup(question):
        return question
    previous = " ".join(reversed(earlier))  # "Welke twee scenario's …? En wat kost dat?"
    elliptic = len(re.findall(r"\w+", question)) <= ELLIPTIC_WORDS
    # (only an elliptic question swaps a name into the last one: "En welke van PCBO?"; "En hoe groot was de totale pot
    # toen de regeling in 2016 begon?" asks a question of its own, not the last one "in 2016")
    swapped = substitute_entity(question, previous) if elliptic else None
    if swapped:
        return swapped
    if elliptic or _ANAPHORA.search(question):  # leans on the last turn: borrow its topic
        return f"{question} ({previous})"
    return question
