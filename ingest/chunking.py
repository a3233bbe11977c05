"""Chunking: a structured Document (ingest.structure) → chunks that stay inside a section → windows.

Every chunk is an exact slice of the document's canonical text, so character offsets and page
numbers of any quote can be recovered later for citations. Windows (a few sentences of a chunk)
are what gets embedded and BM25-indexed; they are written into the index generation.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ikc.records import HEADING, ITEM, LABEL, TABLE_ROW, TOC, Chunk, Document, Window
from ikc.text import split_sentences

# Bump when chunk or window boundaries change for the same input: the index manifest records it,
# and a different version makes the next ingest rebuild (ikc.index.IndexShape).
# 3: title/front matter, list links and wrapped headings from ingest.structure; lists kept with their lead-in.
# 4: headings nest by font prominence, tables with wrapped cells, no chunk ends on a heading (kinds-dev2).
# 5: a web address followed by a capitalised word ends a sentence (ikc.text): a list's lead-in run on from a figure's link
#    opens the list's chunk without it; a list's lead-in never ends a window while its first item opens the next.
# 6: a short line is guessed to be a heading (no fonts, no number) only above a line that can open a paragraph
#    (ingest.structure): a table's header row run together into text no longer parts the table from its section;
#    a plain title wrapped after an open end ("Kansen voor" / "kinderen 2 (2021-2028)") is one heading.
# 7: a block is never extended over a footnote that came after it (ingest.structure): the paragraph after a page's
#    footnotes opens a block of its own (Leeuwarden's foreword had swallowed three footnotes).
CHUNKER_VERSION = 7
# A chunk is closed early (before a section change, or to keep a list with its lead-in) only once it holds
# this many words; shorter ones would be fragments (the value the section rule has used since version 1).
MIN_CHUNK_WORDS = 40


@dataclass
class _Unit:
    start: int
    end: int
    words: int
    section: str
    block: int = -1  # index of the block the unit comes from
    list_words: int = 0  # on a list's lead-in sentence: the words it needs to stay with its list (see _units)


def _units(doc: Document, max_words: int) -> list[_Unit]:
    """Headings, list items, labels and sentences, each tagged with its section path.

    The last sentence of a block that introduces list items (its lead-in) says how many words must follow
    it in the same chunk: the whole list when that fits in a chunk, else the lead-in and its first item.
    """
    items_of: dict[int, list[int]] = {}
    for i, block in enumerate(doc.blocks):
        if block.kind in (ITEM, TABLE_ROW) and block.lead_in >= 0:  # a list's items, a table's rows
            items_of.setdefault(block.lead_in, []).append(i)
    units: list[_Unit] = []
    for i, block in enumerate(doc.blocks):
        spans = [(block.start, block.end)] if block.kind in (HEADING, LABEL, TOC, TABLE_ROW) else split_sentences(
            doc.text[block.start : block.end], block.start
        )
        for s, e in spans:
            units.append(_Unit(s, e, len(doc.text[s:e].split()), block.section, i))
        if i in items_of and spans:
            lead = units[-1]
            item_words = [len(doc.text[doc.blocks[j].start : doc.blocks[j].end].split()) for j in items_of[i]]
            whole = lead.words + sum(item_words)
            lead.list_words = whole if whole <= max_words else lead.words + item_words[0]
    return units


def _lead_in_context(doc: Document, group: list[_Unit]) -> tuple[str, int]:
    """The lead-in sentence of the list a chunk begins inside (when it is not in the chunk), and the offset
    in the chunk's text where that list's items end; ("", 0) otherwise. For a table: its header row."""
    first = doc.blocks[group[0].block] if group[0].block >= 0 else None
    if first is None or first.kind not in (ITEM, TABLE_ROW) or first.lead_in < 0:
        return "", 0
    lead = doc.blocks[first.lead_in]
    sentences = [(lead.start, lead.end)] if lead.kind == TABLE_ROW else split_sentences(doc.text[lead.start : lead.end], lead.start)
    if not sentences:
        return "", 0
    s, e = sentences[-1]
    if any(u.start <= s < u.end for u in group):
        return "", 0
    until = group[0].start
    for u in group:
        b = doc.blocks[u.block] if u.block >= 0 else None
        if b is None or b.kind != first.kind or b.lead_in != first.lead_in:
            break
        until = u.end
    return doc.text[s:e], until - group[0].start


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
    units = [piece for unit in _units(doc, max_words) for piece in _split_long(doc.text, unit, max_words)]
    groups: list[list[_Unit]] = []
    current: list[_Unit] = []
    for unit in units:
        size = sum(u.words for u in current)
        section_change = current and unit.section != current[-1].section
        if section_change and size < MIN_CHUNK_WORDS and groups and groups[-1][-1].section == current[-1].section:
            # the last sentences of a section, too few for a chunk of their own, end the chunk before them
            # (a little over size) instead of opening one that is labelled with the next section
            tail = [u for u in current if u.start >= groups[-1][-1].end]
            if sum(u.words for u in groups[-1] + tail) <= max_words + MIN_CHUNK_WORDS \
                    and not any(doc.blocks[u.block].kind == HEADING for u in tail if u.block >= 0):
                groups[-1].extend(tail)
                current, size, section_change = [], 0, False
        # a list's lead-in opens the next chunk rather than end this one without its items
        list_break = unit.list_words and size + unit.list_words > max_words and size >= MIN_CHUNK_WORDS
        if current and (size + unit.words > max_words or (section_change and size >= MIN_CHUNK_WORDS) or list_break):
            # headings at the end of a chunk head what follows them: they open the next chunk (a chunk that ended
            # on "Hoofdstuk 2" would be labelled with it while its text stands under the article before it)
            heads: list[_Unit] = []
            while len(current) > 1 and current[-1].block >= 0 and doc.blocks[current[-1].block].kind == HEADING:
                heads.insert(0, current.pop())
            groups.append(current)
            carry: list[_Unit] = []
            if not section_change and not list_break:
                for prev in reversed(current):
                    if sum(u.words for u in carry) + prev.words > overlap_words:
                        break
                    carry.insert(0, prev)
            current = heads or (carry if len(carry) < len(current) else [])
        current.append(unit)
    if current:
        groups.append(current)

    chunks: list[Chunk] = []
    seen: set[str] = set()
    for order, group in enumerate(groups):
        start, end = group[0].start, group[-1].end
        text = doc.text[start:end]
        lead_in, lead_in_until = _lead_in_context(doc, group)
        marks = [(off - start, page) for off, page in doc.page_starts if start < off < end]
        digest = hashlib.sha1(f"{doc.meta.doc_id}\x00{doc.meta.file}\x00{text}".encode()).hexdigest()[:16]
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
                lead_in=lead_in,
                lead_in_until=lead_in_until,
            )
        )
    return chunks


def _lead_in_ends(chunk: Chunk, doc: Document | None) -> set[int]:
    """Offsets in the chunk's text where a list's (or table's) lead-in sentence ends."""
    if doc is None:
        return set()
    leads = {b.lead_in for b in doc.blocks if b.kind in (ITEM, TABLE_ROW) and b.lead_in >= 0}
    return {doc.blocks[i].end - chunk.char_start for i in leads if chunk.char_start < doc.blocks[i].end <= chunk.char_end}


def chunk_windows(chunk: Chunk, max_words: int = 50, doc: Document | None = None) -> list[Window]:
    """Consecutive sentence-aligned windows of at most ~max_words words, each with its indexed text.

    With the chunk's document: a list's lead-in never ends a window while its first item opens the next one (the
    lead-in then opens that window), so the sentence that says what a list is about is indexed with the list."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in chunk.text.split("\n"):
        start = chunk.text.find(line, offset)
        offset = start + len(line)
        spans.extend(split_sentences(line, start) if len(line.split()) > 6 else [(start, start + len(line))])
    lead_ends = _lead_in_ends(chunk, doc)
    size = [len(chunk.text[s:e].split()) for s, e in spans]
    groups: list[list[tuple[int, int]]] = []
    used = 0
    for i, span in enumerate(spans):
        dangling = span[1] in lead_ends and i + 1 < len(spans) and used + size[i] + size[i + 1] > max_words \
            and size[i] + size[i + 1] <= max_words
        if groups and used + size[i] <= max_words and not dangling:
            groups[-1].append(span)
            used += size[i]
        else:
            groups.append([span])
            used = size[i]
    place = chunk.municipality if chunk.municipality and chunk.municipality != "landelijk" else chunk.title
    section = re.sub(r"^.*> ", "", chunk.section)[:80]
    header = f"{place} — {section}" if section else place
    # windows of a list continued from an earlier chunk are indexed with the sentence that introduces it
    return [
        Window(f"{chunk.chunk_id}-{i}", chunk.chunk_id, group[0][0], group[-1][1],
               f"{header}\n" + (f"{chunk.lead_in}\n" if chunk.lead_in and group[0][0] < chunk.lead_in_until else "")
               + chunk.text[group[0][0] : group[-1][1]])
        for i, group in enumerate(groups)
    ]
