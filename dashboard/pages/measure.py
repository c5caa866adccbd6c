"""One measure (/measure?m=12): its text, responsible units, rules in words, its awards (grid with
export; rule problems for analysts and admins), charts by year and by city, its outcome indicators
(m.15: the 5G targets) and its tasks, which analysts update here (audit-logged)."""
from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import Input, Output, State, dcc, html

from dashboard import auth
from dashboard import components as c
from dashboard import data
from dashboard import measures_view as mv
from dashboard import views as v
from dashboard.callbacks import export_callback, page_callback
from dashboard.i18n import fmt_period, norm_lang, page_words, parse_query, pick, t, with_params
from etl.measures import tasks as task_service
from etl.measures.records import MONEY_UNIT
from etl.wording.numbers import unit_word

try:  # the accounts slice moves the audit log to dashboard/accounts
    from dashboard.accounts import audit
except ImportError:  # pragma: no cover
    from dashboard import audit

dash.register_page(__name__, path="/measure", nav=False, nav_prefix="/measure", **page_words("nav.measures"))

AWARD_COLUMNS = [("rule", "awards.col.rule"), ("enterprise", "awards.col.enterprise"),
                 ("uscc", "awards.col.uscc"), ("place", "awards.col.place"), ("project", "awards.col.project"),
                 ("year", "awards.col.year"), ("approved_on", "awards.col.approved"), ("doc_no", "awards.col.doc"),
                 ("basis", "awards.col.basis"), ("amount", "awards.col.amount"),
                 ("granting_unit", "awards.col.unit"), ("source", "awards.col.source")]
PROBLEM_COLUMN = ("problems", "awards.col.problems")
MONEY_META = {"unit": MONEY_UNIT, "unit_en": unit_word(MONEY_UNIT, "en"), "source_zh": "",
              "source_en": ""}


def _number(m) -> int | None:
    try:
        return int(m)
    except (TypeError, ValueError):
        return None


def register_grid_rows(d: dict, lang: str, problems: bool) -> list[dict]:
    """This measure's awards in the register (mv.detail), as rows of the awards grid and of its
    export: one row per current award, with its source and, for editors, its rule problems."""
    out = []
    for a in d["awards"]:
        row = {k: a.get(k) for k, _ in AWARD_COLUMNS}
        row["key"] = a["key"]  # not a column: the export finds the award on the server by it
        row["rule"] = a["rule"]
        row["source"] = f"#{a['batch_id']} {a['file_name']} · {a['sheet']} {a['row']}"
        if problems:
            row["problems"] = t("list.semicolons", lang).join(pick(p["message_zh"], p["message_en"], lang)
                                                              for p in a["problems"])
        out.append(row)
    return out


def award_columns(lang: str, problems: bool) -> list[dict]:
    cols = []
    for field, key in AWARD_COLUMNS + ([PROBLEM_COLUMN] if problems else []):
        col = {"field": field, "headerName": t(key, lang), "filter": "agTextColumnFilter"}
        if field in ("amount", "basis", "year"):
            col.update(filter="agNumberColumnFilter", type="rightAligned")
        if field == "amount":
            col["valueFormatter"] = {"function": "d3.format(',.2~f')(params.value)"}
        if field in ("enterprise", "project", "problems", "source"):
            col["minWidth"] = 220
        if field == "problems":
            col["cellClass"] = "text-danger"
            col["wrapText"] = True
            col["autoHeight"] = True
        cols.append(col)
    return cols


def year_figure(d: dict, lang: str) -> go.Figure:
    years = list(d["by_year"])
    fig = go.Figure(go.Bar(
        x=[str(y) for y in years], y=[d["by_year"][y]["amount"] for y in years],
        customdata=[[d["by_year"][y]["awards"]] for y in years], marker_color="#1f5fa8",
        hovertemplate=t("measure.hover_year", lang)))
    layout = c.base_layout(lang, height=300, unit_text=unit_word(MONEY_UNIT, lang), legend=False)
    layout["xaxis"] = dict(type="category")
    fig.update_layout(**layout)
    return fig


def city_figure(d: dict, lang: str, year: int | None) -> go.Figure:
    shown = year or max(d["by_year"], default=2025)
    values = {code: {"value": item["amount"], "year": shown, "quarter": 0, "basis": "annual",
                     "source": t("measure.awards_n", lang, n=item["awards"])}
              for code, item in d["by_city"].items()}
    names = {code: v.region_name(code, lang) for code in data.prefecture_codes()}
    return c.prefecture_map_figure(values, names, MONEY_META, lang, height=380)


