"""The arithmetic of the progress method, on plain data, into frozen dataclasses. No sentences here
(etl/wording words an Assessment), no database (etl/progress/engine.py reads and calls `assess`).

    observed CAGR  = (x_now / x_base) ** (1 / (t_now - t_base)) - 1
    required CAGR  = (target / x_base) ** (1 / (t_target - t_base)) - 1
    R              = sign(x_base) * d * observed / |required|      d = +1 higher is better, -1 lower

Like Open SDG, R divides by the *magnitude* of the required growth and multiplies by the desired
direction d (indicators.direction; a missing direction is an error, never defaulted) and by the
sign of the base value, so that "moving the right way" is always positive. Unlike Open SDG (which
replaces a zero base by 0.001), a zero base gives "insufficient data".

A target of year Y is assessed on values up to Y only: the final verdict uses Y's whole-year value
(annual, or the fourth quarter's year-to-date / end-of-year value); later values never change it
and are carried apart (`Assessment.newer`) for the "newest" line of a card. Before Y's value
exists, the verdict is a projection from the values up to Y.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Optional

from etl.progress import method as m


# --- the dataclasses -------------------------------------------------------------------------

@dataclass(frozen=True)
class AnnualPoint:
    """The value that stands for one year in the assessment (or a newer value shown apart)."""

    year: int
    value: float
    quarter: int  # 0 = a whole-year value; 1..4 = the latest quarter's value stands for the year
    complete: bool  # False when only part of the year is known (a quarter before the fourth)
    period_zh: str  # the period's label from the store (etl.store.queries), not made up here
    period_en: str
    basis: str = "annual"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Step:
    """One line of the arithmetic: `name` = (now / base)^(1/(year_now − year_base)) − 1 = result,
    or for the ratio: R = now / |base| = result (now: observed CAGR, base: required CAGR)."""

    name: str  # observed_cagr | required_cagr | ratio
    now: float
    base: float
    result: float
    year_now: Optional[int] = None
    year_base: Optional[int] = None
    reversed: bool = False  # R's sign reversed: lower is better


@dataclass(frozen=True)
class Note:
    """Something the reader must know about the data used (worded by etl/wording)."""

    code: str  # base_year_missing | no_base_data | too_few_points | no_growth_rate |
    #            nation_not_out | no_common_period
    year: Optional[int] = None
    other_year: Optional[int] = None
    period_zh: Optional[str] = None
    period_en: Optional[str] = None


@dataclass(frozen=True)
class Standing:
    """Where the assessed value stands, in the terms that fit the kind of target."""

    kind: Optional[str]  # one of method.STANDING_KINDS, or None (nothing sensible to say)
    value: Optional[float] = None  # share of the way, ratio, or the gap inside the band
    base_year: Optional[int] = None  # share_covered / fell_back: since when
    band: Optional[float] = None  # within_tolerance: the tolerance
    below: bool = False  # the value is short of what it is compared with (rounding must show it)


@dataclass(frozen=True)
class Verdict:
    """Final, partial or projection; for final and partial, the target year's value."""

    kind: str  # method.FINAL | PARTIAL | PROJECTION
    year: int
    met: Optional[bool] = None
    value: Optional[float] = None  # the target year's value (a ratio to the nation for national targets)
    shortfall: Optional[float] = None
    point: Optional[AnnualPoint] = None  # the target year's point (the region's own value)
    year_over: bool = False  # the target year is over (as of the assessment's date)
    partial_flow: Optional[AnnualPoint] = None  # a flow known for part of the target year only
    national_value: Optional[float] = None  # national targets: the nation's value that year
    gap: Optional[float] = None  # national targets: region − nation that year

    @property
    def is_final(self) -> bool:
        return self.kind == m.FINAL


@dataclass(frozen=True)
class Projection:
    """Expected value in the target year and the growth needed, while the target year is ahead of
    the latest value."""

    year: int
    years_left: int
    at_observed_cagr: Optional[float]
    linear: Optional[float]
    required_growth: Optional[float]
    required_change_per_year: float
    measured: str  # value | ratio_to_national


