"""The words of the progress engine's results: one place for the pages, the CLI and the briefing.

Every function takes a dataclass of etl/progress/assess.py (or a status code) and a language and
returns text from the catalogue; the method's thresholds are interpolated from
etl/progress/method.py, never copied.
"""
from __future__ import annotations

from typing import Optional

from etl.progress import method as m
from etl.wording.catalogue import norm_lang, pick, register, t
from etl.wording.numbers import fmt_percent_of, fmt_plain, fmt_rate, fmt_with_unit

_R = dict(on_track=f"{m.ON_TRACK:.2f}", acc=f"{m.ACCELERATION:.2f}")

TEXTS = register({
    # statuses (method.STATUSES)
    "status.achieved": ("已实现目标", "Target achieved"),
    "status.on_track": ("进展顺利", "On track"),
    "status.acceleration_needed": ("需加快进度", "Acceleration needed"),
    "status.limited_progress": ("进展有限", "Limited progress"),
    "status.deteriorating": ("出现倒退", "Deteriorating"),
    "status.not_achieved": ("未实现目标", "Target not met"),
    "status.insufficient_data": ("数据不足", "Insufficient data"),
    # kinds of target
    "kind.at_least": ("达到", "At least"),
    "kind.approximately": ("左右", "About"),
    "kind.full_coverage": ("全面覆盖", "Full coverage"),
    "kind.national_average": ("达到全国平均水平", "At the national average"),
    "target.national": ("全国平均水平", "National average"),
    "target.approximately": ("{value}左右（±{band}{band_unit}）", "About {value} (±{band} {band_unit})"),
    "target.full_coverage": ("100%（全面覆盖）", "100% (full coverage)"),
    "target.at_least": ("≥{value}", "At least {value}"),
    "unit.pp": ("个百分点", "percentage points"),
    "unit.pp_short": ("个百分点", "pp"),
    # verdicts
    "verdict.word.final": ("终值判定", "Final"),
    "verdict.word.partial": ("目标年数据不完整", "Target year partly known"),
    "verdict.word.projection": ("预测", "Projected"),
    "verdict.partial_flow": (
        "{year}年全年结果未出，目前仅有{period}数据；部分年度的流量不与全年比较",
        "The full-year {year} result is not out yet; only {period} is known, and a partial-year flow "
        "is not compared with full years"),
    "verdict.over_no_data": ("目标年{year}年已过，尚无{year}年数据；以下为预测",
                             "The target year {year} is over but has no data yet; the figures below are projections"),
    "verdict.ahead": ("目标年{year}年尚未到来；以下为预测",
                      "The target year {year} is still ahead; the figures below are projections"),
    "verdict.partial": ("{year}年全年结果未出，目前仅有{period}数据（{value}）；按已知数据{state}",
                        "The full-year {year} result is not out yet; only {period} is known ({value}); so far it {state}"),
    "verdict.partial_met": ("已达到目标", "already meets the target"),
    "verdict.partial_short": ("尚差{gap}{unit}", "{gap} {unit} short so far"),
    "verdict.final_met": ("最终结果：{year}年目标已实现（{period} {value}）",
                          "Final: the {year} target was met ({period}: {value})"),
    "verdict.final_missed": ("最终结果：{year}年目标未实现（{period} {value}），差{gap}{unit}",
                             "Final: the {year} target was not met ({period}: {value}), {gap} {unit} short"),
    "verdict.national_compare": ("{own}{unit}，全国{nation}{unit}，为全国的{ratio}%，差距{gap}{gap_unit}",
                                 "{own}{unit} against the nation's {nation}{unit}, {ratio}% of it, gap {gap} {gap_unit}"),
    "verdict.national_partial": ("{year}年全年结果未出，目前仅有{period}数据：{compare}",
                                 "The full-year {year} result is not out yet; so far ({period}): {compare}"),
    "verdict.national_final": ("最终结果：{year}年达到全国平均水平的目标{word}（{compare}）",
                               "Final: the {year} national-average target {word} ({compare})"),
    "verdict.was_met": ("已实现", "was met"),
    "verdict.was_not_met": ("未实现", "was not met"),
    # standing
    "standing.full_coverage": ("已全面覆盖", "Full coverage reached"),
    "standing.within_tolerance": ("在±{band}{unit}容差内", "Within the ±{band} {unit} tolerance"),
    "standing.ratio_to_target": ("为目标的{pct}", "{pct} of the target"),
    "standing.share_covered": ("{year}年以来完成进度{pct}", "{pct} of the way since {year}"),
    "standing.fell_back": ("{year}年已达到目标，现低于目标", "Met in {year}, short of the target now"),
    "standing.ratio_to_national": ("为全国的{pct}", "{pct} of the national level"),
    # steps and notes
    "step.observed_cagr": ("实际年均增速 = {formula}", "Observed CAGR = {formula}"),
    "step.required_cagr": ("所需年均增速 = {formula}", "Required CAGR = {formula}"),
    "step.ratio": ("R = {formula}", "R = {formula}"),
    "step.reversed": ("（越低越好的指标取反）", " (sign reversed: lower is better)"),
    "note.no_base_data": ("基年{year}年及以后无数据", "No data for the base year {year} or later"),
    "note.base_year_missing": ("基年{year}年无数据，以{other}年为基年",
                               "No data for the base year {year}; {other} is used as the base"),
    "note.too_few_points": ("自基年以来不足两个年度数据点", "Fewer than two annual points since the base year"),
    "note.no_growth_rate": ("基年值为零或正负号改变，无法计算年均增速",
                            "The base value is zero or the sign changed: no growth rate"),
    "note.nation_not_out": ("本地区最新为{period}，全国同期数据尚未发布，以{year}年比较",
                            "The region's newest value is {period_en}; the nation's for that period is not "
                            "out yet, so {year} is compared"),
    "note.no_common_period": ("本地区与全国没有同期数据", "No period with both the region's and the nation's value"),
    # summary
    "summary.headline": ("{total}项目标中{good}项已实现或进展顺利", "{good} of {total} targets met or on track"),
    "summary.final_headline": ("{total}项目标中{met}项已实现、{missed}项未实现",
                               "{met} of {total} targets met, {missed} not met"),
    "summary.final_missing": ("（{n}项尚无{year}年全年数据）", " ({n} without a full-year {year} value)"),
    "summary.final_title": ("{year}年目标终期评估", "Final assessment of the {year} targets"),
    "summary.period_title": ("{year}年目标进展", "Progress towards the {year} targets"),
    "summary.illustrative_title": ("{year}年示意目标进展（演示，非政策目标）",
                                   "Progress towards illustrative {year} targets (demo, not policy)"),
    "summary.next_set": (
        "{year}年目标期已结束。新的目标（如“十五五”目标）发布后，作为数据加入 data/seed/target_sets.csv 和 "
        "targets.csv 即在此显示并成为默认视图。",
        "The {year} target period is over. Once the next targets (the 15th five-year plan's, say) are "
        "published, adding them as data to data/seed/target_sets.csv and targets.csv shows them here, "
        "as the default view."),
    "summary.other_periods": ("其他目标期：", "Other target periods: "),
    "summary.period_link": ("{year}年目标", "{year} targets"),
    "summary.period_link_closed": ("{year}年目标（终期评估）", "{year} targets (final assessment)"),
    "summary.period_link_illustrative": ("{year}年示意目标（演示）", "Illustrative {year} targets (demo)"),
    "summary.illustrative_note": (
        "示意目标：为演示而设的{year}年目标，不是政策文件的目标，不能引用。",
        "Illustrative targets: {year} targets made up for the demo, not a policy document's; not to be quoted."),
    "summary.illustrative_badge": ("示意目标（非政策）", "Illustrative (not policy)"),
    # the CLI's table (python -m etl progress)
    "cli.col.set": ("目标集", "Set"),
    "cli.col.indicator": ("指标", "Indicator"),
    "cli.col.region": ("地区", "Region"),
    "cli.col.value": ("目标年值", "Value"),
    "cli.col.period": ("期别", "Period"),
    "cli.col.target": ("目标", "Target"),
    "cli.col.gap": ("差距", "Gap"),
    "cli.col.standing": ("进度", "Progress"),
    "cli.col.r": ("R", "R"),
    "cli.col.status": ("状态", "Status"),
    "cli.col.verdict": ("结论", "Verdict"),
    "cli.col.newer": ("其后最新", "Newer"),
    "cli.counts_separator": ("；", "; "),
    "cli.newer": ("{value}（{period}）", "{value} ({period})"),
    "cli.r_footer": (
        "R：进度比 = 实际年均增速 ÷ 所需年均增速（CAGR比值）；R≥{on_track} 进展顺利，{acc}≤R<{on_track} 需加快进度，"
        "R<{acc} 进展有限（见 docs/method.md）".format(**_R),
        "R: ratio of the observed to the required compound annual growth (CAGR); R ≥ {on_track} on "
        "track, {acc} ≤ R < {on_track} acceleration needed, below {acc} limited progress (docs/method.md)"
        .format(**_R)),
    "cli.demo_warning": (
        "注意：数据库中有演示数据（为演示生成的数值），以下结果不是官方统计，不能引用。",
        "Note: the database holds demo data (generated figures): these results are not official "
        "statistics and must not be quoted."),
    "cli.hidden": ("（终端宽{width}列，未显示：{columns}；--wide 显示全部列）",
                   "(terminal {width} columns wide, not shown: {columns}; --wide shows every column)"),
    "cli.one_region": ("地区：{region}", "Region: {region}"),
    # the vintage line
    "vintage.shown": ("所示数值截至{period}，更新于{updated}", "Values shown up to {period}, updated {updated}"),
    "vintage.newer": ("；{n}项目标另有{year}年及以后的数据（最新至{period}），见各卡片",
                      "; {n} of the targets also have values from {year} on (up to {period}), shown on their cards"),
    "vintage.none": ("尚未载入数据", "No data loaded yet"),
    # the card
    "card.current": ("当前值", "Current"),
    "card.final_value": ("{year}年终值", "{year} final value"),
    "card.assessed_value": ("{year}年目标年值", "{year} value"),
    "card.newer": ("{year}年最新：{value}（{period}）", "Newest, {year}: {value} ({period})"),
    "card.target": ("目标", "Target"),
    "card.gap": ("差距", "Gap"),
    "card.gap_met": ("已超出", "Ahead by"),
    "card.tolerance": ("容差{band}", "{band} tolerance"),
    "card.projection": ("按当前增速{year}年预计{value}", "At the current pace: {value} in {year}"),
    "card.required_growth": ("需年均增长{rate}", "Needs {rate} a year"),
    "card.national": ("全国同期{value}", "Nation, same period: {value}"),
    "card.details": ("详情", "Details"),
    # how was this computed?
    "explain.button": ("如何计算？", "How was this computed?"),
    "explain.base": ("基期", "Base"),
    "explain.latest": ("最新", "Latest"),
    "explain.target": ("目标", "Target"),
    "explain.observed_cagr": ("实际年均增速", "Observed CAGR"),
    "explain.required_cagr": ("所需年均增速", "Required CAGR"),
    "explain.ratio": ("进度比R（实际÷所需）", "Ratio R (observed ÷ required)"),
    "explain.rule": (
        "R≥{on_track} 进展顺利；{acc}≤R<{on_track} 需加快进度；0≤R<{acc} 进展有限；R<0 出现倒退。最新值已达到目标为"
        "“已实现目标”（“左右”类目标与目标值相差不超过容差即为达到）；目标年全年数据已出而未达到为“未实现目标”（终值）。"
        "目标年以后的数据不改变终值判定。".format(**_R),
        "R ≥ {on_track} on track; {acc} ≤ R < {on_track} acceleration needed; 0 ≤ R < {acc} limited "
        "progress; R < 0 deteriorating. A latest value that meets the target: “target achieved” (for an "
        "“about” target: within its tolerance); a target year whose full-year value misses it: “target not "
        "met” (final). Values after the target year never change a final verdict.".format(**_R)),
    "explain.by_ratio": (
        "“达到全国平均水平”类目标按本地区与全国之比（目标为1）评估。",
        "A national-average target is assessed on the ratio of the region to the nation (target 1)."),
    "explain.within_tolerance": (
        "与目标相差{gap}，在“左右”目标{band}的容差内，视为达到。",
        "{gap} from the target: within the {band} tolerance of an “about” target, so counted as met."),
    "explain.method_link": ("完整方法说明", "Full method"),
    "explain.year_value": ("{year}：{value}", "{year}: {value}"),
    # the method page
    "method.progress_text": (
        "采用Open SDG（加拿大统计局）年均增速比值法：实际年均增速 = (最新值 ÷ 基期值)^(1/(最新年 − 基期年)) − 1；"
        "所需年均增速 = (目标值 ÷ 基期值)^(1/(目标年 − 基期年)) − 1；R = 实际 ÷ 所需。"
        "最新值已达到目标为“已实现目标”（“左右”类目标含容差）；R≥{on_track}为“进展顺利”；{acc}≤R<{on_track}为“需加快进度”；"
        "0≤R<{acc}为“进展有限”；R<0为“出现倒退”；年度数据少于两个或基期为零为“数据不足”。基期默认为2020年（“十四五”基期）。"
        "目标年全年数据已出时给出终值判定（已实现/未实现及差距），只用目标年的值，以后的数据不改变它；否则为按目标年及以前数据的预测。"
        "季度数据仅在比率或存量指标上用作当年值，不以不完整年度的流量与全年比较。“达到全国平均水平”类目标与同期全国值比较，"
        "按本地区与全国之比的变化趋势评估。".format(**_R),
        "The CAGR-ratio method used by Open SDG (Statistics Canada): observed CAGR = (latest ÷ base)^(1/(latest "
        "year − base year)) − 1; required CAGR = (target ÷ base)^(1/(target year − base year)) − 1; R = observed ÷ "
        "required. A value that meets the target is “achieved” (with the tolerance of “about” targets); R ≥ {on_track} "
        "“on track”; {acc} ≤ R < {on_track} “acceleration needed”; 0 ≤ R < {acc} “limited progress”; R < 0 "
        "“deteriorating”; fewer than two annual values or a zero base: “insufficient data”. The base year is 2020 "
        "by default (the 14th five-year plan's base). Once the target year's whole-year value exists, the "
        "verdict is final (met / not met, by how much) and uses that value only: later values never change it; "
        "otherwise it is a projection from the values up to the target year. Quarterly values stand for "
        "the year only for ratios and stocks, never a partial-year flow against full years. Targets relative to "
        "the nation compare with the national value of the same period and are assessed on the trend of the ratio "
        "to it.".format(**_R)),
})


