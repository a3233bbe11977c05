"""Does a quotable unit answer the question? The evidence behind both choosing a unit and refusing.

Three kinds of evidence, each readable in an answer's log line:
- *focus*: the share of the question's concepts (weighted by their specificity in the language,
  see assistant.question) that the unit or the heading it stands under holds, allowing other
  inflections, compounds and synonyms (maximaal ~ ten hoogste);
- *value*: a question asking for an amount, money, a share, a date, a person or contact details
  needs a value of that kind in the unit (for "how many X", a number next to X);
- *similarity*: the embedder's similarity of the unit's windows to the question; it is the only
  judge of English words the glossary cannot put in Dutch.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.question import (
    DEFINITION,
    FRAME,
    FUNCTION_WORDS,
    LIST,
    MONEY_NOUNS,
    PROCEDURE,
    REASON,
    ROLE,
    STOP,
    VALUE,
    WHICH_BODY,
    YES_NO,
    Analysis,
    Concept,
    compound_parts,
    lemma_nl,
)
from ikc.text import fold, terms

SYNONYMS = Path(__file__).parent / "data" / "synonyms-nl.yaml"

_NUMBER_WORDS = (
    "één twee drie vier vijf zes zeven acht negen tien elf twaalf twintig dertig veertig vijftig honderd duizend miljoen "
    "miljard helft kwart derde tientallen honderden "
    "two three four five six seven eight nine ten twelve twenty hundred thousand million half quarter"
).split()
_NUMBER = r"(?<![\d.])(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)?"
# (a multiple is an amount too: "levert de samenleving het viervoudige op", "een tienvoudig rendement")
_AMOUNT = re.compile(_NUMBER + r"|\b(?:" + "|".join(_NUMBER_WORDS) + r"|\w+voudige?n?|(?:two|three|four|five|ten)fold)\b", re.I)
_SHARE = re.compile(r"\d\s*%|\bprocent\b|\bpercent\b|\b(?:helft|kwart|derde|meerderheid|minderheid|half|quarter|third|"
                    r"majority)\b", re.I)
_MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_DATE = re.compile(YEAR.pattern + r"|\b(?:" + "|".join(_MONTHS.split()) + r")\b", re.I)
_MONEY = re.compile(r"€\s*\d|\d[\d.,]*\s*(?:euro|mln|miljoen|miljard)\b|\beuro\b", re.I)
_PERSON = re.compile(r"(?<=[a-z,;:] )(?:[A-Z]\.\s?)*[A-Z][a-zé]+(?: (?:van|de|der|den|ter|ten|van de|van der))? "
                     r"[A-Z][a-zé]{2,}|\b(?:mevrouw|meneer|dhr\.|mw\.|mr\.|drs\.|dr\.)\s+[A-Z]")
_CONTACT = re.compile(r"\b0\d{1,3}[- ]?\d{6,8}\b|\b\d{2,4}[- ]\d{2,3}[- ]\d{2,4}\b|[\w.-]+@[\w-]+\.\w+|www\.|https?://|"
                      r"\b\d{4}\s?[A-Z]{2}\b")
# A Dutch passive ("worden gemonitord en geëvalueerd") says what is done, and who does it only with "door …".
_PARTICIPLE = r"(?:ge[\wëé]+(?:d|t|en)|[\wëé]+eerd)"  # "gemonitord", "geschreven", "geëvalueerd", "gecoördineerd"
_PASSIVE = re.compile(r"\b(?:wordt|worden|werd|werden)\b(?:\s+[\w’'-]+){0,8}?\s+" + _PARTICIPLE + r"\b", re.I)
_AGENT = re.compile(r"\bdoor\b", re.I)
# An agent the text names: a participle's "door" ("geschreven door Sardes", "opgesteld door een extern bureau") or a
# name after it ("door Sardes"); not "door" as a means ("Dit gebeurde onder meer door masterclasses").
_AGENT_NAMED = re.compile(r"\b" + _PARTICIPLE + r"\s+door\b|\bdoor\s+(?:de\s+|het\s+)?[A-Z]")
# A time of day ("7.00 – 19.00 uur", "8:30", "half negen") and an age ("2,5 tot 4 jaar", "0-4 jaar", "4-jarigen").
# (a clock time is a number of its own: "9.40" inside "€ 9.400.000" or "1.960 m²" is none)
_TIME_SPAN = re.compile(r"(?<![\d.,€])\b(?:[01]?\d|2[0-3])[.:][0-5]\d(?!\d)(?![.,]\d)(?:\s*(?:uur|u\.?|h|am|pm|a\.m\.|p\.m\.))?"
                        r"(?:\s*(?:-|–|tot|to|until)\s*(?:[01]?\d|2[0-3])[.:][0-5]\d(?:\s*(?:uur|u\.?|h|am|pm))?)?|"
                        r"\b(?:[01]?\d|2[0-3])\s*(?:-|–|tot|to)\s*(?:[01]?\d|2[0-3])\s*uur\b|\b(?:[1-9]|1[0-2])\s*(?:am|pm)\b",
                        re.I)
# An age is a number of years up to childhood's end, in digits or in words ("tot het kind vier jaar wordt").
_AGE_NUMBER = (r"(?:\d{1,2}(?:[.,]5)?|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|"
               r"vijftien|zestien|zeventien|achttien|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
               r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen)")
_AGE_SPAN = re.compile(r"\b" + _AGE_NUMBER + r"\s*(?:-|–|tot(?: en met)?|t/m|à|en|to|and)\s*" + _AGE_NUMBER
                       + r"\s*(?:jaar|jarige\w*|years?(?: old)?|maanden|months)\b|\b" + _AGE_NUMBER
                       + r"[-\s]?(?:jaar|jarige\w*|years? old|year-olds?)\b|"
                       r"\b\d{1,2}(?:[.,]5)?\s*[-–]\s*\d{1,2}(?:[.,]5)?[-\s]?(?:jarige\w*|year-olds?)", re.I)
_CHANGE = re.compile(_SHARE.pattern + r"|€\s*\d|" + _NUMBER, re.I)
VALUES = {"change": _CHANGE, "time": _TIME_SPAN, "age": _AGE_SPAN, "money": _MONEY, "share": _SHARE, "amount": _AMOUNT, "date": _DATE,
          "person": _PERSON, "contact": _CONTACT}
_CAUSAL = re.compile(r"\b(?:omdat|doordat|daardoor|daarom|want|reden\w*|waardoor|zodat|om\s+\w+(?:\s+\w+){0,6}\s+te\b|"
                     r"door\s+(?:\w+\s+){0,6}?te\s+\w+en|"  # "Door ouders te financieren …, ontstaat marktwerking": by doing
                     r"vanwege|dankzij|leidt tot|draagt bij|oorza\w+|veroorza\w+|als gevolg van|ten gevolge van|because|since|"
                     r"so that|reason|due to|caused)\b", re.I)
_COPULA = re.compile(r"\b(?:is|zijn|was|waren|betekent|betekenen|houdt in|houden in|verstaan|verstaat|bedoelen|bedoeld|noemen|"
                     r"staat voor|staan voor|stands? for|"
                     r"heet|heten|wordt .{0,40}genoemd|omvat|omvatten|is een|zijn een)\b", re.I)
# A sentence that enumerates: three or more parts separated by commas, the last joined by en/of/and/or.
INLINE_LIST = re.compile(r"[^,.;:]{2,60},[^,.;:]{2,60}(?:,[^,.;:]{2,60})*,?\s(?:en|of|and|or|en/of)\s[^,.;:]{2,}")
# A list written inside one sentence: a colon, then two or more parts separated by semicolons
# ("Het budget hangt af van de volgende variabelen: de hoogte van …; de hoogte van …; …").
_COLON_LIST = re.compile(r":\s*[^;:]{2,}(?:;\s*[^;:]{2,}){2,}")
# A colon, then things separated by commas and a last "en"/"and": the list a lead-in clause announces, in running text.
COLON_INLINE_LIST = re.compile(r":\s*" + INLINE_LIST.pattern)
_MADE_OF = re.compile(r"\b(?:bestaa?t|bestond|bestonden|bestaan)\s+(?:[\w'’-]+\s+){0,2}uit\b|\bsamengesteld uit\b|\bconsists? of\b",
                      re.I)
# "bestaat uit vier wettelijke criteria." says how many parts, not which: it announces, it lists nothing
_MADE_OF_A_COUNT = re.compile(r"\buit\s+(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|two|three|four|five|six|\d+)\s+"
                              r"(?:[a-zà-ÿ]+e\s+)?[a-zà-ÿ]+(?:en|s|ia)\s*[.;]", re.I)
_ENUMERATOR = re.compile(r"(?:^|(?<=\s))(?:\d{1,2}|[a-z])[.)°]\s+(?=[A-Z])")
_ORDINALS = "eerste|tweede|derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende"
# (a reference to a part of a text by its number: "artikel 1.45, eerste lid", "hoofdstuk 1, afdeling 4, paragraaf 1",
# "artikelen 1.61 t/m 1.64", "bijlage 2", "pagina 12")
_LEGAL_REFERENCE = re.compile(r"(?:\b(?:artikel(?:en)?|art\.|articles?|sections?|hoofdstuk(?:ken)?|chapters?|afdeling(?:en)?|"
                              r"paragra(?:af|fen)|bijlagen?|annex|appendix|pagina's|pagina|blz\.|onderdelen|onderdeel|leden|"
                              r"lid)|§)\s*\d+[.:]?\d*[a-z]?(?:\s*(?:t/m|tot en met|-|–|en|and|to)\s*\d+[.:]?\d*[a-z]?)?"
                              r"(?:\s*,\s*(?:(?:" + _ORDINALS
                              + r")\s+lid|lid\s+\d+|onderdeel\s+\w+|sub\s+\w+))*|\b(?:" + _ORDINALS + r")\s+lid\b", re.I)
COGNATE_PREFIX = 5  # "pedag|ogue" ~ "pedag|oog", "inspe|ction" ~ "inspe|ctie": English and Dutch share a Latin stem
_AGE = re.compile(r"^(?:jaar|jarige|jarigen|maanden|year|years|months)$", re.I)


_UNIT_SYMBOL = re.compile(r"[a-z]{1,3}[²³23]")


@lru_cache(maxsize=1)
def synonym_groups() -> dict[str, frozenset[str]]:
    """Stem → every stem of its synonym group (general Dutch government vocabulary, data/synonyms-nl.yaml)."""
    data = _synonym_data()
    out: dict[str, frozenset[str]] = {}
    for group in data:
        # (short stems would match too much; a unit's symbol, "m²" or "m2" for "vierkante meter", is a whole word)
        stems = frozenset(s for phrase in group for s in terms(phrase)
                          if (len(s) >= 4 or _UNIT_SYMBOL.fullmatch(s)) and not s.isdigit())
        for s in stems:
            out[s] = out.get(s, frozenset()) | stems
    return out


def acronyms_spelled_out(text: str) -> list[str]:
    """The acronym of every phrase of a synonym group that the text spells out ("buitenschoolse opvang" → "bso"):
    a note writes "BSO" where a reader writes it out, and a word index matches words, not meanings. Only this way
    round, and only acronyms: adding every synonym moved gold passages down on four sets (docs/retrieval.md)."""
    have = set(terms(text))
    out = []
    for group in _synonym_data():
        short = [p for p in group if re.fullmatch(r"[a-z]{2,5}", p)]
        if short and any(len(p.split()) > 1 and set(terms(p)) <= have for p in group):
            out += [a for a in short if a not in have]
    return out


def names_of_acronyms(text: str) -> list[str]:
    """The spelled-out name of every acronym the text uses ("ikc" → "integraal kindcentrum"): a note says what a
    term is where it spells the name out ("Een integraal kindcentrum is …"), so a search for its definition needs
    the name. Only for definitions: for other questions, adding names and synonyms lowered retrieval
    (docs/retrieval.md)."""
    have = set(terms(text))
    out = []
    for group in _synonym_data():
        if any(re.fullmatch(r"[a-z]{2,5}", p) and p in have for p in group):
            out += [p for p in group if len(p.split()) > 1][:1]
    return out


@lru_cache(maxsize=1)
def _synonym_data() -> list[list[str]]:
    return yaml.safe_load(SYNONYMS.read_text(encoding="utf-8"))["groups"]


@lru_cache(maxsize=1)
def _acronym_names() -> dict[str, list[tuple[str, ...]]]:
    """Acronym → the stems of each name it stands for in its synonym group ("ikc" → integraal kindcentrum, …)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for group in _synonym_data():
        for acronym in (p for p in group if re.fullmatch(r"[a-z]{2,5}", p)):
            out[acronym] = [tuple(terms(p)) for p in group if p != acronym and terms(p)]
    return out


