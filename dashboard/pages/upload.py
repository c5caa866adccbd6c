"""上传数据 Upload (analysts and admins): template, drop files, report, annotated copy, preview,
commit or cancel.

All text from files is passed to Dash as plain strings (React escapes it); nothing here uses
dangerouslySetInnerHTML or Markdown. Every callback checks the role on the server (auth.protect
for the whole "upload-" id prefix, and require_role inside each callback).

Checking, the annotated copy and committing run as Dash background callbacks, so a big file shows a
progress bar (stage, file i of n, rows written) instead of a spinner: the work runs as a bounded job
(dashboard/jobs.py: a cap on jobs at once, a time and a memory limit, each ending the job with a
message) on a Celery worker, or without Redis in a process forked from the worker
(DiskcacheManager, its cache in instance/upload-jobs, shared by every gunicorn worker on the
machine), and the browser polls /_dash-update-component for progress and the result. Those polls
and the "stop" button's cancel callback write to "upload-" ids, so auth's guard checks the role on
each of them. The job itself has no session: the role is checked in the request that starts it
(uploads.job_identity, a custom_data hook) and the user re-checked in the database inside the job
(uploads.job_context). Nothing is kept in a worker's memory between requests.
"""
from __future__ import annotations

import base64
import binascii
import logging
import secrets
import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html

from dashboard import auth, jobs, security, uploads
from dashboard import components as c
from dashboard.callbacks import page_callback
from dashboard.problems_view import problems_table
from dashboard.i18n import fmt_period, norm_lang, page_words, pick, t
from etl import config, logs
from etl.wording.numbers import fmt_bytes

log = logging.getLogger(__name__)

dash.register_page(__name__, path="/upload", order=80, roles=auth.DATA_EDITORS, **page_words("nav.upload"))

auth.protect("upload-", *auth.DATA_EDITORS)
dash.hooks.custom_data(jobs.STARTER)(uploads.job_identity)


def job_manager():
    """Runs checks, annotated copies and commits as bounded jobs (dashboard/jobs.py): on a Celery
    worker when JOBS_REDIS_URL is set, else in processes forked from the web worker with results
    and progress in a disk cache that every worker on this machine shares (so a poll may reach any
    gunicorn worker). A job's handles serve only the user who started it (dashboard.job_owners)."""
    return jobs.job_manager(config.settings())


JOBS = job_manager()

MAX_REVISIONS_SHOWN = 300


def layout(lang: str | None = None, **_query):
    lang = norm_lang(lang)
    limit = fmt_bytes(security.upload_limit_bytes())
    return html.Div([
        html.H1(t("upload.title", lang), className="h3 mb-3"),
        dbc.Card(dbc.CardBody([
            html.H2(t("upload.step1", lang), className="h6"),
            # solid primary: the grey outline looked disabled
            dbc.Button("⬇ " + t("upload.template", lang), id="upload-template-btn", color="primary",
                       size="sm", n_clicks=0),
            dcc.Download(id="upload-template-download"),
        ]), className="mb-3"),
        dbc.Card(dbc.CardBody([
            html.H2(t("upload.step2", lang), className="h6"),
            dcc.Upload(
                id="upload-files",
                children=html.Div([html.Div(t("upload.drop", lang), className="fw-bold"),
                                   html.Div(t("upload.drop_hint", lang, limit=limit), className="small text-muted")]),
                multiple=True, accept=".xlsx,.xls,.csv", max_size=security.upload_limit_bytes(),
                className="upload-drop border border-2 border-primary-subtle rounded p-4 text-center",
                style={"borderStyle": "dashed", "cursor": "pointer"},
            ),
            dbc.Checkbox(id="upload-skip-unknown", label=t("upload.skip", lang), value=False,
                         className="mt-2"),
        ]), className="mb-3"),
        dcc.Store(id="upload-lang", data=lang),
        dcc.Store(id="upload-pending", data=[]),
        # per page load: two analysts (or tabs) dropping the same file never share a job
        dcc.Store(id="upload-nonce", data=secrets.token_urlsafe(16)),
        dcc.Store(id="upload-committed", data=[]),
        dcc.Store(id="upload-refreshed", data=None),
        dcc.Download(id="upload-annotated-download"),
        html.Div(t("upload.annotating", lang), id="upload-annotate-running", className="small mb-2",
                 style={"display": "none"}),
        html.Div(id="upload-annotate-status"),
        html.Div([
            html.Div(t("upload.checking", lang), id="upload-check-status", className="small mb-1"),
            dbc.Progress(id="upload-check-progress", value=0, label="", striped=True, animated=True,
                         className="mb-2", style={"height": "1.25rem"}),
            dbc.Button(t("upload.stop", lang), id="upload-stop", color="secondary", outline=True,
                       size="sm", n_clicks=0),
        ], id="upload-check-box", className="mb-3", style={"display": "none"}),
        html.Div(id="upload-results"),
        html.Div([
            dbc.Button(t("upload.commit", lang), id="upload-commit", color="success", n_clicks=0,
                       className="me-2"),
            dbc.Button(t("upload.cancel", lang), id="upload-cancel", color="secondary", outline=True,
                       n_clicks=0),
        ], id="upload-actions", className="my-3", style={"display": "none"}),
        html.Div([
            html.Div(t("upload.committing", lang), id="upload-commit-status", className="small mb-1"),
            dbc.Progress(id="upload-commit-progress", value=0, label="", striped=True,
                         animated=True, color="success", style={"height": "1.25rem"}),
        ], id="upload-commit-box", className="mb-3", style={"display": "none"}),
        html.Div(id="upload-commit-result"),
    ])


