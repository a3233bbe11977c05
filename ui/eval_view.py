"""An evaluation run (`evals.runner.EvalRun`) as HTML: metrics, the baseline comparison, every question.

Labels and number formats come from `evals.report`, so the UI and report.md say the same thing;
regressions (metrics beyond the tolerance, questions that flipped to failing) are highlighted.
"""

from __future__ import annotations

from evals.display import CHECK_LABELS, format_delta, format_value
from evals.metrics import METRICS
from ui.render import escape

CHECK_SHORT = {
    "answered": "antwoord", "refusal": "weigering", "retrieval@5": "top-5", "cites_gold": "citeert goud",
    "citation_support": "steun", "grounded": "onderbouwd", "must_include": "bevat", "must_not": "vermijdt",
    "injection": "injectie",
}


def _mark(passed: bool | None) -> str:
    if passed is None:
        return "<span class='ikc-note'>–</span>"
    return "<span class='ikc-pass'>✓</span>" if passed else "<span class='ikc-fail'>✗</span>"


def metrics_html(run) -> str:
    """Overall measures, with the change against the baseline when there is one."""
    counts = run.summary["counts"]
    deltas = {d.name: d for d in run.comparison.deltas} if run.comparison else {}
    head = "<th>Maat</th><th class='num'>Resultaat</th>"
    if deltas:
        head += "<th class='num'>Baseline</th><th class='num'>Verschil</th>"
    rows = []
    for name, metric in METRICS.items():
        value = run.metrics.get(name)
        if value is None:
            continue
        cells = (f"<td title='{escape(metric.meaning)}'>{escape(metric.label)}</td>"
                 f"<td class='num'>{escape(format_value(name, value, counts))}</td>")
        regressed = False
        if deltas:
            d = deltas.get(name)
            regressed = bool(d and d.regressed)
            before = format_value(name, d.before) if d else "–"
            change = format_delta(name, d.delta if d else None)
            cells += f"<td class='num'>{escape(before)}</td><td class='num'>{escape(change)}</td>"
        rows.append(f"<tr{' class=ikc-regression' if regressed else ''}>{cells}</tr>")
    title = f"{escape(run.set_name)}: {counts['passed']}/{counts['scored']} vragen slagen voor alle controles"
    return (f"<div class='ikc-table'><h3>{title}</h3><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def comparison_html(run) -> str:
    comp = run.comparison
    if comp is None:
        return ""
    if comp.regressed:
        items = "".join(f"<li>{escape(r)}</li>" for r in comp.regressions)
        verdict = ("<div class='ikc-errors'><strong>Achteruitgang ten opzichte van de baseline:</strong>"
                   f"<ul>{items}</ul></div>")
    else:
        verdict = "<p class='ikc-pass'>Geen achteruitgang ten opzichte van de baseline.</p>"
    better = ", ".join(escape(f.id) for f in comp.to_pass) or "geen"
    return (
        f"<div class='ikc-card'><p class='ikc-note'>Baseline: <code>{escape(comp.baseline)}</code> "
        f"(tolerantie {comp.tolerance:g})</p>{verdict}<p>Nu geslaagd (eerst niet): {better}</p></div>"
    )


def items_html(run) -> str:
    """One row per question: question, answer, citations, a ✓/✗ per check; flipped-to-fail rows highlighted."""
    rows = run.rows()
    names = [n for n in CHECK_LABELS if any(n in r["checks"] for r in rows)]
    names += sorted({n for r in rows for n in r["checks"]} - set(names))
    flipped = {f.id for f in run.comparison.to_fail} if run.comparison else set()
    head = "".join(f"<th title='{escape(CHECK_LABELS.get(n, n))}'>{escape(CHECK_SHORT.get(n, n))}</th>" for n in names)
    body = []
    for r in rows:
        checks = "".join(f"<td>{_mark(r['checks'].get(n))}</td>" for n in names)
        answer = escape(r["answer"]) + (" <span class='ikc-badge'>geweigerd</span>" if r["refused"] else "")
        why = f"<div class='ikc-note'>{escape(r['why'])}</div>" if r["why"] else ""
        cls = " class='ikc-regression'" if r["id"] in flipped else ""
        body.append(
            f"<tr{cls}><td><code>{escape(r['id'])}</code>"
            f"<div class='ikc-note'>{escape(r['type'])} · {escape(r['language'])}</div></td>"
            f"<td>{escape(r['question'])}</td><td>{answer}{why}</td><td>{escape(r['citations'])}</td>"
            f"<td>{_mark(r['passed'])}</td>{checks}</tr>"
        )
    return (
        "<div class='ikc-table'><table><thead><tr><th>Id</th><th>Vraag</th><th>Antwoord</th><th>Citaten</th>"
        f"<th>Geslaagd</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )
