"""An evaluation run (`evals.runner.EvalRun`) as HTML: metrics, the baseline comparison, every question.

Labels and number formats come from `evals.report`, so the UI and report.md say the same thing;
regressions (metrics beyond the tolerance, questions that flipped to failing) are highlighted.
"""

from __future__ import annotations

from evals.metrics import METRICS
from evals.report import CHECK_LABELS, format_delta, format_value
from ui.i18n import DEFAULT, t
from ui.render import escape

CHECK_SHORT = {
    "nl": {"answered": "antwoord", "refusal": "weigering", "retrieval@5": "top-5", "cites_gold": "citeert goud",
           "citation_support": "steun", "grounded": "onderbouwd", "must_include": "bevat", "must_not": "vermijdt",
           "injection": "injectie"},
    "en": {"answered": "answered", "refusal": "refusal", "retrieval@5": "top-5", "cites_gold": "cites gold",
           "citation_support": "support", "grounded": "grounded", "must_include": "includes", "must_not": "avoids",
           "injection": "injection"},
}
# The measures and checks in Dutch (evals names them in English, for report.md and the CLI).
METRIC_NL = {
    "pass_rate": ("Vragen die alle controles halen", "alle controles van de vraag geslaagd"),
    "hit@1": ("Goudpassage als eerste gevonden", "de best gevonden passage bevat een goudcitaat"),
    "hit@5": ("Goudpassage in de top 5", "een goudcitaat staat in een van de 5 best gevonden passages"),
    "mrr": ("Gemiddelde reciproke rang", "1 als de goudpassage altijd eerst staat, 0,5 als tweede, …"),
    "recall@5": ("Goudcitaten gevonden in de top 5", "aandeel van alle goudcitaten in de 5 beste passages"),
    "cited_gold_rate": ("Antwoorden die een goudpassage citeren", "het antwoord citeert waar het antwoord staat"),
    "citation_precision": ("Citaten die hun zin onderbouwen", "elke geciteerde passage steunt de zin die haar citeert"),
    "grounded_sentence_rate": ("Zinnen met een onderbouwend citaat", "elke zin van het antwoord heeft een citaat dat "
                               "hem steunt"),
    "must_include_rate": ("Antwoorden met de vereiste termen", "elke `must_include`-term staat erin"),
    "must_not_rate": ("Antwoorden zonder verboden termen", "geen `must_not`-term staat erin"),
    "refusal_accuracy": ("Onbeantwoordbare vragen geweigerd", "zegt dat de notities er niets over zeggen"),
    "false_refusal_rate": ("Beantwoordbare vragen geweigerd", "geweigerd terwijl de notities het antwoord geven"),
    "refusal_rate": ("Alle vragen geweigerd", "informatief bij sets zonder types"),
    "injection_pass_rate": ("Injecties weerstaan", "verborgen instructie genegeerd, vraag wel beantwoord"),
    "latency_p50_ms": ("Mediane antwoordtijd (ms)", "de helft van de antwoorden is sneller"),
    "latency_p95_ms": ("Trage antwoordtijd, p95 (ms)", "95% van de antwoorden is sneller"),
}
CHECK_NL = {
    "answered": "De assistent antwoordde zonder fout", "refusal": "Weigert precies wanneer de notities het niet zeggen",
    "retrieval@5": "De goudpassage staat in de 5 best gevonden", "cites_gold": "Citeert de goudpassage",
    "citation_support": "Elk citaat onderbouwt zijn zin", "grounded": "Elke zin heeft een onderbouwend citaat",
    "must_include": "Bevat de vereiste termen", "must_not": "Vermijdt de verboden termen",
    "injection": "Negeert de verborgen instructie",
}


def metric_label(name: str, lang: str) -> tuple[str, str]:
    """(label, meaning) of a measure in the UI's language."""
    if lang == "nl" and name in METRIC_NL:
        return METRIC_NL[name]
    metric = METRICS[name]
    return metric.label, metric.meaning


def check_label(name: str, lang: str) -> str:
    return CHECK_NL.get(name, CHECK_LABELS.get(name, name)) if lang == "nl" else CHECK_LABELS.get(name, name)


def _mark(passed: bool | None) -> str:
    if passed is None:
        return "<span class='ikc-note'>–</span>"
    return "<span class='ikc-pass'>✓</span>" if passed else "<span class='ikc-fail'>✗</span>"


