"""The progress engine: hand-computed cases (the arithmetic is written next to each), then the
engine on a seeded database, a 2030 target set added as data, and the CLI."""
from __future__ import annotations

import argparse
import dataclasses
import json
import re

import pytest

from etl.progress import engine as progress
from etl.progress import method
from etl.progress.assess import Note, Standing
from etl.wording import progress as words
from etl.store import queries
from etl.cli.progress import register, render_table, run
from etl.wording import t
from etl.store.db import session_scope
from etl.store.models import Target, TargetSet

HLJ, CHINA = "230000", "100000"


def make_target(**changes) -> queries.TargetInfo:
    """The 10% core-industry share target as plain data; tests change what they need."""
    base = dict(
        id=1, target_set_code="digital-longjiang-2021", set_name_zh="政策", set_name_en="Policy",
        set_issuer_zh="省政府", set_issued_on="2021-10-20", set_source="", base_year=2020,
        indicator_code="digital_core_va_share", indicator_zh="数字经济核心产业增加值占GDP比重",
        indicator_en="Core-industry share of GDP", unit="%", unit_en="%", direction="higher",
        measure="ratio", quarterly_cumulative=True, region_code=HLJ, region_zh="黑龙江省",
        region_en="Heilongjiang", target_year=2025, kind="at_least", value=10.0, tolerance=None,
        clause_ref_zh="序言", clause_ref_en="Preamble", clause_text="……达到10%……", note_zh="",
        note_en="")
    base.update(changes)
    return queries.TargetInfo(**base)


def row(year, value, quarter=0, basis=None, region=HLJ):
    basis = basis or ("annual" if quarter == 0 else "ytd")
    return dict(region_code=region, year=year, quarter=quarter, basis=basis, value=value,
                period_zh=queries.period_label(year, quarter, basis, "zh"),
                period_en=queries.period_label(year, quarter, basis, "en"))


# --- hand-computed cases -------------------------------------------------------------------------

def test_acceleration_needed_hand_computed():
    # share 7.0% in 2020, 8.0% in 2023, target 10% in 2025
    # observed CAGR = (8.0 / 7.0)^(1/3) - 1 = 1.142857^(0.3333) - 1 = 0.04552  (4.55%)
    # required CAGR = (10 / 7.0)^(1/5) - 1 = 1.428571^(0.2) - 1   = 0.07394  (7.39%)
    # R = 0.04552 / 0.07394 = 0.6156 -> 0.60 <= R < 0.95: acceleration needed
    result = progress.assess(make_target(), [row(2020, 7.0), row(2023, 8.0)], as_of_year=2024)
    ex = result.explanation
    assert ex.observed_cagr == pytest.approx(0.0455, abs=5e-5)
    assert ex.required_cagr == pytest.approx(0.0739, abs=5e-5)
    assert ex.r == pytest.approx(0.616, abs=5e-4)
    assert result.status == "acceleration_needed"
    assert words.status_label(result.status, "zh") == "需加快进度"
    assert (ex.base.year, ex.base.value, ex.latest.year, ex.latest.value) == (2020, 7.0, 2023, 8.0)
    # gap 8.0 - 10 = -2.0 percentage points; share of the way (8 - 7) / (10 - 7) = 1/3
    assert result.gap == pytest.approx(-2.0)
    assert result.share_covered == pytest.approx(1 / 3)
    # projection for 2025: 8.0 * 1.04552^2 = 8.745 at the observed CAGR;
    # linear: 8.0 + (8.0 - 7.0) / 3 * 2 = 8.667; growth now required: (10 / 8)^(1/2) - 1 = 11.80%
    proj = result.projection
    assert proj.at_observed_cagr == pytest.approx(8.745, abs=1e-3)
    assert proj.linear == pytest.approx(8.6667, abs=1e-4)
    assert proj.required_growth == pytest.approx(0.1180, abs=1e-4)
    assert proj.required_change_per_year == pytest.approx(1.0)  # (10 - 8) / 2 points a year
    assert result.verdict.kind == "projection"
    observed, required, ratio = ex.steps
    assert (observed.name, observed.now, observed.base, observed.year_now, observed.year_base) == (
        "observed_cagr", 8.0, 7.0, 2023, 2020)
    assert (required.name, required.now, required.year_now) == ("required_cagr", 10.0, 2025)
    assert ratio.result == pytest.approx(0.616, abs=5e-4) and not ratio.reversed
    json.dumps(result.to_dict())  # JSON-ready for the CLI


