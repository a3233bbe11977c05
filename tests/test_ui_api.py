"""The launched app through `gradio_client`: `/ask`, uploads, the corpus file route and auth."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ikc.index import read_manifest
from ikc.settings import Settings
from ui.links import FILE_ROUTE
from ui.server import UnsafeBindError, free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ui_settings(corpus_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The session's ingested corpus, copied so uploads never touch the shared index or the repo's corpus."""
    root = tmp_path_factory.mktemp("ui-api")
    shutil.copytree(corpus_index.data_dir, root / "data")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    return Settings(data_dir=root / "data", corpus_dir=root / "corpus")


@pytest.fixture(scope="module")
def assistant(ui_settings: Settings):
    from assistant.core import Assistant

    return Assistant(ui_settings)


@pytest.fixture(scope="module")
def served(ui_settings: Settings, assistant):
    from ui.app import launch

    demo, url = launch(ui_settings, host="127.0.0.1", port=free_port(), block=False, assistant=assistant)
    yield url
    demo.close()


@pytest.fixture(scope="module")
def client(served: str):
    from gradio_client import Client

    return Client(served, verbose=False)


def assert_cited_answer(result: dict) -> None:
    assert result["refused"] is False
    assert "[1]" in result["answer"]
    assert result["citations"], result
    first = result["citations"][0]
    assert first["n"] == 1 and first["page"] >= 1 and first["text"]
    assert len(result["retrieved"]) >= 5
    assert any(first["text"] in r["text"] for r in result["retrieved"])


def test_ask_returns_the_result_format_with_citations(client):
    result = client.predict("Welke categorieën onderscheidt Lansingerland voor IKC-vorming?", api_name="/ask")
    assert_cited_answer(result)
    assert {"question", "answer", "refused", "citations", "retrieved", "latency_ms"} <= set(result)
    assert any(c["doc_id"] == "lansingerland-kennisnotitie-ikc" for c in result["citations"])
    assert result["latency_ms"] > 0


def test_bad_pdf_upload_is_reported_and_the_index_keeps_answering(client, ui_settings: Settings, tmp_path: Path):
    from gradio_client import handle_file

    before = read_manifest(ui_settings.data_dir)
    bad = tmp_path / "kapotte-notitie.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n" + b"\x00" * 200)
    report, table, *_ = client.predict([handle_file(str(bad))], api_name="/upload")
    assert "kapotte-notitie.pdf" in report and "PDF" in report and "Niet opgenomen" in report
    assert not (ui_settings.corpus_dir / "uploads" / "kapotte-notitie.pdf").exists()
    after = read_manifest(ui_settings.data_dir)
    assert after.generation == before.generation and set(after.files) == set(before.files)
    assert "Kennisnotitie IKC Lansingerland" in table
    assert_cited_answer(client.predict("Wat zijn minder goede redenen om een IKC te worden?", api_name="/ask"))


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_pdfs_are_served_from_the_corpus_folder_only(served: str, ui_settings: Settings):
    base = served.rstrip("/") + FILE_ROUTE
    pdf = (ui_settings.corpus_dir / "pdf" / "assen-notitie-ikc.pdf").resolve()
    with urllib.request.urlopen(base + str(pdf), timeout=10) as response:
        assert response.headers["content-type"] == "application/pdf"
        assert response.read(5) == b"%PDF-"
    assert _status(base + str((ui_settings.data_dir / "index" / "manifest.json").resolve())) == 403
    assert _status(base + str(pdf.parent) + "/../../data/index/manifest.json") == 403
    assert _status(base + "/etc/passwd") == 403


def test_auth_is_enforced_and_required_off_loopback(ui_settings: Settings, assistant):
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    from ui.app import launch

    with pytest.raises(UnsafeBindError):
        launch(ui_settings, host="0.0.0.0", port=free_port(), block=False, assistant=assistant)
    secured = ui_settings.model_copy(update={"ui_auth": "ann:geheim"})
    demo, url = launch(secured, host="127.0.0.1", port=free_port(), block=False, assistant=assistant)
    try:
        with pytest.raises(AuthenticationError):  # no credentials: 401
            Client(url, verbose=False)
        with pytest.raises(ValueError):
            Client(url, auth=("ann", "fout"), verbose=False)
        result = Client(url, auth=("ann", "geheim"), verbose=False).predict("Wat is een IKC?", api_name="/ask")
        assert result["citations"]
    finally:
        demo.close()


