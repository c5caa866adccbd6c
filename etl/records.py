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

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

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

@dataclass(frozen=True)
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


@dataclass(frozen=True)
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

    @property
    def key(self) -> tuple[str, str, int, int, str]:
        return (self.indicator_code, self.region_code, self.year, self.quarter, self.basis)


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