# --- pieces of the report -------------------------------------------------------------------------

def preview_rows(report: dict, lang: str, names: dict) -> list[dict]:
    """Every value the file would write or leaves as it is: revised (old -> new), new (-> new),
    unchanged (= the stored value), for the preview grid."""
    from dashboard import data

    changes = report.get("changes") or {}
    kinds = {code: row.get("kind") for code, row in data.indicators().items()}
    rows = []

    def row(status: str, r: dict, old, new) -> dict:
        return {"id": f"{status}|{r['indicator_code']}|{r['region_code']}|{r['year']}|"
                      f"{r['quarter']}|{r['basis']}",
                "change": t(f"upload.status_{status}", lang),
                "indicator": names.get(r["indicator_code"], r["indicator_code"]),
                "region": names.get(r["region_code"], r["region_code"]),
                "period": fmt_period(r["year"], r["quarter"], r["basis"], lang,
                                     kind=kinds.get(r["indicator_code"])),
                "old": old, "new": new, "cell": r.get("where") or ""}

    for r in (changes.get("revised") or [])[:MAX_REVISIONS_SHOWN]:
        rows.append(row("revised", r, r["old_value"], r["new_value"]))
    for r in changes.get("listed") or []:
        rows.append(row(r["status"], r, r["value"] if r["status"] == "unchanged" else None,
                        r["value"]))
    return rows


def preview_block(report: dict, lang: str, names: dict) -> html.Div:
    """Counts, then the values themselves in a grid the analyst sorts and filters (by change,
    indicator, region, ...) before committing: revised old -> new, new, unchanged."""
    changes = report.get("changes") or {}
    rows = preview_rows(report, lang, names)
    columns = [("change", "col_change", 110), ("indicator", "col_indicator", 200),
               ("region", "col_region", 110), ("period", "col_period", 140),
               ("old", "col_old", 110), ("new", "col_new", 110), ("cell", "col_cell", 110)]
    defs = []
    for field, key, width in columns:
        col = {"field": field, "headerName": t(f"upload.{key}", lang), "minWidth": width,
               "sortable": True, "filter": True, "floatingFilter": True}
        if field in ("old", "new"):
            col.update(filter="agNumberColumnFilter", type="rightAligned",
                       valueFormatter={"function": "params.value == null ? '—' : "
                                                   "d3.format(',.4~f')(params.value)"})
        defs.append(col)
    return html.Div([
        html.H3(t("upload.preview", lang), className="h6 mt-3"),
        html.Ul([
            html.Li(t("upload.new", lang, n=changes.get("new", 0)), className="preview-new"),
            html.Li(t("upload.revised", lang, n=changes.get("revised_count", 0)),
                    className="preview-revised"),
            html.Li(t("upload.unchanged", lang, n=changes.get("unchanged", 0)), className="preview-unchanged"),
        ], className="mb-2"),
        dag.AgGrid(
            className=f"preview-grid {c.grid_class(lang)}".strip(), rowData=rows, columnDefs=defs,
            getRowId="params.data.id",
            dashGridOptions={"pagination": True, "paginationPageSize": 20,
                             "domLayout": "autoHeight", "localeText": c.grid_locale(lang)},
            columnSize="responsiveSizeToFit", style={"width": "100%"},
        ) if rows else None,
    ])


