"""Words and number formats in Chinese (default) and English.

Every text the dashboard shows goes through `t(key, lang)` of the one catalogue (etl/wording; the
UI's own words are registered from here, the progress wording lives in etl/wording/progress.py);
numbers through etl/wording/numbers.py (re-exported here), periods and names through the
formatters here, so that switching `?lang=en` changes everything on a page, hover text included.
"""
from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode

from etl import periods

from etl.progress import method
from etl.wording import progress as _progress_words  # noqa: F401  (registers the progress texts)
from etl.wording.catalogue import DEFAULT_LANG, LANGS, norm_lang, pick, register, t  # noqa: F401

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
        "多数数值为演示生成，不能作为统计数据引用；少数为注明来源的公开发布数据。"
        "每个数值属于哪一种，见“数据”页的“数据性质”列。",
        "Most figures are generated for demonstration and must not be quoted as statistics; a few "
        "are real published figures with their source. The Data page's “Kind” column tells which.",
    ),
    "notfound.title": ("页面不存在", "Page not found"),
    "notfound.back": ("返回总览", "Back to the overview"),
    "no_data": ("暂无数据", "No data yet"),
    "no_data_detail": ("数据库中还没有该指标的数据。", "The database holds no values for this yet."),
    # overview
    "overview.title": ("目标进展总览", "Progress against the targets"),
    "overview.empty": (
        "数据库中还没有统计数据。分析员登录后在“上传数据”页上传报表，各项目标的进展即显示在此。",
        "The database holds no statistics yet. Once an analyst uploads the tables on the Upload page, "
        "the progress of each target shows here.",
    ),
    "overview.counts": ("按状态统计", "Targets by status"),
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
    "chart.unit_prefix": ("单位：{unit}", "Unit: {unit}"),
    "list.separator": ("、", ", "),
    # controls
    "ctl.indicator": ("指标", "Indicator"),
    "ctl.period": ("时期", "Period"),
    # a period in the selector that too few cities have reported (etl.periods.MIN_COVERAGE)
    "period.partial": ("{period}（{n}/{total}个市有数据）", "{period} ({n} of {total} cities)"),
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
    # the targets differ (villages 75%, the rest 100%): each chart's title names its own
    "infra.coverage": ("5G网络覆盖", "5G coverage"),
    "infra.with_target": ("{name}（{target}）", "{name} ({target})"),
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
    "data.paged": ("行数较多，逐页从服务器读取；选择指标或地区后可在表头筛选、排序",
                   "Many rows: read page by page from the server; choose an indicator or region to filter and sort in the grid"),
    "data.capped": ("仅显示前{n}行，请按指标或地区缩小范围", "Showing the first {n} rows: choose an indicator or region"),
    "data.hint": (
        "表头可筛选、排序；导出的是当前筛选后的行。",
        "Filter and sort in the headers; exports contain the filtered rows.",
    ),
    "method.title": ("口径与方法", "Definitions and method"),
    "method.indicators": ("指标口径", "Indicator definitions"),
    "method.targets": ("目标及政策依据", "Targets and their policy clauses"),
    "method.target_line": ("：{year}{value}", ": {value} by {year}"),
    "method.progress": ("进展评估方法", "How progress is assessed"),
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
    "col.loaded_at_local": ("载入时间（北京时间）", "Loaded at (Beijing time)"),
    "col.source": ("来源", "Source"),
    "col.kind": ("数据性质", "Kind"),
    "kind.demo": ("演示（生成）", "demo (generated)"),
    "kind.reference": ("公开发布（有来源）", "published (with source)"),
    "kind.uploaded": ("上传", "uploaded"),
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

# Status classes of the progress engine -> colour (Bootstrap) and icon (etl/progress/method.py);
# words come from the wording catalogue (etl/wording/progress.py).
_STATUS_COLOURS = {
    method.ACHIEVED: "success", method.ON_TRACK_CLASS: "primary",
    method.ACCELERATION_NEEDED: "warning", method.LIMITED: "danger", method.DETERIORATING: "danger",
    method.NOT_ACHIEVED: "danger", method.INSUFFICIENT: "secondary",
}
STATUS_STYLE: dict[str, tuple[str, str]] = {
    code: (_STATUS_COLOURS[code], method.ICONS[code]) for code in method.STATUSES}


register(TEXTS)  # the UI's words join the one catalogue (etl/wording/catalogue.py)


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


# --- numbers: the one number formatter is etl/wording/numbers.py (the CLI uses it too) ---------

from etl.wording.numbers import (  # noqa: E402,F401  (re-exported for the pages)
    default_decimals,
    fmt_number,
    fmt_value,
    fmt_gap,
    fmt_target_value,
    fmt_tolerance,
    fmt_target,
    fmt_percent,
    unit_label,
    axis_value,
)


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
