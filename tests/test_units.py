"""Answer units read off a document's structure: what may be quoted alone and what only together."""

from assistant.compose import PARAGRAPH_MAX_WORDS
from assistant.units import PAIR, SENTENCE, document_units, leans_back
from ikc.records import PARA, Block, DocMeta, Document


def _doc(text: str) -> Document:
    return Document(DocMeta("d", "Notitie"), text, [(0, 1)], [Block(PARA, 0, len(text), 1, section="Ouders")])


def _composed(doc: Document, question: str, language: str = "nl"):
    """The question's analysis, the composer's choice and the unit index, from one chunk holding the whole document."""
    from assistant.compose import choose
    from assistant.question import analyse
    from assistant.units import UnitIndex

    units = UnitIndex({doc.meta.doc_id: doc})
    analysis = analyse(question, language)
    return analysis, choose(analysis, _candidates(analysis, units, doc)), units


def _candidates(analysis, units, doc: Document):
    """The composer's scored units for one chunk holding the whole document."""
    from assistant.compose import candidates
    from ikc.records import Chunk, Passage

    chunk = Chunk("c1", doc.meta.doc_id, doc.meta.title, "", "", "n.pdf", doc.text, "", 1, 1, 0, len(doc.text), 0)
    return candidates(analysis, [Passage.from_chunk(chunk, 1.0, [(0, len(doc.text), 0.9)])], [chunk], units)


def _chosen(doc: Document, question: str, language: str = "nl"):
    """The unit the composer quotes first for a question."""
    from assistant.compose import _shaped

    analysis, chosen, units = _composed(doc, question, language)
    return _shaped(chosen[0], analysis, units)


def _paragraphs(title: str, *parts: tuple[str, str, int]) -> Document:
    """A document of paragraphs, each (text, section, page), one per line."""
    text = "\n".join(part for part, _section, _page in parts)
    blocks, pages, at = [], [], 0
    for part, section, page in parts:
        blocks.append(Block(PARA, at, at + len(part), page, section=section))
        if not pages or pages[-1][1] != page:
            pages.append((at, page))
        at += len(part) + 1
    return Document(DocMeta("d", title), text, pages, blocks)


def _leveled(title: str, parts: list[tuple[str, int, str]], section: str = "S") -> Document:
    """A document of blocks (kind, heading level, text), one per line, on one page."""
    text, blocks = "", []
    for kind, level, part in parts:
        blocks.append(Block(kind, len(text), len(text) + len(part), 1, level=level, section=section))
        text += part + "\n"
    return Document(DocMeta("d", title), text, [(0, 1)], blocks)


def _with_list(paras: list[str], items: list[str], section: str) -> Document:
    """Paragraphs, one per line, then list items led in by the last paragraph."""
    from ikc.records import ITEM

    text = "\n".join([*paras, *items])
    blocks, at = [], 0
    for part in paras:
        blocks.append(Block(PARA, at, at + len(part), 1, section=section))
        at += len(part) + 1
    for item in items:
        blocks.append(Block(ITEM, at, at + len(item), 1, section=section, lead_in=len(paras) - 1))
        at += len(item) + 1
    return Document(DocMeta("d", "Handreiking"), text, [(0, 1)], blocks)


def _texts(doc: Document, kind: str) -> list[str]:
    return [u.text(doc) for u in document_units(doc) if u.kind == kind]


def test_a_sentence_that_refers_back_mid_sentence_is_quoted_with_the_one_before_it():
    first = "In alle gevallen behouden ouders de keuze naar welke basisschool hun kind gaat."
    second = "De professionals van de voorschoolse voorzieningen geven ouders hierover geen advies."
    doc = _doc(f"{first} {second}")
    sentences = _texts(doc, SENTENCE)
    assert f"{first} {second}" in sentences  # "hierover" cannot be read without the keuze sentence
    assert second not in sentences
    assert _texts(doc, PAIR) == []  # the joined sentence is that unit already: no second copy to discount


def test_an_independent_next_sentence_stays_a_separate_unit_and_a_pair():
    first = "De gemeente is verantwoordelijk voor de bekostiging van nieuwbouw en uitbreiding."
    second = "Schoolbesturen zijn verantwoordelijk voor groot onderhoud."
    doc = _doc(f"{first} {second}")
    assert first in _texts(doc, SENTENCE) and second in _texts(doc, SENTENCE)
    assert _texts(doc, PAIR) == [f"{first} {second}"]


def test_leans_back_on_openings_and_pronominal_adverbs_only():
    assert leans_back("Deze commissie bestaat merendeels uit vertegenwoordigers van de schoolbesturen.")
    assert leans_back("De gemeente is zich daarbij bewust van artikel 107 WPO.")
    assert not leans_back("De gemeente ondersteunt acht koploperlocaties.")
    assert not leans_back("Een hiërarchie van scholen heeft niemand bedacht.")


def test_a_lists_lead_in_that_leans_back_is_read_with_the_sentence_it_leans_on() -> None:
    from assistant.units import LIST
    from ikc.records import ITEM

    first = "In fase 2 maken we onderscheid tussen drie vormen IKC's."
    lead = "Dit geeft ons de kans om selectief te investeren:"
    items = ["A. IKC's in de aandachtsgebieden", "B. Reguliere IKC's", "C. IKC's in kleine kernen"]
    text = f"{first} {lead}\n" + "\n".join(items)
    blocks = [Block(PARA, 0, len(first) + 1 + len(lead), 1, section="S")]
    at = len(first) + 1 + len(lead) + 1
    for item in items:
        blocks.append(Block(ITEM, at, at + len(item), 1, section="S", lead_in=0))
        at += len(item) + 1
    doc = Document(DocMeta("d", "Notitie"), text, [(0, 1)], blocks)
    lists = [u for u in document_units(doc) if u.kind == LIST]
    assert lists and lists[0].lead_in == f"{first} {lead}"  # "Dit" is the three forms
    assert lists[0].items == 3


