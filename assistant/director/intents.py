"""Which guided task a chat message asks for: the instrument walkthrough, placing a situation on the
instrument, or the Lansingerland category choice. Plain patterns (Dutch and English), no models,
so the chat can check every message cheaply before retrieval.
"""

from __future__ import annotations

import re

# A clause asking where one stands on the instrument (it names at most a theme, not the situation).
LEVEL_QUESTION = re.compile(
    r"\b(?:ambitie)?niveau\w*|\blevels?\b|\b(?:welke?|in welke|which|what) (?:fase|phase)\b|waar staan|"
    r"where (?:are|do|would|should) we|where we (?:are|stand)|welke? thema|which theme|\binstrument\b|"
    r"ontwikkelinstrument|hoort daarbij|hoort hierbij|belongs?\b|scoren we|score we|plaatsen we|place us|"
    r"waar zitten we|what stage",
    re.IGNORECASE,
)
_CATEGORY = re.compile(
    r"\bcategor(?:ie|y|ieën|ies)\b|direct starten|geen belangstelling|\boriëntatie\b(?=.*\bcategor)",
    re.IGNORECASE,
)
# A described decision about becoming an IKC, followed by a question about what it means for the school:
# "Ons bestuur en de opvang hebben besloten als kindcentrum verder te gaan … Wat betekent dat voor ons?"
_IKC_DECISION = re.compile(
    r"\b(?:besloten|beslist|decided|willen|wil|want|wants|would like|kiezen|gekozen|chosen|blijven|stay|"
    r"staan achter|support)\b[^.?!]*\b(?:ikc|ikc's|kindcentrum|kindcentra)\b|"
    r"\b(?:ikc|kindcentrum)\b[^.?!]*\b(?:worden|starten|beginnen|verder|become|start|go on)\b|"
    r"\bbrede school\b[^.?!]*\b(?:blijven|houden|stay|remain|as (?:we are|it is))\b",
    re.IGNORECASE,
)
_WHAT_NOW = re.compile(
    r"wat betekent (?:dat|dit)|wat nu\b|hoe (?:nu )?verder|wat (?:moeten|kunnen|gaan) we|welke (?:route|stappen?|"
    r"volgende stap)|waar (?:vallen|horen|staan) we (?:dan|nu)?\s*(?:\?|voor)|in welke groep|"
    r"what (?:does (?:that|this)|would (?:that|this)) mean|what now|what next|what should we|what do we do|"
    r"where does (?:that|this) leave us|which route|(?:next|volgende) steps?|where do we (?:fit|fall)",
    re.IGNORECASE,
)
_WALK_VERB = re.compile(
    r"\b(?:loop|lopen|doorlopen|doorloop|neem|nemen|begeleid|begeleiden|help|helpen|walk|guide|take|go|run|start|"
    r"starten|begin|beginnen|invullen|vullen|vul|fill|complete|invul\w*)\b",
    re.IGNORECASE,
)
_WALK_OBJECT = re.compile(
    r"\b(?:ontwikkel)?instrument\w*|\bthema'?s\b.*\bniveaus?\b|\bthemes\b.*\blevels\b|\bscan\b|\bzelfevaluatie\b|"
    r"\bself-assessment\b|\bwalkthrough\b|\bstap voor stap\b|\bstep by step\b",
    re.IGNORECASE,
)
_WALK_PHRASE = re.compile(
    r"loop .*(?:met (?:me|mij|ons) )?door|walk (?:me|us) through|guide (?:me|us) through|take (?:me|us) through|"
    r"go through the (?:instrument|themes)|met (?:me|mij|ons) doorlopen|samen doorlopen|"
    r"waar (?:moeten|zullen) we beginnen|waar beginnen we|where (?:do|should) we (?:start|begin)|"
    r"bepalen waar we staan|work out where we stand|determine where we stand",
    re.IGNORECASE,
)
_STANDING = re.compile(r"waar (?:we )?staan|where we stand|the instrument|het instrument", re.IGNORECASE)
_TRAILING_QUESTION = re.compile(
    r",?\s*(?:waar staan|where (?:are|do) we|welk\w* (?:ambitie)?niveau|which level|what level|op welk)", re.IGNORECASE
)
_SITUATION_IN_QUESTION = re.compile(
    r"\b(?:een (?:ikc|locatie|kindcentrum|school)|an? (?:ikc|location|school|centre|center))\s+"
    r"(?:waar|waarbij|waarin|als|wanneer|where|when|in which|with)\s+(?:\S+\s+){3,}\S+",
    re.IGNORECASE,
)
_LEVELS_PLURAL = re.compile(r"\b(?:levels|(?:ambitie)?niveaus|fases|phases|stages)\b", re.IGNORECASE)
FIRST_PERSON = re.compile(
    r"\b(?:we|wij|ons|onze|bij ons|our|us|ik|mijn|me|mij|my|i)\b", re.IGNORECASE,
)