@dataclass(frozen=True)
class Explanation:
    """Every number the status was computed from, and the steps of the arithmetic."""

    measured: str  # value | ratio_to_national
    base: Optional[AnnualPoint]
    latest: Optional[AnnualPoint]
    configured_base_year: int
    target_value: float
    target_year: int
    direction: str
    observed_cagr: Optional[float]
    required_cagr: Optional[float]
    r: Optional[float]
    steps: tuple[Step, ...]
    notes: tuple[Note, ...]
    points: tuple[AnnualPoint, ...]
    national_points: tuple[AnnualPoint, ...] = ()
    thresholds: tuple[float, float] = (m.ON_TRACK, m.ACCELERATION)


@dataclass(frozen=True)
class National:
    """A national-average target: the region against the nation in the latest common period."""

    value: Optional[float]  # the nation's value
    point: Optional[AnnualPoint]  # the nation's point
    ratio: Optional[float]  # region / nation
    gap: Optional[float]  # region − nation, in the indicator's unit
    newest_own: Optional[AnnualPoint]  # the region's newest value up to the target year


@dataclass(frozen=True)
class Assessment:
    """One target for one region: status, standing, verdict, numbers and the arithmetic."""

    target: Any  # etl.store.queries.TargetInfo (plain data)
    region_code: str
    region_zh: str
    region_en: str
    status: str  # one of method.STATUSES
    standing: Standing
    verdict: Verdict
    latest: Optional[AnnualPoint]  # the value assessed: the newest up to the target year
    newer: Optional[AnnualPoint]  # the newest value after the target year (shown apart), if any
    goal: Optional[float]  # the value the latest is compared with (the nation's for national targets)
    gap: Optional[float]  # latest − goal
    share_covered: Optional[float]
    projection: Optional[Projection]
    explanation: Explanation
    national: Optional[National] = None
    as_of_year: int = 0

    # a few names the readers use often
    @property
    def indicator_code(self) -> str:
        return self.target.indicator_code

    @property
    def target_year(self) -> int:
        return self.target.target_year

    @property
    def kind(self) -> str:
        return self.target.kind

    @property
    def latest_value(self) -> Optional[float]:
        return self.latest.value if self.latest else None

    @property
    def is_final(self) -> bool:
        return self.verdict.is_final

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: every number, no words (the CLI adds the words of one language)."""
        out = asdict(self)
        out["target"] = dict(out["target"])
        return out


@dataclass(frozen=True)
class Summary:
    """Counts per status of a list of assessments."""

    total: int
    good: int  # achieved + on track
    counts: dict  # status code -> count, in method.STATUSES order
    final: int  # assessments with a final verdict
    met_final: int  # final verdicts that met the target

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- annual points ---------------------------------------------------------------------------------

def _point(row: dict, complete: bool) -> AnnualPoint:
    return AnnualPoint(row["year"], float(row["value"]), row["quarter"], complete,
                       row.get("period_zh") or "", row.get("period_en") or "",
                       row.get("basis") or "annual")


def annual_points(rows: Iterable[dict], measure: str) -> list[AnnualPoint]:
    """One point per year, oldest first, from current rows of one indicator and region.

    - A whole-year value (quarter 0) is used when there is one.
    - Otherwise, for a ratio or a stock (a share, a rate, a count of stations), the newest quarter
      of the year stands for it (its year-to-date / quarter-end value); before the fourth quarter
      the point is marked incomplete.
    - Otherwise, for a flow (GDP, value added), only a fourth-quarter year-to-date value, which
      covers the whole year, may stand for it: a partial-year flow is never compared with whole
      years, so such a year is left out.
    """
    by_year: dict[int, list[dict]] = {}
    for row in rows:
        by_year.setdefault(row["year"], []).append(row)
    points = []
    for year in sorted(by_year):
        chosen = _year_row(by_year[year], measure)
        if chosen is not None:
            points.append(_point(chosen, chosen["quarter"] in (0, 4)))
    return points


def _year_row(rows: list[dict], measure: str) -> Optional[dict]:
    annual = [r for r in rows if r["quarter"] == 0]
    if annual:
        return annual[0]
    ytd = sorted((r for r in rows if r["basis"] == "ytd"), key=lambda r: r["quarter"])
    if measure == "flow":
        return ytd[-1] if ytd and ytd[-1]["quarter"] == 4 else None
    if ytd:
        return ytd[-1]
    # a stock or rate filed under the single-quarter basis is still its quarter-end level
    quarters = sorted(rows, key=lambda r: r["quarter"])
    return quarters[-1] if quarters else None


def newest_after(rows: Iterable[dict], year: int) -> Optional[AnnualPoint]:
    """The newest value after `year` (a whole year, else the newest quarter, year-to-date first):
    what a card shows apart as "newest" beside a target year's final value."""
    later = [r for r in rows if r["year"] > year]
    if not later:
        return None
    basis_order = {"annual": 0, "ytd": 1, "quarter": 2}
    best = max(later, key=lambda r: (r["year"], r["quarter"] or 5,
                                     -basis_order.get(r["basis"], 3)))
    return _point(best, best["quarter"] in (0, 4))