@lru_cache(maxsize=1)
def _acronyms_by_word() -> dict[str, frozenset[str]]:
    """A stem of an acronym's name → the acronyms whose name holds it ("buitenschools" → {"bso"})."""
    out: dict[str, frozenset[str]] = {}
    for acronym, names in _acronym_names().items():
        for name in names:
            for stem in name:
                out[stem] = out.get(stem, frozenset()) | {acronym}
    return out


def has(have: set[str], stems: tuple[str, ...]) -> bool:
    """The stems occur, also as another inflection, the end of a compound (`centr` in `spilcentra`) or a synonym;
    an acronym also as the whole name it stands for ("ikc" in "Een integraal kindcentrum is …", not in "integraal"),
    and a word of that name as the acronym ("buitenschoolse" in "Bij de BSO overheerst …")."""
    names = _acronym_names()
    if any(all(t in have for t in name) for st in stems for name in names.get(st, ())):
        return True
    if any(acronym in have for st in stems for acronym in _acronyms_by_word().get(st, ())):
        return True
    groups = synonym_groups()
    wanted = set(stems)
    for st in stems:
        wanted |= groups.get(st, frozenset())
    return _literal(have, tuple(wanted))


def _literal(have: set[str], stems: tuple[str, ...]) -> bool:
    """The stems themselves, in any inflection or inside a compound; not a synonym."""
    prefixes = {t[:5] for t in have if len(t) >= 5}
    return any(st in have or (len(st) >= 5 and st[:5] in prefixes)
               or (len(st) >= 4 and any(len(t) > len(st) + 2 and st in t for t in have)) for st in stems)


