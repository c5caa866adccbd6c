"""An XLSX copy of an uploaded file with every faulty cell highlighted and commented.

    annotated_xlsx(data, file_name, problems) -> bytes

Pure: bytes and the report's problems (dicts with sheet, cell, code, severity, raw, message_zh,
message_en, as Problem.to_dict() gives them) in, XLSX bytes out. An .xlsx of moderate size is
annotated in place, so the analyst keeps its layout; a .csv, an .xls, or a very large .xlsx is first
copied cell by cell (the grid etl.read.files parsed) into a new workbook. A first sheet, 校验报告 Report,
lists every problem with a link to its cell, including those that have no cell (file-level).
Texts are written as text, never as formulas, so a cell that says "=HYPERLINK(...)" stays inert.
"""
from __future__ import annotations

import io
import logging
import re
from collections import defaultdict
from typing import Any, Iterable, Mapping

from openpyxl import Workbook as XlsxWorkbook
from openpyxl import load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

from etl.read.files import read_workbook
from etl.wording.catalogue import both, pair, t

REPORT_SHEET = both("annotate.sheet", sep=" ")
IN_PLACE_MAX_CELLS = 1_000_000  # above this, openpyxl's full load costs too much memory
FILLS = {
    "error": PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFEB9C"),
    "info": PatternFill("solid", fgColor="DDEBF7"),
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
REPORT_COLUMNS = tuple(both(f"annotate.col.{c}", sep=" ") for c in ("severity", "sheet", "cell", "code", "value",
                                                                    "message")) + ("Message (English)",)
log = logging.getLogger(__name__)
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def annotated_xlsx(data: bytes, file_name: str, problems: Iterable[Mapping[str, Any]]) -> bytes:
    problems = sorted((dict(p) for p in problems),
                      key=lambda p: SEVERITY_ORDER.get(p.get("severity") or "", 3))
    workbook = read_workbook(data, file_name)  # size, zip-bomb and type checks happen here
    cells = sum(len(row) for sheet in workbook.sheets for row in sheet.rows)
    if workbook.format == "xlsx" and cells <= IN_PLACE_MAX_CELLS:
        try:
            return _annotate_in_place(data, problems)
        except Exception:  # noqa: BLE001 - a file calamine reads but openpyxl cannot: copy the grid
            log.warning("openpyxl could not annotate %s in place; writing a copy of its grid",
                        file_name, exc_info=True)
    return _annotate_grid(workbook, problems)


def comment_text(items: list[Mapping[str, Any]]) -> str:
    lines = []
    for p in items:
        lines.append(f"[{p.get('code', '')}] {p.get('message_zh', '')}")
        if p.get("message_en"):
            lines.append(p["message_en"])
        if p.get("fix_zh"):  # the catalogue's "how to fix" line (etl.checks.problems)
            lines.append(both("annotate.fix", fix_zh=p["fix_zh"], fix_en=p.get("fix_en", "")))
    return "\n".join(lines)


def worst(items: list[Mapping[str, Any]]) -> str:
    return min((p.get("severity") or "info" for p in items),
               key=lambda s: SEVERITY_ORDER.get(s, 3))


def by_cell(problems: list[dict]) -> dict[tuple[str, str], list[dict]]:
    grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for p in problems:
        if p.get("sheet") and p.get("cell"):
            grouped[(p["sheet"], p["cell"].replace("$", "").upper())].append(p)
    return grouped


def _comment(items: list[dict]) -> Comment:
    comment = Comment(comment_text(items), t("annotate.author", "zh"))
    comment.width, comment.height = 320, 40 + 30 * len(items)
    return comment


def _annotate_in_place(data: bytes, problems: list[dict]) -> bytes:
    book = load_workbook(io.BytesIO(data))  # defusedxml is installed: openpyxl parses safely
    titles = {ws.title: ws.title for ws in book.worksheets}
    for (sheet, cell), items in by_cell(problems).items():
        if sheet not in titles:
            continue
        target = book[sheet][cell]
        target.fill = FILLS.get(worst(items), FILLS["info"])
        target.comment = _comment(items)
    _report_sheet(book, problems, titles)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _safe_title(name: str, taken: set[str]) -> str:
    base = _BAD_TITLE.sub("_", name).strip("'")[:31] or "Sheet"
    title, n = base, 2
    while title in taken:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def _annotate_grid(workbook, problems: list[dict]) -> bytes:
    book = XlsxWorkbook(write_only=True)
    grouped = by_cell(problems)
    per_sheet: dict[str, dict[tuple[int, int], list[dict]]] = defaultdict(dict)
    for (sheet, cell), items in grouped.items():
        letters, row = coordinate_from_string(cell)
        per_sheet[sheet][(row, column_index_from_string(letters))] = items
    taken = {REPORT_SHEET}
    titles = {sheet.name: _safe_title(sheet.name, taken) for sheet in workbook.sheets}
    _report_sheet(book, problems, titles)
    for sheet in workbook.sheets:
        ws = book.create_sheet(titles[sheet.name])
        marks = per_sheet.get(sheet.name, {})
        width = max([len(r) for r in sheet.rows] + [c for _, c in marks] + [0])
        last_row = max([len(sheet.rows)] + [r for r, _ in marks])
        for r in range(1, last_row + 1):
            row = sheet.rows[r - 1] if r <= len(sheet.rows) else []
            out_row = []
            for c in range(1, width + 1):
                value = row[c - 1] if c <= len(row) else None
                cell = _text_cell(ws, value)
                items = marks.get((r, c))
                if items:
                    cell.fill = FILLS.get(worst(items), FILLS["info"])
                    cell.comment = _comment(items)
                out_row.append(cell)
            while out_row and out_row[-1].value in (None, "") and not out_row[-1].comment:
                out_row.pop()
            ws.append(out_row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_cell(ws, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=None if value == "" else value)
    if isinstance(value, str) and value:
        cell.data_type = "s"  # never a formula
    return cell


def _report_sheet(book, problems: list[dict], titles: Mapping[str, str]) -> None:
    """The first sheet: every problem, with a link to its cell when it has one."""
    write_only = getattr(book, "write_only", False)
    ws = book.create_sheet(REPORT_SHEET) if write_only else book.create_sheet(REPORT_SHEET, 0)
    rows = [(list(REPORT_COLUMNS), None, True)]
    for p in problems:
        values = [p.get("severity") or "", p.get("sheet") or "", p.get("cell") or "",
                  p.get("code") or "", "" if p.get("raw") is None else str(p.get("raw")),
                  p.get("message_zh") or "", p.get("message_en") or ""]
        sheet, ref = p.get("sheet"), p.get("cell")
        link = f"'{titles[sheet]}'!{ref}" if sheet in titles and ref else None
        rows.append((values, link, False))
    if not problems:
        rows.append((["", "", "", "", "", *pair("annotate.none")], None, False))
    for r, (values, link, is_header) in enumerate(rows, start=1):
        cells = [_text_cell(ws, v) if write_only else ws.cell(r, c, None)
                 for c, v in enumerate(values, start=1)]
        for cell, value in zip(cells, values):
            if not write_only:
                cell.value = value or None
                if isinstance(value, str) and value:
                    cell.data_type = "s"
            if is_header:
                cell.font = Font(bold=True)
        if link:
            cells[2].hyperlink = Hyperlink(ref=f"C{r}", location=link, display=values[2])
            cells[2].font = Font(color="0563C1", underline="single")
        if write_only:
            ws.append(cells)
