"""总览 Overview: one card per target, a headline count, and the data vintage.

In five seconds: which targets are met, on track, behind and by how much, as of which quarter.
"""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import briefing_view
from dashboard import components as c
from dashboard import data
from dashboard.sparkline import sparkline as draw_sparkline
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
    page_words,
    pick,
    t,
    with_params,
)
from dashboard.progress_view import period_param
from etl.periods import period_sort_key
from etl.wording import progress as words

dash.register_page(__name__, path="/", order=0, **page_words("nav.overview"))

# Which page explains each indicator further (the card's "details" link).
DETAIL_PAGE = {
    "digital_core_va_share": "/core",
    "digital_core_va": "/core",
    "large_mfg_digital_rate": "/enterprise",
    "above_scale_digital_rate": "/enterprise",
    "digital_economy_share": "/benchmarks",
}


def period_title(period, lang: str) -> str:
    """'2025年目标终期评估' for a closed period, '2030年目标进展' for an open one."""
    return words.period_title(period, lang) if period is not None else t("overview.title", lang)


def headline(report: dict, lang: str) -> html.Div:
    summary = report["summary"]
    # a closed period: n of 12 met, with final values; an open one: met or on track
    text = words.period_headline(report["period"], summary, lang)
    return html.Div([
        html.P(text, className="headline h4 mb-2", id="overview-headline"),
        html.Div([c.status_badge(code, f"{words.status_label(code, lang)} {n}", size="fs-6 me-1 mb-1")
                  for code, n in summary.counts.items() if n], id="overview-counts"),
    ])


def period_links(report: dict, lang: str, lang_search: str) -> html.Div | None:
    """The other target periods, one click away (?targets=2030), and, when every policy period
    is over, an invitation to add the next target set."""
    period, periods = report["period"], report["periods"]
    parts = []
    newer_policy = [p for p in periods if not p.illustrative and period is not None
                    and p.year > period.year]
    if period is not None and period.closed and not period.illustrative and not newer_policy:
        parts.append(dbc.Alert(t("summary.next_set", lang, year=period.year), color="info",
                               className="small py-2 mb-2", id="overview-next-set"))
    if period is not None and period.illustrative:
        parts.append(dbc.Alert(t("summary.illustrative_note", lang, year=period.year),
                               color="warning", className="small py-2 mb-2",
                               id="overview-illustrative"))
    others = [p for p in periods if p != period]
    if others:
        links = []
        for p in others:
            key = ("summary.period_link_illustrative" if p.illustrative else
                   "summary.period_link_closed" if p.closed else "summary.period_link")
            href = dash.get_relative_path("/") + with_params(lang_search, targets=period_param(p, periods))
            links.append(dcc.Link(t(key, lang, year=p.year), href=href, className="me-3",
                                  id=f"overview-period-{period_param(p, periods)}"))
        parts.append(html.Div([html.Span(t("summary.other_periods", lang), className="text-muted"),
                               *links], className="small mb-2", id="overview-periods"))
    return html.Div(parts) if parts else None


def vintage_line(report: dict, vintage: dict | None, lang: str) -> html.P:
    """The vintage of the values shown (each card's assessed value, up to its target year), and
    the newer values apart: the header never claims a quarter that most cards do not show."""
    shown = [a.latest for a in report["assessments"] if a.latest is not None]
    if not vintage or not shown:
        return html.P(t("vintage.none", lang), className="text-muted mb-3", id="overview-vintage")
    newest = max(shown, key=lambda p: period_sort_key(p.year, p.quarter))
    text = t("vintage.shown", lang, period=fmt_vintage_period(newest.year, newest.quarter, lang),
             updated=fmt_datetime(vintage.get("updated_at"), lang))
    newer = [a.newer for a in report["assessments"] if a.newer is not None]
    if newer:
        top = max(newer, key=lambda p: period_sort_key(p.year, p.quarter))
        text += t("vintage.newer", lang, n=len(newer), year=min(p.year for p in newer),
                  period=fmt_vintage_period(top.year, top.quarter, lang))
    return html.P(text, className="text-muted mb-3", id="overview-vintage")


