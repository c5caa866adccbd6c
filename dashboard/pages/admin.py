"""管理 Administration (admins only): accounts, and the audit log (view, filter, export).

Every callback here writes to an "admin-" id and is refused to anyone but an admin, before Dash
runs it (auth.protect) and inside it (require_role). Every change goes through
dashboard.accounts.service (one transaction with its audit record).
"""
from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, dcc, html

from dashboard import auth
from dashboard import components as c
from dashboard.accounts import audit, service, users
from dashboard.callbacks import export_callback, page_callback
from dashboard.i18n import norm_lang, page_words, pick, t
from dashboard.settings import settings
from etl.wording.catalogue import pair

dash.register_page(__name__, path="/admin", order=85, roles=auth.ADMINS, **page_words("nav.admin"))

auth.protect("admin-", *auth.ADMINS)

AUDIT_LIMIT = 5000
ACTIONS = list(audit.ACTION_NAMES)


def role_options(lang: str) -> list[dict]:
    return [{"label": pick(zh, en, lang), "value": role}
            for role, (zh, en) in users.ROLE_NAMES.items()]


def role_name(role: str, lang: str) -> str:
    zh, en = users.ROLE_NAMES.get(role, (role, role))
    return pick(zh, en, lang)


def user_rows(lang: str = "zh") -> list[dict]:
    """Accounts; `role` keeps the code (shown as the role cell's tooltip), `role_name` the words;
    `failures`: failed sign-ins within the throttling window (an admin may lift the throttle)."""
    failures = service.failed_sign_ins(auth.engine(), settings())
    return [{"username": u.username, "display_name": u.display_name, "role": u.role,
             "role_name": role_name(u.role, lang),
             "active": "✓" if u.active else "✗", "created_at": u.created_at,
             "created_by": u.created_by, "last_login_at": u.last_login_at,
             "failures": failures.get(u.username, 0)}
            for u in service.account_list(auth.engine())]


def column(field: str, key: str, lang: str, code_field: str | None = None, **extra) -> dict:
    """A grid column; with code_field, the cell's tooltip shows the code behind the words."""
    definition = {"field": field, "headerName": t(f"admin.{key}", lang), **extra}
    if code_field:
        definition["tooltipField"] = code_field
    return definition


def layout(lang: str | None = None, **_query):
    lang = norm_lang(lang)
    user_columns = [column("username", "username", lang), column("display_name", "display", lang),
                    column("role_name", "role", lang, "role"), column("active", "active", lang),
                    column("last_login_at", "last", lang), column("failures", "failures", lang),
                    column("created_at", "created", lang),
                    column("created_by", "by", lang)]
    grid_options = {"localeText": c.grid_locale(lang), "enableBrowserTooltips": True}
    audit_columns = [column(f, k, lang, code, minWidth=w, filter=True, sortable=True)
                     for f, k, w, code in [("at", "at", 150, None), ("username", "user", 110, None),
                                           ("action_name", "action", 130, "action"),
                                           ("remote_addr", "addr", 120, None),
                                           ("target", "target", 200, None),
                                           ("details", "details", 300, None)]]
    return html.Div([
        html.H1(t("admin.title", lang), className="h3 mb-3"),
        dcc.Store(id="admin-lang", data=lang),
        html.H2(t("admin.users", lang), className="h5"),
        dag.AgGrid(id="admin-users-grid", rowData=[], className=c.grid_class(lang),
                   columnDefs=user_columns, dashGridOptions=grid_options,
                   columnSize="responsiveSizeToFit", style={"height": "260px", "width": "100%"}),
        dbc.Row([
            dbc.Col(dbc.Card(dbc.CardBody([
                html.H3(t("admin.add", lang), className="h6"),
                dbc.Input(id="admin-users-new-name", placeholder=t("admin.username", lang), className="mb-2"),
                dbc.Input(id="admin-users-new-display", placeholder=t("admin.display", lang), className="mb-2"),
                dbc.Select(id="admin-users-new-role", options=role_options(lang), value="viewer",
                           className="mb-2"),
                dbc.Input(id="admin-users-new-password", type="password", autocomplete="new-password",
                          placeholder=t("admin.password", lang), className="mb-2"),
                dbc.Button(t("admin.create", lang), id="admin-users-add", color="primary", n_clicks=0),
            ])), md=6, className="mt-3"),
            dbc.Col(dbc.Card(dbc.CardBody([
                html.H3(t("admin.change", lang), className="h6"),
                dbc.Select(id="admin-users-pick", options=[], placeholder=t("admin.pick_user", lang),
                           className="mb-2"),
                dbc.InputGroup([
                    dbc.Select(id="admin-users-role", options=role_options(lang), value="viewer"),
                    dbc.Button(t("admin.set_role", lang), id="admin-users-set-role", n_clicks=0),
                ], className="mb-2"),
                dbc.InputGroup([
                    dbc.Input(id="admin-users-password", type="password", autocomplete="new-password",
                              placeholder=t("admin.new_password", lang)),
                    dbc.Button(t("admin.set_password", lang), id="admin-users-set-password", n_clicks=0),
                ], className="mb-2"),
                dbc.Button(t("admin.disable", lang), id="admin-users-disable", color="danger",
                           outline=True, n_clicks=0, className="me-2"),
                dbc.Button(t("admin.enable", lang), id="admin-users-enable", color="success",
                           outline=True, n_clicks=0, className="me-2"),
                dbc.Button(t("admin.unlock", lang), id="admin-users-unlock", color="warning",
                           outline=True, n_clicks=0),
            ])), md=6, className="mt-3"),
        ]),
        html.Div(id="admin-users-result", className="mt-2"),
        html.H2(t("admin.audit", lang), className="h5 mt-4"),
        dbc.Row([
            dbc.Col(dbc.Select(id="admin-audit-action",
                               # not "": dbc.Select keeps a hidden empty placeholder option,
                               # which a value of "" selects (the filter then read blank)
                               options=[{"label": t("admin.all", lang), "value": ALL_ACTIONS}]
                               + [{"label": audit.action_name(a, lang), "value": a} for a in ACTIONS],
                               value=ALL_ACTIONS), md=4),
            dbc.Col([dbc.Button(t("admin.csv", lang), id="admin-audit-csv", n_clicks=0, size="sm",
                                outline=True, color="secondary", className="me-2"),
                     dbc.Button(t("admin.xlsx", lang), id="admin-audit-xlsx", n_clicks=0, size="sm",
                                outline=True, color="secondary")], md=8, className="text-end"),
        ], className="mb-2"),
        dag.AgGrid(id="admin-audit-grid", rowData=[], className=c.grid_class(lang),
                   columnDefs=audit_columns,
                   dashGridOptions={**grid_options, "pagination": True, "paginationPageSize": 50},
                   columnSize="responsiveSizeToFit", style={"height": "480px", "width": "100%"}),
        dcc.Download(id="admin-audit-download"),
    ])


