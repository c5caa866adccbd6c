"""口径与方法 Definitions and method: each indicator's definition, unit and source; each target
with the policy clause it comes from; the progress method in plain words."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import components as c
from dashboard import data
from dashboard import views as v
from dashboard.figures import element
from dashboard.i18n import fmt_period, norm_lang, page_words, pick, t, unit_label
from etl.store import queries
from etl.wording import progress as words

dash.register_page(__name__, path="/method", order=7, **page_words("nav.method"))

def indicator_table(lang: str) -> dbc.Table:
    head = html.Thead(html.Tr([html.Th(t("col.indicator", lang)), html.Th(t("method.unit", lang)),
                               html.Th(t("method.definition", lang)), html.Th(t("method.source", lang))]))
    # rows as the JSON Dash sends (figures.element): 200 indicators were 1,000 component objects
    body = html.Tbody([element("Tr", [
        element("Td", pick(m["name_zh"], m["name_en"], lang)),
        element("Td", unit_label(m["unit"], m.get("unit_en"), lang), className="text-nowrap"),
        element("Td", pick(m["definition_zh"], m["definition_en"], lang)),
        element("Td", pick(m["source_zh"], m["source_en"], lang)),
    ], id=f"method-{code}") for code, m in data.indicators().items()])
    return dbc.Table([head, body], size="sm", striped=True, responsive=True, className="small",
                     id="method-indicators")


def target_list(lang: str) -> html.Div:
    items, seen = [], set()
    for target in data.targets():
        code = target["indicator_code"]
        # ids: target-<indicator> for its first target, with the set's code for later sets
        item_id = f"target-{code}" if code not in seen else f"target-{target['target_set_code']}-{code}"
        seen.add(code)
        value = words.target_label(queries.TargetInfo(**target), lang)
        year = fmt_period(target["target_year"], 0, "annual", lang)
        illustrative = (dbc.Badge(t("summary.illustrative_badge", lang), color="warning",
                                  text_color="dark", className="ms-2")
                        if target.get("set_illustrative") else None)
        items.append(dbc.ListGroupItem([
            html.Div([html.Strong(v.indicator_name(target["indicator_code"], lang)),
                      html.Span(t("method.target_line", lang, year=year, value=value)), illustrative]),
            html.Div(pick(target.get("set_name_zh"), target.get("set_name_en"), lang) + " · "
                     + pick(target.get("clause_ref_zh"), target.get("clause_ref_en"), lang),
                     className="small text-muted"),
            html.Blockquote(target.get("clause_text", ""), className="small mb-0 ps-2 border-start"),
            html.Div(pick(target.get("note_zh"), target.get("note_en"), lang),
                     className="small text-muted") if target.get("note_zh") else None,
        ], id=item_id))
    return dbc.ListGroup(items, className="mb-3", id="method-targets")


@data.cached_page
def layout(lang: str = "zh", **_query):
    lang = norm_lang(lang)
    return html.Div([
        c.page_header(t("method.title", lang)),
        html.H2(t("method.progress", lang), className="h5"),
        html.P(words.method_text("method.progress_text", lang), className="method-text", id="method-progress"),
        html.H2(t("method.targets", lang), className="h5"),
        target_list(lang),
        html.H2(t("method.indicators", lang), className="h5"),
        indicator_table(lang),
    ], id="page-method")