# --- the arithmetic ------------------------------------------------------------------------------

def cagr(value_now: float, value_base: float, year_now: int, year_base: int) -> float:
    """Compound annual growth rate between two years: (now / base) ** (1 / years) - 1."""
    return (value_now / value_base) ** (1.0 / (year_now - year_base)) - 1.0


def direction_sign(direction: Optional[str]) -> int:
    """+1 when higher is better, -1 when lower is better; anything else is a catalog error."""
    if direction == "higher":
        return 1
    if direction == "lower":
        return -1
    raise ValueError(f"indicator direction must be 'higher' or 'lower' in the catalog, not {direction!r}")


def growth_ratio(observed: float, required: float, base: float, d: int) -> float:
    """Open SDG's R = sign(base) * d * observed / |required| (required must not be 0)."""
    sign = -1 if base < 0 else 1
    return sign * d * observed / abs(required)


def class_of_ratio(r: float) -> str:
    if r >= m.ON_TRACK:
        return m.ON_TRACK_CLASS
    if r >= m.ACCELERATION:
        return m.ACCELERATION_NEEDED
    if r >= 0:
        return m.LIMITED
    return m.DETERIORATING


def meets(value: float, target: float, d: int, tolerance: float = 0.0) -> bool:
    """The value meets the target: on the right side of it, or within the tolerance below it.

    An 'approximately' (左右) target with tolerance t is met from target - t up (higher is better);
    exceeding the band also counts as met, since more is better for the indicator.
    """
    return d * (value - target) >= -tolerance - m.EPSILON


# --- one target --------------------------------------------------------------------------------

def assess(target, rows: list[dict], national_rows: Optional[list[dict]] = None, *,
           region: Optional[dict] = None, as_of_year: int) -> Assessment:
    """The assessment of one target for one region.

    target: a queries.TargetInfo (or anything with the same attributes).
    rows: the region's current rows of the target's indicator (queries.series(..., 'all')).
    national_rows: the nation's rows of the same indicator, for 'national_average' targets.
    region: {'code', 'name_zh', 'name_en'} when assessing another region than the target's own.
    as_of_year: the year "now", to say that a target year is over.
    """
    d = direction_sign(target.direction)
    year = target.target_year
    all_points = annual_points(rows, target.measure)
    points = [p for p in all_points if p.year <= year]  # later values never change the verdict
    newer = newest_after(rows, year)
    region = region or dict(code=target.region_code, name_zh=target.region_zh,
                            name_en=target.region_en)
    head = dict(target=target, region_code=region["code"], region_zh=region["name_zh"],
                region_en=region["name_en"], newer=newer, as_of_year=as_of_year)
    partial_flow = _partial_flow(rows, target.measure, year, points)
    if target.kind == m.NATIONAL_AVERAGE:
        nation = [p for p in annual_points(national_rows or [], target.measure) if p.year <= year]
        return _assess_national(head, target, points, nation, d, as_of_year, partial_flow)
    goal = target.value if target.value is not None else (
        m.FULL_COVERAGE if target.kind == m.FULL_COVERAGE_KIND else None)
    if goal is None:
        raise ValueError(f"target {target.id} ({target.kind}) has no value")
    tolerance = (target.tolerance or 0.0) if target.kind == m.APPROXIMATELY else 0.0
    trend = _trend(points, target.base_year, goal, tolerance, d, year)
    verdict = _verdict(points, year, goal, tolerance, d, as_of_year, partial_flow)
    status = trend.status
    if verdict.is_final:
        status = m.ACHIEVED if verdict.met else m.NOT_ACHIEVED
    latest, base = trend.latest, trend.base
    share = _share_covered(latest, base, goal, d)
    return Assessment(
        **head, status=status,
        standing=_standing(target, latest, base, goal, tolerance, d, share),
        verdict=verdict, latest=latest, goal=goal,
        gap=None if latest is None else latest.value - goal, share_covered=share,
        projection=_projection(trend, goal, year, "value"),
        explanation=_explanation(trend, goal, target, d, points, "value"))


