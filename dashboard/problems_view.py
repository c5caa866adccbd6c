"""The table of a file's problems (severity, sheet, cell, code, value, message), shown by the
upload page for a checked file and by the history page for a loaded batch."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.i18n import has, pick, t

MAX_PROBLEMS_SHOWN = 300


def _message(p: dict, lang: str) -> list:
    """The message, then the catalogue's "how to fix" line when the problem has one."""
    fix = pick(p.get("fix_zh"), p.get("fix_en"), lang) if p.get("fix_zh") or p.get("fix_en") else ""
    tail = [html.Div(t("problems.fix", lang) + fix, className="problem-fix")] if fix else []
    if lang == "zh":
        return [p.get("message_zh") or "", html.Br(),
                html.Small(p.get("message_en") or "", className="text-muted")] + tail
    return [p.get("message_en") or p.get("message_zh") or ""] + tail


def problems_table(problems: list[dict], lang: str, id_: str) -> html.Div:
    header = html.Thead(html.Tr([html.Th(t(f"problems.{k}", lang)) for k in (
        "col_severity", "col_sheet", "col_cell", "col_code", "col_value", "col_message")]))
    rows = []
    for p in problems[:MAX_PROBLEMS_SHOWN]:
        severity = p.get("severity") or "info"
        color = {"error": "table-danger", "warning": "table-warning"}.get(severity, "")
        rows.append(html.Tr([
            html.Td(t(key, lang) if has(key := f"problems.severity_{severity}") else severity),
            html.Td(p.get("sheet") or ""),
            html.Td(p.get("cell") or ""),
            html.Td(html.Code(p.get("code") or "")),
            html.Td("" if p.get("raw") is None else str(p.get("raw"))),
            html.Td(_message(p, lang)),
        ], className=color))
    more = len(problems) - MAX_PROBLEMS_SHOWN
    return html.Div([
        dbc.Table([header, html.Tbody(rows)], size="sm", bordered=True, responsive=True,
                  className="small mb-1 problems-table", id=id_),
        html.P(t("problems.more", lang, n=more), className="small text-muted") if more > 0 else None,
    ])