def tasks_table(d: dict, lang: str) -> dbc.Table:
    head = ["code", "unit", "task", "status", "evidence", "updated"]
    rows = []
    for task in d["tasks"]:
        updated = ""
        if task["updated_at"]:
            updated = f"{task['updated_at']:%Y-%m-%d} {task['updated_by']}"
        rows.append(html.Tr([
            html.Td(task["code"]), html.Td(pick(task["unit_zh"], task["unit_en"], lang)),
            html.Td(pick(task["title_zh"], task["title_en"], lang)),
            html.Td(mv.status_badge(task["status"], lang)), html.Td(task["evidence"], className="small"),
            html.Td(updated, className="small text-muted"),
        ], id=f"task-row-{task['code'].replace('.', '-')}"))
    return dbc.Table([html.Thead(html.Tr([html.Th(t(f"tasks.col.{k}", lang)) for k in head])),
                      html.Tbody(rows)], size="sm", responsive=True, className="align-middle", id="measure-tasks-table")


def update_form(d: dict, lang: str) -> dbc.Card:
    return dbc.Card(dbc.CardBody([
        html.H3(t("measure.update", lang), className="h6"),
        dbc.Row([
            dbc.Col([dbc.Label(t("measure.update_task", lang), className="small mb-0"),
                     dcc.Dropdown(id="task-pick", clearable=False, value=d["tasks"][0]["id"] if d["tasks"] else None,
                                  options=[{"label": f"{x['code']} {pick(x['title_zh'], x['title_en'], lang)}",
                                            "value": x["id"]} for x in d["tasks"]])], md=5),
            dbc.Col([dbc.Label(t("measure.update_status", lang), className="small mb-0"),
                     dbc.Select(id="task-status", value="in_progress", options=[
                         {"label": t(f"status.{s}", lang), "value": s} for s in task_service.STATUS_WORDS])], md=2),
            dbc.Col([dbc.Label(t("measure.update_evidence", lang), className="small mb-0"),
                     dbc.Input(id="task-evidence", maxLength=300)], md=3),
            dbc.Col(dbc.Button(t("measure.update_save", lang), id="task-save", color="primary", className="mt-3"), md=2),
        ], className="g-2"),
        html.Div(id="task-message", className="small mt-2"),
        html.P(t("measure.upload_hint", lang), className="small text-muted mb-0 mt-1"),
    ]), className="mb-3")


def layout(lang: str = "zh", m: str | None = None, year: str | None = None, **_query):
    lang = norm_lang(lang)
    number = _number(m) or 1
    years = mv.years()
    year_n = int(year) if year and year.isdigit() and int(year) in years else None
    d = mv.detail(number, year=year_n)
    back = html.A(t("measure.back", lang), href=dash.get_relative_path("/measures") + with_params("", lang=lang),
                  className="small")
    if d is None:
        return html.Div([back, dbc.Alert(t("measure.unknown", lang), color="warning")], id="page-measure")
    problems = mv.may_see_problems()
    title = t("measure.title", lang, n=d["number"], title=pick(d["title_zh"], d["title_en"], lang))
    section = " · ".join(x for x in ((d["chapter_zh"], d["section_zh"]) if lang == "zh"
                                     else (d["chapter_en"], d["section_en"])) if x)
    header = html.Div([back, c.page_header(title, html.Span([section, " ", mv.status_badge(d["status"], lang, id="measure-status")]
                                                             + ([mv.demo_badge(lang)] if d["demo"] else [])))])
    unit_href = lambda code: dash.get_relative_path("/units") + with_params("", lang=lang, unit=code)  # noqa: E731
    text = dbc.Card(dbc.CardBody([
        html.H2(t("measure.text", lang), className="h6"),
        html.Blockquote(d["text_zh"], className="policy-text mb-2", lang="zh"),
        html.P(t("measure.text_en", lang, title=d["title_en"]), className="small text-muted") if lang == "en" else None,
        html.Div([html.Strong(t("measures.col.units", lang) + t("measure.colon", lang)),
                  *mv.unit_links(d["units"], lang, unit_href)],
                 className="small"),
    ]), className="mb-3")
    rules = dbc.Card(dbc.CardBody([
        html.H2(t("measure.rules", lang), className="h6"),
        html.Ul([html.Li([html.Code(r["code"]), " ", pick(r["name_zh"], r["name_en"], lang), t("measure.colon", lang),
                          pick(r["words_zh"], r["words_en"], lang)]) for r in d["rules"]], id="measure-rules")
        if d["rules"] else html.P(t("measures.no_money", lang)),
        html.P([t("measure.quota", lang) + t("measure.colon", lang)] + [
            html.Span(t("measure.quota_year", lang, year=y, used=q["used"], quota=q["quota"]),
                      className="me-2" + (" text-danger fw-bold" if q["used"] > q["quota"] else ""))
            for y, q in d["quota_use"].items()], className="small mb-1", id="measure-quota") if d["quota_use"] else None,
        html.P(t("measure.validity", lang, start=d["valid_from"], end=d["valid_until"]), className="small mb-1"),
        html.P([html.Strong(t("measure.closing", lang) + t("measure.colon", lang)),
                pick(d["closing_zh"], d["closing_en"], lang)],
               className="small text-muted mb-0"),
    ]), className="mb-3")
    parts = [header, dbc.Row([dbc.Col(text, lg=7), dbc.Col(rules, lg=5)])]
    if d["rules"]:
        year_options = [{"label": t("measures.all", lang), "value": "all"}] + [
            {"label": fmt_period(y, lang=lang), "value": str(y)} for y in years]
        parts.append(c.controls_row(c.url_dropdown("year", t("measures.year", lang), year_options,
                                                   str(year_n) if year_n else "all", lang=lang)))
        parts.append(dbc.Row([
            dbc.Col(c.chart_block(t("measure.by_year", lang), year_figure(d, lang), graph_id="chart-measure-years",
                                  lang=lang), lg=6),
            dbc.Col(c.chart_block(t("measure.by_city", lang) + (f" · {year_n}" if year_n else ""),
                                  city_figure(d, lang, year_n), graph_id="chart-measure-map", lang=lang), lg=6),
        ]))
        rows = register_grid_rows(d, lang, problems)
        parts.append(dbc.Card(dbc.CardBody([
            html.H2([t("measure.awards", lang), html.Span(t("measure.count", lang, n=len(rows)),
                                                          id="measure-award-count")], className="h6"),
            html.Div([
                dbc.Button(t("measure.export_csv", lang), id="awards-export-csv", size="sm", color="primary", className="me-2 mb-2"),
                dbc.Button(t("measure.export_xlsx", lang), id="awards-export-xlsx", size="sm", color="primary",
                           outline=True, className="me-2 mb-2"),
                dcc.Download(id="awards-download"),
                html.Span(t("measures.problems_note", lang), className="small text-muted") if not problems else None,
            ]),
            dag.AgGrid(id="awards-grid", className=c.grid_class(lang), rowData=rows,
                       columnDefs=award_columns(lang, problems),
                       defaultColDef={"sortable": True, "resizable": True, "floatingFilter": True, "minWidth": 100},
                       getRowId="params.data.key",
                       dashGridOptions={"pagination": True, "paginationPageSize": 25,
                                        "localeText": c.grid_locale(lang)},
                       style={"height": "520px", "width": "100%"}),
        ]), className="mb-3"))
    shown = [code for code in d["indicators"] if code in data.indicators()]
    if shown:  # the outcome indicators the catalog tracks for this measure (m.15: the 5G targets)
        parts.append(html.H2(t("measure.indicators", lang), className="h6 mt-2"))
        parts.append(dbc.Row([dbc.Col(v.trend_section(code, lang, show_nation=False, height=260,
                                                      graph_id=f"chart-measure-{code}"), md=6, xl=4)
                              for code in shown], id="measure-indicators"))
    parts.append(html.H2(t("measure.tasks", lang), className="h6 mt-2"))
    if problems:
        parts.append(update_form(d, lang))
    parts.append(html.Div(tasks_table(d, lang), id="measure-tasks"))
    return html.Div(parts, id="page-measure")


