"""责任单位 A responsible unit (/units?unit=gxt): what it owns (the measures it leads or shares, with
their awards and status) and where it stands (its own tasks with status and evidence)."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import components as c
from dashboard import measures_view as mv
from dashboard.i18n import norm_lang, page_words, pick, t, with_params

dash.register_page(__name__, path="/units", nav=False, nav_prefix="/units", **page_words("nav.measures"))

def layout(lang: str = "zh", unit: str | None = None, **_query):
    lang = norm_lang(lang)
    units = mv.units()
    codes = [u["code"] for u in units]
    unit = unit if unit in codes else codes[0]
    view = mv.unit(unit)
    u = view["unit"]
    name = pick(u["short_zh"], u["short_en"], lang)
    measure_href = lambda n: dash.get_relative_path("/measure") + with_params("", lang=lang, m=n)  # noqa: E731
    problems = mv.may_see_problems()
    head = ["no", "measure", "role", "awards", "enterprises", "amount", "status"] + (["problems"] if problems else [])
    rows = []
    for r in view["measures"]:
        money = r["has_money"]
        rows.append(html.Tr([
            html.Td(r["number"]),
            html.Td(html.A(pick(r["title_zh"], r["title_en"], lang), href=measure_href(r["number"]))),
            html.Td(t("unit.lead" if r["role"] == "lead" else "unit.co", lang)),
            html.Td(f"{r['awards']:,}" if money else "—", className="text-end"),
            html.Td(f"{r['enterprises']:,}" if money else "—", className="text-end"),
            html.Td(mv.wan(r["amount"], lang) if money else "—", className="text-end"),
            html.Td(mv.status_badge(r["status"], lang)),
        ] + ([html.Td(r["problems"] if money else "—", className="text-end")] if problems else [])))
    label = {"role": "unit.role", "status": "unit.status"}  # the status of this unit's own tasks
    measures = dbc.Table([html.Thead(html.Tr([html.Th(t(label.get(k, f"measures.col.{k}"), lang)) for k in head])),
                          html.Tbody(rows)], size="sm", hover=True, responsive=True, id="unit-measures")
    task_rows = [html.Tr([
        html.Td(x["code"]), html.Td(html.A(str(x["measure"]), href=measure_href(x["measure"]))),
        html.Td(pick(x["title_zh"], x["title_en"], lang)), html.Td(mv.status_badge(x["status"], lang)),
        html.Td(x["evidence"], className="small"),
        html.Td(f"{x['updated_at']:%Y-%m-%d}" if x["updated_at"] else "", className="small text-muted"),
    ]) for x in view["tasks"]]
    tasks = dbc.Table([html.Thead(html.Tr([html.Th(t(f"tasks.col.{k}", lang)) for k in
                                           ("code", "measure", "task", "status", "evidence", "updated")])),
                       html.Tbody(task_rows)], size="sm", responsive=True, id="unit-tasks")
    counts = view["task_counts"]
    summary = html.Div([html.Span([mv.status_badge(s, lang), f" {counts.get(s, 0)}  "], className="me-2")
                        for s in ("done", "in_progress", "behind", "not_started")], className="mb-2", id="unit-counts")
    return html.Div([
        html.A(t("measure.back", lang), href=dash.get_relative_path("/measures") + with_params("", lang=lang),
               className="small"),
        c.page_header(t("unit.title", lang, unit=name), pick(u["name_zh"], u["name_en"], lang)),
        c.controls_row(c.url_dropdown("unit", t("unit.pick", lang), [
            {"label": pick(x["short_zh"], x["short_en"], lang), "value": x["code"]} for x in units],
            unit, lang=lang)),
        html.H2(t("unit.measures", lang), className="h6"), measures,
        html.H2(t("unit.tasks", lang), className="h6 mt-3"), summary, tasks,
    ], id="page-units")
