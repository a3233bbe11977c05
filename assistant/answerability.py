"""Whether the notes answer a question at all: the evidence behind the refusal decision.

Dense similarity only says that a passage is on the question's topic; an unanswerable question
about a phone number, a waiting list or a per-child norm is as close to the notes as an
answerable one. Two lexical signals say what similarity cannot:

- *unknown concepts*: the share of the question's specific terms (IDF-weighted) that the notes
  never use — across all notes, and across the notes the question names (a cao is discussed in
  one note, not in the one asked about). English questions are read through an en→nl glossary
  of the field, so "salary scale" is looked up as `salaris`/`loonschaal`.
- *missing answer slot*: a question asking for an amount or a date needs a sentence in the
  retrieved passages that holds its focus terms together with a number or a date.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import simplemma
from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN_PLUS

from assistant.glossary import glossary, lemma_en, spans, words as split_words
from assistant.retrieval import DocAliases
from assistant.terms import TermStats
from ikc.text import fold, terms
from ikc.records import Passage
from ikc.records import Chunk
from ikc.text import split_sentences


# Words that frame a question rather than say what it is about.
_FRAME = set(
    "welke welk wat wie waar wanneer hoe hoeveel waarom waardoor waarvoor volgens notitie notities gemeente gemeenten "
    "noemt noemen genoemd zegt zeggen staat staan document documenten handreiking visie kennisnotitie beschrijft "
    "beschrijven beschreven bedoelt bedoeld verstaat verstaan uitvoeringsprogramma vertel leg uit precies eigenlijk "
    "which what who whom whose where when how why according note notes handbook vision document documents "
    "municipality municipalities say says said mention mentions mentioned mean means meant describe describes "
    "described does did do give gives tell explain exactly actually also there their they them about "
    "zou zouden kan kunnen moet moeten mag mogen wil willen zal zullen heeft hebben had hadden wordt worden werd werden "
    "is zijn was waren".split()
)
_STOP = set(STOPWORDS_DUTCH) | set(STOPWORDS_EN_PLUS) | _FRAME

# What kind of value a question asks for, when it asks for one; matched at the start of a clause
# ("…, and how many …"), so that "when parents ask" inside a question is not a date question.
_ROLE = (r"directeur|directrice|wethouder|burgemeester|voorzitter|projectleider|contactpersoon|coördinator|coordinator|"
         r"director|headteacher|principal|alderman|mayor|chair|chairman|chairwoman|project leaders?|contact person")
_SLOT_QUESTIONS = {
    "money": r"hoeveel (?:kost\w*|geld|euro|budget|subsidie|besteedde?|investeerde?|betaalt|betaalde|rekent)|wat kost\w*|hoe duur|welk bedrag|"
             r"welke (?:huur|prijs|kosten)|how much (?:does|did|do|will|money|is|are) .{0,60}(?:cost|spend|spent|invest|pay|charge)\w*|"
             r"how much money|what does .{1,40} cost|what is the (?:cost|price)|what are the costs|how expensive|"
             r"what (?:rent|price|fee|amount of money)",
    "share": r"welk percentage|hoeveel procent|welk deel|welk aandeel|what percentage|what share|what proportion|what fraction",
    "amount": r"hoeveel|hoe ?veel|hoe groot|hoe lang|hoe hoog|how many|how much|how long|how large|how big|how high|"
              r"what amount|what number",
    "date": r"wanneer|in welk jaar|welk jaar|vanaf welk\w*|per welke datum|op welke datum|when|in which year|"
            r"by which year|which year|what year|by when|from when|what date|on which date",
    "person": r"(?:wie|who|welke|which|what is the name of|wat is de naam van)\b.{0,25}\b(?:" + _ROLE + r")",
    "contact": r"(?:wat|what|welk|which|hoe)\b.{0,25}\b(?:telefoonnummer|telefoon|e-?mailadres|e-?mail|adres|website|"
               r"phone number|telephone|phone|e-?mail address|address|web ?site|postcode|postal code)",
}
_CLAUSE_START = r"(?:^|[,;:(]\s*|\b(?:en|and|of|or|maar|but)\s+)(?:\w+\s+){0,2}?"
# A rate ("per kind", "per square metre") is an amount, whatever the question word.
_RATE = re.compile(r"\bper (?:\w+ )?(?:kind|leerling|uur|week|maand|jaar|dag|dagdeel|plaats|m2|m²|vierkante meter|"
                   r"child|pupil|hour|month|year|day|place|square met(?:re|er))\b", re.I)
_NUMBER_WORDS = (
    "twee drie vier vijf zes zeven acht negen tien elf twaalf twintig dertig veertig vijftig honderd duizend miljoen "
    "miljard helft kwart derde tientallen honderden "
    "two three four five six seven eight nine ten twelve twenty hundred thousand million half quarter"
).split()
_NUMBER = r"(?<![\d.])(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)?"
_AMOUNT = re.compile(_NUMBER + r"|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
_SHARE = re.compile(r"\d\s*%|\bprocent\b|\bpercent\b|\b(?:helft|kwart|derde|meerderheid|minderheid|half|quarter|third|majority)\b", re.I)
_MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"
_DATE = re.compile(r"\b(?:19|20)\d\d\b|\b(?:" + "|".join(_MONTHS.split()) + r")\b", re.I)
_MONEY = re.compile(r"€\s*\d|\d[\d.,]*\s*(?:euro|mln|miljoen|miljard)\b|\beuro\b", re.I)
# A person's name: capitalised words (tussenvoegsels allowed) or initials with a surname, not opening the sentence.
_PERSON = re.compile(r"(?<=[a-z,;:] )(?:[A-Z]\.\s?)*[A-Z][a-zé]+(?: (?:van|de|der|den|ter|ten|van de|van der))? [A-Z][a-zé]{2,}"
                     r"|\b(?:mevrouw|meneer|dhr\.|mw\.|mr\.|drs\.|dr\.)\s+[A-Z]")
_CONTACT = re.compile(r"\b0\d{1,3}[- ]?\d{6,8}\b|\b\d{2,4}[- ]\d{2,3}[- ]\d{2,4}\b|[\w.-]+@[\w-]+\.\w+|www\.|https?://|"
                      r"\b\d{4}\s?[A-Z]{2}\b")
_VALUES = {"money": _MONEY, "share": _SHARE, "amount": _AMOUNT, "date": _DATE, "person": _PERSON, "contact": _CONTACT}


def asked_slot(question: str) -> str | None:
    """The kind of value a clause of the question opens by asking for (`money`, `share`, `amount`, `date`, `person`)."""
    text = question.strip()
    for slot, pattern in _SLOT_QUESTIONS.items():
        if re.search(_CLAUSE_START + r"(?:" + pattern + r")\b", text, re.I):
            return slot
    return "amount" if _RATE.search(text) else None


def counted_nouns(question: str) -> list[str]:
    """Candidate words for what "hoeveel …"/"how many …" counts (the first content words after it)."""
    out = []
    for m in re.finditer(r"\b(?:hoeveel|how many)\s+((?:[\w'’-]+\s*){1,4})", fold(question)):
        out.extend(w for w in m.group(1).split() if len(w) >= 3 and w not in _STOP)
    return out


VERB_WEIGHT = 0.3
SLOT_FOCUS_SHARE = 0.4
GLOSSARY_MIN_WEIGHT = 2.5  # below this a term is everyday vocabulary of the notes (child, school, policy)
COMPOUND_UNKNOWN = 0.5  # how much an unknown compound of known words counts as unknown
RARE_WEIGHT = 4.0  # a term this rare in the notes is a topic of its own: missing from the named note, it is missing


def _unique(concepts: list[Concept]) -> list[Concept]:
    merged: dict[str, Concept] = {}
    for c in concepts:
        if c.stems:
            merged.setdefault(c.word, c)
    return list(merged.values())


@dataclass
class Concept:
    """One thing the question asks about: its words, the Dutch stems they stand for, and a weight."""

    word: str
    stems: tuple[str, ...]
    weight: float = 0.0
    known: bool = True
    known_named: bool = True
    verb: bool = False
    cognate: bool = False
    glossary: bool = False  # an English term read through the glossary: its Dutch words are the field's own


@dataclass
class Evidence:
    """What the refusal decision looks at."""

    dense: float = 0.0  # best passage's cosine similarity to the question
    unknown: float = 0.0  # IDF share of the question's concepts the notes never use
    slot: str | None = None  # the kind of value the question asks for (see `asked_slot`)
    slot_found: bool = True  # a retrieved sentence holds the focus terms with such a value
    missing_term: str | None = None  # an English question's glossary term that the (named) notes never use
    concepts: list[Concept] = field(default_factory=list)

    def describe(self) -> str:
        missing = [c.word for c in self.concepts if not c.known or not c.known_named]
        return (f"dense={self.dense:.3f} unknown={self.unknown:.2f} "
                f"slot={self.slot}:{self.slot_found} missing_term={self.missing_term} missing={missing}")


class Answerability:
    """Built once per index generation; `assess` runs per question in well under a millisecond."""

    def __init__(self, stats: TermStats, chunks: list[Chunk], aliases: DocAliases) -> None:
        self.aliases = aliases
        self.vocab = stats
        by_doc: dict[str, list[str]] = {}
        for c in chunks:
            by_doc.setdefault(c.doc_id, []).append(c.text)
        self.doc_vocab = {doc: TermStats(texts) for doc, texts in by_doc.items()}

    def idf(self, stem: str) -> float:
        """The notes' IDF, an unseen inflection taking the frequency of the word it inflects."""
        vocab = self.vocab
        df = vocab.df.get(stem)
        if df is None:
            k = max(5, len(stem) - 2)
            df = max((d for t, d in vocab.df.items() if t[:k] == stem[:k]), default=0) if len(stem) >= 5 else 0
        return math.log(1 + vocab.n / (1 + df))

    # --- concepts -----------------------------------------------------------------------------

    def _is_name(self, word: str) -> bool:
        return bool(self.aliases.mentioned(word))

    def concepts(self, question: str, language: str) -> list[Concept]:
        if language == "en":
            return self._english_concepts(question)
        out: list[Concept] = []
        for word in split_words(question):
            if word in _STOP or self._is_name(word) or (len(word) < 3 and not word.isdigit()):
                continue
            stems = terms(word)
            lemma = fold(simplemma.lemmatize(word, lang="nl"))
            if stems and not all(self.vocab.known(s) for s in stems):
                lemma_stems = terms(lemma)
                if lemma_stems and all(self.vocab.known(s) for s in lemma_stems):
                    stems = lemma_stems
            if stems:
                # An inflected verb (lemma an infinitive) rarely names what is asked about; nouns do.
                verb = lemma.endswith(("en", "an")) and lemma != word
                out.append(Concept(word, stems, verb=verb))
        return _unique(out)

    def _english_concepts(self, question: str) -> list[Concept]:
        """Glossary phrases (their Dutch stems), then names, acronyms and cognates."""
        names = {fold(w) for w in re.findall(r"(?<![.?!]\s)(?<!^)\b[A-Z][\w'’-]+", question.strip())}
        out: list[Concept] = []
        for span in spans(question):
            word = span.text
            if span.dutch:
                if word not in _STOP:
                    out.append(Concept(word, tuple(s for d in span.dutch for s in terms(d)), glossary=True))
                continue
            if word in _STOP or self._is_name(word) or (len(word) < 3 and not word.isdigit()):
                continue
            stems = terms(word)
            if not stems:
                continue
            if all(s in self.vocab.df for s in stems) and (len(word) >= 6 or word in names or word.isdigit()):
                # the notes use this very word (an acronym, a name, a Dutch term): evidence, but a
                # look-alike (`arrange`/`arrangement`) is not, so it never counts as missing from one note
                out.append(Concept(word, stems, cognate=True))
            elif word in names:
                out.append(Concept(word, stems))  # a name the notes may not know (another municipality)
        return _unique(out)

    # --- evidence -------------------------------------------------------------------------------

    def assess(self, question: str, language: str, passages: list[Passage]) -> Evidence:
        concepts = self.concepts(question, language)
        named = [d for d in self.aliases.mentioned(question) if d in self.doc_vocab]
        for c in concepts:
            c.known = any(self.vocab.known(s) for s in c.stems)
            c.weight = max(self.idf(s) for s in c.stems) if not c.known else min(self.idf(s) for s in c.stems if self.vocab.known(s))
            if c.verb:
                c.weight *= VERB_WEIGHT
            c.known_named = c.known and (c.cognate or not named
                                         or any(self.doc_vocab[d].known(s) for d in named for s in c.stems))
        total = sum(c.weight for c in concepts) or 1.0
        ev = Evidence(
            dense=max((h[2] for p in passages[:3] for h in p.hits), default=0.0),
            unknown=sum(c.weight * (COMPOUND_UNKNOWN if self._compound_of_known(c.word) else 1.0)
                        for c in concepts if not c.known) / total,
            concepts=concepts,
        )
        ev.missing_term = next((c.word for c in concepts if c.glossary and (
            (not c.known and c.weight >= GLOSSARY_MIN_WEIGHT) or (not c.known_named and c.weight >= RARE_WEIGHT))), None)
        ev.slot = asked_slot(question)
        if ev.slot:
            ev.slot_found = self._slot_found(question, ev.slot, concepts, passages, named)
        return ev

    def _slot_found(self, question: str, slot: str, concepts: list[Concept], passages: list[Passage],
                    named: list[str]) -> bool:
        """Some retrieved passage holds, within three sentences, the question's most specific concepts and a
        value of the asked kind; for "how many X" the number stands right before X, for "who is the
        director" the role word stands with a name."""
        usable = [c for c in concepts if c.known and not c.word.isdigit() and not c.verb]
        # Names and Dutch words inside an English question often stand in a heading, not in the sentence
        # with the value: they anchor only when nothing else does.
        focus = sorted([c for c in usable if not c.cognate] or usable, key=lambda c: -c.weight)[:3]
        need = sum(c.weight for c in focus) * SLOT_FOCUS_SHARE
        value = _VALUES[slot]
        anchor = None
        nouns = [w for w in counted_nouns(question) if not self._is_name(w)] if slot == "amount" else []
        if nouns:
            anchor = next((c.stems for c in concepts if c.word == nouns[0] or nouns[0].startswith(c.word)), None) \
                or self._stems_for(nouns[0])
        elif slot == "person":
            anchor = tuple(s for w in re.findall(_ROLE, fold(question)) for s in terms(w)) or None
        for p in passages:
            if named and p.doc_id not in named:
                continue
            sentences = [line[s:e] for line in p.text.split("\n") for s, e in split_sentences(line, 0)]
            for i in range(len(sentences)):
                unit = " ".join(sentences[max(0, i - 1):i + 2])
                if not value.search(sentences[i]):
                    continue
                have = set(terms(unit))
                if sum(c.weight for c in focus if _has(have, c.stems)) < need:
                    continue
                if anchor is None:
                    return True
                if slot == "amount" and _number_near(sentences[i], anchor):
                    return True
                if slot == "person" and _has(set(terms(sentences[i])), anchor):
                    return True
        return False

    def _compound_of_known(self, word: str) -> bool:
        """`schoolkeuze` = `school` + `keuze`: a new compound of words the notes use is half known."""
        for i in range(4, len(word) - 3):
            left, right = terms(word[:i]), terms(word[i:].lstrip("s"))
            if left and right and all(self.vocab.known(t) for t in left + right):
                return True
        return False

    def _stems_for(self, word: str) -> tuple[str, ...]:
        dutch = glossary().get(word) or glossary().get(lemma_en(word))
        return tuple(s for d in dutch for s in terms(d)) if dutch else terms(word)


