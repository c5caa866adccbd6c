"""Page sections that read data (through dashboard.data) and assemble components.

Several pages show the same kinds of section: an indicator over time for the province against
its target and the nation; the 13 cities ranked and mapped for one period. They live here once.
"""
from __future__ import annotations

from typing import Callable

import dash
from dash import html
import dash_bootstrap_components as dbc

from dashboard import components as c
from dashboard import data
from etl.periods import default_period, well_covered
from etl.ranks import competition_ranks
from etl.wording import progress as words
from dashboard.i18n import (
    fmt_period,
    parse_period_key,
    period_key,
    pick,
    t,
    with_params,
)

PROVINCE = "230000"
NATION = "100000"


def region_name(code: str, lang: str, short: bool = True) -> str:
    region = data.regions().get(code)
    if not region:
        return code
    return pick(region["short_zh"] if short else region["name_zh"], region["name_en"], lang)


def region_options(lang: str, short: bool = True) -> list[dict]:
    """Every region as a dropdown's option ({label: its name, value: its code}), in the catalog's
    order: the catalog read once for all (3,454 regions in a national database), not per region."""
    regions = data.regions()
    key = "short_zh" if short else "name_zh"
    return [{"label": pick(region[key], region["name_en"], lang), "value": code}
            for code, region in regions.items()]


def indicator_name(code: str, lang: str) -> str:
    meta = data.indicators()[code]
    return pick(meta["name_zh"], meta["name_en"], lang)


def indicator_options(codes: list[str], lang: str) -> list[dict]:
    return [{"label": indicator_name(code, lang), "value": code} for code in codes]


def method_href(lang: str) -> str:
    return dash.get_relative_path("/method") + with_params("", lang=lang)


def trend_section(indicator: str, lang: str, *, regions: list[str] | None = None,
                  title: str | None = None, graph_id: str | None = None,
                  show_nation: bool = True, height: int = 320,
                  with_target: bool = True) -> dbc.Card:
    """The province (and the nation) over time, with the province's target and its status.

    with_target=False for a city's chart: the provincial target and status are not the city's."""
    meta = data.indicators()[indicator]
    regions = regions or ([PROVINCE, NATION] if show_nation else [PROVINCE])
    palette = [c.COLORS["province"], c.COLORS["nation"], *c.PEER_COLORS]
    series = []
    for index, code in enumerate(regions):
        points = data.series(indicator, code)
        if points:
            series.append((region_name(code, lang), points, palette[index % len(palette)],
                           "solid" if index == 0 else "dot"))
    status = data.status_for(indicator, PROVINCE) if with_target else None
    target = data.target_for(indicator, PROVINCE) if with_target else None
    title = title or indicator_name(indicator, lang)
    graph_id = graph_id or f"chart-{indicator}"
    if not series:
        return dbc.Card(dbc.CardBody([html.H2(title, className="h6"), c.no_data(lang)]),
                        className="mb-3 chart-card", id=graph_id)
    figure = c.time_series_figure(series, meta, lang, target=target, height=height)
    header_badge = None
    explanation = None
    if status:
        header_badge = c.status_badge(status.status, words.status_label(status.status, lang))
        explanation = c.explanation_box(status, meta["unit"], lang, method_href(lang))
    return c.chart_block(
        title, figure, graph_id=graph_id, lang=lang,
        note=header_badge,
        table=c.numbers_table(c.series_columns(lang), c.series_table_rows(series, meta, lang), lang),
        explanation=explanation,
    )


def city_periods(indicator: str) -> list[tuple[int, int, str]]:
    return data.periods(indicator, level="prefecture")


def resolve_period(indicator: str, period: str | None) -> tuple[int, int, str] | None:
    """The period asked for in the URL, else the default one: the newest period that most cities
    have reported (etl.periods.default_period), not the newest value anywhere."""
    wanted = parse_period_key(period)
    if wanted in city_periods(indicator):
        return wanted
    return default_period(data.period_coverage(indicator), len(data.prefecture_codes()))


