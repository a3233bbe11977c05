"""The Lansingerland category choice (§8: 1 Direct starten, 2 Oriëntatie, 3 Geen belangstelling).

§8's criteria (do we want to become an IKC; is there support in the team, among parents, in the MR and
on the board; is the partner chosen; and the pace) lead to a category, explained with the exact text
of §7 and §8 (from `data/category-lansingerland.yaml`, checked against the PDF) and the steps §8 lists
for housing decisions. What is not known yet is never read as a no: the advice asks for every criterion
that is still open, the decisive ones (those whose answer could change the category) first and marked as
such, and a category that rests on open decisive criteria is called provisional. The same rules serve
the wizard (`decide`), a chat interview that asks what is open (`CategoryInterview`) and a free-text
description (`situation.advise_from_text`).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.director.replies import MAYBE, NO, YES, is_dont_know, read_reply
from ikc.records import Citation

DATA = Path(__file__).resolve().parent / "data" / "category-lansingerland.yaml"

PARTLY = "partly"  # support in part, hesitant (yes, no and maybe are the reply words of `replies`)
PENDING = "pending"  # not discussed with them yet: support is not established, and still to be asked
DIRECT, LATER = "direct", "later"  # the pace

# §8's criteria, in the words the labelled sets use, and the answer field each one is kept in.
CRITERIA = ("wil", "team", "ouders", "mr", "bestuur", "partner", "tempo")
FIELDS = {"wil": "want", "team": "team", "ouders": "parents", "mr": "mr", "bestuur": "board",
          "partner": "partners_clear", "tempo": "tempo"}
SUPPORT_GROUPS = ("team", "ouders", "mr", "bestuur")


@dataclass(frozen=True)
class Quote:
    key: str
    text: str
    page: int
    section: str
    label_en: str = ""


@dataclass(frozen=True)
class Category:
    number: int
    name: str
    name_en: str
    text: str
    page: int

    @property
    def label(self) -> str:
        """As the note's table puts it: `Categorie 1 Direct starten`."""
        return f"Categorie {self.number} {self.name}"


@dataclass
class CategoryGuide:
    """§7 and §8 as data."""

    doc_id: str
    title: str
    sections: dict[str, str]
    categories: list[Category]
    good: list[Quote]
    less_good: list[Quote]
    quotes: dict[str, Quote]
    steps_intro: Quote
    steps: list[Quote]

    def category(self, number: int) -> Category:
        return next(c for c in self.categories if c.number == number)

    def reason(self, key: str) -> Quote:
        for quote in self.good + self.less_good:
            if quote.key == key:
                return quote
        raise KeyError(f"no reason {key!r}")

    def cite(self, quote: Quote | Category, n: int) -> Citation:
        if isinstance(quote, Category):
            return Citation(n=n, doc_id=self.doc_id, title=self.title, page=quote.page,
                            section=self.sections["categories"], text=f"{quote.label} {quote.text}")
        return Citation(n=n, doc_id=self.doc_id, title=self.title, page=quote.page,
                        section=self.sections.get(quote.section, ""), text=quote.text)


@lru_cache(maxsize=4)
def load_guide(path: Path = DATA) -> CategoryGuide:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))

    def quotes(items: list[dict], section: str) -> list[Quote]:
        return [Quote(i.get("key", ""), i["text"], int(i["page"]), section, i.get("label_en", "")) for i in items]

    return CategoryGuide(
        doc_id=data["doc_id"], title=data["title"], sections=data["sections"],
        categories=[Category(c["number"], c["name"], c["name_en"], c["text"], int(c["page"]))
                    for c in data["categories"]],
        good=quotes(data["reasons"]["good"], "reasons"),
        less_good=quotes(data["reasons"]["less_good"], "reasons"),
        quotes={k: Quote(k, q["text"], int(q["page"]), q["section"]) for k, q in data["quotes"].items()},
        steps_intro=Quote("steps", data["steps"]["intro"]["text"], int(data["steps"]["intro"]["page"]), "categories"),
        steps=quotes(data["steps"]["items"], "categories"),
    )


