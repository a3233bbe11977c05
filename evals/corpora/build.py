#!/usr/bin/env python3
"""Build the 'document kinds' test corpora (kinds-dev, kinds-blind).

Every PDF is regenerated deterministically from the marked-up text in
<corpus>/src/*.md with fpdf2 and an embedded DejaVu font (fonts/).  While
rendering, the script logs where every heading, paragraph, list, table,
caption, footnote, ... lands; it then extracts each PDF again with pypdf and
checks every logged item against the extracted text of the logged page before
writing <corpus>/expected.json.  So expected.json is ground truth as pypdf sees
the PDFs, not a guess.

    python build.py                 # rebuild PDFs + expected.json of both corpora
    python build.py verify          # re-check PDFs, expected.json and ../sets/kinds-*.jsonl
    python build.py --corpus kinds-dev

Requires: fpdf2, pypdf, pyyaml.

Source mark-up (one block per blank-line separated chunk):
    ---  yaml front matter  ---      document settings (see DEFAULTS)
    # / ## / ### text               heading level 1/2/3; "number | title" puts the
                                    number on its own line when the level has own_line
    {tag} paragraph text            plain paragraph; optional tag (e.g. {leeswijzer})
    text with [^1] marker           paragraph with a footnote; define it as "[^1]: text"
    - item / -o item / -1. item     list (bullet, hollow bullet, numbered "1.", lettered "-a.",
    -a. item / -1° item / -– item    "1°", en dash); indent two spaces per nesting level;
                                    a line "!pagebreak" inside a list forces a page break
    !toc                            table of contents with dot leaders
    !title: / !subtitle: / !front:  title-page lines (not body paragraphs)
    !figure: <height mm> | Figuur 2: caption      drawn figure + caption
    !caption: text                  caption line (tables)
    !table [widths=a,b,c]           followed by "| cell | cell |" rows; first row = header
    !columns ... !endcolumns        two-column section (headings and paragraphs)
    !pagebreak / !space: <mm>
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import json
import re
import sys
from pathlib import Path

import yaml
from fpdf import FPDF
from fpdf.fonts import FontFace
from pypdf import PdfReader

HERE = Path(__file__).resolve().parent
FONTS = HERE / "fonts"
CORPORA = ["kinds-dev", "kinds-dev2", "kinds-dev3", "kinds-dev4", "kinds-blind"]
SETS = HERE.parent / "sets"

DEFAULTS = {
    "font": "sans",
    "size": 10,
    "leading": 5.0,
    "align": "L",
    "margins": [22, 26, 22],
    "bottom": 24,
    "para_after": 2.2,
    "header": None,
    "footer": {"text": "pagina {page} van {pages}", "align": "C"},
    "outline": False,
    "toc_depth": 2,
    "headings": {
        1: {"size": 14, "style": "B", "own_line": False, "before": 5, "after": 2.5},
        2: {"size": 12, "style": "B", "own_line": False, "before": 4, "after": 2},
        3: {"size": 10.5, "style": "B", "own_line": False, "before": 3, "after": 1.5},
        4: {"size": 10, "style": "I", "own_line": False, "before": 2, "after": 1},
    },
    "footnote_area": 0,
}

MARKERS = {"": "•", "o": "○", "–": "–"}
LIST_RE = re.compile(r"^( *)-(\S*) (.*)$")
FN_RE = re.compile(r"\[\^(\w+)\]")
FN_DEF_RE = re.compile(r"^\[\^(\w+)\]:\s*(.*)$", re.S)
TAG_RE = re.compile(r"^\{(\w+)\}\s+")


# ----------------------------------------------------------------- parsing
def parse_src(path: Path):
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---\n"):
        raise SystemExit(f"{path}: missing front matter")
    _, fm, body = raw.split("---\n", 2)
    cfg = copy.deepcopy(DEFAULTS)
    user = yaml.safe_load(fm) or {}
    heads = user.pop("headings", {})
    cfg.update(user)
    for lvl, h in heads.items():
        cfg["headings"][int(lvl)] = {**cfg["headings"].get(int(lvl), {}), **h}
    chunks, cur = [], []
    for line in body.split("\n"):
        if line.strip() == "" and not (cur and cur[0].startswith("!table") and False):
            if cur:
                chunks.append(cur)
                cur = []
        else:
            cur.append(line.rstrip())
    if cur:
        chunks.append(cur)
    blocks, footnotes = [], {}
    for ch in chunks:
        first = ch[0]
        m = FN_DEF_RE.match(" ".join(ch))
        if m:
            footnotes[m.group(1)] = m.group(2).strip()
            continue
        if first.startswith("#"):
            lvl = len(first) - len(first.lstrip("#"))
            blocks.append({"t": "h", "level": lvl, "text": first[lvl:].strip()})
            for extra in ch[1:]:
                raise SystemExit(f"{path}: heading chunk has extra line {extra!r}")
        elif first.startswith("!table"):
            opts = dict(o.split("=", 1) for o in first.split()[1:])
            rows = [[c.strip() for c in r.strip().strip("|").split("|")] for r in ch[1:]]
            blocks.append({"t": "table", "rows": rows, "opts": opts})
        elif first.startswith("!"):
            for line in ch:
                name, _, arg = line[1:].partition(":")
                blocks.append({"t": "dir", "name": name.strip(), "arg": arg.strip()})
        elif all(LIST_RE.match(l) or l.strip() == "!pagebreak" for l in ch):
            items = []
            for l in ch:
                if l.strip() == "!pagebreak":
                    items.append({"pagebreak": True})
                    continue
                m = LIST_RE.match(l)
                ind, mk, text = m.groups()
                items.append({"level": len(ind) // 2, "marker": MARKERS.get(mk, mk), "text": text.strip()})
            blocks.append({"t": "list", "items": items})
        else:
            text = " ".join(l.strip() for l in ch)
            tag = None
            m = TAG_RE.match(text)
            if m:
                tag, text = m.group(1), text[m.end():]
            blocks.append({"t": "p", "text": text, "tag": tag})
    return cfg, blocks, footnotes


def split_heading(text):
    if "|" in text:
        num, title = (s.strip() for s in text.split("|", 1))
        return num, title
    return None, text


def words_start(text, n=10):
    """First n words of text (fewer if the paragraph is shorter), cut before a footnote marker."""
    cut = FN_RE.search(text)
    head = text[: cut.start()] if cut else text
    w = head.split()
    return " ".join(w[:n])


def plain(text):
    return FN_RE.sub("", text)


# ----------------------------------------------------------------- rendering
class DocPDF(FPDF):
    def __init__(self, cfg, footnotes, total_pages):
        super().__init__(format="A4", unit="mm")
        self.cfg = cfg
        self.fn_text = footnotes
        self.total_pages = total_pages
        self.page_fns: dict[int, list] = {}
        self.header_log: dict[int, list] = {}
        self.footer_log: dict[int, str] = {}
        body = {"sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"),
                "serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf")}
        for fam, files in body.items():
            for style, f in zip(("", "B", "I"), files):
                self.add_font(fam, style, str(FONTS / f))
        self.body = cfg["font"]
        l, t, r = cfg["margins"]
        self.set_margins(l, t, r)
        bottom = cfg["bottom"] + cfg.get("footnote_area", 0)
        self.set_auto_page_break(True, bottom)

    def header(self):
        h = self.cfg.get("header")
        if not h:
            return
        self.set_font("sans", "", 8)
        self.set_text_color(90, 90, 90)
        y = 11
        texts = []
        if h.get("left"):
            self.set_xy(self.l_margin, y)
            self.cell(0, 4, h["left"], align="L")
            texts.append(h["left"])
        if h.get("right"):
            self.set_xy(self.l_margin, y)
            self.cell(0, 4, h["right"], align="R")
            texts.append(h["right"])
        self.set_draw_color(150, 150, 150)
        self.line(self.l_margin, y + 5.5, self.w - self.r_margin, y + 5.5)
        self.header_log[self.page_no()] = texts
        self.set_text_color(0, 0, 0)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self):
        fns = self.page_fns.get(self.page_no(), [])
        if fns:
            y0 = self.h - self.cfg["bottom"] - self.cfg["footnote_area"] + 3
            self.set_draw_color(120, 120, 120)
            self.line(self.l_margin, y0, self.l_margin + 45, y0)
            self.set_y(y0 + 1.5)
            for mk in fns:
                self.set_font("sans", "", 7.5)
                self.set_x(self.l_margin)
                self.cell(5, 3.6, mk)
                self.set_left_margin(self.l_margin + 5)
                self.multi_cell(0, 3.6, self.fn_text[mk], align="L", new_x="LMARGIN", new_y="NEXT")
                self.set_left_margin(self.cfg["margins"][0])
        f = self.cfg.get("footer")
        if f:
            txt = f["text"].format(page=self.page_no(), pages=self.total_pages or 0)
            self.set_y(-15)
            self.set_font("sans", "", 8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 4, txt, align=f.get("align", "C"))
            self.set_text_color(0, 0, 0)
            self.footer_log[self.page_no()] = txt


class Renderer:
    def __init__(self, cfg, blocks, footnotes):
        self.cfg, self.blocks, self.footnotes = cfg, blocks, footnotes

    # helpers ------------------------------------------------------------
    def font(self, style="", size=None):
        self.pdf.set_font(self.pdf.body, style, size or self.cfg["size"])

    def ensure(self, height):
        if self.pdf.will_page_break(height):
            self.pdf.add_page()

    def section(self):
        return [h for h in self.stack if h]

    # main -----------------------------------------------------------------
    def render(self, meta, total_pages=None, toc_pages=None):
        cfg = self.cfg
        pdf = self.pdf = DocPDF(cfg, self.footnotes, total_pages)
        cd = meta.get("creation_date", "2020-01-01")
        pdf.set_creation_date(dt.datetime.fromisoformat(str(cd)).replace(tzinfo=dt.timezone.utc))
        for key, fn in (("title", pdf.set_title), ("author", pdf.set_author), ("subject", pdf.set_subject),
                        ("keywords", pdf.set_keywords), ("creator", pdf.set_creator),
                        ("producer", pdf.set_producer)):
            if meta.get(key):
                fn(meta[key])
        pdf.set_lang("nl-NL")
        pdf.add_page()
        self.font()
        lh = cfg["leading"]
        self.stack = [None, None, None, None, None]
        self.outline_level = -1
        log = {"headings": [], "paragraphs": [], "lists": [], "tables": [], "captions": [],
               "footnotes": [], "front_matter": [], "toc": None, "two_column_page": None,
               "leeswijzer": None, "title": None}
        self.log = log
        in_columns = None
        last_para = None
        for i, b in enumerate(self.blocks):
            t = b["t"]
            if in_columns is not None and not (t == "dir" and b["name"] == "endcolumns"):
                in_columns.append(b)
                continue
            if t == "h":
                self.heading(b)
                last_para = None
            elif t == "p":
                last_para = self.paragraph(b)
            elif t == "list":
                self.render_list(b, last_para)
                last_para = None
            elif t == "table":
                self.table(b)
                last_para = None
            elif t == "dir":
                n, a = b["name"], b["arg"]
                if n == "pagebreak":
                    pdf.add_page()
                elif n == "space":
                    pdf.ln(float(a))
                elif n == "title":
                    self.font("B", cfg.get("title_size", 18))
                    pdf.multi_cell(0, cfg.get("title_size", 18) * 0.45, a, align="L", new_x="LMARGIN", new_y="NEXT")
                    pdf.ln(3)
                    log["title"] = a
                    log["front_matter"].append({"text": a, "page": pdf.page_no()})
                    self.font()
                elif n == "subtitle":
                    self.font("", 12.5)
                    pdf.multi_cell(0, 6, a, align="L", new_x="LMARGIN", new_y="NEXT")
                    pdf.ln(2)
                    log["front_matter"].append({"text": a, "page": pdf.page_no()})
                    self.font()
                elif n == "front":
                    self.font("", cfg["size"] - 1)
                    pdf.multi_cell(0, lh - 0.6, a, align="L", new_x="LMARGIN", new_y="NEXT")
                    log["front_matter"].append({"text": a, "page": pdf.page_no()})
                    self.font()
                elif n == "toc":
                    self.toc(toc_pages)
                elif n == "figure":
                    self.figure(a)
                elif n == "caption":
                    self.caption(a)
                elif n == "columns":
                    in_columns = []
                elif n == "endcolumns":
                    self.columns(in_columns)
                    in_columns = None
                else:
                    raise SystemExit(f"unknown directive {n}")
        data = bytes(pdf.output())
        pages = pdf.page_no()
        log["pages"] = pages
        log["header_texts"] = sorted({t for v in pdf.header_log.values() for t in v})
        log["header_pages"] = sorted(pdf.header_log)
        log["footer_texts"] = [pdf.footer_log[p] for p in sorted(pdf.footer_log)]
        return data, log

    # blocks -----------------------------------------------------------------
    def heading(self, b, in_col=False):
        pdf, cfg = self.pdf, self.cfg
        hc = cfg["headings"][b["level"]]
        num, title = split_heading(b["text"])
        text = f"{num} {title}" if num else title
        size = hc["size"]
        lh = size * 0.45
        if not in_col:
            need = hc.get("before", 4) + lh * (2 if num and hc.get("own_line") else 1) + hc.get("after", 2) + 3 * cfg["leading"]
            if pdf.get_y() > pdf.t_margin + 1:
                self.ensure(need)
                if pdf.get_y() > pdf.t_margin + 1:
                    pdf.ln(hc.get("before", 4))
        page = pdf.page_no()
        if cfg.get("outline") and not in_col:
            # fpdf2 refuses level jumps (Hoofdstuk -> Artikel without a paragraaf)
            lvl0 = min(b["level"] - 1, self.outline_level + 1)
            pdf.start_section(text, level=lvl0)
            self.outline_level = lvl0
        self.font(hc.get("style", "B"), size)
        if num and hc.get("own_line"):
            pdf.multi_cell(0, lh, num, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.multi_cell(0, lh, title, align="L", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, lh, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(hc.get("after", 2))
        self.font()
        lvl = b["level"]
        self.stack[lvl] = text
        for k in range(lvl + 1, len(self.stack)):
            self.stack[k] = None
        self.log["headings"].append({"text": text, "level": lvl, "page": page})

    def paragraph(self, b):
        pdf, cfg = self.pdf, self.cfg
        lh = cfg["leading"]
        text = b["text"]
        self.ensure(2 * lh)
        page = pdf.page_no()
        self.font()
        if FN_RE.search(text):
            parts = FN_RE.split(text)
            for k, part in enumerate(parts):
                if k % 2 == 0:
                    if part:
                        pdf.write(lh, part)
                else:
                    pdf.page_fns.setdefault(pdf.page_no(), []).append(part)
                    self.log["footnotes"].append({"page": pdf.page_no(), "marker": part,
                                                  "text": self.footnotes[part]})
                    pdf.set_font(pdf.body, "", cfg["size"] - 3)
                    pdf.char_vpos = "SUP"
                    pdf.write(lh, part)
                    pdf.char_vpos = "LINE"
                    self.font()
            pdf.ln(lh)
        else:
            pdf.multi_cell(0, lh, text, align=cfg["align"], new_x="LMARGIN", new_y="NEXT")
        pdf.ln(cfg["para_after"])
        rec = {"start": words_start(text), "page": page, "section": self.section()}
        if b.get("tag"):
            rec["tag"] = b["tag"]
            if b["tag"] == "leeswijzer":
                self.log["leeswijzer"] = plain(text)
        self.log["paragraphs"].append(rec)
        return {"text": plain(text), "page": page}

    def render_list(self, b, last_para):
        pdf, cfg = self.pdf, self.cfg
        lh = cfg["leading"]
        base = cfg["margins"][0]
        pages, items, markers, levels = [], [], [], []
        self.font()
        for it in b["items"]:
            if it.get("pagebreak"):
                pdf.add_page()
                continue
            self.ensure(lh + 0.5)
            ind = base + 4 + 7 * it["level"]
            page = pdf.page_no()
            pdf.set_x(ind)
            pdf.cell(7, lh, it["marker"])
            pdf.set_left_margin(ind + 7)
            pdf.multi_cell(0, lh, it["text"], align=cfg["align"], new_x="LMARGIN", new_y="NEXT")
            pdf.set_left_margin(base)
            pdf.ln(0.8)
            pages.append(page)
            items.append(it["text"])
            markers.append(it["marker"])
            levels.append(it["level"])
        pdf.ln(cfg["para_after"] - 0.8)
        lead = last_para["text"] if last_para and last_para["text"].rstrip().endswith(":") else None
        lid = None
        m = re.match(r"^(\d+)\.\s+", lead or "")
        if m:  # a numbered member (lid) of an article: keep the sentence, report the member separately
            lid, lead = m.group(1), lead[m.end():]
        para = lead
        if lead:  # the lead-in proper is the last sentence of the paragraph
            lead = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])", lead)[-1]
        rec = {"lead_in": lead, "lead_in_paragraph": para, "lead_in_lid": lid, "items": items, "markers": markers, "pages": sorted(set(pages)),
               "item_pages": pages, "section": self.section()}
        if any(l for l in levels):
            rec["levels"] = levels
        self.log["lists"].append(rec)

    def table(self, b):
        pdf, cfg = self.pdf, self.cfg
        rows = b["rows"]
        widths = [float(x) for x in b["opts"]["widths"].split(",")] if "widths" in b["opts"] else None
        size = float(b["opts"].get("size", cfg["size"] - 1))
        self.ensure(len(rows) * (size * 0.5 + 3) + 8)
        page = pdf.page_no()
        pdf.set_font(pdf.body, "", size)
        pdf.set_draw_color(120, 120, 120)
        kw = dict(headings_style=FontFace(emphasis="BOLD", fill_color=(225, 230, 238)),
                  line_height=size * 0.5, text_align="LEFT", first_row_as_headings=True,
                  padding=1.2)
        if widths:
            kw["col_widths"] = widths
            kw["width"] = sum(widths)
            kw["align"] = "LEFT"
        if widths:
            for r_i, r in enumerate(rows):
                pdf.set_font(pdf.body, "B" if r_i == 0 else "", size)
                for c, w in zip(r, widths):
                    for word in c.split():
                        if pdf.get_string_width(word) > w - 2 * 1.2:
                            raise SystemExit(f"table word {word!r} too wide for column of {w} mm")
            pdf.set_font(pdf.body, "", size)
        with pdf.table(**kw) as tab:
            for r in rows:
                row = tab.row()
                for c in r:
                    row.cell(c)
        if pdf.page_no() != page:
            raise SystemExit("table split across pages")
        pdf.ln(cfg["para_after"] + 1)
        self.font()
        self.log["tables"].append({"page": page, "header": rows[0], "rows": rows[1:], "section": self.section()})

    def caption(self, text):
        pdf = self.pdf
        self.ensure(8)
        page = pdf.page_no()
        pdf.set_font(pdf.body, "I", self.cfg["size"] - 1.5)
        pdf.multi_cell(0, 4.2, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
        self.font()
        kind = "figure" if text.startswith("Figuur") else "table" if text.startswith("Tabel") else "other"
        self.log["captions"].append({"page": page, "text": text, "kind": kind})

    def figure(self, arg):
        pdf = self.pdf
        h, cap = (s.strip() for s in arg.split("|", 1))
        h = float(h)
        self.ensure(h + 14)
        x, y, w = pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.l_margin - pdf.r_margin
        pdf.set_draw_color(110, 110, 110)
        pdf.set_fill_color(238, 240, 236)
        pdf.rect(x, y, w, h, style="DF")
        # a few map-like strokes and a marked plan area, no text
        pdf.set_draw_color(170, 170, 170)
        for k in range(1, 6):
            pdf.line(x + 4, y + h * k / 6, x + w - 4, y + h * k / 6 - 6 + (k % 3) * 4)
        pdf.set_draw_color(190, 40, 40)
        pdf.set_line_width(0.8)
        pdf.rect(x + w * 0.42, y + h * 0.3, w * 0.18, h * 0.35)
        pdf.set_line_width(0.2)
        pdf.set_y(y + h + 2)
        self.caption(cap)

    def toc(self, toc_pages):
        pdf, cfg = self.pdf, self.cfg
        page = pdf.page_no()
        self.font("B", 13)
        pdf.cell(0, 7, cfg.get("toc_title", "Inhoud"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        heads = [b for b in self.blocks if b["t"] == "h" and b["level"] <= cfg["toc_depth"]]
        lines = []
        width = pdf.w - pdf.l_margin - pdf.r_margin
        for k, b in enumerate(heads):
            num, title = split_heading(b["text"])
            text = f"{num} {title}" if num else title
            pg = toc_pages[k] if toc_pages else 0
            ind = 6 * (b["level"] - 1)
            self.font("B" if b["level"] == 1 else "", cfg["size"])
            pdf.set_x(pdf.l_margin + ind)
            avail = width - ind - 12
            tw = pdf.get_string_width(text + " ")
            dots = "." * max(3, int((avail - tw) / pdf.get_string_width(".")))
            pdf.cell(avail, cfg["leading"] + 0.6, f"{text} {dots}")
            pdf.cell(12, cfg["leading"] + 0.6, str(pg), align="R", new_x="LMARGIN", new_y="NEXT")
            lines.append({"text": text, "page": pg})
        pdf.ln(4)
        self.font()
        self.log["toc"] = {"page": page, "lines": lines}

    def columns(self, blocks):
        pdf, cfg = self.pdf, self.cfg
        page = pdf.page_no()
        with pdf.text_columns(ncols=2, gutter=8, text_align="LEFT", line_height=1.15, balance=True) as cols:
            for b in blocks:
                if b["t"] == "h":
                    hc = cfg["headings"][b["level"]]
                    self.font("B", hc["size"])
                    num, title = split_heading(b["text"])
                    htext = f"{num} {title}" if num else title
                    with cols.paragraph(text_align="LEFT", top_margin=1.5, bottom_margin=1.2) as par:
                        par.write(htext)
                    self.font()
                    self.stack[b["level"]] = htext
                    for k in range(b["level"] + 1, len(self.stack)):
                        self.stack[k] = None
                    self.log["headings"].append({"text": htext, "level": b["level"], "page": page})
                elif b["t"] == "p":
                    self.font()
                    with cols.paragraph(text_align="LEFT", bottom_margin=2) as par:
                        par.write(b["text"])
                    self.log["paragraphs"].append({"start": words_start(b["text"]), "page": page,
                                                   "section": self.section()})
                else:
                    raise SystemExit("only headings and paragraphs inside !columns")
        if pdf.page_no() != page:
            raise SystemExit("two-column section ran over its page")
        self.log["two_column_page"] = page


# ----------------------------------------------------------------- verification
def norm(s: str) -> str:
    s = s.replace("\u00ad", "")
    s = re.sub(r"(\w)-[ \t\u00a0]*\n[ \t\u00a0]*(\w)", r"\1\2", s)
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


def page_texts(pdf_path):
    r = PdfReader(str(pdf_path))
    return [norm(p.extract_text() or "") for p in r.pages], r


def check_record(pdf_path, rec):
    """Locate every logged item on its logged page of the pypdf extraction."""
    texts, reader = page_texts(pdf_path)
    errs = []

    def on(page, s, what):
        s = norm(s)
        if not s:
            return
        if not (1 <= page <= len(texts)) or s not in texts[page - 1]:
            found = [i + 1 for i, t in enumerate(texts) if s in t]
            errs.append(f"{what}: {s[:60]!r} not on page {page} (found on {found})")

    for h in rec["headings"]:
        on(h["page"], h["text"], "heading")
    for p in rec["paragraphs"]:
        on(p["page"], p["start"], "paragraph")
    for l in rec["lists"]:
        if l["lead_in"]:
            pass  # lead-ins are checked as paragraphs
        for it, pg in zip(l["items"], l["item_pages"]):
            on(pg, " ".join(it.split()[:8]), "list item")
    for t in rec["tables"]:
        for c in t["header"] + [c for r in t["rows"] for c in r]:
            on(t["page"], c, "table cell")
    for c in rec["captions"]:
        on(c["page"], c["text"], "caption")
    for f in rec["footnotes"]:
        on(f["page"], f["text"], "footnote")
    if rec.get("toc"):
        for line in rec["toc"]["lines"]:
            on(rec["toc"]["page"], line["text"], "toc line")
    for k, ft in enumerate(rec["footer_texts"]):
        on(k + 1, ft, "footer")
    for p in range(1, len(texts) + 1):
        for ht in rec["header_texts"]:
            on(p, ht, "header")
    has_outline = bool(reader.outline)
    if has_outline != rec["outline"]:
        errs.append(f"outline flag {rec['outline']} but PDF outline present={has_outline}")
    if len(texts) != rec["pages"]:
        errs.append(f"page count {len(texts)} != {rec['pages']}")
    return errs


# ----------------------------------------------------------------- building
def render_doc(cfg, blocks, footnotes, meta):
    r = Renderer(cfg, blocks, footnotes)
    data1, log1 = r.render(meta)
    toc_pages = [h["page"] for h in log1["headings"] if h["level"] <= cfg["toc_depth"]]
    data2, log2 = r.render(meta, total_pages=log1["pages"], toc_pages=toc_pages)
    if [h["page"] for h in log2["headings"]] != [h["page"] for h in log1["headings"]] or log1["pages"] != log2["pages"]:
        raise SystemExit("layout changed between passes")
    return data2, log2


def to_expected(log, outline, duplicate_of=None):
    exp = {
        "pages": log["pages"],
        "title": log["title"],
        "headings": log["headings"],
        "paragraphs": log["paragraphs"],
        "lists": [{k: v for k, v in l.items()} for l in log["lists"]],
        "tables": log["tables"],
        "toc": log["toc"],
        "leeswijzer": log["leeswijzer"],
        "header_texts": log["header_texts"],
        "footer_texts": log["footer_texts"],
        "footnotes": log["footnotes"],
        "captions": log["captions"],
        "two_column_page": log["two_column_page"],
        "outline": outline,
        "front_matter": log["front_matter"],
        "duplicate_of": duplicate_of,
    }
    return exp


def build_corpus(name):
    cdir = HERE / name
    (cdir / "pdf").mkdir(exist_ok=True)
    expected = {}
    problems = []
    for src in sorted((cdir / "src").glob("*.md")):
        cfg, blocks, footnotes = parse_src(src)
        meta = cfg.get("meta", {})
        data, log = render_doc(cfg, blocks, footnotes, meta)
        out = cdir / "pdf" / cfg["file"]
        out.write_bytes(data)
        exp = to_expected(log, bool(cfg.get("outline")))
        expected[cfg["id"]] = exp
        errs = check_record(out, exp)
        problems += [f"{name}/{cfg['id']}: {e}" for e in errs]
        for cp in cfg.get("copies", []):
            dst = cdir / "pdf" / cp["file"]
            if cp["mode"] == "exact":
                dst.write_bytes(data)
            elif cp["mode"] == "rerender":
                m2 = {**meta, **cp.get("meta", {})}
                d2, log2 = render_doc(cfg, blocks, footnotes, m2)
                dst.write_bytes(d2)
                if [p["page"] for p in log2["paragraphs"]] != [p["page"] for p in log["paragraphs"]]:
                    raise SystemExit("rerender changed layout")
            else:
                raise SystemExit(f"unknown copy mode {cp['mode']}")
            e2 = copy.deepcopy(exp)
            e2["duplicate_of"] = cfg["id"]
            e2["duplicate_mode"] = cp["mode"]
            expected[cp["id"]] = e2
            problems += [f"{name}/{cp['id']}: {e}" for e in check_record(dst, e2)]
        print(f"{name}: {cfg['id']}: {log['pages']} pages, {out.stat().st_size // 1024} KB")
    (cdir / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    check_yaml(cdir, expected, problems)
    return problems


def check_yaml(cdir, expected, problems):
    cy = yaml.safe_load((cdir / "corpus.yaml").read_text(encoding="utf-8")) if (cdir / "corpus.yaml").exists() else None
    if not cy:
        problems.append(f"{cdir.name}: corpus.yaml missing")
        return
    ids = {d["id"] for d in cy["documents"]}
    if ids != set(expected):
        problems.append(f"{cdir.name}: corpus.yaml ids {sorted(ids ^ set(expected))} differ from built docs")
    for d in cy["documents"]:
        if not (cdir / d["file"]).exists():
            problems.append(f"{cdir.name}: missing {d['file']}")


def verify_sets(problems):
    for name in CORPORA:
        cdir = HERE / name
        cy = yaml.safe_load((cdir / "corpus.yaml").read_text(encoding="utf-8"))
        files = {d["id"]: cdir / d["file"] for d in cy["documents"]}
        cache = {}
        set_path = SETS / f"{name}.jsonl"
        if not set_path.exists():
            problems.append(f"{set_path} missing")
            continue
        ids = set()
        for n, line in enumerate(set_path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            item = json.loads(line)
            if item["id"] in ids:
                problems.append(f"{set_path.name}:{n}: duplicate id {item['id']}")
            ids.add(item["id"])
            for g in item.get("gold", []):
                if g["doc"] not in files:
                    problems.append(f"{set_path.name}:{item['id']}: unknown doc {g['doc']}")
                    continue
                if g["doc"] not in cache:
                    cache[g["doc"]] = " ".join(page_texts(files[g["doc"]])[0])
                q = norm(g["quote"])
                if len(q.split()) < 6:
                    problems.append(f"{set_path.name}:{item['id']}: quote shorter than 6 words")
                if q not in cache[g["doc"]]:
                    problems.append(f"{set_path.name}:{item['id']}: quote not in {g['doc']}: {q[:70]!r}")
            if item["type"] == "unanswerable" and item.get("gold"):
                problems.append(f"{set_path.name}:{item['id']}: unanswerable with gold")


def verify_only(names, problems):
    for name in names:
        cdir = HERE / name
        expected = json.loads((cdir / "expected.json").read_text(encoding="utf-8"))
        cy = yaml.safe_load((cdir / "corpus.yaml").read_text(encoding="utf-8"))
        for d in cy["documents"]:
            problems += [f"{name}/{d['id']}: {e}" for e in check_record(cdir / d["file"], expected[d["id"]])]
        check_yaml(cdir, expected, problems)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", default="build", choices=["build", "verify"])
    ap.add_argument("--corpus", choices=CORPORA)
    args = ap.parse_args()
    names = [args.corpus] if args.corpus else CORPORA
    problems = []
    if args.command == "build":
        for n in names:
            problems += build_corpus(n)
    else:
        verify_only(names, problems)
        verify_sets(problems)
    for p in problems:
        print("PROBLEM:", p)
    if problems:
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
