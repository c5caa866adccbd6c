"""Cell number formats that change what a number means on screen: percentages and scaling formats.

calamine gives a cell's value, not its format, and the format carries meaning: 0.352 in a cell
formatted `0.0%` is what the analyst saw as 35.2%; 80640 in a cell formatted `0!.0000` (the common
Chinese 万 formats) shows 8.0640. Only such formats are collected, so a workbook without them costs
one small read of its styles part:
- xlsx: `xl/styles.xml` gives each cell style (xf) its format code; `interesting_styles` keeps the
  styles whose code scales the number; etl.read.files scans the sheets' `s="N"` attributes for those
  styles in the pass it already makes over the sheet XML;
- xls: xlrd with formatting_info reads the XF records (only when a scaling format exists).
`describe(code)` says what a format does: a percentage (shown x100), a divisor (shown / 10^k for
`0!.0000`, `0"."0000`, trailing thousands commas `0.0,,`), and a literal unit written in it ("万").
"""
from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

# built-in format ids that are percentages (ECMA-376 18.8.30)
_BUILTIN_PERCENT = {9: "0%", 10: "0.00%"}
_QUOTED = re.compile(r'"[^"]*"|\\.')
_SECTION = re.compile(r";")
_NUMFMT = re.compile(rb'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_NUMFMT_ALT = re.compile(rb'<numFmt\b[^>]*?formatCode="([^"]*)"[^>]*?numFmtId="(\d+)"')
_CELL_XFS = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
_XF = re.compile(rb"<xf\b([^>]*)/?>")
_NUMFMT_ID = re.compile(rb'numFmtId="(\d+)"')


@dataclass(frozen=True)
class Shown:
    """What a format does to a number: shown = value * 100 (percent) or value / divisor."""

    code: str
    percent: bool = False
    divisor: float = 1.0
    literal: str = ""  # unit text written in the format ("万", "亿元")

    @property
    def scales(self) -> bool:
        return self.percent or self.divisor != 1.0


@lru_cache(maxsize=256)
def describe(code: str) -> Shown:
    """'0.0%' -> percent; '0!.0000' / '0"."0000' -> divisor 10,000; '#,##0.0,,' -> divisor 1e6."""
    first = _SECTION.split(code.replace('";"', '""'))[0]  # the positive numbers' section
    literal = "".join(m[1:-1] for m in re.findall(r'"[^"]*"', first) if m[1:-1] not in (".", ""))
    literal = re.sub(r"[\s\d.]", "", literal)
    bare = _QUOTED.sub(lambda m: "§" if m.group(0) in ('"."', "\\.") or m.group(0).startswith("!") else "", first)
    bare = bare.replace("!.", "§")
    if "%" in bare:
        return Shown(code, percent=True, literal=literal)
    divisor = 1.0
    if "§" in bare and "." not in bare.split("§")[0]:
        # a literal dot inserted k digits from the right: the number shown divided by 10^k
        digits = len(re.findall(r"[0#?]", bare.split("§", 1)[1]))
        divisor = 10.0 ** digits
    m = re.search(r"[0#?](,+)(?:[^0#?,]*)$", bare)
    if m:
        divisor *= 1000.0 ** len(m.group(1))
    return Shown(code, divisor=divisor, literal=literal)


def interesting_styles(styles_xml: bytes) -> dict[bytes, str]:
    """xlsx styles part -> {xf index as it appears in s="N": format code} for scaling formats."""
    codes = {int(i): html.unescape(c.decode("utf-8", "replace")) for i, c in _NUMFMT.findall(styles_xml)}
    codes.update({int(i): html.unescape(c.decode("utf-8", "replace")) for c, i in _NUMFMT_ALT.findall(styles_xml)})
    codes.update(_BUILTIN_PERCENT)
    found = {}
    block = _CELL_XFS.search(styles_xml)
    if not block:
        return found
    for index, attrs in enumerate(_XF.findall(block.group(1))):
        m = _NUMFMT_ID.search(attrs)
        code = codes.get(int(m.group(1))) if m else None
        if code and describe(code).scales:
            found[str(index).encode()] = code
    return found


def xls_formats(data: bytes, sheet_names: list[str]) -> dict[str, dict[tuple[int, int], str]]:
    """BIFF8 workbook -> {sheet: {(row, col): format code}} for cells with a scaling format."""
    import xlrd
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  logfile=io.StringIO())
    except Exception:  # formatting records xlrd cannot read: the values alone are still read
        return {}
    scaling = {}
    for index, xf in enumerate(book.xf_list):
        fmt = book.format_map.get(xf.format_key)
        if fmt and describe(fmt.format_str).scales:
            scaling[index] = fmt.format_str
    out: dict[str, dict[tuple[int, int], str]] = {}
    if not scaling:
        return out
    for name in sheet_names:
        try:
            sheet = book.sheet_by_name(name)
        except xlrd.XLRDError:
            continue
        cells = {}
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                code = scaling.get(sheet.cell_xf_index(r, c))
                if code and sheet.cell_type(r, c) == xlrd.XL_CELL_NUMBER:
                    cells[(r, c)] = code
        if cells:
            out[name] = cells
    return out


def shown_unit(fmt: Shown, column_unit: Optional[str], target: str) -> Optional[str]:
    """The unit the analyst read a scaled number in: the header's, else a unit written in the format
    (万 with the indicator's count or person unit: 万个, 万人), else None (not certain)."""
    if column_unit:
        return column_unit
    if fmt.literal:
        from etl.normalise import units
        for candidate in (fmt.literal, fmt.literal + target):
            if units.is_known_unit(candidate):
                return candidate
    return None
