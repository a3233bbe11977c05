"""`ikc doctor`: check the index of a data dir the way the assistant opens it, and repair it.

Checks: the data dir (writable, or read-only for readers only), the manifest (format, shape
against the settings), the live generation opened whole (files, BM25 rows, vectors and the
Chroma count — the same check every reader does), the writer lock, and what lies about
(generations no manifest names, damaged files set aside). `--repair` rebuilds an index that
cannot be opened (as `ikc ingest --rebuild`, under the writer lock) and removes leftover
generations; set-aside files are kept for inspection and only listed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated

import typer

OK, WARN, FAIL = "ok", "warn", "fail"


@dataclass
class Check:
    name: str
    status: str  # ok | warn | fail
    detail: str


def check_index(settings) -> list[Check]:
    """Every check, in order; a `fail` means readers cannot use the index."""
    from ikc.embedders import get_embedder
    from ikc.index import IndexMissingError, IndexPaths, IndexReader, data_dir_writable, lock_holder, read_manifest
    from ingest.pipeline import index_shape

    paths = IndexPaths(settings.data_dir)
    checks: list[Check] = []
    writable = data_dir_writable(settings.data_dir)
    checks.append(Check("data dir", OK if writable else WARN,
                        f"{settings.data_dir} is writable" if writable else
                        f"{settings.data_dir} is read-only: answering works, ingesting does not"))
    try:
        manifest = read_manifest(settings.data_dir)
    except IndexMissingError as exc:
        checks.append(Check("manifest", FAIL, str(exc)))
        manifest = None
    else:
        if manifest is None:
            checks.append(Check("manifest", FAIL, f"no index under {settings.data_dir}; run `ikc ingest`"))
        else:
            checks.append(Check("manifest", OK, f"generation {manifest.generation}, {len(manifest.files)} files, "
                                               f"vectors in {manifest.chroma_url or 'the embedded Chroma store'}"))
    embedder = get_embedder(settings)
    if manifest is not None:
        differences = manifest.shape.differences(index_shape(settings, embedder))
        checks.append(Check("settings", WARN if differences else OK,
                            "the next ingest rebuilds the index: " + "; ".join(differences) if differences
                            else "the index matches the settings"))
        try:
            reader = IndexReader(settings.data_dir, embedder, settings.chroma_url, settings.chroma_token)
        except IndexMissingError as exc:
            checks.append(Check("index", FAIL, str(exc)))
        else:
            checks.append(Check("index", OK, f"{len(reader.documents)} documents, {len(reader.chunks)} chunks, "
                                            f"{len(reader.windows)} windows; vectors from {reader.vector_source}"))
    holder = lock_holder(settings.data_dir)
    if holder is None:
        checks.append(Check("writer lock", OK, "no ingest is running"))
    elif _alive(holder):
        checks.append(Check("writer lock", WARN, f"an ingest is running (pid {holder.get('pid')}, {holder.get('what')})"))
    else:
        checks.append(Check("writer lock", WARN, f"pid {holder.get('pid')} held the lock and is gone (its lock was "
                                                 "released; --repair removes the note it left)"))
    live = {manifest.generation} if manifest is not None else set()
    extra = sorted(p.name for p in paths.generations.glob("*") if p.name not in live) if paths.generations.exists() else []
    checks.append(Check("generations", OK if len(extra) <= 1 else WARN,
                        f"{len(extra)} besides the live one" + (" (the previous one is kept for a moment)" if len(extra) == 1
                                                                 else f": {', '.join(extra[:5])}" if extra else "")))
    aside = sorted(p.name for p in paths.root.glob("*.damaged-*")) if paths.root.exists() else []
    if aside:
        checks.append(Check("set aside", WARN, "damaged files kept for inspection: " + ", ".join(aside)))
    return checks


def _alive(holder: dict) -> bool:
    import os
    import socket

    if holder.get("host") not in (None, socket.gethostname()):
        return True  # another machine: cannot tell, assume it is
    try:
        os.kill(int(holder.get("pid", 0)), 0)
    except (OSError, ValueError):
        return False
    return True


def repair(settings) -> list[str]:
    """Rebuild an index that cannot be opened and prune leftover generations; returns what was done."""
    from ikc.index import lock_holder, prune_generations, read_manifest, writer_lock
    from ingest.pipeline import ingest_corpus

    done: list[str] = []
    checks = {c.name: c for c in check_index(settings)}
    if any(checks.get(n) and checks[n].status == FAIL for n in ("manifest", "index")):
        report = ingest_corpus(settings, rebuild=True)
        done.append(f"rebuilt the index: {report.documents} documents, {report.chunks} chunks"
                    + (f" ({len(report.failed)} files skipped)" if report.failed else ""))
    holder = lock_holder(settings.data_dir)
    with writer_lock(settings.data_dir, what="doctor --repair"):
        if holder is not None and not _alive(holder):
            done.append(f"removed the note of the vanished writer (pid {holder.get('pid')})")
        manifest = read_manifest(settings.data_dir)
        if manifest is not None:
            removed = prune_generations(settings.data_dir, {manifest.generation}, manifest.chroma_url,
                                        settings.chroma_token)
            if removed:
                done.append(f"removed {len(removed)} leftover generation(s)")
    return done


def doctor_command(
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Index folder (default: $IKC_DATA_DIR or ./data).")] = None,
    corpus: Annotated[Path | None, typer.Option("--corpus", help="Corpus folder a repair rebuilds from (default: ./corpus).")] = None,
    fix: Annotated[bool, typer.Option("--repair", help="Rebuild an index that cannot be opened; prune leftovers.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the checks as one JSON object.")] = False,
) -> None:
    """Check the index (files, counts, Chroma, lock) and optionally repair it; exit 1 when it cannot be used."""
    from ikc.clikit import console, make_settings, say
    from ikc.index import IndexBusyError, IndexMissingError
    from ingest.pdf import BadInputError
    from ingest.pipeline import IngestRefusedError

    settings = make_settings(data_dir, corpus_dir=corpus)
    actions: list[str] = []
    if fix:
        try:
            actions = repair(settings)
        except (IndexBusyError, IndexMissingError, IngestRefusedError, BadInputError, FileNotFoundError) as exc:
            say("Not repaired:", exc)
            raise typer.Exit(1) from exc
    checks = check_index(settings)
    failed = any(c.status == FAIL for c in checks)
    if as_json:
        typer.echo(json.dumps({"healthy": not failed, "checks": [asdict(c) for c in checks], "repaired": actions},
                              ensure_ascii=False))
    else:
        for action in actions:
            say("repaired:", action, "green")
        for c in checks:
            say(f"{c.status:4}", f"{c.name}: {c.detail}", {OK: "green", WARN: "yellow", FAIL: "red"}[c.status])
        if failed and not fix:
            console.print("Run `ikc doctor --repair` (or `ikc ingest --rebuild`) to rebuild the index.", soft_wrap=True)
    raise typer.Exit(1 if failed else 0)