def briefing_buttons(vintage: dict | None, lang: str) -> html.Div | None:
    """Download the latest quarter's briefing (etl/briefing) in the page's language, as Word or PDF."""
    if not vintage:
        return None
    quarter = briefing_view.quarter_label(vintage["year"], vintage["quarter"] or 4, lang)
    return html.Div([
        html.Span(t("briefing.download", lang, quarter=quarter), className="text-muted small me-2"),
        *[html.A(label, href=briefing_view.href(lang, fmt), className="btn btn-outline-primary btn-sm me-1",
                 id=f"overview-briefing-{fmt}", download="")
          for fmt, label in (("docx", "Word"), ("pdf", "PDF"))],
    ], className="mb-3 d-flex align-items-center flex-wrap", id="overview-briefing")


def fact(label: str, value: str, note: str, cls: str, ident: str) -> html.Div:
    return html.Div([html.Div(label, className="fact-label"),
                     html.Div(value, className=f"fact-value {cls}", id=f"{ident}-value"),
                     html.Div(note, className="fact-note small text-muted", id=f"{ident}-note")],
                    className="fact")


def verdict_badge(a, lang: str) -> dbc.Badge:
    return dbc.Badge(words.verdict_word(a.verdict.kind, lang), color="light", text_color="dark",
                     className="ms-auto verdict border", id=f"card-{a.indicator_code}-verdict")


def target_label(a, unit: str, lang: str) -> str:
    """'≥10%', '60%左右'; the catalogue's words for national-average and full-coverage targets."""
    target = a.target
    if target.kind in ("at_least", "approximately") and target.value is not None:
        return fmt_target(target.kind, target.value, unit, lang)
    return words.target_label(target, lang)


def target_note(a, unit: str, lang: str) -> str:
    """Under the target: its year, and the 左右 band ('容差±2个百分点 · 2025年')."""
    if a.kind == "national_average" and a.national is not None and a.national.value is not None:
        return t("card.national", lang, value=fmt_value(a.national.value, unit, lang))
    year = fmt_period(a.target_year, 0, "annual", lang)
    tol = a.target.tolerance
    if a.kind == "approximately" and tol:
        return f"{t('card.tolerance', lang, band=fmt_tolerance(tol, unit, lang))} · {year}"
    return year


def gap_decimals(latest: float | None, unit: str) -> int | None:
    """A gap in a count or sum shows as many decimals as the current value beside it."""
    if latest is None or unit == "%":
        return None
    return default_decimals(abs(latest), unit)


def value_label(a, lang: str) -> str:
    """'2025年终值' for a final verdict (the value it is about), else 'current'."""
    if a.is_final:
        return t("card.final_value", lang, year=a.target_year)
    return t("card.current", lang)


def newer_line(a, unit: str, lang: str) -> html.Div | None:
    """'2026年最新：9.5%（2026年前三季度）': where things stand now, apart from (and smaller than)
    the target year's value the verdict is about."""
    if a.newer is None:
        return None
    return html.Div(t("card.newer", lang, year=a.newer.year, value=fmt_value(a.newer.value, unit, lang),
                      period=pick(a.newer.period_zh, a.newer.period_en, lang)),
                    className="small text-muted newer-value", id=f"card-{a.indicator_code}-newer")


