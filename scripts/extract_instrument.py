"""Extract a municipality's development instrument (themes × ambition levels) from its PDF into YAML.

Why a script: the grid is the basis of the walkthrough, and every descriptor must be the
exact text on its page. Re-running this after the PDF changes regenerates the data file;
tests then check every cell against the ingested note.

The parser reads the cleaned page text (`ingest.pdf.read_source` + `ingest.clean.clean_pages`)
of the appendix: a numbered theme list, then per theme a numbered heading followed either by
level labels each followed by their descriptor, or by one header row with all level names
and then the descriptors in order without labels (split at sentence-final line ends).
Anything the text cannot settle (how list and grid correspond) is written by hand in
`CONFIG` and kept next to what was extracted, never silently merged.

Usage: python scripts/extract_instrument.py [--pdf PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ikc.text import normalise_whitespace  # noqa: E402
from ingest.clean import clean_pages  # noqa: E402
from ingest.pdf import Page, read_source  # noqa: E402

# What the text alone cannot tell: ids, where the appendix starts, which sentences are notes,
# and the human explanation of how the theme list and the grid differ.
CONFIG: dict = {
    "id": "lansingerland-ontwikkelinstrument-ikc",
    "doc_id": "lansingerland-kennisnotitie-ikc",
    "doc_title": "Kennisnotitie IKC Lansingerland",
    "pdf": ROOT / "corpus" / "pdf" / "lansingerland-kennisnotitie-ikc.pdf",
    "out": ROOT / "assistant" / "director" / "data" / "instrument-lansingerland.yaml",
    "appendix": r"^BIJLAGE\s*-\s*(?P<title>.+)$",
    "list_intro": r"thema.s van het ontwikkelinstrument.*zijn:$",
    # Sentences of the note that the walkthrough and the summary cite, found by how they begin.
    "notes": {
        "conversation_frame": "Dit ontwikkelinstrument is een gesprekskader, maar ook een monitor",
        "theme_list": "De thema’s van het ontwikkelinstrument IKC zijn",
        "ambition_levels": "We noemen deze fases ambitieniveaus",
        "not_a_race": "Het doel is niet",
        "monitor": "Het ontwikkelinstrument IKC is een belangrijk gesprekskader",
        "based_on": "Dit instrument is gebaseerd op het instrument dat eerder is ontwikkeld in Hoorn",
        "last_phase": "De laatste fase is door belemmeringen in wet- en regelgeving",
    },
    "mismatch": {
        "nl": (
            "De themalijst aan het begin van de bijlage (p. 13) komt niet overeen met de kopjes van het "
            "raster (p. 14-21). Dit instrument volgt het raster en noemt de naam uit de lijst erbij waar die "
            "afwijkt. Inhoudelijk: thema 8 'Doorgaande lijn' uit de lijst is in het raster gesplitst in "
            "8 'Doorgaande lijn ondersteuning, waaronder ook zorg' en 9 'Doorgaande lijn inhoud, waaronder "
            "ook identiteit'; 'Nieuwe professionele houding' staat in de lijst als 9 en in het raster als 10; "
            "'Structurele aanpak' (lijst 10) heeft geen raster; lijst 12 'Zichtbaar maken van de resultaten' "
            "heet in het raster 'Kwaliteitsbeleid'. Het raster van thema 8 is anders opgemaakt: eerst één "
            "kopregel met de vijf niveaus, daarna de vijf beschrijvingen in volgorde."
        ),
        "en": (
            "The theme list at the start of the appendix (p. 13) does not match the headings of the grid "
            "(pp. 14-21). This instrument follows the grid and gives the list's name next to it where it "
            "differs. In content: list theme 8 'Doorgaande lijn' is split in the grid into 8 'Doorgaande lijn "
            "ondersteuning, waaronder ook zorg' and 9 'Doorgaande lijn inhoud, waaronder ook identiteit'; "
            "'Nieuwe professionele houding' is 9 in the list and 10 in the grid; 'Structurele aanpak' "
            "(list 10) has no grid; list 12 'Zichtbaar maken van de resultaten' is called 'Kwaliteitsbeleid' "
            "in the grid. Theme 8's grid is laid out differently: one header row with the five levels, then "
            "the five descriptors in order."
        ),
        "list_without_grid": ["Structurele aanpak"],
    },
}

_NUMBERED = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_SENTENCE_END = (".", "!", "?", ".)", ".’", ".'")


@dataclass
class Line:
    text: str
    page: int


@dataclass
class CellBuilder:
    lines: list[Line] = field(default_factory=list)

    def parts(self) -> list[dict]:
        """Descriptor text per page it stands on (most cells sit on one page)."""
        by_page: list[dict] = []
        for line in self.lines:
            if by_page and by_page[-1]["page"] == line.page:
                by_page[-1]["lines"].append(line.text)
            else:
                by_page.append({"page": line.page, "lines": [line.text]})
        return [{"page": p["page"], "text": join_lines(p["lines"])} for p in by_page]

    def to_cell(self) -> dict:
        parts = self.parts()
        if not parts:
            raise ValueError("empty grid cell")
        cell = {"text": join_lines([p["text"] for p in parts]), "page": parts[0]["page"]}
        if len(parts) > 1:
            cell["parts"] = parts
        return cell


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines; a line ending in a hyphen after a letter continues the word (`sociaal-emotioneel`)."""
    out = ""
    for line in lines:
        line = line.strip()
        if not out:
            out = line
        elif re.search(r"[^\W\d_]-$", out):
            out += line
        else:
            out += " " + line
    return normalise_whitespace(out)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def read_pages(pdf: Path) -> list[Page]:
    return clean_pages(read_source(pdf, max_mb=50).pages)


