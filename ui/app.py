"""The Gradio app: five tabs over the library, the `/ask` API, and a safe launch."""

from __future__ import annotations

import threading
from pathlib import Path

import ikc  # noqa: F401  (offline and no-analytics env vars before Gradio loads)
from assistant.core import Assistant
from assistant.director.placement import get_placer
from ikc.settings import Settings
from ui.context import UIContext
from ui.server import check_bind, parse_auth

TITLE = "IKC-wijzer"


def build_app(settings: Settings, assistant: Assistant | None = None):
    """All tabs wired to one Assistant; returns the (not yet launched) `gr.Blocks`."""
    import gradio as gr

    from ui.tabs import category, chat, documents, evaluation, instrument

    ctx = UIContext(settings=settings, assistant=assistant or Assistant(settings))
    with gr.Blocks(title=TITLE, analytics_enabled=False, fill_width=True) as demo:
        gr.Markdown(
            f"# {TITLE}\nAntwoorden uit gemeentelijke notities over integrale kindcentra, met de passages als bron.",
            elem_classes="ikc-header",
        )
        category_choice = gr.State(None)  # the Categorie tab's advice, also part of the profile export
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                chat_tab = chat.build(ctx)
            with gr.Tab("Ontwikkelinstrument", id="instrument"):
                instrument.build(ctx, category_choice)
            with gr.Tab("Categorie", id="category"):
                category.build(ctx, category_choice)
            with gr.Tab("Evaluatie", id="evaluation"):
                evaluation.build(ctx)
            with gr.Tab("Documenten", id="documents"):
                documents.build(ctx, [chat_tab.doc_filter, chat_tab.municipality_filter])

        def ask(question: str) -> dict:
            """Answer one question; returns the eval result format (answer, citations, retrieved, refused, latency_ms)."""
            return ctx.assistant.ask(question).to_result()

        gr.api(ask, api_name="ask")
    return demo


def launch(
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    block: bool = True,
    assistant: Assistant | None = None,
):
    """Start the server: loopback unless told otherwise, auth from IKC_UI_AUTH (required off loopback).

    Returns (blocks, local_url); with `block=False` the server runs in a thread (stop it with `blocks.close()`).
    """
    from ui.theme import CSS, make_theme

    host = host or settings.ui_host
    auth = parse_auth(settings.ui_auth)
    check_bind(host, auth)
    demo = build_app(settings, assistant)
    demo.queue(default_concurrency_limit=settings.ui_concurrency)
    # The wizard's first suggestion would otherwise wait for the descriptors to be embedded.
    threading.Thread(target=get_placer(settings).warm, name="warm-placer", daemon=True).start()
    corpus = Path(settings.corpus_dir).resolve()
    _, local_url, _ = demo.launch(
        server_name=host,
        server_port=port or settings.ui_port,
        auth=auth or None,
        prevent_thread_lock=not block,
        allowed_paths=[str(corpus)],
        max_file_size=int(settings.ui_max_upload_mb * 1024 * 1024),
        footer_links=["api"],
        ssr_mode=False,
        share=False,
        show_error=True,
        quiet=not block,
        theme=make_theme(),
        css=CSS,
    )
    return demo, local_url