def file_card(name: str, pending_id: str, report: dict, lang: str, names: dict) -> dbc.Card:
    counts = report.get("counts") or {}
    problems = report.get("problems") or []
    skipped = report.get("skipped") or []
    changes = report.get("changes") or {}
    valid = report.get("valid") and report.get("status") != "rejected"
    nothing_new = valid and changes and not changes.get("new") and not changes.get("revised_count")
    if not valid:
        badge = dbc.Badge("✗ " + t("upload.rejected", lang), color="danger", className="upload-status-rejected")
    elif nothing_new:
        badge = dbc.Badge("= " + t("upload.nochange", lang), color="secondary", className="upload-status-same")
    else:
        badge = dbc.Badge("✓ " + t("upload.ok", lang), color="success", className="upload-status-ok")
    loaded_before = report.get("loaded_before") or []
    return dbc.Card(dbc.CardBody([
        html.Div([html.Strong(name, className="me-2"), badge], className="mb-1"),
        html.Div(t("upload.counts", lang, read=counts.get("read", 0), valid=counts.get("valid", 0),
                    errors=counts.get("errors", len([p for p in problems if p.get("severity") == "error"])),
                    warnings=counts.get("warnings", 0), skipped=counts.get("skipped", len(skipped))),
                 className="small text-muted mb-2"),
        html.P(t("upload.loaded_before", lang, ids=", ".join(map(str, loaded_before))),
               className="small text-warning") if loaded_before else None,
        dbc.Button(t("upload.annotated", lang), id={"type": "upload-annotate", "index": pending_id},
                   size="sm", color="link", className="px-0", n_clicks=0)
        if (problems or skipped) and report.get("status") != "too-large" else None,
        html.Div([html.H3(t("upload.problems", lang), className="h6 mt-2"),
                  problems_table(problems, lang, f"upload-problems-{len(name)}")]) if problems else None,
        html.Div([html.H3(t("upload.skipped", lang), className="h6 mt-2"),
                  problems_table(skipped, lang, "upload-skipped")]) if skipped else None,
        preview_block(report, lang, names) if valid and changes else None,
    ]), className="mb-3 upload-file-card", id={"type": "upload-card", "index": pending_id})


def catalog_names(lang: str) -> dict[str, str]:
    from dashboard import data

    names = {}
    try:
        for code, row in data.indicators().items():
            names[code] = pick(row.get("name_zh"), row.get("name_en"), lang)
        for code, row in data.regions().items():
            names[code] = pick(row.get("name_zh"), row.get("name_en"), lang)
    except Exception:  # noqa: BLE001 - names are a nicety: codes are shown instead
        log.warning("catalog names unavailable; the upload page shows codes", exc_info=True)
    return names


def decode_contents(contents: str) -> bytes:
    _, _, encoded = (contents or "").partition(",")
    return base64.b64decode(encoded, validate=True)


# --- callbacks ------------------------------------------------------------------------------------

@page_callback(
    Output("upload-template-download", "data"),
    Input("upload-template-btn", "n_clicks"),
    prevent_initial_call=True,
)
def download_template(n_clicks):
    auth.require_role(*auth.DATA_EDITORS)
    if not n_clicks:
        return dash.no_update
    name, content = uploads.template_file(auth.engine())
    return dcc.send_bytes(content, name)


def job_identity() -> dict | None:
    """Who started this job, as the starting request verified it (uploads.job_identity)."""
    return jobs.job_starter()


def _show(shown: bool) -> dict:
    return {"display": "block"} if shown else {"display": "none"}


def _job(step: str, *running, **more) -> dict:
    """The keyword arguments of a callback that runs as a bounded job (JOBS) while the box
    upload-{step}-box shows its progress bar (upload-{step}-progress) and status line
    (upload-{step}-status); `running` adds (Output, while running, after) triples."""
    return dict(prevent_initial_call=True, background=True, manager=JOBS, interval=500,
                progress=[Output(f"upload-{step}-progress", "value"),
                          Output(f"upload-{step}-progress", "label"),
                          Output(f"upload-{step}-status", "children")],
                progress_default=[0, "", ""],
                running=[(Output(f"upload-{step}-box", "style"), _show(True), _show(False)), *running],
                **more)


def _as_job(work, set_progress, lang: str, stopped_outputs):
    """jobs.run(work) with a progress bar and a "waiting for a slot" line; a job ended by a limit
    returns stopped_outputs(alert) instead."""
    try:
        return jobs.run(work, set_progress, waiting=(0, "", jobs.queued_text(lang)))
    except jobs.JobStopped as stopped:
        return stopped_outputs(stopped_alert(stopped, lang))


