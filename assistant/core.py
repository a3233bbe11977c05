"""The Assistant: the one API the CLI, the UI and the eval runner call.

ask() = clean the question → make it standalone → retrieve → compose (extractive, or LLM)
→ grounding gate → refuse when support is too weak.
"""

from __future__ import annotations

import logging
import time
from typing import Iterator


from assistant import followup
from assistant.answer import compose_extractive
from assistant.answerability import Answerability, Evidence
from assistant.grounding import gate
from assistant.director.guide import GuidedReply, guided_reply
from assistant.language import detect_language
from assistant.retrieval import HybridRetriever
from assistant.safety import clean_question, strip_payloads
from assistant.terms import TermStats
from assistant.types import Answer, Passage
from ikc.embedders import get_embedder
from ikc.index import IndexReader
from ikc.settings import Settings, get_settings
from ikc.text import normalise_for_match

log = logging.getLogger(__name__)

MIN_RETRIEVED = 5
UNSUPPORTED_MARK = "⚠"
FRAMING = ("The notes say", "Volgens de notities")


def walkthrough_state(history: list[dict]) -> dict | None:
    """The walkthrough state the previous assistant turn carried (callers keep Answer.walkthrough there)."""
    for turn in reversed(history):
        if turn.get("role") == "assistant":
            return turn.get("walkthrough")
    return None


class Assistant:
    def __init__(self, settings: Settings | None = None, chat_model=None) -> None:
        self.settings = settings or get_settings()
        self.embedder = get_embedder(self.settings)
        self.reader = IndexReader(self.settings.data_dir, self.embedder)
        self.retriever = HybridRetriever(self.reader, self.settings)
        self._chat_model = chat_model
        self._tables: tuple[str, TermStats, Answerability] | None = None

    def _index_tables(self) -> tuple[TermStats, Answerability]:
        """Term statistics and the refusal tables of the live index generation, rebuilt when it changes."""
        generation = self.reader.manifest.generation
        if self._tables is None or self._tables[0] != generation:
            stats = TermStats([c.text for c in self.reader.chunks])
            self._tables = (generation, stats, Answerability(stats, self.reader.chunks, self.retriever.aliases))
        return self._tables[1], self._tables[2]

    @property
    def stats(self) -> TermStats:
        return self._index_tables()[0]

    @property
    def answerability(self) -> Answerability:
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
        """Yields text deltas while composing, then the final, gated Answer."""
        started = time.perf_counter()
        history = history or []
        language = detect_language(question)
        cleaned = clean_question(question)
        guided = guided_reply(question, walkthrough_state(history), self.settings)
        if guided is not None:
            yield self._guided_answer(question, guided, filters, started)
            return
        standalone = self._standalone(cleaned.text, history)
        passages = self.retriever.search(standalone, k=max(self.settings.top_k, MIN_RETRIEVED), filters=filters)
        if not passages:
            yield self._refusal(question, language, passages, started, standalone)
            return
        chunks = [self.reader.by_id[p.chunk_id] for p in passages]
        evidence = self.answerability.assess(standalone, language, passages)
        if self.settings.mode == "llm":
            from assistant import llm

            raw = ""
            for delta in llm.stream_answer(self.chat_model, standalone, passages, language):
                raw += delta
                yield delta
            answer = self._finish_llm(question, raw, passages, language, cleaned.payloads)
        else:
            comp = compose_extractive(standalone, passages, chunks, self.stats, language, self.settings.max_answer_sentences)
            result = gate(comp.text, comp.citations, self.settings.support_threshold,
                          exempt=lambda unit: unit.startswith(FRAMING))
            answer = Answer(question, result.text, result.citations, passages, language=language, mode="extractive")
            if result.citations:
                yield answer.answer
        if self._too_weak(evidence) or not answer.citations:
            yield self._refusal(question, language, passages, started, standalone)
            return
        answer.standalone_question = standalone
        answer.latency_ms = (time.perf_counter() - started) * 1000
        yield answer

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

    def _standalone(self, question: str, history: list[dict]) -> str:
        if not history:
            return question
        if self.settings.mode == "llm" and followup.is_followup(question):
            from assistant import llm

            return llm.condense(self.chat_model, question, history)
        standalone = followup.standalone(question, history)
        if standalone == question and not self.retriever.aliases.mentioned(question):
            previous = followup.previous_user_question(history) or ""
            named = self.retriever.aliases.mentioned(previous)
            if named:  # keep talking about the same note(s)
                standalone = f"{question} ({' '.join(self._doc_label(d) for d in named)})"
        return standalone

    def _doc_label(self, doc_id: str) -> str:
        chunk = next(c for c in self.reader.chunks if c.doc_id == doc_id)
        return chunk.municipality if chunk.municipality and chunk.municipality != "landelijk" else chunk.title

    def _too_weak(self, ev: Evidence) -> bool:
        """Refuse when nothing is semantically close, when much of what the question asks about is
        vocabulary the notes never use, or when it asks for a value (amount, date, name…) that no
        retrieved sentence gives (calibrated on three question sets, docs/retrieval.md)."""
        s = self.settings
        log.debug("evidence %s", ev.describe())
        return (ev.dense < s.refusal_min_dense or ev.unknown >= s.refusal_unknown
                or ev.missing_term is not None or (ev.slot is not None and not ev.slot_found))

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

    def _refusal(self, question: str, language: str, passages: list[Passage], started: float, standalone: str) -> Answer:
        nearby = "\n".join(f"- {p.title}, p. {p.page}" + (f" ({p.section})" if p.section else "") for p in passages[:3])
        if language == "en":
            text = "The notes don't cover this. Possibly relevant (mogelijk relevant):\n" + nearby
        else:
            text = "De notities zeggen hier niets over. Mogelijk relevant:\n" + nearby
        return Answer(question, text, [], passages, refused=True, language=language, mode=self.settings.mode,
                      latency_ms=(time.perf_counter() - started) * 1000, standalone_question=standalone)
