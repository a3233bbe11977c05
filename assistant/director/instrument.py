"""The Ontwikkelinstrument as data: themes × ambition levels, every descriptor with its page.

The grid is loaded from the YAML that `scripts/extract_instrument.py` writes; `expand_terms` adds the
descriptors' own words to a description in a director's words (the bilingual glossary). Placing a
situation on the grid is `placement.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ikc.records import Citation

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_INSTRUMENT = DATA_DIR / "instrument-lansingerland.yaml"
GLOSSARY = DATA_DIR / "instrument-glossary.yaml"


# --- the instrument as data -------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    key: str
    name: str
    index: int  # 0-based position: higher is more integrated


@dataclass(frozen=True)
class CellPart:
    page: int
    text: str


@dataclass(frozen=True)
class Cell:
    """One descriptor: the exact text of the note, the page it starts on (parts when it spans pages)."""

    theme: int
    level: str
    text: str
    page: int
    parts: tuple[CellPart, ...] = ()


@dataclass(frozen=True)
class Theme:
    number: int
    name: str  # the grid heading (what this instrument follows)
    name_in_list: str  # the appendix's theme list entry with the same number
    page: int
    cells: dict[str, Cell]
    layout: str = "labelled"

    @property
    def names_differ(self) -> bool:
        return self.name != self.name_in_list

    def label(self, language: str = "nl") -> str:
        """`3. Gezamenlijke visie op … (themalijst: Gezamenlijke visie)`: both names where they differ."""
        base = f"{self.number}. {self.name}"
        if not self.names_differ:
            return base
        return f"{base} ({'theme list' if language == 'en' else 'themalijst'}: {self.name_in_list})"


@dataclass(frozen=True)
class Note:
    key: str
    text: str
    page: int


@dataclass
class Instrument:
    """A development instrument: any number of themes and levels, each cell citable."""

    id: str
    title: str
    doc_id: str
    pages: list[int]
    levels: list[Level]
    themes: list[Theme]
    notes: dict[str, Note]
    mismatch: dict = field(default_factory=dict)
    doc_title: str = ""
    section: str = ""  # the appendix heading, the section every cell stands in

    def theme(self, number: int) -> Theme:
        for theme in self.themes:
            if theme.number == number:
                return theme
        raise KeyError(f"no theme {number} (1-{len(self.themes)})")

    def level(self, key: str) -> Level:
        for level in self.levels:
            if level.key == key:
                return level
        raise KeyError(f"no level {key!r}")

    def cell(self, theme: int, level: str) -> Cell:
        return self.theme(theme).cells[level]

    def parse_level(self, text: str) -> Level | None:
        """A level from what a person types: its name, its key or its number (1 = lowest)."""
        norm = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
        if norm.isdigit() and 1 <= int(norm) <= len(self.levels):
            return self.levels[int(norm) - 1]
        for level in self.levels:
            if norm in (level.name.lower(), level.key.replace("_", " ")):
                return level
        return None

    def next_level(self, key: str) -> Level | None:
        index = self.level(key).index
        return self.levels[index + 1] if index + 1 < len(self.levels) else None

    def cite_cell(self, cell: Cell, n: int = 1) -> Citation:
        """A citation of one descriptor, in the shape the chat's answers use."""
        theme = self.theme(cell.theme)
        return Citation(n=n, doc_id=self.doc_id, title=self.doc_title, page=cell.page,
                        section=f"{self.section} > {theme.number}. {theme.name}", text=cell.text)

    def cite_note(self, key: str, n: int = 1) -> Citation:
        note = self.notes[key]
        return Citation(n=n, doc_id=self.doc_id, title=self.doc_title, page=note.page, section="", text=note.text)

    def mismatch_text(self, language: str = "nl") -> str:
        summary = self.mismatch.get("summary", {})
        return summary.get(language) or summary.get("nl", "")

    def to_json(self) -> dict:
        """The `ikc instrument show --json` object (exactly these keys)."""
        return {
            "id": self.id,
            "title": self.title,
            "source": {"doc_id": self.doc_id, "pages": list(self.pages)},
            "levels": [{"key": lv.key, "name": lv.name} for lv in self.levels],
            "themes": [
                {
                    "number": t.number,
                    "name": t.name,
                    "name_in_list": t.name_in_list,
                    "cells": {k: {"text": c.text, "page": c.page} for k, c in t.cells.items()},
                }
                for t in self.themes
            ],
        }


