"""数据批次 History: every loaded file (who, when, counts, status), its values and report; admins
roll a batch back with a reason; every version of any value.

Addressable: /history?batch=12 opens a batch; /history?indicator=gdp&region=230100&year=2025
&quarter=3&basis=ytd shows that value's versions (the data grid can link here).
"""
from __future__ import annotations

import secrets

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboard import auth, jobs, uploads
from dashboard import components as c
from dashboard.callbacks import page_callback
from dashboard.i18n import has, norm_lang, page_words, pick, t
from dashboard.problems_view import problems_table
from etl.periods import format_period
from etl.store import pending
from etl.measures import queries as measure_queries
from etl.measures.store import AWARDS_KIND
from etl.store import queries
from etl import config
from etl.wording.times import fmt_time

dash.register_page(__name__, path="/history", order=81, roles=auth.LOGGED_IN, **page_words("nav.history"))

auth.protect("history-", *auth.LOGGED_IN)
auth.protect("history-rollback", *auth.ADMINS)

JOBS = jobs.job_manager(config.settings())  # the upload page's queue: the summaries after a rollback


def _time(value) -> str:
    return fmt_time(value)  # Beijing time; the column headers say so


def batch_rows(lang: str) -> list[dict]:
    rows = []
    for b in queries.batch_list(auth.engine(), limit=2000):
        rows.append({"id": b["id"], "row_id": str(b["id"]),  # ag-grid wants string row ids
                     "file_name": b["file_name"], "loaded_by": b["loaded_by"],
                     "loaded_at": _time(b["loaded_at"]), "status": t(key, lang)
                     if has(key := f"history.{b['status']}") else b["status"], "values_new": b["values_new"],
                     "values_revised": b["values_revised"],
                     "values_unchanged": b["values_unchanged"],
                     "values_skipped": b["values_skipped"], "is_demo": "✓" if b["is_demo"] else ""})
    return rows


def batch_grid(lang: str, selected: int | None) -> dag.AgGrid:
    fields = [("id", "id", 90), ("file_name", "file", 260), ("loaded_by", "by", 120),
              ("loaded_at", "at", 150), ("status", "status", 110), ("values_new", "new", 90),
              ("values_revised", "revised", 90), ("values_unchanged", "unchanged", 90),
              ("values_skipped", "skipped", 90), ("is_demo", "demo", 80)]
    rows = batch_rows(lang)
    chosen = [r for r in rows if r["id"] == selected]
    return dag.AgGrid(
        id="history-batches", rowData=rows, className=c.grid_class(lang),
        columnDefs=[{"field": f, "headerName": t(f"history.{k}", lang), "minWidth": w, "filter": True,
                     "sortable": True} for f, k, w in fields],
        dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False,
                                          "enableClickSelection": True},
                         "pagination": True, "paginationPageSize": 20, "domLayout": "autoHeight",
                         "localeText": c.grid_locale(lang)},
        getRowId="params.data.row_id", selectedRows=chosen,
        # as tall as its page of rows: a fixed 420 px showed 8 of 20 rows above empty space
        columnSize="responsiveSizeToFit", style={"width": "100%"})


def layout(lang: str | None = None, batch: str | None = None, indicator: str | None = None,
           region: str | None = None, year: str | None = None, quarter: str | None = None,
           basis: str | None = None, **_query):
    lang = norm_lang(lang)
    selected = int(batch) if batch and batch.isdigit() else None
    versions = None
    if indicator and region and year and (year or "").isdigit():
        versions = versions_block(indicator, region, int(year), int(quarter or 0),
                                  basis or "annual", lang)
    return html.Div([
        html.H1(t("history.title", lang), className="h3 mb-1"),
        html.P(t("history.lead", lang), className="text-muted"),
        dcc.Store(id="history-lang", data=lang),
        html.Div(versions, id="history-versions-top"),
        batch_grid(lang, selected),
        html.Div(batch_detail(selected, lang) if selected else None, id="history-detail",
                 className="mt-3"),
        # the rollback form once a batch is selected (show_batch), for admins only
        html.Div(rollback_form(lang) if auth.current_role() == "admin" else None,
                 id="history-admin-box", style=_shown(selected is not None)),
    ])


