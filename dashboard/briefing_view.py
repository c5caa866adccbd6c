"""The quarterly briefing's downloads (etl/briefing makes them; this only checks who asks and sends
the file). Flask routes, not Dash callbacks: a file download is a plain GET a link can start.

    GET /briefing/latest.pdf?lang=zh      the latest quarter with data (the overview's buttons)
    GET /briefing/2025Q3.docx?lang=en     any quarter with data
    GET /briefing/archived/7              one archived briefing as it was made (the archive's id)

Who may download (checked here, on the server, whatever the page shows):
- signed-in users of every role (viewer, analyst, admin): any quarter, and archived briefings;
- visitors without an account, only when PUBLIC_VIEWING=1 lets them view the pages: the latest
  quarter's briefing (the same numbers the overview shows them), never the archive (it names who
  made each briefing, and names stay hidden from visitors) and never an older quarter, so that a
  visitor cannot make the server render briefing after briefing;
- nobody else (401).
A briefing is made once per data stamp, quarter and language (both formats at once) and archived;
every later download of it is the archived file.
"""
from __future__ import annotations

import logging
import threading
from urllib.parse import quote

from flask import Flask, Response, abort, request

from dashboard import auth, data
from etl import briefing
from etl.briefing import quarter_key, quarter_label, store  # noqa: F401  (for the pages' links)
from etl.wording import norm_lang

log = logging.getLogger(__name__)
VISITOR = "visitor"
_locks: dict[tuple, threading.Lock] = {}
_locks_guard = threading.Lock()


def init(server: Flask) -> None:
    server.add_url_rule("/briefing/<name>", "briefing_download", download)
    server.add_url_rule("/briefing/archived/<int:briefing_id>", "briefing_archived", archived)


def href(lang: str, fmt: str, quarter: str = "latest") -> str:
    """The link to a quarter's briefing (relative to where the app is mounted)."""
    import dash

    return dash.get_relative_path(f"/briefing/{quarter}.{fmt}") + f"?lang={norm_lang(lang)}"


def archived_href(briefing_id: int) -> str:
    import dash

    return dash.get_relative_path(f"/briefing/archived/{briefing_id}")


def _signed_in() -> bool:
    return auth.current_role() != auth.ANONYMOUS


def _may_view() -> None:
    if not auth.may_view():
        abort(401)


def _lock(key: tuple) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def _send(content: bytes, name: str, fmt: str) -> Response:
    response = Response(content, mimetype=store.MEDIA_TYPES[fmt])
    ascii_name = name if name.isascii() else "briefing" + name.encode("ascii", "ignore").decode()
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def download(name: str) -> Response:
    _may_view()
    key, _, fmt = name.rpartition(".")
    if fmt not in briefing.FORMATS or not key:
        abort(404)
    lang = norm_lang(request.args.get("lang"))
    engine = data.engine()
    quarters = store.data_quarters(engine)
    if not quarters:
        abort(404)
    if key == "latest":
        year, quarter = quarters[0]
    else:
        try:
            year, quarter = briefing.parse_quarter(key)
        except ValueError:
            abort(404)
        if (year, quarter) not in quarters:
            abort(404)
        if not _signed_in() and (year, quarter) != quarters[0]:
            abort(403)
    user = auth.current_username() or VISITOR
    with _lock((year, quarter, lang)):  # two clicks at once make it once
        record, content, cached = briefing.generate(engine, year, quarter, lang, fmt, user=user)
    log.info("briefing %sQ%s %s %s %s for %s (archive id %s)", year, quarter, lang, fmt,
             "from the archive" if cached else f"made in {record['seconds']:.1f} s", user, record["id"])
    return _send(content, briefing.file_name(year, quarter, lang, fmt), fmt)


def archived(briefing_id: int) -> Response:
    _may_view()
    if not _signed_in():
        abort(403)
    found = store.archived_file(data.engine(), briefing_id)
    if found is None:
        abort(404)
    meta, content = found
    return _send(content, briefing.file_name(meta["year"], meta["quarter"], meta["lang"], meta["fmt"]),
                 meta["fmt"])
