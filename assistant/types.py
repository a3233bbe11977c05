"""The Answer every caller (CLI, UI, eval runner) gets; `to_result` is the eval contract.

Passages and citations are records of the bottom layer (ikc.records).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ikc.records import Citation, Passage


@dataclass
class Answer:
    question: str
    answer: str
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Passage] = field(default_factory=list)
    refused: bool = False
    language: str = "nl"
    mode: str = "extractive"
    latency_ms: float = 0.0
    standalone_question: str = ""
    # Set when the question started or continued the instrument walkthrough.
    walkthrough: dict | None = None
    # Quick replies a guided task offers (level names, yes/no, …).
    options: list[str] = field(default_factory=list)

    def to_result(self, item_id: str | None = None) -> dict:
        """One object in the result format of shared/evals/README.md (read by other tools)."""
        result = {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "language": self.language,
            "citations": [
                {k: c[k] for k in ("n", "doc_id", "title", "page", "section", "text")}
                for c in (asdict(x) for x in self.citations)
            ],
            "retrieved": [
                {"doc_id": p.doc_id, "page": p.page, "text": p.text, "score": round(p.score, 6),
                 "title": p.title, "section": p.section}
                for p in self.retrieved
            ],
            "latency_ms": round(self.latency_ms, 1),
            "mode": self.mode,
        }
        if item_id is not None:
            result = {"id": item_id, **result}
        return result