def test_a_paragraph_glued_onto_a_last_list_item_is_not_quoted_as_the_item() -> None:
    from assistant.units import LIST
    from ikc.records import ITEM

    lead = "De doelstellingen zijn:"
    items = ["Verminderen van ongelijkheid", "Bevorderen van goede gezondheid en welzijn Een Plus IKC is bij uitstek "
             "de plaats waar achterstanden van kinderen vroeg in beeld komen."]
    text = lead + "\n" + "\n".join(items)
    blocks = [Block(PARA, 0, len(lead), 1, section="S")]
    at = len(lead) + 1
    for item in items:
        blocks.append(Block(ITEM, at, at + len(item), 1, section="S", lead_in=0))
        at += len(item) + 1
    doc = Document(DocMeta("d", "Notitie"), text, [(0, 1)], blocks)
    units = document_units(doc)
    listed = next(u for u in units if u.kind == LIST)
    assert [doc.text[a:b] for a, b, is_item in listed.spans if is_item][-1] == "Bevorderen van goede gezondheid en welzijn"
    assert any(u.kind == SENTENCE and u.text(doc).startswith("Een Plus IKC is bij uitstek") for u in units)
    # a name after a preposition is no paragraph: "Samenwerking met De Kinderkoepel" stays whole
    kort = Document(DocMeta("k", "N"), "Samenwerking met De Kinderkoepel", [(0, 1)],
                    [Block(ITEM, 0, 32, 1, section="S")])
    from assistant.units import _item_end
    assert _item_end(kort, kort.blocks[0]) == 32
    # an item ending as list items do (";") has no paragraph glued onto it: "ikc De Morgenster …" is a name
    naam = "ikc De Morgenster (Zuiderhout), met Kinderopvang Tierelier als vaste partner;"
    met_naam = Document(DocMeta("m", "N"), naam, [(0, 1)], [Block(ITEM, 0, len(naam), 1, section="S")])
    assert _item_end(met_naam, met_naam.blocks[0]) == len(naam)


def test_a_table_row_is_quoted_under_its_header_and_answers_a_value_asked_by_its_row() -> None:
    from assistant.compose import candidates, choose
    from assistant.question import analyse
    from assistant.units import ROW, UnitIndex
    from ikc.records import CAPTION, TABLE_ROW, Chunk, Passage

    lines = ["Tabel 1. Handhaving kinderopvang, 2022-2024", "Jaar Kindercentra Handhavingstrajecten", "2022 41 12",
             "2023 43 11", "Het aantal trajecten daalt."]
    text, blocks, at = "", [], 0
    for kind, line in zip([CAPTION, TABLE_ROW, TABLE_ROW, TABLE_ROW, PARA], lines):
        blocks.append(Block(kind, at, at + len(line), 1, section="Cijfers", lead_in=1 if kind == TABLE_ROW and at else -1,
                            label=line.split()[0] if kind == TABLE_ROW else ""))
        text += line + "\n"
        at = len(text)
    blocks[1].lead_in = -1  # the header row
    doc = Document(DocMeta("d", "Raadsinformatiebrief"), text, [(0, 1)], blocks)
    rows = [u for u in document_units(doc) if u.kind == ROW]
    assert sorted(u.text(doc) for u in rows) == [f"{lines[1]} {lines[2]}", f"{lines[1]} {lines[3]}"]
    assert rows[0].lead_in == lines[0]  # the caption is what the row stands under
    chunk = Chunk("c1", "d", "Raadsinformatiebrief", "", "", "r.pdf", text, "Cijfers", 1, 1, 0, len(text), 0)
    passage = Passage.from_chunk(chunk, 1.0, [(0, len(text), 0.9)])
    analysis = analyse("Hoeveel handhavingstrajecten waren er in 2023?", "nl")
    chosen = choose(analysis, candidates(analysis, [passage], [chunk], UnitIndex({"d": doc})))
    assert chosen[0].unit.text(doc) == f"{lines[1]} {lines[3]}"
    # a question that names no row ("in welk jaar … de meeste") is answered by the whole table, caption first
    analysis = analyse("In welk jaar waren er de meeste handhavingstrajecten?", "nl")
    chosen = choose(analysis, candidates(analysis, [passage], [chunk], UnitIndex({"d": doc})))
    assert chosen[0].unit.text(doc) == " ".join(lines[:4])


def test_a_footnote_at_a_page_foot_does_not_end_a_list() -> None:
    from assistant.units import LIST
    from ikc.records import FOOTNOTE, HEADING, ITEM

    parts = [(HEADING, "A. Algemene aandachtspunten", 8), (ITEM, "Bestuurlijk commitment – het bestuur zet zich in.", 8),
             (ITEM, "Personele capaciteit – er is capaciteit nodig.", 8), (FOOTNOTE, "8 Als het beleid niet conform is.", 8),
             (ITEM, "Financiën – het rijk stelt middelen beschikbaar.", 9), (ITEM, "Expertisecentrum – het helpt.", 9)]
    text, blocks, at = "", [], 0
    for kind, part, page in parts:
        blocks.append(Block(kind, at, at + len(part), page, section="A. Algemene aandachtspunten"))
        text += part + "\n"
        at += len(part) + 1
    doc = Document(DocMeta("d", "Kader"), text, [(0, 8), (text.index("Financiën"), 9)], blocks)
    lists = [u for u in document_units(doc) if u.kind == LIST and u.items >= 2]
    longest = max(lists, key=lambda u: u.items)
    assert longest.items == 4 and "8 Als het beleid" not in longest.text(doc)


def test_a_lead_in_whose_list_the_layout_reading_missed_is_quoted_with_what_follows() -> None:
    from assistant.units import LIST
    from ikc.records import HEADING, LABEL

    parts = [(PARA, "We stellen ons drie categorieën voor:", 0), (PARA, "Categorie Toelichting", 0),
             (HEADING, "Categorie 1 Direct starten", 2), (PARA, "We willen een IKC worden, er is draagvlak.", 0),
             (LABEL, "Categorie 3 Geen belangstelling", 0), (HEADING, "9. De rol van de gemeente", 1),
             (PARA, "De gemeente faciliteert.", 0)]
    text, blocks, at = "", [], 0
    for kind, part, level in parts:
        blocks.append(Block(kind, at, at + len(part), 1, level=level, section="8. Beleidscriteria"))
        text += part + "\n"
        at += len(part) + 1
    doc = Document(DocMeta("d", "Notitie"), text, [(0, 1)], blocks)
    listed = [u for u in document_units(doc) if u.kind == LIST]
    assert len(listed) == 1 and listed[0].lead_in == "We stellen ons drie categorieën voor:"
    quoted = listed[0].text(doc)
    assert "Categorie 3 Geen belangstelling" in quoted and "De rol van de gemeente" not in quoted  # up to the chapter


