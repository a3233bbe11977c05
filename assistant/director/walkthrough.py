"""The instrument walkthrough as a UI-agnostic state machine.

Theme by theme it shows the descriptors with their page, and takes an answer: a level name, a
number (1 = lowest), or a free description of the location's situation, which becomes a suggested
level with the supporting descriptor quoted, to confirm or change. Skip, back, jump to a theme,
notes, stop and resume; the whole state is plain JSON so the chat, the UI wizard and the terminal
can keep it wherever they keep things. Two faces on one engine: `handle(text)` for chat-style text
commands (Dutch and English) and structured methods (`choose`, `skip`, `back`, `goto`, `add_note`,
`describe`, `confirm`, …) for a wizard. Both return a `Turn`.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date

from assistant.director.category import CategoryAdvice, CategoryInterview, CategoryStep
from assistant.director.instrument import Instrument, Theme, load_instrument
from assistant.director.intents import is_walkthrough_request  # noqa: F401  (re-exported for callers)
from assistant.director.placement import Placer, Suggestion, get_placer
from assistant.director.profile import Profile, summary_markdown
from assistant.director.replies import NO, YES, read_reply
from assistant.language import detect_language
from ikc.records import Citation
from ikc.settings import Settings

STATE_VERSION = 1


@dataclass
class ThemeAnswer:
    """What was settled for one theme."""

    level: str | None = None  # level key; None when skipped or open
    source: str = ""  # "name" | "number" | "description" | "wizard"
    description: str = ""  # the user's own words, when they described the situation
    confidence: float | None = None  # of the suggestion they confirmed
    skipped: bool = False
    note: str = ""


@dataclass
class Turn:
    """One step of the conversation: what to show and what the user can answer."""

    message: str  # markdown
    options: list[str] = field(default_factory=list)  # quick replies
    done: bool = False  # every theme handled; `profile()` is complete
    kind: str = "theme"  # intro | theme | suggestion | note | stopped | summary | help | error
    theme: int | None = None  # the theme now on screen
    citations: list[Citation] = field(default_factory=list)
    suggestion: Suggestion | None = None
    state: dict = field(default_factory=dict)  # Walkthrough.to_json() after this step

    def to_json(self) -> dict:
        data = asdict(self)
        data["suggestion"] = self.suggestion.to_json() if self.suggestion else None
        return data


# Commands, Dutch and English; matched against the whole (lower-cased, trimmed) message.
_STOP = re.compile(r"^(?:stop|stoppen|pauze|pauzeer|pause|later|quit|exit|afbreken|ophouden)\b")
_RESUME = re.compile(r"^(?:verder|hervat|hervatten|ga verder|doorgaan|resume|continue|go on)\b")
_SKIP = re.compile(r"^(?:sla over|overslaan|skip|volgende|next|weet ik niet|weet niet|geen idee|don't know|pass)\b")
_BACK = re.compile(r"^(?:terug|vorige|back|previous|ga terug|go back)\b")
_GOTO = re.compile(r"^(?:ga naar |naar |go to |goto |jump to |spring naar )?(?:thema|theme)\s*(\d{1,2})\b")
_NOTE = re.compile(r"^(?:notitie|opmerking|note|aantekening|memo)\s*[:\-]\s*(.+)$", re.DOTALL)
_HELP = re.compile(r"^(?:help|hulp|\?|uitleg|how does this work|hoe werkt dit)\W*$")
_SUMMARY = re.compile(r"^(?:samenvatting|resultaat|klaar|afronden|summary|result|finish|done|profiel|profile)\W*$")
_CATEGORY_CMD = re.compile(r"^(?:categorie|category|categorie bepalen|bepaal (?:de )?categorie|choose (?:the )?category|"
                           r"kies (?:de )?categorie)\W*$")
_ENGLISH_HINT = re.compile(r"\b(?:walk|guide|take|through|the|please|help|start|show)\b", re.IGNORECASE)
_LEVEL_PREFIX = re.compile(r"^(?:niveau|level|we zijn|we zitten op|we're|we are|it's|het is)\s+")

_TEXT = {
    "nl": {
        "intro": "We lopen het **{title}** door: **{themes} thema's**, elk met **{levels} ambitieniveaus** ({names}). "
                 "Per thema kies je het niveau dat het best past bij jullie locatie.",
        "frame": "De notitie noemt het instrument een gesprekskader en een monitor per locatie:",
        "overview": "De thema's volgens het raster, met tussen haakjes de naam in de themalijst waar die afwijkt",
        "mismatch": "**Let op, de bron is niet consistent.**",
        "theme_head": "**Thema {number} van {total}: {name}**",
        "list_name": "_In de themalijst van de bijlage heet nummer {number}: \u201c{listed}\u201d._",
        "header_row": "_In de bron staat dit raster anders opgemaakt (eerst een kopregel met de niveaus, daarna de "
                      "beschrijvingen); de volgorde hieronder volgt die kopregel._",
        "ask": "Waar staat jullie locatie? Antwoord met een niveau (naam of 1-{n}), of beschrijf jullie situatie. "
               "Ook mogelijk: *overslaan*, *terug*, *thema N*, *notitie: ...*, *stop*.",
        "current": "Gekozen: **{level}**.",
        "suggest": "Op basis van je beschrijving past **{level}** het best (zekerheid {conf}):",
        "suggest_ask": "Klopt dat? Antwoord *ja*, of kies zelf een niveau.",
        "unsure": "Ik ben **onzeker** welk niveau bij je beschrijving past: **{first}** ({p1}) of **{second}** ({p2}). "
                  "Vergelijk de twee beschrijvingen van het instrument:",
        "unsure_ask": "Kies het niveau dat het best past (of een ander niveau).",
        "alts": "Ook denkbaar: {alts}.",
        "excluded": "Je beschrijving sluit uit: {levels}.",
        "chosen": "Thema {number}: **{level}** genoteerd.",
        "skipped": "Thema {number} overgeslagen.",
        "noted": "Notitie bij thema {number} bewaard.",
        "stopped": "Gestopt bij thema {number}. Je antwoorden zijn bewaard; typ *verder* om later verder te gaan.",
        "resumed": "We gaan verder.",
        "no_back": "Dit is het eerste thema.",
        "bad_theme": "Er is geen thema {number}; kies 1 tot en met {total}.",
        "no_pending": "Er staat geen voorstel open. Kies een niveau (naam of 1-{n}) of beschrijf de situatie.",
        "rejected": "Geen probleem. Kies zelf een niveau (naam of 1-{n}) of beschrijf de situatie anders.",
        "empty": "Ik heb geen antwoord gelezen. Kies een niveau (naam of 1-{n}) of beschrijf jullie situatie.",
        "done": "Alle thema's zijn doorlopen.",
        "open": "Nog open: thema {themes}. Typ *thema N* om er alsnog een te kiezen.",
        "help": "Antwoord per thema met een niveaunaam (bijv. *Hand in hand*), een nummer 1-{n}, of een beschrijving "
                "van jullie situatie (dan stel ik een niveau voor). Verder: *overslaan*, *terug*, *thema N*, "
                "*notitie: tekst*, *samenvatting*, *stop* en later *verder*.",
        "skip": "Overslaan", "back": "Terug", "stop": "Stop", "yes": "Ja", "resume": "Verder",
        "summary": "Samenvatting", "category": "Categorie",
        "category_offer": "Typ *categorie* om ook de Lansingerland-categorie te bepalen (paragraaf 7 en 8); die komt "
                          "dan in de export mee.",
        "after_category": "De categorie is bewaard bij het profiel. Typ *samenvatting* voor het profiel.",
    },
    "en": {
        "intro": "Let's walk through the **{title}**: **{themes} themes**, each with **{levels} ambition levels** "
                 "({names}). For each theme you pick the level that best fits your location.",
        "frame": "The note calls the instrument a conversation frame and a monitor per location:",
        "overview": "The themes as the grid names them, with the theme list's name in brackets where it differs",
        "mismatch": "**Note: the source is inconsistent.**",
        "theme_head": "**Theme {number} of {total}: {name}**",
        "list_name": "_In the appendix's theme list, number {number} is called \u201c{listed}\u201d._",
        "header_row": "_In the source this grid is laid out differently (a header row with the levels, then the "
                      "descriptors); the order below follows that header row._",
        "ask": "Where does your location stand? Answer with a level (name or 1-{n}), or describe your situation. "
               "You can also say *skip*, *back*, *theme N*, *note: ...*, *stop*.",
        "current": "Chosen: **{level}**.",
        "suggest": "From your description, **{level}** fits best (confidence {conf}):",
        "suggest_ask": "Is that right? Answer *yes*, or pick a level yourself.",
        "unsure": "I am **not sure** (onzeker) which level fits your description: **{first}** ({p1}) or **{second}** "
                  "({p2}). Compare the two descriptors of the instrument:",
        "unsure_ask": "Choose the level that fits best (or another level).",
        "alts": "Also possible: {alts}.",
        "excluded": "Your description rules out: {levels}.",
        "chosen": "Theme {number}: **{level}** recorded.",
        "skipped": "Theme {number} skipped.",
        "noted": "Note saved for theme {number}.",
        "stopped": "Stopped at theme {number}. Your answers are saved; type *continue* to pick up later.",
        "resumed": "Let's continue.",
        "no_back": "This is the first theme.",
        "bad_theme": "There is no theme {number}; choose 1 to {total}.",
        "no_pending": "There is no suggestion to confirm. Pick a level (name or 1-{n}) or describe the situation.",
        "rejected": "No problem. Pick a level yourself (name or 1-{n}) or describe the situation differently.",
        "empty": "I did not read an answer. Pick a level (name or 1-{n}) or describe your situation.",
        "done": "All themes are done.",
        "open": "Still open: theme {themes}. Type *theme N* to fill one in.",
        "help": "For each theme, answer with a level name (e.g. *Hand in hand*), a number 1-{n}, or a description of "
                "your situation (I will suggest a level). Also: *skip*, *back*, *theme N*, *note: text*, *summary*, "
                "*stop* and later *continue*.",
        "skip": "Skip", "back": "Back", "stop": "Stop", "yes": "Yes", "resume": "Continue",
        "summary": "Summary", "category": "Category",
        "category_offer": "Type *category* to also choose the Lansingerland category (sections 7 and 8); it is then "
                          "part of the export.",
        "after_category": "The category is saved with the profile. Type *summary* for the profile.",
    },
}


class Walkthrough:
    """One director's pass through the instrument, resumable from `to_json()`."""

    def __init__(self, instrument: Instrument | None = None, settings: Settings | None = None,
                 language: str = "nl", location: str = "", placer: Placer | None = None) -> None:
        self.instrument = instrument or load_instrument()
        self.settings = settings
        self.language = language if language in _TEXT else "nl"
        self.location = location
        self.started = date.today().isoformat()
        self.position = 0  # index into instrument.themes; == len(themes) once past the last
        self.answers: dict[int, ThemeAnswer] = {t.number: ThemeAnswer() for t in self.instrument.themes}
        self.pending: Suggestion | None = None
        self.stopped = False
        self.category: dict | None = None  # CategoryAdvice.to_json() once the category choice is made
        self.interview: CategoryInterview | None = None  # the category questions, while they run
        self._placer = placer

    # --- state ------------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.position >= len(self.instrument.themes)

    @property
    def current_theme(self) -> Theme | None:
        return None if self.finished else self.instrument.themes[self.position]

    def to_json(self) -> dict:
        """Everything needed to resume, as plain JSON-able data."""
        return {
            "version": STATE_VERSION,
            "instrument": self.instrument.id,
            "language": self.language,
            "location": self.location,
            "started": self.started,
            "position": self.position,
            "stopped": self.stopped,
            "answers": {str(n): asdict(a) for n, a in self.answers.items()},
            "pending": _suggestion_to_state(self.pending),
            "category": self.category,
            "interview": self.interview.to_json() if self.interview else None,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)

    @classmethod
    def from_json(cls, data: dict | str, instrument: Instrument | None = None, settings: Settings | None = None,
                  placer: Placer | None = None) -> Walkthrough:
        """Resume from `to_json()` output (a dict or its JSON text)."""
        if isinstance(data, str):
            data = json.loads(data)
        instrument = instrument or load_instrument()
        if data.get("instrument") not in (None, instrument.id):
            raise ValueError(f"state belongs to instrument {data.get('instrument')!r}, not {instrument.id!r}")
        walk = cls(instrument, settings, data.get("language", "nl"), data.get("location", ""), placer)
        walk.started = data.get("started", walk.started)
        walk.position = max(0, min(int(data.get("position", 0)), len(instrument.themes)))
        walk.stopped = bool(data.get("stopped", False))
        for key, value in (data.get("answers") or {}).items():
            if int(key) in walk.answers:
                walk.answers[int(key)] = ThemeAnswer(**value)
        walk.pending = _suggestion_from_state(data.get("pending"))
        walk.category = data.get("category")
        walk.interview = CategoryInterview.from_json(data["interview"]) if data.get("interview") else None
        return walk

    def profile(self) -> Profile:
        """The result so far: level per theme (None where open or skipped) and notes."""
        return Profile(
            instrument_id=self.instrument.id,
            location=self.location,
            date=date.today().isoformat(),
            levels={n: a.level for n, a in self.answers.items()},
            notes={n: a.note for n, a in self.answers.items() if a.note},
            category=self.category,
            descriptions={n: a.description for n, a in self.answers.items() if a.description},
        )

    # --- structured actions (wizard) ---------------------------------------------------------

    def start(self) -> Turn:
        """The opening: what the instrument is (cited), the source's inconsistency, then theme 1."""
        t = self._t
        inst = self.instrument
        names = ", ".join(lv.name for lv in inst.levels)
        parts = [t("intro", title=inst.title, themes=len(inst.themes), levels=len(inst.levels), names=names)]
        citations: list[Citation] = []
        frame = [k for k in ("conversation_frame", "ambition_levels") if k in inst.notes]
        if frame:
            parts.append(t("frame"))
            for key in frame:
                citations.append(inst.cite_note(key, len(citations) + 1))
                parts.append(f"> {inst.notes[key].text} [{len(citations)}]")
        overview = "; ".join(
            f"{theme.number}. {theme.name}" + (f" ({theme.name_in_list})" if theme.names_differ else "")
            for theme in inst.themes
        )
        # Our own overview of the grid (its names differ from the theme list's), so it cites nothing:
        # a marker here would point at a passage that does not hold these words.
        parts.append(f"{t('overview')}: {overview}.")
        mismatch = inst.mismatch_text(self.language)
        if mismatch:
            parts.append(f"{t('mismatch')} {mismatch}")
        self.stopped = False
        turn = self.show(first_n=len(citations) + 1)
        turn.message = "\n\n".join(parts + [turn.message])
        turn.kind = "intro"
        turn.citations = citations + turn.citations
        return turn

    def show(self, first_n: int = 1) -> Turn:
        """The current theme with its descriptors (or the summary once every theme is handled);
        citation markers start at `first_n`."""
        if self.finished:
            return self._summary_turn()
        theme = self.current_theme
        t = self._t
        inst = self.instrument
        lines = [t("theme_head", number=theme.number, total=len(inst.themes), name=theme.name)]
        if theme.names_differ:
            lines.append(t("list_name", number=theme.number, listed=theme.name_in_list))
        if theme.layout == "header_row":
            lines.append(t("header_row"))
        citations = []
        rows = []
        for i, level in enumerate(inst.levels, start=1):
            cell = theme.cells[level.key]
            citations.append(inst.cite_cell(cell, first_n + len(citations)))
            rows.append(f"{i}. **{level.name}**: {cell.text} [{citations[-1].n}] _(p. {cell.page})_")
        lines.append("\n".join(rows))
        answer = self.answers[theme.number]
        if answer.level:
            lines.append(t("current", level=inst.level(answer.level).name))
        lines.append(t("ask", n=len(inst.levels)))
        return self._turn("\n\n".join(lines), "theme", citations=citations)

    def choose(self, level: str | int, source: str = "wizard") -> Turn:
        """Record a level (key, name or 1-based number) for the current theme and move on."""
        if self.finished:
            return self._summary_turn()
        parsed = self.instrument.parse_level(str(level))
        if parsed is None:
            return self._error("empty")
        theme = self.current_theme
        answer = self.answers[theme.number]
        answer.level, answer.source, answer.skipped = parsed.key, source, False
        if source != "description":
            answer.confidence = None  # the director chose; a description they gave stays with the theme
        self.pending = None
        self._move_on()
        return self._advance(self._t("chosen", number=theme.number, level=parsed.name))

    def describe(self, text: str) -> Turn:
        """Suggest a level for the current theme from a description; it waits for `confirm()` or a choice."""
        if self.finished:
            return self._summary_turn()
        theme = self.current_theme
        suggestion = self.placer.suggest(text, theme=theme.number)
        self.pending = suggestion
        self.answers[theme.number].description = text.strip()
        t = self._t
        inst = self.instrument
        if suggestion.uncertain and len(suggestion.candidates) >= 2:
            first, second = suggestion.candidates[:2]
            citations = [inst.cite_cell(cell, n) for n, cell in enumerate(suggestion.cited_cells(inst), start=1)]
            lines = [t("unsure", first=first.level_name, p1=f"{first.probability:.0%}", second=second.level_name,
                       p2=f"{second.probability:.0%}"),
                     "| | |\n|---|---|\n"
                     f"| **{first.level_name}** | **{second.level_name}** |\n"
                     f"| {first.quote} [1] | {second.quote} [2] |\n"
                     f"| _({inst.doc_title}, p. {first.page})_ | _({inst.doc_title}, p. {second.page})_ |",
                     t("unsure_ask")]
            options = [first.level_name, second.level_name] + [lv.name for lv in inst.levels
                                                               if lv.key not in (first.level, second.level)]
            return self._turn("\n\n".join(lines), "suggestion", options=options, citations=citations,
                              suggestion=suggestion)
        citation = inst.cite_cell(inst.cell(theme.number, suggestion.level))
        lines = [t("suggest", level=suggestion.level_name, conf=f"{suggestion.confidence:.0%}"),
                 f"> {suggestion.quote} [1]\n\n_({inst.doc_title}, p. {suggestion.page})_"]
        alts = [a for a in suggestion.alternatives if a.theme == theme.number and a.confidence >= 0.1]
        if alts:
            lines.append(t("alts", alts=", ".join(f"{a.level_name} ({a.confidence:.0%})" for a in alts)))
        if suggestion.excluded:
            lines.append(t("excluded", levels=", ".join(inst.level(k).name for k in suggestion.excluded)))
        lines.append(t("suggest_ask"))
        options = [t("yes")] + [lv.name for lv in inst.levels]
        return self._turn("\n\n".join(lines), "suggestion", options=options, citations=[citation],
                          suggestion=suggestion)

    def confirm(self) -> Turn:
        """Accept the open suggestion."""
        if self.pending is None:
            return self._error("no_pending")
        suggestion = self.pending
        answer = self.answers[suggestion.theme]
        answer.confidence = suggestion.confidence
        return self.choose(suggestion.level, source="description")

    def reject(self) -> Turn:
        self.pending = None
        turn = self.show()
        turn.message = f"{self._t('rejected', n=len(self.instrument.levels))}\n\n{turn.message}"
        return turn

    def skip(self) -> Turn:
        if self.finished:
            return self._summary_turn()
        theme = self.current_theme
        answer = self.answers[theme.number]
        if answer.level is None:
            answer.skipped = True
        self.pending = None
        self._move_on()
        return self._advance(self._t("skipped", number=theme.number))

    def back(self) -> Turn:
        self.pending = None
        if self.position == 0:
            turn = self.show()
            turn.message = f"{self._t('no_back')}\n\n{turn.message}"
            return turn
        self.position -= 1
        return self.show()

    def goto(self, number: int) -> Turn:
        numbers = [t.number for t in self.instrument.themes]
        if number not in numbers:
            return self._error("bad_theme", number=number, total=len(numbers))
        self.pending = None
        self.stopped = False
        self.position = numbers.index(number)
        return self.show()

    def add_note(self, text: str, theme: int | None = None) -> Turn:
        """Keep a note with a theme (default: the current one, or the last one once finished)."""
        number = theme or (self.current_theme or self.instrument.themes[-1]).number
        if number not in self.answers:
            return self._error("bad_theme", number=number, total=len(self.instrument.themes))
        note = text.strip()
        answer = self.answers[number]
        answer.note = f"{answer.note}\n{note}".strip() if answer.note else note
        turn = self.show()
        turn.message = f"{self._t('noted', number=number)}\n\n{turn.message}"
        return turn

    def stop(self) -> Turn:
        self.stopped = True
        number = self.current_theme.number if self.current_theme else len(self.instrument.themes)
        return self._turn(self._t("stopped", number=number), "stopped", options=[self._t("resume")])

    def resume(self) -> Turn:
        self.stopped = False
        turn = self.show()
        turn.message = f"{self._t('resumed')}\n\n{turn.message}"
        return turn

    def summary(self) -> Turn:
        return self._summary_turn()

    def start_category(self) -> Turn:
        """Begin the Lansingerland category questions (§7-§8); answers go through `handle()`."""
        self.interview = CategoryInterview(self.language)
        return self._category_turn(self.interview.ask())

    def set_category(self, advice: CategoryAdvice) -> Turn:
        """Record a category choice made elsewhere (e.g. the UI's category tab); it joins the profile."""
        self.category = advice.to_json()
        self.interview = None
        return self._category_turn(CategoryStep(advice.to_markdown(self.language), [], True, advice,
                                                advice.citations))

    def _category_turn(self, step: CategoryStep) -> Turn:
        if step.done and step.advice is not None:
            self.category = step.advice.to_json()
            self.interview = None
            follow = self._t("after_category")
            return self._turn(f"{step.message}\n\n{follow}", "category", options=self._options(),
                              citations=step.citations)
        return self._turn(step.message, "category", options=step.options, citations=step.citations)

    # --- chat-style text interface -------------------------------------------------------------

    def handle(self, text: str) -> Turn:
        """One chat message: a command, a level (name or number), yes/no to a suggestion, or a description."""
        raw = (text or "").strip()
        low = re.sub(r"\s+", " ", raw.lower()).strip().rstrip(".!")
        if not low:
            return self._error("empty")
        if self.interview is not None and not _STOP.match(low):
            return self._category_turn(self.interview.handle(raw))
        if _CATEGORY_CMD.match(low):
            return self.start_category()
        if _HELP.match(low):
            return self._turn(self._t("help", n=len(self.instrument.levels)), "help")
        if (m := _NOTE.match(raw.lower())) is not None:
            return self.add_note(raw[len(raw) - len(m.group(1)):])
        if _STOP.match(low):
            return self.stop()
        if _RESUME.match(low) or (self.stopped and is_walkthrough_request(raw)):
            return self.resume()
        if (m := _GOTO.match(low)) is not None:
            return self.goto(int(m.group(1)))
        if _SUMMARY.match(low):
            return self.summary()
        if _BACK.match(low):
            return self.back()
        if _SKIP.match(low):
            return self.skip()
        if self.pending is not None and read_reply(low, whole=True) == YES:
            return self.confirm()
        if self.pending is not None and read_reply(low, whole=True) == NO:
            return self.reject()
        level = self.instrument.parse_level(_LEVEL_PREFIX.sub("", low))
        if level is not None:
            source = "number" if _LEVEL_PREFIX.sub("", low).isdigit() else "name"
            return self.choose(level.key, source=source)
        if self.finished:
            return self._summary_turn()
        if read_reply(low, whole=True) in (YES, NO):
            return self._error("no_pending")
        return self.describe(raw)

    def accepts(self, text: str) -> bool:
        """Whether a chat message belongs to the walkthrough (a command, a level, or a description),
        rather than a separate question the chat should answer from the notes."""
        low = re.sub(r"\s+", " ", (text or "").lower()).strip().rstrip(".!")
        if not low:
            return False
        if self.interview is not None:
            return True
        commands = (_HELP, _NOTE, _STOP, _RESUME, _GOTO, _SUMMARY, _BACK, _SKIP, _CATEGORY_CMD)
        if (read_reply(low, whole=True) in (YES, NO) or any(p.match(low) for p in commands)
                or self.instrument.parse_level(_LEVEL_PREFIX.sub("", low))):
            return True
        if self.stopped or self.finished:
            return False
        # A question that is not about where we stand is a question for the notes.
        return not low.endswith("?") or bool(re.search(r"\bwe\b|\bons\b|\bonze\b|\bour\b", low))

    # --- helpers ---------------------------------------------------------------------------

    @property
    def placer(self) -> Placer:
        if self._placer is None:
            self._placer = get_placer(self.settings, self.instrument)
        return self._placer

    def _move_on(self) -> None:
        """To the next theme still open (neither answered nor skipped), after the current one first,
        then from the start; past the end when none is left."""
        themes = self.instrument.themes
        still_open = [i for i, t in enumerate(themes)
                      if self.answers[t.number].level is None and not self.answers[t.number].skipped]
        after = [i for i in still_open if i > self.position]
        self.position = (after or still_open or [len(themes)])[0]

    def _t(self, key: str, **values) -> str:
        return _TEXT[self.language][key].format(**values)

    def _advance(self, message: str) -> Turn:
        turn = self.show()
        turn.message = f"{message}\n\n{turn.message}"
        return turn

    def _options(self) -> list[str]:
        t = self._t
        if self.finished:
            return [t("summary"), t("category")]
        return [lv.name for lv in self.instrument.levels] + [t("skip"), t("back"), t("stop")]

    def _turn(self, message: str, kind: str, options: list[str] | None = None,
              citations: list[Citation] | None = None, suggestion: Suggestion | None = None) -> Turn:
        return Turn(
            message=message, options=self._options() if options is None else options, done=self.finished,
            kind=kind, theme=self.current_theme.number if self.current_theme else None,
            citations=citations or [], suggestion=suggestion, state=self.to_json(),
        )

    def _error(self, key: str, **values) -> Turn:
        values.setdefault("n", len(self.instrument.levels))
        turn = self.show() if not self.finished else self._summary_turn()
        turn.message = f"{self._t(key, **values)}\n\n{turn.message}"
        turn.kind = "error"
        return turn

    def _summary_turn(self) -> Turn:
        inst = self.instrument
        profile = self.profile()
        lines = []
        if self.finished:
            lines.append(self._t("done"))
        open_themes = [str(n) for n, a in self.answers.items() if a.level is None]
        if open_themes:
            lines.append(self._t("open", themes=", ".join(open_themes)))
        lines.append(summary_markdown(profile, inst, self.language))
        if self.category is None:
            lines.append(self._t("category_offer"))
        citations = [inst.cite_note("last_phase")] if "last_phase" in inst.notes else []
        return self._turn("\n\n".join(lines), "summary", citations=citations)


def start_walkthrough(text: str = "", settings: Settings | None = None, location: str = "",
                      language: str | None = None) -> tuple[Walkthrough, Turn]:
    """Begin a walkthrough in the language of the request text; returns the engine and its first turn."""
    walk = Walkthrough(settings=settings, language=language or request_language(text), location=location)
    return walk, walk.start()


def request_language(text: str) -> str:
    """The language of a short request; "walk me through the instrument" has no stopwords to vote with."""
    language = detect_language(text or "", default="")
    if language:
        return language
    return "en" if _ENGLISH_HINT.search(text or "") else "nl"


def _suggestion_to_state(s: Suggestion | None) -> dict | None:
    return None if s is None else asdict(s)


def _suggestion_from_state(data: dict | None) -> Suggestion | None:
    return Suggestion.from_json(data) if data else None
