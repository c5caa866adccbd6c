"""The frame around every page: navigation bar, language switch, demo banner, footer.

Language and page state live in the URL query string (`?lang=en&region=230100&period=2025Q3`), so
a copied link opens the same view. The navigation is built from `dash.page_registry`, hiding pages
whose registry entry names `roles` that the current user lacks.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from dashboard import data
from dashboard.callbacks import clientside, page_callback
from dashboard.i18n import norm_lang, parse_query, pick, t, with_params


def layout():
    return html.Div([
        dcc.Location(id="url", refresh="callback-nav"),
        dcc.Store(id="page-title"),
        html.Div(id="page-title-sink", hidden=True),
        html.Div(id="navbar"),
        html.Div(id="demo-banner"),
        dbc.Container(dash.page_container, fluid="lg", className="page-body py-3"),
        html.Footer(id="footer", className="text-muted small text-center py-3"),
    ])


def current_role() -> str:
    """The signed-in user's role from dashboard.auth (issue 5), or 'viewer' when there is none."""
    try:
        from dashboard import auth  # noqa: PLC0415 - optional module, owned by the accounts slice
    except ImportError:
        return "viewer"
    return auth.current_role() or "viewer"


def visible_pages(role: str) -> list[dict]:
    """Registry entries for the navigation, in order; pages may opt out with nav=False."""
    pages = []
    for entry in dash.page_registry.values():
        if entry.get("nav") is False:
            continue
        roles = entry.get("roles")
        if roles and role not in roles:
            continue
        pages.append(entry)
    return sorted(pages, key=lambda e: (e.get("order") is None, e.get("order") or 0))


def page_label(entry: dict, lang: str) -> str:
    if entry.get("nav_key"):
        return t(entry["nav_key"], lang)
    return pick(entry.get("name_zh"), entry.get("name_en"), lang) or entry["name"]


def navbar(pathname: str, search: str, lang: str, role: str):
    keep = with_params("", lang=lang)  # nav links keep the language, not the other page's state
    links = []
    for entry in visible_pages(role):
        href = dash.get_relative_path(entry["path"]) + keep
        active = pathname == entry["path"] or (
            entry["path"] != "/" and pathname.startswith(entry.get("nav_prefix", entry["path"])))
        links.append(dbc.NavItem(dbc.NavLink(page_label(entry, lang), href=href, active=active,
                                             id=f"nav-{entry['module'].split('.')[-1]}")))
    other = "en" if lang == "zh" else "zh"
    switch = dcc.Link(t("lang.switch", lang), href=pathname + with_params(search, lang=other),
                      id="lang-switch", className="btn btn-outline-light btn-sm ms-lg-3",
                      title=t("lang.switch_title", lang))
    return dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand(t("app.title", lang), href=dash.get_relative_path("/") + keep,
                            className="fw-bold"),
            html.Div([
                dbc.NavbarToggler(id="nav-toggle", n_clicks=0),
            ], className="d-flex align-items-center gap-2 d-lg-none"),
            dbc.Collapse(
                dbc.Nav(links + [dbc.NavItem(switch, className="d-flex align-items-center")],
                        className="ms-auto flex-wrap", navbar=True),
                id="nav-collapse", navbar=True, is_open=False),
        ], fluid="lg"),
        color="primary", dark=True, className="mb-0 py-1",
    )


def demo_banner(lang: str):
    return dbc.Alert([
        html.Strong(t("demo.banner", lang), className="me-2"),
        html.Span(t("demo.banner_detail", lang), className="d-none d-md-inline"),
    ], color="warning", className="demo-banner mb-0 rounded-0 text-center py-2", id="demo-alert")


def page_entry(pathname: str) -> dict | None:
    """The registry entry serving this path (a template such as /city/<code> by its prefix)."""
    for entry in dash.page_registry.values():
        template = entry.get("path_template")
        if entry["path"] == pathname or (
                template and pathname.startswith(template.split("<")[0].rstrip("/") + "/")):
            return entry
    return None


def page_title(pathname: str, lang: str) -> str:
    """The browser tab's title in the page's language: '总览 · 数字龙江' / 'Overview · Digital Longjiang'."""
    entry = page_entry(pathname)
    name = page_label(entry, lang) if entry else t("notfound.title", lang)
    return f"{name} · {t('app.short', lang)}"


@page_callback(
    Output("navbar", "children"),
    Output("demo-banner", "children"),
    Output("footer", "children"),
    Output("page-title", "data"),
    Input("url", "pathname"),
    Input("url", "search"),
)
def update_shell(pathname, search):
    lang = norm_lang(parse_query(search).get("lang"))
    pathname = pathname or "/"
    banner = demo_banner(lang) if data.demo_shown() else None
    footer = html.Span(t("app.subtitle", lang))
    return (navbar(pathname, search or "", lang, current_role()), banner, footer,
            page_title(pathname, lang))


# Dash's router writes the registry's (Chinese) title when a page renders; this runs after it,
# whichever of the two answers comes back last, and puts the title in the page's language.
clientside(
    """function (title, routed) {
        if (title) { setTimeout(function () { document.title = title; }, 0); }
        return window.dash_clientside.no_update;
    }""",
    Output("page-title-sink", "children"),
    Input("page-title", "data"),
    Input("_pages_store", "data"),
)


@page_callback(
    Output("nav-collapse", "is_open"),
    Input("nav-toggle", "n_clicks"),
    dash.State("nav-collapse", "is_open"),
    prevent_initial_call=True,
)
def toggle_nav(n_clicks, is_open):
    return not is_open


# A control changed: its value goes into the query string. In the browser, so that drawing a
# page costs two requests (frame and router), not six: when the router has just drawn the controls
# (every value equals the value the page was rendered with, kept in the url-rendered stores), their
# state is written into the address bar with history.replaceState — the page is not rendered again;
# when the user changed one, the new query string goes to dcc.Location and the page renders from
# it. Parameters are kept in their order; an empty value removes its parameter.
URL_FROM_CONTROLS = """function (values, rendered, ids) {
    const text = v => Array.isArray(v) ? v.join(",") : (v === null || v === undefined ? "" : String(v));
    const params = new URLSearchParams(window.location.search);
    let changed = false;
    ids.forEach(function (id, i) {
        const value = text(values[i]);
        if (value !== text(rendered[i])) { changed = true; }
        if (value === "") { params.delete(id.name); } else { params.set(id.name, value); }
    });
    const query = params.toString();
    const search = query ? "?" + query : "";
    if (changed) { return search; }
    if (search !== window.location.search) {
        window.history.replaceState(window.history.state, "", window.location.pathname + search + window.location.hash);
    }
    return window.dash_clientside.no_update;
}"""

clientside(
    URL_FROM_CONTROLS,
    Output("url", "search", allow_duplicate=True),
    Input({"type": "url-param", "name": dash.ALL}, "value"),
    dash.State({"type": "url-rendered", "name": dash.ALL}, "data"),
    dash.State({"type": "url-param", "name": dash.ALL}, "id"),
    # fires when the router draws controls (the page's first render included)
    prevent_initial_call="initial_duplicate",
)