def test_numbering_that_starts_again_begins_a_new_list_under_the_title_glued_onto_the_last_item() -> None:
    from assistant.units import LIST
    from ikc.records import ITEM

    # a PDF without fonts: "Voor ouders" ends the last item of the children's list, then "1." starts again
    items = [("1.", "Kinderen spelen samen in één gebouw."), ("2.", "Kinderen krijgen snel hulp. Voor ouders"),
             ("1.", "Ouders hebben één aanspreekpunt."), ("2.", "Ouders combineren werk en zorg makkelijker.")]
    text, blocks, at = "", [], 0
    for label, item in items:
        text += item + "\n"
        blocks.append(Block(ITEM, at, at + len(item), 1, section="Visie", label=label))
        at += len(item) + 1
    doc = Document(DocMeta("d", "Notitie"), text, [(0, 1)], blocks)
    lists = [u for u in document_units(doc) if u.kind == LIST]
    assert [(u.lead_in, [doc.text[a:b] for a, b, is_item in u.spans if is_item]) for u in lists] == [
        ("", ["Kinderen spelen samen in één gebouw.", "Kinderen krijgen snel hulp."]),
        ("Voor ouders", ["Ouders hebben één aanspreekpunt.", "Ouders combineren werk en zorg makkelijker."])]


