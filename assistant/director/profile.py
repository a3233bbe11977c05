"""The walkthrough's result: a profile (level per theme, notes, optional category choice), its summary,
a radar chart, exports (Markdown, CSV, JSON) and a small SQLite monitor to compare moments.

Everything that quotes the note takes the text from the instrument data, so a summary's "next step"
is the next level's descriptor exactly as the note words it, with its page.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from assistant.director.category import CategoryAdvice
from assistant.director.instrument import Instrument, load_instrument
from ikc.settings import Settings

FORMATS = ("md", "csv", "json", "png")


@dataclass
class Profile:
    """Where one location stands on the instrument at one moment."""

    instrument_id: str
    location: str = ""
    date: str = field(default_factory=lambda: date.today().isoformat())
    levels: dict[int, str | None] = field(default_factory=dict)  # theme number -> level key (None = open)
    notes: dict[int, str] = field(default_factory=dict)
    category: dict | None = None  # CategoryAdvice.to_json() when the category choice was made
    descriptions: dict[int, str] = field(default_factory=dict)  # the director's own words per theme

    def to_json(self) -> dict:
        data = asdict(self)
        data["levels"] = {str(k): v for k, v in self.levels.items()}
        data["notes"] = {str(k): v for k, v in self.notes.items()}
        data["descriptions"] = {str(k): v for k, v in self.descriptions.items()}
        return data

    @classmethod
    def from_json(cls, data: dict | str) -> Profile:
        if isinstance(data, str):
            data = json.loads(data)
        return cls(
            instrument_id=data["instrument_id"], location=data.get("location", ""),
            date=data.get("date") or date.today().isoformat(),
            levels={int(k): v for k, v in (data.get("levels") or {}).items()},
            notes={int(k): v for k, v in (data.get("notes") or {}).items()},
            category=data.get("category"),
            descriptions={int(k): v for k, v in (data.get("descriptions") or {}).items()},
        )

    def level_number(self, instrument: Instrument, theme: int) -> int | None:
        """1-based level (1 = lowest) or None when the theme is open."""
        key = self.levels.get(theme)
        return instrument.level(key).index + 1 if key else None


@dataclass
class NextStep:
    theme: int
    current: str | None  # level key
    next_level: str | None  # None at the top level
    text: str  # the next level's descriptor, exact
    page: int | None
    last_phase: bool  # the next level is the last one (see the note's remark)


@dataclass
class Summary:
    answered: list[int]
    open: list[int]
    strongest: list[int]
    weakest: list[int]
    next_steps: list[NextStep]
    last_phase_note: dict | None  # {"text", "page"}: the note's remark that the last phase is hard to reach
    not_a_race_note: dict | None


def summarize(profile: Profile, instrument: Instrument) -> Summary:
    """Strongest and weakest themes, and per theme the next level's descriptor as the concrete next step."""
    answered = [t.number for t in instrument.themes if profile.levels.get(t.number)]
    open_ = [t.number for t in instrument.themes if not profile.levels.get(t.number)]
    ranks = {n: profile.level_number(instrument, n) for n in answered}
    strongest = [n for n in answered if ranks[n] == max(ranks.values())] if ranks else []
    weakest = [n for n in answered if ranks[n] == min(ranks.values())] if ranks else []
    last_index = len(instrument.levels) - 1
    steps = []
    for number in answered:
        key = profile.levels[number]
        nxt = instrument.next_level(key)
        cell = instrument.cell(number, nxt.key) if nxt else None
        steps.append(NextStep(number, key, nxt.key if nxt else None, cell.text if cell else "",
                              cell.page if cell else None, bool(nxt and nxt.index == last_index)))
    notes = {k: {"text": n.text, "page": n.page} for k, n in instrument.notes.items()}
    return Summary(answered, open_, strongest, weakest, steps, notes.get("last_phase"), notes.get("not_a_race"))


