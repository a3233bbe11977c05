"""The instrument walkthrough (`assistant.director.walkthrough.Walkthrough`) as HTML for the wizard tab.

Descriptor texts come from the note and are escaped like any other document text.
"""

from __future__ import annotations

from assistant.director.instrument import Instrument
from assistant.director.placement import Suggestion
from assistant.director.profile import Profile
from assistant.director.walkthrough import Walkthrough
from ui.i18n import DEFAULT, t
from ui.render import LinkFn, escape


def level_choices(instrument: Instrument) -> list[tuple[str, str]]:
    """(label, level key) for the choice buttons: "1 · Back to back", …"""
    return [(f"{i} · {level.name}", level.key) for i, level in enumerate(instrument.levels, start=1)]


def theme_choices(instrument: Instrument) -> list[tuple[str, int]]:
    return [(f"{t.number}. {t.name}", t.number) for t in instrument.themes]


def _page_link(link_for: LinkFn, doc_id: str, page: int) -> str:
    link = link_for(doc_id, "", page)
    if not link:
        return f"p. {int(page)}"
    return f"<a href='{escape(link)}' target='_blank' rel='noopener noreferrer'>p. {int(page)} ↗</a>"


def progress_html(walk: Walkthrough, lang: str = DEFAULT) -> str:
    """"Thema k van N" with a bar, and how many themes have a level."""
    total = len(walk.instrument.themes)
    answered = sum(1 for a in walk.answers.values() if a.level)
    skipped = sum(1 for a in walk.answers.values() if a.skipped and not a.level)
    where = t(lang, "wiz_all_done") if walk.finished else t(lang, "wiz_progress", k=walk.position + 1, n=total)
    pct = round(100 * answered / total) if total else 0
    extra = f" · {t(lang, 'wiz_skipped', n=skipped)}" if skipped else ""
    return (
        f"<div class='ikc-card'><span class='ikc-progress'>{escape(where)}</span>"
        f"<span class='ikc-note'> · {escape(t(lang, 'wiz_filled', answered=answered, total=total))}{escape(extra)}</span>"
        f"<div class='ikc-bar' role='progressbar' aria-valuemin='0' aria-valuemax='{total}' aria-valuenow='{answered}'>"
        f"<div style='width:{pct}%'></div></div></div>"
    )


def theme_html(walk: Walkthrough, link_for: LinkFn, lang: str = DEFAULT) -> str:
    """The current theme: both names where the source differs, and the descriptors with their pages."""
    theme = walk.current_theme
    inst = walk.instrument
    if theme is None:
        return ""
    head = f"<h3>{escape(t(lang, 'wiz_theme'))} {theme.number}. {escape(theme.name)}</h3>"
    if theme.names_differ:
        head += f"<p class='ikc-note'>{escape(t(lang, 'wiz_list_name', n=theme.number, name=theme.name_in_list))}</p>"
    if theme.layout == "header_row":
        head += f"<p class='ikc-note'>{escape(t(lang, 'wiz_header_row'))}</p>"
    chosen = walk.answers[theme.number].level
    cards = []
    for i, level in enumerate(inst.levels, start=1):
        cell = theme.cells[level.key]
        mark = " ikc-chosen" if level.key == chosen else ""
        badge = f" <span class=ikc-badge>{escape(t(lang, 'wiz_chosen'))}</span>" if mark else ""
        cards.append(
            f"<div class='ikc-level{mark}'><div class='ikc-src-head'><span class='ikc-n'>{i}</span> {escape(level.name)}"
            f"{badge}<span class='ikc-meta' style='float:right'>{_page_link(link_for, inst.doc_id, cell.page)}</span></div>"
            f"<div class='ikc-passage'>{escape(cell.text)}</div></div>"
        )
    answer = walk.answers[theme.number]
    extra = ""
    if answer.description:
        extra += f"<p class='ikc-note'>{escape(t(lang, 'wiz_description_shown'))}: {escape(answer.description)}</p>"
    if answer.note:
        extra += f"<p class='ikc-note'>{escape(t(lang, 'wiz_note_shown'))}: {escape(answer.note)}</p>"
    return f"<div class='ikc-theme'>{head}{''.join(cards)}{extra}</div>"