def credit(have: set[str], concept: Concept) -> float:
    """How fully a text holds a concept: 1 for its stems (see `has`); for a compound, 1 when both parts
    stand apart ("keuze … basisschool") and COMPOUND_HEAD_CREDIT for its head alone ("artikel" for
    "wetsartikel"); else 0."""
    if has(have, concept.stems) or (concept.reading and has(have, concept.reading)):
        # (an English word's reading by the embedder, assistant.crosslingual, counts as its Dutch)
        return 1.0 if concept.reading or _literal(have, concept.stems) else SYNONYM_CREDIT
    # (a compound of the word as written, when its stems are its own: an English word glossed into Dutch is no Dutch
    # compound, "childminder" is not "child" + "minder")
    own = not concept.unmapped and any(t in concept.stems for t in terms(concept.word))
    parts = compound_parts(concept.word) if own else None
    if not parts:
        return 0.0
    if all(has(have, terms(p)) for p in parts):
        return 1.0
    return COMPOUND_HEAD_CREDIT if has(have, terms(parts[1])) else 0.0


def _cognate(have: set[str], word: str) -> bool:
    """The text holds a word sharing the English word's first letters, both long enough to be a stem."""
    word = fold(word)
    if len(word) < COGNATE_PREFIX + 1:
        return False
    return any(len(t) > COGNATE_PREFIX and t[:COGNATE_PREFIX] == word[:COGNATE_PREFIX] for t in have)


def split_clauses(text: str) -> list[str]:
    """Sentences and semicolon clauses, cut only where a capital or digit follows (no abbreviation list needed)."""
    return re.split(r"(?<=[a-zà-ÿ)’'])[.!?;]\s+(?=[A-Z0-9])", text)


# Number words that are other words in Dutch: the preposition of "ten eerste", "ten minste", "ten behoeve" (English
# "ten" counts only before a word more English than Dutch: "ten children"), and the "acht" of "in acht nemen".
_TEN = re.compile(r"\bten\s+([a-zà-ÿ'’-]+)", re.I)
_IN_ACHT = re.compile(r"\bin\s+acht\b", re.I)
_NEMEN = re.compile(r"\b(?:nem\w*|neem\w*|genomen|nam|namen)\b", re.I)


def without_false_numbers(text: str) -> str:
    """The text with number words that are no numbers here blanked (same length, so offsets hold)."""
    from wordfreq import zipf_frequency

    def blank_ten(m: re.Match) -> str:
        after = fold(m.group(1))
        english = zipf_frequency(after, "en")
        return m.group(0) if english > zipf_frequency(after, "nl") else "   " + m.group(0)[3:]

    def in_acht_nemen(m: re.Match) -> str:  # (within one clause)
        clause = m.group(0)
        return _IN_ACHT.sub("in     ", clause) if _NEMEN.search(clause) else clause

    return re.sub(r"[^.;:]+", in_acht_nemen, _TEN.sub(blank_ten, text))


def number_near(text: str, stems: tuple[str, ...], reach: int = 3) -> bool:
    """A count stands next to the counted noun ("22 basisscholen"), in the same sentence ("… in Plus IKC's. Hiermee
    kunnen 9 jeugdondersteuners" counts no IKC's); an age ("0 t/m 12 jaar") or a year is no count."""
    return any(_number_near(part, stems, reach) for part in split_clauses(without_false_numbers(text)))


SHARE_REACH = 5  # words from the counted noun to its percentage: "vrouwen is gestegen (van 35,1" is four; the
# percentages of other things in the open sets stood 7 or more words away ("per vierkante meter stegen in de
# onderzochte periode met 31 procent")


def _share_of(text: str, stems: tuple[str, ...]) -> bool:
    """A percentage right after the counted noun answers how many of them, relatively ("hoeveel meer vrouwen werken
    er" → "de arbeidsparticipatie van vrouwen is gestegen (van 35,1 naar 65,1%"). Per clause, as a count."""
    return any(_SHARE.search(part) and _number_near(part, stems, SHARE_REACH)
               for part in split_clauses(without_false_numbers(text)))


def _number_near(text: str, stems: tuple[str, ...], reach: int) -> bool:
    tokens = re.findall(r"[\wÀ-ÿ%€'’]+", text)
    counting_years = any(_AGE.match(st) or st in ("jar", "jaar") for st in stems)

    def count(j: int) -> bool:
        x = tokens[j]
        is_number = _AMOUNT.fullmatch(x) or re.fullmatch(r"\d+(?:[.,]\d+)*", x)
        year = re.fullmatch(r"(?:19|20)\d\d", x)
        age = not counting_years and any(_AGE.match(t) for t in tokens[j + 1:j + 6])
        return bool(is_number) and not year and not age

    def counts_another(j: int) -> bool:
        """A number after the noun that is followed by a noun of its own counts that one: "een aantal kinderen met
        *één of meer beroepskrachten*" (not "groeide van 450 naar 2000")."""
        for x in tokens[j + 1:j + 4]:
            word = fold(x)
            if word in ("per", "each", "elk", "elke", "ieder", "iedere"):  # "kinderen: 12 per groep" is a rate of ours
                return False
            if word in FUNCTION_WORDS:
                continue
            return not word.isdigit() and not _AMOUNT.fullmatch(word) and not has(set(terms(word)), stems)
        return False

    for i, tok in enumerate(tokens):
        if has(set(terms(tok)), stems) and any(count(j) and not (j > i and counts_another(j))
                                               for j in range(max(0, i - reach), min(len(tokens), i + reach + 1))):
            return True
    return False


# Whole values, for the answer's first line: "€ 1.150.000", "14,6 procent", "1 januari 2015", "22 basisscholen".
_MONEY_SPAN = re.compile(r"€\s*\d[\d.,]*(?:\s*(?:miljoen|mln|miljard))?|\b\d[\d.,]*\s*(?:miljoen |mln |miljard )?euro\b", re.I)
_SHARE_SPAN = re.compile(r"\b\d+(?:[.,]\d+)?(?:\s*(?:à|-|–|tot|to)\s*\d+(?:[.,]\d+)?)?\s*(?:%|procent\b|percent\b)", re.I)
_DATE_SPAN = re.compile(r"\b(?:\d{1,2}\s+)?(?:" + "|".join(_MONTHS.split()) + r")\s+(?:19|20)\d\d\b|" + YEAR.pattern, re.I)


# Capitalised words before a year that open a sentence or a time phrase, never a name ("… jeugdzorg In 2014 is …"
# where a heading ran into its paragraph, "Sinds 2015", "Eind 2023", "March 2025").
_BEFORE_A_DATE = frozenset(("january february march april may june july august september october november december "
                            "sinds vanaf eind begin medio uiterlijk voorjaar najaar zomer winter spring autumn fall summer "
                            "early late mid " + _MONTHS).split())


def year_in_a_name(text: str, start: int) -> bool:
    """The year at `start` closes a name ("Verordening voorschoolse educatie Oosterwold 2019", "Collegeprogramma
    2018-2022"): the word before it is capitalised mid-sentence, and no month ("March 2025")."""
    if not YEAR.match(text, start):
        return False
    ranged = re.search(r"(?:19|20)\d\d\s*[-–/]\s*$", text[:start])
    if ranged:  # "Hervormingsagenda Jeugd 2023-2028": the second year of a range is in the name when the first is
        return year_in_a_name(text, ranged.start())
    before = re.search(r"([\w'’-]+)\s+$", text[:start])
    word = before.group(1) if before else ""
    if not word[:1].isupper() or fold(word) in _BEFORE_A_DATE or fold(word) in STOP:
        return False
    opening = text[:before.start(1)]
    starts = not opening.strip() or opening.endswith("\n") or opening.rstrip().endswith((".", "!", "?", ":", ";", "•", "–"))
    return not starts  # a capital opening a sentence or a line ("In 2019 …", "Sinds 2015 …") names nothing