# --- labels -----------------------------------------------------------------------------------

def status_label(code: str, lang: str) -> str:
    return t(f"status.{code}", lang)


def status_icon(code: str) -> str:
    return m.ICONS[code]


def kind_label(kind: str, lang: str) -> str:
    key = f"kind.{kind}"
    return t(key, lang) if key in TEXTS else kind


def verdict_word(kind: str, lang: str) -> str:
    return t(f"verdict.word.{kind}", lang)


def _unit(unit: str, unit_en: str, lang: str) -> str:
    """The unit after a number: '%' and Chinese units attached, English ones after a space."""
    if norm_lang(lang) == "zh" or unit == "%":
        return unit
    return f" {unit_en}"


def gap_unit(unit: str, unit_en: str, lang: str, short: bool = False) -> str:
    """The unit of a gap: percentage points for shares."""
    if unit == "%":
        return t("unit.pp_short" if short else "unit.pp", lang)
    return pick(unit, unit_en, lang)


def target_label(target, lang: str) -> str:
    """The target as the policy writes it: '≥10%', '60%左右（±2个百分点）', '全国平均水平'."""
    if target.kind == m.NATIONAL_AVERAGE:
        return t("target.national", lang)
    if target.kind == m.FULL_COVERAGE_KIND:
        return t("target.full_coverage", lang)
    value = fmt_with_unit(target.value, target.unit, target.unit_en, lang, target=True)
    if target.kind == m.APPROXIMATELY:
        return t("target.approximately", lang, value=value,
                 band=fmt_plain(target.tolerance or 0),
                 band_unit=gap_unit(target.unit, target.unit_en, lang, short=True))
    return t("target.at_least", lang, value=value)


