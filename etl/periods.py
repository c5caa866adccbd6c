"""Periods: one value type and ONE formatter for every period label users read.

Pure (no database, no Dash). Cards, hovers, chart titles, the period selector, the data grid, the
export, the long template, validation messages and the CLI all name a period through
`format_period`, so one period has one name everywhere.

Stored form
    An observation's period is (year, quarter, basis): quarter 0 = the whole year, 1..4; basis
      'annual'   the whole year
      'ytd'      up to the quarter's end: the year-to-date sum of a flow, or, for a stock or a rate
                 not reported cumulatively, the level at the quarter's end (as the ETL stores them)
      'quarter'  that quarter alone (当季)
    In a URL the period is its key: 2025, 2025Q3 (ytd), 2025q3 (quarter alone).

Kinds of values
    What a period label means depends on what is measured. The catalog declares it for every
    indicator with two columns of data/seed/indicators.csv, `measure` (flow / stock / ratio) and
    `quarterly_cumulative` (1 = quarterly values are reported year to date); `value_kind` maps them
    to the kind of its values:
      FLOW_YTD      a flow reported year to date (GDP, core-industry value added)
      FLOW_QUARTER  a flow reported per quarter
      STOCK         a stock at the end of the period (5G base stations, year-end population)
      RATE          a rate or share of the period, which follows its basis: of the year to date
                    (core-industry share of GDP: quarterly_cumulative 1), of the quarter alone
                    when stored 'quarter';
      RATE_EOP      ... or a rate measured at the period's end (coverage rates, 5G stations per
                    10,000 people: ratio with quarterly_cumulative 0).

Labels (the forms of 黑龙江省统计局 releases: 一季度, 上半年, 前三季度, 全年)
    kind / period             2025 Q3                          whole year 2025
    FLOW_YTD, RATE            2025年前三季度 | Q1–Q3 2025        2025年 | 2025
                              (Q1 2025年一季度 | Q1 2025, Q2 上半年 | H1, Q4 全年 | full year)
    FLOW_QUARTER, or any kind 2025年第三季度 | Q3 2025           2025年 | 2025
      stored 'quarter'        (a flow's stored basis decides: 'ytd' reads as FLOW_YTD)
    STOCK                     2025年第三季度末 | end of Q3 2025  2025年末 | end of 2025
    RATE_EOP                  2025年第三季度末 | end of Q3 2025  2025年 | 2025
    kind None (no indicator)  the stored basis decides: 'ytd' as FLOW_YTD, 'quarter' as above
    A fourth quarter's year to date (2025年全年) and the annual value (2025年) are kept apart, as
    the store keeps them.

Shown basis
    The stored basis 'ytd' of a stock is not a year-to-date sum; what users read (grid, hover,
    export) is `basis_of`: 'eop' (期末值, end of period) for stocks and for rates at the
    quarter's end, else the stored basis. Nothing stores 'eop'; the catalog's kind is the one
    source of truth.
"""
from __future__ import annotations

from collections.abc import Mapping  # not typing's: isinstance through it is several times slower
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from etl.wording.catalogue import pair

ANNUAL, YTD, QUARTER = "annual", "ytd", "quarter"   # stored basis codes
EOP = "eop"                                          # shown basis of end-of-period levels, never stored
BASES = (ANNUAL, YTD, QUARTER)

FLOW_YTD, FLOW_QUARTER, STOCK = "flow_ytd", "flow_quarter", "stock"
RATE, RATE_EOP = "rate", "rate_eop"
KINDS = (FLOW_YTD, FLOW_QUARTER, STOCK, RATE, RATE_EOP)

# The labels and basis names are etl/wording/texts/periods.toml (period.*): (zh, en) templates of
# {year}, by the label's form and quarter.
_LABELS = {(form, q): pair(f"period.{form}.{q}") for form in ("quarter", "eop", "ytd") for q in (1, 2, 3, 4)}
_LABELS |= {("annual", 0): pair("period.annual"), ("year_end", 0): pair("period.year_end")}
BASIS_NAMES = {code: pair(f"period.basis.{code}") for code in (ANNUAL, YTD, QUARTER, EOP)}


