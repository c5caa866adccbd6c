"""全国对标 Benchmarks: Heilongjiang against the nation and chosen peer provinces (default 吉林,
辽宁, 内蒙古) for every comparable indicator, as a ratio to the nation and a gap."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import components as c
from dashboard import data
from dashboard import views as v
from dashboard.figures import Figure, trace
from dashboard.i18n import fmt_gap, fmt_value, norm_lang, page_words, pick, t

dash.register_page(__name__, path="/benchmarks", order=4, **page_words("nav.benchmarks"))

DEFAULT_PEERS = ["220000", "210000", "150000"]


def parse_peers(text: str | None) -> list[str]:
    provinces = {r["code"] for r in data.regions().values() if r["level"] == "province"}
    chosen = [code for code in (text or "").split(",") if code in provinces and code != v.PROVINCE]
    return chosen or list(DEFAULT_PEERS)


def compared(peers: list[str]) -> list[tuple[str, str, dict, dict]]:
    """(indicator, region, its value, the nation's) for each comparable indicator (a share, rate
    or per-person figure: totals of a province and of the nation are not comparable) with a
    national value, and the province and each peer that has a value in the newest period where
    the nation and the province both have one."""
    regions = [v.PROVINCE, *peers]
    found = comparison_values.many([v.NATION, *regions])  # one query
    pairs = []
    for code in data.indicators():
        nation = found[v.NATION].get(code)
        if not nation or not nation["value"]:
            continue
        pairs.extend((code, region, found[region][code], nation) for region in regions
                     if found[region].get(code))
    return pairs


def comparable(peers: list[str]) -> list[str]:
    """The indicators the comparison with these peers shows, in catalog order."""
    return list(dict.fromkeys(code for code, *_ in compared(peers)))


def comparison_rows(peers: list[str], lang: str) -> list[dict]:
    """The comparison's rows: the province's and peers' value, ratio to the nation and gap."""
    rows = []
    indicators = data.indicators()
    for code, region, item, nation in compared(peers):
        meta = indicators[code]
        latest = nation["period"]
        period, basis = c.period_words(*latest, lang, meta.get("kind"))  # fmt_period, fmt_basis
        rows.append({
            "indicator_code": code, "indicator": v.indicator_name(code, lang),
            "region_code": region, "region": v.region_name(region, lang),
            "period": period, "unit": meta["unit"],
            "value": item["value"], "nation": nation["value"],
            "ratio": item["value"] / nation["value"] * 100,
            "gap": item["value"] - nation["value"],
            "basis": basis,
            "source": item.get("source") or pick(meta.get("source_zh"), meta.get("source_en"), lang),
        })
    return rows


def province_level() -> list[str]:
    """The nation and every province: the regions a comparison can name."""
    return [v.NATION, *[r["code"] for r in data.regions().values() if r["level"] == "province"]]


@data.summarised("benchmarks", keys=province_level)
def comparison_values(region: str) -> dict[str, dict]:
    """{ratio indicator: {'period', 'value', 'source'}} of one region (the nation or a province)
    in the newest period where the province and the nation both have a value: computed for the
    nation and every province once per data change (the summary), whichever peers a reader picks."""
    ratios = [code for code, meta in data.indicators().items() if meta["measure"] == "ratio"]
    everyone = province_level()
    data.prefetch(ratios, data.panel())  # every indicator in one query, not one per indicator
    data.prefetch(ratios, everyone)
    found = {}
    for code in ratios:
        latest = data.latest_common_period(code, v.PROVINCE, v.NATION)
        if latest is None:
            continue
        item = data.region_values(code, *latest, regions=everyone).get(region)
        if item:
            found[code] = {"period": latest, "value": item["value"], "source": item.get("source")}
    return found


def wrap(text: str, width: int) -> str:
    """Break a long axis label into lines (at spaces in English, anywhere in Chinese), so that on
    a phone the labels leave room for the bars."""
    if " " in text:
        lines, line = [], ""
        for word in text.split():
            if line and len(line) + 1 + len(word) > width * 2:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        return "<br>".join(lines + [line])
    return "<br>".join(text[i:i + width] for i in range(0, len(text), width))


def bar_label(row: dict) -> str:
    """The indicator and the period compared (periods differ between indicators)."""
    return f"{wrap(row['indicator'], 10)}<br>{row['period']}"


