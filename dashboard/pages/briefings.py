"""简报 Briefings (signed-in users): the quarterly briefing of any quarter with data, and the
archive — every briefing made, with the data version it was made from, when and by whom, so that
"the briefing of 2025Q3 as it was sent" is one click. The files come from dashboard/briefing_view.py
(which checks the role again on the server); etl/briefing makes them. docs/briefing.md.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import auth, briefing_view
from dashboard import components as c
from dashboard.i18n import norm_lang, page_words, t
from etl.briefing import store
from etl.wording.times import fmt_time

dash.register_page(__name__, path="/briefings", order=80, roles=auth.LOGGED_IN, **page_words("nav.briefings"))

QUARTERS_SHOWN = 8


def quarter_links(lang: str) -> html.Div:
    quarters = store.data_quarters(auth.engine())[:QUARTERS_SHOWN]
    if not quarters:
        return html.P(t("briefings.no_data", lang), className="text-muted")
    items = []
    for year, quarter in quarters:
        key = briefing_view.quarter_key(year, quarter)
        items.append(html.Li([
            html.Span(briefing_view.quarter_label(year, quarter, lang), className="me-2"),
            *[html.A(label, href=briefing_view.href(lang, fmt, key), download="",
                     className="btn btn-outline-primary btn-sm me-1", id=f"briefings-{key}-{fmt}")
              for fmt, label in (("docx", "Word"), ("pdf", "PDF"))],
        ], className="mb-1"))
    return html.Ul(items, className="list-unstyled", id="briefings-quarters")


def archive_table(lang: str):
    rows = store.archived(auth.engine())
    if not rows:
        return html.P(t("briefings.none", lang), className="text-muted", id="briefings-archive")
    header = [t(f"briefings.col.{k}", lang) for k in ("id", "quarter", "lang", "format", "made", "by",
                                                      "stamp", "file")]
    body = [[str(r["id"]), briefing_view.quarter_label(r["year"], r["quarter"], lang),
             t(f"briefings.lang.{r['lang']}", lang), r["fmt"].upper(),
             fmt_time(r["created_at"]), r["created_by"], r["data_stamp"],  # Beijing time, as the header says
             html.A(t("briefings.download", lang), href=briefing_view.archived_href(r["id"]), download="")]
            for r in rows]
    return dbc.Table([html.Thead(html.Tr([html.Th(h) for h in header])),
                      html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in body])],
                     size="sm", striped=True, responsive=True, className="small", id="briefings-archive")


def layout(lang: str | None = None, **_query):
    lang = norm_lang(lang)
    return html.Div([
        c.page_header(t("briefings.title", lang)),
        html.P(t("briefings.lead", lang), className="text-muted"),
        html.H2(t("briefings.make", lang), className="h5 mt-3"),
        quarter_links(lang),
        html.H2(t("briefings.archive", lang), className="h5 mt-4"),
        archive_table(lang),
    ], id="page-briefings")
