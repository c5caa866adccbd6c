"""How the front end is delivered: compressed and long-cached responses, plotly.js fetched early.

gzip for text (pages, callbacks, bundles), a year of browser caching for files whose URL changes
with their content, and a <link rel="preload"> for plotly.js in the page's head.

Why here and not in a proxy: `python app.py` and a bare gunicorn are how the dashboard runs on
the intranet, and the overview's first visit was 8 MB uncompressed (plotly.min.js 4.8 MB). The
standard library's gzip is enough (no dependency): bundles are compressed once per process and
kept by URL and ETag (a file's ETag changes with its modification time and size), and then not read
again; callback answers are compressed per response at a fast level (a 300 KB layout in a few
milliseconds, to ~10%), or once when stored by the response cache (dashboard/response_cache.py).

plotly.js (4.8 MB, 1.3 MB compressed) is a lazy resource in Dash: the graph component asks for it
only when the first chart is drawn, i.e. after the page router has answered — two round trips in a
row. Dash's eager_loading would load it at once, but with every other lazy bundle of every component
library (16 MB decoded on the overview). The preload hint fetches exactly plotly.js while the
page loads; when the graph component then asks for the same URL (Dash's lazy chunks are fetched
unfingerprinted, so these two get an hour of caching and then an ETag check) it comes from the
browser's cache.

Long caching: Dash already fingerprints its component bundles (`.v3_0_1m1700000000.js`, a year);
our own assets carry `?m=<mtime>` and Bootstrap's CSS `?v=<version>`, so those get a year too.
"""
from __future__ import annotations

import gzip
import threading

from flask import Flask, Response, request

COMPRESSIBLE = ("text/html", "text/css", "text/javascript", "application/javascript",
                "application/json", "image/svg+xml", "text/plain", "text/csv")
MIN_SIZE = 1024
STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/", "/vendor/")
YEAR = 31536000
_static: dict[tuple[str, str], bytes] = {}
_lock = threading.Lock()
_STATIC_LIMIT = 200


def versioned(path_with_query: str) -> bool:
    """A URL that changes when its content does: Dash's fingerprinted bundles, ?m= or ?v=."""
    return ("/_dash-component-suites/" in request.path and ".v" in request.path.rsplit("/", 1)[-1]) \
        or bool(request.args.get("m") or request.args.get("v"))


def init_delivery(app) -> None:
    """Compression and caching headers on the app's server; plotly.js preloaded by its index."""
    init_compression(app.server)
    prefix = app.config.requests_pathname_prefix
    links = "".join(f'\n        <link rel="preload" as="script" href="{prefix}{path}">'
                    for path in LAZY_GRAPH)
    if "{%css%}" in app.index_string:
        app.index_string = app.index_string.replace("{%css%}", "{%css%}" + links, 1)


# what dash-renderer fetches when the first dcc.Graph is drawn (unfingerprinted URLs)
LAZY_GRAPH = ("_dash-component-suites/dash/dcc/async-graph.js",
              "_dash-component-suites/plotly/package_data/plotly.min.js")
LAZY_SECONDS = 3600  # unversioned bundle URLs: an hour, then revalidated by ETag


def init_compression(server: Flask) -> None:
    @server.after_request
    def compress(response: Response) -> Response:  # noqa: ANN001 - Flask hook
        static = request.path.startswith(STATIC_PREFIXES)
        if static and response.status_code == 200:
            if versioned(request.full_path):
                response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
            elif request.path.startswith("/_dash-component-suites/"):
                response.headers["Cache-Control"] = f"public, max-age={LAZY_SECONDS}"
        if (response.status_code != 200 or (response.is_streamed and not response.direct_passthrough)
                or "Content-Encoding" in response.headers
                or (response.mimetype or "") not in COMPRESSIBLE
                or "gzip" not in request.headers.get("Accept-Encoding", "").lower()):
            return response
        response.headers.add("Vary", "Accept-Encoding")
        key = (request.full_path, response.headers.get("ETag", ""))
        packed = _static.get(key) if static else None
        if packed is not None:  # compressed before: the file is not read again
            response.close()
            response.direct_passthrough = False
        else:
            if response.direct_passthrough:  # a file from send_file: read it (small CSS/JS files)
                response.direct_passthrough = False
            data = response.get_data()
            if len(data) < MIN_SIZE:
                return response
            packed = gzip.compress(data, compresslevel=6 if static else 4)
            if static:
                with _lock:
                    if len(_static) < _STATIC_LIMIT:
                        _static[key] = packed
        response.set_data(packed)
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(packed))
        return response
