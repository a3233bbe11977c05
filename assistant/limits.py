"""What one request may ask: a cleaned, bounded question and history, checked before any work is done.

A 1 MB question once held the embedder's lock for minutes while every other user waited
(issue 16): now the question is cleaned (control and invisible characters out, Unicode
normalised), an empty one is answered with a one-line prompt to ask something, and one longer
than `Settings.max_question_chars` with a one-line message, both in well under a millisecond
and without passages. History is cut to its last `max_history_turns` messages of at most
`max_history_chars` each; anything that is not a chat message is dropped. The per-request time
budget (`request_budget_s`) is for callers that can stop waiting (`answer_within_budget`).
"""

from __future__ import annotations

import concurrent.futures
import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field

from assistant.language import detect_language
from assistant.types import Answer
from ikc.settings import Settings

log = logging.getLogger(__name__)

NOTICE_MODE = "notice"  # Answer.mode of a message about the request itself (not from the notes)
# Characters kept out of every question: C0/C1 controls (but tab and newline), zero-width and
# bidirectional controls (which can hide text from a reader), the BOM and Unicode non-characters.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb"
                        "\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(?:\n\s*)+")
# How much of a long text is looked at to tell its language (the message is all that is written).
LANGUAGE_SAMPLE = 2000
ROLES = ("user", "assistant")

MESSAGES = {
    "empty": {
        "nl": "Stel een vraag over de IKC-notities, bijvoorbeeld: Wat is een integraal kindcentrum?",
        "en": "Ask a question about the IKC notes, for example: What is an integrated child centre?",
    },
    "too_long": {
        "nl": "Uw vraag is {length} tekens lang; stel een vraag van hoogstens {limit} tekens.",
        "en": "Your question is {length} characters long; please ask in at most {limit} characters.",
    },
    "too_slow": {
        "nl": "Het antwoord kost meer dan {seconds} seconden; probeer een kortere of eenvoudigere vraag.",
        "en": "The answer takes more than {seconds} seconds; please try a shorter or simpler question.",
    },
}


@dataclass
class Bounded:
    """A request within the limits, or the one-line `notice` that answers it instead."""

    question: str
    history: list[dict] = field(default_factory=list)
    language: str = "nl"
    notice: str | None = None


def clean_text(text: object) -> str:
    """Text as a person typed it: NFC, no control or invisible characters, no runs of spaces or blank lines."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = unicodedata.normalize("NFC", _INVISIBLE.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")))
    text = _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", text))
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def _number(n: int, language: str) -> str:
    """2.000 in Dutch, 2,000 in English."""
    return f"{n:,}".replace(",", ".") if language == "nl" else f"{n:,}"


def bound_history(history: object, settings: Settings) -> list[dict]:
    """The last `max_history_turns` chat messages, each `{"role", "content", …}` with content cut to size."""
    if not isinstance(history, (list, tuple)):
        return []
    kept = []
    for turn in list(history)[-settings.max_history_turns:]:
        if not isinstance(turn, dict) or turn.get("role") not in ROLES:
            continue
        turn = dict(turn)
        turn["content"] = clean_text(turn.get("content"))[: settings.max_history_chars]
        if not isinstance(turn.get("walkthrough"), (dict, type(None))):
            turn.pop("walkthrough")
        kept.append(turn)
    return kept


def bound_request(question: object, history: object, settings: Settings) -> Bounded:
    """Clean and check one request; `notice` is set when the question must not be searched."""
    if isinstance(question, str) and len(question) > 4 * settings.max_question_chars:
        # Far over the limit: no need to clean a megabyte to say so (the count is of what was sent).
        language = detect_language(question[:LANGUAGE_SAMPLE])
        return Bounded(question[: settings.max_question_chars], [], language,
                       _too_long(len(question), settings.max_question_chars, language))
    text = clean_text(question)
    language = detect_language(text[:LANGUAGE_SAMPLE])
    if not any(ch.isalnum() for ch in text):
        return Bounded("", [], language, MESSAGES["empty"][language])
    if len(text) > settings.max_question_chars:
        return Bounded(text[: settings.max_question_chars], [], language,
                       _too_long(len(text), settings.max_question_chars, language))
    return Bounded(text, bound_history(history, settings), language)


def _too_long(length: int, limit: int, language: str) -> str:
    return MESSAGES["too_long"][language].format(length=_number(length, language), limit=_number(limit, language))


def notice_answer(bounded: Bounded, mode: str = NOTICE_MODE, started: float | None = None) -> Answer:
    """The Answer that carries a notice: the message only, no passages, no citations."""
    latency = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    return Answer(bounded.question, bounded.notice or "", [], [], refused=True, language=bounded.language,
                  mode=mode, latency_ms=latency, standalone_question=bounded.question)


_pool: concurrent.futures.ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor(workers: int) -> concurrent.futures.ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(2, workers), thread_name_prefix="ikc-ask")
        return _pool


def answer_within_budget(assistant, question: object, history: list[dict] | None = None,
                         filters: dict | None = None) -> Answer:
    """`assistant.ask` that gives up waiting after `request_budget_s` with a one-line message.

    Python cannot stop a thread, so the answer is still computed (in a small pool of workers, so
    slow requests cannot pile up without end); the caller just stops waiting for it. What was
    asked is bounded first, so a request over the limits never reaches the pool.
    """
    settings: Settings = assistant.settings
    started = time.perf_counter()
    bounded = bound_request(question, history, settings)
    if bounded.notice is not None:
        return notice_answer(bounded, started=started)
    future = _executor(2 * settings.ui_concurrency).submit(assistant.ask, bounded.question, bounded.history, filters)
    try:
        return future.result(timeout=settings.request_budget_s)
    except concurrent.futures.TimeoutError:
        log.warning("question over the %.0f s budget: %.80r", settings.request_budget_s, bounded.question)
        seconds = f"{settings.request_budget_s:g}"
        bounded.notice = MESSAGES["too_slow"][bounded.language].format(seconds=seconds)
        return notice_answer(bounded, started=started)
