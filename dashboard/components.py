"""Building blocks shared by the pages: status badges, chart blocks, figures, the prefecture map.

Figures are built from plain data (lists of point dicts and the indicator's metadata) by pure
functions, so tests can check them without a browser. Every chart carries: the target line or
band, hover text with value, unit, period, basis and source, a table of its numbers, Plotly's PNG
download, and (for statuses) a "how was this computed?" box.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
from html import escape as html_escape
from typing import Any, Iterable, Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html
from plotly.colors import get_colorscale, sample_colorscale

from dashboard.i18n import (
    STATUS_STYLE,
    axis_value,
    fmt_basis,
    fmt_gap,
    fmt_period,
    fmt_target,
    fmt_target_value,
    fmt_tolerance,
    fmt_value,
    norm_lang,
    pick,
    t,
    unit_label,
)
from dashboard.figures import Figure, html_element, trace
from etl.geo import GEOJSON_PATH, label_positions, prefecture_shapes  # noqa: F401  (the map's data)
from etl.wording import progress as words
from etl.wording.numbers import ChartNumbers, fmt_rate  # noqa: F401  (ChartNumbers: charts' one format)

FONT = ("system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', "
        "'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif")
COLORS = {"province": "#1f5fa8", "nation": "#7a7a7a", "target": "#c0392b", "peer": "#8fb3d9",
          "city": "#4c8bd6", "band": "rgba(192,57,43,0.12)"}
PEER_COLORS = ["#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00"]


# --- small pieces -----------------------------------------------------------------------------

def status_badge(code: str, label: str, *, id: str | None = None, size: str = "") -> dbc.Badge:
    """Status in colour AND words with an icon, never colour alone."""
    color, icon = STATUS_STYLE.get(code, ("secondary", "•"))
    text_color = "dark" if color == "warning" else None
    kwargs = {"id": id} if id else {}
    return dbc.Badge(f"{icon} {label}", color=color, text_color=text_color,
                     className=f"status-badge status-{code} {size}".strip(), **kwargs)


def page_header(title: str, subtitle: Any = None) -> html.Div:
    return html.Div([
        html.H1(title, className="h3 mb-1"),
        html.Div(subtitle, className="text-muted small") if subtitle else None,
    ], className="mb-3")


def no_data(lang: str) -> dbc.Alert:
    return dbc.Alert([html.Strong(t("no_data", lang)), " ", t("no_data_detail", lang)],
                     color="light", className="no-data")


def graph_config(filename: str, lang: str) -> dict:
    """Plotly's mode bar in the page's language (zh-CN from assets/plotly-locale-zh-cn.js), with
    its PNG download and reset, without "Share chart…", which uploads the figure to Plotly's cloud."""
    return {
        "displaylogo": False,
        "responsive": True,
        "locale": "zh-CN" if norm_lang(lang) == "zh" else "en",
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        # PNG download and reset only: the zoom buttons (dragging still zooms) would cover the
        # unit written above a narrow chart
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d", "sendChartToCloud",
                                   "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d"],
        "showSendToCloud": False,
    }


def numbers_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], lang: str,
                  id: str | None = None) -> html.Details:
    """The chart's numbers, one click away (works without any callback)."""
    body = [html_element("Tr", [html_element("Td", cell) for cell in row]) for row in rows]
    table = dbc.Table([html.Thead(html.Tr([html.Th(c) for c in columns])), html.Tbody(body)],
                      size="sm", striped=True, bordered=False, responsive=True,
                      className="numbers-table mb-0 small")
    kwargs = {"id": id} if id else {}
    return html.Details([html.Summary(t("chart.table", lang), className="small text-primary"),
                         table], className="mt-1", **kwargs)


