"""The Lansingerland category choice: cited data checked against the PDF, the rules, free text, the interview."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from assistant.director.category import (
    DATA,
    DIRECT,
    PARTLY,
    PENDING,
    VALUES,
    CategoryAnswers,
    CategoryInterview,
    decide,
    load_guide,
    reason_checklist,
)
from assistant.director.guide import guided_reply
from assistant.director.replies import MAYBE, NO, YES
from assistant.director.situation import advise_from_text, category_from_text, read_situation
from ikc.text import normalise_for_match

pytest_plugins = ["conftest_instrument"]

ROOT = Path(__file__).resolve().parents[1]


def category_items() -> list[dict]:
    items = []
    for name in ("dev.jsonl", "instrument.jsonl"):
        path = ROOT / "evals" / "sets" / name
        if path.exists():
            items += [json.loads(lv) for lv in path.read_text(encoding="utf-8").splitlines() if lv.strip()]
    return [i for i in items if i["type"] == "category_choice"]


def test_every_cited_text_stands_on_its_page(note_pages):
    pages = {n: normalise_for_match(t) for n, t in note_pages.items()}
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    texts = [(c["text"], c["page"]) for c in data["categories"]]
    texts += [(f"Categorie {c['number']} {c['name']} {c['text']}", c["page"]) for c in data["categories"]]
    texts += [(r["text"], r["page"]) for kind in ("good", "less_good") for r in data["reasons"][kind]]
    texts += [(q["text"], q["page"]) for q in data["quotes"].values()]
    texts += [(data["steps"]["intro"]["text"], data["steps"]["intro"]["page"])]
    texts += [(s["text"], s["page"]) for s in data["steps"]["items"]]
    assert len(texts) == 3 + 3 + 13 + 11 + 1 + 4
    for text, page in texts:
        assert normalise_for_match(text) in pages[page], (page, text)
    for section in data["sections"].values():
        assert any(normalise_for_match(section) in p for p in pages.values())


def test_guide_has_three_categories_and_section_7_reasons():
    guide = load_guide()
    assert [c.label for c in guide.categories] == ["Categorie 1 Direct starten", "Categorie 2 Oriëntatie",
                                                   "Categorie 3 Geen belangstelling"]
    assert len(guide.good) == 6 and len(guide.less_good) == 7 and len(guide.steps) == 4
    checklist = reason_checklist("en")
    assert [i["number"] for i in checklist] == list(range(1, 14))
    assert checklist[0]["kind"] == "good" and checklist[-1]["kind"] == "less_good"
    assert checklist[8]["key"] == "zonder_draagvlak" and checklist[8]["label"].startswith("Becoming an IKC without")


@pytest.mark.parametrize("answers, expected", [
    (CategoryAnswers("yes", "yes", "yes", "yes", True, ["doorgaande_lijn"]), 1),
    (CategoryAnswers("yes", "yes", "yes", "yes", True, []), 1),
    (CategoryAnswers("yes", "yes", "partly", "yes", True, []), 2),
    (CategoryAnswers("yes", "yes", "yes", "yes", False, []), 2),
    (CategoryAnswers("yes", "yes", "yes", None, True, []), 1),  # the MR not answered: open, not a no
    (CategoryAnswers("yes", "yes", "yes", "pending", True, []), 2),  # not discussed with the MR yet
    (CategoryAnswers("maybe", "yes", "yes", "yes", True, []), 2),
    (CategoryAnswers("yes", "yes", "yes", "yes", True, ["vierkante_meters", "mode"]), 1),  # named, not decisive
    (CategoryAnswers("yes", "yes", "yes", "yes", True, [], board="no"), 2),
    (CategoryAnswers("no", "yes", "yes", "yes", True, ["doorgaande_lijn"]), 3),
    (CategoryAnswers("no"), 3),
])
def test_rules(answers, expected):
    assert decide(answers).number == expected


def test_advice_cites_section_8_and_lists_the_steps():
    guide = load_guide()
    advice = decide(CategoryAnswers("yes", "yes", "yes", "yes", True, ["doorgaande_lijn", "mode"]))
    assert advice.label == "Categorie 1 Direct starten" and advice.page == 10
    first = advice.citations[0]
    assert first.text == "Categorie 1 Direct starten We willen een IKC worden, er is draagvlak, de partners zijn duidelijk"
    assert (first.page, first.section) == (10, guide.sections["categories"])
    assert advice.next_steps == [s.text for s in guide.steps]
    assert advice.good_reasons == ["Het belang van een goede doorgaande lijn"]
    assert advice.less_good_reasons == ["Een IKC worden omdat het ‘in de mode’ is"]
    text = advice.to_markdown()
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    assert markers == {c.n for c in advice.citations}, "every citation is used and every marker points somewhere"
    for step in guide.steps:
        assert step.text in text
    assert "minder goede redenen" in text
    english = decide(CategoryAnswers("no"), "en").to_markdown()
    assert english.startswith("**Category 3, “Geen belangstelling” (no interest)**")
    assert "Niet alle scholen hoeven een IKC te worden" in english


@pytest.mark.parametrize("item", category_items(), ids=lambda i: i["id"])
def test_free_text_category_questions(item):
    """The expected category is the one whose §8 row holds the gold quote."""
    expected = int(re.search(r"Categorie (\d)", item["gold"][0]["quote"]).group(1))
    advice = category_from_text(item["question"])
    assert advice is not None and advice.number == expected
    assert normalise_for_match(item["gold"][0]["quote"]) in normalise_for_match(advice.citations[0].text)
    assert advice.language == item["language"]
    for term in item["must_include"]:
        assert term in advice.to_markdown().lower()


def test_free_text_needs_a_category_question_and_some_signal():
    assert category_from_text("Welke goede redenen noemt de gemeente Lansingerland?") is None
    assert category_from_text("Welke categorieën zijn er?") is None
    advice = category_from_text("Wij willen een IKC worden, er is draagvlak en de partners zijn duidelijk. "
                                "Welke categorie?")
    assert advice.number == 1
    assert category_from_text("We want to become an IKC but the MR is against it. Which category?").number == 2


def test_unanswered_questions_are_asked_not_counted_against():
    advice = decide(CategoryAnswers("yes", "yes", None, None, True, []))
    assert advice.number == 1 and advice.provisional
    # each open group could still turn out hesitant (category 2): decisive, first; the pace cannot change the
    # category but is unknown too, so it is asked after them
    assert advice.decisive == ["ouders", "mr", "bestuur"]
    assert advice.open_criteria == ["ouders", "mr", "bestuur", "tempo"]
    text = advice.to_markdown()
    assert "niet duidelijk bij" not in text and "geen draagvlak" not in text.lower()
    # a decisive question says what each answer would make it, citing the row of §8's table it leads to
    assert "Hoe denken de ouders erover? **Dit bepaalt de categorie**: is er bij de ouders twijfel" in text
    assert "dan wordt het Categorie 2 Oriëntatie: \u201cmisschien is het draagvlak nog niet zo duidelijk\u201d [2]" in text
    assert advice.citations[1].text.startswith("Categorie 2 Oriëntatie") and "telt niet als nee" in text
    assert "Wanneer willen jullie beginnen: zo snel mogelijk, of eerst rustig verkennen? (verandert de categorie " \
           "niet)" in text
    assert text.index("Hoe denken de ouders") < text.index("Wat vindt het bestuur?") < text.index("Wanneer willen")
    hesitant = decide(CategoryAnswers("yes", "yes", "yes", "partly", True, []))
    assert hesitant.number == 2 and "twijfel" in " ".join(hesitant.why) and not hesitant.provisional


def test_interview_asks_every_open_criterion_decisive_first_and_has_a_short_way_out():
    interview = CategoryInterview("nl")
    step = interview.ask()
    assert "Willen jullie een IKC worden" in step.message and "dit bepaalt de categorie" in step.message
    assert step.options == ["ja", "misschien", "nee", "weet ik niet"]
    assert interview.handle("tja").message == step.message, "an unreadable answer repeats the question"
    assert "**team**" in interview.handle("ja").message
    assert "**ouders**" in interview.handle("ja").message
    # hesitant parents make it category 2 whatever the MR, the board, the partner or the pace: they are still
    # asked (unknown is not a no), but no longer marked as deciding the category
    step = interview.handle("deels")
    assert "**MR**" in step.message and "bepaalt" not in step.message
    step = interview.handle("weet ik niet")  # stays unknown
    assert "**bestuur**" in step.message and interview.answers.mr is None
    for reply in ("ja", "ja", "weet ik niet"):
        step = interview.handle(reply)
    assert "Goede redenen (§7)" in step.message and "13. IKC vorming met als gevolg" in step.message
    assert interview.handle("99").message == step.message
    step = interview.handle("1, 9")
    assert step.done and step.advice.number == 2
    assert step.advice.answers["parents"] == "partly" and step.advice.less_good_reasons
    assert step.advice.open_criteria == ["mr", "tempo"] and step.advice.decisive == []
    resumed = CategoryInterview.from_json(interview.to_json())
    assert resumed.done and resumed.ask().advice.number == 2

    short = CategoryInterview("en")
    step = short.handle("no")
    assert step.done and step.advice.number == 3 and "Category 3" in step.message
    assert "does not change the category" in step.message, "the rest is listed as open, not asked"

    started = CategoryInterview("nl", CategoryAnswers("yes", "yes", None, "yes", True, []))
    assert "**ouders**" in started.ask().message, "what is known is not asked again"
    decisive_first = CategoryInterview("nl", CategoryAnswers(team="yes", mr="yes", partners_clear=True))
    assert "Willen jullie een IKC worden" in decisive_first.ask().message
    decisive_first.handle("ja")
    assert "**ouders**" in decisive_first.ask().message and "bepaalt" in decisive_first.ask().message


@pytest.mark.parametrize("name", ["category-dev", "category-dev2", "category-dev3", "category-dev4"])
def test_category_sets_land_on_the_notes_category_and_ask_what_is_open(name):
    """category-dev2, -dev3 and -dev4 were written before the reading was changed for them (their first scores are in
    docs/instrument.md); each must stay at 90 % right categories and 85 % exactly the open criteria asked."""
    items = [json.loads(line) for line in (ROOT / f"evals/sets/{name}.jsonl").read_text(encoding="utf-8")
             .splitlines() if line.strip()]
    right = [advise_from_text(i["question"]).number == i["category"] for i in items]
    asked = [set(advise_from_text(i["question"]).open_criteria) == set(i["unknown"]) for i in items]
    assert sum(right) >= 0.9 * len(items) and sum(asked) >= 0.85 * len(items), (right, asked)


@pytest.mark.parametrize("text, number", [
    ("Ons team, de MR en het bestuur willen allemaal een IKC en we hebben met kinderopvang De Boomhut afgesproken "
     "dat zij onze partner worden. Welke categorie past bij ons?", 1),
    ("Wij hebben als school besloten geen IKC te worden. Wat betekent dat voor ons?", 3),
    ("Wij zijn een brede school en willen blijven zoals we zijn. In welke categorie vallen we?", 3),
    ("Ons bestuur en de kinderopvangpartner hebben samen besloten om als kindcentrum verder te gaan en we willen zo "
     "snel mogelijk starten. Wat betekent dat voor ons?", 1),
    ("Our board and our childcare partner decided together to go on as a kindcentrum; we want to start as soon as "
     "possible. What does that mean for us?", 1),
])
def test_chat_routes_the_issues_situations_to_the_category(instrument_settings, text, number):
    reply = guided_reply(text, settings=instrument_settings)
    assert reply is not None and reply.kind == "category" and reply.data["number"] == number
    assert reply.citations[0].section.startswith("8.") and reply.citations[0].page == 10


def test_chat_continues_with_the_open_criteria(instrument_settings):
    first = guided_reply("Ons team en het bestuur willen een IKC worden en de opvangpartner is bekend. "
                         "Welke categorie?", settings=instrument_settings)
    assert first.data["number"] == 1 and first.data["provisional"] and "mr" in first.data["decisive"]
    second = guided_reply("De ouders zijn positief, maar de MR twijfelt nog.", walkthrough=first.walkthrough,
                          settings=instrument_settings)
    assert second.kind == "category" and second.data["number"] == 2 and second.data["decisive"] == []
    assert second.data["open_criteria"] == ["tempo"] and not second.data["provisional"]
    third = guided_reply("We willen zo snel mogelijk beginnen.", walkthrough=second.walkthrough,
                         settings=instrument_settings)
    assert third.data["number"] == 2 and third.data["open_criteria"] == [] and third.walkthrough is None
    assert guided_reply("Wat is een integraal kindcentrum?", walkthrough=first.walkthrough,
                        settings=instrument_settings) is None


@pytest.mark.parametrize("answers, number, decisive", [
    (CategoryAnswers(want="no"), 3, []),  # the known criteria decide: nothing else is decisive
    (CategoryAnswers(want="yes", mr="partly"), 2, []),  # a known doubt with the wish known: settled
    (CategoryAnswers(mr="partly"), 2, ["wil"]),  # ... but a school that does not want it would be 3
    (CategoryAnswers(want="yes", team="pending"), 2, []),  # not discussed yet is known: support is not clear
    (CategoryAnswers(want="yes", partners_clear=True), 1, ["team", "ouders", "mr", "bestuur"]),
    (CategoryAnswers(), 1, ["wil", "team", "ouders", "mr", "bestuur", "partner"]),
    (CategoryAnswers("yes", "yes", "yes", "yes", True, board="yes"), 1, []),  # the pace alone never decides
])
def test_every_unknown_criterion_is_asked_the_decisive_ones_first(answers, number, decisive):
    advice = decide(answers)
    assert advice.number == number and advice.decisive == decisive
    assert advice.open_criteria[:len(decisive)] == decisive and set(advice.open_criteria) == set(answers.unknown())
    assert advice.provisional == bool(decisive)
    for criterion in decisive:  # each decisive criterion has an answer that gives another category
        assert any(decide(answers.with_value(criterion, v)).number != number for v in VALUES[criterion])
    for criterion in advice.open_criteria[len(decisive):]:  # ... and no other open one has
        assert all(decide(answers.with_value(criterion, v)).number == number for v in VALUES[criterion])


_ALL_OPEN = ["team", "ouders", "mr", "bestuur", "partner", "tempo"]


@pytest.mark.parametrize("text, language, number, decisive, rest", [
    ("Ons team, de MR en het bestuur willen allemaal een IKC en we hebben met kinderopvang De Boomhut afgesproken "
     "dat zij onze partner worden. Welke categorie past bij ons?", "nl", 1, ["ouders"], ["tempo"]),
    ("Our team, the MR and the board all want an IKC and we have agreed with childcare De Boomhut that they will "
     "be our partner. Which category fits us?", "en", 1, ["ouders"], ["tempo"]),
    ("Wij hebben als school besloten geen IKC te worden. Wat betekent dat voor ons?", "nl", 3, [], _ALL_OPEN),
    ("We are a brede school and want to stay as we are. Which category are we in?", "en", 3, [], _ALL_OPEN),
    ("Ons bestuur en de kinderopvangpartner hebben samen besloten om als kindcentrum verder te gaan en we willen zo "
     "snel mogelijk starten. Wat betekent dat voor ons?", "nl", 1, ["team", "ouders", "mr"], []),
    ("Our board and our childcare partner decided together to go on as a kindcentrum; we want to start as soon as "
     "possible. What does that mean for us?", "en", 1, ["team", "ouders", "mr"], []),
    ("We willen een IKC worden, het team staat erachter, maar de MR twijfelt nog. Welke categorie?", "nl", 2, [],
     ["ouders", "bestuur", "partner", "tempo"]),
])
def test_the_issues_situations_in_chat_ask_every_unknown_decisive_first(instrument_settings, text, language,
                                                                         number, decisive, rest):
    reply = guided_reply(text, settings=instrument_settings)
    assert reply is not None and reply.kind == "category" and reply.language == language
    assert reply.data["number"] == number and reply.data["decisive"] == decisive
    assert reply.data["open_criteria"] == decisive + rest and reply.data["provisional"] == bool(decisive)
    mark = "this decides the category" if language == "en" else "dit bepaalt de categorie"
    assert reply.markdown.lower().count(mark) == len(decisive)
    assert (reply.walkthrough is not None) == bool(decisive + rest), "a state to continue while something is open"


def test_chat_routes_category_questions(instrument_settings):
    reply = guided_reply("We zijn nieuwsgierig naar IKC-vorming, maar de kinderopvang weet nog niet of ze mee wil "
                         "doen. Welke categorie past bij ons?", settings=instrument_settings)
    assert reply is not None and reply.kind == "category" and reply.data["number"] == 2
    assert reply.citations[0].page == 10 and "Categorie 2 Oriëntatie" in reply.markdown


@pytest.mark.parametrize("text, language", [
    ("We willen graag een IKC worden. Het team is enthousiast en de opvangpartner is gekozen, maar de MR twijfelt "
     "nog.", "nl"),
    ("We want to become an IKC. The staff are enthusiastic and the childcare partner is chosen, but the MR is "
     "hesitant.", "en"),
])
def test_tab_example_with_a_hesitant_mr_is_category_2_and_lists_the_rest_as_open(text, language):
    """The Categorie tab reads a description into the questions (read_situation) and decides on them: a hesitant
    MR makes it Oriëntatie whatever the parents or the board say; they are asked as still open, marked as not
    changing the category, and not counted as a no."""
    answers = read_situation(text)
    assert answers.mr == "partly" and answers.parents is None and answers.board is None
    advice = decide(answers, language)
    assert advice.number == 2 and advice.decisive == [] and not advice.provisional
    assert advice.open_criteria == ["ouders", "bestuur", "tempo"]
    markdown = advice.to_markdown()
    assert ("Nog niet bekend" in markdown) != ("Still open" in markdown)
    assert markdown.count("verandert de categorie niet" if language == "nl" else "does not change the category") == 3
    assert "bepaalt de categorie" not in markdown and "decides the category" not in markdown
    assert "geen draagvlak" not in markdown.lower() and "no support" not in markdown.lower()


@pytest.mark.parametrize("text, field, value", [
    # a group content with how things are, or deciding not to, has a known stance (against the change)
    ("Team en MR zijn tevreden zoals het nu gaat en we willen geen IKC worden.", "mr", "no"),
    ("Our team discussed it and we decided we don't want to become an IKC.", "team", "no"),
    ("Ons team heeft aangegeven geen IKC te willen worden.", "team", "no"),
    # a childcare organisation that itself wants the IKC with us is a known partner; "we" wanting one is not
    ("The board and the childcare organisation would like our location to become an IKC.", "partners_clear", True),
    ("We willen een IKC worden met een kinderopvangpartner.", "partners_clear", None),
])
def test_situation_reads_stances_and_partner(text, field, value):
    assert getattr(read_situation(text), field) == value


@pytest.mark.parametrize("text, expected", [
    # a denied support word: "not yet" is hesitation, without "yet" a no; a denied objection is support
    ("Het team is nog niet overtuigd.", {"team": "partly"}),
    ("Het team is niet overtuigd.", {"team": "no"}),
    ("The MR has no objections.", {"mr": "yes"}),
    ("Our parents don't see it happening.", {"parents": "no"}),
    # not discussed yet, or the conversation still ahead: known as pending, not unknown
    ("De ouders hebben we nog niet gepeild.", {"parents": "pending"}),
    ("Met het bestuur moeten we het gesprek nog voeren.", {"board": "pending"}),
    ("The MR hasn't taken a position yet.", {"mr": "pending"}),
    ("De MR heeft het nog niet op de agenda gehad.", {"mr": "pending", "want": None}),
    # support still to be won is hesitation; "on board" is not the board
    ("Het team moet nog overtuigd worden.", {"team": "partly"}),
    ("Our team is not on board yet.", {"team": "partly", "board": None}),
    # the director does not know: stays unknown, and does not take the stance of the next group
    ("Wat de ouders ervan vinden, weet ik niet, maar het team twijfelt.", {"parents": None, "team": "partly"}),
    ("I don't know what the board thinks.", {"board": None}),
    # a list shares the stance after it; "too" takes the one before; a contrast keeps its own
    ("Team, ouders en MR zijn er blij mee.", {"team": "yes", "parents": "yes", "mr": "yes"}),
    ("Het team steunt het plan en het bestuur ook.", {"board": "yes"}),
    ("Het bestuur is positief, maar de MR twijfelt.", {"board": "yes", "mr": "partly"}),
    ("Our MR met last week; they have serious doubts.", {"mr": "partly"}),
    # the wish: denied intent is a no, "not yet" or "whether" a maybe, "and we too" shares the stance before
    ("We have no plans to become an IKC.", {"want": "no"}),
    ("Of we een IKC willen worden, moeten we nog bespreken.", {"want": "maybe"}),
    ("We zijn er nog niet uit of we een IKC willen worden.", {"want": "maybe"}),
    ("Becoming an IKC is not something we want.", {"want": "no"}),
    ("Het bestuur ziet een IKC wel zitten en wij ook.", {"want": "yes", "board": "yes"}),
    # the partner: named or agreed is chosen; in talks, or which one not known, is open
    ("Kinderopvang De Boomhut wordt onze partner.", {"partners_clear": True}),
    ("Met kinderdagverblijf Ukkie zijn we in gesprek, maar er is nog niets afgesproken.", {"partners_clear": False}),
    ("Welke kinderopvangorganisatie het wordt, weten we nog niet.", {"partners_clear": False}),
    ("Met welke opvang we samenwerken staat al vast.", {"partners_clear": True}),
    ("We willen een IKC worden met een kinderopvangpartner.", {"partners_clear": None}),
])
def test_stated_criteria_are_read_in_any_polarity_and_unknown_ones_stay_open(text, expected):
    answers = read_situation(text)
    assert {k: getattr(answers, k) for k in expected} == expected


@pytest.mark.parametrize("text, expected", [
    # what a group says it wants ("laten weten dat …", "agreed that …") is its stance
    ("De MR heeft laten weten dat ze er graag een kindcentrum van willen maken.", {"mr": "yes"}),
    ("Our board agreed that we are better off as an ordinary school.", {"board": "no", "want": "no"}),
    # "voor" as a preposition is no support, "er … voor" is; a separable verb with its particle at the end
    ("De ouders maken zich druk over de kosten voor kinderen.", {"parents": None}),
    ("De ouders zijn er allemaal voor.", {"parents": "yes"}),
    ("Het team en de MR stemden vorige maand in.", {"team": "yes", "mr": "yes"}),
    # a question put to us is not our doubt; its answer is ("nee", "we decided not to do that")
    ("The alderman asked whether we would become an IKC.", {"want": None}),
    ("Als het bestuur vraagt of wij een IKC willen worden: nee.", {"want": "no"}),
    ("Het bestuur heeft gevraagd of wij IKC willen worden; we hebben besloten dat we dat niet doen.", {"want": "no"}),
    # a group for it in one clause and against it in another is divided; part of a group is part of the support
    ("Some parents are keen, others not at all.", {"parents": "partly"}),
    ("Enkele leerkrachten zijn enthousiast.", {"team": "partly"}),
    # who a clause speaks of: the list before "all three", a subjectless clause its subject before, the main clause
    ("Team, ouders en MR hebben we steeds meegenomen en ze zijn er alle drie voor.",
     {"team": "yes", "parents": "yes", "mr": "yes"}),
    ("Het bestuur heeft het plan op de agenda gezet en meteen goedgekeurd.", {"board": "yes"}),
    ("Het bestuur heeft het plan op de agenda gezet.", {"board": "pending"}),
    ("We agreed to work with whichever nursery the parents prefer.", {"parents": None}),
    ("In het team hoor ik wat gemopper, maar iedereen staat erachter.", {"team": "yes", "parents": None, "mr": None}),
    # the board's clause of its own does not take the next group's stance
    ("The board has said it is our call, the staff haven't been told yet.", {"board": "yes", "team": "pending"}),
    ("De MR wil er pas over beslissen als de begroting rond is.", {"mr": "pending"}),
    # the partner: searched for (any word order), several candidates, a name before the kind of organisation
    ("Alleen zoeken we nog een opvangorganisatie.", {"partners_clear": False}),
    ("We spreken met twee kinderopvangorganisaties.", {"partners_clear": False}),
    ("We want to become an IKC with the Kidsplanet nursery in our building.", {"partners_clear": True}),
    # the director speaking for the school; "en ik ook niet" shares the no before
    ("I'm convinced this is the way to go.", {"want": "yes"}),
    ("Het team ziet er geen meerwaarde in en ik ook niet.", {"team": "no", "want": "no"}),
    # an answer a group gave is its stance, unless it is denied; an aside about a group does not end the list
    ("The board asked us whether we would, but the staff said no.", {"team": "no", "want": None}),
    ("The MR has not said yes yet.", {"mr": "pending"}),
    ("Our board, which has been pushing for this for years, is enthusiastic.", {"board": "yes"}),
    # "overwegend positief" is mostly positive, not considering
    ("De ouders waren overwegend positief.", {"parents": "yes", "want": None}),
])
def test_clause_structure_decides_who_holds_which_stance(text, expected):
    answers = read_situation(text)
    assert {k: getattr(answers, k) for k in expected} == expected


def test_dont_know_leaves_a_criterion_open():
    from assistant.director.replies import is_dont_know

    assert is_dont_know("weet ik niet") and is_dont_know("Don't know.") and is_dont_know("geen idee")
    assert not is_dont_know("nee") and not is_dont_know("misschien")
    interview = CategoryInterview("en")
    interview.handle("don't know")
    assert interview.answers.want is None and "**team**" in interview.ask().message
    assert "wil" in decide(interview.answers).open_criteria


@pytest.mark.parametrize("text", [
    "Our school board and our childcare partner have signed a letter of intent, and both the team and the parents' "
    "council support it. Which category are we in?",
    "We want to become an IKC, the board is supportive but the MR hesitates and we have not chosen a partner yet. "
    "Which category?",
    "We willen een IKC worden en het team is enthousiast, maar de MR heeft nog twijfels. Welke categorie?",
])
def test_every_claim_line_of_a_category_reply_rests_on_the_words_it_cites(text):
    """Each claim is supported by what its marker cites, lexically, as the eval's citation check reads it; in English the
    claim leads in and §8's Dutch clause follows verbatim, in quotes, with its marker."""
    from evals.metrics import DEFAULT_RULES, content_terms, split_sentences, support

    advice = category_from_text(text)
    cited = {c.n: c.text for c in advice.citations}
    claims = [s for s in split_sentences(advice.to_markdown()) if not s.framing and content_terms(s.text)]
    assert claims
    for sentence in claims:
        assert sentence.cover, sentence.text
        assert max(support(sentence.text, cited[n]) for n in sentence.cover) >= DEFAULT_RULES.support_share, sentence.text
    if advice.language == "en":
        quoted = re.findall(r"^  \u201c(.+)\u201d \[(\d+)\]", advice.to_markdown(), re.MULTILINE)
        assert len(quoted) >= 2 and all(words in cited[int(n)] for words, n in quoted)


