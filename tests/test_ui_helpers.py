"""The UI's pure helpers (no Gradio): escaping, quote highlighting, links, export, uploads, bind rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.types import Answer
from ikc.index import read_manifest
from ikc.records import Citation, Passage
from ikc.settings import Settings
from ui import render
from ui.catalog import document_choices, filters_from, municipality_choices
from ui.conversation import Conversation
from ui.links import page_link
from ui.server import UnsafeBindError, check_bind, is_loopback, parse_auth
from ui.uploads import add_uploads, check_upload, safe_name

PAYLOAD = "<img src=x onerror=alert(1)>"
ROOT = Path(__file__).resolve().parents[1]


def passage(text: str, chunk_id: str = "c1", page: int = 4, **kw) -> Passage:
    base = dict(chunk_id=chunk_id, doc_id="d", title="Notitie", municipality="Assen", page=page, page_end=page,
                section="2. Visie", text=text, score=0.5, file="pdf/assen-notitie-ikc.pdf")
    return Passage(**{**base, **kw})


def no_links(doc_id: str, path: str, page: int) -> None:
    return None


# --- escaping -------------------------------------------------------------------------------


def test_escape_markdown_shows_html_and_markdown_syntax_as_text():
    out = render.escape_markdown(f"{PAYLOAD} **vet** [link](javascript:alert(1)) `code`")
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "\\*\\*vet\\*\\*" in out and "\\[link\\]" in out and "\\`code\\`" in out


def test_escape_markdown_keeps_bullets_but_not_headings():
    out = render.escape_markdown("- een\n- twee\n# kop\n---")
    assert out.startswith("- een\n- twee\n") and "\\# kop" in out and "\\---" in out


def test_chat_markdown_keeps_citation_markers_and_escapes_the_rest():
    out = render.chat_markdown(f"Zo staat het [1] en ook [12]. {PAYLOAD}")
    assert "<sup>[1]</sup>" in out and "<sup>[12]</sup>" in out
    assert "<img" not in out


def close(text: str, page: int, dense: float, chunk_id: str = "c1") -> Passage:
    """A retrieved passage whose best window has this dense similarity to the question."""
    return passage(text, chunk_id=chunk_id, page=page, hits=[(0, len(text), dense)])


def test_refusal_is_labelled_and_lists_only_passages_above_the_floor():
    near, far = close("Dichtbij.", 4, 0.86, "a"), close("Ver weg.", 9, 0.77, "b")
    answer = Answer("q", "De notities zeggen hier niets over. Mogelijk relevant:\n- Notitie, p. 4\n- Notitie, p. 9",
                    retrieved=[near, far], refused=True)
    out = render.answer_message(answer)
    assert out.startswith("**Niet gevonden in de notities**") and "Mogelijk relevant" in out
    assert "p. 4" in out and "p. 9" not in out
    off_topic = Answer("q", "De notities zeggen hier niets over. Mogelijk relevant:\n- Notitie, p. 9",
                       retrieved=[far], refused=True)
    assert "Mogelijk relevant" not in render.answer_message(off_topic)
    english = render.answer_message(Answer("q", "The notes don't cover this. Possibly relevant (mogelijk relevant):",
                                           retrieved=[near], refused=True, language="en"), "en")
    assert english.startswith("**Not in the notes**") and "Possibly relevant:" in english


def test_citation_markers_link_to_their_source_card():
    out = render.answer_markdown("Zo staat het [1] en [2].")
    assert "<a class='ikc-cite' href='#ikc-src-1'" in out and "href='#ikc-src-2'" in out
    c1 = Citation(n=1, doc_id="d", title="Notitie", page=7, section="", text="Eerste.", chunk_id="a")
    c2 = Citation(n=2, doc_id="d", title="Notitie", page=7, section="", text="Tweede.", chunk_id="a")
    html = render.sources_html(Answer("q", "x [1] [2]", [c1, c2], [passage("Eerste. Tweede.", chunk_id="a")]),
                               no_links)
    assert "id='ikc-src-1' tabindex='-1'" in html and "id='ikc-src-2'" in html, "both markers find the shared card"


def test_library_reasons_and_texts_follow_the_ui_language():
    from ui.i18n import reason, t

    assert reason("nl", "not a PDF file (no PDF header); is it another format renamed to .pdf?").startswith("geen PDF")
    assert reason("en", "not a PDF file (no PDF header)").startswith("not a PDF")
    assert t("en", "sources") == "Sources" and t("nl", "sources") == "Bronnen"
    assert "De bronnen" in render.sources_html(None, no_links) and "sources of the answer" in render.sources_html(
        None, no_links, "en")


# --- highlighting ---------------------------------------------------------------------------


def test_quote_found_exactly_and_across_whitespace():
    text = "Inleiding.\nHet IKC is een voorziening\u00a0voor kinderen van 0 tot 13 jaar. Verder iets."
    assert render.quote_spans(text, "Inleiding.") == [(0, 10)]
    (start, end), = render.quote_spans(text, "Het IKC is een voorziening voor kinderen van 0 tot 13 jaar.")
    assert text[start:end].startswith("Het IKC") and text[start:end].endswith("13 jaar.")


def test_quote_stitched_from_two_sentences_highlights_both():
    text = "Eerste zin over opvang en school. Tussenzin die niet telt. Derde zin over de wijk en ouders."
    spans = render.quote_spans(text, "Eerste zin over opvang en school. Derde zin over de wijk en ouders.")
    assert [text[s:e] for s, e in spans] == ["Eerste zin over opvang en school.", "Derde zin over de wijk en ouders."]


def test_highlight_escapes_passage_and_quote():
    html = render.highlight(f"Voor {PAYLOAD} staat: het kind centraal.", "het kind centraal.")
    assert "<img" not in html and "&lt;img" in html
    assert "<mark>het kind centraal.</mark>" in html


def test_sources_panel_lists_citations_with_page_and_collapses_the_rest(tmp_path: Path):
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "assen-notitie-ikc.pdf").write_bytes(b"%PDF-1.4")
    cited = passage("Alle kinderen krijgen kansen. Het IKC werkt samen.", chunk_id="a", page=7)
    other = passage(f"Iets anders {PAYLOAD}", chunk_id="b", page=9)
    citation = Citation(n=1, doc_id="d", title="Notitie <b>Assen</b>", page=7, section="2. Visie",
                        text="Het IKC werkt samen.", chunk_id="a", municipality="Assen", file="pdf/assen-notitie-ikc.pdf")
    answer = Answer("q", "Het IKC werkt samen [1].", [citation], [cited, other])
    html = render.sources_html(answer, lambda d, f, p: page_link(tmp_path, f, p))
    assert "[1]" in html and "p. 7" in html and "2. Visie" in html
    assert "<mark>Het IKC werkt samen.</mark>" in html
    assert "Notitie &lt;b&gt;Assen&lt;/b&gt;" in html and "<img" not in html
    assert "#page=7" in html and "Andere gevonden passages (1)" in html
    assert html.index("<details class='ikc-more'>") < html.index("Iets anders")


def test_sources_panel_for_a_refusal_shows_possibly_relevant_passages():
    answer = Answer("q", "De notities zeggen hier niets over.", [],
                    [close("Dichtbij.", 3, 0.85), close("Ver weg.", 5, 0.7, "c2")], refused=True)
    html = render.sources_html(answer, no_links)
    assert "Mogelijk relevant" in html and "Dichtbij." in html and "<details class='ikc-src' open>" in html
    assert "Ver weg." not in html
    nothing = render.sources_html(Answer("q", "x", [], [close("Ver weg.", 5, 0.7)], refused=True), no_links)
    assert "Mogelijk relevant" not in nothing and "dicht genoeg" in nothing


# --- links ----------------------------------------------------------------------------------


def test_page_link_only_for_files_inside_the_corpus(tmp_path: Path):
    corpus = tmp_path / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    (corpus / "pdf" / "a b.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-1.4")
    link = page_link(corpus, "pdf/a b.pdf", 12)
    assert link.startswith("/gradio_api/file=") and link.endswith("a%20b.pdf#page=12")
    assert page_link(corpus, "../secret.pdf", 1) is None
    assert page_link(corpus, str(tmp_path / "secret.pdf"), 1) is None
    assert page_link(corpus, "pdf/missing.pdf", 1) is None


# --- conversation ---------------------------------------------------------------------------


def test_conversation_history_and_markdown_export():
    c = Citation(n=1, doc_id="d", title="Notitie", page=7, section="2. Visie", text=f"Het IKC {PAYLOAD} werkt.",
                 municipality="Assen")
    convo = Conversation()
    convo.add(Answer("Wat doet een IKC?", "Het IKC werkt [1].", [c], []))
    convo.add(Answer("En de maan?", "De notities zeggen hier niets over.", [], [close("Dichtbij.", 3, 0.85)],
                     refused=True))
    assert convo.history() == [
        {"role": "user", "content": "Wat doet een IKC?"}, {"role": "assistant", "content": "Het IKC werkt [1]."},
        {"role": "user", "content": "En de maan?"}, {"role": "assistant", "content": "De notities zeggen hier niets over."},
    ]
    md = convo.to_markdown()
    assert "## Vraag 1" in md and "[1] Notitie, Assen, p. 7 — 2. Visie" in md
    assert "> Het IKC &lt;img src=x onerror=alert(1)&gt; werkt." in md
    assert "### Mogelijk relevant" in md and "- Notitie, p. 3" in md
    english = convo.to_markdown("en")
    assert "## Question 1" in english and "### Possibly relevant" in english


# --- catalog and bind rules -----------------------------------------------------------------


def test_filters_leave_out_empty_parts():
    assert filters_from([], None) is None
    assert filters_from(["a"], []) == {"doc_id": ["a"]}
    assert filters_from(["a"], ["Assen"]) == {"doc_id": ["a"], "municipality": ["Assen"]}


def test_parse_auth_and_bind_rules():
    assert parse_auth("ann:geheim, bob:pa:ss") == [("ann", "geheim"), ("bob", "pa:ss")]
    assert parse_auth(None) == [] and parse_auth("") == []
    with pytest.raises(ValueError):
        parse_auth("annzonderwachtwoord")
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    check_bind("127.0.0.1", [])
    check_bind("0.0.0.0", [("ann", "geheim")])
    with pytest.raises(UnsafeBindError, match="IKC_UI_AUTH"):
        check_bind("0.0.0.0", [])


# --- uploads --------------------------------------------------------------------------------


def test_safe_name_strips_folders_and_odd_characters():
    assert safe_name("../../etc/passwd.md") == "passwd.md"
    assert safe_name("C:\\x\\nota <1>.pdf") == "nota _1_.pdf"
    assert safe_name("...") == "upload"


def test_check_upload_reasons(tmp_path: Path, settings: Settings):
    exe = tmp_path / "x.exe"
    exe.write_bytes(b"MZ")
    fake = tmp_path / "fake.pdf"
    fake.write_text("just text", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text("woord " * 1000, encoding="utf-8")
    good = tmp_path / "good.md"
    good.write_text("# Notitie\n\nEen integraal kindcentrum in de wijk.", encoding="utf-8")
    assert "not supported" in check_upload(exe, "x.exe", settings)
    assert "not a PDF" in check_upload(fake, "fake.pdf", settings)
    assert "upload limit" in check_upload(big, "big.txt", settings.model_copy(update={"ui_max_upload_mb": 0.001}))
    assert check_upload(good, "good.md", settings) is None


def test_add_uploads_rejects_bad_files_without_touching_the_index(tmp_path: Path, embedding_cache_file: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    note = corpus / "note.md"
    note.write_text("# Visie\n\nHet kindcentrum in de wijk biedt opvang en onderwijs onder één dak.", encoding="utf-8")
    data = tmp_path / "data"
    (data / "index").mkdir(parents=True)
    shutil.copy(embedding_cache_file, data / "index" / embedding_cache_file.name)
    settings = Settings(data_dir=data, corpus_dir=corpus)
    first = add_uploads(settings, [])
    assert first.report is None
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 20)
    extra = tmp_path / "extra.txt"
    extra.write_text("Ouders en partners kiezen samen voor een doorgaande lijn van nul tot dertien jaar.", encoding="utf-8")
    outcome = add_uploads(settings, [(bad, "broken.pdf"), (extra, "extra.txt")])
    assert [r["file"] for r in outcome.rejected] == ["broken.pdf"] and "PDF" in outcome.rejected[0]["reason"]
    assert outcome.accepted == ["uploads/extra.txt"]
    assert not (corpus / "uploads" / "broken.pdf").exists()
    manifest = read_manifest(data)
    assert set(manifest.files) == {"note.md", "uploads/extra.txt"}
    generation = manifest.generation
    only_bad = add_uploads(settings, [(bad, "broken.pdf")])
    assert only_bad.report is None and read_manifest(data).generation == generation
    choices = document_choices(read_manifest(data))
    assert {doc_id for _, doc_id in choices} == {"note", "extra"}
    assert municipality_choices(read_manifest(data)) == []
    assert "broken.pdf" in render.ingest_report_html(outcome.rejected, outcome.report)


def test_plain_line_after_a_list_gets_its_own_paragraph():
    out = render.chat_markdown("- een [1]\n- twee [1]\nDaarna een zin. [2]")
    assert out == "- een <sup>[1]</sup>\n- twee <sup>[1]</sup>\n\nDaarna een zin. <sup>[2]</sup>"


def test_library_markdown_keeps_formatting_but_no_html_links_images_or_headings():
    out = render.answer_markdown(f"# Kop\n**Thema 1** [1]\n> citaat [2]\n[klik](javascript:alert(1)) ![x](http://x/p.png) {PAYLOAD}")
    assert out.startswith("\\# Kop\n**Thema 1** " + render.cite_link(1) + "\n> citaat " + render.cite_link(2))
    assert out.count("<a ") == 2, "the only links are the markers'"
    assert "[klik\\](javascript" in out and "\\![x\\](http" in out
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)>" in out


def test_quotes_of_one_passage_share_a_card_and_guided_quotes_find_their_passage():
    text = "Thema 3\nBack to back\nIedere partner heeft een eigen visie\nFace to face\nDe partners kennen elkaars visie"
    cell_passage = passage(text, chunk_id="grid", page=15)
    other = passage("Een andere passage over visie.", chunk_id="x", page=2)
    citations = [Citation(n=i, doc_id="d", title="Notitie", page=15, section="Bijlage", text=t)  # no chunk id
                 for i, t in ((1, "Iedere partner heeft  een eigen visie"), (2, "De partners kennen elkaars visie"))]
    html = render.sources_html(Answer("q", "a [1] [2]", citations, [cell_passage, other]), no_links)
    assert html.count("ikc-cited") == 1 and "[1] [2]" in html
    assert "<mark>Iedere partner heeft een eigen visie</mark>" in html
    assert "<mark>De partners kennen elkaars visie</mark>" in html
    assert "Andere gevonden passages (1)" in html
