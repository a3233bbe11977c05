"""The walkthrough engine: a full pass by name, number and description; commands; resume from JSON."""

from __future__ import annotations

import json

import pytest

from assistant.director.guide import guided_reply
from assistant.director.instrument import load_instrument
from assistant.director.intents import is_category_question, is_placement_question, is_walkthrough_request
from assistant.director.walkthrough import Walkthrough, start_walkthrough

pytest_plugins = ["conftest_instrument"]


@pytest.fixture
def walk(placer, instrument_settings) -> Walkthrough:
    return Walkthrough(settings=instrument_settings, language="nl", location="IKC De Linde", placer=placer)


def resumed(walk: Walkthrough) -> Walkthrough:
    """A walkthrough rebuilt from its JSON text, as a chat or a browser session would keep it."""
    return Walkthrough.from_json(json.loads(json.dumps(walk.to_json())), settings=walk.settings, placer=walk.placer)


def test_full_twelve_theme_walkthrough_by_name_number_and_description(walk):
    instrument = load_instrument()
    turn = walk.start()
    assert turn.kind == "intro" and turn.theme == 1 and not turn.done
    for cell in instrument.theme(1).cells.values():
        assert cell.text in turn.message
    assert {c.page for c in turn.citations} >= {12, 14}  # the frame (§ on the instrument) and the grid
    overview = next(line for line in turn.message.split("\n") if line.startswith("De thema's volgens het raster"))
    assert "[" not in overview  # our own overview of the grid cites nothing it does not quote
    script = [
        ("Hand in hand", 1, "hand_in_hand"),                                  # by name
        ("2", 2, "face_to_face"),                                              # by number
        ("Bij ons heeft elke partner een eigen visie", 3, "back_to_back"),     # by description
        ("cheek to cheek", 4, "cheek_to_cheek"),
        ("niveau 5", 5, "integraal"),
        ("We weten welk aanbod er in de wijk is, zoals de bibliotheek, maar we doen er nog niets mee.", 6,
         "face_to_face"),
        ("3", 7, "hand_in_hand"),
        ("Iedere partij werkt met een eigen kindvolgsysteem, maar er is altijd een warme overdracht.", 8,
         "hand_in_hand"),
        ("Face to face", 9, "face_to_face"),
        ("1", 10, "back_to_back"),
        ("We delen één gebouw met een centrale informatiebalie en beheer en exploitatie zijn goed geregeld.", 11,
         "cheek_to_cheek"),
        ("Integraal", 12, "integraal"),
    ]
    for text, theme, level in script:
        assert walk.current_theme.number == theme
        turn = walk.handle(text)
        if turn.kind == "suggestion":
            assert turn.suggestion.level == level and turn.suggestion.theme == theme
            assert turn.suggestion.quote in turn.message
            assert turn.citations[0].text == instrument.cell(theme, level).text
            assert turn.citations[0].page == instrument.cell(theme, level).page
            assert walk.current_theme.number == theme, "a suggestion waits for confirmation"
            turn = walk.handle("ja")
        assert walk.answers[theme].level == level
    assert turn.done and turn.kind == "summary"
    profile = walk.profile()
    assert profile.levels == {theme: level for _, theme, level in script}
    assert {walk.answers[n].source for n in (1, 2, 3)} == {"name", "number", "description"}
    assert walk.answers[3].description.startswith("Bij ons") and walk.answers[3].confidence > 0
    assert "Samenvatting" in turn.message and "Sterkst" in turn.message
    assert instrument.notes["last_phase"].text in turn.message


def test_commands_skip_back_goto_note_in_dutch(walk):
    walk.start()
    walk.handle("Face to face")
    turn = walk.handle("terug")
    assert turn.theme == 1 and "Gekozen: **Face to face**" in turn.message
    turn = walk.handle("overslaan")
    assert turn.theme == 2 and walk.answers[1].level == "face_to_face" and not walk.answers[1].skipped
    turn = walk.handle("sla over")
    assert turn.theme == 3 and walk.answers[2].skipped and walk.answers[2].level is None
    turn = walk.handle("notitie: bespreken met de MR")
    assert turn.theme == 3 and walk.answers[3].note == "bespreken met de MR"
    turn = walk.handle("ga naar thema 9")
    assert turn.theme == 9
    assert "Nieuwe professionele houding" in turn.message, "the list name of theme 9 is shown next to the grid name"
    turn = walk.handle("2")
    assert turn.theme == 10 and walk.answers[9].level == "face_to_face"
    assert walk.handle("thema 13").kind == "error"
    assert walk.goto(8).message.count("header") + walk.goto(8).message.count("kopregel") >= 1


