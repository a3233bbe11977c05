"""Hybrid retrieval: BM25 (Dutch stems) and dense (Chroma) ranked lists fused with RRF.

Two things matter for these notes beyond plain fusion: questions often name the note they
are about ("volgens de Leeuwarder notitie", "the VNG handbook"), and a multi-document
question needs each named note represented in the top passages.
"""

from __future__ import annotations

import logging
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from wordfreq import zipf_frequency

from assistant.evidence import acronyms_spelled_out
from assistant.glossary import dutch_keywords
from assistant.language import detect_language
from ikc.index import IndexReader
from ikc.records import Chunk, Passage
from ikc.settings import Settings
from ikc.text import fold

log = logging.getLogger(__name__)

# Fused scores are compared to 9 decimals, so the same ranks summed in another order (which differ by float
# rounding, ~1e-17) are equal; hard ranks never differ that little, and soft ones only far below the dense noise.
FUSED_DECIMALS = 9
# Expected dense ranks are kept to a hundredth of a rank. The logistic that `expected_ranks` takes for the noise
# stands in for the measured Gaussian and differs from it by up to 0.023 in each probability (its tail is far
# heavier: a window 4.8 noise-widths away adds 1.7e-4 to a rank, the Gaussian 8e-7); finer rank differences are the
# model's, not the embedder's, and left in they decide ties that the BM25 rule below should (docs/retrieval.md).
RANK_DECIMALS = 2

# Words that say "a document" ("volgens de notitie", "in the guide"): inside one document's search they name it.
_DOCUMENT_WORDS = frozenset("notitie notities kennisnotitie nota handreiking note notes guide document documenten "
                            "rapport report brief letter".split())
_GENERIC = {
    "gemeente", "notitie", "integrale", "integraal", "kindcentra", "kindcentrum", "ikc", "beleid", "visie",
    "voor", "van", "het", "de", "een", "en", "kinderen", "kind", "landelijk", "centraal", "uitvoeringsprogramma",
    "kennisnotitie", "onderwijshuisvesting", "maken", "kansen",
}
# A document's title word that this many other documents' texts also use describes a topic, not the document
# (chosen on the second corpus: "kinderopvang" is in the title of the Wet kinderopvang and in every text).
# ("VNG" is used by two of the other notes and still names the VNG's handbook.) Nor does a word this common in Dutch
# (wordfreq Zipf: "kinderopvang" 4.02, "hoofdstuk" 4.2, "vaart" 4.3 do not; "rekenkamer" 3.4 and "vng" 3.3 do).
ALIAS_MAX_OTHER_DOCS = 2
ALIAS_MAX_ZIPF = 4.0
# Dutch endings of a title word in a question ("de handreikingen", "het rekenkamerrapport" is another word).
_INFLECTIONS = frozenset(["s", "e", "en", "es", "se", "sche"])
# Words of a municipality field that name no place ("landelijk" for national texts, "fictief" in a test corpus).
_NOT_A_PLACE = frozenset("landelijk nationaal national fictief gemeente gemeenten provincie".split())


def reciprocal_rank_fusion(rankings: list[list[str] | dict[str, float]], k: int,
                           weights: list[float] | None = None) -> dict[str, float]:
    """Cormack et al.'s RRF. A ranking is a list (best first) or a dict of key → rank (1 = best; may be fractional).

    Written out rather than imported: ranx (the maintained implementation) pulls numba and
    costs ~3 s at import, which alone would break the 3 s cold-start budget.
    """
    weights = weights or [1.0] * len(rankings)
    fused: dict[str, float] = defaultdict(float)
    for ranking, weight in zip(rankings, weights):
        ranks = ranking.items() if isinstance(ranking, dict) else ((key, r) for r, key in enumerate(ranking, start=1))
        for key, rank in ranks:
            fused[key] += weight / (k + rank)
    return fused


