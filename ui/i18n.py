"""One language per UI: Dutch by default, English when chosen (`?lang=en`).

Three parts work together:
- `LOCALE_SCRIPT`, put at the top of the page's <head> by `UILanguage` (ASGI middleware): it tells
  Gradio's front end the language before Gradio picks one, so `<html lang>` and Gradio's own component
  texts ("Sleep een bestand hier") follow the UI language and not the browser's;
- `I18N` (a `gr.I18n`) for the labels, placeholders and button texts of our components (`label(key)`);
- `t(lang, key)` for what the handlers render (HTML, Markdown, messages), with the language of the request
  (`language_of(request)`).
"""

from __future__ import annotations

import re

LANGUAGES = ("nl", "en")
DEFAULT = "nl"

TEXT: dict[str, dict[str, str]] = {
    "nl": {
        # page
        "subtitle": "Antwoorden uit gemeentelijke notities over integrale kindcentra, met de passages als bron.",
        "switch": "English",
        "tab_chat": "Chat", "tab_instrument": "Ontwikkel\u00adinstrument", "tab_category": "Categorie",
        "tab_evaluation": "Evaluatie", "tab_documents": "Documenten",
        # chat
        "chat_label": "Gesprek",
        "chat_placeholder": "**Stel een vraag over de IKC-notities.** Elk antwoord citeert de passages waar het op rust.",
        "question_label": "Vraag",
        "question_placeholder": "Stel een vraag over de IKC-notities, bijv. Wat is een integraal kindcentrum?",
        "send": "Vraag", "new": "Nieuw gesprek", "download_chat": "Download gesprek (Markdown)",
        "filters": "Filter op document of gemeente", "documents": "Documenten", "municipalities": "Gemeenten",
        "thinking": "_Zoeken in de notities…_", "failed": "Er ging iets mis: {error}",
        "sources": "Bronnen", "sources_empty": "De bronnen van het antwoord verschijnen hier.",
        "possibly_relevant": "Mogelijk relevant",
        "refused_note": "De notities beantwoorden deze vraag niet; deze passages liggen er het dichtst bij.",
        "refused_nothing": "Geen passage ligt dicht genoeg bij de vraag om te tonen.",
        "not_found": "Niet gevonden in de notities", "other_passages": "Andere gevonden passages ({n})",
        "open_at_page": "open bij p. {page}", "open_file": "open bestand", "cite_link": "naar bron {n}",
        "export_title": "IKC-wijzer — gesprek", "export_saved": "Opgeslagen", "export_question": "Vraag",
        "export_answer": "Antwoord", "export_refused": "(De notities beantwoorden deze vraag niet.)",
        # documents
        "docs_intro": "De notities waar de assistent uit antwoordt. Voeg een notitie toe (PDF, TXT of MD, hoogstens "
                      "{mb} MB): ze wordt gecontroleerd, in de corpusmap gezet en geïndexeerd. Een bestand dat niet "
                      "gelezen kan worden, wordt gemeld en niet opgenomen; de index blijft werken.",
        "upload_label": "Notities uploaden", "add": "Toevoegen en indexeren",
        "outside": "Bestanden die buiten de app in de corpusmap zijn gezet of gewijzigd, neemt *Opnieuw indexeren* mee.",
        "rebuild": "Volledig opnieuw opbouwen (alle bestanden opnieuw lezen)", "reindex": "Opnieuw indexeren",
        "stage_read": "Bestanden lezen", "stage_embed": "Passages inbedden", "stage_write": "Index schrijven",
        "choose_file": "kies eerst een bestand", "no_docs": "Nog geen documenten geïndexeerd.",
        "col_title": "Titel", "col_municipality": "Gemeente", "col_year": "Jaar", "col_file": "Bestand",
        "col_pages": "Pagina's", "col_chunks": "Passages", "n_documents": "{n} documenten",
        "embedder_line": "Embedder: {embedder} ({dim} dimensies) · index gebouwd {built}",
        "ingest_counts": "{documents} documenten, {pages} pagina's, {chunks} passages — toegevoegd {added}, "
                         "bijgewerkt {updated}, ongewijzigd {unchanged}, verwijderd {removed} ({seconds} s).",
        "not_taken": "Niet opgenomen:", "nothing_to_do": "Niets te doen.",
        # evaluation
        "eval_intro": "Draai een vragenset door de assistent. Elke vraag wordt automatisch gecontroleerd (vindt de "
                      "assistent de juiste passage, citeert hij die, weigert hij waar de notities zwijgen, …). "
                      "Vergelijk met een eerder opgeslagen run om te zien wat beter of slechter werd.",
        "eval_set": "Vragenset (evals/sets)", "eval_set_file": "…of upload een set (.jsonl)",
        "eval_baseline": "Vergelijk met baseline", "eval_none": "geen",
        "eval_baseline_file": "…of upload een baseline (results.jsonl of metrics.json)",
        "eval_run": "Evaluatie starten", "eval_keep": "Bewaar deze run als baseline",
        "eval_outputs": "results.jsonl, metrics.json, report.md", "eval_report": "Rapport (report.md)",
        "eval_cannot": "Kan niet evalueren:", "eval_choose": "kies of upload een vragenset",
        "eval_question": "Vraag {id}", "eval_warmup": "Opwarmen", "eval_saved": "Bewaard als baseline in {path}.",
        "eval_first": "draai eerst een evaluatie", "eval_measure": "Maat", "eval_result": "Resultaat",
        "eval_base": "Baseline", "eval_delta": "Verschil", "eval_title": "{set}: {passed}/{scored} vragen slagen voor "
        "alle controles", "eval_regressed": "Achteruitgang ten opzichte van de baseline:",
        "eval_no_regression": "Geen achteruitgang ten opzichte van de baseline.", "eval_tolerance": "tolerantie",
        "eval_now_passing": "Nu geslaagd (eerst niet): {ids}", "eval_id": "Id", "eval_q": "Vraag",
        "eval_answer": "Antwoord", "eval_citations": "Citaten", "eval_passed": "Geslaagd", "eval_refused": "geweigerd",
        # wizard
        "wiz_location": "Locatie", "wiz_location_placeholder": "Naam van de locatie of het kindcentrum",
        "wiz_date": "Datum", "wiz_start": "Begin het instrument", "wiz_where": "Waar staat jullie locatie?",
        "wiz_next": "Kies en verder", "wiz_summary_now": "Resultaat tot nu toe", "wiz_back": "← Terug",
        "wiz_skip": "Overslaan", "wiz_goto": "Ga naar thema", "wiz_describe": "Beschrijf jullie situatie en krijg een voorstel",
        "wiz_describe_label": "Beschrijving van de situatie bij dit thema",
        "wiz_describe_placeholder": "Bijv. Elke partner heeft nog een eigen visie; we praten er wel over.",
        "wiz_suggest": "Stel een niveau voor", "wiz_note": "Notitie bij dit thema",
        "wiz_note_label": "Notitie bij dit thema", "wiz_note_placeholder": "Wat wil je onthouden bij dit thema?",
        "wiz_save_note": "Notitie bewaren", "wiz_start_first": "Begin eerst het instrument.",
        "wiz_choose_first": "Kies eerst een niveau.", "wiz_describe_first": "Beschrijf eerst de situatie.",
        "wiz_bad_date": "De datum {date!r} is geen datum van de vorm JJJJ-MM-DD.",
        "wiz_location_first": "Vul eerst de naam van de locatie in.",
        "wiz_pick_saved": "Kies een bewaard profiel om mee te vergelijken.",
        "wiz_profile": "Profiel van de locatie", "wiz_back_to_theme": "← Terug naar het thema",
        "wiz_chart": "Radardiagram", "wiz_downloads": "Downloads (Markdown, CSV, JSON, PNG)",
        "wiz_monitor": "Monitor: bewaar dit moment en vergelijk met een eerder profiel",
        "wiz_save": "Bewaar profiel (locatie + datum)", "wiz_saved_label": "Eerder bewaard profiel",
        "wiz_compare": "Vergelijk", "wiz_saved_ok": "Bewaard: {location}, {date}.",
        "wiz_source_note": "Over de nummering van de thema's",
        "wiz_source_plain": "De bijlage noemt de thema's twee keer: eerst in een lijst en daarna als kop boven elk "
                            "raster, en die twee komen niet overal overeen. Dit instrument volgt de koppen van de "
                            "rasters. Waar de lijst een andere naam gebruikt, staat die naam erbij.",
        "wiz_progress": "Thema {k} van {n}", "wiz_all_done": "Alle thema's doorlopen",
        "wiz_filled": "{answered} van {total} ingevuld", "wiz_skipped": "{n} overgeslagen",
        "wiz_theme": "Thema", "wiz_list_name": "In de themalijst van de bijlage heet nummer {n} \u201c{name}\u201d; "
        "dit raster volgt de kop boven het raster.", "wiz_header_row": "In de bron staat dit raster anders opgemaakt "
        "(eerst een kopregel met de niveaus).", "wiz_chosen": "gekozen", "wiz_note_shown": "Notitie",
        "wiz_description_shown": "Jullie beschrijving", "wiz_proposal": "Voorstel", "wiz_confidence": "zekerheid",
        "wiz_also": "Ook denkbaar", "wiz_excludes": "Je beschrijving sluit uit",
        "wiz_check": "Klopt dit? Kies het niveau hiernaast en ga verder, of kies zelf een ander.",
        "wiz_unsure": "onzeker", "wiz_unsure_text": "Ik ben onzeker welk niveau past. Vergelijk de twee "
        "beschrijvingen en kies zelf hiernaast.", "wiz_intro": "{title}: {themes} thema's, elk met {levels} "
        "ambitieniveaus ({names}). Kies per thema het niveau dat het best past bij jullie locatie, of beschrijf de "
        "situatie en krijg een voorstel.", "wiz_col_level": "Niveau", "wiz_col_descriptor": "Beschrijving (bron)",
        "wiz_col_note": "Notitie en beschrijving", "wiz_open": "open", "wiz_list": "themalijst",
        "wiz_category_head": "Categorie (paragraaf 8)", "wiz_no_category": "Nog geen categorie gekozen; dat kan in de "
        "tab Categorie.", "wiz_saved_choice": "{location} — {date} ({n} thema's)",
        # category
        "cat_intro": "Welke categorie uit §8 van de *{title}* past bij jullie locatie? Beschrijf de situatie of "
                     "beantwoord de vragen; wat je open laat, telt niet als nee: het wordt gevraagd. De uitkomst "
                     "citeert §7 en §8 letterlijk, met pagina's, en komt ook in de export van het profiel.",
        "cat_describe": "Beschrijf jullie situatie (Nederlands of Engels)",
        "cat_describe_placeholder": "Bijv. Team en bestuur willen een IKC worden en we hebben een opvangpartner "
                                    "gekozen, maar de MR twijfelt nog.",
        "cat_read": "Lees de beschrijving", "cat_want": "Willen jullie een IKC worden?",
        "cat_team": "Draagvlak bij het team?", "cat_parents": "Draagvlak bij de ouders?",
        "cat_mr": "Draagvlak bij de MR?", "cat_board": "Steun van het bestuur?",
        "cat_partner": "Is duidelijk met welke partner(s) jullie het IKC vormen?",
        "cat_tempo": "Wanneer willen jullie beginnen?", "cat_good": "Goede redenen volgens §7",
        "cat_less": "Minder goede redenen volgens §7", "cat_go": "Bepaal de categorie",
        "cat_download": "Download (Markdown)", "cat_cited": "Geciteerd uit §7 en §8",
        "cat_yes": "Ja", "cat_maybe": "Misschien, we denken erover na", "cat_no": "Nee", "cat_partly": "Deels, er is twijfel",
        "cat_pending": "Nog niet besproken", "cat_unknown": "Weet ik nog niet", "cat_partner_no": "Nee, nog niet",
        "cat_direct": "Zo snel mogelijk", "cat_later": "Eerst rustig verkennen",
        "cat_nothing_read": "In de beschrijving staat niets over de criteria van §8 (willen, draagvlak, partner, "
                            "tempo). Beantwoord de vragen hieronder.",
        "cat_read_ok": "Ingevuld uit de beschrijving: {fields}. Controleer het en vul aan wat je weet.",
        "cat_date": "Datum",
        # uploads (reasons from the library, in English there)
        "reason_type": "bestandstype {suffix} wordt niet ondersteund; upload PDF, TXT of MD",
        "reason_size": "het bestand is {size} MB, boven de grens van {limit} MB",
        "reason_empty": "leeg bestand (0 bytes)", "reason_no_text": "het bestand bevat geen tekst",
        "reason_not_pdf": "geen PDF-bestand (geen PDF-kop); is het een ander formaat met de extensie .pdf?",
        "reason_encrypted": "de PDF is versleuteld (met een wachtwoord); bewaar een onbeveiligde kopie",
        "reason_damaged": "de PDF is beschadigd of onvolledig en kan niet gelezen worden",
        "reason_no_pages": "de PDF heeft geen pagina's",
        "reason_scan": "de PDF heeft geen tekstlaag (een scan?); laat er eerst OCR op lopen en upload opnieuw",
        "reason_extract": "er kon geen tekst uit het bestand gehaald worden",
    },
    "en": {
        "subtitle": "Answers from municipal policy notes on integrated child centres (IKC), with the passages as "
                    "sources.",
        "switch": "Nederlands",
        "tab_chat": "Chat", "tab_instrument": "Development instrument", "tab_category": "Category",
        "tab_evaluation": "Evaluation", "tab_documents": "Documents",
        "chat_label": "Conversation",
        "chat_placeholder": "**Ask a question about the IKC notes.** Every answer cites the passages it rests on.",
        "question_label": "Question",
        "question_placeholder": "Ask a question about the IKC notes, e.g. What is an integrated child centre?",
        "send": "Ask", "new": "New conversation", "download_chat": "Download conversation (Markdown)",
        "filters": "Filter by document or municipality", "documents": "Documents", "municipalities": "Municipalities",
        "thinking": "_Searching the notes…_", "failed": "Something went wrong: {error}",
        "sources": "Sources", "sources_empty": "The sources of the answer appear here.",
        "possibly_relevant": "Possibly relevant",
        "refused_note": "The notes do not answer this question; these passages come closest.",
        "refused_nothing": "No passage comes close enough to the question to show.",
        "not_found": "Not in the notes", "other_passages": "Other passages found ({n})",
        "open_at_page": "open at p. {page}", "open_file": "open file", "cite_link": "to source {n}",
        "export_title": "IKC-wijzer — conversation", "export_saved": "Saved", "export_question": "Question",
        "export_answer": "Answer", "export_refused": "(The notes do not answer this question.)",
        "docs_intro": "The notes the assistant answers from. Add a note (PDF, TXT or MD, at most {mb} MB): it is "
                      "checked, put in the corpus folder and indexed. A file that cannot be read is reported and "
                      "left out; the index keeps working.",
        "upload_label": "Upload notes", "add": "Add and index",
        "outside": "Files put in or changed in the corpus folder outside the app are picked up by *Re-index*.",
        "rebuild": "Rebuild completely (read every file again)", "reindex": "Re-index",
        "stage_read": "Reading files", "stage_embed": "Embedding passages", "stage_write": "Writing the index",
        "choose_file": "choose a file first", "no_docs": "No documents indexed yet.",
        "col_title": "Title", "col_municipality": "Municipality", "col_year": "Year", "col_file": "File",
        "col_pages": "Pages", "col_chunks": "Passages", "n_documents": "{n} documents",
        "embedder_line": "Embedder: {embedder} ({dim} dimensions) · index built {built}",
        "ingest_counts": "{documents} documents, {pages} pages, {chunks} passages — added {added}, updated {updated}, "
                         "unchanged {unchanged}, removed {removed} ({seconds} s).",
        "not_taken": "Not taken in:", "nothing_to_do": "Nothing to do.",
        "eval_intro": "Run a question set through the assistant. Every question is checked automatically (does the "
                      "assistant find the right passage, cite it, refuse where the notes are silent, …). Compare "
                      "with an earlier saved run to see what got better or worse.",
        "eval_set": "Question set (evals/sets)", "eval_set_file": "…or upload a set (.jsonl)",
        "eval_baseline": "Compare with baseline", "eval_none": "none",
        "eval_baseline_file": "…or upload a baseline (results.jsonl or metrics.json)",
        "eval_run": "Run the evaluation", "eval_keep": "Keep this run as baseline",
        "eval_outputs": "results.jsonl, metrics.json, report.md", "eval_report": "Report (report.md)",
        "eval_cannot": "Cannot evaluate:", "eval_choose": "choose or upload a question set",
        "eval_question": "Question {id}", "eval_warmup": "Warming up", "eval_saved": "Kept as baseline in {path}.",
        "eval_first": "run an evaluation first", "eval_measure": "Measure", "eval_result": "Result",
        "eval_base": "Baseline", "eval_delta": "Change", "eval_title": "{set}: {passed}/{scored} questions pass every "
        "check", "eval_regressed": "Worse than the baseline:", "eval_no_regression": "Nothing got worse than the baseline.",
        "eval_tolerance": "tolerance", "eval_now_passing": "Now passing (failed before): {ids}", "eval_id": "Id",
        "eval_q": "Question", "eval_answer": "Answer", "eval_citations": "Citations", "eval_passed": "Passed",
        "eval_refused": "refused",
        "wiz_location": "Location", "wiz_location_placeholder": "Name of the location or child centre",
        "wiz_date": "Date", "wiz_start": "Start the instrument", "wiz_where": "Where does your location stand?",
        "wiz_next": "Choose and continue", "wiz_summary_now": "Result so far", "wiz_back": "← Back",
        "wiz_skip": "Skip", "wiz_goto": "Go to theme", "wiz_describe": "Describe your situation and get a suggestion",
        "wiz_describe_label": "Description of the situation for this theme",
        "wiz_describe_placeholder": "E.g. Each partner still has its own vision; we do talk about it.",
        "wiz_suggest": "Suggest a level", "wiz_note": "Note for this theme", "wiz_note_label": "Note for this theme",
        "wiz_note_placeholder": "What do you want to remember for this theme?", "wiz_save_note": "Save note",
        "wiz_start_first": "Start the instrument first.", "wiz_choose_first": "Choose a level first.",
        "wiz_describe_first": "Describe the situation first.",
        "wiz_bad_date": "The date {date!r} is not a date of the form YYYY-MM-DD.",
        "wiz_location_first": "Fill in the name of the location first.",
        "wiz_pick_saved": "Choose a saved profile to compare with.", "wiz_profile": "Profile of the location",
        "wiz_back_to_theme": "← Back to the theme", "wiz_chart": "Radar chart",
        "wiz_downloads": "Downloads (Markdown, CSV, JSON, PNG)",
        "wiz_monitor": "Monitor: save this moment and compare with an earlier profile",
        "wiz_save": "Save profile (location + date)", "wiz_saved_label": "Earlier saved profile",
        "wiz_compare": "Compare", "wiz_saved_ok": "Saved: {location}, {date}.",
        "wiz_source_note": "About the numbering of the themes",
        "wiz_source_plain": "The appendix names the themes twice: first in a list and then as the heading above "
                            "each grid, and the two do not always match. This instrument follows the grid headings. "
                            "Where the list uses another name, that name is shown too.",
        "wiz_progress": "Theme {k} of {n}", "wiz_all_done": "All themes done", "wiz_filled": "{answered} of {total} "
        "filled in", "wiz_skipped": "{n} skipped", "wiz_theme": "Theme", "wiz_list_name": "In the appendix's theme "
        "list, number {n} is called \u201c{name}\u201d; this grid follows the heading above the grid.",
        "wiz_header_row": "In the source this grid is laid out differently (a header row with the levels first).",
        "wiz_chosen": "chosen", "wiz_note_shown": "Note", "wiz_description_shown": "Your description",
        "wiz_proposal": "Suggestion", "wiz_confidence": "confidence", "wiz_also": "Also possible",
        "wiz_excludes": "Your description rules out", "wiz_check": "Is this right? Choose the level on the right and "
        "continue, or choose another one.", "wiz_unsure": "not sure", "wiz_unsure_text": "I am not sure which level "
        "fits. Compare the two descriptors and choose on the right.", "wiz_intro": "{title}: {themes} themes, each "
        "with {levels} ambition levels ({names}). For each theme choose the level that fits your location best, or "
        "describe the situation and get a suggestion.", "wiz_col_level": "Level",
        "wiz_col_descriptor": "Descriptor (source)", "wiz_col_note": "Note and description", "wiz_open": "open",
        "wiz_list": "theme list", "wiz_category_head": "Category (section 8)",
        "wiz_no_category": "No category chosen yet; you can do that in the Category tab.",
        "wiz_saved_choice": "{location} — {date} ({n} themes)",
        "cat_intro": "Which category of §8 of the *{title}* fits your location? Describe the situation or answer the "
                     "questions; what you leave open does not count as a no: it is asked. The outcome quotes §7 and "
                     "§8 word for word, with pages, and is part of the profile export.",
        "cat_describe": "Describe your situation (Dutch or English)",
        "cat_describe_placeholder": "E.g. The team and the board want to become an IKC and we have chosen a "
                                    "childcare partner, but the MR still hesitates.",
        "cat_read": "Read the description", "cat_want": "Do you want to become an IKC?",
        "cat_team": "Support in the team?", "cat_parents": "Support among parents?", "cat_mr": "Support in the MR?",
        "cat_board": "Support from the board?", "cat_partner": "Is it clear which partner(s) you form the IKC with?",
        "cat_tempo": "When do you want to start?", "cat_good": "Good reasons according to §7",
        "cat_less": "Less good reasons according to §7", "cat_go": "Determine the category",
        "cat_download": "Download (Markdown)", "cat_cited": "Quoted from §7 and §8",
        "cat_yes": "Yes", "cat_maybe": "Maybe, we are thinking about it", "cat_no": "No",
        "cat_partly": "Partly, there are doubts", "cat_pending": "Not discussed yet", "cat_unknown": "I don't know yet",
        "cat_partner_no": "No, not yet", "cat_direct": "As soon as possible", "cat_later": "First take time to explore",
        "cat_nothing_read": "The description says nothing about §8's criteria (wanting it, support, partner, pace). "
                            "Answer the questions below.",
        "cat_read_ok": "Filled in from the description: {fields}. Check it and add what you know.",
        "cat_date": "Date",
        "reason_type": "file type {suffix} is not supported; upload PDF, TXT or MD",
        "reason_size": "the file is {size} MB, over the {limit} MB limit",
        "reason_empty": "empty file (0 bytes)", "reason_no_text": "the file contains no text",
        "reason_not_pdf": "not a PDF file (no PDF header); is it another format renamed to .pdf?",
        "reason_encrypted": "the PDF is encrypted (password protected); save an unprotected copy",
        "reason_damaged": "the PDF is damaged or truncated and cannot be read",
        "reason_no_pages": "the PDF has no pages",
        "reason_scan": "the PDF has no text layer (a scan?); run OCR first, then upload again",
        "reason_extract": "no text could be extracted from the file",
    },
}