_TEXT = {
    "nl": {
        "title": "Profiel {title}", "location": "Locatie", "date": "Datum", "theme": "Thema", "level": "Niveau",
        "descriptor": "Beschrijving (bron)", "note": "Notitie", "open": "nog open",
        "summary": "Samenvatting", "strongest": "Sterkst", "weakest": "Zwakst", "equal": "Alle ingevulde thema's "
        "staan op hetzelfde niveau ({level}).", "next": "Volgende stappen (het volgende niveau, letterlijk uit de "
        "notitie)", "top": "hoogste niveau bereikt", "to": "naar", "open_themes": "Nog niet ingevuld: thema {themes}.",
        "last_phase": "De notitie merkt op", "none": "Nog geen thema ingevuld.", "list_name": "themalijst",
        "mismatch": "Over de bron", "category": "Categorie (paragraaf 8)", "source": "Bron",
        "notes": "Notities", "page": "p.", "own_words": "Jullie eigen woorden per thema",
        "description": "Beschrijving", "sources": "Bronnen", "category_sources": "Bronnen bij de categorie",
        "made": "Gemaakt met IKC-wijzer",
    },
    "en": {
        "title": "Profile {title}", "location": "Location", "date": "Date", "theme": "Theme", "level": "Level",
        "descriptor": "Descriptor (source)", "note": "Note", "open": "open", "summary": "Summary",
        "strongest": "Strongest", "weakest": "Weakest", "equal": "All answered themes are at the same level ({level}).",
        "next": "Next steps (the next level, quoted from the note)", "top": "highest level reached", "to": "to",
        "open_themes": "Not filled in yet: theme {themes}.", "last_phase": "The note remarks",
        "none": "No theme filled in yet.", "list_name": "theme list", "mismatch": "About the source",
        "category": "Category (section 8)", "source": "Source", "notes": "Notes", "page": "p.",
        "own_words": "Your own words per theme", "description": "Description", "sources": "Sources",
        "category_sources": "Sources of the category", "made": "Made with IKC-wijzer",
    },
}


def _names(instrument: Instrument, numbers: list[int]) -> str:
    return "; ".join(f"{n}. {instrument.theme(n).name}" for n in numbers)


def summary_markdown(profile: Profile, instrument: Instrument, language: str = "nl", heading: bool = True) -> str:
    """The summary as Markdown: strongest/weakest themes, next steps with quotes and pages, the note's remark
    (`heading=False` where the caller gives it a heading of its own)."""
    t = _TEXT.get(language, _TEXT["nl"])
    s = summarize(profile, instrument)
    if not s.answered:
        return t["none"]
    lines = [f"**{t['summary']}**"] if heading else []
    if s.strongest == s.weakest:
        lines.append(t["equal"].format(level=instrument.level(profile.levels[s.answered[0]]).name))
    else:
        level = lambda n: instrument.level(profile.levels[n]).name  # noqa: E731
        lines.append(f"- {t['strongest']} ({level(s.strongest[0])}): {_names(instrument, s.strongest)}")
        lines.append(f"- {t['weakest']} ({level(s.weakest[0])}): {_names(instrument, s.weakest)}")
    if s.open:
        lines.append(t["open_themes"].format(themes=", ".join(map(str, s.open))))
    lines.append(f"**{t['next']}**")
    for step in s.next_steps:
        theme = instrument.theme(step.theme)
        current = instrument.level(step.current).name
        if step.next_level is None:
            lines.append(f"- {theme.number}. {theme.name}: {current}, {t['top']}.")
        else:
            nxt = instrument.level(step.next_level).name
            mark = " \u2020" if step.last_phase else ""
            lines.append(f"- {theme.number}. {theme.name}: {current} {t['to']} **{nxt}**{mark}: "
                         f"\u201c{step.text}\u201d ({t['page']} {step.page})")
    if s.last_phase_note:
        lines.append(f"\u2020 {t['last_phase']}: \u201c{s.last_phase_note['text']}\u201d "
                     f"({instrument.doc_title}, {t['page']} {s.last_phase_note['page']})")
    if s.not_a_race_note:
        lines.append(f"\u201c{s.not_a_race_note['text']}\u201d ({t['page']} {s.not_a_race_note['page']})")
    return "\n".join(lines)


# --- exports ----------------------------------------------------------------------------------


def to_json(profile: Profile, instrument: Instrument) -> dict:
    """A self-contained export: every theme with its level, the descriptor quoted, the next step."""
    s = summarize(profile, instrument)
    steps = {step.theme: step for step in s.next_steps}
    themes = []
    for theme in instrument.themes:
        key = profile.levels.get(theme.number)
        cell = theme.cells[key] if key else None
        step = steps.get(theme.number)
        themes.append({
            "number": theme.number, "name": theme.name, "name_in_list": theme.name_in_list,
            "level": key, "level_name": instrument.level(key).name if key else None,
            "level_number": profile.level_number(instrument, theme.number),
            "descriptor": cell.text if cell else None, "page": cell.page if cell else None,
            "note": profile.notes.get(theme.number, ""),
            "description": profile.descriptions.get(theme.number, ""),
            "next_step": None if step is None or step.next_level is None else {
                "level": step.next_level, "level_name": instrument.level(step.next_level).name,
                "text": step.text, "page": step.page, "last_phase": step.last_phase,
            },
        })
    return {
        "instrument": {"id": instrument.id, "title": instrument.title, "doc_id": instrument.doc_id},
        "location": profile.location, "date": profile.date,
        "themes": themes,
        "summary": {"strongest": s.strongest, "weakest": s.weakest, "open": s.open,
                    "last_phase_note": s.last_phase_note},
        "mismatch": instrument.mismatch_text("nl"),
        "category": profile.category,
        "source": source_document(instrument),
        "sources": [asdict(c) for c in _category(profile).citations] if profile.category else [],
    }