@dataclass
class CategoryAnswers:
    """What is known about §8's criteria; None = not known (never read as a no)."""

    want: str | None = None  # yes | maybe | no
    team: str | None = None  # yes | partly | no | pending
    parents: str | None = None
    mr: str | None = None
    partners_clear: bool | None = None
    reasons: list[str] = field(default_factory=list)  # keys of §7's good and less good reasons
    board: str | None = None  # yes | partly | no | pending
    tempo: str | None = None  # direct | later
    evidence: dict = field(default_factory=dict)  # criterion -> the words it was read from (free text)

    def value(self, criterion: str):
        return getattr(self, FIELDS[criterion])

    def unknown(self) -> list[str]:
        """The criteria the director has said nothing about (None). "Not discussed with them yet" (PENDING)
        is known: §8 counts support that is "nog niet zo duidelijk" towards category 2."""
        return [c for c in CRITERIA if self.value(c) is None]

    def with_value(self, criterion: str, value) -> CategoryAnswers:
        out = CategoryAnswers(**{k: v for k, v in asdict(self).items()})
        setattr(out, FIELDS[criterion], value)
        return out

    def known(self) -> bool:
        return any(self.value(c) is not None for c in CRITERIA)

    def merged(self, newer: CategoryAnswers) -> CategoryAnswers:
        """These answers with what `newer` adds or corrects (its known values win)."""
        out = CategoryAnswers(**{k: v for k, v in asdict(self).items()})
        for criterion in CRITERIA:
            if newer.value(criterion) is not None:
                setattr(out, FIELDS[criterion], newer.value(criterion))
                if criterion in newer.evidence:
                    out.evidence[criterion] = newer.evidence[criterion]
        out.reasons = list(dict.fromkeys(self.reasons + newer.reasons))
        return out


