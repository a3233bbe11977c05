"""Instructions hidden in a question or a note are content, never commands.

We cut instruction-like sentences out of the question before retrieval and answering,
remember any payload they ask to be echoed, and keep such sentences from notes out of answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_INSTRUCTION = re.compile(
    r"\b(negeer|vergeet|ignore|disregard|forget|override|overrule|jailbreak|developer mode|dev mode|system prompt|"
    r"systeemprompt|system override|je instructies|your instructions|previous instructions|vorige instructies|"
    r"start your (?:reply|answer)|begin (?:je|jouw) (?:antwoord|reactie)|antwoord (?:voortaan|alleen nog)|"
    r"reply only|respond only|answer only in|from now on|vanaf nu|reveal|onthul|print your|toon je prompt|"
    r"pretend|doe alsof|act as|you are now|je bent nu)\b",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(r"^(?:.*?\b(?:question|vraag)\s*:\s*)", re.IGNORECASE | re.DOTALL)
_QUOTED = re.compile(r"[\"'‘“«]([^\"'’”»]{2,80})[\"'’”»]")


@dataclass
class CleanQuestion:
    text: str
    removed: list[str] = field(default_factory=list)
    payloads: list[str] = field(default_factory=list)

    @property
    def had_injection(self) -> bool:
        return bool(self.removed)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def looks_like_instruction(sentence: str) -> bool:
    return bool(_INSTRUCTION.search(sentence))


def clean_question(question: str) -> CleanQuestion:
    """The real question without injected instructions, plus what must never be echoed."""
    removed, payloads, kept = [], [], []
    text = question
    lead = _LEAD_IN.match(text)
    if lead and looks_like_instruction(lead.group(0)):
        removed.append(lead.group(0))
        text = text[lead.end() :]
    for sentence in _sentences(text):
        if looks_like_instruction(sentence):
            removed.append(sentence)
        else:
            kept.append(sentence)
    for part in removed:
        payloads += [m.strip() for m in _QUOTED.findall(part)]
        for word in re.findall(r"\b(?:frans|french|duits|german|engels|english|spaans|spanish)\b", part, re.IGNORECASE):
            payloads.append(word)
    cleaned = " ".join(kept).strip() or question
    return CleanQuestion(cleaned, removed, [p for p in payloads if p])


def strip_payloads(text: str, payloads: list[str]) -> str:
    """Remove any sentence of an answer that repeats an injected payload (LLM output guard)."""
    quoted = [p for p in payloads if len(p) > 3 and p.lower() not in {"frans", "french", "duits", "german", "engels", "english", "spaans", "spanish"}]
    if not quoted:
        return text
    lines = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if not any(p.lower() in sentence.lower() for p in quoted):
            lines.append(sentence)
    return " ".join(lines)
