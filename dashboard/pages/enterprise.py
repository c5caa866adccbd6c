"""企业数字化 Enterprise digitalisation: the two rates against 60% and 40% (with the 左右 band),
and by city."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc

from dashboard import data
from dashboard import views as v
from dashboard.i18n import norm_lang, page_words, t

dash.register_page(__name__, path="/enterprise", order=2, **page_words("nav.enterprise"))

RATES = ["large_mfg_digital_rate", "above_scale_digital_rate"]


@data.page_part("enterprise")
def charts(lang: str) -> list:
    """The charts over time (the same whatever the controls): kept as sent (data.page_part)."""
    data.prefetch(RATES, data.panel())  # the page's indicators in one query
    return [dbc.Row([dbc.Col(v.trend_section(code, lang, graph_id=f"chart-{code}"), lg=6)
                     for code in RATES])]


# the body of a URL naming neither indicator nor period (most visits), kept as sent
HEADING = "enterprise.by_city"
default = v.default_body("enterprise", charts, RATES, "enterprise", HEADING)


@data.cached_page
def layout(lang: str = "zh", indicator: str | None = None, period: str | None = None, **_query):
    lang = norm_lang(lang)
    return v.topic_page("page-enterprise", t("enterprise.title", lang), charts, RATES,
                        indicator, period, lang, "enterprise", heading=HEADING, default=default)