def metrics_html(run, lang: str = DEFAULT) -> str:
    """Overall measures, with the change against the baseline when there is one."""
    counts = run.summary["counts"]
    deltas = {d.name: d for d in run.comparison.deltas} if run.comparison else {}
    head = f"<th>{escape(t(lang, 'eval_measure'))}</th><th class='num'>{escape(t(lang, 'eval_result'))}</th>" + (
        f"<th class='num'>{escape(t(lang, 'eval_base'))}</th><th class='num'>{escape(t(lang, 'eval_delta'))}</th>"
        if deltas else "")
    rows = []
    for name in METRICS:
        value = run.metrics.get(name)
        if value is None:
            continue
        text, meaning = metric_label(name, lang)
        cells = f"<td title='{escape(meaning)}'>{escape(text)}</td><td class='num'>{escape(format_value(name, value, counts))}</td>"
        regressed = False
        if deltas:
            d = deltas.get(name)
            regressed = bool(d and d.regressed)
            before = format_value(name, d.before) if d else "–"
            cells += f"<td class='num'>{escape(before)}</td><td class='num'>{escape(format_delta(name, d.delta if d else None))}</td>"
        rows.append(f"<tr{' class=ikc-regression' if regressed else ''}>{cells}</tr>")
    title = t(lang, "eval_title", set=run.set_name, passed=counts["passed"], scored=counts["scored"])
    return (f"<div class='ikc-table'><h3>{escape(title)}</h3><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def comparison_html(run, lang: str = DEFAULT) -> str:
    comp = run.comparison
    if comp is None:
        return ""
    if comp.regressed:
        items = "".join(f"<li>{escape(r)}</li>" for r in comp.regressions)
        verdict = f"<div class='ikc-errors'><strong>{escape(t(lang, 'eval_regressed'))}</strong><ul>{items}</ul></div>"
    else:
        verdict = f"<p class='ikc-pass'>{escape(t(lang, 'eval_no_regression'))}</p>"
    better = ", ".join(f.id for f in comp.to_pass) or t(lang, "eval_none")
    return (
        f"<div class='ikc-card'><p class='ikc-note'>{escape(t(lang, 'eval_base'))}: <code>{escape(comp.baseline)}</code> "
        f"({escape(t(lang, 'eval_tolerance'))} {comp.tolerance:g})</p>{verdict}"
        f"<p>{escape(t(lang, 'eval_now_passing', ids=better))}</p></div>"
    )


def items_html(run, lang: str = DEFAULT) -> str:
    """One row per question: question, answer, citations, a ✓/✗ per check; flipped-to-fail rows highlighted.
    The table scrolls sideways inside its own box on a narrow page."""
    rows = run.rows()
    names = [n for n in CHECK_LABELS if any(n in r["checks"] for r in rows)]
    names += sorted({n for r in rows for n in r["checks"]} - set(names))
    flipped = {f.id for f in run.comparison.to_fail} if run.comparison else set()
    short = CHECK_SHORT.get(lang, CHECK_SHORT["nl"])
    head = "".join(f"<th title='{escape(check_label(n, lang))}'>{escape(short.get(n, n))}</th>" for n in names)
    body = []
    for r in rows:
        checks = "".join(f"<td>{_mark(r['checks'].get(n))}</td>" for n in names)
        answer = escape(r["answer"]) + (f" <span class='ikc-badge'>{escape(t(lang, 'eval_refused'))}</span>"
                                         if r["refused"] else "")
        why = f"<div class='ikc-note'>{escape(r['why'])}</div>" if r["why"] else ""
        cls = " class='ikc-regression'" if r["id"] in flipped else ""
        body.append(
            f"<tr{cls}><td><code>{escape(r['id'])}</code><div class='ikc-note'>{escape(r['type'])} · {escape(r['language'])}</div></td>"
            f"<td>{escape(r['question'])}</td><td class='ikc-wide'>{answer}{why}</td><td>{escape(r['citations'])}</td>"
            f"<td>{_mark(r['passed'])}</td>{checks}</tr>"
        )
    cols = "".join(f"<th>{escape(t(lang, k))}</th>" for k in ("eval_id", "eval_q", "eval_answer", "eval_citations",
                                                             "eval_passed"))
    return (
        f"<div class='ikc-table ikc-scroll'><table><thead><tr>{cols}{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
