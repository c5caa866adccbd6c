"""Cross-value checks, as a careful statistician would make them (pure functions, no database).

`check_values(values, catalog)` looks at all the values of one file together:
- duplicate-row (error): the same indicator, region, period and basis twice in one file, even with
  the same number: which cell is meant is ambiguous. The problem names both cells.
- out-of-range (error): outside the catalog's min/max (a share outside 0-100, a negative GDP).
- inconsistent (error):
  * a part larger than its whole: digital_core_va above gdp (same region, period, basis);
  * a reported digital_core_va_share that differs from digital_core_va / gdp * 100 (both in the
    file) by more than SHARE_TOLERANCE_PP percentage points (values are rounded to 0.1, so 0.2 pp
    is rounding plus margin, never a real disagreement);
  * for flows and stocks (not ratios), a region's value larger than its parent's (a city above the
    province, a province above the nation), same indicator, period and basis.
- cumulative-decrease (error): year-to-date values of a cumulative flow (catalog measure 'flow'
  with quarterly_cumulative) that fall within a year (Q3 ytd < Q2 ytd). Stocks (5G stations at the
  quarter's end) and ratios are levels, not sums: they may fall, so they are never checked here; a
  large fall is a suspicious-jump warning instead.
- suspicious-jump (warning): a level that changes by more than the thresholds below against the same
  period of the previous year (flows and stocks), or a ratio that moves by more than
  RATIO_JUMP_PP points between consecutive periods. The typical cause is a unit slip (万元 read as
  亿元 is a factor of 10,000) or a shifted column.

`check_against_current(values, current, catalog)` compares the file with what the database holds
(a dict key -> value, fetched by etl.load): a revision that changes a value by more than
REVISION_WARN_SHARE is a suspicious-jump warning, and the year-on-year / consecutive-period jumps are
also checked against stored values where the file lacks the earlier period.
"""
from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable, Optional

from etl.records import ERROR, WARNING, Catalog, Problem, Value, sheet_cell

SHARE_TOLERANCE_PP = 0.2
# flows: this year / last year outside [1 / FLOW_JUMP_FACTOR, FLOW_JUMP_FACTOR] (nominal GDP growth
# beyond +-50 % in one year is not an economy, it is a typo or a unit)
FLOW_JUMP_FACTOR = 1.5
# stocks: 5G stations grew tenfold in the first roll-out year (2019-2020), so only a factor of 10
# (a 万个 / 个 slip is 10,000) or a halving warns
STOCK_JUMP_UP = 10.0
STOCK_JUMP_DOWN = 0.5
RATIO_JUMP_PP = 30.0
REVISION_WARN_SHARE = 0.10

Key = tuple[str, str, int, int, str]

# (part, whole): the part can never exceed the whole for the same region and period
PART_OF_WHOLE = (("digital_core_va", "gdp"),)
# (share, numerator, denominator, factor)
DERIVED_SHARES = (("digital_core_va_share", "digital_core_va", "gdp", 100.0),)


def period_text(year: int, quarter: int, basis: str, measure: str = "flow") -> tuple[str, str]:
    """(zh, en) period words for messages: 2024年 / 2024年1-9月累计 / 2024年第三季度末 / 2024年第三季度."""
    if quarter == 0 or basis == "annual":
        return f"{year}年", f"{year}"
    zh_q = "一二三四"[quarter - 1]
    if basis == "ytd" and measure != "flow":
        return f"{year}年第{zh_q}季度末", f"end of {year} Q{quarter}"
    if basis == "ytd":
        return f"{year}年1-{quarter * 3}月累计", f"{year} Q1-Q{quarter} (year to date)"
    return f"{year}年第{zh_q}季度（当季）", f"{year} Q{quarter} (quarter alone)"


class _Names:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def of(self, v: Value) -> tuple[str, str]:
        """'地区生产总值，哈尔滨市，2024年' / 'GDP, Harbin, 2024' for a value."""
        ind = self.catalog.indicators.get(v.indicator_code)
        reg = self.catalog.regions.get(v.region_code)
        pz, pe = period_text(v.year, v.quarter, v.basis, ind.measure if ind else "flow")
        return (f"{ind.name_zh if ind else v.indicator_code}，{reg.name_zh if reg else v.region_code}，{pz}",
                f"{ind.name_en if ind else v.indicator_code}, {reg.name_en if reg else v.region_code}, {pe}")

    def indicator(self, code: str) -> tuple[str, str]:
        ind = self.catalog.indicators.get(code)
        return (ind.name_zh, ind.name_en) if ind else (code, code)

    def unit(self, code: str) -> str:
        ind = self.catalog.indicators.get(code)
        return ind.unit if ind else ""


