"""The briefing as a PDF for reading and printing: HTML printed by the machine's headless Chromium
(the one Kaleido drives for the figures, Debian's chromium with fonts-noto-cjk; Kaleido finds it,
or the setting CHROMIUM_PATH / BROWSER_PATH), offline: the figures are PNGs in the page, nothing is fetched.

A4; the running head (quarter, 内部资料, and the demo mark in red when any value is demo data) and
the page numbers are CSS page-margin boxes (@page @top-left / @top-right / @bottom-center, with
counter(page) and counter(pages)), so they are on every page; Chromium embeds the subset of the
Noto CJK fonts it used. Tables repeat their header row on a new page and keep rows whole. The
printed file's ToUnicode tables are then corrected (pdf_text.py: 目, not the Kangxi radical ⽬).
"""
from __future__ import annotations

import asyncio
import base64
import html
import tempfile
from pathlib import Path

from etl.briefing import pdf_text
from etl.briefing.document import Briefing, Figure, Table
from etl.wording import t

TIMEOUT_SECONDS = 60


class PdfError(RuntimeError):
    pass


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page_counter(lang: str) -> str:
    """'第 {page} 页 / 共 {pages} 页' as a CSS content value with the page counters."""
    text = t("briefing.page", lang, page="\0", pages="\1")
    before, rest = text.split("\0")
    between, after = rest.split("\1")
    return f"{_css_string(before)} counter(page) {_css_string(between)} counter(pages) {_css_string(after)}"


CSS = """
@page {
  size: A4; margin: 22mm 18mm 20mm 18mm;
  @top-left { content: %(demo)s; color: #b00000; font: bold 9pt "Noto Sans CJK SC", sans-serif; }
  @top-right { content: %(header)s; color: #333; font: 9pt "Noto Sans CJK SC", sans-serif; }
  @bottom-center { content: %(pages)s; color: #333; font: 9pt "Noto Sans CJK SC", sans-serif; }
}
html { font-family: %(body_font)s; font-size: 10.5pt; line-height: 1.6; color: #111; }
h1 { font: bold 20pt "Noto Sans CJK SC", sans-serif; text-align: center; margin: 0 0 2mm; }
.subtitle { text-align: center; font-size: 12pt; margin: 0 0 5mm; }
h2 { font: bold 14pt "Noto Sans CJK SC", sans-serif; margin: 6mm 0 2mm; break-after: avoid; }
p { margin: 0 0 2.5mm; text-align: justify; }
.demo { color: #b00000; font-weight: bold; border: 1px solid #b00000; padding: 1.5mm 3mm; }
.caption { font: bold 9.5pt "Noto Sans CJK SC", sans-serif; text-align: center; margin: 3mm 0 1.5mm; break-after: avoid; }
figure { margin: 2mm 0 4mm; break-inside: avoid; text-align: center; }
figure img { max-width: 100%%; }
figure.map img { width: 75%%; }
figure .caption { margin-top: 1mm; }
table { width: 100%%; border-collapse: collapse; table-layout: fixed; font: 8.5pt/1.35 "Noto Sans CJK SC", sans-serif; margin-bottom: 2mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.6pt solid #666; padding: 1.2mm 1.5mm; vertical-align: top; overflow-wrap: anywhere; }
th { background: #e8eef6; text-align: left; }
td.num { text-align: right; }
.note { font-size: 8.5pt; color: #444; }
.made { font-size: 8pt; color: #666; margin-top: 6mm; }
"""


def _table(table: Table) -> str:
    widths = table.widths or (1.0,) * len(table.header)
    total = sum(widths)
    cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in widths)
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table.header)
    body = "".join("<tr>" + "".join(
        f'<td{" class=num" if i in table.numeric else ""}>{html.escape(c)}</td>' for i, c in enumerate(row))
        + "</tr>" for row in table.rows)
    note = f'<p class="note">{html.escape(table.note)}</p>' if table.note else ""
    return (f'<div class="caption">{html.escape(table.caption)}</div>'
            f'<table id="table-{table.ident}"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>{note}")


def _figure(figure: Figure, png: bytes) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure class="{figure.ident}"><img alt="" src="data:image/png;base64,{data}">'
            f'<div class="caption">{html.escape(figure.caption)}</div></figure>')


def to_html(b: Briefing, images: dict[str, bytes]) -> str:
    css = CSS % dict(demo=_css_string(b.demo_mark or ""), header=_css_string(b.header),
                     pages=_page_counter(b.lang),
                     body_font=('"Noto Serif CJK SC", serif' if b.lang == "zh" else  # Latin quotes from a Latin font
                                '"Liberation Serif", "DejaVu Serif", "Noto Serif CJK SC", serif'))
    parts = [f'<h1>{html.escape(b.title)}</h1><p class="subtitle">{html.escape(b.subtitle)}</p>']
    if b.demo_mark:
        parts.append(f'<p class="demo">{html.escape(t("briefing.demo_note", b.lang))}</p>')
    for section in b.sections:
        parts.append(f"<h2>{html.escape(section.heading)}</h2>")
        for block in section.blocks:
            if isinstance(block, Table):
                parts.append(_table(block))
            elif isinstance(block, Figure):
                if block.ident in images:
                    parts.append(_figure(block, images[block.ident]))
            else:
                parts.append(f"<p>{html.escape(block)}</p>")
    parts.append(f'<p class="made">{html.escape(b.made)}</p>')
    lang = "zh-CN" if b.lang == "zh" else "en"
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(b.title)}</title>'
            f"<style>{css}</style></head><body>{''.join(parts)}</body></html>")


async def print_pdf(browser, b: Briefing, images: dict[str, bytes]) -> bytes:
    """Print the briefing's HTML to PDF in a new tab of `browser` (the Chromium Kaleido drove for
    the figures: no second browser start), through the DevTools protocol's Page.printToPDF with
    the page's own CSS page size and margin boxes."""
    with tempfile.TemporaryDirectory(prefix="briefing-") as tmp:
        page = Path(tmp) / "briefing.html"
        page.write_text(to_html(b, images), encoding="utf-8")
        tab = await browser.create_tab("")
        try:
            await tab.send_command("Page.enable")
            loaded = tab.subscribe_once("Page.loadEventFired")
            await tab.send_command("Page.navigate", params={"url": page.as_uri()})
            await asyncio.wait_for(loaded, TIMEOUT_SECONDS)
            answer = await tab.send_command("Page.printToPDF", params=dict(
                preferCSSPageSize=True, printBackground=True, displayHeaderFooter=False))
        finally:
            await browser.close_tab(tab)
    if "result" not in answer or not answer["result"].get("data"):
        raise PdfError(f"Chromium printed no PDF: {str(answer.get('error'))[:300]}")
    # the text layer: ideographs where Chromium's ToUnicode named the radicals sharing their glyphs
    return await asyncio.to_thread(pdf_text.fix_text, base64.b64decode(answer["result"]["data"]))