def to_csv(profile: Profile, instrument: Instrument) -> str:
    """One row per theme (with the director's description and note), a `category` row with the advice's
    reasons, and a `source` row for every `[n]` the reasons cite; location and date on every row."""
    data = to_json(profile, instrument)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["theme", "theme_name", "theme_name_in_list", "level", "level_name", "level_number",
                     "descriptor", "page", "note", "next_level", "next_step", "next_step_page", "description",
                     "location", "date"])
    where = [profile.location, profile.date]
    for t in data["themes"]:
        step = t["next_step"] or {}
        writer.writerow([t["number"], t["name"], t["name_in_list"], t["level"] or "", t["level_name"] or "",
                         t["level_number"] or "", t["descriptor"] or "", t["page"] or "", t["note"],
                         step.get("level_name", ""), step.get("text", ""), step.get("page", ""), t["description"],
                         *where])
    if profile.category:
        advice = _category(profile)
        writer.writerow(["category", "", "", advice.number, advice.name, advice.number, advice.text, advice.page,
                         " ".join(" ".join(w.split()) for w in advice.why), "", "", "", "", *where])
        for c in advice.citations:
            writer.writerow(["source", f"[{c.n}]", c.section, "", "", "", c.text, c.page, c.title or c.doc_id,
                             "", "", "", "", *where])
    return out.getvalue()


def source_document(instrument: Instrument) -> dict:
    """The note the instrument comes from: document, section and pages."""
    return {"doc_id": instrument.doc_id, "title": instrument.doc_title, "section": instrument.section,
            "pages": f"{instrument.pages[0]}-{instrument.pages[-1]}"}


def _category(profile: Profile) -> CategoryAdvice:
    return CategoryAdvice.from_json(profile.category)


