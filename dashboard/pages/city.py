"""市（地） City profile: one city's indicators and its rank among the 13, at /city/<code>."""
from __future__ import annotations

import dash
import orjson
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import components as c
from dashboard import data
from dashboard import views as v
from dashboard.figures import element
from dashboard.i18n import fmt_value, norm_lang, page_words, pick, t, with_params
from etl.periods import well_covered
from etl.wording.catalogue import LANGS

DEFAULT_CITY = "230100"

dash.register_page(__name__, path_template="/city/<code>", path=f"/city/{DEFAULT_CITY}", order=5,
                   nav_prefix="/city", redirect_from=["/city"], **page_words("nav.city"))

def city_rows(code: str, lang: str) -> list[dict]:
    """Per indicator with city data: the city's newest value, its rank among the 13 in that
    period, and the province's value for the same period (city_cards), named in `lang`."""
    indicators = data.indicators()
    return [{**row, "indicator": pick(indicators[row["indicator_code"]]["name_zh"],
                                      indicators[row["indicator_code"]]["name_en"], lang)}
            for row in city_cards(code)]


@data.summarised("city", keys=lambda: data.prefecture_codes())
def city_cards(code: str) -> list[dict]:
    """city_rows without the names: computed for the 13 cities once per data change (the
    summary), as it needs every indicator's values for every city."""
    rows = []
    data.prefetch(list(data.indicators()), data.panel())  # every indicator in one query
    for indicator, meta in data.indicators().items():
        coverage, total = data.period_coverage(indicator), len(data.prefecture_codes())
        # newest first, the periods most cities have reported before the partial ones: a rank
        # among the 13 needs the 13 (a 2026 quarter only this city has reported is no 第1/1名)
        periods = ([p for p, n in coverage if well_covered(n, total)]
                   + [p for p, n in coverage if not well_covered(n, total)])
        for period in periods:  # the newest such period where this city has a value
            values = data.region_values(indicator, *period, level="prefecture")
            if code in values:
                break
        else:
            continue
        year, quarter, basis = period
        province = data.region_values(indicator, year, quarter, basis, regions=[v.PROVINCE]).get(v.PROVINCE)
        rows.append({
            "indicator_code": indicator,
            "unit": meta["unit"], "value": values[code]["value"], "period": period,
            # the store's rank (etl/ranks.py: ties share a rank), as in the ranking table
            "rank": values[code]["rank"], "of": len(values),
            "province": province["value"] if province else None,
            "point": values[code],
        })
    return rows


def indicator_card(r: dict, lang: str) -> dict:
    """One indicator's card: the city's value, period, rank among the 13 and the province's value.
    Written as the JSON Dash sends (figures.element), not as component objects: a national
    catalog gives a city 200 cards, and their objects were most of a cold render."""
    bootstrap = "dash_bootstrap_components"
    return element("Col", element("Card", element("CardBody", [
        element("Div", r["indicator"], className="small text-muted"),
        element("Div", fmt_value(r["value"], r["unit"], lang), className="fs-5 fw-bold"),
        element("Div", c.period_words(*r["period"], lang, data.indicators()[r["indicator_code"]].get("kind"))[0],
                className="small text-muted"),
        element("Badge", t("city.rank", lang, rank=r["rank"], n=r["of"]), bootstrap,
                color="primary" if r["rank"] <= 3 else "secondary", className="me-1"),
        element("Span", f"{t('city.province_value', lang)} {fmt_value(r['province'], r['unit'], lang)}",
                className="small text-muted") if r["province"] is not None else None,
    ], bootstrap), bootstrap, id=f"city-{r['indicator_code']}", className="h-100 city-indicator"),
        bootstrap, xs=12, sm=6, lg=4, className="mb-2")


def city_picker(code: str, lang: str) -> html.Div:
    search = with_params("", lang=lang)
    return html.Div([
        html.Span(t("city.pick_label", lang, pick=t("city.pick", lang)), className="small text-muted me-1"),
        *[dcc.Link(v.region_name(c_, lang), href=dash.get_relative_path(f"/city/{c_}") + search,
                   className="btn btn-sm me-1 mb-1 " + (
                       "btn-primary" if c_ == code else "btn-outline-primary"),
                   id=f"city-link-{c_}")
          for c_ in data.prefecture_codes()],
    ], className="mb-3 city-picker")


@data.cached_page
def layout(code: str = DEFAULT_CITY, lang: str = "zh", indicator: str | None = None, **_query):
    lang = norm_lang(lang)
    if code not in data.prefecture_codes():
        code = DEFAULT_CITY
    if indicator is None:  # what most visits show: kept as sent
        return orjson.loads(default_page(f"{code}|{lang}"))
    return city_page(code, lang, indicator)


def _page_keys() -> list[str]:
    return [f"{code}|{lang}" for code in data.prefecture_codes() for lang in LANGS]


@data.summarised("city-page", keys=_page_keys)
def default_page(key: str) -> bytes:
    """A city's page for a URL that names no indicator ('230100|en'), as the JSON that is sent:
    built for the 13 cities and both languages when the data change (the summary, after the
    cards it shows), so that such a cold render reads one row and computes nothing; a URL naming
    an indicator is computed by the same function (city_page)."""
    code, lang = key.split("|")
    return data.to_json(city_page(code, lang, None))


def city_page(code: str, lang: str, indicator: str | None) -> html.Div:
    rows = city_rows(code, lang)
    name = v.region_name(code, lang, short=False)
    cards = [indicator_card(r, lang) for r in rows]
    codes = [r["indicator_code"] for r in rows]
    body = [c.no_data(lang)]
    if rows:
        preferred = [code for code in ("digital_core_va_share", *codes) if code in codes]
        focus = indicator if indicator in codes else preferred[0]
        # a city next to the province's total says nothing; next to its share or rate it does
        compare = [code, v.PROVINCE] if data.indicators()[focus]["measure"] == "ratio" else [code]
        body = [
            dbc.Row(cards, className="g-2 mb-1"),
            # the cards' numbers as one table, right under them
            c.numbers_table(
                [t("col.indicator", lang), t("col.period", lang), t("col.value", lang),
                 t("col.rank", lang), t("city.province_value", lang)],
                [[r["indicator"], c.period_words(*r["period"], lang, data.indicators()[r["indicator_code"]].get("kind"))[0],
                  fmt_value(r["value"], r["unit"], lang), f"{r['rank']}/{r['of']}",
                  fmt_value(r["province"], r["unit"], lang)] for r in rows], lang, id="city-table"),
            html.Div(className="mb-3"),
            c.controls_row(c.url_dropdown("indicator", t("ctl.indicator", lang),
                                          v.indicator_options(codes, lang), focus, lang=lang)),
            dbc.Row([
                dbc.Col(v.trend_section(focus, lang, regions=compare, with_target=False,
                                        graph_id="chart-city-trend"), lg=6),
                dbc.Col(v.ranking_section(focus, v.resolve_period(focus, None), lang,
                                          graph_id="chart-city-ranking", highlight=code), lg=6),
            ]),
        ]
    return html.Div([
        c.page_header(f"{t('city.title', lang)} · {name}"),
        city_picker(code, lang),
        *body,
    ], id="page-city")
