"""Read functions: the only place where SQL is written for readers (dashboard, CLI, progress).

Every function takes `db`, either an open Session or an Engine (then a short read-only session is
opened and closed), and returns plain data: lists of dicts or frozen dataclasses, never ORM objects,
so results can be cached, serialised to JSON and fed to pure functions.

Current values
    A value is *current* when it is the newest version of its (indicator, region, year, quarter,
    basis) key (`observations.is_current`) and its batch has status 'loaded' (not rolled back).
    Queries filter on indicator_code and region_code, the unique key's first columns, and on
    is_current, so they stay index scans on millions of observations; nothing loads whole tables.

Periods
    year + quarter (0 = the whole year, 1..4) + basis ('annual', 'ytd', 'quarter'), as described
    in etl/periods.py, whose format_period names them; every row carries period_zh and period_en
    (2025年前三季度 / Q1–Q3 2025 for GDP, 2025年第三季度末 / end of Q3 2025 for 5G stations) and the
    indicator's `kind` (etl.periods.KINDS), from which the shown basis follows (etl.periods.basis_of).

Derived indicators
    An indicator whose catalog row has a `derivation` ("digital_core_va / gdp * 100",
    "fiveg_base_stations / population") is computed from its two inputs where it is not reported
    (a reported value always wins for the same key). The rule for the denominator's period:
      - a flow or ratio denominator (gdp): the same region, year, quarter and basis;
      - a stock denominator (population: year-end resident population, published once a year):
        the annual year-end value; a quarter of year Y uses the year-end of Y-1 (the newest
        population known at that quarter's end), a whole year Y uses the year-end of Y.
    A derived row has derived=True, formula, and `inputs`: the two input rows with their own
    provenance (batch, file, sheet, cell); its own batch/file/sheet/cell fields are None.

Row dicts (current_observations, series, region_values) share these keys:
    indicator_code, indicator_zh, indicator_en, unit, region_code, region_zh, region_en, year,
    quarter, basis, period_zh, period_en, kind, value, version, batch_id, file_name, sheet, cell,
    raw_value, loaded_by, loaded_at, is_demo, is_reference
  and series / region_values rows add: derived (bool), formula (str|None), inputs (list|None).
"""
from __future__ import annotations

import functools
import hashlib
import re
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Iterator, Optional, Union

from sqlalchemy import Engine, Text, TextClause, cast, exists, func, literal, select, text, tuple_
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from etl.periods import format_period, period_sort_key, value_kind
from etl.ranks import competition_ranks
from etl.store.models import Batch, Indicator, Observation, Region, Target, TargetSet

Db = Union[Session, Engine]
NATIONAL = "100000"
PROVINCE = "230000"


# --- plumbing ----------------------------------------------------------------------------------

