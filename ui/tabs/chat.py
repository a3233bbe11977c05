"""Chat tab: streaming answers with [n] markers, the sources panel, filters, export."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from assistant.types import Answer
from ui import render
from ui.catalog import document_choices, filters_from, municipality_choices
from ui.context import UIContext
from ui.conversation import Conversation

EXAMPLES = (
    "Wat is een integraal kindcentrum?",
    "Welke thema's kent het Ontwikkelinstrument IKC?",
    "Wat is het doel van het uitvoeringsprogramma Kansen voor Kinderen in Leeuwarden?",
    "Wat zegt de visie van Huizen over onderwijshuisvesting?",
    "Which reasons for becoming an IKC does Lansingerland consider less good?",
    "Loop het ontwikkelinstrument met me door",
)
THINKING = "_Zoeken in de notities…_"


@dataclass
class ChatTab:
    doc_filter: gr.Dropdown
    municipality_filter: gr.Dropdown


def _export(conversation: Conversation) -> str | None:
    """Write the conversation to a Markdown file Gradio can hand to the browser."""
    if not conversation.answers:
        return None
    folder = Path(tempfile.mkdtemp(prefix="ikc-chat-"))
    path = folder / "ikc-wijzer-gesprek.md"
    path.write_text(conversation.to_markdown(), encoding="utf-8")
    return str(path)


def _example_text(evt: gr.SelectData) -> str:
    """The text of a clicked example question or quick reply."""
    return evt.value.get("text", "") if isinstance(evt.value, dict) else str(evt.value)


def build(ctx: UIContext) -> ChatTab:
    manifest = ctx.manifest()
    conversation = gr.State(Conversation())
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=420):
            chatbot = gr.Chatbot(
                label="Gesprek", show_label=False, height=560, layout="bubble", elem_id="ikc-chat",
                examples=[{"text": q} for q in EXAMPLES], feedback_options=None, buttons=[],
                placeholder=("**Stel een vraag over de IKC-notities.** "
                             "Elk antwoord citeert de passages waar het op rust."),
            )
            with gr.Row():
                box = gr.Textbox(
                    placeholder="Stel een vraag over de IKC-notities, bijv. Wat is een integraal kindcentrum?",
                    show_label=False,
                    scale=6, autofocus=True, elem_id="ikc-question", max_length=2000,
                )
                send = gr.Button("Vraag", variant="primary", scale=1, min_width=90, elem_id="ikc-send")
            with gr.Row():
                new = gr.Button("Nieuw gesprek", size="sm", elem_id="ikc-new")
                download = gr.DownloadButton("Download gesprek (Markdown)", size="sm", value=None, interactive=False,
                                            elem_id="ikc-download")
            with gr.Accordion("Filter op document of gemeente", open=False):
                docs = gr.Dropdown(document_choices(manifest), multiselect=True, label="Documenten", value=[])
                munis = gr.Dropdown(municipality_choices(manifest), multiselect=True, label="Gemeenten", value=[])
        with gr.Column(scale=2, min_width=320):
            sources = gr.HTML(render.sources_html(None, ctx.link_for), elem_id="ikc-sources")

    def respond(message: str, messages: list, convo: Conversation, doc_ids: list, municipalities: list):
        message = (message or "").strip()
        if not message:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        messages = list(messages or []) + [
            {"role": "user", "content": render.chat_markdown(message)},
            {"role": "assistant", "content": THINKING},
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
                    messages[-1] = {"role": "assistant", "content": render.answer_markdown(partial)}
                    yield gr.skip(), messages, gr.skip(), gr.skip(), gr.skip()
        except Exception as exc:  # show the failure in the chat rather than a silent spinner
            messages[-1] = {"role": "assistant", "content": render.escape_markdown(f"Er ging iets mis: {exc}")}
            yield gr.skip(), messages, gr.skip(), gr.skip(), gr.skip()
            raise gr.Error(str(exc)) from exc
        convo.add(answer)
        messages[-1] = {"role": "assistant", "content": render.answer_message(answer)}
        options = getattr(answer, "options", None)  # quick replies of a guided answer (walkthrough)
        if options:
            messages[-1]["options"] = [{"value": str(o)} for o in options]
        path = _export(convo)
        sources = render.sources_html(answer, ctx.link_for)
        yield gr.skip(), messages, sources, convo, gr.update(value=path, interactive=True)

    outputs = [box, chatbot, sources, conversation, download]
    inputs = [box, chatbot, conversation, docs, munis]
    box.submit(respond, inputs, outputs, api_visibility="private")
    send.click(respond, inputs, outputs, api_visibility="private")
    for picked in (chatbot.example_select, chatbot.option_select):
        picked(_example_text, None, box, api_visibility="private", queue=False).then(
            respond, inputs, outputs, api_visibility="private"
        )

    def reset():
        return [], Conversation(), render.sources_html(None, ctx.link_for), gr.update(value=None, interactive=False), ""

    cleared = [chatbot, conversation, sources, download, box]
    new.click(reset, None, cleared, api_visibility="private", queue=False)
    chatbot.clear(reset, None, cleared, api_visibility="private", queue=False)
    return ChatTab(doc_filter=docs, municipality_filter=munis)
