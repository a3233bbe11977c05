"""Evaluatie tab: run a question set through the assistant, see the scores, compare with a baseline."""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

import evals
from evals.runner import run_eval
from evals.sets import SetError, load_set
from ui import eval_view, render
from ui.catalog import baselines, eval_sets
from ui.context import UIContext

# `__path__`, not `__file__`: an editable install made before evals/__init__.py existed maps it as a namespace.
EVALS_DIR = Path(next(iter(evals.__path__))).resolve()
SETS_DIR = EVALS_DIR / "sets"
BASELINES_DIR = EVALS_DIR / "baselines"


def _error(message: str) -> str:
    lines = "".join(f"<li>{render.escape(line.strip())}</li>" for line in message.splitlines() if line.strip())
    return f"<div class='ikc-errors'><strong>Kan niet evalueren:</strong><ul>{lines}</ul></div>"


def build(ctx: UIContext) -> None:
    sets = eval_sets(SETS_DIR)
    gr.Markdown(
        "Draai een vragenset door de assistent. Elke vraag wordt automatisch gecontroleerd "
        "(vindt de assistent de juiste passage, citeert hij die, weigert hij waar de notities zwijgen, …). "
        "Vergelijk met een eerder opgeslagen run om te zien wat beter of slechter werd."
    )
    with gr.Row(equal_height=False):
        with gr.Column():
            set_choice = gr.Dropdown(sets, value=sets[0][1] if sets else None, label="Vragenset (evals/sets)")
            set_file = gr.File(label="…of upload een set (.jsonl)", file_types=[".jsonl"], type="filepath",
                               elem_id="ikc-eval-set-file")
        with gr.Column():
            base_choice = gr.Dropdown([("geen", "")] + baselines(BASELINES_DIR), value="",
                                      label="Vergelijk met baseline")
            base_file = gr.File(label="…of upload een baseline (results.jsonl of metrics.json)",
                                file_types=[".jsonl", ".json"], type="filepath", elem_id="ikc-eval-baseline-file")
    with gr.Row():
        start = gr.Button("Evaluatie starten", variant="primary", elem_id="ikc-eval-run")
        keep = gr.Button("Bewaar deze run als baseline", interactive=False)
    status = gr.HTML()
    metrics = gr.HTML(elem_id="ikc-eval-metrics")
    comparison = gr.HTML()
    items = gr.HTML(elem_id="ikc-eval-items")
    outputs = gr.File(label="results.jsonl, metrics.json, report.md", file_count="multiple", interactive=False)
    with gr.Accordion("Rapport (report.md)", open=False):
        report = gr.Markdown()
    last_run = gr.State(None)

    def evaluate(chosen: str | None, uploaded: str | None, base: str | None, base_uploaded: str | None,
                 progress=gr.Progress()):
        path = Path(uploaded or chosen or "")
        if not path.name:
            return _error("kies of upload een vragenset"), "", "", "", None, "", None, gr.update(interactive=False)
        try:
            questions = load_set(path)
        except (SetError, OSError) as exc:
            return _error(str(exc)), "", "", "", None, "", None, gr.update(interactive=False)

        def step(done: int, total: int, item_id: str) -> None:
            progress((done, total), desc=f"Vraag {item_id}" if item_id else "Opwarmen")

        try:
            run = run_eval(questions, assistant=ctx.assistant, progress=step, set_name=path.name,
                           baseline=base_uploaded or base or None)
        except (ValueError, OSError) as exc:  # an unreadable baseline
            return _error(str(exc)), "", "", "", None, "", None, gr.update(interactive=False)
        paths = run.write(Path(tempfile.mkdtemp(prefix="ikc-eval-")))
        return ("", eval_view.metrics_html(run), eval_view.comparison_html(run), eval_view.items_html(run),
                [str(p) for p in paths.values()], paths["report"].read_text(encoding="utf-8"), run,
                gr.update(interactive=True))

    def save_baseline(run):
        if run is None:
            return _error("draai eerst een evaluatie"), gr.skip()
        target = BASELINES_DIR / Path(run.set_name).stem
        run.write(target)
        return (f"<p class='ikc-pass'>Bewaard als baseline in <code>{render.escape(target)}</code>.</p>",
                gr.update(choices=[("geen", "")] + baselines(BASELINES_DIR)))

    start.click(evaluate, [set_choice, set_file, base_choice, base_file],
                [status, metrics, comparison, items, outputs, report, last_run, keep], api_name="evaluate")
    keep.click(save_baseline, last_run, [status, base_choice], api_visibility="private")
