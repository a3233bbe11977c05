"""The instrument as data (every cell on its page of the note) and placing situations on it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from assistant.director.instrument import DEFAULT_INSTRUMENT, load_instrument
from assistant.director.reading import denies, read_clauses, topic_phrases
from assistant.language import detect_language
from ikc.cli import app
from ikc.records import DocMeta
from ikc.text import normalise_for_match
from ingest.pdf import Page
from ingest.structure import build_document

pytest_plugins = ["conftest_instrument"]

ROOT = Path(__file__).resolve().parents[1]
SITUATIONS = Path(__file__).parent / "data" / "instrument_situations.yaml"
LEVEL_KEYS = ["back_to_back", "face_to_face", "hand_in_hand", "cheek_to_cheek", "integraal"]


def eval_items(*types: str) -> list[dict]:
    items = []
    for name in ("dev.jsonl", "instrument.jsonl"):
        path = ROOT / "evals" / "sets" / name
        if path.exists():
            items += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [i for i in items if i["type"] in types]


def cell_for_quote(quote: str) -> tuple[int, str]:
    """The (theme, level) whose descriptor contains a gold quote: the expected answer, from the data."""
    instrument = load_instrument()
    hits = [(t.number, k) for t in instrument.themes for k, c in t.cells.items()
            if normalise_for_match(quote).lower() in normalise_for_match(c.text).lower()]
    assert len(hits) == 1, quote
    return hits[0]


# --- the grid as data --------------------------------------------------------------------------


def test_grid_has_twelve_themes_of_five_levels_in_order():
    instrument = load_instrument()
    assert [lv.key for lv in instrument.levels] == LEVEL_KEYS
    assert [lv.name for lv in instrument.levels] == ["Back to back", "Face to face", "Hand in hand", "Cheek to cheek",
                                                    "Integraal"]
    assert [t.number for t in instrument.themes] == list(range(1, 13))
    assert all(list(t.cells) == LEVEL_KEYS for t in instrument.themes)
    assert sum(len(t.cells) for t in instrument.themes) == 60


def test_every_cell_stands_on_its_page_of_the_note(note_pages):
    """All 60 descriptors, exactly, on the page they are cited with (parts for the 7 that cross a page)."""
    instrument = load_instrument()
    pages = {n: normalise_for_match(text) for n, text in note_pages.items()}
    checked = 0
    for theme in instrument.themes:
        for key, cell in theme.cells.items():
            for part in cell.parts:
                assert normalise_for_match(part.text) in pages[part.page], (theme.number, key, part.page)
            if cell.parts:
                assert cell.parts[0].page == cell.page
                joined = ""
                for part in cell.parts:  # a word broken over the page break keeps its hyphen
                    joined += part.text if joined.endswith("-") or not joined else " " + part.text
                assert joined == cell.text
            else:
                assert normalise_for_match(cell.text) in pages[cell.page], (theme.number, key, cell.page)
            checked += 1
    assert checked == 60


def test_every_cell_is_in_the_ingested_document_on_its_page(note_pages):
    """The same check against the document as ingest builds it (canonical text with page offsets)."""
    instrument = load_instrument()
    doc = build_document(DocMeta(instrument.doc_id, instrument.doc_title),
                         [Page(n, t) for n, t in sorted(note_pages.items())])
    starts = doc.page_starts + [(len(doc.text), None)]
    page_text = {p: normalise_for_match(doc.text[s:starts[i + 1][0]]) for i, (s, p) in enumerate(doc.page_starts)}
    for theme in instrument.themes:
        for cell in theme.cells.values():
            for page, text in [(p.page, p.text) for p in cell.parts] or [(cell.page, cell.text)]:
                assert normalise_for_match(text) in page_text[page], (theme.number, cell.level, page)


def test_notes_stand_on_their_pages(note_pages):
    instrument = load_instrument()
    assert {"last_phase", "conversation_frame", "theme_list"} <= set(instrument.notes)
    last = instrument.notes["last_phase"]
    assert "laatste fase" in last.text and "wet- en regelgeving" in last.text
    raw = yaml.safe_load(DEFAULT_INSTRUMENT.read_text(encoding="utf-8"))
    for note in raw["notes"]:
        for part in note.get("parts") or [note]:
            assert normalise_for_match(part["text"]) in normalise_for_match(note_pages[part["page"]]), note["key"]


def test_list_and_grid_names_both_kept_and_the_mismatch_is_explained():
    instrument = load_instrument()
    t = {x.number: x for x in instrument.themes}
    assert (t[1].name, t[1].name_in_list) == ("Bestuurlijke samenwerking", "Bestuurlijk draagvlak")
    assert t[9].name.startswith("Doorgaande lijn inhoud") and t[9].name_in_list == "Nieuwe professionele houding"
    assert (t[10].name, t[10].name_in_list) == ("Nieuwe professionele houding", "Structurele aanpak")
    assert t[8].layout == "header_row" and all(x.layout == "labelled" for n, x in t.items() if n != 8)
    assert t[4].name == t[4].name_in_list and not t[4].names_differ
    for language in ("nl", "en"):
        text = instrument.mismatch_text(language)
        assert "Structurele aanpak" in text and "Kwaliteitsbeleid" in text and "8" in text
    assert instrument.mismatch["list_without_grid"] == ["Structurele aanpak"]


def test_extraction_script_reproduces_the_committed_yaml(note_pages):
    """The data file is what the script extracts from the PDF (no hand edits drift in)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import extract_instrument
    finally:
        sys.path.pop(0)
    pages = [Page(n, text) for n, text in sorted(note_pages.items())]
    extracted = extract_instrument.extract(pages, extract_instrument.CONFIG)
    committed = yaml.safe_load(DEFAULT_INSTRUMENT.read_text(encoding="utf-8"))
    assert extracted == committed


