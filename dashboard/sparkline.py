"""The overview's sparklines as small SVG pictures made on the server, not twelve Plotly graphs.

Twelve dcc.Graph sparklines meant twelve Plotly instances to build and lay out in the browser
(the larger part of the overview's drawing time on a phone) for a 70-pixel line without axes. A
sparkline is drawn here as it was drawn by Plotly (components.sparkline_figure): the series as a
line through its points, placed at the middle of each year (whole years) or at each period's end
(quarterly data), the target as a dashed line from the first point to the end of its year with
its 左右 band, y range from the data and the target. The picture is an <img> with an SVG data
URI (no script, works under the CSP); its title lists the values for a pointer's tooltip and a
screen reader's label, and data-values carries the plotted numbers.
"""
from __future__ import annotations

import datetime as dt
from typing import Sequence
from urllib.parse import quote

from dash import html

from dashboard.components import COLORS, period_end, period_mid
from dashboard.i18n import axis_value, fmt_period, fmt_value

WIDTH, HEIGHT, PAD = 300, 70, 5


def _days(day: dt.date) -> int:
    return day.toordinal()


def sparkline_svg(points: Sequence[dict], meta: dict, lang: str, target: dict | None,
                  color: str) -> tuple[str, list[float]]:
    """(the SVG text, the plotted y values in order)."""
    unit = meta["unit"]
    quarterly = any(p["quarter"] for p in points)
    place = period_end if quarterly else period_mid
    ordered = sorted(points, key=lambda p: place(p["year"], p["quarter"]))
    xs = [_days(place(p["year"], p["quarter"])) for p in ordered]
    ys = [axis_value(p["value"], unit, lang) for p in ordered]
    x_all, y_all = list(xs), [y for y in ys if y is not None]
    band = line = None
    if target and target.get("value") is not None:
        start = min(xs) if xs else _days(dt.date(2020, 7, 1))
        end = _days(dt.date(target["target_year"], 12, 31))
        value = axis_value(target["value"], unit, lang)
        line = (start, end, value)
        x_all += [start, end]
        y_all.append(value)
        tol = target.get("tolerance")
        if tol:
            band = (start, end, axis_value(target["value"] - tol, unit, lang),
                    axis_value(target["value"] + tol, unit, lang))
            y_all += [band[2], band[3]]
    x0, x1 = min(x_all), max(x_all)
    y0, y1 = min(y_all), max(y_all)
    if x1 == x0:
        x0, x1 = x0 - 1, x1 + 1
    if y1 == y0:
        y0, y1 = y0 - 1, y1 + 1

    def sx(x: float) -> float:
        return round(PAD + (x - x0) / (x1 - x0) * (WIDTH - 2 * PAD), 1)

    def sy(y: float) -> float:
        return round(HEIGHT - PAD - (y - y0) / (y1 - y0) * (HEIGHT - 2 * PAD), 1)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'preserveAspectRatio="none">']
    if band:
        parts.append(f'<rect x="{sx(band[0])}" y="{sy(band[3])}" width="{sx(band[1]) - sx(band[0])}" '
                     f'height="{sy(band[2]) - sy(band[3])}" fill="{COLORS["band"]}"/>')
    if line:
        parts.append(f'<line x1="{sx(line[0])}" y1="{sy(line[2])}" x2="{sx(line[1])}" y2="{sy(line[2])}" '
                     f'stroke="{COLORS["target"]}" stroke-width="2" stroke-dasharray="6 4" '
                     'vector-effect="non-scaling-stroke"/>')
    drawn = [(sx(x), sy(y)) for x, y in zip(xs, ys) if y is not None]
    if drawn:
        path = " ".join(f"{x},{y}" for x, y in drawn)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2" '
                     'stroke-linejoin="round" vector-effect="non-scaling-stroke"/>')
        for x, y in drawn:
            parts.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{color}"/>')
    parts.append("</svg>")
    return "".join(parts), [y for y in ys if y is not None]


def sparkline(points: Sequence[dict], meta: dict, lang: str, target: dict | None,
              color: str = COLORS["province"]) -> html.Img:
    svg, values = sparkline_svg(points, meta, lang, target, color)
    label = "; ".join(f"{fmt_period(p['year'], p['quarter'], p['basis'], lang, kind=meta.get('kind'))} "
                      f"{fmt_value(p['value'], meta['unit'], lang)}"
                      for p in sorted(points, key=lambda p: (p["year"], p["quarter"] or 5)))
    return html.Img(src="data:image/svg+xml;charset=utf-8," + quote(svg), alt=label, title=label,
                    className="sparkline", style={"width": "100%", "height": f"{HEIGHT}px"},
                    **{"data-values": ",".join(f"{v:g}" for v in values)})