def period_options(indicator: str, lang: str) -> list[dict]:
    """Newest first; a period too few cities have reported says so ('2026年前三季度（1/13个市有数据）')."""
    kind = data.indicators()[indicator].get("kind")
    total = len(data.prefecture_codes())
    options = []
    for (y, q, b), count in data.period_coverage(indicator):
        label = fmt_period(y, q, b, lang, kind=kind)
        if not well_covered(count, total):
            label = t("period.partial", lang, period=label, n=count, total=total)
        options.append({"label": label, "value": period_key(y, q, b)})
    return options


def city_values(indicator: str, period: tuple[int, int, str] | None, lang: str) -> list[dict]:
    if period is None:
        return []
    year, quarter, basis = period
    values = data.region_values(indicator, year, quarter, basis, level="prefecture")
    return [{**v, "name": region_name(code, lang)} for code, v in values.items()]


def ranking_section(indicator: str, period: tuple[int, int, str] | None, lang: str, *,
                    graph_id: str, highlight: str | None = None) -> dbc.Card:
    meta = data.indicators()[indicator]
    rows = city_values(indicator, period, lang)
    title = t("core.ranking", lang) + " · " + indicator_name(indicator, lang)
    if period:
        title += " · " + fmt_period(*period, lang=lang, kind=meta.get("kind"))
    if not rows:
        return dbc.Card(dbc.CardBody([html.H2(title, className="h6"), c.no_data(lang)]),
                        className="mb-3 chart-card", id=graph_id)
    province = None
    year, quarter, basis = period
    prov = data.region_values(indicator, year, quarter, basis, regions=[PROVINCE]).get(PROVINCE)
    if prov:
        province = {"value": prov["value"], "name": region_name(PROVINCE, lang)}
    figure = c.ranking_figure(rows, meta, lang, reference=province,
                              target=data.target_for(indicator, PROVINCE), highlight=highlight)
    ranked = sorted(rows, key=lambda r: r["value"], reverse=meta["direction"] != "lower")
    ranks = competition_ranks([r["value"] for r in ranked], meta["direction"])
    table_rows = [[str(rank), *c.hover_rows([r], meta, lang, r["name"])[0]]
                  for rank, r in zip(ranks, ranked)]
    return c.chart_block(title, figure, graph_id=graph_id, lang=lang,
                         note=missing_cities_note(rows, lang),
                         table=c.numbers_table([t("col.rank", lang), *c.series_columns(lang)],
                                               table_rows, lang))


def missing_cities_note(rows: list[dict], lang: str) -> str | None:
    """Cities without a value for the period, named: a ranking of 12 must not pass for all 13."""
    present = {r["region_code"] for r in rows}
    missing = [region_name(code, lang) for code in data.prefecture_codes() if code not in present]
    if not missing:
        return None
    return t("chart.missing_cities", lang, names=t("list.separator", lang).join(missing))


def map_section(indicator: str, period: tuple[int, int, str] | None, lang: str, *,
                graph_id: str) -> dbc.Card:
    meta = data.indicators()[indicator]
    rows = city_values(indicator, period, lang)
    title = t("core.map", lang) + " · " + indicator_name(indicator, lang)
    if period:
        title += " · " + fmt_period(*period, lang=lang, kind=meta.get("kind"))
    values = {r["region_code"]: r for r in rows}
    names = {code: region_name(code, lang) for code in data.prefecture_codes()}
    figure = c.prefecture_map_figure(values, names, meta, lang)
    missing = missing_cities_note(rows, lang) if rows else t("chart.no_map_data", lang)
    note = html.Span([t("chart.map_note", lang)] + ([" · ", missing] if missing else []))
    return c.chart_block(title, figure, graph_id=graph_id, lang=lang, note=note,
                         card_class="map-card",
                         table=c.numbers_table(c.series_columns(lang),
                                               [c.hover_rows([r], meta, lang, r["name"])[0]
                                                for r in sorted(rows, key=lambda r: r["region_code"])],
                                               lang))