def suggestion_html(suggestion: Suggestion | None, walk: Walkthrough, link_for: LinkFn, lang: str = DEFAULT) -> str:
    """The suggested level for a description, with the descriptor that supports it and how sure it is; when
    the placer is unsure, the two candidate descriptors side by side for the director to choose."""
    if suggestion is None:
        return ""
    inst = walk.instrument
    if suggestion.uncertain and len(suggestion.candidates) >= 2:
        cards = "".join(
            f"<div class='ikc-level'><div class='ikc-src-head'>{escape(c.level_name)} "
            f"<span class='ikc-badge'>{c.probability:.0%}</span></div>"
            f"<blockquote class='ikc-passage'>{escape(c.quote)}</blockquote>"
            f"<div class='ikc-meta'>{escape(inst.doc_title)}, {_page_link(link_for, suggestion.doc_id, c.page)}</div></div>"
            for c in suggestion.candidates[:2])
        return (f"<div class='ikc-card ikc-suggestion ikc-unsure'><div><strong>{escape(t(lang, 'wiz_unsure'))}</strong>"
                f"</div><p class='ikc-note'>{escape(t(lang, 'wiz_unsure_text'))}</p><div class='ikc-pair'>{cards}</div></div>")
    alts = [a for a in suggestion.alternatives if a.theme == suggestion.theme and a.confidence >= 0.1]
    alt_html = (f"<p class='ikc-note'>{escape(t(lang, 'wiz_also'))}: "
                + ", ".join(f"{escape(a.level_name)} ({a.confidence:.0%})" for a in alts) + "</p>") if alts else ""
    excluded = (f"<p class='ikc-note'>{escape(t(lang, 'wiz_excludes'))}: "
                + ", ".join(escape(inst.level(k).name) for k in suggestion.excluded) + "</p>") if suggestion.excluded else ""
    return (
        f"<div class='ikc-card ikc-suggestion'><div>{escape(t(lang, 'wiz_proposal'))}: "
        f"<strong>{escape(suggestion.level_name)}</strong> "
        f"<span class='ikc-badge'>{escape(t(lang, 'wiz_confidence'))} {suggestion.confidence:.0%}</span></div>"
        f"<blockquote class='ikc-passage'>{escape(suggestion.quote)}</blockquote>"
        f"<div class='ikc-meta'>{escape(inst.doc_title)}, {_page_link(link_for, suggestion.doc_id, suggestion.page)}</div>"
        f"{alt_html}{excluded}<p class='ikc-note'>{escape(t(lang, 'wiz_check'))}</p></div>"
    )


def intro_html(instrument: Instrument, link_for: LinkFn, lang: str = DEFAULT) -> str:
    """What the instrument is for, in the note's own words, with pages."""
    quotes = [
        f"<blockquote class='ikc-passage' lang='nl'>{escape(note.text)} "
        f"<span class='ikc-meta'>({_page_link(link_for, instrument.doc_id, note.page)})</span></blockquote>"
        for key in ("conversation_frame", "monitor") if (note := instrument.notes.get(key))
    ]
    levels = ", ".join(level.name for level in instrument.levels)
    text = t(lang, "wiz_intro", title="\0", themes=len(instrument.themes), levels=len(instrument.levels), names=levels)
    before, _, after = text.partition("\0")
    return (f"<div class='ikc-card'>{escape(before)}<strong>{escape(instrument.title)}</strong>{escape(after)}"
            f"{''.join(quotes)}</div>")


def profile_table_html(profile: Profile, instrument: Instrument, link_for: LinkFn, lang: str = DEFAULT) -> str:
    """Level per theme with the chosen descriptor (quoted, with page), the director's notes and descriptions,
    and the category when one was chosen."""
    rows = []
    for theme in instrument.themes:
        key = profile.levels.get(theme.number)
        name = escape(theme.name) + (f"<div class='ikc-note'>{escape(t(lang, 'wiz_list'))}: {escape(theme.name_in_list)}</div>"
                                     if theme.names_differ else "")
        if key:
            cell = theme.cells[key]
            level = f"<strong>{escape(instrument.level(key).name)}</strong>"
            text = f"{escape(cell.text)} <span class='ikc-meta'>({_page_link(link_for, instrument.doc_id, cell.page)})</span>"
        else:
            level, text = f"<span class='ikc-note'>{escape(t(lang, 'wiz_open'))}</span>", ""
        own = [x for x in (profile.notes.get(theme.number, ""), profile.descriptions.get(theme.number, "")) if x]
        note = "<br>".join(escape(x) for x in own)
        rows.append(f"<tr><td class='num'>{theme.number}</td><td>{name}</td><td>{level}</td><td>{text}</td><td>{note}</td></tr>")
    head = "".join(f"<th>{escape(t(lang, k))}</th>" for k in ("wiz_theme", "wiz_col_level", "wiz_col_descriptor",
                                                             "wiz_col_note"))
    return (
        f"<div class='ikc-table ikc-scroll'><table><thead><tr><th class='num'>#</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>{category_html(profile, link_for, lang)}"
    )


def category_html(profile: Profile, link_for: LinkFn, lang: str = DEFAULT) -> str:
    """The category chosen in the Categorie tab, on the profile: its label and reasons, quoted and cited."""
    from assistant.director.category import CategoryAdvice
    from ui.render import citations_html

    if not profile.category:
        return f"<div class='ikc-card' id='ikc-wiz-category'><p class='ikc-note'>{escape(t(lang, 'wiz_no_category'))}</p></div>"
    advice = CategoryAdvice.from_json(profile.category)
    why = "".join(f"<li>{escape(w)}</li>" for w in advice.why)
    return (f"<div class='ikc-card' id='ikc-wiz-category'><h4>{escape(t(lang, 'wiz_category_head'))}: "
            f"{escape(advice.label)}</h4><ul>{why}</ul>"
            f"<details><summary>{escape(t(lang, 'sources'))}</summary>"
            f"{citations_html(advice.citations, link_for, lang=lang, prefix='ikc-prof-src-')}</details></div>")


def saved_choices(saved: list, lang: str = DEFAULT) -> list[tuple[str, int]]:
    """(label, id) of saved profiles (`assistant.director.profile.SavedProfile`) for the compare picker."""
    return [(t(lang, "wiz_saved_choice", location=s.location, date=s.date, n=s.answered), s.id) for s in saved]