def _shown(shown: bool) -> dict:
    return {} if shown else {"display": "none"}


def rollback_form(lang: str) -> dbc.Card:
    return dbc.Card(dbc.CardBody([
        html.H2(t("history.rollback", lang), className="h6"),
        dbc.Textarea(id="history-rollback-reason", placeholder=t("history.reason", lang), maxLength=500,
                     className="mb-2"),
        dbc.Button(t("history.rollback", lang), id="history-rollback-btn", color="danger", n_clicks=0),
        html.Div(id="history-rollback-result", className="mt-2"),
        # after a rollback: the pages' summaries built again in a job (refresh_figures)
        dcc.Store(id="history-rollback-changed"),
        html.Div([dbc.Spinner(size="sm", spinner_class_name="me-2"), t("history.figures_running", lang),
                  html.Span(id="history-rollback-figures-queue", className="ms-2")],
                 id="history-rollback-figures-running", className="small text-muted mt-2",
                 style=_shown(False)),
        html.Div(id="history-rollback-figures", className="mt-2"),
    ]), className="mt-3 border-danger", id="history-rollback-card")


def batch_detail(batch_id: int, lang: str):
    engine = auth.engine()
    detail = queries.batch_detail(engine, batch_id)
    if detail is None:
        return None
    report = detail.get("report") or {}
    problems = (report.get("problems") or []) + (report.get("skipped") or [])
    awards = report.get("kind") == AWARDS_KIND  # an award list: its rows are awards, not values
    value_rows = batch_award_rows(engine, batch_id) if awards else batch_value_rows(engine, batch_id, lang)
    rolled = None
    if detail["status"] == "rolled_back":
        rolled = dbc.Alert(t("history.rolled", lang, at=_time(detail["rolled_back_at"]),
                              by=detail["rolled_back_by"] or "", reason=detail["rollback_reason"] or ""),
                           color="warning", id="history-rolled-note")
    columns = AWARD_COLUMNS if awards else VALUE_COLUMNS
    return html.Div([
        html.H2(f"#{batch_id} {detail['file_name']}", className="h5"),
        html.P(f"{detail['loaded_by']} · {_time(detail['loaded_at'])} · sha256 {detail['sha256'][:16]}…",
               className="small text-muted"),
        rolled,
        html.H3(t("history.awards" if awards else "history.values", lang), className="h6"),
        dag.AgGrid(id="history-values", rowData=value_rows, getRowId="params.data.key",
                   className=c.grid_class(lang),
                   columnDefs=[{"field": f, "headerName": t(k, lang) if k else "",
                                "filter": True, "sortable": True} for f, k in columns],
                   dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False,
                                                     "enableClickSelection": True},
                                    "pagination": True, "paginationPageSize": 20,
                                    "domLayout": "autoHeight", "localeText": c.grid_locale(lang)},
                   columnSize="responsiveSizeToFit", style={"width": "100%"}),
        html.Div(id="history-versions", className="mt-2"),
        html.H3(t("history.report", lang), className="h6 mt-3"),
        problems_table(problems, lang, "history-problems") if problems
        else html.P(t("history.none", lang), className="small"),
        html.Details([html.Summary(t("history.notes", lang)),
                      html.Ul([html.Li(line) for line in detail["notes"] + detail["source_lines"]])])
        if detail["notes"] or detail["source_lines"] else None,
    ])


VALUE_COLUMNS = [("indicator", "history.indicator"), ("region", "history.region"), ("period", "history.period"),
                 ("value", "history.value"), ("unit", None), ("version", "history.version"),
                 ("current", "history.current"), ("cell", "history.cell"), ("raw", "history.raw"),
                 ("notes", "col.notes")]