@pytest.mark.parametrize("text", [
    "Wij willen een kindcentrum worden en we hopen na de kerstvakantie te beginnen.",
    "The plan is to open as an IKC from September 2027.",
    "We willen komend schooljaar starten met de eerste stappen.",
])
def test_a_named_start_moment_says_the_pace(text):
    """A month, holiday, school year or date at which the school means to start: the pace is known, not asked."""
    assert read_situation(text).tempo == DIRECT


def test_a_past_start_is_no_pace():
    assert read_situation("Twee jaar geleden zijn we in september gestart met een gezamenlijke peutergroep.").tempo is None
    assert read_situation("We started in 2023 with a shared toddler group.").tempo is None


def test_the_clause_after_a_contrast_carries_the_stance():
    """Doubt in part of the team conceded, then most of the team for it: support, not hesitation."""
    answers = read_situation("Bij de leerkrachten zijn er een paar die twijfelen over de werkdruk, maar de grote "
                             "meerderheid is voor.")
    assert answers.team == YES
    # a part of the group after the contrast divides it instead
    assert read_situation("A few teachers are keen, but others are against it.").team == PARTLY


def test_two_cancelling_denials_and_a_reported_no_objection_are_support():
    assert read_situation("Er is in het team niemand die er niet achter staat.").team == YES
    assert read_situation("De MR heeft laten weten dat ze er niet tegen zijn.").mr == YES
    assert read_situation("De MR heeft er nog niet over gesproken.").mr == PENDING