@dataclass
class _Trend:
    base: Optional[AnnualPoint]
    latest: Optional[AnnualPoint]
    notes: list = field(default_factory=list)
    observed: Optional[float] = None
    required: Optional[float] = None
    r: Optional[float] = None
    status: str = m.INSUFFICIENT
    project: bool = False  # a projection can be made
    by_cagr: bool = False  # ... at the observed CAGR (else a straight line only)


def _base_point(points: list[AnnualPoint], base_year: int) -> tuple[Optional[AnnualPoint], list[Note]]:
    """The base-year point, else the earliest one after it (and a note saying so)."""
    for p in points:
        if p.year == base_year:
            return p, []
    later = [p for p in points if p.year > base_year]
    if not later:
        return None, [Note("no_base_data", year=base_year)]
    return later[0], [Note("base_year_missing", year=base_year, other_year=later[0].year)]


def _trend(points: list[AnnualPoint], base_year: int, goal: float, tolerance: float, d: int,
           target_year: int) -> _Trend:
    """CAGR ratio and status class, from the base to the latest point (up to the target year)."""
    latest = points[-1] if points else None
    base, notes = _base_point(points, base_year)
    out = _Trend(base=base, latest=latest, notes=notes)
    if latest is None:
        return out
    achieved = meets(latest.value, goal, d, tolerance)
    if base is None or latest.year <= base.year:
        out.status = m.ACHIEVED if achieved else m.INSUFFICIENT
        out.notes.append(Note("too_few_points"))
        out.project = True  # the growth now required only
        return out
    if base.value == 0 or (base.value > 0) != (latest.value > 0) or latest.value == 0:
        out.status = m.ACHIEVED if achieved else m.INSUFFICIENT
        out.notes.append(Note("no_growth_rate"))
        out.project = True  # linear only
        return out
    out.observed = cagr(latest.value, base.value, latest.year, base.year)
    out.project = out.by_cagr = True
    if target_year > base.year and goal / base.value > 0:
        out.required = cagr(goal, base.value, target_year, base.year)
        if abs(out.required) > m.EPSILON:
            out.r = growth_ratio(out.observed, out.required, base.value, d)
    if achieved:
        out.status = m.ACHIEVED
    elif out.r is not None:
        out.status = class_of_ratio(out.r)
    else:  # the target equals the base value (or lies before it): only the direction counts
        out.status = m.DETERIORATING if d * out.observed < 0 else m.LIMITED
    return out


def _projection(trend: _Trend, goal: float, target_year: int, measured: str) -> Optional[Projection]:
    """Expected value in the target year (observed CAGR; straight line through base and latest)
    and the growth needed from the latest value, when the target year is still ahead of it."""
    latest, base = trend.latest, trend.base
    if latest is None or not trend.project:
        return None
    years_left = target_year - latest.year
    if years_left <= 0:
        return None
    at_cagr = latest.value * (1 + trend.observed) ** years_left if trend.by_cagr else None
    linear = None
    if base is not None and latest.year > base.year:
        slope = (latest.value - base.value) / (latest.year - base.year)
        linear = latest.value + slope * years_left
    needed = None
    if latest.value > 0 and goal > 0:
        needed = (goal / latest.value) ** (1 / years_left) - 1
    return Projection(year=target_year, years_left=years_left, at_observed_cagr=at_cagr,
                      linear=linear, required_growth=needed,
                      required_change_per_year=(goal - latest.value) / years_left,
                      measured=measured)


def _verdict(points: list[AnnualPoint], target_year: int, goal: float, tolerance: float, d: int,
             as_of_year: int, partial_flow: Optional[AnnualPoint]) -> Verdict:
    """Final (the target year's full value is known), partial (only part of it), or projection."""
    point = next((p for p in points if p.year == target_year), None)
    over = as_of_year > target_year
    if point is None:
        if partial_flow is not None:
            return Verdict(m.PARTIAL, target_year, year_over=over, partial_flow=partial_flow)
        return Verdict(m.PROJECTION, target_year, year_over=over)
    met = meets(point.value, goal, d, tolerance)
    shortfall = 0.0 if met else abs(goal - point.value)  # measured from the target value itself
    kind = m.FINAL if point.complete else m.PARTIAL
    return Verdict(kind, target_year, met=met, value=point.value, shortfall=shortfall, point=point,
                   year_over=over)


