"""What the pages read: etl.store.queries and etl.progress.engine, cached, in the shapes the components take.

No SQL here and none in the pages: every function calls the query functions of etl/store/queries.py
(or the progress engine) with the app's engine. Results are cached with Flask-Caching under a key
made of the database, its data stamp (queries.data_stamp: changes on every load and rollback)
and the arguments, so that a new upload shows at once on every worker and nothing stale is served.
"""
from __future__ import annotations

import functools
import hashlib
from typing import Any, Callable

import orjson

from flask import Flask, current_app, g, has_app_context
from plotly.io.json import to_json_plotly
from sqlalchemy import Engine

from dashboard.cache import cache
from etl.progress import engine as progress_engine
from etl.store import queries
from etl.store import summary as summaries
from etl.wording.catalogue import t

ENGINE_KEY = "MONITOR_ENGINE"
SUMMARY_KEY = "MONITOR_SUMMARY"  # False: summarised readers compute on every call (tests compare)
DB_KEY = "MONITOR_DB_KEY"
STAMP_SECONDS = 5  # how long a worker trusts the data stamp before asking the database again
PROVINCE = queries.PROVINCE
NATION = queries.NATIONAL


# --- the engine of the current app ------------------------------------------------------------

def bind_engine(server: Flask, engine: Engine) -> None:
    server.config[ENGINE_KEY] = engine
    server.config[DB_KEY] = database_key(engine)


def database_key(engine: Engine) -> str:
    """Identifies the database across workers (same URL -> same key). Each app has a cache of its
    own unless CACHE_REDIS_URL is set, so two apps on two test schemas never share entries."""
    text = engine.url.render_as_string(hide_password=True)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def engine() -> Engine:
    return current_app.config[ENGINE_KEY]


def data_stamp() -> str:
    return _stamps()[0]


def catalog_stamp() -> str:
    """A digest of the catalog (indicators, regions, target sets, targets): changes when the
    catalog does, not with the data (queries.stamps)."""
    return _stamps()[1]


def _stamps() -> tuple[str, str]:
    memo = request_memo()
    if "stamp" in memo:  # one look-up per request, however many cached readers it calls
        return memo["stamp"]
    key = f"stamp:{current_app.config[DB_KEY]}"
    stamps = cache.get(key)
    if not isinstance(stamps, tuple):  # (none yet, or an older worker's data stamp alone)
        stamps = queries.stamps(engine())  # one statement for both
        cache.set(key, stamps, timeout=STAMP_SECONDS)
    memo["stamp"] = stamps
    return stamps


def request_memo() -> dict:
    """A dict that lives as long as the current request (or app context): cached readers are
    looked up in the shared cache once per request, not once per call (the data grid called
    batch_sources() once per row: 40,000 cache round trips per render)."""
    if not has_app_context():
        return {}
    memo = getattr(g, "_monitor_memo", None)
    if memo is None:
        memo = g._monitor_memo = {}
    return memo


def invalidate() -> None:
    """Forget the data stamp, so the next request sees new data at once (after an upload or a
    rollback). Cheap, for a request: the summaries of the new data are built by the job or the
    command that changed them (refresh_summaries), never here; until then the pages compute what
    they show (summarised)."""
    cache.delete(f"stamp:{current_app.config[DB_KEY]}")
    request_memo().clear()


