"""Read a source file into 1-based pages, or fail with one line a person understands."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {".pdf", ".txt", ".md"}


class BadInputError(Exception):
    """A file we cannot ingest; the message is the reason shown to the user."""


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as a reader sees it in the PDF viewer
    text: str


@dataclass(frozen=True)
class SourceFile:
    path: Path
    pages: list[Page]
    pdf_title: str | None = None


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
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            text = path.read_text(encoding="latin-1")
        if not text.strip():
            raise BadInputError("the file contains no text")
        return SourceFile(path=path, pages=[Page(1, text)])
    raise BadInputError(f"unsupported file type {suffix!r} (use PDF, TXT or MD)")


def _read_pdf(path: Path, min_chars_per_page: int) -> SourceFile:
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
        pages = [Page(i + 1, page.extract_text() or "") for i, page in enumerate(reader.pages)]
        meta = reader.metadata
        title = str(meta.title).strip() if meta and meta.title else None
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
    return SourceFile(path=path, pages=pages, pdf_title=title or None)
