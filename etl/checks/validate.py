"""Cross-value checks, as a careful statistician would make them (pure functions, no database).

Every finding is a problem type of etl.checks.problems (its code in brackets below).

`check_values(values, catalog)` looks at all the values of one file together:
- [duplicate-row] error: the same indicator, region, period and basis twice in one file, even with
  the same number: which cell is meant is ambiguous. The problem names both cells.
- [out-of-range] error: outside the catalog's min/max (a share outside 0-100, a negative GDP).
- [part-above-whole] error: digital_core_va above gdp (same region, period, basis).
- [share-mismatch] error: a reported digital_core_va_share that differs from digital_core_va / gdp
  * 100 (both in the file) by more than SHARE_TOLERANCE_PP percentage points (values are rounded to
  0.1, so 0.2 pp is rounding plus margin, never a real disagreement).
- [above-parent] error: for flows and stocks (not ratios), a region's value larger than its
  parent's (a city above the province, a province above the nation), same indicator, period, basis.
- [cumulative-decrease] error: year-to-date values of a cumulative flow (catalog measure 'flow'
  with quarterly_cumulative) that fall within a year (Q3 ytd < Q2 ytd). Stocks (5G stations at the
  quarter's end) and ratios are levels, not sums: they may fall, so they are never checked here; a
  large fall is a suspicious-jump warning instead.
- [quarter-sum-mismatch] error: 'quarter' (当季) values of a cumulative flow that do not add up to
  the year-to-date values of the same file (Q3 alone != 1-9月 - 1-6月, Q1 alone != 1-3月, or
  Q1 + ... + Qn alone != 1-n ytd), beyond QUARTER_SUM_TOLERANCE; every cell involved is named.
- [per-10k-mismatch] warning: a reported fiveg_per_10k more than PER_10K_TOLERANCE away from
  fiveg_base_stations / population (the year-end population of the year before for a quarter, as
  etl.store.queries derives it; the same year's is accepted too, since offices differ).
- [suspicious-jump] warning: a level that changes by more than the thresholds below against the
  same period of the previous year (flows and stocks), or a ratio that moves by more than
  RATIO_JUMP_PP points between consecutive periods. The typical cause is a unit slip (万元 read as
  亿元 is a factor of 10,000) or a shifted column.
- [fraction-as-percent] warning: every value of a % indicator in the file lies within 0-1.
- [outlier] error: a flow's or stock's value OUTLIER_FACTOR or more times (or a fraction as small
  as) its neighbours in its own series in the file (same indicator, region, period of the year and
  basis; the years before and after): a flipped byte, a lost or extra digit, a unit slip. A stock's
  earliest value may be far below the next (a roll-out from a low start).

`check_against_current(values, current, catalog)` compares the file with what the database holds
(a dict key -> Stored (value + batch, file, cell), or a bare float, fetched by etl.store.load). The file's
own values always come first; a stored value fills in only what the file lacks:
- errors, where the facts together are impossible: core value added above GDP (either side from the
  database; part-above-whole); a year-to-date flow below the stored earlier quarter's, or above the
  stored later quarter's, of the same year (cumulative-decrease); a reported core share more than
  SHARE_TOLERANCE_PP away from core / GDP when the share is the file's (share-mismatch); a flow or
  stock of the file above its parent region's stored value, or a file's parent below a stored
  child (above-parent: a province above the nation); a value about
  100, 1,000 or 10,000 times the same series' stored neighbours (scale-slip). Demo values are not
  facts: they are never the stored side of an error (a real file replaces them).
- warnings: a stored share that the file's new core or GDP no longer matches (stale-share: the
  office publishes the revised share later); a fiveg_per_10k that disagrees with stations /
  population (per-10k-mismatch); a revision that changes a value by more than REVISION_WARN_SHARE
  (large-revision); year-on-year and consecutive-period jumps against stored values where the file
  lacks the earlier period (suspicious-jump).
The messages name the file's cell, the stored value and the batch and file it came from; their
words, and the pieces put into them, are problem.* texts (etl/wording/texts/problems.toml), their
numbers written by etl.wording.numbers.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Optional, Union

from etl.checks import problems as kinds
from etl.periods import indicator_period, indicator_period_pair
from etl.records import Catalog, Problem, Value, sheet_cell
from etl.wording.catalogue import pair, t
from etl.wording.numbers import fmt_change, fmt_decimals, fmt_plain

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
# quarter-alone flows against year-to-date differences: figures rounded to 0.1 (three roundings are
# 0.15 at most) and offices that round each quarter independently; relative to the ytd value
QUARTER_SUM_TOLERANCE = 0.002
QUARTER_SUM_FLOOR = 0.2
# 5G stations per 10,000 people: rounding to 0.1 and the choice of population (year-end of the year
# before or of the same year, ~1 % apart) stay well within 3 %
PER_10K_TOLERANCE = 0.03
PER_10K_FLOOR = 0.1

# a flow or stock this many times its own series' neighbours in the file (or a fraction as small):
# GDP and station counts never move 50-fold in a year; a flipped byte in an xls made provincial GDPs
# 84 and 142 times too large, a lost digit makes 2384 into 23 (1/100)
OUTLIER_FACTOR = 50.0

Key = tuple[str, str, int, int, str]

# (part, whole): the part can never exceed the whole for the same region and period
PART_OF_WHOLE = (("digital_core_va", "gdp"),)
# (share, numerator, denominator, factor)
DERIVED_SHARES = (("digital_core_va_share", "digital_core_va", "gdp", 100.0),)
PER_10K = ("fiveg_per_10k", "fiveg_base_stations", "population")
# indicators checked together: etl.store.load fetches the stored values of the whole group for the regions
# of a file holding any one of them
RELATED_GROUPS = (frozenset({"gdp", "digital_core_va", "digital_core_va_share"}), frozenset(PER_10K))


def related_indicators(codes: Iterable[str]) -> set[str]:
    """The indicators whose stored values the cross-checks of a file with `codes` may need."""
    codes = set(codes)
    out = set(codes)
    for group in RELATED_GROUPS:
        if codes & group:
            out |= group
    return out


@dataclass(frozen=True)
class Stored:
    """A current value in the database, with where it came from (for messages)."""

    value: float
    batch_id: Optional[int] = None
    file_name: str = ""
    sheet: str = ""
    cell: str = ""
    is_demo: bool = False


Known = Union[Value, Stored]


def _where(x: Known) -> tuple[str, str]:
    """Where a value is: its cell in this file, or the stored value's batch, file and cell."""
    if isinstance(x, Value):
        ref = sheet_cell(x.sheet, x.cell)
        return ref, ref
    if x.batch_id is None:
        return pair("problem.where.database")
    if x.sheet:
        return pair("problem.where.stored_cell", batch=x.batch_id, file=x.file_name,
                    ref=sheet_cell(x.sheet, x.cell))
    return pair("problem.where.stored", batch=x.batch_id, file=x.file_name)


