"""Answer units: pieces of a document that can stand alone as an answer, read off its structure.

A unit is what a person would quote: a sentence (with the one before it when it leans on it:
"Dit …"), a lead-in ending in ":" with all of its list items (wherever the items fall: across
a page or a chunk boundary), a heading with the first sentences of the paragraph under it, an
article member (lid) under its article. Tables of contents, captions, footnotes and grid labels
are never units: they are not quoted, whatever the question.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from bm25s.stopwords import STOPWORDS_DUTCH

from ikc.records import CAPTION, FOOTNOTE, HEADING, ITEM, LABEL, NOT_QUOTABLE, PARA, TABLE_ROW, Document
from ikc.text import defined_names, fold, split_sentences

SENTENCE, PAIR, LIST, SECTION_LEAD, ROW = "sentence", "pair", "list", "section_lead", "table_row"
# A sentence opening with one of these leans on the sentence before it.
# "Het" only as a pronoun ("Het is …", not "Het IKC …"); "Ook" adds a statement that stands on its own.
_ANAPHORA = re.compile(r"^(?:Dit|Deze|Die|Dat|Daar\w*|Hier\w*|Zij|Ze|Hun|Daarnaast|Bovendien|Tevens|"
                       r"Het\s+(?:is|was|zijn|waren|wordt|werd|gaat|ging|kan|kon|moet|moest|zal|zou|heeft|had|betreft|"
                       r"blijkt|lijkt)\b|This|These|It|They)\b")
# A pronominal adverb anywhere in a sentence ("… geven ouders hierover geen advies", "De gemeente is zich
# daarbij bewust …") points back at what the sentence before it said: the two are one thought.
_POINTS_BACK = re.compile(r"\b(?:hier|daar)(?:aan|achter|bij|binnen|buiten|door|in|mee|na|naast|om|onder|op|over|tegen|toe|"
                          r"uit|van|voor|zonder)\b|\b(?:therein|thereby|hereby|to this end)\b", re.I)


def leans_back(sentence: str) -> bool:
    """The sentence cannot be read without the one before it: it opens with a reference ("Deze commissie …")
    or refers back with a pronominal adverb ("hierover", "daarbij")."""
    return bool(_ANAPHORA.match(sentence) or _POINTS_BACK.search(sentence))
# A lead-in with many items is quoted whole up to this many items (a longer list keeps its first ones).
MAX_ITEMS = 14
SECTION_LEAD_SENTENCES = 2
# A lead-in after which the layout reading found no list ("We stellen ons drie categorieën voor:" above a table the
# PDF gives as loose lines) is quoted with the blocks after it up to this many words: the notes' longest such lists
# (a three-row table of categories, a short list set as paragraphs) run 40-80 words.
LEAD_IN_REACH = 90
# A sentence that leans back is quoted with the ones it leans on, up to this many sentences (a paragraph
# of "Dit …", "Daarbij …" sentences is read from its first claim; longer chains are rare in the notes).
MAX_CHAIN = 3


@dataclass
class Unit:
    """A quotable piece of one document: spans of its text, in reading order."""

    doc_id: str
    kind: str
    spans: list[tuple[int, int, bool]]  # (start, end, is_item) in Document.text
    section: str
    page: int
    items: int = 0
    lead_in: str = ""  # a list's introducing sentence
    heading: str = ""  # the heading a section lead starts with
    label: str = ""  # "lid 2" for an article member
    ids: set[int] = field(default_factory=set)  # block indexes it draws from
    in_table: bool = False  # a table row whose whole table is a unit too
    row_labels: tuple[str, ...] = ()  # a whole table's rows' first cells
    run_word: str = ""  # a run of headings labelled alike ("Stap 1. …", "Stap 2. …"): their label's word

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    def text(self, doc: Document) -> str:
        return " ".join(doc.text[s:e] for s, e, _ in self.spans)


# A list item that runs on into the paragraph after it (a PDF gives no sign where the last item ends: "• Passend
# onderwijs en inclusie Daarna kijken we …"): a capitalised function word right after a lowercase word, with no
# punctuation between, starts the paragraph; at least this many words must follow (not "met De Kinderkoepel").
_GLUED = re.compile(r"(?<=[a-zà-ÿ0-9)’'])\s+(?=(?:" + "|".join(sorted(w.capitalize() for w in STOPWORDS_DUTCH if w.isalpha()))
                    + r"|Daarna|Daarnaast|Hierbij|Daarbij|Steeds|Soms|Tot slot)\s)")
GLUED_MIN_WORDS = 8


def _item_end(doc: Document, block) -> int:
    """Where a list item's own text ends: before a paragraph glued onto it, else at the block's end."""
    text = doc.text[block.start:block.end]
    if text.rstrip().endswith((";", ",")):
        return block.end  # an item that ends as list items do ("ikc De Morgenster (Zuiderhout), met … als partner;")
        # has no paragraph glued onto it: the capital starts a name
    for m in _GLUED.finditer(text):
        if len(text[:m.start()].split()) >= 2 and len(text[m.end():].split()) >= GLUED_MIN_WORDS:
            return block.start + m.start()
    return block.end


# A title the PDF glued onto the end of a list item: after the item's last sentence, a few capitalised words without
# a sentence's end ("… en ontwikkeling. Voor ouders"); a sub-list's title is short (TITLE_MAX_WORDS, from the notes).
_TRAILING_TITLE = re.compile(r"[.!?;:]\s+([A-ZÀ-Ý][^.!?;:]{1,80}?)\s*$")
TITLE_MAX_WORDS = 6


def _trailing_title(doc: Document, block) -> tuple[int, int] | None:
    text = doc.text[block.start:block.end]
    m = _TRAILING_TITLE.search(text)
    if m is None or len(m.group(1).split()) > TITLE_MAX_WORDS:
        return None
    return block.start + m.start(1), block.start + m.end(1)


def _number(label: str) -> int | None:
    """An item's position from its label: "3." → 3, "c)" → 3."""
    m = re.match(r"\(?(\d+|[a-z])[.)]?$", label.strip())
    if not m:
        return None
    return int(m.group(1)) if m.group(1).isdigit() else ord(m.group(1)) - ord("a") + 1


