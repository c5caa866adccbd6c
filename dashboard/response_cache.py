"""Finished callback answers, cached: the compressed bytes a pure, read-only callback sent, sent
again for the same request without running Dash.

Why: a warm page callback spent its milliseconds not in our code but around it — Dash parsing
the request and serialising the layout again (orjson + plotly's encoder over 50-700 KB), the
layout's JSON string fetched from Redis and parsed, the answer gzipped anew for every viewer
(bench/README.md, issue 13). Two hundred viewers ask for the same dozen pages; the answer to
the same request is the same bytes until the data change.

What is cached, and only this (ALLOWED, an explicit allow-list):
- the page router (`_pages_content`), for pages open to every viewer (no `roles` in their
  registry entry, not the login page): their layout depends on the URL (in the request), the role
  (a visitor sees no user names) and the data; pages with roles (upload, history, admin, account,
  briefings) show the user's own things or offer actions, and are never cached;
- the frame (`navbar`, banner, footer, title): the URL, the role (which pages are listed), the data;
- the data grid's blocks (`data-grid.getRowsResponse`): a read of current values.
Everything else — uploads, commits, rollbacks, sign-in, the admin's callbacks, exports, anything
with a side effect or an answer about the user — runs every time.

The key: the callback's exact request body (its hash), the database, its data stamp (changes on
every load and rollback: dashboard.data.data_stamp, looked up in the shared cache every request,
so an upload is seen at once by every worker) and its catalog stamp (changes with the indicators,
regions and targets, python -m etl init: read in the same look-up), the caller's role, whether
viewing is public, the day (a page may count years from today) and the code (a digest of the
app's source files, so a deploy never serves the last version's answers from Redis). A second role, a new upload or a
rollback is a different key; an old key is never looked up again and expires.

Where it runs: a before_request hook registered after the accounts module's guard
(auth.guard_callbacks) and the CSRF check, so that a request is refused exactly as before and a
cached answer goes only to a caller who may run the callback; the security headers, the CSRF cookie
and the session are added to a cached answer by the after_request hooks as to any other. A
visitor who may not view (PUBLIC_VIEWING off) is never served from nor stored in the cache.

Two levels: each worker keeps recent answers in memory (a few MB, least recently used out), and
the shared cache (Redis with CACHE_REDIS_URL) lets a worker reuse another's answer. Answers are
gzipped once when stored (level 6; a large one first at level 1 for its first viewer, then again
at level 6 off the request); a client that does not accept gzip gets them decompressed.
No ETag: dash-renderer posts callbacks (a browser never revalidates a POST), so a conditional
request never comes.
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import logging
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Optional

import dash
from flask import Flask, Response, current_app, g, request

from dashboard import data
from dashboard.cache import cache

log = logging.getLogger(__name__)

CALLBACK_PATH = "/_dash-update-component"
EXTENSION = "monitor_response_cache"
MIN_GZIP = 1024  # bytes: smaller answers are kept as they are
# gzip levels (bench/README.md, "gzip level"): 6 packs a page tightly, but costs ~10 ms of CPU on
# /infrastructure's 580 KB (5-7 times level 1); a cold render must answer within 50 ms. An answer
# of FAST_GZIP bytes or more is sent at level 1 (2.6 ms, 99 KB instead of 80 KB) to the viewer
# who asked first, and compressed again at level 6 off the request for everyone after.
SMALL_LEVEL = 6
FAST_LEVEL = 1
FAST_GZIP = 128 * 1024
LOCAL_BYTES = 48 * 1024 * 1024  # per worker
LOCAL_ENTRY_BYTES = 4 * 1024 * 1024  # a compressed answer above this is not kept in memory
SHARED_ENTRY_BYTES = 2 * 1024 * 1024  # ... nor in the shared cache
SOURCE_DIRS = ("dashboard", "etl")
PROJECT = Path(__file__).resolve().parent.parent


def _outputs(output: str) -> frozenset[str]:
    """The component ids of a callback's `output` field ('id.prop' or '..id1.p1...id2.p2..')."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return frozenset(part.split("@")[0].rsplit(".", 1)[0] for part in parts)


