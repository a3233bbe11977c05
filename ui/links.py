"""Links that open a source file at a page, served only from the corpus folder.

The app allows Gradio's file route for the corpus folder alone (`allowed_paths`); these helpers
make sure a link is only ever built for a file that really lies inside it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

FILE_ROUTE = "/gradio_api/file="


def corpus_file(corpus_dir: Path, rel_path: str) -> Path | None:
    """The file `rel_path` names inside the corpus folder, or None if it is missing or escapes it."""
    if not rel_path:
        return None
    root = Path(corpus_dir).resolve()
    candidate = (root / rel_path).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def page_link(corpus_dir: Path, rel_path: str, page: int) -> str | None:
    """URL opening the file at `page` (PDF viewers honour `#page=N`), or None when not servable."""
    path = corpus_file(corpus_dir, rel_path)
    if path is None:
        return None
    url = FILE_ROUTE + quote(str(path))
    return f"{url}#page={int(page)}" if path.suffix.lower() == ".pdf" else url