# "welke scholen", "which schools": a question asking for things other than a category
_ASKS_FOR_OTHER = re.compile(r"\b(?:which|welke?|hoeveel|how many)\s+(?!categor)(?!(?:one|ones|of|van|is|are|zijn)\b)\w+",
                             re.IGNORECASE)
# A sentence that asks something of the answer ("Ik wil graag het hele rijtje.", "Please list them all.") describes no
# situation.
_REQUEST_OF_ANSWER = re.compile(r"^\s*(?:ik wil graag|ik zou graag|graag|geef|noem|please|i(?:'d| would) like|i want|"
                                r"give|list)\b", re.IGNORECASE)


# A question that asks what a document says ("Welke stappen beschrijft de VNG-handreiking?") is for the notes, even
# when the sentence before it says what we want ("Als gemeente willen we beleid voor kindcentra opstellen.").
_NAMES_A_DOCUMENT = re.compile(r"\b(?:handreiking|notitie|nota|kennisnotitie|uitvoeringsprogramma|beleidsplan|document|"
                               r"guide|note|vng)\b", re.IGNORECASE)


def _asks_a_document(text: str) -> bool:
    return any(_NAMES_A_DOCUMENT.search(p) for p in re.split(r"(?<=[.!?])\s+", text.strip()) if p.endswith("?"))


def is_walkthrough_request(text: str) -> bool:
    """True for "loop het ontwikkelinstrument met me door", "walk me through the instrument",
    "welke thema's en niveaus moeten we doorlopen, en waar beginnen we?" and the like."""
    if not text or not text.strip() or is_category_question(text):
        return False
    names_instrument = bool(_WALK_OBJECT.search(text))
    if _WALK_PHRASE.search(text) and (names_instrument or _STANDING.search(text)):
        return True
    addressed = bool(FIRST_PERSON.search(text)) or bool(re.search(r"\bwalkthrough\b", text, re.IGNORECASE))
    return names_instrument and bool(_WALK_VERB.search(text)) and addressed and not is_placement_question(text)


def is_category_question(text: str) -> bool:
    """The message asks which Lansingerland category (1 Direct starten, 2 Oriëntatie, 3 Geen belangstelling) fits,
    or describes the school's decision about becoming an IKC and asks what that means for it."""
    if not text:
        return False
    if _CATEGORY.search(text):
        # "Which schools in Lansingerland have signed up as category 1?" asks for other things, about no one's
        # own situation: a question for the notes, not for the category helper
        return not (_ASKS_FOR_OTHER.search(text) and not FIRST_PERSON.search(text))
    return (bool(_IKC_DECISION.search(text)) and bool(_WHAT_NOW.search(text)) and bool(FIRST_PERSON.search(text))
            and not LEVEL_QUESTION.search(text) and not _asks_a_document(text))


def is_placement_question(text: str) -> bool:
    """The message describes a situation and asks where it stands on the instrument
    ("Bij ons heeft elke partner een eigen visie; waar staan we?")."""
    if not text or is_category_question(text):
        return False
    parts = [p.strip() for p in re.split(r"(?<=[.!?;])\s+|\s*;\s*", text.strip()) if p and p.strip()]
    asks = [p for p in parts if p.endswith("?") and LEVEL_QUESTION.search(p)]
    if asks and _LEVELS_PLURAL.search(" ".join(asks)) and not FIRST_PERSON.search(text):
        # "The development tool describes how far partners cooperate. What are the levels called?": a question about
        # the instrument's levels, in no one's situation (a director asks where *we* stand, or which level one is)
        return False
    if not asks:
        return False
    if any(not p.endswith("?") and len(p.split()) >= 4 and not _REQUEST_OF_ANSWER.match(p) for p in parts):
        return True
    # One sentence: "Bij ons heeft elke partner een eigen visie, waar staan we?"
    pieces = _TRAILING_QUESTION.split(asks[0], maxsplit=1)
    if len(pieces) > 1 and len(pieces[0].split()) >= 5 and bool(FIRST_PERSON.search(pieces[0])):
        return True
    return situation_in_question(asks[0])


def situation_in_question(text: str) -> bool:
    """The question itself describes the situation: "Welk niveau hoort bij een IKC waar de partijen ... zijn?"."""
    return bool(_SITUATION_IN_QUESTION.search(text))