def test_target_already_met():
    # 10.5% >= 10%: achieved, whatever the growth; gap +0.5; share (10.5 - 7) / (10 - 7) = 1.1667
    result = progress.assess(make_target(), [row(2020, 7.0), row(2024, 10.5)], as_of_year=2025)
    assert result.status == "achieved"
    assert result.gap == pytest.approx(0.5)
    assert result.share_covered == pytest.approx(3.5 / 3)
    # a base already above the target: achieved, and no "share of the way" to speak of
    above = progress.assess(make_target(), [row(2020, 12.0), row(2024, 13.0)], as_of_year=2025)
    assert above.status == "achieved" and above.share_covered is None


def test_approximately_met_within_tolerance():
    target = make_target(kind="approximately", value=60.0, tolerance=2.0,
                         indicator_code="large_mfg_digital_rate", quarterly_cumulative=False)
    # |58.5 - 60| = 1.5 <= 2: met, inside the band: the engine's standing says so
    met = progress.assess(target, [row(2020, 45.0), row(2024, 58.5)], as_of_year=2025)
    assert met.status == "achieved"
    assert met.standing == Standing("within_tolerance", pytest.approx(-1.5), band=2.0)
    # 57.5 is 2.5 below: not met; observed (57.5 / 45)^(1/4) - 1 = 6.32%,
    # required (60 / 45)^(1/5) - 1 = 5.92%, R = 6.32 / 5.92 = 1.067 >= 0.95: on track
    close = progress.assess(target, [row(2020, 45.0), row(2024, 57.5)], as_of_year=2025)
    assert close.explanation.r == pytest.approx(1.067, abs=1e-3)
    assert close.status == "on_track" and close.standing.kind == "share_covered"


def test_standing_fits_every_kind_of_target():
    # not met, from a base short of it: share of the way since the base year, (8 - 7) / (10 - 7)
    short = progress.assess(make_target(), [row(2020, 7.0), row(2023, 8.0)], as_of_year=2024)
    assert short.standing == Standing("share_covered", pytest.approx(1 / 3), base_year=2020, below=True)
    # met: value / target, 10.5 / 10 = 1.05 (a 'share of the way' past 100% says little)
    met = progress.assess(make_target(), [row(2020, 7.0), row(2024, 10.5)], as_of_year=2025)
    assert met.standing == Standing("ratio_to_target", pytest.approx(1.05))
    # the base met the target, the latest does not: no fraction
    fell = progress.assess(make_target(), [row(2020, 10.5), row(2023, 9.5)], as_of_year=2024)
    assert fell.standing == Standing("fell_back", None, base_year=2020)
    # full coverage: reached (even from a base that was already 100%), or the share of the way
    full = make_target(kind="full_coverage", value=100.0)
    reached = progress.assess(full, [row(2020, 100.0), row(2023, 100.0)], as_of_year=2024)
    assert reached.standing.kind == "full_coverage" and reached.share_covered is None
    # (96.4 - 60) / (100 - 60) = 0.91
    park = progress.assess(full, [row(2020, 60.0), row(2023, 96.4)], as_of_year=2024)
    assert park.standing.kind == "share_covered" and park.standing.value == pytest.approx(0.91)
    # national average: the ratio to the nation, 38.46 / 33.9 = 1.135; 32.7 / 45.6 = 0.717
    nat = make_target(kind="national_average", value=None, unit="个", unit_en="per 10,000 people")
    above = progress.assess(nat, [row(2020, 10.0), row(2025, 38.46)],
                            [row(2020, 12.0, region=CHINA), row(2025, 33.9, region=CHINA)], as_of_year=2026)
    assert above.standing == Standing("ratio_to_national", pytest.approx(38.46 / 33.9))
    below = progress.assess(nat, [row(2020, 20.0), row(2025, 32.7)],
                            [row(2020, 38.6, region=CHINA), row(2025, 45.6, region=CHINA)], as_of_year=2026)
    assert below.standing == Standing("ratio_to_national", pytest.approx(32.7 / 45.6), below=True)
    # nothing to compare: nothing to say
    none = progress.assess(nat, [row(2025, 33.8)], [], as_of_year=2026)
    assert none.standing.kind is None and words.standing_text(none, "zh") is None


