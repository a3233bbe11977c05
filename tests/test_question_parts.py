"""A question is read as written: context before it, two questions in one, a comparison's two sides, a
list's enumerators, English words the glossary lacks. None of these questions is in an eval set."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.compose import candidates, choose
from assistant.crosslingual import WordReader
from assistant.evidence import WEAK_DEFINITION, Evidence, definition_strength
from assistant.question import COMPARE, DEFINITION, REASON, analyse, question_parts
from assistant.units import LIST, UnitIndex, document_units
from ikc.records import HEADING, PARA, Block, Chunk, DocMeta, Document, Passage


@pytest.mark.parametrize(("question", "statement", "parts"), [
    ("Wat bedoelt Huizen met een IMO, en voor welke leeftijd is het bedoeld?", "",
     ["Wat bedoelt Huizen met een IMO", "voor welke leeftijd is het bedoeld?"]),
    ("Who leads the working group and how often does it meet?", "",
     ["Who leads the working group", "how often does it meet?"]),
    ("Wat is een brede school en waarom?", "", ["Wat is een brede school", "waarom?"]),
    ("De school deelt het gebouw met de opvang. Wie betaalt de huur?", "De school deelt het gebouw met de opvang.",
     ["Wie betaalt de huur?"]),
    # a request without "?" asks too: it is no context
    ("Gebruikt Assen die term? Vergelijk wat de handreiking daarover zegt.", "",
     ["Gebruikt Assen die term?", "Vergelijk wat de handreiking daarover zegt."]),
    # "welke scholen en opvang" is one thing asked; so is a question without a second question word
    ("Welke scholen en kinderopvangorganisaties doen mee?", "", ["Welke scholen en kinderopvangorganisaties doen mee?"]),
    # a second question may open with a preposition of time before its question word
    ("Wanneer stopt het peuterwerk in Assen, en vanaf wanneer nam in Almere de kinderopvang het over?", "",
     ["Wanneer stopt het peuterwerk in Assen", "vanaf wanneer nam in Almere de kinderopvang het over?"]),
    ("When did Assen start and since when has Almere worked this way?", "",
     ["When did Assen start", "since when has Almere worked this way?"]),
])
def test_question_parts(question: str, statement: str, parts: list[str]) -> None:
    assert question_parts(question) == (statement, parts)


def test_each_part_has_its_own_kind_and_a_bare_part_leans_on_the_first() -> None:
    analysis = analyse("Wat is een brede school en waarom?", "nl")
    assert [p.kind for p in analysis.parts] == [DEFINITION, REASON]
    why = analysis.parts[1]
    assert [c.word for c in why.focus] == ["brede", "school"]  # "waarom?" asks about what the first part named


def test_a_statement_before_the_question_is_context_not_focus() -> None:
    analysis = analyse("Medewerkers werken nog voor verschillende organisaties. In welke onderdelen kan de "
                       "aansturing worden opgesplitst?", "nl")
    assert {c.word for c in analysis.focus} == {"onderdelen", "aansturing", "opgesplitst"}
    assert {"medewerkers", "organisaties"} <= {c.word for c in analysis.concepts if c.context}


def test_a_pronominal_adverb_is_never_the_topic() -> None:
    assert [c.word for c in analyse("Welke daarvan wil de gemeente zelf innemen?", "nl").focus] == ["innemen"]


def test_comparison_sides() -> None:
    analysis = analyse("Wat is het verschil tussen een brede school en een kindcentrum?", "nl")
    assert analysis.kind == COMPARE
    assert [[c.word for c in side] for side in analysis.sides] == [["brede", "school"], ["kindcentrum"]]
    english = analyse("Compare the rules for a kindercentrum (article 2a) and for a gastouderbureau (article 8).", "en")
    assert english.kind == COMPARE and [[c.word for c in s] for s in english.sides] == [["kindercentrum"], ["gastouderbureau"]]


def test_a_lists_enumerator_is_no_count() -> None:
    analysis = analyse("Hoeveel handhavingstrajecten waren er?", "nl")
    assert not Evidence(analysis, "Het college neemt maatregelen: 1. Wij stellen een plan op over handhavingstrajecten.",
                        "", 0.9).value
    assert Evidence(analysis, "Er waren 12 handhavingstrajecten.", "", 0.9).value


def _doc(paragraphs: list[str], headings: list[tuple[int, str]] = ()) -> Document:
    text, blocks = "", []
    for level, title in headings:
        blocks.append(Block(HEADING, len(text), len(text) + len(title), 1, level=level, section=title))
        text += title + "\n"
    for p in paragraphs:
        blocks.append(Block(PARA, len(text), len(text) + len(p), 1, section="S"))
        text += p + "\n"
    return Document(DocMeta("d", "Notitie"), text, [(0, len(text))], blocks)


def _candidates(analysis, doc: Document) -> list:
    """The scored units of a document retrieved whole as one chunk."""
    chunk = Chunk("c1", doc.meta.doc_id, doc.meta.title, "", "", "n.pdf", doc.text, "S", 1, 1, 0, len(doc.text), 0)
    passage = Passage.from_chunk(chunk, 1.0)
    passage.hits = [(0, len(doc.text), 0.9)]
    return candidates(analysis, [passage], [chunk], UnitIndex({doc.meta.doc_id: doc}))


def test_a_unit_reads_back_to_a_sentence_that_stands_alone() -> None:
    first = "Gemeenten zijn sinds 2015 verantwoordelijk voor de jeugdhulp."
    second = "De inkomsten die de gemeente hiervoor ontvangt, lopen uit de pas met de uitgaven."
    third = "Dit komt doordat de decentralisatie gepaard ging met een bezuiniging."
    doc = _doc([f"{first} {second} {third}"])
    texts = [u.text(doc) for u in document_units(doc)]
    assert f"{first} {second} {third}" in texts  # "Dit" leans on "hiervoor", which leans on the first
    assert f"{second} {third}" not in texts


def test_the_documents_own_outline_is_no_unit_but_a_parts_steps_are() -> None:
    titles = [(0, "Raadsinformatiebrief"), (1, "Aanleiding"), (1, "Kernboodschap"), (1, "Maatregelen")]
    outline = _doc(["Tekst."], titles)
    assert not any(u.kind == LIST and u.heading for u in document_units(outline))
    steps = _doc(["Tekst."], [(0, "Notitie"), (1, "Stappenplan"), (2, "Stap 1. Vraag"), (2, "Stap 2. Analyse"),
                             (2, "Stap 3. Beleid"), (1, "Bijlagen")])
    assert any(u.kind == LIST and u.heading == "Stappenplan" and u.items == 3 for u in document_units(steps))


def test_a_comparison_quotes_what_each_side_is() -> None:

    about_ikc = "Het IKC bouwt voort op de samenwerking binnen de brede school."
    brede = "De brede school was een los samenwerkingsverband tussen school en welzijn."
    ikc = "Een kindcentrum is een basisschool en kinderopvang onder één leiding."
    doc = _doc([about_ikc, brede, ikc])
    analysis = analyse("Wat is het verschil tussen een brede school en een kindcentrum?", "nl")
    chosen = [s.unit.text(doc) for s in choose(analysis, _candidates(analysis, doc))]
    assert chosen == [brede, ikc]


def _embedder(vectors: dict[str, list[float]]):
    """A stand-in for the multilingual embedder: unit vectors per word, every other word alike."""
    def embed(words: list[str]) -> np.ndarray:
        out = np.array([vectors.get(w, [0.3, 0.3, 0.3]) for w in words], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)
    return embed


def test_an_unglossed_english_word_is_read_as_the_nearest_dutch_word() -> None:
    reader = WordReader(_embedder({"shortcoming": [1.0, 0.0, 0.0], "tekortkoming": [0.99, 0.14, 0.0],
                                   "gebouw": [0.0, 1.0, 0.0], "kinderopvang": [0.0, 0.0, 1.0],
                                   "parking": [0.5, 0.5, 0.7]}))
    found = reader.readings(["shortcoming", "parking"], "Een tekortkoming in het gebouw van de kinderopvang.")
    assert found == {"shortcoming": "tekortkoming"}  # "parking" is near nothing: no reading, it stays unmapped


def test_a_definition_that_opens_with_its_term_is_plainer_than_one_that_mentions_it() -> None:
    focus = analyse("Wat is een startgroep?", "nl").focus
    assert definition_strength("• startgroep: groep in een peuterspeelzaal voor kinderen van twee of drie jaar", focus) == 1.0
    assert definition_strength("Een startgroep is een groep peuters in een school.", focus) == 1.0
    assert definition_strength("Het aanbod in de startgroep omvat vijf dagdelen.", focus) == WEAK_DEFINITION
    assert definition_strength("Wij zien de startgroep als een kans.", focus) == 0.0
    werken = analyse("Wat is opbrengstgericht werken?", "nl").focus
    assert definition_strength("• opbrengstgericht werken: systematisch werken aan resultaten", werken) == 1.0


def test_a_sentence_in_which_the_document_speaks_of_itself_is_no_answer() -> None:

    signpost = "In deze notitie presenteren we de visie op het multifunctionele schoolgebouw."
    content = "Het multifunctionele schoolgebouw huisvest school, opvang en jeugdhulp onder één dak."
    doc = _doc([signpost, content])
    analysis = analyse("Wat is het multifunctionele schoolgebouw?", "nl")
    texts = [s.unit.text(doc) for s in _candidates(analysis, doc)]
    assert content in texts and not any(t.startswith("In deze notitie") for t in texts)


@pytest.mark.parametrize("question", ["???", "En welke van PCBO? ???", "Wat is een IKC? ?? !", "?", " . ? "])
def test_punctuation_alone_is_no_part(question: str) -> None:
    statement, parts = question_parts(question)
    assert parts and all(p.strip() for p in parts)
    analyse(question, "nl")


def test_a_reading_is_not_lost_to_another_form_of_the_same_word() -> None:
    embed = _embedder({"pedagogue": [1.0, 0.0, 0.0], "pedagogisch": [0.99, 0.12, 0.0],
                       "pedagogiek": [0.99, 0.11, 0.02], "gebouw": [0.0, 1.0, 0.0], "kinderopvang": [0.0, 0.0, 1.0]})
    found = WordReader(embed).readings(["pedagogue"], "De pedagogisch medewerker en de pedagogiek in het gebouw "
                                                      "van de kinderopvang.")
    assert found["pedagogue"] in ("pedagogisch", "pedagogiek")  # a near tie between two forms of one word is no doubt


def test_a_definition_question_is_answered_by_the_definition_not_a_mention() -> None:
    mention = "Het beeld is dat een IMO de samenwerking kan versterken, maar een IMO is geen doel op zich."
    inverted = "In onze visie is het IMO een omgeving waar kinderen van 0 tot 13 jaar samen opgroeien."
    doc = _doc([mention, inverted])
    analysis = analyse("Wat is een IMO?", "nl")
    assert definition_strength(inverted, analysis.focus) == 1.0  # the copula before the term, "een" after it
    assert definition_strength("Daarom is het IMO belangrijk voor de wijk.", analysis.focus) == WEAK_DEFINITION
    chosen = [s.unit.text(doc) for s in choose(analysis, _candidates(analysis, doc))]
    assert chosen[0] == inverted


def test_a_question_in_the_text_is_no_answer_unless_questions_are_asked_for() -> None:
    asking = "Bij welke organisatie kunnen de jeugdondersteuners worden ondergebracht?"
    telling = "De jeugdondersteuners worden ondergebracht bij een centrale organisatie."
    doc = _doc([asking, telling])
    texts = [s.unit.text(doc) for s in _candidates(analyse("Bij welke organisatie worden de jeugdondersteuners ondergebracht?", "nl"), doc)]
    assert telling in texts and asking not in texts
    texts = [s.unit.text(doc) for s in _candidates(analyse("Welke vragen stelt de notitie over de jeugdondersteuners?", "nl"), doc)]
    assert asking in texts


def test_a_list_question_is_answered_by_a_list_that_holds_most_of_the_question() -> None:
    def ranked(first: str, second: str, question: str):
        """`first` in the retriever's first chunk, `second` in its second one."""
        doc = _doc([first, second])
        cut = doc.text.index(second)
        chunks = [Chunk(f"c{i}", "d", "Notitie", "", "", "n.pdf", doc.text[a:b], "S", 1, 1, a, b, i)
                  for i, (a, b) in enumerate([(0, cut), (cut, len(doc.text))])]
        passages = [Passage.from_chunk(c, 1.0, [(0, len(c.text), 0.9)]) for c in chunks]
        analysis = analyse(question, "nl")
        scored = candidates(analysis, passages, chunks, UnitIndex({"d": doc}))
        return scored[0].unit.text(doc), choose(analysis, scored)[0].unit.text(doc)

    sentence = "Met het stappenplan van de handreiking werkt de gemeente samen met partners toe naar implementatie."
    steps = "De stappen zijn: de vraag bepalen; de analyse maken; de visie schrijven; de implementatie."
    top, answer = ranked(sentence, steps, "Welke stappen doorloopt een gemeente volgens het stappenplan, tot de implementatie?")
    assert top == sentence and answer == steps  # the first chunk's sentence scores best, but the question asks for the steps
    # a list that shares little with the question does not displace the sentence that answers it
    rents = "Bij verbouw van schoolgebouwen gaan we uit van marktconforme huurtarieven voor de kinderopvang."
    options = "Voor kinderopvang in schoolgebouwen ziet de gemeente drie opties: voorfinanciering; verhuur; eigen bouw."
    top, answer = ranked(rents, options, "Van welke huurtarieven gaat de gemeente uit bij verbouw van schoolgebouwen voor kinderopvang?")
    assert answer == rents


