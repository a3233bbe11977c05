"""One chat session's answers: the history the Assistant sees, and the Markdown export.

The chat component holds escaped display text; the Assistant must see what was really said,
so the session keeps the `Answer` objects themselves.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime

from assistant.types import Answer
from ui.i18n import DEFAULT, t


def _plain(text: str) -> str:
    """Untrusted text for a Markdown file: angle brackets and ampersands escaped, nothing else."""
    return html.escape(text or "", quote=False)


@dataclass
class Conversation:
    answers: list[Answer] = field(default_factory=list)

    def add(self, answer: Answer) -> None:
        self.answers.append(answer)

    @property
    def last(self) -> Answer | None:
        return self.answers[-1] if self.answers else None

    def history(self) -> list[dict]:
        """Earlier turns in the messages format the Assistant takes."""
        turns: list[dict] = []
        for a in self.answers:
            turns.append({"role": "user", "content": a.question})
            message = {"role": "assistant", "content": a.answer}
            if a.walkthrough is not None:
                message["walkthrough"] = a.walkthrough
            turns.append(message)
        return turns

    def walkthrough(self) -> dict | None:
        """The walkthrough state of the last answer, when the chat is inside the walkthrough."""
        return self.last.walkthrough if self.last else None

    def to_markdown(self, lang: str = DEFAULT) -> str:
        """The conversation with, under every answer, its cited sources (title, page, section, quote), in the
        UI's language."""
        from ui.render import possibly_relevant

        lines = [f"# {t(lang, 'export_title')}", "", f"_{t(lang, 'export_saved')} {datetime.now():%Y-%m-%d %H:%M}_", ""]
        for i, a in enumerate(self.answers, start=1):
            lines += [f"## {t(lang, 'export_question')} {i}", "", _plain(a.question), "",
                      f"### {t(lang, 'export_answer')}", ""]
            if a.refused:
                lines += [f"_{t(lang, 'export_refused')}_", ""]
                lines += [_plain(a.answer.partition(chr(10))[0]), ""]
            else:
                lines += [_plain(a.answer), ""]
            if a.citations:
                lines += [f"### {t(lang, 'sources')}", ""]
                for c in a.citations:
                    where = f"{_plain(c.title)}" + (f", {_plain(c.municipality)}" if c.municipality else "")
                    where += f", p. {c.page}" + (f" — {_plain(c.section)}" if c.section else "")
                    lines.append(f"[{c.n}] {where}")
                    lines += ["", *("> " + line for line in _plain(c.text).splitlines() or [""]), ""]
            elif a.refused and possibly_relevant(a.retrieved):
                lines += [f"### {t(lang, 'possibly_relevant')}", ""]
                lines += [f"- {_plain(p.title)}, p. {p.page}" + (f" — {_plain(p.section)}" if p.section else "")
                          for p in possibly_relevant(a.retrieved)[:3]]
                lines.append("")
        return "\n".join(lines).rstrip() + "\n"
