"""Chroma server mode (IKC_CHROMA_URL): a real `chroma run` from the venv, ingest and ask through it.

The vectors live on the server; manifest, windows, BM25 (and a copy of the vectors) stay in
the data dir, so a second process that only shares the data dir answers the same, and a data dir
whose server is gone says so in one line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from ikc.embedders import get_embedder
from ikc.index import IndexMissingError, IndexPaths, IndexReader, chroma_client, generation_segments, read_manifest
from ikc.settings import Settings
from ingest.pipeline import ingest_corpus
from ui.server import free_port

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
NOTES = ("assen-notitie-ikc", "huizen-het-kind-centraal")
QUESTION = "Mogen medewerkers van de peuteropvang in Assen ouders adviseren over de schoolkeuze?"


def _chroma_binary() -> Path:
    binary = Path(sys.executable).parent / "chroma"
    assert binary.exists(), f"chromadb's `chroma` command is not in {binary.parent}"
    return binary


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chroma run exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("chroma run did not answer within a minute")


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = (path / "server.log").open("w")
    process = subprocess.Popen([str(_chroma_binary()), "run", "--path", str(path / "db"), "--port", str(port),
                                "--host", "127.0.0.1"], stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def server_settings(chroma_server, tmp_path: Path, embedding_cache_file: Path) -> Settings:
    corpus = tmp_path / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    for name in NOTES:
        shutil.copy(CORPUS / "pdf" / f"{name}.pdf", corpus / "pdf")
    listed = yaml.safe_load((CORPUS / "corpus.yaml").read_text(encoding="utf-8"))["documents"]
    (corpus / "corpus.yaml").write_text(yaml.safe_dump(
        {"documents": [e for e in listed if Path(e["file"]).stem in NOTES]}), encoding="utf-8")
    data = tmp_path / "data"
    IndexPaths(data).root.mkdir(parents=True)
    shutil.copy(embedding_cache_file, IndexPaths(data).cache)
    return Settings(data_dir=data, corpus_dir=corpus, chroma_url=chroma_server[0])


def test_ingest_and_ask_through_a_chroma_server(server_settings: Settings, chroma_server) -> None:
    from assistant.core import Assistant

    url, _ = chroma_server
    report = ingest_corpus(server_settings)
    assert report.documents == 2 and not report.failed
    manifest = read_manifest(server_settings.data_dir)
    assert manifest.chroma_url == url
    assert not IndexPaths(server_settings.data_dir).chroma.exists()  # nothing embedded under the data dir
    server = chroma_client(server_settings.data_dir, url)
    collection = server.get_collection(manifest.collection)
    reader = IndexReader(server_settings.data_dir, get_embedder(server_settings), url)
    assert collection.count() == len(reader.windows) > 0 and reader.vector_source == "chroma server"

    answer = Assistant(server_settings).ask(QUESTION)
    assert not answer.refused and answer.citations[0].doc_id == "assen-notitie-ikc"

    # A UI worker elsewhere shares only the data dir: the manifest names the server.
    env = {k: v for k, v in os.environ.items() if k != "IKC_CHROMA_URL"}
    result = subprocess.run([sys.executable, "-m", "ikc", "ask", QUESTION, "--json", "--data-dir",
                             str(server_settings.data_dir)], cwd=ROOT, env={**env, "HF_HUB_OFFLINE": "1"},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    other = json.loads(result.stdout)
    assert other["answer"] == answer.answer
    assert [p["text"] for p in other["retrieved"]] == [p.text for p in answer.retrieved]

    # An added note goes into the new generation's own collection; the notes already indexed stay where they are.
    extra = server_settings.corpus_dir / "extra.md"
    extra.write_text("# Extra\n\nDe gemeente Teststad opent in 2030 een zwembad bij het kindcentrum.", encoding="utf-8")
    added = ingest_corpus(server_settings)
    assert added.added == ["extra.md"] and 0 < added.stored < len(reader.windows)
    second = read_manifest(server_settings.data_dir)
    assert set(generation_segments(server_settings.data_dir, second.generation).values()) == {
        manifest.collection, second.collection}
    result = subprocess.run([sys.executable, "-m", "ikc", "ask", "Wat opent Teststad in 2030?", "--json", "--data-dir",
                             str(server_settings.data_dir)], cwd=ROOT, env={**env, "HF_HUB_OFFLINE": "1"},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "zwembad" in json.loads(result.stdout)["answer"]

    # Collections that neither the live generation nor the one before it uses are deleted from the server.
    assert ingest_corpus(server_settings).unchanged
    assert ingest_corpus(server_settings, rebuild=True).documents == 3
    extra.write_text("# Extra\n\nDe gemeente Teststad opent in 2031 een bibliotheek.", encoding="utf-8")
    assert ingest_corpus(server_settings).updated == ["extra.md"]
    fourth = read_manifest(server_settings.data_dir)
    names = {c.name for c in server.list_collections()}
    assert fourth.collection in names and not {manifest.collection, second.collection} & names


def test_collections_of_other_data_dirs_on_the_server_are_left_alone(server_settings: Settings, tmp_path: Path,
                                                                        embedding_cache_file: Path) -> None:
    ingest_corpus(server_settings)
    mine = read_manifest(server_settings.data_dir).collection
    other = server_settings.model_copy(update={"data_dir": tmp_path / "other-data", "chroma_token": "geheim-token"})
    IndexPaths(other.data_dir).root.mkdir(parents=True)
    shutil.copy(embedding_cache_file, IndexPaths(other.data_dir).cache)
    ingest_corpus(other)
    ingest_corpus(other, rebuild=True)
    ingest_corpus(other, rebuild=True)
    names = {c.name for c in chroma_client(other.data_dir, other.chroma_url).list_collections()}
    assert mine in names  # pruning the other data dir's generations never touched this one's
    assert "geheim-token" not in IndexPaths(other.data_dir).manifest.read_text(encoding="utf-8")
    assert IndexReader(server_settings.data_dir, get_embedder(server_settings), server_settings.chroma_url).windows


def test_a_server_that_is_gone_is_one_line(server_settings: Settings) -> None:
    port = free_port()
    gone = server_settings.model_copy(update={"chroma_url": f"http://127.0.0.1:{port}"})
    with pytest.raises(IndexMissingError, match=rf"^the Chroma server at http://127.0.0.1:{port} does not answer"):
        ingest_corpus(gone)
    assert read_manifest(gone.data_dir) is None
