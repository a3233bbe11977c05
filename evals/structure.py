"""Score ingest's document structure against a corpus's ground truth (`expected.json`, evals/corpora).

Parses the corpus exactly as ingest does (no embedding) and checks, per document:
- headings: every body paragraph stands under its true heading (the block's section path ends
  with the expected innermost heading) — the share of paragraphs, and of chunks, that do;
- lists: each expected lead-in is linked to all of its items, across pages;
- furniture: no running header/footer, table-of-contents line or caption inside quotable text;
- duplicates: a file listed as a duplicate is reported and indexed once.

`python -m evals.structure evals/corpora/kinds-dev` prints the figures; tests assert thresholds.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ikc.records import CAPTION, FOOTNOTE, HEADING, ITEM, TOC, Document
from ikc.settings import Settings
from ikc.text import fold, normalise_for_match


def _norm(text: str) -> str:
    return fold(normalise_for_match(text)).replace("’", "'")


@dataclass
class StructureScore:
    paragraphs: int = 0
    paragraphs_right: int = 0
    chunks: int = 0
    chunks_right: int = 0
    lists: int = 0
    lists_whole: int = 0
    furniture_leaks: list[str] = field(default_factory=list)
    duplicates_expected: int = 0
    duplicates_reported: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def paragraph_rate(self) -> float:
        return self.paragraphs_right / self.paragraphs if self.paragraphs else 1.0

    @property
    def chunk_rate(self) -> float:
        return self.chunks_right / self.chunks if self.chunks else 1.0

    @property
    def list_rate(self) -> float:
        return self.lists_whole / self.lists if self.lists else 1.0

    def summary(self) -> dict:
        return {"paragraph_heading_rate": round(self.paragraph_rate, 3), "chunk_heading_rate": round(self.chunk_rate, 3),
                "lists_whole": f"{self.lists_whole}/{self.lists}", "furniture_leaks": len(self.furniture_leaks),
                "duplicates_reported": f"{self.duplicates_reported}/{self.duplicates_expected}"}


def _block_of(doc: Document, needle: str, after: int = 0, slack: int = 40) -> int | None:
    """Index of the block holding the start of `needle` (normalised comparison, first match at or after
    the block `after`, less `slack` characters for the normalisation's drift), or None."""
    if after >= len(doc.blocks):
        return None
    text = _norm(doc.text)
    start = int(doc.blocks[after].start * len(text) / max(1, len(doc.text))) if after else 0
    at = text.find(_norm(needle)[:60], max(0, start - slack))
    if at < 0:
        return None
    # normalisation keeps lengths close enough: map by the share of the text
    offset = int(at * len(doc.text) / max(1, len(text)))
    return doc.block_at(min(offset + 2, len(doc.text) - 1))


def _same_heading(got: str, want: str, title: str = "") -> bool:
    """The heading found is the true one (a title wrapped onto a second line may be cut: a long prefix counts).

    Front matter (no true heading) stands under the document's title, or under no heading at all.
    """
    if not want:
        return not got or (bool(title) and _same_heading(got, title))
    return got == want or got.endswith(want) or (len(got) >= 20 and want.startswith(got))


def _innermost(section: str) -> str:
    return _norm(section.split(" > ")[-1]) if section else ""


def score_corpus(corpus_dir: Path, settings: Settings | None = None) -> StructureScore:
    from ingest.corpus import discover, load_metadata
    from ingest.pipeline import duplicate_of, parse_file

    settings = settings or Settings()
    corpus_dir = Path(corpus_dir).resolve()  # ingest reads files by their resolved paths
    expected = json.loads((corpus_dir / "expected.json").read_text(encoding="utf-8"))
    metadata = load_metadata(corpus_dir)
    score = StructureScore()
    seen_pages: dict[str, list[str]] = {}
    listed = list(metadata)  # the order ingest reads files in (ingest.pipeline): corpus.yaml first
    for path in sorted(discover(corpus_dir), key=lambda p: (listed.index(str(p.relative_to(corpus_dir)))
                                                             if str(p.relative_to(corpus_dir)) in listed else len(listed))):
        rel = str(path.relative_to(corpus_dir))
        if not rel.startswith("pdf/"):
            continue
        parsed, _ = parse_file(path, rel, metadata.get(rel), settings)
        doc = parsed.document
        truth = expected.get(doc.meta.doc_id)
        if truth is None:
            continue
        if truth.get("duplicate_of"):
            score.duplicates_expected += 1
            if duplicate_of(parsed.page_hashes, seen_pages):
                score.duplicates_reported += 1
            continue
        seen_pages[rel] = parsed.page_hashes
        _score_headings(doc, truth, parsed.chunks, score)
        _score_lists(doc, truth, score)
        _score_furniture(doc, truth, score)
    return score


def _score_headings(doc: Document, truth: dict, chunks, score: StructureScore) -> None:
    para_truth: list[tuple[int, str]] = []
    cursor = 0
    title = _norm(truth.get("title", ""))
    for para in truth.get("paragraphs", []):
        want = _norm(para["section"][-1]) if para.get("section") else ""
        i = _block_of(doc, para["start"], cursor)
        if i is not None:
            cursor = i
        if i is None:
            score.paragraphs += 1
            score.wrong.append(f"{doc.meta.doc_id}: paragraph not found: {para['start'][:50]}")
            continue
        got = _innermost(doc.blocks[i].section)
        score.paragraphs += 1
        if _same_heading(got, want, title):
            score.paragraphs_right += 1
        else:
            score.wrong.append(f"{doc.meta.doc_id} p{para['page']}: '{para['start'][:40]}' under '{got[:50]}', "
                               f"expected '{want[:50]}'")
        para_truth.append((doc.blocks[i].start, want))
    cursor = 0
    for lst in truth.get("lists", []):  # a section may hold lists only (an annex's "A." with its bullets)
        if lst.get("lead_in") or not lst.get("items"):
            continue  # a list after a lead-in stands under the lead-in's paragraph, counted above
        i = _block_of(doc, lst["items"][0], cursor)
        if i is not None:
            cursor = i
            para_truth.append((doc.blocks[i].start, _norm(lst["section"][-1]) if lst.get("section") else ""))
    para_truth.sort()
    # a chunk's true heading: that of the last expected paragraph (or list without a lead-in) starting in or before it
    for chunk in chunks:
        inside = [w for start, w in para_truth if start < chunk.char_end]
        if not inside:
            continue
        score.chunks += 1
        got = _innermost(chunk.section)
        if _same_heading(got, inside[-1], title):
            score.chunks_right += 1


def _score_lists(doc: Document, truth: dict, score: StructureScore) -> None:
    cursor, found = 0, False
    for lst in truth.get("lists", []):
        if not lst.get("lead_in"):
            continue  # a list without a lead-in: nothing to link
        score.lists += 1
        # lead-ins repeat word for word ("De wettekst komt op het volgende neer:"): each is sought after the last
        lead = _block_of(doc, lst["lead_in"], cursor + 1, slack=0) if found else _block_of(doc, lst["lead_in"])
        if lead is not None:
            cursor, found = lead, True
        if lead is None:
            score.wrong.append(f"{doc.meta.doc_id}: lead-in not found: {lst['lead_in'][:50]}")
            continue
        items = [_block_of(doc, item, lead) for item in lst["items"]]
        linked = all(i is not None and doc.blocks[i].kind == ITEM and doc.blocks[i].lead_in == lead for i in items)
        if linked:
            score.lists_whole += 1
        else:
            score.wrong.append(f"{doc.meta.doc_id}: list '{lst['lead_in'][:40]}' not linked whole "
                               f"({sum(1 for i in items if i is not None and doc.blocks[i].lead_in == lead)}/{len(items)})")


def _score_furniture(doc: Document, truth: dict, score: StructureScore) -> None:
    quotable = " ".join(_norm(doc.text[b.start:b.end]) for b in doc.blocks
                        if b.kind not in (TOC, CAPTION, FOOTNOTE, HEADING))
    # running headers are often names that also stand in the text (a publisher); footers carry page numbers
    furniture = list(truth.get("footer_texts", []))
    furniture += [c["text"] for c in truth.get("captions", [])]
    toc = truth.get("toc") or {}
    furniture += list(toc.get("lines", []))
    own_text = {_norm(truth.get("title", ""))} | {_norm(f["text"]) for f in truth.get("front_matter", [])}
    for text in furniture:
        if len(text) >= 8 and _norm(text) in quotable and _norm(text) not in own_text:
            score.furniture_leaks.append(f"{doc.meta.doc_id}: {text[:60]}")


def main(argv: list[str]) -> int:
    for folder in argv:
        score = score_corpus(Path(folder))
        print(folder, json.dumps(score.summary()))
        for line in score.wrong[:40] + score.furniture_leaks[:20]:
            print("  ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
