"""Find the data in a sheet: which cells are values, and which labels locate each of them.

Layouts are recognised by content, not by fixed positions (see
shared/reference/statistics-file-layouts.md):
1. portal export, regions x periods (CSV/XLS/XLSX), indicator from the `指标：` line;
2. portal export, indicators x periods, region from a `地区：` line, else 全国 for national
   databases (季度数据 / 年度数据 / 月度数据); a 分省 database needs a region;
3. old portal XLS and 4. new portal XLSX: the same shapes (time ranges, empty unreleased columns);
5. provincial tables 各市（地）主要指标: regions x indicators, the period from the merged title,
   units from the header or the `单位：` line, one or two header rows (绝对值 / 同比增长% under a
   merged group header; growth and rank columns are reported once as INFO `skipped-column`);
and each of them transposed, plus our own long template (指标代码 | 地区代码 | 期间 | 数值 | 单位 |
口径 | 来源 | 备注).

How a sheet is read:
- rows before the table are the title and metadata lines (数据库：, 指标：, 时间：, 地区：, 单位：);
  rows after it are notes (注：, and continuation lines) and sources (数据来源：). They are skipped
  as data and recorded in `metadata` / `notes` / `sources`.
- the table's leading text columns hold the row labels (up to three: e.g. indicator, 绝对值/增速,
  单位), its leading rows (up to three) the column labels; merged cells label every cell they cover.
- each axis is resolved against the catalog (regions, indicators) and the period parser; the two
  axes get the two kinds that fit best, and the third dimension comes from the metadata lines, the
  title or the sheet name.
- once a layout is recognised, every value cell becomes a RawValue, also under labels that do not
  resolve, so that etl.normalise.cells reports unknown-region / unknown-indicator at the label's cell.
- units: a unit in the label itself wins, then the header (绝对值（亿元）, a 单位 row or column),
  then the unit line; a unit line naming several units (单位：亿元、%) gives each indicator the one
  of the same kind as its catalog unit.
- the long template is recognised by its header: a column each for indicator (指标代码 / 指标 /
  indicator), region (地区代码 / 地区 / region), period (期间 / 时期 / 时间 / period) and value
  (数值 / value), optionally unit (单位), basis (口径: annual/ytd/quarter or 年度/累计/当季), source
  (来源) and note (备注); 'zh|en' or 'zh en' headers work too.
- a non-blank sheet without recognisable data is a `no-data` problem naming the sheet: a warning
  when another sheet of the workbook has data (an instructions sheet), an error otherwise.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from bisect import bisect_left
from itertools import chain, compress, repeat
from operator import add, and_, eq, ge, is_, itemgetter, not_, or_, sub
from datetime import date, timedelta
from typing import Optional, Sequence

from etl.normalise import units
from etl.normalise.labels import alias_key
from etl.checks import problems as kinds
from etl.normalise.cells import (ANNUAL, QUALIFIERS, YTD, LabelResolver, find_period_in_text, label_text,
                                 label_texts, parse_indicator_label, parse_number, parse_period,
                                 title_period)
from etl.read.files import UncomputedFormula
from etl.records import (ERROR, Catalog, Problem, RawValue, RawValues, Sheet, TemplateValues,
                          Workbook, cell_ref)
from etl.wording.catalogue import pair

REGION, INDICATOR, PERIOD = "region", "indicator", "period"
KINDS = (REGION, INDICATOR, PERIOD)
TEXT_LINE_MARKS = ":：.、"  # a title, meta, source or note line has one of them
UNIT_WORD = "单位"  # a unit line (单位：亿元) or a unit column
UNIT_HEADERS = ("单位", "计量单位")
NATION_LABEL = "全国"  # the region of a national database's export (季度数据, 年度数据)
WORD_SEP = "、"  # between words the file wrote (现价、初步核算; a unit line's units)
QUALIFIER_NOTE = "{label}：{words}"  # a batch note: an indicator label and its qualifiers
_UNIT_LINE_SPLIT = re.compile(r"[、,，;；/\s]+")  # 单位：亿元、%、个

_META_KEYS = {"数据库": "database", "指标": "indicator", "时间": "time", "地区": "region",
              "单位": "unit", "计量单位": "unit", "频度": "frequency"}
_META_LINE = re.compile(r"^\s*(数据库|指标|时间|地区|计量单位|单位|频度)\s*[:：](.*)$", re.S)
_SOURCE_LINE = re.compile(r"^\s*(数据来源|资料来源|来源|source)\s*[:：]", re.S | re.I)
_NOTE_LINE = re.compile(r"^\s*(注|说明|备注|附注|note|notes)\s*\d*\s*[:：.、]", re.S | re.I)
_GROWTH = re.compile(r"同比|增长|增速|比上年|比去年|增幅|增减|环比|位次|排名|排序|名次|上年同期|去年同期|"
                     r"占全省|占全国|占全市|全省占比|"
                     r"growth|rank|y-o-y|yoy", re.I)
_VALUE_WORDS = {"绝对值", "数值", "本期", "本期数", "总量", "金额", "数量", "实绩", "本年", "本年实际",
                "实际", "值", "value", "合计"}
_BASIS_WORDS = {"累计": "ytd", "累计值": "ytd", "本年累计": "ytd", "年初累计": "ytd", "累计数": "ytd",
                "当季": "quarter", "当季值": "quarter", "单季": "quarter", "单季值": "quarter",
                "本季": "quarter"}
_CORNER_HINTS = [
    (REGION, re.compile(r"地区|省份|省市|城市|地市|市\(地\)|市地|区域|region", re.I)),
    (INDICATOR, re.compile(r"指标|项目|名称|indicator", re.I)),
    (PERIOD, re.compile(r"时间|时期|期间|年份|年度|季度|日期|月份|period|year", re.I)),
]
_NATIONAL_DATABASES = re.compile(r"^(季度数据|年度数据|月度数据|全国.*)$")
_SERIAL_HEADER = re.compile(r"^(序号|编号|no\.?)$", re.I)
# a column of GB/T 2260 codes before the names: the better key
_CODE_HEADER = re.compile(r"^(行政)?区划代码$|^(地区|区域|行政区)代码$|^代码$|^(region|area|admin(istrative)?)?code$", re.I)
_REGION_CODE = re.compile(r"^\d{6}$")
# a header over dates (a column of Excel date serials reads as numbers without it)
_DATE_HEADER = re.compile(r"日期|截至|截止|时间|date|as of", re.I)
_SERIAL_DATES = (32874, 73051)  # 1990-01-01 .. 2100-01-01 as Excel serials
# rows that are not a region's figure: sums of the other rows, averages
_TOTAL_ROW = re.compile(r"^(合计|总计|小计|总和|全市合计|各市合计|各市\(地\)合计|total|sum)$", re.I)
_AVERAGE_ROW = re.compile(r"平均|average|mean", re.I)
# sheets that are never data: instructions, and the long template's code lists
_INSTRUCTIONS_SHEET = re.compile(r"说明|解释|instructions?|readme|notes?$", re.I)
_TEMPLATE_CODE_SHEETS = ("指标代码", "地区代码")
_EXAMPLE_NOTE = re.compile(r"示例行|example row", re.I)
_DOT_MONTH = re.compile(r"^\d{4}\.\d{1,2}$")  # 2024.09 in a data cell is a number, not a period

# the long template's column names (alias_key form) -> field
_TEMPLATE_FIELDS = {
    "indicator": ("指标代码", "指标", "指标名称", "indicator", "indicator_code", "indicatorcode"),
    "region": ("地区代码", "地区", "地区名称", "region", "region_code", "regioncode"),
    "period": ("期间", "时期", "时间", "period"),
    "value": ("数值", "值", "value"),
    "unit": ("单位", "unit"),
    "basis": ("口径", "basis"),
    "source": ("来源", "数据来源", "source"),
    "note": ("备注", "注", "note", "notes"),
}
_BASIS_VALUES = {"annual": "annual", "年度": "annual", "全年": "annual", "ytd": "ytd", "累计": "ytd",
                 "累计值": "ytd", "年初至今累计": "ytd", "quarter": "quarter", "当季": "quarter",
                 "当季值": "quarter",
                 # the export's and the grid's basis of a level at the period's end
                 # (etl.periods.EOP), stored as 'ytd' at a quarter's end
                 "eop": "ytd", "期末值": "ytd", "期末": "ytd", "季末值": "ytd"}


@dataclass
class WorkbookExtract:
    # a list for a labelled table, TemplateValues for the long template, RawValues for a workbook
    values: Sequence[RawValue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    metadata: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    no_data: Optional[str] = None  # why a sheet has no recognisable data (a variant of no-data)
    # sheet -> the indicator its title names, where the table's one indicator is another one
    title_indicators: dict[str, str] = field(default_factory=dict)


# --- small helpers ---------------------------------------------------------------------------------

def _is_missing_mark(text: str) -> bool:
    return parse_number(text).missing


def _is_number(value) -> bool:
    """A data-looking cell: a number (or numeric text) that is not a year-like label."""
    if value is None or isinstance(value, bool) or value == "":
        return False
    if isinstance(value, UncomputedFormula):
        return True  # a computed value whose result is missing: still a value cell (reported later)
    if isinstance(value, (int, float)):
        return not (float(value).is_integer() and 1949 <= value <= 2100)
    parsed = parse_number(value)
    return parsed.value is not None and (parse_period(value) is None or bool(_DOT_MONTH.match(value.strip())))


def _text_key(text: str) -> str:
    return alias_key(text)


class _Grid:
    """Cells of a sheet, with merged ranges labelling every cell they cover."""

    def __init__(self, sheet: Sheet):
        self.rows = sheet.rows
        self.formats = sheet.formats
        self.merged_origin: dict[tuple[int, int], tuple[int, int]] = {}
        budget = 200_000
        for r0, c0, r1, c1 in sheet.merged:
            area = (r1 - r0 + 1) * (c1 - c0 + 1)
            if area > budget:
                continue
            budget -= area
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    self.merged_origin[(r, c)] = (r0, c0)

    _columns: Optional[list[tuple]] = None

    def columns(self) -> Optional[list[tuple]]:
        """The sheet column by column (tuples), when every row is as wide (calamine's rows are),
        else None; made once (forget_columns after a change to the rows)."""
        if self._columns is None and self.rows and len(set(map(len, self.rows))) == 1 and self.rows[0]:
            self._columns = list(zip(*self.rows))
        return self._columns

    def forget_columns(self) -> None:
        self._columns = None

    def raw(self, r: int, c: int):
        row = self.rows[r]
        return row[c] if c < len(row) else None

    def label(self, r: int, c: int) -> tuple[str, tuple[int, int]]:
        """Text of the cell as labels read it (merged cells give their top-left value), and where."""
        origin = self.merged_origin.get((r, c), (r, c))
        return label_text(self.raw(*origin)), origin


@dataclass
class _Lines:
    titles: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    units: list[str] = field(default_factory=list)
    metadata: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add(self, text: str, footer: bool) -> None:
        text = text.strip("\r\n")
        m = _META_LINE.match(text)
        if m:
            key = _META_KEYS[m.group(1)]
            value = m.group(2).strip()
            self.metadata.append(text.strip())
            if key == "unit":
                self.units.append(value)
            else:
                self.meta.setdefault(key, value)
        elif _SOURCE_LINE.match(text):
            self.sources.append(text.strip())
        elif _NOTE_LINE.match(text) or footer:
            self.notes.append(text.strip())
        else:
            self.titles.append(text.strip())
            self.metadata.append(text.strip())


def _is_text_line(text: str) -> bool:
    if not any(mark in text for mark in TEXT_LINE_MARKS):
        return False
    return bool(_META_LINE.match(text) or _SOURCE_LINE.match(text) or _NOTE_LINE.match(text))


# --- the sheet ------------------------------------------------------------------------------------

@dataclass
class _Axis:
    """One position on an axis (a column of the header, or a data row)."""
    index: int  # column (for column labels) or row (for row labels)
    candidates: list[tuple[str, tuple[int, int]]]  # label texts to try, with their cells
    unit: Optional[str] = None
    basis: Optional[str] = None
    skip: Optional[str] = None  # the label text of a growth/rank column
    skip_cell: Optional[tuple[int, int]] = None  # where that text is
    code: Optional[tuple[str, tuple[int, int]]] = None  # a 区划代码 in the row, and where


def _skipped_sheet(sheet: Sheet) -> Optional[str]:
    """Why a sheet is not data ('instructions', 'template'), or None."""
    name = unicodedata.normalize("NFKC", sheet.name).strip()
    if name in _TEMPLATE_CODE_SHEETS:
        return "template"
    if _INSTRUCTIONS_SHEET.search(name):
        return "instructions"
    return None


def extract_workbook(workbook: Workbook, catalog: Catalog) -> WorkbookExtract:
    """Every sheet's values, notes, sources and metadata lines, and problems (no-data, skipped
    sheets: hidden ones, instructions and the template's code lists, each with its reason)."""
    resolver = LabelResolver(catalog)
    result = WorkbookExtract(values=RawValues())  # TemplateValues stay columns
    empty_sheets: list[str] = []
    unrecognised: list[tuple[str, str, Sheet]] = []  # (name, reason, sheet)
    for name in workbook.hidden_sheets:
        result.problems.append(kinds.SKIPPED_SHEET.at(name, variant="hidden", sheet=name))
    for sheet in workbook.sheets:
        why = _skipped_sheet(sheet)
        if why:
            if not _sheet_is_blank(sheet):
                result.problems.append(kinds.SKIPPED_SHEET.at(sheet.name, variant=why, sheet=sheet.name))
            continue
        extract = extract_sheet(sheet, resolver)
        result.values.extend(extract.values)
        result.notes.extend(extract.notes)
        result.sources.extend(extract.sources)
        result.metadata.extend(extract.metadata)
        result.problems.extend(extract.problems)
        result.title_indicators.update(extract.title_indicators)
        if extract.no_data:
            if _sheet_is_blank(sheet):
                empty_sheets.append(sheet.name)
            else:
                unrecognised.append((sheet.name, extract.no_data, sheet))
    found_data = bool(result.values) or any(p.severity == ERROR for p in result.problems)
    for name, why, sheet in unrecognised:
        # a sheet that is not data next to a data sheet is fine; a file with no data at all is not
        if found_data and not _has_numbers(sheet):  # a code list, a contents page
            result.problems.append(kinds.SKIPPED_SHEET.at(name, variant="text", sheet=name))
            continue
        kind = kinds.UNRECOGNISED_SHEET if found_data else kinds.NO_DATA
        result.problems.append(kind.at(name, variant=why, sheet=name))
    if not found_data and not unrecognised:
        result.problems.append(kinds.NO_DATA.at(
            empty_sheets[0] if empty_sheets else None, variant="blank",
            sheets=", ".join(empty_sheets or workbook.hidden_sheets) or workbook.file_name))
    result.notes = _unique(result.notes)
    result.sources = _unique(result.sources)
    result.metadata = _unique(result.metadata)
    return result


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _has_numbers(sheet: Sheet) -> bool:
    return any(_is_number(v) for row in sheet.rows for v in row)


def _sheet_is_blank(sheet: Sheet) -> bool:
    return not any(label_text(v) for row in sheet.rows for v in row)


def extract_sheet(sheet: Sheet, resolver: LabelResolver | Catalog) -> WorkbookExtract:
    """One sheet -> RawValues (+ lines and problems). See the module docstring."""
    if isinstance(resolver, Catalog):
        resolver = LabelResolver(resolver)
    out = WorkbookExtract()
    grid = _Grid(sheet)
    lines, table_rows = _split_lines(grid, resolver)
    out.notes, out.sources, out.metadata = lines.notes, lines.sources, lines.metadata
    if not table_rows:
        out.no_data = "no-table"
        return out
    _dates_from_serials(grid, table_rows)
    template = _template_columns(grid, table_rows[0])
    if template:
        _extract_template(sheet.name, grid, table_rows, template, out)
    else:
        _extract_table(sheet.name, grid, table_rows, lines, resolver, out)
    if not out.values and not out.no_data and not any(p.severity == ERROR for p in out.problems):
        out.no_data = "no-axes"  # a table whose cells were all skipped: say so, not "empty"
    if sheet.hidden_rows or sheet.hidden_cols:
        _warn_hidden(sheet, out)
    return out


_CELL_PARTS = re.compile(r"^([A-Z]+)(\d+)$")


def _is_serial(value) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer()
            and _SERIAL_DATES[0] <= value <= _SERIAL_DATES[1])


