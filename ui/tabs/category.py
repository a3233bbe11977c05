"""Categorie tab: §8's category from a described situation or a few questions, with the cited outcome.

What the director leaves open is not a no: it is listed as still to ask, and a category that rests on open
questions says so (provisional).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import gradio as gr

from assistant.director.category import (
    DIRECT,
    LATER,
    MAYBE,
    NO,
    PARTLY,
    PENDING,
    YES,
    CategoryAnswers,
    decide,
    load_guide,
    reason_checklist,
)
from assistant.director.situation import read_situation
from ui import render
from ui.context import UIContext
from ui.i18n import DEFAULT, label, language_of, t

UNKNOWN = "unknown"  # "weet ik nog niet": kept as not known, never as a no
PREFIX = "ikc-cat-src-"  # ids of this tab's source cards (the [n] links point there)


def _choices(lang: str) -> dict[str, list[tuple[str, str]]]:
    yes, no, unknown = t(lang, "cat_yes"), t(lang, "cat_no"), t(lang, "cat_unknown")
    support = [(yes, YES), (t(lang, "cat_partly"), PARTLY), (no, NO), (t(lang, "cat_pending"), PENDING),
               (unknown, UNKNOWN)]
    return {
        "want": [(yes, YES), (t(lang, "cat_maybe"), MAYBE), (no, NO), (unknown, UNKNOWN)],
        "support": support,
        "partner": [(yes, "ja"), (t(lang, "cat_partner_no"), "nee"), (unknown, UNKNOWN)],
        "tempo": [(t(lang, "cat_direct"), DIRECT), (t(lang, "cat_later"), LATER), (unknown, UNKNOWN)],
    }


def _reasons(kind: str, lang: str) -> list[tuple[str, str]]:
    return [(f"{r['label']} (p. {r['page']})", r["key"]) for r in reason_checklist(lang) if r["kind"] == kind]


def _known(value: str | None) -> str | None:
    return None if value in (None, "", UNKNOWN) else value


def answers_of(want, team, parents, mr, partners, good, less, board=None, tempo=None) -> CategoryAnswers:
    """The tab's inputs as answers; unanswered and "weet ik nog niet" stay None."""
    partners = _known(partners)
    return CategoryAnswers(
        want=_known(want), team=_known(team), parents=_known(parents), mr=_known(mr),
        partners_clear=None if partners is None else partners == "ja",
        reasons=list(good or []) + list(less or []), board=_known(board), tempo=_known(tempo),
    )


@dataclass
class CategoryTab:
    localized: list
    localize: Callable[[str], tuple]