def _in_file(*operands: Known) -> int:
    return sum(isinstance(x, Value) for x in operands)


def _mixed(*operands: Known) -> bool:
    """At least one operand from the file and one from the database (file-only ones are checked by
    check_values, database-only ones are not this file's doing)."""
    return 0 < _in_file(*operands) < len(operands)


class _Names:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def of(self, v: Value) -> tuple[str, str]:
        """'地区生产总值，哈尔滨市，2024年' / 'GDP, Harbin, 2024' for a value."""
        ind = self.catalog.indicators.get(v.indicator_code)
        reg = self.catalog.regions.get(v.region_code)
        pz, pe = indicator_period_pair((v.year, v.quarter, v.basis), ind)
        zh = t("problem.what", "zh", indicator=ind.name_zh if ind else v.indicator_code,
               region=reg.name_zh if reg else v.region_code, period=pz)
        en = t("problem.what", "en", indicator=ind.name_en if ind else v.indicator_code,
               region=reg.name_en if reg else v.region_code, period=pe)
        return zh, en

    def of_key(self, key: Key, x: Known) -> tuple[str, str]:
        """names.of for a value of the file; for a stored one, its key's words and where it is."""
        if isinstance(x, Value):
            return self.of(x)
        zh, en = self.of(Value(*key, x.value, x.sheet, x.cell, ""))
        wz, we = _where(x)
        return t("problem.what_where", "zh", what=zh, where=wz), t("problem.what_where", "en", what=en, where=we)

    def indicator(self, code: str) -> tuple[str, str]:
        ind = self.catalog.indicators.get(code)
        return (ind.name_zh, ind.name_en) if ind else (code, code)

    def unit(self, code: str) -> str:
        ind = self.catalog.indicators.get(code)
        return ind.unit if ind else ""


def _fmt(x: float) -> str:
    """A value, bound or limit in a message: up to 4 decimals, thousands grouped ('12,345.6', '+∞')."""
    return fmt_plain(x, 4, large_whole=False)


def _computed(x: float) -> str:
    """A share or per-10k figure computed from other values: two decimals ('7.50')."""
    return fmt_decimals(x, 2, grouped=False)


# --- within one file --------------------------------------------------------------------------------