def ratio_figure(rows: list[dict], peers: list[str], lang: str) -> Figure:
    fig = Figure()
    palette = [c.COLORS["province"], *c.PEER_COLORS]
    for index, region in enumerate([v.PROVINCE, *peers]):
        mine = [r for r in rows if r["region_code"] == region]
        if not mine:
            continue
        fig.add_trace(trace(
            "bar", y=[bar_label(r) for r in mine], x=[r["ratio"] for r in mine], orientation="h",
            name=v.region_name(region, lang), marker=dict(color=palette[index % len(palette)]),
            text=[f"{r['ratio']:.0f}" for r in mine], textposition="outside", cliponaxis=False,
            textfont=dict(size=11),
            customdata=c.hover_safe([[r["region"], r["period"], fmt_value(r["value"], r["unit"], lang),
                         f"{t('col.national', lang)} {fmt_value(r['nation'], r['unit'], lang)} · "
                         f"{t('col.ratio', lang)} {r['ratio']:.0f} · {t('col.gap', lang)} "
                         f"{fmt_gap(r['gap'], r['unit'], lang)}",
                         f"{r['basis']} · {r['source']}"] for r in mine]),
            hovertemplate=c.HOVER))
    c.add_reference_line(fig, 100, t("chart.national", lang) + " = 100", c.COLORS["nation"], "dash")
    bars = len(rows)
    layout = c.base_layout(lang, height=max(300, 22 * bars + 30 * len({r["indicator"] for r in rows}) + 130))
    layout["yaxis"] = dict(automargin=True, autorange="reversed")
    top = max(r["ratio"] for r in rows) if rows else 100
    # no axis title: the card's title says "全国=100", and under the axis it met the legend
    layout["xaxis"] = dict(range=[0, max(top, 100) * 1.12])
    layout["barmode"] = "group"
    fig.update_layout(**layout)
    return fig


def comparison(chosen: list[str], indicator: str | None, lang: str) -> list:
    """The ratios to the nation (chart and table) and the chosen indicator over time."""
    rows = comparison_rows(chosen, lang)
    table_rows = [[r["indicator"], r["region"], r["period"], fmt_value(r["value"], r["unit"], lang),
                   fmt_value(r["nation"], r["unit"], lang), f"{r['ratio']:.0f}",
                   fmt_gap(r["gap"], r["unit"], lang)] for r in rows]
    columns = [t("col.indicator", lang), t("col.region", lang), t("col.period", lang),
               t("col.value", lang), t("col.national", lang), t("col.ratio", lang), t("col.gap", lang)]
    focus = v.pick_indicator(indicator, comparable(chosen))
    return [
        c.chart_block(t("bench.ratio", lang), ratio_figure(rows, chosen, lang),
                      graph_id="chart-bench-ratio", lang=lang,
                      table=c.numbers_table(columns, table_rows, lang, id="bench-table")),
        v.trend_section(focus, lang, regions=[v.PROVINCE, v.NATION, *chosen],
                        graph_id="chart-bench-trend"),
    ]


@data.page_part("benchmarks")
def default_comparison(lang: str) -> list:
    """The comparison with the default peers and indicator, what most visits show: kept as sent
    (data.page_part); other peers or indicators are computed by the same function."""
    if not comparable(list(DEFAULT_PEERS)):
        return []  # nothing to compare: the page says so
    return comparison(list(DEFAULT_PEERS), None, lang)


@data.cached_page
def layout(lang: str = "zh", peers: str | None = None, indicator: str | None = None, **_query):
    lang = norm_lang(lang)
    chosen = parse_peers(peers)
    provinces = [r for r in data.regions().values() if r["level"] == "province" and r["code"] != v.PROVINCE]
    codes = comparable(chosen)
    controls = c.controls_row(
        c.url_dropdown("peers", t("ctl.peers", lang),
                       [{"label": v.region_name(r["code"], lang), "value": r["code"]} for r in provinces],
                       chosen, multi=True, lang=lang),
        c.url_dropdown("indicator", t("ctl.indicator", lang), v.indicator_options(codes, lang),
                       v.pick_indicator(indicator, codes), lang=lang) if codes else None,
    )
    if not codes:
        return html.Div([c.page_header(t("bench.title", lang)), controls,
                         dbc.Alert(t("bench.none", lang), color="light")], id="page-benchmarks")
    shown = (default_comparison(lang)
             if chosen == DEFAULT_PEERS and v.pick_indicator(indicator, codes) == codes[0]
             else comparison(chosen, indicator, lang))
    return html.Div([c.page_header(t("bench.title", lang)), controls, *shown], id="page-benchmarks")