# The library's reasons (English, see ingest.pdf and ui.uploads) and the key of each in TEXT.
_REASONS = (
    (re.compile(r"(?:unsupported )?file type '?(?P<suffix>[^' ;]*)'? (?:is not supported|\(use)"), "reason_type"),
    (re.compile(r"file is (?P<size>[\d.]+) MB, over the (?P<limit>[\d.]+) MB"), "reason_size"),
    (re.compile(r"empty file"), "reason_empty"),
    (re.compile(r"the file contains no text"), "reason_no_text"),
    (re.compile(r"not a PDF file"), "reason_not_pdf"),
    (re.compile(r"encrypted"), "reason_encrypted"),
    (re.compile(r"damaged"), "reason_damaged"),
    (re.compile(r"has no pages"), "reason_no_pages"),
    (re.compile(r"no text layer"), "reason_scan"),
    (re.compile(r"no text could be extracted"), "reason_extract"),
)


def t(lang: str, key: str, **values) -> str:
    """The UI text `key` in `lang` (Dutch when the language or the key is unknown there)."""
    table = TEXT.get(lang, TEXT[DEFAULT])
    text = table.get(key, TEXT[DEFAULT][key])
    return text.format(**values) if values else text


def reason(lang: str, text: str) -> str:
    """A reason the library gives for not taking in a file, in the UI's language."""
    for pattern, key in _REASONS:
        m = pattern.search(text or "")
        if m:
            return t(lang, key, **m.groupdict())
    return text


