"""The dashboard's maintained summaries built outside the web server, after a command changed the data.

`python -m etl ingest|rollback|restore` ends by running the hooks installed for a data change
(entry point group `digital_longjiang.data_changed`, pyproject.toml); the dashboard's is `build`:
an app on the command's database (its pages register the summarised readers), and
data.refresh_summaries in its context. So the command that loaded the data pays for the summary,
not the first viewer's render; the ETL imports nothing of the dashboard. (The upload's commit and
the rollback build it in their bounded jobs: dashboard/uploads.py.)
"""
from __future__ import annotations

import logging
import time

from sqlalchemy import Engine

log = logging.getLogger(__name__)


def build(engine: Engine) -> float:
    """Build every summary of the current data in `engine`; the seconds it took."""
    from dashboard import create_app
    from etl import config

    started = time.perf_counter()
    app = create_app(engine, load_demo_if_empty=False, settings=config.settings())
    build_in(app)
    seconds = time.perf_counter() - started
    log.info("summaries built after a data change from the command line in %.1f s", seconds)
    return seconds


def build_in(app) -> None:
    """Build the summaries of `app`'s current data that are missing (each kind checked with one
    query; built once across processes): what the server's start calls before it serves, so that
    neither the demo's first load nor a deploy (the key holds a digest of the code) leaves viewers'
    renders computing what a summary holds. Then the catalog the process keeps in memory is read,
    so that no viewer's first render pays for it (gunicorn.conf.py's post_worker_init finds it)."""
    from dashboard import data

    with app.server.app_context():
        data.invalidate()  # this process's cache: the stamp as it is now
        data.refresh_summaries()
        data.read_catalog()