def test_wording_snapshot():
    """The one wording snapshot: the catalogue's sentences for a few typical assessments."""
    target = make_target()
    projection = progress.assess(target, [row(2020, 7.0), row(2023, 8.0)], as_of_year=2024)
    assert words.words(projection, "zh") == dict(
        status="需加快进度", icon="►", kind="达到", target="≥10%", standing="2020年以来完成进度33%",
        verdict="目标年2025年尚未到来；以下为预测", verdict_kind="预测",
        steps=["实际年均增速 = (8 / 7)^(1/(2023−2020)) − 1 = 4.55%",
               "所需年均增速 = (10 / 7)^(1/(2025−2020)) − 1 = 7.39%",
               "R = 4.55% / |7.39%| = 0.616"], notes=[])
    assert words.words(projection, "en")["steps"][0] == "Observed CAGR = (8 / 7)^(1/(2023−2020)) − 1 = 4.55%"
    missed = progress.assess(target, [row(2020, 7.0), row(2023, 8.0), row(2025, 9.6)], as_of_year=2026)
    assert words.verdict_text(missed, "zh") == "最终结果：2025年目标未实现（2025年 9.6%），差0.4个百分点"
    assert words.verdict_text(missed, "en") == "Final: the 2025 target was not met (2025: 9.6%), 0.4 percentage points short"
    partial = progress.assess(target, [row(2020, 7.0), row(2023, 8.0), row(2025, 8.9, quarter=3)], as_of_year=2026)
    assert words.verdict_text(partial, "zh") == (
        f"2025年全年结果未出，目前仅有{partial.verdict.point.period_zh}数据（8.9%）；按已知数据尚差1.1个百分点")
    about = make_target(kind="approximately", value=60.0, tolerance=2.0)
    inside = progress.assess(about, [row(2020, 45.0), row(2024, 58.5)], as_of_year=2025)
    assert [words.standing_text(inside, lang) for lang in ("zh", "en")] == [
        "在±2个百分点容差内", "Within the ±2 pp tolerance"]
    assert [words.target_label(about, lang) for lang in ("zh", "en")] == [
        "60%左右（±2个百分点）", "About 60% (±2 pp)"]
    nat = make_target(kind="national_average", value=None, unit="个", unit_en="per 10,000 people")
    close = progress.assess(nat, [row(2020, 10.0), row(2025, 33.8)],
                            [row(2020, 12.0, region=CHINA), row(2025, 33.9, region=CHINA)], as_of_year=2026)
    # just short of the nation never rounds up to '100%': 33.8 / 33.9 = 99.7%
    assert words.standing_text(close, "zh") == "为全国的99.7%"
    assert words.target_label(nat, "en") == "National average"
    # English sentences start with a capital; one term (实际年均增速) in the steps
    cases = [projection, missed, partial, inside, close,
             progress.assess(target, [row(2023, 8.0)], as_of_year=2024),
             progress.assess(target, [row(2021, 7.2), row(2023, 8.0)], as_of_year=2024),
             progress.assess(target, [row(2020, 7.0), row(2023, 8.0)], as_of_year=2026)]
    for a in cases:
        en = words.words(a, "en")
        for text in en["steps"] + en["notes"] + [en["verdict"], en["kind"], en["target"]]:
            assert not text[0].islower(), text
        assert not any("观察" in step for step in words.step_texts(a, "zh"))


def test_method_constants_are_named_once_and_interpolated():
    # the texts state the thresholds of etl/progress/method.py, not copies of them
    for lang in ("zh", "en"):
        for key in ("explain.rule", "method.progress_text", "cli.r_footer"):
            text = words.method_text(key, lang)
            assert f"{method.ON_TRACK:.2f}" in text and f"{method.ACCELERATION:.2f}" in text
            template = words.t(key, lang)  # the catalogue's text names them, never a number
            assert "{on_track}" in template and f"{method.ON_TRACK:.2f}" not in template
    # and docs/method.md states the same numbers in its class table
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "method.md").read_text(encoding="utf-8")
    assert f"| R ≥ {method.ON_TRACK:.2f} |" in doc
    assert f"| {method.ACCELERATION:.2f} ≤ R < {method.ON_TRACK:.2f} |" in doc
    assert f"| 0 ≤ R < {method.ACCELERATION:.2f} |" in doc