def cached(func: Callable) -> Callable:
    """Memoise a reader per (database, data and catalog stamps, year, arguments): the year as in
    summary_stamp, so that on 1 January no reader answers with what last year's date gave."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any):
        memo = request_memo()
        # within a request the stamps are fixed (the memo is cleared with them): a second call
        # is found by its arguments, without the shared key's repr and digest (a chart's points
        # call batch_sources() once each)
        try:
            local = (wrapper, args, tuple(kwargs.items()))
            return memo[local]
        except KeyError:
            pass
        except TypeError:  # an argument that is not hashable (a list)
            local = None
        raw = repr((func.__module__, func.__qualname__, current_app.config[DB_KEY], _stamps(),
                    progress_engine.this_year(), args, sorted(kwargs.items())))
        key = "q:" + hashlib.sha1(raw.encode()).hexdigest()
        if key in memo:
            value = memo[key]
        else:
            value = cache.get(key)
            if value is None:
                value = func(*args, **kwargs)
                cache.set(key, value)
            memo[key] = value
        if local is not None:
            memo[local] = value
        return value
    wrapper.uncached = func
    return wrapper


def cached_page(build: Callable) -> Callable:
    """A page's layout function, memoised per query string and data stamp (page state lives in
    the URL, so the same URL always renders the same page until the data change).

    What is cached is what is sent: the layout serialised to JSON once (to_json), not the
    component objects. Unpickling go.Figure objects
    re-validated their whole template on every hit (79% of a warm overview); a JSON string loads
    into plain dicts, which Dash sends as they are."""
    @functools.wraps(build)
    def serialised(*args: Any, **kwargs: Any) -> bytes:
        return to_json(build(*args, **kwargs))

    memoised = cached(serialised)

    @functools.wraps(build)
    def layout(*args: Any, **kwargs: Any):
        return orjson.loads(memoised(*args, **kwargs))

    layout.__name__ = "layout"
    layout.uncached = build
    return layout


_JSON_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def _json_default(value: Any) -> Any:
    to_plotly = getattr(value, "to_plotly_json", None)  # Dash components, Plotly objects
    if to_plotly is not None:
        return to_plotly()
    raise TypeError(type(value).__name__)


def to_json(value: Any) -> bytes:
    """A layout as JSON: orjson, which calls each component's to_plotly_json (dates, numbers and
    plain-dict figures it writes itself); plotly's encoder for anything else. plotly's encoder
    walked every node of a page in Python first (~40% of a cold /city render); the JSON is the
    same (tests/test_performance.py compares the two)."""
    try:
        return orjson.dumps(value, default=_json_default, option=_JSON_OPTIONS)
    except TypeError:
        return to_json_plotly(value).encode()


SUMMARISED: list[Callable] = []  # every summarised reader, built after a data change (refresh)


def summarised(kind: str, keys: Callable[[], Any]) -> Callable:
    """A reader of one key (a city, a region, a target period) whose values change only with the
    data: computed for every key of `keys()` at once, once per data stamp, by the function itself,
    and kept in the summaries table (etl/store/summary.py); a render reads its key with one
    indexed query, then from the cache. The same function, called directly, is what the page
    computed before (.uncached; config MONITOR_SUMMARY=False computes on every call).

    The build is refresh_summaries, run by the job or the command that changed the data (the upload's
    commit, the rollback's job, python -m etl). A render that finds the kind not built for the
    current data (the job still queued or running, a new year, a deploy) computes the keys it
    asked for with the same function, as without the summary: the same numbers, never the old
    data's, and no viewer builds the whole kind in a web request."""
    def decorate(func: Callable) -> Callable:
        @cached
        def read(_kind: str, wanted: tuple[str, ...]) -> dict:  # the kind in the cache key
            found = summaries.read(engine(), summary_stamp(), kind, wanted) or {}
            return {key: found[key] if key in found else func(key) for key in wanted}

        @functools.wraps(func)
        def wrapper(key: str):
            return many([key])[key]

        def many(wanted: list[str]) -> dict:
            """{key: value} for several keys: one query."""
            if not current_app.config.get(SUMMARY_KEY, True):
                return {key: func(key) for key in wanted}
            return read(kind, tuple(wanted))
        wrapper.uncached = func
        wrapper.many = many
        wrapper.kind = kind
        wrapper.keys = keys
        SUMMARISED.append(wrapper)
        return wrapper
    return decorate


def summary_stamp() -> str:
    """The data stamp, the catalog's (targets are assessed), the year (assessments count years
    from today: the progress engine's this_year, the server's local date, the one date source of
    the key, the assessments and dashboard/summaries.py's year watcher, which builds the new
    year's summaries when it turns) and the code computing the summaries: a deploy with another
    computation, or another catalog, never reads old ones."""
    return f"{data_stamp()}|{catalog_stamp()}|{progress_engine.this_year()}|{code_digest()}"


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the sources the summaries come from (the store's queries, the progress engine,
    these readers, the pages, the texts the stored page parts say) and of the seed (catalog,
    targets)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1()
    for path in sorted([*root.joinpath("etl").rglob("*.py"), *root.joinpath("dashboard").rglob("*.py"),
                        *root.joinpath("etl", "wording", "texts").rglob("*.toml"),
                        *root.joinpath("data", "seed").rglob("*")]):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def refresh_summaries() -> list[str]:
    """Build every summary for the current data now: in the job or the command that changed the
    data (the upload's commit job, the rollback's job: dashboard/uploads.py; python -m etl:
    dashboard/summaries.py) or the year watcher's job (dashboard/summaries.py), never in a web
    request. The kinds this call built (not those found built already, e.g. by another process)."""
    if not current_app.config.get(SUMMARY_KEY, True):
        return []
    stamp = summary_stamp()
    return [reader.kind for reader in SUMMARISED
            if summaries.build(engine(), stamp, reader.kind, reader.keys, reader.uncached)]


# --- catalog ------------------------------------------------------------------------------------

CATALOG_KEY = "monitor_catalog"


def in_memory(func: Callable) -> Callable:
    """Memoise a catalog reader in this worker's memory per catalog stamp (and arguments), across
    data changes: the catalog (3,454 regions in a national database) was read again on every cold
    render when it was cached per data stamp. A change of the catalog (python -m etl init) changes
    the stamp, which a worker reads at most STAMP_SECONDS after. The values are shared by every
    request of the worker: read them, never change them."""
    @functools.wraps(func)
    def wrapper(*args: Any):
        store = current_app.extensions.setdefault(CATALOG_KEY, {})
        key = (func.__qualname__, catalog_stamp(), args)
        try:
            return store[key]
        except KeyError:
            pass
        value = func(*args)
        if len(store) > 256:  # the entries of older catalogs
            store.clear()
        store[key] = value
        return value
    wrapper.uncached = func
    return wrapper


@in_memory
def indicators() -> dict[str, dict]:
    return {row["code"]: row for row in queries.indicator_list(engine())}


@in_memory
def regions() -> dict[str, dict]:
    return {row["code"]: row for row in queries.region_list(engine())}


@in_memory
def prefecture_codes() -> list[str]:
    return [r["code"] for r in queries.region_list(engine(), level="prefecture", parent=PROVINCE)]


@in_memory
def targets() -> list[dict]:
    return [target.to_dict() for target in queries.targets(engine())]


def read_catalog() -> None:
    """Read what is kept in memory (the catalog, the panels, the target periods) now: a worker's
    first render reads them once; later renders, after any data change, find them."""
    indicators(), regions(), prefecture_codes(), targets(), wide_panel(), target_period_params()


def target_for(indicator: str, region: str = PROVINCE) -> dict | None:
    """The target of the overview's default target period (dashboard/progress_view.py) for this
    indicator and region; else the newest policy target; an illustrative one only when nothing else."""
    matches = [t for t in targets() if t["indicator_code"] == indicator and t["region_code"] == region]
    period = progress_report()["period"]
    shown = [t for t in matches if period is not None and t["target_set_code"] in period.set_codes]
    policy = [t for t in matches if not t.get("set_illustrative")]
    found = shown or policy or matches
    return found[-1] if found else None


# --- values ---------------------------------------------------------------------------------------

def _point(row: dict) -> dict:
    point = {key: row.get(key) for key in (
        "indicator_code", "region_code", "year", "quarter", "basis", "value", "derived", "formula",
        "batch_id", "file_name", "sheet", "cell", "is_demo", "is_reference")}
    point["source"] = row_source(row)
    return point


@cached
def batch_sources() -> dict[int, str]:
    """batch id -> its 数据来源 lines (published figures name where they were published)."""
    return {batch_id: t("list.semicolons", "zh").join(lines)
            for batch_id, lines in queries.batch_sources(engine()).items()}


def row_source(row: dict) -> str | None:
    """The source a reader should see for one value: the file's own 数据来源 line when it has one
    (published figures), else None (the indicator's catalog source is shown)."""
    ids = [row.get("batch_id")] + [i.get("batch_id") for i in (row.get("inputs") or [])]
    sources = batch_sources()
    found = [sources[i] for i in ids if i in sources]
    return t("list.semicolons", "zh").join(dict.fromkeys(found)) or None


@cached
def series(indicator: str, region: str) -> list[dict]:
    """One line of a chart: annual values, plus the quarters of years that are not complete.

    Flows (GDP, value added) are shown as whole years only: a year-to-date flow would zigzag
    against full years. Ratios and stocks add their quarterly values, and a whole year replaces
    its own fourth quarter.
    """
    meta = indicators()[indicator]
    rows = current_values(indicator, [region])
    annual = [_point(r) for r in queries.series_from_rows(meta, rows, [region], frequency="annual")]
    if meta["measure"] == "flow" and annual:
        return annual
    quarterly = [_point(r) for r in queries.series_from_rows(meta, rows, [region])]
    years = {p["year"] for p in annual}
    quarterly = [p for p in quarterly if not (p["quarter"] == 4 and p["year"] in years)]
    return sorted(annual + quarterly, key=lambda p: queries.period_sort_key(p["year"], p["quarter"]))


# --- current values, fetched for many indicators at once ----------------------------------------

def panel() -> tuple[str, ...]:
    """The regions most pages show: the province's prefectures, the province and the nation. One
    indicator's rows for all of them are fetched and cached together (a few hundred rows)."""
    return (*prefecture_codes(), PROVINCE, NATION)


def _region_set(regions: list[str]) -> tuple[str, ...]:
    """The panel when it covers `regions`; else the panel and every province when they do (the
    benchmarks' peers: one fetch for the province, the nation and any peers, not one per peer);
    else just these regions."""
    wanted = set(regions)
    common = panel()
    if wanted <= set(common):
        return common
    wide = wide_panel()
    return wide if wanted <= set(wide) else tuple(sorted(wanted))


@in_memory
def wide_panel() -> tuple[str, ...]:
    provinces = [code for code, r in regions().items() if r["level"] == "province"]
    return tuple(dict.fromkeys([*panel(), *provinces]))


ROW_KEYS = ("indicator_code", "region_code", "year", "quarter", "basis", "value", "derived",
            "formula", "batch_id", "file_name", "sheet", "cell", "is_demo", "is_reference")


def _slim(row: dict) -> dict:
    """What the pages use of a row (see _point), inputs reduced to their batches (row_source).
    Reported rows of queries.current_values_many are that already."""
    if not row.get("derived"):
        return row
    slim = {key: row.get(key) for key in ROW_KEYS}
    slim["inputs"] = [{"batch_id": i.get("batch_id")} for i in row.get("inputs") or []] or None
    return slim


def current_values(indicator: str, regions: list[str]) -> list[dict]:
    """Current rows of one indicator (reported and derived, every period) for a set of regions
    that includes `regions` (the panel when it can), from the request memo, the cache, or the
    database — see prefetch."""
    return prefetch([indicator], regions)[indicator]


def prefetch(codes: list[str], regions: list[str], *, stored: bool = True) -> dict[str, list[dict]]:
    """{indicator: current rows for a region set including `regions`} for many indicators: one
    round trip to the cache for all of them; for those missing, one read of the summary when the
    region set is the panel or the wide panel (panel_values, wide_values: what this function
    fetched when the data changed), else one set-based query (queries.current_values_many),
    whatever their number. Pages that loop over the catalog call it first, so that their SQL
    does not grow with the number of indicators (tests/test_performance.py). stored=False: from
    the database (what the summary is built from)."""
    region_set = _region_set(regions)
    stamp = (current_app.config[DB_KEY], data_stamp())
    keys = {code: "v:" + hashlib.sha1(repr(("values", stamp, code, region_set)).encode()).hexdigest()
            for code in codes}
    memo = request_memo()
    missing = [code for code in codes if keys[code] not in memo]
    if missing:
        for code, value in zip(missing, cache.get_many(*[keys[c] for c in missing])):
            if value is not None:
                memo[keys[code]] = value
        missing = [code for code in codes if keys[code] not in memo]
    if missing:
        rows = _stored_values(missing, region_set) if stored else None
        if rows is None:
            fetched = queries.current_values_many(engine(), missing, region_set)
            rows = {code: [_slim(r) for r in fetched[code]] for code in missing}
        found = {keys[code]: rows[code] for code in missing}
        cache.set_many(found)
        memo.update(found)
    return {code: memo[keys[code]] for code in codes}


def _stored_values(codes: list[str], region_set: tuple[str, ...]) -> dict[str, list[dict]] | None:
    """These indicators' rows for this region set from the summary (one query), or None when it
    does not hold them (another region set, or not built yet for these data)."""
    if not current_app.config.get(SUMMARY_KEY, True):
        return None
    for reader, covered in ((panel_values, indicators), (wide_values, ratio_codes)):
        if region_set == reader.region_set() and set(codes) <= set(covered()):
            return summaries.read(engine(), summary_stamp(), reader.kind, codes)
    return None


def ratio_codes() -> list[str]:
    """Indicators comparable between regions of any size (shares, rates, per-person figures)."""
    return [code for code, meta in indicators().items() if meta["measure"] == "ratio"]


def _every(codes: Callable[[], list[str]], region_set: Callable[[], tuple[str, ...]]) -> Callable:
    """The keys of a values summary, their rows fetched first in one query (the build then finds
    each in the request memo)."""
    def keys() -> list[str]:
        prefetch(codes(), region_set(), stored=False)
        return codes()
    return keys


@summarised("panel", keys=_every(lambda: list(indicators()), panel))
def panel_values(code: str) -> list[dict]:
    """One indicator's current rows for the panel, as prefetch gives them, kept in the summary
    for every indicator: a cold topic page reads its indicators' rows with one indexed query
    instead of fetching and deriving them."""
    return prefetch([code], panel(), stored=False)[code]


@summarised("wide", keys=_every(ratio_codes, lambda: wide_panel()))
def wide_values(code: str) -> list[dict]:
    """The same for the wide panel (the panel and every province) and the indicators the
    benchmarks compare: the peers' lines on /benchmarks."""
    return prefetch([code], wide_panel(), stored=False)[code]


panel_values.region_set = panel
wide_values.region_set = wide_panel


def periods(indicator: str, level: str = "prefecture") -> list[tuple[int, int, str]]:
    """Periods with values for the regions of `level` in the province, newest first."""
    return [period for period, _count in period_coverage(indicator, level)]


@cached
def period_coverage(indicator: str, level: str = "prefecture") -> list[tuple[tuple[int, int, str], int]]:
    """(period, how many regions of `level` have a value), newest first: how complete each period
    is (a 2026 quarter that one city has reported: 1 of 13; see etl.periods.default_period)."""
    codes = prefecture_codes() if level == "prefecture" else [PROVINCE]
    counts: dict[tuple[int, int, str], int] = {}
    rows, meta = current_values(indicator, codes), indicators()[indicator]
    for frequency in ("annual", "quarterly"):
        for row in queries.series_from_rows(meta, rows, codes, frequency=frequency):
            key = (row["year"], row["quarter"], row["basis"])
            counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items(), key=lambda pc: queries.period_sort_key(pc[0][0], pc[0][1]),
                  reverse=True)