def _serial_date(value) -> date:
    return date(1899, 12, 30) + timedelta(days=int(value))


def _dates_from_serials(grid: _Grid, rows: list[int]) -> None:
    """Unformatted Excel date serials (45565) under a date header (日期, 截至日期, 时间) are dates:
    the header row's cells right of such a corner, or the column under such a header."""
    head = grid.rows[rows[0]]
    for c, value in enumerate(head):
        text = label_text(value)
        if not text or not _DATE_HEADER.search(text):
            continue
        below = [grid.raw(r, c) for r in rows[1:]]
        filled = [v for v in below if v not in (None, "")]
        if filled and all(_is_serial(v) for v in filled):  # a column of dates
            for r in rows[1:]:
                if _is_serial(grid.raw(r, c)):
                    grid.rows[r] = list(grid.rows[r])
                    grid.rows[r][c] = _serial_date(grid.raw(r, c))
                    grid.forget_columns()
            continue
        right = [v for v in head[c + 1:] if v not in (None, "")]
        if right and all(_is_serial(v) for v in right):  # a header row of dates
            grid.rows[rows[0]] = [_serial_date(v) if i > c and _is_serial(v) else v
                                  for i, v in enumerate(head)]
            grid.forget_columns()
        break


def _warn_hidden(sheet: Sheet, out: WorkbookExtract) -> None:
    """Values in hidden rows or columns are read like any other; say so, since nobody saw them."""
    rows, cols = set(sheet.hidden_rows), set(sheet.hidden_cols)
    hidden = []
    for rv in out.values:
        letters, number = _CELL_PARTS.match(rv.cell).groups()
        col = 0
        for ch in letters:
            col = col * 26 + ord(ch) - 64
        if (int(number) - 1 in rows or col - 1 in cols) and not _is_missing_mark(label_text(rv.raw)):
            hidden.append(rv.cell)
    if not hidden:
        return
    shown = ", ".join(hidden[:10]) + ("…" if len(hidden) > 10 else "")
    out.problems.append(kinds.HIDDEN_CELLS.at(sheet.name, hidden[0], sheet=sheet.name,
                                              count=len(hidden), cells=shown))


