"""Look and feel: a sober theme with local fonts only (the app runs offline) and the panel styles."""

from __future__ import annotations

SYSTEM_FONTS = ("ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif")
MONO_FONTS = ("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace")

CSS = """
.ikc-header h1 { margin-bottom: 0; }
.ikc-header p { margin-top: 2px; color: var(--body-text-color-subdued); }
.ikc-sources { font-size: 0.92rem; max-height: 78vh; overflow-y: auto; padding-right: 4px; }
.ikc-sources h3 { margin: 0 0 8px 0; font-size: 1.05rem; }
.ikc-empty { color: var(--body-text-color-subdued); padding: 12px; }
.ikc-note { color: var(--body-text-color-subdued); font-size: 0.88rem; }
.ikc-src { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px; margin-bottom: 8px;
           background: var(--background-fill-secondary); }
.ikc-cited { border-left: 4px solid var(--color-accent); }
.ikc-src-head { font-weight: 600; }
.ikc-n { color: var(--color-accent); margin-right: 4px; }
.ikc-meta { color: var(--body-text-color-subdued); font-size: 0.85rem; margin: 2px 0 6px 0; font-weight: normal; }
.ikc-meta a { color: var(--link-text-color); }
.ikc-section { font-style: italic; }
.ikc-passage { white-space: pre-wrap; line-height: 1.45; }
.ikc-passage mark { background: #fde68a; color: inherit; padding: 0 1px; border-radius: 2px; }
.ikc-src summary { cursor: pointer; }
.ikc-more > summary { cursor: pointer; font-weight: 600; margin: 6px 0; }
.ikc-refused h3 { color: #b45309; }
.ikc-docs table, .ikc-table table { width: 100%; border-collapse: collapse; border: none !important; }
.ikc-docs table { font-size: 0.92rem; }
.ikc-docs { overflow-x: auto; }
.ikc-docs th, .ikc-docs td { text-align: left; padding: 6px 8px; border: none; border-bottom: 1px solid var(--border-color-primary); }
.ikc-docs .num { text-align: right; }
.ikc-docs tfoot td { font-weight: 600; }
.ikc-errors, .ikc-errors li { color: #b91c1c; }
.ikc-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px; margin-bottom: 10px; }
.ikc-progress { font-weight: 600; }
.ikc-badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: var(--color-accent-soft);
             font-size: 0.85rem; margin-left: 6px; }
.ikc-bar { height: 8px; border-radius: 4px; background: var(--border-color-primary); margin-top: 6px; overflow: hidden; }
.ikc-bar > div { height: 100%; background: var(--color-accent); }
.ikc-theme h3 { margin: 0 0 6px 0; }
.ikc-level { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px; margin-bottom: 8px;
             background: var(--background-fill-secondary); }
.ikc-chosen { border: 2px solid var(--color-accent); }
.ikc-warning { border-left: 4px solid #d97706; background: #fffbeb; }
.ikc-suggestion blockquote { margin: 6px 0; padding-left: 10px; border-left: 3px solid var(--color-accent); }
.ikc-pass { color: #15803d; font-weight: 600; }
.ikc-fail { color: #b91c1c; font-weight: 600; }
.ikc-regression { background: #fee2e2; }
.ikc-table table { font-size: 0.88rem; }
.ikc-table th, .ikc-table td { text-align: left; padding: 5px 7px; border: none; border-bottom: 1px solid var(--border-color-primary);
                               vertical-align: top; }
.ikc-table .num { text-align: right; }
.ikc-scroll { overflow-x: auto; max-width: 100%; }
.ikc-scroll table { min-width: 640px; }
.ikc-table td.ikc-wide { min-width: 16em; }
.ikc-table td { overflow-wrap: anywhere; }
.ikc-header a.ikc-lang { margin-left: 8px; font-size: 0.9rem; }
.ikc-src:focus, .ikc-src:focus-visible { outline: 3px solid var(--color-accent); outline-offset: 2px; }
a.ikc-cite { text-decoration: none; }
a.ikc-cite:hover, a.ikc-cite:focus { text-decoration: underline; }
.ikc-pair { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
.ikc-unsure { border-left: 4px solid #d97706; }
.ikc-h3 p { font-size: 1.15rem; font-weight: 600; margin: 0; }
.ikc-h4 p { font-weight: 600; margin: 8px 0 0 0; }
/* A phone (390 px): every tab stays in the tab bar (Gradio moves tabs that do not fit into a "•••" menu). */
@media (max-width: 520px) {
  #ikc-tabs .tab-container button { padding: 4px 2px; font-size: 0.7rem; white-space: normal; max-width: 6.5em;
                                    line-height: 1.15; text-align: center; }
  #ikc-tabs [role=tablist] { flex-wrap: wrap; row-gap: 2px; }
  .ikc-pair { grid-template-columns: 1fr; }
  .ikc-sources { max-height: none; }
}
"""

# `[n]` in an answer links to its source card (`#ikc-src-n`): move the focus there instead of letting Gradio
# open the link, so keyboard and screen-reader users land on the quoted passage.
JS = """() => {
  document.addEventListener('click', (event) => {
    const link = event.target.closest ? event.target.closest('a.ikc-cite') : null;
    if (!link) return;
    const id = (link.getAttribute('href') || '').replace(/^#/, '');
    const target = id ? document.getElementById(id) : null;
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    const card = target.closest('.ikc-src') || target;
    const details = card.closest('details');
    if (details) details.open = true;
    card.scrollIntoView({block: 'center'});
    card.focus({preventScroll: true});
  }, true);
}"""


def make_theme():
    import gradio as gr

    return gr.themes.Soft(primary_hue="teal", neutral_hue="slate", font=list(SYSTEM_FONTS), font_mono=list(MONO_FONTS))
