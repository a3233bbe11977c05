"""Turn raw extracted page text into clean text without losing where it came from.

PDF extraction leaves layout artefacts that hurt both retrieval and quoting:
hyphenated line breaks, NBSP and other odd spaces, private-use bullet glyphs from
Word's Symbol font, and running headers/footers repeated on every page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from ikc.text import BULLET, join_hyphens
from ingest.pdf import HEADING_SIZE_RATIO, Page, style_key

_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
# Private-use glyphs (Symbol/Wingdings bullets such as U+F0B7) and the usual bullet-likes.
_BULLET_GLYPHS = re.compile(r"^[ \t]*(?:[\ue000-\uf8ff]|[▪▫■□◦●○∙·–-](?=\s))[ \t]*", re.MULTILINE)
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_BARE_PAGE_NUMBER = re.compile(
    r"^\s*(?:-\s*)?(?:pagina\s+|page\s+|p\.\s*)?\d{1,4}(?:\s*(?:/|van|of)\s*\d{1,4})?(?:\s*-)?\s*$", re.IGNORECASE
)


def clean_text(text: str) -> str:
    """Clean one page's text, keeping its line structure for heading detection."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    text = _BULLET_GLYPHS.sub(f"{BULLET} ", text)
    text = _PRIVATE_USE.sub("", text)
    text = join_hyphens(text)
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _heading_number(page: Page, line: str) -> bool:
    """A bare number set larger than the body text: a chapter number on its own line above its title, not a page number."""
    return page.styles.get(style_key(line), (1.0, False))[0] >= HEADING_SIZE_RATIO


def _numbered_like_pages(occurrences: list[tuple[int, list[int]]]) -> bool:
    """The numbers in a recurring line are page furniture's: each stays the same ("van 12", "2024") or counts the
    pages ("pagina 3"). Heading labels that open many pages ("Artikel 2", "Artikel 5", …) number something else."""
    for position in range(min(len(found) for _, found in occurrences)):
        values = {found[position] for _, found in occurrences}
        offsets = {found[position] - page for page, found in occurrences}
        if len(values) > 1 and len(offsets) > 1:
            return False
    return True


def strip_page_furniture(
    pages: list[Page], edge_lines: int = 2, removed: list[tuple[int, str]] | None = None
) -> list[Page]:
    """Drop running headers/footers and bare page numbers.

    A line counts as furniture when it sits within `edge_lines` of a page's top or bottom
    and recurs (digits ignored, when they count pages or stay the same) on at least half of the pages,
    or is a bare page number.
    """
    if not pages:
        return pages
    split = [p.text.split("\n") for p in pages]
    counts: Counter[str] = Counter()
    numbers: dict[str, list[tuple[int, list[int]]]] = {}  # per key: (page, the numbers in the line) where it stands
    for page, lines in zip(pages, split):
        edges = {_furniture_key(line): line for line in lines[:edge_lines] + lines[-edge_lines:] if line.strip()}
        counts.update(edges.keys())
        for key, line in edges.items():
            numbers.setdefault(key, []).append((page.number, [int(n) for n in re.findall(r"\d+", line)]))
    threshold = max(3, (len(pages) + 1) // 2)
    repeated = {k for k, n in counts.items() if n >= threshold and len(pages) >= 3 and _numbered_like_pages(numbers[k])}
    cleaned: list[Page] = []
    for page, lines in zip(pages, split):
        keep = []
        for i, line in enumerate(lines):
            at_edge = i < edge_lines or i >= len(lines) - edge_lines
            if at_edge and (_BARE_PAGE_NUMBER.match(line) and not _heading_number(page, line)
                            or _furniture_key(line) in repeated):
                if removed is not None and line.strip():
                    removed.append((page.number, line.strip()))
                continue
            keep.append(line)
        cleaned.append(replace(page, text="\n".join(keep).strip()))
    return cleaned


def clean_pages(pages: list[Page], removed: list[tuple[int, str]] | None = None) -> list[Page]:
    """Clean every page, then remove what repeats across pages (collected in `removed` when given)."""
    return strip_page_furniture([replace(p, text=clean_text(p.text)) for p in pages], removed=removed)
