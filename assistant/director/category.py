"""The Lansingerland category choice (§8: 1 Direct starten, 2 Oriëntatie, 3 Geen belangstelling).

A few questions (do we want to become an IKC; is there support in team, parents and MR; are the
partners clear; which of §7's good and less good reasons drive us) lead to a category, explained
with the exact text of §7 and §8 (from `data/category-lansingerland.yaml`, checked against the PDF)
and the steps §8 lists for housing decisions. The same rules serve the wizard (`decide`), a chat
interview (`CategoryInterview`) and a free-text question (`category_from_text`).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.director.intents import is_category_question
from assistant.director.replies import MAYBE, NO, YES, read_reply
from assistant.language import detect_language
from ikc.records import Citation

DATA = Path(__file__).resolve().parent / "data" / "category-lansingerland.yaml"

PARTLY = "partly"  # support in part (yes, no and maybe are the reply words of `replies`)


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
    """The director's answers; None = not answered / unknown."""

    want: str | None = None  # yes | maybe | no
    team: str | None = None  # yes | partly | no
    parents: str | None = None
    mr: str | None = None
    partners_clear: bool | None = None
    reasons: list[str] = field(default_factory=list)  # keys of §7's good and less good reasons


@dataclass
class CategoryAdvice:
    number: int
    name: str
    label: str  # "Categorie 2 Oriëntatie"
    text: str  # the category's explanation in §8, exact
    page: int
    why: list[str]  # plain-language reasons for this outcome
    citations: list[Citation]
    next_steps: list[str]  # §8's steps, exact
    good_reasons: list[str]  # chosen §7 good reasons, exact
    less_good_reasons: list[str]  # chosen §7 less good reasons, exact
    language: str = "nl"
    answers: dict = field(default_factory=dict)

    def to_markdown(self, language: str | None = None) -> str:
        """The advice for a director, quoting §7 and §8 with `[n]` markers that point at `citations`."""
        lang = language or self.language
        cites = {c.text: c.n for c in self.citations}
        ref = lambda text: f" [{cites[text]}]" if text in cites else ""  # noqa: E731
        guide = load_guide()
        cat = guide.category(self.number)
        head_text = f"{cat.label} {cat.text}"
        if lang == "en":
            blocks = [f"**Category {self.number}, \u201c{self.name}\u201d ({cat.name_en.lower()})** fits best.",
                      f"> {cat.label}: {cat.text}{ref(head_text)}", "Why: " + " ".join(self.why)]
        else:
            blocks = [f"**{cat.label}** past het best.", f"> {cat.label}: {cat.text}{ref(head_text)}",
                      "Waarom: " + " ".join(self.why)]
        if self.good_reasons:
            head = "Your reasons that §7 counts as good reasons:" if lang == "en" else \
                "Jullie redenen die §7 goede redenen noemt:"
            blocks.append("\n".join([head] + [f"- {t}{ref(t)}" for t in self.good_reasons]))
        if self.less_good_reasons:
            head = "Reasons §7 calls less good, worth discussing:" if lang == "en" else \
                "Redenen die §7 minder goede redenen noemt, om te bespreken:"
            blocks.append("\n".join([head] + [f"- {t}{ref(t)}" for t in self.less_good_reasons]))
        intro = guide.steps_intro.text
        head = f"Next steps (§8): {intro}" if lang == "en" else f"Volgende stappen (§8): {intro}"
        blocks.append("\n".join([head + ref(intro)] +
                                [f"{i}. {t}{ref(t)}" for i, t in enumerate(self.next_steps, start=1)]))
        return "\n\n".join(blocks)

    def to_json(self) -> dict:
        data = asdict(self)
        data["markdown"] = self.to_markdown()
        return data

    @classmethod
    def from_json(cls, data: dict) -> "CategoryAdvice":
        """The advice back from `to_json()` (as kept in a profile or a UI state): readers go through the
        fields of this class rather than guessing keys of the dict."""
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["citations"] = [c if isinstance(c, Citation) else Citation(**c) for c in data.get("citations", [])]
        return cls(**fields)


# --- the rules ----------------------------------------------------------------------------------