@cached
def region_values(indicator: str, year: int, quarter: int = 0, basis: str | None = None, *,
                  level: str = "prefecture", regions: list[str] | None = None) -> dict[str, dict]:
    """code -> point (with rank) for one period, best first."""
    if regions is None and level != "prefecture":
        rows = queries.region_values(engine(), indicator, year, quarter,
                                     basis=None if not quarter else basis, level=level)
    else:
        codes = list(regions) if regions is not None else prefecture_codes()
        rows = queries.ranked_from_rows(indicators()[indicator], current_values(indicator, codes),
                                        codes, year, quarter, basis if quarter else None)
    return {r["region_code"]: {**_point(r), "rank": r["rank"]} for r in rows}


@cached
def latest_common_period(indicator: str, region: str, other: str) -> tuple[int, int, str] | None:
    """The newest period where both regions have a value of this indicator (annual first)."""
    found, meta = current_values(indicator, [region, other]), indicators()[indicator]
    for frequency in ("annual", "quarterly"):
        rows = queries.series_from_rows(meta, found, [region, other], frequency=frequency)
        mine = {(r["year"], r["quarter"], r["basis"]) for r in rows if r["region_code"] == region}
        theirs = {(r["year"], r["quarter"], r["basis"]) for r in rows if r["region_code"] == other}
        common = mine & theirs
        if common:
            return max(common, key=lambda p: queries.period_sort_key(p[0], p[1]))
    return None