def _partial_flow(rows: list[dict], measure: str, year: int,
                  points: list[AnnualPoint]) -> Optional[AnnualPoint]:
    """For a flow whose target year is known only in part (no whole-year point): its newest
    quarter, so the verdict can say what is known."""
    if measure != "flow" or any(p.year == year for p in points):
        return None
    quarters = [r for r in rows if r["year"] == year and r["quarter"] > 0]
    if not quarters:
        return None
    return _point(max(quarters, key=lambda r: r["quarter"]), False)


def _share_covered(latest, base, goal, d: int) -> Optional[float]:
    """(x_now - x_base) / (target - x_base); None when the base already met the target (then
    there was no way to cover and the fraction would mean nothing)."""
    if latest is None or base is None or d * (goal - base.value) <= m.EPSILON:
        return None
    return (latest.value - base.value) / (goal - base.value) + 0.0  # + 0.0: no "-0%"


def _standing(target, latest: Optional[AnnualPoint], base: Optional[AnnualPoint], goal: float,
              tolerance: float, d: int, share: Optional[float]) -> Standing:
    """Where the assessed value stands, in the terms that make sense for the kind of target.

    - not yet met, from a base short of the target: the share of the way covered since the base
      year, named with its base year so that it is not read as value ÷ target;
    - met: full coverage reached, within the 左右 band, or value ÷ target;
    - short of it though the base had met it: says so (a share of the way means nothing there).
    """
    if latest is None:
        return Standing(None)
    if meets(latest.value, goal, d, tolerance):
        if target.kind == m.FULL_COVERAGE_KIND:
            return Standing("full_coverage", latest.value)
        if target.kind == m.APPROXIMATELY and d * (latest.value - goal) < -m.EPSILON:
            return Standing("within_tolerance", latest.value - goal, band=tolerance)
        return _ratio_to_target(latest.value, goal, d, below=False)
    if share is not None and latest.year > base.year:
        return Standing("share_covered", share, base_year=base.year, below=True)
    if base is not None and latest.year > base.year:  # the base met the target; now it does not
        return Standing("fell_back", None, base_year=base.year)
    return _ratio_to_target(latest.value, goal, d, below=True)


def _ratio_to_target(value: float, goal: float, d: int, below: bool) -> Standing:
    """value ÷ target, for higher-is-better targets above zero (for the others it means nothing)."""
    if d < 0 or goal <= 0:
        return Standing(None)
    return Standing("ratio_to_target", value / goal, below=below)


def _explanation(trend: _Trend, goal: float, target, d: int, points: list[AnnualPoint],
                 measured: str, national_points: tuple = ()) -> Explanation:
    base, latest = trend.base, trend.latest
    steps = []
    if base is not None and latest is not None and trend.observed is not None:
        steps.append(Step("observed_cagr", latest.value, base.value, trend.observed,
                          latest.year, base.year))
        if trend.required is not None:
            steps.append(Step("required_cagr", goal, base.value, trend.required,
                              target.target_year, base.year))
        if trend.r is not None:
            steps.append(Step("ratio", trend.observed, trend.required, trend.r, reversed=d < 0))
    return Explanation(
        measured=measured, base=base, latest=latest, configured_base_year=target.base_year,
        target_value=goal, target_year=target.target_year, direction=target.direction,
        observed_cagr=trend.observed, required_cagr=trend.required, r=trend.r, steps=tuple(steps),
        notes=tuple(trend.notes), points=tuple(points), national_points=tuple(national_points))


# --- targets relative to the nation -------------------------------------------------------------

def ratio_points(region: list[AnnualPoint], nation: list[AnnualPoint]) -> list[AnnualPoint]:
    """region / nation for each year both know for the same part of the year (both whole years,
    or both up to the same quarter)."""
    by_year = {p.year: p for p in nation}
    out = []
    for p in region:
        n = by_year.get(p.year)
        if n is None or n.value == 0 or (p.complete, p.quarter or 4) != (n.complete, n.quarter or 4):
            continue
        out.append(AnnualPoint(p.year, p.value / n.value, p.quarter, p.complete, p.period_zh,
                               p.period_en, p.basis))
    return out


