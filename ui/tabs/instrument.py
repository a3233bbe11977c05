"""Ontwikkelinstrument tab: the wizard over `assistant.director.walkthrough.Walkthrough`.

The session keeps the walkthrough's JSON state (what the engine is designed to resume from);
every action rebuilds the engine from it, acts, and shows the new state.
"""

from __future__ import annotations

from datetime import date

import gradio as gr

from assistant.director.instrument import load_instrument
from assistant.director.placement import get_placer
from assistant.director.walkthrough import Turn, Walkthrough
from ui import wizard_view
from ui.context import UIContext
from ui.tabs import profile_result


def build(ctx: UIContext, category_choice: gr.State) -> None:
    """`category_choice`: the Categorie tab's advice (or None), included in the profile's exports."""
    instrument = load_instrument()
    link_for = ctx.link_for
    state = gr.State(None)
    gr.HTML(wizard_view.intro_html(instrument, link_for))
    gr.HTML(wizard_view.mismatch_html(instrument))
    with gr.Row():
        location = gr.Textbox(label="Locatie", placeholder="Naam van de locatie of het kindcentrum", scale=3,
                              elem_id="ikc-wiz-location")
        when = gr.Textbox(label="Datum", value=lambda: date.today().isoformat(), scale=1, elem_id="ikc-wiz-date")
        start = gr.Button("Begin het instrument", variant="primary", scale=1, elem_id="ikc-wiz-start")
    progress = gr.HTML(elem_id="ikc-wiz-progress")
    with gr.Row(equal_height=False, visible=False) as walking:
        with gr.Column(scale=3):
            theme = gr.HTML(elem_id="ikc-wiz-theme")
        with gr.Column(scale=2):
            level = gr.Radio(wizard_view.level_choices(instrument), label="Waar staat jullie locatie?",
                             elem_id="ikc-wiz-level")
            choose = gr.Button("Kies en verder", variant="primary", elem_id="ikc-wiz-next")
            finish = gr.Button("Resultaat tot nu toe", size="sm", elem_id="ikc-wiz-summary-now")
            with gr.Row():
                back = gr.Button("← Terug", size="sm", elem_id="ikc-wiz-back")
                skip = gr.Button("Overslaan", size="sm", elem_id="ikc-wiz-skip")
            goto = gr.Dropdown(wizard_view.theme_choices(instrument), label="Ga naar thema", value=None)
            with gr.Accordion("Beschrijf jullie situatie en krijg een voorstel", open=True):
                describe = gr.Textbox(lines=3, show_label=False, elem_id="ikc-wiz-describe",
                                      placeholder="Bijv. Elke partner heeft nog een eigen visie; we praten er wel over.")
                suggest = gr.Button("Stel een niveau voor", size="sm", elem_id="ikc-wiz-suggest")
                suggestion = gr.HTML(elem_id="ikc-wiz-suggestion")
            with gr.Accordion("Notitie bij dit thema", open=False):
                note = gr.Textbox(lines=2, show_label=False, placeholder="Wat wil je onthouden bij dit thema?")
                save_note = gr.Button("Notitie bewaren", size="sm")
    result = profile_result.build(ctx)

    def engine(walk_state: dict) -> Walkthrough:
        return Walkthrough.from_json(walk_state, instrument=instrument, settings=ctx.settings,
                                     placer=get_placer(ctx.settings, instrument))

    def view(walk: Walkthrough, turn: Turn, place: str, when_text: str, category: dict | None):
        """Everything the tab shows for the engine's new state."""
        suggested = turn.suggestion if turn.kind == "suggestion" else None
        current = walk.answers[walk.current_theme.number].level if walk.current_theme else None
        return (
            walk.to_json(),
            wizard_view.progress_html(walk),
            gr.update(visible=not walk.finished),
            wizard_view.theme_html(walk, link_for),
            gr.update(value=suggested.level if suggested else current),
            wizard_view.suggestion_html(suggested, walk, link_for),
            gr.update(value=None),
            *result.show(walk, turn, place, when_text, category),
        )

    outputs = [state, progress, walking, theme, level, suggestion, goto, *result.outputs]

    def begin(place: str, when_text: str, category: dict | None):
        walk = Walkthrough(instrument=instrument, settings=ctx.settings, language="nl", location=(place or "").strip(),
                           placer=get_placer(ctx.settings, instrument))
        return view(walk, walk.start(), place, when_text, category)

    def act(action):
        def handler(walk_state: dict | None, place: str, when_text: str, category: dict | None, *args):
            if walk_state is None:
                raise gr.Error("Begin eerst het instrument.")
            walk = engine(walk_state)
            return view(walk, action(walk, *args), place, when_text, category)
        return handler

    def choose_level(walk: Walkthrough, key: str | None) -> Turn:
        if not key:
            raise gr.Error("Kies eerst een niveau.")
        if walk.pending is not None and walk.pending.level == key:
            return walk.confirm()
        return walk.choose(key)

    def describe_situation(walk: Walkthrough, text: str) -> Turn:
        if not (text or "").strip():
            raise gr.Error("Beschrijf eerst de situatie.")
        return walk.describe(text)

    common = [state, location, when, category_choice]
    private = {"api_visibility": "private"}
    start.click(begin, [location, when, category_choice], outputs, **private)
    choose.click(act(choose_level), [*common, level], outputs, **private)
    for button in (back, result.back):
        button.click(act(lambda w: w.back()), common, outputs, **private)
    skip.click(act(lambda w: w.skip()), common, outputs, **private)
    goto.input(act(lambda w, n: w.goto(int(n)) if n else w.show()), [*common, goto], outputs, **private)
    finish.click(act(lambda w: w.summary()), common, outputs, **private)
    suggest.click(act(describe_situation), [*common, describe], outputs, **private)
    save_note.click(act(lambda w, text: w.add_note(text) if (text or "").strip() else w.show()),
                    [*common, note], outputs, **private).then(lambda: "", None, note, queue=False)
    result.wire(state, location, when, category_choice, engine)