def test_show_json_has_exactly_the_documented_shape():
    result = CliRunner().invoke(app, ["instrument", "show", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["id", "title", "source", "levels", "themes"]
    assert set(data["source"]) == {"doc_id", "pages"}
    assert data["source"]["doc_id"] == "lansingerland-kennisnotitie-ikc"
    assert [lv["key"] for lv in data["levels"]] == LEVEL_KEYS
    assert len(data["themes"]) == 12
    for theme in data["themes"]:
        assert set(theme) == {"number", "name", "name_in_list", "cells"}
        assert list(theme["cells"]) == LEVEL_KEYS
        assert all(set(c) == {"text", "page"} and isinstance(c["page"], int) for c in theme["cells"].values())
    assert data["themes"][2]["cells"]["back_to_back"] == {"text": "Iedere partner heeft een eigen visie", "page": 15}


def test_show_as_text_lists_descriptors_with_pages_and_the_mismatch():
    result = CliRunner().invoke(app, ["instrument", "show"])
    assert result.exit_code == 0
    assert "Fusie van betrokken partners (p. 14)" in result.stdout
    assert "themalijst: Structurele aanpak" in result.stdout
    assert "Let op:" in result.stdout


# --- reading a description ----------------------------------------------------------------------


def test_clauses_split_at_contrast_and_recognise_denials_and_questions():
    clauses = read_clauses("We hebben een gezamenlijke visie, maar die stuurt de organisatie nog niet. "
                           "Welk niveau is dit?")
    assert [c.text for c in clauses] == ["We hebben een gezamenlijke visie", "maar die stuurt de organisatie nog niet",
                                         "Welk niveau is dit"]
    assert [c.denied for c in clauses] == [False, True, False]
    assert [c.not_yet for c in clauses] == [False, True, False]
    assert [c.question for c in clauses] == [False, False, True]
    assert clauses[1].content == "die stuurt de organisatie", "the core: what is denied, without the denial"
    assert not read_clauses("een niet-vrijblijvende samenwerkingsovereenkomst")[0].denied
    assert not read_clauses("Ouders bellen maar een keer als het kind ziek is.")[0].denied


def test_a_denial_joined_by_and_keeps_its_own_scope():
    """"We don't run anything together and each side has its own manager": the second part is affirmed."""
    first, second = read_clauses("But we don't run anything together and each side has its own manager.")
    assert first.denied and not second.denied
    assert second.scope == -1, "its own manager: each partner's own"
    both = read_clauses("Een gezamenlijke visie is er niet en we weten niet wat in hun beleid staat.")
    assert len(both) == 2 and all(c.denied for c in both)
    assert both[0].scope == 1 and both[1].scope == 0


# --- placing situations -------------------------------------------------------------------------


def test_the_issue_example_is_theme_3_back_to_back_with_the_descriptor(placer, instrument_settings):
    from assistant.director.placement import place_situation

    suggestion = place_situation("Bij ons heeft elke partner een eigen visie; waar staan we?", instrument_settings)
    assert suggestion is not None
    assert (suggestion.theme, suggestion.level, suggestion.level_name) == (3, "back_to_back", "Back to back")
    assert suggestion.quote == load_instrument().cell(3, "back_to_back").text
    assert suggestion.page == 15 and suggestion.doc_id == "lansingerland-kennisnotitie-ikc"
    assert 0 < suggestion.confidence <= 1
    answer = suggestion.to_markdown("nl", "Kennisnotitie IKC Lansingerland")
    assert "Back to back" in answer and "Iedere partner heeft een eigen visie [1]" in answer and "p. 15" in answer


@pytest.mark.parametrize("item", eval_items("instrument_level"), ids=lambda i: i["id"])
def test_eval_set_situations_land_on_the_gold_descriptor(item, placer):
    """Expected theme and level come from the cell holding the gold quote, not from this test."""
    expected = cell_for_quote(item["gold"][0]["quote"])
    suggestion = placer.place(item["question"])
    assert suggestion is not None, "a situation with a level question must be placed"
    assert (suggestion.theme, suggestion.level) == expected


def test_own_situations_dutch_and_english_mostly_right(placer):
    items = yaml.safe_load(SITUATIONS.read_text(encoding="utf-8"))
    wrong = []
    for item in items:
        s = placer.suggest(item["text"], item["theme"])
        if [s.theme, s.level] != item["expect"]:
            wrong.append((item["text"], item["expect"], (s.theme, s.level)))
    assert sum(detect_language(i["text"]) == "en" for i in items) >= 8
    assert len(wrong) <= len(items) // 10, wrong


def test_a_denial_rules_out_the_levels_it_denies(placer):
    s = placer.suggest("We hebben een gezamenlijke visie opgesteld vanuit het kind en de medewerkers dragen die, "
                       "maar de visie is nog niet leidend voor de organisatie.", theme=3)
    assert "integraal" in s.excluded and s.level == "cheek_to_cheek"


def test_given_theme_is_respected(placer):
    s = placer.suggest("We evalueren onze activiteiten, maar er is geen vaste cyclus.", theme=12)
    assert s.theme == 12 and s.theme_given and s.level == "hand_in_hand"
    assert all(a.theme == 12 for a in s.alternatives)


@pytest.mark.parametrize("item", eval_items("factual", "definition", "list", "numeric", "multi_doc", "compare",
                                            "unanswerable", "category_choice", "walkthrough"),
                         ids=lambda i: i["id"])
def test_questions_that_are_not_situations_are_not_placed(item, placer):
    assert placer.place(item["question"]) is None


def test_suggest_cli_json_matches_the_show_data(instrument_settings):
    runner = CliRunner()
    result = runner.invoke(app, ["instrument", "suggest", "--theme", "3", "Bij ons heeft elke partner een eigen visie",
                                 "--json", "--data-dir", str(instrument_settings.data_dir)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"theme", "level", "confidence", "quote", "page"} <= set(data)
    assert (data["theme"], data["level"]) == (3, "back_to_back")
    show = json.loads(runner.invoke(app, ["instrument", "show", "--json"]).stdout)
    assert show["themes"][2]["cells"][data["level"]] == {"text": data["quote"], "page": data["page"]}


def test_suggest_cli_picks_the_theme_and_rejects_a_bad_one(instrument_settings):
    runner = CliRunner()
    data_dir = ["--data-dir", str(instrument_settings.data_dir)]
    result = runner.invoke(app, ["instrument", "suggest", "We share one building with a central information desk "
                                 "for everyone.", "--json", *data_dir])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["theme"] == 11
    assert runner.invoke(app, ["instrument", "suggest", "--theme", "13", "iets", *data_dir]).exit_code == 2


def test_an_alternative_outcome_denies_nothing():
    """"… wat werkte en wat niet", "whether or not": the denial names the other outcome, the clause is affirmed."""
    assert not denies("Na de ouderavond bespreken we met elkaar wat werkte en wat niet")
    assert not denies("each term we look at whether or not the plan worked")
    assert not denies("we kijken of het aanslaat of niet.")
    assert denies("we bespreken niet wat werkte")


def test_two_denials_that_cancel_affirm():
    """"Niemand … die niet …", "het is niet zo dat … niet": the outer denial denies the inner one."""
    assert not denies("er is geen leerkracht die de nieuwe aanpak niet kent")
    assert not denies("Het is niet zo dat de leerkrachten het niet zien zitten")
    assert not denies("there is nobody on the staff who doesn't know the plan")
    assert denies("niemand kent het plan"), "'niemand' alone denies"
    assert denies("nobody knows the plan")


def test_a_short_label_before_a_colon_is_the_topic():
    """"Ruimte: …" opening a description announces its theme; a lead with a verb of its own is a statement."""
    assert topic_phrases("Ruimte: we delen sinds kort een gebouw.") == ["Ruimte"]
    assert topic_phrases("Ons IKC is een lerende organisatie: we plannen alles samen.") == []
    assert topic_phrases("Parents see two organisations: separate websites.") == []


def test_each_partners_own_said_as_what_is_left():
    """"Voor de rest werkt ieder nog steeds met een eigen methode": own, as the remainder of what became joint."""
    residual, plain = read_clauses("Voor de rest werkt ieder nog steeds met een eigen methode. Iedere partner heeft "
                                   "een eigen methode.")
    assert residual.residual and not plain.residual
    assert not read_clauses("We delen nog steeds niets.")[0].residual, "a denial is read as a denial"