GRID_LIMIT = 20000  # rows the data grid takes at once; narrow by indicator / region for more


@cached
def current_rows(indicator: str | None = None, region: str | None = None,
                 limit: int = GRID_LIMIT) -> list[dict]:
    """Current reported values with provenance, for the data grid (capped; filter to narrow)."""
    return queries.current_observations(engine(), indicator, region, limit=limit)


@cached
def grid_size(indicator: str | None = None, region: str | None = None) -> int:
    """Current reported values matching, counted up to GRID_LIMIT + 1 (enough to choose between
    the grid's two modes, cheap on any table)."""
    return queries.count_current(engine(), indicator, region, at_most=GRID_LIMIT + 1)


def grid_block(indicator: str | None, region: str | None, start: int, end: int) -> tuple[list[dict], bool]:
    """Rows start..end of the server-paged grid (keyset paging: the key of the row before
    `start` is remembered when the block before it is served; ag-grid asks for blocks in order),
    and whether the block is the last."""
    stamp = (current_app.config[DB_KEY], data_stamp(), indicator, region)

    def cursor_key(row: int) -> str:
        return "k:" + hashlib.sha1(repr(("grid", stamp, row)).encode()).hexdigest()

    after = None
    if start:
        after = cache.get(cursor_key(start))
        if after is None:  # a jump (last page, or an evicted key): walk there once, by keys
            skipped = queries.current_page(engine(), indicator, region, limit=start)
            after = tuple(skipped[-1][k] for k in queries.PAGE_KEY) if len(skipped) == start else None
            if after is None:
                return [], True
    rows = queries.current_page(engine(), indicator, region, after=after, limit=end - start)
    if rows:
        cache.set(cursor_key(start + len(rows)), tuple(rows[-1][k] for k in queries.PAGE_KEY))
    return rows, len(rows) < end - start