@page_callback(
    Output("upload-results", "children"),
    Output("upload-pending", "data"),
    Output("upload-actions", "style"),
    Output("upload-commit-result", "children"),
    Input("upload-files", "contents"),
    Input("upload-skip-unknown", "value"),
    State("upload-files", "filename"),
    State("upload-lang", "data"),
    State("upload-nonce", "data"),
    **_job("check", (Output("upload-files", "disabled"), True, False),
           cancel=[Input("upload-stop", "n_clicks")]),
)
def check_files(set_progress, contents, skip_unknown, filenames, lang, _nonce=None):
    lang = norm_lang(lang)
    identity = job_identity()
    return _as_job(lambda progress: _check(progress, identity, contents, skip_unknown, filenames, lang),
                   set_progress, lang, lambda alert: (alert, [], _show(False), None))


def stopped_alert(stopped: jobs.JobStopped, lang: str) -> dbc.Alert:
    return dbc.Alert(stopped.text(lang), color="danger", className="upload-job-stopped")


def _check(set_progress, identity, contents, skip_unknown, filenames, lang):
    """check_files' work, in a job's child process (jobs.run)."""
    with uploads.job_context(identity) as (engine, username, addr):
        if not contents:
            return dash.no_update, dash.no_update, dash.no_update, dash.no_update
        if isinstance(contents, str):
            contents, filenames = [contents], [filenames]
        names = catalog_names(lang)
        progress = uploads.ProgressText(set_progress, lang, "check", len(contents))
        cards, committable = [], []
        for index, (content, name) in enumerate(zip(contents, filenames or [])):
            name = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1][:255]
            progress.file(index, name)
            try:
                data = decode_contents(content)
            except (binascii.Error, ValueError):
                cards.append(dbc.Alert(f"{name}: {t('upload.bad_upload', lang)}", color="danger"))
                continue
            info, report = uploads.check_upload(engine, data, name, user=username,
                                                skip_unknown=bool(skip_unknown),
                                                limit=security.upload_limit_bytes(),
                                                progress=progress, addr=addr)
            cards.append(file_card(name, info.id, report, lang, names))
            changes = report.get("changes") or {}
            if info.status == "pending" and (changes.get("new") or changes.get("revised_count")):
                committable.append(info.id)
        return cards, committable, _show(bool(committable)), None


# what a commit or a cancel answers with: its messages, the uploads still pending, the buttons' row
COMMIT_AREA = (Output("upload-commit-result", "children", allow_duplicate=True),
               Output("upload-pending", "data", allow_duplicate=True),
               Output("upload-actions", "style", allow_duplicate=True))


@page_callback(
    *COMMIT_AREA,
    Output("upload-committed", "data"),
    Input("upload-commit", "n_clicks"),
    State("upload-pending", "data"),
    State("upload-lang", "data"),
    State("upload-nonce", "data"),
    **_job("commit", (Output("upload-commit", "disabled"), True, False),
           (Output("upload-cancel", "disabled"), True, False)),
)
def commit_files(set_progress, n_clicks, pending_ids, lang, _nonce=None):
    lang = norm_lang(lang)
    identity = job_identity()
    # a stopped load was one transaction: nothing was written; the upload can be committed again
    return _as_job(lambda progress: _commit(progress, identity, n_clicks, pending_ids, lang),
                   set_progress, lang, lambda alert: (alert, dash.no_update, dash.no_update, []))