ALL_ACTIONS = "all"


def audit_rows(action: str | None, lang: str = "zh") -> list[dict]:
    """Newest events; `action` keeps the code (tooltip, filter, export), `action_name` the words."""
    action = None if action in (None, "", ALL_ACTIONS) else action
    events = service.audit_events(auth.engine(), action, AUDIT_LIMIT)
    for event in events:
        event["details"] = ", ".join(f"{k}={v}" for k, v in (event["details"] or {}).items())
        event["action_name"] = audit.action_name(event["action"], lang)
    return events


@page_callback(
    Output("admin-users-grid", "rowData"),
    Output("admin-users-pick", "options"),
    Output("admin-users-result", "children"),
    Input("admin-lang", "data"),
    Input("admin-users-add", "n_clicks"),
    Input("admin-users-set-role", "n_clicks"),
    Input("admin-users-set-password", "n_clicks"),
    Input("admin-users-disable", "n_clicks"),
    Input("admin-users-enable", "n_clicks"),
    Input("admin-users-unlock", "n_clicks"),
    State("admin-users-new-name", "value"),
    State("admin-users-new-display", "value"),
    State("admin-users-new-role", "value"),
    State("admin-users-new-password", "value"),
    State("admin-users-pick", "value"),
    State("admin-users-role", "value"),
    State("admin-users-password", "value"),
)
def manage_users(lang, _add, _role, _password, _disable, _enable, _unlock, new_name, new_display,
                 new_role, new_password, picked, role, password):
    admin = auth.require_role(*auth.ADMINS)
    lang = norm_lang(lang)
    action = ctx.triggered_id
    message = None
    if action and action != "admin-lang":
        try:
            if action == "admin-users-add":
                service.change_account(auth.engine(), "add", by=admin.username,
                                       username=new_name or "", password=new_password or "",
                                       role=new_role or "viewer", display_name=new_display or "")
            elif not picked:
                raise users.UserError(*pair("admin.need_user"))
            else:
                service.change_account(auth.engine(), action.removeprefix("admin-users-"),
                                       by=admin.username, username=picked, role=role or "viewer",
                                       password=password or "")
            message = dbc.Alert(t("admin.saved", lang), color="success", id="admin-users-saved")
        except users.UserError as exc:
            message = dbc.Alert(pick(exc.message_zh, exc.message_en, lang), color="danger",
                                id="admin-users-error")
    rows = user_rows(lang)
    options = [{"label": f"{r['username']} ({r['role_name']})", "value": r["username"]} for r in rows]
    return rows, options, message


@page_callback(
    Output("admin-audit-grid", "rowData"),
    Input("admin-audit-action", "value"),
    State("admin-lang", "data"),
)
def show_audit(action, lang):
    auth.require_role(*auth.ADMINS)
    return audit_rows(action, norm_lang(lang))


@export_callback("admin-audit-download", "admin-audit-csv", "admin-audit-xlsx",
                 State("admin-audit-action", "value"), State("admin-lang", "data"))
def export_audit(fmt, action, lang=None):
    admin = auth.require_role(*auth.ADMINS)
    rows = audit_rows(action, norm_lang(lang))
    service.record(auth.engine(), "audit-export", username=admin.username, target=fmt,
                   details={"rows": len(rows), "action": "" if action in (None, ALL_ACTIONS) else action})
    content = audit.export_bytes(rows, fmt)
    return dcc.send_bytes(content, f"audit-log.{fmt}")