def decide(answers: CategoryAnswers, language: str = "nl") -> CategoryAdvice:
    """The category that fits the answers, with the cited explanation and §8's next steps.

    3 when the location does not want to become an IKC; 1 when it wants to, the team, the parents and
    the MR support it and the partners are clear; 2 otherwise (still thinking, support or partners
    not clear). Wanting it for none of §7's good reasons and only less good ones also gives 2.
    """
    guide = load_guide()
    en = language == "en"
    support = [answers.team, answers.parents, answers.mr]
    good = [guide.reason(k) for k in answers.reasons if k in {q.key for q in guide.good}]
    less = [guide.reason(k) for k in answers.reasons if k in {q.key for q in guide.less_good}]
    why: list[str] = []
    quotes: list[Quote] = []
    if answers.want == NO:
        number = 3
        why.append("You do not want to become an IKC." if en else "Jullie willen geen IKC worden.")
        quotes.append(guide.quotes["not_all_schools"])
    elif answers.want == YES and all(s == YES for s in support) and answers.partners_clear is True and (
        good or not less
    ):
        number = 1
        why.append("You want to become an IKC, the team, the parents and the MR support it, and the partners are "
                   "clear." if en else "Jullie willen een IKC worden, team, ouders en MR steunen het en de partners "
                   "zijn duidelijk.")
        quotes.append(guide.quotes["support_criterion"])
    else:
        number = 2
        if answers.want != YES:
            why.append("You are still thinking about it." if en else "Jullie willen er nog over nadenken.")
        missing = [name for name, s in zip(("team", "parents" if en else "ouders", "MR"), support) if s != YES]
        if missing:
            why.append(("Support is not yet clear among: " if en else "Het draagvlak is nog niet duidelijk bij: ")
                       + ", ".join(missing) + ".")
            quotes.append(guide.quotes["local_support"])
        if answers.partners_clear is not True:
            why.append("The partners are not yet settled." if en else "De partners zijn nog niet uitgekristalliseerd.")
        if answers.want == YES and less and not good:
            why.append("The reasons you ticked are ones §7 calls less good reasons." if en else
                       "De redenen die jullie aankruisen noemt §7 minder goede redenen.")
        quotes.append(guide.quotes["gradual"])
    category = guide.category(number)
    citations = [guide.cite(category, 1)]
    for quote in quotes + good + less + [guide.steps_intro] + guide.steps:
        if all(c.text != quote.text for c in citations):
            citations.append(guide.cite(quote, len(citations) + 1))
    why_text = list(why)
    for quote in quotes:
        n = next(c.n for c in citations if c.text == quote.text)
        why_text.append(f"\u201c{quote.text}\u201d [{n}]")
    return CategoryAdvice(
        number=number, name=category.name, label=category.label, text=category.text, page=category.page,
        why=why_text, citations=citations, next_steps=[s.text for s in guide.steps],
        good_reasons=[q.text for q in good], less_good_reasons=[q.text for q in less], language=language,
        answers=asdict(answers),
    )


# --- free text ----------------------------------------------------------------------------------

_NO_WANT = re.compile(
    r"geen (?:ikc|integraal kindcentrum|kindcentrum|belangstelling|interesse)|niets in (?:een )?(?:ikc|integra|kindcentrum)|"
    r"\bwil(?:len)? (?:\w+ )?geen\b|niet (?:\w+ )?(?:willen|wil) (?:\w+ )?(?:ikc|worden)|zien? er niets in|"
    r"volledig op (?:het )?onderwijs|alleen op (?:het )?onderwijs|not interested|no interest|"
    r"(?:don't|do not|doesn't|does not) want|(?:see|sees) nothing in|(?:entirely|solely|only) on (?:education|teaching)",
    re.IGNORECASE,
)
_MAYBE = re.compile(
    r"nieuwsgierig|verkenn|oriënt|orient|nadenken|denken er (?:nog )?over|twijfel|misschien|nog niet zeker|"
    r"weten (?:het )?(?:nog )?niet|\beerst\b|curious|explor|not (?:yet )?sure|unsure|consider|think(?:ing)? about|"
    r"first want to|haven't decided|have not decided",
    re.IGNORECASE,
)
_WANT = re.compile(
    r"willen (?:graag |echt |heel graag )?(?:een )?ikc|ikc (?:willen )?worden|intentieverklaring|letter of intent|"
    r"getekend|ondertekend|signed|besloten|decided|\bgaan (?:een )?ikc|want to (?:become|form|start)|"
    r"form an ikc|become an ikc|start (?:directly|right away|now)|direct starten",
    re.IGNORECASE,
)
_SUPPORT = re.compile(
    r"draagvlak|steun|support|achter (?:het plan |ons |dit )?staan|staan er achter|enthousiast|eens\b|agree|"
    r"behind (?:it|the plan)|on board|backing",
    re.IGNORECASE,
)
_NO_SUPPORT = re.compile(
    r"geen draagvlak|geen steun|niet genoeg (?:steun|draagvlak)|of er (?:genoeg |voldoende )?(?:steun|draagvlak)|"
    r"no support|not enough support|lack of support|whether there is (?:enough )?support|tegen\b|against|verdeeld|divided|"
    r"weerstand|resistance",
    re.IGNORECASE,
)
_PARTNER_UNCLEAR = re.compile(
    r"weet (?:nog )?niet of (?:ze|hij|zij)|weten (?:nog )?niet of (?:ze|zij)|nog (?:geen|niet duidelijk)|"
    r"partners? (?:is|zijn) (?:nog )?(?:niet|on)duidelijk|nog niet uitgekristalliseerd|which partner|welke partner|"
    r"not (?:yet )?(?:sure|clear|decided) (?:whether|if|which)|hasn't decided|has not decided|undecided|no partner",
    re.IGNORECASE,
)
_PARTNERS_CLEAR = re.compile(
    r"partners? (?:is|zijn) (?:al |ook )?(?:duidelijk|bekend)|(?:partners?|partner) (?:is|are) (?:already )?(?:clear|known|settled)|"
    r"vaste partner|fixed partner",
    re.IGNORECASE,
)
_PARTNER = re.compile(r"partner|kinderopvang|opvang|childcare|child care|peuteropvang|bso", re.IGNORECASE)
_GROUPS = {
    "team": re.compile(r"\bteam\b|medewerkers|leerkrachten|staff|teachers", re.IGNORECASE),
    "parents": re.compile(r"ouders|parents|ouderraad|parents' council|parent council", re.IGNORECASE),
    "mr": re.compile(r"\bmr\b|medezeggenschap|parents' council|participation council|ouderraad|council",
                     re.IGNORECASE),
}


