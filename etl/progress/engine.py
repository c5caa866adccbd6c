"""The progress engine: for every target, where we stand, whether we are on track, what it takes.

Method (docs/method.md explains it in plain words): the CAGR-ratio measure of Statistics Canada,
as implemented by Open SDG (sdg-build, ProgressMeasure.py):

    observed CAGR  = (x_now / x_base) ** (1 / (t_now - t_base)) - 1
    required CAGR  = (target / x_base) ** (1 / (t_target - t_base)) - 1
    R              = sign(x_base) * d * observed / |required|      d = +1 higher is better, -1 lower

Like Open SDG, R divides by the *magnitude* of the required growth and multiplies by the desired
direction d (taken from indicators.direction; a missing direction is an error, never defaulted) and
by the sign of the base value, so that "moving the right way" is always positive, even when the
base already lay beyond the target. Unlike Open SDG (which replaces a zero base by 0.001), a zero
base gives "insufficient data": a growth rate from zero means nothing.

Classes: achieved (the latest value meets the target); on_track R >= 0.95; acceleration_needed
0.60 <= R < 0.95; limited_progress 0 <= R < 0.60; deteriorating R < 0; insufficient_data (fewer than
two annual points from the base year on, a zero base, or values of opposite signs); not_achieved
(the target year is over, its full-year value is known and misses the target: a final verdict).

The pure functions (annual_points, assess, summarise) take plain data: a TargetInfo (etl.store.queries)
and row dicts as returned by etl.store.queries.series(..., frequency='all'). `assess_targets(db)` fetches
and calls them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from etl.store import queries

NATIONAL = queries.NATIONAL

# thresholds of R (Open SDG defaults for targets with a value)
ON_TRACK = 0.95
ACCELERATION = 0.60

ACHIEVED = "achieved"
ON_TRACK_CLASS = "on_track"
ACCELERATION_NEEDED = "acceleration_needed"
LIMITED = "limited_progress"
DETERIORATING = "deteriorating"
INSUFFICIENT = "insufficient_data"
NOT_ACHIEVED = "not_achieved"

# class code -> (zh, en, icon); in display order, best first
STATUS_LABELS: dict[str, tuple[str, str, str]] = {
    ACHIEVED: ("已实现目标", "Target achieved", "✔"),
    ON_TRACK_CLASS: ("进展顺利", "On track", "▲"),
    ACCELERATION_NEEDED: ("需加快进度", "Acceleration needed", "►"),
    LIMITED: ("进展有限", "Limited progress", "▼"),
    DETERIORATING: ("出现倒退", "Deteriorating", "✖"),
    NOT_ACHIEVED: ("未实现目标", "Target not met", "✖"),
    INSUFFICIENT: ("数据不足", "Insufficient data", "?"),
}

KIND_LABELS = {
    "at_least": ("达到", "At least"),
    "approximately": ("左右", "About"),
    "full_coverage": ("全面覆盖", "Full coverage"),
    "national_average": ("达到全国平均水平", "At the national average"),
}

EPSILON = 1e-9  # float comparisons of values read from files


# --- annual points ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class AnnualPoint:
    """The value that stands for one year in the assessment."""

    year: int
    value: float
    quarter: int  # 0 = a whole-year value; 1..4 = the latest quarter's value stands for the year
    complete: bool  # False when only part of the year is known (a quarter before the fourth)
    period_zh: str
    period_en: str

    def to_dict(self) -> dict[str, Any]:
        return dict(year=self.year, value=self.value, quarter=self.quarter,
                    complete=self.complete, period_zh=self.period_zh, period_en=self.period_en)


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
            points.append(AnnualPoint(year, float(chosen["value"]), chosen["quarter"],
                                      chosen["quarter"] in (0, 4), chosen["period_zh"],
                                      chosen["period_en"]))
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
    if r >= ON_TRACK:
        return ON_TRACK_CLASS
    if r >= ACCELERATION:
        return ACCELERATION_NEEDED
    if r >= 0:
        return LIMITED
    return DETERIORATING


def meets(value: float, target: float, d: int, tolerance: float = 0.0) -> bool:
    """The value meets the target: on the right side of it, or within the tolerance below it.

    An 'approximately' (左右) target with tolerance t is met from target - t up (higher is better);
    exceeding the band also counts as met, since more is better for the indicator.
    """
    return d * (value - target) >= -tolerance - EPSILON


def _fmt(value: Optional[float], digits: int = 2) -> str:
    if value is None:
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _pct(rate: Optional[float]) -> str:
    return "—" if rate is None else f"{rate * 100:.2f}%"


# --- one target --------------------------------------------------------------------------------

def assess(target, rows: list[dict], national_rows: Optional[list[dict]] = None, *,
           region: Optional[dict] = None, as_of_year: Optional[int] = None) -> dict:
    """The assessment of one target for one region (a JSON-ready dict; see docs/method.md).

    target: a queries.TargetInfo (or anything with the same attributes).
    rows: the region's current rows of the target's indicator (queries.series(..., 'all')).
    national_rows: the nation's rows of the same indicator, for 'national_average' targets.
    region: {'code', 'name_zh', 'name_en'} when assessing another region than the target's own.
    as_of_year: the year "now" (default: this calendar year), to say that a target year is over.
    """
    d = direction_sign(target.direction)
    as_of_year = as_of_year or dt.date.today().year
    points = annual_points(rows, target.measure)
    result = _head(target, region)
    partial_flow = _partial_flow_label(rows, target.measure, target.target_year, points)
    if target.kind == "national_average":
        nation = annual_points(national_rows or [], target.measure)
        return _assess_national(result, target, points, nation, d, as_of_year, partial_flow)
    goal = target.value if target.value is not None else (100.0 if target.kind == "full_coverage" else None)
    if goal is None:
        raise ValueError(f"target {target.id} ({target.kind}) has no value")
    tolerance = (target.tolerance or 0.0) if target.kind == "approximately" else 0.0
    return _assess_values(result, target, points, goal, tolerance, d, as_of_year, partial_flow)


def _head(target, region: Optional[dict]) -> dict:
    region = region or dict(code=target.region_code, name_zh=target.region_zh,
                            name_en=target.region_en)
    kind_zh, kind_en = KIND_LABELS.get(target.kind, (target.kind, target.kind))
    return dict(
        target_id=target.id, target_set_code=target.target_set_code,
        set_name_zh=target.set_name_zh, set_name_en=target.set_name_en,
        indicator_code=target.indicator_code, indicator_zh=target.indicator_zh,
        indicator_en=target.indicator_en, unit=target.unit, unit_en=target.unit_en,
        region_code=region["code"], region_zh=region["name_zh"], region_en=region["name_en"],
        kind=target.kind, kind_zh=kind_zh, kind_en=kind_en, target_value=target.value,
        tolerance=target.tolerance, target_year=target.target_year, base_year=target.base_year,
        target_label_zh=_target_label(target, "zh"), target_label_en=_target_label(target, "en"),
        clause_ref_zh=target.clause_ref_zh, clause_ref_en=target.clause_ref_en,
        clause_text=target.clause_text)


def _target_label(target, lang: str) -> str:
    unit = target.unit if lang == "zh" or target.unit == "%" else f" {target.unit_en}"
    value = _fmt(target.value)
    if target.kind == "national_average":
        return "全国平均水平" if lang == "zh" else "National average"
    if target.kind == "approximately":
        band_zh, band_en = ("个百分点", "pp") if target.unit == "%" else (target.unit, target.unit_en)
        band = _fmt(target.tolerance or 0)
        return (f"{value}{unit}左右（±{band}{band_zh}）" if lang == "zh"
                else f"About {value}{unit} (±{band} {band_en})")
    if target.kind == "full_coverage":
        return "100%（全面覆盖）" if lang == "zh" else "100% (full coverage)"
    return f"≥{value}{unit}" if lang == "zh" else f"At least {value}{unit}"


def _gap_unit(unit: str, unit_en: str) -> tuple[str, str]:
    return ("个百分点", "percentage points") if unit == "%" else (unit, unit_en)


def _base_point(points: list[AnnualPoint], base_year: int) -> tuple[Optional[AnnualPoint], str, str]:
    """The base-year point, else the earliest one after it (and a note saying so)."""
    for p in points:
        if p.year == base_year:
            return p, "", ""
    later = [p for p in points if p.year > base_year]
    if not later:
        return None, f"基年{base_year}年及以后无数据", f"No data for the base year {base_year} or later"
    p = later[0]
    return (p, f"基年{base_year}年无数据，以{p.year}年为基年",
            f"No data for the base year {base_year}; {p.year} is used as the base")


def _trend(points: list[AnnualPoint], base_year: int, goal: float, tolerance: float, d: int,
           target_year: int) -> dict:
    """CAGR ratio, status class, projection and the required growth, from base to latest point."""
    latest = points[-1] if points else None
    base, note_zh, note_en = _base_point(points, base_year)
    out = dict(base=base, latest=latest, observed=None, required=None, r=None,
               notes_zh=[note_zh] if note_zh else [], notes_en=[note_en] if note_en else [],
               status=None, projection=None)
    if latest is None:
        out["status"] = INSUFFICIENT
        return out
    achieved = meets(latest.value, goal, d, tolerance)
    if base is None or latest.year <= base.year:
        out["status"] = ACHIEVED if achieved else INSUFFICIENT
        out["notes_zh"].append("自基年以来不足两个年度数据点")
        out["notes_en"].append("Fewer than two annual points since the base year")
        out["projection"] = _projection(latest, None, None, goal, target_year)
        return out
    if base.value == 0 or (base.value > 0) != (latest.value > 0) or latest.value == 0:
        out["status"] = ACHIEVED if achieved else INSUFFICIENT
        out["notes_zh"].append("基年值为零或正负号改变，无法计算年均增速")
        out["notes_en"].append("The base value is zero or the sign changed: no growth rate")
        out["projection"] = _projection(latest, base, None, goal, target_year)  # linear only
        return out
    observed = cagr(latest.value, base.value, latest.year, base.year)
    out["observed"] = observed
    if target_year > base.year and goal / base.value > 0:
        required = cagr(goal, base.value, target_year, base.year)
        out["required"] = required
        if abs(required) > EPSILON:
            out["r"] = growth_ratio(observed, required, base.value, d)
    if achieved:
        out["status"] = ACHIEVED
    elif out["r"] is not None:
        out["status"] = class_of_ratio(out["r"])
    else:  # the target equals the base value (or lies before it): only the direction counts
        out["status"] = DETERIORATING if d * observed < 0 else LIMITED
    out["projection"] = _projection(latest, base, observed, goal, target_year)
    return out


def _projection(latest: AnnualPoint, base: Optional[AnnualPoint], observed: Optional[float],
                goal: float, target_year: int) -> Optional[dict]:
    """Expected value in the target year (observed CAGR; straight line through base and latest)
    and the growth needed from the latest value, when the target year is still ahead."""
    years_left = target_year - latest.year
    if years_left <= 0:
        return None
    at_cagr = latest.value * (1 + observed) ** years_left if observed is not None else None
    linear = None
    if base is not None and latest.year > base.year:
        slope = (latest.value - base.value) / (latest.year - base.year)
        linear = latest.value + slope * years_left
    needed = None
    if latest.value > 0 and goal > 0:
        needed = (goal / latest.value) ** (1 / years_left) - 1
    return dict(year=target_year, years_left=years_left, at_observed_cagr=at_cagr, linear=linear,
                required_growth=needed, required_change_per_year=(goal - latest.value) / years_left)


def _verdict(points: list[AnnualPoint], target_year: int, goal: float, tolerance: float, d: int,
             as_of_year: int, gap_unit: tuple[str, str], unit: tuple[str, str],
             partial_flow: Optional[tuple[str, str]] = None) -> dict:
    """Final (the target year's full value is known), partial (only part of it), or projection."""
    point = next((p for p in points if p.year == target_year), None)
    passed = as_of_year > target_year
    if point is None:
        if partial_flow:
            return dict(kind="partial", met=None, value=None, shortfall=None,
                        text_zh=f"{target_year}年全年结果未出，目前仅有{partial_flow[0]}数据；部分年度的流量不与全年比较",
                        text_en=f"The full-year {target_year} result is not out yet; only {partial_flow[1]} "
                                "is known, and a partial-year flow is not compared with full years")
        if passed:
            return dict(kind="projection", met=None, value=None, shortfall=None,
                        text_zh=f"目标年{target_year}年已过，尚无{target_year}年数据；以下为预测",
                        text_en=f"The target year {target_year} is over but has no data yet; "
                                "the figures below are projections")
        return dict(kind="projection", met=None, value=None, shortfall=None,
                    text_zh=f"目标年{target_year}年尚未到来；以下为预测",
                    text_en=f"The target year {target_year} is still ahead; the figures below are projections")
    met = meets(point.value, goal, d, tolerance)
    shortfall = 0.0 if met else abs(goal - point.value)  # measured from the target value itself
    value_zh = f"{_fmt(point.value)}{unit[0]}"
    value_en = f"{_fmt(point.value)}{unit[1] if unit[1] == '%' else ' ' + unit[1]}"
    if not point.complete:
        state_zh = "已达到目标" if met else f"尚差{_fmt(shortfall)}{gap_unit[0]}"
        state_en = "already meets the target" if met else f"{_fmt(shortfall)} {gap_unit[1]} short so far"
        return dict(kind="partial", met=met, value=point.value, shortfall=shortfall,
                    text_zh=f"{target_year}年全年结果未出，目前仅有{point.period_zh}数据（{value_zh}）；按已知数据{state_zh}",
                    text_en=f"The full-year {target_year} result is not out yet; only {point.period_en} is "
                            f"known ({value_en}); so far it {state_en}")
    if met:
        return dict(kind="final", met=True, value=point.value, shortfall=0.0,
                    text_zh=f"最终结果：{target_year}年目标已实现（{point.period_zh} {value_zh}）",
                    text_en=f"Final: the {target_year} target was met ({point.period_en}: {value_en})")
    return dict(kind="final", met=False, value=point.value, shortfall=shortfall,
                text_zh=f"最终结果：{target_year}年目标未实现（{point.period_zh} {value_zh}），差{_fmt(shortfall)}{gap_unit[0]}",
                text_en=f"Final: the {target_year} target was not met ({point.period_en}: {value_en}), "
                        f"{_fmt(shortfall)} {gap_unit[1]} short")


def _partial_flow_label(rows: list[dict], measure: str, year: int,
                        points: list[AnnualPoint]) -> Optional[str]:
    """For a flow whose target year is known only in part (no whole-year point): the newest
    quarter's label, so the verdict can say what is known."""
    if measure != "flow" or any(p.year == year for p in points):
        return None
    quarters = [r for r in rows if r["year"] == year and r["quarter"] > 0]
    if not quarters:
        return None
    newest = max(quarters, key=lambda r: r["quarter"])
    return newest["period_zh"], newest["period_en"]


def _status_fields(status: str) -> dict:
    zh, en, icon = STATUS_LABELS[status]
    return dict(status=status, status_zh=zh, status_en=en, status_icon=icon)


def _assess_values(result: dict, target, points: list[AnnualPoint], goal: float,
                   tolerance: float, d: int, as_of_year: int,
                   partial_flow: Optional[tuple[str, str]]) -> dict:
    trend = _trend(points, target.base_year, goal, tolerance, d, target.target_year)
    gap_unit = _gap_unit(target.unit, target.unit_en)
    verdict = _verdict(points, target.target_year, goal, tolerance, d, as_of_year, gap_unit,
                       (target.unit, target.unit_en), partial_flow)
    status = trend["status"]
    if verdict["kind"] == "final":
        status = ACHIEVED if verdict["met"] else NOT_ACHIEVED
    latest, base = trend["latest"], trend["base"]
    result.update(_latest_fields(latest))
    result.update(
        goal=goal, gap=None if latest is None else latest.value - goal,
        gap_unit_zh=gap_unit[0], gap_unit_en=gap_unit[1],
        share_covered=_share_covered(latest, base, goal, d),
        verdict=verdict,
        projection=trend["projection"] and dict(trend["projection"], measured="value"),
        explanation=_explanation(trend, goal, target, d, points, "value"))
    result["standing"] = _standing(target, latest, base, goal, tolerance, d,
                                   result["share_covered"])
    result.update(_status_fields(status))
    return result


def _latest_fields(latest: Optional[AnnualPoint]) -> dict:
    if latest is None:
        return dict(latest_value=None, latest_year=None, latest_quarter=None,
                    latest_period_zh=None, latest_period_en=None, latest_complete=None)
    return dict(latest_value=latest.value, latest_year=latest.year, latest_quarter=latest.quarter,
                latest_period_zh=latest.period_zh, latest_period_en=latest.period_en,
                latest_complete=latest.complete)


def _share_covered(latest, base, goal, d: int) -> Optional[float]:
    """(x_now - x_base) / (target - x_base); None when the base already met the target (then
    there was no way to cover and the fraction would mean nothing)."""
    if latest is None or base is None or d * (goal - base.value) <= EPSILON:
        return None
    return (latest.value - base.value) / (goal - base.value) + 0.0  # + 0.0: no "-0%"


def _percent_text(fraction: float, below: bool) -> str:
    """'79%', '113%'; one more decimal where rounding would make a shortfall read as 100%."""
    for digits in (0, 1, 2):
        text = f"{fraction * 100:,.{digits}f}"
        if not below or float(text.replace(",", "")) < 100:
            break
    return text + "%"


def _standing_fields(kind: Optional[str], value: Optional[float], text_zh: str = "",
                     text_en: str = "") -> dict:
    return dict(kind=kind, value=value, text_zh=text_zh or None, text_en=text_en or None)


def _standing(target, latest: Optional[AnnualPoint], base: Optional[AnnualPoint], goal: float,
              tolerance: float, d: int, share: Optional[float]) -> dict:
    """Where the latest value stands, in the words that make sense for the kind of target.

    - not yet met, from a base short of the target: the share of the way covered since the base
      year ('2020年以来完成进度79%'), named with its base year so that it is not read as value ÷ target;
    - met: full coverage reached, within the 左右 band, or value ÷ target ('为目标的101%');
    - short of it though the base had met it: says so (a share of the way means nothing there).
    National-average targets: see _national_standing.
    """
    if latest is None:
        return _standing_fields(None, None)
    if meets(latest.value, goal, d, tolerance):
        if target.kind == "full_coverage":
            return _standing_fields("full_coverage", latest.value, "已全面覆盖", "Full coverage reached")
        if target.kind == "approximately" and d * (latest.value - goal) < -EPSILON:
            band = _fmt(tolerance)
            unit_zh, unit_en = ("个百分点", "pp") if target.unit == "%" else (target.unit, target.unit_en)
            return _standing_fields("within_tolerance", latest.value - goal,
                                    f"在±{band}{unit_zh}容差内", f"Within the ±{band} {unit_en} tolerance")
        return _ratio_to_target(latest.value, goal, d, below=False)
    if share is not None and latest.year > base.year:
        pct = _percent_text(share, below=True)
        return _standing_fields("share_covered", share, f"{base.year}年以来完成进度{pct}",
                                f"{pct} of the way since {base.year}")
    if base is not None and latest.year > base.year:  # the base met the target; now it does not
        return _standing_fields("fell_back", None, f"{base.year}年已达到目标，现低于目标",
                                f"Met in {base.year}, short of the target now")
    return _ratio_to_target(latest.value, goal, d, below=True)


def _ratio_to_target(value: float, goal: float, d: int, below: bool) -> dict:
    """value ÷ target, for higher-is-better targets above zero (for the others it means nothing)."""
    if d < 0 or goal <= 0:
        return _standing_fields(None, None)
    ratio = value / goal
    pct = _percent_text(ratio, below)
    return _standing_fields("ratio_to_target", ratio, f"为目标的{pct}", f"{pct} of the target")


def _national_standing(latest: Optional[AnnualPoint], d: int) -> dict:
    """'为全国的113%': the region against the nation in the latest comparable period. A share of the
    way towards 'the national average' means nothing to a reader; the ratio is what the target is."""
    if latest is None:
        return _standing_fields(None, None)
    pct = _percent_text(latest.value, below=d * (latest.value - 1.0) < -EPSILON)
    return _standing_fields("ratio_to_national", latest.value, f"为全国的{pct}",
                            f"{pct} of the national level")


def _explanation(trend: dict, goal: float, target, d: int, points: list[AnnualPoint],
                 measured: str) -> dict:
    """Every number the status was computed from, and the arithmetic written out."""
    base, latest = trend["base"], trend["latest"]
    steps_zh, steps_en = [], []
    if base is not None and latest is not None and trend["observed"] is not None:
        formula = (f"({_fmt(latest.value, 4)} / {_fmt(base.value, 4)})^(1/({latest.year}−{base.year})) − 1 "
                   f"= {_pct(trend['observed'])}")
        steps_zh.append(f"实际年均增速 = {formula}")
        steps_en.append(f"Observed CAGR = {formula}")
        if trend["required"] is not None:
            formula = (f"({_fmt(goal, 4)} / {_fmt(base.value, 4)})^(1/({target.target_year}−{base.year})) − 1 "
                       f"= {_pct(trend['required'])}")
            steps_zh.append(f"所需年均增速 = {formula}")
            steps_en.append(f"Required CAGR = {formula}")
        if trend["r"] is not None:
            formula = f"{_pct(trend['observed'])} / |{_pct(trend['required'])}| = {trend['r']:.3f}"
            steps_zh.append(f"R = {formula}" + ("（越低越好的指标取反）" if d < 0 else ""))
            steps_en.append(f"R = {formula}" + (" (sign reversed: lower is better)" if d < 0 else ""))
    return dict(
        measured=measured,  # 'value' or 'ratio_to_national'
        base_year=base.year if base else None, base_value=base.value if base else None,
        base_period_zh=base.period_zh if base else None, configured_base_year=target.base_year,
        latest_year=latest.year if latest else None, latest_value=latest.value if latest else None,
        target_value=goal, target_year=target.target_year, direction=target.direction,
        observed_cagr=trend["observed"], required_cagr=trend["required"], r=trend["r"],
        thresholds=dict(on_track=ON_TRACK, acceleration_needed=ACCELERATION),
        steps_zh=steps_zh, steps_en=steps_en, notes_zh=trend["notes_zh"], notes_en=trend["notes_en"],
        points=[p.to_dict() for p in points])


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
                               p.period_en))
    return out