_UNIT_NOTE = re.compile(r"^\s*(计量单位|单位)\s*[:：]")


def _is_unit_note(text: str) -> bool:
    return UNIT_WORD in text and bool(_UNIT_NOTE.match(text))


@lru_cache(maxsize=4096, typed=True)
def _text_line_memo(first: object) -> bool:
    return _is_text_line(label_text(first))


def _starts_text_line(first: object) -> bool:
    """Whether a row whose first filled cell is `first` is a note / source / metadata line (worked
    out once per distinct first cell)."""
    try:
        return _text_line_memo(first)
    except TypeError:  # unhashable
        return _is_text_line(label_text(first))


def _special_strings(rows: list, distinct: Optional[set] = None) -> Optional[set]:
    """The distinct strings of the sheet (its `distinct` cells, when known) that a row's shape
    must treat cell by cell: ones with spaces around them (or only spaces), unit notes (单位：…),
    str subclasses (uncomputed formulas). None when the cells cannot be collected (an unhashable
    cell): then every row goes cell by cell."""
    try:
        distinct = set(chain.from_iterable(rows)) if distinct is None else distinct
    except TypeError:
        return None
    return {v for v in distinct if isinstance(v, str) and (type(v) is not str or v and (
        v[0].isspace() or v[-1].isspace() or _is_unit_note(v.strip())))}


