"""One entry point for the chat: does this message belong to a guided task (the instrument walkthrough,
placing a situation on the instrument, the category choice)? If so, the reply with its citations;
if not, None and the chat answers from the notes as usual.

The walkthrough's state travels with the conversation: pass back the `walkthrough` dict of the previous
reply (kept in `Answer.walkthrough` by the caller) to continue it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from assistant.director.category import CategoryAnswers
from assistant.director.instrument import load_instrument, name_ordinal_levels
from assistant.director.intents import FIRST_PERSON, is_walkthrough_request
from assistant.director.placement import get_placer
from assistant.director.situation import advise_from_text
from assistant.safety import clean_question
from ikc.records import Citation
from ikc.settings import Settings

log = logging.getLogger(__name__)

CATEGORY_STATE = "category"  # the `kind` of the state a category reply leaves while criteria are open
THEME_STATE = "placement_theme"  # the state a placement leaves when it asks which of two themes is meant


@dataclass
class GuidedReply:
    """What the chat shows: markdown with `[n]` markers that point at `citations`."""

    kind: str  # "walkthrough" | "instrument_level" | "category"
    language: str
    markdown: str
    citations: list[Citation] = field(default_factory=list)
    options: list[str] = field(default_factory=list)  # quick replies for the UI
    walkthrough: dict | None = None  # the walkthrough's state after this message (kind "walkthrough")
    data: dict | None = None  # Suggestion.to_json() or CategoryAdvice.to_json()


def guided_reply(question: str, walkthrough: dict | None = None, settings: Settings | None = None,
                 language: str | None = None) -> GuidedReply | None:
    """Route a chat message: continue or start the walkthrough, choose a category, place a situation.

    Returns None when the message is an ordinary question for the notes (including a question asked
    in the middle of a walkthrough: keep the state and pass it again with the next message).
    """
    from assistant.director.walkthrough import Walkthrough, request_language, start_walkthrough

    if not question or not question.strip():
        return None
    question = clean_question(question).text  # instructions inside a question are content, not commands
    lang = language or request_language(question)
    if walkthrough and walkthrough.get("kind") == THEME_STATE:
        # The previous reply asked which theme a described situation is about: a reply naming one places
        # the description on it; anything else is a new message.
        placer = get_placer(settings)
        among = [int(t) for t in walkthrough.get("themes", [])]
        chosen = placer.theme_from_reply(question, among)
        if chosen is not None and walkthrough.get("description"):
            suggestion = placer.suggest(walkthrough["description"], chosen)
            return _placement_reply(suggestion, walkthrough.get("language") or lang)
        walkthrough = None
    if walkthrough and walkthrough.get("kind") == CATEGORY_STATE:
        # The previous reply asked for what was still open about the category: an answer that says
        # something about §8's criteria continues it; anything else is a question for the notes.
        known = CategoryAnswers(**walkthrough.get("answers", {}))
        advice = advise_from_text(question, walkthrough.get("language") or lang, force=True, known=known)
        if advice is not None and CategoryAnswers(**advice.answers) != known:
            return _category_reply(advice, walkthrough.get("language") or lang)
        walkthrough = None
    if walkthrough:
        try:
            walk = Walkthrough.from_json(walkthrough, settings=settings)
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring an unreadable walkthrough state", exc_info=True)
            walk = None
        if walk is not None and (walk.accepts(question) or (walk.stopped and is_walkthrough_request(question))):
            turn = walk.resume() if walk.stopped and is_walkthrough_request(question) else walk.handle(question)
            return GuidedReply("walkthrough", walk.language, turn.message, turn.citations, turn.options,
                               turn.state, turn.suggestion.to_json() if turn.suggestion else None)
    if is_walkthrough_request(question):
        walk, turn = start_walkthrough(question, settings=settings, language=lang)
        return GuidedReply("walkthrough", walk.language, turn.message, turn.citations, turn.options, turn.state)
    advice = advise_from_text(question, lang)
    if advice is not None:
        return _category_reply(advice, lang)
    suggestion = get_placer(settings).place(question)
    if suggestion is not None:
        return _placement_reply(suggestion, lang, question)
    return cell_reply(question, lang, settings)


# A question about the instrument's levels names a level noun; "Integraal" alone is also an ordinary word.
_LEVEL_NOUN = re.compile(r"\b(?:(?:ambitie)?niveaus?|levels?)\b", re.IGNORECASE)
_THEME_NOUN = re.compile(r"\b(?:thema'?s?|themes?)\b", re.IGNORECASE)


def cell_reply(question: str, language: str, settings: Settings | None = None) -> GuidedReply | None:
    """What the instrument says at a level of a theme, asked without a situation of one's own ("Hoe ziet het hoogste
    niveau eruit bij het thema over ouders?", "What does Cheek to cheek look like for theme 7?"): the descriptor of
    that cell, cited; None unless the question names one theme clearly and at least one level."""
    instrument = load_instrument()
    text = name_ordinal_levels(question, instrument)
    if FIRST_PERSON.search(text):
        return None
    if not _THEME_NOUN.search(text):
        return None  # a cell has two axes: the question names the theme as a theme ("Integraal Huisvestingsplan …")
    # a level by its name next to a level noun ("het niveau Integraal"), or by a name of several words as the
    # instrument writes it ("What does Cheek to cheek look like …"); "Integraal" alone is an ordinary word
    level_noun = _LEVEL_NOUN.search(text)
    levels = [lv for lv in instrument.levels
              if (level_noun or " " in lv.name)
              and re.search(rf"\b{re.escape(lv.name)}\b", text, re.IGNORECASE if level_noun else 0)]
    if not levels:
        return None
    number = get_placer(settings).clearest_theme(text)
    if number is None:
        return None
    theme = instrument.theme(number)
    en = language == "en"
    citations, lines = [], []
    for n, level in enumerate(levels, 1):
        cell = instrument.cell(theme.number, level.key)
        citations.append(instrument.cite_cell(cell, n))
        lines.append(f"**{level.name}**:\n\n> {cell.text} [{n}]")
    head = (f"For theme **{theme.label('en')}** the instrument describes" if en
            else f"Bij thema **{theme.label('nl')}** beschrijft het instrument")
    body = "\n\n".join(lines)
    source = f"_({instrument.doc_title}, p. {', '.join(dict.fromkeys(str(c.page) for c in citations))})_"
    return GuidedReply("instrument_cell", language, f"{head}:\n\n{body}\n\n{source}", citations)


def _placement_reply(suggestion, language: str, description: str = "") -> GuidedReply:
    """The placement with its quoted descriptors; when the theme is unsure, the state to continue with the
    director's choice of theme."""
    instrument = load_instrument()
    citations = [instrument.cite_cell(cell, n) for n, cell in enumerate(suggestion.cited_cells(instrument), 1)]
    state = None
    if suggestion.theme_uncertain and description:
        state = {"kind": THEME_STATE, "language": language, "description": description,
                 "themes": [c.theme for c in suggestion.theme_candidates]}
    return GuidedReply("instrument_level", language, suggestion.to_markdown(language, instrument.doc_title, 1),
                       citations, walkthrough=state, data=suggestion.to_json())


def _category_reply(advice, language: str) -> GuidedReply:
    """The advice; while criteria are open, the state to continue with the director's next answer."""
    state = None
    if advice.open_criteria:
        state = {"kind": CATEGORY_STATE, "language": language, "answers": advice.answers}
    return GuidedReply("category", language, advice.to_markdown(language), advice.citations, walkthrough=state,
                       data=advice.to_json())
