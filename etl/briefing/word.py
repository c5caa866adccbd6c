"""The briefing as an editable Word file (python-docx): real headings (Heading 1), tables with a
repeated header row, captions in Word's Caption style (tables above, figures below, as Chinese
official documents place them), A4, a running head with the quarter and 内部资料 (and the demo
mark, so it is on every page), page numbers as Word fields, and the Chinese font declared for
East Asian text (w:eastAsia) in every style used, so that Word does not fall back to a Latin font.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from etl.briefing.document import Briefing, Figure, Table
from etl.wording import t

# Word's names of the fonts on an office PC; LibreOffice and WPS map them to what they have
BODY_FONT = {"zh": ("宋体", "Times New Roman"), "en": ("宋体", "Calibri")}
HEAD_FONT = {"zh": ("黑体", "Arial"), "en": ("黑体", "Calibri")}
RED = RGBColor(0xB0, 0x00, 0x00)
TEXT_WIDTH_MM = 170


def _fonts(style_or_run, east_asian: str, latin: str) -> None:
    """Latin and East Asian font of a style or run (python-docx sets only the Latin one)."""
    style_or_run.font.name = latin
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)  # a theme font would win over the fonts named here
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the document out."""
    run = paragraph.add_run()
    begin, text, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {code} "
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    trpr.append(mark)


def _styles(doc, lang: str) -> None:
    body, head = BODY_FONT[lang], HEAD_FONT[lang]
    normal = doc.styles["Normal"]
    _fonts(normal, *body)
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.3
    for name, size in (("Title", 20), ("Heading 1", 15), ("Caption", 10)):
        style = doc.styles[name]
        _fonts(style, *(head if name != "Caption" else body))
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Caption"].font.bold = True
    doc.styles["Caption"].font.italic = False
    doc.styles["Heading 1"].paragraph_format.space_before = Pt(12)


def _page(doc, b: Briefing) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    head = section.header.paragraphs[0]
    if b.demo_mark:
        mark = head.add_run(b.demo_mark + "    ")
        mark.font.color.rgb = RED
        mark.font.bold = True
    head.add_run(b.header)
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in head.runs:
        run.font.size = Pt(9)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, between, after = _page_words(b.lang)
    foot.add_run(before)
    _field(foot, "PAGE")
    foot.add_run(between)
    _field(foot, "NUMPAGES")
    foot.add_run(after)


def _page_words(lang: str) -> tuple[str, str, str]:
    """'第 {page} 页 / 共 {pages} 页' split around the two fields."""
    text = t("briefing.page", lang, page="\0", pages="\1")
    before, rest = text.split("\0")
    between, after = rest.split("\1")
    return before, between, after


def _table(doc, table: Table) -> None:
    doc.add_paragraph(table.caption, style="Caption").paragraph_format.keep_with_next = True
    grid = doc.add_table(rows=1, cols=len(table.header))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = table.widths or (1.0,) * len(table.header)
    total = sum(widths)
    mm = [Mm(TEXT_WIDTH_MM * w / total) for w in widths]
    for cell, text, width in zip(grid.rows[0].cells, table.header, mm):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(9)
        cell.width = width
    _repeat_header(grid.rows[0])
    for row in table.rows:
        cells = grid.add_row().cells
        for i, (cell, text, width) in enumerate(zip(cells, row, mm)):
            cell.text = ""
            cell.paragraphs[0].add_run(text).font.size = Pt(9)
            if i in table.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            cell.width = width
    if table.note:
        doc.add_paragraph(table.note).runs[0].font.size = Pt(9)


def _figure(doc, figure: Figure, png: bytes) -> None:
    width = Mm(TEXT_WIDTH_MM if figure.ident != "map" else 130)
    doc.add_picture(io.BytesIO(png), width=width)
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    doc.add_paragraph(figure.caption, style="Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER


def render(b: Briefing, images: dict[str, bytes]) -> bytes:
    doc = Document()
    _styles(doc, b.lang)
    _page(doc, b)
    doc.core_properties.title = f"{b.title} {b.subtitle}"
    doc.core_properties.author = t("briefing.author", b.lang)
    doc.core_properties.keywords = t("briefing.internal", b.lang)
    doc.add_paragraph(b.title, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = doc.add_paragraph(b.subtitle)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if b.demo_mark:
        mark = doc.add_paragraph().add_run(t("briefing.demo_note", b.lang))
        mark.font.color.rgb = RED
        mark.bold = True
    for section in b.sections:
        doc.add_heading(section.heading, level=1)
        for block in section.blocks:
            if isinstance(block, Table):
                _table(doc, block)
            elif isinstance(block, Figure):
                if block.ident in images:
                    _figure(doc, block, images[block.ident])
            else:
                doc.add_paragraph(block)
    made = doc.add_paragraph(b.made)
    made.runs[0].font.size = Pt(8)
    made.runs[0].font.color.rgb = RGBColor(0x66, 0x66, 0x66)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