# --- standing, verdict, steps, notes ------------------------------------------------------------

def standing_text(a, lang: str) -> Optional[str]:
    """Where the assessed value stands ('2020年以来完成进度79%', '为全国的113%', '在±2个百分点容差内')."""
    s = a.standing
    if s.kind is None:
        return None
    if s.kind == "full_coverage":
        return t("standing.full_coverage", lang)
    if s.kind == "within_tolerance":
        return t("standing.within_tolerance", lang, band=fmt_plain(s.band),
                 unit=gap_unit(a.target.unit, a.target.unit_en, lang, short=True))
    if s.kind == "fell_back":
        return t("standing.fell_back", lang, year=s.base_year)
    pct = fmt_percent_of(s.value, below=s.below)
    if s.kind == "share_covered":
        return t("standing.share_covered", lang, year=s.base_year, pct=pct)
    return t(f"standing.{s.kind}", lang, pct=pct)


def _period(point, lang: str) -> str:
    return pick(point.period_zh, point.period_en, lang)


def verdict_text(a, lang: str) -> str:
    """The verdict in one sentence: final, partial or a projection's reason."""
    v, target = a.verdict, a.target
    if target.kind == m.NATIONAL_AVERAGE and v.value is not None:
        return _national_verdict_text(a, lang)
    if v.value is None:
        if v.partial_flow is not None:
            return t("verdict.partial_flow", lang, year=v.year, period=_period(v.partial_flow, lang))
        return t("verdict.over_no_data" if v.year_over else "verdict.ahead", lang, year=v.year)
    value = fmt_with_unit(v.value, target.unit, target.unit_en, lang)
    gap_u = gap_unit(target.unit, target.unit_en, lang)
    if v.kind == m.PARTIAL:
        state = (t("verdict.partial_met", lang) if v.met else
                 t("verdict.partial_short", lang, gap=fmt_plain(v.shortfall), unit=gap_u))
        return t("verdict.partial", lang, year=v.year, period=_period(v.point, lang), value=value,
                 state=state)
    if v.met:
        return t("verdict.final_met", lang, year=v.year, period=_period(v.point, lang), value=value)
    return t("verdict.final_missed", lang, year=v.year, period=_period(v.point, lang), value=value,
             gap=fmt_plain(v.shortfall), unit=gap_u)