def test_a_question_asking_both_values_gets_the_unit_holding_both() -> None:
    from assistant.question import analyse

    first = "Renovatie van beide schoolgebouwen kost naar schatting € 7,1 miljoen, zonder ruimte voor kinderopvang."
    second = "Nieuwbouw kost € 9,4 miljoen, maar de exploitatielasten dalen door de kleinere oppervlakte."
    filler = " ".join(["De gemeente betaalt de grond, de aansluitingen en de inrichting van het plein."] * (PARAGRAPH_MAX_WORDS // 12))
    doc = _doc(f"{first} {second} {filler}")  # a paragraph too long to quote whole
    assert analyse("Wat kosten beide opties, renovatie en nieuwbouw?", "nl").count == 2  # "beide" asks two values
    chosen = _chosen(doc, "Wat kosten beide opties, renovatie en nieuwbouw?")
    assert "€ 7,1 miljoen" in chosen.text and "€ 9,4 miljoen" in chosen.text
    assert _chosen(doc, "Wat kost de renovatie van de schoolgebouwen?").text == first  # one value asked: one sentence


def test_a_part_the_shared_passages_do_not_answer_is_searched_on_its_own() -> None:
    from assistant.compose import compose
    from assistant.question import analyse
    from assistant.terms import TermStats
    from assistant.units import UnitIndex
    from ikc.records import Chunk, Passage

    budget = "Het budget voor de nieuwbouw van het kindcentrum bedraagt € 9.400.000."
    opening = "Het nieuwe gebouw wordt in januari 2026 opgeleverd."
    doc = Document(DocMeta("d", "Raadsinformatiebrief"), f"{budget}\n{opening}", [(0, 1)],
                   [Block(PARA, 0, len(budget), 1, section="Kosten"),
                    Block(PARA, len(budget) + 1, len(budget) + 1 + len(opening), 1, section="Planning")])

    def found(start: int, end: int) -> tuple[list[Passage], list[Chunk]]:
        chunk = Chunk(f"c{start}", "d", "Raadsinformatiebrief", "", "", "r.pdf", doc.text[start:end], "", 1, 1, start, end, 0)
        return [Passage.from_chunk(chunk, 1.0, [(start, end, 0.9)])], [chunk]

    shared = found(0, len(budget))
    analysis = analyse("Wat is het budget voor de nieuwbouw, en wanneer wordt het gebouw opgeleverd?", "nl")
    assert len(analysis.parts) == 2
    units, stats = UnitIndex({"d": doc}), TermStats([budget, opening])
    without = compose(analysis, *shared, units, stats)
    assert "2026" not in without.text  # the shared passages hold the budget only
    asked: list[str] = []

    def search_part(part):
        asked.append(part.question)
        return found(len(budget) + 1, len(doc.text))

    with_search = compose(analysis, *shared, units, stats, search_part=search_part)
    assert "€ 9.400.000" in with_search.text and "januari 2026" in with_search.text
    assert asked == [analysis.parts[1].question]  # only the part left unanswered was searched


def test_a_list_question_gets_the_examples_the_text_gives_after_the_chosen_sentence() -> None:
    first = "Scholen kunnen samenwerken door het efficiënt benutten van ruimtes in hun gebouwen."
    examples = "Denk aan gezamenlijk gebruik van speelzalen, kantoorruimtes, teamruimtes of vaklokalen."
    filler = " ".join(["De gemeente overlegt daarover ieder jaar met alle schoolbesturen en de opvang."] * (PARAGRAPH_MAX_WORDS // 12))
    question = "Welke ruimtes kunnen scholen samen benutten?"
    assert "vaklokalen" in _chosen(_doc(f"{first} {examples} {filler}"), question).text
    # without an example marker the next sentence is not added (the paragraph is too long to quote whole)
    assert "huur" not in _chosen(_doc(f"{first} De gemeente betaalt de huur. {filler}"), question).text


def test_a_place_named_where_a_run_of_paragraphs_starts_is_what_the_later_ones_are_about() -> None:
    from assistant.compose import compose
    from assistant.question import analyse
    from assistant.terms import TermStats
    from assistant.units import UnitIndex
    from ikc.records import HEADING, Chunk, Passage

    def document(opening: str) -> Document:
        parts = [(HEADING, "Voorbeelden"), (PARA, opening),
                 (PARA, "Belangrijkste succesfactor was de inzet van alle partijen bij de jeugd."),
                 (PARA, "Belangrijkste knelpunt is het geld: de aanpassing van gebouwen vraagt grote bedragen.")]
        text, blocks = "", []
        for kind, part in parts:
            blocks.append(Block(kind, len(text), len(text) + len(part), 1, section="Voorbeelden"))
            text += part + "\n"
        return Document(DocMeta("d", "Handreiking"), text, [(0, 1)], blocks)

    analysis = analyse("Wat was het belangrijkste knelpunt in Harlingen?", "nl")
    for opening, answered in [("De aanpak in de gemeente Harlingen betrekt alle partijen bij de jeugd.", True),
                              ("De aanpak in de gemeente Hengelo betrekt alle partijen bij de jeugd.", False)]:
        doc = document(opening)
        chunk = Chunk("c", "d", "Handreiking", "", "", "h.pdf", doc.text, "Voorbeelden", 1, 1, 0, len(doc.text), 0)
        passage = Passage.from_chunk(chunk, 1.0, [(0, len(doc.text), 0.9)])
        comp = compose(analysis, [passage], [chunk], UnitIndex({"d": doc}), TermStats([doc.text]))
        assert comp.refused is not answered, (opening, comp.reason)
        if answered:
            assert "het geld" in comp.text


def test_a_quoted_term_is_the_one_whose_definition_is_quoted() -> None:
    from assistant.compose import _shaped, candidates, choose
    from assistant.question import analyse
    from assistant.units import UnitIndex
    from ikc.records import ITEM, Chunk, Passage

    lead = "In deze regeling wordt verstaan onder:"
    items = ["a. buitenschoolse opvang: kinderopvang voor kinderen die naar school gaan;",
             "b. kindplaats: de eenheid van het aantal kinderen dat gelijktijdig mag worden opgevangen;",
             "c. houder: degene die een kindercentrum exploiteert."]
    text = lead + "\n" + "\n".join(items)
    blocks = [Block(PARA, 0, len(lead), 1, section="Artikel 1")]
    at = len(lead) + 1
    for item in items:
        blocks.append(Block(ITEM, at, at + len(item), 1, section="Artikel 1", lead_in=0, label=item[:2]))
        at += len(item) + 1
    doc = Document(DocMeta("d", "Subsidieregeling buitenschoolse opvang"), text, [(0, 1)], blocks)
    chunk = Chunk("c1", "d", "Subsidieregeling", "", "", "r.pdf", text, "Artikel 1", 1, 1, 0, len(text), 0)
    passage = Passage.from_chunk(chunk, 1.0, [(0, len(text), 0.9)])
    units = UnitIndex({"d": doc})
    asked = analyse("Wat betekent 'kindplaats' in de regeling voor buitenschoolse opvang?", "nl")
    chosen = [_shaped(s, asked, units) for s in choose(asked, candidates(asked, [passage], [chunk], units))]
    assert "kindplaats: de eenheid" in chosen[0].text and "buitenschoolse opvang:" not in chosen[0].text


def test_of_two_definitions_the_one_headed_the_way_the_question_asks_is_quoted() -> None:
    from assistant.compose import candidates, choose
    from assistant.question import analyse
    from assistant.units import UnitIndex
    from ikc.records import HEADING, Chunk, Passage

    first = "Een integraal kindcentrum is een basisschool en kinderopvang die intensief samenwerken."
    second = "Een integraal kindcentrum is een voorziening voor kinderen van 0-12 jaar om te leren en te spelen."
    parts = [(HEADING, "Wat verstaan we onder een integraal kindcentrum?", "Wat verstaan we onder een integraal "
              "kindcentrum?"), (PARA, first, "Wat verstaan we onder een integraal kindcentrum?"),
             (HEADING, "Werkdefinitie", "Werkdefinitie"), (PARA, second, "Werkdefinitie")]
    text, blocks = "", []
    for kind, part, section in parts:
        blocks.append(Block(kind, len(text), len(text) + len(part), 1, section=section))
        text += part + "\n"
    doc = Document(DocMeta("d", "Kennisnotitie"), text, [(0, 1)], blocks)
    chunk = Chunk("c", "d", "Kennisnotitie", "", "", "k.pdf", text, "", 1, 1, 0, len(text), 0)
    passage = Passage.from_chunk(chunk, 1.0, [(0, len(text), 0.9)])
    units = UnitIndex({"d": doc})
    for question, expected in [("Hoe definieert de notitie een integraal kindcentrum?", second),
                               ("Wat verstaat de notitie onder een integraal kindcentrum?", first)]:
        analysis = analyse(question, "nl")
        assert choose(analysis, candidates(analysis, [passage], [chunk], units))[0].text == expected, question


def test_sibling_headings_labelled_alike_are_a_list_of_steps_but_the_outline_is_not() -> None:
    from assistant.units import LIST
    from ikc.records import HEADING

    parts = [(HEADING, 1, "Hoofdstuk 1 Inleiding"), (PARA, 0, "De gemeente neemt het initiatief."),
             (HEADING, 1, "Hoofdstuk 2 De rol van de gemeente"), (HEADING, 2, "Het initiatief"),
             (PARA, 0, "Zij brengt partijen bij elkaar."), (HEADING, 2, "Stap 1. Welke vraag is er?"),
             (PARA, 0, "Eerst de vraag."), (HEADING, 2, "Stap 2. Analyse van het aanbod"),
             (HEADING, 3, "Demografische gegevens"), (PARA, 0, "Cijfers over kinderen."),
             (HEADING, 2, "Stap 3. Beleidsdoelen"), (PARA, 0, "Dan de doelen."),
             (HEADING, 1, "Hoofdstuk 3 Slot"), (PARA, 0, "Tot slot.")]
    doc = _leveled("Handreiking", parts)
    runs = [u for u in document_units(doc) if u.kind == LIST and u.run_word]
    assert [[doc.text[a:b] for a, b, _ in u.spans] for u in runs] == [
        ["Stap 1. Welke vraag is er?", "Stap 2. Analyse van het aanbod", "Stap 3. Beleidsdoelen"]]


def test_a_sentence_is_quoted_with_the_rest_of_its_short_paragraph_not_a_long_one() -> None:
    scale = "Een conditiescore 1 betekent uitstekend, een score 6 zeer slecht."
    between = "Het gebouw wordt jaarlijks geschouwd door een bureau."
    rest = "Vanaf score 4 zijn grote ingrepen nodig om het gebouw veilig te houden."
    long = " ".join(["De gemeente betaalt de huur van de lokalen."] * (PARAGRAPH_MAX_WORDS // 8))  # past the limit
    for filler, whole in [("", True), (" " + long, False)]:
        chosen = _chosen(_doc(f"{scale} {between} {rest}{filler}"), "Wat betekent een conditiescore van een schoolgebouw?")
        assert scale in chosen.text and ("score 4" in chosen.text) is whole, chosen.text
        assert "huur" not in chosen.text  # a long paragraph stays cut to what was chosen


def test_a_value_said_of_what_was_asked_beats_a_value_said_of_something_else() -> None:
    conditions = ("De IKC's in aandachtsgebieden ontvangen het predicaat Plus IKC als zij aan de volgende voorwaarden "
                  "voldoen. Een Plus IKC: wordt geleid door een directeur met visie; is gemotiveerd om 8 jaar deel te "
                  "nemen aan het programma.")
    term = "Om rust te bieden kan het predicaat voor vier jaar aan een IKC worden toegekend."
    filler = " ".join(["De gemeente overlegt daarover ieder jaar met alle schoolbesturen en de opvang."] * 12)
    for text in (f"{conditions}\n{filler}\n{term}", f"{term}\n{filler}\n{conditions}"):  # (in either order)
        blocks, start = [], 0
        for part in text.split("\n"):
            blocks.append(Block(PARA, start, start + len(part), 1, section="Plus IKC"))
            start += len(part) + 1
        doc = Document(DocMeta("d", "Notitie"), text, [(0, 1)], blocks)
        chosen = _chosen(doc, "Hoe lang mag een IKC het predicaat houden?")
        assert "vier jaar" in chosen.text and "8 jaar" not in chosen.text, chosen.text


def test_a_line_that_says_nothing_the_question_and_title_do_not_is_no_answer() -> None:
    title_line = "Kindcentrum De Morgenster"
    term = "Na afloop van de looptijd wordt de overeenkomst stilzwijgend verlengd met telkens vier jaar."
    doc = _paragraphs("Samenwerkingsovereenkomst Kindcentrum De Morgenster", (title_line, "Overeenkomst", 1),
                      (term, "Overeenkomst", 1))
    chosen = _chosen(doc, "Hoe zit het met de overeenkomst van kindcentrum De Morgenster?")
    assert chosen.text == term, chosen.text


def test_a_sentence_announcing_several_things_is_answered_by_the_list_that_follows_it() -> None:

    announce = "Om gemeenten te helpen heeft de kopgroep een toolkit samengesteld uit een aantal instrumenten."
    between = "De toolkit is bedoeld voor iedereen die met kindcentra aan de slag wil."
    lead = "De toolkit bestaat uit:"
    items = ["1. Een presentatie over de principes.", "2. Een placemat met de visie.", "3. De IKC-Toren."]
    doc = _with_list([f"{announce} {between}", lead], items, "Toolkit")
    chosen = _chosen(doc, "Welke instrumenten heeft de kopgroep voor de toolkit samengesteld?")
    assert "placemat" in chosen.text and "IKC-Toren" in chosen.text, chosen.text


def test_a_footnote_that_states_something_is_a_unit_of_its_own_and_a_cited_source_is_not() -> None:
    from ikc.records import FOOTNOTE

    parts = [(PARA, "De normen voor de ruimtebehoefte staan in de bijlage.2 De scholen groeien tot 2034."),
             (FOOTNOTE, "2 De normen zijn in 2023 geïndexeerd. Voor een school met 300 leerlingen komt de ruimtebehoefte "
                        "daarmee op 1.850 m² bvo."),
             (FOOTNOTE, "3 Investeren in kinderen van 0-12 jaar, bevindingen uit de wetenschap, PACT voor kindcentra"),
             (FOOTNOTE, "4 Zie https://www.pactvoorkindcentra.nl/ voor de tekst.")]
    text, blocks, at = "", [], 0
    for kind, part in parts:
        blocks.append(Block(kind, at, at + len(part), 3, section="3 Leerlingenprognose"))
        text += part + "\n"
        at += len(part) + 1
    doc = Document(DocMeta("d", "IHP"), text, [(0, 3)], blocks)
    sentences = _texts(doc, SENTENCE)
    assert "De normen zijn in 2023 geïndexeerd." in sentences  # without its number "2 "
    # read back as any sentence is: "daarmee" leans on the one before it
    assert ("De normen zijn in 2023 geïndexeerd. Voor een school met 300 leerlingen komt de ruimtebehoefte daarmee op "
            "1.850 m² bvo.") in sentences
    assert not [s for s in sentences if "PACT" in s or "pactvoorkindcentra" in s]  # a cited source, a link
    assert all("1.850" not in s for s in sentences if s.startswith("De normen voor"))  # never joined to the text above
    choice = _chosen(doc, "Hoeveel vierkante meter heeft een school met 300 leerlingen nodig?")
    assert "1.850 m²" in choice.text


def _reason(doc: Document, question: str, language: str = "nl") -> str:
    """Why the composer would refuse the question ("" when it answers)."""
    from assistant.compose import refusal_reason

    return refusal_reason(*_composed(doc, question, language))


def test_a_value_and_the_thing_it_is_asked_of_come_from_one_unit() -> None:
    first = "Het project De Regenboog is in 2021 opgeleverd, met kinderopvang in het gebouw en binnen het budget."
    second = "Het budget voor het nieuwe kindcentrum Noord bedraagt € 9.600.000, inclusief onvoorzien."
    other = _paragraphs("Rapport", (first, "3.1 Gerealiseerde projecten", 3), (second, "4 Nieuwe projecten", 4))
    assert _reason(other, "Wat was het budget voor De Regenboog?") == "value:money"
    own = "Het project De Regenboog is in 2021 opgeleverd. Het budget voor De Regenboog was € 4.100.000."
    assert _reason(_doc(own), "Wat was het budget voor De Regenboog?") == ""


def test_a_year_closing_a_name_dates_nothing() -> None:
    from assistant.evidence import year_in_a_name
    from assistant.question import asked_slot

    withdrawn = "De Verordening voorschoolse educatie Oosterwold 2019 wordt ingetrokken."
    assert year_in_a_name(withdrawn, withdrawn.index("2019"))
    # both years of a range closing a name; neither of a range that is a period
    agenda = "Samenwerking sluit aan bij de landelijke Hervormingsagenda Jeugd 2023-2028, die inzet op lokale teams."
    assert year_in_a_name(agenda, agenda.index("2023")) and year_in_a_name(agenda, agenda.index("2028"))
    period = "Het programma loopt in de periode 2021-2028 door."
    assert not year_in_a_name(period, period.index("2021")) and not year_in_a_name(period, period.index("2028"))
    for text in ["In 2019 is de verordening vastgesteld.", "Deze verordening treedt in werking op 1 maart 2025.",
                 "It applies from March 2025.", "Passend onderwijs en jeugdzorg In 2014 is het passend onderwijs ingevoerd.",
                 "Eind 2023 bedraagt de reserve € 1.600.000."]:
        assert not year_in_a_name(text, text.index("20"))
    assert _reason(_doc(withdrawn), "Vanaf wanneer geldt de nieuwe verordening?") == "value:date"
    assert asked_slot("What was the building budget for the De Regenboog school project?") == "money"
    assert asked_slot("What is the budget for?") is None  # a purpose, not an amount


def test_a_list_in_running_text_whose_lead_in_names_the_asked_things_comes_before_a_laid_out_list() -> None:
    from ikc.records import ITEM

    parts = [(PARA, "De gemeente zal het initiatief nemen voor een werkgroep. Dit richt zich op:", -1),
             (ITEM, "Het in beeld brengen van de huisvestingswensen per locatie van de gemeente", 0),
             (ITEM, "Het beoordelen van de mogelijkheden voor de rol van de gemeente", 0),
             (PARA, "De gemeente kan in het beleid verschillende rollen innemen. De volgende rollen zijn bekend: sturend, "
                    "regisserend, faciliterend en volgend.", -1)]
    text, blocks, at = "", [], 0
    for kind, part, lead in parts:
        blocks.append(Block(kind, at, at + len(part), 11, section="9. De rol van de gemeente", lead_in=lead))
        text += part + "\n"
        at += len(part) + 1
    doc = Document(DocMeta("d", "Kennisnotitie"), text, [(0, 11)], blocks)
    for question, language in [("Welke rollen kan een gemeente innemen?", "nl"), ("What roles can a municipality take on?", "en")]:
        assert "sturend, regisserend" in _chosen(doc, question, language).text



def test_two_sentences_of_one_short_paragraph_are_quoted_as_that_paragraph_once() -> None:
    from assistant.compose import _once, _shaped

    text = ("De gemeente betaalt de huur van de lokalen. Het schoolbestuur betaalt het onderhoud. "
            "Samen dragen zij de kosten van de inrichting.")
    doc = _doc(text)
    analysis, _chosen_units, units = _composed(doc, "Wie betaalt de huur en wie het onderhoud?")
    sentences = [s for s in _candidates(analysis, units, doc) if s.unit.kind == SENTENCE][:2]
    shaped = [_shaped(s, analysis, units) for s in sentences]
    assert len(shaped) == 2 and all(s.text == text for s in shaped)  # each is quoted with the rest of its paragraph
    assert [s.text for s in _once(shaped)] == [text]  # … and the paragraph stands in the answer once
    assert len(_once(sentences)) == 2  # two different sentences both stay


def test_a_refusal_points_to_each_nearby_place_once_and_never_to_an_unrelated_one() -> None:
    from assistant.core import NEARBY_MIN_SIM, nearby
    from ikc.records import Passage

    def passage(cid: str, page: int, section: str, sim: float) -> Passage:
        return Passage(cid, "d", "Notitie", "", page, page, section, "tekst", 1.0, hits=[(0, 5, sim)])

    near, far = NEARBY_MIN_SIM + 0.02, NEARBY_MIN_SIM - 0.05
    places = nearby([passage("a", 4, "Ouders > Inspraak", near), passage("b", 4, "Ouders > Inspraak", near),
                     passage("c", 9, "", far), passage("d", 6, "Kosten", near)])
    assert places == ["- Notitie, p. 4 (Inspraak)", "- Notitie, p. 6 (Kosten)"]


def test_a_run_of_article_headings_answers_a_question_for_the_parts_and_no_other() -> None:
    from assistant.units import LIST
    from ikc.records import HEADING

    parts = [(HEADING, 1, "Subsidieregeling startgroepen"), (HEADING, 2, "Artikel 1 Subsidie voor een startgroep"),
             (PARA, 0, "De minister kan een bijdrage verstrekken aan een bevoegd gezag."),
             (HEADING, 2, "Artikel 2 Aanvraag in één keer"), (PARA, 0, "De aanvraag wordt ingediend bij de minister."),
             (HEADING, 2, "Artikel 3 Betaling in termijnen"), (PARA, 0, "Het bedrag wordt maandelijks overgemaakt.")]
    doc = _leveled("Regeling", parts)
    assert any(u.kind == LIST and u.run_word == "Artikel" for u in document_units(doc))
    paid = _chosen(doc, "Krijgen we de subsidie voor de startgroep in één keer betaald of in termijnen?")
    assert not paid.unit.run_word and "Artikel 2" not in paid.text  # a passage, not the outline of the articles
    asked = _chosen(doc, "Welke artikelen heeft de subsidieregeling?")
    assert asked.unit.kind == LIST and asked.unit.run_word == "Artikel"


def test_the_list_a_sentence_announces_is_a_candidate_where_the_retrieved_chunk_ends_before_it() -> None:
    from assistant.compose import candidates, choose
    from assistant.question import analyse
    from assistant.units import UnitIndex
    from ikc.records import Chunk, Passage

    announce = "De gemeente kan verschillende rollen vervullen in een proces. Vaak wisselt de rol in de loop van de tijd."
    other = "Die regierol houdt in dat de gemeente partijen bij elkaar brengt rond kindcentra."
    lead = "Globaal zijn de volgende gemeentelijke rollen te onderscheiden:"
    items = ["• Sturend: de visie van de gemeente is leidend.", "• Regisserend: neemt het initiatief voor het proces.",
             "• Faciliterend: ondersteunt de lokale partijen."]
    doc = _with_list([other, announce, lead], items, "Rollen van de gemeente bij kindcentra")
    text = doc.text
    cut = doc.blocks[1].end  # the retrieved chunk ends with the announcing sentence
    chunk = Chunk("c1", "d", "Handreiking", "", "", "n.pdf", text[:cut], "", 1, 1, 0, cut, 0)
    analysis = analyse("Welke rollen kan een gemeente aannemen bij kindcentra?", "nl")
    chosen = choose(analysis, candidates(analysis, [Passage.from_chunk(chunk, 1.0, [(0, cut, 0.9)])], [chunk],
                                         UnitIndex({"d": doc})))
    assert "Sturend" in chosen[0].text and "Faciliterend" in chosen[0].text, chosen[0].text


def test_a_part_asking_which_of_them_asks_for_the_items_the_part_before_was_answered_with() -> None:
    from assistant.compose import Scored, _items_asked
    from assistant.evidence import Evidence, has
    from assistant.question import analyse
    from assistant.units import LIST, UnitIndex, document_units

    lead = "Globaal zijn de volgende gemeentelijke rollen te onderscheiden:"
    items = ["• Sturend: de visie van de gemeente is leidend.", "• Regisserend: neemt het initiatief.",
             "• Volgend: wacht initiatieven af."]
    doc = _with_list([lead], items, "Rollen")
    text = doc.text
    listed = next(u for u in document_units(doc) if u.kind == LIST)
    question = analyse("Welke rollen kent de handreiking, en welke daarvan kiest Lansingerland?", "nl")
    first = Scored(listed, 0, None, Evidence(question.parts[0], text, "", 0.9), 1.0, text=text)
    items_asked = _items_asked(question.parts[1], [first], UnitIndex({"d": doc}))
    assert items_asked is not None
    assert has({"regisser", "rol"}, items_asked.stems)  # "een regisserende rol" holds one of them
    assert not has({"gevolg"}, items_asked.stems)  # "volgend" is too short a stem to look for inside words
    assert _items_asked(analyse("Welke rollen kiest Lansingerland?", "nl"), [first], UnitIndex({"d": doc})) is None


def test_a_summary_is_about_the_source_its_closing_link_names_and_an_item_is_quoted_whole() -> None:
    from assistant.compose import _context, _paragraph
    from ikc.records import ITEM

    title = "3) Een kansrijke start voor alle kinderen"
    rest = "Het rapport benadrukt het belang van gelijke kansen in de vroege kindontwikkeling."
    more = "Er wordt gepleit voor een geïntegreerd beleid. https://example.nl/uploads/2021-SER-kansrijke_start.pdf"
    nxt = "4) Met andere ogen Het rapport richt zich op de samenwerking. https://example.nl/2018-Peeters-samenwerking.pdf"
    text = "\n".join([f"{title} {rest}", more, nxt])
    blocks, at = [], 0
    for kind, part in [(ITEM, f"{title} {rest}"), (PARA, more), (ITEM, nxt)]:
        blocks.append(Block(kind, at, at + len(part), 3, section="Onderzoek"))
        at += len(part) + 1
    doc = Document(DocMeta("d", "Visie"), text, [(0, 3)], blocks)
    summary = next(u for u in document_units(doc) if u.kind == SENTENCE and doc.text[u.start:u.end] == title)
    context = _context(summary, doc)
    assert "SER" in context and "Peeters" not in context  # its own source, not the next item's
    from assistant.compose import Scored
    from assistant.evidence import Evidence
    from assistant.question import analyse

    question = analyse("Wat zegt het SER-advies?", "nl")
    whole = _paragraph(Scored(summary, 0, None, Evidence(question, title, context, 0.9), 0.6, text=title), doc)
    assert whole.text == f"{title} {rest}"  # the item's title with the rest of its short item


def test_a_paragraph_pointing_below_is_quoted_with_what_it_points_at() -> None:
    from assistant.units import PAIR
    from ikc.records import HEADING

    pointer = "Er is een eigen definitie vastgesteld. De bestaande omschrijving geven we hieronder weer."
    first = "Definitie in fase 1: een IKC biedt opvang en onderwijs onder verantwoordelijkheid van een schoolbestuur."
    second = "Definitie in fase 2: een IKC is een voorziening waar opvang en onderwijs onder één dak zitten."
    after = "Een heel ander onderwerp."
    parts = [(PARA, 0, pointer), (HEADING, 1, "Bijlage 2"), (PARA, 0, first), (PARA, 0, second), (HEADING, 1, "Slot"),
             (PARA, 0, after)]
    doc = _leveled("Programma", parts, section="Definitie")
    from assistant.compose import _pointed_below
    from assistant.question import analyse
    from assistant.units import UnitIndex

    def pointed(document: Document, quote: str) -> str:
        scored = _candidates(analyse("Wat is er veranderd in de definitie?", "nl"), UnitIndex({"d": document}), document)
        return _pointed_below(next(s for s in scored if s.unit.kind in (SENTENCE, PAIR) and s.text == quote),
                              document).text

    quoted = pointed(doc, pointer)
    assert "schoolbestuur" in quoted and "één dak" in quoted and "ander onderwerp" not in quoted
    plain = _paragraphs("Programma", ("Er is een eigen definitie. Meer zeggen we er niet over.", "S", 1), (first, "S", 1))
    assert pointed(plain, "Er is een eigen definitie. Meer zeggen we er niet over.") == \
        "Er is een eigen definitie. Meer zeggen we er niet over."  # no pointer: nothing follows


def test_an_adjective_narrows_the_topic_but_a_note_lacking_it_still_answers() -> None:
    from assistant.question import analyse

    text = "Volgens de partners is het huidige financiële kader voor de genoemde activiteiten € 1.150.000 per jaar."
    question = "Welk bedrag noemen de partners als financieel kader voor aanverwante activiteiten?"
    assert [c.word for c in analyse(question, "nl").focus if c.modifier] == ["aanverwante"]
    assert _reason(_doc(text), question) == ""  # the note never says "aanverwant": not a reason to refuse
    # a noun the note never names is another topic, and is refused
    assert _reason(_doc(text), "Welk bedrag noemen de partners als financieel kader voor de kinderboerderij?") == \
        "concept:kinderboerderij"
    english = analyse("When were the separate toddler playgroups merged into childcare?", "en")
    assert [c.word for c in english.focus if c.modifier] == ["separate"]


def test_a_value_is_of_the_thing_it_is_asked_of_only_where_a_unit_names_that_thing() -> None:
    from assistant.evidence import valued_noun
    from assistant.question import analyse

    question = "Hoeveel bedraagt de inkomensafhankelijke ouderbijdrage voor de peuteropvang?"
    assert valued_noun(analyse(question, "nl")).word == "ouderbijdrage"
    contribution = ("Ouders zonder recht op toeslag betalen voor de peuteropvang een inkomensafhankelijke ouderbijdrage "
                    "aan de kinderopvangorganisatie.")
    budget = "Het huidige financiële kader voor de peuteropvang en aanverwante activiteiten is € 1.150.000."
    apart = _paragraphs("Notitie", (contribution, "Financiering", 2), (budget, "De huidige inzet", 2))
    assert _reason(apart, question) == "value:money"  # the € is the whole budget's, not the contribution's
    own = _doc("Ouders betalen voor de peuteropvang een inkomensafhankelijke ouderbijdrage van gemiddeld € 35 per maand.")
    assert _reason(own, question) == ""
    # after an article a verb's bare stem is the noun written the same ("de totale pot", not a form of "potten")
    pot = analyse("En hoe groot was de totale pot toen de regeling begon?", "nl")
    assert valued_noun(pot).word == "pot" and not [c for c in pot.focus if c.word == "pot" and c.verb]


def test_a_list_naming_none_of_the_asked_ones_does_not_answer_which_ones() -> None:
    question = "Welke scholen in Huizen worden als eerste samengevoegd tot een IMO?"
    benefits = _with_list(["In een IMO werken scholen en opvang samen. Voor ouders:"],
                          ["1. Ouders hebben één contactpersoon op school.", "2. Ouders combineren werk en zorg makkelijker."],
                          "6) Visie IMO")
    assert _reason(benefits, question) == "value:name"
    named = _with_list(["De volgende scholen worden als eerste samengevoegd tot een IMO:"],
                       ["1. De Regenboog en De Klimop in Huizen-Oost.", "2. De Vlinder en Het Anker in Huizen-West."],
                       "6) Visie IMO")
    assert _reason(named, question) == ""


def test_a_list_is_of_what_the_paragraph_its_lead_in_goes_on_from_names() -> None:
    from assistant.compose import refusal_reason
    from assistant.question import analyse
    from assistant.units import LIST as LIST_UNIT
    from assistant.units import UnitIndex

    doc = _with_list(["Op veel plekken wordt gewerkt aan kindcentra. De Kopgroep Wethouders loopt voorop en heeft een "
                      "toolkit samengesteld. Die is bedoeld voor iedereen die de ontwikkeling wil bevorderen.",
                      "De toolkit bestaat uit:"],
                     ["1. Een presentatie over de principes van een kindcentrum.", "2. Een placemat met de visie.",
                      "3. De toren met alle kenmerken."], "Bijlage 2")
    units = UnitIndex({doc.meta.doc_id: doc})
    analysis = analyse("Wat zit er in de toolkit die de Kopgroep Wethouders heeft samengesteld?", "nl")
    the_list = [s for s in _candidates(analysis, units, doc) if s.unit.kind == LIST_UNIT]
    assert the_list and refusal_reason(analysis, the_list[:1], units) == ""  # the Kopgroep is named above the lead-in


def test_from_when_a_regulation_applies_is_when_it_comes_into_force() -> None:
    from assistant.evidence import Evidence
    from assistant.question import analyse

    asked = analyse("Vanaf wanneer geldt de nieuwe vve-verordening?", "nl")
    assert Evidence(asked, "Deze verordening treedt in werking op 1 maart 2025.", "", 0.9).credits["geldt"] > 0.0
    assert Evidence(asked, "Aldus vastgesteld in de vergadering van 23 januari 2025.", "", 0.9).credits["geldt"] == 0.0


def test_a_quote_ending_in_a_lead_in_comes_with_its_items() -> None:
    from dataclasses import replace

    from assistant.compose import _paragraph, _with_items
    from assistant.question import analyse
    from assistant.units import UnitIndex

    doc = _with_list(["Nadat er een visie is bepaald, moeten operationele doelen worden bepaald. Doelen kunnen "
                      "bijvoorbeeld betrekking hebben op:"],
                     ["• Kinderen, bijvoorbeeld preventie van zorgproblemen.", "• Ouders, bijvoorbeeld sluitende dagarrangementen.",
                      "• Accommodaties: voorzieningen in de wijk."], "Stap 4. Beleidsdoelen")
    units = UnitIndex({doc.meta.doc_id: doc})
    analysis = analyse("Waar kunnen de operationele doelen over gaan?", "nl")
    lead = next(u for u in document_units(doc) if u.kind in (SENTENCE, PAIR) and u.text(doc).rstrip().endswith(":"))
    scored = replace(_candidates(analysis, units, doc)[0], unit=lead, text=lead.text(doc))  # that sentence, as chosen
    quoted = _with_items(_paragraph(scored, doc), units)
    assert all(word in quoted.text for word in ("Kinderen", "Ouders", "Accommodaties"))
    assert "operationele doelen" in quoted.text


def test_a_reading_guide_in_prose_is_no_answer_unless_the_question_asks_how_the_note_is_built() -> None:
    from assistant.question import analyse
    from assistant.units import UnitIndex

    guide = ("In hoofdstuk 1 vatten we de resultaten van de eerste periode samen. In hoofdstuk 2 beschrijven we hoe de "
             "definitie van een IKC is aangescherpt.")
    definition = "Een IKC biedt kinderen van 0 tot en met 12 jaar een totaalaanbod onder één dak."
    doc = _paragraphs("Uitvoeringsprogramma", (guide, "Leeswijzer", 1), (definition, "Definitie IKC", 2))
    units = UnitIndex({doc.meta.doc_id: doc})
    about_ikc = {s.text for s in _candidates(analyse("Hoe is de definitie van een IKC aangescherpt?", "nl"), units, doc)}
    assert guide not in about_ikc and definition in about_ikc
    about_note = {s.text for s in _candidates(analyse("Hoe is het programma opgebouwd, welke hoofdstukken?", "nl"), units, doc)}
    assert guide in about_note


def test_the_clause_giving_a_documents_short_title_answers_only_what_it_is_called() -> None:
    text = ("De overeenkomst wordt stilzwijgend verlengd met telkens vier jaar. "
            "Deze overeenkomst kan worden aangehaald als: Samenwerkingsovereenkomst ikc De Morgenster.")
    doc = _doc(text)
    from assistant.question import analyse
    from assistant.units import UnitIndex

    units = UnitIndex({"d": doc})
    about = _candidates(analyse("Houdt de overeenkomst daarna gewoon op?", "nl"), units, doc)
    assert about and all("aangehaald" not in s.text for s in about)
    named = _candidates(analyse("Onder welke naam kan de overeenkomst worden aangehaald?", "nl"), units, doc)
    assert any("aangehaald" in s.text for s in named)