def test_evaluation_tab_runs_a_set_and_highlights_regressions(client, tmp_path: Path):
    """A two-question set against a baseline in which both passed: the impossible one must show as a regression."""
    import json

    from gradio_client import handle_file

    questions = tmp_path / "mini.jsonl"
    questions.write_text(
        json.dumps({"id": "m1", "question": "Wat is een integraal kindcentrum?", "language": "nl", "type": "definition",
                    "must_include": ["xyzzy-komt-nergens-voor"]}) + "\n"
        + json.dumps({"id": "m2", "question": "Wat is het telefoonnummer van IKC Plataan in Leeuwarden?",
                      "language": "nl", "type": "unanswerable"}) + "\n",
        encoding="utf-8",
    )
    baseline = tmp_path / "metrics.json"
    baseline.write_text(json.dumps({"overall": {"pass_rate": 1.0, "must_include_rate": 1.0},
                                    "items": {"m1": {"passed": True, "failed": []},
                                              "m2": {"passed": True, "failed": []}}}),
                        encoding="utf-8")
    status, metrics, comparison, items, files, report, *_ = client.predict(
        None, handle_file(str(questions)), "", handle_file(str(baseline)), api_name="/evaluate")
    assert status == ""
    assert "mini.jsonl" in metrics and "ikc-regression" in metrics
    assert "Achteruitgang" in comparison and "m1 now fails (must_include)" in comparison
    row_m1 = items[items.index("<code>m1</code>") - 40: items.index("<code>m2</code>")]
    assert "ikc-regression" in row_m1 and "ikc-fail" in row_m1
    assert {Path(f).name for f in files} == {"results.jsonl", "metrics.json", "report.md"}
    assert "m1" in report


def test_evaluation_tab_reports_a_malformed_set(client, tmp_path: Path):
    from gradio_client import handle_file

    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x1", "question": "Wat is een IKC?", "language": "nl"}\n{"id": "x2"}\n', encoding="utf-8")
    status, metrics, *_ = client.predict(None, handle_file(str(broken)), "", None, api_name="/evaluate")
    assert "Kan niet evalueren" in status and "broken.jsonl:2" in status and metrics == ""


def test_category_tab_gives_the_cited_category(client):
    outcome, download, sources = client.predict(
        "yes", "yes", "yes", "yes", "ja", ["doorgaande_lijn"], [], "yes", "direct", api_name="/category")
    assert "**Categorie 1 Direct starten** past het best" in outcome
    assert "Het belang van een goede doorgaande lijn" in outcome
    assert "p. 10" in sources and "#page=10" in sources and "<mark>" in sources
    exported = Path(download["value"] if isinstance(download, dict) else download).read_text(encoding="utf-8")
    assert exported.startswith("# Categorie 1 Direct starten")
    assert "## Bronnen" in exported and "- [1] Kennisnotitie IKC Lansingerland, 8. Beleidscriteria" in exported
    outcome, *_ = client.predict("maybe", "partly", "yes", "no", "nee", [], ["mode"], None, None, api_name="/category")
    assert "Categorie 2 Oriëntatie" in outcome and "in de mode" in outcome
    outcome, *_ = client.predict("no", None, None, None, None, [], [], None, None, api_name="/category")
    assert "Categorie 3 Geen belangstelling" in outcome
    # Left open is not a no: the outcome asks for it; a hesitant MR is Oriëntatie.
    outcome, *_ = client.predict("yes", "yes", "unknown", None, "ja", [], [], None, None, api_name="/category")
    assert "Categorie 1 Direct starten** past voorlopig" in outcome and "Hoe denken de ouders erover?" in outcome
    assert "niet duidelijk bij" not in outcome and "dit bepaalt de categorie" in outcome.lower()
    # A hesitant MR is Oriëntatie whatever the rest; the pace left open is still listed, as not changing it.
    outcome, *_ = client.predict("yes", "yes", "yes", "partly", "ja", [], [], "yes", None, api_name="/category")
    assert "Categorie 2 Oriëntatie** past het best" in outcome and "twijfel" in outcome
    assert "Wanneer willen jullie beginnen" in outcome and "verandert de categorie niet" in outcome
    assert "dit bepaalt de categorie" not in outcome.lower()


def test_wizard_profile_takes_the_typed_location_date_and_category(ui_settings: Settings):
    import gradio as gr

    from assistant.director.category import CategoryAnswers, decide
    from assistant.director.profile import to_markdown
    from assistant.director.walkthrough import Walkthrough
    from ui.tabs.profile_result import profile_of

    walk = Walkthrough(settings=ui_settings, location="Oud")
    walk.start()
    walk.choose("hand_in_hand")
    advice = decide(CategoryAnswers(want="no")).to_json()
    profile = profile_of(walk, " De Linde ", "2025-03-01", advice)
    assert (profile.location, profile.date, profile.levels[1]) == ("De Linde", "2025-03-01", "hand_in_hand")
    assert "Categorie 3 Geen belangstelling" in to_markdown(profile, walk.instrument)
    with pytest.raises(gr.Error):
        profile_of(walk, "De Linde", "1 maart")
