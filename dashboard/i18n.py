"""Words and number formats in Chinese (default) and English.

Every text the dashboard shows goes through `t(key, lang)`; numbers, periods and names through the
formatters here, so that switching `?lang=en` changes everything on a page, hover text included.
"""
from __future__ import annotations

import math
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode

from etl import periods

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

TEXTS: dict[str, tuple[str, str]] = {
    # app and navigation
    "app.title": ("数字龙江 数字经济监测", "Digital Longjiang"),
    "app.short": ("数字龙江", "Digital Longjiang"),
    "app.subtitle": ("黑龙江省数字经济政策目标进展", "Heilongjiang digital-economy targets"),
    "nav.overview": ("总览", "Overview"),
    "nav.core": ("核心产业", "Core industries"),
    "nav.enterprise": ("企业数字化", "Enterprises"),
    "nav.infrastructure": ("5G与新型基础设施", "5G & networks"),
    "nav.benchmarks": ("全国对标", "Benchmarks"),
    "nav.city": ("市（地）", "Cities"),
    "nav.data": ("数据", "Data"),
    "nav.method": ("口径与方法", "Method"),
    "lang.switch": ("English", "中文"),
    "lang.switch_title": ("切换到英文", "Switch to Chinese"),
    "demo.banner": ("演示数据 — 非官方统计", "Demo data — not official statistics"),
    "demo.banner_detail": (
        "本页显示的是为演示生成的数据，不能作为统计数据引用。",
        "The figures shown are generated for demonstration and must not be quoted as statistics.",
    ),
    "notfound.title": ("页面不存在", "Page not found"),
    "notfound.back": ("返回总览", "Back to the overview"),
    "no_data": ("暂无数据", "No data yet"),
    "no_data_detail": ("数据库中还没有该指标的数据。", "The database holds no values for this yet."),
    # overview
    "overview.title": ("目标进展总览", "Progress against the targets"),
    "overview.vintage": ("数据截至{period}，更新于{updated}", "Data up to {period}, updated {updated}"),
    "overview.vintage_none": ("尚未载入数据", "No data loaded yet"),
    "overview.empty": (
        "数据库中还没有统计数据。分析员登录后在“上传数据”页上传报表，各项目标的进展即显示在此。",
        "The database holds no statistics yet. Once an analyst uploads the tables on the Upload page, "
        "the progress of each target shows here.",
    ),
    "overview.counts": ("按状态统计", "Targets by status"),
    "card.current": ("当前值", "Current"),
    "card.target": ("目标", "Target"),
    "card.gap": ("差距", "Gap"),
    "card.gap_met": ("已超出", "Ahead by"),
    "card.tolerance": ("容差{band}", "{band} tolerance"),
    "card.final": ("终值判定", "Final"),
    "card.projected": ("预测", "Projected"),
    "card.partial": ("目标年数据不完整", "Target year partly known"),
    "card.projection": ("按当前增速{year}年预计{value}", "At the current pace: {value} in {year}"),
    "card.required_growth": ("需年均增长{rate}", "Needs {rate} a year"),
    "card.national": ("全国同期{value}", "Nation, same period: {value}"),
    "card.details": ("详情", "Details"),
    "card.by_target_set": ("目标来源", "Target source"),
    # explanation
    "explain.button": ("如何计算？", "How was this computed?"),
    "explain.title": ("计算过程", "How this status was computed"),
    "explain.base": ("基期", "Base"),
    "explain.latest": ("最新", "Latest"),
    "explain.target": ("目标", "Target"),
    "explain.observed_cagr": ("实际年均增速", "Observed CAGR"),
    "explain.required_cagr": ("所需年均增速", "Required CAGR"),
    "explain.ratio": ("进度比R（实际÷所需）", "Ratio R (observed ÷ required)"),
    "explain.rule": (
        "R≥0.95 进展顺利；0.60≤R<0.95 需加快进度；0≤R<0.60 进展有限；R<0 出现倒退。最新值已达到目标为“已实现目标”"
        "（“左右”类目标与目标值相差不超过容差即为达到）；目标年全年数据已出而未达到为“未实现目标”（终值）。",
        "R ≥ 0.95 on track; 0.60 ≤ R < 0.95 acceleration needed; 0 ≤ R < 0.60 limited progress; "
        "R < 0 deteriorating. A latest value that meets the target: “target achieved” (for an “about” "
        "target: within its tolerance); a target year whose full-year value misses it: “target not met” "
        "(final).",
    ),
    "explain.by_ratio": (
        "“达到全国平均水平”类目标按本地区与全国之比（目标为1）评估。",
        "A national-average target is assessed on the ratio of the region to the nation (target 1).",
    ),
    "explain.within_tolerance": (
        "与目标相差{gap}，在“左右”目标{band}的容差内，视为达到。",
        "{gap} from the target: within the {band} tolerance of an “about” target, so counted as met.",
    ),
    "explain.method_link": ("完整方法说明", "Full method"),
    # charts
    "chart.table": ("查看数据表", "Show the numbers"),
    "chart.hide_table": ("隐藏数据表", "Hide the numbers"),
    "chart.target_line": ("目标 {value}", "Target {value}"),
    "chart.band": ("目标区间 {low}–{high}", "Target band {low}–{high}"),
    "chart.national": ("全国", "China"),
    "chart.province": ("黑龙江", "Heilongjiang"),
    "chart.source": ("来源", "Source"),
    "chart.basis": ("口径", "Basis"),
    "chart.period": ("时期", "Period"),
    "chart.value": ("数值", "Value"),
    "chart.unit": ("单位", "Unit"),
    "chart.region": ("地区", "Region"),
    "chart.indicator": ("指标", "Indicator"),
    "chart.rank": ("排名", "Rank"),
    "chart.map_note": ("示意图，非标准地图，不作为国界、行政区划依据", "Schematic map, not an official boundary"),
    "chart.no_map_data": ("所选时期没有各市（地）数据", "No city data for the selected period"),
    "chart.missing_cities": ("暂无数据：{names}", "No data: {names}"),
    # controls
    "ctl.indicator": ("指标", "Indicator"),
    "ctl.period": ("时期", "Period"),
    "ctl.region": ("市（地）", "City"),
    "ctl.peers": ("对比省份", "Peer provinces"),
    # pages
    "core.title": ("数字经济核心产业", "Digital-economy core industries"),
    "core.share": ("核心产业增加值占GDP比重", "Core-industry value added, share of GDP"),
    "core.va": ("核心产业增加值", "Core-industry value added"),
    "core.ranking": ("13个市（地）排名", "The 13 cities ranked"),
    "core.map": ("各市（地）分布", "By prefecture"),
    "enterprise.title": ("企业数字化转型", "Enterprise digitalisation"),
    "enterprise.by_city": ("分市（地）", "By city"),
    "infra.title": ("5G与新型基础设施", "5G and new infrastructure"),
    "infra.stations": ("5G基站数", "5G base stations"),
    "infra.per10k": ("每万人拥有5G基站数（与全国比较）", "5G stations per 10,000 people vs the nation"),
    "infra.coverage": ("5G网络覆盖（目标100%）", "5G coverage (target 100%)"),
    "infra.ict": ("千兆与IPv6（信息通信规划目标）", "Gigabit and IPv6 (ICT plan targets)"),
    "bench.title": ("全国对标", "Benchmarks against the nation"),
    "bench.ratio": ("相对全国（全国=100）", "Relative to the nation (China = 100)"),
    "bench.gap": ("与全国差距", "Gap to the nation"),
    "bench.latest": ("最新可比值", "Latest comparable values"),
    "bench.none": ("没有可与全国比较的数据", "No values comparable with the nation"),
    "city.title": ("市（地）概况", "City profile"),
    "city.rank": ("第{rank}/{n}名", "Rank {rank} of {n}"),
    "city.pick": ("选择市（地）", "Choose a city"),
    "city.indicators": ("主要指标", "Indicators"),
    "city.province_value": ("全省", "Province"),
    "data.title": ("数据明细", "All current values"),
    "data.export_csv": ("导出CSV（筛选后）", "Export CSV (filtered rows)"),
    "data.export_xlsx": ("导出Excel（筛选后）", "Export XLSX (filtered rows)"),
    "data.rows": ("共{n}行", "{n} rows"),
    "data.capped": ("仅显示前{n}行，请按指标或地区缩小范围", "Showing the first {n} rows: choose an indicator or region"),
    "data.hint": (
        "表头可筛选、排序；导出的是当前筛选后的行。",
        "Filter and sort in the headers; exports contain the filtered rows.",
    ),
    "method.title": ("口径与方法", "Definitions and method"),
    "method.indicators": ("指标口径", "Indicator definitions"),
    "method.targets": ("目标及政策依据", "Targets and their policy clauses"),
    "method.progress": ("进展评估方法", "How progress is assessed"),
    "method.progress_text": (
        "采用Open SDG（加拿大统计局）年均增速比值法：实际年均增速 = (最新值 ÷ 基期值)^(1/(最新年 − 基期年)) − 1；"
        "所需年均增速 = (目标值 ÷ 基期值)^(1/(目标年 − 基期年)) − 1；R = 实际 ÷ 所需。"
        "最新值已达到目标为“已实现目标”（“左右”类目标含容差）；R≥0.95为“进展顺利”；0.60≤R<0.95为“需加快进度”；"
        "0≤R<0.60为“进展有限”；R<0为“出现倒退”；年度数据少于两个或基期为零为“数据不足”。基期默认为2020年（“十四五”基期）。"
        "目标年全年数据已出时给出终值判定（已实现/未实现及差距），否则为预测。季度数据仅在比率或存量指标上用作当年值，"
        "不以不完整年度的流量与全年比较。“达到全国平均水平”类目标与同期全国值比较，按本地区与全国之比的变化趋势评估。",
        "The CAGR-ratio method used by Open SDG (Statistics Canada): observed CAGR = (latest ÷ base)^(1/(latest "
        "year − base year)) − 1; required CAGR = (target ÷ base)^(1/(target year − base year)) − 1; R = observed ÷ "
        "required. A value that meets the target is “achieved” (with the tolerance of “about” targets); R ≥ 0.95 "
        "“on track”; 0.60 ≤ R < 0.95 “acceleration needed”; 0 ≤ R < 0.60 “limited progress”; R < 0 "
        "“deteriorating”; fewer than two annual values or a zero base: “not enough data”. The base year is 2020 "
        "by default (the 14th five-year plan's base). Once the target year has passed and its data exist, the "
        "verdict is final (met / not met, by how much); otherwise it is a projection. Quarterly values stand for "
        "the year only for ratios and stocks, never a partial-year flow against full years. Targets relative to "
        "the nation compare with the national value of the same period and are assessed on the trend of the ratio "
        "to it.",
    ),
    "method.definition": ("口径", "Definition"),
    "method.source": ("来源", "Source"),
    "method.unit": ("单位", "Unit"),
    "method.clause": ("政策条款", "Policy clause"),
    "method.document": ("文件", "Document"),
    # columns
    "col.indicator": ("指标", "Indicator"),
    "col.region": ("地区", "Region"),
    "col.period": ("时期", "Period"),
    "col.basis": ("口径", "Basis"),
    "col.value": ("数值", "Value"),
    "col.unit": ("单位", "Unit"),
    "col.version": ("版本", "Version"),
    "col.batch": ("批次", "Batch"),
    "col.file": ("文件", "File"),
    "col.sheet": ("工作表", "Sheet"),
    "col.cell": ("单元格", "Cell"),
    "col.loaded_by": ("载入人", "Loaded by"),
    "col.loaded_at": ("载入时间", "Loaded at"),
    "col.source": ("来源", "Source"),
    "col.status": ("状态", "Status"),
    "col.target": ("目标", "Target"),
    "col.gap": ("差距", "Gap"),
    "col.national": ("全国", "China"),
    "col.ratio": ("相对全国", "Ratio to China"),
    "col.rank": ("排名", "Rank"),
    "col.year": ("年份", "Year"),
    # basis
    "basis.derived": ("本系统计算", "computed here"),
}