def test_regressing_series_is_deteriorating():
    # observed (7.5 / 8.0)^(1/3) - 1 = -2.13%; required (10 / 8)^(1/5) - 1 = 4.56%;
    # R = -2.13 / 4.56 = -0.466 < 0: deteriorating
    result = progress.assess(make_target(), [row(2020, 8.0), row(2023, 7.5)], as_of_year=2024)
    assert result.explanation.r == pytest.approx(-0.466, abs=1e-3)
    assert result.status == "deteriorating"


def test_limited_progress_band():
    # observed (7.3 / 7.0)^(1/3) - 1 = 1.41%; required 7.39%; R = 0.191: limited progress
    result = progress.assess(make_target(), [row(2020, 7.0), row(2023, 7.3)], as_of_year=2024)
    assert result.explanation.r == pytest.approx(0.191, abs=1e-3)
    assert result.status == "limited_progress"


def test_lower_is_better_reverses_the_sign():
    target = make_target(direction="lower", value=5.0)
    # observed (8 / 10)^(1/3) - 1 = -7.17% (falling, the desired way);
    # required (5 / 10)^(1/5) - 1 = -12.94%; R = -1 * (-7.17%) / |-12.94%| = 0.554: limited progress
    result = progress.assess(target, [row(2020, 10.0), row(2023, 8.0)], as_of_year=2024)
    assert result.explanation.r == pytest.approx(0.554, abs=1e-3)
    assert result.status == "limited_progress" and result.explanation.steps[-1].reversed


def test_direction_is_never_defaulted():
    with pytest.raises(ValueError, match="direction"):
        progress.assess(make_target(direction=""), [row(2020, 7.0), row(2023, 8.0)], as_of_year=2024)


def test_single_point_is_insufficient():
    result = progress.assess(make_target(), [row(2023, 8.0)], as_of_year=2024)
    assert result.status == "insufficient_data" and result.latest_value == 8.0
    assert result.explanation.r is None
    assert [n.code for n in result.explanation.notes] == ["base_year_missing", "too_few_points"]
    assert progress.assess(make_target(), [], as_of_year=2024).status == "insufficient_data"


def test_zero_base_is_insufficient():
    target = make_target(kind="full_coverage", value=100.0, indicator_code="fiveg_park_coverage",
                         quarterly_cumulative=False)
    # (50 / 0)^(1/3) has no meaning
    result = progress.assess(target, [row(2020, 0.0), row(2023, 50.0)], as_of_year=2024)
    assert result.status == "insufficient_data"
    assert [n.code for n in result.explanation.notes] == ["no_growth_rate"]
    # only the straight line projects: 50 + (50 - 0) / 3 * 2 = 83.3 in 2025
    assert result.projection.at_observed_cagr is None
    assert result.projection.linear == pytest.approx(83.333, abs=1e-3)
    # full coverage is met at 100%
    assert progress.assess(target, [row(2020, 40.0), row(2023, 100.0)],
                           as_of_year=2024).status == "achieved"


def test_missing_base_year_uses_the_next_year_and_says_so():
    # no 2020 value: 2021 (7.2) is the base; observed (8.0 / 7.2)^(1/2) - 1 = 5.41%
    result = progress.assess(make_target(), [row(2019, 6.5), row(2021, 7.2), row(2023, 8.0)],
                             as_of_year=2024)
    ex = result.explanation
    assert (ex.base.year, ex.configured_base_year) == (2021, 2020)
    assert ex.observed_cagr == pytest.approx(0.0541, abs=1e-4)
    assert ex.notes == (Note("base_year_missing", year=2020, other_year=2021),)