def responsive_graph(figure: Any, config: dict, *, height: int | None = None,
                     lazy: bool = False, **kwargs: Any) -> Any:
    """A graph as wide as its card at any screen width, as tall as the figure asks.

    responsive=True makes Dash drop the figure's fixed size and follow the container (a resize
    observer), so a figure first drawn before the page's CSS settled still fits a phone screen;
    the height then comes from the style.

    lazy=True (needs an id): the graph starts as an empty frame of the same height and its figure
    waits, as JSON, on the wrapper's data-figure attribute; assets/lazy-charts.js draws it when it
    comes near the screen (at once for those in view, all of them before printing). A page of ten
    charts draws the two or three a reader sees first."""
    height = height or figure.layout.height or 320
    style = {"height": f"{height}px", "width": "100%"}
    if not lazy:
        return dcc.Graph(figure=figure, config=config, responsive=True, style=style, **kwargs)
    frame = Figure(layout=dict(height=height, template="plotly_white",
                               xaxis=dict(visible=False), yaxis=dict(visible=False),
                               margin=dict(l=0, r=0, t=0, b=0)))
    graph = dcc.Graph(figure=frame, config=config, responsive=True, style=style, **kwargs)
    # as tall as the graph before Dash has loaded the graph component, so that the charts below
    # are not all "in view" at first
    return html.Div(graph, id=f"{kwargs['id']}-lazy", className="lazy-chart",
                    style={"minHeight": f"{height}px"},
                    **{"data-graph": kwargs["id"], "data-figure": figure.to_json()})


def lazy_figure(tree_node: dict) -> dict:
    """The figure a lazy graph's wrapper carries (its data-figure JSON), for tests and tools."""
    import json

    return json.loads(tree_node["props"]["data-figure"])


def chart_block(title: str, figure: Any, *, graph_id: str, lang: str,
                table: Any = None, note: Any = None, explanation: Any = None,
                height: int | None = None, card_class: str = "") -> dbc.Card:
    """card_class: 'map-card' for a prefecture map (style.css: on a card of 440 px or less, as on
    a phone, labels without values and a squarer graph)."""
    return dbc.Card(dbc.CardBody([
        html.H2(title, className="h6 card-title mb-1"),
        responsive_graph(figure, graph_config(graph_id, lang), height=height, id=graph_id,
                         className="chart", lazy=True),
        html.Div(note, className="text-muted small") if note else None,
        table,
        explanation,
    ]), className=f"mb-3 chart-card {card_class}".strip())


def explanation_box(a, unit: str, lang: str, method_href: str) -> html.Details:
    """'How was this computed?': the numbers and the arithmetic of one Assessment
    (etl/progress/assess.py), in the catalogue's words (etl/wording/progress.py)."""
    ex = a.explanation
    by_ratio = ex.measured == "ratio_to_national"

    def num(value):  # values of a national-average target are ratios to the nation
        if value is None:
            return "—"
        return f"{value:.3f}" if by_ratio else fmt_value(value, unit, lang)

    rows = []

    def add(key: str, value: str) -> None:
        rows.append(html.Tr([html.Th(t(key, lang), className="fw-normal text-muted"),
                             html.Td(value)]))

    def year_value(year, value) -> str:
        return t("explain.year_value", lang, year=fmt_period(year, 0, "annual", lang), value=num(value))

    if ex.base is not None:
        add("explain.base", year_value(ex.base.year, ex.base.value))
    if ex.latest is not None:
        add("explain.latest", year_value(ex.latest.year, ex.latest.value))
    add("explain.target", year_value(ex.target_year, ex.target_value))
    if ex.observed_cagr is not None:
        add("explain.observed_cagr", fmt_rate(ex.observed_cagr))
    if ex.required_cagr is not None:
        add("explain.required_cagr", fmt_rate(ex.required_cagr))
    if ex.r is not None:
        add("explain.ratio", f"{ex.r:.3f}")
    steps = words.step_texts(a, lang)
    notes = words.note_texts(a, lang)
    # the engine's verdict: inside the 左右 band when the Assessment says so, never recomputed here
    within = a.standing.kind == "within_tolerance"
    return html.Details([
        html.Summary(t("explain.button", lang), className="small text-primary"),
        html.Div([
            html.P(words.verdict_text(a, lang), className="small mb-1 fw-semibold"),
            html.P(t("explain.within_tolerance", lang, gap=fmt_gap(a.gap, unit, lang),
                     band=fmt_tolerance(a.standing.band, unit, lang)),
                   className="small mb-1") if within else None,
            html.P(t("explain.by_ratio", lang), className="small mb-1") if by_ratio else None,
            dbc.Table(html.Tbody(rows), size="sm", className="small mb-1") if rows else None,
            html.Ul([html.Li(step, className="font-monospace") for step in steps],
                    className="small mb-1 ps-3") if steps else None,
            html.Ul([html.Li(note) for note in notes], className="small text-muted mb-1 ps-3")
            if notes else None,
            html.P(words.method_text("explain.rule", lang), className="small text-muted mb-1"),
            dcc.Link(t("explain.method_link", lang), href=method_href, className="small"),
        ], className="explain-body"),
    ], className="mt-1 explain")


