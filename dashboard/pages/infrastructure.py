"""5G与新型基础设施 Infrastructure: base stations and stations per 10,000 people against the
nation; coverage of cities, counties and key parks against 100%; gigabit and IPv6 shares against
the ICT plan's targets."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import data
from dashboard import views as v
from dashboard.i18n import fmt_target, norm_lang, page_words, t

dash.register_page(__name__, path="/infrastructure", order=3, **page_words("nav.infrastructure"))

COVERAGE = ["fiveg_city_coverage", "fiveg_county_coverage", "fiveg_park_coverage",
            "fiveg_village_coverage"]
ICT = ["gigabit_port_share", "ipv6_traffic_share"]
CITY_INDICATORS = ["fiveg_base_stations", "fiveg_per_10k"]


def titled_with_target(code: str, lang: str) -> str:
    """'5G网络通达的行政村比例（目标 ≥75%）': a heading over charts whose targets differ cannot
    name one target for all of them."""
    name = v.indicator_name(code, lang)
    target = data.target_for(code, v.PROVINCE)
    if not target or target.get("value") is None:
        return name
    unit = data.indicators()[code]["unit"]
    return t("infra.with_target", lang, name=name, target=t("chart.target_line", lang, value=fmt_target(
        target.get("kind"), target["value"], unit, lang)))


@data.page_part("infrastructure")
def charts(lang: str) -> list:
    """The charts over time (the same whatever the controls): kept as sent (data.page_part)."""
    data.prefetch([*CITY_INDICATORS, *COVERAGE, *ICT], data.panel())  # the page's indicators in one query
    return [
        dbc.Row([
            dbc.Col(v.trend_section("fiveg_base_stations", lang, title=t("infra.stations", lang),
                                    graph_id="chart-fiveg-stations", show_nation=False), lg=6),
            dbc.Col(v.trend_section("fiveg_per_10k", lang, title=t("infra.per10k", lang),
                                    graph_id="chart-fiveg-per10k"), lg=6),
        ]),
        html.H2(t("infra.coverage", lang), className="h5 mt-2"),
        dbc.Row([dbc.Col(v.trend_section(code, lang, show_nation=False, height=260,
                                         title=titled_with_target(code, lang),
                                         graph_id=f"chart-{code}"), md=6, xl=3)
                 for code in COVERAGE]),
        html.H2(t("infra.ict", lang), className="h5 mt-2"),
        dbc.Row([dbc.Col(v.trend_section(code, lang, show_nation=False, graph_id=f"chart-{code}"),
                         lg=6) for code in ICT]),
    ]


# the body of a URL naming neither indicator nor period (most visits), kept as sent
default = v.default_body("infrastructure", charts, CITY_INDICATORS, "infra")


@data.cached_page
def layout(lang: str = "zh", indicator: str | None = None, period: str | None = None, **_query):
    lang = norm_lang(lang)
    return v.topic_page("page-infrastructure", t("infra.title", lang), charts,
                        CITY_INDICATORS, indicator, period, lang, "infra", default=default)