def _assess_national(head: dict, target, points: list[AnnualPoint], nation: list[AnnualPoint],
                     d: int, as_of_year: int, partial_flow: Optional[AnnualPoint]) -> Assessment:
    """'At the national average': the region's value against the nation's in the same period.

    Met when the region's value is at least the nation's (for higher-is-better). The trend is
    judged on the ratio region / nation, whose target is 1: the ratio stays positive where the
    gap may cross zero, and CAGR needs positive values. Gap = region - nation, in the unit.
    """
    goal = m.NATIONAL_RATIO_TARGET
    ratios = ratio_points(points, nation)
    trend = _trend(ratios, target.base_year, goal, 0.0, d, target.target_year)
    latest = trend.latest
    own = points[-1] if points else None
    nat = {p.year: p for p in nation}
    latest_region = next((p for p in points if latest and p.year == latest.year), None)
    latest_nation = nat.get(latest.year) if latest else None
    if own is not None and latest is not None and own.year > latest.year:
        trend.notes.append(Note("nation_not_out", year=latest.year, period_zh=own.period_zh,
                                period_en=own.period_en))
    if latest is None:
        trend.notes.append(Note("no_common_period"))
    verdict = _verdict(ratios, target.target_year, goal, 0.0, d, as_of_year, partial_flow)
    if verdict.value is not None:  # the target year in the indicator's own terms
        own_y = next(p for p in points if p.year == target.target_year)
        n = nat[target.target_year]
        gap = own_y.value - n.value
        verdict = Verdict(verdict.kind, verdict.year, met=verdict.met, value=verdict.value,
                          shortfall=None if verdict.met else abs(gap), point=own_y,
                          year_over=verdict.year_over, national_value=n.value, gap=gap)
    status = trend.status
    if verdict.is_final:
        status = m.ACHIEVED if verdict.met else m.NOT_ACHIEVED
    gap = (latest_region.value - latest_nation.value) if latest_nation else None
    national = National(value=latest_nation.value if latest_nation else None, point=latest_nation,
                        ratio=latest.value if latest else None, gap=gap, newest_own=own)
    standing = Standing(None) if latest is None else Standing(
        "ratio_to_national", latest.value, below=d * (latest.value - 1.0) < -m.EPSILON)
    return Assessment(
        **head, status=status, standing=standing, verdict=verdict, latest=latest_region,
        goal=latest_nation.value if latest_nation else None, gap=gap,
        share_covered=_share_covered(latest, trend.base, goal, d),
        projection=_projection(trend, goal, target.target_year, "ratio_to_national"),
        explanation=_explanation(trend, goal, target, d, ratios, "ratio_to_national", tuple(nation)),
        national=national)


# --- summaries and target periods -------------------------------------------------------

def summarise(results: Iterable[Assessment]) -> Summary:
    """Counts per status, and how many are met or on track."""
    results = list(results)
    counts = {code: 0 for code in m.STATUSES}
    for r in results:
        counts[r.status] += 1
    return Summary(total=len(results), good=sum(counts[c] for c in m.GOOD_STATUSES), counts=counts,
                   final=sum(1 for r in results if r.verdict.is_final),
                   met_final=sum(1 for r in results if r.verdict.is_final and r.verdict.met))


@dataclass(frozen=True)
class TargetPeriod:
    """The target sets that end in one year (e.g. the two 2025 documents), as one period."""

    year: int
    set_codes: tuple[str, ...]
    illustrative: bool  # every set of the period is illustrative (demo), not policy
    closed: bool  # the year is over


def target_periods(sets: Iterable[dict], as_of_year: int) -> list[TargetPeriod]:
    """Target sets grouped by target year (illustrative sets apart from policy ones), oldest first."""
    groups: dict[tuple[int, bool], list[str]] = {}
    for s in sets:
        groups.setdefault((s["target_year"], bool(s.get("illustrative"))), []).append(s["code"])
    return [TargetPeriod(year, tuple(codes), illustrative, as_of_year > year)
            for (year, illustrative), codes in sorted(groups.items())]


def default_period(periods: list[TargetPeriod]) -> Optional[TargetPeriod]:
    """The period the overview opens on: the earliest open policy period; when every policy
    period is closed, the newest closed one (its final assessment). Illustrative periods are never
    the default (they are one click away, labelled); only when nothing else exists."""
    policy = [p for p in periods if not p.illustrative]
    open_ = [p for p in policy if not p.closed]
    if open_:
        return open_[0]
    if policy:
        return policy[-1]
    return periods[0] if periods else None