# --- time series --------------------------------------------------------------------------------

def period_end(year: int, quarter: int) -> dt.date:
    if not quarter:
        return dt.date(year, 12, 31)
    month = quarter * 3
    return dt.date(year + (month == 12), 1 if month == 12 else month + 1, 1) - dt.timedelta(days=1)


def period_mid(year: int, quarter: int) -> dt.date:
    """Where a period sits on a time axis: the middle of its year or quarter, so that each point
    stands above its year's label."""
    if not quarter:
        return dt.date(year, 7, 1)
    return dt.date(year, quarter * 3 - 1, 15)


def base_layout(lang: str, *, height: int = 320, unit_text: str = "", legend: bool = True) -> dict:
    """Legend under the plot, the unit written above the y axis (a rotated axis title would turn
    Chinese characters sideways), Plotly's mode bar top right."""
    annotations = []
    if unit_text:
        annotations.append(dict(text=t("chart.unit_prefix", lang, unit=unit_text), x=0, y=1.02, xref="paper", yref="paper",
                                xanchor="left", yanchor="bottom", showarrow=False,
                                font=dict(size=11, color="#6c757d")))
    return dict(
        template="plotly_white",
        height=height,
        margin=dict(l=48, r=12, t=30, b=36 + (34 if legend else 0)),
        font=dict(family=FONT, size=12),
        separators=".,",
        hovermode="closest",
        showlegend=legend,
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0),
        # '120,000', not '120k': SI suffixes are no Chinese number format
        yaxis=dict(rangemode="tozero", automargin=True, exponentformat="none",
                   separatethousands=True),
        annotations=annotations,
        hoverlabel=dict(font=dict(family=FONT)),
    )


def hover_rows(points: Sequence[dict], meta: dict, lang: str, region_name: str) -> list[list[str]]:
    unit, kind = meta["unit"], meta.get("kind")
    derived = f" · {t('basis.derived', lang)}"
    return [[
        region_name,
        period_words(p["year"], p["quarter"], p["basis"], lang, kind)[0],
        fmt_value(p["value"], unit, lang),
        period_words(p["year"], p["quarter"], p["basis"], lang, kind)[1] + (derived if p.get("derived") else ""),
        p.get("source") or pick(meta.get("source_zh"), meta.get("source_en"), lang),
    ] for p in points]


@functools.lru_cache(maxsize=4096)
def period_words(year: int, quarter: int, basis: str, lang: str, kind: str | None) -> tuple[str, str]:
    """A period's label and its basis as read (fmt_period, fmt_basis), made once: the same few
    dozen periods are named thousands of times on a page's charts, tables and cards."""
    period = {"year": year, "quarter": quarter, "basis": basis}
    return fmt_period(year, quarter, basis, lang, kind=kind), fmt_basis(basis, lang, period=period, kind=kind)


HOVER = ("<b>%{customdata[0]}</b><br>%{customdata[1]}: <b>%{customdata[2]}</b><br>"
         "%{customdata[3]}<br>%{customdata[4]}<extra></extra>")