AWARD_COLUMNS = [("measure", "history.measure"), ("rule", "awards.col.rule"), ("enterprise", "awards.col.enterprise"),
                 ("uscc", "awards.col.uscc"), ("place", "awards.col.place"), ("year", "awards.col.year"),
                 ("amount", "awards.col.amount"), ("version", "history.version"), ("current", "history.current"),
                 ("cell", "history.cell")]


def batch_value_rows(engine, batch_id: int, lang: str) -> list[dict]:
    """The values a statistics batch wrote; a row selects that value's versions (show_versions)."""
    kinds = {i["code"]: i["kind"] for i in queries.indicator_list(engine)}
    return [{
        "key": f"{v['indicator_code']}|{v['region_code']}|{v['year']}|{v['quarter']}|{v['basis']}",
        "indicator": pick(v["indicator_zh"], v["indicator_en"], lang),
        "region": pick(v["region_zh"], v["region_en"], lang),
        "period": format_period(v, kinds.get(v["indicator_code"]), lang),
        "value": v["value"], "unit": v["unit"], "version": v["version"],
        "current": "✓" if v["is_current"] else "", "cell": f"'{v['sheet']}'!{v['cell']}",
        "raw": v["raw_value"], "notes": v.get("notes") or ""} for v in pending.batch_values(engine, batch_id)]


def batch_award_rows(engine, batch_id: int) -> list[dict]:
    """The awards an award-list batch wrote (rows are not values: selecting one shows nothing more)."""
    return [{"key": f"award|{a['key']}|{a['version']}", "measure": a["measure"], "rule": a["rule"],
             "enterprise": a["enterprise"], "uscc": a["uscc"], "place": a["place"], "year": a["year"],
             "amount": a["amount"], "version": a["version"], "current": "✓" if a["is_current"] else "",
             "cell": f"'{a['sheet']}'!{a['amount_cell'] or a['row']}"}
            for a in measure_queries.batch_awards(engine, batch_id)]


def versions_block(indicator: str, region: str, year: int, quarter: int, basis: str, lang: str):
    rows = queries.observation_versions(auth.engine(), indicator, region, year, quarter, basis)
    body = [html.Tr([html.Td(r["version"]), html.Td(f"{r['value']:g}"),
                     html.Td("✓" if r["is_current"] else ""),
                     html.Td(f"#{r['batch_id']} {r['file_name']}"
                             + (f" ({t('history.rolled_back', lang)})" if r["batch_status"] == "rolled_back" else "")),
                     html.Td(f"'{r['sheet']}'!{r['cell']}"), html.Td(r["raw_value"]),
                     html.Td(r["loaded_by"]), html.Td(_time(r["loaded_at"]))]) for r in rows]
    head = html.Tr([html.Th(t(f"history.{k}", lang)) for k in ("version", "value", "current", "id", "cell",
                                                   "raw", "by", "at")])
    kind = {i["code"]: i["kind"] for i in queries.indicator_list(auth.engine())}.get(indicator)
    title = f"{t('history.versions', lang)}: {indicator} · {region} · " \
            f"{format_period((year, quarter, basis), kind, lang)}"
    return html.Div([html.H3(title, className="h6"),
                     dbc.Table([html.Thead(head), html.Tbody(body)], size="sm", bordered=True,
                               responsive=True, className="small", id="history-versions-table")])


@page_callback(
    Output("history-detail", "children"),
    Output("history-admin-box", "style"),
    Input("history-batches", "selectedRows"),
    State("history-lang", "data"),
    prevent_initial_call=True,
)
def show_batch(selected, lang):
    auth.require_role(*auth.LOGGED_IN)
    if not selected:
        return None, _shown(False)
    return batch_detail(int(selected[0]["id"]), norm_lang(lang)), _shown(True)


