"""Categorie tab: §8's category choice from a few questions and §7's reasons, with the cited outcome."""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from assistant.director.category import MAYBE, NO, PARTLY, YES, CategoryAnswers, decide, load_guide, reason_checklist
from ui import render
from ui.context import UIContext

WANT = [("Ja", YES), ("Misschien, we denken erover na", MAYBE), ("Nee", NO)]
SUPPORT = [("Ja", YES), ("Deels", PARTLY), ("Nee", NO)]
PARTNERS = [("Ja", "ja"), ("Nee, nog niet", "nee")]


def _reasons(kind: str) -> list[tuple[str, str]]:
    return [(f"{r['text']} (p. {r['page']})", r["key"]) for r in reason_checklist("nl") if r["kind"] == kind]


def build(ctx: UIContext, category_state: gr.State) -> None:
    guide = load_guide()
    gr.Markdown(
        f"Welke categorie uit §8 van de *{guide.title}* past bij jullie locatie? Beantwoord de vragen en kruis de "
        "redenen uit §7 aan die voor jullie meespelen. De uitkomst citeert §7 en §8 letterlijk, met pagina's, en "
        "komt ook in de export van het profiel (tab Ontwikkelinstrument)."
    )
    with gr.Row(equal_height=False):
        with gr.Column(scale=2):
            want = gr.Radio(WANT, label="Willen jullie een IKC worden?", elem_id="ikc-cat-want")
            with gr.Row():
                team = gr.Radio(SUPPORT, label="Draagvlak bij het team?", elem_id="ikc-cat-team")
                parents = gr.Radio(SUPPORT, label="Draagvlak bij de ouders?", elem_id="ikc-cat-parents")
                mr = gr.Radio(SUPPORT, label="Draagvlak bij de MR?", elem_id="ikc-cat-mr")
            partners = gr.Radio(PARTNERS, label="Is duidelijk met welke partner(s) jullie het IKC vormen?",
                                elem_id="ikc-cat-partners")
            good = gr.CheckboxGroup(_reasons("good"), label="Goede redenen volgens §7", elem_id="ikc-cat-good")
            less = gr.CheckboxGroup(_reasons("less_good"), label="Minder goede redenen volgens §7",
                                    elem_id="ikc-cat-less")
            go = gr.Button("Bepaal de categorie", variant="primary", elem_id="ikc-cat-go")
        with gr.Column(scale=3):
            outcome = gr.Markdown(elem_id="ikc-cat-outcome", line_breaks=True)
            download = gr.File(label="Download (Markdown)", interactive=False, visible=False)
            sources = gr.HTML(elem_id="ikc-cat-sources")

    def choose(want_: str | None, team_: str | None, parents_: str | None, mr_: str | None,
               partners_: str | None, good_: list[str], less_: list[str]):
        if not want_:
            raise gr.Error("Beantwoord eerst of jullie een IKC willen worden.")
        answers = CategoryAnswers(
            want=want_, team=team_, parents=parents_, mr=mr_,
            partners_clear=None if partners_ is None else partners_ == "ja",
            reasons=list(good_ or []) + list(less_ or []),
        )
        advice = decide(answers, "nl")
        markdown = advice.to_markdown("nl")
        path = Path(tempfile.mkdtemp(prefix="ikc-category-")) / f"categorie-{advice.number}.md"
        path.write_text(f"# {advice.label}\n\n{markdown}\n", encoding="utf-8")
        return (
            render.engine_markdown(markdown),
            gr.update(value=str(path), visible=True),
            render.citations_html(advice.citations, ctx.link_for, "Geciteerd uit §7 en §8"),
            advice.to_json(),
        )

    go.click(choose, [want, team, parents, mr, partners, good, less], [outcome, download, sources, category_state],
             api_name="category")