def hover_safe(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Customdata for HOVER with its text escaped: Plotly renders a hover's text as HTML (<a>, <b>,
    <br>), so a source line from a file reading '<a href=…>' would become a live link."""
    return [[html_escape(cell, quote=False) if isinstance(cell, str) else cell for cell in row]
            for row in rows]


def series_trace(points: Sequence[dict], meta: dict, lang: str, *, name: str,
                 color: str, dash: str = "solid", mode: str = "lines+markers",
                 place=None) -> dict:
    place = place or period_mid
    points = sorted(points, key=lambda p: place(p["year"], p["quarter"]))
    return trace("scatter",
        x=[place(p["year"], p["quarter"]) for p in points],
        y=[axis_value(p["value"], meta["unit"], lang) for p in points],
        name=name, mode=mode, line=dict(color=color, dash=dash, width=2),
        marker=dict(size=6), customdata=hover_safe(hover_rows(points, meta, lang, name)),
        hovertemplate=HOVER,
    )


def target_traces(target: dict | None, meta: dict, lang: str, start: dt.date) -> list[dict]:
    """The target as a dashed line up to its year, and the 左右 band when there is a tolerance."""
    if not target or target.get("value") is None:
        return []
    unit = meta["unit"]
    value = target["value"]
    end = dt.date(target["target_year"], 12, 31)  # the target holds by the end of its year
    label = t("chart.target_line", lang, value=fmt_target(target.get("kind"), value, unit, lang))
    custom = [label, fmt_period(target["target_year"], 0, "annual", lang),
              fmt_target(target.get("kind"), value, unit, lang),
              pick(target.get("clause_ref_zh"), target.get("clause_ref_en"), lang),
              pick(target.get("set_name_zh"), target.get("set_name_en"), lang)]
    traces = []
    tol = target.get("tolerance")
    if tol:
        lo, hi = axis_value(value - tol, unit, lang), axis_value(value + tol, unit, lang)
        traces.append(trace(
            "scatter", x=[start, end, end, start, start], y=[lo, lo, hi, hi, lo], fill="toself",
            fillcolor=COLORS["band"], line=dict(width=0), mode="lines",
            name=t("chart.band", lang, low=fmt_target_value(value - tol, unit, lang),
                   high=fmt_target_value(value + tol, unit, lang)), hoverinfo="skip"))
    traces.append(trace(
        "scatter", x=[start, end], y=[axis_value(value, unit, lang)] * 2, mode="lines+markers",
        line=dict(color=COLORS["target"], dash="dash", width=2), marker=dict(size=[0, 9], symbol="star"),
        name=label, customdata=hover_safe([custom, custom]), hovertemplate=HOVER))
    return traces


def time_series_figure(series: Sequence[tuple[str, Sequence[dict], str, str]], meta: dict,
                       lang: str, *, target: dict | None = None, height: int = 320) -> Figure:
    """series: (name, points, colour, dash) per line. Points: dicts with year, quarter, basis, value.

    With quarterly points, every point sits at its period's end (a year at 31 December, after its
    third quarter); with whole years only, each sits mid-year, above its year's label.
    """
    quarterly = any(p["quarter"] for _, pts, _, _ in series for p in pts)
    place = period_end if quarterly else period_mid
    fig = Figure()
    starts = [place(p["year"], p["quarter"]) for _, pts, _, _ in series for p in pts]
    start = min(starts) if starts else dt.date(2020, 7, 1)
    for line in target_traces(target, meta, lang, start):
        fig.add_trace(line)
    for name, points, color, dash in series:
        if points:
            fig.add_trace(series_trace(points, meta, lang, name=name, color=color, dash=dash,
                                       place=place))
    fig.update_layout(**base_layout(lang, height=height, legend=height > 260,
                                    unit_text=unit_label(meta["unit"], meta.get("unit_en"), lang)))
    fig.update_xaxes(tickformat="%Y", dtick="M12" if height > 260 else "M24",
                     ticklabelmode="period", showgrid=False, tickangle=0)
    return fig


def sparkline_figure(points: Sequence[dict], meta: dict, lang: str, target: dict | None,
                     color: str) -> Figure:
    fig = time_series_figure([("", points, color, "solid")], meta, lang, target=target, height=70)
    fig.update_layout(margin=dict(l=2, r=2, t=4, b=2), showlegend=False, annotations=[],
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, rangemode="normal")
    return fig


def series_table_rows(series: Sequence[tuple[str, Sequence[dict], str, str]], meta: dict,
                      lang: str) -> list[list[str]]:
    rows = []
    for name, points, _, _ in series:
        rows.extend(hover_rows(sorted(points, key=lambda p: (p["year"], p["quarter"])),
                               meta, lang, name))
    return rows


def series_columns(lang: str) -> list[str]:
    return [t("col.region", lang), t("col.period", lang), t("col.value", lang),
            t("col.basis", lang), t("col.source", lang)]


# --- one number format per chart ----------------------------------------------------------------

# --- rankings and comparisons -----------------------------------------------------------------

def ranking_figure(rows: Sequence[dict], meta: dict, lang: str, *, reference: dict | None = None,
                   target: dict | None = None, highlight: str | None = None) -> Figure:
    """Horizontal bars, best at the top. rows: dicts with region_code, name, value, period fields."""
    ordered = sorted(rows, key=lambda r: r["value"], reverse=meta.get("direction") != "lower")
    ordered = list(reversed(ordered))  # plotly draws the first bar at the bottom
    unit = meta["unit"]
    numbers = ChartNumbers([r["value"] for r in ordered], unit, meta.get("unit_en"), lang)
    colors = [COLORS["province"] if r["region_code"] == highlight else COLORS["city"] for r in ordered]
    fig = Figure(trace(
        "bar", y=[r["name"] for r in ordered], x=[numbers.axis(r["value"]) for r in ordered],
        orientation="h", marker=dict(color=colors),
        text=[numbers.text(r["value"]) for r in ordered], textposition="auto",
        customdata=hover_safe([hover_rows([r], meta, lang, r["name"])[0] for r in ordered]),
        hovertemplate=HOVER, name=pick(meta.get("name_zh"), meta.get("name_en"), lang),
    ))
    lines = []
    # a province's total or target is no yardstick for one city's count or sum: ratios only
    comparable = meta.get("measure") == "ratio"
    if comparable and reference and reference.get("value") is not None:
        lines.append((reference["value"], reference["name"], COLORS["nation"], "dot", "bottom right"))
    if comparable and target and target.get("value") is not None:
        lines.append((target["value"], t("chart.target_line", lang, value=fmt_target(
            target.get("kind"), target["value"], unit, lang)), COLORS["target"], "dash", "top right"))
    for value, label, color, dash, _ in lines:
        add_reference_line(fig, numbers.axis(value), label, color, dash)
    layout = base_layout(lang, height=max(260, 26 * len(ordered) + 70 + (30 if lines else 0)),
                         legend=bool(lines))
    layout["yaxis"] = dict(automargin=True)
    layout["xaxis"] = dict(title=dict(text=numbers.label),
                           rangemode="tozero", automargin=True, exponentformat="none",
                           separatethousands=True)
    layout["margin"] = dict(l=8, r=12, t=36, b=36)
    layout["legend"] = dict(orientation="h", yanchor="top", y=-0.14 if len(ordered) > 6 else -0.3,
                            xanchor="left", x=0)
    fig.update_layout(**layout)
    fig.data[0].showlegend = False
    return fig


def add_reference_line(fig: Any, x: float, label: str, color: str, dash: str) -> None:
    """A vertical line across the plot, named in the legend under the plot: a label written on
    the plot would sit on the bars or under Plotly's mode bar. Drawn beneath the bars, so that no
    bar's value label is hidden under it (it shows between the bars and beyond them)."""
    fig.add_vline(x=x, line_color=color, line_dash=dash, line_width=2, layer="below")
    fig.add_trace(trace("scatter", x=[None], y=[None], mode="lines", name=label, hoverinfo="skip",
                        line=dict(color=color, dash=dash, width=2)))