def test_commands_in_english_and_a_rejected_suggestion(placer, instrument_settings):
    walk = Walkthrough(settings=instrument_settings, language="en", placer=placer)
    turn = walk.start()
    assert "Theme 1 of 12" in turn.message and "Skip" in turn.options
    turn = walk.handle("theme 12")
    assert turn.theme == 12
    turn = walk.handle("Each partner organises activities now and then, but nobody looks at the results.")
    assert turn.kind == "suggestion" and turn.suggestion.level == "back_to_back"
    turn = walk.handle("no")
    assert walk.pending is None and walk.answers[12].level is None and turn.theme == 12
    turn = walk.handle("level 2")
    assert walk.answers[12].level == "face_to_face"
    assert turn.theme == 1, "after a jump, the walkthrough returns to the first open theme"
    turn = walk.handle("note: ask the board")
    assert walk.answers[1].note == "ask the board" and "Note saved" in turn.message
    assert walk.handle("yes").kind == "error", "nothing to confirm"


def test_resume_from_saved_json_keeps_answers_notes_and_an_open_suggestion(walk):
    walk.start()
    walk.handle("4")
    walk.handle("notitie: website is al gedeeld")
    walk.handle("thema 3")
    turn = walk.handle("We hebben een gezamenlijke visie opgesteld vanuit het kind en de medewerkers herkennen "
                       "zich erin, maar die stuurt de organisatie nog niet.")
    assert turn.kind == "suggestion" and walk.pending is not None
    text = json.dumps(walk.to_json())
    assert json.loads(text)["pending"]["level"] == walk.pending.level
    again = resumed(walk)
    assert again.answers == walk.answers and again.position == walk.position
    assert again.pending.level == walk.pending.level
    turn = again.handle("ja")
    assert again.answers[3].level == "cheek_to_cheek" and turn.theme == 4, "on to the next open theme"
    assert again.answers[2].note == "website is al gedeeld"
    # Also as a JSON string
    third = Walkthrough.from_json(again.dumps(), placer=walk.placer)
    assert third.profile().levels == again.profile().levels


def test_stop_and_resume(walk):
    walk.start()
    walk.handle("1")
    turn = walk.handle("stop")
    assert turn.kind == "stopped" and walk.stopped and "verder" in turn.message
    again = resumed(walk)
    assert again.stopped
    turn = again.handle("verder")
    assert not again.stopped and turn.theme == 2 and "We gaan verder" in turn.message


def test_wizard_methods_without_text(walk):
    walk.start()
    assert walk.choose("integraal").theme == 2
    assert walk.choose(3).theme == 3
    turn = walk.describe("Iedere partner heeft een eigen visie en we kennen die van elkaar niet.")
    assert turn.kind == "suggestion"
    assert walk.confirm().theme == 4 and walk.answers[3].source == "description"
    assert walk.skip().theme == 5
    assert walk.back().theme == 4
    assert walk.goto(12).theme == 12
    walk.add_note("kwaliteitszorg apart bespreken")
    assert walk.profile().notes == {12: "kwaliteitszorg apart bespreken"}
    assert walk.choose("Back to back").theme == 5, "back to the first open theme"
    with pytest.raises(ValueError):
        Walkthrough.from_json({"instrument": "another-instrument"})


def test_category_choice_inside_the_walkthrough_joins_the_profile(walk):
    walk.start()
    for _ in range(12):
        walk.handle("3")
    assert walk.finished
    turn = walk.handle("categorie")
    assert turn.kind == "category" and "IKC worden" in turn.message
    for answer in ("ja", "ja", "ja", "ja", "ja", "ja", "ja"):  # want, team, parents, MR, board, partner, pace
        turn = walk.handle(answer)
    assert "Goede redenen" in turn.message
    turn = walk.handle("1, 2, 8")
    assert turn.kind == "category"
    assert walk.category["number"] == 1 and walk.category["label"] == "Categorie 1 Direct starten"
    assert walk.profile().category["number"] == 1
    assert resumed(walk).profile().category["label"] == "Categorie 1 Direct starten"


