"""Export current values to .csv (UTF-8 with BOM, so Excel opens the Chinese correctly) or .xlsx.

Cells are neutralised against formula injection: a text cell beginning with =, +, -, @, a tab or a
carriage return gets a leading single quote, so a spreadsheet shows it instead of running it.
Numbers stay numbers (a negative growth rate is -3.2, not '-3.2), and text that is a plain number
("-3.2") is left as it is: no spreadsheet runs it.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from openpyxl import Workbook

from etl.periods import basis_of

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")

# (key in a queries.current_observations row, column header)
OBSERVATION_COLUMNS = (
    ("indicator_code", "指标代码 indicator"),
    ("indicator_zh", "指标 indicator name"),
    ("region_code", "地区代码 region"),
    ("region_zh", "地区 region name"),
    ("year", "年 year"),
    ("quarter", "季度 quarter (0=全年 year)"),
    ("basis", "口径 basis"),
    ("period_zh", "期间 period"),
    ("value", "数值 value"),
    ("unit", "单位 unit"),
    ("version", "版本 version"),
    ("batch_id", "批次 batch"),
    ("file_name", "文件 file"),
    ("sheet", "工作表 sheet"),
    ("cell", "单元格 cell"),
    ("raw_value", "原始值 raw value"),
    ("loaded_by", "载入人 loaded by"),
    ("loaded_at", "载入时间 loaded at (UTC)"),
    ("is_demo", "演示数据 demo"),
    ("is_reference", "公开发布数据 reference"),
)


def neutralise(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet (see the module docstring)."""
    if not isinstance(value, str) or not value.startswith(_DANGEROUS_START):
        return value
    if _PLAIN_NUMBER.match(value):
        return value
    return "'" + value


def _cell(value: Any, fmt: str) -> Any:
    if isinstance(value, bool):
        return int(value) if fmt == "csv" else value
    if isinstance(value, dt.datetime) and fmt == "csv":
        return value.isoformat(sep=" ", timespec="seconds")
    if value is None:
        return ""
    return neutralise(value)


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
        book = Workbook(write_only=True)
        sheet = book.create_sheet("数据 data")
        sheet.append([_cell(h, fmt) for h in header])
        for row in rows:
            sheet.append([_cell(v, fmt) for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    raise ValueError(f"unknown export format {fmt!r}: use csv or xlsx")


def _shown(row: dict, key: str) -> Any:
    """The basis column writes the basis users read (etl.periods.basis_of: 'eop' for a stock or a
    rate at the period's end, whose stored basis is 'ytd'); the period its label (period_zh)."""
    if key == "basis" and row.get("year") is not None:
        return basis_of(row, row.get("kind"))
    return row.get(key)


def observation_table(rows: Iterable[dict]) -> tuple[list[str], list[list[Any]]]:
    """Rows of etl.store.queries.current_observations -> (header, rows) in OBSERVATION_COLUMNS order."""
    header = [title for _, title in OBSERVATION_COLUMNS]
    return header, [[_shown(row, key) for key, _ in OBSERVATION_COLUMNS] for row in rows]


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
    header, table = observation_table(rows)
    path.write_bytes(table_bytes(header, table, suffix))
    return len(rows)