def check_values(values: list[Value], catalog: Catalog) -> list[Problem]:
    """Every cross-value problem of one file's values (see the module docstring)."""
    names = _Names(catalog)
    problems: list[Problem] = []
    by_key: dict[Key, Value] = dict(zip([v.key for v in values], values))
    if len(by_key) < len(values):  # a key twice: keep its first value and name both cells
        by_key = {}
        for v in values:
            first = by_key.get(v.key)
            if first is None:
                by_key[v.key] = v
            else:
                problems.append(_duplicate(first, v, names))
    problems += check_ranges(values, catalog, names)
    problems += check_parts(by_key, names)
    problems += check_shares(by_key, names)
    problems += check_per_10k(by_key, names)
    problems += check_quarter_sums(by_key, catalog, names)
    problems += check_parents(by_key, catalog, names)
    problems += check_cumulative(by_key, catalog, names)
    problems += check_outliers(by_key, catalog, names)
    problems += check_jumps(by_key, catalog, names, by_key)
    problems += check_fractions(by_key, catalog, names)
    return problems


def check_fractions(by_key: dict[Key, Value], catalog: Catalog, names: _Names) -> list[Problem]:
    """fraction-as-percent: every value of a % indicator in a sheet lies within 0-1 (35.2% typed
    as 0.352): a warning naming the cells."""
    columns: dict[tuple[str, str], list[Value]] = defaultdict(list)
    percent = {code for code, info in catalog.indicators.items() if info.unit == "%"}
    for key, v in by_key.items():
        if key[0] in percent:
            columns[(v.sheet, key[0])].append(v)
    problems = []
    for (_, code), found in columns.items():
        if all(0 <= v.value <= 1 for v in found) and any(v.value > 0 for v in found):
            nz, ne = names.indicator(code)
            cells = ", ".join(v.cell for v in found[:5]) + ("…" if len(found) > 5 else "")
            problems.append(kinds.FRACTION_AS_PERCENT.at(found[0].sheet, found[0].cell, raw=found[0].raw_value,
                                                         name_zh=nz, name_en=ne, count=_fmt(len(found)), cells=cells))
    return problems


def _duplicate(first: Value, again: Value, names: _Names) -> Problem:
    zh, en = names.of(again)
    where = sheet_cell(first.sheet, first.cell)
    same = math.isclose(first.value, again.value, rel_tol=1e-9, abs_tol=1e-12)
    same_zh, same_en = (pair("problem.duplicate-row.same") if same else
                        pair("problem.duplicate-row.different", first=first.raw_value, again=again.raw_value))
    return kinds.DUPLICATE_ROW.at_value(again, first=where, what_zh=zh, what_en=en, same_zh=same_zh,
                                        same_en=same_en)


def check_ranges(values: Iterable[Value], catalog: Catalog, names: Optional[_Names] = None) -> list[Problem]:
    names = names or _Names(catalog)
    problems = []
    bounds = {code: (info.min_value, info.max_value) for code, info in catalog.indicators.items()
              if info.min_value is not None or info.max_value is not None}
    for v in values:
        limits = bounds.get(v.indicator_code)
        if limits is None:  # not in the catalog, or no bound
            continue
        low, high = limits
        value = v.value
        if (low is None or value >= low) and (high is None or value <= high):
            continue
        info = catalog.indicators[v.indicator_code]
        zh, en = names.of(v)
        problems.append(kinds.OUT_OF_RANGE.at_value(
            v, value=_fmt(v.value), unit=info.unit, what_zh=zh, what_en=en,
            low=_fmt(-math.inf if low is None else low), high=_fmt(math.inf if high is None else high)))
    return problems


def _wanted(mode: str, *operands: Known) -> bool:
    """mode 'file': every operand from the file (check_values); 'stored': a mix of file and
    database (check_against_current)."""
    in_file = 0
    for x in operands:  # _in_file without a generator: called for every value of a file
        if isinstance(x, Value):
            in_file += 1
    return in_file == len(operands) if mode == "file" else 0 < in_file < len(operands)


def check_parts(known: dict[Key, Known], names: _Names, mode: str = "file") -> list[Problem]:
    """A part above its whole (core value added above GDP), reported at the file's cell."""
    problems = []
    for part_code, whole_code in PART_OF_WHOLE:
        for key, part in known.items():
            if key[0] != part_code:
                continue
            whole = known.get((whole_code,) + key[1:])
            if whole is None or part.value <= whole.value * (1 + 1e-9) or not _wanted(mode, part, whole):
                continue
            unit = names.unit(part_code)
            pz, pe = names.indicator(part_code)
            wz, we = names.indicator(whole_code)
            if isinstance(part, Value):  # the file's part against the whole (file or database)
                at, (zh, en), (oz, oe) = part, names.of(part), _where(whole)
                problems.append(kinds.PART_ABOVE_WHOLE.at_value(
                    at, what_zh=zh, what_en=en, value=_fmt(part.value), unit=unit, whole_zh=wz,
                    whole_en=we, whole=_fmt(whole.value), where_zh=oz, where_en=oe))
            else:  # the file's whole below the stored part
                at, (zh, en), (oz, oe) = whole, names.of(whole), _where(part)
                problems.append(kinds.PART_ABOVE_WHOLE.at_value(
                    at, variant="whole", what_zh=zh, what_en=en, value=_fmt(whole.value), unit=unit,
                    part_zh=pz, part_en=pe, part=_fmt(part.value), where_zh=oz, where_en=oe))
    return problems