def city_controls(indicators: list[str], indicator: str, period: tuple | None, lang: str):
    return c.controls_row(
        c.url_dropdown("indicator", t("ctl.indicator", lang), indicator_options(indicators, lang),
                       indicator, lang=lang),
        c.url_dropdown("period", t("ctl.period", lang), period_options(indicator, lang),
                       period_key(*period) if period else None, lang=lang),
    )


def pick_indicator(requested: str | None, allowed: list[str]) -> str:
    return requested if requested in allowed else allowed[0]


def city_choice(indicator: str | None, period: str | None,
                allowed: list[str]) -> tuple[str, tuple[int, int, str] | None]:
    """The indicator and period a page's city section shows, from the URL's (or the defaults)."""
    indicator = pick_indicator(indicator, allowed)
    return indicator, resolve_period(indicator, period)


def city_section(indicators: list[str], indicator: str, period: tuple[int, int, str] | None,
                 lang: str, slug: str) -> list:
    """The cities of a topic page: the indicator and period controls, then the ranking and the map
    side by side (graph ids chart-{slug}-ranking and chart-{slug}-map)."""
    return [
        city_controls(indicators, indicator, period, lang),
        dbc.Row([
            dbc.Col(ranking_section(indicator, period, lang, graph_id=f"chart-{slug}-ranking"), lg=6),
            dbc.Col(map_section(indicator, period, lang, graph_id=f"chart-{slug}-map"), lg=6),
        ]),
    ]


def topic_cities(indicators: list[str], indicator: str | None, period: str | None, lang: str,
                 slug: str) -> list:
    """A topic page's city section for the indicator and period of the URL (or the defaults)."""
    data.prefetch(indicators, data.panel())  # the city section's indicators in one query
    indicator, chosen = city_choice(indicator, period, indicators)
    return city_section(indicators, indicator, chosen, lang, slug)


def topic_body(charts: Callable[[str], list], indicators: list[str], indicator: str | None,
               period: str | None, lang: str, slug: str, heading: str | None = None) -> list:
    """Below a topic page's title: its charts over time, then its cities ranked and mapped for
    the indicator and period of the URL (under the catalogue's text `heading` when given)."""
    return [*charts(lang), *([html.H2(t(heading, lang), className="h5 mt-2")] if heading else []),
            *topic_cities(indicators, indicator, period, lang, slug)]


def default_body(page: str, charts: Callable[[str], list], indicators: list[str], slug: str,
                 heading: str | None = None) -> Callable[[str], list]:
    """A topic page's body for a URL that names neither indicator nor period (what most visits
    show), as a data.page_part ('<page>-default'): computed by topic_body when the data change and
    kept as sent, so that such a cold render reads it with one query and computes nothing."""
    build = getattr(charts, "uncached", charts)  # built with the other parts: not read back

    def default(lang: str) -> list:
        return topic_body(build, indicators, None, None, lang, slug, heading)
    default.__qualname__ = f"{page}.default_body"
    return data.page_part(f"{page}-default")(default)


def topic_page(page_id: str, title: str, charts: Callable[[str], list], indicators: list[str],
               indicator: str | None, period: str | None, lang: str, slug: str,
               heading: str | None = None,
               default: Callable[[str], list] | None = None) -> html.Div:
    """A topic page: its title, then topic_body: its charts over time (the same whatever the
    controls: kept as sent, data.page_part) and its cities for the URL's indicator and period.
    `default` (made by default_body): the whole body of a URL naming neither, kept as sent."""
    if default is not None and indicator is None and period is None:
        body = default(lang)
    else:
        body = topic_body(charts, indicators, indicator, period, lang, slug, heading)
    return html.Div([c.page_header(title), *body], id=page_id)
