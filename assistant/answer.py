"""Extractive answers: pick the sentences of the retrieved passages that answer the question.

No LLM: deterministic, offline, and every statement is a verbatim quote, so numbers and
names stand exactly as in the note. Lists stay lists. For an English question the framing
is English, the Dutch source text is quoted, and its most specific terms are glossed in English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.glossary import gloss
from assistant.grounding import dense_support
from assistant.safety import looks_like_instruction
from assistant.terms import TermStats
from ikc.text import terms
from ikc.records import Citation, Passage
from ikc.records import Chunk
from ikc.text import split_sentences

_ANAPHORA = re.compile(r"^(Dit|Deze|Die|Dat|Daar\w*|Hier\w*|Zij|Ze|Het|This|These|It|They)\b")
_NUMERIC_Q = re.compile(r"\b(hoeveel|hoe ?veel|welk deel|percentage|aantal|how many|how much|what share|what percentage)\b", re.I)
_REFERENCE = re.compile(r"\(\d{4}\)[.,]|\bEds?\.|\bpp\.|https?://|\bUtrecht:|\bDen Haag:|\bAmsterdam:|^\d{1,2} [A-Z][a-z]+, [A-Z]\.")
_CITES = re.compile(r"\(\d{4}\)|\bet al\b|\b(?:University|Universiteit|Press|Instituut|Institute)\b|[A-Z][a-z]+, [A-Z]\. ")
_DEFINITION_Q = re.compile(r"^\s*(wat is|wat zijn|wat betekent|wat verstaa?t?\w* .* onder|wat bedoel\w* .* met|what is|what are|what does .* mean)\b", re.I)
_DEFINES = re.compile(r"\b(is een|zijn|betekent|verstaan we|bedoelen we|houdt in|is de|is het|wordt .* genoemd)\b")
_LIST_Q = re.compile(r"\b(welke|noem|wat zijn|which|what are|list)\b", re.I)


@dataclass
class Candidate:
    rank: int  # passage rank (0 = best)
    start: int  # offsets in the passage text
    end: int
    text: str
    item: bool
    score: float = 0.0


def candidates(chunk: Chunk, rank: int) -> list[Candidate]:
    """Sentences and list items of a passage, with their offsets."""
    out: list[Candidate] = []
    offset = 0
    headings = set(chunk.section.split(" > "))
    for line in chunk.text.split("\n"):
        start = chunk.text.find(line, offset)
        offset = start + len(line)
        if line.strip() in headings:
            continue
        is_item = line.startswith("•") or bool(re.match(r"^\d{1,2}[.)]\s", line))
        if is_item or len(line.split()) <= 6:
            out.append(Candidate(rank, start, start + len(line), line, is_item))
            continue
        for s, e in split_sentences(line, start):
            out.append(Candidate(rank, s, e, chunk.text[s:e], False))
    return [c for c in out if c.text.strip() and not looks_like_instruction(c.text)]


@dataclass
class Composition:
    text: str
    citations: list[Citation]


def compose_extractive(
    question: str,
    passages: list[Passage],
    chunks: list[Chunk],
    stats: TermStats,
    language: str,
    max_sentences: int,
) -> Composition:
    """Score every sentence against the question, keep the best few, group them per passage."""
    q_terms = terms(question)
    numeric = bool(_NUMERIC_Q.search(question))
    definition = bool(_DEFINITION_Q.search(question)) and len(question.split()) <= 10
    list_question = bool(_LIST_Q.search(question))
    # Dutch notes: for a Dutch question word overlap is telling; for English only e5's similarity is.
    w_lex, w_ctx, w_dense = (0.2, 0.05, 0.75) if language == "en" else (0.55, 0.15, 0.3)
    pool: list[Candidate] = []
    per_chunk: dict[int, list[Candidate]] = {}
    for rank, (chunk, passage) in enumerate(zip(chunks, passages)):
        cands = candidates(chunk, rank)
        per_chunk[rank] = cands
        prior = 1.0 / (1.0 + 0.12 * rank)
        context = stats.overlap(q_terms, terms(chunk.text))
        for c in cands:
            lexical = stats.overlap(q_terms, terms(c.text))
            sim = max((h[2] for h in passage.hits if h[0] <= c.start < h[1]), default=0.0)
            dense = dense_support(sim)
            c.score = prior * (w_lex * lexical + w_ctx * context + w_dense * dense)
            if numeric and re.search(r"\d", c.text):
                c.score *= 1.15
            if definition and _DEFINES.search(c.text[:160]):
                c.score *= 1.3
            if c.item and definition:  # a lone list item rarely defines anything
                c.score *= 0.6
            if len(c.text.split()) <= 3:  # a bare label or heading is no answer
                c.score *= 0.5
            if _REFERENCE.search(c.text):  # bibliography and footnotes are no answer either
                c.score *= 0.3
            elif _CITES.search(c.text):
                c.score *= 0.7
            pool.append(c)
    if not pool:
        return Composition("", [])
    best = max(pool, key=lambda c: c.score)
    chosen = [best]
    for c in sorted(pool, key=lambda c: -c.score):
        if len(chosen) >= max_sentences:
            break
        if c is best or c.score < 0.7 * best.score:
            continue
        if any(c.rank == o.rank and not (c.end <= o.start or c.start >= o.end) for o in chosen):
            continue
        if any(c.text == o.text for o in chosen):
            continue
        chosen.append(c)
    chosen = _with_context(chosen, per_chunk, list_question)
    return _render(chosen, chunks, language, stats)


def _with_context(chosen: list[Candidate], per_chunk: dict[int, list[Candidate]], list_question: bool) -> list[Candidate]:
    """Add the sentence an anaphoric one leans on, and the list items a `…:` sentence introduces."""
    extra: list[Candidate] = []
    for c in chosen:
        cands = per_chunk[c.rank]
        idx = next((i for i, x in enumerate(cands) if x.start == c.start), None)
        if idx is None:
            continue
        if _ANAPHORA.match(c.text) and idx > 0 and not cands[idx - 1].item:
            extra.append(cands[idx - 1])
        follows_items = idx + 1 < len(cands) and cands[idx + 1].item
        if c.text.rstrip().endswith(":") or (list_question and (c.item or follows_items)):
            j = idx + 1
            while j < len(cands) and cands[j].item and j - idx <= 8:
                extra.append(cands[j])
                j += 1
    seen: set[tuple[int, int]] = set()
    merged = []
    for c in sorted(chosen + extra, key=lambda c: (c.rank, c.start)):
        if (c.rank, c.start) not in seen:
            seen.add((c.rank, c.start))
            merged.append(c)
    order = {c.rank: i for i, c in enumerate(chosen)}
    return sorted(merged, key=lambda c: (order.get(c.rank, 99), c.start))


def _glossed(quote: str, stats: TermStats) -> str:
    """' (huur = rent; functie = function)': the quote's most specific terms in English."""
    pairs = gloss(quote, lambda word: max((stats.idf(t) for t in terms(word)), default=0.0))
    return f" ({'; '.join(f'{nl} = {en}' for nl, en in pairs)})" if pairs else ""