@dataclass
class CategoryAdvice:
    number: int
    name: str
    label: str  # "Categorie 2 Oriëntatie"
    text: str  # the category's explanation in §8, exact
    page: int
    why: list[str]  # plain-language reasons for this outcome, with quoted §7/§8 sentences and markers
    citations: list[Citation]
    next_steps: list[str]  # §8's steps, exact
    good_reasons: list[str]  # chosen §7 good reasons, exact
    less_good_reasons: list[str]  # chosen §7 less good reasons, exact
    language: str = "nl"
    answers: dict = field(default_factory=dict)
    open_criteria: list[str] = field(default_factory=list)  # every unknown criterion (CRITERIA names), decisive first
    questions: list[str] = field(default_factory=list)  # the questions for them, in the advice's language
    provisional: bool = False  # some open criterion could still change the category
    decisive: list[str] = field(default_factory=list)  # the open criteria whose answer could change the category
    # per open criterion (same order): what an answer would change, with the §8 row it leads to cited ("" if nothing)
    consequences: list[str] = field(default_factory=list)

    def to_markdown(self, language: str | None = None) -> str:
        """The advice for a director, quoting §7 and §8 with `[n]` markers that point at `citations`."""
        lang = language or self.language
        en = lang == "en"
        cites = {c.text: c.n for c in self.citations}
        ref = lambda text: f" [{cites[text]}]" if text in cites else ""  # noqa: E731
        guide = load_guide()
        cat = guide.category(self.number)
        head_text = f"{cat.label} {cat.text}"
        if en:
            verdict = "fits for now, on what you have told me" if self.provisional else "fits best"
            lead = f"**Category {self.number}, \u201c{self.name}\u201d ({cat.name_en.lower()})** {verdict}; section 8 says:"
        else:
            verdict = "past voorlopig, op grond van wat je vertelt" if self.provisional else "past het best"
            lead = f"**{cat.label}** {verdict}; §8 zegt:"
        # the verdict introduces the row of §8's table it rests on, quoted and cited on the next line
        blocks = [lead, f"> {cat.label}: {cat.text}{ref(head_text)}"]
        if self.why:
            blocks.append(("Why:" if en else "Waarom:") + "\n" + "\n".join(f"- {w}" for w in self.why))
        if self.good_reasons:
            head = "Your reasons that §7 counts as good reasons:" if en else "Jullie redenen die §7 goede redenen noemt:"
            blocks.append("\n".join([head] + [f"- {t}{ref(t)}" for t in self.good_reasons]))
        if self.less_good_reasons:
            head = ("Reasons §7 calls less good; they do not change the category, but are worth discussing:" if en
                    else "Redenen die §7 minder goede redenen noemt; ze veranderen de categorie niet, maar zijn "
                         "goed om te bespreken:")
            blocks.append("\n".join([head] + [f"- {t}{ref(t)}" for t in self.less_good_reasons]))
        if self.questions:
            blocks.append(self._open_markdown(en))
        intro = guide.steps_intro.text
        head = f"Next steps (§8): {intro}" if en else f"Volgende stappen (§8): {intro}"
        blocks.append("\n".join([head + ref(intro)] +
                                [f"{i}. {t}{ref(t)}" for i, t in enumerate(self.next_steps, start=1)]))
        return "\n\n".join(blocks)

    def _open_markdown(self, en: bool) -> str:
        """Every open criterion with its question: the decisive ones first, marked; the others said not to
        change the category (they still matter for the conversation §8 asks for)."""
        if self.decisive:
            head = ("Still open (not counted as a no); please tell me:" if en else
                    "Nog niet bekend (dat telt niet als nee); vertel het me graag:")
        else:
            head = ("Still open (not counted as a no); the category is settled by what you told me, these do "
                    "not change it:" if en else
                    "Nog niet bekend (dat telt niet als nee); de categorie staat vast op grond van wat je vertelt, "
                    "deze punten veranderen haar niet:")
        mark = {True: "**this decides the category**" if en else "**dit bepaalt de categorie**",
                False: "does not change the category" if en else "verandert de categorie niet"}
        lines = [head]
        consequences = self.consequences or [""] * len(self.open_criteria)
        for criterion, question, then in zip(self.open_criteria, self.questions, consequences):
            if criterion in self.decisive and then:
                # the question, then the claim that it decides, with what each answer would make it, cited
                lines.append(f"- {question} {mark[True][:3].upper()}{mark[True][3:]}: {then[0].lower()}{then[1:]}")
            else:
                lines.append(f"- {question} ({mark[criterion in self.decisive]})")
        return "\n".join(lines)

    def sources_markdown(self, language: str | None = None) -> str:
        """The list every `[n]` marker points at: document, section and page, and the quoted text."""
        return sources_markdown(self.citations, language or self.language)

    def to_json(self) -> dict:
        data = asdict(self)
        data["markdown"] = self.to_markdown()
        return data

    @classmethod
    def from_json(cls, data: dict) -> CategoryAdvice:
        """The advice back from `to_json()` (as kept in a profile or a UI state): readers go through the
        fields of this class rather than guessing keys of the dict."""
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["citations"] = [c if isinstance(c, Citation) else Citation(**c) for c in data.get("citations", [])]
        return cls(**fields)


def sources_markdown(citations: list[Citation], language: str = "nl") -> str:
    """`[n] Title, section, p. N: "quote"` for every citation: what makes a take-away self-contained."""
    page = "p." if language == "en" else "p."
    lines = []
    for c in citations:
        where = ", ".join(x for x in (c.title or c.doc_id, c.section, f"{page} {c.page}") if x)
        lines.append(f"[{c.n}] {where}: \u201c{c.text}\u201d")
    return "\n".join(lines)


# --- the rules ----------------------------------------------------------------------------------

_FACTS = {
    "nl": {
        ("wil", YES): "Jullie willen een IKC worden.", ("wil", MAYBE): "Jullie willen er nog over nadenken.",
        ("wil", NO): "Jullie willen geen IKC worden.",
        ("support", YES): "Er is draagvlak bij {groups}.", ("support", PARTLY): "Bij {groups} is er twijfel of zorg.",
        ("support", NO): "Er is geen draagvlak bij {groups}.",
        ("support", PENDING): "Met {groups} is het nog niet besproken, dus het draagvlak is daar nog niet duidelijk.",
        ("partner", True): "De partner is duidelijk.", ("partner", False): "De partner is nog niet gekozen.",
        ("tempo", DIRECT): "Jullie willen snel beginnen.", ("tempo", LATER): "Jullie willen de tijd nemen.",
    },
    "en": {
        ("wil", YES): "You want to become an IKC.", ("wil", MAYBE): "You still want to think about it.",
        ("wil", NO): "You do not want to become an IKC.",
        ("support", YES): "There is support from {groups}.", ("support", PARTLY): "{groups} hesitate or have concerns.",
        ("support", NO): "There is no support from {groups}.",
        ("support", PENDING): "It has not been discussed with {groups} yet, so support there is not clear yet.",
        ("partner", True): "The partner is clear.", ("partner", False): "The partner has not been chosen yet.",
        ("tempo", DIRECT): "You want to start soon.", ("tempo", LATER): "You want to take your time.",
    },
}
_GROUP_NAMES = {"nl": {"team": "het team", "ouders": "de ouders", "mr": "de MR", "bestuur": "het bestuur"},
                "en": {"team": "the team", "ouders": "the parents", "mr": "the MR", "bestuur": "the board"}}
