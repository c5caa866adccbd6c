"""What the benchmarks share: posting Dash callbacks the way the browser does, counting SQL.

`Poster` drives an app through Flask's test client: a GET of the page first (session and CSRF
cookies), then POSTs to /_dash-update-component with the payloads dash-renderer sends — the page
router (`_pages_location` pathname + search), the frame (navigation, banner, title) and every
callback a page's layout fires on load (found by walking the rendered layout for component ids
that a callback takes as an input without prevent_initial_call).

`SqlCounter` counts the statements an engine executes (SQLAlchemy's before_cursor_execute event),
which is what the "queries per render" figures and the tests use.
"""
from __future__ import annotations

import gzip
import json
import time
from contextlib import contextmanager
from typing import Any, Iterator

from sqlalchemy import event


class SqlCounter:
    """Counts statements executed on an engine while active (thread-safe enough: a counter)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.count = 0
        self.statements: list[str] = []

    def _on_execute(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.count += 1
        if len(self.statements) < 5000:
            self.statements.append(statement)

    @contextmanager
    def counting(self) -> Iterator["SqlCounter"]:
        self.count = 0
        self.statements = []
        event.listen(self.engine, "before_cursor_execute", self._on_execute)
        try:
            yield self
        finally:
            event.remove(self.engine, "before_cursor_execute", self._on_execute)


def _outputs(key: str) -> list[dict]:
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    outputs = []
    for part in parts:
        ident, prop = part.rsplit(".", 1)
        if ident.startswith("{"):
            ident = json.loads(ident)
        outputs.append({"id": ident, "property": prop.split("@")[0]})
    return outputs


class Poster:
    """Posts callbacks the way dash-renderer does (session cookie, CSRF header)."""

    def __init__(self, app) -> None:
        self.app = app
        self.client = app.server.test_client()
        self.client.get("/")
        self.router = next(k for k in app.callback_map if "_pages_content.children" in k)
        self.frame = next(k for k in app.callback_map if "navbar.children" in k)
        self.last_status = 200
        self.last_cpu = 0.0  # CPU seconds of the last post: the request and the answer's bytes
        self.last_bytes = 0  # bytes of the last answer as sent (compressed when it was)

    def post_raw(self, key: str, inputs: list[dict], state: list | None = None) -> tuple[float, Any, int]:
        outputs = _outputs(key)
        first = inputs[0] if inputs and isinstance(inputs[0], dict) else {}
        changed = [f"{first.get('id')}.{first.get('property')}"] if first else []
        body = {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
                "inputs": inputs, "state": state or [], "changedPropIds": changed}
        cookie = self.client.get_cookie("_csrf_token")
        # what a browser sends: it accepts gzip, so the server compresses (counted) and the
        # client's decompression and parsing (the browser's cost, not the server's) are not
        headers = {"X-CSRFToken": cookie.value} if cookie else {}
        headers["Accept-Encoding"] = "gzip, deflate, br"
        data = json.dumps(body)
        cpu = time.process_time()
        start = time.perf_counter()
        response = self.client.post("/_dash-update-component", data=data,
                                    content_type="application/json", headers=headers)
        raw = response.get_data()  # the bytes sent (the server's work ends here)
        elapsed = time.perf_counter() - start
        self.last_cpu = time.process_time() - cpu
        self.last_bytes = len(raw)
        payload = None
        if response.status_code == 200:
            if response.headers.get("Content-Encoding") == "gzip":
                raw = gzip.decompress(raw)
            try:
                payload = json.loads(raw)
            except ValueError:
                payload = None
        return elapsed, payload, response.status_code

    def post(self, key: str, inputs: list[dict], state: list | None = None) -> float:
        elapsed, payload, status = self.post_raw(key, inputs, state)
        if status not in (200, 204):
            raise RuntimeError(f"{key}: HTTP {status}")
        return elapsed

    def page_raw(self, path: str, search: str = ""):
        return self.post_raw(self.router, [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search}])

    def page(self, path: str, search: str = "") -> float:
        return self.page_raw(path, search)[0]

    def shell_raw(self, path: str, search: str = ""):
        return self.post_raw(self.frame, [{"id": "url", "property": "pathname", "value": path},
                                          {"id": "url", "property": "search", "value": search}])

    def shell(self, path: str, search: str = "") -> float:
        return self.shell_raw(path, search)[0]

    # --- the callbacks a rendered page fires on load ------------------------------------------

    def initial_callbacks(self, layout: Any, path: str, search: str) -> list[tuple[str, list, list]]:
        """(key, inputs, state) of every server callback whose inputs all exist in `layout`
        (plus the frame's url) and that fires on load (no prevent_initial_call), as
        dash-renderer would post them. Pattern-matching (ALL) inputs are filled from the layout."""
        props = {}
        _collect(layout, props)
        props[("url", "pathname")] = path
        props[("url", "search")] = search
        prevented = {c["output"] for c in self.app._callback_list if c.get("prevent_initial_call")}
        found = []
        for key, spec in self.app.callback_map.items():
            if key in (self.router, self.frame):
                continue
            pattern = any(dep["id"].startswith("{") for dep in spec["inputs"])
            # dash-renderer fires a pattern-matching (ALL) callback when the page router inserts
            # its components, prevent_initial_call or not: the set of matches changed
            if key in prevented and not pattern:
                continue
            if "callback" not in spec:
                continue
            inputs = [_value_for(dep, props) for dep in spec["inputs"]]
            if any(i is None for i in inputs):
                continue
            if not any(_in_layout(dep, props) for dep in spec["inputs"]):
                continue  # only the frame's url: not this page's callback
            state = [_value_for(dep, props) or {"id": dep["id"], "property": dep["property"]}
                     for dep in spec.get("state", [])]
            found.append((key, inputs, state))
        # a server-paged grid asks for its first block as soon as it is drawn
        for request in grid_requests(layout):
            key = next((k for k, spec in self.app.callback_map.items()
                        if any(d["id"] == request["id"] and d["property"] == "getRowsRequest"
                               for d in spec["inputs"])), None)
            if key:
                spec = self.app.callback_map[key]
                state = [_value_for(dep, props) or {"id": dep["id"], "property": dep["property"]}
                         for dep in spec.get("state", [])]
                found.append((key, [request], state))
        return found


def _collect(node: Any, props: dict) -> None:
    if isinstance(node, list):
        for item in node:
            _collect(item, props)
        return
    if not isinstance(node, dict):
        return
    if "props" in node and "type" in node:
        p = node["props"]
        ident = p.get("id")
        if ident is not None:
            key = json.dumps(ident, sort_keys=True) if isinstance(ident, dict) else ident
            for name, value in p.items():
                props[(key, name)] = value
            props[(key, "__present__")] = True
        for value in p.values():
            _collect(value, props)


def _in_layout(dep: dict, props: dict) -> bool:
    ident = dep["id"]
    if ident.startswith("{"):
        wanted = json.loads(ident)
        return any(isinstance(k, str) and k.startswith("{") and _matches(json.loads(k), wanted)
                   for k, name in props if name == "__present__")
    return (ident, "__present__") in props


def _matches(ident: dict, pattern: dict) -> bool:
    return all(k in ident and (isinstance(v, list) or ident[k] == v) for k, v in pattern.items()) \
        and set(ident) == set(pattern)


def _value_for(dep: dict, props: dict):
    ident, prop = dep["id"], dep["property"]
    if ident.startswith("{"):
        wanted = json.loads(ident)
        items = []
        for (key, name), value in props.items():
            if name == "__present__" and isinstance(key, str) and key.startswith("{"):
                real = json.loads(key)
                if _matches(real, wanted):
                    items.append({"id": real, "property": prop, "value": props.get((key, prop))})
        return items
    if (ident, "__present__") not in props and ident != "url":
        return None
    return {"id": ident, "property": prop, "value": props.get((ident, prop))}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def load_average() -> str:
    try:
        with open("/proc/loadavg") as handle:
            return " ".join(handle.read().split()[:3])
    except OSError:  # pragma: no cover - not Linux
        return "n/a"


def grid_requests(layout: Any) -> list[dict]:
    """The first getRowsRequest a server-paged ag-grid (rowModelType 'infinite') in `layout` sends."""
    props: dict = {}
    _collect(layout, props)
    return [{"id": key, "property": "getRowsRequest",
             "value": {"startRow": 0, "endRow": (props.get((key, "dashGridOptions")) or {}).get("cacheBlockSize", 100),
                       "sortModel": [], "filterModel": {}}}
            for (key, name), value in props.items() if name == "rowModelType" and value == "infinite"]
