"""Document structure: the cleaned lines of a PDF become typed blocks under a heading path.

What the PDF offers is used first: its outline (bookmarks) and its fonts (a line set larger
than the body text, or bold, is a heading). Text patterns come next, and none of them needs
the numbering to be continuous (a plan may go from chapter 2 to chapter 4):

- decimal numbers (1, 1.2, 4.3.1), a number on its own line above its title, letters ("A.");
- law-style headings: Hoofdstuk, Titel, Afdeling, Paragraaf, §, Artikel N[.N][a], Bijlage;
- a short title-like line between paragraphs (no final punctuation, a paragraph follows).

Blocks also say what is not body text: list items (linked to the sentence that introduces
them, across pages), footnotes, captions, table-of-contents lines, article members (leden).
A list whose items name the document's own chapters (a *leeswijzer*) is a table of contents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ikc.records import CAPTION, FOOTNOTE, HEADING, ITEM, LABEL, PARA, TABLE_ROW, TOC, Block, DocMeta, Document
from ikc.text import BULLET, fold
from ingest.pdf import HEADING_SIZE_RATIO, Page, style_key

# Heading levels of law-style headings; only their order matters (a path drops deeper levels).
_LAW_LEVELS = {"bijlage": 1, "hoofdstuk": 1, "deel": 1, "titel": 2, "afdeling": 3, "paragraaf": 4, "§": 4,
               "artikel": 5, "artikelen": 5, "art.": 5}
# A law label's number ("2.4a", "IV", "B"); a label may name several ("Artikelen 4 en 5", "Artikel 3 tot en met 6"
# in an artikelsgewijze toelichting).
_LAW_NUMBER = r"(?:[0-9IVXLC]+[a-z]?(?:\.[0-9]+[a-z]?)*|[A-Z])"
_LAW = re.compile(
    r"^(Bijlage|BIJLAGE|Hoofdstuk|HOOFDSTUK|Deel|DEEL|Titel|TITEL|Afdeling|AFDELING|Paragraaf|PARAGRAAF|§|"
    rf"Artikelen|ARTIKELEN|Artikel|ARTIKEL|Art\.)\s*({_LAW_NUMBER}(?:(?:,| en| tot en met| t/m)\s*{_LAW_NUMBER})*)?"
    r"\.?(?:\s*[:.\-–]?\s+(.*))?$"
)
_DECIMAL = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})[.)]?\s+(\S.*)$")
_BARE_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?$")
_BARE_LETTER_LABEL = re.compile(r"^([A-Z])[.)]$")  # "B." on its own line above "Aandachtspunten handhaving"
_LETTER = re.compile(r"^([A-Z])[.)]\s+(\S.*)$")
_NAMED = re.compile(
    r"^(Voorwoord|Inleiding|Samenvatting|Conclusies?|Aanbevelingen|Colofon|Literatuur(?:lijst)?|Bronnen|"
    r"Bronvermelding|Tot slot|Leeswijzer|Inhoud|Inhoudsopgave|Begrippenlijst|Afkortingen|Toelichting|"
    r"Algemene toelichting|Artikelsgewijze toelichting|Contents|Introduction|Summary)\s*:?$",
    re.IGNORECASE,
)
_STEP = re.compile(r"^(Stap|Fase|Step|Phase)\s+\d+[.:]?(\s|$)", re.IGNORECASE)
_TOC_HEADING = re.compile(r"^(Inhoud|Inhoudsopgave|Contents|Table of contents)\s*:?$", re.IGNORECASE)
# "3.2 Verkeer ........ 14", "Inleiding 3": a title followed by leader dots or spaces and a page number.
_TOC_LINE = re.compile(r"^(\S.{1,90}?)\s*(?:[.·…_]{3,}|\s)\s*(\d{1,3})$")
_DOT_LEADER = re.compile(r"[.·…_]{4,}\s*\d{1,3}$")
_CAPTION = re.compile(r"^(Figuur|Fig\.|Afbeelding|Tabel|Kaart|Foto|Grafiek|Illustratie|Figure|Table|Map)\s*\d+[a-z]?\s*[.:–-]",
                      re.IGNORECASE)
_ITEM_MARK = re.compile(rf"^(?:{BULLET}|[-–*]\s|\(?[a-zA-Z]\)|[a-zA-Z]\.\s|\(?\d{{1,2}}\)|\d{{1,2}}\.\s|\d{{1,2}}°\s?|"
                        r"\(?[ivx]{1,4}\)\s|[ivx]{1,4}\.\s)")
# A bare letter as a list marker ("a Het totaal aantal woningen …"): only right after a lead-in (as "a") or as
# the next letter of such a list, since "u" and "e" also open ordinary lines.
_BARE_LETTER = re.compile(r"^([a-z])\s+\S")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*$")
_MEMBER = re.compile(r"^(\d{1,2}[a-z]?)\.\s+\S")
_FOOTNOTE = re.compile(r"^(\d{1,2})\s+(\S.*)$")
_SENTENCE_END = (".", "!", "?", ":", ";")
MAX_HEADING_WORDS = 14
# After a lead-in, a capitalised line of at most this many words without a final stop, following a line
# that did not fill the column, is the next item of an unmarked list ("Verminderen van ongelijkheid").
IMPLICIT_ITEM_WORDS = 8
# Numbered chapters may skip (a plan going from 2 to 4 to 7) but not by more than this: a larger jump
# from the last chapter is a footnote or a list number.
MAX_CHAPTER_SKIP = 5
# A guessed (unnumbered, plain-font) heading is shorter than this share of a full line: in the
# notes, titles are < 45 % of the column and the last lines of paragraphs that look like titles
# are rare; wrapped lines of a narrow column are ~90 %.
GUESSED_HEADING_SHARE = 0.7


@dataclass
class _Line:
    text: str
    page: int
    size: float = 1.0
    bold: bool = False
    last_on_page: bool = False
    bottom: bool = False  # in the last quarter of the page's lines
    wraps: bool = False  # the next line continues this one (starts lowercase): a paragraph's wrapped line


def _lines(pages: list[Page]) -> list[_Line]:
    out: list[_Line] = []
    for page in pages:
        raw = [line.strip() for line in page.text.split("\n") if line.strip()]
        for i, text in enumerate(raw):
            size, bold = page.styles.get(style_key(text), (1.0, False))
            out.append(_Line(text, page.number, size, bold, i == len(raw) - 1, i >= 0.75 * len(raw)))
    for line, nxt in zip(out, out[1:]):
        line.wraps = _continues(nxt.text)
    return out


def _title_like(text: str, max_words: int = MAX_HEADING_WORDS, years_ok: bool = False) -> bool:
    """Short, starts with a capital or digit, and does not end like a sentence or a clause.

    A year after a comma ("Gemeente Hoorn, 2016") marks a reference, not a title, unless the line is
    already labelled as a heading ("Artikel 11 Verdeelcriteria schooljaren 2012–2013, 2013–2014 en"): `years_ok`.
    """
    words = text.split()
    citation = r"\(\d{4}\)|[a-z]{2}[.;] [A-Z]" if years_ok else r"\(\d{4}\)|[a-z]{2}[.;] [A-Z]|, (?:19|20)\d\d\b"
    return (
        0 < len(words) <= max_words
        and (text[:1].isupper() or text[:1].isdigit() or text[:1] in "§‘'\"“")
        and not text.rstrip().endswith((".", ",", ";", ":")) or (text.isupper() and len(words) <= max_words)
    ) and "http" not in text and not re.search(citation, text)


def _continues(line: str) -> bool:
    """A line that can only continue the previous one (starts lowercase or with closing punctuation)."""
    return bool(line) and (line[:1].islower() or line[:1] in ",;:)]") and not _ITEM_MARK.match(line)


@dataclass
class _Heading:
    level: int
    label: str
    guessed: bool = False  # an unnumbered short line: one level below the last placed heading
    from_outline: bool = False  # the PDF's bookmarks gave the level: it stands as given


class _HeadingRules:
    """Decides whether a line is a heading, from the outline, the fonts and the text."""

    def __init__(self, lines: list[_Line], outline: list[tuple[int, str, int]]) -> None:
        self.outline = [(depth, fold(re.sub(r"\s+", " ", title)), page) for depth, title, page in outline]
        sizes = sorted({round(ln.size, 2) for ln in lines if ln.size >= HEADING_SIZE_RATIO and _title_like(ln.text)},
                       reverse=True)
        self.size_levels = {s: i + 1 for i, s in enumerate(sizes)}
        # headings have fonts of their own when lines past the title block stand out (larger, or bold at body size
        # or more); a title page, small italic captions and a bold table header alone do not say so
        _, front = _title_block(lines)
        self.has_fonts = sum(1 for ln in lines[front:] if _title_like(ln.text) and (
            ln.size >= HEADING_SIZE_RATIO or (ln.bold and ln.size > CAPTION_SIZE_RATIO))) >= MIN_FONT_HEADINGS
        lengths = sorted(len(ln.text) for ln in lines if len(ln.text.split()) >= 6)
        # A line that (nearly) fills the column is wrapped paragraph text, never a guessed title.
        self.full_line = lengths[int(0.75 * (len(lengths) - 1))] if lengths else 80
        self.last_top = 0
        self.appendix = 0  # 1 inside a Bijlage: its own numbered headings sit one level below it
        self.depth = 0  # level of the last heading the outline, the fonts or a number placed

    def font_level(self, line: _Line) -> int:
        if line.size >= HEADING_SIZE_RATIO and _title_like(line.text):
            return self.size_levels.get(round(line.size, 2), 1)
        if line.bold and _title_like(line.text, 12) and not _ITEM_MARK.match(line.text):
            return len(self.size_levels) + 1
        return 0

    def outline_level(self, line: _Line) -> int:
        key = fold(line.text)
        for depth, title, page in self.outline:
            if page == line.page and len(key) >= 3 and (key == title or (title.startswith(key) and len(key) >= 0.5 * len(title))
                                                         or key.startswith(title)):
                return depth
        return 0

    def classify(self, line: _Line, prev: _Line | None, nxt: _Line | None, in_list: bool,
                 after_heading: bool = False) -> _Heading | None:
        if nxt is not None and nxt.page == line.page and _continues(nxt.text) and (line.bold or line.size >= HEADING_SIZE_RATIO) \
                and (nxt.size, nxt.bold) == (line.size, line.bold):
            # a title set in a heading font that wraps ("3.1 Het register moet actueel," / "juist en volledig zijn"):
            # judged whole
            line, nxt = _Line(f"{line.text} {nxt.text}", line.page, line.size, line.bold), None
        text = line.text
        next_text = nxt.text if nxt else ""
        if len(text) > 120:
            return None
        law = _LAW.match(text)
        if law and (law.group(2) or law.group(1).lower() in ("§", "bijlage")) and _title_like(law.group(3) or "X", years_ok=True):
            if not (law.group(3) or "").rstrip().endswith((".", ",", ";")):
                kind = law.group(1).lower()
                return _Heading(_LAW_LEVELS.get(kind, 5), f"{law.group(1)} {law.group(2) or ''}".strip())
        level = self.outline_level(line) if self.outline else 0
        if level:
            return _Heading(level, "", from_outline=True)
        level = self.font_level(line)
        if level and not in_list:
            return _Heading(level, "")
        if _continues(next_text) and not (nxt and (nxt.size >= HEADING_SIZE_RATIO or (nxt.bold and line.bold))):
            return None  # a wrapped sentence, not a heading (a bold title may wrap onto a bold line)
        if _STEP.match(text) and len(text) <= 90:
            return _Heading(max(self.depth, 2), "")
        if _NAMED.match(text):
            return _Heading(1, "")
        m = _DECIMAL.match(text)
        if m and not in_list:
            number, rest = m.groups()
            parts = [int(p) for p in number.split(".")]
            if _title_like(rest) and not rest[:1].islower() and not _TOC_LINE.match(text) \
                    and not re.match(r"(Zie|See|Vgl|Bron)\b", rest):
                if self.has_fonts and not (line.bold or line.size >= HEADING_SIZE_RATIO) \
                        and len(text) >= GUESSED_HEADING_SHARE * self.full_line:
                    return None  # headings have their fonts here: a plain line filling the column is a member's text
                if len(parts) == 1 and parts[0] <= self.last_top and not self.has_fonts:
                    return None  # "2 Ouders die …" after chapter 4: a list or a footnote
                if len(parts) > 1 and parts[0] < self.last_top:
                    return None
                if parts[0] > self.last_top + MAX_CHAPTER_SKIP and not self.has_fonts:
                    return None  # "25 Gemeente Hoorn, 2016, …" after chapter 9: a footnote
                if len(parts) == 1 and _in_run(_DECIMAL, number, prev, nxt):
                    # a run of short numbered lines is a list; with fonts too, since a line that reaches this test
                    # is set in the body font (a heading font returned above), and so are list items
                    return None
                return _Heading(len(parts) + self.appendix, number)
        m = _LETTER.match(text)
        if m and not in_list and not _in_run(_LETTER, m.group(1), prev, nxt) \
                and (m.group(2).isupper() or _title_like(m.group(2), 8)):
            return _Heading(1, m.group(1))
        if self.outline or self.has_fonts:
            return None  # the PDF says where its headings are: no guessing from short lines
        if (_title_like(text, 9) and ":" not in text and not _ITEM_MARK.match(text)
                and len(text) < GUESSED_HEADING_SHARE * self.full_line
                and (prev is None or after_heading or prev.text.rstrip().endswith(_SENTENCE_END) or prev.last_on_page
                     or len(prev.text) < GUESSED_HEADING_SHARE * self.full_line or _phrase(prev.text))
                and nxt is not None and nxt.text[:1].isupper() and (nxt.wraps or (
                    len(nxt.text.split()) >= 8 and self.opens_paragraph(nxt)))):
            return _Heading(self.depth + 1, "", guessed=True)
        return None

    def opens_paragraph(self, line: _Line) -> bool:
        """A line that can open a paragraph under a guessed heading: it ends a sentence, or it fills the column
        (wrapped text). A short line that does neither, such as a table's row run together into one line of text
        ("RVKO 2 scholen Small Steps 10 locaties Small Steps 22 locaties"), is not body text, so the short line
        above it is no heading either (in a PDF without fonts, a table's header row looks like a title)."""
        return line.text.rstrip().endswith(_SENTENCE_END) or len(line.text) >= GUESSED_HEADING_SHARE * self.full_line

    def bare_number_title(self, line: _Line, nxt: _Line | None) -> bool:
        """A heading number on its own line, its title on the next.

        A label set in a heading font ("Artikel 1.60a" in bold) whose next line is body text (plain, body size)
        is an untitled heading: that line opens the article's text, it is not the title.
        """
        law = _LAW.match(line.text)
        law_label = bool(law and law.group(2) and not law.group(3))
        label_only = bool(_BARE_NUMBER.match(line.text) or _BARE_LETTER_LABEL.match(line.text)) or law_label
        styled = line.bold or line.size >= HEADING_SIZE_RATIO
        plain_next = nxt is not None and not nxt.bold and nxt.size < HEADING_SIZE_RATIO
        # a law title may name years after a comma ("Verdeelcriteria subsidie schooljaren 2012–2013, 2013–2014 en")
        return label_only and nxt is not None and not (styled and plain_next) and _title_like(nxt.text, years_ok=law_label) \
            and not _continues(nxt.text) and not _TOC_LINE.match(nxt.text) \
            and not (_DECIMAL.match(nxt.text) or _LETTER.match(nxt.text) or _LAW.match(nxt.text))


# Words a title cannot end on: a heading line ending in one of them (or in a comma or dash) wraps onto the next
# line ("Artikel 11 Verdeelcriteria subsidie schooljaren 2012–2013, 2013–2014 en" / "2014–2015").
_OPEN_END = re.compile(r"(?:[,\-–]|\b(?:en|of|van|de|het|een|voor|in|op|met|tot|aan|bij|door|naar|over|uit|om|te|der|"
                       r"and|or|of|the|to))$", re.IGNORECASE)
# A heading's title wraps onto at most this many more lines (the longest law titles in kinds-dev take two lines).
MAX_TITLE_WRAPS = 2
# Without fonts, the wrapped rest of a title is short ("2. Kansen voor" / "Kinderen 2" in the Leeuwarden note).
MAX_PLAIN_WRAP_WORDS = 6


def _title_end(lines: list[_Line], j: int, styled: _Line) -> int:
    """Index after the lines that carry on a heading title set like `styled` (same font, same page).

    A line carries on the title when it starts lowercase or the line before it ends open ("… en", "… door de").
    """
    plain = not (styled.size > 1.0 or styled.bold)  # no font to go by: only an open end, and a short title-like rest
    last, end = styled.text, j
    while end < len(lines) and end - j < MAX_TITLE_WRAPS and lines[end].page == styled.page \
            and (lines[end].size, lines[end].bold) == (styled.size, styled.bold) \
            and ((_continues(lines[end].text) and not plain) or _OPEN_END.search(last.rstrip())) \
            and not (plain and not (_title_like(lines[end].text) and len(lines[end].text.split()) <= MAX_PLAIN_WRAP_WORDS)) \
            and not (_LAW.match(lines[end].text) or _DECIMAL.match(lines[end].text) or _BARE_NUMBER.match(lines[end].text)):
        last = lines[end].text
        end += 1
    return end


def _ends_sentence(text: str) -> bool:
    """The text ends a sentence or a clause of a list (closing quotes and brackets aside)."""
    return text.rstrip().rstrip("’”\"')]").endswith((".", "!", "?", ";"))


def _family(label: str) -> str:
    """A list marker's kind ("a.", "1°", "•"): items of one kind are siblings, another kind after a colon nests."""
    return re.sub(r"[a-z]+", "a", re.sub(r"\d+", "1", label.lower()))


# How far past an unmarked line after a finished item to look for the list's next item (a second sentence of
# an item seldom runs over more lines than this in the notes and kinds-dev).
LIST_LOOKAHEAD_LINES = 4


def _list_goes_on(lines: list[_Line], j: int, families: list[str]) -> bool:
    """The unmarked line `j` and those after it up to the next marked line belong to the last item: the next
    marked line, a few lines on, is another item of the open list ("• … in actie?" / "Welk probleem wordt
    hiermee opgelost?" / "• inrichting …"), and the unmarked lines do not end in a colon (a new lead-in)."""
    for k in range(j + 1, min(j + 1 + LIST_LOOKAHEAD_LINES, len(lines))):
        mark = _ITEM_MARK.match(lines[k].text)
        if mark:
            return _family(mark.group(0).strip()) in families and not lines[k - 1].text.rstrip().endswith(":")
    return False


def _numbered_or_named(text: str) -> bool:
    """A line that opens a part of the document by its numbering or its name (never a document title)."""
    return any(p.match(text) for p in (_LAW, _DECIMAL, _BARE_NUMBER, _LETTER, _NAMED, _TOC_HEADING, _STEP))


def _title_block(lines: list[_Line]) -> tuple[int, int]:
    """Where the document's title lines end, and where the subtitle lines after them end ((0, 0): no title).

    The title is the first line when it is set in the largest font of its page (larger than the body text)
    and is not a numbered or named part ("1 Inleiding", "Voorwoord"). The lines right after it that are
    also set larger than the body, in a font that does not come back once the body text has begun, are
    its subtitle ("Besluit van 30 mei 2012 tot …"): title-page text, not headings of the body.
    """
    if not lines:
        return 0, 0
    first = lines[0]
    page = [ln for ln in lines if ln.page == first.page]
    if first.size < HEADING_SIZE_RATIO or first.size < max(ln.size for ln in page) or _numbered_or_named(first.text) \
            or len(first.text.split()) > MAX_HEADING_WORDS or first.text.rstrip().endswith((".", ";", ":")):
        return 0, 0
    title_end = _title_end(lines, 1, first)
    body = next((k for k in range(title_end, len(lines)) if lines[k].size < HEADING_SIZE_RATIO and not lines[k].bold),
                len(lines))
    later_styles = {(ln.size, ln.bold) for ln in lines[body:]}
    sub_end = title_end
    while sub_end < body and (lines[sub_end].size, lines[sub_end].bold) not in later_styles \
            and lines[sub_end].page == first.page and not _numbered_or_named(lines[sub_end].text):
        sub_end += 1
    return title_end, sub_end


# Fewer lines than this set in a heading font past the title page do not make a document whose headings have
# fonts (an "Inhoud" heading alone); every seen corpus document with font headings has 5 or more.
MIN_FONT_HEADINGS = 3
# A caption is set smaller than the body text and in italic or bold ("ligging van het plangebied in de stad" under
# a map, without a "Figuur 2" label); body text varies by < 5 % (HEADING_SIZE_RATIO), footnotes and table cells
# are plain.
CAPTION_SIZE_RATIO = 0.95


def _set_as_caption(line: _Line) -> bool:
    return line.bold and line.size <= CAPTION_SIZE_RATIO


def _style(line: _Line) -> tuple[float, bool]:
    return (round(line.size, 2), line.bold)


# Font sizes (relative to the body) closer than this are one size: rounding in the PDF's text matrix.
SAME_SIZE = 0.02


def _more_prominent(a: tuple[float, bool], b: tuple[float, bool]) -> bool:
    """Font `a` stands out more than font `b`: larger, or as large and set in bold/italic where `b` is not."""
    return a[0] > b[0] + SAME_SIZE or (abs(a[0] - b[0]) <= SAME_SIZE and a[1] and not b[1])


def _in_run(pattern: re.Pattern, label: str, prev: _Line | None, nxt: _Line | None) -> bool:
    """A line of a run of short lines numbered one after another (A., B., C.): a list, not headings."""
    def step(other: _Line | None, delta: int) -> bool:
        m = pattern.match(other.text) if other else None
        if not m or len(other.text) > 90:
            return False
        a, b = m.group(1), label
        if a.isdigit() and b.isdigit():
            return int(a) == int(b) + delta
        return len(a) == len(b) == 1 and ord(a) == ord(b) + delta
    return step(prev, -1) or step(nxt, 1)


def _phrase(text: str) -> bool:
    """A short capitalised phrase without a final stop: one item of a list of phrases ("Verminderen van ongelijkheid")."""
    return len(text.split()) <= IMPLICIT_ITEM_WORDS and not text.rstrip().endswith((".", "!", "?", ":")) \
        and text[:1].isupper()


def _is_label(line: str, next_line: str) -> bool:
    """Short capitalised lines without final punctuation, one after another (grid cells like `Back to back`)."""
    words = line.split()
    return 0 < len(words) <= 4 and line[:1].isupper() and not line.endswith((".", ",", ";", ":")) \
        and next_line[:1].isupper() and len(next_line.split()) <= 12


def _footnote_markers(pages: list[Page]) -> dict[int, set[str]]:
    """Footnote numbers a page refers to: digits glued to a word or after punctuation ("kindcentra1 ", "jaar.2")."""
    found: dict[int, set[str]] = {}
    for page in pages:
        found[page.number] = set(re.findall(r"(?<=[a-zà-ÿ)\].,;:’”])(\d{1,2})(?=[\s,.;:)]|$)", page.text))
    return found


@dataclass
class _Continued:
    """Marks a paragraph or item that a footnote interrupted: its next line starts a new block."""

    block: Block

    @property
    def kind(self) -> str:
        return self.block.kind

    @property
    def lead_in(self) -> int:
        return self.block.lead_in


class _Builder:
    """Lays blocks out as one canonical text (lines of a paragraph joined by spaces, blocks by newlines)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0
        self.page_starts: list[tuple[int, int]] = []
        self.blocks: list[Block] = []
        # the heading path in force: (level, text, font of the heading's first line or None when unknown)
        self.path: list[tuple[int, str, tuple[float, bool] | None]] = []

    @property
    def section(self) -> str:
        return " > ".join(t for _, t, _ in self.path)

    def nest(self, level: int, style: tuple[float, bool] | None, numbered: bool) -> int:
        """The level of a heading set in `style`: below the deepest heading in force set more prominently.

        A heading in a smaller or plainer font than the one above it stands under it, whatever its own
        numbering says ("Argumenten" > "1.1 Het kindcentrum …"; "3.2.1 Omgevingsvisie" > italic "Toetsing");
        an unnumbered heading set as prominently as one in force replaces it ("Hoofdstuk 3" → "Toelichting").
        """
        if style is None:
            return level
        above = [lvl for lvl, _, st in self.path if lvl > 0 and st is not None and _more_prominent(st, style)]
        base = above[-1] if above else 0
        if numbered:
            return max(level, base + 1)
        # set exactly like a heading in force: its sibling, never above it (when all headings look alike)
        alike = [lvl for lvl, _, st in self.path if lvl > 0 and st == style]
        return max(base + 1, alike[-1] if alike else 0)

    def leave(self, level: int) -> None:
        """Close the headings at `level` and deeper (a table of contents heads nothing after it)."""
        self.path = [entry for entry in self.path if entry[0] < level]

    def emit(self, piece: str, page: int, sep: str) -> None:
        if self.parts:
            self.parts.append(sep)
            self.offset += len(sep)
        if not self.page_starts or self.page_starts[-1][1] != page:
            self.page_starts.append((self.offset, page))
        self.parts.append(piece)
        self.offset += len(piece)

    def new(self, kind: str, text: str, page: int, level: int = 0, label: str = "", lead_in: int = -1,
            cells: list[str] | None = None, style: tuple[float, bool] | None = None) -> Block:
        self.emit(text, page, "\n")
        if kind == HEADING:  # the document's title (level 0) heads only the front matter before the first heading
            self.path = [(lvl, t, st) for lvl, t, st in self.path if 0 < lvl < level] + [(level, text, style)]
        block = Block(kind, self.offset - len(text), self.offset, page, level, self.section, lead_in, label, list(cells or []))
        self.blocks.append(block)
        return block

    def extend(self, block: Block, text: str, page: int) -> None:
        self.emit(text, page, " ")
        block.end = self.offset

    def text_of(self, block: Block) -> str:
        return self._joined()[block.start : block.end]

    def _joined(self) -> str:
        if getattr(self, "_cache", (None, -1))[1] != len(self.parts):
            self._cache = ("".join(self.parts), len(self.parts))
        return self._cache[0]


def build_document(meta: DocMeta, pages: list[Page], outline: list[tuple[int, str, int]] | None = None,
                   furniture: list[tuple[int, str]] | None = None) -> Document:
    """Typed blocks and one canonical text for a cleaned document."""
    lines = _lines(pages)
    rules = _HeadingRules(lines, outline or [])
    markers = _footnote_markers(pages)
    out = _Builder()
    current: Block | None = None  # the block the next line may continue
    lead_in = -1  # the block a run of list items hangs from
    families: list[str] = []  # marker kinds of the open list, outermost first (their index is an item's depth)
    table_rows = {p.number: p.rows for p in pages}
    table, header = (0, 0), -1  # the table (page, number on the page) being read, and its header row's block
    implicit_items = False  # items without a marker after a lead-in ("Er is …;")
    in_article = False
    toc_mode = False
    after_heading = False
    title_end, skip = _title_block(lines)
    if title_end:  # the title heads the front matter (level 0); its subtitle lines are front matter
        out.new(HEADING, " ".join(ln.text for ln in lines[:title_end]), lines[0].page, 0)
        k = title_end
        while k < skip:
            end = _title_end(lines, k + 1, lines[k]) if lines[k].size > 1.0 else k + 1
            out.new(PARA, " ".join(ln.text for ln in lines[k:end]), lines[k].page)
            k = end
    for i, line in enumerate(lines):
        if skip:
            skip -= 1
            continue
        text, page = line.text, line.page
        prev = lines[i - 1] if i else None
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        current_text = out.text_of(current.block if isinstance(current, _Continued) else current) if current else ""
        # Right after a lead-in ("…de volgende hoofdstukken:") numbered and lettered lines are items.
        in_list = current is not None and current.kind in (PARA, ITEM) and current_text.rstrip().endswith(":")

        # Tables of contents: lines ending in a page number after an "Inhoud" heading, or with leader dots.
        if toc_mode and not _TOC_LINE.match(text) and not _continues(text):
            toc_mode = False
            out.leave(1)
        if _DOT_LEADER.search(text) or (toc_mode and _TOC_LINE.match(text)):
            current = out.new(TOC, text, page)
            continue
        if _TOC_HEADING.match(text):
            out.new(HEADING, text, page, 1)
            toc_mode, current, lead_in = True, None, -1
            continue

        # Table rows (found from the layout by ingest.pdf): the first row of a table is its header, the others
        # hang from it; a line holding one cell only is that cell's wrapped line and joins the row after it.
        row = table_rows.get(page, {}).get(style_key(text))
        if row is not None and not row[1]:  # a further cell or wrapped line of the row above (ingest.pdf)
            if current is not None and current.kind == TABLE_ROW and (page, row[0]) == table:
                out.extend(current, text, page)
                continue
            row = None
        if row is not None:
            number, cells = row
            after = table_rows.get(page, {}).get(style_key(nxt.text)) if nxt is not None and nxt.page == page else None
            if sum(1 for c in cells if c) == 1 and after is not None and after[0] == number and after[1] \
                    and (page, number) == table:
                text = f"{text} {nxt.text}"
                cells = [f"{a} {b}".strip() for a, b in zip(cells, after[1])]
                skip = 1
            if (page, number) != table:
                table = (page, number)
                current = out.new(TABLE_ROW, text, page, cells=cells)
                header = out.blocks.index(current)
            else:
                current = out.new(TABLE_ROW, text, page, label=cells[0], lead_in=header, cells=cells)
            lead_in, implicit_items = -1, False
            continue

        # Footnotes: a small number the page refers to, then the note's text, until its sentence ends.
        fn = _FOOTNOTE.match(text)
        first_on_page = prev is None or prev.page != page
        if fn and fn.group(1) in markers.get(page, set()) and not first_on_page and not rules.font_level(line) \
                and not rules.outline_level(line):
            block = out.new(FOOTNOTE, text, page)
            j = i + 1
            while j < len(lines) and lines[j].page == page and j - i <= 6 and not _FOOTNOTE.match(lines[j].text) and (
                    _continues(lines[j].text) or out.text_of(block).rstrip().endswith((",", ":", "-", "–", " en"))):
                out.extend(block, lines[j].text, page)
                j += 1
            skip = j - i - 1
            if current is not None and current.kind in (PARA, ITEM):  # what it interrupted goes on in a new block
                current = current if isinstance(current, _Continued) else _Continued(current)
            continue
        if (_CAPTION.match(text) or _set_as_caption(line)) and len(text.split()) <= 30:
            current = out.new(CAPTION, text, page)
            j = i + 1  # its wrapped lines, set like it
            while j < len(lines) and lines[j].page == page and _style(lines[j]) == _style(line) and _set_as_caption(lines[j]) \
                    and not _CAPTION.match(lines[j].text):
                out.extend(current, lines[j].text, page)
                j += 1
            skip = j - i - 1
            continue

        # Headings. A Markdown heading ("## 3.4 Verkeer") says its level with its hashes.
        md = _MD_HEADING.match(text)
        if md:
            title = md.group(2).strip()
            law, decimal = _LAW.match(title), _DECIMAL.match(title)
            label = f"{law.group(1)} {law.group(2) or ''}".strip() if law else decimal.group(1) if decimal else ""
            out.new(HEADING, title, page, len(md.group(1)), label)
            rules.depth = len(md.group(1))
            in_article = title.lower().startswith(("artikel", "art."))
            current, lead_in, implicit_items, after_heading = None, -1, False, True
            continue
        law = _LAW.match(text)
        if law and law.group(2) and not law.group(3) and rules.bare_number_title(line, nxt):
            # "Artikel 3" on its own line, its title on the next (wrapped or not): one heading. A law label is
            # never a list item, so a colon before it ("Hebben goedgevonden en verstaan:") does not stop it.
            kind = law.group(1).lower()
            end = _title_end(lines, i + 2, nxt)
            title = " ".join(ln.text for ln in lines[i:end])
            level = out.nest(_LAW_LEVELS.get(kind, 5), _style(nxt), True)  # the title's font: "§ 2" alone is hardly text
            out.new(HEADING, title, page, level, f"{law.group(1)} {law.group(2)}", style=_style(nxt))
            rules.depth = level
            in_article = kind.startswith(("artikel", "art."))
            current, lead_in, implicit_items, skip = None, -1, False, end - i - 1
            continue
        if rules.bare_number_title(line, nxt) and not in_list:
            heading = rules.classify(_Line(f"{text} {nxt.text}", page, nxt.size, nxt.bold), prev,
                                     lines[i + 2] if i + 2 < len(lines) else None, False)
            bare = _BARE_NUMBER.match(text)
            letter = _BARE_LETTER_LABEL.match(text)
            if heading is not None and letter:  # "B." above its title: one heading, placed as "B. Title" would be
                end = _title_end(lines, i + 2, nxt)
                by_font = not heading.label and rules.font_level(nxt) > 0
                level = out.nest(heading.level, _style(nxt), not by_font)
                out.new(HEADING, " ".join(ln.text for ln in lines[i:end]), page, level, letter.group(1), style=_style(nxt))
                rules.depth = level
                current, lead_in, implicit_items, skip = None, -1, False, end - i - 1
                in_article = False
                continue
            if heading is not None and bare:
                number = bare.group(1)
                end = _title_end(lines, i + 2, nxt)
                level = out.nest(number.count(".") + 1 + rules.appendix, _style(nxt), True)
                out.new(HEADING, " ".join(ln.text for ln in lines[i:end]), page, level, number, style=_style(nxt))
                rules.last_top = int(number.split(".")[0]) if "." not in number else rules.last_top
                rules.depth = level
                current, lead_in, implicit_items, skip = None, -1, False, end - i - 1
                in_article = False
                continue
        # A plain title wrapped after an open end in a narrow column ("Kansen voor" / "kinderen 2 (2021-2028)") is judged
        # whole: line by line, its rest read as the end of a sentence, or as a title of its own under a stray line.
        if nxt is not None and nxt.page == page and not in_list and _style(nxt) == _style(line) == (1.0, False) \
                and _OPEN_END.search(text.rstrip()) and len(nxt.text.split()) <= MAX_PLAIN_WRAP_WORDS \
                and not (current is not None and _continues(text)):
            joined = _Line(f"{text} {nxt.text}", page, line.size, line.bold)
            heading = rules.classify(joined, prev, lines[i + 2] if i + 2 < len(lines) else None, in_list, after_heading)
            # a bracket still open ("… in ondersteuning (met bijvoorbeeld", a grid cell's text) is no whole title
            if heading is not None and heading.guessed and joined.text.count("(") <= joined.text.count(")"):
                out.new(HEADING, joined.text, page, heading.level)
                current, lead_in, implicit_items, after_heading, in_article, skip = None, -1, False, True, False, 1
                continue
        # inside an article a plain "2. …" line is its second member (lid), never a heading
        member = in_article and bool(_MEMBER.match(text)) and not (line.bold or line.size >= HEADING_SIZE_RATIO)
        heading = None if (current is not None and _continues(text)) or member else rules.classify(
            line, prev, nxt, in_list, after_heading)
        after_heading = heading is not None
        if heading is not None:
            j = _title_end(lines, i + 1, line)  # a title set in the heading's font that wraps onto the next line(s)
            skip = j - i - 1
            text = " ".join(ln.text for ln in lines[i:j])
            fixed = heading.guessed or heading.from_outline
            # a heading found by its font alone takes its level from the fonts; a numbered or named one keeps its own
            by_font = not heading.label and rules.font_level(line) > 0
            level = heading.level if fixed else out.nest(heading.level, _style(line), not by_font)
            out.new(HEADING, text, page, level, heading.label, style=None if fixed else _style(line))
            if not heading.guessed:
                rules.depth = level
            if heading.label and heading.label[:1].isdigit() and "." not in heading.label:
                rules.last_top = int(re.match(r"\d+", heading.label).group())
            in_article = heading.label.lower().startswith(("artikel", "art."))
            if text.lower().startswith(("bijlage", "appendix")):
                rules.last_top, rules.appendix = 0, 1
            current, lead_in, implicit_items = None, -1, False
            continue

        # Article members (leden) and list items.
        if in_article and _MEMBER.match(text) and not in_list:
            current = out.new(PARA, text, page, label=f"lid {_MEMBER.match(text).group(1)}")
            lead_in = out.blocks.index(current) if text.rstrip().endswith(":") else -1
            continue
        base = current.block if isinstance(current, _Continued) else current
        mark = _ITEM_MARK.match(text)
        marker = mark.group(0).strip() if mark else ""
        bare = _BARE_LETTER.match(text)
        if not marker and bare and ((in_list and bare.group(1) == "a") or (
                base is not None and base.kind == ITEM and len(base.label) == 1 and base.label.isalpha()
                and ord(bare.group(1)) == ord(base.label) + 1)):
            marker = bare.group(1)
        marked = bool(marker)
        if current is not None and current.kind in (PARA, ITEM) and current_text.rstrip().endswith(":") and \
                (text[:1].isupper() or marked):
            if current.kind == PARA:  # a new list
                lead_in, families = out.blocks.index(base), []  # (a footnote may have interrupted it)
            else:  # "b. … aan de volgende eisen:" then "1° …": items one level down, still of the same lead-in
                lead_in = current.lead_in
            implicit_items = not marked
        # Items without a marker ("Er is …;" or short lines after "…zijn:"): a capitalised line starts the next
        # item when the previous one ended in ; or , or when both lines are short (not wrapped text).
        short = rules.full_line * GUESSED_HEADING_SHARE
        starts_implicit = implicit_items and current is not None and current.kind in (PARA, ITEM) and \
            text[:1].isupper() and (current_text.rstrip().endswith((":", ";", ",")) or (
                prev is not None and len(prev.text) < short and (len(text) < short or text.endswith((";", ",")))) or (
                _phrase(current_text) and _phrase(text) and not line.wraps))
        if marked or starts_implicit:
            family = _family(marker)
            if base is None or base.kind != ITEM:  # a new run of items
                families = []
            if family in families:  # back to a sibling of an outer item
                del families[families.index(family) + 1:]
            else:
                families.append(family)
            current = out.new(ITEM, text, page, label=marker, lead_in=lead_in)
            current.level = len(families) - 1  # nesting depth: 0 = the list's own items
            continue
        if isinstance(current, _Continued):
            base = current.block
            current = out.new(base.kind, text, page, label="", lead_in=base.lead_in) if (
                _continues(text) or not out.text_of(base).rstrip().endswith((".", "!", "?", ";", ":"))) else base
            if current is not base:
                continue
        # An item goes on on the next line when that line continues it, or when the item's last line filled
        # the column (wrapped) without ending its sentence; a short last line ended the item.
        if current is not None and current.kind == ITEM and (_continues(text) or (
                not current_text.rstrip().endswith((".", "!", "?", ";")) and prev is not None
                and len(prev.text) >= short)) and not _is_label(text, nxt.text if nxt else ""):
            out.extend(current, text, page)
            continue
        goes_on = current is not None and current.kind == ITEM and _list_goes_on(lines, i, families)
        if current is not None and current.kind == ITEM and not goes_on:
            lead_in, implicit_items = -1, False  # the list has ended

        label = _is_label(text, nxt.text if nxt else "")
        long_para = current is not None and len(current_text) > 300 and current_text.rstrip().endswith(
            (".", "!", "?", ";", ":")) and text[:1].isupper()
        list_ended = current is not None and current.kind == ITEM and _ends_sentence(current_text) and not goes_on
        # A block that another block (a footnote at the page's foot) came after is not extended over it: a block's
        # span is its own text, and one stretched over a footnote quotes the footnote with it.
        interrupted = current is not None and current is not out.blocks[-1]
        if current is None or label or current.kind in (LABEL, TOC, CAPTION, FOOTNOTE, TABLE_ROW) or long_para or list_ended or \
                interrupted or (current_text.rstrip().endswith(":") and text[:1].isupper()):
            current = out.new(LABEL if label else PARA, text, page)
            lead_in = -1
        else:
            out.extend(current, text, page)
    doc = Document(meta=meta, text=out._joined(), page_starts=out.page_starts, blocks=out.blocks,
                   furniture=list(furniture or []))
    _drop_lone_implicit_items(doc)
    _mark_reading_guides(doc)
    return doc


# Words with which a reading guide announces itself ("De notitie is opgebouwd volgens de volgende hoofdstukken:").
_GUIDE_WORDS = re.compile(r"\b(leeswijzer|inhoud|inhoudsopgave|hoofdstukken|opgebouwd|opbouw|paragrafen|"
                          r"chapters|contents|reading guide)\b")


def _drop_lone_implicit_items(doc: Document) -> None:
    """An unmarked "item" alone after a lead-in was a sentence that went on after a colon: a paragraph."""
    groups: dict[int, list[Block]] = {}
    for b in doc.blocks:
        if b.kind == ITEM and b.lead_in >= 0:
            groups.setdefault(b.lead_in, []).append(b)
    for items in groups.values():
        if len(items) == 1 and not items[0].label:
            items[0].kind, items[0].lead_in = PARA, -1


def _mark_reading_guides(doc: Document) -> None:
    """A list whose items name the document's own later headings is a table of contents (a leeswijzer)."""
    headings = [(i, fold(doc.text[b.start:b.end]), b.label) for i, b in enumerate(doc.blocks) if b.kind == HEADING]
    groups: dict[int, list[int]] = {}
    for i, b in enumerate(doc.blocks):
        if b.kind == ITEM and b.lead_in >= 0:
            groups.setdefault(b.lead_in, []).append(i)
    for lead, items in groups.items():
        lead_block = doc.blocks[lead]
        announces = bool(_GUIDE_WORDS.search(fold(doc.text[lead_block.start:lead_block.end]))
                         or _GUIDE_WORDS.search(fold(lead_block.section.split(" > ")[-1])))
        # the headings the list stands under are not what it lists ("5.3 Regels" over "Hoofdstuk 1 (inleidende regels)")
        own = {fold(t) for t in lead_block.section.split(" > ")}
        by_label = by_words = 0
        named: set[int] = set()  # a reading guide names different chapters, one per item
        for i in items:
            raw = fold(doc.text[doc.blocks[i].start:doc.blocks[i].end])
            label = re.match(r"^\W*([a-z]|\d{1,2})[.)]\s", raw)
            item = raw[label.end():] if label else re.sub(r"^\W+", "", raw)
            opening = re.findall(r"[a-z]{3,}", item)[:6]
            for h, title, h_label in headings:
                if h == i or h in named or title in own:
                    continue
                title_words = re.findall(r"[a-z]{3,}", re.sub(r"^\W*(?:[a-z]|\d{1,2}(?:\.\d+)*)?[.)]?\s+", "", title))
                if label and fold(h_label) == label.group(1):
                    by_label += 1
                    named.add(h)
                    break
                # the item opens with the heading's title: "Harmonisatie: veranderingen …" ~ "B. HARMONISATIE"
                if title_words and title_words[0] in opening[:3] and \
                        len(set(title_words[:3]) & set(opening)) >= min(2, len(title_words)):
                    by_words += 1
                    named.add(h)
                    break
        if len(items) >= 3 and (by_words >= 0.6 * len(items) or (announces and by_label + by_words >= 0.5 * len(items))):
            for i in [lead, *items]:
                doc.blocks[i].kind = TOC
