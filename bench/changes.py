"""Edits to a corpus for the re-ingest benchmark: a real PDF gains a page of new text.

pypdf cannot lay out text, so the page is written as a plain content stream
(Helvetica, WinAnsi); pypdf's own extractor reads it back like any other page.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

PAGE_W, PAGE_H = 595, 842  # A4 in points


def _pdf_string(line: str) -> bytes:
    raw = line.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_page_stream(text: str, width_chars: int = 90) -> bytes:
    """A content stream drawing `text` as left-aligned lines from the top of the page."""
    lines = [line for para in text.split("\n") for line in (textwrap.wrap(para, width_chars) or [""])]
    parts = [b"BT /F1 10 Tf 13 TL 56 790 Td"]
    for line in lines:
        parts.append(_pdf_string(line) + b" Tj T*")
    parts.append(b"ET")
    return b"\n".join(parts)


def append_text_page(src: Path, dst: Path, text: str) -> None:
    """Copy the PDF `src` to `dst` with one extra page holding `text`."""
    writer = PdfWriter(clone_from=str(src))
    page = writer.add_blank_page(width=PAGE_W, height=PAGE_H)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(text_page_stream(text))
    page[NameObject("/Contents")] = writer._add_object(stream)
    with dst.open("wb") as fh:
        writer.write(fh)