def _national_verdict_text(a, lang: str) -> str:
    v, target = a.verdict, a.target
    compare = t("verdict.national_compare", lang, own=fmt_plain(v.point.value),
                nation=fmt_plain(v.national_value), unit=_unit(target.unit, target.unit_en, lang),
                ratio=f"{v.value * 100:.1f}", gap=fmt_plain(v.gap),
                gap_unit=gap_unit(target.unit, target.unit_en, lang))
    if v.kind == m.PARTIAL:
        return t("verdict.national_partial", lang, year=v.year, period=_period(v.point, lang),
                 compare=compare)
    word = t("verdict.was_met" if v.met else "verdict.was_not_met", lang)
    return t("verdict.national_final", lang, year=v.year, word=word, compare=compare)


def step_texts(a, lang: str) -> list[str]:
    """The arithmetic written out, one line per step."""
    out = []
    for s in a.explanation.steps:
        if s.name == "ratio":
            formula = f"{fmt_rate(s.now)} / |{fmt_rate(s.base)}| = {s.result:.3f}"
            out.append(t("step.ratio", lang, formula=formula)
                       + (t("step.reversed", lang) if s.reversed else ""))
        else:
            formula = (f"({fmt_plain(s.now, 4)} / {fmt_plain(s.base, 4)})^(1/({s.year_now}−{s.year_base})) − 1 "
                       f"= {fmt_rate(s.result)}")
            out.append(t(f"step.{s.name}", lang, formula=formula))
    return out


