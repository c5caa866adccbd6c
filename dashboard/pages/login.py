"""登录 Sign in, and 我的账户 My account (who am I, change my password, sign out).

The login form posts through a Dash callback (so it carries the CSRF header like every other
request); on success the browser reloads the page it was sent from, with the new session.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboard import auth, login_form
from dashboard.accounts import users
from dashboard.callbacks import page_callback
from dashboard.i18n import norm_lang, page_words, pick, t

dash.register_page(__name__, path="/login", order=90, roles=(auth.ANONYMOUS,), auth_open=True,
                   **page_words("nav.login"))

auth.protect("account-", *auth.LOGGED_IN)


def layout(next: str | None = None, lang: str | None = None, **_query):  # noqa: A002 - URL name
    lang = norm_lang(lang)
    user = auth.current_user_or_none()
    if user is not None:
        return dbc.Alert([t("login.already", lang), html.Strong(user.username), " · ",
                          dcc.Link(t("login.account", lang), href="/account")], color="info",
                         id="login-already")
    return login_form.form(auth.safe_next(next), lang, public=auth.public_viewing())


@page_callback(
    Output("login-message", "children"),
    Output("login-redirect", "href"),
    Input("login-submit", "n_clicks"),
    Input("login-password", "n_submit"),
    State("login-username", "value"),
    State("login-password", "value"),
    State("login-next", "data"),
    State("login-lang", "data"),
    prevent_initial_call=True,
)
def submit_login(_clicks, _submits, username, password, next_url, lang):
    result = auth.attempt_login(username or "", password or "")
    if not result.ok:
        return dbc.Alert([result.message_zh, html.Br(), html.Small(result.message_en)],
                         color="danger", className="mb-0", id="login-error"), dash.no_update
    target = auth.safe_next(next_url)
    if target.startswith("/login"):
        target = "/"
    return dash.no_update, dash.get_relative_path(target)


# --- 我的账户 My account -------------------------------------------------------------------------


def account_layout(lang: str | None = None, **_query):
    lang = norm_lang(lang)
    user = auth.current_user_or_none()
    if user is None:  # the guard shows the login form first; this is for direct calls
        return html.Div()
    role_zh, role_en = users.ROLE_NAMES.get(user.role, (user.role, user.role))
    return html.Div([
        html.H1(t("account.title", lang), className="h3 mb-3"),
        dbc.Table(html.Tbody([
            html.Tr([html.Th(t("account.user", lang)), html.Td(user.username, id="account-username")]),
            html.Tr([html.Th(t("account.role", lang)), html.Td(pick(role_zh, role_en, lang),
                                                        id="account-role")]),
        ]), bordered=False, size="sm", className="w-auto"),
        dbc.Button(t("account.logout", lang), id="account-logout", color="secondary", n_clicks=0,
                   className="mb-4"),
        dbc.Card(dbc.CardBody([
            html.H2(t("account.change", lang), className="h6"),
            dbc.Input(id="account-current", type="password", placeholder=t("account.current", lang),
                      autocomplete="current-password", className="mb-2"),
            dbc.Input(id="account-new", type="password", placeholder=t("account.new", lang),
                      autocomplete="new-password", className="mb-2"),
            dbc.Input(id="account-repeat", type="password", placeholder=t("account.repeat", lang),
                      autocomplete="new-password", className="mb-2"),
            dbc.Button(t("account.save", lang), id="account-save", color="primary", n_clicks=0),
            html.Div(id="account-message", className="mt-2"),
        ]), style={"maxWidth": "28rem"}),
        dcc.Store(id="account-lang", data=lang),
        dcc.Location(id="account-redirect", refresh=True),
    ])


dash.register_page(f"{__name__}.account", path="/account", order=95, roles=auth.LOGGED_IN,
                   layout=account_layout, **page_words("nav.account"))


@page_callback(
    Output("account-redirect", "href"),
    Input("account-logout", "n_clicks"),
    prevent_initial_call=True,
)
def sign_out(n_clicks):
    if not n_clicks:
        return dash.no_update
    auth.require_role(*auth.LOGGED_IN)
    auth.logout()
    return dash.get_relative_path("/login")


@page_callback(
    Output("account-message", "children"),
    Input("account-save", "n_clicks"),
    State("account-current", "value"),
    State("account-new", "value"),
    State("account-repeat", "value"),
    State("account-lang", "data"),
    prevent_initial_call=True,
)
def change_password(n_clicks, current, new, repeat, lang):
    user = auth.require_role(*auth.LOGGED_IN)
    lang = norm_lang(lang)
    if (new or "") != (repeat or ""):
        return dbc.Alert(t("account.mismatch", lang), color="danger")
    outcome = auth.change_own_password(user.username, current or "", new or "")
    if outcome.status == "throttled":
        return dbc.Alert(pick(*auth.wait_message(outcome.wait_seconds), lang), color="danger",
                         id="account-throttled")
    if outcome.status == "wrong":
        return dbc.Alert(t("account.wrong", lang), color="danger")
    if outcome.status == "refused" and outcome.error is not None:
        return dbc.Alert(pick(outcome.error.message_zh, outcome.error.message_en, lang),
                         color="danger")
    return dbc.Alert(t("account.saved", lang), color="success")