def test_national_average_above_and_below():
    target = make_target(kind="national_average", value=None, indicator_code="digital_economy_share",
                         quarterly_cumulative=False)
    nation = [row(2020, 38.6, region=CHINA), row(2023, 42.8, region=CHINA)]
    # above: 44.0 >= 42.8 in 2023: met; ratio 44 / 42.8 = 1.028; gap +1.2 points
    above = progress.assess(target, [row(2020, 30.0), row(2023, 44.0)], nation, as_of_year=2024)
    assert above.status == "achieved"
    assert above.national.ratio == pytest.approx(44 / 42.8)
    assert above.national.gap == pytest.approx(1.2) and above.gap == pytest.approx(1.2)
    assert above.national.value == 42.8
    # below: ratio 2020 = 30 / 38.6 = 0.7772, 2023 = 36 / 42.8 = 0.8411;
    # observed (0.8411 / 0.7772)^(1/3) - 1 = 2.67%; required (1 / 0.7772)^(1/5) - 1 = 5.17%;
    # R = 2.67 / 5.17 = 0.516: limited progress; gap 36 - 42.8 = -6.8 points
    below = progress.assess(target, [row(2020, 30.0), row(2023, 36.0)], nation, as_of_year=2024)
    assert below.explanation.r == pytest.approx(0.516, abs=1e-3)
    assert below.status == "limited_progress"
    assert below.national.gap == pytest.approx(-6.8)
    assert below.explanation.measured == "ratio_to_national"
    # a newer own value without the nation's: the latest comparable year is used, and said
    newer = progress.assess(target, [row(2020, 30.0), row(2023, 36.0), row(2024, 37.0)], nation,
                            as_of_year=2025)
    assert newer.latest.year == 2023 and newer.national.newest_own.value == 37.0
    assert [(n.code, n.year) for n in newer.explanation.notes] == [("nation_not_out", 2023)]


def test_final_verdict_for_2025():
    # 2025 has passed and its full-year value is known: final, not a projection
    missed = progress.assess(make_target(), [row(2020, 7.0), row(2023, 8.0), row(2025, 9.6)],
                             as_of_year=2026)
    assert missed.status == "not_achieved"
    verdict = missed.verdict
    # 10 - 9.6 = 0.4 percentage points short
    assert (verdict.kind, verdict.met, verdict.year, verdict.value) == ("final", False, 2025, 9.6)
    assert verdict.shortfall == pytest.approx(0.4)
    assert missed.projection is None
    met = progress.assess(make_target(), [row(2020, 7.0), row(2025, 10.2)], as_of_year=2026)
    assert met.status == "achieved" and met.verdict.kind == "final" and met.verdict.met
    # a fourth-quarter year-to-date share stands for the whole year too
    q4 = progress.assess(make_target(), [row(2020, 7.0), row(2025, 9.6, quarter=4)], as_of_year=2026)
    assert q4.verdict.kind == "final" and q4.status == "not_achieved"


def test_a_final_verdict_keeps_its_target_year_value_when_later_values_arrive():
    """Issue 11: 9.3% in 2025 misses 10%; 2026's 9.5% (Q3) and even a 2026 value above the target
    change neither the verdict, nor the value it is about, nor the gap or R."""
    rows = [row(2020, 7.0), row(2023, 8.0), row(2025, 9.3)]
    alone = progress.assess(make_target(), rows, as_of_year=2026)
    with_2026 = progress.assess(make_target(), rows + [row(2026, 9.5, quarter=3)], as_of_year=2026)
    above_later = progress.assess(make_target(), rows + [row(2026, 10.4)], as_of_year=2027)
    for a in (alone, with_2026, above_later):
        assert a.status == "not_achieved" and a.verdict.kind == "final" and a.verdict.met is False
        assert (a.latest.year, a.latest.value, a.verdict.value) == (2025, 9.3, 9.3)
        assert a.gap == pytest.approx(-0.7)
        assert a.explanation.r == pytest.approx(alone.explanation.r)
        assert a.explanation.points[-1].year == 2025
    assert alone.newer is None
    # the newer value is carried apart, for the card's "2026年最新" line
    assert (with_2026.newer.year, with_2026.newer.quarter, with_2026.newer.value) == (2026, 3, 9.5)
    assert (above_later.newer.year, above_later.newer.value) == (2026, 10.4)


def test_before_the_target_year_value_exists_the_verdict_is_a_projection():
    # 2024 is the newest year up to 2025; the year is over (as of 2026) but 2025 has no value:
    # a projection from the values up to 2025 (observed (8.6 / 7)^(1/4) - 1 = 5.28%;
    # 8.6 * 1.0528 = 9.05 in 2025), even though a 2026 value exists
    rows = [row(2020, 7.0), row(2024, 8.6), row(2026, 9.9, quarter=2)]
    a = progress.assess(make_target(), rows, as_of_year=2026)
    assert a.verdict.kind == "projection" and a.verdict.year_over and a.verdict.value is None
    assert a.latest.year == 2024 and a.status == "acceleration_needed"
    assert a.projection.years_left == 1
    assert a.projection.at_observed_cagr == pytest.approx(8.6 * (8.6 / 7.0) ** 0.25, abs=1e-9)
    assert a.newer.year == 2026
    # still ahead: the same projection, not a year over
    ahead = progress.assess(make_target(), rows[:2], as_of_year=2025)
    assert ahead.verdict.kind == "projection" and not ahead.verdict.year_over