QUESTIONS = {
    "nl": {"wil": "Willen jullie als school een IKC worden?", "team": "Hoe staat het team ertegenover?",
           "ouders": "Hoe denken de ouders erover?", "mr": "Hoe staat de MR (medezeggenschapsraad) ertegenover?",
           "bestuur": "Wat vindt het bestuur?",
           "partner": "Is duidelijk met welke kinderopvangpartner jullie het IKC vormen?",
           "tempo": "Wanneer willen jullie beginnen: zo snel mogelijk, of eerst rustig verkennen?"},
    "en": {"wil": "Does the school itself want to become an IKC?", "team": "How does the team feel about it?",
           "ouders": "What do the parents think?", "mr": "How does the MR (participation council) feel about it?",
           "bestuur": "What does the board think?",
           "partner": "Is it clear which childcare partner you would form the IKC with?",
           "tempo": "When do you want to start: as soon as possible, or first take time to explore?"},
}


def _join(names: list[str], en: bool) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + (" and " if en else " en ") + names[-1]


# The values each criterion can take (what `decisive_criteria` tries for an unknown one).
VALUES = {"wil": (YES, MAYBE, NO), "team": (YES, PARTLY, NO, PENDING), "ouders": (YES, PARTLY, NO, PENDING),
          "mr": (YES, PARTLY, NO, PENDING), "bestuur": (YES, PARTLY, NO, PENDING), "partner": (True, False),
          "tempo": (DIRECT, LATER)}


def _has_doubt(answers: CategoryAnswers) -> bool:
    """Something known speaks for §8's category 2: "We willen er nog over nadenken, misschien is het draagvlak
    nog niet zo duidelijk of zijn de partners nog niet helemaal uitgekristalliseerd"."""
    return (answers.want == MAYBE or answers.partners_clear is False
            or any(answers.value(g) in (PARTLY, NO, PENDING) for g in SUPPORT_GROUPS))


def category_number(answers: CategoryAnswers) -> int:
    """§8's table as a rule: 3 "We willen geen IKC worden"; 2 when something known speaks for "nog over
    nadenken" (`_has_doubt`); otherwise 1 "We willen een IKC worden, er is draagvlak, de partners zijn
    duidelijk" as far as known (an unknown criterion is never a no). The pace names the categories (Direct
    starten, Oriëntatie) but is not one of §8's criteria, so it does not decide."""
    if answers.want == NO:
        return 3
    return 2 if _has_doubt(answers) else 1


def decisive_criteria(answers: CategoryAnswers) -> list[str]:
    """The unknown criteria whose answer could change the category, in §8's order: for each, is there a
    value that gives another category than what is known now? When the known criteria decide already
    (a school that does not want an IKC; a doubt that is known, with the wish known), none is decisive;
    for a category 1 that rests on unknowns each of them is (any could turn out a doubt). Derived from
    `category_number`, so it follows the rule rather than a list per situation."""
    now = category_number(answers)
    return [c for c in answers.unknown()
            if any(category_number(answers.with_value(c, v)) != now for v in VALUES[c])]


def open_criteria(answers: CategoryAnswers) -> list[str]:
    """Every criterion the director has said nothing about, the decisive ones first (each group in §8's
    order): all of them are asked, since an unknown is never a no, and the ones that could change the
    category are the ones to settle first."""
    decisive = decisive_criteria(answers)
    return decisive + [c for c in answers.unknown() if c not in decisive]