def check_shares(known: dict[Key, Known], names: _Names, mode: str = "file") -> list[Problem]:
    """A reported share against numerator / denominator. The file's share: an error. A stored share
    that the file's new numerator or denominator no longer matches: a warning (the revised share is
    often published later), reported at the file's cell."""
    problems = []
    for share_code, num_code, den_code, factor in DERIVED_SHARES:
        for key, share in known.items():
            if key[0] != share_code:
                continue
            num = known.get((num_code,) + key[1:])
            den = known.get((den_code,) + key[1:])
            if num is None or den is None or den.value <= 0 or not _wanted(mode, share, num, den):
                continue
            computed = num.value / den.value * factor
            if abs(computed - share.value) <= SHARE_TOLERANCE_PP:
                continue
            nz, ne = names.indicator(num_code)
            dz, de = names.indicator(den_code)
            (nwz, nwe), (dwz, dwe) = _where(num), _where(den)
            if isinstance(share, Value):
                zh, en = names.of(share)
                problems.append(kinds.SHARE_MISMATCH.at_value(
                    share, what_zh=zh, what_en=en, value=_fmt(share.value), num_zh=nz, num_en=ne,
                    num=_fmt(num.value), num_where_zh=nwz, num_where_en=nwe, den_zh=dz, den_en=de,
                    den=_fmt(den.value), den_where_zh=dwz, den_where_en=dwe,
                    computed=_computed(computed), tolerance=_fmt(SHARE_TOLERANCE_PP)))
                continue
            at = num if isinstance(num, Value) else den
            zh, en = names.of(at)
            sz, se = names.indicator(share_code)
            wz, we = _where(share)
            problems.append(kinds.STALE_SHARE.at_value(
                at, what_zh=zh, what_en=en, num_zh=nz, num_en=ne, den_zh=dz, den_en=de,
                computed=_computed(computed), share_zh=sz, share_en=se, share=_fmt(share.value),
                where_zh=wz, where_en=we, tolerance=_fmt(SHARE_TOLERANCE_PP)))
    return problems


def _population_keys(key: Key) -> list[Key]:
    """The population a per-10k figure divides by: for a quarter the year-end of the year before
    (the newest known then, as etl.store.queries derives it) or of the same year; for a year, its own."""
    _, region, year, quarter, _ = key
    own = ("population", region, year, 0, "annual")
    return [own] if quarter == 0 else [("population", region, year - 1, 0, "annual"), own]


def check_per_10k(known: dict[Key, Known], names: _Names, mode: str = "file") -> list[Problem]:
    """fiveg_per_10k reported against fiveg_base_stations / population (warning)."""
    ratio_code, stations_code, _ = PER_10K
    problems = []
    for key, ratio in known.items():
        if key[0] != ratio_code:
            continue
        stations = known.get((stations_code,) + key[1:])
        pops = [known[k] for k in _population_keys(key) if k in known and known[k].value > 0]
        if stations is None or not pops:
            continue
        triples = [(ratio, stations, pop) for pop in pops]
        if mode == "stored" and any(_in_file(*t) == 3 for t in triples):
            continue  # the file holds every input for one population: check_values decides
        considered = [t for t in triples if _wanted(mode, *t)]
        # stations / population in 万人 = stations per 10,000 people
        if not considered or any(_close_per_10k(ratio.value, stations.value / pop.value)
                                 for _, _, pop in triples):
            continue
        pop = considered[0][2]
        computed = stations.value / pop.value
        at = next(x for x in (ratio, stations, pop) if isinstance(x, Value))
        zh, en = names.of(at)
        rz, re_ = names.indicator(ratio_code)
        (sz, se), (pz, pe), (wz, we) = _where(stations), _where(pop), _where(ratio)
        problems.append(kinds.PER_10K_MISMATCH.at_value(
            at, what_zh=zh, what_en=en, ratio_zh=rz, ratio_en=re_, ratio=_fmt(ratio.value),
            ratio_where_zh=wz, ratio_where_en=we, stations=_fmt(stations.value),
            stations_where_zh=sz, stations_where_en=se, population=_fmt(pop.value),
            population_where_zh=pz, population_where_en=pe, computed=_computed(computed),
            tolerance=_fmt(PER_10K_TOLERANCE * 100)))
    return problems