def test_walkthrough_requests_are_recognised():
    for text in ("loop het ontwikkelinstrument met me door", "Walk me through the instrument",
                 "Kun je me helpen het ontwikkelinstrument in te vullen?", "guide us through the themes and levels",
                 "Ik ben directeur van een kindcentrum in oprichting en wil met mijn team bepalen waar we staan. "
                 "Welke thema's en niveaus moeten we doorlopen, en waar beginnen we?"):
        assert is_walkthrough_request(text), text
    for text in ("Wat is het ontwikkelinstrument?", "Hoe gebruikt de gemeente het instrument?",
                 "Welke goede redenen noemt Lansingerland?", "Which Lansingerland category are we in?",
                 "Bij ons heeft elke partner een eigen visie; waar staan we?", ""):
        assert not is_walkthrough_request(text), text


def test_accepts_tells_walkthrough_answers_from_other_questions(walk):
    walk.start()
    assert walk.accepts("Hand in hand") and walk.accepts("3") and walk.accepts("overslaan")
    assert walk.accepts("We werken nog los van elkaar")
    assert not walk.accepts("Wat zegt de notitie over VVE?")


def test_chat_starts_and_continues_a_walkthrough(instrument_settings, placer):
    reply = guided_reply("Loop het ontwikkelinstrument met me door", settings=instrument_settings)
    assert reply is not None and reply.kind == "walkthrough" and reply.language == "nl"
    assert "12 thema's" in reply.markdown
    assert "Back to back" in reply.markdown and "Integraal" in reply.markdown
    assert any("gesprekskader" in c.text for c in reply.citations)
    state = reply.walkthrough
    reply = guided_reply("Cheek to cheek", walkthrough=state, settings=instrument_settings)
    assert reply.kind == "walkthrough" and reply.walkthrough["answers"]["1"]["level"] == "cheek_to_cheek"
    assert guided_reply("Wat zegt de notitie over VVE?", walkthrough=reply.walkthrough,
                        settings=instrument_settings) is None
    walk, turn = start_walkthrough("walk me through the instrument", settings=instrument_settings)
    assert walk.language == "en" and "Theme 1 of 12" in turn.message


@pytest.mark.parametrize("reply", ["zeker", "oké", "Akkoord.", "definitely"])
def test_walkthrough_and_category_interview_read_a_yes_alike(walk, reply):
    """One word list: a yes that confirms a suggestion also answers yes in the category interview."""
    from assistant.director.category import CategoryInterview

    walk.describe("Iedere partner heeft een eigen visie.")
    assert walk.handle(reply).kind != "suggestion" and walk.pending is None
    assert walk.answers[1].source == "description"
    interview = CategoryInterview("nl")
    interview.handle(reply)
    assert interview.answers.want == "yes"


def test_a_hedge_is_neither_yes_nor_no():
    from assistant.director.replies import MAYBE, NO, YES, read_reply

    assert read_reply("klopt niet", whole=True) == NO and read_reply("klopt", whole=True) == YES
    assert read_reply("not sure") == MAYBE and read_reply("nog niet, eerst praten") == MAYBE
    assert read_reply("ja, maar het team twijfelt") == YES and read_reply("ja, maar het team twijfelt", whole=True) is None


@pytest.mark.parametrize(("message", "task"), [
    ("Welke thema's zitten er allemaal in het ontwikkelinstrument IKC van Lansingerland? Ik wil graag het hele rijtje.",
     None),  # a request of the answer describes no situation: a list question for the notes
    ("Bij ons heeft elke partner een eigen visie. Waar staan we op het instrument?", "placement"),
    ("Which schools in Lansingerland have already signed up as category 1, ready to start right away?", None),
    ("Team en bestuur willen door en de opvangpartner is bekend. Welke categorie?", "category"),
    ("What are the three categories Lansingerland uses?", "category"),
    # a statement about the instrument and a question about its levels: no one's situation
    ("The development tool of Lansingerland describes how far childcare and school work together. What are the levels "
     "called?", None),
    ("De school en de opvang werken apart in twee gebouwen. Welk niveau is dat?", "placement"),
    # what we want, then a question of what a document says: for the notes, not for the category helper
    ("Als gemeente willen we beleid voor kindcentra maken. Welke stappen noemt de handreiking daarvoor?", None),
    ("Ons bestuur en de opvang hebben besloten als kindcentrum verder te gaan. Wat betekent dat voor ons?", "category"),
])
def test_a_question_about_the_instrument_is_routed_only_when_it_asks_about_ones_own_situation(message: str, task) -> None:
    found = "category" if is_category_question(message) else "placement" if is_placement_question(message) else None
    assert found == task
