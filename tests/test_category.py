"""The Lansingerland category choice: cited data checked against the PDF, the rules, free text, the interview."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from assistant.director.category import (DATA, CategoryAnswers, CategoryInterview, category_from_text, decide, load_guide,
                                reason_checklist)
from assistant.director.guide import guided_reply
from ikc.text import normalise_for_match

pytest_plugins = ["conftest_instrument"]

ROOT = Path(__file__).resolve().parents[1]


def category_items() -> list[dict]:
    items = []
    for name in ("dev.jsonl", "instrument.jsonl"):
        path = ROOT / "evals" / "sets" / name
        if path.exists():
            items += [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
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
    assert len(texts) == 3 + 3 + 13 + 7 + 1 + 4
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
    (CategoryAnswers("yes", "yes", "yes", None, True, []), 2),
    (CategoryAnswers("maybe", "yes", "yes", "yes", True, []), 2),
    (CategoryAnswers("yes", "yes", "yes", "yes", True, ["vierkante_meters", "mode"]), 2),
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


def test_interview_in_dutch_and_a_short_way_out():
    interview = CategoryInterview("nl")
    step = interview.ask()
    assert "Willen jullie een IKC worden" in step.message and step.options == ["ja", "misschien", "nee"]
    assert interview.handle("tja").message == step.message, "an unreadable answer repeats the question"
    for answer in ("ja", "ja", "deels", "ja", "ja"):
        step = interview.handle(answer)
    assert "Goede redenen (§7)" in step.message and "13. IKC vorming met als gevolg" in step.message
    assert interview.handle("99").message == step.message
    step = interview.handle("1, 9")
    assert step.done and step.advice.number == 2
    assert step.advice.answers["parents"] == "partly" and step.advice.less_good_reasons
    resumed = CategoryInterview.from_json(interview.to_json())
    assert resumed.done and resumed.ask().advice.number == 2

    short = CategoryInterview("en")
    step = short.handle("no")
    assert step.done and step.advice.number == 3 and "Category 3" in step.message


def test_chat_routes_category_questions(instrument_settings):
    reply = guided_reply("We zijn nieuwsgierig naar IKC-vorming, maar de kinderopvang weet nog niet of ze mee wil "
                         "doen. Welke categorie past bij ons?", settings=instrument_settings)
    assert reply is not None and reply.kind == "category" and reply.data["number"] == 2
    assert reply.citations[0].page == 10 and "Categorie 2 Oriëntatie" in reply.markdown