def _close_per_10k(reported: float, computed: float) -> bool:
    return abs(reported - computed) <= max(PER_10K_FLOOR, PER_10K_TOLERANCE * computed)


def _cumulative_flows(catalog: Catalog) -> set[str]:
    """The indicators whose year-to-date values are sums over the year (flows, quarterly_cumulative)."""
    return {code for code, info in catalog.indicators.items() if info.measure == "flow" and info.quarterly_cumulative}


def check_quarter_sums(by_key: dict[Key, Value], catalog: Catalog, names: _Names) -> list[Problem]:
    """'quarter' (当季) values of a cumulative flow must add up to the file's year-to-date values."""
    ytd: dict[tuple[str, str, int], dict[int, Value]] = defaultdict(dict)
    alone: dict[tuple[str, str, int], dict[int, Value]] = defaultdict(dict)
    cumulative = _cumulative_flows(catalog)
    for key, v in by_key.items():
        if key[4] == "quarter" and key[3] != 0 and key[0] in cumulative:
            alone[key[:3]][key[3]] = v
    if not alone:  # no quarter-alone value to add up
        return []
    for key, v in by_key.items():
        if key[4] == "ytd" and key[3] != 0 and key[0] in cumulative:
            ytd[key[:3]][key[3]] = v
    problems = []
    for series, quarters in alone.items():
        sums = ytd.get(series, {})
        unit = names.unit(series[0])
        for q in sorted(sums):
            total = sums[q]
            if q in quarters and (q == 1 or q - 1 in sums):
                parts = [quarters[q]] + ([sums[q - 1]] if q > 1 else [])
                expected = total.value - (sums[q - 1].value if q > 1 else 0.0)
                at, got = quarters[q], quarters[q].value
                formula_zh = f"{_cells(total)} − {_cells(sums[q - 1])}" if q > 1 else _cells(total)
            elif all(i in quarters for i in range(1, q + 1)):
                parts = [quarters[i] for i in range(1, q + 1)]
                expected, at = sum(p.value for p in parts), total
                got = total.value
                formula_zh = " + ".join(_cells(p) for p in parts)
            else:
                continue
            if abs(got - expected) <= max(QUARTER_SUM_FLOOR, QUARTER_SUM_TOLERANCE * abs(total.value)):
                continue
            zh, en = names.of(at)
            problems.append(kinds.QUARTER_SUM_MISMATCH.at_value(
                at, what_zh=zh, what_en=en, value=_fmt(got), unit=unit, formula=formula_zh,
                expected=_fmt(expected)))
    return problems


def _cells(v: Value) -> str:
    return sheet_cell(v.sheet, v.cell)


def check_parents(known: dict[Key, Known], catalog: Catalog, names: _Names,
                  mode: str = "file") -> list[Problem]:
    """A city cannot exceed its province, nor a province the nation, for sums and counts. Mode
    'stored': the file's child above a stored parent (reported at the child), or the file's parent
    below a stored child (reported at the parent)."""
    problems = []
    levels = {code for code, info in catalog.indicators.items() if info.measure != "ratio"}
    parents = {code: region.parent_code for code, region in catalog.regions.items() if region.parent_code}
    get = known.get
    for key, child in known.items():
        if key[0] not in levels or key[1] not in parents:
            continue
        parent_key = (key[0], parents[key[1]]) + key[2:]
        parent = get(parent_key)
        if parent is None or child.value <= parent.value * (1 + 1e-9) or not _wanted(mode, child, parent):
            continue
        info = catalog.indicators[key[0]]
        (cz, ce), (pz, pe) = names.of_key(key, child), names.of_key(parent_key, parent)
        at = child if isinstance(child, Value) else parent
        problems.append(kinds.ABOVE_PARENT.at_value(
            at, what_zh=cz, what_en=ce, value=_fmt(child.value), unit=info.unit,
            parent=_fmt(parent.value), parent_zh=pz, parent_en=pe,
            parent_where=(sheet_cell(parent.sheet, parent.cell) if parent.sheet
                          else t("problem.where.batch", batch=parent.batch_id))))
    return problems