def value_span(analysis: Analysis, text: str) -> str | None:
    """The one value of the asked kind the text gives ("€ 1.150.000" for "Wat kost …?"), or None when it gives
    none or several (then only the quote can say which is meant)."""
    slot = analysis.slot
    if slot in ("money", "share", "date", "time", "age"):
        pattern = {"money": _MONEY_SPAN, "share": _SHARE_SPAN, "date": _DATE_SPAN, "time": _TIME_SPAN, "age": _AGE_SPAN}[slot]
        spans = [(m.start(), m.start() + len(m.group(0).rstrip(".,"))) for m in pattern.finditer(text)]
        spans = [(a, b) for a, b in spans if _stands_by_key(analysis, text, a, b)
                 and not (slot == "date" and year_in_a_name(text, a))]
        if _RATE_ASKED.search(analysis.question):  # "per inspection": a total is no answer, a value per something is
            spans = [(a, b) for a, b in spans if re.match(r"\s*(?:[^\s.;]+\s+){0,2}(?:per|each|elke?)\b", text[b:], re.I)]
        found = [text[a:b] for a, b in spans]
    elif slot == "amount":
        noun = counted_noun(analysis)
        if noun is None:
            return None
        tokens = re.findall(r"[\wÀ-ÿ%€'’.,-]+", without_false_numbers(text))
        found = []
        for i, tok in enumerate(tokens[:-1]):
            word = tok.rstrip(".,")
            if (_AMOUNT.fullmatch(word) or re.fullmatch(r"\d+(?:[.,]\d+)*", word)) and not YEAR.fullmatch(word):
                nxt = tokens[i + 1].rstrip(".,;:")
                if has(set(terms(nxt)), noun.stems):
                    found.append(f"{word} {nxt}")
    else:
        return None
    distinct = list(dict.fromkeys(v.strip().rstrip(".,") for v in found))  # "€ 2.500." at a sentence's end
    return distinct[0] if len(distinct) == 1 else None


# A span of time asked for ("hoe lang krijgt een IKC het predicaat?", "how quickly …"), answered by a number of
# time units ("voor vier jaar", "binnen twee weken"), not by any number.
_DURATION_ASKED = re.compile(r"\b(?:hoe ?lang|hoeveel tijd|hoe snel|how long|how much time|how quickly|how soon|"
                             r"binnen welke (?:termijn|periode|tijd)|"
                             r"within (?:what|which) (?:period|time))\b", re.I)
# "Hoe vaak vergadert …?": how often, said as "vier keer per jaar", "jaarlijks", "twice a year"; a count of other things
# ("Iedere partij wijst één lid aan") is no frequency
_FREQUENCY_ASKED = re.compile(r"\b(?:hoe vaak|hoe dikwijls|how often|how frequently|how many times)\b", re.I)
_FREQUENCY = re.compile(r"\b(?:\w+\s+(?:keer|maal)\b|\w*(?:jaar|maand|wek|dag|kwartaal)e?lijks\b|"
                        r"per\s+(?:jaar|maand|week|dag|kwartaal|schooljaar|periode)\b|elke?\s+(?:week|maand|jaar|dag|kwartaal)\b|"
                        r"ieder(?:e)?\s+(?:week|maand|jaar|dag|kwartaal)\b|once|twice|\w+\s+times\b|annually|monthly|weekly|"
                        r"daily|quarterly|every\s+(?:week|month|year|day|quarter))", re.I)
_TIME_UNITS = tuple(dict.fromkeys(t for w in "jaar jaren maand maanden week weken dag dagen uur uren year years month months "
                                  "week weeks day days hour hours".split() for t in terms(w)))
# (also the price of one: "Wat kost één inspectie?", "what does a single inspection cost")
_RATE_ASKED = re.compile(r"\bper\s+\w+|\b(?:each|elke?)\s+\w+|"
                         r"\b(?:kost|kosten|kostte|costs?|price of|prijs van|for|voor)\s+(?:één|a single|one)\s+\w+", re.I)
_RATE_SAID = re.compile(r"\bper\s+\w+|\b(?:each|elke?)\s+\w+|\b(?:jaarlijks|maandelijks|wekelijks|annually|yearly|monthly|weekly)\b", re.I)

# A total over a period ("in totaal … over 2021-2028", "the total budget for the whole period 2021-2028"): the amount
# of one year inside it is a part, not the total; a text gives the total when it says so or names the period.
_TOTAL_ASKED = re.compile(r"\b(?:totaal|totale|total|whole|hele|gehele|entire)\b", re.I)
_PERIOD_ASKED = re.compile(r"\b((?:19|20)\d\d)\s*[-–/]\s*((?:19|20)?\d\d)\b")
_TOTAL_SAID = re.compile(r"\b(?:totaal|totale|total|in all|samen|tezamen|opgeteld|cumulatie\w*)\b", re.I)


def _total_over_period(question: str, text: str) -> bool:
    """The question asks a total over a period of years and the text gives one: it says "totaal" or names both years
    ("Voor 2021-2028 is … beschikbaar"); True when the question asks no such total."""
    period = _PERIOD_ASKED.search(question)
    if not (period and _TOTAL_ASKED.search(question)):
        return True
    first, last = period.group(1), period.group(2)
    last = last if len(last) == 4 else first[:2] + last
    return bool(_TOTAL_SAID.search(text)) or (first in text and last in text)


# A value belongs to what the question asks about when its clause names a specific concept of the question, or
# when the unit names none (the topic is then the heading's or the paragraph's): "2 lasten onder dwangsom opgelegd
# en 1 bestuurlijke boete opgelegd van € 2.500" gives the boete's amount, not the dwangsom's.
def _stands_by_key(analysis: Analysis, text: str, start: int, end: int) -> bool:
    """The value at text[start:end] is said of a specific concept of the question (KEY_WEIGHT or more)."""
    specific = [c for c in analysis.focus if not c.word.isdigit() and c.weight >= KEY_WEIGHT]
    named = [c for c in specific if has(set(terms(text)), c.stems)]
    if not named:
        return True
    clause = set(terms(_clause(text, start, end)))
    return any(has(clause, c.stems) for c in named)


def _clause(text: str, start: int, end: int) -> str:
    """The clause around text[start:end], cut at commas, semicolons, brackets and joining words."""
    cuts = (",", ";", ":", ". ", "(", " en ", " and ", " maar ", " but ")
    left = max((i + len(p) for p in cuts if (i := text.rfind(p, 0, start)) >= 0), default=0)
    ends = [i for i in (text.find(p, end) for p in cuts + (")",)) if i >= 0]
    return text[left:min(ends) if ends else len(text)]


def _of_another(analysis: Analysis, text: str, start: int, end: int) -> bool:
    """The amount at text[start:end] is said of a thing that costs money which the question does not name."""
    asked = set(terms(analysis.question))
    return any(not has(asked, terms(m.group(0))) for m in re.finditer(r"\b(?:" + MONEY_NOUNS + r")\b",
                                                                    _clause(text, start, end), re.I))