# --- the prefecture map (示意图) ------------------------------------------------------------------

def prefecture_map_figure(values: dict[str, dict], names: dict[str, str], meta: dict,
                          lang: str, *, height: int = 540) -> Figure:
    """The 13 prefectures coloured by value, drawn as SVG shapes on lon/lat axes.

    Why not go.Choroplethmap: map tiles are WebGL (MapLibre), which some intranet PCs and headless
    browsers lack, and its text labels need glyph files from the internet. Plain filled shapes need
    nothing but our own GeoJSON. values: code -> {'value', 'year', 'quarter', 'basis', ...}.
    """
    shapes = prefecture_shapes()
    unit = meta["unit"]
    present = [v["value"] for v in values.values() if v.get("value") is not None]
    numbers = ChartNumbers(present, unit, meta.get("unit_en"), lang)
    lo, hi = (min(present), max(present)) if present else (0.0, 1.0)
    span = (hi - lo) or 1.0
    scale = _colorscale("Blues")
    fig = Figure()
    fills = {}
    shaded = [code for code in shapes if (values.get(code) or {}).get("value") is not None]
    colors = dict(zip(shaded, sample_colorscale(  # one call: it checks the scale every time
        scale, [0.15 + 0.85 * (values[code]["value"] - lo) / span for code in shaded])))
    for code, shape in shapes.items():
        item = values.get(code)
        name = names.get(code, shape["name"])
        if code in colors:
            color = colors[code]
            row = hover_rows([item], meta, lang, name)[0]
        else:
            color = "#eeeeee"
            row = [name, "—", "—", "", ""]
        fills[code] = color
        fig.add_trace(trace(
            "scatter", x=shape["x"], y=shape["y"], fill="toself", fillcolor=color, mode="lines",
            line=dict(color="white", width=1), hoveron="fills", name=name,
            text="<b>{0}</b><br>{1}: <b>{2}</b><br>{3}<br>{4}".format(*row), hoverinfo="text",
            showlegend=False))
    # labels: a scatter trace of text at each label position (SVG text, no font download)
    label_codes = list(shapes)
    places = label_positions()
    points = [places.get(c, shapes[c]["cp"]) for c in label_codes]
    fig.add_trace(trace(
        "scatter", x=[p[0] for p in points], y=[p[1] for p in points],
        mode="text", text=[_map_label(names.get(c, shapes[c]["name"]), values.get(c), numbers)
                           for c in label_codes],
        textfont=dict(size=12, color=[label_color(fills[c]) for c in label_codes]),
        hoverinfo="skip", showlegend=False))
    if present:  # an invisible trace that draws the colour bar
        fig.add_trace(trace(
            "scatter", x=[None], y=[None], mode="markers", hoverinfo="skip", showlegend=False,
            marker=dict(colorscale=[[0, sample_colorscale(scale, [0.15])[0]], [1, sample_colorscale(scale, [1.0])[0]]],
                        cmin=numbers.axis(lo), cmax=numbers.axis(hi),
                        color=[numbers.axis(lo)], showscale=True,
                        # under the map, across: beside it, it took a fifth of a phone's width;
                        # the unit written level at its right end (a rotated '个' read like an arrow)
                        colorbar=dict(orientation="h", thickness=10, len=0.6, x=0.5,
                                      xanchor="center", y=0, yanchor="top", ypad=4,
                                      exponentformat="none", separatethousands=True,
                                      tickfont=dict(size=11), tickangle=0, nticks=4, title=dict(
                            text=numbers.label, side="right", font=dict(size=11))))))
    layout = base_layout(lang, height=height, legend=False)
    layout["margin"] = dict(l=0, r=0, t=10, b=48 if present else 0)
    layout["yaxis"] = dict(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(48)),
                           fixedrange=False)
    layout["xaxis"] = dict(visible=False)
    layout["hovermode"] = "closest"
    fig.update_layout(**layout)
    return fig


