"""What the pickers offer: documents and municipalities from the index manifest (and the filter dict
the Assistant takes), question sets and saved baselines from their folders."""

from __future__ import annotations

from pathlib import Path

from ikc.index import Manifest


def document_choices(manifest: Manifest | None) -> list[tuple[str, str]]:
    """(label, doc_id) per ingested note, by title."""
    if manifest is None:
        return []
    records = sorted(manifest.files.values(), key=lambda r: r.title.lower())
    return [(f"{r.title} ({r.municipality})" if r.municipality else r.title, r.doc_id) for r in records]


def doc_files(manifest: Manifest | None) -> dict[str, str]:
    """doc_id → the file's path in the corpus folder."""
    return {r.doc_id: r.path for r in manifest.files.values()} if manifest else {}


def municipality_choices(manifest: Manifest | None) -> list[str]:
    if manifest is None:
        return []
    return sorted({r.municipality for r in manifest.files.values() if r.municipality}, key=str.lower)


def filters_from(doc_ids: list[str] | None, municipalities: list[str] | None) -> dict | None:
    """`{"doc_id": [...], "municipality": [...]}` with empty parts left out; None when nothing is chosen."""
    filters = {k: list(v) for k, v in (("doc_id", doc_ids), ("municipality", municipalities)) if v}
    return filters or None


def eval_sets(folder: Path) -> list[tuple[str, str]]:
    """(file name, path) of the question sets (`*.jsonl`) in `folder`."""
    return [(p.name, str(p)) for p in sorted(Path(folder).glob("*.jsonl"))]


def baselines(folder: Path) -> list[tuple[str, str]]:
    """(label, path) of saved runs below `folder`: their results.jsonl, else their metrics.json."""
    found = []
    for run_dir in sorted({p.parent for p in Path(folder).rglob("*") if p.name in ("results.jsonl", "metrics.json")}):
        path = run_dir / "results.jsonl" if (run_dir / "results.jsonl").exists() else run_dir / "metrics.json"
        found.append((str(path.relative_to(folder)), str(path)))
    return found