# "Welk percentage van de kinderen …", "what share of the places …": the whole the share is asked of follows this.
_SHARE_OF = r"(?:percentage|procent|deel|aandeel|share|proportion|percent)\s+(?:van|of)"


def _share_of_another(analysis: Analysis, text: str, end: int) -> bool:
    """The share ending at text[end] is said of another whole than the question asks a share of ("70 à 80% van de
    subsidies" answers no "welk percentage van de kinderen")."""
    whole = _noun_after(analysis, _SHARE_OF)
    said = re.match(r"\s*(?:van|of)\s+(?:(?:de|het|the|alle|all|deze|die|onze|our)\s+)?([\w'’-]+)", text[end:], re.I)
    return whole is not None and said is not None and not has(set(terms(said.group(1))), whole.stems)


def _names_other(analysis: Analysis, text: str) -> bool:
    """The text names something the question does not name itself."""
    asked = {fold(w) for w in re.findall(r"[\w'’-]+", analysis.question)}
    return any(fold(w) not in asked for w in names_in(text))


def names_in(text: str) -> list[str]:
    """The names in a text: a capitalised word inside a sentence or an acronym, other than the field's own vocabulary
    ("BSO", "IKC" name kinds of things, not one)."""
    vocabulary = _acronym_names()
    # (an acronym's plural, "IKCs", "BSO's", is the field's word as much as the acronym)
    return [w for w in (m.group(0) for m in re.finditer(r"(?<=[\w,;:)’'] )(?:[A-Z][\w&’'-]*)", text))
            if fold(re.sub(r"(?<=[A-Z])['’]?s$", "", w)) not in vocabulary and not (w.isupper() and len(w) == 1)]


# Dutch nouns of a kind that is measured, not counted ("hoeveel (peuter)opvang"), and the units they are measured in.
# (Not English ones: a phrase's last word may modify what is counted, "youth support workers". Not years, which every
# clause about a period holds: "Stamgroepen (0–2 jaar)" measures no space.)
_MASS_NOUN = re.compile(r"^[a-zà-ÿ]+(?:opvang|zorg|ruimte|tijd|onderwijs|educatie|begeleiding|ondersteuning|scholing)$|"
                        r"^(?:opvang|zorg|ruimte|tijd|onderwijs|educatie|begeleiding|ondersteuning|scholing)$")
_MEASURES = tuple(dict.fromkeys(terms("dagdeel dagdelen uur uren dag dagen week weken m² m2 vierkante meter fte")))


def counted_noun(analysis: Analysis) -> Concept | None:
    """What "hoeveel X" / "how many X" counts: the head of the noun phrase after the question word, its last focus
    concept before the verb ("hoeveel Plus *IKC's* zijn er", "how many front-runner *locations*"). A verb right after
    the question word counts nothing: "Hoeveel zat er in de reserve?", "hoeveel blijft er over?" ask an amount of
    what the question is about."""
    first = re.search(r"\bhoeveel\s+([\w'’-]+)", analysis.question, re.I)
    word = fold(first.group(1)) if first else ""
    if word in _VERB_AFTER_HOW_MUCH:
        return None
    if word in FRAME and word not in FUNCTION_WORDS:
        # "hoeveel gemeenten": a word too common in the notes to be a topic is still what is counted
        return Concept(word, terms(word) or (word,), 1.0)
    return _noun_after(analysis, r"hoeveel|how many|how much|aantal|number of")


# Verbs that follow "hoeveel" when it asks an amount of the question's topic rather than a count of a noun; a plural
# noun can look like a verb ("kindplaatsen", "plaatsen"), so these are listed, not guessed.
_VERB_AFTER_HOW_MUCH = frozenset(
    "er is zijn was waren zat zaten zit zitten blijft blijven bleef bleven kost kosten kostte kostten staat staan stond "
    "stonden gaat gaan ging gingen komt komen kwam kwamen wordt worden werd werden bedraagt bedragen bedroeg "
    "levert leveren leverde leverden oplevert opleveren".split())


# A verb asking a value of its subject, and the subject's article: what follows is what the value is of.
_VALUE_OF = (r"wat\s+(?:verdient|verdienen|verdiende|kost|kosten|kostte|betaalt|betalen|ontvangt|ontvangen|krijgt|krijgen)"
             r"\s+(?:de|het|een|die|dat)")


# "Hoeveel bedraagt de ouderbijdrage", "hoe hoog is de huur", "how much is the fee": the thing whose value is asked.
_VALUED = (r"(?:hoeveel|hoe\s+(?:hoog|groot|lang|veel))\s+(?:bedraagt|bedragen|bedroeg|bedroegen|is|zijn|was|waren)"
           r"(?:\s+(?:de|het|een))?|how\s+(?:much|high|large|big|long)\s+(?:is|are|was|were)(?:\s+(?:the|a|an))?")


def value_asked_of(analysis: Analysis) -> Concept | None:
    """Whom or what a value is asked of: "Wat verdient de *coördinator*", "Wat kost een *plaats*"; None otherwise."""
    return _noun_after(analysis, _VALUE_OF)


def valued_noun(analysis: Analysis) -> Concept | None:
    """The thing a value question asks the value of ("hoeveel bedraagt de inkomensafhankelijke *ouderbijdrage*"),
    when the question says it right after asking how much; None otherwise."""
    noun = _noun_after(analysis, _VALUED)
    return noun if noun is not None and not noun.modifier and not noun.verb else None


# What two things are compared in: "differ in the return", "verschillen in de opbrengst", "het verschil in aanpak".
_COMPARED_IN = r"(?:differ|differs|differed|difference|verschil|verschillen|verschilt|verschilde)\s+in(?:\s+(?:the|de|het))?"


def asked_noun(analysis: Analysis) -> Concept | None:
    """What "welk X" / "which X" asks for: an instance of X ("welk *wetsartikel*" → "artikel 107 WPO"). An English
    noun phrase ends where the glossary's phrase does (no verb test for English), so its first concept is taken."""
    compared = _noun_after(analysis, _COMPARED_IN)  # "How do A and B differ in the return they quote?"
    if compared is not None:
        return compared
    if analysis.language == "en":
        m = re.search(r"\b(?:which|what)\s+((?:[\w'’()-]+\s*){1,4})", fold(analysis.question))
        if not m:
            return None
        for word in m.group(1).split():
            stems = set(terms(word))
            found = next((c for c in analysis.focus if (stems & set(c.stems) or word in c.word.split()) and not c.verb),
                         None)  # (a verb is no thing asked for: "what do I *need* to show")
            if found is not None:
                return found
        return None
    # "welk X"; or whom a value is asked of: "Wat verdient de coördinator …?", "Wat kost een plaats …?"
    return _noun_after(analysis, r"welke?") or _noun_after(analysis, _VALUE_OF)


