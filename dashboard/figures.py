"""Plotly figures (and table rows) as the plain dicts Dash sends, built without validation.

Why: go.Figure validates every property as it is set and deep-copies its template (plotly_white,
~1,000 properties) into every figure; on a cold page of four to ten charts that was most of the
render (issue 13: /core 0.4 s of CPU, of which ~70% in plotly's validators). What Dash sends is
the figure's JSON, which these dicts are directly: {'data': [traces], 'layout': {...}}.

The few methods the chart builders use (add_trace, update_layout, update_xaxes, update_yaxes,
add_vline) behave as go.Figure's do for what they are given: nested dicts merge, lists and
values replace, a property set to None is left out, a named template ('plotly_white') is the
template's full definition, as plotly writes it. tests/test_dashboard_components.py checks that
plotly's own validation of every figure the pages build changes nothing (go.Figure(fig) gives the
same JSON back). Read access as on a Plotly object (fig.layout.yaxis.title.text; an unset
property is None) keeps tests and tools simple.
"""
from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from plotly.io.json import to_json_plotly


# layout properties that are lists of objects: plotly leaves them out when empty (a data array,
# x=[], it keeps)
COMPOUND_ARRAYS = frozenset({"annotations", "shapes", "images", "selections", "sliders",
                             "updatemenus"})


class Plain(dict):
    """A dict read like a Plotly object: fig.data[0].marker.color; an unset property is None."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.get(name)

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = plain(value)

    def to_plotly_json(self) -> dict:
        return self


def plain(value: Any) -> Any:
    """Dicts (at any depth, in lists too) as Plain, without the keys set to None, to an empty
    dict or to an empty list of layout objects (plotly leaves such a property out)."""
    if isinstance(value, dict):
        kept = {k: plain(v) for k, v in value.items() if v is not None}
        return Plain({k: v for k, v in kept.items()
                      if v != {} and not (v == [] and k in COMPOUND_ARRAYS)})
    if isinstance(value, (list, tuple)):
        # a data array (numbers, texts, dates): nothing to convert. The element types are looked
        # at in C first (a map's outlines are thousands of coordinates); others one by one
        if set(map(type, value)) <= _SCALARS or not any(isinstance(v, (dict, list, tuple)) for v in value):
            return list(value)
        return [plain(v) for v in value]
    return value


_SCALARS = frozenset({int, float, str, bool, type(None), dt.date, dt.datetime})


@functools.lru_cache(maxsize=None)
def _template(name: str) -> Plain:
    """A named template's definition, made once and shared by every figure (never changed)."""
    import plotly.io as pio

    return plain(pio.templates[name].to_plotly_json())


def _merge(target: dict, changes: dict) -> None:
    for key, value in changes.items():
        if key == "template":  # a template replaces the one before, whole
            target[key] = _template(value) if isinstance(value, str) else value
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def trace(kind: str, **properties: Any) -> Plain:
    """One trace: trace('scatter', x=..., y=...) is go.Scatter(x=..., y=...) as JSON."""
    return plain({"type": kind, **properties})


class Figure(Plain):
    """{'data': [...], 'layout': {...}}, with go.Figure's building methods."""

    def __init__(self, data: Any = (), layout: dict | None = None) -> None:
        import plotly.io as pio

        # as go.Figure: the default template until another is set
        super().__init__(data=[], layout=Plain(template=_template(pio.templates.default)))
        for item in ([data] if isinstance(data, dict) else data):
            self.add_trace(item)
        if layout:
            self.update_layout(**layout)

    def add_trace(self, item: dict) -> "Figure":
        # a trace() is plain already: not walked (and its data arrays copied) a second time
        self["data"].append(item if type(item) is Plain else plain(item))
        return self

    def update_layout(self, **changes: Any) -> "Figure":
        _merge(self["layout"], plain(changes))
        return self

    def update_xaxes(self, **changes: Any) -> "Figure":
        return self.update_layout(xaxis=changes)

    def update_yaxes(self, **changes: Any) -> "Figure":
        return self.update_layout(yaxis=changes)

    def add_vline(self, x: float, *, line_color: str, line_dash: str, line_width: float,
                  layer: str = "above") -> "Figure":
        """A vertical line across the plot, as go.Figure.add_vline draws it (a shape)."""
        shape = plain(dict(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="y domain",
                           line=dict(color=line_color, dash=line_dash, width=line_width),
                           layer=layer))
        self["layout"].setdefault("shapes", []).append(shape)
        return self

    def to_json(self) -> str:
        return to_json_plotly(self)


def html_element(tag: str, children: Any) -> dict:
    """html.<tag>(children) as the JSON Dash sends for it, without making the component object:
    a table of a few hundred rows was a few thousand Dash objects built and serialised per render."""
    return {"props": {"children": children}, "type": tag, "namespace": "dash_html_components"}


def element(kind: str, children: Any, namespace: str = "dash_html_components", **props: Any) -> dict:
    """Any component (html.Div, dbc.Card...) with these properties as the JSON Dash sends for it,
    without the component object: for the parts a page repeats hundreds of times (a city's card
    per indicator), whose objects' validation and serialisation were most of the render.
    element("Badge", "1", "dash_bootstrap_components", color="primary") is what
    dbc.Badge("1", color="primary") sends."""
    return {"props": {"children": children, **props}, "type": kind, "namespace": namespace}