def _sublists(doc: Document, run: list[int]) -> list[tuple[list[int], tuple[int, int] | None]]:
    """A run of items without a lead-in, split where the numbering starts again ("1. 2. 3. 1. 2. 3."): each part with
    the title glued onto the last item before it, if any."""
    parts: list[tuple[list[int], tuple[int, int] | None]] = []
    current: list[int] = []
    title = None
    for i in run:
        n, prev = _number(doc.blocks[i].label), _number(doc.blocks[current[-1]].label) if current else None
        if current and n == 1 and prev is not None and prev >= 1:
            parts.append((current, title))
            title = _trailing_title(doc, doc.blocks[current[-1]])
            current = []
        current.append(i)
    if current:
        parts.append((current, title))
    return parts


def _read_back(doc: Document, sentences: list[tuple[int, int]], k: int) -> list[tuple[int, int]]:
    """Sentence k with the ones it leans on: back to a sentence that stands on its own ("Gemeenten zijn sinds
    2015 verantwoordelijk … De inkomsten die de gemeente hiervoor … Dit komt doordat …"), at most MAX_CHAIN."""
    out = [sentences[k]]
    while k and len(out) < MAX_CHAIN and leans_back(doc.text[sentences[k][0]:sentences[k][1]]):
        k -= 1
        out.insert(0, sentences[k])
    return out


_FOOTNOTE_NUMBER = re.compile(r"\s*\d{1,3}\s+")
# A footnote sentence that states something ends like a sentence; one that names a source or a link does not, or
# carries the marks of a reference.
_STATES = re.compile(r"[.!?][”’\"')]?\s*$")
_REFERENCE = re.compile(r"https?://|www\.|\bet al\b|\be\.a\.|\b(?:19|20)\d\d\)|\bp\. ?\d|\bISBN\b", re.I)


