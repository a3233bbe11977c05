"""The instrument walkthrough (`assistant.director.walkthrough.Walkthrough`) as HTML for the wizard tab.

Descriptor texts come from the note and are escaped like any other document text.
"""

from __future__ import annotations

from assistant.director.instrument import Instrument
from assistant.director.placement import Suggestion
from assistant.director.profile import Profile
from assistant.director.walkthrough import Walkthrough
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


def progress_html(walk: Walkthrough) -> str:
    """"Thema k van N" with a bar, and how many themes have a level."""
    total = len(walk.instrument.themes)
    answered = sum(1 for a in walk.answers.values() if a.level)
    skipped = sum(1 for a in walk.answers.values() if a.skipped and not a.level)
    where = "Alle thema's doorlopen" if walk.finished else f"Thema {walk.position + 1} van {total}"
    pct = round(100 * answered / total) if total else 0
    extra = f" · {skipped} overgeslagen" if skipped else ""
    return (
        f"<div class='ikc-card'><span class='ikc-progress'>{where}</span>"
        f"<span class='ikc-note'> · {answered} van {total} ingevuld{extra}</span>"
        f"<div class='ikc-bar'><div style='width:{pct}%'></div></div></div>"
    )


def theme_html(walk: Walkthrough, link_for: LinkFn) -> str:
    """The current theme: both names where the source differs, and the descriptors with their pages."""
    theme = walk.current_theme
    inst = walk.instrument
    if theme is None:
        return ""
    head = f"<h3>Thema {theme.number}. {escape(theme.name)}</h3>"
    if theme.names_differ:
        head += (f"<p class='ikc-note'>In de themalijst van de bijlage heet nummer {theme.number} "
                 f"“{escape(theme.name_in_list)}”; dit raster volgt de kop boven het raster.</p>")
    if theme.layout == "header_row":
        head += "<p class='ikc-note'>In de bron staat dit raster anders opgemaakt (eerst een kopregel met de niveaus).</p>"
    chosen = walk.answers[theme.number].level
    cards = []
    for i, level in enumerate(inst.levels, start=1):
        cell = theme.cells[level.key]
        mark = " ikc-chosen" if level.key == chosen else ""
        cards.append(
            f"<div class='ikc-level{mark}'><div class='ikc-src-head'><span class='ikc-n'>{i}</span> {escape(level.name)}"
            f"{' <span class=ikc-badge>gekozen</span>' if mark else ''}"
            f"<span class='ikc-meta' style='float:right'>{_page_link(link_for, inst.doc_id, cell.page)}</span></div>"
            f"<div class='ikc-passage'>{escape(cell.text)}</div></div>"
        )
    note = walk.answers[theme.number].note
    note_html = f"<p class='ikc-note'>Notitie: {escape(note)}</p>" if note else ""
    return f"<div class='ikc-theme'>{head}{''.join(cards)}{note_html}</div>"


def suggestion_html(suggestion: Suggestion | None, walk: Walkthrough, link_for: LinkFn) -> str:
    """The suggested level for a description, with the descriptor that supports it and how sure it is."""
    if suggestion is None:
        return ""
    inst = walk.instrument
    alts = [a for a in suggestion.alternatives if a.theme == suggestion.theme and a.confidence >= 0.1]
    alt_html = ("<p class='ikc-note'>Ook denkbaar: "
                + ", ".join(f"{escape(a.level_name)} ({a.confidence:.0%})" for a in alts) + "</p>") if alts else ""
    excluded = ("<p class='ikc-note'>Je beschrijving sluit uit: "
                + ", ".join(escape(inst.level(k).name) for k in suggestion.excluded) + "</p>") if suggestion.excluded else ""
    return (
        f"<div class='ikc-card ikc-suggestion'><div>Voorstel: <strong>{escape(suggestion.level_name)}</strong> "
        f"<span class='ikc-badge'>zekerheid {suggestion.confidence:.0%}</span></div>"
        f"<blockquote class='ikc-passage'>{escape(suggestion.quote)}</blockquote>"
        f"<div class='ikc-meta'>{escape(inst.doc_title)}, {_page_link(link_for, suggestion.doc_id, suggestion.page)}</div>"
        f"{alt_html}{excluded}<p class='ikc-note'>Klopt dit? Kies het niveau hiernaast en ga verder, of kies zelf een ander.</p></div>"
    )


def intro_html(instrument: Instrument, link_for: LinkFn) -> str:
    """What the instrument is for, in the note's own words, with pages."""
    quotes = [
        f"<blockquote class='ikc-passage'>{escape(note.text)} "
        f"<span class='ikc-meta'>({_page_link(link_for, instrument.doc_id, note.page)})</span></blockquote>"
        for key in ("conversation_frame", "monitor") if (note := instrument.notes.get(key))
    ]
    levels = ", ".join(escape(level.name) for level in instrument.levels)
    return (
        f"<div class='ikc-card'><strong>{escape(instrument.title)}</strong>: {len(instrument.themes)} thema's, "
        f"elk met {len(instrument.levels)} ambitieniveaus ({levels}). Kies per thema het niveau dat het best past "
        f"bij jullie locatie, of beschrijf de situatie en krijg een voorstel.{''.join(quotes)}</div>"
    )


def mismatch_html(instrument: Instrument) -> str:
    text = instrument.mismatch_text("nl")
    if not text:
        return ""
    return f"<div class='ikc-card ikc-warning'><strong>Let op: de bron is niet consistent.</strong> {escape(text)}</div>"


def profile_table_html(profile: Profile, instrument: Instrument, link_for: LinkFn) -> str:
    """Level per theme with the chosen descriptor (quoted, with page) and the notes."""
    rows = []
    for theme in instrument.themes:
        key = profile.levels.get(theme.number)
        name = escape(theme.name) + (f"<div class='ikc-note'>themalijst: {escape(theme.name_in_list)}</div>"
                                     if theme.names_differ else "")
        if key:
            cell = theme.cells[key]
            level = f"<strong>{escape(instrument.level(key).name)}</strong>"
            text = f"{escape(cell.text)} <span class='ikc-meta'>({_page_link(link_for, instrument.doc_id, cell.page)})</span>"
        else:
            level, text = "<span class='ikc-note'>open</span>", ""
        note = escape(profile.notes.get(theme.number, ""))
        rows.append(f"<tr><td class='num'>{theme.number}</td><td>{name}</td><td>{level}</td><td>{text}</td><td>{note}</td></tr>")
    return (
        "<div class='ikc-table'><table><thead><tr><th class='num'>#</th><th>Thema</th><th>Niveau</th>"
        f"<th>Beschrijving (bron)</th><th>Notitie</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def saved_choices(saved: list) -> list[tuple[str, int]]:
    """(label, id) of saved profiles (`assistant.director.profile.SavedProfile`) for the compare picker."""
    return [(f"{s.location} — {s.date} ({s.answered} thema's)", s.id) for s in saved]
