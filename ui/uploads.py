"""Add uploaded notes to the corpus and re-index, without ever breaking the live index.

Each upload is checked (count, type, size, readable text — a binary file named .txt is refused —
and content already in the index or twice in the batch) with the same reader ingest uses before
it is copied into `<corpus>/uploads/`; a file that still fails during ingest, or turns out to
repeat an indexed note, is removed again, so a bad upload never lingers in the corpus. Ingest
itself is atomic; within this process re-indexes wait for each other, and against other
processes (a CLI ingest, another UI worker) the data dir's writer lock turns a second writer
away with a message naming the first one's pid.
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ikc.index import IndexBusyError, IndexMissingError, IndexReadOnlyError, lock_holder, read_manifest
from ikc.settings import Settings
from ingest.corpus import file_sha256
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


def busy_reason(settings: Settings, exc: IndexBusyError | None = None) -> str:
    """The Documenten tab's line when another process holds the writer lock (or nobody may write here)."""
    if isinstance(exc, IndexReadOnlyError):
        return "de index is hier alleen-lezen; voeg notities toe waar de index geschreven wordt (docs/deploy.md)"
    holder = lock_holder(settings.data_dir) or {}
    return (f"er loopt al een indexering (pid {holder.get('pid', '?')}); probeer het opnieuw als die klaar is")


def reindex(settings: Settings, rebuild: bool = False, progress: ProgressFn | None = None) -> IngestReport:
    """Bring the index in line with the corpus folder (one re-index at a time).

    When another process is writing the index, nothing is done and the report says so (with the
    current index's counts).
    """
    with INGEST_LOCK:
        try:
            return ingest_corpus(settings, rebuild=rebuild, progress=progress or _quiet)
        except IndexBusyError as exc:
            report = IngestReport(message="Niet opnieuw geïndexeerd: " + busy_reason(settings, exc) + ".")
            try:
                manifest = read_manifest(settings.data_dir)
            except IndexMissingError:
                manifest = None
            if manifest is not None:
                report.documents = len(manifest.files)
                report.pages = sum(f.pages for f in manifest.files.values())
                report.chunks = sum(f.chunks for f in manifest.files.values())
            return report


def _indexed_by_hash(settings: Settings) -> dict[str, str]:
    try:
        manifest = read_manifest(settings.data_dir)
    except IndexMissingError:
        return {}
    return {f.sha256: path for path, f in manifest.files.items()} if manifest else {}


def add_uploads(settings: Settings, files: list[tuple[Path, str]], progress: ProgressFn | None = None) -> UploadOutcome:
    """Check, copy and ingest uploads given as (temporary path, original name)."""
    outcome = UploadOutcome()
    folder = Path(settings.corpus_dir) / UPLOAD_FOLDER
    copied: dict[str, Path] = {}
    known = _indexed_by_hash(settings)
    limit = settings.ui_max_upload_files
    for i, (path, original) in enumerate(files):
        name = safe_name(original)
        path = Path(path)
        if i >= limit:
            outcome.rejected.append({"file": name, "reason": f"te veel bestanden: hoogstens {limit} per keer"})
            continue
        reason = check_upload(path, name, settings)
        if not reason:
            digest = file_sha256(path)
            rel = f"{UPLOAD_FOLDER}/{name}"
            if digest in known and known[digest] != rel:
                reason = f"dezelfde inhoud als {known[digest]}, dat al in de index staat"
            elif digest in known:
                reason = "dit bestand staat al ongewijzigd in de index"
            known.setdefault(digest, rel)
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
        with INGEST_LOCK:
            outcome.report = ingest_corpus(settings, progress=progress or _quiet)
    except IndexBusyError as exc:
        for rel, target in copied.items():
            target.unlink(missing_ok=True)
            outcome.rejected.append({"file": Path(rel).name, "reason": busy_reason(settings, exc)})
        return outcome
    except Exception:
        for target in copied.values():
            target.unlink(missing_ok=True)
        raise
    failed = {f["file"] for f in outcome.report.failed}
    repeats = {d["file"]: d["of"] for d in outcome.report.duplicates}
    for rel, target in copied.items():
        if rel in failed:
            target.unlink(missing_ok=True)
            log.info("removed upload %s: it could not be ingested", rel)
        elif rel in repeats:
            target.unlink(missing_ok=True)
            outcome.rejected.append({"file": Path(rel).name, "reason": f"dezelfde inhoud als {repeats[rel]}, "
                                                                      "dat al in de index staat"})
        else:
            outcome.accepted.append(rel)
    return outcome
