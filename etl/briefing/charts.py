"""The briefing's figures, drawn for paper: static Plotly figures (no hover, larger type, period
names on the axis from the one period formatter) over the same query functions as the pages, and
their PNG images through Kaleido with the machine's Chromium (offline: every figure carries its
own data, the map its own shapes from data/geo).
"""
from __future__ import annotations

import asyncio
import math
from typing import Optional

import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from etl import periods as P
from etl.briefing.document import Figure
from etl.geo import label_positions, prefecture_shapes
from etl.progress import method as m
from etl.store import queries
from etl.wording import pick, t
from etl.wording.numbers import ChartNumbers, axis_value, unit_label, unit_word
from etl.wording import progress as words

CORE_SHARE = "digital_core_va_share"
RATES = ("large_mfg_digital_rate", "above_scale_digital_rate")
FIVEG = "fiveg_base_stations"
FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
COLORS = ("#1f5fa8", "#e69f00", "#009e73", "#cc79a7")
TARGET_COLORS = ("#c0392b", "#8e44ad")
NATION = "#7a7a7a"
COUNT_UNIT, WAN_COUNT_UNIT = "个", "万个"  # the stored unit of counts (5G stations), in 万个 from 10,000 on
YEAR_WORD = "年"  # a Chinese period label breaks onto two lines after it
SCALE = 2  # PNG pixels per CSS pixel: a 900 px wide figure prints sharp across an A4 page


# --- data --------------------------------------------------------------------------------------

def chart_points(db, meta: dict, region: str, up_to: tuple[int, int]) -> list[dict]:
    """A line of a chart: whole years, plus the quarters of years without a whole-year value (for
    ratios and stocks; a flow's year to date would zigzag against full years), up to the quarter."""
    code = meta["code"]
    end = P.period_sort_key(*up_to)[:2]

    def known(rows: list[dict]) -> list[dict]:
        return [r for r in rows if P.period_sort_key(r["year"], r["quarter"])[:2] <= end]

    points = known(queries.series(db, code, [region], frequency="annual"))
    if meta["measure"] != "flow":
        years = {r["year"] for r in points}
        points += [r for r in known(queries.series(db, code, [region])) if r["year"] not in years]
    return sorted(points, key=lambda p: P.period_sort_key(p["year"], p["quarter"]))


# --- figures -----------------------------------------------------------------------------------

def _layout(lang: str, unit_text: str, height: int) -> dict:
    return dict(template="plotly_white", height=height, font=dict(family=FONT, size=15, color="#222"),
                margin=dict(l=70, r=20, t=40, b=20), separators=".,",
                legend=dict(orientation="h", yanchor="top", y=-0.16, xanchor="left", x=0, font=dict(size=14)),
                yaxis=dict(rangemode="tozero", exponentformat="none", separatethousands=True,
                           gridcolor="#ddd", automargin=True),
                xaxis=dict(type="category", showgrid=False, automargin=True, tickangle=0),
                annotations=[dict(text=unit_text, x=0, y=1.02, xref="paper", yref="paper", xanchor="left",
                                  yanchor="bottom", showarrow=False, font=dict(size=13, color="#555"))])