@page_callback(
    Output("history-versions", "children"),
    Input("history-values", "selectedRows"),
    State("history-lang", "data"),
    prevent_initial_call=True,
)
def show_versions(selected, lang):
    auth.require_role(*auth.LOGGED_IN)
    if not selected:
        return None
    key = str(selected[0]["key"])
    if key.startswith("award|"):  # an award's row: its versions are on its measure's page
        return None
    indicator, region, year, quarter, basis = key.split("|")
    return versions_block(indicator, region, int(year), int(quarter), basis, norm_lang(lang))


@page_callback(
    Output("history-rollback-result", "children"),
    Output("history-batches", "rowData"),
    Output("history-rollback-changed", "data"),
    Input("history-rollback-btn", "n_clicks"),
    State("history-batches", "selectedRows"),
    State("history-rollback-reason", "value"),
    State("history-lang", "data"),
    prevent_initial_call=True,
)
def rollback(n_clicks, selected, reason, lang):
    """The rollback itself, here in the request (one short transaction); the pages' summaries of
    the data as they are now are built after it in a bounded job (refresh_figures)."""
    user = auth.require_role(*auth.ADMINS)
    lang = norm_lang(lang)
    if not n_clicks:
        return dash.no_update, dash.no_update, dash.no_update
    if not selected:
        return dbc.Alert(t("history.pick", lang), color="warning"), dash.no_update, dash.no_update
    reason = (reason or "").strip()
    if len(reason) < 4:
        return dbc.Alert(t("history.need_reason", lang), color="warning"), dash.no_update, dash.no_update
    from etl.store.load import BatchError

    batch_id = int(selected[0]["id"])
    try:
        # the same retried path as loads, with the audit record in the same transaction
        uploads.rollback_batch(auth.engine(), batch_id, user=user.username, reason=reason)
    except BatchError as exc:
        return dbc.Alert(pick(exc.message_zh, exc.message_en, lang), color="danger"), dash.no_update, dash.no_update
    from dashboard import data

    data.invalidate()  # this worker's stamp; the summaries: refresh_figures' job
    # a token of its own per rollback: Dash keys a job by its arguments
    changed = {"batch": batch_id, "token": secrets.token_hex(8)}
    return (dbc.Alert(t("history.done", lang, id=batch_id), color="success", id="history-rollback-done"),
            batch_rows(lang), changed)


@page_callback(
    Output("history-rollback-figures", "children"),
    Input("history-rollback-changed", "data"),
    State("history-lang", "data"),
    prevent_initial_call=True, background=True, manager=JOBS, interval=1000,
    running=[(Output("history-rollback-figures-running", "style"), _shown(True), _shown(False)),
             # an earlier rollback's outcome hidden while this one's job runs
             (Output("history-rollback-figures", "style"), _shown(False), _shown(True))],
    progress=Output("history-rollback-figures-queue", "children"),
    progress_default="",
)
def refresh_figures(set_progress, changed, lang):
    """After a rollback: the pages' summaries built in a bounded job (dashboard/jobs.py), never in
    the request; meanwhile the pages compute what they show (data.summarised), the same numbers.
    The role is checked on the request that starts it and on every poll (auth.protect: admins),
    and the user again in the database inside the job (uploads.job_context): a Celery worker
    running this has no session to ask."""
    lang = norm_lang(lang)
    if not changed:
        return dash.no_update
    identity = jobs.job_starter()
    try:
        seconds = jobs.run(lambda _progress: uploads.refresh_summaries(identity), set_progress,
                           waiting=jobs.queued_text(lang))
    except jobs.JobStopped as stopped:
        return dbc.Alert(f"{stopped.text(lang)} {t('history.figures_stopped', lang)}", color="warning",
                         id="history-rollback-figures-stopped")
    return dbc.Alert(t("history.figures_done", lang, seconds=f"{seconds:.1f}"), color="success",
                     id="history-rollback-figures-done")