def _sentences(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    return split_sentences(doc.text[start:end], start)


def document_units(doc: Document) -> list[Unit]:
    """Every answer unit of a document, sorted by start."""
    units: list[Unit] = []
    blocks = doc.blocks
    items_of: dict[int, list[int]] = {}
    for i, b in enumerate(blocks):
        if b.kind == ITEM and b.lead_in >= 0:
            items_of.setdefault(b.lead_in, []).append(i)
    heading_text = ""
    first_after_heading = False
    loose: list[int] = []  # items without a lead-in, grouped per run
    rows_of: dict[int, list[int]] = {}  # a table's header row -> its rows

    def flush_loose() -> None:
        parts = _sublists(doc, loose)
        for p, (run, title) in enumerate(parts):
            if len(run) < 2:
                continue
            first = blocks[run[0]]
            spans = [(blocks[i].start, _item_end(doc, blocks[i]), True) for i in run[:MAX_ITEMS]]
            following = parts[p + 1][1] if p + 1 < len(parts) else None
            if following is not None and len(run) <= MAX_ITEMS:  # its last item carries the next list's title
                spans[-1] = (spans[-1][0], min(spans[-1][1], len(doc.text[:following[0]].rstrip())), True)
            lead = ""
            before = blocks[run[0] - 1] if run[0] else None
            if title is not None:
                # "… ontwikkeling. Voor ouders" 1. … 2. …: the title the PDF glued onto the last item of the list before
                spans.insert(0, (title[0], title[1], False))
                lead = doc.text[title[0]:title[1]]
            elif before is not None and before.kind == PARA and before.section == first.section:
                # a list right after a paragraph goes on from its last sentence ("… drie vormen IKC's." A. … B. …)
                sentences = _sentences(doc, before.start, before.end)
                if sentences:
                    s, e = sentences[-1]
                    spans.insert(0, (s, e, False))
                    lead = doc.text[s:e]
            units.append(Unit(doc.meta.doc_id, LIST, spans, first.section, first.page, items=len(run), lead_in=lead,
                              ids=set(run)))
        loose.clear()

    for i, b in enumerate(blocks):
        if (b.kind != ITEM or b.lead_in >= 0) and b.kind != FOOTNOTE:
            flush_loose()  # (a footnote at the foot of a page stands between a list's items, it does not end it)
        if b.kind == HEADING:
            heading_text = doc.text[b.start:b.end]
            first_after_heading = True
            continue
        if b.kind == TABLE_ROW and b.lead_in >= 0:
            units.append(_row_unit(doc, i))
            rows_of.setdefault(b.lead_in, []).append(i)
            continue
        if b.kind == FOOTNOTE:
            # a footnote's sentences answer too ("Voor een school met 300 leerlingen komt de ruimtebehoefte daarmee op
            # 1.850 m² bvo."), quoted without their number and never joined to the text they stand under
            marker = _FOOTNOTE_NUMBER.match(doc.text, b.start, b.end)
            said = _sentences(doc, marker.end() if marker else b.start, b.end)
            for k, (s, e) in enumerate(said):
                if not _STATES.search(doc.text[s:e]) or _REFERENCE.search(doc.text[s:e]):
                    continue  # a source it cites ("Investeren in kinderen van 0-12 jaar, … PACT voor kindcentra"), a link
                spans = [(a, z, False) for a, z in _read_back(doc, said, k)]  # "… komt de ruimtebehoefte daarmee op …"
                units.append(Unit(doc.meta.doc_id, SENTENCE, spans, b.section, doc.page_at(s), ids={i}))
            continue
        if b.kind in NOT_QUOTABLE or b.kind not in (PARA, ITEM):
            continue
        end = _item_end(doc, b) if b.kind == ITEM else b.end
        rest = end + len(doc.text[end:b.end]) - len(doc.text[end:b.end].lstrip())  # the glued paragraph, if any
        sentences = _sentences(doc, b.start, end) + (_sentences(doc, rest, b.end) if rest < b.end else [])
        for k, (s, _e) in enumerate(sentences):
            spans = [(a, z, False) for a, z in _read_back(doc, sentences, k)]
            units.append(Unit(doc.meta.doc_id, SENTENCE, spans, b.section, doc.page_at(s), label=b.label, ids={i}))
            nxt = sentences[k + 1] if k + 1 < len(sentences) else None
            # with the sentence after it ("… onderscheid tussen IKC en KC. Voor een IKC …"); one that leans back
            # on this one makes that unit itself, as one thought
            if nxt is not None and not leans_back(doc.text[nxt[0]:nxt[1]]):
                units.append(Unit(doc.meta.doc_id, PAIR, spans + [(nxt[0], nxt[1], False)], b.section,
                                  doc.page_at(spans[0][0]), label=b.label, ids={i}))
        if b.kind == PARA and first_after_heading and heading_text and sentences:
            lead = sentences[:SECTION_LEAD_SENTENCES]
            units.append(Unit(doc.meta.doc_id, SECTION_LEAD, [(s, e, False) for s, e in lead], b.section,
                              doc.page_at(lead[0][0]), heading=heading_text, label=b.label, ids={i}))
        first_after_heading = False
        if i in items_of and sentences:
            items = items_of[i][:MAX_ITEMS]
            units.append(_list_unit(doc, i, sentences, [(blocks[j].start, _item_end(doc, blocks[j])) for j in items],
                                    len(items_of[i]), items))
        if i not in items_of and b.kind == PARA and sentences and doc.text[sentences[-1][0]:sentences[-1][1]].rstrip().endswith(":"):
            following = _what_follows(doc, i)
            if following:
                units.append(_list_unit(doc, i, sentences, [(blocks[j].start, blocks[j].end) for j in following],
                                        len(following), following))
        if b.kind == PARA and b.label.startswith("lid") and len(sentences) > 1:
            units.append(Unit(doc.meta.doc_id, SENTENCE, [(b.start, b.end, False)], b.section, b.page,
                              label=b.label, ids={i}))
        if b.kind == ITEM and b.lead_in < 0:
            loose.append(i)
    flush_loose()
    for header, rows in rows_of.items():
        if 2 <= len(rows) <= MAX_ITEMS:
            units.append(_table_unit(doc, header, rows))
            for u in units:
                if u.kind == ROW and header in u.ids:
                    u.in_table = True
    units.extend(_heading_lists(doc))
    units.extend(_labelled_runs(doc))
    units.sort(key=lambda u: (u.start, -u.end))
    return units


def _list_unit(doc: Document, i: int, sentences: list[tuple[int, int]], items: list[tuple[int, int]], count: int,
               ids: list[int]) -> Unit:
    """Block i's last sentence as a lead-in, with what it leans on ("Dit geeft ons de kans …: A. … B. …" with what
    "Dit" is), and its items."""
    b = doc.blocks[i]
    lead = _read_back(doc, sentences, len(sentences) - 1)
    spans = [(s, e, False) for s, e in lead] + [(s, e, True) for s, e in items]
    return Unit(doc.meta.doc_id, LIST, spans, b.section, doc.page_at(lead[0][0]), items=count,
                lead_in=" ".join(doc.text[s:e] for s, e in lead), label=b.label, ids={i, *ids})


def _what_follows(doc: Document, i: int) -> list[int]:
    """The blocks a lead-in announces when no list was found after it: the next ones, whatever the layout reading
    made of them (table cells read as headings or labels), up to LEAD_IN_REACH words, a chapter heading or the
    next lead-in."""
    out: list[int] = []
    words = 0
    for j in range(i + 1, len(doc.blocks)):
        b = doc.blocks[j]
        text = doc.text[b.start:b.end]
        if b.kind in NOT_QUOTABLE:
            continue
        if (b.kind == HEADING and b.level <= 1) or b.kind not in (PARA, HEADING, LABEL, ITEM, TABLE_ROW):
            break
        words += len(text.split())
        if words > LEAD_IN_REACH:
            break
        out.append(j)
        if text.rstrip().endswith(":"):
            break
    return out if len(out) >= 2 else []


def _row_unit(doc: Document, i: int) -> Unit:
    """A table row under its header row ("Jaar … Handhavingstrajecten" / "2022 41 3 236 14 12"): a row's numbers
    say nothing without the columns' names. The table's caption, when it has one, is what the unit stands under."""
    row = doc.blocks[i]
    header = doc.blocks[row.lead_in]
    caption = next((doc.blocks[j] for j in range(row.lead_in - 1, max(-1, row.lead_in - 3), -1)
                    if doc.blocks[j].kind == CAPTION), None)
    return Unit(doc.meta.doc_id, ROW, [(header.start, header.end, True), (row.start, row.end, True)], row.section,
                row.page, items=1, lead_in=doc.text[caption.start:caption.end] if caption else "", label=row.label,
                ids={row.lead_in, i})


def _table_unit(doc: Document, header: int, rows: list[int]) -> Unit:
    """A whole table, caption and header row first: "which projects overran their budget, which the most?" is
    answered by every row, a row alone answers only a question that names it. Kind LIST: its rows are its items."""
    head = doc.blocks[header]
    caption = next((doc.blocks[j] for j in range(header - 1, max(-1, header - 3), -1)
                    if doc.blocks[j].kind == CAPTION), None)
    spans = ([(caption.start, caption.end, False)] if caption else []) + [(head.start, head.end, True)] + [
        (doc.blocks[i].start, doc.blocks[i].end, True) for i in rows]
    return Unit(doc.meta.doc_id, LIST, spans, head.section, head.page, items=len(rows),
                lead_in=doc.text[caption.start:caption.end] if caption else "", ids={header, *rows},
                row_labels=tuple(doc.blocks[i].label for i in rows))


def _heading_lists(doc: Document) -> list[Unit]:
    """A heading with three or more sub-headings (the steps of a plan, the chapters of a part) as a list of them.

    The document's own outline (its first, top-level heading over everything after it) is a table of
    contents, not an answer: it names every part and says nothing of any."""
    out: list[Unit] = []
    heads = [(i, b) for i, b in enumerate(doc.blocks) if b.kind == HEADING]
    top = min((b.level for _, b in heads), default=0)
    for k, (i, parent) in enumerate(heads):
        if k == 0 and parent.level == top and all(b.level > top for _, b in heads[1:]):
            continue
        children = []
        for j, b in heads[k + 1:]:
            if b.level <= parent.level:
                break
            if not children or b.level == children[0][1].level:
                children.append((j, b))
        if len(children) >= 3:
            spans = [(parent.start, parent.end, False)] + [(b.start, b.end, True) for _, b in children[:MAX_ITEMS]]
            out.append(Unit(doc.meta.doc_id, LIST, spans, parent.section, parent.page, items=len(children),
                            lead_in=doc.text[parent.start:parent.end], heading=doc.text[parent.start:parent.end],
                            ids={i, *(j for j, _ in children)}))
    return out


_LABELLED = re.compile(r"^([A-Za-zÀ-ÿ]{3,})\s+\d{1,2}[.:)]?\s+\S")


def _labelled_runs(doc: Document) -> list[Unit]:
    """Sibling headings labelled alike ("Stap 1. Welke vraag …", "Stap 2. Analyse …", … "Stap 6. Monitoren …") as a
    list of them: the steps of a plan, the phases of a programme. Their parent heading may hold other parts too
    ("4 De rol van de gemeente" opens with "Het initiatief"), so the run is its own list."""
    out: list[Unit] = []
    run: list[int] = []
    word, level = "", -1
    top = min((b.level for b in doc.blocks if b.kind == HEADING), default=0)

    def close() -> None:
        if len(run) >= 3:
            blocks = [doc.blocks[i] for i in run]
            out.append(Unit(doc.meta.doc_id, LIST, [(b.start, b.end, True) for b in blocks[:MAX_ITEMS]],
                            blocks[0].section.rsplit(" > ", 1)[0], blocks[0].page, items=len(blocks),
                            ids=set(run), run_word=word))

    for i, b in enumerate(doc.blocks):
        if b.kind != HEADING or (run and b.level > level):
            continue  # (a step's own sub-headings do not end the run)
        m = _LABELLED.match(doc.text[b.start:b.end])
        if m and run and b.level == level and m.group(1).lower() == word.lower():
            run.append(i)
            continue
        close()
        # (the top level's chapters, "Hoofdstuk 1 … Hoofdstuk 3", are the document's outline: no answer)
        run, word, level = ([i], m.group(1), b.level) if m and b.level > top else ([], "", -1)
    close()
    return out


class UnitIndex:
    """Units of every document of an index generation, found by the text span of a retrieved chunk."""

    def __init__(self, documents: dict[str, Document]) -> None:
        self.documents = documents
        self.units = {doc_id: document_units(doc) for doc_id, doc in documents.items()}
        self._starts = {doc_id: [u.start for u in units] for doc_id, units in self.units.items()}
        # each document's defined parties (`ikc.text.defined_names`), read once per generation, and by the party's
        # rare name word the short names documents call it by ("tierelier" → "opvangorganisatie"): a question is
        # checked against them without reading every document again
        self.defined = {doc_id: defined_names(doc.text) for doc_id, doc in documents.items()}
        self.short_names: dict[str, list[str]] = {}
        for names in self.defined.values():
            for name, alias in names.items():
                self.short_names.setdefault(name, []).append(alias)
        self._folded: dict[str, str] = {}

    def folded(self, doc_id: str) -> str:
        """A document's text folded as a question's words are (`ikc.text.fold`), made once per document: folding a
        note costs milliseconds, too much to repeat per question."""
        if doc_id not in self._folded:
            self._folded[doc_id] = fold(self.documents[doc_id].text)
        return self._folded[doc_id]

    def overlapping(self, doc_id: str, start: int, end: int) -> list[Unit]:
        """Units that overlap [start, end) of a document (a list reaching past the chunk comes whole)."""
        units = self.units.get(doc_id, [])
        starts = self._starts.get(doc_id, [])
        out = []
        # units start before `end`; a list may start long before `start` and still reach into it
        for u in units[: bisect.bisect_left(starts, end)]:
            if any(s < end and e > start for s, e, _ in u.spans):
                out.append(u)
        return out