def line_figure(lines: list[tuple[str, list[dict], dict]], targets: list[tuple], lang: str,
                height: int = 420) -> go.Figure:
    """lines: (name, points, indicator meta); targets: (label, value, tolerance, unit) drawn as
    dashed horizontal lines (with the 左右 band)."""
    keyed = {}
    for _, points, meta in lines:
        for p in points:
            keyed[P.period_sort_key(p["year"], p["quarter"])] = _tick(P.indicator_period(p, meta, lang))
    order = [keyed[k] for k in sorted(keyed)]
    fig = go.Figure()
    unit, unit_en = lines[0][2]["unit"], lines[0][2].get("unit_en")
    # a count written in 万个 beside each point ('11.52万个') is plotted in 万个 too, on the axis
    wan = lang == "zh" and unit == COUNT_UNIT and any(abs(p["value"]) >= 10000 for _, pts, _ in lines for p in pts)

    def y(value: float, unit: str = unit) -> float:
        return value / 10000 if wan else axis_value(value, unit, lang)

    for i, (label, value, tolerance, _) in enumerate(targets):
        color = TARGET_COLORS[i % len(TARGET_COLORS)]
        if tolerance:
            fig.add_hrect(y0=y(value - tolerance), y1=y(value + tolerance),
                          fillcolor=color, opacity=0.08, line_width=0, layer="below")
        fig.add_trace(go.Scatter(x=[order[0], order[-1]] if order else [], y=[y(value)] * 2,
                                 mode="lines", name=label, line=dict(color=color, dash="dash", width=2.5)))
    goals = [y(value) for _, value, _, _ in targets]
    top = max([abs(y(p["value"], meta["unit"])) for _, pts, meta in lines for p in pts] + goals + [1e-9])

    def place(v: float) -> str:
        """A value's label above its point, or below when a target line runs just above it."""
        return "bottom center" if any(v < g < v + 0.07 * top for g in goals) else "top center"

    for i, (name, points, meta) in enumerate(lines):
        numbers = ChartNumbers([p["value"] for p in points], meta["unit"], meta.get("unit_en"), lang)
        color = NATION if i and name == t("briefing.fig.nation", lang) else COLORS[i % len(COLORS)]
        fig.add_trace(go.Scatter(
            x=[_tick(P.indicator_period(p, meta, lang)) for p in points],
            y=[y(p["value"], meta["unit"]) for p in points], name=name,
            mode="lines+markers+text" if len(points) <= 12 else "lines+markers",
            text=[numbers.text(p["value"]) for p in points], textposition=[place(y(p["value"], meta["unit"])) for p in points],
            textfont=dict(size=12, color=color), line=dict(color=color, width=3), marker=dict(size=8)))
    fig.update_layout(**_layout(lang, unit_word(WAN_COUNT_UNIT, lang) if wan else unit_label(unit, unit_en, lang),
                                height))
    fig.update_xaxes(categoryorder="array", categoryarray=order)
    return fig


def _tick(label: str) -> str:
    """A long period name on two lines ('2025年<br>第一季度末', 'end of Q1<br>2025'), so that the
    names of quarters next to each other do not run into each other."""
    if len(label) <= 6:
        return label
    if YEAR_WORD in label:
        return label.replace(YEAR_WORD, YEAR_WORD + "<br>", 1)
    head, _, tail = label.rpartition(" ")
    return f"{head}<br>{tail}" if head else label


def target_line(a, lang: str, name: Optional[str] = None) -> Optional[tuple]:
    """(label, value, tolerance, unit) of a target with a value (not a national-average one)."""
    if a is None or a.target.value is None or a.kind == m.NATIONAL_AVERAGE:
        return None
    label = t("briefing.fig.target_of" if name else "briefing.fig.target", lang, name=name or "",
              target=words.target_label(a.target, lang))
    return (label, a.target.value, a.target.tolerance if a.kind == m.APPROXIMATELY else None, a.target.unit)


def key_figures(db, results, indicators: dict, up_to: tuple[int, int], lang: str) -> list:
    """Core-industry share against 10%, the two digitalisation rates, 5G base stations."""
    by_code = {a.indicator_code: a for a in results if a.region_code == queries.PROVINCE}
    out: list = []
    province, nation = t("briefing.fig.province", lang), t("briefing.fig.nation", lang)

    def add(key: str, lines, targets):
        lines = [x for x in lines if x[1]]
        if lines:
            out.append(Figure(key, t(f"briefing.fig.{key}", lang, n=len(out) + 1),
                              line_figure(lines, [x for x in targets if x], lang)))

    if CORE_SHARE in indicators:
        meta = indicators[CORE_SHARE]
        add("core", [(province, chart_points(db, meta, queries.PROVINCE, up_to), meta),
                     (nation, chart_points(db, meta, queries.NATIONAL, up_to), meta)],
            [target_line(by_code.get(CORE_SHARE), lang)])
    rates = [c for c in RATES if c in indicators]
    if rates:
        short = {c: pick(indicators[c]["name_zh"], indicators[c]["name_en"], lang) for c in rates}
        add("rates", [(short[c], chart_points(db, indicators[c], queries.PROVINCE, up_to), indicators[c])
                      for c in rates],
            [target_line(by_code.get(c), lang, _short_rate(c, lang)) for c in rates])
    if FIVEG in indicators:
        meta = indicators[FIVEG]
        add("fiveg", [(province, chart_points(db, meta, queries.PROVINCE, up_to), meta)],
            [target_line(by_code.get(FIVEG), lang)])
    return out


