"""Add uploaded notes to the corpus and re-index, without ever breaking the live index.

Each upload is checked (type, size, readable text) with the same reader ingest uses before it
is copied into `<corpus>/uploads/`; a file that still fails during ingest is removed again, so a
bad upload never lingers in the corpus to fail every later ingest. Ingest itself is atomic, and
one lock keeps two re-indexes from running at once.
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ikc.settings import Settings
from ingest.pdf import SUPPORTED_SUFFIXES, BadInputError, read_source
from ingest.pipeline import IngestReport, ProgressFn, ingest_corpus

log = logging.getLogger(__name__)

UPLOAD_FOLDER = "uploads"
INGEST_LOCK = threading.Lock()


def _quiet(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class UploadOutcome:
    accepted: list[str] = field(default_factory=list)  # corpus-relative paths now in the index
    rejected: list[dict] = field(default_factory=list)  # {"file", "reason"} for uploads not taken in
    report: IngestReport | None = None


def safe_name(name: str) -> str:
    """A plain file name: no folders, no odd characters, never hidden."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")
    return base or "upload"


def check_upload(path: Path, name: str, settings: Settings) -> str | None:
    """Why this upload cannot be taken in (one line a human understands), or None when it can."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return f"file type {suffix or '(none)'} is not supported; upload PDF, TXT or MD"
    size_mb = path.stat().st_size / 1024 / 1024
    if size_mb > settings.ui_max_upload_mb:
        return f"file is {size_mb:.1f} MB, over the {settings.ui_max_upload_mb:g} MB upload limit"
    try:
        read_source(path, settings.max_file_mb, settings.min_text_chars_per_page)
    except BadInputError as exc:
        return str(exc)
    return None


def reindex(settings: Settings, rebuild: bool = False, progress: ProgressFn | None = None) -> IngestReport:
    """Bring the index in line with the corpus folder (one re-index at a time)."""
    with INGEST_LOCK:
        return ingest_corpus(settings, rebuild=rebuild, progress=progress or _quiet)


def add_uploads(settings: Settings, files: list[tuple[Path, str]], progress: ProgressFn | None = None) -> UploadOutcome:
    """Check, copy and ingest uploads given as (temporary path, original name)."""
    outcome = UploadOutcome()
    folder = Path(settings.corpus_dir) / UPLOAD_FOLDER
    copied: dict[str, Path] = {}
    for path, original in files:
        name = safe_name(original)
        path = Path(path)
        reason = check_upload(path, name, settings)
        if reason:
            outcome.rejected.append({"file": name, "reason": reason})
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        shutil.copyfile(path, target)
        copied[f"{UPLOAD_FOLDER}/{name}"] = target
    if not copied:
        return outcome
    try:
        outcome.report = reindex(settings, progress=progress)
    except Exception:
        for target in copied.values():
            target.unlink(missing_ok=True)
        raise
    failed = {f["file"] for f in outcome.report.failed}
    for rel, target in copied.items():
        if rel in failed:
            target.unlink(missing_ok=True)
            log.warning("removed upload %s: it could not be ingested", rel)
        else:
            outcome.accepted.append(rel)
    return outcome