@contextmanager
def reading(db: Db) -> Iterator[Session]:
    """A Session for reading: the one given, or a new one on an Engine (closed afterwards).
    Use it to run several query functions in one session."""
    if isinstance(db, Session):
        yield db
        return
    session = Session(bind=db, expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()


def _codes(value: Union[str, Iterable[str], None]) -> Optional[list[str]]:
    """None -> None (no filter); 'x' -> ['x']; an iterable -> a list."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return list(value)


# --- periods -----------------------------------------------------------------------------------

def period_label(year: int, quarter: int, basis: str, lang: str = "zh", *,
                 measure: Optional[str] = None, cumulative: bool = False) -> str:
    """etl.periods.format_period for a value of an indicator of `measure` (flow / stock / ratio)
    and `cumulative` (quarterly_cumulative); without a measure the stored basis decides."""
    return format_period((year, quarter, basis), value_kind(measure, cumulative) if measure else None,
                         lang)


# --- catalog -----------------------------------------------------------------------------------

def indicator_list(db: Db) -> list[dict]:
    """Every indicator of the catalog, in catalog order, with unit, definition, direction, source."""
    with reading(db) as s:
        rows = s.scalars(select(Indicator).order_by(Indicator.sort_order)).all()
        return [dict(code=i.code, name_zh=i.name_zh, name_en=i.name_en, unit=i.unit,
                     unit_en=i.unit_en, direction=i.direction, measure=i.measure,
                     quarterly_cumulative=i.quarterly_cumulative,
                     kind=value_kind(i.measure, i.quarterly_cumulative), derivation=i.derivation,
                     definition_zh=i.definition_zh, definition_en=i.definition_en,
                     source_zh=i.source_zh, source_en=i.source_en) for i in rows]


def region_list(db: Db, *, level: Optional[str] = None, parent: Optional[str] = None) -> list[dict]:
    """Regions in seed order; level 'country' | 'province' | 'prefecture'; parent e.g. '230000'."""
    # columns, not ORM objects: the catalog of a national database has thousands of regions
    # (3,454 at 20 M observations), and building them as objects was most of a cold /core
    query = select(Region.code, Region.name_zh, Region.short_zh, Region.name_en, Region.level,
                   Region.parent_code).order_by(Region.sort_order)
    if level:
        query = query.where(Region.level == level)
    if parent:
        query = query.where(Region.parent_code == parent)
    with reading(db) as s:
        return [dict(m) for m in s.execute(query).mappings()]


# --- current observations ----------------------------------------------------------------------

_ROW_COLUMNS = (
    Observation.indicator_code, Indicator.name_zh.label("indicator_zh"),
    Indicator.name_en.label("indicator_en"), Indicator.unit, Observation.region_code,
    Region.name_zh.label("region_zh"), Region.name_en.label("region_en"), Observation.year,
    Observation.quarter, Observation.basis, Observation.value, Observation.version,
    Observation.batch_id, Batch.file_name, Observation.sheet, Observation.cell,
    Observation.raw_value, Observation.notes, Batch.loaded_by, Batch.loaded_at, Batch.is_demo, Batch.is_reference,
    Indicator.measure, Indicator.quarterly_cumulative,
)


def _current_select(indicators: Optional[list[str]], regions: Optional[list[str]]):
    query = (select(*_ROW_COLUMNS)
             .join(Batch, Batch.id == Observation.batch_id)
             .join(Indicator, Indicator.code == Observation.indicator_code)
             .join(Region, Region.code == Observation.region_code)
             .where(Observation.is_current.is_(True), Batch.status == "loaded"))
    if indicators is not None:
        query = query.where(Observation.indicator_code.in_(indicators))
    if regions is not None:
        query = query.where(Observation.region_code.in_(regions))
    return query


def _row(mapping) -> dict:
    row = dict(mapping)
    row["kind"] = kind = value_kind(row.pop("measure"), row.pop("quarterly_cumulative"))
    period = (row["year"], row["quarter"], row["basis"])
    row["period_zh"] = format_period(period, kind, "zh")
    row["period_en"] = format_period(period, kind, "en")
    return row


def current_observations(db: Db, indicator: Union[str, Iterable[str], None] = None,
                         region: Union[str, Iterable[str], None] = None, *,
                         limit: Optional[int] = None) -> list[dict]:
    """Current reported values (not derived ones), with period labels and full provenance.

    indicator / region: a code, a list of codes, or None for all. Ordered by indicator (catalog
    order), region (seed order), then period. Used by the data export and the data grid.
    """
    query = _current_select(_codes(indicator), _codes(region)).order_by(
        Indicator.sort_order, Region.sort_order, Observation.year, Observation.quarter,
        Observation.basis)
    if limit is not None:
        query = query.limit(limit)
    with reading(db) as s:
        return [_row(m) for m in s.execute(query).mappings()]


PAGE_KEY = ("indicator_code", "region_code", "year", "quarter", "basis")


def _catalog_codes(s: Session) -> list[str]:
    return list(s.scalars(select(Indicator.code).order_by(Indicator.sort_order)))


def _page_select(codes: list[str], region: Optional[str]):
    # an explicit indicator list, even for all of them: a region alone is not the leading column
    # of any index, the (indicator, region, ...) indexes serve a list of indicators
    return _current_select(codes, None if region is None else [region])


def count_current(db: Db, indicator: Optional[str] = None, region: Optional[str] = None, *,
                  at_most: int) -> int:
    """How many current reported values match, counted no further than `at_most` (an index
    scan of at most that many entries, whatever the size of the table)."""
    with reading(db) as s:
        codes = [indicator] if indicator else _catalog_codes(s)
        inner = (select(Observation.id).join(Batch, Batch.id == Observation.batch_id)
                 .where(Observation.is_current.is_(True), Batch.status == "loaded",
                        Observation.indicator_code.in_(codes)))
        if region is not None:
            inner = inner.where(Observation.region_code == region)
        return s.scalar(select(func.count()).select_from(inner.limit(at_most).subquery()))


def current_page(db: Db, indicator: Optional[str] = None, region: Optional[str] = None, *,
                 after: Optional[tuple] = None, limit: int = 100) -> list[dict]:
    """One page of current reported values, keyset-paged: the rows after the key `after`
    (indicator, region, year, quarter, basis) of the previous page's last row, indicators in
    catalog order, then region code, year, quarter and basis — the order of the observations'
    unique index, so a page is an index range scan, never a sort of the whole table (the data
    grid's first 20,000 rows sorted every current value first: 47 s on 20 M observations)."""
    rows: list[dict] = []
    with reading(db) as s:
        codes = [indicator] if indicator else _catalog_codes(s)
        start = codes.index(after[0]) if after and after[0] in codes else 0
        for code in codes[start:]:
            query = _page_select([code], region).order_by(
                Observation.region_code, Observation.year, Observation.quarter, Observation.basis)
            if after and code == after[0]:
                query = query.where(tuple_(Observation.region_code, Observation.year,
                                           Observation.quarter, Observation.basis)
                                    > tuple_(*[literal(v) for v in after[1:]]))
            rows += [_row(m) for m in s.execute(query.limit(limit - len(rows))).mappings()]
            if len(rows) >= limit:
                break
    return rows


# --- derived indicators ------------------------------------------------------------------------

_DERIVATION = re.compile(r"^\s*(\w+)\s*/\s*(\w+)\s*(?:\*\s*([0-9.]+))?\s*$")


@dataclass(frozen=True)
class Derivation:
    """numerator / denominator * factor, as written in indicators.derivation."""

    code: str
    formula: str
    numerator: str
    denominator: str
    factor: float
    denominator_is_stock: bool  # then the year-end rule applies (see the module docstring)


def _derivation(s: Session, code: str) -> Optional[Derivation]:
    indicator = s.get(Indicator, code)
    if indicator is None or not indicator.derivation:
        return None
    match = _DERIVATION.match(indicator.derivation)
    if not match:
        raise ValueError(f"cannot read the derivation of {code}: {indicator.derivation!r}")
    numerator, denominator, factor = match.groups()
    denominator_row = s.get(Indicator, denominator)
    return Derivation(code, indicator.derivation, numerator, denominator,
                      float(factor) if factor else 1.0,
                      denominator_row is not None and denominator_row.measure == "stock")


def _input(row: dict) -> dict:
    keep = ("indicator_code", "region_code", "year", "quarter", "basis", "period_zh", "period_en", "kind",
            "value", "unit", "version", "batch_id", "file_name", "sheet", "cell", "raw_value",
            "loaded_at", "is_demo", "is_reference")
    return {k: row[k] for k in keep}


def derive_rows(derivation: Derivation, indicator: dict, numerators: list[dict],
                denominators: list[dict]) -> list[dict]:
    """Pure: the derived rows computable from current input rows (see the module docstring).

    indicator: {'code', 'name_zh', 'name_en', 'unit', 'measure', 'quarterly_cumulative'} of the
    derived indicator.
    A zero or missing denominator gives no row.
    """
    if derivation.denominator_is_stock:
        # year-end values only; a quarter of Y uses Y-1, a whole year uses Y
        by_key = {(d["region_code"], d["year"]): d for d in denominators if d["quarter"] == 0}
        def denominator_of(n):  # noqa: E306
            year = n["year"] if n["quarter"] == 0 else n["year"] - 1
            return by_key.get((n["region_code"], year))
    else:
        by_key = {(d["region_code"], d["year"], d["quarter"], d["basis"]): d for d in denominators}
        def denominator_of(n):  # noqa: E306
            return by_key.get((n["region_code"], n["year"], n["quarter"], n["basis"]))

    kind = value_kind(indicator.get("measure", "ratio"), indicator.get("quarterly_cumulative", False))
    rows = []
    for n in numerators:
        d = denominator_of(n)
        if d is None or not d["value"]:
            continue
        value = n["value"] / d["value"] * derivation.factor
        rows.append(dict(
            indicator_code=indicator["code"], indicator_zh=indicator["name_zh"],
            indicator_en=indicator["name_en"], unit=indicator["unit"],
            region_code=n["region_code"], region_zh=n["region_zh"], region_en=n["region_en"],
            year=n["year"], quarter=n["quarter"], basis=n["basis"], kind=kind,
            period_zh=format_period((n["year"], n["quarter"], n["basis"]), kind, "zh"),
            period_en=format_period((n["year"], n["quarter"], n["basis"]), kind, "en"),
            value=value, version=None, batch_id=None, file_name=None,
            sheet=None, cell=None, raw_value=None,
            loaded_by=None, loaded_at=max(n["loaded_at"], d["loaded_at"]),
            is_demo=bool(n["is_demo"] or d["is_demo"]),
            is_reference=bool(n["is_reference"] and d["is_reference"]),
            derived=True, formula=derivation.formula, inputs=[_input(n), _input(d)]))
    return rows


def _indicator_head(s: Session, code: str) -> dict:
    i = s.get(Indicator, code)
    if i is None:
        raise KeyError(f"unknown indicator {code!r}")
    return dict(code=i.code, name_zh=i.name_zh, name_en=i.name_en, unit=i.unit,
                direction=i.direction, measure=i.measure,
                quarterly_cumulative=i.quarterly_cumulative)


def _period_filter(years: Optional[list[int]], quarters: Optional[list[int]],
                   since_year: Optional[int] = None) -> list:
    clauses = []
    if years is not None:
        clauses.append(Observation.year.in_(years))
    if since_year is not None:
        clauses.append(Observation.year >= since_year)
    if quarters is not None:
        clauses.append(Observation.quarter.in_(quarters))
    return clauses


def _values_with_derived(s: Session, code: str, regions: Optional[list[str]],
                         years: Optional[list[int]] = None,
                         quarters: Optional[list[int]] = None,
                         since_year: Optional[int] = None) -> list[dict]:
    """Current rows of one indicator (reported, plus derived where not reported), unsorted."""
    period = _period_filter(years, quarters, since_year)
    reported = [dict(_row(m), derived=False, formula=None, inputs=None) for m in s.execute(
        _current_select([code], regions).where(*period)).mappings()]
    derivation = _derivation(s, code)
    if derivation is None:
        return reported
    numerators = [_row(m) for m in s.execute(
        _current_select([derivation.numerator], regions).where(*period)).mappings()]
    if derivation.denominator_is_stock:  # year-end values of the same and the previous year
        den_years = None if years is None else sorted({y for x in years for y in (x - 1, x)})
        den_filter = _period_filter(den_years, [0], None if since_year is None else since_year - 1)
    else:
        den_filter = period
    denominators = [_row(m) for m in s.execute(
        _current_select([derivation.denominator], regions).where(*den_filter)).mappings()]
    have = {_key(r) for r in reported}
    derived = [r for r in derive_rows(derivation, _indicator_head(s, code), numerators,
                                      denominators) if _key(r) not in have]
    return reported + derived


def _key(row: dict) -> tuple:
    return (row["region_code"], row["year"], row["quarter"], row["basis"])


# --- series, rankings, latest periods ----------------------------------------------------------

def _basis_rank(head: dict, basis: str) -> int:
    """Which basis a quarterly chart shows when both exist: 'ytd' for indicators reported
    cumulatively (GDP, core value added, their share) and for stocks and rates (the ETL stores a
    quarter-end level as 'ytd'); 'quarter' (当季) only for flows not reported cumulatively."""
    cumulative = head["quarterly_cumulative"] or head["measure"] in ("stock", "ratio")
    preferred = "ytd" if cumulative else "quarter"
    return 0 if basis == preferred else 1


def _pick_basis(head: dict, rows: list[dict], basis: Optional[str]) -> list[dict]:
    """One row per (region, year, quarter): the given basis, or the indicator's preferred one."""
    if basis is not None:
        return [r for r in rows if r["basis"] == basis]
    best: dict[tuple, dict] = {}
    for r in rows:
        key = (r["region_code"], r["year"], r["quarter"])
        if key not in best or _basis_rank(head, r["basis"]) < _basis_rank(head, best[key]["basis"]):
            best[key] = r
    return list(best.values())


def series(db: Db, indicator: str, regions: Union[str, Iterable[str]], *,
           frequency: str = "quarterly", basis: Optional[str] = None,
           since_year: Optional[int] = None) -> list[dict]:
    """The current values of one indicator for some regions, derived values included.

    frequency: 'quarterly' (quarters 1-4, one basis per quarter: 'ytd' for GDP-like cumulative
    indicators and for stocks and rates, whose quarter-end level the ETL stores as 'ytd'; pass
    basis= to force 'ytd' or 'quarter' (当季)), 'annual' (whole-year values, quarter 0), or 'all' (every period and basis).
    Rows are ordered by region (as given) then chronologically; each row is a row dict (see the
    module docstring) with derived / formula / inputs.
    """
    region_codes = _codes(regions)
    quarters = {"quarterly": [1, 2, 3, 4], "annual": [0], "all": None}[frequency]
    with reading(db) as s:
        head = _indicator_head(s, indicator)
        rows = _values_with_derived(s, indicator, region_codes, None, quarters, since_year)
    return series_from_rows(head, rows, region_codes, frequency=frequency, basis=basis)


def series_from_rows(head: dict, rows: list[dict], regions: list[str], *,
                     frequency: str = "quarterly", basis: Optional[str] = None,
                     since_year: Optional[int] = None) -> list[dict]:
    """Pure: what series() returns, from current rows of the indicator covering at least these
    regions and periods (e.g. current_values_many's): filtered, one basis per quarter, ordered."""
    quarters = {"quarterly": (1, 2, 3, 4), "annual": (0,), "all": None}[frequency]
    wanted = set(regions)
    rows = [r for r in rows if r["region_code"] in wanted
            and (quarters is None or r["quarter"] in quarters)
            and (since_year is None or r["year"] >= since_year)]
    if frequency == "quarterly":
        rows = _pick_basis(head, rows, basis)
    elif basis is not None:
        rows = [r for r in rows if r["basis"] == basis]
    order = {code: i for i, code in enumerate(regions)}
    return sorted(rows, key=lambda r: (order[r["region_code"]],
                                       period_sort_key(r["year"], r["quarter"]), r["basis"]))


def region_values(db: Db, indicator: str, year: int, quarter: int = 0, *,
                  basis: Optional[str] = None, regions: Union[str, Iterable[str], None] = None,
                  level: str = "prefecture", parent: str = PROVINCE) -> list[dict]:
    """All regions' values of one indicator for one period, best first, for rankings and the map.

    regions: explicit codes; by default the regions of `level` under `parent` (the 13 cities of
    Heilongjiang). Derived values are included. Each row dict gets `rank` (1 = best, following the
    indicator's direction; equal values share a rank and keep the regions' order). Regions without a value are left out.
    """
    with reading(db) as s:
        head = _indicator_head(s, indicator)
        codes = _codes(regions) or [r["code"] for r in region_list(s, level=level, parent=parent)]
        rows = _values_with_derived(s, indicator, codes, [year], [quarter])
    return ranked_from_rows(head, rows, codes, year, quarter, basis)


def ranked_from_rows(head: dict, rows: list[dict], codes: list[str], year: int, quarter: int,
                     basis: Optional[str] = None) -> list[dict]:
    """Pure: what region_values() returns, from current rows covering at least these regions and
    this period: the regions' rows of the period, best first, each with its `rank`."""
    wanted = set(codes)
    rows = [dict(r) for r in rows if r["region_code"] in wanted and r["year"] == year
            and r["quarter"] == quarter]
    rows = _pick_basis(head, rows, basis) if quarter else rows
    sign = -1 if _direction(head) == "higher" else 1
    order = {code: i for i, code in enumerate(codes)}
    rows.sort(key=lambda r: (sign * r["value"], order[r["region_code"]]))
    for row, rank in zip(rows, competition_ranks([r["value"] for r in rows], _direction(head))):
        row["rank"] = rank
    return rows


def _direction(head: dict) -> str:
    if head.get("direction") not in ("higher", "lower"):
        raise ValueError(f"indicator {head['code']} has no direction in the catalog")
    return head["direction"]


VALUE_KEYS = ("indicator_code", "region_code", "year", "quarter", "basis", "value", "batch_id",
              "file_name", "sheet", "cell", "is_demo", "is_reference")
_VALUE_COLUMNS = (Observation.indicator_code, Observation.region_code, Observation.year,
                  Observation.quarter, Observation.basis, Observation.value, Observation.batch_id,
                  Batch.file_name, Observation.sheet, Observation.cell, Batch.is_demo,
                  Batch.is_reference)


def current_values_many(db: Db, indicators: Iterable[str],
                        regions: Iterable[str]) -> dict[str, list[dict]]:
    """{indicator: its current values for these regions, every period: reported, plus derived
    where not reported, as series() and region_values() find them}, for values to compute with.

    Rows carry VALUE_KEYS plus derived, formula and inputs (a derived row's two input rows, full
    row dicts); names, units and period labels are the catalog's and etl.periods' to add.
    Set-based: three or four statements however many indicators and regions are asked for (the
    catalog, the values, the derivations' inputs with their provenance), so that a page over the
    whole catalog does not run one query per indicator and region."""
    codes, region_codes = _codes(indicators), _codes(regions)
    with reading(db) as s:
        # held: s.get() below reads the session (a derivation's inputs not asked for: one each)
        catalog = s.scalars(select(Indicator).where(Indicator.code.in_(sorted(set(codes))))).all()
        derivations = {code: _derivation(s, code) for code in codes}
        heads = {code: _indicator_head(s, code) for code in codes if derivations[code]}
        inputs = {c for d in derivations.values() if d for c in (d.numerator, d.denominator)}
        by_code: dict[str, list[dict]] = {code: [] for code in set(codes) | inputs}
        # the values only (no names, no labels): 80,000 full row dicts were most of a cold page
        query = (select(*_VALUE_COLUMNS).join(Batch, Batch.id == Observation.batch_id)
                 .where(Observation.is_current.is_(True), Batch.status == "loaded",
                        Observation.indicator_code.in_(sorted(set(codes))),
                        Observation.region_code.in_(region_codes)))
        for values in s.execute(query):
            row = dict(zip(VALUE_KEYS, values), derived=False, formula=None, inputs=None)
            by_code[row["indicator_code"]].append(row)
        full: dict[str, list[dict]] = {code: [] for code in inputs}
        if inputs:  # a derived row copies its inputs with their labels and provenance
            for m in s.execute(_current_select(sorted(inputs), region_codes)).mappings():
                row = _row(m)
                full[row["indicator_code"]].append(row)
    result = {}
    for code in codes:
        reported = by_code[code]
        derivation = derivations[code]
        if derivation is not None:
            have = {_key(r) for r in reported}
            reported = reported + [r for r in derive_rows(
                derivation, heads[code], full[derivation.numerator], full[derivation.denominator])
                if _key(r) not in have]
        result[code] = reported
    del catalog
    return result


def latest_periods(db: Db, indicators: Union[str, Iterable[str]],
                   regions: Union[str, Iterable[str]]) -> dict[tuple[str, str], dict]:
    """{(indicator, region): the newest current row} (derived values included).

    The newest period is by period_sort_key: a whole year counts as its fourth quarter and wins
    over it; between bases of one quarter the indicator's preferred basis wins. Pairs without any
    value are absent.
    """
    result: dict[tuple[str, str], dict] = {}
    region_codes = _codes(regions)
    with reading(db) as s:
        for code in _codes(indicators):
            head = _indicator_head(s, code)
            for row in _values_with_derived(s, code, region_codes):
                key = (code, row["region_code"])
                rank = (period_sort_key(row["year"], row["quarter"]),
                        -_basis_rank(head, row["basis"]))
                if key not in result or rank > result[key][0]:
                    result[key] = (rank, row)
    return {key: row for key, (_rank, row) in result.items()}


# --- targets -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetInfo:
    """One target with its target set, policy clause and indicator, as plain data."""

    id: int
    target_set_code: str
    set_name_zh: str
    set_name_en: str
    set_issuer_zh: str
    set_issued_on: Optional[str]
    set_source: str
    base_year: int
    indicator_code: str
    indicator_zh: str
    indicator_en: str
    unit: str
    unit_en: str
    direction: str
    measure: str  # flow | stock | ratio
    quarterly_cumulative: bool
    region_code: str
    region_zh: str
    region_en: str
    target_year: int
    kind: str  # at_least | approximately | national_average | full_coverage
    value: Optional[float]
    tolerance: Optional[float]
    clause_ref_zh: str
    clause_ref_en: str
    clause_text: str
    note_zh: str
    note_en: str
    set_illustrative: bool = False  # the set is illustrative (demo), not policy

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def targets(db: Db, target_set: Optional[str] = None, region: Optional[str] = None,
            indicator: Optional[str] = None) -> list[TargetInfo]:
    """Targets in target-set then seed order, optionally for one set, region or indicator."""
    query = (select(Target, TargetSet, Indicator, Region)
             .join(TargetSet, TargetSet.code == Target.target_set_code)
             .join(Indicator, Indicator.code == Target.indicator_code)
             .join(Region, Region.code == Target.region_code)
             .order_by(TargetSet.sort_order, TargetSet.code, Target.sort_order, Target.id))
    if target_set:
        query = query.where(Target.target_set_code == target_set)
    if region:
        query = query.where(Target.region_code == region)
    if indicator:
        query = query.where(Target.indicator_code == indicator)
    with reading(db) as s:
        return [TargetInfo(
            id=t.id, target_set_code=ts.code, set_name_zh=ts.name_zh, set_name_en=ts.name_en,
            set_issuer_zh=ts.issuer_zh, set_issued_on=ts.issued_on, set_source=ts.source,
            base_year=ts.base_year if ts.base_year is not None else 2020,
            indicator_code=i.code, indicator_zh=i.name_zh, indicator_en=i.name_en, unit=i.unit,
            unit_en=i.unit_en, direction=i.direction, measure=i.measure,
            quarterly_cumulative=i.quarterly_cumulative, region_code=r.code,
            region_zh=r.name_zh, region_en=r.name_en, target_year=t.target_year, kind=t.kind,
            value=t.value, tolerance=t.tolerance, clause_ref_zh=t.clause_ref_zh,
            clause_ref_en=t.clause_ref_en, clause_text=t.clause_text, note_zh=t.note_zh,
            note_en=t.note_en, set_illustrative=bool(ts.illustrative))
            for t, ts, i, r in s.execute(query)]


def target_sets(db: Db) -> list[dict]:
    """The target sets (policy documents), in order."""
    with reading(db) as s:
        return [dict(code=t.code, name_zh=t.name_zh, name_en=t.name_en, issuer_zh=t.issuer_zh,
                     issued_on=t.issued_on, source=t.source, base_year=t.base_year,
                     target_year=t.target_year, illustrative=bool(t.illustrative))
                for t in s.scalars(select(TargetSet).order_by(TargetSet.sort_order, TargetSet.code))]


# --- vintage, versions, batches ----------------------------------------------------------------

def data_vintage(db: Db) -> Optional[dict]:
    """What the data are as of, or None when no current value is loaded.

    {'year', 'quarter' (0 when the newest period is a whole year without quarterly data), 'period_zh',
     'period_en', 'loaded_at' (newest load time of a loaded batch), 'any_demo' (a current value comes
     from a demo batch), 'demo_batches', 'loaded_batches'}.
    """
    with reading(db) as s:
        batches = s.execute(select(Batch.id, Batch.status, Batch.is_demo, Batch.loaded_at)).all()
        loaded = [b for b in batches if b.status == "loaded"]
        if not loaded:
            return None
        # is_current already excludes rolled-back batches; the explicit filter is a safety net
        # that costs nothing in the usual case (no rolled-back batch), unlike an IN over all ids
        current = [Observation.is_current.is_(True)]
        rolled_back = [b.id for b in batches if b.status != "loaded"]
        if rolled_back:
            current.append(Observation.batch_id.notin_(rolled_back))
        # two aggregate scans (no index on year): ~0.1 s on a million rows; cache the result
        # keyed by data_stamp()
        year = s.scalar(select(func.max(Observation.year)).where(*current))
        if year is None:
            return None
        quarter = s.scalar(select(func.max(Observation.quarter))
                           .where(*current, Observation.year == year)) or 0
        demo_ids = [b.id for b in loaded if b.is_demo]
        any_demo = bool(demo_ids) and s.scalar(select(exists().where(
            Observation.batch_id.in_(demo_ids), Observation.is_current.is_(True))))
    basis = "quarter" if quarter else "annual"
    return dict(year=year, quarter=quarter,
                period_zh=format_period((year, quarter, basis), None, "zh"),
                period_en=format_period((year, quarter, basis), None, "en"),
                loaded_at=max(b.loaded_at for b in loaded), any_demo=bool(any_demo),
                demo_batches=len(demo_ids), loaded_batches=len(loaded))


def observation_versions(db: Db, indicator: str, region: str, year: int, quarter: int,
                         basis: str) -> list[dict]:
    """Every version of one observation key, newest first, including those of rolled-back
    batches (batch_status says which), for the "earlier versions" view."""
    query = (select(Observation.version, Observation.value, Observation.raw_value,
                    Observation.is_current, Observation.sheet, Observation.cell,
                    Observation.batch_id, Batch.file_name, Batch.loaded_by, Batch.loaded_at,
                    Batch.status.label("batch_status"), Batch.rolled_back_at, Batch.is_demo)
             .join(Batch, Batch.id == Observation.batch_id)
             .where(Observation.indicator_code == indicator, Observation.region_code == region,
                    Observation.year == year, Observation.quarter == quarter,
                    Observation.basis == basis)
             .order_by(Observation.version.desc()))
    with reading(db) as s:
        return [dict(m) for m in s.execute(query).mappings()]


def batch_list(db: Db, *, limit: Optional[int] = None) -> list[dict]:
    """Loaded files, newest first, with counts and status (the validation report is left out:
    see batch_detail)."""
    query = select(Batch).order_by(Batch.id.desc())
    if limit is not None:
        query = query.limit(limit)
    with reading(db) as s:
        return [_batch_dict(b) for b in s.scalars(query)]


def batch_sources(db: Db) -> dict[int, list[str]]:
    """{batch id: its 数据来源 lines} of the batches that have any: two columns, not a Batch
    object per file (a national database has hundreds of batches; building them was a tenth of
    a cold topic page)."""
    query = select(Batch.id, Batch.source_lines).where(  # most files have none ('[]'), not parsed
        Batch.source_lines.isnot(None), cast(Batch.source_lines, Text) != "[]")
    with reading(db) as s:
        return {batch_id: list(lines) for batch_id, lines in s.execute(query) if lines}


def batch_detail(db: Db, batch_id: int) -> Optional[dict]:
    """One batch with its validation report, notes and source lines."""
    with reading(db) as s:
        batch = s.get(Batch, batch_id)
        return None if batch is None else dict(_batch_dict(batch), report=batch.report)


def _batch_dict(b: Batch) -> dict:
    return dict(id=b.id, file_name=b.file_name, sha256=b.sha256, loaded_by=b.loaded_by,
                loaded_at=b.loaded_at, status=b.status, is_demo=b.is_demo,
                is_reference=b.is_reference, values_read=b.values_read, values_new=b.values_new,
                values_revised=b.values_revised, values_unchanged=b.values_unchanged,
                values_skipped=b.values_skipped, notes=list(b.notes or []),
                source_lines=list(b.source_lines or []), rolled_back_at=b.rolled_back_at,
                rolled_back_by=b.rolled_back_by, rollback_reason=b.rollback_reason)


def data_stamp(db: Db) -> str:
    """A short string that changes whenever data change (a load or a rollback): a cache key part.
    Reads only the small batches table."""
    with reading(db) as s:
        count, last_id, last_rollback = s.execute(
            select(func.count(Batch.id), func.max(Batch.id), func.max(Batch.rolled_back_at))).one()
    return f"{count}-{last_id or 0}-{last_rollback or ''}"


CATALOG_TABLES = (Indicator, Region, TargetSet, Target)  # what the pages keep in memory


def stamps(db: Db) -> tuple[str, str]:
    """(data_stamp, catalog stamp) in one statement. The catalog stamp is a digest of every column
    of every row of the catalog (indicators, regions, target sets, targets): it changes when
    `python -m etl init` changes any of them, and not with the data. On PostgreSQL the rows are
    digested in the server (md5), on SQLite they are sent as one string: a few milliseconds for
    a national catalog of 3,454 regions, read once per STAMP_SECONDS per cache, and enough for a
    worker to keep the catalog in memory across data changes (dashboard.data.in_memory)."""
    with reading(db) as s:
        count, last_id, last_rollback, *catalog = s.execute(_stamps_sql(s.get_bind().dialect)).one()
    digest = hashlib.sha1("\x00".join(part or "" for part in catalog).encode()).hexdigest()[:16]
    return f"{count}-{last_id or 0}-{last_rollback or ''}", digest


@functools.lru_cache(maxsize=4)
def _stamps_sql(dialect) -> TextClause:
    """The statement of stamps(), compiled once: its ~50 columns made SQLAlchemy's cache key
    cost more than the query itself."""
    statement = select(func.count(Batch.id), func.max(Batch.id), func.max(Batch.rolled_back_at),
                       *[_table_digest(model, dialect.name) for model in CATALOG_TABLES])
    compiled = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    return text(str(compiled))


def _table_digest(model, dialect: str):
    """A scalar subquery: the table's rows, every column as text, in primary-key order, as one
    string (SQLite) or its md5 (PostgreSQL)."""
    table = model.__table__
    line = functools.reduce(lambda a, b: a + "|" + b,
                            [func.coalesce(cast(column, Text), "") for column in table.columns])
    order = list(table.primary_key.columns)
    if dialect == "postgresql":
        return select(func.md5(func.string_agg(line, aggregate_order_by(literal("\n"), *order))))\
            .scalar_subquery()
    rows = select(line.label("line")).order_by(*order).subquery()
    return select(func.group_concat(rows.c.line, "\n")).scalar_subquery()
