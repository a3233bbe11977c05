"""Ontwikkelinstrument tab: the wizard over `assistant.director.walkthrough.Walkthrough`.

The session keeps the walkthrough's JSON state (what the engine is designed to resume from);
every action rebuilds the engine from it, acts, and shows the new state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import gradio as gr

from assistant.director.instrument import load_instrument
from assistant.director.placement import get_placer
from assistant.director.walkthrough import Turn, Walkthrough
from ui import wizard_view
from ui.context import UIContext
from ui.i18n import label, language_of, t
from ui.tabs import profile_result


@dataclass
class InstrumentTab:
    localized: list
    localize: Callable[[str], tuple]


def build(ctx: UIContext, category_choice: gr.State) -> InstrumentTab:
    """`category_choice`: the Categorie tab's advice (or None), included in the profile's exports."""
    instrument = load_instrument()
    link_for = ctx.link_for
    state = gr.State(None)
    intro = gr.HTML(wizard_view.intro_html(instrument, link_for))
    with gr.Accordion(label("wiz_source_note"), open=False, elem_id="ikc-wiz-numbering"):
        gr.Markdown(label("wiz_source_plain"))
    with gr.Row():
        location = gr.Textbox(label=label("wiz_location"), placeholder=label("wiz_location_placeholder"), scale=3,
                              elem_id="ikc-wiz-location", min_width=200)
        when = gr.Textbox(label=label("wiz_date"), value=lambda: date.today().isoformat(), scale=1,
                          elem_id="ikc-wiz-date", min_width=120)
        start = gr.Button(label("wiz_start"), variant="primary", scale=1, elem_id="ikc-wiz-start", min_width=160)
    progress = gr.HTML(elem_id="ikc-wiz-progress")
    with gr.Row(equal_height=False, visible=False) as walking:
        with gr.Column(scale=3, min_width=300):
            theme = gr.HTML(elem_id="ikc-wiz-theme")
        with gr.Column(scale=2, min_width=280):
            level = gr.Radio(wizard_view.level_choices(instrument), label=label("wiz_where"), elem_id="ikc-wiz-level")
            choose = gr.Button(label("wiz_next"), variant="primary", elem_id="ikc-wiz-next")
            finish = gr.Button(label("wiz_summary_now"), size="sm", elem_id="ikc-wiz-summary-now")
            with gr.Row():
                back = gr.Button(label("wiz_back"), size="sm", elem_id="ikc-wiz-back")
                skip = gr.Button(label("wiz_skip"), size="sm", elem_id="ikc-wiz-skip")
            goto = gr.Dropdown(wizard_view.theme_choices(instrument), label=label("wiz_goto"), value=None,
                               elem_id="ikc-wiz-goto")
            with gr.Accordion(label("wiz_describe"), open=True):
                describe = gr.Textbox(lines=3, label=label("wiz_describe_label"), show_label=False,
                                      elem_id="ikc-wiz-describe", placeholder=label("wiz_describe_placeholder"))
                suggest = gr.Button(label("wiz_suggest"), size="sm", elem_id="ikc-wiz-suggest")
                suggestion = gr.HTML(elem_id="ikc-wiz-suggestion")
            with gr.Accordion(label("wiz_note"), open=False):
                note = gr.Textbox(lines=2, label=label("wiz_note_label"), show_label=False,
                                  placeholder=label("wiz_note_placeholder"), elem_id="ikc-wiz-note")
                save_note = gr.Button(label("wiz_save_note"), size="sm", elem_id="ikc-wiz-save-note")
    result = profile_result.build(ctx)

    def engine(walk_state: dict) -> Walkthrough:
        return Walkthrough.from_json(walk_state, instrument=instrument, settings=ctx.settings,
                                     placer=get_placer(ctx.settings, instrument))

    def view(walk: Walkthrough, turn: Turn, place: str, when_text: str, category: dict | None, lang: str):
        """Everything the tab shows for the engine's new state. The description box shows what was described
        for the theme now on screen (empty for a theme not described yet), not the previous theme's text."""
        suggested = turn.suggestion if turn.kind == "suggestion" else None
        current = walk.answers[walk.current_theme.number] if walk.current_theme else None
        return (
            walk.to_json(),
            wizard_view.progress_html(walk, lang),
            gr.update(visible=not walk.finished),
            wizard_view.theme_html(walk, link_for, lang),
            gr.update(value=suggested.level if suggested else (current.level if current else None)),
            wizard_view.suggestion_html(suggested, walk, link_for, lang),
            gr.update(value=None),
            gr.update(value=current.description if current else ""),
            *result.show(walk, turn, place, when_text, category, lang),
        )

    outputs = [state, progress, walking, theme, level, suggestion, goto, describe, *result.outputs]

    def begin(place: str, when_text: str, category: dict | None, request: gr.Request):
        lang = language_of(request)
        walk = Walkthrough(instrument=instrument, settings=ctx.settings, language=lang, location=(place or "").strip(),
                           placer=get_placer(ctx.settings, instrument))
        return view(walk, walk.start(), place, when_text, category, lang)

    def run(action, walk_state, place, when_text, category, request, *args):
        lang = language_of(request)
        if walk_state is None:
            raise gr.Error(t(lang, "wiz_start_first"))
        walk = engine(walk_state)
        return view(walk, action(walk, lang, *args), place, when_text, category, lang)

    def act(action):
        """A handler for the four common inputs (Gradio reads its signature to pass the request)."""
        def handler(walk_state: dict | None, place: str, when_text: str, category: dict | None, request: gr.Request):
            return run(action, walk_state, place, when_text, category, request)
        return handler

    def act_with(action):
        """The same with one more input (the chosen level, the description, …)."""
        def handler(walk_state: dict | None, place: str, when_text: str, category: dict | None, value,
                    request: gr.Request):
            return run(action, walk_state, place, when_text, category, request, value)
        return handler

    def choose_level(walk: Walkthrough, lang: str, key: str | None) -> Turn:
        if not key:
            raise gr.Error(t(lang, "wiz_choose_first"))
        if walk.pending is not None and walk.pending.level == key:
            return walk.confirm()
        return walk.choose(key)

    def describe_situation(walk: Walkthrough, lang: str, text: str) -> Turn:
        if not (text or "").strip():
            raise gr.Error(t(lang, "wiz_describe_first"))
        return walk.describe(text)

    def back_to_theme(walk: Walkthrough, lang: str) -> Turn:
        """From the result back to the theme the director was on (the last one once all are done)."""
        if walk.finished:
            return walk.goto(walk.instrument.themes[-1].number)
        return walk.show()

    common = [state, location, when, category_choice]
    private = {"api_visibility": "private"}
    start.click(begin, [location, when, category_choice], outputs, **private)
    choose.click(act_with(choose_level), [*common, level], outputs, **private)
    back.click(act(lambda w, lang: w.back()), common, outputs, **private)
    result.back.click(act(back_to_theme), common, outputs, **private)
    skip.click(act(lambda w, lang: w.skip()), common, outputs, **private)
    goto.input(act_with(lambda w, lang, n: w.goto(int(n)) if n else w.show()), [*common, goto], outputs, **private)
    finish.click(act(lambda w, lang: w.summary()), common, outputs, **private)
    suggest.click(act_with(describe_situation), [*common, describe], outputs, **private)
    save_note.click(act_with(lambda w, lang, text: w.add_note(text) if (text or "").strip() else w.show()),
                    [*common, note], outputs, **private).then(lambda: "", None, note, queue=False)
    result.wire(state, location, when, category_choice, engine)

    def localize(lang: str) -> tuple:
        return (wizard_view.intro_html(instrument, link_for, lang),)

    return InstrumentTab([intro], localize)