def test_a_choice_after_a_search_settles_the_partner():
    assert read_situation("We spraken met drie opvangorganisaties en kozen uiteindelijk voor Kindergarden.").partners_clear
    assert read_situation("We hebben een partner, maar we zoeken nog een kinderopvangorganisatie die ook BSO "
                          "biedt.").partners_clear is False


def test_a_name_does_not_deny():
    """"Little Oaks", "Nooit Gedacht": a capitalised word inside the sentence is a name, not a denial."""
    assert read_situation("We already work with Little Oaks Daycare and will stay with them as our partner."
                          ).partners_clear is True


def test_a_sentence_that_withdraws_the_one_before_it():
    """"Dat is nu anders.": what the sentence before said no longer holds; the situation is what follows."""
    text = ("Vorig jaar twijfelden we nog en hadden we geen partner. Dat is nu anders. We willen een IKC worden en "
            "hebben voor Kinderopvang Pim gekozen.")
    answers = read_situation(text)
    assert answers.want == YES and answers.partners_clear is True
    assert read_situation("We twijfelen nog. Het bestuur is positief.").want == MAYBE, "no withdrawal, no change"


@pytest.mark.parametrize("text, field, value", [
    ("De MR heeft toestemming gegeven voor het plan.", "mr", YES),
    ("Some parents have been grumbling about it at the gate.", "parents", PARTLY),
    ("The staff voted it down last week.", "team", NO),
])
def test_more_ways_to_say_a_stance(text, field, value):
    assert getattr(read_situation(text), field) == value


