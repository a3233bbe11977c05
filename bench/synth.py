"""Synthetic corpora for the scale benchmark, recombined and perturbed from the real notes.

Embedding costs ~0.1 s per window on these cores, so 1,000 documents of fully new text
would take hours. The documents are therefore built so that *unperturbed* text is
reusable through the embedding cache and only a measured fraction is genuinely new:

- every document is one chapter of numbered sections; a section is a heading plus one real
  paragraph (40–120 words) from the notes, so it always becomes exactly one chunk whose
  windows depend only on (place, section) — never on its neighbours;
- the place (municipality) comes from a small pool, so every unperturbed (place, section)
  pair can be embedded once up front (`pool_corpus`) and then comes from the cache;
- a fraction of sections is perturbed (a sentence swapped for one from another paragraph,
  sentences reordered, names and numbers changed): new text that really gets embedded.

Document i depends only on (seed, i), so the 50-document corpus is a prefix of the 200 and
the 1,000 one.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ikc.records import DocMeta
from ikc.text import split_sentences
from ingest.clean import clean_pages
from ingest.corpus import discover, doc_meta, load_metadata
from ingest.pdf import Page, read_source
from ingest.structure import build_document

PLACES = ("Zwolle", "Delft", "Almere", "Tilburg")
REAL_PLACES = re.compile(r"\b(Assen|Huizen|Lansingerland|Leeuwarden|Borger-Odoorn)\b")
CHAPTER = "1. IKC-beleid"
# The chapter heading is too short to be a chunk of its own; this fixed opening (one per place)
# fills it, so the first real section starts a fresh chunk like every other.
INTRO = ("Deze notitie beschrijft hoe de gemeente {place} samen met schoolbesturen, kinderopvang en partners "
         "in zorg en welzijn werkt aan integrale kindcentra. De paragrafen hieronder geven achtergrond, keuzes "
         "en afspraken over huisvesting, samenwerking, financiering en de rol van de gemeente.")
MIN_WORDS, MAX_WORDS = 40, 120


@dataclass(frozen=True)
class Section:
    """A heading (numbered by its place in the pool, so it reads the same in every document) and a paragraph."""

    number: str
    heading: str
    text: str

    def render(self) -> str:
        return f"{self.number} {self.heading}\n{self.text}\n"


# A real-length document's word count varies this much around the target (the real notes range from about
# half to twice their mean; a narrower spread keeps the sizes comparable across runs).
LENGTH_SPREAD = 0.25


@dataclass(frozen=True)
class SynthSpec:
    sections_min: int = 16
    sections_max: int = 32
    perturbed: float = 0.05  # share of sections turned into new text
    places: tuple[str, ...] = PLACES
    seed: int = 7
    words: int = 0  # target words per document (the real notes' mean) ± LENGTH_SPREAD; 0: sections_min..max sections


def _opening(place: str) -> str:
    return f"{CHAPTER}\n{INTRO.format(place=place)}\n"


def _clean_heading(text: str, number: str, paragraph: str) -> str:
    """A real heading as a numbered sub-heading, checked with the chunker itself (a line it does not
    take for a heading would merge two sections into one chunk and defeat the reuse)."""
    text = re.sub(r"^(?:\d{1,2}(?:\.\d{1,2})*|[A-Z]|Stap \d+)[.):]?\s+", "", text.strip())
    text = re.sub(r"[,;.:\s]+$", "", text)
    text = " ".join(text.split()[:10])
    text = text[:1].upper() + text[1:]
    probe = build_document(DocMeta("probe", "probe"), [Page(1, f"{CHAPTER}\n{number} {text}\n{paragraph}")])
    if [b.kind for b in probe.blocks[:2]] == ["heading", "heading"]:
        return text
    return "Achtergrond"


def _pieces(text: str) -> list[str]:
    """Sentence-aligned pieces of MIN_WORDS..MAX_WORDS words."""
    sentences = [text[s:e] for s, e in split_sentences(text)]
    pieces, current = [], []
    for sentence in sentences:
        if current and len(" ".join(current + [sentence]).split()) > MAX_WORDS:
            pieces.append(" ".join(current))
            current = []
        current.append(sentence)
    if current:
        pieces.append(" ".join(current))
    return [p for p in pieces if MIN_WORDS <= len(p.split()) <= MAX_WORDS]


def section_pool(corpus_dir: Path, max_mb: float = 50.0) -> list[Section]:
    """Every usable (heading, paragraph) of the real notes, in corpus order."""
    metadata = load_metadata(corpus_dir)
    found: list[tuple[str, str]] = []
    heading = "Inleiding"
    for path in discover(corpus_dir):
        rel = str(path.relative_to(corpus_dir))
        source = read_source(path, max_mb)
        document = build_document(doc_meta(rel, metadata.get(rel), source.pdf_title), clean_pages(source.pages))
        for block in document.blocks:
            text = document.text[block.start : block.end]
            if block.kind == "heading":
                heading = text
            elif block.kind == "para" and text[:1].isupper():
                found.extend((heading, piece) for piece in _pieces(text))
    numbers = [f"1.{i // 99 + 1}.{i % 99 + 1}" for i in range(len(found))]
    return [Section(n, _clean_heading(h, n, t), t) for n, (h, t) in zip(numbers, found)]


def perturb(section: Section, rng: random.Random, pool: list[Section], place: str) -> Section:
    """New text from an old paragraph: one sentence swapped in from elsewhere, order rotated,
    real place names and numbers changed. Always differs from the original."""
    sentences = [section.text[s:e] for s, e in split_sentences(section.text)]
    donor = rng.choice(pool)
    donor_sentences = [donor.text[s:e] for s, e in split_sentences(donor.text)]
    if len(sentences) >= 2:
        sentences[rng.randrange(len(sentences))] = rng.choice(donor_sentences)
        k = rng.randrange(1, len(sentences))
        sentences = sentences[k:] + sentences[:k]
    else:
        sentences.append(rng.choice(donor_sentences))
    text = REAL_PLACES.sub(place, " ".join(sentences))
    text = re.sub(r"\b\d{1,3}\b", lambda m: str(int(m.group()) + rng.randint(1, 9)), text)
    while len(text.split()) < MIN_WORDS or text == section.text:
        text += " " + rng.choice(donor_sentences)
    return Section(section.number, section.heading, text)


@dataclass
class CorpusStats:
    documents: int = 0
    sections: int = 0
    perturbed: int = 0
    words: int = 0


def _write(out_dir: Path, entries: list[dict], texts: list[str]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for entry, text in zip(entries, texts):
        (out_dir / entry["file"]).write_text(text, encoding="utf-8")
    (out_dir / "corpus.yaml").write_text(yaml.safe_dump({"documents": entries}, allow_unicode=True), encoding="utf-8")


def synth_document(i: int, pool: list[Section], spec: SynthSpec) -> tuple[dict, list[Section], int]:
    """Document i (metadata entry, sections, how many perturbed); depends only on (seed, i)."""
    rng = random.Random(f"{spec.seed}-{i}")
    place = spec.places[i % len(spec.places)]
    if spec.words:
        target = spec.words * rng.uniform(1 - LENGTH_SPREAD, 1 + LENGTH_SPREAD)
        chosen, words = [], len(INTRO.split())
        for index in rng.sample(range(len(pool)), len(pool)):
            if words >= target:
                break
            chosen.append(index)
            words += len(pool[index].render().split())
        chosen.sort()
    else:
        count = min(len(pool), rng.randint(spec.sections_min, spec.sections_max))
        chosen = sorted(rng.sample(range(len(pool)), count))
    sections, perturbed = [], 0
    for index in chosen:
        section = pool[index]
        if rng.random() < spec.perturbed:
            section = perturb(section, rng, pool, place)
            perturbed += 1
        sections.append(section)
    entry = {"id": f"synth-{i:04d}", "title": f"IKC-notitie {place} {i:04d}", "municipality": place,
             "year": str(2014 + i % 11), "file": f"synth-{i:04d}.txt"}
    return entry, sections, perturbed


def build_corpus(out_dir: Path, pool: list[Section], documents: int, spec: SynthSpec) -> CorpusStats:
    """Write documents 0..documents-1 as .txt files plus a corpus.yaml."""
    stats = CorpusStats(documents=documents)
    entries, texts = [], []
    for i in range(documents):
        entry, sections, perturbed = synth_document(i, pool, spec)
        text = _opening(entry["municipality"]) + "\n".join(s.render() for s in sections)
        entries.append(entry)
        texts.append(text)
        stats.sections += len(sections)
        stats.perturbed += perturbed
        stats.words += len(text.split())
    _write(out_dir, entries, texts)
    return stats


def pool_corpus(out_dir: Path, pool: list[Section], spec: SynthSpec) -> CorpusStats:
    """One document per place holding every pool section unperturbed: ingesting it fills the
    embedding cache with exactly the windows the synthetic documents reuse."""
    entries = [{"id": f"pool-{n}", "title": f"Pool {place}", "municipality": place, "year": "2020",
                "file": f"pool-{n}.txt"} for n, place in enumerate(spec.places)]
    texts = [_opening(place) + "\n".join(s.render() for s in pool) for place in spec.places]
    _write(out_dir, entries, texts)
    return CorpusStats(documents=len(entries), sections=len(pool) * len(entries),
                       words=sum(len(t.split()) for t in texts))