def parse_instrument(data: dict) -> Instrument:
    levels = [Level(lv["key"], lv["name"], i) for i, lv in enumerate(data["levels"])]
    themes = []
    for t in data["themes"]:
        cells = {
            key: Cell(t["number"], key, c["text"], int(c["page"]),
                      tuple(CellPart(int(p["page"]), p["text"]) for p in c.get("parts", [])))
            for key, c in t["cells"].items()
        }
        themes.append(Theme(int(t["number"]), t["name"], t.get("name_in_list") or t["name"], int(t["page"]),
                            cells, t.get("layout", "labelled")))
    notes = {n["key"]: Note(n["key"], n["text"], int(n["page"])) for n in data.get("notes", [])}
    source = data["source"]
    return Instrument(data["id"], data["title"], source["doc_id"], list(source["pages"]), levels, themes, notes,
                      data.get("mismatch", {}), source.get("title", source["doc_id"]), source.get("section", ""))


# "het hoogste niveau", "that last level", "the lowest ambition level": a level of the scale named by its place on it
_ORDINAL_LEVEL = re.compile(
    r"\b(?P<place>hoogste|bovenste|laatste|hoogst|highest|top|last|final|uppermost|laagste|onderste|eerste|lowest|"
    r"bottom|first)\s+(?P<noun>(?:ambitie)?niveau|(?:ambition\s+)?level)\b", re.I)  # (not "de eerste fase": a programme's)
_LOW = frozenset("laagste onderste eerste lowest bottom first".split())


def name_ordinal_levels(text: str, instrument: Instrument) -> str:
    """The text with a level named by its place on the scale followed by its name ("het hoogste niveau Integraal"):
    the notes describe each level under its name, never as "the highest"."""
    def named(m: re.Match) -> str:
        level = instrument.levels[0 if m.group("place").lower() in _LOW else -1]
        return m.group(0) if level.name.lower() in text.lower() else f"{m.group(0)} {level.name}"

    return _ORDINAL_LEVEL.sub(named, text)


@lru_cache(maxsize=8)
def load_instrument(path: Path = DEFAULT_INSTRUMENT) -> Instrument:
    """The instrument in `path` (default: Lansingerland), parsed once per process."""
    return parse_instrument(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


# --- the instrument's vocabulary ----------------------------------------------------------------


@lru_cache(maxsize=1)
def _glossary() -> list[tuple[re.Pattern, str]]:
    data = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8")) or {}
    out = []
    for canonical, variants in (data.get("terms") or {}).items():
        for variant in variants:
            variant = str(variant).lower()
            tail = r"[\w-]*" if variant.endswith("*") else r"(?![\w-])"
            out.append((re.compile(r"(?<![\w-])" + re.escape(variant.rstrip("*")) + tail), str(canonical)))
    return out


def _glossary_matches(low: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of every glossary variant in a lowercased text, the longest where two overlap:
    "staff photo board" is a smoelenboek, not also a board (bestuur)."""
    found = [(m.start(), m.end(), canonical) for pattern, canonical in _glossary() for m in pattern.finditer(low)]
    return [(start, end, canonical) for start, end, canonical in found
            if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in found)]


def expand_terms(text: str) -> str:
    """The text plus the note's own words for what it describes (see the glossary)."""
    extra = sorted({canonical for _, _, canonical in _glossary_matches(text.lower())})
    return f"{text} {' '.join(extra)}" if extra else text


def lexical_terms(text: str) -> str:
    """What a description is matched on word by word: the text, the instrument glossary's words for it, and the
    field's en→nl glossary for an English text (the phrases of several words the instrument glossary read are not read again, so
    "photo board" does not also bring in the field's "board" = bestuur; single words are, so that the field's
    longer phrases such as "toy library" still count)."""
    from assistant.glossary import dutch_keywords
    from assistant.language import detect_language

    low = text.lower()
    matches = _glossary_matches(low)
    if detect_language(text) != "en":  # the en→nl glossary reads Dutch "met" as English "met" (meet): overleg
        return " ".join([text, *sorted({canonical for _, _, canonical in matches})])
    rest = list(low)
    for start, end, _ in matches:
        if " " in low[start:end].strip():
            rest[start:end] = " " * (end - start)
    extra = sorted({canonical for _, _, canonical in matches})
    return " ".join([text, *extra, dutch_keywords("".join(rest))])