def note_texts(a, lang: str) -> list[str]:
    out = []
    for n in a.explanation.notes:
        if n.code == "nation_not_out":
            out.append(t("note.nation_not_out", lang, period=n.period_zh, period_en=n.period_en,
                         year=n.year))
        else:
            out.append(t(f"note.{n.code}", lang, year=n.year, other=n.other_year))
    return out


def headline(summary, lang: str) -> str:
    return t("summary.headline", lang, total=summary.total, good=summary.good)


def final_headline(summary, year: int, lang: str) -> str:
    """'12项目标中7项已实现、5项未实现' under the title '2025年目标终期评估' (and how many have no
    final value yet)."""
    text = t("summary.final_headline", lang, total=summary.total, met=summary.met_final,
             missed=summary.final - summary.met_final)
    if summary.final < summary.total:
        text += t("summary.final_missing", lang, n=summary.total - summary.final, year=year)
    return text


def period_title(period, lang: str) -> str:
    """'2025年目标终期评估' for a closed policy period, '2030年目标进展' for an open one, and the
    illustrative label for a demo set."""
    if period.illustrative:
        return t("summary.illustrative_title", lang, year=period.year)
    return t("summary.final_title" if period.closed else "summary.period_title", lang, year=period.year)


def period_headline(period, summary, lang: str) -> str:
    """A closed policy period: how many targets were met, with final values; else met or on track."""
    if period is not None and period.closed and not period.illustrative:
        return final_headline(summary, period.year, lang)
    return headline(summary, lang)


def words(a, lang: str) -> dict:
    """All the words of one assessment in one language (the CLI's JSON, the briefing)."""
    return dict(status=status_label(a.status, lang), icon=status_icon(a.status),
                kind=kind_label(a.kind, lang), target=target_label(a.target, lang),
                standing=standing_text(a, lang), verdict=verdict_text(a, lang),
                verdict_kind=verdict_word(a.verdict.kind, lang), steps=step_texts(a, lang),
                notes=note_texts(a, lang))