def _input(body: dict, ident: str, prop: str):
    for item in body.get("inputs") or []:
        if isinstance(item, dict) and item.get("id") == ident and item.get("property") == prop:
            return item.get("value")
    return None


def _public_page(body: dict) -> bool:
    """The router's request names a page every viewer may see (no roles, not the login page)."""
    pathname = _input(body, "_pages_location", "pathname")
    if not isinstance(pathname, str):
        return False
    from dash._pages import _path_to_page  # Dash's own lookup, as its router does

    app = current_app.config.get("DASH_APP") or dash.get_app()
    page, _variables = _path_to_page(app.strip_relative_path(pathname))
    return bool(page) and not page.get("roles") and not page.get("auth_open")


def _always(_body: dict) -> bool:
    return True


# The allow-list: the exact set of output ids of a pure, read-only callback, and what its request
# must also satisfy. Nothing that is not here is ever cached.
ALLOWED: dict[frozenset[str], Callable[[dict], bool]] = {
    frozenset({"_pages_content", "_pages_store"}): _public_page,
    frozenset({"navbar", "demo-banner", "footer", "page-title"}): _always,
    frozenset({"data-grid"}): _always,  # data-grid.getRowsResponse only: see _cacheable
}
ALLOWED_PROPERTIES = {frozenset({"data-grid"}): "data-grid.getRowsResponse"}


def _cacheable(body: dict) -> bool:
    output = body.get("output")
    if not isinstance(output, str):
        return False
    ids = _outputs(output)
    check = ALLOWED.get(ids)
    if check is None:
        return False
    exact = ALLOWED_PROPERTIES.get(ids)
    if exact is not None and output != exact:
        return False
    return check(body)


class LocalStore:
    """Least recently used answers of one worker, bounded by their total size."""

    def __init__(self, limit: int = LOCAL_BYTES) -> None:
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Optional[bytes]:
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key: str, value: bytes) -> None:
        if len(value) > LOCAL_ENTRY_BYTES:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old)
            self.entries[key] = value
            self.size += len(value)
            while self.size > self.limit and self.entries:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self.entries)