@cached
def vintage() -> dict | None:
    found = queries.data_vintage(engine())
    if not found:
        return None
    return {"year": found["year"], "quarter": found["quarter"], "updated_at": found["loaded_at"],
            "any_demo": found["any_demo"]}


def demo_shown() -> bool:
    found = vintage()
    return bool(found and found["any_demo"])


# --- progress -----------------------------------------------------------------------------------

def progress_report(period: str | None = None) -> dict:
    """{'period', 'periods', 'assessments' (etl.progress.assess.Assessment), 'summary'} of one
    target period (default: the overview's default one; see dashboard/progress_view.py), from the
    summary: the engine assesses every target once per data change, not once per cold page."""
    return _progress(target_key(period))


def target_key(period: str | None) -> str:
    """The summaries' key of a target period asked for in the URL: '' for the default one (what
    any other value shows too)."""
    return period if period in target_period_params() else ""


def target_period_params() -> list[str]:
    """The URL values of the target periods (?targets=2030); any other value means the default."""
    from etl.progress import engine as progress

    return _target_period_params(progress.this_year())


@in_memory
def _target_period_params(year: int) -> list[str]:
    """(the target sets are catalog; which periods are past depends on the year)"""
    from dashboard.progress_view import period_param
    from etl.progress import engine as progress

    periods = progress.periods(engine(), as_of_year=year)
    return [period_param(p, periods) for p in periods]


