"""Read a source file into 1-based pages, or fail with one line a person understands."""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {".pdf", ".txt", ".md"}
# How other formats start, to name what a mis-named .txt/.md file really is.
MAGIC = {b"%PDF-": "a PDF", b"PK\x03\x04": "a ZIP or Office file", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
         b"GIF8": "a GIF image", b"\xd0\xcf\x11\xe0": "an old Office file", b"{\\rtf": "an RTF file", b"\x7fELF": "a program"}
# A text file has (almost) no C0 control characters besides tab, newline, carriage return and form feed.
MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


# pypdf warns about damage it repairs or gives up on ("EOF marker not found"): the one-line reason of a
# skipped file already says it, so its warnings stay out of the user's terminal (errors still pass).
logging.getLogger("pypdf").setLevel(logging.ERROR)


class BadInputError(Exception):
    """A file we cannot ingest; the message is the reason shown to the user."""


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as a reader sees it in the PDF viewer
    text: str
    # Font of each line, keyed by `style_key(line)`: (size relative to the body size, set in bold or italic).
    styles: dict[str, tuple[float, bool]] = field(default_factory=dict, compare=False)
    # Lines that are rows of a table found from the layout, keyed like `styles`: (table number on the page,
    # the text of each column's cell, "" where the row has none). The first row of a table is its header.
    rows: dict[str, tuple[int, list[str]]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    pages: list[Page]
    pdf_title: str | None = None
    # The PDF's outline (bookmarks): (depth, title, page number), in reading order; empty when it has none.
    outline: list[tuple[int, str, int]] = field(default_factory=list)


def style_key(line: str) -> str:
    """How a line is looked up in `Page.styles` after cleaning (letters and digits of its first 40)."""
    return re.sub(r"[\W_]+", "", line)[:40].lower()


def read_source(path: Path, max_mb: float, min_chars_per_page: int = 20) -> SourceFile:
    """Read a PDF page by page, or a text/markdown file as one page.

    Every way a file can be unusable maps to a BadInputError with a plain reason,
    so one bad file never stops the others.
    """
    size = path.stat().st_size
    if size == 0:
        raise BadInputError("empty file (0 bytes)")
    if size > max_mb * 1024 * 1024:
        raise BadInputError(f"file is {size / 1024 / 1024:.1f} MB, over the {max_mb:g} MB limit")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _read_pdf(path, min_chars_per_page)
    if suffix in {".txt", ".md"}:
        return SourceFile(path=path, pages=[Page(1, _read_text(path, suffix))])
    raise BadInputError(f"unsupported file type {suffix!r} (use PDF, TXT or MD)")


def _read_text(path: Path, suffix: str) -> str:
    """A text/markdown file's text; binary content under a text name is refused, not indexed as garbage."""
    data = path.read_bytes()
    for magic, kind in MAGIC.items():
        if data.lstrip()[: len(magic)] == magic:
            raise BadInputError(f"not a text file: it is {kind} renamed to {suffix}")
    if b"\x00" in data[:65536]:
        raise BadInputError(f"not a text file (binary content) although it is named {suffix}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if len(_CONTROL.findall(text)) > MAX_CONTROL_SHARE * max(len(text), 1):
        raise BadInputError(f"not a text file (binary content) although it is named {suffix}")
    if not text.strip():
        raise BadInputError("the file contains no text")
    return text


def _read_pdf(path: Path, min_chars_per_page: int) -> SourceFile:
    with warnings.catch_warnings():  # pypdf's PdfReadWarning: repaired damage, not news for the user
        warnings.simplefilter("ignore")
        return _read_pdf_quietly(path, min_chars_per_page)


def _read_pdf_quietly(path: Path, min_chars_per_page: int) -> SourceFile:
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise BadInputError("not a PDF file (no PDF header); is it another format renamed to .pdf?")
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # pypdf raises several types for unsupported crypto
                ok = 0
            if not ok:
                raise BadInputError("the PDF is encrypted (password protected); save an unprotected copy")
        texts, runs = [], []
        for page in reader.pages:
            text, styled = _page_with_styles(page)
            texts.append(text)
            runs.append(styled)
        pages = _with_relative_styles(texts, runs)
        meta = reader.metadata
        title = str(meta.title).strip() if meta and meta.title else None
        outline = _outline(reader)
    except BadInputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise BadInputError(f"the PDF is damaged or truncated and cannot be read ({type(exc).__name__})") from exc
    except Exception as exc:  # pypdf can fail in many internal ways on broken files
        log.debug("unexpected pypdf failure on %s", path, exc_info=True)
        raise BadInputError(f"the PDF is damaged and cannot be read ({type(exc).__name__})") from exc
    if not pages:
        raise BadInputError("the PDF has no pages")
    text_chars = sum(len(p.text.strip()) for p in pages)
    if text_chars < min_chars_per_page * len(pages):
        raise BadInputError("the PDF has no text layer (a scan?); run OCR first, then upload again")
    return SourceFile(path=path, pages=pages, pdf_title=title or None, outline=outline)


def _page_with_styles(page) -> tuple[str, list[tuple[str, float, bool, float]]]:
    """The page's text, and its text runs with their font size, weight and left edge (pypdf's text visitor)."""
    runs: list[tuple[str, float, bool, float]] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if not text or not text.strip():
            return
        scale = abs(tm[0] * cm[0]) or abs(tm[3] * cm[3]) or 1.0 if tm and cm else 1.0
        name = str((font_dict or {}).get("/BaseFont", "")).lower()
        # bold, black, heavy, italic or oblique: a line set wholly in it stands out from the body text
        emphasis = any(w in name for w in ("bold", "black", "heavy", "italic", "oblique"))
        x = float(tm[4] * cm[0] + tm[5] * cm[2] + cm[4]) if tm and cm else 0.0
        runs.append((text, round(float(font_size or 0) * scale, 1), emphasis, x))

    text = page.extract_text(visitor_text=visit) or ""
    return text, runs


def _with_relative_styles(texts: list[str], runs: list[list[tuple[str, float, bool, float]]]) -> list[Page]:
    """Pages whose lines carry their font size relative to the body size (the size most characters have),
    and whose table rows carry their cells (see `_table_rows`)."""
    sizes: Counter[float] = Counter()
    for page_runs in runs:
        for text, size, _, _ in page_runs:
            sizes[size] += len(text.strip())
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    pages = []
    for number, (text, page_runs) in enumerate(zip(texts, runs), start=1):
        styles: dict[str, tuple[float, bool]] = {}
        placed: list[tuple[str, list[tuple[float, str]]]] = []  # each line with its runs' (left edge, text)
        if page_runs:
            flat = "".join(re.sub(r"[\W_]+", "", t).lower() for t, _, _, _ in page_runs)
            marks: list[tuple[float, bool]] = []
            owner: list[int] = []  # the run each character of `flat` comes from
            run_starts: set[int] = set()
            lone: dict[str, list[int]] = {}  # runs that are one letter or digit ("1" above "Inleiding"), by character
            for r, (t, size, bold, _) in enumerate(page_runs):
                run_starts.add(len(marks))
                n = len(re.sub(r"[\W_]+", "", t))
                if n == 1:
                    lone.setdefault(re.sub(r"[\W_]+", "", t).lower(), []).append(len(marks))
                marks.extend([(size / body if body else 1.0, bold)] * n)
                owner.extend([r] * n)
            pointer = 0
            for line in text.split("\n"):
                key = style_key(line)
                if len(key) < 2:
                    # a line of one character is found as a run of that one character (not as the start of a longer
                    # run, which would move the pointer past lines still to come); it keeps its styled use
                    at = next((a for a in lone.get(key, []) if a >= pointer), -1) if key else -1
                    if at >= 0:
                        placed.append((line, [(page_runs[owner[at]][3], page_runs[owner[at]][0].strip())]))
                        if key not in styles or marks[at] != (1.0, False):
                            styles[key] = (round(marks[at][0], 2), marks[at][1])
                    continue
                at = flat.find(key[:12], pointer)
                while at >= 0 and at not in run_starts:  # a line starts a text run: skip matches inside words
                    nxt = flat.find(key[:12], at + 1)
                    if nxt < 0:
                        break
                    at = nxt
                if at < 0:
                    continue
                span = marks[at : at + len(key)]
                # past this line's own characters: a later line that repeats its opening words (a title under a
                # running header that starts with the same word) must not be matched inside this one
                pointer = at + len(key)
                line_runs = sorted(set(owner[at : at + len(re.sub(r"[\W_]+", "", line))]))
                placed.append((line, [(page_runs[r][3], page_runs[r][0].strip()) for r in line_runs]))
                if not (body and len(sizes) > 1 or any(b for _, _, b, _ in page_runs)):
                    continue
                size = Counter(round(s, 2) for s, _ in span).most_common(1)[0][0]
                bold = sum(1 for _, b in span if b) > len(span) / 2
                if key not in styles or (size, bold) != (1.0, False):  # a repeated short line: keep its styled use
                    styles[key] = (size, bold)
        pages.append(Page(number, text, styles, _table_rows(placed)))
    return pages


# A line set this much larger than the body text is a heading (fpdf2, Word and LibreOffice
# headings in the test corpora are 1.15-2x the body size; body text varies by < 5%).
HEADING_SIZE_RATIO = 1.12
# Text runs whose left edges lie within this many points stand in one column (fpdf2 and reportlab place every
# cell of a column at the same x; word-by-word placement of body text does not repeat x this closely).
COLUMN_TOLERANCE_PT = 2.0
# A table has a header and at least this many rows under it, each with cells in at least two columns.
MIN_TABLE_ROWS = 2
# Table cells are short: a line of a text column or a list item's text runs longer (the cells of the tables
# in kinds-dev hold at most 20 characters; a narrow text column in the notes holds ~45 per line). Measured per
# line of a cell: a cell that wraps holds more (kinds-dev2's criteria table: 74 characters on two lines of 38).
MAX_CELL_CHARS = 40
# A first "column" of list markers (a., 1°, •) with the item text indented after it is a list, not a table.
_MARKER_CELL = re.compile(r"^(?:[•◦▪■●○∙·\-–*]|\(?[0-9a-zA-Z]{1,3}[.)°])$")


def _cells(line_runs: list[tuple[float, str]]) -> list[tuple[float, str, int]]:
    """A line's runs as cells (left edge, text, length of its longest run): runs starting at (nearly) the same x
    are one cell, a cell's wrapped lines, which a PDF reader may return as one line of text with the row."""
    cells: list[tuple[float, str, int]] = []
    for x, raw in line_runs:
        text = " ".join(raw.split())  # justified cells come out with runs of spaces
        if cells and abs(x - cells[-1][0]) <= COLUMN_TOLERANCE_PT:
            cells[-1] = (cells[-1][0], f"{cells[-1][1]} {text}".strip(), max(cells[-1][2], len(text)))
        else:
            cells.append((x, text, len(text)))
    return cells


def _table_rows(placed: list[tuple[str, list[tuple[float, str]]]]) -> dict[str, tuple[int, list[str]]]:
    """Rows of tables found from the layout: a line with cells in two or more columns, followed by at least
    `MIN_TABLE_ROWS` lines whose cells all start in its columns (a line holding one cell, a cell's wrapped
    line, belongs to the table too). Returns `Page.rows`."""
    rows: dict[str, tuple[int, list[str]]] = {}
    number, i = 0, 0
    while i < len(placed):
        head = _cells(placed[i][1])
        # a header may open with a marker-like cell ("Nr."): whether the rows are list items is told by the rows
        if len(head) < 2 or any(longest > MAX_CELL_CHARS for _, _, longest in head):
            i += 1
            continue
        columns = [x for x, _, _ in head]
        body = _table_body(placed, i + 1, columns)
        full = [cells for _, cells in body if sum(1 for c in cells if c) >= 2]
        markers = sum(1 for cells in full if _MARKER_CELL.match(cells[0]))
        if len(full) < MIN_TABLE_ROWS or markers > len(full) / 2:
            i += 1
            continue
        number += 1
        rows[style_key(placed[i][0])] = (number, [text for _, text, _ in head])
        for line, cells in body:
            rows[style_key(line)] = (number, cells)
        i += 1 + len(body)
    return rows


def _table_body(placed: list[tuple[str, list[tuple[float, str]]]], j: int, columns: list[float]) -> list[tuple[str, list[str]]]:
    """The lines from `j` on that are rows under a header with these columns: every cell starts in a column
    and is short. A line with one cell only is part of a row: of the fuller row right after it (a wrapped cell
    set above the row's middle), or of the row it follows when a PDF reader returns a row's cells one per line
    ("1" / "Geen van de ouders …" / "Vragenlijst ouders"); such a line is listed with no cells ([]), its text
    added to the row's cells. A row starts in the first column."""

    def column(x: float) -> int:
        return next((c for c, cx in enumerate(columns) if abs(x - cx) <= COLUMN_TOLERANCE_PT), -1)

    body: list[tuple[str, list[str]]] = []
    row = -1  # index in `body` of the row the lines are filling
    for k in range(j, len(placed)):
        cells = _cells(placed[k][1])
        if not cells or any(column(x) < 0 or longest > MAX_CELL_CHARS for x, _, longest in cells):
            break
        by_column = [""] * len(columns)
        for x, text, _ in cells:
            by_column[column(x)] = text
        if len(cells) == 1:
            after = _cells(placed[k + 1][1]) if k + 1 < len(placed) else []
            fuller_next = len(after) >= 2 and all(column(x) >= 0 for x, _, _ in after)
            starts_row = column(cells[0][0]) == 0 and (row < 0 or any(body[row][1][1:]))
            if not fuller_next and not starts_row:
                if row < 0:
                    break
                c = column(cells[0][0])  # a further cell, or a wrapped line, of the row being filled
                body[row][1][c] = f"{body[row][1][c]} {cells[0][1]}".strip()
                body.append((placed[k][0], []))
                continue
        body.append((placed[k][0], by_column))
        row = len(body) - 1
    if row >= 0 and sum(1 for c in body[row][1] if c) < 2:
        del body[row:]  # a short line under the table (a heading at the margin) that no further cell joined
    return body


def _outline(reader) -> list[tuple[int, str, int]]:
    """Bookmarks as (depth, title, page number); a broken outline counts as none."""
    out: list[tuple[int, str, int]] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            try:
                out.append((depth, str(item.title).strip(), reader.get_destination_page_number(item) + 1))
            except Exception:  # a dangling destination: skip that bookmark
                log.debug("outline item without page", exc_info=True)

    try:
        walk(reader.outline, 1)
    except Exception:
        log.debug("unreadable outline", exc_info=True)
        return []
    return [o for o in out if o[1]]
