"""Fixtures for the instrument tests: the note's pages read once, and one placer (embedder + descriptor
vectors) for the whole session. Registered with `pytest_plugins = ["conftest_instrument"]`."""

from __future__ import annotations

from pathlib import Path

import pytest

from ikc.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
NOTE_PDF = ROOT / "corpus" / "pdf" / "lansingerland-kennisnotitie-ikc.pdf"


@pytest.fixture(scope="session")
def note_pages() -> dict[int, str]:
    """Page number -> cleaned text of the Lansingerland note, as ingest reads it (pypdf + clean)."""
    from ingest.clean import clean_pages
    from ingest.pdf import read_source

    return {p.number: p.text for p in clean_pages(read_source(NOTE_PDF, max_mb=50).pages)}


@pytest.fixture(scope="session")
def instrument_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings with a data dir of their own, so the shared placer's embedding cache lives there."""
    return Settings(data_dir=tmp_path_factory.mktemp("instrument-data"), corpus_dir=ROOT / "corpus")


@pytest.fixture(scope="session")
def placer(instrument_settings: Settings):
    from assistant.director.placement import get_placer

    placer = get_placer(instrument_settings)
    placer.warm()
    return placer