def _noun_after(analysis: Analysis, question_words: str) -> Concept | None:
    m = re.search(r"\b(?:" + question_words + r")\s+((?:[\w'’-]+\s*){1,4})", analysis.question, re.I)
    if not m:
        return None
    head = None
    for written in m.group(1).split():
        if head is not None and re.fullmatch(r"[A-Z]{2,6}", written):
            break  # an acronym after the noun names its kind ("jeugdondersteuners VVE"); the noun stays the head
        word = fold(written)
        stems = set(terms(word))
        found = None if word in STOP else next(
            (c for c in analysis.focus if stems & set(c.stems) or (len(word) >= 4 and c.word.startswith(word[:4]))), None)
        if found is None or (head is not None and found.verb):
            if head is not None:
                break  # the noun phrase ended (at a word outside the question's focus, or at the verb: "bezoeken")
            continue
        if head is not None and not head.modifier and analysis.language != "en" \
                and (found.modifier or lemma_nl(head.word) != head.word):
            break  # a measure and what it measures: "hoeveel *dagdelen* (voorschoolse) opvang", "hoeveel *uur* voorschoolse
            # educatie" count the measure (a plural, or a noun before an adjective), not "hoeveel Plus *IKC's*"
        head = found
        if analysis.language == "en" and re.search(r"(?:[a-rt-zà-ÿ]s|ies)$", written, re.I):
            break  # an English plural is the head of what is counted ("how many *pupils* attend primary school",
            # "how many front-runner *locations*"; not a possessive, "the director's"); what follows is the verb's object
    return head


# The word a sum of money is, in the question's terms ("het maximale subsidiebedrag" → € 50.000).
_AMOUNT_WORD = frozenset(terms("bedrag"))


class Evidence:
    """How well a text (one unit, or the units of an answer together) answers the question (shares 0..1)."""

    def __init__(self, analysis: Analysis, text: str, context: str, similarity: float) -> None:
        self.analysis = analysis
        own = set(terms(text))
        if analysis.slot == "money" and VALUES["money"].search(text):
            own |= _AMOUNT_WORD  # "€ 50.000" is an amount: it holds the head of "welk subsidiebedrag"
        around = own | set(terms(context))
        focus = analysis.focus
        if analysis.kind == YES_NO:  # its verbs state the hypothesis ("blijft … houden"), which the text may confirm
            focus = [c for c in focus if not c.verb] or focus  # or contradict in other words; its nouns say what about
        # a follow-up's borrowed topic ("… of those centres") counts too, at half weight, never as the key
        context_concepts = [c for c in analysis.concepts if c.context]
        weights = {c.word: c.weight for c in focus} | {c.word: CONTEXT_SHARE * c.weight for c in context_concepts}
        self.credits: dict[str, float] = {}
        for c in focus + context_concepts:
            self.credits[c.word] = max(credit(own, c), HEADING_CREDIT * credit(around, c))
        # "welke organisatie …?" is answered by a name the question does not give itself ("Small Steps", "GGD"; not
        # "De Morgenster"), which is the organisation asked for, unnamed as one
        asks_body = analysis.slot == "actor" and bool(re.search(r"\b" + WHICH_BODY + r"\b", analysis.question, re.I))
        names_body = asks_body and _names_other(analysis, text)
        if names_body:
            body = _noun_after(analysis, r"welke?|which")
            if body is not None:
                self.credits[body.word] = 1.0
        for c in context_concepts:  # context helps find the passage, it is never required: it counts where held
            if self.credits[c.word] == 0.0 and c.word not in {f.word for f in focus}:
                weights.pop(c.word, None)
        total = sum(weights.values())
        self.focus = sum(w * self.credits[word] for word, w in weights.items()) / total if total else 1.0
        self.missing = [c for c in focus if self.credits[c.word] == 0.0]
        # an English word without a Dutch gloss still counts where the text has its cognate ("pedagogue" ~
        # "pedagoog") or the embedder's reading of it (assistant.crosslingual); only as a gain
        cognates = [c for c in analysis.unmapped if not c.context and (_cognate(own, c.word) or has(own, c.reading))]
        # for ranking, every English word counts, held or not: of two units holding all the mapped words, the one with
        # "presenteert" answers "presents itself as"; the refusal reads `focus`, where a word never found costs nothing
        unmapped = sum(c.weight for c in analysis.unmapped if not c.context)
        gained = sum(c.weight for c in cognates)
        self.rank_focus = (self.focus * total + gained) / (total + unmapped) if total + unmapped else self.focus
        if cognates and total:
            self.focus = (self.focus * total + gained) / (total + gained)
        self.credits.update({c.word: 1.0 for c in cognates})  # (held also where no word of the question is mapped)
        self.similarity = similarity
        self.value = True
        if analysis.slot == "name":  # "welke wijk …?": a name the question does not give itself ("Kloosterveen")
            self.value = _names_other(analysis, text)
        elif analysis.slot == "actor":  # "wie monitort …?": not "De resultaten worden gemonitord." without its "door …"
            self.value = not all(_PASSIVE.search(x) and not _AGENT.search(x) for x in split_clauses(text))
            if self.value and asks_body:
                self.value = names_body
        elif analysis.slot:
            pattern = VALUES[analysis.slot]
            if analysis.slot == "amount":  # "1. Wij stellen …": a list's enumerator is no count, nor a reference to
                # a law's article ("bedoeld in artikel 1.45, eerste lid" counts no members)
                text = without_false_numbers(_LEGAL_REFERENCE.sub(" ", _ENUMERATOR.sub(" ", text)))
            self.value = bool(pattern.search(text))
            if self.value and analysis.slot == "date":  # "De Verordening … Oosterwold 2019 wordt ingetrokken" dates no
                # event: the year is part of a name
                self.value = any(not year_in_a_name(text, m.start()) for m in pattern.finditer(text))
            if self.value and analysis.slot == "share":
                self.value = any(not _share_of_another(analysis, text, m.end()) for m in pattern.finditer(text))
            if self.value and analysis.slot == "money":
                # not an amount its clause gives of another thing: "2 lasten onder dwangsom opgelegd en 1 bestuurlijke
                # boete opgelegd van € 2.500" gives no dwangsom's amount
                self.value = any(not _of_another(analysis, text, m.start(), m.end()) for m in pattern.finditer(text))
            if self.value and analysis.slot in ("money", "amount") and _RATE_ASKED.search(analysis.question):
                # "per inspection", "per child": a total answers another question (a list's "b. " is no sentence end:
                # a table row carries its header's "Subsidie per kindplaats")
                self.value = any(pattern.search(sentence) and _RATE_SAID.search(sentence)
                                 for sentence in re.split(r"(?<=\w\w)[.;]\s|;\s", text))
            if self.value and analysis.slot in ("money", "amount"):
                self.value = _total_over_period(analysis.question, text)
            noun = counted_noun(analysis) if analysis.slot == "amount" else None
            if analysis.slot == "amount" and _FREQUENCY_ASKED.search(analysis.question):
                self.value = bool(_FREQUENCY.search(text))  # "hoe vaak": how often ("maandelijks" has no number), not
                # a count of other things
            elif self.value and analysis.slot == "amount" and _DURATION_ASKED.search(analysis.question):
                # "hoe lang", "hoeveel tijd" (whose counted noun is the duration itself): a number of years, weeks, days
                self.value = number_near(text, _TIME_UNITS, reach=2)
            elif self.value and noun is not None:
                # "hoeveel peuteropvang": what is no count is measured ("twee dagdelen van 3,5 uur", "380 m²")
                self.value = number_near(text, noun.stems) or (
                    bool(_MASS_NOUN.search(noun.word)) and number_near(text, _MEASURES)) or _share_of(text, noun.stems)
            if self.value and analysis.slot == "person":  # "wie is de directeur": the role stands with the name
                roles = [w for w in re.findall(ROLE, fold(analysis.question))]
                self.value = not roles or any(has(own, terms(r)) for r in roles)

    @property
    def key_missing(self) -> Concept | None:
        """The question's most specific concept or the one it asks an instance of, when it is specific enough to name
        the topic and the text lacks it.

        A yes/no question states a hypothesis that the text may contradict in other words ("voor onbepaalde
        tijd?" → "voor vier jaar"), so it has no key concept."""
        if self.analysis.kind == YES_NO:
            return None
        focus = [c for c in self.analysis.focus if not c.word.isdigit() and not c.modifier and not c.verb]
        if not focus:
            return None
        # the most specific concept, then what a "welk X / which X" question asks for: a text that never names X
        # (nor its compound head) speaks of something else ("which collective labour agreement" → no cao named)
        for key in (max(focus, key=lambda c: c.weight), asked_noun(self.analysis)):
            if key is not None and key.weight >= KEY_WEIGHT and self.credits.get(key.word, 0.0) == 0.0:
                return key
        return None

    def describe(self) -> str:
        return (f"focus={self.focus:.2f} value={self.value} sim={self.similarity:.3f} "
                f"missing={[c.word for c in self.missing]}")


