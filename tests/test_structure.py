"""Document structure on PDFs of other kinds than the five notes: headings without continuous numbering,
law articles and their members, lists linked to their lead-in across a page, footnotes, tables of contents,
duplicates. Synthetic PDFs are made here with fpdf2; the second corpus (evals/corpora/kinds-dev, public Dutch
texts of four kinds) is scored against its ground truth."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from evals.structure import score_corpus
from ikc.records import FOOTNOTE, HEADING, ITEM, TABLE_ROW, TOC, DocMeta
from ingest.chunking import chunk_document, chunk_windows
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
    assert score.paragraph_rate >= 0.95, score.wrong[:10]
    assert score.chunk_rate >= 0.95, score.wrong[:10]  # the bar
    assert score.duplicates_reported == score.duplicates_expected == 1
    assert score.list_rate >= 0.9, score.wrong[:10]
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


# --- title page, wrapped headings, lists in article members, tables from the layout, lists across chunks ---

def _styled_pdf(path: Path, pages: list[list[tuple[float, str, str]]]) -> Path:
    """A PDF whose pages hold (size, style, text) lines, one cell per line ('' regular, 'B' bold)."""
    pdf = FPDF()
    pdf.add_font("dv", "", str(FONT))
    pdf.add_font("dv", "B", str(BOLD))
    for lines in pages:
        pdf.add_page()
        for size, style, text in lines:
            pdf.set_font("dv", style, size)
            pdf.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _blocks(doc, kind: str) -> list[str]:
    return [doc.text[b.start:b.end] for b in doc.blocks if b.kind == kind]


def test_front_matter_stands_under_the_document_title_and_the_title_leaves_the_path(tmp_path: Path) -> None:
    pages = [[(20, "B", "Besluit kwaliteit kindcentra"),
              (13, "", "Besluit van 3 mei 2024 tot het stellen van eisen aan kindcentra"),
              (10, "", "Wij, de minister, gelet op de wet, hebben goedgevonden en verstaan dat het volgende geldt."),
              (12, "B", "Artikel 1 Begrippen"), (10, "", "In dit besluit wordt verstaan onder kindcentrum: " + BODY)]]
    doc = _doc(_styled_pdf(tmp_path / "besluit.pdf", pages))
    assert _section_of(doc, "Wij, de minister") == "Besluit kwaliteit kindcentra"
    assert "Besluit van 3 mei 2024" not in " ".join(_blocks(doc, HEADING))  # a subtitle, not a heading of the body
    assert _section_of(doc, "In dit besluit") == "Artikel 1 Begrippen"  # the title heads the front matter only


def test_a_label_line_after_a_colon_and_a_wrapped_title_make_one_heading(tmp_path: Path) -> None:
    pages = [[(10, "", "Hebben goedgevonden en verstaan:"), (11, "B", "Hoofdstuk 1"), (11, "B", "Kwaliteitseisen"),
              (10, "B", "Artikel 4"), (10, "B", "Aantal beroepskrachten in relatie tot de leeftijd van de kinderen en"),
              (10, "B", "groepsgrootte"), (10, "", "1. De maximale groepsgrootte wordt afgestemd op de leeftijd."),
              (10, "B", "Artikel 11 Verdeling over de schooljaren 2012–2013, 2013–2014 en"), (10, "B", "2014–2015"),
              (10, "", "Subsidie wordt verdeeld naar het aantal leerlingen. " + BODY)]]
    doc = _doc(_styled_pdf(tmp_path / "artikelen.pdf", pages))
    headings = _blocks(doc, HEADING)
    assert "Hoofdstuk 1 Kwaliteitseisen" in headings
    assert "Artikel 4 Aantal beroepskrachten in relatie tot de leeftijd van de kinderen en groepsgrootte" in headings
    assert _section_of(doc, "Subsidie wordt verdeeld").endswith("Artikel 11 Verdeling over de schooljaren 2012–2013, "
                                                                "2013–2014 en 2014–2015")


def test_items_inside_an_article_member_hang_from_its_lead_in_with_their_depth(tmp_path: Path) -> None:
    pages = [[("h", "Artikel 13 Verplichtingen"),
              ("p", "1. De subsidieontvanger werkt mee aan onderzoek naar de pilots."),
              ("p", "2. Bij ministeriële regeling worden regels gesteld over:"),
              ("p", "a. de activiteiten die worden uitgevoerd;"),
              ("p", "b. een startgroep die voldoet aan de volgende eisen:"),
              ("p", "1° het aanbod omvat ten minste vijf dagdelen,"),
              ("p", "2° de groep wordt begeleid door twee beroepskrachten,"),
              ("p", "c. de wijze waarop de regie wordt gevoerd."),
              ("p", "3. Deze regeling treedt in werking met ingang van 1 juli.")]]
    doc = _doc(_pdf(tmp_path / "regeling.pdf", pages))
    lead = doc.block_at(doc.text.find("Bij ministeriële regeling"))
    assert doc.blocks[lead].label == "lid 2"
    items = [b for b in doc.blocks if b.kind == ITEM]
    assert [b.label for b in items] == ["a.", "b.", "1°", "2°", "c."]
    assert all(b.lead_in == lead for b in items)
    assert [b.level for b in items] == [0, 0, 1, 1, 0]
    assert doc.blocks[doc.block_at(doc.text.find("Deze regeling treedt"))].label == "lid 3"


def test_unmarked_lines_after_a_list_belong_to_its_item_only_while_the_list_goes_on(tmp_path: Path) -> None:
    pages = [[("h", "2 Regeling"), ("p", BODY),
              ("p", "Voor de woongebieden geldt de volgende regeling:"),
              ("p", "a Het totaal aantal woningen mag niet minder bedragen dan 600;"),
              ("p", "b Het aandeel sociale huur mag niet minder bedragen dan 32%."),
              ("p", "De handreiking heeft de volgende doelen:"), ("p", "• de probleemdefinitie: voor wie?"),
              ("p", "Welk probleem wordt opgelost?"), ("p", "• de inrichting van het beleidsproces."),
              ("p", "Daarnaast zijn er vier opgaven, zijnde:"), ("p", "• werken aan de energietransitie;"),
              ("p", "• werken aan een klimaatbestendige provincie.")]]
    doc = _doc(_pdf(tmp_path / "plan.pdf", pages))

    def lead_of(needle: str) -> int:
        block = doc.blocks[doc.block_at(doc.text.find(needle))]
        return block.lead_in if block.kind == ITEM else -2

    assert lead_of("a Het totaal") == lead_of("b Het aandeel") == doc.block_at(doc.text.find("Voor de woongebieden"))
    guide = doc.block_at(doc.text.find("De handreiking heeft"))
    assert lead_of("• de probleemdefinitie") == lead_of("• de inrichting") == guide
    assert doc.block_at(doc.text.find("Welk probleem")) == doc.block_at(doc.text.find("• de probleemdefinitie"))
    assert doc.blocks[doc.block_at(doc.text.find("Daarnaast zijn er"))].kind == "para"
    assert lead_of("• werken aan de energie") == doc.block_at(doc.text.find("Daarnaast zijn er"))


def _table_pdf(path: Path, rows: list[list[str]], manual: bool) -> Path:
    """A page with a paragraph, a table (fpdf2's table, or cells placed one by one as other generators do) and a
    paragraph; next to it a list whose markers stand in their own column (which is not a table)."""
    pdf = FPDF()
    pdf.add_font("dv", "", str(FONT))
    pdf.add_font("dv", "B", str(BOLD))
    pdf.add_page()
    pdf.set_font("dv", "", 10)
    pdf.multi_cell(0, 6, "De tabel geeft het aantal onderzochte locaties per jaar. " + BODY, new_x="LMARGIN", new_y="NEXT")
    if manual:
        for r, row in enumerate(rows):
            pdf.set_font("dv", "B" if r == 0 else "", 9)
            y = pdf.get_y()
            for c, cell in enumerate(row):
                pdf.set_xy(20 + 40 * c, y)
                pdf.cell(38, 6, cell)
            pdf.set_xy(20, y + 7)
    else:
        pdf.set_font("dv", "", 9)
        with pdf.table(col_widths=(30, 30, 30, 40)) as table:
            for row in rows:
                cells = table.row()
                for cell in row:
                    cells.cell(cell)
    pdf.set_font("dv", "", 10)
    pdf.multi_cell(0, 6, "Het aantal locaties groeit. " + BODY, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "De gemeente stelt de volgende eisen:", new_x="LMARGIN", new_y="NEXT")
    for marker, text in (("a.", "een veilige ruimte;"), ("b.", "een vaste groep;"), ("c.", "een plan van aanpak.")):
        y = pdf.get_y()
        pdf.set_xy(20, y)
        pdf.cell(8, 6, marker)
        pdf.set_xy(28, y)
        pdf.cell(100, 6, text)
        pdf.set_xy(20, y + 6)
    pdf.output(str(path))
    return path


@pytest.mark.parametrize("manual", [False, True])
def test_a_table_is_found_from_the_layout_and_its_rows_carry_the_header(tmp_path: Path, manual: bool) -> None:
    rows = [["Jaar", "Kindercentra", "Onderzocht", "Handhaving"], ["2022", "41", "14", "12"], ["2023", "43", "19", "11"],
            ["2024", "44", "31", "9"]]
    doc = _doc(_table_pdf(tmp_path / "tabel.pdf", rows, manual))
    table = [(i, b) for i, b in enumerate(doc.blocks) if b.kind == TABLE_ROW]
    assert [b.cells for _, b in table] == rows
    header = table[0][0]
    assert table[0][1].lead_in == -1 and all(b.lead_in == header for _, b in table[1:])
    assert doc.text[table[2][1].start:table[2][1].end] == "2023 43 19 11"  # the row's text as printed, for quotes
    assert [b.label for b in doc.blocks if b.kind == ITEM] == ["a.", "b.", "c."]  # a marker column is no table


def test_a_list_stays_with_its_lead_in_and_a_list_past_a_chunk_carries_it(tmp_path: Path) -> None:
    lead = "Wij nemen de volgende maatregelen:"
    short = [("p", f"• maatregel {n}: de gemeente spreekt met alle partners af wie wat doet;") for n in range(1, 6)]
    long = [("p", f"• punt {n}: " + BODY) for n in range(1, 9)]
    pages = [[("h", "3 Maatregelen"), ("p", BODY + " " + BODY + " " + BODY + " " + BODY), ("p", lead), *short],
             [("h", "4 Aandachtspunten"), ("p", "De inspectie noemt de volgende aandachtspunten:"), *long]]
    doc = _doc(_pdf(tmp_path / "lijsten.pdf", pages))
    chunks = chunk_document(doc, max_words=150, overlap_words=30)
    holding = [c for c in chunks if lead in c.text]
    assert len(holding) == 1 and all(f"maatregel {n}:" in holding[0].text for n in range(1, 6))
    later = [c for c in chunks if "punt 8:" in c.text and "De inspectie noemt" not in c.text]
    assert later and later[-1].lead_in == "De inspectie noemt de volgende aandachtspunten:"
    windows = chunk_windows(later[-1], 50)
    assert windows[0].text.split("\n")[1] == later[-1].lead_in


def test_markdown_headings_give_the_section_path(tmp_path: Path) -> None:
    path = tmp_path / "regeling.md"
    path.write_text("# Hoofdstuk 2 Kwaliteit\n\n## Artikel 3 Opleidingseisen\n\n1. Beroepskrachten beschikken over een "
                    "passende kwalificatie.\n\n## 3.4 Verkeer\n\nHet verkeer neemt toe.\n", encoding="utf-8")
    doc = _doc(path)
    assert _section_of(doc, "Beroepskrachten beschikken") == "Hoofdstuk 2 Kwaliteit > Artikel 3 Opleidingseisen"
    assert doc.blocks[doc.block_at(doc.text.find("1. Beroepskrachten"))].label == "lid 1"
    assert _section_of(doc, "Het verkeer neemt toe") == "Hoofdstuk 2 Kwaliteit > 3.4 Verkeer"
