"""Document structure on PDFs of other kinds than the five notes: headings without continuous numbering,
law articles and their members, lists linked to their lead-in across a page, footnotes, tables of contents,
duplicates. Synthetic PDFs are made here with fpdf2; the second corpus (evals/corpora/kinds-dev, public Dutch
texts of four kinds) is scored against its ground truth."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from evals.structure import score_corpus
from ikc.records import FOOTNOTE, HEADING, ITEM, TOC, DocMeta
from ingest.clean import clean_pages
from ingest.pdf import read_source
from ingest.structure import build_document

ROOT = Path(__file__).resolve().parents[1]
FONT = ROOT / "evals" / "corpora" / "fonts" / "DejaVuSans.ttf"
BOLD = ROOT / "evals" / "corpora" / "fonts" / "DejaVuSans-Bold.ttf"
BODY = ("De gemeente werkt samen met de schoolbesturen en de kinderopvangorganisaties aan voorzieningen voor alle "
        "kinderen in de wijk, zodat ouders en professionals elkaar dagelijks kunnen ontmoeten.")


def _pdf(path: Path, pages: list[list[tuple[str, str]]], fonts: bool = False) -> Path:
    """A PDF whose pages hold (style, text) lines: 'h' heading (bold and larger when `fonts`), 'p' body."""
    pdf = FPDF()
    pdf.add_font("dv", "", str(FONT))
    pdf.add_font("dv", "B", str(BOLD))
    for lines in pages:
        pdf.add_page()
        for style, text in lines:
            if style == "h" and fonts:
                pdf.set_font("dv", "B", 14)
            else:
                pdf.set_font("dv", "", 10)
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _doc(path: Path):
    source = read_source(path, 50)
    return build_document(DocMeta("t", "t"), clean_pages(source.pages), source.outline)


def _section_of(doc, needle: str) -> str:
    at = doc.text.find(needle)
    assert at >= 0, needle
    return doc.blocks[doc.block_at(at)].section


def test_numbered_chapters_that_skip_keep_their_own_headings(tmp_path: Path) -> None:
    pages = [[("h", "1 Inleiding"), ("p", BODY), ("h", "2 Plangebied"), ("p", BODY)],
             [("h", "4 Omgevingsaspecten"), ("p", BODY), ("h", "4.4 Verkeer"), ("p", "Het verkeer neemt toe. " + BODY)],
             [("h", "7 Uitvoerbaarheid"), ("p", "De kosten zijn gedekt. " + BODY)]]
    doc = _doc(_pdf(tmp_path / "plan.pdf", pages))
    assert _section_of(doc, "Het verkeer neemt toe").endswith("4 Omgevingsaspecten > 4.4 Verkeer")
    assert _section_of(doc, "De kosten zijn gedekt").endswith("7 Uitvoerbaarheid")


def test_article_label_on_its_own_line_and_members(tmp_path: Path) -> None:
    pages = [[("h", "Hoofdstuk 2 Kwaliteit"), ("h", "Artikel 3"), ("h", "Opleidingseisen"),
              ("p", "1. Beroepskrachten beschikken over een passende beroepskwalificatie."),
              ("p", "2. Bij de inzet van beroepskrachten in opleiding wordt rekening gehouden met de opleidingsfase.")]]
    doc = _doc(_pdf(tmp_path / "besluit.pdf", pages))
    headings = [doc.text[b.start:b.end] for b in doc.blocks if b.kind == HEADING]
    assert "Artikel 3 Opleidingseisen" in headings
    at = doc.text.find("Bij de inzet")
    member = doc.blocks[doc.block_at(at)]
    assert member.label == "lid 2" and member.section.endswith("Artikel 3 Opleidingseisen")


def test_a_list_is_linked_to_its_lead_in_across_a_page_break(tmp_path: Path) -> None:
    lead = "De gemeente stelt de volgende voorwaarden:"
    pages = [[("h", "3 Voorwaarden"), ("p", BODY), ("p", lead), ("p", "• een gezamenlijke visie;"),
              ("p", "• een gedeeld gebouw;")],
             [("p", "• één aanspreekpunt voor ouders."), ("p", BODY)]]
    doc = _doc(_pdf(tmp_path / "lijst.pdf", pages))
    lead_block = doc.block_at(doc.text.find(lead))
    items = [b for b in doc.blocks if b.kind == ITEM]
    assert len(items) == 3 and all(b.lead_in == lead_block for b in items)
    assert items[-1].page == 2


def test_footnotes_and_tables_of_contents_are_kept_out_of_the_body(tmp_path: Path) -> None:
    pages = [[("h", "Inhoud"), ("p", "1 Inleiding .......... 2"), ("p", "2 Beleid .......... 3")],
             [("h", "1 Inleiding"), ("p", "De gemeente kiest voor integrale kindcentra1 in elke wijk. " + BODY),
              ("p", BODY), ("p", BODY), ("p", "1 Een kindcentrum biedt onderwijs en opvang onder één dak.")]]
    doc = _doc(_pdf(tmp_path / "noot.pdf", pages))
    kinds = {doc.text[b.start:b.end][:12]: b.kind for b in doc.blocks}
    assert kinds["1 Inleiding "] == TOC
    assert kinds["1 Een kindce"] == FOOTNOTE


def test_fonts_make_headings_of_unnumbered_titles(tmp_path: Path) -> None:
    pages = [[("h", "Toezicht in cijfers"), ("p", BODY), ("h", "Handhaving"), ("p", "Wij legden twee boetes op. " + BODY)]]
    doc = _doc(_pdf(tmp_path / "brief.pdf", pages, fonts=True))
    assert _section_of(doc, "Wij legden twee boetes op").endswith("Handhaving")


def test_the_second_corpus_carries_its_true_headings_and_duplicates_are_found() -> None:
    """Public texts of other kinds (decree, zoning plan, inspection framework, subsidy rule, council letter)."""
    score = score_corpus(ROOT / "evals" / "corpora" / "kinds-dev")
    assert score.paragraph_rate >= 0.90, score.wrong[:10]
    assert score.chunk_rate >= 0.90
    assert score.duplicates_reported == score.duplicates_expected == 1
    assert score.list_rate >= 0.65
    assert not score.furniture_leaks, score.furniture_leaks  # no page footer inside quotable text


@pytest.mark.parametrize(("doc_id", "lead_in", "items"), [
    ("leeuwarden-kansen-voor-kinderen-2", "De doelstellingen van Kansen voor Kinderen 2 (2021-2028) zijn:", 3),
    ("assen-notitie-ikc", "Hierbij is er sprake van twee scenario’s:", 2),
])
def test_the_notes_lists_hang_from_their_lead_in(doc_id: str, lead_in: str, items: int) -> None:
    path = ROOT / "corpus" / "pdf" / f"{doc_id}.pdf"
    doc = _doc(path)
    normal = " ".join(doc.text.split())
    assert " ".join(lead_in.split()) in normal
    lead = next(i for i, b in enumerate(doc.blocks) if " ".join(doc.text[b.start:b.end].split()).endswith(lead_in))
    assert sum(1 for b in doc.blocks if b.kind == ITEM and b.lead_in == lead) == items


def test_a_reading_guide_listing_the_chapters_is_a_table_of_contents() -> None:
    doc = _doc(ROOT / "corpus" / "pdf" / "assen-notitie-ikc.pdf")
    guide = [b for b in doc.blocks if b.kind == TOC]
    assert any("C. Het IKC: de twee scenario" in doc.text[b.start:b.end] for b in guide)
