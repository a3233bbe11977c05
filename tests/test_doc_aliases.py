"""Which documents a question names: a municipality, a distinctive title word, a title's head written as a name;
a municipality with several documents names them as a group. Built from chunks alone (no index needed)."""

from __future__ import annotations

from assistant.retrieval import DocAliases
from ikc.records import Chunk


def chunk(doc_id: str, title: str, municipality: str, text: str) -> Chunk:
    return Chunk(f"{doc_id}#0", doc_id, title, municipality, "2024", f"pdf/{doc_id}.pdf", text, "", 1, 1, 0, len(text), 0)


CORPUS = [
    chunk("wet-kinderopvang", "Wet kinderopvang", "landelijk",
          "Kinderopvang is het verzorgen van kinderen. De houder van een kindercentrum meldt de kinderopvang aan."),
    chunk("oosterwold-verordening", "Verordening voorschoolse educatie Oosterwold", "Oosterwold (fictief)",
          "De gemeente Oosterwold verstrekt subsidie voor kinderopvang en voorschoolse educatie."),
    chunk("oosterwold-rekenkamer", "Bouwen aan kindcentra: rekenkamerrapport", "Oosterwold (fictief)",
          "De rekenkamer onderzocht de kinderopvang in nieuwe scholen van Oosterwold."),
    chunk("dijkhaven-nota", "Nota kindcentra Dijkhaven", "Dijkhaven",
          "Dijkhaven wil dat elke school een kindcentrum met kinderopvang wordt."),
    chunk("inspectie-kader", "Waarderingskader van de inspectie", "landelijk", "Het kader beschrijft het oordeel."),
]


def test_a_title_word_every_text_uses_names_no_document() -> None:
    aliases = DocAliases.build(CORPUS)
    # "kinderopvang" is in the law's title and in every text: a question about it names no document
    assert aliases.mentioned("Hoeveel kinderopvang is er in een kindcentrum?") == []
    assert aliases.mentioned("Wat wil Dijkhaven met de scholen?") == ["dijkhaven-nota"]
    assert aliases.mentioned("Wat vond de rekenkamer?") == ["oosterwold-rekenkamer"]
    # "fictief" in a municipality field names nothing
    assert aliases.mentioned("Is dit voorbeeld fictief?") == []


def test_a_titles_head_written_as_a_name_names_its_document() -> None:
    aliases = DocAliases.build(CORPUS)
    assert aliases.mentioned("Wat staat daarover in de Wet?") == ["wet-kinderopvang"]
    assert aliases.mentioned("Welke wet geldt hier?") == []  # a word, not a name
    assert aliases.mentioned("Wet: wat zegt die?") == []  # a question's first word is capitalised anyway


def test_a_municipality_with_several_documents_names_them_as_a_group() -> None:
    aliases = DocAliases.build(CORPUS)
    assert aliases.mentioned("Waarvoor geeft de gemeente Oosterwold subsidie?") == []
    assert aliases.place_docs("Waarvoor geeft de gemeente Oosterwold subsidie?") == [
        "oosterwold-rekenkamer", "oosterwold-verordening"]
    assert aliases.names_something("Oosterwold") and not aliases.names_something("Oosterwold-Noord")


def test_a_title_word_is_named_as_written_or_inflected_a_place_by_any_ending() -> None:
    aliases = DocAliases.build(CORPUS)
    assert aliases.mentioned("Was the draft open for inspection?") == []  # English look-alike of "inspectie"
    assert aliases.mentioned("Wat zegt de inspectie daarover?") == ["inspectie-kader"]
    assert aliases.mentioned("Welke Dijkhavense scholen doen mee?") == ["dijkhaven-nota"]


def test_inside_one_document_the_words_naming_its_place_and_kind_are_dropped_its_title_words_kept() -> None:
    aliases = DocAliases.build(CORPUS)
    assert aliases.without_names("Welke rol kiest Dijkhaven volgens haar nota?", "dijkhaven-nota") == \
        "Welke rol kiest  volgens haar ?"
    # "inspectie" names the framework and is what the question asks about: a title word stays
    assert aliases.without_names("Welk oordeel geeft de inspectie?", "inspectie-kader") == "Welk oordeel geeft de inspectie?"
    # another document's place is kept
    assert "Dijkhaven" in aliases.without_names("Wat wil Dijkhaven?", "wet-kinderopvang")


def test_a_run_of_title_words_names_its_document_where_the_question_cites_it() -> None:
    corpus = CORPUS + [
        chunk("kvk2", "Uitvoeringsprogramma Kansen voor Kinderen 2 (2021-2028)", "Dijkhaven",
              "Eind 2020 waren er 29 IKC's in ontwikkeling."),
    ]
    aliases = DocAliases.build(corpus)
    # each word is common ("kansen", "kinderen"), the run of them is the programme's name
    assert "kvk2" in aliases.mentioned("How many IKCs were in development according to Kansen voor Kinderen 2?")
    assert "kvk2" in aliases.mentioned("Wat staat er volgens Kansen voor Kinderen over de wijken?")
    # the same words where the question does not cite a source name its topic, not the document
    assert "kvk2" not in aliases.mentioned("Hoe vergroten we de kansen voor kinderen?")
    # two words that are the field's own are said of any IKC: no name ("Visie … Het Kind Centraal")
    assert not any(len(p.split()) == 2 and set(p.split()) <= {"kind", "centraal", "kindcentra", "beleid"}
                   for p in DocAliases.build(corpus + [chunk("huizen", "Visie Het Kind Centraal", "Huizen", "IMO")]).phrases)
