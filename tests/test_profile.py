"""The result profile: summary, exports in every format, the monitor, and the CLI around them."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from assistant.director.category import CategoryAnswers, decide
from assistant.director.instrument import load_instrument
from assistant.director.profile import (
    Monitor,
    Profile,
    compare_profiles,
    comparison_markdown,
    export,
    radar_png,
    summarize,
    summary_markdown,
    to_csv,
    to_json,
    to_markdown,
    write_exports,
)
from ikc.cli import app
from ikc.text import normalise_for_match

pytest_plugins = ["conftest_instrument"]

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
KEYS = ["back_to_back", "face_to_face", "hand_in_hand", "cheek_to_cheek", "integraal"]


def make_profile(levels: dict[int, str | None], on: str = "2026-01-15", location: str = "IKC De Linde",
                 **extra) -> Profile:
    instrument = load_instrument()
    return Profile(instrument.id, location, on, {t.number: levels.get(t.number) for t in instrument.themes}, **extra)


@pytest.fixture
def profile() -> Profile:
    levels = {n: KEYS[(n - 1) % 4] for n in range(1, 13)}  # 1..4 cycling: no theme at Integraal
    levels[5] = "integraal"
    levels[7] = None
    return make_profile(levels, notes={3: "visie in maart bespreken"})


def test_summary_strongest_weakest_and_next_steps_quote_the_next_level(profile):
    instrument = load_instrument()
    s = summarize(profile, instrument)
    assert s.strongest == [5] and s.weakest == [1, 9] and s.open == [7]
    steps = {step.theme: step for step in s.next_steps}
    assert 7 not in steps
    assert steps[5].next_level is None, "Integraal has no next level"
    for number, step in steps.items():
        if step.next_level:
            current = instrument.level(profile.levels[number]).index
            assert step.next_level == KEYS[current + 1]
            assert step.text == instrument.cell(number, step.next_level).text
            assert step.page == instrument.cell(number, step.next_level).page
    assert steps[4].last_phase and not steps[3].last_phase
    assert s.last_phase_note["page"] == 14


def test_summary_markdown_names_themes_and_cites_the_last_phase_remark(profile, note_pages):
    instrument = load_instrument()
    text = summary_markdown(profile, instrument, "nl")
    assert "Sterkst (Integraal): 5. Ouders betrokken en als klant" in text
    assert "Zwakst (Back to back)" in text and "9. Doorgaande lijn inhoud" in text
    assert instrument.cell(4, "integraal").text in text  # the next step of theme 4 (Cheek to cheek)
    remark = instrument.notes["last_phase"]
    assert remark.text in text and normalise_for_match(remark.text) in normalise_for_match(note_pages[remark.page])
    assert "Nog niet ingevuld: thema 7" in text
    assert "Strongest (Integraal)" in summary_markdown(profile, instrument, "en")
    assert summary_markdown(make_profile({}), instrument) == "Nog geen thema ingevuld."


def test_export_markdown_csv_json_png(profile, tmp_path):
    instrument = load_instrument()
    profile.category = decide(CategoryAnswers("maybe", "yes", "partly", "yes", False, ["doorgaande_lijn"])).to_json()

    md = to_markdown(profile, instrument)
    assert md.startswith("# Profiel Ontwikkelinstrument IKC Lansingerland")
    assert "IKC De Linde" in md and "2026-01-15" in md
    assert f"| 2. Eén organisatie (themalijst: Uitstraling van één organisatie) | Face to face | " \
           f"{instrument.cell(2, 'face_to_face').text} (p. 14) |" in md
    assert "| 7. Multidisciplinaire samenwerking | _nog open_ | |" in md
    assert "visie in maart bespreken" in md and "Categorie 2 Oriëntatie" in md and "Structurele aanpak" in md

    rows = list(csv.DictReader(io.StringIO(to_csv(profile, instrument))))
    category_row = next(r for r in rows if r["theme"] == "category")
    assert rows.index(category_row) == 12 and category_row["level_name"] == "Oriëntatie"
    first = rows[0]
    assert (first["theme"], first["level"], first["level_number"]) == ("1", "back_to_back", "1")
    assert first["descriptor"] == instrument.cell(1, "back_to_back").text and first["page"] == "14"
    assert first["next_step"] == instrument.cell(1, "face_to_face").text
    assert rows[6]["level"] == "" and rows[2]["note"] == "visie in maart bespreken"

    data = json.loads(export(profile, instrument, "json"))
    assert data == json.loads(json.dumps(to_json(profile, instrument)))
    assert [t["number"] for t in data["themes"]] == list(range(1, 13))
    assert data["themes"][4]["level_name"] == "Integraal" and data["themes"][4]["next_step"] is None
    assert data["summary"]["strongest"] == [5] and data["category"]["number"] == 2

    png = radar_png(profile, instrument)
    assert png.startswith(PNG_MAGIC) and len(png) > 20_000

    paths = write_exports(profile, instrument, tmp_path / "out")
    assert set(paths) == {"md", "csv", "json", "png"}
    assert all(p.exists() and p.stat().st_size > 0 for p in paths.values())
    assert paths["png"].read_bytes().startswith(PNG_MAGIC)
    assert paths["md"].name == "profiel-ikc-de-linde-2026-01-15.md"
    with pytest.raises(ValueError):
        export(profile, instrument, "docx")


def test_profile_json_round_trip(profile):
    again = Profile.from_json(json.dumps(profile.to_json()))
    assert again == profile


def test_monitor_saves_per_location_and_date_and_compares(settings):
    monitor = Monitor(settings)
    assert monitor.path == settings.data_dir / "monitor.sqlite"
    before = make_profile({1: "face_to_face", 2: "hand_in_hand", 3: "back_to_back", 4: "integraal"}, "2025-09-01")
    after = make_profile({1: "hand_in_hand", 2: "hand_in_hand", 3: "back_to_back", 4: "cheek_to_cheek",
                          5: "face_to_face"}, "2026-03-01")
    first, second = monitor.save(before), monitor.save(after)
    other = monitor.save(make_profile({1: "integraal"}, "2026-03-01", location="IKC Het Anker"))
    assert len({first, second, other}) == 3
    assert [p.date for p in monitor.list("IKC De Linde")] == ["2025-09-01", "2026-03-01"]
    assert monitor.locations() == ["IKC De Linde", "IKC Het Anker"]
    assert monitor.load(first) == before and monitor.find("IKC De Linde", "2026-03-01") == after

    changes = {c.theme: c.change for c in monitor.compare(first, second)}
    assert (changes[1], changes[2], changes[3], changes[4], changes[5]) == ("up", "same", "same", "down", "unknown")
    assert changes == {c.theme: c.change for c in compare_profiles(before, after)}
    table = comparison_markdown(before, after)
    assert "| 1. Bestuurlijke samenwerking | Face to face | Hand in hand | ↑ hoger |" in table
    assert "↓ lager" in table

    # Saving the same location and date again replaces the earlier save.
    assert monitor.save(make_profile({1: "integraal"}, "2026-03-01")) == second
    assert monitor.load(second).levels[1] == "integraal" and len(monitor.list("IKC De Linde")) == 2
    with pytest.raises(ValueError):
        monitor.save(make_profile({}, location=" "))
    with pytest.raises(KeyError):
        monitor.find("IKC De Linde", "1999-01-01")


def test_monitor_cli_lists_and_compares(settings):
    monitor = Monitor(settings)
    monitor.save(make_profile({1: "face_to_face", 2: "integraal"}, "2025-09-01"))
    monitor.save(make_profile({1: "hand_in_hand", 2: "cheek_to_cheek"}, "2026-03-01"))
    runner = CliRunner()
    data_dir = ["--data-dir", str(settings.data_dir)]
    listed = json.loads(runner.invoke(app, ["instrument", "profiles", "--json", *data_dir]).stdout)
    assert [(p["location"], p["date"], p["answered"]) for p in listed] == [
        ("IKC De Linde", "2025-09-01", 2), ("IKC De Linde", "2026-03-01", 2)]
    result = runner.invoke(app, ["instrument", "compare", "IKC De Linde", "2025-09-01", "2026-03-01", "--json",
                                 *data_dir])
    assert result.exit_code == 0, result.output
    changes = {c["theme"]: c["change"] for c in json.loads(result.stdout)}
    assert (changes[1], changes[2], changes[3]) == ("up", "down", "unknown")
    missing = runner.invoke(app, ["instrument", "compare", "IKC De Linde", "2025-09-01", "2020-01-01", *data_dir])
    assert missing.exit_code == 1


def test_walkthrough_cli_with_piped_answers_saves_state_exports_and_resumes(instrument_settings, tmp_path):
    runner = CliRunner()
    state, out = tmp_path / "state.json", tmp_path / "export"
    common = ["--state", str(state), "--data-dir", str(instrument_settings.data_dir)]
    result = runner.invoke(app, ["walkthrough", "--location", "IKC De Linde", *common],
                           input="Hand in hand\n2\nBij ons heeft elke partner een eigen visie\nja\nstop\n")
    assert result.exit_code == 0, result.output
    assert "Thema 1 van 12" in result.stdout and "Thema 4 van 12" in result.stdout and "Gestopt" in result.stdout
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert [saved["answers"][str(n)]["level"] for n in (1, 2, 3)] == ["hand_in_hand", "face_to_face", "back_to_back"]

    answers = "\n".join(["verder"] + ["3"] * 9) + "\n"
    result = runner.invoke(app, ["walkthrough", *common, "--export", str(out), "--save"], input=answers)
    assert result.exit_code == 0, result.output
    assert "We gaan verder" in result.stdout and "Samenvatting" in result.stdout
    exported = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert [t["level"] for t in exported["themes"]][:4] == ["hand_in_hand", "face_to_face", "back_to_back",
                                                           "hand_in_hand"]
    assert next(out.glob("*.png")).read_bytes().startswith(PNG_MAGIC)
    assert Monitor(instrument_settings).find("IKC De Linde", exported["date"]).levels[12] == "hand_in_hand"


def test_csv_category_row_carries_the_reasons_of_the_advice(profile):
    """The category row's note column holds the advice's reasons (it read a key the advice never wrote)."""
    instrument = load_instrument()
    advice = decide(CategoryAnswers("maybe", "yes", "partly", "yes", False, []))
    profile.category = json.loads(json.dumps(advice.to_json()))  # as it comes back from a saved profile
    row = next(r for r in csv.DictReader(io.StringIO(to_csv(profile, instrument))) if r["theme"] == "category")
    assert row["level_name"] == "Oriëntatie"
    assert row["note"] and row["note"] == " ".join(advice.why)
    assert "ouders" in row["note"], "the reasons name where support is not yet clear"


def test_every_export_is_self_contained(profile, tmp_path):
    """Sources for every [n], the director's own words and notes, the category with its reasons, date and
    location: each export can be read without the app."""
    instrument = load_instrument()
    advice = decide(CategoryAnswers("yes", "yes", None, "partly", True, ["mode"]))
    profile.category = json.loads(json.dumps(advice.to_json()))
    profile.descriptions = {3: "Iedere partner heeft een eigen visie; we praten er wel over."}

    md = to_markdown(profile, instrument)
    category_part = md[md.index("## Categorie (paragraaf 8)"):]
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", category_part)}
    assert markers == {c.n for c in advice.citations}
    for c in advice.citations:
        assert f"- [{c.n}] Kennisnotitie IKC Lansingerland, {c.section}, p. {c.page}: \u201c{c.text}\u201d" in md
    assert "Iedere partner heeft een eigen visie; we praten er wel over." in md and "visie in maart bespreken" in md
    assert "- Categorie: Categorie 2 Oriëntatie" in md and "- Locatie: IKC De Linde" in md
    assert md.count("Samenvatting") == 1, "one heading, not repeated inside the section"

    rows = list(csv.DictReader(io.StringIO(to_csv(profile, instrument))))
    assert {r["location"] for r in rows} == {"IKC De Linde"} and {r["date"] for r in rows} == {"2026-01-15"}
    assert rows[2]["description"].startswith("Iedere partner")
    sources = [r for r in rows if r["theme"] == "source"]
    assert [r["theme_name"] for r in sources] == [f"[{c.n}]" for c in advice.citations]
    assert all(r["page"] and r["descriptor"] and r["note"] == "Kennisnotitie IKC Lansingerland" for r in sources)
    assert any("[2]" in r["note"] for r in rows if r["theme"] == "category"), "the reasons cite, and are listed"

    data = to_json(profile, instrument)
    assert [s["n"] for s in data["sources"]] == [c.n for c in advice.citations]
    assert data["source"]["pages"] == "13-21" and data["themes"][2]["description"].startswith("Iedere")
    assert Profile.from_json(json.dumps(profile.to_json())) == profile

    png = radar_png(profile, instrument)
    assert png.startswith(PNG_MAGIC) and len(png) > 40_000
