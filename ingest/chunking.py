"""Structure-aware chunking: headings → section paths, sentences → chunks of a few hundred tokens.

The document is rebuilt as one canonical text (paragraph lines joined by spaces, blocks by
newlines) so every chunk is an exact slice of it: character offsets and page numbers of any
quote can be recovered later for citations.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import asdict, dataclass, field

from ingest.clean import BULLET
from ingest.pdf import Page

_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)[.)]?\s+(\S.*)$")
_LETTERED = re.compile(r"^([A-Z])[.)]\s+([A-ZÀ-Ý][A-ZÀ-Ý \-’'&,]{2,})$")
_STEP = re.compile(r"^(Stap|Fase|Step|Phase)\s+\d+[.:]?(\s|$)", re.IGNORECASE)
_APPENDIX = re.compile(r"^(BIJLAGE|Bijlage|APPENDIX|Appendix)\b")
_NAMED = re.compile(r"^(Voorwoord|Inleiding|Samenvatting|Conclusies?|Aanbevelingen|Colofon|Literatuur|Bronnen|Tot slot)\s*:?$")
_ABBREVIATIONS = (
    "bijv", "bv", "o.a", "d.w.z", "e.d", "nr", "art", "p", "pp", "ca", "m.b.t", "t.a.v", "i.p.v", "z.g.n", "zgn",
    "dhr", "mevr", "mw", "drs", "dr", "prof", "ir", "ing", "mr", "jl", "evt", "incl", "excl", "e.g", "i.e", "etc",
    "vs", "cf", "ea", "e.a", "blz", "resp", "t.o.v", "m.u.v", "a.s", "St", "al",
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]*\s+(?=[\"'‘“(]*[A-ZÀ-Ý0-9•])")


@dataclass
class DocMeta:
    doc_id: str
    title: str
    municipality: str = ""
    year: str = ""
    file: str = ""


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
    char_start: int
    char_end: int
    order: int
    # (offset within `text`, page number) where each page begins inside this chunk.
    page_marks: list[tuple[int, int]] = field(default_factory=list)

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
    def from_dict(cls, data: dict) -> "Chunk":
        data = dict(data)
        data["page_marks"] = [tuple(x) for x in data.get("page_marks", [])]
        return cls(**data)


@dataclass
class Block:
    kind: str  # "heading" | "para" | "item" | "label"
    text: str
    start: int
    end: int
    level: int = 0


@dataclass
class Document:
    """A cleaned document as one canonical text with its page boundaries and blocks."""

    meta: DocMeta
    text: str
    page_starts: list[tuple[int, int]]  # (offset, page number), ascending
    blocks: list[Block]

    def page_at(self, offset: int) -> int:
        idx = bisect.bisect_right([s for s, _ in self.page_starts], offset) - 1
        return self.page_starts[max(idx, 0)][1]


def _heading_level(line: str, next_line: str, in_appendix: bool, last_top: int) -> int:
    """0 when not a heading, else its depth (1 = chapter).

    Numbered headings must continue the numbering (`last_top` + 1, or a subsection of
    `last_top`): that separates them from numbered list items and footnotes.
    """
    if _STEP.match(line) and len(line) <= 90:
        return 3
    body = re.sub(r"^(?:\d{1,2}(?:\.\d{1,2})*|[A-Z])[.)]?\s+", "", line)
    if len(line) > 90 or body.endswith((",", ";", ".")) or "http" in line or re.search(r"\(\d{4}\)|\. [A-Z]", body):
        return 0
    if _APPENDIX.match(line):
        return 1
    if _NAMED.match(line) or _LETTERED.match(line):
        return 1
    m = _NUMBERED.match(line)
    if m:
        number, rest = m.groups()
        if not rest[:1].isupper() or next_line[:1].islower() or len(rest.split()) > 12 or rest.startswith("Zie "):
            return 0
        top = int(number.split(".")[0])
        if (number.count(".") == 0 and top != last_top + 1) or (number.count(".") > 0 and top != last_top):
            return 0
        if re.match(r"^\d{1,2}[.)]?\s", next_line) and not number.count("."):
            nxt = _NUMBERED.match(next_line)
            if nxt and nxt.group(1).isdigit() and int(nxt.group(1)) == int(number) + 1 and len(next_line) < 60:
                return 0  # a run of short numbered lines is a list, not headings
        return number.count(".") + 1 + (1 if in_appendix else 0)
    return 0


def _is_label(line: str, next_line: str) -> bool:
    """Short capitalised lines without final punctuation (grid cells like `Back to back`)."""
    words = line.split()
    return (
        0 < len(words) <= 4
        and line[:1].isupper()
        and not line.endswith((".", ",", ";", ":"))
        and next_line[:1].isupper()
    )


def build_document(meta: DocMeta, pages: list[Page]) -> Document:
    """Group page lines into blocks and lay them out as one canonical text."""
    lines: list[tuple[str, int]] = [
        (line, page.number) for page in pages for line in page.text.split("\n") if line.strip()
    ]
    text_parts: list[str] = []
    page_starts: list[tuple[int, int]] = []
    blocks: list[Block] = []
    offset = 0
    in_appendix = False
    last_top = 0
    current: Block | None = None

    def emit(piece: str, page: int, sep: str) -> None:
        nonlocal offset
        if text_parts:
            text_parts.append(sep)
            offset += len(sep)
        if not page_starts or page_starts[-1][1] != page:
            page_starts.append((offset, page))
        text_parts.append(piece)
        offset += len(piece)

    for i, (line, page) in enumerate(lines):
        next_line = lines[i + 1][0] if i + 1 < len(lines) else ""
        level = _heading_level(line, next_line, in_appendix, last_top)
        if level:
            if _APPENDIX.match(line):
                in_appendix, last_top = True, 0
            elif (m := _NUMBERED.match(line)) and "." not in m.group(1):
                last_top = int(m.group(1))
            emit(line, page, "\n")
            blocks.append(Block("heading", line, offset - len(line), offset, level))
            current = None
            continue
        starts_item = line.startswith(BULLET) or bool(re.match(r"^\d{1,2}[.)]\s", line))
        label = _is_label(line, next_line) and not starts_item
        prev_ends = current is not None and current.text.rstrip().endswith((".", ":", "?", "!", ";"))
        new_block = current is None or starts_item or label or current.kind == "label" or (
            prev_ends and line[:1].isupper() and current.kind == "para" and len(current.text) > 300
        )
        if new_block:
            emit(line, page, "\n")
            kind = "item" if starts_item else "label" if label else "para"
            current = Block(kind, line, offset - len(line), offset)
            blocks.append(current)
        else:
            emit(line, page, " ")
            current.text = f"{current.text} {line}"
            current.end = offset
    return Document(meta=meta, text="".join(text_parts), page_starts=page_starts, blocks=blocks)


def split_sentences(text: str, base: int = 0) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) inside `text`, aware of Dutch abbreviations."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start : m.start()].rstrip("\"'’”)")
        last_word = before.split()[-1] if before.split() else ""
        if last_word.rstrip(".").lower() in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)+", last_word):
            continue
        spans.append((base + start, base + m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((base + start, base + len(text.rstrip())))
    return [s for s in spans if s[1] > s[0]]


@dataclass
class _Unit:
    start: int
    end: int
    words: int
    section: str


def _units(doc: Document) -> list[_Unit]:
    """Headings, list items, labels and sentences, each tagged with its section path."""
    path: list[tuple[int, str]] = []
    units: list[_Unit] = []
    for block in doc.blocks:
        if block.kind == "heading":
            path = [(lvl, t) for lvl, t in path if lvl < block.level] + [(block.level, block.text)]
        section = " > ".join(t for _, t in path)
        spans = [(block.start, block.end)] if block.kind in ("heading", "label") else split_sentences(
            doc.text[block.start : block.end], block.start
        )
        for s, e in spans:
            units.append(_Unit(s, e, len(doc.text[s:e].split()), section))
    return units


def _split_long(text: str, unit: _Unit, max_words: int) -> list[_Unit]:
    """A run-on sentence longer than a chunk is cut at word boundaries (after `;` where possible)."""
    if unit.words <= max_words:
        return [unit]
    pieces: list[_Unit] = []
    start = unit.start
    while start < unit.end:
        words = list(re.finditer(r"\S+", text[start : unit.end]))
        if len(words) <= max_words:
            pieces.append(_Unit(start, unit.end, len(words), unit.section))
            break
        cut_word = max_words
        for i in range(max_words - 1, max_words // 2, -1):
            if words[i].group().endswith((";", ":", ",")):
                cut_word = i + 1
                break
        end = start + words[cut_word - 1].end()
        pieces.append(_Unit(start, end, cut_word, unit.section))
        start = start + words[cut_word].start()
    return pieces


def chunk_document(doc: Document, max_words: int = 150, overlap_words: int = 30) -> list[Chunk]:
    """Pack sentences into chunks that stay inside one section, with a small sentence overlap."""
    units = [piece for unit in _units(doc) for piece in _split_long(doc.text, unit, max_words)]
    groups: list[list[_Unit]] = []
    current: list[_Unit] = []
    for unit in units:
        size = sum(u.words for u in current)
        section_change = current and unit.section != current[-1].section
        if current and (size + unit.words > max_words or (section_change and size >= 40)):
            groups.append(current)
            carry: list[_Unit] = []
            if not section_change:
                for prev in reversed(current):
                    if sum(u.words for u in carry) + prev.words > overlap_words:
                        break
                    carry.insert(0, prev)
            current = carry if len(carry) < len(current) else []
        current.append(unit)
    if current:
        groups.append(current)

    chunks: list[Chunk] = []
    seen: set[str] = set()
    for order, group in enumerate(groups):
        start, end = group[0].start, group[-1].end
        text = doc.text[start:end]
        marks = [(off - start, page) for off, page in doc.page_starts if start < off < end]
        digest = hashlib.sha1(f"{doc.meta.doc_id}\x00{text}".encode()).hexdigest()[:16]
        if digest in seen:
            digest = hashlib.sha1(f"{doc.meta.doc_id}\x00{order}\x00{text}".encode()).hexdigest()[:16]
        seen.add(digest)
        chunks.append(
            Chunk(
                chunk_id=digest,
                doc_id=doc.meta.doc_id,
                title=doc.meta.title,
                municipality=doc.meta.municipality,
                year=doc.meta.year,
                file=doc.meta.file,
                text=text,
                section=group[-1].section or group[0].section,
                page_start=doc.page_at(start),
                page_end=doc.page_at(max(end - 1, start)),
                char_start=start,
                char_end=end,
                order=order,
                page_marks=marks,
            )
        )
    return chunks


@dataclass(frozen=True)
class Window:
    """A few sentences of a chunk: the unit that is embedded and BM25-indexed (small-to-big).

    Small units match a question sharply; the answer still sees the whole parent chunk.
    """

    window_id: str
    chunk_id: str
    start: int  # offsets inside the parent chunk's text
    end: int
    text: str


def chunk_windows(chunk: Chunk, max_words: int = 50) -> list[Window]:
    """Split a chunk into consecutive sentence-aligned windows of at most ~max_words words."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in chunk.text.split("\n"):
        start = chunk.text.find(line, offset)
        offset = start + len(line)
        spans.extend(split_sentences(line, start) if len(line.split()) > 6 else [(start, start + len(line))])
    groups: list[list[tuple[int, int]]] = []
    for span in spans:
        words = len(chunk.text[span[0] : span[1]].split())
        if groups and sum(len(chunk.text[s:e].split()) for s, e in groups[-1]) + words <= max_words:
            groups[-1].append(span)
        else:
            groups.append([span])
    windows = []
    for i, group in enumerate(groups):
        s, e = group[0][0], group[-1][1]
        windows.append(Window(f"{chunk.chunk_id}-{i}", chunk.chunk_id, s, e, chunk.text[s:e]))
    return windows


def window_indexed_text(chunk: Chunk, window: Window) -> str:
    """A short header (where the text comes from) plus the window's text."""
    place = chunk.municipality if chunk.municipality and chunk.municipality != "landelijk" else chunk.title
    section = re.sub(r"^.*> ", "", chunk.section)[:80]
    return f"{place} — {section}\n{window.text}" if section else f"{place}\n{window.text}"