def _assess_national(result: dict, target, points: list[AnnualPoint], nation: list[AnnualPoint],
                     d: int, as_of_year: int, partial_flow: Optional[tuple[str, str]]) -> dict:
    """'At the national average': the region's value against the nation's in the same period.

    Met when the region's value is at least the nation's (for higher-is-better). The trend is
    judged on the ratio region / nation, whose target is 1: the ratio stays positive where the
    gap may cross zero, and CAGR needs positive values. Gap = region - nation, in the unit.
    """
    ratios = ratio_points(points, nation)
    trend = _trend(ratios, target.base_year, 1.0, 0.0, d, target.target_year)
    gap_unit = _gap_unit(target.unit, target.unit_en)
    latest = trend["latest"]
    own = points[-1] if points else None
    nat = {p.year: p for p in nation}
    latest_region = next((p for p in points if latest and p.year == latest.year), None)
    latest_nation = nat.get(latest.year) if latest else None
    if own is not None and latest is not None and own.year > latest.year:
        trend["notes_zh"].append(f"本地区最新为{own.period_zh}，全国同期数据尚未发布，以{latest.year}年比较")
        trend["notes_en"].append(f"The region's newest value is {own.period_en}; the nation's for "
                                 f"that period is not out yet, so {latest.year} is compared")
    if latest is None:
        trend["notes_zh"].append("本地区与全国没有同期数据")
        trend["notes_en"].append("No period with both the region's and the nation's value")
    status = trend["status"]
    verdict = _verdict(ratios, target.target_year, 1.0, 0.0, d, as_of_year, ("", ""), ("", ""),
                       partial_flow)
    verdict = _national_verdict_text(verdict, ratios, nat, points, target, gap_unit)
    if verdict["kind"] == "final":
        status = ACHIEVED if verdict["met"] else NOT_ACHIEVED
    result.update(_latest_fields(latest_region))
    result.update(
        goal=latest_nation.value if latest_nation else None,
        national_value=latest_nation.value if latest_nation else None,
        national_period_zh=latest_nation.period_zh if latest_nation else None,
        national_period_en=latest_nation.period_en if latest_nation else None,
        ratio_to_national=latest.value if latest else None,
        gap=(latest_region.value - latest_nation.value) if latest_nation else None,
        gap_to_national=(latest_region.value - latest_nation.value) if latest_nation else None,
        gap_unit_zh=gap_unit[0], gap_unit_en=gap_unit[1],
        newest_own_value=own.value if own else None,
        newest_own_period_zh=own.period_zh if own else None,
        newest_own_period_en=own.period_en if own else None,
        share_covered=_share_covered(latest, trend["base"], 1.0, d),
        verdict=verdict,
        projection=trend["projection"] and dict(trend["projection"], measured="ratio_to_national"),
        explanation=_explanation(trend, 1.0, target, d, ratios, "ratio_to_national"))
    result["explanation"]["national_points"] = [p.to_dict() for p in nation]
    result["standing"] = _national_standing(latest, d)
    result.update(_status_fields(status))
    return result


