"""The refusal decision: questions on the notes' topics that ask for what the notes don't give are refused,
answerable ones (also paraphrased, also in English) are not. None of these questions is in an eval set."""

from __future__ import annotations

import pytest

from assistant.answerability import _number_near, asked_slot, counted_nouns
from assistant.core import Assistant
from assistant.glossary import dutch_keywords, spans
from ikc.settings import Settings
from ikc.text import terms


@pytest.fixture(scope="module")
def assistant(corpus_index: Settings) -> Assistant:
    return Assistant(corpus_index)


@pytest.mark.parametrize(("question", "slot"), [
    ("Hoeveel kost een plek op de peuteropvang?", "money"),
    ("How much did the municipality spend on the new building?", "money"),
    ("Welk percentage van de peuters gaat naar de voorschool?", "share"),
    ("Hoeveel basisscholen heeft de gemeente?", "amount"),
    ("Wat is de huur per vierkante meter?", "amount"),
    ("According to the note, by which year should schools be inclusive?", "date"),
    ("Wie is de directeur van het kindcentrum?", "person"),
    ("What is the phone number of the project office?", "contact"),
    # "when parents ask" is part of the question, not what it asks for
    ("Must a school arrange childcare when parents ask for it, and where is that laid down?", None),
    ("Welke partijen zaten in de commissie?", None),
])
def test_the_kind_of_value_a_question_asks_for(question: str, slot: str | None) -> None:
    assert asked_slot(question) == slot


def test_a_count_stands_next_to_the_counted_noun_and_an_age_is_no_count() -> None:
    kinderen = terms("kinderen")
    assert counted_nouns("Hoeveel kinderen bezoeken het kindcentrum?")[0] == "kinderen"
    assert _number_near("In het kindcentrum zitten 240 kinderen.", kinderen)
    assert _number_near("Het aantal kinderen groeide van 450 naar 2000.", kinderen)
    assert not _number_near("Een kindcentrum voor kinderen van 0 t/m 12 jaar.", kinderen)
    assert not _number_near("Sinds 2015 komen de kinderen samen.", kinderen)


def test_english_phrases_are_read_through_the_glossary() -> None:
    assert "wachtlijst" in dutch_keywords("How long is the waiting list for childcare?")
    found = {s.text: s.dutch for s in spans("Which collective labour agreements apply to teaching assistants?")}
    assert found["collective labour agreements"] == ("cao",)
    assert "onderwijsassistent" in found["teaching assistants"]


@pytest.mark.parametrize("question", [
    "Wat kost een plek op de peuteropvang in Huizen per maand?",  # costs: no amount in Huizen's vision
    "Hoeveel leerlingen telt het IKC in Odoorn?",  # Odoorn is described, never counted
    "Wie is de wethouder onderwijs van Lansingerland?",  # no names of aldermen
    "What salary does a teacher in an Assen IKC earn?",  # salaries appear nowhere
    "What is the phone number of the Leeuwarden municipality?",
])
def test_near_miss_questions_are_refused(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.refused and not answer.citations
    assert len(answer.retrieved) >= 5  # shown as "mogelijk relevant"


@pytest.mark.parametrize(("question", "doc_id", "expected"), [
    ("What is the maximum subsidy a single IKC in Leeuwarden can apply for each year?",
     "leeuwarden-kansen-voor-kinderen-2", "50.000"),
    ("Hoeveel brede scholen waren er in 2002 en in 2013 in Nederland?", "lansingerland-kennisnotitie-ikc", "450"),
    # paraphrased: the note says "keuze van een basisschool", not "schoolkeuze"
    ("Mogen medewerkers van de peuteropvang in Assen ouders adviseren over de schoolkeuze?", "assen-notitie-ikc", ""),
])
def test_answerable_questions_are_not_refused(assistant: Assistant, question: str, doc_id: str, expected: str) -> None:
    answer = assistant.ask(question)
    assert not answer.refused
    assert any(c.doc_id == doc_id and expected in c.text for c in answer.citations)


def test_an_english_answer_glosses_the_specific_dutch_terms(assistant: Assistant) -> None:
    answer = assistant.ask("What does the Lansingerland note mean by 'levensloopbestendig bouwen'?")
    assert not answer.refused and "levensloopbestendig = life-cycle-proof" in answer.answer
