"""Evaluatie tab: run a question set through the assistant, see the scores, compare with a baseline."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

import evals
from evals.runner import run_eval
from evals.sets import SetError, load_set
from ui import eval_view, render
from ui.catalog import baselines, eval_sets
from ui.context import UIContext
from ui.i18n import DEFAULT, label, language_of, t

# `__path__`, not `__file__`: an editable install made before evals/__init__.py existed maps it as a namespace.
EVALS_DIR = Path(next(iter(evals.__path__))).resolve()
SETS_DIR = EVALS_DIR / "sets"
BASELINES_DIR = EVALS_DIR / "baselines"


def _error(message: str, lang: str = DEFAULT) -> str:
    lines = "".join(f"<li>{render.escape(line.strip())}</li>" for line in message.splitlines() if line.strip())
    return f"<div class='ikc-errors'><strong>{render.escape(t(lang, 'eval_cannot'))}</strong><ul>{lines}</ul></div>"


@dataclass
class EvaluationTab:
    localized: list
    localize: Callable[[str], tuple]


def build(ctx: UIContext) -> EvaluationTab:
    sets = eval_sets(SETS_DIR)
    gr.Markdown(label("eval_intro"))
    with gr.Row(equal_height=False):
        with gr.Column(min_width=260):
            set_choice = gr.Dropdown(sets, value=sets[0][1] if sets else None, label=label("eval_set"))
            set_file = gr.File(label=label("eval_set_file"), file_types=[".jsonl"], type="filepath",
                               elem_id="ikc-eval-set-file")
        with gr.Column(min_width=260):
            base_choice = gr.Dropdown([(t(DEFAULT, "eval_none"), "")] + baselines(BASELINES_DIR), value="",
                                      label=label("eval_baseline"))
            base_file = gr.File(label=label("eval_baseline_file"), file_types=[".jsonl", ".json"], type="filepath",
                                elem_id="ikc-eval-baseline-file")
    with gr.Row():
        start = gr.Button(label("eval_run"), variant="primary", elem_id="ikc-eval-run")
        keep = gr.Button(label("eval_keep"), interactive=False)
    status = gr.HTML(elem_id="ikc-eval-status")
    metrics = gr.HTML(elem_id="ikc-eval-metrics")
    comparison = gr.HTML()
    items = gr.HTML(elem_id="ikc-eval-items")
    outputs = gr.File(label=label("eval_outputs"), file_count="multiple", interactive=False)
    with gr.Accordion(label("eval_report"), open=False):
        report = gr.Markdown()
    last_run = gr.State(None)

    def evaluate(chosen: str | None, uploaded: str | None, base: str | None, base_uploaded: str | None,
                 request: gr.Request, progress=gr.Progress()):
        lang = language_of(request)
        path = Path(uploaded or chosen or "")
        if not path.name:
            return _error(t(lang, "eval_choose"), lang), "", "", "", None, "", None, gr.update(interactive=False)
        try:
            questions = load_set(path)
        except (SetError, OSError) as exc:
            return _error(str(exc), lang), "", "", "", None, "", None, gr.update(interactive=False)

        def step(done: int, total: int, item_id: str) -> None:
            progress((done, total), desc=t(lang, "eval_question", id=item_id) if item_id else t(lang, "eval_warmup"))

        try:
            run = run_eval(questions, assistant=ctx.assistant, progress=step, set_name=path.name,
                           baseline=base_uploaded or base or None)
        except (ValueError, OSError) as exc:  # an unreadable baseline
            return _error(str(exc), lang), "", "", "", None, "", None, gr.update(interactive=False)
        paths = run.write(Path(tempfile.mkdtemp(prefix="ikc-eval-")))
        return ("", eval_view.metrics_html(run, lang), eval_view.comparison_html(run, lang),
                eval_view.items_html(run, lang), [str(p) for p in paths.values()],
                paths["report"].read_text(encoding="utf-8"), run, gr.update(interactive=True))

    def save_baseline(run, request: gr.Request):
        lang = language_of(request)
        if run is None:
            return _error(t(lang, "eval_first"), lang), gr.skip()
        target = BASELINES_DIR / Path(run.set_name).stem
        run.write(target)
        saved = render.escape(t(lang, "eval_saved", path="\0")).replace("\0", f"<code>{render.escape(target)}</code>")
        return (f"<p class='ikc-pass'>{saved}</p>",
                gr.update(choices=[(t(lang, "eval_none"), "")] + baselines(BASELINES_DIR)))

    # One progress bar, on the status line, rather than one over every output.
    start.click(evaluate, [set_choice, set_file, base_choice, base_file],
                [status, metrics, comparison, items, outputs, report, last_run, keep], api_name="evaluate",
                show_progress_on=[status])
    keep.click(save_baseline, last_run, [status, base_choice], api_visibility="private")

    def localize(lang: str) -> tuple:
        return (gr.update(choices=[(t(lang, "eval_none"), "")] + baselines(BASELINES_DIR)),)

    return EvaluationTab([base_choice], localize)