@export_callback("awards-download", "awards-export-csv", "awards-export-xlsx",
                 State("awards-grid", "virtualRowData"), State("url", "search"))
def export_awards(fmt, rows, search):
    """The awards the grid shows after filters and sort, as a file (rule problems for editors only).

    The browser sends only which awards it shows and in which order (their keys); every value of the
    file is read again on the server from the register of this measure, so a file named after the
    system never carries what a browser made up, and problems stay with the roles that may see them.
    """
    query = parse_query(search)
    lang = norm_lang(query.get("lang"))
    number = _number(query.get("m")) or 1
    d = mv.detail(number)
    if d is None:
        raise dash.exceptions.PreventUpdate
    problems = mv.may_see_problems()
    shown = c.grid_shown(register_grid_rows(d, lang, problems), rows)
    columns = AWARD_COLUMNS + ([PROBLEM_COLUMN] if problems else [])
    return dcc.send_bytes(data.export_table(*c.export_cells(columns, shown, lang), fmt),
                          f"measure-{number}-awards.{fmt}")


@page_callback(
    Output("task-message", "children"),
    Output("measure-tasks", "children"),
    Input("task-save", "n_clicks"),
    State("task-pick", "value"),
    State("task-status", "value"),
    State("task-evidence", "value"),
    State("url", "search"),
    prevent_initial_call=True,
)
def save_task(n_clicks, task_id, status, evidence, search):
    user = auth.require_role(*auth.DATA_EDITORS)  # checked on the server, whatever the page showed
    query = parse_query(search)
    lang = norm_lang(query.get("lang"))

    def record(session, task, previous):
        audit.record(session, "task-status", username=user.username, target=task.code,
                     details={"status": status, "previous": previous, "evidence": evidence or ""})

    task = task_service.set_status(mv.engine(), int(task_id), status=status, evidence=evidence or "",
                                   by=user.username, also=record)
    d = mv.detail(_number(query.get("m")) or 1)
    message = dbc.Alert(t("measure.updated", lang, code=task.code, status=t(f"status.{status}", lang)),
                        color="success", className="py-1 mb-0", id="task-saved")
    return message, tasks_table(d, lang)