def all_lines(pages: list[Page]) -> list[Line]:
    return [Line(t.strip(), p.number) for p in pages for t in p.text.split("\n") if t.strip()]


def flatten(pages: list[Page]) -> tuple[str, list[int]]:
    """All text as one string (wrapped lines joined) and the page of every character."""
    pieces: list[str] = []
    owners: list[int] = []
    previous = ""
    for line in all_lines(pages):
        sep = "" if re.search(r"[^\W\d_]-$", previous) else (" " if pieces else "")
        pieces.append(sep + line.text)
        owners.extend([line.page] * (len(sep) + len(line.text)))
        previous = line.text
    return "".join(pieces), owners


def find_sentence(flat: str, owners: list[int], phrase: str) -> dict:
    """The sentence that begins with `phrase`, with the page it starts on (and parts if it spans pages)."""
    at = flat.find(phrase)
    if at < 0:
        raise ValueError(f"note phrase not found: {phrase!r}")
    start = at
    # The sentence ends at the first full stop or colon followed by a space (or the end of the text).
    ends = re.search(r"[.:](?=\s|$)", flat[at + len(phrase):])
    end = at + len(phrase) + ends.start() if ends else len(flat) - 1
    text = flat[start : end + 1]
    pages_of = sorted(set(owners[start : end + 1]))
    note = {"text": normalise_whitespace(text), "page": pages_of[0]}
    if len(pages_of) > 1:
        parts = []
        for number in pages_of:
            idx = [i for i in range(start, end + 1) if owners[i] == number]
            parts.append({"page": number, "text": normalise_whitespace(flat[idx[0] : idx[-1] + 1])})
        note["parts"] = parts
    return note


def split_unlabelled(lines: list[Line], count: int, theme: int) -> list[CellBuilder]:
    """Descriptors after a header row: a new one starts where a line follows a sentence-final line end."""
    starts = [0] + [
        i for i in range(1, len(lines))
        if lines[i - 1].text.endswith(_SENTENCE_END) and lines[i].text[:1].isupper()
    ]
    if len(starts) != count:
        raise SystemExit(
            f"theme {theme}: header-row grid has {len(starts)} candidate descriptors, expected {count}; "
            "split it by hand"
        )
    bounds = starts + [len(lines)]
    return [CellBuilder(lines[bounds[i] : bounds[i + 1]]) for i in range(count)]