def test_partial_target_year():
    # only 2025 Q3 is known for a share: it stands for 2025, but the verdict is partial
    result = progress.assess(make_target(), [row(2020, 7.0), row(2023, 8.0), row(2025, 8.9, quarter=3)],
                             as_of_year=2026)
    verdict = result.verdict
    assert verdict.kind == "partial" and verdict.met is False
    assert verdict.shortfall == pytest.approx(1.1)  # 10 - 8.9
    assert (verdict.point.year, verdict.point.quarter) == (2025, 3)
    assert result.latest.complete is False
    # observed (8.9 / 7.0)^(1/5) - 1 = 4.92%; required 7.39%; R = 0.666: acceleration needed
    assert result.explanation.r == pytest.approx(0.666, abs=1e-3)
    assert result.status == "acceleration_needed"


def test_partial_year_flow_is_never_compared_with_full_years():
    target = make_target(indicator_code="gdp", unit="亿元", unit_en="100 million yuan",
                         measure="flow", value=20000.0, kind="at_least")
    rows = [row(2020, 14000.1), row(2024, 16478.1), row(2025, 12000.0, quarter=3),
            row(2023, 16000.0, quarter=4)]  # a Q4 year-to-date flow is the whole year
    points = progress.annual_points(rows, "flow")
    assert [(p.year, p.quarter) for p in points] == [(2020, 0), (2023, 4), (2024, 0)]
    result = progress.assess(target, rows, as_of_year=2026)
    assert result.latest.year == 2024
    assert result.verdict.kind == "partial" and result.verdict.met is None
    assert (result.verdict.partial_flow.year, result.verdict.partial_flow.quarter) == (2025, 3)


def test_annual_points_prefer_the_whole_year_and_quarter_ends_for_stocks():
    rows = [row(2024, 99000.0, quarter=4), row(2024, 99967.0), row(2025, 105000.0, quarter=2),
            row(2025, 110000.0, quarter=3)]
    points = progress.annual_points(rows, "stock")
    assert [(p.year, p.value, p.complete) for p in points] == [(2024, 99967.0, True),
                                                               (2025, 110000.0, False)]


def test_summary_counts():
    target = make_target()
    cases = [([row(2020, 7.0), row(2024, 10.5)], 2025),  # achieved
             ([row(2020, 7.0), row(2025, 10.2)], 2026),  # achieved, final
             ([row(2020, 7.0), row(2023, 8.0)], 2024),  # acceleration needed
             ([row(2020, 8.0), row(2023, 7.5)], 2024),  # deteriorating
             ([row(2020, 7.0), row(2025, 9.6)], 2026),  # not achieved, final
             ([], 2024)]  # insufficient data
    summary = progress.summarise([progress.assess(target, rows, as_of_year=y) for rows, y in cases])
    assert (summary.total, summary.good, summary.final, summary.met_final) == (6, 2, 2, 1)
    assert summary.counts == dict(achieved=2, on_track=0, acceleration_needed=1, limited_progress=0,
                                  deteriorating=1, not_achieved=1, insufficient_data=1)
    assert words.headline(summary, "zh") == "6项目标中2项已实现或进展顺利"


def test_target_periods_and_the_default_view():
    sets = [dict(code="a-2025", target_year=2025), dict(code="b-2025", target_year=2025),
            dict(code="demo-2030", target_year=2030, illustrative=True)]
    periods = progress.target_periods(sets, as_of_year=2026)
    assert [(p.year, p.set_codes, p.illustrative, p.closed) for p in periods] == [
        (2025, ("a-2025", "b-2025"), False, True), (2030, ("demo-2030",), True, False)]
    # every policy period is over and only an illustrative one is open: the closed one's final
    # assessment is the default
    assert progress.default_period(periods).year == 2025
    # a policy set for 2030, once added, is the default
    periods = progress.target_periods(sets + [dict(code="policy-2030", target_year=2030)], 2026)
    default = progress.default_period(periods)
    assert (default.year, default.illustrative, default.set_codes) == (2030, False, ("policy-2030",))
    # before 2025 is over, the 2025 period is the default (the earliest open one)
    assert progress.default_period(progress.target_periods(sets, 2025)).year == 2025