def _row_cells(row: list, lines: _Lines) -> list:
    """(column, value) of a row's filled cells, strings stripped; a unit note right of the first
    column (单位：亿元 at the right end of a title row) goes to `lines` instead."""
    cells = []
    for c, value in enumerate(row):
        if type(value) is str:
            value = value.strip()
            if not value:
                continue
            if c > 0 and _is_unit_note(value):
                lines.add(value, footer=False)  # a unit note at the right end of a title row
                continue
        elif value is None:
            continue
        cells.append((c, value))
    return cells


def _plain_cells(row: list) -> list:
    """_row_cells of a row holding none of the sheet's special strings: its filled cells as they are."""
    return [(c, v) for c, v in enumerate(row) if v is not None and v != ""]


def _row_shapes(grid: _Grid, lines: _Lines) -> tuple[list[int], list, dict[int, list]]:
    """Per row: how many filled cells, the first one, and (for rows holding one of the sheet's
    special strings: padded, unit notes, formulas) the cells themselves (col, value) after unit
    notes are set aside into `lines`, strings stripped. Other rows have nothing to strip or set
    aside: they are counted at C speed, a column of the sheet at a time, and their cells are
    listed only if they turn out not to be table rows."""
    rows = grid.rows
    columns = grid.columns()
    try:  # the distinct cells of each column
        column_cells = list(map(set, columns)) if columns is not None else None
    except TypeError:  # an unhashable cell
        columns = column_cells = None
    special = _special_strings(rows, set().union(*column_cells) if column_cells else None)
    cells_of: dict[int, list] = {}
    if special is None or not rows or not all(rows):  # an unhashable or a row without cells
        counts, firsts = [], []
        for r, row in enumerate(rows):
            if special is not None and special.isdisjoint(row):
                cells = _plain_cells(row)
            else:
                cells = cells_of[r] = _row_cells(row, lines)
            counts.append(len(cells))
            firsts.append(cells[0][1] if cells else None)
        return counts, firsts, cells_of
    if column_cells is not None and all(map(special.isdisjoint, column_cells)):
        # no special string anywhere: a row's filled cells are its width less its empty ones,
        # counted only in the columns that have empty cells
        empty = [0] * len(rows)
        for column, distinct in zip(columns, column_cells):
            if None in distinct or "" in distinct:
                empty = list(map(add, empty, map(or_, map(is_, column, repeat(None)),
                                                  map(eq, column, repeat("")))))
        counts = list(map(sub, repeat(len(columns)), empty))
        firsts = list(columns[0])
        plain = repeat(True)
    else:
        counts = list(map(sub, map(sub, map(len, rows), map(list.count, rows, repeat(None))),
                          map(list.count, rows, repeat(""))))
        firsts = list(map(itemgetter(0), rows))
        plain = list(map(special.isdisjoint, rows))
        for r in compress(range(len(rows)), map(not_, plain)):  # in row order: unit notes go to lines
            cells = cells_of[r] = _row_cells(rows[r], lines)
            counts[r], firsts[r] = len(cells), (cells[0][1] if cells else None)
    for r in compress(range(len(rows)), map(or_, map(is_, firsts, repeat(None)), map(eq, firsts, repeat("")))):
        if r not in cells_of:  # a row whose first cell is empty
            firsts[r] = _plain_cells(rows[r])[0][1] if counts[r] else None
    return counts, firsts, cells_of


def _split_lines(grid: _Grid, resolver: LabelResolver) -> tuple[_Lines, list[int]]:
    """Title / metadata lines, the table's row indices, and note / source lines."""
    lines = _Lines()
    # per row: how many filled cells, the first one, and the cells themselves (col, value) after
    # unit cells are set aside, strings stripped. A row holding none of the sheet's special
    # strings (padded, unit notes, formulas) has nothing to strip or set aside: it is counted at C
    # speed and its cells are listed only if it turns out not to be a table row.
    counts, firsts, cells_of = _row_shapes(grid, lines)

    def cells(r: int) -> list:
        found = cells_of.get(r)
        return found if found is not None else _plain_cells(grid.rows[r])

    try:  # whether a row starts a note / source / metadata line, once per distinct first cell
        starts = dict.fromkeys(firsts)
        for first in starts:
            starts[first] = _starts_text_line(first)
        flags = list(map(starts.__getitem__, firsts))
    except TypeError:  # an unhashable cell
        flags = list(map(_starts_text_line, firsts))  # False for an empty row (first is None)
    multi = list(compress(range(len(counts)), map(and_, map(ge, counts, repeat(2)), map(not_, flags))))
    if not multi:
        for r in range(len(counts)):
            for _, value in cells(r):
                lines.add(label_text(value), footer=False)
        return lines, []
    start = multi[0]
    # the first note or source line after the header ends the table: unquoted continuation lines
    # of a note may hold commas and look like rows
    try:
        stop = flags.index(True, start + 1)
    except ValueError:
        stop = len(counts)
    end = multi[bisect_left(multi, stop) - 1]  # the last of them before stop (multi is sorted)
    for r in range(start):
        if counts[r]:
            lines.add(" ".join(label_text(v) for _, v in cells(r)), footer=False)
    table_rows = list(compress(range(start, end + 1), counts[start:end + 1]))
    footer = False
    for r in range(end + 1, len(counts)):
        n = counts[r]
        if not n:
            continue
        if not footer and n == 1 and not _is_text_line(first := label_text(firsts[r])) and (
                resolver.is_region(first) or resolver.indicator(first)[0] or resolver.period(first)):
            table_rows.append(r)  # a last data row whose values are all missing
        else:
            footer = True  # after the table, everything is notes and sources
            lines.add(",".join(label_text(v) for _, v in cells(r)), footer=True)
    return lines, table_rows


# --- the long template ------------------------------------------------------------------------------

def _template_columns(grid: _Grid, header_row: int) -> dict[str, int] | None:
    found: dict[str, int] = {}
    lookup = {_text_key(name): f for f, names in _TEMPLATE_FIELDS.items() for name in names}
    for c, value in enumerate(grid.rows[header_row]):
        text = unicodedata.normalize("NFKC", label_text(value))
        for token in re.split(r"[|/\s()\[\]\n]+", text):
            f = lookup.get(_text_key(token))
            if f and f not in found:
                found[f] = c
                break
    required = ("indicator", "region", "period", "value")
    return found if all(f in found for f in required) else None