def extract(pages: list[Page], config: dict) -> dict:
    """The instrument as a plain dict, ready for YAML."""
    lines = all_lines(pages)
    appendix = re.compile(config["appendix"])
    start = next((i for i, lv in enumerate(lines) if appendix.match(lv.text)), None)
    if start is None:
        raise SystemExit("appendix heading not found")
    title = appendix.match(lines[start].text).group("title").strip()
    intro = re.compile(config["list_intro"], re.IGNORECASE)
    i = next(j for j in range(start, len(lines)) if intro.search(lines[j].text)) + 1
    theme_list: list[dict] = []
    while i < len(lines) and (m := _NUMBERED.match(lines[i].text)) and int(m.group(1)) == len(theme_list) + 1:
        theme_list.append({"number": int(m.group(1)), "name": m.group(2).strip(), "page": lines[i].page})
        i += 1

    # The grid: theme headings numbered 1, 2, ... after the list; each heading opens a block.
    blocks: list[tuple[Line, list[Line]]] = []
    for line in lines[i:]:
        m = _NUMBERED.match(line.text)
        if m and int(m.group(1)) == len(blocks) + 1:
            blocks.append((line, []))
        elif blocks:
            blocks[-1][1].append(line)
    level_names = find_level_names([body for _, body in blocks])
    header_row = " ".join(level_names)
    listed = {t["number"]: t["name"] for t in theme_list}
    themes: list[dict] = []
    for heading, body in blocks:
        number, name = int(_NUMBERED.match(heading.text).group(1)), _NUMBERED.match(heading.text).group(2).strip()
        theme = {"number": number, "name": name, "name_in_list": listed.get(number, name), "page": heading.page}
        if body and body[0].text == header_row:
            builders = split_unlabelled(body[1:], len(level_names), number)
            theme["layout"] = "header_row"
        else:
            builders = split_labelled(body, level_names, number)
        theme["cells"] = {slug(n): b.to_cell() for n, b in zip(level_names, builders)}
        themes.append(theme)

    grid_pages = sorted({c["page"] for t in themes for c in t["cells"].values()}
                        | {p["page"] for t in themes for c in t["cells"].values() for p in c.get("parts", [])})
    pages_used = list(range(lines[start].page, grid_pages[-1] + 1))

    flat, owners = flatten(pages)
    notes = [{"key": key, **find_sentence(flat, owners, phrase)} for key, phrase in config["notes"].items()]
    mismatch = {
        "summary": {"nl": config["mismatch"]["nl"], "en": config["mismatch"]["en"]},
        "theme_list": theme_list,
        "differs": [
            {"number": t["number"], "grid": t["name"], "list": t["name_in_list"]}
            for t in themes if t["name"] != t["name_in_list"]
        ],
        "list_without_grid": config["mismatch"]["list_without_grid"],
        "header_row_themes": [t["number"] for t in themes if t.get("layout") == "header_row"],
    }
    return {
        "id": config["id"],
        "title": title,
        "source": {"doc_id": config["doc_id"], "title": config["doc_title"], "section": lines[start].text,
                   "pages": pages_used},
        "levels": [{"key": slug(n), "name": n} for n in level_names],
        "themes": themes,
        "notes": notes,
        "mismatch": mismatch,
    }


def find_level_names(bodies: list[list[Line]]) -> list[str]:
    """Level labels are the short lines that recur in most theme blocks, in order of first appearance."""
    seen: dict[str, int] = {}
    for body in bodies:
        for text in dict.fromkeys(lv.text for lv in body):
            if len(text.split()) <= 5:
                seen[text] = seen.get(text, 0) + 1
    need = max(2, (len(bodies) + 1) // 2)
    names = [t for t, n in seen.items() if n >= need]
    if len(names) < 2:
        raise SystemExit("could not find the level labels of the grid")
    return names


def split_labelled(body: list[Line], level_names: list[str], theme: int) -> list[CellBuilder]:
    """Descriptors that each follow their level label."""
    cells: dict[str, CellBuilder] = {}
    current: CellBuilder | None = None
    for line in body:
        if line.text in level_names and line.text not in cells:
            current = cells[line.text] = CellBuilder()
        elif current is not None:
            current.lines.append(line)
    missing = [n for n in level_names if n not in cells or not cells[n].lines]
    if missing:
        raise SystemExit(f"theme {theme}: no descriptor for {missing}")
    return [cells[n] for n in level_names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", type=Path, default=CONFIG["pdf"])
    parser.add_argument("--out", type=Path, default=CONFIG["out"])
    args = parser.parse_args()
    data = extract(read_pages(args.pdf), CONFIG)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    header = (f"# Generated by scripts/extract_instrument.py from {args.pdf.name}; edit CONFIG in the script, "
              "not this file.\n")
    args.out.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110),
                        encoding="utf-8")
    print(f"{len(data['themes'])} themes x {len(data['levels'])} levels -> {args.out}")


if __name__ == "__main__":
    main()