def check_outliers(by_key: dict[Key, Value], catalog: Catalog, names: _Names) -> list[Problem]:
    """[outlier]: a flow or stock OUTLIER_FACTOR times its own series' level in the file, or a
    fraction as small (see the module docstring). A series is one indicator, region, period of the
    year and basis over the years. With three values or more, a value is compared with the series'
    median (robust while fewer than half are off), and a first or last value also with its
    neighbour; of a pair, the later value is named."""
    series: dict[tuple, list[Value]] = defaultdict(list)
    levels = {code for code, info in catalog.indicators.items() if info.measure != "ratio"}
    for key, v in by_key.items():
        if key[0] in levels and v.value > 0:
            series[(key[0], key[1], key[3], key[4])].append(v)
    problems = []
    for (code, *_), items in series.items():
        if len(items) < 2:
            continue
        low, high = min(v.value for v in items), max(v.value for v in items)
        if not _off(high, low) and not _off(low, high):
            continue  # no two values (nor one and the median) OUTLIER_FACTOR apart: division is monotonic
        info = catalog.indicators[code]
        items.sort(key=lambda v: v.year)
        last = len(items) - 1

        def rollout(i: int, direction: int) -> bool:
            """A stock far below later values but above none before it: a roll-out's low start."""
            return (info.measure == "stock" and direction < 0
                    and all(items[j].value <= items[i].value for j in range(i)))

        if last == 1:
            direction = _off(items[1].value, items[0].value)
            if direction and not (info.measure == "stock" and direction > 0):
                problems.append(_outlier(items[1], [items[0]], items[0].value, info, names))
            continue
        values = sorted(v.value for v in items)
        middle = len(values) // 2
        median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
        flagged = {i for i, v in enumerate(items)
                   if _off(v.value, median) and not rollout(i, _off(v.value, median))}
        ends = set()
        for i in (0, last):
            near = 1 if i == 0 else last - 1
            direction = _off(items[i].value, items[near].value)
            if (i not in flagged and near not in flagged and direction
                    and not _off(items[near].value, median) and not rollout(i, direction)):
                ends.add(i)
        for i in sorted(ends):
            problems.append(_outlier(items[i], [items[1 if i == 0 else last - 1]],
                                     items[1 if i == 0 else last - 1].value, info, names))
        for i in sorted(flagged):
            neighbours = [items[j] for j in (i - 1, i + 1) if 0 <= j <= last]
            problems.append(_outlier(items[i], neighbours, median, info, names))
    return problems


def _off(a: float, b: float) -> int:
    """+1 when a is OUTLIER_FACTOR times b or more, -1 when that much smaller, else 0."""
    ratio = a / b
    return 1 if ratio >= OUTLIER_FACTOR else -1 if ratio <= 1 / OUTLIER_FACTOR else 0


def _outlier(v: Value, neighbours: list[Value], reference: float, info, names: _Names) -> Problem:
    zh, en = names.of(v)
    factor = v.value / reference
    factor_zh, factor_en = (pair("problem.outlier.times", factor=fmt_decimals(factor, 0)) if factor >= 1
                            else pair("problem.outlier.fraction", factor=fmt_decimals(1 / factor, 0)))
    return kinds.OUTLIER.at_value(v, what_zh=zh, what_en=en, value=_fmt(v.value), unit=info.unit,
                                  factor_zh=factor_zh, factor_en=factor_en,
                                  near_zh=_neighbour_list(neighbours, info, "zh"),
                                  near_en=_neighbour_list(neighbours, info, "en"))


def _neighbour_list(neighbours: list[Value], info, lang: str) -> str:
    """'2023年 16,000（'各市'!B5）、2025年 …' / '2023 16,000 ('各市'!B5), 2025 …'."""
    return t("list.separator", lang).join(
        t("problem.outlier.neighbour", lang, period=indicator_period((n.year, n.quarter, n.basis), info, lang),
          value=_fmt(n.value), ref=sheet_cell(n.sheet, n.cell)) for n in neighbours)


def check_cumulative(known: dict[Key, Known], catalog: Catalog, names: _Names,
                     mode: str = "file") -> list[Problem]:
    """Year-to-date sums of a flow never fall within a year (negative flows aside). Each pair of
    consecutive quarters is compared; mode 'stored' reports the pairs of a file value and a stored
    one, at the file's cell."""
    series: dict[tuple[str, str, int], list[tuple[Key, Known]]] = defaultdict(list)
    cumulative = _cumulative_flows(catalog)
    for key, v in known.items():
        if key[4] == "ytd" and key[0] in cumulative:
            series[(key[0], key[1], key[2])].append((key, v))
    problems = []
    for items in series.values():
        items.sort(key=lambda item: item[0][3])
        for (_, before), (after_key, after) in zip(items, items[1:]):
            if after.value >= before.value or before.value < 0 or not _wanted(mode, before, after):
                continue
            unit = catalog.indicators[after_key[0]].unit
            if isinstance(after, Value):
                zh, en = names.of(after)
                wz, we = _where(before)
                problems.append(kinds.CUMULATIVE_DECREASE.at_value(
                    after, what_zh=zh, what_en=en, value=_fmt(after.value), unit=unit,
                    other=_fmt(before.value), where_zh=wz, where_en=we))
            else:  # the file's earlier quarter above a stored later one
                zh, en = names.of(before)
                wz, we = _where(after)
                problems.append(kinds.CUMULATIVE_DECREASE.at_value(
                    before, variant="later", what_zh=zh, what_en=en, value=_fmt(before.value),
                    unit=unit, other=_fmt(after.value), where_zh=wz, where_en=we))
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