def to_markdown(profile: Profile, instrument: Instrument, language: str = "nl") -> str:
    """The whole profile as a document a director can keep on its own: where and when, the table with the
    descriptors and their pages, the director's own words and notes, the summary, the category with its
    reasons and a source for every `[n]` marker, and the remark about the source."""
    t = _TEXT.get(language, _TEXT["nl"])
    lines = [f"# {t['title'].format(title=instrument.title)}", ""]
    if profile.location:
        lines.append(f"- {t['location']}: {profile.location}")
    lines.append(f"- {t['date']}: {profile.date}")
    pages = f"{t['page']} {instrument.pages[0]}-{instrument.pages[-1]}"
    lines.append(f"- {t['source']}: {instrument.doc_title} ({instrument.doc_id}), {instrument.section}, {pages}")
    if profile.category:
        lines.append(f"- {t['category'].split(' (')[0]}: {_category(profile).label}")
    lines += ["", f"| {t['theme']} | {t['level']} | {t['descriptor']} |", "|---|---|---|"]
    for theme in instrument.themes:
        key = profile.levels.get(theme.number)
        label = theme.label(language).replace("|", "/")
        if key:
            cell = theme.cells[key]
            lines.append(f"| {label} | {instrument.level(key).name} | {cell.text} ({t['page']} {cell.page}) |")
        else:
            lines.append(f"| {label} | _{t['open']}_ | |")
    own = [n for n in (t_.number for t_ in instrument.themes) if profile.descriptions.get(n) or profile.notes.get(n)]
    if own:
        lines += ["", f"## {t['own_words']}", ""]
        for n in own:
            lines.append(f"**{n}. {instrument.theme(n).name}**")
            if profile.descriptions.get(n):
                lines.append(f"- {t['description']}: {_one_line(profile.descriptions[n])}")
            if profile.notes.get(n):
                lines.append(f"- {t['note']}: {_one_line(profile.notes[n])}")
            lines.append("")
    lines += ["", f"## {t['summary']}", "", summary_markdown(profile, instrument, language, heading=False)]
    if profile.category:
        advice = _category(profile)
        lines += ["", f"## {t['category']}", "", advice.to_markdown(language), "",
                  f"### {t['category_sources']}", "", *(f"- {line}" for line in advice.sources_markdown(language)
                                                          .splitlines())]
    mismatch = instrument.mismatch_text(language)
    if mismatch:
        lines += ["", f"## {t['mismatch']}", "", mismatch]
    lines += ["", "---", f"_{t['made']}, {profile.date}"
              + (f", {profile.location}" if profile.location else "") + "._"]
    return "\n".join(lines).rstrip() + "\n"


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def radar_png(profile: Profile, instrument: Instrument, language: str = "nl") -> bytes:
    """A radar chart of the levels (1 = lowest at the centre ring; open themes sit at 0), with full theme
    names and a caption saying where, when, from which source and, when chosen, the category."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    t = _TEXT.get(language, _TEXT["nl"])
    themes = instrument.themes
    values = [profile.level_number(instrument, th.number) or 0 for th in themes]
    angles = np.linspace(0, 2 * np.pi, len(themes), endpoint=False).tolist()
    fig = plt.figure(figsize=(11, 10.6), dpi=100)
    try:
        ax = fig.add_axes((0.21, 0.16, 0.58, 0.6), polar=True)
        ax.set_theta_offset(np.pi / 2)
        ax.set_theta_direction(-1)
        ax.plot(angles + angles[:1], values + values[:1], color="#1f6f8b", linewidth=2)
        ax.fill(angles + angles[:1], values + values[:1], color="#1f6f8b", alpha=0.25)
        ax.set_xticks(angles)
        ax.set_xticklabels([])
        outer = len(instrument.levels) * 1.1
        for angle, th in zip(angles, themes):
            x, y = np.sin(angle), np.cos(angle)  # clockwise from the top
            ax.text(angle, outer, _wrap(f"{th.number}. {th.name}"), fontsize=9,
                    ha="left" if x > 0.15 else "right" if x < -0.15 else "center",
                    va="bottom" if y > 0.15 else "top" if y < -0.15 else "center")
        ax.set_rlabel_position(180 / len(themes))  # level names between the first two spokes
        ax.set_ylim(0, len(instrument.levels))
        ax.set_yticks(range(1, len(instrument.levels) + 1))
        ax.set_yticklabels([lv.name for lv in instrument.levels], fontsize=8, color="#555555")
        title = instrument.title + (f" \u2014 {profile.location}" if profile.location else "") + f" ({profile.date})"
        fig.suptitle(title, fontsize=12, y=0.97)
        caption = [f"{t['source']}: {instrument.doc_title}, {instrument.section}, "
                   f"{t['page']} {instrument.pages[0]}-{instrument.pages[-1]}"]
        if profile.category:
            caption.append(f"{t['category'].split(' (')[0]}: {_category(profile).label}")
        fig.text(0.5, 0.025, "\n".join(caption), ha="center", va="bottom", fontsize=9, color="#333333")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    finally:
        plt.close(fig)
    return buffer.getvalue()


def _wrap(label: str, width: int = 22) -> str:
    """Theme names in full, on short lines, so long grid headings stay readable around the chart."""
    import textwrap

    return "\n".join(textwrap.wrap(label, width))


def export(profile: Profile, instrument: Instrument, fmt: str, language: str = "nl") -> bytes:
    """One export as bytes: "md", "csv", "json" or "png"."""
    if fmt == "md":
        return to_markdown(profile, instrument, language).encode("utf-8")
    if fmt == "csv":
        return to_csv(profile, instrument).encode("utf-8")
    if fmt == "json":
        return json.dumps(to_json(profile, instrument), ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "png":
        return radar_png(profile, instrument, language)
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def write_exports(profile: Profile, instrument: Instrument, directory: Path, language: str = "nl",
                  formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    """Write every export next to each other as `profiel-<location>-<date>.<ext>`."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = "profiel-" + "-".join(x for x in (_slug(profile.location), profile.date) if x)
    paths = {}
    for fmt in formats:
        path = directory / f"{stem}.{fmt}"
        path.write_bytes(export(profile, instrument, fmt, language))
        paths[fmt] = path
    return paths


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --- monitor ----------------------------------------------------------------------------------


@dataclass
class SavedProfile:
    id: int
    location: str
    date: str
    instrument_id: str
    answered: int
    saved_at: str


@dataclass
class ThemeChange:
    theme: int
    name: str
    before: str | None  # level key
    after: str | None
    change: str  # "up" | "down" | "same" | "unknown"