def _fmt(x: float) -> str:
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def _problem(code: str, severity: str, v: Value, zh: str, en: str) -> Problem:
    return Problem(code, severity, f"{sheet_cell(v.sheet, v.cell)}：{zh}", f"{sheet_cell(v.sheet, v.cell)}: {en}",
                   v.sheet, v.cell, v.raw_value)


# --- within one file --------------------------------------------------------------------------------

def check_values(values: list[Value], catalog: Catalog) -> list[Problem]:
    """Every cross-value problem of one file's values (see the module docstring)."""
    names = _Names(catalog)
    problems: list[Problem] = []
    by_key: dict[Key, Value] = {}
    for v in values:
        first = by_key.get(v.key)
        if first is None:
            by_key[v.key] = v
        else:
            problems.append(_duplicate(first, v, names))
    problems += check_ranges(values, catalog, names)
    problems += check_parts(by_key, names)
    problems += check_shares(by_key, names)
    problems += check_parents(by_key, catalog, names)
    problems += check_cumulative(by_key, catalog, names)
    problems += check_jumps(by_key, catalog, names, by_key)
    return problems


def _duplicate(first: Value, again: Value, names: _Names) -> Problem:
    zh, en = names.of(again)
    where = sheet_cell(first.sheet, first.cell)
    same = math.isclose(first.value, again.value, rel_tol=1e-9, abs_tol=1e-12)
    return _problem(
        "duplicate-row", ERROR, again,
        f"与 {where} 重复（{zh}）" + ("，数值相同" if same else f"，数值不同：{first.raw_value} 与 {again.raw_value}")
        + "。同一指标、地区、时期只能出现一次，请删除其中一个。",
        f"duplicates {where} ({en})" + (", same number" if same else
                                        f", different numbers: {first.raw_value} and {again.raw_value}")
        + ". An indicator, region and period may appear only once; delete one of them.")


def check_ranges(values: Iterable[Value], catalog: Catalog, names: Optional[_Names] = None) -> list[Problem]:
    names = names or _Names(catalog)
    problems = []
    for v in values:
        info = catalog.indicators.get(v.indicator_code)
        if info is None:
            continue
        low, high = info.min_value, info.max_value
        if (low is None or v.value >= low) and (high is None or v.value <= high):
            continue
        zh, en = names.of(v)
        bounds_zh = (f"{_fmt(low)}" if low is not None else "−∞") + " 至 " + (
            f"{_fmt(high)}" if high is not None else "+∞")
        bounds_en = (f"{_fmt(low)}" if low is not None else "-inf") + " to " + (
            f"{_fmt(high)}" if high is not None else "+inf")
        problems.append(_problem(
            "out-of-range", ERROR, v,
            f"数值 {_fmt(v.value)}{info.unit} 超出允许范围 {bounds_zh}{info.unit}（{zh}）",
            f"value {_fmt(v.value)} {info.unit} is outside the allowed range {bounds_en} {info.unit} ({en})"))
    return problems


def check_parts(by_key: dict[Key, Value], names: _Names) -> list[Problem]:
    problems = []
    for part_code, whole_code in PART_OF_WHOLE:
        for key, part in by_key.items():
            if key[0] != part_code:
                continue
            whole = by_key.get((whole_code,) + key[1:])
            if whole is None or part.value <= whole.value * (1 + 1e-9):
                continue
            zh, en = names.of(part)
            wz, we = names.indicator(whole_code)
            unit = names.unit(part_code)
            problems.append(_problem(
                "inconsistent", ERROR, part,
                f"{zh} 为 {_fmt(part.value)}{unit}，大于同期{wz} {_fmt(whole.value)}{unit}"
                f"（{sheet_cell(whole.sheet, whole.cell)}）：部分不能大于整体。",
                f"{en} is {_fmt(part.value)} {unit}, more than {we} {_fmt(whole.value)} {unit} for the "
                f"same period ({sheet_cell(whole.sheet, whole.cell)}): a part cannot exceed the whole."))
    return problems