def expected_ranks(scores: np.ndarray, candidates: np.ndarray, noise: float) -> np.ndarray:
    """The rank (1 = best) of each of `candidates` among all finite `scores` when a difference of two scores is
    only known to within `noise` (its standard deviation): 1 + Σ_j P(s_j > s_i), with logistic noise.

    Why: RRF reads ranks, and a rank is only as precise as the scores under it. e5 packs a question's best
    40 windows into ~0.04 of cosine, so neighbours are often closer than two faithful runs of the same
    weights disagree (docs/retrieval.md); a hard rank then turns that noise into a whole rank step. Here
    windows closer than the noise share their ranks and windows far apart keep them; noise 0 gives the
    hard ranks (exact ties share).
    """
    cand = scores[candidates]
    if not len(cand):
        return np.zeros(0)
    if noise <= 0:
        return 1.0 + (scores[None, :] > cand[:, None]).sum(1) + 0.5 * ((scores[None, :] == cand[:, None]).sum(1) - 1)
    scale = noise * math.sqrt(3) / math.pi  # a logistic distribution with this scale has standard deviation `noise`
    rivals = scores[np.isfinite(scores) & (scores >= cand.min() - 40 * scale)]  # further ones add < e^-40 each
    beats = 1.0 / (1.0 + np.exp(np.clip((cand[:, None] - rivals[None, :]) / scale, -60, 60)))
    return 0.5 + beats.sum(1)  # each candidate is among the rivals and adds exactly 1/2 for itself


