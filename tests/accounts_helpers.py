"""Helpers for the accounts/upload tests: an app on the test database, users, and Dash callbacks
posted the way dash-renderer posts them (output key, outputs, inputs, state, CSRF header)."""
from __future__ import annotations

import json
from typing import Any, Iterator

from etl.store.db import session_scope

PASSWORDS = {"admin": "admin-password-1", "ana": "analyst-password-1", "vic": "viewer-password-1",
             "ana2": "analyst-password-2"}
ROLES = {"admin": "admin", "ana": "analyst", "vic": "viewer", "ana2": "analyst"}


def make_app(engine, public_viewing: bool = False, **settings):
    """An app on `engine` with the environment's settings, and these changed."""
    from dashboard import create_app
    from etl.settings import Settings

    chosen = Settings.from_env().replace(public_viewing=public_viewing, **settings)
    app = create_app(engine, load_demo_if_empty=False, settings=chosen)
    app.server.config.update(TESTING=True)
    return app


def add_users(engine, names=("admin", "ana", "vic")) -> None:
    from dashboard.accounts import users

    with session_scope(engine) as db:
        for name in names:
            users.create_user(db, name, PASSWORDS[name], ROLES[name], by="test")


def _spec_list(spec: Any) -> list[dict]:
    return spec if isinstance(spec, list) else [spec]


class DashClient:
    """A Flask test client that speaks Dash's callback protocol."""

    def __init__(self, app):
        self.app = app
        self.client = app.server.test_client()
        self.client.get("/")  # the page sets the session and the CSRF cookie

    def csrf(self) -> str:
        cookie = self.client.get_cookie("_csrf_token")
        return cookie.value if cookie else ""

    def callback_key(self, output_id: str) -> str:
        """The callback_map key of the callback writing to `output_id` (first property match)."""
        for key in self.app.callback_map:
            bare = key.split("@")[0]
            parts = bare[2:-2].split("...") if bare.startswith("..") else [bare]
            if any(p.rsplit(".", 1)[0] == output_id or p == output_id for p in parts):
                return key
        raise KeyError(output_id)

    def key_for_input(self, input_id: str) -> str:
        """The callback_map key of the callback triggered by `input_id` ('id.prop')."""
        for key, spec in self.app.callback_map.items():
            names = [f"{i['id']}.{i['property']}" for i in spec["inputs"]]
            if input_id in names:
                return key
        raise KeyError(input_id)

    def payload(self, key: str, values: dict[str, Any], triggered: str | None = None) -> dict:
        spec = self.app.callback_map[key]
        bare = key
        parts = bare[2:-2].split("...") if bare.startswith("..") else [bare]
        outputs = []
        for part in parts:
            ident, prop = part.split("@")[0].rsplit(".", 1)
            outputs.append({"id": ident, "property": prop})

        def fill(items):
            filled = []
            for item in items:
                name = f"{item['id']}.{item['property']}"
                filled.append({"id": item["id"], "property": item["property"],
                               "value": values.get(name)})
            return filled

        inputs = fill(spec["inputs"])
        state = fill(spec.get("state", []))
        changed = [triggered] if triggered else [f"{i['id']}.{i['property']}" for i in inputs[:1]]
        return {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
                "inputs": inputs, "state": state, "changedPropIds": changed}

    def post(self, output_id: str, values: dict[str, Any], *, triggered: str | None = None,
             csrf: bool = True, key: str | None = None):
        key = key or (self.key_for_input(triggered) if triggered else self.callback_key(output_id))
        headers = {"X-CSRFToken": self.csrf()} if csrf else {}
        return self.client.post("/_dash-update-component",
                                data=json.dumps(self.payload(key, values, triggered)),
                                content_type="application/json", headers=headers)

    def login(self, name: str, password: str | None = None):
        response = self.post("login-message", {
            "login-submit.n_clicks": 1, "login-username.value": name,
            "login-password.value": PASSWORDS.get(name, "") if password is None else password,
            "login-next.data": "/", "login-lang.data": "zh"})
        return response


def response_json(response) -> dict:
    return json.loads(response.get_data(as_text=True))


def component_text(value: Any) -> str:
    """The visible text of a component tree as a callback response serialises it (the strings and
    numbers of every `children`, in order), so that tests assert on what the user reads and not on
    the response's JSON encoding (Dash 4 escapes non-ASCII characters as \\uXXXX)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return " ".join(component_text(item) for item in value)
    if isinstance(value, dict):
        props = value.get("props", value)
        return component_text(props.get("children")) if isinstance(props, dict) else ""
    return ""


def output_text(response, output_id: str) -> str:
    """The text a callback response writes into `output_id` (its `children`)."""
    output = response_json(response)["response"][output_id]
    return component_text(output.get("children", output))


def all_components(tree: Any) -> Iterator[dict]:
    """Every component of a serialised component tree (or of a callback response holding some),
    depth first."""
    if isinstance(tree, dict):
        if tree.get("props"):
            yield tree
        for value in (tree["props"].values() if tree.get("props") else tree.values()):
            yield from all_components(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from all_components(item)


def find_component(tree: Any, ident: str) -> dict | None:
    """The component with this id in a serialised component tree (a callback's output or a
    rendered layout), or None."""
    if isinstance(tree, dict):
        props = tree.get("props", {})
        if props.get("id") == ident:
            return tree
        return next((found for value in props.values()
                     if (found := find_component(value, ident)) is not None), None)
    if isinstance(tree, list):
        return next((found for item in tree
                     if (found := find_component(item, ident)) is not None), None)
    return None


def table_rows(table: dict) -> list[list[str]]:
    """The text of each body row's cells of a serialised html/dbc table."""
    body = find_component_by_type(table, "Tbody")
    rows = (body["props"].get("children") or []) if body else []
    rows = rows if isinstance(rows, list) else [rows]
    return [[component_text(cell) for cell in row["props"]["children"]] for row in rows]


def find_component_by_type(tree: Any, kind: str) -> dict | None:
    if isinstance(tree, dict):
        if tree.get("type") == kind:
            return tree
        return find_component_by_type(list(tree.get("props", {}).values()), kind)
    if isinstance(tree, list):
        return next((found for item in tree
                     if (found := find_component_by_type(item, kind)) is not None), None)
    return None
