"""What the filters offer, read from the index manifest, and the filter dict the Assistant takes."""

from __future__ import annotations

from ikc.index import Manifest


def document_choices(manifest: Manifest | None) -> list[tuple[str, str]]:
    """(label, doc_id) per ingested note, by title."""
    if manifest is None:
        return []
    records = sorted(manifest.files.values(), key=lambda r: r.title.lower())
    return [(f"{r.title} ({r.municipality})" if r.municipality else r.title, r.doc_id) for r in records]


def municipality_choices(manifest: Manifest | None) -> list[str]:
    if manifest is None:
        return []
    return sorted({r.municipality for r in manifest.files.values() if r.municipality}, key=str.lower)


def filters_from(doc_ids: list[str] | None, municipalities: list[str] | None) -> dict | None:
    """`{"doc_id": [...], "municipality": [...]}` with empty parts left out; None when nothing is chosen."""
    filters = {k: list(v) for k, v in (("doc_id", doc_ids), ("municipality", municipalities)) if v}
    return filters or None