def template_example() -> tuple:
    from etl.read.template import EXAMPLE  # the template writer imports openpyxl: only when needed
    return EXAMPLE


def _columns(grid: _Grid, rows: list[int], *cols: Optional[int]) -> list[list]:
    """The cells of each column in `rows` (None where a row is short, or for no column)."""
    sheet_columns = grid.columns()
    if sheet_columns is not None and rows and rows[-1] - rows[0] + 1 == len(rows):  # a block of rows
        first, stop = rows[0], rows[-1] + 1
        return [list(sheet_columns[c][first:stop]) if c is not None and c < len(sheet_columns)
                else [None] * len(rows) for c in cols]
    lines = [grid.rows[r] for r in rows]
    width = min(map(len, lines), default=0)
    out = []
    for c in cols:
        if c is None:
            out.append([None] * len(lines))
        elif c < width:
            out.append(list(map(itemgetter(c), lines)))
        else:
            out.append([line[c] if c < len(line) else None for line in lines])
    return out


def _extract_template(name: str, grid: _Grid, rows: list[int], cols: dict[str, int],
                      out: WorkbookExtract) -> None:
    """The long template, column by column: each column's label texts are worked out once per
    distinct cell (label_texts), and the values stay columns (TemplateValues), not a RawValue
    per row."""
    vc, ic, rc, pc = cols["value"], cols["indicator"], cols["region"], cols["period"]
    uc, bc, sc, nc = cols.get("unit"), cols.get("basis"), cols.get("source"), cols.get("note")
    body = rows[1:]
    values, *labels = _columns(grid, body, vc, ic, rc, pc, uc, bc, sc, nc)
    columns = [values, *map(label_texts, labels)]
    examples = {n for n in set(columns[-1]) if n and _EXAMPLE_NOTE.search(n)}
    if examples:  # the template's example row: skipped with a line in the report, or an error if edited
        keep = []
        for i, (r, raw, indicator, region, period, note) in enumerate(zip(body, *columns[:4], columns[-1])):
            if note not in examples:
                keep.append(i)
                continue
            if [indicator, region, period, label_text(raw)] == [label_text(x) for x in template_example()[:4]]:
                out.problems.append(kinds.SKIPPED_ROW.at(name, cell_ref(r, nc), raw=note, variant="example",
                                                         row=r + 1, label=str(r + 1)))
            else:
                out.problems.append(kinds.EDITED_EXAMPLE.at(name, cell_ref(r, nc), raw=note, row=r + 1))
        body = [body[i] for i in keep]
        columns = [[column[i] for i in keep] for column in columns]
    values, indicators, regions, periods_, units_, bases, sources_col, notes_col = columns
    for column, found in ((sources_col, out.sources), (notes_col, out.notes)):
        distinct = dict.fromkeys(column)  # in the order of first appearance
        distinct.pop("", None)
        found.extend(distinct)
    hint = {b: _BASIS_VALUES.get(b.casefold()) if b else None for b in set(bases)}
    formats_ = None
    if grid.formats:
        formats_ = [grid.formats.get((r, vc)) for r in body]
        formats_ = formats_ if any(formats_) else None
    letters = {c: cell_ref(0, c)[:-1] for c in (vc, ic, rc, pc)}
    out.values = TemplateValues(
        name, list(map(str, map((1).__add__, body))), values, indicators, regions, periods_,
        [u or None for u in units_], list(map(hint.__getitem__, bases)), formats_,
        [n or None for n in notes_col], (letters[vc], letters[ic], letters[rc], letters[pc]))
    if not out.values:
        out.no_data = "template-empty"


# --- a labelled table ------------------------------------------------------------------------------

def _label_columns(grid: _Grid, rows: list[int]) -> tuple[int, list[int], Optional[int], Optional[int]]:
    """(first column, label columns, unit column, 区划代码 column) from a sample of the table's rows."""
    sample = rows[1:201] or rows
    width = max(len(grid.rows[r]) for r in rows)
    first = next((c for c in range(width) if any(label_text(grid.raw(r, c)) for r in rows)), 0)
    label_cols: list[int] = []
    unit_col = code_col = None
    for c in range(first, min(width, first + 4)):
        header = label_text(grid.raw(rows[0], c))
        if _SERIAL_HEADER.match(header):
            continue
        if code_col is None and _CODE_HEADER.match(alias_key(header)):
            codes = [label_text(grid.raw(r, c)) for r in sample]
            if any(codes) and all(_REGION_CODE.match(t) for t in codes if t):
                code_col = c
                label_cols.append(c)
                continue
        texts = numbers = 0
        for r in sample:
            value = grid.raw(r, c)
            if _is_number(value):
                numbers += 1
            elif label_text(value) and not _is_missing_mark(label_text(value)):
                texts += 1
        if texts <= numbers or texts == 0:
            break
        if header in UNIT_HEADERS and label_cols:
            unit_col = c
        label_cols.append(c)
    return first, label_cols, unit_col, code_col


def _header_rows(grid: _Grid, rows: list[int], label_cols: list[int], value_cols: range,
                 resolver: LabelResolver) -> int:
    count = 1
    for r in rows[1:3]:
        texts = 0
        for c in value_cols:
            value = grid.raw(r, c)
            if _is_number(value):
                return count
            text, _ = grid.label(r, c)
            if text and not _is_missing_mark(text):
                texts += 1
        label = " ".join(grid.label(r, c)[0] for c in label_cols).strip()
        if texts == 0 or (label and (resolver.is_region(label) or resolver.indicator(label)[0]
                                     or resolver.period(label))):
            return count
        count += 1
    return count


def _classify_parts(parts: list[tuple[str, tuple[int, int]]]) -> _Axis:
    """Label parts (group header, sub-header ...) -> candidates, unit, basis, or a skip reason."""
    axis = _Axis(index=-1, candidates=[])
    kept: list[tuple[str, tuple[int, int]]] = []
    seen = set()
    for text, where in parts:
        if not text or text in seen:
            continue
        seen.add(text)
        if _GROWTH.search(text):
            axis.skip, axis.skip_cell = text, where
            continue
        if units.is_known_unit(text):
            axis.unit = units.normalise_unit(text)
            continue
        parsed = parse_indicator_label(text)
        base = parsed.base
        if base in _BASIS_WORDS or (not base and parsed.basis):
            axis.basis = _BASIS_WORDS.get(base, parsed.basis)
            axis.unit = axis.unit or parsed.unit
            continue
        if not base or base.casefold() in _VALUE_WORDS:
            axis.unit = axis.unit or parsed.unit
            continue
        if parsed.qualifiers and parse_period(base, 2000):  # 第三季度（当年价）（累计）: a period
            axis.basis = axis.basis or parsed.basis
            kept.append((base, where))
            continue
        kept.append((text, where))
    if len(kept) > 1:
        joined = "".join(t for t, _ in kept)
        axis.candidates = [(joined, kept[-1][1])] + list(reversed(kept))
    else:
        axis.candidates = kept
    return axis