@pytest.mark.parametrize("text, field, value", [
    ("Onze bestuurder zei het kort: 'doe het maar'. Het bestuur laat de keuze helemaal bij de school.", "board", YES),
    ("The board leaves the decision to each school.", "board", YES),
    ("Het team heeft er in maart unaniem voor gestemd.", "team", YES),
    ("The governing body is encouraging us to take the step.", "board", YES),
])
def test_support_said_as_leaving_the_choice_voting_for_or_encouraging(text, field, value):
    assert getattr(read_situation(text), field) == value


def test_the_directors_own_support_is_not_support_on_the_location():
    """"I support that decision" is the director speaking, not "er is draagvlak" (team, parents, MR)."""
    answers = read_situation("We don't want to become an IKC and I support that decision.")
    assert answers.parents is None and answers.mr is None


@pytest.mark.parametrize("text, group", [
    ("We willen een IKC worden. Het team, de ouders en het bestuur staan erachter en we hebben een partner gekozen. "
     "De MR beslist volgende maand.", "mr"),
    ("We want an IKC and have chosen our partner. Staff, parents and board are behind it. The MR will decide in March.",
     "mr"),
    ("We want an IKC and have chosen our partner. Parents, MR and board are behind it. The staff meeting ended in a "
     "stalemate and we postponed the vote.", "team"),
])
def test_a_decision_still_ahead_is_known_and_not_in_place(text, group):
    """A criterion mentioned but not settled ("de MR beslist volgende maand") is known, not unknown: it is not
    asked again, and since it is not in place the category is 2 (still thinking), not a provisional 1."""
    advice = advise_from_text(text, force=True)
    assert group not in advice.open_criteria
    assert advice.number == 2