def _short_rate(code: str, lang: str) -> str:
    return t(f"briefing.fig.short.{code}", lang)


def map_figure(values: dict[str, dict], names: dict[str, str], meta: dict, lang: str) -> go.Figure:
    """The 13 prefectures coloured by value with name and value written inside (schematic)."""
    shapes, places = prefecture_shapes(), label_positions()
    unit = meta["unit"]
    present = [v["value"] for v in values.values() if v.get("value") is not None]
    lo, hi = (min(present), max(present)) if present else (0.0, 1.0)
    span = (hi - lo) or 1.0
    fig = go.Figure()
    for code, shape in shapes.items():
        item = values.get(code)
        share = None if not item else 0.15 + 0.85 * (item["value"] - lo) / span
        fig.add_trace(go.Scatter(x=shape["x"], y=shape["y"], fill="toself", mode="lines",
                                 fillcolor="#eeeeee" if share is None else sample_colorscale("Blues", [share])[0],
                                 line=dict(color="white", width=1.5), showlegend=False, hoverinfo="skip"))
    codes = list(shapes)
    points = [places.get(c, shapes[c]["cp"]) for c in codes]
    labels, colors = [], []
    numbers = ChartNumbers([v["value"] for v in values.values()], unit, meta.get("unit_en"), lang)
    for c in codes:
        item, name = values.get(c), names.get(c, shapes[c]["name"])
        labels.append(name if not item else f"{name}<br>{numbers.text(item['value'])}")
        colors.append("white" if item and (item["value"] - lo) / span > 0.6 else "#222")
    fig.add_trace(go.Scatter(x=[p[0] for p in points], y=[p[1] for p in points], mode="text", text=labels,
                             textfont=dict(size=13, color=colors), showlegend=False, hoverinfo="skip"))
    if present:
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
            marker=dict(colorscale=[[0, sample_colorscale("Blues", [0.15])[0]], [1, sample_colorscale("Blues", [1.0])[0]]],
                        cmin=lo, cmax=hi, color=[lo], showscale=True,
                        colorbar=dict(thickness=14, len=0.6, title=dict(text=unit_label(unit, meta.get("unit_en"), lang))))))
    fig.update_layout(template="plotly_white", font=dict(family=FONT, size=14), margin=dict(l=0, r=0, t=10, b=0),
                      xaxis=dict(visible=False), yaxis=dict(visible=False, scaleanchor="x",
                                                            scaleratio=1 / math.cos(math.radians(48))))
    return fig


# --- images ------------------------------------------------------------------------------------

def render_png(figures: list, finish=None):
    """ident -> PNG of every figure, through one Kaleido (one headless Chromium) for them all; with
    `finish` (an async callable of the browser and the images, e.g. printing the PDF:
    etl/briefing/pdf.py), (images, what finish returned), in the same browser."""
    import kaleido

    from etl import config

    # the Chromium of CHROMIUM_PATH / BROWSER_PATH (etl/settings.py), else the one Kaleido finds
    path = config.settings().chromium_path
    chosen = {"path": path} if path else {}

    async def run():
        async with kaleido.Kaleido(n=1, **chosen) as k:
            images = {}
            for f in figures:
                images[f.ident] = await k.calc_fig(f.figure, opts=dict(format="png", width=f.width,
                                                                       height=f.height, scale=SCALE))
            return (images, await finish(k, images)) if finish else images

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run())
    # called from inside an event loop (a server thread that has one): run in a thread of our own
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()