@functools.lru_cache(maxsize=8)
def _colorscale(name: str) -> list:
    """A named colour scale as its list of stops, looked up once: sample_colorscale given a name
    builds plotly's table of every named scale on each call (~1 ms; three per map)."""
    return get_colorscale(name)


def label_color(fill: str) -> str:
    """White on a dark fill, near-black on a light one, from the fill's relative luminance
    (WCAG): whichever of the two contrasts more with it."""
    text = fill.strip()
    if text.startswith("#"):
        text = text.lstrip("#")
        rgb = [int(text[i:i + 2], 16) for i in (0, 2, 4)]
    else:
        rgb = [float(part) for part in text[text.index("(") + 1:text.index(")")].split(",")[:3]]

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
    dark_text = 0.2126 * linear(0x22) + 0.7152 * linear(0x22) + 0.0722 * linear(0x22)
    with_white = 1.05 / (luminance + 0.05)
    with_dark = (luminance + 0.05) / (dark_text + 0.05)
    return "white" if with_white > with_dark else "#222"


def _map_label(name: str, item: dict | None, numbers: ChartNumbers) -> str:
    """'哈尔滨<br>66.1%': the value on a second line, which style.css hides on a narrow card."""
    if not item or item.get("value") is None:
        return name
    return f"{name}<br>{numbers.text(item['value'])}"


# --- ag-grid ------------------------------------------------------------------------------------

