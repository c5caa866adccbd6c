"""政策措施 Measures: the policy's 20 measures in one table (responsible units, awards, enterprises,
amount paid, quota use, implementation status; rule problems for analysts and admins), filtered by
responsible unit, city and year (in the URL: ?unit=gxt&city=230100&year=2024)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import components as c
from dashboard import data
from dashboard import measures_view as mv
from dashboard import views as v
from dashboard.i18n import fmt_period, norm_lang, page_words, pick, t, with_params

dash.register_page(__name__, path="/measures", order=6.5, nav_prefix="/measure",  # /measure?m=N lights it too
                   **page_words("nav.measures"))

ALL = "all"


def measure_href(number: int, lang: str) -> str:
    return dash.get_relative_path("/measure") + with_params("", lang=lang, m=number)


def unit_href(code: str, lang: str) -> str:
    return dash.get_relative_path("/units") + with_params("", lang=lang, unit=code)


def _quota(q: dict | None, lang: str) -> str:
    if not q:
        return ""
    return t("measures.quota_of_year", lang, used=q["used"], quota=q["quota"], year=q["year"])


def _card(label: str, value: str, ident: str, color: str = "") -> dbc.Col:
    return dbc.Col(dbc.Card(dbc.CardBody([
        html.Div(label, className="small text-muted"),
        html.Div(value, className=f"h4 mb-0 {color}", id=ident),
    ])), xs=6, md=True, className="mb-2")


def table(rows: list[dict], lang: str, problems: bool) -> dbc.Table:
    head = ["no", "measure", "units", "awards", "enterprises", "amount", "quota", "status"] + (
        ["problems"] if problems else [])
    right = {"awards", "enterprises", "amount", "problems", "no"}
    header = html.Thead(html.Tr([html.Th(t(f"measures.col.{k}", lang),
                                         className="text-end text-nowrap" if k in right else "text-nowrap") for k in head]))
    body = []
    for r in rows:
        money = r["has_money"]
        cells = [
            html.Td(r["number"], className="text-end"),
            html.Td(html.A(pick(r["title_zh"], r["title_en"], lang), href=measure_href(r["number"], lang),
                           id=f"measure-link-{r['number']}"), style={"minWidth": "14rem"}),
            html.Td(mv.unit_links(r["units"], lang, lambda code: unit_href(code, lang)), className="small"),
            html.Td(f"{r['awards']:,}" if money else "—", className="text-end"),
            html.Td(f"{r['enterprises']:,}" if money else "—", className="text-end"),
            html.Td(mv.wan(r["amount"], lang) if money else "—", className="text-end"),
            html.Td(_quota(r["quota_use"], lang), className="small text-nowrap"),
            html.Td(mv.status_badge(r["status"], lang)),
        ]
        if problems:
            n = r["problems"]
            cells.append(html.Td(dbc.Badge(str(n), color="danger") if n else ("0" if money else "—"),
                                 className="text-end", id=f"measure-problems-{r['number']}"))
        body.append(html.Tr(cells, id=f"measure-row-{r['number']}"))
    return dbc.Table([header, html.Tbody(body)], hover=True, responsive=True, size="sm",
                     className="measures-table align-middle", id="measures-table")


def layout(lang: str = "zh", unit: str | None = None, city: str | None = None, year: str | None = None,
           **_query):
    lang = norm_lang(lang)
    units = mv.units()
    unit = unit if unit in {u["code"] for u in units} else ALL
    cities = data.prefecture_codes()
    city = city if city in cities else ALL
    years = mv.years()
    year = year if year and year.isdigit() and int(year) in years else ALL
    filters = dict(unit=None if unit == ALL else unit, city=None if city == ALL else city,
                   year=None if year == ALL else int(year))
    rows = mv.overview(**filters)
    problems = mv.may_see_problems()
    all_label = t("measures.all", lang)
    money = [r for r in rows if r["has_money"]]
    tasks_behind = sum(r["tasks"].get("behind", 0) for r in rows)
    cards = [
        _card(t("measures.card.awards", lang), f"{sum(r['awards'] for r in money):,}", "measures-total-awards"),
        _card(t("measures.card.enterprises", lang), f"{sum(r['enterprises'] for r in money):,}",
              "measures-total-enterprises"),
        _card(t("measures.card.amount", lang), mv.wan(round(sum(r["amount"] for r in money), 2), lang),
              "measures-total-amount"),
        _card(t("measures.card.behind", lang), str(tasks_behind), "measures-behind",
              "text-danger" if tasks_behind else ""),
    ]
    if problems:
        cards.append(_card(t("measures.card.problems", lang), str(sum(r["problems"] for r in money)),
                           "measures-total-problems", "text-danger"))
    return html.Div([
        c.page_header(t("measures.title", lang), t("measures.lead", lang)),
        c.controls_row(
            c.url_dropdown("unit", t("measures.unit", lang), [{"label": all_label, "value": ALL}] + [
                {"label": pick(u["short_zh"], u["short_en"], lang), "value": u["code"]} for u in units],
                unit, lang=lang),
            c.url_dropdown("city", t("measures.city", lang), [{"label": all_label, "value": ALL}] + [
                {"label": v.region_name(code, lang), "value": code} for code in cities], city, lang=lang),
            c.url_dropdown("year", t("measures.year", lang), [{"label": all_label, "value": ALL}] + [
                {"label": fmt_period(y, lang=lang), "value": str(y)} for y in years], year, lang=lang),
        ),
        dbc.Row(cards, className="g-2 mb-2"),
        table(rows, lang, problems),
        html.P(t("measures.problems_note", lang), className="small text-muted") if not problems else None,
    ], id="page-measures")
