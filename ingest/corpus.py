"""Find the source files of a corpus folder and their metadata from `corpus.yaml`.

The corpus is *contained*: every path is resolved, and whatever leads out of the corpus folder
(a symbolic link to `/etc/passwd`, to a PDF elsewhere) is skipped with a one-line reason, as is
anything that only looks like a source file (a folder named `x.pdf`, a FIFO named `x.txt`).
`corpus.yaml` is validated: an error names the file, the entry and the field.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, field_validator, model_validator

from ikc.records import DocMeta
from ingest.pdf import SUPPORTED_SUFFIXES, BadInputError

METADATA_FILE = "corpus.yaml"


class CorpusMetadataError(BadInputError):
    """corpus.yaml cannot be used; the message names the file, the entry and the field."""


@dataclass
class CorpusScan:
    """The source files of a corpus folder, and what was passed over with why."""

    files: list[Path] = field(default_factory=list)  # inside the corpus, regular, supported suffix; sorted
    skipped: list[dict] = field(default_factory=list)  # {"file", "reason"}


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def scan_corpus(corpus_dir: Path) -> CorpusScan:
    """Walk the corpus folder without following links out of it; hidden files and folders are skipped."""
    root = Path(corpus_dir).resolve()
    scan = CorpusScan()
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in sorted(dirnames):
            path = here / name
            rel = path.relative_to(root)
            if name.startswith("."):
                dirnames.remove(name)
                continue
            if path.is_symlink():  # os.walk lists links to folders here but does not enter them
                target = path.resolve()
                if not _inside(target, root):
                    scan.skipped.append({"file": rel.as_posix(),
                                         "reason": f"a link to a folder outside the corpus ({target}); not read"})
                continue
            if Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                dirnames.remove(name)
                scan.skipped.append({"file": rel.as_posix(),
                                     "reason": "a folder named like a source file; not read (rename it)"})
        for name in filenames:
            path = here / name
            rel = path.relative_to(root)
            if _hidden(rel) or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            reason = _unusable(path, root)
            if reason:
                scan.skipped.append({"file": rel.as_posix(), "reason": reason})
            else:
                scan.files.append(path)
    scan.files.sort(key=lambda p: p.relative_to(root).as_posix())
    scan.skipped.sort(key=lambda s: s["file"])
    return scan


def _unusable(path: Path, root: Path) -> str | None:
    """Why a supported-looking entry cannot be read as a source file, or None."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "a broken symbolic link; not read"
        if not _inside(target, root):
            return f"a link to a file outside the corpus ({target}); not read"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(mode):
        return "a folder named like a source file; not read (rename it)"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe or device); not read"
    return None


def discover(corpus_dir: Path) -> list[Path]:
    """Source files below the corpus folder, in a stable order (see `scan_corpus` for what is skipped)."""
    return scan_corpus(corpus_dir).files


# --- corpus.yaml ------------------------------------------------------------------------------


def _text(value: Any) -> Any:
    """YAML reads `year: 2021` as a number and `id: 12` as one; both are text here."""
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


Text = Annotated[str, BeforeValidator(_text)]


class CorpusEntry(BaseModel):
    """One listed document; further keys (publisher, notes, …) are kept as they are."""

    model_config = ConfigDict(extra="allow")

    file: str
    id: Text | None = None
    title: Text | None = None
    municipality: Text | None = None
    year: Text | None = None

    @field_validator("file")
    @classmethod
    def _relative_inside(cls, value: str) -> str:
        path = PurePosixPath(value.replace("\\", "/"))
        if not value.strip() or path.is_absolute() or ".." in path.parts:
            raise ValueError("must be a path inside the corpus folder, such as pdf/notitie.pdf")
        return str(path)

    @field_validator("id")
    @classmethod
    def _id_words(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", value):
            raise ValueError("must be letters, digits, '.', '_' or '-' (it names the note in links and filters)")
        return value


class CorpusFile(BaseModel):
    model_config = ConfigDict(extra="allow")

    documents: list[CorpusEntry] = []

    @model_validator(mode="after")
    def _unique(self) -> CorpusFile:
        for key in ("file", "id"):
            seen: set[str] = set()
            for entry in self.documents:
                value = getattr(entry, key)
                if value is not None and value in seen:
                    raise ValueError(f"{key} {value!r} is listed twice")
                seen.add(value)
        return self


def _where(loc: tuple, raw: Any) -> str:
    """`documents[2] (pdf/x.pdf), field title` from a pydantic error location."""
    parts, entry = [], None
    for i, item in enumerate(loc):
        if isinstance(item, int) and i and loc[i - 1] == "documents":
            parts[-1] = f"documents[{item + 1}]"
            entries = raw.get("documents") if isinstance(raw, dict) else None
            entry = entries[item] if isinstance(entries, list) and item < len(entries) else None
        else:
            parts.append(str(item))
    where = parts[0] if parts else "the file"
    if isinstance(entry, dict) and entry.get("file"):
        where += f" ({entry['file']})"
    if len(parts) > 1:
        where += f", field {'.'.join(parts[1:])}"
    return where


def _describe(error: dict, raw: Any) -> str:
    loc = tuple(error.get("loc", ()))
    if not loc:
        return error["msg"].removeprefix("Value error, ")
    if error["type"] in ("model_type", "dict_type") and len(loc) == 2 and loc[0] == "documents":
        return f"{_where(loc, raw)}: should be a mapping with at least `file:`, not {error.get('input')!r}"
    if error["type"] == "missing":
        return f"{_where(loc, raw)}: is required"
    message = error["msg"].removeprefix("Value error, ")
    return f"{_where(loc, raw)}: {message}"


def _load_yaml(text: str):
    """libyaml's safe loader where PyYAML has it (0.1 s instead of 0.5 s for a 1,000-entry corpus.yaml); a file it
    refuses is read again by the pure-Python loader, whose error names what it expected where (the message users see)."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(text, Loader=loader)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def load_metadata(corpus_dir: Path) -> dict[str, dict]:
    """Entries of corpus.yaml keyed by their file path relative to the corpus folder.

    Raises CorpusMetadataError (one line: file, entry, field) when the file is not valid YAML or
    does not have the shape `documents: [{file, id, title, municipality, year, …}]`.
    """
    path = Path(corpus_dir) / METADATA_FILE
    if not path.exists():
        return {}
    name = str(path)
    try:
        raw = _load_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CorpusMetadataError(f"{name}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise CorpusMetadataError(f"{name} is not valid YAML ({at}{problem})") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CorpusMetadataError(f"{name}: should be a mapping with a `documents:` list, not a {type(raw).__name__}")
    try:
        parsed = CorpusFile.model_validate(raw)
    except ValidationError as exc:
        problems = [_describe(e, raw) for e in exc.errors()]
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise CorpusMetadataError(f"{name}: " + "; ".join(problems[:3]) + more) from None
    return {entry.file: entry.model_dump(exclude_none=True) for entry in parsed.documents}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "document"


def doc_meta(rel_path: str, entry: dict | None, pdf_title: str | None) -> DocMeta:
    """Metadata from corpus.yaml when listed; otherwise from the PDF's title or the file name."""
    stem = Path(rel_path).stem
    if entry:
        return DocMeta(
            doc_id=str(entry.get("id") or slug(stem)),
            title=str(entry.get("title") or pdf_title or stem),
            municipality=str(entry.get("municipality") or ""),
            year=str(entry.get("year") or ""),
            file=rel_path,
        )
    return DocMeta(doc_id=slug(stem), title=pdf_title or stem.replace("-", " ").replace("_", " "), file=rel_path)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