def _resolve(axis: _Axis, kind: str, resolver: LabelResolver, year_hint) -> Optional[tuple[str, tuple]]:
    for text, where in axis.candidates:
        if kind == REGION and resolver.is_region(text):
            return text, where
        if kind == INDICATOR and resolver.indicator(text)[0]:
            return text, where
        if kind == PERIOD and resolver.period(text, year_hint):
            return text, where
    return None


def _corner_kind(texts: list[str]) -> Optional[str]:
    text = unicodedata.normalize("NFKC", " ".join(texts))
    best = None
    for kind, pattern in _CORNER_HINTS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[1]):
            best = (kind, m.start())
    return best[0] if best else None


def _search_alias(texts: list[str], aliases: dict[str, str]) -> Optional[str]:
    """The longest catalog alias found inside one of the texts (titles name an indicator or region)."""
    best = None
    for text in texts:
        key = _text_key(text)
        for alias in aliases:
            if len(alias) >= 2 and not alias.isdigit() and alias in key:
                if best is None or len(alias) > len(best):
                    best = alias
    return best


# a column header that is only a generic word for a share: its indicator is in the title
_SHARE_WORDS = {"比重", "占比", "比例", "比重(%)", "占比(%)", "比例(%)"}


def _value_column(axis: _Axis) -> bool:
    """A column of values whose header names no region, indicator or period (本期, 数值, 比重)."""
    return not axis.candidates or (len(axis.candidates) == 1 and axis.candidates[0][0] in _SHARE_WORDS)


def _one_indicator_named(titles: list[str], resolver: LabelResolver) -> Optional[str]:
    """The indicator the title lines name, if they name exactly one (a share by its ratio phrase)."""
    for text in titles:
        share, phrase = resolver.share_indicator(text)
        if phrase:
            return share
    aliases = resolver.catalog.indicator_aliases
    keys = [_text_key(t) for t in titles]
    found = {a for a in aliases if len(a) >= 2 and not a.isdigit() and any(a in k for k in keys)}
    found = {a for a in found if not any(a != b and a in b for b in found)}  # 生产总值 inside 地区生产总值
    codes = {aliases[a] for a in found}
    return codes.pop() if len(codes) == 1 else None


def _third_dimension(kind: str, lines: _Lines, sheet_name: str, resolver: LabelResolver,
                     title_period) -> Optional[str]:
    """The label of the dimension that is on neither axis, from metadata lines, title or sheet name."""
    catalog = resolver.catalog
    if kind == INDICATOR:
        if lines.meta.get("indicator"):
            return lines.meta["indicator"]
        texts = lines.titles + [sheet_name]
        for text in texts:  # a share is named by its ratio phrase, never by the level inside it
            share, phrase = resolver.share_indicator(text)
            if phrase:
                if share is None:
                    return None
                unit = parse_indicator_label(text).unit
                name = catalog.indicators[share].name_zh
                return f"{name}({unit})" if unit else name
        found = _search_alias(texts, catalog.indicator_aliases)
        if not found:
            return None
        # keep a unit written in the title: '2024年各市地区生产总值（万元）'
        title = next(t for t in texts if found in _text_key(t))
        unit = parse_indicator_label(title).unit
        return f"{found}({unit})" if unit else found
    if kind == REGION:
        if lines.meta.get("region"):
            return lines.meta["region"]
        found = _search_alias(lines.titles, catalog.region_aliases)
        if found:
            return found
        database = lines.meta.get("database", "").strip()
        if database and _NATIONAL_DATABASES.match(database):
            return NATION_LABEL
        return None
    if title_period:
        return title_period[0]
    time_line = lines.meta.get("time", "")
    if time_line and parse_period(time_line):
        return time_line
    found = find_period_in_text(sheet_name)
    return found[0] if found else None