@dataclass
class DocAliases:
    """Distinctive words that name a note in a question (municipality, id and title words)."""

    by_doc: dict[str, set[str]]
    # A municipality with several documents ("Oosterwold": its ordinance, a council proposal, an audit report): its
    # name names none of them alone, but says the question is about that place's documents.
    places: dict[str, set[str]] = field(default_factory=dict)
    # A title's first word written as a name inside a question ("volgens het Besluit", "de Verordening") names the
    # one document whose title opens with it, however common the word.
    titled: dict[str, str] = field(default_factory=dict)
    towns: set[str] = field(default_factory=set)  # aliases that are place names: other endings count ("Asser")
    # A run of a title's words that no other title has and few texts use names its document however common each word
    # is: "according to Kansen voor Kinderen 2", "volgens Vaart maken" (see _title_phrases).
    phrases: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, chunks: list[Chunk]) -> DocAliases:
        meta: dict[str, set[str]] = {}
        towns: dict[str, set[str]] = defaultdict(set)
        first: dict[str, Chunk] = {}  # each document's first chunk: its municipality and title
        for c in chunks:
            if c.doc_id not in meta:
                first[c.doc_id] = c
                words = re.findall(r"[a-z]{3,}", fold(f"{c.municipality} {c.doc_id} {c.title}"))
                meta[c.doc_id] = {w for w in words if w not in _GENERIC and w not in _NOT_A_PLACE}
                for w in re.findall(r"[a-z]{3,}", fold(c.municipality or "")):
                    if w not in _GENERIC and w not in _NOT_A_PLACE:
                        towns[w].add(c.doc_id)
        counts: dict[str, int] = defaultdict(int)
        for words in meta.values():
            for w in words:
                counts[w] += 1
        # A title word names its document only when the texts rarely use it: "Wet kinderopvang" is not named by
        # every question about "kinderopvang", nor an audit report by "aan" or "naar"; a municipality always is.
        wanted = {w for words in meta.values() for w in words if counts[w] == 1}
        used_by: dict[str, set[str]] = defaultdict(set)
        texts = [(c.doc_id, fold(c.text)) for c in chunks]  # folded once, for the title words and the title phrases
        for doc_id, text in texts:
            for w in wanted.intersection(re.findall(r"[a-z]{3,}", text)):
                used_by[w].add(doc_id)
        aliases = {}
        for doc, words in meta.items():
            aliases[doc] = {w for w in words if counts[w] == 1 and (
                doc in towns.get(w, ())
                or (len(used_by[w] - {doc}) <= ALIAS_MAX_OTHER_DOCS and zipf_frequency(w, "nl") < ALIAS_MAX_ZIPF))}
        heads: dict[str, list[str]] = defaultdict(list)
        for doc in meta:
            title = first[doc].title or ""
            head = re.match(r"\s*([A-Za-zÀ-ÿ]{3,})", title)
            if head:
                heads[head.group(1).capitalize()].append(doc)
        return cls(aliases, {w: docs for w, docs in towns.items() if len(docs) >= 2},
                   {h: docs[0] for h, docs in heads.items() if len(docs) == 1}, set(towns),
                   _title_phrases({d: first[d].title or "" for d in meta}, texts))

    def _names(self, alias: str, tokens: list[str]) -> bool:
        if alias not in self.towns:  # a title word as written or inflected ("rekenkamers"), not an English
            # look-alike ("inspection" is no "inspectie")
            return any(t == alias or (t.startswith(alias) and t[len(alias):] in _INFLECTIONS) for t in tokens)
        need = len(alias) if len(alias) < 4 else max(4, len(alias) - 1)
        # "Asser", "Leeuwarder": another ending of the name, not a longer word ("peuteropvang" ≠ "peuters")
        return any(need <= len(t) <= len(alias) + 2 and t[:need] == alias[:need] for t in tokens)

    def mentioned(self, question: str) -> list[str]:
        """Docs the question names; `Asser`, `Leeuwarder`, `Lansingerlandse` count for their municipality."""
        tokens = re.findall(r"[a-z]{3,}", fold(question))
        found = [doc for doc, aliases in self.by_doc.items() if any(self._names(a, tokens) for a in aliases)]
        for head, doc in self.titled.items():
            if doc not in found and re.search(r"(?<![.?!:]\s)(?<=\w\s)" + re.escape(head) + r"\b", question.strip()):
                found.append(doc)
        # a title phrase where the question cites its source ("according to Kansen voor Kinderen 2"): elsewhere the
        # same words may name what the question is about ("ikc De Morgenster" is a school, not its agreement)
        for cited in SOURCE_CITED.finditer(question) if self.phrases else ():
            said = f" {' '.join(_TITLE_WORD.findall(fold(cited.group(1))))} "
            for phrase, doc in self.phrases.items():
                if doc not in found and f" {phrase} " in said:
                    found.append(doc)
        return found

    def place_docs(self, question: str) -> list[str]:
        """The documents of a municipality with several that the question names ("in Oosterwold")."""
        tokens = re.findall(r"[a-z]{3,}", fold(question))
        return sorted({d for place, docs in self.places.items() if self._names(place, tokens) for d in docs})

    def without_names(self, text: str, doc_id: str) -> str:
        """The text without the words naming `doc_id` by its place and kind (its municipality, words for a document):
        a search inside that one note finds them everywhere in it, so they only pull its general passages up
        ("welke rol kiest de gemeente Lansingerland in haar kennisnotitie?" → "welke rol kiest de gemeente in haar?").
        Not its title's words: "volgens de Subsidieregeling pilots startgroepen" names the regulation and what the
        question is about."""
        aliases = self.by_doc.get(doc_id, set()) & self.towns

        def names(word: str) -> bool:
            token = fold(word)
            return token in _DOCUMENT_WORDS or any(self._names(a, [token]) for a in aliases)

        return re.sub(r"[\w'’-]+", lambda m: "" if names(m.group(0)) else m.group(0), text).strip()

    def names_something(self, word: str) -> bool:
        """The word names a document or a municipality with documents: it says where, not what."""
        parts = re.findall(r"[a-z]{3,}", fold(word))  # "Oosterwold-Noord" is a district, not the municipality
        return bool(parts) and all(self.mentioned(p) or self.place_docs(p) for p in parts)


_TITLE_WORD = re.compile(r"[a-z0-9]+")
# "according to the 2014 VNG handreiking", "volgens de Asser notitie": the source a question (or a part of one) cites,
# up to the clause's end
SOURCE_CITED = re.compile(r"\b(?:according to|volgens|as (?:stated|described) in|zoals (?:beschreven )?in)\s+"
                          r"([^,;?.]{1,80}?)(?=\s*(?:[,;?.]|$|\band\b|\ben\b))", re.I)
