"""Documenten tab: what is indexed, uploads, re-index."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ui import render, uploads
from ui.catalog import document_choices, municipality_choices
from ui.context import UIContext

STAGES = {"read": "Bestanden lezen", "embed": "Passages inbedden", "write": "Index schrijven"}


def _progress_fn(progress: gr.Progress):
    def report(stage: str, done: int, total: int) -> None:
        progress((done, total), desc=STAGES.get(stage, stage))

    return report


def build(ctx: UIContext, filters: list[gr.Dropdown]) -> None:
    """`filters`: the chat's document and municipality dropdowns, refreshed after every change."""
    s = ctx.settings
    gr.Markdown(
        "De notities waar de assistent uit antwoordt. Voeg een notitie toe (PDF, TXT of MD, "
        f"hoogstens {s.ui_max_upload_mb:g} MB): ze wordt gecontroleerd, in de corpusmap gezet en geïndexeerd. "
        "Een bestand dat niet gelezen kan worden, wordt gemeld en niet opgenomen; de index blijft werken."
    )
    table = gr.HTML(render.documents_html(ctx.manifest()), elem_id="ikc-documents")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            files = gr.File(label="Notities uploaden", file_count="multiple", file_types=[".pdf", ".txt", ".md"],
                            type="filepath", elem_id="ikc-upload")
            add = gr.Button("Toevoegen en indexeren", variant="primary", elem_id="ikc-add")
        with gr.Column(scale=2):
            gr.Markdown("Bestanden die buiten de app in de corpusmap zijn gezet of gewijzigd, "
                        "neemt *Opnieuw indexeren* mee.")
            rebuild = gr.Checkbox(label="Volledig opnieuw opbouwen (alle bestanden opnieuw lezen)", value=False)
            reindex = gr.Button("Opnieuw indexeren", elem_id="ikc-reindex")
    report = gr.HTML(elem_id="ikc-ingest-report")

    def refreshed():
        manifest = ctx.manifest()
        return (
            render.documents_html(manifest),
            gr.update(choices=document_choices(manifest)),
            gr.update(choices=municipality_choices(manifest)),
        )

    def add_files(paths: list[str] | None, progress=gr.Progress()):
        if not paths:
            return render.ingest_report_html([{"file": "—", "reason": "kies eerst een bestand"}]), *refreshed(), None
        given = [(Path(p), Path(p).name) for p in paths]
        outcome = uploads.add_uploads(s, given, progress=_progress_fn(progress))
        return render.ingest_report_html(outcome.rejected, outcome.report), *refreshed(), None

    def run_reindex(full: bool, progress=gr.Progress()):
        result = uploads.reindex(s, rebuild=full, progress=_progress_fn(progress))
        return render.ingest_report_html([], result), *refreshed()

    add.click(add_files, files, [report, table, *filters, files], api_name="upload")
    reindex.click(run_reindex, rebuild, [report, table, *filters], api_name="reindex")
