"""总览 Overview: one card per target, a headline count, and the data vintage.

In five seconds: which targets are met, on track, behind and by how much, as of which quarter.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import components as c
from dashboard import data
from dashboard.i18n import (
    default_decimals,
    fmt_datetime,
    fmt_gap,
    fmt_percent,
    fmt_period,
    fmt_target,
    fmt_tolerance,
    fmt_value,
    fmt_vintage_period,
    norm_lang,
    pick,
    t,
    with_params,
)

dash.register_page(__name__, path="/", order=0, name="总览", nav_key="nav.overview",
                   title="总览 · 数字龙江")

# Which page explains each indicator further (the card's "details" link).
DETAIL_PAGE = {
    "digital_core_va_share": "/core",
    "digital_core_va": "/core",
    "large_mfg_digital_rate": "/enterprise",
    "above_scale_digital_rate": "/enterprise",
    "digital_economy_share": "/benchmarks",
}


def headline(summary: dict, lang: str) -> html.Div:
    return html.Div([
        html.P(pick(summary.get("headline_zh"), summary.get("headline_en"), lang),
               className="headline h4 mb-2", id="overview-headline"),
        html.Div([c.status_badge(item["status"], f"{pick(item['label_zh'], item['label_en'], lang)} "
                                                 f"{item['count']}", size="fs-6 me-1 mb-1")
                  for item in summary.get("counts", []) if item["count"]], id="overview-counts"),
    ])


def vintage_line(vintage: dict | None, lang: str) -> html.P:
    if not vintage:
        text = t("overview.vintage_none", lang)
    else:
        text = t("overview.vintage", lang,
                 period=fmt_vintage_period(vintage["year"], vintage["quarter"], lang),
                 updated=fmt_datetime(vintage.get("updated_at"), lang))
    return html.P(text, className="text-muted mb-3", id="overview-vintage")


def fact(label: str, value: str, note: str, cls: str) -> html.Div:
    return html.Div([html.Div(label, className="fact-label"),
                     html.Div(value, className=f"fact-value {cls}"),
                     html.Div(note, className="fact-note small text-muted")], className="fact")


def verdict_badge(status: dict, lang: str) -> dbc.Badge:
    if status.get("is_final"):
        text = t("card.final", lang)
    elif status.get("partial_target_year"):
        text = t("card.partial", lang)
    else:
        text = t("card.projected", lang)
    return dbc.Badge(text, color="light", text_color="dark", className="ms-auto verdict border")


def target_label(status: dict, unit: str, lang: str) -> str:
    """'≥10%', '60%左右'; the engine's words for national-average and full-coverage targets."""
    value = status.get("target_value")
    if status.get("kind") in ("at_least", "approximately") and value is not None:
        return fmt_target(status["kind"], value, unit, lang)
    return pick(status.get("target_text_zh"), status.get("target_text_en"), lang)


def target_note(status: dict, unit: str, lang: str) -> str:
    """Under the target: its year, and the 左右 band ('容差±2个百分点 · 2025年')."""
    if status.get("kind") == "national_average" and status.get("national_value") is not None:
        return t("card.national", lang, value=fmt_value(status["national_value"], unit, lang))
    year = fmt_period(status["target_year"], 0, "annual", lang) if status.get("target_year") else ""
    tol = status.get("tolerance")
    if status.get("kind") == "approximately" and tol:
        return f"{t('card.tolerance', lang, band=fmt_tolerance(tol, unit, lang))} · {year}"
    return year


def gap_decimals(latest: float | None, unit: str) -> int | None:
    """A gap in a count or sum shows as many decimals as the current value beside it."""
    if latest is None or unit == "%":
        return None
    return default_decimals(abs(latest), unit)


