"""`ikc ui`: start the web UI, ingesting the corpus first when there is no usable index.

`make run` on a fresh clone is `ikc ui`, so this command must bring up a working app from nothing.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ikc.clikit import DataDir, console, make_settings
from ingest.cli import EXIT_FAILED, run_ingest


def _index_ready(settings) -> bool:
    """A readable index exists, opens whole (files, counts, Chroma) and has the shape the settings ask for."""
    from ikc.embedders import get_embedder
    from ikc.index import IndexMissingError, IndexReader, read_manifest
    from ingest.pipeline import index_shape

    try:
        manifest = read_manifest(settings.data_dir)
        if manifest is None or manifest.shape != index_shape(settings, get_embedder(settings)):
            return False
        IndexReader(settings.data_dir, get_embedder(settings), settings.chroma_url, settings.chroma_token)
    except IndexMissingError:
        return False
    return True


def ui_command(
    host: Annotated[str | None, typer.Option("--host", help="Address to bind (default 127.0.0.1; "
                                                 "anything else needs IKC_UI_AUTH=user:password).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (default 7860).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Start the web UI: chat with sources, instrument walkthrough, category, evaluation, documents."""
    from ui.server import UnsafeBindError, check_bind, parse_auth

    settings = make_settings(data_dir)
    host = host or settings.ui_host
    try:
        check_bind(host, parse_auth(settings.ui_auth))
    except (UnsafeBindError, ValueError) as exc:
        console.print(f"[red]Not starting:[/red] {exc}")
        raise typer.Exit(1) from exc
    if not _index_ready(settings):
        console.print(f"No usable index under {settings.data_dir}: ingesting {settings.corpus_dir} first…")
        if run_ingest(settings) == EXIT_FAILED:  # files skipped is fine: the rest is indexed
            raise typer.Exit(EXIT_FAILED)
    from ui.app import launch

    console.print(f"IKC-wijzer UI on http://{host}:{port or settings.ui_port}/ (Ctrl+C to stop)")
    launch(settings, host=host, port=port, block=True)
