"""End to end in a real browser: Debian's Chromium driven by Playwright against the launched app.

Screenshots go to test-output/ (gitignored) so a person can look at what the test saw.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ikc.settings import Settings

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-output"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAYLOAD = "<img src=x onerror=alert(1)>"
PAYLOAD_NOTE = (
    "# Kindcentrum De Vlinder\n\n"
    f"Kindcentrum De Vlinder in Zoetermeer opent een nieuwe peuterspeelzaal met een moestuin {PAYLOAD} "
    "voor alle kinderen uit de wijk.\n\n"
    "<script>alert(2)</script> De peuterspeelzaal van De Vlinder werkt samen met de basisschool in de wijk.\n"
)
# The file name is untrusted too: it becomes the note's title.
TITLE_PAYLOAD = "<img src=y onerror=alert(3)> Vlinder"
PAYLOAD_FILE = TITLE_PAYLOAD + ".md"
TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def app_url(corpus_index: Settings, tmp_path_factory: pytest.TempPathFactory):
    """The real corpus plus a note carrying HTML payloads, ingested on a copy of the session index."""
    from ingest.pipeline import ingest_corpus
    from ui.app import launch
    from ui.server import free_port

    root = tmp_path_factory.mktemp("ui-browser")
    shutil.copytree(corpus_index.data_dir, root / "data")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    (root / "corpus" / PAYLOAD_FILE).write_text(PAYLOAD_NOTE, encoding="utf-8")
    settings = Settings(data_dir=root / "data", corpus_dir=root / "corpus")
    report = ingest_corpus(settings)
    assert report.added == [PAYLOAD_FILE] and not report.failed
    demo, url = launch(settings, host="127.0.0.1", port=free_port(), block=False)
    yield url
    demo.close()


@pytest.fixture(scope="module")
def page(app_url: str):
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run `make browser` (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        page.dialogs = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.goto(app_url)
        page.wait_for_selector("#ikc-question textarea")
        yield page
        browser.close()


def ask(page, question: str) -> None:
    answers_before = page.locator("#ikc-chat [data-testid='bot']").count()
    page.fill("#ikc-question textarea", question)
    page.click("#ikc-send")
    page.wait_for_function(
        "n => document.querySelectorAll(\"#ikc-chat [data-testid='bot']\").length > n", arg=answers_before)
    page.wait_for_function("() => !document.querySelector('#ikc-chat').innerText.includes('Zoeken in de notities')")
    page.wait_for_timeout(300)


def test_chat_wizard_and_escaping_end_to_end(page):
    # Chat: a cited answer and the sources panel with page and PDF link.
    page.get_by_role("tab", name="Chat").click()
    ask(page, "Welke thema's kent het Ontwikkelinstrument IKC?")
    answer = page.locator("#ikc-chat [data-testid='bot']").last
    assert "[1]" in answer.inner_text()
    sources = page.locator("#ikc-sources")
    first = sources.locator(".ikc-cited").first
    assert "[1]" in first.inner_text() and "p. " in first.inner_text()
    assert first.locator("mark").count() >= 1
    assert "#page=" in first.locator("a").first.get_attribute("href")
    page.screenshot(path=str(SHOTS / "chat-answer.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#ikc-download")
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert "## Vraag 1" in exported and "Ontwikkelinstrument" in exported
    assert "[1] Kennisnotitie IKC Lansingerland" in exported

    # An HTML payload in a note (its text and its file name) renders as text, never as markup.
    ask(page, "Wat opent kindcentrum De Vlinder in Zoetermeer voor de kinderen uit de wijk?")
    panel = sources.inner_text()
    assert PAYLOAD in panel, panel[:500]
    assert TITLE_PAYLOAD in panel
    assert page.locator("img[src='x'], img[src='y']").count() == 0
    assert page.locator("#ikc-sources script, #ikc-chat script").count() == 0
    page.screenshot(path=str(SHOTS / "chat-payload.png"), full_page=True)

    # A question the notes don't answer is refused as such, with the nearest passages.
    ask(page, "Wat is het telefoonnummer van IKC Plataan in Leeuwarden?")
    assert "Niet gevonden in de notities" in page.locator("#ikc-chat [data-testid='bot']").last.inner_text()
    assert "Mogelijk relevant" in sources.inner_text() and sources.locator("details[open]").count() >= 1
    page.screenshot(path=str(SHOTS / "chat-refusal.png"), full_page=True)

    # The walkthrough started and continued from the chat; then a new conversation empties the chat.
    ask(page, "Loop het ontwikkelinstrument met me door")
    reply = page.locator("#ikc-chat [data-testid='bot']").last.inner_text()
    assert "Thema 1 van 12" in reply and "Back to back" in reply
    ask(page, "2")
    reply = page.locator("#ikc-chat [data-testid='bot']").last.inner_text()
    assert "Face to face" in reply and "Thema 2 van 12" in reply
    assert "p. 14" in sources.inner_text()
    page.screenshot(path=str(SHOTS / "chat-walkthrough.png"), full_page=True)
    page.click("#ikc-new")
    page.wait_for_function("() => document.querySelectorAll(\"#ikc-chat [data-testid='bot']\").length == 0")
    assert "verschijnen hier" in sources.inner_text()

    # The wizard: theme 1 by choosing a level, theme 2 by describing the situation and accepting the suggestion.
    page.get_by_role("tab", name=re.compile("Ontwikkel")).click()
    page.fill("#ikc-wiz-location input, #ikc-wiz-location textarea", "Kindcentrum De Linde")
    page.click("#ikc-wiz-start")
    progress = page.locator("#ikc-wiz-progress")
    page.wait_for_function("() => document.querySelector('#ikc-wiz-progress').innerText.includes('Thema 1 van 12')")
    theme = page.locator("#ikc-wiz-theme")
    assert "Bestuurlijke samenwerking" in theme.inner_text() and "Bestuurlijk draagvlak" in theme.inner_text()
    assert theme.locator(".ikc-level").count() == 5 and "p. 14" in theme.inner_text()
    page.locator("#ikc-wiz-level label", has_text="Face to face").click()
    page.click("#ikc-wiz-next")
    page.wait_for_function("() => document.querySelector('#ikc-wiz-progress').innerText.includes('Thema 2 van 12')")
    page.fill("#ikc-wiz-describe textarea", "Iedere partner werkt en handelt nog als een aparte organisatie.")
    page.click("#ikc-wiz-suggest")
    suggestion = page.locator("#ikc-wiz-suggestion .ikc-suggestion")
    suggestion.wait_for()
    assert "Back to back" in suggestion.inner_text() and "zekerheid" in suggestion.inner_text()
    page.screenshot(path=str(SHOTS / "wizard-suggestion.png"), full_page=True)
    page.click("#ikc-wiz-next")
    page.wait_for_function("() => document.querySelector('#ikc-wiz-progress').innerText.includes('Thema 3 van 12')")
    assert "2 van 12 ingevuld" in progress.inner_text()
    page.click("#ikc-wiz-summary-now")
    profile = page.locator("#ikc-wiz-profile")
    page.wait_for_selector("#ikc-wiz-profile table")
    rows = profile.locator("tbody tr")
    assert "Face to face" in rows.nth(0).inner_text() and "Back to back" in rows.nth(1).inner_text()
    assert "open" in rows.nth(2).inner_text()
    page.wait_for_selector("#ikc-wiz-chart img")
    page.screenshot(path=str(SHOTS / "wizard-profile.png"), full_page=True)
    page.click("#ikc-wiz-save")
    page.wait_for_function("() => document.querySelector('#ikc-wiz-status').innerText.includes('Bewaard')")
    page.click("#ikc-wiz-saved input")
    page.get_by_role("option", name="Kindcentrum De Linde", exact=False).first.click()
    page.click("#ikc-wiz-compare")
    page.wait_for_function("() => document.querySelector('#ikc-wiz-comparison').innerText.includes('Face to face')")

    page.get_by_role("tab", name="Documenten").click()
    table = page.locator("#ikc-documents")
    table.wait_for()
    assert TITLE_PAYLOAD in table.inner_text()
    assert page.locator("img[src='y']").count() == 0
    assert "Kennisnotitie IKC Lansingerland" in table.inner_text()
    page.screenshot(path=str(SHOTS / "documents.png"), full_page=True)
    assert page.dialogs == []


def bot_reply(page) -> str:
    return page.locator("#ikc-chat [data-testid='bot']").last.inner_text()


def test_page_is_dutch_with_accessible_inputs(page):
    assert page.evaluate("document.documentElement.lang") == "nl"
    page.get_by_role("tab", name="Chat").click()
    question = page.get_by_role("textbox", name="Vraag", exact=True)
    assert question.count() == 1 and question.get_attribute("data-testid") == page.locator(
        "#ikc-question textarea").get_attribute("data-testid"), "the chat input is named Vraag, not Textbox"
    page.get_by_role("tab", name="Documenten").click()
    upload = page.locator("#ikc-upload").inner_text()
    assert "Sleep een bestand hier" in upload and "Drop File Here" not in upload


def test_citation_marker_focuses_its_source_card(page):
    page.get_by_role("tab", name="Chat").click()
    page.click("#ikc-new")
    ask(page, "Welke thema's kent het Ontwikkelinstrument IKC?")
    marker = page.locator("#ikc-chat [data-testid='bot']").last.locator("a.ikc-cite").first
    target = marker.get_attribute("href")
    assert target.startswith("#ikc-src-")
    page.wait_for_selector(f"#ikc-sources {target}")  # the answer's sources have been rendered
    page.wait_for_timeout(500)
    marker.click()
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id", arg=target[1:])
    assert "ikc-src" in page.evaluate("document.activeElement.className")
    assert page.url.split("#")[0] == page.url, "the page did not navigate away"


def _fill_settled(page, selector: str, text: str, tries: int = 3) -> None:
    """Type into a box the previous step's update may still be clearing (on a loaded machine the theme switch's
    empty description can land after the typing): type again until the text stays."""
    for _ in range(tries):
        page.fill(selector, text)
        page.wait_for_timeout(500)
        if page.input_value(selector) == text:
            return
    raise AssertionError(f"{selector} did not keep the typed text")


def test_placement_with_nog_niet_lands_on_the_lower_level(page):
    page.get_by_role("tab", name=re.compile("Ontwikkel")).click()
    page.fill("#ikc-wiz-location input, #ikc-wiz-location textarea", "Kindcentrum De Es")
    page.click("#ikc-wiz-start")
    page.wait_for_function("() => document.querySelector('#ikc-wiz-progress').innerText.includes('Thema 1 van 12')")
    page.click("#ikc-wiz-goto input")
    page.get_by_role("option", name=re.compile(r"^3\. Gezamenlijke visie")).click()
    page.wait_for_function("() => document.querySelector('#ikc-wiz-progress').innerText.includes('Thema 3 van 12')")
    assert page.input_value("#ikc-wiz-describe textarea") == ""
    _fill_settled(page, "#ikc-wiz-describe textarea", "We hebben samen een gezamenlijke visie opgesteld, maar op de "
                                                      "werkvloer heeft die nog geen draagvlak.")
    page.click("#ikc-wiz-suggest")
    suggestion = page.locator("#ikc-wiz-suggestion .ikc-suggestion")
    suggestion.wait_for()
    text = suggestion.inner_text()
    assert text.startswith("Voorstel: Hand in hand"), text
    assert "sluit uit: Cheek to cheek" in text, "the denied level is named as ruled out"
    page.screenshot(path=str(SHOTS / "wizard-nog-niet.png"), full_page=True)
    # The next theme starts with an empty description box.
    page.click("#ikc-wiz-next")
    page.wait_for_function("() => document.querySelector('#ikc-wiz-progress').innerText.includes('Thema 4 van 12')")
    assert page.input_value("#ikc-wiz-describe textarea") == ""


def test_exports_list_a_source_for_every_marker(page):
    page.get_by_role("tab", name="Categorie").click()
    page.fill("#ikc-cat-text textarea", "Ons team en het bestuur willen een IKC worden en de opvangpartner is "
                                        "gekozen, maar de MR twijfelt nog.")
    page.click("#ikc-cat-read")
    page.wait_for_function("() => document.querySelector('#ikc-cat-read-note').innerText.includes('Ingevuld')")
    page.click("#ikc-cat-go")
    page.wait_for_function("() => document.querySelector('#ikc-cat-outcome').innerText.includes('Categorie 2')")
    outcome = page.locator("#ikc-cat-outcome")
    # a hesitant MR settles Oriëntatie: what the parents think is still asked (unknown is not a no), marked as not
    # changing the category
    text = outcome.inner_text()
    assert "Hoe denken de ouders erover? (verandert de categorie niet)" in text and "dit bepaalt" not in text
    with page.expect_download() as download:
        page.locator("#ikc-cat-download a").first.click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", exported.split("## Bronnen")[0])}
    listed = {int(n) for n in re.findall(r"^- \[(\d+)\] Kennisnotitie IKC Lansingerland, .+, p\. \d+: ", exported, re.M)}
    assert markers and markers == listed, (markers, listed)


def test_phone_width_reaches_every_tab(page, app_url):
    browser = page.context.browser
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.set_default_timeout(TIMEOUT_MS)
    phone.goto(app_url)
    phone.wait_for_selector("#ikc-question textarea")
    visible = phone.evaluate("Array.from(document.querySelectorAll('button[role=tab]'))"
                             ".filter(b => b.offsetParent !== null).map(b => b.innerText.replace(/\\u00ad|\\n/g, ''))")
    assert visible == ["Chat", "Ontwikkelinstrument", "Categorie", "Evaluatie", "Documenten"], visible
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    for name in ("Categorie", "Evaluatie", "Documenten"):
        phone.get_by_role("tab", name=name).click()
        assert phone.get_by_role("tab", name=name).get_attribute("aria-selected") == "true"
    phone.screenshot(path=str(SHOTS / "phone-390.png"), full_page=True)
    phone.close()
    english = browser.new_page(viewport={"width": 1400, "height": 1000})
    english.goto(app_url + "?lang=en")
    english.wait_for_selector("#ikc-question textarea")
    assert english.evaluate("document.documentElement.lang") == "en"
    assert english.get_by_role("tab", name="Documents").count() == 1
    english.close()