# A title phrase has this many words at most, and at least two of three or more letters ("Vaart maken", "Kansen voor
# Kinderen 2"); shorter runs are single words, which the word aliases above already judge.
TITLE_PHRASE_WORDS = (2, 5)
_FUNCTION_WORDS = frozenset("voor van het de een en in op met over aan tot te der den bij uit".split())


def _title_phrases(titles: dict[str, str], texts: list[tuple[str, str]]) -> dict[str, str]:
    """Runs of a title's words (folded) that name its document: in no other title, and used by at most
    ALIAS_MAX_OTHER_DOCS other documents' texts (`texts`: each chunk's document and folded text), so that "integrale
    kindcentra" in Assen's title names nothing. The texts are read once, each run looked up where a word could open
    one: the cost grows with the corpus, not with the corpus times the number of titles."""
    runs: dict[str, set[str]] = defaultdict(set)
    low, high = TITLE_PHRASE_WORDS
    for doc, title in titles.items():
        words = _TITLE_WORD.findall(fold(re.sub(r"\([^)]*\)", " ", title)))
        for n in range(low, high + 1):
            for i in range(len(words) - n + 1):
                run = words[i:i + n]
                content = [w for w in run if len(w) >= 3 and w.isalpha() and w not in _FUNCTION_WORDS]
                # (two words only when one is not the field's own: "kind centraal" is said of any IKC; three, like
                # "kansen voor kinderen", are a name)
                if len(content) >= 2 and run[0] in content and run[-1] not in _FUNCTION_WORDS \
                        and (n >= 3 or any(w not in _GENERIC for w in content)):
                    runs[" ".join(run)].add(doc)
    candidates = {r: next(iter(docs)) for r, docs in runs.items() if len(docs) == 1}
    if not candidates:
        return {}
    openers = {r.split(" ", 1)[0] for r in candidates}
    used_by: dict[str, set[str]] = defaultdict(set)
    for doc_id, text in texts:
        words = _TITLE_WORD.findall(text)
        for i in (i for i, w in enumerate(words) if w in openers):
            for n in range(low, min(high, len(words) - i) + 1):
                run = " ".join(words[i:i + n])
                if candidates.get(run, doc_id) != doc_id:
                    used_by[run].add(doc_id)
    return {r: doc for r, doc in candidates.items() if len(used_by[r]) <= ALIAS_MAX_OTHER_DOCS}