def language_of(request) -> str:
    """The UI language of the page a request comes from (`?lang=en`), Dutch otherwise."""
    try:
        lang = (request.query_params.get("lang") or "").lower() if request is not None else ""
    except AttributeError:
        lang = ""
    return lang if lang in LANGUAGES else DEFAULT


def i18n():
    """Our component texts for Gradio's front end; `label(key)` refers to them."""
    import gradio as gr

    return gr.I18n(**{lang: dict(TEXT[lang]) for lang in LANGUAGES})


def label(key: str):
    """A text the front end shows in the page's language (label, placeholder, button value, Markdown)."""
    import gradio as gr

    if key not in TEXT[DEFAULT]:
        raise KeyError(key)
    return gr.i18n.I18nData(key)


# Before Gradio's front end starts: the language of the page is the one in `?lang=` (Dutch by default), not the
# browser's, so Gradio's own texts and <html lang> follow it.
LOCALE_SCRIPT = """<script>(function () {
  var lang = new URLSearchParams(window.location.search).get('lang');
  lang = lang === 'en' ? 'en' : 'nl';
  try {
    Object.defineProperty(window.navigator, 'language', {get: function () { return lang; }, configurable: true});
    Object.defineProperty(window.navigator, 'languages', {get: function () { return [lang]; }, configurable: true});
  } catch (e) {}
  document.documentElement.setAttribute('lang', lang);
})();</script>"""


class UILanguage:
    """ASGI middleware: puts LOCALE_SCRIPT first in the <head> of the app's HTML pages."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: dict | None = None
        passthrough = False
        chunks: list[bytes] = []

        async def capture(message) -> None:
            nonlocal start, passthrough
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                if not html or b"content-encoding" in headers:
                    passthrough = True
                    await send(message)
                else:
                    start = message
                return
            if passthrough or start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = re.sub(rb"<head([^>]*)>", lambda m: m.group(0) + LOCALE_SCRIPT.encode(), b"".join(chunks), count=1)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)