def test_a_list_the_text_gives_comes_before_a_headings_sub_headings() -> None:
    doc = _doc(["De IKC's ontvangen het predicaat Plus IKC als zij aan de volgende voorwaarden voldoen: een visie op ouders; "
                "een gedeeld team; een plan voor ondersteuning."],
               [(0, "Uitvoeringsprogramma"), (1, "A. Plus IKC's"), (2, "Procesbegeleiders"), (2, "Voorwaarden"),
                (2, "Monitoring"), (1, "B. Reguliere IKC's")])
    analysis = analyse("Wat zijn de voorwaarden voor een Plus IKC?", "nl")
    chosen = choose(analysis, _candidates(analysis, doc))
    assert chosen[0].unit.text(doc).startswith("De IKC's ontvangen het predicaat")


def test_a_sentence_announcing_several_things_is_quoted_with_the_one_naming_them() -> None:
    announce = "De gemeente kan in het beleid verschillende rollen innemen."
    names = "De volgende rollen zijn bekend: sturend, regisserend, faciliterend en volgend."
    doc = _doc([f"{announce} {names} De keuze hangt af van de situatie."])
    analysis = analyse("Welke rol kan de gemeente innemen?", "nl")
    texts = [s.unit.text(doc) for s in _candidates(analysis, doc)]
    assert announce not in texts  # alone it names no role
    assert choose(analysis, _candidates(analysis, doc))[0].unit.text(doc) == f"{announce} {names}"


