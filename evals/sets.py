"""Question sets: load a JSONL set and refuse it loudly when an item is malformed.

A broken set would silently skew every metric (a missing `gold` looks like "retrieval
failed"), so every problem is reported with its line number before anything runs.
The format is the one in shared/evals/README.md; only `id`, `question` and `language`
are required, so a set of bare questions can be run too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGES = ("nl", "en")
TYPES = (
    "factual", "definition", "list", "numeric", "multi_doc", "compare", "instrument_level",
    "category_choice", "walkthrough", "unanswerable", "injection", "followup",
)
ROLES = ("user", "assistant")


@dataclass(frozen=True)
class Gold:
    """Where the answer stands: a corpus document id and an exact quote from it."""

    doc: str
    quote: str


@dataclass
class EvalItem:
    id: str
    question: str
    language: str
    type: str | None = None
    history: list[dict] = field(default_factory=list)
    gold: list[Gold] = field(default_factory=list)
    answer: str | None = None
    must_include: list[str] = field(default_factory=list)
    must_not: list[str] = field(default_factory=list)
    notes: str | None = None
    line: int = 0

    @property
    def kind(self) -> str:
        """The type used for grouping; items without one are reported as `untyped`."""
        return self.type or "untyped"

    @property
    def answerable(self) -> bool | None:
        """False for `unanswerable`, True for the other types, None when the set doesn't say."""
        if self.type is None:
            return None
        return self.type != "unanswerable"

    def to_json(self) -> dict:
        out: dict = {"id": self.id, "question": self.question, "language": self.language}
        if self.type is not None:
            out["type"] = self.type
        if self.history:
            out["history"] = self.history
        if self.type is not None or self.gold:
            out["gold"] = [{"doc": g.doc, "quote": g.quote} for g in self.gold]
        for key in ("answer", "notes"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.must_include or self.type is not None:
            out["must_include"] = self.must_include
        if self.must_not:
            out["must_not"] = self.must_not
        return out


class SetError(ValueError):
    """A set with one or more malformed lines; `problems` holds (line number, reason)."""

    def __init__(self, source: str, problems: list[tuple[int, str]]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {source}:{n}: {reason}" for n, reason in problems)
        super().__init__(f"{len(problems)} malformed item(s) in {source}:\n{lines}")


def _is_str_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _check_history(value) -> str | None:
    if not isinstance(value, list):
        return "`history` must be a list of {role, content} objects"
    for i, turn in enumerate(value):
        if not isinstance(turn, dict) or turn.get("role") not in ROLES or not isinstance(turn.get("content"), str):
            return f"`history[{i}]` must be {{\"role\": \"user\"|\"assistant\", \"content\": text}}"
    return None


def _check_gold(value) -> str | None:
    if not isinstance(value, list):
        return "`gold` must be a list of {doc, quote} objects"
    for i, g in enumerate(value):
        if not isinstance(g, dict) or not isinstance(g.get("doc"), str) or not g["doc"].strip():
            return f"`gold[{i}]` needs a `doc` (corpus id)"
        if not isinstance(g.get("quote"), str) or not g["quote"].strip():
            return f"`gold[{i}]` needs a non-empty `quote`"
    return None


def parse_item(obj, line: int) -> EvalItem:
    """One item from its decoded JSON; raises ValueError with the reason when malformed."""
    if not isinstance(obj, dict):
        raise ValueError("each line must be one JSON object")
    for key in ("id", "question", "language"):
        if key not in obj:
            raise ValueError(f"missing required field `{key}`")
    if not isinstance(obj["id"], str) or not obj["id"].strip():
        raise ValueError("`id` must be a non-empty string")
    if not isinstance(obj["question"], str) or not obj["question"].strip():
        raise ValueError("`question` must be a non-empty string")
    if obj["language"] not in LANGUAGES:
        raise ValueError(f"`language` must be one of {', '.join(LANGUAGES)}, not {obj['language']!r}")
    kind = obj.get("type")
    if kind is not None and kind not in TYPES:
        raise ValueError(f"unknown `type` {kind!r} (expected one of {', '.join(TYPES)})")
    history = obj.get("history", [])
    gold = obj.get("gold", [])
    for reason in (_check_history(history), _check_gold(gold)):
        if reason:
            raise ValueError(reason)
    if kind == "followup" and not history:
        raise ValueError("a `followup` item needs a non-empty `history`")
    if kind == "unanswerable" and gold:
        raise ValueError("an `unanswerable` item must have an empty `gold`")
    for key in ("must_include", "must_not"):
        if key in obj and not _is_str_list(obj[key]):
            raise ValueError(f"`{key}` must be a list of non-empty strings")
    for key in ("answer", "notes"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise ValueError(f"`{key}` must be a string")
    return EvalItem(
        id=obj["id"], question=obj["question"], language=obj["language"], type=kind, history=history,
        gold=[Gold(g["doc"], g["quote"]) for g in gold], answer=obj.get("answer"),
        must_include=list(obj.get("must_include", [])), must_not=list(obj.get("must_not", [])),
        notes=obj.get("notes"), line=line,
    )


def parse_set(lines: Iterable[str], source: str = "<set>") -> list[EvalItem]:
    """Every item of a JSONL set; raises SetError listing all malformed lines at once."""
    items: list[EvalItem] = []
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append((n, f"not valid JSON ({exc.msg} at column {exc.colno})"))
            continue
        try:
            item = parse_item(obj, n)
        except ValueError as exc:
            problems.append((n, str(exc)))
            continue
        if item.id in seen:
            problems.append((n, f"duplicate id {item.id!r} (first on line {seen[item.id]})"))
            continue
        seen[item.id] = n
        items.append(item)
    if problems:
        raise SetError(source, problems)
    if not items:
        raise SetError(source, [(0, "the set has no items")])
    return items


def load_set(path: Path | str) -> list[EvalItem]:
    """Load and validate a JSONL question set."""
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        return parse_set(fh, source=path.name)