def value_kind(measure: Optional[str], quarterly_cumulative: Any = False) -> str:
    """The kind of an indicator's values from its catalog columns (see the module docstring)."""
    if measure == "stock":
        return STOCK
    if measure == "flow":
        return FLOW_YTD if quarterly_cumulative else FLOW_QUARTER
    return RATE if quarterly_cumulative else RATE_EOP


def kind_of(indicator: Any) -> Optional[str]:
    """The kind of an indicator given as a mapping or an object with `measure` and
    `quarterly_cumulative` (a catalog row, IndicatorInfo, a queries dict), or a row that already
    carries `kind`; None when it says neither."""
    if indicator is None:
        return None
    get = indicator.get if isinstance(indicator, Mapping) else (lambda k, d=None: getattr(indicator, k, d))
    if get("kind") in KINDS:
        return get("kind")
    measure = get("measure")
    if measure is None:
        return None
    return value_kind(measure, get("quarterly_cumulative", False))


@dataclass(frozen=True)
class Period:
    """year, quarter (0 = the whole year) and the stored basis."""

    year: int
    quarter: int = 0
    basis: str = ANNUAL

    def __post_init__(self):
        if not 0 <= self.quarter <= 4:
            raise ValueError(f"quarter must be 0..4, not {self.quarter!r}")
        if self.basis not in BASES:
            raise ValueError(f"unknown basis {self.basis!r}: use one of {', '.join(BASES)}")
        if self.quarter == 0 and self.basis != ANNUAL:
            object.__setattr__(self, "basis", ANNUAL)

    @property
    def annual(self) -> bool:
        return self.quarter == 0 or self.basis == ANNUAL

    @classmethod
    def of(cls, value: Any) -> "Period":
        """A Period from a Period, a (year, quarter, basis) tuple, or a row with those keys."""
        if isinstance(value, Period):
            return value
        if isinstance(value, Mapping):
            return cls(int(value["year"]), int(value.get("quarter") or 0),
                       value.get("basis") or ANNUAL)
        year, quarter, *rest = value
        return cls(int(year), int(quarter or 0), rest[0] if rest else (YTD if quarter else ANNUAL))

    def as_tuple(self) -> tuple[int, int, str]:
        return self.year, self.quarter, self.basis

    @property
    def key(self) -> str:
        """The period in a URL: 2025, 2025Q3 (year to date), 2025q3 (the quarter alone)."""
        if self.annual:
            return str(self.year)
        return f"{self.year}{'Q' if self.basis == YTD else 'q'}{self.quarter}"

    @classmethod
    def from_key(cls, text: Optional[str]) -> Optional["Period"]:
        """The inverse of `key`; None for anything else."""
        if not text:
            return None
        text = str(text).strip()
        try:
            for sep, basis in (("Q", YTD), ("q", QUARTER)):
                if sep in text:
                    year, quarter = text.split(sep)
                    if not 1 <= int(quarter) <= 4:
                        return None
                    return cls(int(year), int(quarter), basis)
            return cls(int(text), 0, ANNUAL)
        except ValueError:
            return None

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Chronological order; a whole year sorts with its fourth quarter, after it (it is final)."""
        return period_sort_key(self.year, self.quarter)


def period_sort_key(year: int, quarter: int) -> tuple[int, int, int]:
    """Chronological order; a whole year sorts with its fourth quarter, after it (it is final)."""
    return (year, quarter or 4, 1 if quarter == 0 else 0)


def _kind_for(period: Period, kind: Optional[str]) -> str:
    if kind in KINDS:
        return kind
    if kind is not None:
        raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    return FLOW_YTD if period.basis == YTD else FLOW_QUARTER


def _form(period: Period, kind: Optional[str]) -> str:
    """'annual' | 'ytd' | 'quarter' | 'eop' | 'year_end': the shape of the label."""
    kind = _kind_for(period, kind)
    if kind == STOCK:
        return "year_end" if period.annual else "eop"
    if period.annual:
        return "annual"
    if period.basis == QUARTER:
        return "quarter"
    if kind == RATE_EOP:
        return "eop"
    return "ytd"


def format_period(period: Any, kind: Optional[str] = None, lang: str = "zh") -> str:
    """THE period label (see the module docstring for the table).

    period: a Period, a (year, quarter, basis) tuple or a row with those keys.
    kind: one of KINDS (`value_kind` / `kind_of` give an indicator's), or None when no indicator
    is concerned (then the stored basis decides: 'ytd' reads as a flow's year to date).
    """
    zh = str(lang).lower().startswith("zh")
    if type(period) is tuple or type(period) is Period:  # every row of a page: once per label
        try:
            return _period_label(period, kind, zh)
        except TypeError:  # an unhashable part: worked out below, as any other value
            pass
    return _label(Period.of(period), kind, zh)


@lru_cache(maxsize=4096)
def _period_label(period: tuple | Period, kind: Optional[str], zh: bool) -> str:
    """format_period of a hashable period: a page's thousands of rows share a few dozen labels
    (a ValueError for a bad period or kind is raised each time, never kept)."""
    return _label(Period.of(period), kind, zh)


def _label(p: Period, kind: Optional[str], zh: bool) -> str:
    form = _form(p, kind)
    label_zh, label_en = _LABELS[form, 0 if form in ("annual", "year_end") else p.quarter]
    return (label_zh if zh else label_en).format(year=p.year)


def basis_of(period: Any, kind: Optional[str] = None) -> str:
    """The basis code users read (grid, hover, export): 'eop' for end-of-period levels (stocks,
    rates at the quarter's end), else the stored basis."""
    p = Period.of(period)
    return EOP if _form(p, kind) in ("eop", "year_end") else p.basis


def format_basis(period: Any, kind: Optional[str] = None, lang: str = "zh") -> str:
    """年度 / 年初至今累计 / 当季 / 期末值 (annual / year to date / quarter / end of period)."""
    zh, en = BASIS_NAMES[basis_of(period, kind)]
    return zh if str(lang).lower().startswith("zh") else en


def indicator_period(period: Any, indicator: Any, lang: str = "zh") -> str:
    """format_period for a value of `indicator` (a catalog row, IndicatorInfo or dict with measure
    and quarterly_cumulative, or a row carrying kind)."""
    return format_period(period, kind_of(indicator), lang)


def indicator_period_pair(period: Any, indicator: Any) -> tuple[str, str]:
    """(zh, en) of indicator_period, for what carries both languages (a problem's messages)."""
    return indicator_period(period, indicator, "zh"), indicator_period(period, indicator, "en")


def indicator_basis(period: Any, indicator: Any, lang: Optional[str] = None) -> str:
    """The shown basis of a value of `indicator`: its code, or with `lang` its name."""
    kind = kind_of(indicator)
    return basis_of(period, kind) if lang is None else format_basis(period, kind, lang)


# --- coverage: which period a breakdown opens on -----------------------------------------------

# A period is reasonably complete for a breakdown (the 13 cities ranked or mapped) when at least
# this share of its regions have a value: 9 of 13. A newer period below it (a 2026 quarter that one
# city has reported) is offered, marked as partial, but never opened by default.
MIN_COVERAGE = 2 / 3


def well_covered(count: int, total: int, min_share: float = MIN_COVERAGE) -> bool:
    """True when `count` of `total` regions is reasonably complete (see MIN_COVERAGE)."""
    return total > 0 and count >= min_share * total


def default_period(coverage: Any, total: int, min_share: float = MIN_COVERAGE):
    """The period a breakdown opens on: the newest well-covered one; when none is, the one with
    the most regions (the newest of those). coverage: (period, number of regions with a value)
    pairs, periods as Period or (year, quarter, basis) tuples; returns one of them, or None."""
    pairs = list(coverage)
    if not pairs:
        return None
    newest_first = sorted(pairs, key=lambda pc: Period.of(pc[0]).sort_key, reverse=True)
    for period, count in newest_first:
        if well_covered(count, total, min_share):
            return period
    return max(newest_first, key=lambda pc: pc[1])[0]