def _commit(set_progress, identity, n_clicks, pending_ids, lang):
    """commit_files' work, in a job's child process (jobs.run)."""
    with uploads.job_context(identity) as (engine, username, addr):
        if not n_clicks or not pending_ids:
            return dash.no_update, dash.no_update, dash.no_update, dash.no_update
        names = catalog_names(lang)
        progress = uploads.ProgressText(set_progress, lang, "commit", len(pending_ids))
        messages, still_pending, loaded = [], [], []
        for index, pending_id in enumerate(pending_ids):
            progress.file(index, "")
            result = uploads.commit_upload(engine, str(pending_id), user=username,
                                           progress=progress, addr=addr)
            changes = (result.report or {}).get("changes") or {}
            if result.status == "loaded":
                loaded.append(result.batch_id)
                messages.append(dbc.Alert(t("upload.done", lang, file=result.file_name, batch=result.batch_id,
                                             new=changes.get("new", 0),
                                             revised=changes.get("revised_count", 0),
                                             unchanged=changes.get("unchanged", 0)),
                                          color="success", className="upload-committed"))
            elif result.status == "unchanged":
                messages.append(dbc.Alert(t("upload.done_same", lang, file=result.file_name), color="info"))
            elif result.status == "stale":
                still_pending.append(pending_id)
                messages.append(dbc.Alert([html.P(t("upload.stale", lang, file=result.file_name)),
                                           preview_block(result.report, lang, names)],
                                          color="warning", className="upload-stale"))
            elif result.status == "rejected":
                messages.append(dbc.Alert(t("upload.failed", lang, file=result.file_name), color="danger"))
                messages.append(problems_table(
                    [p for p in (result.report or {}).get("problems", []) if p.get("severity") == "error"],
                    lang, f"upload-commit-problems-{index}"))
            else:  # gone, or someone else's (refused)
                messages.append(dbc.Alert(uploads.commit_message(result, lang),
                                          color="danger" if result.status == "refused" else "secondary"))
        if loaded:
            from dashboard import data

            data.invalidate()  # a shared (Redis) cache; a worker's own cache: see refresh_after_commit
            data.refresh_summaries()  # here in the job, not in a viewer's or the analyst's request
        return messages, still_pending, _show(bool(still_pending)), loaded


@page_callback(
    Output("upload-refreshed", "data"),
    Input("upload-committed", "data"),
    prevent_initial_call=True,
)
def refresh_after_commit(batch_ids):
    """After a commit in a background process: forget this worker's data stamp as well, so the
    pages show the new values at once (other workers' stamps expire within data.STAMP_SECONDS)."""
    auth.require_role(*auth.DATA_EDITORS)
    if not batch_ids:
        return dash.no_update
    from dashboard import data

    data.invalidate()
    return batch_ids


@page_callback(
    *COMMIT_AREA,
    Input("upload-cancel", "n_clicks"),
    State("upload-pending", "data"),
    State("upload-lang", "data"),
    prevent_initial_call=True,
)
def cancel_files(n_clicks, pending_ids, lang):
    user = auth.require_role(*auth.DATA_EDITORS)
    if not n_clicks:
        return dash.no_update, dash.no_update, dash.no_update
    lang = norm_lang(lang)
    outcomes = [uploads.cancel_upload(auth.engine(), str(pending_id), user=user.username)
                for pending_id in pending_ids or []]
    if "refused" in outcomes:
        return (dbc.Alert(t("upload.cancel_refused", lang), color="danger", id="upload-cancel-refused"),
                [p for p, o in zip(pending_ids, outcomes) if o == "refused"], dash.no_update)
    return dbc.Alert(t("upload.cancelled", lang), color="secondary"), [], {"display": "none"}


@page_callback(
    Output("upload-annotated-download", "data"),
    Output("upload-annotate-status", "children"),
    Input({"type": "upload-annotate", "index": ALL}, "n_clicks"),
    State("upload-lang", "data"),
    State("upload-nonce", "data"),
    prevent_initial_call=True,
    background=True,
    manager=JOBS,
    interval=500,
    # the job's key: Dash hashes the arguments (clicks, language: the same for every file and
    # every analyst) and, with this, the clicked button's id (which upload); the page load's
    # nonce keeps two analysts' jobs apart
    cache_ignore_triggered=False,
    running=[(Output("upload-annotate-running", "style"), {"display": "block"}, {"display": "none"})],
)
def download_annotated(clicks, lang=None, _nonce=None):
    """The annotated copy is built in a job (a big workbook takes a minute and hundreds of MB),
    never in the web worker's request."""
    lang = norm_lang(lang)
    trigger = ctx.triggered_id
    if not trigger or not any(clicks or []):
        return dash.no_update, dash.no_update
    identity = job_identity()
    try:
        return jobs.run(lambda _progress: _annotated(identity, str(trigger["index"])))
    except jobs.JobStopped as stopped:
        return dash.no_update, stopped_alert(stopped, lang)


def _annotated(identity, pending_id: str):
    """download_annotated's work, in a job's child process (jobs.run)."""
    with uploads.job_context(identity) as (engine, username, _addr):
        try:
            name, content = uploads.annotated_copy(engine, pending_id, user=username)
        except uploads.pending.NotYours:
            log.warning("annotated copy refused to %s: not theirs, or expired", username)
            return dash.no_update, None
        except Exception:  # noqa: BLE001 - unreadable: nothing to send, the traceback to the log
            logs.unexpected(log, "annotated copy for %s", username)
            return dash.no_update, None
        return dcc.send_bytes(content, name), None