# Status classes of the progress engine -> colour (Bootstrap) and icon; words come from the engine.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "achieved": ("success", "✔"),
    "on_track": ("primary", "▲"),
    "acceleration_needed": ("warning", "►"),
    "limited_progress": ("danger", "▼"),
    "deteriorating": ("danger", "✖"),
    "not_achieved": ("danger", "✖"),
    "insufficient_data": ("secondary", "?"),
}


def norm_lang(lang: Any) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values: Any) -> str:
    zh, en = TEXTS[key]
    text = en if norm_lang(lang) == "en" else zh
    return text.format(**values) if values else text


def pick(zh: str | None, en: str | None, lang: str) -> str:
    """The English or Chinese member of a (zh, en) pair from the data, falling back to the other."""
    if norm_lang(lang) == "en":
        return en or zh or ""
    return zh or en or ""


# --- URLs -------------------------------------------------------------------------------------

def parse_query(search: str | None) -> dict[str, str]:
    return dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))


def build_search(params: Mapping[str, Any]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "", [])}
    # Chinese is the default: leave it out so that plain links stay short.
    if clean.get("lang") == DEFAULT_LANG:
        clean.pop("lang")
    return "?" + urlencode(clean) if clean else ""


def with_params(search: str | None, **changes: Any) -> str:
    params = parse_query(search)
    params.update({k: v for k, v in changes.items()})
    return build_search(params)


