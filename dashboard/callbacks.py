"""Callbacks declared by page modules and attached to each app by `create_app`.

Why not `dash.callback`: Dash moves global callbacks into the first app that serves a request and
forgets them, so a second app in the same process (every test builds its own) would have none.
Pages declare callbacks with `page_callback(...)` instead; `attach(app)` registers all of them on
each new app. The decorated function is returned unchanged, so tests can call it directly.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from dash import Input, Output, ctx

_DECLARED: list[tuple[tuple, dict, Callable]] = []
_CLIENTSIDE: list[tuple[str, tuple, dict]] = []


def page_callback(*args: Any, **kwargs: Any) -> Callable[[Callable], Callable]:
    def decorate(func: Callable) -> Callable:
        _DECLARED.append((args, kwargs, func))
        return func
    return decorate


def export_callback(download_id: str, csv_id: str, xlsx_id: str, *states: Any) -> Callable[[Callable], Callable]:
    """Declares a table's export: when its CSV or its XLSX button is clicked, the decorated function
    is called with the format ("csv" or "xlsx", by the button clicked) and the states' values, and
    answers the download. It is returned unchanged, so tests can call it directly."""
    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def clicked(_csv_clicks: Any, _xlsx_clicks: Any, *values: Any) -> Any:
            return func("xlsx" if ctx.triggered_id == xlsx_id else "csv", *values)
        page_callback(Output(download_id, "data"), Input(csv_id, "n_clicks"), Input(xlsx_id, "n_clicks"),
                      *states, prevent_initial_call=True)(clicked)
        return func
    return decorate


def clientside(code: str, *args: Any, **kwargs: Any) -> None:
    _CLIENTSIDE.append((code, args, kwargs))


def attach(app) -> None:
    for args, kwargs, func in _DECLARED:
        app.callback(*args, **kwargs)(func)
    for code, args, kwargs in _CLIENTSIDE:
        app.clientside_callback(code, *args, **kwargs)