# --- on the database -------------------------------------------------------------------------------

def _load(session, values, demo=True):
    from tests.test_queries import add_batch
    return add_batch(session, values, demo=demo)


def test_assess_targets_on_the_seeded_database(engine):
    with session_scope(engine) as s:
        _load(s, [("digital_core_va", HLJ, 2020, 0, "annual", 700.0),
                  ("gdp", HLJ, 2020, 0, "annual", 10000.0),
                  ("digital_core_va", HLJ, 2023, 4, "ytd", 1280.0),
                  ("gdp", HLJ, 2023, 4, "ytd", 16000.0),
                  ("fiveg_base_stations", HLJ, 2020, 0, "annual", 20000.0),
                  ("fiveg_base_stations", HLJ, 2024, 0, "annual", 99967.0),
                  ("fiveg_base_stations", CHINA, 2020, 0, "annual", 718000.0),
                  ("fiveg_base_stations", CHINA, 2024, 0, "annual", 4251000.0),
                  ("population", HLJ, 2020, 0, "annual", 3171.0),
                  ("population", HLJ, 2024, 0, "annual", 3029.0),
                  ("population", CHINA, 2020, 0, "annual", 141212.0),
                  ("population", CHINA, 2024, 0, "annual", 140828.0)])
    results = progress.assess_targets(engine, as_of_year=2025)
    assert len(results) == 12  # every seeded target gets a status
    # only four indicators have data: the other eight have nothing to assess
    assert [r.indicator_code for r in results if r.status == "insufficient_data" and r.latest is None] == [
        r.indicator_code for r in results if r.indicator_code not in (
            "digital_core_va_share", "fiveg_per_10k", "fiveg_base_stations")]
    share = next(r for r in results if r.indicator_code == "digital_core_va_share")
    # derived: 700 / 10000 = 7.0% in 2020, 1280 / 16000 = 8.0% in 2023 (Q4 ytd = the whole year)
    assert share.explanation.r == pytest.approx(0.616, abs=5e-4)
    assert share.status == "acceleration_needed"
    per10k = next(r for r in results if r.indicator_code == "fiveg_per_10k")
    # 2024: 99967 / 3029 = 33.0 per 10,000 against the nation's 4251000 / 140828 = 30.2: met
    assert per10k.latest_value == pytest.approx(99967 / 3029)
    assert per10k.national.value == pytest.approx(4251000 / 140828)
    assert per10k.status == "achieved"
    stations = next(r for r in results if r.indicator_code == "fiveg_base_stations")
    # (99967 / 20000)^(1/4) - 1 = 49.5% a year, required (114000 / 20000)^(1/5) - 1 = 41.6%
    assert stations.status == "on_track"
    missing = next(r for r in results if r.indicator_code == "ipv6_traffic_share")
    assert missing.status == "insufficient_data" and missing.latest_value is None
    summary = progress.summarise(results)
    assert summary.total == 12 and summary.good == 2
    (one,) = progress.assess_targets(engine, target_id=share.target.id, as_of_year=2025)
    assert one == share
    # a city assessed against the provincial targets
    city = progress.assess_targets(engine, region="230100", target_set="digital-longjiang-2021")
    assert {r.region_code for r in city} == {"230100"} and len(city) == 8


def test_a_2030_target_set_is_assessed_like_the_others(engine):
    with session_scope(engine) as s:
        s.add(TargetSet(code="digital-longjiang-2030", name_zh="2030年目标", name_en="2030 targets",
                        base_year=2025, target_year=2030, sort_order=3))
        s.flush()
        s.add(Target(target_set_code="digital-longjiang-2030", indicator_code="digital_core_va_share",
                     region_code=HLJ, target_year=2030, kind="at_least", value=15.0,
                     clause_ref_zh="目标", clause_ref_en="Target", clause_text="到2030年达到15%"))
        _load(s, [("digital_core_va_share", HLJ, 2025, 0, "annual", 10.0),
                  ("digital_core_va_share", HLJ, 2027, 0, "annual", 11.5)])
    (result,) = progress.assess_targets(engine, target_set="digital-longjiang-2030", as_of_year=2028)
    # observed (11.5 / 10)^(1/2) - 1 = 7.24%; required (15 / 10)^(1/5) - 1 = 8.45%; R = 0.857
    assert result.explanation.base.year == 2025
    assert result.explanation.r == pytest.approx(0.857, abs=1e-3)
    assert result.status == "acceleration_needed" and result.verdict.kind == "projection"
    # a policy set (not illustrative): the default view once it is added
    assert progress.default_period(progress.periods(engine, as_of_year=2028)).set_codes == (
        "digital-longjiang-2030",)


