"""`ikc ask` and `ikc ui` through the assembled CLI (ingest, eval and instrument have their own test files)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ikc.cli import app
from ikc.index import read_manifest
from ikc.settings import Settings

QUESTION = "Welke organisatie is de grootste aanbieder van buitenschoolse opvang in Lansingerland?"


def test_help_lists_every_command_group() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "ask", "eval", "ui", "instrument", "walkthrough"):
        assert re.search(rf"│ {command}\s", result.stdout), command


def test_ask_json_gives_one_result_object_with_citations(corpus_index: Settings) -> None:
    result = CliRunner().invoke(app, ["ask", QUESTION, "--json", "--data-dir", str(corpus_index.data_dir)])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert not answer["refused"] and answer["citations"]
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer["answer"])} == {c["n"] for c in answer["citations"]}


def test_ask_filters_by_document_and_prints_sources(corpus_index: Settings) -> None:
    result = CliRunner().invoke(app, ["ask", "Wat is een integraal kindcentrum?", "--doc", "vng-vaart-maken",
                                      "--data-dir", str(corpus_index.data_dir)])
    assert result.exit_code == 0, result.output
    sources = re.findall(r"^  \[\d+\] (.+), p\. \d+", result.stdout, flags=re.M)
    assert sources and all(s.startswith("Vaart maken") for s in sources)


def test_ask_without_a_question_reads_several_and_follow_ups_use_the_history(corpus_index: Settings) -> None:
    stdin = "Welke IKC's van Proloog komen in aanmerking voor het Plus-predicaat?\nEn welke van PCBO?\n\n"
    result = CliRunner().invoke(app, ["ask", "--json", "--data-dir", str(corpus_index.data_dir)], input=stdin)
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [a["question"] for a in answers][1] == "En welke van PCBO?" and len(answers) == 2
    assert not answers[1]["refused"]
    assert any("Kinderkoepel" in p["text"] for p in answers[1]["retrieved"][:5])  # PCBO's, found via the history


def test_ask_without_an_index_says_so_and_exits_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["ask", QUESTION, "--data-dir", str(tmp_path / "empty")])
    assert result.exit_code == 1
    said = " ".join(result.output.split())  # rich wraps long lines
    assert "run `ikc ingest` first" in said and "Traceback" not in said


def test_ui_refuses_an_open_bind_without_a_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IKC_UI_AUTH", raising=False)
    result = CliRunner().invoke(app, ["ui", "--host", "0.0.0.0", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 1 and "Not starting" in result.output
    assert not (tmp_path / "data").exists()  # refused before ingesting anything


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """`ui.app.launch` recording its call instead of serving (it would block)."""
    import ui.app

    calls: list[dict] = []
    monkeypatch.setattr(ui.app, "launch", lambda settings, **kw: calls.append({"settings": settings, **kw}))
    return calls


def test_ui_ingests_first_when_there_is_no_index_then_launches(tmp_path: Path, monkeypatch, launched) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.md").write_text("# Kindcentrum De Linde\n\nDe Linde biedt onderwijs en opvang onder één dak "
                                    "voor kinderen van nul tot twaalf jaar in de wijk.\n", encoding="utf-8")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    monkeypatch.setenv("IKC_CORPUS_DIR", str(corpus))
    data = tmp_path / "data"
    result = CliRunner().invoke(app, ["ui", "--port", "7999", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert "ingesting" in result.output and "skipped" in result.output  # a bad file does not stop the UI
    manifest = read_manifest(data)
    assert manifest is not None and [f.doc_id for f in manifest.files.values()] == ["note"]
    assert len(launched) == 1 and launched[0]["port"] == 7999 and launched[0]["block"] is True
    assert launched[0]["settings"].data_dir == data


def test_ui_does_not_launch_when_ingest_fails(tmp_path: Path, monkeypatch, launched) -> None:
    monkeypatch.setenv("IKC_CORPUS_DIR", str(tmp_path / "no-such-corpus"))
    result = CliRunner().invoke(app, ["ui", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 1 and "Ingest failed" in result.output
    assert launched == []
