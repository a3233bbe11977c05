"""Documenten tab: what is indexed, uploads, re-index."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from ui import render, uploads
from ui.catalog import document_choices, municipality_choices
from ui.context import UIContext
from ui.i18n import DEFAULT, label, language_of, t

STAGES = {"read": "stage_read", "embed": "stage_embed", "write": "stage_write"}


def _progress_fn(progress: gr.Progress, lang: str):
    def report(stage: str, done: int, total: int) -> None:
        progress((done, total), desc=t(lang, STAGES[stage]) if stage in STAGES else stage)

    return report


def build(ctx: UIContext, filters: list[gr.Dropdown]) -> DocumentsTab:
    """`filters`: the chat's document and municipality dropdowns, refreshed after every change."""
    s = ctx.settings
    intro = gr.Markdown(t(DEFAULT, "docs_intro", mb=f"{s.ui_max_upload_mb:g}"))
    table = gr.HTML(render.documents_html(ctx.manifest()), elem_id="ikc-documents")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=260):
            files = gr.File(label=label("upload_label"), file_count="multiple", file_types=[".pdf", ".txt", ".md"],
                            type="filepath", elem_id="ikc-upload")
            add = gr.Button(label("add"), variant="primary", elem_id="ikc-add")
        with gr.Column(scale=2, min_width=260):
            gr.Markdown(label("outside"))
            rebuild = gr.Checkbox(label=label("rebuild"), value=False)
            reindex = gr.Button(label("reindex"), elem_id="ikc-reindex")
    report = gr.HTML(elem_id="ikc-ingest-report")

    def refreshed(lang: str):
        manifest = ctx.manifest()
        return (
            render.documents_html(manifest, lang),
            gr.update(choices=document_choices(manifest)),
            gr.update(choices=municipality_choices(manifest)),
        )

    def add_files(paths: list[str] | None, request: gr.Request, progress=gr.Progress()):
        lang = language_of(request)
        if not paths:
            return (render.ingest_report_html([{"file": "—", "reason": t(lang, "choose_file")}], lang=lang),
                    *refreshed(lang), None)
        given = [(Path(p), Path(p).name) for p in paths]
        outcome = uploads.add_uploads(s, given, progress=_progress_fn(progress, lang))
        return render.ingest_report_html(outcome.rejected, outcome.report, lang), *refreshed(lang), None

    def run_reindex(full: bool, request: gr.Request, progress=gr.Progress()):
        lang = language_of(request)
        result = uploads.reindex(s, rebuild=full, progress=_progress_fn(progress, lang))
        return render.ingest_report_html([], result, lang), *refreshed(lang)

    add.click(add_files, files, [report, table, *filters, files], api_name="upload", show_progress_on=[report])
    reindex.click(run_reindex, rebuild, [report, table, *filters], api_name="reindex", show_progress_on=[report])

    def localize(lang: str) -> tuple:
        return t(lang, "docs_intro", mb=f"{s.ui_max_upload_mb:g}"), render.documents_html(ctx.manifest(), lang)

    return DocumentsTab([intro, table], localize)


@dataclass
class DocumentsTab:
    localized: list
    localize: Callable[[str], tuple]