def code_digest() -> str:
    """Changes with any source file of the app (name, size, modification time) and Dash's version."""
    digest = hashlib.sha1(dash.__version__.encode())
    for folder in SOURCE_DIRS:
        for path in sorted((PROJECT / folder).rglob("*.py")):
            stat = path.stat()
            digest.update(f"{path.relative_to(PROJECT)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def store() -> LocalStore:
    return current_app.extensions[EXTENSION]["local"]


def viewing_only() -> bool:
    """This request is a callback of the allow-list (ALLOWED: a pure, read-only view of open
    pages), decided once per request. Only such a callback may take a signed-in viewer's account
    from a confirmation a few seconds old (auth.guard_callbacks); any other reads it again."""
    if "viewing_only" not in g:
        body = (request.get_json(silent=True)
                if request.method == "POST" and request.path.endswith(CALLBACK_PATH) else None)
        g.viewing_only = isinstance(body, dict) and _cacheable(body)
    return g.viewing_only


def request_key() -> Optional[str]:
    """The cache key of this callback request, or None when its answer must not be cached."""
    if not viewing_only():
        return None
    state = current_app.extensions[EXTENSION]
    role = state["role"]()
    if not state["may_view"](role):
        return None
    raw = "\n".join([state["code"], current_app.config[data.DB_KEY], data.data_stamp(),
                     data.catalog_stamp(), role,
                     str(bool(current_app.config["SETTINGS"].public_viewing)),
                     dt.date.today().isoformat()]).encode() + b"\n" + request.get_data()
    return "r:" + hashlib.sha256(raw).hexdigest()


def _accepts_gzip() -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def _answer(entry: bytes) -> Response:
    """A response from a stored entry: one byte saying whether the rest is gzip, then the body."""
    zipped, body = entry[:1] == b"z", entry[1:]
    response = Response(mimetype="application/json")
    if zipped and _accepts_gzip():
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(gzip.decompress(body) if zipped else body)
    response.headers.add("Vary", "Accept-Encoding")
    return response


def lookup():
    """before_request: a stored answer for this request, or None (and the key kept for `keep`)."""
    key = request_key()
    if key is None:
        return None
    entry = store().get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            store().put(key, entry)
    if entry is not None:
        return _answer(entry)
    g.response_cache_key = key
    return None


def keep(response: Response) -> Response:
    """after_request: store a cacheable callback's answer (200, JSON), compressed; send it so."""
    key = g.pop("response_cache_key", None)
    if (key is None or response.status_code != 200 or response.mimetype != "application/json"
            or response.is_streamed or "Content-Encoding" in response.headers
            or "Set-Cookie" in response.headers):
        return response
    body = response.get_data()
    if len(body) >= FAST_GZIP:
        entry = b"z" + gzip.compress(body, compresslevel=FAST_LEVEL)
        _repack_later(key, body, entry)
    elif len(body) >= MIN_GZIP:
        entry = b"z" + gzip.compress(body, compresslevel=SMALL_LEVEL)
    else:
        entry = b"-" + body
    _put(store(), key, entry)
    answer = _answer(entry)
    response.set_data(answer.get_data())
    for name in ("Content-Encoding", "Vary"):
        if name in answer.headers:
            response.headers[name] = answer.headers[name]
    response.headers["Content-Length"] = str(len(response.get_data()))
    return response


def _put(local: LocalStore, key: str, entry: bytes) -> None:
    local.put(key, entry)
    if len(entry) <= SHARED_ENTRY_BYTES:
        cache.set(key, entry)


_repacker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="repack")


def _repack_later(key: str, body: bytes, fast: bytes) -> None:
    """Compress a large answer again at SMALL_LEVEL, off the request, and keep that instead of
    the fast bytes the first viewer got: every later viewer (and phone) gets the smaller ones."""
    app, local = current_app._get_current_object(), store()

    def repack() -> None:
        try:
            small = b"z" + gzip.compress(body, compresslevel=SMALL_LEVEL)
            if local.get(key) is not fast:  # emptied or replaced meanwhile: leave it
                return
            with app.app_context():
                _put(local, key, small)
        except Exception:  # noqa: BLE001 - the fast bytes stay kept; a lost future says nothing
            log.exception("response cache: compressing an answer again failed")

    _repacker.submit(repack)


def settle() -> None:
    """Wait until the answers being compressed again are stored (tests and benchmarks: a cache
    emptied to measure a cold render must not be refilled behind it)."""
    _repacker.submit(lambda: None).result()


def init_response_cache(server: Flask, *, role: Callable[[], str],
                        may_view: Callable[[str], bool]) -> None:
    """Call after the accounts module's guards are registered (create_app does): the look-up must
    run after them. The store hook, registered last, runs first of the after_request hooks.
    `role()` is the caller's role and `may_view(role)` whether that role may view open pages
    (dashboard.auth's, passed in: auth asks this module which callbacks are read-only views)."""
    hooks = server.before_request_funcs.setdefault(None, [])
    names = {getattr(hook, "__name__", "") for hook in hooks}
    if not {"check_csrf", "guard_callbacks"} <= names:
        raise RuntimeError("init_response_cache must come after init_auth (the CSRF check and "
                           "the callback guard run before any cached answer is sent)")
    server.extensions[EXTENSION] = {"local": LocalStore(), "code": code_digest(),
                                    "role": role, "may_view": may_view}
    server.before_request(lookup)
    server.after_request(keep)