# ag-grid 35's own words (keys as its community bundle looks them up). Its pager is built as
# [page] N [of] M and its row summary as A [to] B [of] C, with "of" shared: "第 1 / 3" plus the
# "页" that assets/style.css writes after the page count of a .grid-zh grid -> "第 1 / 3 页";
# rows: "1 至 50 / 120".
GRID_WORDS = (  # ag-grid's keys, their words grid.<key> in the catalogue
    "page", "of", "to", "more", "firstPage", "previousPage", "nextPage", "lastPage",
    "pageSizeSelectorLabel", "ariaPageSizeSelectorLabel", "filterOoo", "empty", "equals",
    "notEqual", "contains", "notContains", "startsWith", "endsWith", "lessThan", "greaterThan",
    "lessThanOrEqual", "greaterThanOrEqual", "inRange", "inRangeStart", "inRangeEnd", "before",
    "after", "blank", "notBlank", "blanks", "andCondition", "orCondition", "applyFilter",
    "clearFilter", "resetFilter", "cancelFilter", "textFilter", "numberFilter", "dateFilter",
    "ariaFilterValue", "ariaLabelColumnFilter", "ariaFilterMenuOpen", "noRowsToShow", "loadingOoo",
    "loadingError",
)
GRID_LOCALE_ZH = {"pageLastRowUnknown": "?", **{key: t(f"grid.{key}", "zh") for key in GRID_WORDS}}


def grid_locale(lang: str) -> dict | None:
    """ag-grid's own words (pager, filters) in Chinese; None keeps its English."""
    return GRID_LOCALE_ZH if norm_lang(lang) == "zh" else None


def grid_keys(rows) -> list[str]:
    """The row keys a grid's virtualRowData says it shows, in its order, each once; anything else
    is ignored. Exports re-read every value on the server by these keys: the browser only chooses
    which rows and in which order, never what they say."""
    seen: dict[str, None] = {}
    for row in rows if isinstance(rows, list) else ():
        key = row.get("key") if isinstance(row, dict) else None
        if isinstance(key, str):
            seen.setdefault(key)
    return list(seen)


def grid_class(lang: str) -> str:
    """The grid's class: 'grid-zh' lets the stylesheet finish the Chinese pager ('第 1 / 3 页')."""
    return "grid-zh" if norm_lang(lang) == "zh" else ""


# --- controls whose value lives in the URL -----------------------------------------------------

DROPDOWN_LABELS = {
    "zh": {name: t(f"dropdown.{name}", "zh") for name in ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection", "no_options_found")},
    "en": None,  # Dash's own English labels
}


def url_dropdown(name: str, label: str, options: list[dict], value: Any, *, lang: str = "zh",
                 multi: bool = False, clearable: bool = False) -> html.Div:
    """A dropdown bound to the query parameter `name` (see shell.URL_FROM_CONTROLS); the value the
    page was rendered with rides along in a url-rendered store, so that the browser can tell a
    control the router has just drawn (its state goes into the URL, no new render) from one the
    user changed (the page renders again from the new URL)."""
    return html.Div([
        dbc.Label(label, html_for=f"ctl-{name}", className="small mb-0"),
        dcc.Dropdown(id={"type": "url-param", "name": name}, options=options, value=value,
                     multi=multi, clearable=clearable, searchable=False, className="url-control",
                     labels=DROPDOWN_LABELS.get(norm_lang(lang))),
        dcc.Store(id={"type": "url-rendered", "name": name}, data=value),
    ], className="control", id=f"ctl-{name}")


def controls_row(*controls: html.Div) -> dbc.Row:
    return dbc.Row([dbc.Col(ctl, xs=12, sm=6, lg=4) for ctl in controls], className="g-2 mb-3")


# --- a grid's export -------------------------------------------------------------------------------

def grid_shown(rows: Iterable[dict], shown) -> list[dict]:
    """Of the rows read on the server, those a grid's virtualRowData says it shows, in its order
    (by their keys, see grid_keys)."""
    by_key = {row["key"]: row for row in rows}
    return [by_key[key] for key in grid_keys(shown) if key in by_key]


def export_cells(columns: Sequence[tuple[str, str]], rows: Iterable[dict], lang: str
                 ) -> tuple[list[str], list[list[Any]]]:
    """A file's header (the columns' titles) and rows (each row's fields in the columns' order);
    columns are (field, title key) pairs."""
    return ([t(key, lang) for _, key in columns],
            [[row.get(field) for field, _ in columns] for row in rows])