def _has(have: set[str], stems: tuple[str, ...]) -> bool:
    """The stems occur, also as another inflection or as the end of a compound (`centr` in `spilcentra`)."""
    prefixes = {t[:5] for t in have if len(t) >= 5}
    return any(st in have or (len(st) >= 5 and st[:5] in prefixes)
               or (len(st) >= 4 and any(len(t) > len(st) + 2 and st in t for t in have)) for st in stems)


_AGE = re.compile(r"^(?:jaar|jarige|jarigen|maanden|year|years|months)$", re.I)


def _number_near(text: str, stems: tuple[str, ...], reach: int = 3) -> bool:
    """A count stands next to the counted noun ("22 basisscholen", "brede scholen van 450 naar 2000"); an age
    ("kinderen van 0 t/m 12 jaar") or a year is no count."""
    tokens = re.findall(r"[\wÀ-ÿ%€'’]+", text)

    def count(j: int) -> bool:
        x = tokens[j]
        is_number = _AMOUNT.fullmatch(x) or re.fullmatch(r"\d+(?:[.,]\d+)*", x)
        year = re.fullmatch(r"(?:19|20)\d\d", x)
        age = not counting_years and any(_AGE.match(t) for t in tokens[j + 1:j + 6])
        return bool(is_number) and not year and not age

    counting_years = any(_AGE.match(st) or st in ("jar", "jaar") for st in stems)

    for i, tok in enumerate(tokens):
        if _has(set(terms(tok)), stems) and any(count(j) for j in range(max(0, i - reach), min(len(tokens), i + reach + 1))):
            return True
    return False
