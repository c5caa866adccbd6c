"""The plain records that flow through the ETL: file -> sheets -> raw values -> values -> SQL.

    read.read_workbook(bytes, name)           -> Workbook (sheets of cells)        [etl/read/files.py]
    layout.extract_sheet(sheet, catalog)      -> SheetExtract (RawValue items)     [etl/read/layout.py]
    normalise.normalise(raw_values, catalog)  -> values + problems + skipped       [etl/normalise/cells.py]
    validate.check_values(values, catalog)    -> problems (cross-value checks)      [etl/checks/validate.py]
    load.plan / load.apply                    -> rows in SQL, in one transaction    [etl/store/load.py]
    pipeline.check_file / ingest_file         -> the whole chain + a Report         [etl/pipeline.py]

Everything here is a frozen dataclass with no database or Dash dependency, so each step is a pure
function that tests can feed by hand.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from itertools import chain, repeat
from operator import attrgetter
from typing import Any, ClassVar, Optional

# --- what a file holds ---------------------------------------------------------------------------

CellValue = Any  # str | int | float | bool | datetime | None, as the reader found it


@dataclass
class Sheet:
    name: str
    rows: list[list[CellValue]]  # rows[r][c], 0-based; ragged rows allowed
    # merged ranges as (first_row, first_col, last_row, last_col), 0-based inclusive
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)  # 0-based; xlsx only
    hidden_cols: list[int] = field(default_factory=list)
    # (row, col) -> number format code, only for formats that scale what is shown (etl.read.formats)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class Workbook:
    file_name: str
    format: str  # xlsx | xls | csv
    sheets: list[Sheet]
    encoding: Optional[str] = None  # csv only: utf-8, utf-8-sig, gb18030
    hidden_sheets: list[str] = field(default_factory=list)  # not read; listed as skipped in the report


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) -> 'C7'."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def sheet_cell(sheet: str, cell: str | None) -> str:
    """The reference an analyst types into Excel: '各市'!C7."""
    if not cell:
        return f"'{sheet}'"
    return f"'{sheet}'!{cell}"


# --- the catalog, as plain data --------------------------------------------------------------------

@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    name_zh: str
    name_en: str
    unit: str
    measure: str  # flow | stock | ratio
    quarterly_cumulative: bool
    min_value: Optional[float]
    max_value: Optional[float]
    derivation: Optional[str]


@dataclass(frozen=True)
class RegionInfo:
    code: str
    name_zh: str
    name_en: str
    level: str
    parent_code: Optional[str]


@dataclass(frozen=True)
class Catalog:
    """A snapshot of the catalog tables, so that parsing and checking need no database."""

    regions: dict[str, RegionInfo]
    indicators: dict[str, IndicatorInfo]
    region_aliases: dict[str, str]  # labels.alias_key(text) -> region code
    indicator_aliases: dict[str, str]  # alias_key(base label, no unit/当季/累计) -> indicator code


# --- values ----------------------------------------------------------------------------------------

@dataclass(frozen=True, init=False)
class RawValue:
    """One data cell found by the layout step, with the labels that locate it, still as text."""

    sheet: str
    cell: str  # A1 reference of the value cell
    raw: CellValue
    region_label: str
    indicator_label: str
    period_label: str
    region_cell: Optional[str] = None  # where each label was read; None = from a title/metadata line
    indicator_cell: Optional[str] = None
    period_cell: Optional[str] = None
    unit_hint: Optional[str] = None  # from a unit line (单位：亿元) or the header, if not in the label
    number_format: Optional[str] = None  # a format that scales what the cell shows (0.0%, 0!.0000)
    year_hint: Optional[int] = None  # from the title, for period labels without a year (1-9月)
    basis_hint: Optional[str] = None  # from a header (当季/累计) when not in the indicator label
    note: Optional[str] = None  # the template's 备注, or the title's qualifiers (现价, 初步核算)

    def __init__(self, sheet: str, cell: str, raw: CellValue, region_label: str,
                 indicator_label: str, period_label: str, region_cell: Optional[str] = None,
                 indicator_cell: Optional[str] = None, period_cell: Optional[str] = None,
                 unit_hint: Optional[str] = None, number_format: Optional[str] = None,
                 year_hint: Optional[int] = None, basis_hint: Optional[str] = None,
                 note: Optional[str] = None):
        # the generated __init__ of a frozen dataclass sets each field through
        # object.__setattr__ (a quarter of a 200,000-value file's layout step); the instance's
        # __dict__ filled at once is the same object, still frozen afterwards
        self.__dict__.update(
            sheet=sheet, cell=cell, raw=raw, region_label=region_label,
            indicator_label=indicator_label, period_label=period_label, region_cell=region_cell,
            indicator_cell=indicator_cell, period_cell=period_cell, unit_hint=unit_hint,
            number_format=number_format, year_hint=year_hint, basis_hint=basis_hint, note=note)


# the fields of a RawValue that etl.normalise.cells reads for every value, in this order
RAW_COLUMNS = ("raw", "indicator_label", "period_label", "year_hint", "basis_hint", "region_label",
               "unit_hint", "number_format", "note", "sheet", "cell")
_raw_columns_of = attrgetter(*RAW_COLUMNS)


class TemplateValues(Sequence):
    """The long template's values of one sheet, kept as columns (one entry per data row) instead of
    a RawValue per row: etl.normalise.cells reads the columns (`rows`); the RawValue of a row is
    made only when something asks for it (a problem to report at its cells, a test)."""

    def __init__(self, sheet: str, lines: list[str], raws: list, indicators: list[str],
                 regions: list[str], periods: list[str], units: list[Optional[str]],
                 bases: list[Optional[str]], formats: Optional[list[Optional[str]]],
                 notes: list[Optional[str]], letters: tuple[str, str, str, str]):
        self.sheet, self.lines, self.raws = sheet, lines, raws  # lines: '2', '3' ... as in A1 refs
        self.indicators, self.regions, self.periods = indicators, regions, periods
        self.units, self.bases, self.notes = units, bases, notes
        self.formats = formats  # None: no cell of the value column has a scaling format
        self.letters = letters  # columns of the value, indicator, region and period

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        line = self.lines[i]
        lv, li, lr, lp = self.letters
        return RawValue(self.sheet, lv + line, self.raws[i], region_label=self.regions[i],
                        indicator_label=self.indicators[i], period_label=self.periods[i],
                        region_cell=lr + line, indicator_cell=li + line, period_cell=lp + line,
                        unit_hint=self.units[i], basis_hint=self.bases[i],
                        number_format=self.formats[i] if self.formats else None, note=self.notes[i])

    def __iter__(self):
        return map(self.__getitem__, range(len(self)))

    def rows(self):
        """The RAW_COLUMNS of each row, as tuples, without making RawValues."""
        n = len(self.lines)
        cells = list(map((self.letters[0]).__add__, self.lines))
        return zip(self.raws, self.indicators, self.periods, repeat(None, n), self.bases,
                   self.regions, self.units, self.formats or repeat(None, n), self.notes,
                   repeat(self.sheet, n), cells)


class RawValues(Sequence):
    """The raw values of a workbook, sheet after sheet: lists of RawValue and TemplateValues, read
    as one sequence of RawValue (etl.read.layout.extract_workbook's `values`)."""

    def __init__(self, parts: Iterable = ()):
        self.parts: list = []
        for part in parts:
            self.extend(part)

    def extend(self, part) -> None:
        if not len(part):
            return
        if isinstance(part, TemplateValues):
            self.parts.append(part)
        elif self.parts and type(self.parts[-1]) is list:
            self.parts[-1].extend(part)
        else:
            self.parts.append(list(part))

    def append(self, value: RawValue) -> None:
        self.extend([value])

    def __len__(self) -> int:
        return sum(map(len, self.parts))

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(self)[i]
        if i < 0:
            i += len(self)
        for part in self.parts:
            if i < len(part):
                return part[i]
            i -= len(part)
        raise IndexError(i)

    def __iter__(self):
        return chain.from_iterable(self.parts)

    def raws(self):
        """Each value's cell as read, without making RawValues."""
        return chain.from_iterable(p.raws if isinstance(p, TemplateValues) else [rv.raw for rv in p]
                                   for p in self.parts)


def raw_parts(raw_values: Iterable[RawValue]) -> list:
    """`raw_values` as parts (lists of RawValue, TemplateValues) for raw_rows."""
    if isinstance(raw_values, RawValues):
        return raw_values.parts
    if isinstance(raw_values, (TemplateValues, list)):
        return [raw_values]
    return [list(raw_values)]


def raw_rows(part):
    """The RAW_COLUMNS of each value of a part, as tuples (row i of the part is part[i])."""
    if isinstance(part, TemplateValues):
        return part.rows()
    return map(_raw_columns_of, part)


@dataclass(frozen=True, init=False)
class Value:
    """A checked, normalised value, in the indicator's unit, ready to load."""

    indicator_code: str
    region_code: str
    year: int
    quarter: int  # 0 = the whole year
    basis: str  # annual | ytd | quarter
    value: float
    sheet: str
    cell: str
    raw_value: str
    notes: str = ""  # qualifiers of its label or title (现价, 初步核算), the template's 备注

    def __init__(self, indicator_code: str, region_code: str, year: int, quarter: int, basis: str,
                 value: float, sheet: str, cell: str, raw_value: str, notes: str = ""):
        # one per value of a file, made without object.__setattr__ per field (nor a keyword dict:
        # item by item is a fifth faster); `key` (indicator, region, year, quarter, basis) is made
        # once here, not a field (the checks and the load look it up several times per value)
        fields = self.__dict__
        fields["indicator_code"] = indicator_code
        fields["region_code"] = region_code
        fields["year"] = year
        fields["quarter"] = quarter
        fields["basis"] = basis
        fields["value"] = value
        fields["sheet"] = sheet
        fields["cell"] = cell
        fields["raw_value"] = raw_value
        fields["notes"] = notes
        fields["key"] = (indicator_code, region_code, year, quarter, basis)

    key: ClassVar[tuple[str, str, int, int, str]]  # set per instance by __init__


# --- the report ------------------------------------------------------------------------------------

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True)
class Problem:
    """One finding, shaped like a frictionless error: code, where, what, and why in two languages.

    Made only from the catalogue of problem types (etl.checks.problems), which gives each code its
    severity, title, messages and the "how to fix" line; docs/etl.md lists them.
    """

    code: str
    severity: str  # error | warning | info
    message_zh: str
    message_en: str
    sheet: Optional[str] = None
    cell: Optional[str] = None  # A1 reference
    raw: Optional[str] = None
    title_zh: str = ""
    title_en: str = ""
    fix_zh: str = ""  # how to fix it
    fix_en: str = ""

    @property
    def where(self) -> str:
        return sheet_cell(self.sheet, self.cell) if self.sheet else ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["where"] = self.where
        return data
