"""The progress engine: reads targets and values (etl/store/queries.py) and assesses them
(etl/progress/assess.py). No sentences here: etl/wording/progress.py words the results.

The method: docs/method.md; its constants: etl/progress/method.py.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from etl.progress import method
from etl.progress.assess import (  # noqa: F401  (the engine's public names)
    AnnualPoint,
    Assessment,
    Summary,
    TargetPeriod,
    annual_points,
    assess,
    default_period,
    summarise,
    target_periods,
)
from etl.periods import period_sort_key
from etl.store import queries

NATIONAL = queries.NATIONAL
STATUSES = method.STATUSES


def this_year() -> int:
    return dt.date.today().year


def assess_targets(db, *, target_set: Optional[str] = None, region: Optional[str] = None,
                   target_id: Optional[int] = None, target_year: Optional[int] = None,
                   as_of_year: Optional[int] = None,
                   up_to: Optional[tuple[int, int]] = None) -> list[Assessment]:
    """Fetch (etl.store.queries) and assess every target, in target-set order.

    db: a Session or an Engine. target_set / target_id / target_year: only those targets.
    region: assess every target for this region instead of the target's own (e.g. a city against
    the provincial targets); default: each target for the region it was set for. An unknown
    region raises KeyError. as_of_year: the year "now" (default: this calendar year).
    up_to: (year, quarter): only values of periods ending by that quarter's end (a whole year
    counts with its fourth quarter): the same assessment on the values known for an earlier
    quarter (the quarterly briefing, etl/briefing).
    """
    as_of_year = as_of_year or this_year()
    with queries.reading(db) as session:  # one session for all the small queries
        found = queries.targets(session, target_set=target_set)
        if target_id is not None:
            found = [t for t in found if t.id == target_id]
        if target_year is not None:
            found = [t for t in found if t.target_year == target_year]
        other = None
        if region is not None:
            match = [r for r in queries.region_list(session) if r["code"] == region]
            if not match:
                raise KeyError(f"unknown region {region!r}")
            other = match[0]
        results = []
        for target in found:
            code = other["code"] if other else target.region_code
            rows = queries.series(session, target.indicator_code, [code], frequency="all")
            national = None
            if target.kind == method.NATIONAL_AVERAGE:
                national = queries.series(session, target.indicator_code, [NATIONAL], frequency="all")
            if up_to is not None:
                rows, national = _up_to(rows, up_to), national and _up_to(national, up_to)
            results.append(assess(target, rows, national, region=other, as_of_year=as_of_year))
    return results


def _up_to(rows: list[dict], quarter: tuple[int, int]) -> list[dict]:
    """The rows of periods ending by the end of (year, quarter); a whole year ends with its Q4."""
    end = period_sort_key(quarter[0], quarter[1] or 4)[:2]
    return [r for r in rows if period_sort_key(r["year"], r["quarter"])[:2] <= end]


def periods(db, as_of_year: Optional[int] = None) -> list[TargetPeriod]:
    """The target periods (target sets grouped by target year), oldest first."""
    return target_periods(queries.target_sets(db), as_of_year or this_year())