def target_card(a, meta: dict, points: list[dict], lang: str, lang_search: str) -> dbc.Col:
    unit = meta["unit"]
    name = pick(meta["name_zh"], meta["name_en"], lang)
    national = a.kind == "national_average"
    current = fmt_value(a.latest_value, unit, lang)
    period = pick(a.latest.period_zh, a.latest.period_en, lang) if a.latest else ""
    gap = a.gap
    gap_label = t("card.gap_met", lang) if gap is not None and gap > 1e-9 else t("card.gap", lang)
    # the catalogue's words for where the value stands, from the engine's Standing: share of the
    # way, within the band, ratio to the nation or to the target
    gap_note = words.standing_text(a, lang) or ""
    card_id = f"card-{a.indicator_code}"
    facts = [
        fact(value_label(a, lang), current, period, "current-value", f"{card_id}-current"),
        fact(t("card.target", lang), target_label(a, unit, lang), target_note(a, unit, lang),
             "target-value", f"{card_id}-target"),
        fact(gap_label, fmt_gap(gap, unit, lang, gap_decimals(a.latest_value, unit), like=a.latest_value),
             gap_note, "gap-value", f"{card_id}-gap"),
    ]
    extra = []
    projection = a.projection if a.projection and a.projection.measured == "value" else None
    if not a.is_final and projection is not None and projection.at_observed_cagr is not None:
        extra.append(t("card.projection", lang, year=a.target_year,
                       value=fmt_value(projection.at_observed_cagr, unit, lang)))
    if not a.is_final and projection is not None and projection.required_growth is not None \
            and a.status != "achieved":
        extra.append(t("card.required_growth", lang, rate=fmt_percent(projection.required_growth, lang)))
    target_line = None if national else {"value": a.target.value, "target_year": a.target_year,
                                         "tolerance": a.target.tolerance, "kind": a.kind}
    # a small SVG made here, not a Plotly graph: twelve Plotly instances were most of the drawing
    sparkline = draw_sparkline(points, meta, lang, target_line, c.COLORS["province"]) if points else None
    detail = DETAIL_PAGE.get(meta["code"], "/infrastructure")
    border = c.STATUS_STYLE.get(a.status, ("secondary", ""))[0]
    illustrative = (dbc.Badge(t("summary.illustrative_badge", lang), color="warning", text_color="dark",
                              className="illustrative") if a.target.set_illustrative else None)
    return dbc.Col(dbc.Card([
        dbc.CardHeader(html.Div([
            c.status_badge(a.status, words.status_label(a.status, lang), id=f"{card_id}-status"),
            illustrative,
            verdict_badge(a, lang),
        ], className="d-flex align-items-center gap-2")),
        dbc.CardBody([
            html.H2(name, className="h6 mb-2 card-indicator"),
            html.Div(facts, className="facts d-flex justify-content-between gap-2"),
            newer_line(a, unit, lang),
            sparkline,
            html.Ul([html.Li(x) for x in extra], className="small text-muted mb-1 ps-3") if extra else None,
            c.explanation_box(a, unit, lang, dash.get_relative_path("/method") + lang_search),
            html.Div([
                html.Span(pick(a.target.clause_ref_zh, a.target.clause_ref_en, lang) + " · "
                          + pick(a.target.set_name_zh, a.target.set_name_en, lang),
                          className="text-muted"),
                dcc.Link(t("card.details", lang) + " →",
                         href=dash.get_relative_path(detail) + lang_search, className="ms-2"),
            ], className="small mt-1 card-source"),
        ]),
    ], className=f"h-100 target-card border-start border-{border}", id=card_id),
        xs=12, md=6, xl=4, className="mb-3")


@data.summarised("overview", keys=lambda: ["", *data.target_period_params()])
def card_series(targets: str) -> dict[tuple[str, str], list[dict]]:
    """{(indicator, region): the line of its card's sparkline} for every target of a target
    period: computed once per data change (the summary), not twelve series per cold render."""
    report = data.progress_report(targets or None)
    return {(a.indicator_code, a.region_code): data.series(a.indicator_code, a.region_code)
            for a in report["assessments"]}


def target_cards(targets: str | None, lang: str) -> list:
    """A card per target of the target period (the default one when None)."""
    lang_search = with_params("", lang=lang)
    report = data.progress_report(targets)
    indicators = data.indicators()
    cards = []
    # targets without data go last, so that the assessed ones are read first
    ordered = sorted(report["assessments"], key=lambda a: a.status == "insufficient_data")
    points = card_series(data.target_key(targets))
    for a in ordered:
        meta = indicators[a.indicator_code]
        cards.append(target_card(a, meta, points[a.indicator_code, a.region_code], lang, lang_search))
    return cards


@data.page_part("overview-cards")
def default_cards(lang: str) -> list:
    """The cards of the default target period, what most visits show: kept as sent
    (data.page_part); another period's (?targets=) are computed by the same function."""
    return target_cards(None, lang)


@data.cached_page
def layout(lang: str = "zh", targets: str | None = None, **_query):
    lang = norm_lang(lang)
    report = data.progress_report(targets)
    cards = default_cards(lang) if targets is None else target_cards(targets, lang)
    vintage = data.vintage()
    return html.Div([
        c.page_header(period_title(report["period"], lang)),
        dbc.Alert(t("overview.empty", lang), color="info", id="overview-empty") if not vintage else None,
        headline(report, lang),
        vintage_line(report, vintage, lang),
        briefing_buttons(vintage, lang),
        period_links(report, lang, with_params("", lang=lang, targets=None)),
        dbc.Row(cards, className="g-3") if cards else c.no_data(lang),
    ], id="page-overview")