def check_shares(by_key: dict[Key, Value], names: _Names) -> list[Problem]:
    problems = []
    for share_code, num_code, den_code, factor in DERIVED_SHARES:
        for key, share in by_key.items():
            if key[0] != share_code:
                continue
            num = by_key.get((num_code,) + key[1:])
            den = by_key.get((den_code,) + key[1:])
            if num is None or den is None or den.value <= 0:
                continue
            computed = num.value / den.value * factor
            if abs(computed - share.value) <= SHARE_TOLERANCE_PP:
                continue
            zh, en = names.of(share)
            nz, ne = names.indicator(num_code)
            dz, de = names.indicator(den_code)
            cells = f"{sheet_cell(num.sheet, num.cell)}、{sheet_cell(den.sheet, den.cell)}"
            problems.append(_problem(
                "inconsistent", ERROR, share,
                f"{zh} 填报为 {_fmt(share.value)}%，但按{nz}÷{dz}（{cells}）计算为 {computed:.2f}%，"
                f"相差超过 {SHARE_TOLERANCE_PP} 个百分点。",
                f"{en} is reported as {_fmt(share.value)}%, but {ne} / {de} ({cells.replace('、', ', ')}) "
                f"gives {computed:.2f}%, more than {SHARE_TOLERANCE_PP} points apart."))
    return problems


def check_parents(by_key: dict[Key, Value], catalog: Catalog, names: _Names) -> list[Problem]:
    """A city cannot exceed its province, nor a province the nation, for sums and counts."""
    problems = []
    for key, child in by_key.items():
        info = catalog.indicators.get(key[0])
        region = catalog.regions.get(key[1])
        if info is None or info.measure == "ratio" or region is None or not region.parent_code:
            continue
        parent = by_key.get((key[0], region.parent_code) + key[2:])
        if parent is None or child.value <= parent.value * (1 + 1e-9):
            continue
        zh, en = names.of(child)
        pz, pe = names.of(parent)
        problems.append(_problem(
            "inconsistent", ERROR, child,
            f"{zh} 为 {_fmt(child.value)}{info.unit}，大于上级地区的数值 {_fmt(parent.value)}{info.unit}"
            f"（{pz}，{sheet_cell(parent.sheet, parent.cell)}）。",
            f"{en} is {_fmt(child.value)} {info.unit}, more than its parent region's "
            f"{_fmt(parent.value)} {info.unit} ({pe}, {sheet_cell(parent.sheet, parent.cell)})."))
    return problems


def check_cumulative(by_key: dict[Key, Value], catalog: Catalog, names: _Names) -> list[Problem]:
    """Year-to-date sums of a flow never fall within a year (negative flows aside)."""
    series: dict[tuple[str, str, int], list[Value]] = defaultdict(list)
    for key, v in by_key.items():
        info = catalog.indicators.get(key[0])
        if info is None or key[4] != "ytd" or info.measure != "flow" or not info.quarterly_cumulative:
            continue
        series[(key[0], key[1], key[2])].append(v)
    problems = []
    for items in series.values():
        items.sort(key=lambda v: v.quarter)
        for before, after in zip(items, items[1:]):
            if after.value >= before.value or before.value < 0:
                continue
            zh, en = names.of(after)
            info = catalog.indicators[after.indicator_code]
            problems.append(_problem(
                "cumulative-decrease", ERROR, after,
                f"{zh} 累计值 {_fmt(after.value)}{info.unit} 小于前一季度累计值 {_fmt(before.value)}{info.unit}"
                f"（{sheet_cell(before.sheet, before.cell)}）：年内累计值不能减少。",
                f"{en}: the year-to-date value {_fmt(after.value)} {info.unit} is below the previous "
                f"quarter's {_fmt(before.value)} {info.unit} ({sheet_cell(before.sheet, before.cell)}): "
                f"a year-to-date sum cannot fall within a year."))
    return problems


def _previous_key(key: Key, measure: str) -> Optional[Key]:
    """The period a value is compared with: the same period last year for levels (flows have
    seasons; stocks grow through the year), the previous period for ratios."""
    code, region, year, quarter, basis = key
    if measure != "ratio" or quarter == 0:
        return (code, region, year - 1, quarter, basis)
    if quarter == 1:
        return (code, region, year - 1, 4, basis)
    return (code, region, year, quarter - 1, basis)