def _extract_table(name: str, grid: _Grid, rows: list[int], lines: _Lines,
                   resolver: LabelResolver, out: WorkbookExtract) -> None:
    first, label_cols, unit_col, code_col = _label_columns(grid, rows)
    if not label_cols:
        out.no_data = "no-labels"
        return
    width = max(len(grid.rows[r]) for r in rows)
    value_cols = range(label_cols[-1] + 1, width)
    n_header = _header_rows(grid, rows, label_cols, value_cols, resolver)
    header_rows, data_rows = rows[:n_header], rows[n_header:]
    name_cols = [c for c in label_cols if c not in (unit_col, code_col)]

    found_period = title_period(lines.titles + [lines.meta.get("time", "")])
    if found_period and found_period.conflict:
        out.problems.append(kinds.PERIOD_CONFLICT.at(
            name, "A1", **_found(found_period.found)))
        return
    title_found = None
    if found_period and parse_period(found_period.label, found_period.year or 2000):
        title_found = (found_period.label, found_period.year)
    year_hint = title_found[1] if title_found else None
    if year_hint is None:
        in_name = find_period_in_text(name)
        year_hint = in_name[1] if in_name else None

    columns = _column_axes(grid, header_rows, value_cols)
    row_axes = _row_axes(grid, data_rows, name_cols)
    if code_col is not None:
        for axis in row_axes:
            code = label_text(grid.raw(axis.index, code_col))
            if _REGION_CODE.match(code):
                axis.code = (code, (axis.index, code_col))
                if not axis.candidates:
                    axis.candidates = [axis.code]
    corner = [grid.label(h, c)[0] for h in header_rows for c in label_cols]

    def fraction(axes, kind):
        usable = [a for a in axes if a.candidates and not a.skip]
        if not usable:
            return 0.0
        return sum(1 for a in usable if _resolve(a, kind, resolver, year_hint)) / len(usable)

    col_scores = {k: fraction(columns, k) for k in KINDS}
    row_scores = {k: fraction(row_axes, k) for k in KINDS}
    corner_kind = _corner_kind(corner)
    best, best_score = None, 0.0
    for row_kind in KINDS:
        for col_kind in KINDS:
            if row_kind == col_kind:
                continue
            third = next(k for k in KINDS if k not in (row_kind, col_kind))
            if row_scores[row_kind] == 0 and col_scores[col_kind] < 0.5:
                continue
            if col_scores[col_kind] == 0 and row_scores[row_kind] < 0.5:
                continue
            score = row_scores[row_kind] + col_scores[col_kind]
            score += 0.5 * (corner_kind == row_kind)
            score += 0.25 * bool(_third_dimension(third, lines, name, resolver, title_found))
            if score > best_score:
                best, best_score = (row_kind, col_kind, third), score
    has_numbers = any(_is_number(grid.raw(r, c)) for r in data_rows[:500] for c in value_cols)
    if best is None or not data_rows or not has_numbers:
        out.no_data = "no-axes"
        return
    row_kind, col_kind, third = best
    third_label = _third_dimension(third, lines, name, resolver, title_found)
    if third_label is None:
        out.problems.append(_missing_third(name, third, row_kind, col_kind))
        return
    # value columns only (本期, 数值, 比重): the columns' kind is named by the title too
    value_label = None
    if all(_value_column(a) for a in columns if not a.skip) and any(not a.skip for a in columns):
        value_label = _third_dimension(col_kind, lines, name, resolver, title_found)
        if value_label is None:
            out.problems.append(_missing_third(name, col_kind, row_kind, third))
            return

    if title_found and PERIOD in (row_kind, col_kind) and _ytd_header_is_annual(
            name, title_found, columns if col_kind == PERIOD else row_axes, resolver, year_hint, out):
        return
    _report_skipped(name, columns, "column", out)
    _report_skipped(name, row_axes, "row", out)
    sheet_units = _unit_line_units(lines)
    unit_by_row = {}
    if unit_col is not None:
        unit_by_row = {r: label_text(grid.raw(r, unit_col)) for r in data_rows}

    def chosen(axis: _Axis, kind: str) -> tuple[str, Optional[str]]:
        if kind == REGION and axis.code:
            return _region_by_code(name, axis, resolver, out)
        if value_label and kind == col_kind and _value_column(axis):
            return value_label, None
        found = _resolve(axis, kind, resolver, year_hint)
        if found is None and axis.candidates:
            found = axis.candidates[0]
        if found is None:
            return "", None
        text, where = found
        return text, cell_ref(*where)

    col_labels = [(axis, *chosen(axis, col_kind)) for axis in columns if not axis.skip]
    col_labels = [c for c in col_labels if not (col_kind == REGION and _not_a_region(name, *c[1:], resolver, out))]
    row_labels = []
    for row_axis in row_axes:
        if row_axis.skip:
            continue
        row_label, row_cell = chosen(row_axis, row_kind)
        if not row_label and row_kind == REGION:  # 合计 reads as a value word: still say it is skipped
            for c in name_cols:
                text, where = grid.label(row_axis.index, c)
                if _not_a_region(name, text, cell_ref(*where), resolver, out):
                    break
        if row_label and not (row_kind == REGION and _not_a_region(name, row_label, row_cell, resolver, out)):
            row_labels.append((row_axis, row_label, row_cell))
    # the indicators in axis order, for a unit line that names one unit per indicator
    if col_kind == INDICATOR:
        indicators = [(label, cell) for _, label, cell in col_labels if label]
    elif row_kind == INDICATOR:
        indicators = [(label, cell) for _, label, cell in row_labels]
    else:
        indicators = [(third_label, None)]
    line_units = _units_from_line(name, sheet_units, indicators, resolver, out)
    if third != INDICATOR and lines.titles:
        named_code = _one_indicator_named(lines.titles, resolver)
        in_table = {resolver.indicator(label)[0] for label, _ in indicators} - {None}
        if named_code and len(in_table) == 1 and named_code not in in_table:
            out.title_indicators[name] = named_code
    title_note = _note_qualifiers(name, indicators, lines, resolver, out)
    if any(p.severity == ERROR for p in out.problems):
        return

    for row_axis, row_label, row_cell in row_labels:
        r = row_axis.index
        for col_axis, col_label, col_cell in col_labels:
            if not col_label:
                continue
            raw = grid.raw(r, col_axis.index)
            if raw is None or raw == "":
                continue
            labels = {row_kind: (row_label, row_cell), col_kind: (col_label, col_cell),
                      third: (third_label, None)}
            indicator_label = labels[INDICATOR][0]
            unit = (col_axis.unit or row_axis.unit or unit_by_row.get(r)
                    or line_units.get(indicator_label))
            out.values.append(RawValue(
                name, cell_ref(r, col_axis.index), raw,
                region_label=labels[REGION][0], indicator_label=indicator_label,
                period_label=labels[PERIOD][0],
                region_cell=labels[REGION][1], indicator_cell=labels[INDICATOR][1],
                period_cell=labels[PERIOD][1], unit_hint=unit or None, year_hint=year_hint,
                basis_hint=col_axis.basis or row_axis.basis,
                number_format=grid.formats.get((r, col_axis.index)) if grid.formats else None,
                note=title_note))


def _ytd_header_is_annual(name: str, title: tuple[str, Optional[int]], axes: list[_Axis],
                          resolver: LabelResolver, year_hint, out: WorkbookExtract) -> bool:
    """A title naming a year-to-date period over a header of whole years would store the year to
    date as annual values: ytd-as-annual at the first such header cell."""
    said = parse_period(title[0], title[1] or year_hint or 2000)
    if said is None or not said.quarter or not (said.implied_basis == YTD or said.through):
        return False
    for axis in axes:
        if axis.skip:
            continue
        found = _resolve(axis, PERIOD, resolver, year_hint)
        period = resolver.period(found[0], year_hint) if found else None
        if period is not None and period.implied_basis == YTD and period.quarter != said.quarter:
            # the title says 1-9月, the header 1-6月: which is it?
            out.problems.append(kinds.PERIOD_CONFLICT.at(
                name, cell_ref(*found[1]), raw=found[0], **_found((title[0], found[0]))))
            return True
        if period is None or period.implied_basis != ANNUAL or period.month_end:
            continue
        where = cell_ref(*found[1])
        where_zh, where_en = pair("problem.ytd-as-annual.where", cell=where)
        out.problems.append(kinds.YTD_AS_ANNUAL.at(
            name, where, raw=found[0], ytd_label=title[0], month=said.quarter * 3,
            annual_label=found[0], where_zh=where_zh, where_en=where_en, year=period.year))
        return True
    return False


def _region_by_code(name: str, axis: _Axis, resolver: LabelResolver,
                    out: WorkbookExtract) -> tuple[str, Optional[str]]:
    """A row with a 区划代码: the code is the key; a name that names another region is an error."""
    code_text, where = axis.code
    code = resolver.region(code_text)
    for text, at in axis.candidates:
        other = resolver.region(text)
        if code and other and other != code:
            out.problems.append(kinds.REGION_MISMATCH.at(
                name, cell_ref(*where), raw=code_text, code=code_text, name=text,
                code_name_zh=resolver.catalog.regions[code].name_zh,
                code_name_en=resolver.catalog.regions[code].name_en))
            return "", None
    return code_text, cell_ref(*where)


