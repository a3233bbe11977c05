"""The records that travel between layers: documents with their structure, chunks, windows, passages, citations.

Ingest makes `Document`s, `Chunk`s and `Window`s; the index stores them per generation; the
assistant reads them back as `Passage`s and answers with `Citation`s. Everything here is plain
data (JSON round-trip included) and imports nothing of the project.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field

# Block kinds a document is made of (ingest.structure assigns them).
HEADING, PARA, ITEM, TABLE_ROW, CAPTION, FOOTNOTE, TOC, LABEL = (
    "heading", "para", "item", "table_row", "caption", "footnote", "toc", "label",
)
# Kinds that are never quoted as an answer (they may still help retrieval find the chapter).
NOT_QUOTABLE = frozenset({TOC, CAPTION, FOOTNOTE})


@dataclass
class DocMeta:
    doc_id: str
    title: str
    municipality: str = ""
    year: str = ""
    file: str = ""


@dataclass
class Block:
    """One structural unit of a document: a heading, a paragraph, a list item, a table row…"""

    kind: str
    start: int  # offsets in Document.text
    end: int
    page: int
    level: int = 0  # heading depth (1 = chapter; 0 = the document's title); a list item's nesting depth (0 = outermost)
    section: str = ""  # the heading path in force: "4 Omgeving > 4.4 Verkeer"
    lead_in: int = -1  # list items / table rows: index of the block that introduces them
    label: str = ""  # heading number or list marker as printed ("4.4", "Artikel 3", "2.", "a."); a table row's first cell
    # A table row's cells, one per column of its table ("" where empty); its `lead_in` is the table's header row,
    # whose cells name the columns, so a row read alone still says what its numbers are.
    cells: list[str] = field(default_factory=list)


@dataclass
class Document:
    """A cleaned document as one canonical text, its page boundaries and its blocks."""

    meta: DocMeta
    text: str
    page_starts: list[tuple[int, int]]  # (offset, page number), ascending
    blocks: list[Block]
    # Lines removed as running headers/footers, with their page: kept as metadata, never as text.
    furniture: list[tuple[int, str]] = field(default_factory=list)

    def page_at(self, offset: int) -> int:
        idx = bisect.bisect_right([s for s, _ in self.page_starts], offset) - 1
        return self.page_starts[max(idx, 0)][1]

    def block_at(self, offset: int) -> int:
        """Index of the block holding `offset` (the last one starting at or before it)."""
        idx = bisect.bisect_right([b.start for b in self.blocks], offset) - 1
        return max(idx, 0)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        return cls(
            meta=DocMeta(**data["meta"]), text=data["text"],
            page_starts=[tuple(x) for x in data["page_starts"]],
            blocks=[Block(**b) for b in data["blocks"]],
            furniture=[tuple(x) for x in data.get("furniture", [])],
        )


@dataclass
class Chunk:
    """One retrievable passage with everything a citation needs."""

    chunk_id: str
    doc_id: str
    title: str
    municipality: str
    year: str
    file: str
    text: str
    section: str
    page_start: int
    page_end: int
    char_start: int  # offsets in the Document's text
    char_end: int
    order: int
    # (offset within `text`, page number) where each page begins inside this chunk.
    page_marks: list[tuple[int, int]] = field(default_factory=list)
    # A chunk that begins inside a list whose lead-in sentence lies in an earlier chunk: that sentence, and the
    # offset in `text` where the list's items end. Indexed with the chunk's windows so the items are found by
    # what introduces them; never part of `text`, never quoted.
    lead_in: str = ""
    lead_in_until: int = 0

    def page_at(self, offset: int) -> int:
        """Page of a character offset inside this chunk's text."""
        page = self.page_start
        for start, number in self.page_marks:
            if start <= offset:
                page = number
        return page

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Chunk:
        data = dict(data)
        data["page_marks"] = [tuple(x) for x in data.get("page_marks", [])]
        return cls(**data)


@dataclass(frozen=True)
class Window:
    """A few sentences of a chunk: the unit that is embedded and BM25-indexed (small-to-big).

    `text` is what was indexed (a short "place — section" header plus the sentences); the BM25
    rows and the Chroma ids of a generation are keyed by `window_id`.
    """

    window_id: str
    chunk_id: str
    start: int  # offsets inside the parent chunk's text
    end: int
    text: str

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Window:
        return cls(**data)


@dataclass
class Passage:
    """A retrieved chunk, ranked."""

    chunk_id: str
    doc_id: str
    title: str
    municipality: str
    page: int
    page_end: int
    section: str
    text: str
    score: float
    file: str = ""
    # The matched windows inside this chunk: (start, end, dense similarity), best first.
    hits: list[tuple[int, int, float]] = field(default_factory=list)

    @classmethod
    def from_chunk(cls, chunk: Chunk, score: float, hits: list[tuple[int, int, float]] | None = None) -> Passage:
        return cls(chunk.chunk_id, chunk.doc_id, chunk.title, chunk.municipality, chunk.page_start, chunk.page_end,
                   chunk.section, chunk.text, float(score), chunk.file, list(hits or []))


@dataclass
class Citation:
    """What one `[n]` marker points at: the supporting text exactly as it stands in the note."""

    n: int
    doc_id: str
    title: str
    page: int
    section: str
    text: str
    chunk_id: str = ""
    municipality: str = ""
    file: str = ""