def _jump(info, old: float, new: float) -> bool:
    if info.measure == "ratio":
        return abs(new - old) > RATIO_JUMP_PP
    if old <= 0 or new <= 0:
        return False
    ratio = new / old
    if info.measure == "flow":
        return ratio > FLOW_JUMP_FACTOR or ratio < 1 / FLOW_JUMP_FACTOR
    return ratio > STOCK_JUMP_UP or ratio < STOCK_JUMP_DOWN


def check_jumps(by_key: dict[Key, Value], catalog: Catalog, names: _Names,
                earlier: dict[Key, Value] | dict[Key, float]) -> list[Problem]:
    """suspicious-jump warnings: each value against its comparison period in `earlier`
    (the file itself, or the database's current values)."""
    problems = []
    for key, v in by_key.items():
        info = catalog.indicators.get(key[0])
        if info is None:
            continue
        prev_key = _previous_key(key, info.measure)
        prev = earlier.get(prev_key) if prev_key else None
        if prev is None:
            continue
        prev_value = prev.value if isinstance(prev, Value) else float(prev)
        if not _jump(info, prev_value, v.value):
            continue
        zh, en = names.of(v)
        pz, pe = period_text(*prev_key[2:], info.measure)
        where = f"（{sheet_cell(prev.sheet, prev.cell)}）" if isinstance(prev, Value) else "（数据库现值）"
        where_en = f" ({sheet_cell(prev.sheet, prev.cell)})" if isinstance(prev, Value) else " (in the database)"
        if info.measure == "ratio":
            change_zh = f"变动 {v.value - prev_value:+.1f} 个百分点，超过 {RATIO_JUMP_PP:g} 个百分点"
            change_en = f"moves {v.value - prev_value:+.1f} points, more than {RATIO_JUMP_PP:g}"
        else:
            pct = (v.value / prev_value - 1) * 100
            change_zh, change_en = f"变动 {pct:+.1f}%", f"changes by {pct:+.1f}%"
        problems.append(_problem(
            "suspicious-jump", WARNING, v,
            f"{zh} 为 {_fmt(v.value)}{info.unit}，较{pz} {_fmt(prev_value)}{info.unit}{where}{change_zh}，"
            f"请核对单位和数值。",
            f"{en} is {_fmt(v.value)} {info.unit}; against {pe}, {_fmt(prev_value)} {info.unit}{where_en}, "
            f"it {change_en}. Check the unit and the number."))
    return problems


# --- against the database ----------------------------------------------------------------------------

def check_against_current(values: list[Value], current: dict[Key, float], catalog: Catalog) -> list[Problem]:
    """Warnings from comparing a file with the database's current values (key -> value).

    - a revision larger than REVISION_WARN_SHARE of the stored value;
    - suspicious jumps against stored earlier periods the file itself does not hold.
    """
    names = _Names(catalog)
    problems = []
    in_file: dict[Key, Value] = {}
    for v in values:
        in_file.setdefault(v.key, v)
    for key, v in in_file.items():
        old = current.get(key)
        if old is None or math.isclose(old, v.value, rel_tol=1e-9, abs_tol=1e-12):
            continue
        info = catalog.indicators.get(key[0])
        unit = info.unit if info else ""
        change = abs(v.value - old) / abs(old) if old else math.inf
        if change <= REVISION_WARN_SHARE:
            continue
        zh, en = names.of(v)
        pct = "∞" if math.isinf(change) else f"{change * 100:.1f}%"
        problems.append(_problem(
            "suspicious-jump", WARNING, v,
            f"{zh} 将由数据库现值 {_fmt(old)}{unit} 修订为 {_fmt(v.value)}{unit}，变动 {pct}，"
            f"超过 {REVISION_WARN_SHARE * 100:g}%，请确认是正式修订。",
            f"{en} would be revised from the stored {_fmt(old)} {unit} to {_fmt(v.value)} {unit}, "
            f"a change of {pct}, more than {REVISION_WARN_SHARE * 100:g}%: confirm it is a real revision."))
    stored_only = {k: val for k, val in current.items() if k not in in_file}
    problems += check_jumps(in_file, catalog, names, stored_only)
    return problems