def test_a_definition_is_of_the_asked_term_itself_and_may_be_said_as_a_condition() -> None:
    part = "De brede school was een los samenwerkingsverband tussen school en welzijn."
    term = "De gemeente spreekt van een brede buurtschool als onderwijs en opvang vanuit één visie werken."
    doc = _doc([part, term])
    analysis = analyse("Wat is een brede buurtschool?", "nl")
    assert definition_strength(term, analysis.focus) == 1.0  # "spreekt van X als …"
    assert choose(analysis, _candidates(analysis, doc))[0].unit.text(doc) == term  # not the brede school's definition


def test_a_part_asking_more_about_the_first_answer_is_answered_by_what_follows_it() -> None:
    kinds = "Er zijn drie soorten preventie te onderscheiden: universele, selectieve en geïndiceerde preventie."
    whom = "Universele preventie is bedoeld voor iedereen, selectieve voor groepen met een risico."
    other = "Preventie in de wijk vraagt om samenwerking tussen drie partners."
    doc = _doc([f"{kinds} {whom}", other])
    chunk = Chunk("c1", "d", "Notitie", "", "", "n.pdf", doc.text, "S", 1, 1, 0, len(doc.text), 0)
    passage = Passage.from_chunk(chunk, 1.0, [(0, len(doc.text), 0.9)])
    analysis = analyse("Welke drie soorten preventie onderscheidt de notitie, en voor wie zijn ze bedoeld?", "nl")
    assert analysis.parts[1].leans
    from assistant.compose import compose
    from assistant.terms import TermStats
    comp = compose(analysis, [passage], [chunk], UnitIndex({"d": doc}), TermStats([doc.text]))
    quoted = " ".join(s.unit.text(doc) for s in comp.chosen)
    assert kinds in quoted and whom in quoted  # (one quote: the two sentences are one short paragraph)
    assert other not in quoted