def _render(chosen: list[Candidate], chunks: list[Chunk], language: str, stats: TermStats) -> Composition:
    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    lines: list[str] = []
    prose: list[str] = []
    for c in chosen:
        if c.rank not in numbers:
            numbers[c.rank] = len(numbers) + 1
            chunk = chunks[c.rank]
            group = [x for x in chosen if x.rank == c.rank]
            citations.append(Citation(
                n=numbers[c.rank], doc_id=chunk.doc_id, title=chunk.title, page=chunk.page_at(c.start),
                section=chunk.section, text=chunk.text[min(x.start for x in group) : max(x.end for x in group)].strip(),
                chunk_id=chunk.chunk_id,
                municipality=chunk.municipality, file=chunk.file,
            ))
        n = numbers[c.rank]
        body = c.text.strip().lstrip("•").strip()
        if language == "en":
            body = f"“{body}”" + _glossed(body, stats)
        if c.item:
            if prose:
                lines.append(" ".join(prose))
                prose = []
            lines.append(f"- {body} [{n}]")
        else:
            if lines and lines[-1].startswith("- "):
                lines.append(" ".join(prose)) if prose else None
                prose = []
            prose.append(f"{body} [{n}]")
    if prose:
        lines.append(" ".join(prose))
    text = "\n".join(line for line in lines if line)
    if language == "en":
        text = f"The notes say (quoted in Dutch, as in the source):\n{text}"
    return Composition(text, citations)
