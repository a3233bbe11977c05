"""Chat tab: streaming answers with [n] markers, the sources panel, filters, export."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from assistant.types import Answer
from ui import render
from ui.catalog import document_choices, filters_from, municipality_choices
from ui.context import UIContext
from ui.conversation import Conversation
from ui.i18n import DEFAULT, label, language_of, t

EXAMPLES = {
    "nl": (
        "Wat is een integraal kindcentrum?",
        "Welke thema's kent het Ontwikkelinstrument IKC?",
        "Wat is het doel van het uitvoeringsprogramma Kansen voor Kinderen in Leeuwarden?",
        "Wat zegt de visie van Huizen over onderwijshuisvesting?",
        "Team, MR en bestuur willen een IKC worden en onze opvangpartner is bekend. Welke categorie past bij ons?",
        "Loop het ontwikkelinstrument met me door",
    ),
    "en": (
        "What is an integrated child centre (IKC)?",
        "Which themes does the Ontwikkelinstrument IKC have?",
        "What is the aim of the Kansen voor Kinderen programme in Leeuwarden?",
        "Which reasons for becoming an IKC does Lansingerland consider less good?",
        "Our team, MR and board want to become an IKC and our childcare partner is agreed. Which category are we in?",
        "Walk me through the development instrument",
    ),
}


@dataclass
class ChatTab:
    doc_filter: gr.Dropdown
    municipality_filter: gr.Dropdown
    localized: list  # components whose content follows the page's language
    localize: Callable[[str], tuple]


def _export(conversation: Conversation, lang: str) -> str | None:
    """Write the conversation to a Markdown file Gradio can hand to the browser."""
    if not conversation.answers:
        return None
    folder = Path(tempfile.mkdtemp(prefix="ikc-chat-"))
    path = folder / ("ikc-wijzer-gesprek.md" if lang == "nl" else "ikc-wijzer-conversation.md")
    path.write_text(conversation.to_markdown(lang), encoding="utf-8")
    return str(path)


def _example_text(evt: gr.SelectData) -> str:
    """The text of a clicked example question or quick reply."""
    return evt.value.get("text", "") if isinstance(evt.value, dict) else str(evt.value)


def build(ctx: UIContext) -> ChatTab:
    manifest = ctx.manifest()
    conversation = gr.State(Conversation())
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=320):
            chatbot = gr.Chatbot(
                label=label("chat_label"), show_label=False, height=560, layout="bubble", elem_id="ikc-chat",
                examples=[{"text": q} for q in EXAMPLES[DEFAULT]], feedback_options=None, buttons=[],
                placeholder=label("chat_placeholder"),
            )
            with gr.Row():
                box = gr.Textbox(
                    label=label("question_label"), show_label=False, placeholder=label("question_placeholder"),
                    scale=6, autofocus=True, elem_id="ikc-question", max_length=2000, min_width=200,
                )
                send = gr.Button(label("send"), variant="primary", scale=1, min_width=80, elem_id="ikc-send")
            with gr.Row():
                new = gr.Button(label("new"), size="sm", elem_id="ikc-new")
                download = gr.DownloadButton(label("download_chat"), size="sm", value=None, interactive=False,
                                             elem_id="ikc-download")
            with gr.Accordion(label("filters"), open=False):
                docs = gr.Dropdown(document_choices(manifest), multiselect=True, label=label("documents"), value=[])
                munis = gr.Dropdown(municipality_choices(manifest), multiselect=True, label=label("municipalities"),
                                    value=[])
        with gr.Column(scale=2, min_width=300):
            sources = gr.HTML(render.sources_html(None, ctx.link_for), elem_id="ikc-sources")

    def respond(message: str, messages: list, convo: Conversation, doc_ids: list, municipalities: list,
                request: gr.Request):
        lang = language_of(request)
        message = (message or "").strip()
        if not message:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        messages = list(messages or []) + [
            {"role": "user", "content": render.chat_markdown(message)},
            {"role": "assistant", "content": t(lang, "thinking")},
        ]
        yield "", messages, gr.skip(), gr.skip(), gr.skip()
        answer: Answer | None = None
        partial = ""
        try:
            for part in ctx.assistant.stream(message, convo.history(), filters_from(doc_ids, municipalities)):
                if isinstance(part, Answer):
                    answer = part
                else:
                    partial += part
                    messages[-1] = {"role": "assistant", "content": render.answer_markdown(partial, lang)}
                    yield gr.skip(), messages, gr.skip(), gr.skip(), gr.skip()
        except Exception as exc:  # show the failure in the chat rather than a silent spinner
            messages[-1] = {"role": "assistant", "content": render.escape_markdown(t(lang, "failed", error=exc))}
            yield gr.skip(), messages, gr.skip(), gr.skip(), gr.skip()
            raise gr.Error(t(lang, "failed", error=exc)) from exc
        convo.add(answer)
        messages[-1] = {"role": "assistant", "content": render.answer_message(answer, lang)}
        options = getattr(answer, "options", None)  # quick replies of a guided answer (walkthrough)
        if options:
            messages[-1]["options"] = [{"value": str(o)} for o in options]
        path = _export(convo, lang)
        yield (gr.skip(), messages, render.sources_html(answer, ctx.link_for, lang), convo,
               gr.update(value=path, interactive=True))

    outputs = [box, chatbot, sources, conversation, download]
    inputs = [box, chatbot, conversation, docs, munis]
    box.submit(respond, inputs, outputs, api_visibility="private")
    send.click(respond, inputs, outputs, api_visibility="private")
    for picked in (chatbot.example_select, chatbot.option_select):
        picked(_example_text, None, box, api_visibility="private", queue=False).then(
            respond, inputs, outputs, api_visibility="private"
        )

    def reset(request: gr.Request):
        lang = language_of(request)
        return ([], Conversation(), render.sources_html(None, ctx.link_for, lang),
                gr.update(value=None, interactive=False), "")

    cleared = [chatbot, conversation, sources, download, box]
    new.click(reset, None, cleared, api_visibility="private", queue=False)
    chatbot.clear(reset, None, cleared, api_visibility="private", queue=False)

    def localize(lang: str) -> tuple:
        return (gr.update(examples=[{"text": q} for q in EXAMPLES.get(lang, EXAMPLES[DEFAULT])]),
                render.sources_html(None, ctx.link_for, lang))

    return ChatTab(doc_filter=docs, municipality_filter=munis, localized=[chatbot, sources], localize=localize)
