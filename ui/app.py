"""The Gradio app: five tabs over the library, the `/ask` API, and a safe launch."""

from __future__ import annotations

import threading
from pathlib import Path

import gradio as gr  # noqa: E402  (after ikc; module level so `gr.Request` annotations resolve)

import ikc  # noqa: F401  (offline and no-analytics env vars before Gradio loads)
from assistant.core import Assistant
from assistant.director.placement import get_placer
from assistant.limits import answer_within_budget
from ikc.settings import Settings
from ui.context import UIContext
from ui.i18n import DEFAULT, UILanguage, i18n, label, language_of, t
from ui.render import escape
from ui.server import check_bind, login_throttle_middleware, parse_auth

TITLE = "IKC-wijzer"


def header_html(lang: str) -> str:
    """Title, one line on what the app does, and the switch to the other language (`?lang=`)."""
    other = "en" if lang == "nl" else "nl"
    return (f"<h1>{TITLE}</h1><p>{escape(t(lang, 'subtitle'))} "
            f"<a class='ikc-lang' href='?lang={other}' hreflang='{other}' lang='{other}'>{escape(t(lang, 'switch'))}</a></p>")


def build_app(settings: Settings, assistant: Assistant | None = None):
    """All tabs wired to one Assistant; returns the (not yet launched) `gr.Blocks`."""
    from ui.tabs import category, chat, documents, evaluation, instrument

    ctx = UIContext(settings=settings, assistant=assistant or Assistant(settings))
    with gr.Blocks(title=TITLE, analytics_enabled=False, fill_width=True) as demo:
        header = gr.HTML(header_html(DEFAULT), elem_classes="ikc-header")
        category_choice = gr.State(None)  # the Categorie tab's advice, also part of the profile export
        with gr.Tabs(elem_id="ikc-tabs") as tabs:
            with gr.Tab(label("tab_chat"), id="chat", elem_id="ikc-tab-chat"):
                chat_tab = chat.build(ctx)
            with gr.Tab(label("tab_instrument"), id="instrument", elem_id="ikc-tab-instrument"):
                instrument_tab = instrument.build(ctx, category_choice)
            with gr.Tab(label("tab_category"), id="category", elem_id="ikc-tab-category"):
                category_tab = category.build(ctx, category_choice)
            with gr.Tab(label("tab_evaluation"), id="evaluation", elem_id="ikc-tab-evaluation"):
                evaluation_tab = evaluation.build(ctx)
            with gr.Tab(label("tab_documents"), id="documents", elem_id="ikc-tab-documents"):
                documents_tab = documents.build(ctx, [chat_tab.doc_filter, chat_tab.municipality_filter])
        del tabs

        # What Gradio cannot translate in the front end (choices, examples, HTML made here) follows the page's
        # language once it has loaded.
        localized = [header, *chat_tab.localized, *instrument_tab.localized, *category_tab.localized,
                     *evaluation_tab.localized, *documents_tab.localized]

        def localize(request: gr.Request):
            lang = language_of(request)
            return (header_html(lang), *chat_tab.localize(lang), *instrument_tab.localize(lang),
                    *category_tab.localize(lang), *evaluation_tab.localize(lang), *documents_tab.localize(lang))

        demo.load(localize, None, localized, api_visibility="private", queue=False)

        def ask(question: str) -> dict:
            """Answer one question; returns the eval result format (answer, citations, retrieved, refused, latency_ms).

            Empty and oversized questions get a one-line message at once; an answer that takes longer
            than IKC_REQUEST_BUDGET_S is given up on with a one-line message (assistant.limits).
            """
            return answer_within_budget(ctx.assistant, question).to_result()

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
    from starlette.middleware import Middleware

    from ui.theme import CSS, JS, make_theme

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
        js=JS,
        i18n=i18n(),
        # Dutch unless the page asks for English (`?lang=en`), whatever the browser's language (ui/i18n.py).
        # login throttling (per client, only when there is a login) runs before the language middleware
        app_kwargs={"middleware": ([login_throttle_middleware(settings)] if auth else []) + [Middleware(UILanguage)]},
    )
    return demo, local_url