class Monitor:
    """Profiles per location and date in `<data_dir>/monitor.sqlite`; one profile per location, date and
    instrument (saving again replaces it)."""

    def __init__(self, settings: Settings | None = None, path: Path | None = None) -> None:
        settings = settings or Settings()
        self.path = path or settings.data_dir / "monitor.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS profiles (id INTEGER PRIMARY KEY AUTOINCREMENT, location TEXT NOT NULL, "
                "date TEXT NOT NULL, instrument TEXT NOT NULL, data TEXT NOT NULL, saved_at TEXT NOT NULL, "
                "UNIQUE (location, date, instrument))"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(str(self.path), timeout=30)

    def save(self, profile: Profile) -> int:
        """Store a profile under its location and date; returns its id."""
        if not profile.location.strip():
            raise ValueError("a profile needs a location to be saved in the monitor")
        with self._connect() as db:
            db.execute(
                "INSERT INTO profiles (location, date, instrument, data, saved_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (location, date, instrument) DO UPDATE SET data=excluded.data, saved_at=excluded.saved_at",
                (profile.location.strip(), profile.date, profile.instrument_id, json.dumps(profile.to_json()),
                 datetime.now().isoformat(timespec="seconds")),
            )
            row = db.execute("SELECT id FROM profiles WHERE location=? AND date=? AND instrument=?",
                             (profile.location.strip(), profile.date, profile.instrument_id)).fetchone()
        return int(row[0])

    def list(self, location: str | None = None) -> list[SavedProfile]:
        query = "SELECT id, location, date, instrument, data, saved_at FROM profiles"
        args: tuple = ()
        if location:
            query += " WHERE location=?"
            args = (location.strip(),)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY location, date, id", args).fetchall()
        return [SavedProfile(r[0], r[1], r[2], r[3], sum(1 for v in json.loads(r[4])["levels"].values() if v), r[5])
                for r in rows]

    def locations(self) -> list[str]:
        with self._connect() as db:
            return [r[0] for r in db.execute("SELECT DISTINCT location FROM profiles ORDER BY location")]

    def load(self, profile_id: int) -> Profile:
        with self._connect() as db:
            row = db.execute("SELECT data FROM profiles WHERE id=?", (profile_id,)).fetchone()
        if row is None:
            raise KeyError(f"no saved profile {profile_id}")
        return Profile.from_json(row[0])

    def find(self, location: str, on: str) -> Profile:
        """The profile of a location on a date (YYYY-MM-DD)."""
        with self._connect() as db:
            row = db.execute("SELECT data FROM profiles WHERE location=? AND date=? ORDER BY id DESC",
                             (location.strip(), on)).fetchone()
        if row is None:
            raise KeyError(f"no saved profile for {location!r} on {on}")
        return Profile.from_json(row[0])

    def compare(self, first: int | Profile, second: int | Profile,
                instrument: Instrument | None = None) -> list[ThemeChange]:
        a = self.load(first) if isinstance(first, int) else first
        b = self.load(second) if isinstance(second, int) else second
        return compare_profiles(a, b, instrument)


def compare_profiles(before: Profile, after: Profile, instrument: Instrument | None = None) -> list[ThemeChange]:
    """Per theme: up, down, same, or unknown (open in either moment)."""
    instrument = instrument or load_instrument()
    changes = []
    for theme in instrument.themes:
        x, y = before.level_number(instrument, theme.number), after.level_number(instrument, theme.number)
        change = "unknown" if x is None or y is None else "up" if y > x else "down" if y < x else "same"
        changes.append(ThemeChange(theme.number, theme.name, before.levels.get(theme.number),
                                   after.levels.get(theme.number), change))
    return changes


def comparison_markdown(before: Profile, after: Profile, instrument: Instrument | None = None,
                        language: str = "nl") -> str:
    instrument = instrument or load_instrument()
    words = {"nl": {"up": "hoger", "down": "lager", "same": "gelijk", "unknown": "onbekend"},
             "en": {"up": "up", "down": "down", "same": "same", "unknown": "unknown"}}[language if language == "en"
                                                                                     else "nl"]
    t = _TEXT.get(language, _TEXT["nl"])
    lines = [f"| {t['theme']} | {before.date} | {after.date} | |", "|---|---|---|---|"]
    for c in compare_profiles(before, after, instrument):
        name = lambda k: instrument.level(k).name if k else "\u2013"  # noqa: E731
        arrow = {"up": "\u2191", "down": "\u2193", "same": "=", "unknown": "?"}[c.change]
        lines.append(f"| {c.theme}. {c.name} | {name(c.before)} | {name(c.after)} | {arrow} {words[c.change]} |")
    return "\n".join(lines)
