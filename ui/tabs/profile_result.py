"""The end of the wizard: profile table (with the category), radar chart, summary, exports, and the monitor
(save, compare)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import gradio as gr

from assistant.director.instrument import load_instrument
from assistant.director.profile import Monitor, Profile, comparison_markdown, summary_markdown, write_exports
from assistant.director.walkthrough import Turn, Walkthrough
from ui import render, wizard_view
from ui.context import UIContext
from ui.i18n import label, language_of, t


def profile_of(walk: Walkthrough, location: str, when: str, category: dict | None = None, lang: str = "nl") -> Profile:
    """The walkthrough's profile under the location and date the user typed (the date must be YYYY-MM-DD),
    with the category advice when one was made."""
    try:
        day = date.fromisoformat((when or "").strip()).isoformat()
    except ValueError as exc:
        raise gr.Error(t(lang, "wiz_bad_date", date=when)) from exc
    profile = walk.profile()
    profile.location = (location or "").strip() or walk.location
    profile.date = day
    profile.category = category
    return profile


@dataclass
class ProfileResult:
    ctx: UIContext
    box: gr.Column
    table: gr.HTML
    chart: gr.Image
    summary: gr.Markdown
    files: gr.File
    save: gr.Button
    saved: gr.Dropdown
    compare: gr.Button
    comparison: gr.Markdown
    status: gr.HTML
    back: gr.Button

    @property
    def outputs(self) -> list:
        return [self.box, self.table, self.chart, self.summary, self.files]

    def show(self, walk: Walkthrough, turn: Turn, location: str, when: str, category: dict | None,
             lang: str = "nl") -> tuple:
        """Updates for `outputs`: hidden while walking, the full result once every theme is handled."""
        if not (walk.finished or turn.kind == "summary"):
            return gr.update(visible=False), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        instrument = walk.instrument
        profile = profile_of(walk, location, when, category, lang)
        paths = write_exports(profile, instrument, Path(tempfile.mkdtemp(prefix="ikc-profile-")), lang)
        return (
            gr.update(visible=True),
            wizard_view.profile_table_html(profile, instrument, self.ctx.link_for, lang),
            str(paths["png"]),
            render.engine_markdown(summary_markdown(profile, instrument, lang)),
            [str(p) for p in paths.values()],
        )

    def wire(self, state: gr.State, location: gr.Textbox, when: gr.Textbox, category: gr.State, engine) -> None:
        """Save to the monitor and compare with a saved moment; `engine(state)` rebuilds the walkthrough."""
        settings = self.ctx.settings
        instrument = load_instrument()

        def save(walk_state: dict | None, place: str, when_text: str, advice: dict | None, request: gr.Request):
            lang = language_of(request)
            if walk_state is None:
                raise gr.Error(t(lang, "wiz_start_first"))
            profile = profile_of(engine(walk_state), place, when_text, advice, lang)
            if not profile.location:
                raise gr.Error(t(lang, "wiz_location_first"))
            monitor = Monitor(settings)
            monitor.save(profile)
            saved = t(lang, "wiz_saved_ok", location=profile.location, date=profile.date)
            return (f"<p class='ikc-pass'>{render.escape(saved)}</p>",
                    gr.update(choices=wizard_view.saved_choices(monitor.list(), lang)))

        def compare(walk_state: dict | None, place: str, when_text: str, saved_id: int | None, request: gr.Request):
            lang = language_of(request)
            if walk_state is None or saved_id is None:
                raise gr.Error(t(lang, "wiz_pick_saved"))
            earlier = Monitor(settings).load(int(saved_id))
            now = profile_of(engine(walk_state), place, when_text, lang=lang)
            return render.engine_markdown(comparison_markdown(earlier, now, instrument, lang))

        def refresh_saved(request: gr.Request):
            return gr.update(choices=wizard_view.saved_choices(Monitor(settings).list(), language_of(request)))

        self.save.click(save, [state, location, when, category], [self.status, self.saved], api_visibility="private")
        self.compare.click(compare, [state, location, when, self.saved], self.comparison, api_visibility="private")
        self.saved.focus(refresh_saved, None, self.saved, api_visibility="private", queue=False)


def build(ctx: UIContext) -> ProfileResult:
    with gr.Column(visible=False, elem_id="ikc-wiz-result") as box:
        with gr.Row():
            gr.Markdown(label("wiz_profile"), elem_classes="ikc-h3")
            back = gr.Button(label("wiz_back_to_theme"), size="sm", scale=0, elem_id="ikc-wiz-result-back",
                             min_width=160)
        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=300):
                table = gr.HTML(elem_id="ikc-wiz-profile")
            with gr.Column(scale=1, min_width=300):
                chart = gr.Image(label=label("wiz_chart"), show_label=False, type="filepath", interactive=False,
                                 height=560, elem_id="ikc-wiz-chart")
        summary = gr.Markdown(elem_id="ikc-wiz-summary", line_breaks=True)
        files = gr.File(label=label("wiz_downloads"), file_count="multiple", interactive=False, elem_id="ikc-wiz-files")
        gr.Markdown(label("wiz_monitor"), elem_classes="ikc-h4")
        with gr.Row():
            save = gr.Button(label("wiz_save"), variant="primary", elem_id="ikc-wiz-save")
            saved = gr.Dropdown(wizard_view.saved_choices(Monitor(ctx.settings).list()), label=label("wiz_saved_label"),
                                value=None, scale=2, elem_id="ikc-wiz-saved")
            compare = gr.Button(label("wiz_compare"), elem_id="ikc-wiz-compare")
        status = gr.HTML(elem_id="ikc-wiz-status")
        comparison = gr.Markdown(line_breaks=True, elem_id="ikc-wiz-comparison")
    return ProfileResult(ctx, box, table, chart, summary, files, save, saved, compare, comparison, status, back)