def build(ctx: UIContext, category_state: gr.State) -> CategoryTab:
    guide = load_guide()
    choices = _choices(DEFAULT)
    intro = gr.Markdown(t(DEFAULT, "cat_intro", title=guide.title))
    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=300):
            situation = gr.Textbox(lines=3, label=label("cat_describe"), placeholder=label("cat_describe_placeholder"),
                                   elem_id="ikc-cat-text")
            read = gr.Button(label("cat_read"), size="sm", elem_id="ikc-cat-read")
            read_note = gr.HTML(elem_id="ikc-cat-read-note")
            want = gr.Radio(choices["want"], label=label("cat_want"), elem_id="ikc-cat-want")
            with gr.Row():
                team = gr.Radio(choices["support"], label=label("cat_team"), elem_id="ikc-cat-team", min_width=200)
                parents = gr.Radio(choices["support"], label=label("cat_parents"), elem_id="ikc-cat-parents",
                                   min_width=200)
            with gr.Row():
                mr = gr.Radio(choices["support"], label=label("cat_mr"), elem_id="ikc-cat-mr", min_width=200)
                board = gr.Radio(choices["support"], label=label("cat_board"), elem_id="ikc-cat-board", min_width=200)
            partners = gr.Radio(choices["partner"], label=label("cat_partner"), elem_id="ikc-cat-partners")
            tempo = gr.Radio(choices["tempo"], label=label("cat_tempo"), elem_id="ikc-cat-tempo")
            good = gr.CheckboxGroup(_reasons("good", DEFAULT), label=label("cat_good"), elem_id="ikc-cat-good")
            less = gr.CheckboxGroup(_reasons("less_good", DEFAULT), label=label("cat_less"), elem_id="ikc-cat-less")
            go = gr.Button(label("cat_go"), variant="primary", elem_id="ikc-cat-go")
        with gr.Column(scale=3, min_width=300):
            outcome = gr.Markdown(elem_id="ikc-cat-outcome", line_breaks=True)
            download = gr.File(label=label("cat_download"), interactive=False, visible=False, elem_id="ikc-cat-download")
            sources = gr.HTML(elem_id="ikc-cat-sources")

    def read_text(text: str, request: gr.Request):
        """Fill the questions with what the description says; what it does not say stays open."""
        lang = language_of(request)
        answers = read_situation(text or "")
        if not answers.known():
            return (f"<p class='ikc-note'>{render.escape(t(lang, 'cat_nothing_read'))}</p>", *([gr.skip()] * 9))
        found = [t(lang, k).rstrip("?") for k, v in (
            ("cat_want", answers.want), ("cat_team", answers.team), ("cat_parents", answers.parents),
            ("cat_mr", answers.mr), ("cat_board", answers.board), ("cat_partner", answers.partners_clear),
            ("cat_tempo", answers.tempo)) if v is not None]
        partner = None if answers.partners_clear is None else ("ja" if answers.partners_clear else "nee")
        keys = {q["key"] for q in reason_checklist() if q["kind"] == "good"}
        return (f"<p class='ikc-note'>{render.escape(t(lang, 'cat_read_ok', fields='; '.join(found)))}</p>",
                answers.want, answers.team, answers.parents, answers.mr, answers.board, partner, answers.tempo,
                [k for k in answers.reasons if k in keys], [k for k in answers.reasons if k not in keys])

    read.click(read_text, situation, [read_note, want, team, parents, mr, board, partners, tempo, good, less],
               api_visibility="private")

    def choose(want_: str | None, team_: str | None, parents_: str | None, mr_: str | None,
               partners_: str | None, good_: list[str], less_: list[str], board_: str | None = None,
               tempo_: str | None = None, request: gr.Request = None):
        lang = language_of(request)
        advice = decide(answers_of(want_, team_, parents_, mr_, partners_, good_, less_, board_, tempo_), lang)
        markdown = advice.to_markdown(lang)
        today = date.today().isoformat()
        path = Path(tempfile.mkdtemp(prefix="ikc-category-")) / f"categorie-{advice.number}.md"
        path.write_text(
            f"# {advice.label}\n\n_{t(lang, 'cat_date')}: {today} · {guide.title}_\n\n{markdown}\n\n"
            f"## {t(lang, 'sources')}\n\n" + "\n".join(f"- {line}" for line in advice.sources_markdown(lang).splitlines())
            + "\n", encoding="utf-8")
        return (
            render.answer_markdown(markdown, lang, PREFIX),
            gr.update(value=str(path), visible=True),
            render.citations_html(advice.citations, ctx.link_for, t(lang, "cat_cited"), lang, PREFIX),
            advice.to_json(),
        )

    go.click(choose, [want, team, parents, mr, partners, good, less, board, tempo],
             [outcome, download, sources, category_state], api_name="category")

    def localize(lang: str) -> tuple:
        c = _choices(lang)
        return (t(lang, "cat_intro", title=guide.title), gr.update(choices=c["want"]),
                *[gr.update(choices=c["support"]) for _ in range(4)], gr.update(choices=c["partner"]),
                gr.update(choices=c["tempo"]), gr.update(choices=_reasons("good", lang)),
                gr.update(choices=_reasons("less_good", lang)))

    return CategoryTab([intro, want, team, parents, mr, board, partners, tempo, good, less], localize)