def decide(answers: CategoryAnswers, language: str = "nl") -> CategoryAdvice:
    """The category that fits what is known, with the cited explanation, what is still open and §8's steps.

    3 when the school does not want to become an IKC. 2 when something known speaks for §8's "nog over
    nadenken": still thinking, hesitation or no support in the team, among parents, in the MR or on the
    board (or not discussed with them yet), or no partner chosen. Otherwise 1: wanting it, with support and
    a partner as far as known. Every open criterion is asked, never counted as a no; open decisive ones
    (`decisive_criteria`) come first and make the category provisional.
    §7's less good reasons are named for discussion; they do not change the category.
    """
    guide = load_guide()
    lang = "en" if language == "en" else "nl"
    en = lang == "en"
    facts, names = _FACTS[lang], _GROUP_NAMES[lang]
    good = [guide.reason(k) for k in answers.reasons if k in {q.key for q in guide.good}]
    less = [guide.reason(k) for k in answers.reasons if k in {q.key for q in guide.less_good}]
    support = {g: answers.value(g) for g in SUPPORT_GROUPS}
    by_state = {state: [names[g] for g, v in support.items() if v == state] for state in (YES, PARTLY, NO, PENDING)}
    number = category_number(answers)
    category = guide.category(number)
    citations = [guide.cite(category, 1)]

    def cite(quote: Quote | Category) -> int:
        """The marker of a quote (or a row of §8's table), citing it once."""
        text = guide.cite(quote, 0).text
        for c in citations:
            if c.text == text:
                return c.n
        citations.append(guide.cite(quote, len(citations) + 1))
        return len(citations)

    def sourced(fact: str, source: tuple[Quote | Category, str]) -> str:
        """A fact read from the director's words with the words of §8 it answers: "… — §8, Categorie 1 …: “…” [n]".
        In English the fact leads in and the Dutch words of §8 follow on a line of their own (`quoted_source`)."""
        quote, words = source
        where = f"§8, {quote.label}" if isinstance(quote, Category) else "§8"
        if en:
            return f"{fact.rstrip('.')}; {where} says:" + quoted_source(words, cite(quote))
        return f"{fact.rstrip('.')} \u2014 {where}: \u201c{words}\u201d [{cite(quote)}]"

    why: list[str] = []
    if answers.want is not None:
        why.append(sourced(facts[("wil", answers.want)], criterion_source(guide, "wil", answers.want)))
    for state in (YES, PARTLY, NO, PENDING):
        if by_state[state]:
            text = facts[("support", state)].format(groups=_join(by_state[state], en))
            why.append(sourced(text[0].upper() + text[1:], criterion_source(guide, "team", state)))
    if answers.partners_clear is not None:
        why.append(sourced(facts[("partner", answers.partners_clear)],
                           criterion_source(guide, "partner", answers.partners_clear)))
    if answers.tempo is not None:
        why.append(sourced(facts[("tempo", answers.tempo)], criterion_source(guide, "tempo", answers.tempo)))
    quotes: list[Quote] = []
    if number == 3:
        quotes.append(guide.quotes["not_all_schools"])
        if answers.evidence.get("brede_school"):
            quotes.append(guide.quotes["brede_school"])
        if answers.board in (None, PENDING):
            quotes.append(guide.quotes["boards_at_helm"])
    elif number == 2:
        if any(v in (PARTLY, NO, PENDING) for v in support.values()):
            quotes.append(guide.quotes["local_support"])
            if answers.want == YES and any(support[g] in (PARTLY, NO) for g in ("team", "ouders", "mr")):
                quotes.append(guide.reason("zonder_draagvlak"))
        if answers.partners_clear is False:
            quotes.append(guide.quotes["choose_partner"])
        if answers.tempo == LATER or answers.want == MAYBE:
            quotes.append(guide.quotes["takes_time"])
        quotes.append(guide.quotes["gradual"])
    else:
        quotes.append(guide.quotes["support_criterion"])
    decisive = decisive_criteria(answers)
    still_open = open_criteria(answers)
    consequences = [_consequence(guide, answers, c, lang, cite) if c in decisive else "" for c in still_open]
    for quote in quotes:
        why.append(f"\u201c{quote.text}\u201d [{cite(quote)}]")
    for quote in good + less + [guide.steps_intro] + guide.steps:
        cite(quote)
    return CategoryAdvice(
        number=number, name=category.name, label=category.label, text=category.text, page=category.page,
        why=why, citations=citations, next_steps=[s.text for s in guide.steps],
        good_reasons=[q.text for q in good], less_good_reasons=[q.text for q in less], language=lang,
        answers=asdict(answers), open_criteria=still_open,
        questions=[QUESTIONS[lang][c] for c in still_open], provisional=bool(decisive), decisive=decisive,
        consequences=consequences,
    )