@summarised("progress", keys=lambda: ["", *target_period_params()])
def _progress(period: str) -> dict:
    from dashboard.progress_view import report_from_engine

    return report_from_engine(engine(), period or None)


def status_for(indicator: str, region: str = PROVINCE):
    """The Assessment of this indicator's target in the default target period, or None."""
    for a in progress_report()["assessments"]:
        if a.indicator_code == indicator and a.region_code == region:
            return a
    return None


# --- export ---------------------------------------------------------------------------------------

def export_table(header: list[str], rows: list[list[Any]], fmt: str) -> bytes:
    """CSV (UTF-8 with BOM, for Excel) or XLSX bytes, formula-like cells neutralised by etl.export."""
    from etl.store.export import export_rows

    return export_rows(header, rows, fmt)


# --- page parts kept as sent (built after the summaries above, which they read) --------------------

PARTS: dict[str, Callable[[str], Any]] = {}


def page_part(name: str) -> Callable:
    """A part of a page that depends on the data and the language only, not on the page's
    controls (a topic page's charts over time, with their tables and explanations): computed by
    the decorated function for each language when the data change and kept in the summary as
    the JSON that is sent, so that a cold render reads it with one query and sends it, instead
    of building its figures and components again. Called, it returns that JSON as plain data
    (what Dash sends for the components the function returns); .uncached is the function."""
    def decorate(func: Callable[[str], Any]) -> Callable[[str], Any]:
        PARTS[name] = func

        @functools.wraps(func)
        def part(lang: str) -> Any:
            return orjson.loads(stored_parts(f"{name}|{lang}"))
        part.uncached = func
        return part
    return decorate


def _part_keys() -> list[str]:
    from etl.wording.catalogue import LANGS

    return [f"{name}|{lang}" for name in PARTS for lang in LANGS]


@summarised("parts", keys=_part_keys)
def stored_parts(key: str) -> bytes:
    """The JSON of a page part ('infrastructure|en'), as to_json writes the page."""
    name, lang = key.split("|")
    return to_json(PARTS[name](lang))
