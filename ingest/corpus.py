"""Find the source files of a corpus folder and their metadata from `corpus.yaml`."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from ikc.records import DocMeta
from ingest.pdf import SUPPORTED_SUFFIXES

METADATA_FILE = "corpus.yaml"


def discover(corpus_dir: Path) -> list[Path]:
    """Source files below the corpus folder, in a stable order; hidden files and folders are skipped."""
    files = [
        p for p in corpus_dir.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(corpus_dir).parts)
    ]
    return sorted(files, key=lambda p: str(p.relative_to(corpus_dir)))


def load_metadata(corpus_dir: Path) -> dict[str, dict]:
    """Entries of corpus.yaml keyed by their file path relative to the corpus folder."""
    path = corpus_dir / METADATA_FILE
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(Path(d["file"])): d for d in data.get("documents", []) if d.get("file")}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "document"


def doc_meta(rel_path: str, entry: dict | None, pdf_title: str | None) -> DocMeta:
    """Metadata from corpus.yaml when listed; otherwise from the PDF's title or the file name."""
    stem = Path(rel_path).stem
    if entry:
        return DocMeta(
            doc_id=str(entry.get("id") or slug(stem)),
            title=str(entry.get("title") or pdf_title or stem),
            municipality=str(entry.get("municipality") or ""),
            year=str(entry.get("year") or ""),
            file=rel_path,
        )
    return DocMeta(doc_id=slug(stem), title=pdf_title or stem.replace("-", " ").replace("_", " "), file=rel_path)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