def row_clauses(category: Category) -> list[str]:
    """A row of §8's table in its clauses, in the criteria's order (the wish, support, the partners):
    "We willen een IKC worden | er is draagvlak | de partners zijn duidelijk"."""
    return [c.strip() for c in re.split(r",\s*|\s+of\s+", category.text) if c.strip()]


_DOUBT = (PARTLY, NO, PENDING)
_CLAUSE = {"wil": 0, "support": 1, "partner": 2}  # which clause of a row each criterion answers (`row_clauses`)


def criterion_source(guide: CategoryGuide, criterion: str, value) -> tuple[Quote | Category, str]:
    """The words of §8 a criterion's value answers, and where they stand: the wish, support and the partners are
    the clauses of the table's rows (yes: row 1; thinking it over, doubt or not chosen: row 2; not wanting it:
    row 3); the pace is the name "Direct starten", or §8's "de ontwikkeling van een IKC tijd kost"."""
    if criterion == "tempo":
        if value == DIRECT:
            row = guide.category(1)
            return row, row.name
        quote = guide.quotes["takes_time"]
        return quote, quote.text
    kind = "support" if criterion in SUPPORT_GROUPS else criterion
    if kind == "wil":
        number = {YES: 1, MAYBE: 2, NO: 3}[value]
    elif kind == "support":
        number = 2 if value in _DOUBT else 1
    else:
        number = 1 if value else 2
    row = guide.category(number)
    clauses = row_clauses(row)
    return row, clauses[min(_CLAUSE[kind], len(clauses) - 1)]


# What an answer to an open criterion would be, as the condition of its consequence ("{groups}": the group).
_IF = {
    "nl": {("wil", YES): "Willen jullie een IKC worden", ("wil", MAYBE): "Willen jullie er eerst over nadenken",
           ("wil", NO): "Willen jullie geen IKC worden", ("support", YES): "Is er draagvlak bij {groups}",
           ("support", "doubt"): "Is er bij {groups} twijfel of (nog) onvoldoende draagvlak",
           ("partner", True): "Is de partner duidelijk", ("partner", False): "Is de partner nog niet gekozen"},
    "en": {("wil", YES): "If you want to become an IKC", ("wil", MAYBE): "If you would rather think it over first",
           ("wil", NO): "If you do not want to become an IKC", ("support", YES): "If {groups} support it",
           ("support", "doubt"): "If there is hesitation or not enough support (yet) from {groups}",
           ("partner", True): "If the partner is clear", ("partner", False): "If the partner has not been chosen yet"},
}


def _consequence(guide: CategoryGuide, answers: CategoryAnswers, criterion: str, lang: str, cite) -> str:
    """What the answers to an open, decisive criterion would change, each citing the row of §8 it leads to:
    "Is er bij de MR twijfel of (nog) onvoldoende draagvlak, dan wordt het Categorie 2 Oriëntatie: “…” [2]."
    Derived from `category_number`, like `decisive_criteria`."""
    now = category_number(answers)
    kind = "support" if criterion in SUPPORT_GROUPS else criterion
    sentences, seen = [], set()
    for value in VALUES[criterion]:
        number = category_number(answers.with_value(criterion, value))
        key = (kind, "doubt" if kind == "support" and value in _DOUBT else value)
        if number == now or key in seen:
            continue
        seen.add(key)
        row, words = criterion_source(guide, criterion, value)
        condition = _IF[lang][key].format(groups=_GROUP_NAMES[lang].get(criterion, ""))
        target = guide.category(number)
        if lang == "en":
            sentences.append(f"{condition}, it becomes {target.label}, where §8 says:" + quoted_source(words, cite(row)))
        else:
            sentences.append(f"{condition}, dan wordt het {target.label}: \u201c{words}\u201d [{cite(row)}].")
    return ("\n  " if lang == "en" else " ").join(sentences)


