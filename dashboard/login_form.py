"""The sign-in form, shown by the login page and by the guard in front of any page that needs a
sign-in (dashboard.auth): a component, so that neither imports the other."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.i18n import norm_lang, t


def form(next_url: str, lang: str | None, *, public: bool):
    """The form; `next_url` must already be safe (dashboard.auth.safe_next)."""
    lang = norm_lang(lang)
    return dbc.Row(dbc.Col(dbc.Card(dbc.CardBody([
        html.H1(t("login.title", lang), className="h4 mb-1"),
        html.P(t("login.lead", lang), className="text-muted"),
        dbc.Form([
            dbc.Label(t("login.username", lang), html_for="login-username"),
            dbc.Input(id="login-username", type="text", autocomplete="username", autoFocus=True,
                      maxLength=80, className="mb-2"),
            dbc.Label(t("login.password", lang), html_for="login-password"),
            dbc.Input(id="login-password", type="password", autocomplete="current-password",
                      maxLength=256, className="mb-3", n_submit=0),
            dbc.Button(t("login.submit", lang), id="login-submit", color="primary", n_clicks=0,
                       className="w-100"),
        ], id="login-form", prevent_default_on_submit=True),
        html.Div(id="login-message", className="mt-3", role="alert"),
        html.P(t("login.public" if public else "login.private", lang), className="small text-muted mt-3 mb-0"),
        dcc.Store(id="login-next", data=next_url),
        dcc.Store(id="login-lang", data=lang),
        dcc.Location(id="login-redirect", refresh=True),
    ])), xs=12, sm=10, md=6, lg=4), justify="center", className="mt-4")
