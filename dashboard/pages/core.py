"""核心产业 Core industries: the share of GDP against the 10% line and the nation; value added;
the 13 cities ranked and mapped for the chosen indicator and period."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc

from dashboard import data
from dashboard import views as v
from dashboard.i18n import norm_lang, page_words, t

dash.register_page(__name__, path="/core", order=1, **page_words("nav.core"))

CITY_INDICATORS = ["digital_core_va_share", "digital_core_va", "gdp"]


@data.page_part("core")
def charts(lang: str) -> list:
    """The charts over time (the same whatever the controls): kept as sent (data.page_part)."""
    data.prefetch(["digital_core_va_share", "digital_core_va", *CITY_INDICATORS], data.panel())  # the page's indicators in one query
    return [dbc.Row([
        dbc.Col(v.trend_section("digital_core_va_share", lang, title=t("core.share", lang),
                                graph_id="chart-core-share"), lg=7),
        dbc.Col(v.trend_section("digital_core_va", lang, title=t("core.va", lang),
                                graph_id="chart-core-va", show_nation=False), lg=5),
    ])]


# the body of a URL naming neither indicator nor period (most visits), kept as sent
default = v.default_body("core", charts, CITY_INDICATORS, "core")


@data.cached_page
def layout(lang: str = "zh", indicator: str | None = None, period: str | None = None, **_query):
    lang = norm_lang(lang)
    return v.topic_page("page-core", t("core.title", lang), charts, CITY_INDICATORS,
                        indicator, period, lang, "core", default=default)