def quoted_source(words: str, marker: int) -> str:
    """The Dutch words of §7/§8 a claim rests on, verbatim and cited, on a continuation line of the claim's list item.

    An English claim ("There is support from the team") is the director's situation in English; what it rests on is
    §8's Dutch clause. Put after a lead-in that ends in ':', the quote is the part that cites, so a reader (and the
    lexical support check of `evals/metrics.py`) sees the source's own words next to their marker instead of an
    English paraphrase that shares no words with the Dutch text."""
    return f"\n  \u201c{words}\u201d [{marker}]"


# --- the interview (chat or terminal) -----------------------------------------------------------

_QUESTIONS = {
    "want": {"nl": "Willen jullie een IKC worden? (*ja*, *misschien*, *nee*)",
             "en": "Do you want to become an IKC? (*yes*, *maybe*, *no*)"},
    "team": {"nl": "Is er draagvlak bij het **team**? (*ja*, *deels*, *nee*)",
             "en": "Is there support in the **team**? (*yes*, *partly*, *no*)"},
    "parents": {"nl": "Is er draagvlak bij de **ouders**? (*ja*, *deels*, *nee*)",
                "en": "Is there support among the **parents**? (*yes*, *partly*, *no*)"},
    "mr": {"nl": "Is er draagvlak bij de **MR** (medezeggenschapsraad)? (*ja*, *deels*, *nee*)",
           "en": "Is there support in the **MR** (participation council)? (*yes*, *partly*, *no*)"},
    "board": {"nl": "Steunt het **bestuur** het? (*ja*, *deels*, *nee*)",
              "en": "Does the **board** support it? (*yes*, *partly*, *no*)"},
    "partners": {"nl": "Is duidelijk met welke partner(s) jullie het IKC vormen? (*ja*, *nee*)",
                 "en": "Is it clear which partner(s) you would form the IKC with? (*yes*, *no*)"},
    "tempo": {"nl": "Willen jullie zo snel mogelijk beginnen? (*ja*, *nee*: eerst rustig verkennen)",
              "en": "Do you want to start as soon as possible? (*yes*, *no*: first take time to explore)"},
    "reasons": {"nl": "Welke redenen drijven jullie? Noem de nummers (bijv. *1, 3, 9*), of *geen*.",
                "en": "Which reasons drive you? Give the numbers (e.g. *1, 3, 9*), or *none*."},
}
_STEP_CRITERION = {"want": "wil", "team": "team", "parents": "ouders", "mr": "mr", "board": "bestuur",
                   "partners": "partner", "tempo": "tempo"}
_CRITERION_STEP = {c: k for k, c in _STEP_CRITERION.items()}
_DECISIVE_MARK = {"nl": "(**dit bepaalt de categorie**)", "en": "(**this decides the category**)"}


@dataclass
class CategoryStep:
    message: str
    options: list[str]
    done: bool
    advice: CategoryAdvice | None = None
    citations: list[Citation] = field(default_factory=list)


def reason_checklist(language: str = "nl") -> list[dict]:
    """§7's reasons as one numbered checklist: good ones first, then less good (for wizards and the interview)."""
    guide = load_guide()
    items = []
    for kind, quotes in (("good", guide.good), ("less_good", guide.less_good)):
        for q in quotes:
            items.append({"number": len(items) + 1, "key": q.key, "kind": kind, "text": q.text, "page": q.page,
                          "label": q.label_en if language == "en" and q.label_en else q.text})
    return items