def target_card(status: dict, meta: dict, points: list[dict], lang: str, lang_search: str) -> dbc.Col:
    unit = meta["unit"]
    name = pick(meta["name_zh"], meta["name_en"], lang)
    national = status.get("kind") == "national_average"
    current = fmt_value(status.get("latest_value"), unit, lang)
    period = pick(status.get("latest_period_zh"), status.get("latest_period_en"), lang) or ""
    gap = status.get("gap")
    gap_label = t("card.gap_met", lang) if gap is not None and gap > 1e-9 else t("card.gap", lang)
    # the engine's words for where the value stands: share of the way, within the band, ratio to
    # the nation or to the target, whichever makes sense for the kind of target
    standing = status.get("standing") or {}
    gap_note = pick(standing.get("text_zh"), standing.get("text_en"), lang)
    facts = [
        fact(t("card.current", lang), current, period, "current-value"),
        fact(t("card.target", lang), target_label(status, unit, lang),
             target_note(status, unit, lang), "target-value"),
        fact(gap_label, fmt_gap(gap, unit, lang, gap_decimals(status.get("latest_value"), unit),
                                 like=status.get("latest_value")),
             gap_note, "gap-value"),
    ]
    extra = []
    if not status.get("is_final") and status.get("projection") is not None:
        extra.append(t("card.projection", lang, year=status.get("target_year"),
                       value=fmt_value(status["projection"], unit, lang)))
    if not status.get("is_final") and status.get("required_growth") is not None \
            and status.get("status") not in ("achieved",):
        extra.append(t("card.required_growth", lang, rate=fmt_percent(status["required_growth"], lang)))
    target_line = None if national else {"value": status.get("target_value"),
                                         "target_year": status.get("target_year"),
                                         "tolerance": status.get("tolerance"),
                                         "kind": status.get("kind")}
    sparkline = c.responsive_graph(
        c.sparkline_figure(points, meta, lang, target_line, c.COLORS["province"]),
        {"displayModeBar": False, "responsive": True}, className="sparkline") if points else None
    detail = DETAIL_PAGE.get(meta["code"], "/infrastructure")
    card_id = f"card-{status['indicator_code']}"
    border = c.STATUS_STYLE.get(status["status"], ("secondary", ""))[0]
    return dbc.Col(dbc.Card([
        dbc.CardHeader(html.Div([
            c.status_badge(status["status"], pick(status["label_zh"], status["label_en"], lang),
                           id=f"{card_id}-status"),
            verdict_badge(status, lang),
        ], className="d-flex align-items-center gap-2")),
        dbc.CardBody([
            html.H2(name, className="h6 mb-2 card-indicator"),
            html.Div(facts, className="facts d-flex justify-content-between gap-2"),
            sparkline,
            html.Ul([html.Li(x) for x in extra], className="small text-muted mb-1 ps-3") if extra else None,
            c.explanation_box(status, unit, lang, dash.get_relative_path("/method") + lang_search),
            html.Div([
                html.Span(pick(status.get("clause_ref_zh"), status.get("clause_ref_en"), lang) + " · "
                          + pick(status.get("set_name_zh"), status.get("set_name_en"), lang),
                          className="text-muted"),
                dcc.Link(t("card.details", lang) + " →",
                         href=dash.get_relative_path(detail) + lang_search, className="ms-2"),
            ], className="small mt-1 card-source"),
        ]),
    ], className=f"h-100 target-card border-start border-{border}", id=card_id),
        xs=12, md=6, xl=4, className="mb-3")


@data.cached_page
def layout(lang: str = "zh", **_query):
    lang = norm_lang(lang)
    lang_search = with_params("", lang=lang)
    report = data.progress_report()
    indicators = data.indicators()
    cards = []
    # targets without data go last, so that the assessed ones are read first
    ordered = sorted(report["statuses"], key=lambda s: s["status"] == "insufficient_data")
    for status in ordered:
        meta = indicators[status["indicator_code"]]
        points = data.series(status["indicator_code"], status["region_code"])
        cards.append(target_card(status, meta, points, lang, lang_search))
    vintage = data.vintage()
    return html.Div([
        c.page_header(t("overview.title", lang)),
        dbc.Alert(t("overview.empty", lang), color="info", id="overview-empty") if not vintage else None,
        headline(report["summary"], lang),
        vintage_line(vintage, lang),
        dbc.Row(cards, className="g-3") if cards else c.no_data(lang),
    ], id="page-overview")