def _not_a_region(name: str, label: str, cell: Optional[str], resolver: LabelResolver,
                  out: WorkbookExtract) -> bool:
    """合计 and 全国平均 rows are not a region's figure: skipped, with a report line."""
    if not label or resolver.is_region(label):
        return False
    key = alias_key(label)
    why = "total" if _TOTAL_ROW.match(key) else "average" if _AVERAGE_ROW.search(key) else None
    if why:
        out.problems.append(kinds.SKIPPED_ROW.at(name, cell, raw=label, variant=why, label=label))
    return bool(why)


def _note_qualifiers(name: str, indicators: list[tuple[str, Optional[str]]], lines: _Lines,
                     resolver: LabelResolver, out: WorkbookExtract) -> Optional[str]:
    """现价, 初步核算, 快报 ... after an indicator or in the title: notes, not units. Returns the
    title's (every value of the table carries them); a label's go with its values (normalise)."""
    seen = set()
    title_words: dict[str, None] = {}
    for label, cell in indicators + [(t, "A1") for t in lines.titles]:
        words = parse_indicator_label(label).qualifiers if label else ()
        if not words and cell == "A1":
            words = tuple(w for w in _BRACKETED.findall(unicodedata.normalize("NFKC", label or ""))
                          if w in QUALIFIERS)
        if not words or (label, words) in seen:
            continue
        seen.add((label, words))
        out.problems.append(kinds.QUALIFIER.at(name, cell, raw=label, label=label, words=WORD_SEP.join(words)))
        out.notes.append(QUALIFIER_NOTE.format(label=label, words=WORD_SEP.join(words)))
        if cell == "A1":
            title_words.update(dict.fromkeys(words))
    return WORD_SEP.join(title_words) or None


_BRACKETED = re.compile(r"\(([^()]{1,12})\)")


def _column_axes(grid: _Grid, header_rows: list[int], value_cols: range) -> list[_Axis]:
    axes = []
    last = header_rows[-1]
    for c in value_cols:
        parts = []
        for h in header_rows:
            text, where = grid.label(h, c)
            if not text and h != last and c > value_cols.start:
                # an unmerged group header (CSV): it labels the columns to its right
                left = c - 1
                while left >= value_cols.start and not grid.label(h, left)[0]:
                    left -= 1
                if left >= value_cols.start and grid.label(last, c)[0]:
                    text, where = grid.label(h, left)
            parts.append((text, where))
        axis = _classify_parts(parts)
        axis.index = c
        axes.append(axis)
    return axes


def _row_axes(grid: _Grid, data_rows: list[int], name_cols: list[int]) -> list[_Axis]:
    axes = []
    previous_group: dict[int, tuple[str, tuple[int, int]]] = {}
    for r in data_rows:
        parts = []
        for i, c in enumerate(name_cols):
            text, where = grid.label(r, c)
            if not text and i < len(name_cols) - 1 and grid.label(r, name_cols[-1])[0]:
                text, where = previous_group.get(c, ("", where))  # an unmerged group label above
            elif text:
                previous_group[c] = (text, where)
            parts.append((text, where))
        axis = _classify_parts(parts)
        axis.index = r
        axes.append(axis)
    return axes


def _report_skipped(name: str, axes: list[_Axis], what: str, out: WorkbookExtract) -> None:
    for axis in axes:
        if not axis.skip:
            continue
        label = axis.candidates[0][0] if axis.candidates else ""
        full = f"{label} {axis.skip}".strip() if label != axis.skip else axis.skip
        out.problems.append(kinds.SKIPPED_COLUMN.at(
            name, cell_ref(*axis.skip_cell), raw=axis.skip, variant=None if what == "column" else "row",
            label=full))


def _missing_third(name: str, third: str, row_kind: str, col_kind: str) -> Problem:
    words = {}
    for role, kind in (("row", row_kind), ("col", col_kind), ("third", third)):
        words[f"{role}_zh"], words[f"{role}_en"] = pair(f"problem.missing-dimension.{kind}")
    return kinds.MISSING_DIMENSION.at(name, "A1", **words)


def _found(texts: Sequence[str]) -> dict[str, str]:
    """found_zh / found_en of period-conflict: the periods found, each quoted, in a list."""
    sep_zh, sep_en = pair("list.separator")
    quoted = [pair("problem.period-conflict.found", text=text) for text in texts]
    return {"found_zh": sep_zh.join(zh for zh, _ in quoted), "found_en": sep_en.join(en for _, en in quoted)}


def _unit_line_units(lines: _Lines) -> list[str]:
    found = []
    for line in lines.units:
        for token in _UNIT_LINE_SPLIT.split(unicodedata.normalize("NFKC", line)):
            token = units.normalise_unit(token) if token else ""
            if token:
                found.append(token)
    return found


def unit_fits(unit: str, info) -> bool:
    return units.fits(unit, info.measure, info.unit)


def _units_from_line(name: str, sheet_units: list[str], indicators: list[tuple[str, Optional[str]]],
                     resolver: LabelResolver, out: WorkbookExtract) -> dict[str, str]:
    """A unit line (单位：亿元、%) names the units of the indicators: give each the one of its kind;
    several of one kind (单位：万个、个) go to the indicators in order; a unit that fits none of an
    indicator's kind while the line names only that unit is unit-conflict at the label's cell."""
    if not sheet_units:
        return {}
    labels = list(dict.fromkeys(indicators))
    found: dict[str, str] = {}
    for position, (label, cell) in enumerate(labels):
        code, parsed = resolver.indicator(label)
        if code is None or parsed.unit:
            continue
        info = resolver.catalog.indicators[code]
        fitting = [u for u in sheet_units if unit_fits(u, info)]
        if len(set(fitting)) == 1:
            found[label] = fitting[0]
        elif len(fitting) > 1 and len(sheet_units) == len(labels) and sheet_units[position] in fitting:
            found[label] = sheet_units[position]  # 单位：万个、个 over two columns, in order
        elif fitting or len(set(sheet_units)) == 1:
            unit = WORD_SEP.join(dict.fromkeys(fitting or sheet_units))
            where_zh, where_en = pair("problem.unit-conflict.unit_line")
            out.problems.append(kinds.UNIT_CONFLICT.at(
                name, cell or "A1", raw=label, label=label, unit=unit, unit_where_zh=where_zh,
                unit_where_en=where_en, name_zh=info.name_zh, name_en=info.name_en, target=info.unit))
    return found