class HybridRetriever:
    """Ranks chunks for a question; reads the index only through IndexReader."""

    def __init__(self, reader: IndexReader, settings: Settings) -> None:
        self.reader = reader
        self.settings = settings
        self._generation = None
        self.sync()

    def sync(self) -> None:
        """Follow the live index generation (the reader reloads after an ingest)."""
        self.reader.refresh()
        if self._generation != self.reader.manifest.generation:
            self._generation = self.reader.manifest.generation
            self.aliases = DocAliases.build(self.reader.chunks)
            self.windows_of: dict[str, list[int]] = defaultdict(list)
            for i, w in enumerate(self.reader.windows):
                self.windows_of[w.chunk_id].append(i)

    def allowed(self, filters: dict | None) -> np.ndarray | None:
        """Boolean mask over windows for {"doc_id": [...]} / {"municipality": [...]} filters."""
        if not filters:
            return None
        by_id = self.reader.by_id
        mask = np.ones(len(self.reader.windows), dtype=bool)
        for key in ("doc_id", "municipality"):
            values = filters.get(key)
            if values:
                wanted = {values} if isinstance(values, str) else set(values)
                mask &= np.array([getattr(by_id[w.chunk_id], key) in wanted for w in self.reader.windows])
        return mask

    def search(self, question: str, k: int | None = None, filters: dict | None = None,
               query_vector: np.ndarray | None = None) -> list[Passage]:
        """Windows are ranked by BM25 and by e5, fused, then lifted to their chunks (small-to-big).

        `query_vector`: the question's embedding when the caller searches several times for one question."""
        self.sync()
        s = self.settings
        k = k or s.top_k
        reader = self.reader
        if not reader.windows:
            return []
        # BM25 reads Dutch stems: an English question is searched with the glossary's Dutch for its words too.
        lexical_query = question
        if detect_language(question) == "en":
            lexical_query = f"{question} {dutch_keywords(question)}"
        lexical_query = " ".join([lexical_query, *acronyms_spelled_out(lexical_query)])
        scores = reader.bm25_scores(lexical_query)
        mask = self.allowed(filters)
        if mask is not None:
            scores = np.where(mask, scores, -1.0)
        order = np.argsort(-scores, kind="stable")[: s.bm25_k]  # equal scores keep window order: same list every run
        bm25_ranking = [reader.windows[i].window_id for i in order if scores[i] > 0]
        query_vec = query_vector if query_vector is not None else reader.embedder.embed_query(question)
        sims = reader.dense_scores(query_vec, mask)
        best = [i for i in np.argsort(-sims, kind="stable")[: s.dense_k] if np.isfinite(sims[i])]
        dense_sim = {reader.windows[i].window_id: float(sims[i]) for i in best}
        dense_rank = dict(zip(dense_sim, np.round(expected_ranks(sims, np.array(best, dtype=int), s.dense_noise), RANK_DECIMALS).tolist()))
        fused = reciprocal_rank_fusion([bm25_ranking, dense_rank], s.rrf_k, [s.bm25_weight, 1.0])
        # Equal fused scores (ranks 1 + 2 and 2 + 1 sum to the same, up to float rounding) go to the better BM25
        # rank, which no embedder's rounding can move, then to the window's place in the corpus.
        fused = {wid: round(score, FUSED_DECIMALS) for wid, score in fused.items()}
        bm25_pos = {wid: r for r, wid in enumerate(bm25_ranking)}
        corpus_pos = {reader.windows[i].window_id: int(i) for i in [*order, *best]}
        chunk_score: dict[str, float] = defaultdict(float)
        # Chunks with equal scores keep this order too (stable sorts over keys that are the same in every process).
        tie_order = sorted(fused, key=lambda w: (-fused[w], bm25_pos.get(w, len(bm25_pos)), corpus_pos[w]))
        for wid, score in ((w, fused[w]) for w in tie_order):
            window = reader.window_by_id[wid]
            chunk_score[window.chunk_id] = max(chunk_score[window.chunk_id], score)
        ranked = sorted(chunk_score, key=lambda cid: -chunk_score[cid])
        allowed_docs = None if mask is None else {reader.by_id[w.chunk_id].doc_id for w, m in zip(reader.windows, mask) if m}
        named = [d for d in self.aliases.mentioned(question) if allowed_docs is None or d in allowed_docs]
        if named:
            ranked = self._favour_named(ranked, named)
        # A passage carries the similarity of every one of its windows, not only of those that made the
        # retriever's lists: the answer is chosen among the chunk's units, and a unit whose window ranked
        # below the dense cut-off is no less similar for it (`sims` already holds every window's cosine).
        passages = []
        for cid in ranked[:k]:
            c = reader.by_id[cid]
            own = [(reader.windows[i].start, reader.windows[i].end, max(0.0, float(sims[i])))
                   for i in self.windows_of.get(cid, []) if np.isfinite(sims[i])]
            passages.append(Passage.from_chunk(c, chunk_score[cid], own))
        return passages

    def _favour_named(self, ranked: list[str], named: list[str]) -> list[str]:
        """Passages from the notes the question names come first, the best of each named note leading."""
        by_id = self.reader.by_id
        own = [cid for cid in ranked if by_id[cid].doc_id in named]
        rest = [cid for cid in ranked if by_id[cid].doc_id not in named]
        leaders = []
        for doc in named:
            first = next((cid for cid in own if by_id[cid].doc_id == doc), None)
            if first:
                leaders.append(first)
        return leaders + [cid for cid in own if cid not in leaders] + rest