# a level's new / old below or above these bounds is a jump: a flow's, any other level's
# (a ratio's: a move of more than RATIO_JUMP_PP points)
FLOW_BOUNDS = (1 / FLOW_JUMP_FACTOR, FLOW_JUMP_FACTOR)
STOCK_BOUNDS = (STOCK_JUMP_DOWN, STOCK_JUMP_UP)


def check_jumps(by_key: dict[Key, Value], catalog: Catalog, names: _Names,
                earlier: dict[Key, Known]) -> list[Problem]:
    """suspicious-jump warnings: each value against its comparison period in `earlier`
    (the file itself, or the database's current values)."""
    problems = []
    infos = catalog.indicators
    measures = {code: info.measure for code, info in infos.items()}
    get = earlier.get
    for key, v in by_key.items():  # per value: no call but the dict look-ups
        code, region, year, quarter, basis = key
        measure = measures.get(code)
        if measure is None:
            continue
        if measure != "ratio" or quarter == 0:  # _previous_key's usual case, inline
            prev = get((code, region, year - 1, quarter, basis))
        else:
            prev = get(_previous_key(key, measure))
        if prev is None:
            continue
        prev_value, value = prev.value, v.value
        if measure == "ratio":
            if not abs(value - prev_value) > RATIO_JUMP_PP:
                continue
        else:
            if prev_value <= 0 or value <= 0:
                continue
            low, high = FLOW_BOUNDS if measure == "flow" else STOCK_BOUNDS
            ratio = value / prev_value
            if not (ratio > high or ratio < low):
                continue
        prev_key = _previous_key(key, measure)
        info = infos[code]
        zh, en = names.of(v)
        pz, pe = indicator_period_pair(prev_key[2:], info)
        wz, we = _where(prev)
        if info.measure == "ratio":
            change_zh, change_en = pair("problem.suspicious-jump.points", limit=_fmt(RATIO_JUMP_PP),
                                        change=fmt_decimals(v.value - prev_value, 1, signed=True, grouped=False))
        else:
            pct = (v.value / prev_value - 1) * 100
            change_zh, change_en = pair("problem.suspicious-jump.percent",
                                        change=fmt_decimals(pct, 1, signed=True, grouped=False))
        problems.append(kinds.SUSPICIOUS_JUMP.at_value(
            v, what_zh=zh, what_en=en, value=_fmt(v.value), unit=info.unit, before_zh=pz, before_en=pe,
            before=_fmt(prev_value), where_zh=wz, where_en=we, change_zh=change_zh, change_en=change_en))
    return problems


# --- against the database ----------------------------------------------------------------------------

# a unit or scale slip: a value this many times its neighbour (or its inverse), give or take half
SCALE_FACTORS = (100, 1_000, 10_000)
SCALE_MARGIN = 2.0


def _neighbours(key: Key) -> list[Key]:
    """The same series' periods a value is compared with, nearest first: its own stored version,
    the same period a year before and after, the quarters beside it (same basis)."""
    code, region, year, quarter, basis = key
    out = [key, (code, region, year - 1, quarter, basis), (code, region, year + 1, quarter, basis)]
    if quarter:
        out += [(code, region, year, q, basis) for q in (quarter - 1, quarter + 1) if 1 <= q <= 4]
    return out


def _scale_factor(new: float, old: float) -> Optional[int]:
    if new <= 0 or old <= 0:
        return None
    ratio = max(new, old) / min(new, old)
    for factor in SCALE_FACTORS:
        if factor / SCALE_MARGIN <= ratio <= factor * SCALE_MARGIN:
            return factor
    return None


