"""A corpus of a few real notes in a tmp dir, for tests that ingest: one copy for every test module that needs it."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from ikc.index import IndexPaths
from ikc.settings import Settings

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
ASSEN, HUIZEN = "assen-notitie-ikc", "huizen-het-kind-centraal"


def small_corpus(tmp_path: Path, cache: Path, names: tuple[str, ...] = (ASSEN, HUIZEN), name: str = "") -> Settings:
    """Real notes with their corpus.yaml entries (a listed file that is missing would be reported), and the
    session's embedding cache seeded; `name` keeps several such corpora apart in one tmp dir."""
    prefix = f"{name}-" if name else ""
    corpus = tmp_path / f"{prefix}corpus"
    (corpus / "pdf").mkdir(parents=True)
    for note in names:
        shutil.copy(CORPUS / "pdf" / f"{note}.pdf", corpus / "pdf")
    listed = yaml.safe_load((CORPUS / "corpus.yaml").read_text(encoding="utf-8"))["documents"]
    (corpus / "corpus.yaml").write_text(yaml.safe_dump(
        {"documents": [e for e in listed if Path(e["file"]).stem in names]}, allow_unicode=True), encoding="utf-8")
    data = tmp_path / f"{prefix}data"
    IndexPaths(data).root.mkdir(parents=True)
    shutil.copy(cache, IndexPaths(data).cache)
    return Settings(data_dir=data, corpus_dir=corpus)
