"""Export current values to .csv (UTF-8 with BOM, so Excel opens the Chinese correctly) or .xlsx.

Cells are neutralised against formula injection: a text cell beginning with =, +, -, @, a tab or a
carriage return gets a leading single quote, so a spreadsheet shows it instead of running it.
Numbers stay numbers (a negative growth rate is -3.2, not '-3.2), and text that is a plain number
("-3.2") is left as it is: no spreadsheet runs it.

The XLSX is a sheet a statistician reads as it opens: a bold, frozen header row with a filter,
columns as wide as their contents, numbers with thousands separators (years and versions without),
是/否 for flags, times in Beijing time with the zone named in the header, and the basis in Chinese
(年初至今累计, not 'ytd'). The CSV keeps codes, 1/0 and UTC: it is for programs, and backups compare
its bytes.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from etl.periods import BASIS_NAMES, basis_of
from etl.wording.catalogue import both, t
from etl.wording.times import LOCAL_ZONE, local_time

# the zone of the XLSX's times: China has one zone and no summer time (stored times are UTC)

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")

# (key in a queries.current_observations row, column header)
OBSERVATION_COLUMNS = tuple(
    (key, both(f"export.col.{key}", sep=" ", zone="UTC"))
    for key in ("indicator_code", "indicator_zh", "region_code", "region_zh", "year", "quarter", "basis",
                "period_zh", "value", "unit", "version", "batch_id", "file_name", "sheet", "cell", "raw_value",
                "notes", "loaded_by", "loaded_at", "is_demo", "is_reference"))
# the XLSX's headers where they differ from the CSV's
XLSX_TITLES = {"loaded_at": both("export.col.loaded_at", sep=" ", zone=LOCAL_ZONE.tzname(None))}


def neutralise(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet (see the module docstring)."""
    if not isinstance(value, str) or not value.startswith(_DANGEROUS_START):
        return value
    if _PLAIN_NUMBER.match(value):
        return value
    return "'" + value


def _cell(value: Any, fmt: str) -> Any:
    if isinstance(value, bool):
        return int(value) if fmt == "csv" else t("export.yes" if value else "export.no", "zh")
    if isinstance(value, dt.datetime):
        if fmt == "csv":
            return value.isoformat(sep=" ", timespec="seconds")
        return local_time(value)
    if value is None:
        return ""
    return neutralise(value)


def _number_format(value: Any) -> Optional[str]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "yyyy-mm-dd hh:mm" if isinstance(value, dt.datetime) else None
    if float(value).is_integer():
        # years, quarters, versions and batch numbers without a thousands separator
        return "0" if abs(value) < 10000 else "#,##0"
    return "#,##0.0###"


def _width(value: Any) -> int:
    """Characters a cell takes on screen: a Chinese character counts two."""
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, float):
        text = f"{value:,.4f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    return sum(2 if ord(ch) > 0x2e80 else 1 for ch in text)


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """The XLSX described in the module docstring: cells neutralised, header frozen and filtered,
    widths from the header and the first 2,000 rows (at most 60 characters), number formats."""
    cells = [[_cell(v, "xlsx") for v in row] for row in rows]
    titles = [_cell(h, "xlsx") for h in header]
    widths = [_width(h) for h in titles]
    for row in cells[:2000]:
        for index, value in enumerate(row[:len(widths)]):
            widths[index] = max(widths[index], _width(value))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(both("export.sheet", sep=" "))
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
    if titles:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{len(cells) + 1}"
    bold, top = Font(bold=True), Alignment(vertical="top", wrap_text=True)
    head = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.alignment = bold, top
        head.append(cell)
    sheet.append(head)
    for row in cells:
        out = []
        for value in row:
            fmt = _number_format(value)
            if fmt is None:
                out.append(value)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = fmt
            out.append(cell)
        sheet.append(out)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str) -> bytes:
    """A header and rows as CSV (UTF-8 with BOM) or XLSX bytes, every cell neutralised."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([_cell(h, fmt) for h in header])
        for row in rows:
            writer.writerow([_cell(v, fmt) for v in row])
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        return xlsx_bytes(header, rows)
    raise ValueError(f"unknown export format {fmt!r}: use csv or xlsx")


def _shown(row: dict, key: str) -> Any:
    """The basis column writes the basis users read (etl.periods.basis_of: 'eop' for a stock or a
    rate at the period's end, whose stored basis is 'ytd'); the period its label (period_zh)."""
    if key == "basis" and row.get("year") is not None:
        return basis_of(row, row.get("kind"))
    return row.get(key)


def observation_table(rows: Iterable[dict], *, readable: bool = False
                      ) -> tuple[list[str], list[list[Any]]]:
    """Rows of etl.store.queries.current_observations -> (header, rows) in OBSERVATION_COLUMNS order.
    readable=True (the XLSX): the basis in Chinese words, the headers of XLSX_TITLES."""
    header = [XLSX_TITLES.get(key, title) if readable else title for key, title in OBSERVATION_COLUMNS]

    def shown(row: dict, key: str) -> Any:
        value = _shown(row, key)
        if readable and key == "basis" and value in BASIS_NAMES:
            return BASIS_NAMES[value][0]
        return value

    return header, [[shown(row, key) for key, _ in OBSERVATION_COLUMNS] for row in rows]


def export_rows(rows, path, fmt: Optional[str] = None):
    """Write observation rows (dicts from etl.store.queries.current_observations) to `path`; the format
    is the path's suffix (.csv or .xlsx). Returns the number of rows written.

    Also callable as export_rows(header, rows, fmt) -> bytes (the dashboard's download), which is
    table_bytes.
    """
    if fmt is not None:
        return table_bytes(rows, path, fmt)
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("csv", "xlsx"):
        raise ValueError(f"unknown export format {path.suffix!r}: use .csv or .xlsx")
    rows = list(rows)
    header, table = observation_table(rows, readable=suffix == "xlsx")
    path.write_bytes(table_bytes(header, table, suffix))
    return len(rows)