def _national_verdict_text(verdict: dict, ratios: list[AnnualPoint], nat: dict, points, target,
                           gap_unit: tuple[str, str]) -> dict:
    """Rewrite a final/partial verdict computed on the ratio in the indicator's own terms."""
    if verdict["value"] is None:
        return verdict
    year = target.target_year
    own = next(p for p in points if p.year == year)
    n = nat[year]
    gap = own.value - n.value
    ratio = verdict["value"]
    unit_en = "%" if target.unit == "%" else f" {target.unit_en}"
    compare_zh = (f"{_fmt(own.value)}{target.unit}，全国{_fmt(n.value)}{target.unit}，"
                  f"为全国的{ratio * 100:.1f}%，差距{_fmt(gap)}{gap_unit[0]}")
    compare_en = (f"{_fmt(own.value)}{unit_en} against the nation's {_fmt(n.value)}{unit_en}, "
                  f"{ratio * 100:.1f}% of it, gap {_fmt(gap)} {gap_unit[1]}")
    verdict = dict(verdict, shortfall=None if verdict["met"] else abs(gap))
    if verdict["kind"] == "partial":
        verdict["text_zh"] = f"{year}年全年结果未出，目前仅有{own.period_zh}数据：{compare_zh}"
        verdict["text_en"] = f"The full-year {year} result is not out yet; so far ({own.period_en}): {compare_en}"
    else:
        word_zh, word_en = ("已实现", "was met") if verdict["met"] else ("未实现", "was not met")
        verdict["text_zh"] = f"最终结果：{year}年达到全国平均水平的目标{word_zh}（{compare_zh}）"
        verdict["text_en"] = f"Final: the {year} national-average target {word_en} ({compare_en})"
    return verdict