@pytest.mark.parametrize(("question", "language", "term"), [
    # a pronoun question after a statement quoting a word asks what that word means
    ("In de regels over gastouderopvang kom ik steeds het woord 'vraagouder' tegen. Wie is dat precies?", "nl",
     "vraagouder"),
    ("In de toelichting lees ik steeds 'bestemmingsomschrijving'. Wat houdt dat in?", "nl", "bestemmingsomschrijving"),
    ("I keep seeing 'Plus IKC' in the programme. What does that actually mean?", "en", "ikc"),
    ("In de regels staat steeds 'vraagouder'. Wie wordt daarmee bedoeld?", "nl", "vraagouder"),
])
def test_a_pronoun_question_after_a_quoted_word_asks_its_definition(question: str, language: str, term: str) -> None:
    analysis = analyse(question, language)
    assert analysis.kind == DEFINITION and analysis.slot is None
    own = [c.word for c in analysis.focus]
    assert term in own
    # the words around the quote say where the asker saw it, not what is asked (nor does "houdt … in")
    assert not {"regels", "gastouderopvang", "steeds", "toelichting", "programme", "inhoudt"} & set(own)


def test_a_quoted_word_in_an_english_question_is_the_notes_own_word() -> None:
    plus = next(c for c in analyse("I keep seeing 'Plus IKC' in the programme. What does that mean?", "en").concepts
                if c.word == "plus")
    assert not plus.unmapped


def test_a_compound_naming_a_definition_asks_for_one() -> None:
    assert analyse("Welke werkdefinitie van een integraal kindcentrum gebruikt de notitie?", "nl").kind == DEFINITION


@pytest.mark.parametrize(("question", "slot"), [
    # a verb of setting money aside asks an amount of money
    ("Hoeveel heeft de gemeente in 2025 begroot voor toezicht?", "money"),
    ("Hoeveel trekt de gemeente uit voor het nieuwe gebouw?", "money"),
    ("How much has the town budgeted for the new building?", "money"),
    ("Hoeveel uur heeft een peuter besteed aan spelen?", "amount"),  # a count of hours, not money
])
def test_a_verb_of_setting_money_aside_asks_money(question: str, slot: str) -> None:
    from assistant.question import asked_slot

    assert asked_slot(question) == slot