# --- numbers ----------------------------------------------------------------------------------

def _grouped(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def default_decimals(value: float, unit: str) -> int:
    if unit == "%":
        return 1
    if unit in ("个",) and abs(value) >= 100:
        return 0
    if abs(value) >= 1000:
        return 0
    if abs(value) >= 100:
        return 1
    return 2 if abs(value) < 10 else 1


def fmt_number(value: float | None, lang: str = DEFAULT_LANG, decimals: int | None = None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if decimals is None:
        decimals = default_decimals(value, "")
    return _grouped(value, decimals)


def fmt_value(value: float | None, unit: str, lang: str = DEFAULT_LANG,
              decimals: int | None = None) -> str:
    """A value with its unit as a reader expects it: '8.1%', '1,234.5亿元' / '123.5 bn yuan'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    lang = norm_lang(lang)
    if unit == "%":
        return f"{_grouped(value, 1 if decimals is None else decimals)}%"
    if lang == "zh":
        if unit == "个" and abs(value) >= 10000:
            wan = f"{value / 10000:.{2 if decimals is None else decimals}f}"
            return (wan.rstrip("0").rstrip(".") if "." in wan else wan) + "万个"
        d = default_decimals(value, unit) if decimals is None else decimals
        return f"{_grouped(value, d)}{unit}"
    if unit == "亿元":
        return f"{_grouped(value / 10, 1 if decimals is None else decimals)} bn yuan"
    if unit == "万人":
        return f"{_grouped(value / 100, 2 if decimals is None else decimals)} million people"
    d = default_decimals(value, unit) if decimals is None else decimals
    return _grouped(value, d)


def fmt_gap(gap: float | None, unit: str, lang: str = DEFAULT_LANG,
            decimals: int | None = None, like: float | None = None) -> str:
    """A signed difference; shares are in percentage points (个百分点 / pp). `decimals`: those of
    the value it is compared with, so that '38.5个' is followed by '+4.6个', not '+4.56个'.
    `like`: that value; a count written in 万个 ('11.52万个') has its gap in 万个 too ('+0.12万个',
    not '+1,200个'), as an official report writes value, target and gap in one unit."""
    if gap is None or (isinstance(gap, float) and math.isnan(gap)):
        return "—"
    if abs(gap) < 1e-9:
        return "0" + ("个百分点" if norm_lang(lang) == "zh" else " pp") if unit == "%" else "0"
    sign = "+" if gap > 0 else "−"
    if unit == "%":
        return f"{sign}{abs(gap):,.1f}" + ("个百分点" if norm_lang(lang) == "zh" else " pp")
    if unit == "个" and norm_lang(lang) == "zh" and like is not None and abs(like) >= 10000:
        return sign + _wan(abs(gap))
    return sign + fmt_value(abs(gap), unit, lang, decimals)


def _wan(count: float) -> str:
    """A count in 万个 with two decimals, more for a small count ('0.005万个', not '0.01万个')."""
    digits = 2
    while digits < 4 and count / 10000 < 10 ** (1 - digits):
        digits += 1
    text = f"{count / 10000:,.{digits}f}".rstrip("0").rstrip(".")
    return text + "万个"


def fmt_target_value(value: float | None, unit: str, lang: str = DEFAULT_LANG) -> str:
    """A target as the policy writes it: '10%', '63%', '11.4万个' (no '10.0%')."""
    if unit == "%" and value is not None and float(value).is_integer():
        return fmt_value(value, unit, lang, decimals=0)
    return fmt_value(value, unit, lang)


def fmt_tolerance(tolerance: float, unit: str, lang: str = DEFAULT_LANG) -> str:
    """The 左右 band: '±2个百分点' / '±2 pp' for shares."""
    if unit == "%":
        return f"±{tolerance:g}" + ("个百分点" if norm_lang(lang) == "zh" else " pp")
    return "±" + fmt_value(tolerance, unit, lang)


def fmt_target(kind: str | None, value: float | None, unit: str, lang: str = DEFAULT_LANG) -> str:
    """'≥10%' for at-least targets, '60%左右' / 'about 60%' for approximate ones."""
    text = fmt_target_value(value, unit, lang)
    if kind == "approximately":
        return f"{text}左右" if norm_lang(lang) == "zh" else f"about {text}"
    if kind == "at_least":
        return "≥" + text
    return text


def fmt_percent(share: float | None, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """A fraction (0.0455) as a percentage ('4.6%')."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    return f"{share * 100:,.{decimals}f}%"


def unit_label(unit: str, unit_en: str | None, lang: str) -> str:
    if norm_lang(lang) == "zh":
        return unit
    return {"亿元": "bn yuan", "万人": "million people"}.get(unit, unit_en or unit)


def axis_value(value: float | None, unit: str, lang: str) -> float | None:
    """The number plotted on an axis labelled with `unit_label` (English converts 亿元 to bn)."""
    if value is None or norm_lang(lang) == "zh":
        return value
    if unit == "亿元":
        return value / 10
    if unit == "万人":
        return value / 100
    return value


# --- periods ----------------------------------------------------------------------------------

# Periods are named by etl.periods.format_period alone; these are its dashboard spellings.

def fmt_period(year: int, quarter: int = 0, basis: str = "annual", lang: str = DEFAULT_LANG,
               kind: str | None = None) -> str:
    """etl.periods.format_period: pass the indicator's `kind` (meta["kind"]) so that a stock reads
    '2025年第三季度末' and a year-to-date flow '2025年前三季度'; without it the basis decides."""
    return periods.format_period((year, quarter, basis), kind, norm_lang(lang))


def fmt_vintage_period(year: int, quarter: int, lang: str = DEFAULT_LANG) -> str:
    """'2025年第四季度' / 'Q4 2025' (annual data: '2025年' / '2025')."""
    return periods.format_period((year, quarter, "quarter" if quarter else "annual"), None,
                                 norm_lang(lang))


def fmt_basis(basis: str, lang: str = DEFAULT_LANG, period: Any = None, kind: str | None = None) -> str:
    """年度 / 年初至今累计 / 当季 / 期末值; with the value's period and kind, the basis users read
    (a stock's stored 'ytd' reads 期末值: etl.periods.basis_of)."""
    shown = periods.basis_of(period, kind) if period is not None else basis
    zh, en = periods.BASIS_NAMES.get(shown, (shown, shown))
    return zh if norm_lang(lang) == "zh" else en


def fmt_datetime(value: Any, lang: str = DEFAULT_LANG) -> str:
    if value is None:
        return "—"
    if hasattr(value, "strftime"):
        if norm_lang(lang) == "zh":
            return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def period_key(year: int, quarter: int, basis: str) -> str:
    """The period as it appears in a URL: 2025, 2025Q3 (ytd), 2025q3 (single quarter)."""
    return periods.Period(year, quarter, basis).key


def parse_period_key(text: str | None) -> tuple[int, int, str] | None:
    found = periods.Period.from_key(text)
    return found.as_tuple() if found else None