# A heading's sub-headings as the answer to a list question: below a list the text gives with its lead-in (1.0) and a
# "…: a; b; c" sentence (0.9), above a comma series inside a sentence (0.8).
HEADING_LIST_FIT = 0.85
# A concept found only in the heading or section path the unit stands under counts this much: the
# heading says what the passage is about, the sentence does not repeat it ("Werkdefinitie" → "Een IKC is …").
HEADING_CREDIT = 0.7
# The question's most specific concept decides a refusal on its own when it is at least this specific
# (Zipf ≤ 4: "wachtlijst" 3.4, "cao" 4.0; not "organisatie" 5.2): without it the text speaks of something else.
KEY_WEIGHT = 3.0
# A follow-up's borrowed concepts weigh this share of their weight in the focus.
CONTEXT_SHARE = 0.5
# A definition that does not open with its term ("het aanbod in de startgroep omvat …") fits this much:
# it may say what the term is, but a sentence that opens with the term and a copula says it plainly.
WEAK_DEFINITION = 0.6
# The words an acronym stands for, given where the text introduces it: more than a sentence that only uses it, less
# than one that says what it is (0.6 let "… bijvoorbeeld in een integraal kindcentrum (IKC)" outrank Lansingerland's
# "Een integraal kindcentrum is …"; the value lies between the two for that reason).
NAMED_DEFINITION = 0.4
# A synonym or an acronym's name holds a concept nearly as well as the question's own word; the own word decides
# between two units that are otherwise equal ("taakverdeling" vs "verantwoordelijk" for "wie is verantwoordelijk").
SYNONYM_CREDIT = 0.9
# A compound's head alone ("artikel 107" for "wetsartikel") holds much of it.
COMPOUND_HEAD_CREDIT = 0.7


def definition_strength(text: str, focus: list[Concept]) -> float:
    """How plainly the text says what a focus concept is (0, WEAK_DEFINITION or 1).

    1: the concept opens a sentence or a list item (after at most an article) and a copula or a colon follows
    it ("Een IKC is een voorziening …", "• startgroep: groep in …"), or the copula stands inverted before it and
    an indefinite article after it ("In onze visie is het IMO een veilige omgeving …"). WEAK_DEFINITION: the concept stands
    elsewhere with a defining verb within a few words ("het aanbod in de startgroep omvat …"), inverted
    ("Daarom is het IMO belangrijk"), or a sentence naming it followed by "Hierin/Daarin …". 1 as well: what is
    meant by it ("Met harmonisatie wordt bedoeld dat …", "Onder opvang verstaan we …")."""
    found = list(re.finditer(r"[\wÀ-ÿ'’-]+", text))
    words = [m.group(0) for m in found]
    weak = False
    for i, w in enumerate(words):
        if not any(has(set(terms(w)), c.stems) for c in focus):
            continue
        # the term (of up to three words: "opbrengstgericht werken:") and a colon, then what it is
        colon = bool(re.match(r"(?:\s+[\wÀ-ÿ'’-]+){0,2}\s*:\s*\S", text[found[i].end():]))
        after = " ".join(words[i + 1:i + 7])
        lead = text[:found[i].start()]
        # at a sentence's or item's start, or after a capitalised article (a glued heading may stand before it)
        if i and _one_name(words[i - 1], w):  # the term is a name of two words: "Een integraal kindcentrum is …"
            lead = text[:found[i - 1].start()]
        opens = bool(re.search(r"(?:^|[.:;•)\n]|\b(?:Een|De|Het|A|An|The))\s*$", lead))
        near_copula = _COPULA.match(" ".join(words[i + 1:i + 3])) or re.match(r"(?:\w+\s+)?(?:is|zijn|was|waren)\b", after)
        if opens and (colon or near_copula):
            return 1.0
        if re.search(r"\b(?:spreekt|spreken|spreek|speak|speaks)\s+(?:\w+\s+){0,2}(?:van|of)\s+(?:een|de|het|a|an|the)?\s*$", lead) \
                and re.search(r"\b(?:als|wanneer|indien|when|if)\b", " ".join(words[i + 1:i + 12])):
            return 1.0  # "De gemeente spreekt van een brede buurtschool … als …": what the term is, said as a condition
        if re.search(r"(?:^|[.:;•)\n])\s*(?:Met|Onder|By)\s+(?:(?:de|het|een|the)\s+)?$", lead) and re.match(
                r"(?:\s+[\wÀ-ÿ'’-]+){0,3}?\s+(?:wordt|worden|bedoelen|verstaan|verstaat|is|are)\s+(?:\w+\s+)?"
                r"(?:bedoeld|verstaan|we|wij|meant|understood)\b", text[found[i].end():]):
            return 1.0  # "Met harmonisatie wordt bedoeld dat …", "Onder kinderopvang wordt verstaan …"
        before = " ".join(words[max(0, i - 3):i])  # "In onze visie is het IMO een …"
        inverted = re.search(r"\b(?:is|zijn|noemen|heet)\s+(?:het|de|een)?\s*$", before)
        if inverted and re.match(r"(?:een|a|an)\b", " ".join(words[i + 1:i + 2]), re.I):
            return 1.0  # the copula before the term and what it is after it: the same statement, the order inverted
        if colon or _COPULA.search(after) or inverted or re.search(
                r"\b(?:hierin|daarin|hiermee|daarmee|dat wil zeggen|d\.w\.z)\b", " ".join(words[i + 1:i + 25]), re.I):
            weak = True
    return WEAK_DEFINITION if weak else 0.0


# A question asking what an acronym's letters stand for.
_EXPANSION_ASKED = re.compile(r"\bstaa?n?t?\b.{1,40}\bvoor\s*\?|\bstands?\s+for\b|\bafkorting\w*\b|\bacron\w+\b|"
                              r"\babbreviat\w+\b|\bvoluit\b|\bspelled\s+out\b|\bfull\s+(?:name|form)\b", re.I)


def spells_asked(question: str) -> bool:
    """The question asks what an acronym's letters stand for."""
    return bool(_EXPANSION_ASKED.search(question))


