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


def _page_with_styles(page) -> tuple[str, list[tuple[str, float, bool]]]:
    """The page's text, and its text runs with their font size and weight (pypdf's text visitor)."""
    runs: list[tuple[str, float, bool]] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if not text or not text.strip():
            return
        scale = abs(tm[0] * cm[0]) or abs(tm[3] * cm[3]) or 1.0 if tm and cm else 1.0
        name = str((font_dict or {}).get("/BaseFont", "")).lower()
        # bold, black, heavy, italic or oblique: a line set wholly in it stands out from the body text
        emphasis = any(w in name for w in ("bold", "black", "heavy", "italic", "oblique"))
        runs.append((text, round(float(font_size or 0) * scale, 1), emphasis))

    text = page.extract_text(visitor_text=visit) or ""
    return text, runs


def _with_relative_styles(texts: list[str], runs: list[list[tuple[str, float, bool]]]) -> list[Page]:
    """Pages whose lines carry their font size relative to the body size (the size most characters have)."""
    sizes: Counter[float] = Counter()
    for page_runs in runs:
        for text, size, _ in page_runs:
            sizes[size] += len(text.strip())
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    pages = []
    for number, (text, page_runs) in enumerate(zip(texts, runs), start=1):
        styles: dict[str, tuple[float, bool]] = {}
        if body and len(sizes) > 1 or any(bold for _, _, bold in page_runs):
            flat = "".join(re.sub(r"[\W_]+", "", t).lower() for t, _, _ in page_runs)
            marks: list[tuple[float, bool]] = []
            run_starts: set[int] = set()
            for t, size, bold in page_runs:
                run_starts.add(len(marks))
                marks.extend([(size / body if body else 1.0, bold)] * len(re.sub(r"[\W_]+", "", t)))
            pointer = 0
            for line in text.split("\n"):
                key = style_key(line)
                if len(key) < 2:
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
                size = Counter(round(s, 2) for s, _ in span).most_common(1)[0][0]
                bold = sum(1 for _, b in span if b) > len(span) / 2
                if key not in styles or (size, bold) != (1.0, False):  # a repeated short line: keep its styled use
                    styles[key] = (size, bold)
        pages.append(Page(number, text, styles))
    return pages


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