# --- all targets, and the summary -----------------------------------------------------------------

def assess_targets(db, *, target_set: Optional[str] = None, region: Optional[str] = None,
                   target_id: Optional[int] = None, as_of_year: Optional[int] = None) -> list[dict]:
    """Fetch (etl.store.queries) and assess every target, in target-set order.

    db: a Session or an Engine. target_set / target_id: only those targets.
    region: assess every target for this region instead of the target's own (e.g. a city against
    the provincial targets); default: each target for the region it was set for. An unknown
    region raises KeyError.
    """
    with queries.reading(db) as session:  # one session for all the small queries
        found = queries.targets(session, target_set=target_set)
        if target_id is not None:
            found = [t for t in found if t.id == target_id]
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
            if target.kind == "national_average":
                national = queries.series(session, target.indicator_code, [NATIONAL], frequency="all")
            results.append(assess(target, rows, national, region=other, as_of_year=as_of_year))
    return results


def summarise(results: list[dict]) -> dict:
    """Counts per class and the overview's headline ("9项目标中6项已实现或进展顺利")."""
    counts = {code: 0 for code in STATUS_LABELS}
    for r in results:
        counts[r["status"]] += 1
    good = counts[ACHIEVED] + counts[ON_TRACK_CLASS]
    total = len(results)
    return dict(
        total=total, met_or_on_track=good, counts=counts,
        classes=[dict(code=code, label_zh=zh, label_en=en, icon=icon, count=counts[code])
                 for code, (zh, en, icon) in STATUS_LABELS.items()],
        final=sum(1 for r in results if r["verdict"]["kind"] == "final"),
        headline_zh=f"{total}项目标中{good}项已实现或进展顺利",
        headline_en=f"{good} of {total} targets met or on track")