class CategoryInterview:
    """The questions one at a time: every criterion not known yet, the decisive ones first (marked), then §7's
    reasons; "weet ik niet" leaves a criterion open (never a no). `handle(text)` takes an answer, `to_json()`
    keeps the state."""

    def __init__(self, language: str = "nl", answers: CategoryAnswers | None = None,
                 asked: list[str] | None = None, reasons_done: bool = False) -> None:
        self.language = language if language in ("nl", "en") else "nl"
        self.answers = answers or CategoryAnswers()
        self.asked = list(asked or [])  # criteria put to the director already (answered or "weet ik niet")
        self.reasons_done = reasons_done

    def _next_key(self) -> str | None:
        """The next step: the first decisive criterion not asked yet, then the other open ones, then the
        reasons. A school that does not want an IKC is asked nothing more (the open rest is listed)."""
        if self.answers.want == NO:
            return None
        for criterion in open_criteria(self.answers):
            if criterion not in self.asked:
                return _CRITERION_STEP[criterion]
        return None if self.reasons_done else "reasons"

    @property
    def done(self) -> bool:
        return self._next_key() is None

    def to_json(self) -> dict:
        return {"language": self.language, "answers": asdict(self.answers), "asked": self.asked,
                "reasons_done": self.reasons_done}

    @classmethod
    def from_json(cls, data: dict) -> CategoryInterview:
        return cls(data.get("language", "nl"), CategoryAnswers(**data.get("answers", {})), data.get("asked"),
                   bool(data.get("reasons_done")))

    def ask(self) -> CategoryStep:
        key = self._next_key()
        if key is None:
            return self._result()
        message = _QUESTIONS[key][self.language]
        if key in _STEP_CRITERION and _STEP_CRITERION[key] in decisive_criteria(self.answers):
            message += " " + _DECISIVE_MARK[self.language]
        if key == "reasons":
            guide = load_guide()
            good_head = "Good reasons (§7)" if self.language == "en" else "Goede redenen (§7)"
            less_head = "Less good reasons (§7)" if self.language == "en" else "Minder goede redenen (§7)"
            items = reason_checklist(self.language)
            lines = [message, f"**{good_head}**"]
            lines += [f"{i['number']}. {i['text']} (p. {i['page']})" for i in items if i["kind"] == "good"]
            lines.append(f"**{less_head}**")
            lines += [f"{i['number']}. {i['text']} (p. {i['page']})" for i in items if i["kind"] == "less_good"]
            citations = [guide.cite(q, n) for n, q in enumerate(guide.good + guide.less_good, start=1)]
            return CategoryStep("\n".join(lines), [], False, citations=citations)
        keys = {"want": ["ja", "misschien", "nee"], "partners": ["ja", "nee"], "tempo": ["ja", "nee"]}.get(
            key, ["ja", "deels", "nee"])
        keys = keys + ["weet ik niet"]
        if self.language == "en":
            words = {"ja": "yes", "misschien": "maybe", "nee": "no", "deels": "partly", "weet ik niet": "don't know"}
            keys = [words[o] for o in keys]
        return CategoryStep(message, keys, False)

    def handle(self, text: str) -> CategoryStep:
        key = self._next_key()
        if key is None:
            return self._result()
        value = (text or "").strip()
        if key == "reasons":
            if re.match(r"^(?:geen|none|nothing|niets|-)\W*$", value, re.IGNORECASE):
                chosen: list[str] = []
            else:
                numbers = [int(n) for n in re.findall(r"\d+", value)]
                items = {i["number"]: i["key"] for i in reason_checklist()}
                if not numbers or any(n not in items for n in numbers):
                    return self.ask()
                chosen = [items[n] for n in numbers]
            self.answers.reasons = chosen
            self.reasons_done = True
        elif is_dont_know(value):
            self.asked.append(_STEP_CRITERION[key])  # stays unknown: listed as open, never a no
        else:
            answer = read_reply(value)
            if answer is None:
                return self.ask()
            if key == "want":
                self.answers.want = {YES: YES, NO: NO}.get(answer, MAYBE)
            elif key == "partners":
                self.answers.partners_clear = answer == YES
            elif key == "tempo":
                self.answers.tempo = DIRECT if answer == YES else LATER
            else:
                setattr(self.answers, key, {YES: YES, NO: NO}.get(answer, PARTLY))
            self.asked.append(_STEP_CRITERION[key])
        return self.ask()

    def _result(self) -> CategoryStep:
        advice = decide(self.answers, self.language)
        return CategoryStep(advice.to_markdown(), [], True, advice=advice, citations=advice.citations)