def answers_from_text(text: str) -> CategoryAnswers:
    """What a free description says about wanting an IKC, support and partners (None where it says nothing)."""
    answers = CategoryAnswers()
    if _NO_WANT.search(text):
        answers.want = NO
    elif _MAYBE.search(text):
        answers.want = MAYBE
    elif _WANT.search(text):
        answers.want = YES
    if _NO_SUPPORT.search(text):
        level = NO if re.search(r"geen draagvlak|geen steun|no support|against|tegen\b", text, re.IGNORECASE) else PARTLY
        answers.team = answers.parents = answers.mr = level
    elif _SUPPORT.search(text):
        named = {g: bool(p.search(text)) for g, p in _GROUPS.items()}
        for group, said in named.items():
            if said or not any(named.values()):
                setattr(answers, group, YES)
    if _PARTNER_UNCLEAR.search(text):
        answers.partners_clear = False
    elif _PARTNERS_CLEAR.search(text) or answers.want == YES and _PARTNER.search(text) and re.search(
            r"signed|getekend|ondertekend|intentieverklaring|letter of intent|afspraken|agreement|samen met|together with|"
            r"our (?:childcare )?partner|onze (?:kinderopvang)?partner", text, re.IGNORECASE):
        answers.partners_clear = True
    return answers


def category_from_text(text: str, language: str | None = None) -> CategoryAdvice | None:
    """For the chat: the category a described situation fits, or None when the text does not ask about
    the categories or says nothing that settles one."""
    if not text or not is_category_question(text):
        return None
    answers = answers_from_text(text)
    if answers.want is None and answers.partners_clear is None and answers.team is None:
        return None
    if answers.want is None:
        answers.want = MAYBE
    return decide(answers, language or detect_language(text))


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
    "partners": {"nl": "Is duidelijk met welke partner(s) jullie het IKC vormen? (*ja*, *nee*)",
                 "en": "Is it clear which partner(s) you would form the IKC with? (*yes*, *no*)"},
    "reasons": {"nl": "Welke redenen drijven jullie? Noem de nummers (bijv. *1, 3, 9*), of *geen*.",
                "en": "Which reasons drive you? Give the numbers (e.g. *1, 3, 9*), or *none*."},
}
STEPS = ("want", "team", "parents", "mr", "partners", "reasons")


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
    """The questions one at a time; `handle(text)` takes an answer, `to_json()` keeps the state."""

    def __init__(self, language: str = "nl") -> None:
        self.language = language if language in ("nl", "en") else "nl"
        self.answers = CategoryAnswers()
        self.step = 0

    @property
    def done(self) -> bool:
        return self.step >= len(STEPS)

    def to_json(self) -> dict:
        return {"language": self.language, "step": self.step, "answers": asdict(self.answers)}

    @classmethod
    def from_json(cls, data: dict) -> "CategoryInterview":
        interview = cls(data.get("language", "nl"))
        interview.step = int(data.get("step", 0))
        interview.answers = CategoryAnswers(**data.get("answers", {}))
        return interview

    def ask(self) -> CategoryStep:
        if self.done:
            return self._result()
        key = STEPS[self.step]
        message = _QUESTIONS[key][self.language]
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
        options = {"want": ["ja", "misschien", "nee"], "partners": ["ja", "nee"]}.get(key, ["ja", "deels", "nee"])
        if self.language == "en":
            options = {"ja": "yes", "misschien": "maybe", "nee": "no", "deels": "partly"}
            options = [options[o] for o in ({"want": ["ja", "misschien", "nee"], "partners": ["ja", "nee"]}
                                            .get(key, ["ja", "deels", "nee"]))]
        return CategoryStep(message, options, False)

    def handle(self, text: str) -> CategoryStep:
        if self.done:
            return self._result()
        key = STEPS[self.step]
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
        else:
            answer = read_reply(value)
            if answer is None:
                return self.ask()
            if key == "want":
                self.answers.want = {YES: YES, NO: NO}.get(answer, MAYBE)
            elif key == "partners":
                self.answers.partners_clear = answer == YES
            else:
                setattr(self.answers, key, {YES: YES, NO: NO}.get(answer, PARTLY))
        self.step += 1
        if self.answers.want == NO:
            self.step = len(STEPS)  # the rest does not change the outcome
        return self.ask()

    def _result(self) -> CategoryStep:
        advice = decide(self.answers, self.language)
        return CategoryStep(advice.to_markdown(), [], True, advice=advice, citations=advice.citations)