def check_scale(in_file: dict[Key, Value], stored: dict[Key, Stored], catalog: Catalog,
                names: _Names) -> list[Problem]:
    """scale-slip: a file value about 100, 1,000 or 10,000 times (or that fraction of) the nearest
    stored real value of the same region and indicator, an error naming the stored value."""
    problems = []
    series = {(k[0], k[1], k[4]) for k, x in stored.items() if not x.is_demo}
    for key, v in in_file.items():
        if (key[0], key[1], key[4]) not in series:  # nothing real stored for this series
            continue
        for near in _neighbours(key):
            old = stored.get(near)
            if old is None or old.is_demo or (near != key and near in in_file):
                continue
            factor = _scale_factor(v.value, old.value)
            if factor is None:
                break  # the nearest stored value agrees in scale
            unit = names.unit(key[0])
            zh, en = names.of(v)
            info = catalog.indicators.get(key[0])
            pz, pe = indicator_period_pair(near[2:], info)
            wz, we = _where(old)
            fz, fe = pair("problem.scale-slip.times" if v.value > old.value else "problem.scale-slip.fraction",
                          factor=_fmt(factor))
            problems.append(kinds.SCALE_SLIP.at_value(
                v, what_zh=zh, what_en=en, value=_fmt(v.value), unit=unit, before=_fmt(old.value),
                before_zh=pz, before_en=pe, where_zh=wz, where_en=we, factor_zh=fz, factor_en=fe))
            break
    return problems


def check_other_indicator(in_file: dict[Key, Value], stored: dict[Key, Stored],
                          title_indicators: dict[str, str], names: _Names) -> list[Problem]:
    """other-indicator: a sheet whose title names one indicator revises stored values of another."""
    revising: dict[tuple[str, str], list[Value]] = defaultdict(list)
    if not title_indicators:
        return []
    for key, v in in_file.items():
        title = title_indicators.get(v.sheet)
        old = stored.get(key)
        if title and title != key[0] and old is not None and not old.is_demo and not math.isclose(
                old.value, v.value, rel_tol=1e-9, abs_tol=1e-12):
            revising[(v.sheet, key[0])].append(v)
    problems = []
    for (sheet, code), found in revising.items():
        first = found[0]
        tz, te = names.indicator(title_indicators[sheet])
        nz, ne = names.indicator(code)
        problems.append(kinds.OTHER_INDICATOR.at(
            sheet, first.cell, raw=first.raw_value, title_zh=tz, title_en=te, name_zh=nz, name_en=ne,
            count=_fmt(len(found)), cell=sheet_cell(sheet, first.cell), old=_fmt(stored[first.key].value),
            value=_fmt(first.value)))
    return problems

def _as_stored(x: Stored | float) -> Stored:
    return x if isinstance(x, Stored) else Stored(float(x))


def check_against_current(values: list[Value], current: dict[Key, Stored | float],
                          catalog: Catalog, title_indicators: Optional[dict[str, str]] = None) -> list[Problem]:
    """Problems from comparing a file with the database's current values (key -> Stored or a
    bare value); see the module docstring. Errors here reject the file like any other.
    `title_indicators`: sheet -> the indicator its title names (etl.read.layout), for other-indicator."""
    names = _Names(catalog)
    problems = []
    stored = {key: _as_stored(x) for key, x in current.items()}
    if not stored:  # nothing stored to compare with (every check below needs a stored value)
        return problems
    in_file: dict[Key, Value] = {}
    for v in values:
        in_file.setdefault(v.key, v)
    slips = check_scale(in_file, stored, catalog, names)
    problems += slips
    slipped = {(p.sheet, p.cell) for p in slips}
    problems += check_other_indicator(in_file, stored, title_indicators or {}, names)
    for key, v in in_file.items():
        if (v.sheet, v.cell) in slipped:
            continue
        old = stored[key].value if key in stored else None
        if old is None or math.isclose(old, v.value, rel_tol=1e-9, abs_tol=1e-12):
            continue
        info = catalog.indicators.get(key[0])
        unit = info.unit if info else ""
        change = abs(v.value - old) / abs(old) if old else math.inf
        if change <= REVISION_WARN_SHARE:
            continue
        zh, en = names.of(v)
        wz, we = _where(stored[key])
        problems.append(kinds.LARGE_REVISION.at_value(
            v, what_zh=zh, what_en=en, old=_fmt(old), unit=unit, where_zh=wz, where_en=we,
            value=_fmt(v.value), change=fmt_change(change), limit=_fmt(REVISION_WARN_SHARE * 100)))
    stored_only = {k: x for k, x in stored.items() if k not in in_file}
    if stored_only:
        problems += check_jumps(in_file, catalog, names, stored_only)
    # the file's values first; stored real values fill in what the file lacks (demo values are
    # placeholders, never evidence against a real file)
    facts: dict[Key, Known] = {k: x for k, x in stored_only.items() if not x.is_demo}
    if not facts:  # the checks below report only a mix of file and stored values
        return problems
    facts.update(in_file)
    problems += check_parts(facts, names, "stored")
    problems += check_shares(facts, names, "stored")
    problems += check_cumulative(facts, catalog, names, "stored")
    problems += check_per_10k(facts, names, "stored")
    problems += check_parents(facts, catalog, names, "stored")
    return problems