def spells_out(text: str, focus: list[Concept]) -> bool:
    """The text gives an acronym of the focus in full: "SPIL staat voor Spelen, Integreren en Leren", or the words
    followed by the acronym in brackets ("… verantwoordelijkheden en aansprakelijkheid (TBVA)")."""
    for m in re.finditer(r"\b([A-Z][A-Za-z]*[A-Z])\b", text):
        if not any(has(set(terms(m.group(1))), c.stems) for c in focus):
            continue
        if re.match(r"\s+(?:staat|staan|stands?)\s+(?:\w+\s+)?(?:voor|for)\b", text[m.end():]):
            return True
        if text[:m.start()].endswith("(") and text[m.end():].startswith(")") and m.start() > 12:
            return True
    return False


def _one_name(before: str, word: str) -> bool:
    """The two words are one name an acronym stands for ("integraal kindcentrum" for "ikc")."""
    pair = set(terms(f"{before} {word}"))
    return any(len(name) > 1 and set(name) <= pair for names in _acronym_names().values() for name in names)


def defines(text: str, focus: list[Concept]) -> bool:
    return definition_strength(text, focus) > 0.0


# A "how" question asking by what means something is brought about (not how a figure develops or how a place looks).
_MEANS_ASKED = re.compile(r"\bhoe\s+(?:zorg\w*|realiseer\w*|realiseren|bereik\w*|regel\w*|organiseer\w*|organiseren|"
                          r"waarborg\w*|borg\w*)\b|\bhow\s+(?:do|does|did|will|would|can|could|are|is)\s+(?:\S+\s+){0,5}?"
                          r"(?:ensure|make sure|achieve|realise|realize|organise|organize|arrange|guarantee|safeguard)\b",
                          re.I)


# A question asking until when, by when, or the last day for something, and a text that gives a date as a limit.
_DEADLINE_ASKED = re.compile(r"\b(?:tot wanneer|uiterlijk wanneer|until when|by when|uiterste (?:datum|termijn)|"
                             r"deadlines?|einddatum|sluitingsdatum|closing date|last day)\b", re.I)
_DATE_WORD = r"(?:\d{1,2}\s+\w+\s+)?(?:19|20)\d\d|\d{1,2}\s+(?:" + "|".join(_MONTHS.split()) + r")"
_DEADLINE_SAID = re.compile(r"\b(?:uiterlijk|uiterst|tot(?:\s+en\s+met)?|t/m|vóór|voor|niet later dan|until|by|before|"
                            r"no later than|up to)\s+(?:op\s+|de\s+|het\s+|on\s+|the\s+)?(?:" + _DATE_WORD + r")|"
                            r"\b(?:deadline|einddatum|sluitingsdatum|vervalt|verloopt|eindigt|loopt af|expires?|ends?)\b",
                            re.I)
# A date that is not said to be a limit fits a question asking for one this much: a date, but of another moment.
DATE_NOT_A_LIMIT = 0.6


# A form's field as a letter or proposal heads itself ("Onderwerp: Kredietaanvraag nieuwbouw …", "Portefeuillehouder:
# wethouder R. Dijkstra"): a label of one or two words, then a value that is no sentence (no end stop, no colon).
_FIELD_LINE = re.compile(r"^\s*[A-ZÀ-Ý][\wÀ-ÿ-]{2,25}(?:\s+[\wÀ-ÿ-]{2,25})?\s*:\s+[^:;]{1,120}?(?<![.!?])\s*$")
FIELD_WORDS = 15  # a field's value is short; a longer run after a label is a sentence ("Let op: …")
FIELD_FIT = 0.1  # what a field says is what the document is, an answer only to a question asking a value


def field_line(text: str) -> bool:
    """The unit is one field of a document's heading: it names what the document is about, and states nothing."""
    return bool(_FIELD_LINE.match(text)) and len(text.split()) <= FIELD_WORDS


def kind_fit(analysis: Analysis, unit_kind: str, text: str, heading: str, items: int) -> float:
    """How well a unit's form fits what the question asks for (0..1)."""
    kind = analysis.kind
    if kind not in (VALUE, LIST) and unit_kind != "list" and field_line(text):
        return FIELD_FIT
    if kind == LIST:
        if unit_kind == "list" and heading:
            # a heading's sub-headings name the parts of a text ("Stap 1 … Stap 2 …"), but say nothing of them: the
            # list the text itself gives ("… de volgende voorwaarden: …") comes first when there is one
            return HEADING_LIST_FIT
        if unit_kind == "list":
            return 1.0 if not analysis.count or analysis.count == items else 0.85
        if _COLON_LIST.search(text) or COLON_INLINE_LIST.search(text) or (
                _MADE_OF.search(text) and not _MADE_OF_A_COUNT.search(text)):
            return 0.9  # a list in all but layout ("De volgende rollen zijn bekend: sturend, regisserend, … en
            # volgend"), or what a thing is made of ("bestaat merendeels uit A en B")
        if INLINE_LIST.search(text):
            return 0.8  # "Denk aan speelzalen, kantoorruimtes, teamruimtes of vaklokalen"
        return 0.25
    if unit_kind == "list" and heading:
        return 0.0  # a heading with its sub-headings answers only a question asking for the parts
    if kind == DEFINITION:
        head = set(terms(heading))
        focus = analysis.focus
        if _EXPANSION_ASKED.search(analysis.question):
            # "Waar staat SPIL voor?" asks for the words behind the letters: "SPIL staat voor Spelen, …" or
            # "… en aansprakelijkheid (TBVA)" says them; "SPIL is een publiek-private partnership" says what it is
            return 1.0 if spells_out(text, focus) else WEAK_DEFINITION * definition_strength(text, focus)
        if unit_kind == "section_lead" and focus and all(has(head, c.stems) for c in focus[:2]):
            return 1.0
        strength = definition_strength(text, focus) if focus else 0.0
        if focus and focus[0].word not in _acronym_names() and spells_out(text, focus[:1]):
            # "… voeren ten minste twee keer per jaar op overeenstemming gericht overleg (OOGO)": the words behind the
            # letters say what an acronym names, though not what it is ("Het OOGO is …"); an acronym the glossary
            # spells out itself ("IKC") learns nothing from it
            strength = max(strength, NAMED_DEFINITION)
        if strength:
            return strength
        return 0.2
    if kind == VALUE:
        if analysis.slot == "date" and _DEADLINE_ASKED.search(analysis.question) and VALUES["date"].search(text):
            # "Tot wanneer kon men aanvragen?" asks a limit: "uiterlijk op 1 augustus 2008", not "afgegeven na
            # 18 september 2007"
            return 1.0 if _DEADLINE_SAID.search(text) else DATE_NOT_A_LIMIT
        return 1.0 if analysis.slot in VALUES and VALUES[analysis.slot].search(text) else 0.0
    if kind == REASON:
        return 1.0 if _CAUSAL.search(text) else 0.4
    if kind == PROCEDURE and unit_kind == "list" and _MEANS_ASKED.search(analysis.question):
        return 0.9  # "Hoe zorgen de partners ervoor dat …?": the means, as a text lists them ("De doorgaande lijn wordt
        # gerealiseerd door: • … • …"), before a sentence that mentions the result
    if analysis.slot == "actor" and unit_kind != "list" and _AGENT_NAMED.search(text):
        return 1.0  # "Wie heeft de notitie opgesteld?": a text that says by whom ("geschreven door Sardes") before one
        # about the thing done
    return 0.6 if unit_kind != "list" else 0.5