def test_cli_prints_a_table_and_json(engine, capsys):
    with session_scope(engine) as s:
        _load(s, [("digital_core_va_share", HLJ, 2020, 0, "annual", 7.0),
                  ("digital_core_va_share", HLJ, 2023, 0, "annual", 8.0)])
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["progress", "--wide"])
    assert args.handler(args, engine) == 0
    out = capsys.readouterr().out
    assert "数字经济核心产业增加值占GDP比重" in out and "12项目标中" in out
    args = parser.parse_args(["progress", "--json", "--target-set", "digital-longjiang-2021",
                              "--lang", "en"])
    assert run(args, engine) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["total"] == 8 and len(data["results"]) == 8
    share = next(r for r in data["results"] if r["target"]["indicator_code"] == "digital_core_va_share")
    assert share["words"]["en"]["target"] == "At least 10%" and share["explanation"]["r"] > 0
    args = parser.parse_args(["progress", "--region", "999999"])
    assert run(args, engine) == 2
    assert "999999" in capsys.readouterr().err


def test_target_info_is_plain_data():
    target = make_target()
    assert dataclasses.asdict(target)["value"] == 10.0


def _display_width(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_table_fits_the_terminal_explains_r_and_warns_of_demo_data(demo_engine, capsys,
                                                                       monkeypatch, lang):
    engine = demo_engine
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    outputs = {}
    for columns in ("120", "80"):
        monkeypatch.setenv("COLUMNS", columns)
        assert run(parser.parse_args(["progress", "--lang", lang]), engine) == 0
        outputs[columns] = capsys.readouterr().out
        assert max(_display_width(line) for line in outputs[columns].splitlines()) <= int(columns)
    assert run(parser.parse_args(["progress", "--lang", lang, "--wide"]), engine) == 0
    wide = capsys.readouterr().out
    assert max(_display_width(line) for line in wide.splitlines()) > 120  # every column
    for out in (outputs["120"], outputs["80"], wide):
        first = out.split("\n\n")[0]  # the warning, wrapped to the width like the rest
        assert "".join(first.split()) == "".join(t("cli.demo_warning", lang).split())
    # R is explained where it is shown, and a narrow table says what it left out
    assert t("cli.col.r", lang) in wide.splitlines()[4] and t("cli.r_footer", lang)[:20] in wide
    assert "--wide" in outputs["80"] and "--wide" not in wide
    # the numbers a reader needs stay at 80 columns: value, target, gap, status
    share = next(line for line in outputs["80"].splitlines() if "9.3%" in line)
    assert "−0.7" in share


def _cli_line(table: list[str], name: str) -> list[str]:
    return next(re.split(r"\s{2,}", line) for line in table if re.split(r"\s{2,}", line)[1:2] == [name])


def test_every_seeded_target_gets_a_status_on_the_demo_data(demo_engine):
    engine = demo_engine
    results = progress.assess_targets(engine, target_year=2025)
    assert len(results) == 12
    for r in results:  # the demo covers every targeted indicator for the province, 2019-2025
        assert r.latest_value is not None, r.indicator_code
        assert r.status != "insufficient_data", r.indicator_code
        assert r.verdict.kind in ("final", "partial"), r.indicator_code
    summary = progress.summarise(results)
    assert summary.total == 12
    # the demo's illustrative 2030 set: labelled, never the default view
    periods = progress.periods(engine, as_of_year=2026)
    assert [(p.year, p.illustrative) for p in periods] == [(2025, False), (2030, True)]
    assert progress.default_period(periods).year == 2025
    # the CLI's progress column: a ratio to the nation for national-average targets, never a
    # share of the way towards 'the national average'
    table = {lang: render_table(results, summary, lang).splitlines() for lang in ("zh", "en")}
    for r in results:
        line_zh = _cli_line(table["zh"], r.target.indicator_zh)
        line_en = _cli_line(table["en"], r.target.indicator_en)
        if r.kind == "national_average":
            assert r.standing.kind == "ratio_to_national"
        assert words.standing_text(r, "zh") in line_zh and words.standing_text(r, "en") in line_en
