"""The dashboard's maintained summaries built outside the web server, after a command changed the data.

`python -m etl ingest|rollback|restore` ends by running the hooks installed for a data change
(entry point group `digital_longjiang.data_changed`, pyproject.toml); the dashboard's is `build`:
an app on the command's database (its pages register the summarised readers), and
data.refresh_summaries in its context. So the command that loaded the data pays for the summary,
not the first viewer's render; the ETL imports nothing of the dashboard. (The upload's commit and
the rollback build it in their bounded jobs: dashboard/uploads.py.)

The new year. The summaries' key holds the year (assessments count years from today: the progress
engine's `this_year`, the server's local date, which the key and the assessments both read), so on
1 January a server that keeps running finds none for its data. Each server process (`python
app.py`'s main; each gunicorn worker: gunicorn.conf.py's post_worker_init, never create_app, so
tests and commands start no thread) runs a `YearWatcher`: a daemon thread that wakes every
WATCH_SECONDS (10 min: a clock set forward or back is seen within one step, no long sleep to
miscount) and, when the year differs from the one it last saw, builds what is missing in a bounded
job (`build_in_job`: dashboard/jobs.py's child process within the job limits, in one of their
slots), as the rollback's job does. Several workers each start one; the summary's lock builds
each kind once, the other jobs find it built. Failures are logged with their traceback, tried again
at the next steps (ATTEMPTS in all), never raised into a request; meanwhile renders compute what
they show, as before.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Optional

from flask import Flask
from sqlalchemy import Engine

from etl.progress import engine as progress_engine

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


# --- the new year ---------------------------------------------------------------------------------

WATCH_SECONDS = 600.0  # the watcher's step: it sees a new year (or a clock set anew) within one
ATTEMPTS = 3  # builds tried for one new year (a database restarting); then left to the next load
_INHERITED_POOLS: list = []  # in the job's child: the parent's pools, never used, never closed


def build_in_job(server: Flask) -> list[str]:
    """The summaries missing for `server`'s current data, built in a bounded job (dashboard/jobs.py
    `run`: a forked child within JOB_SECONDS and JOB_MEMORY_MB, in one of the JOB_CONCURRENCY slots
    in diskcache mode): the kinds it built. JobStopped when a limit ended it."""
    from dashboard import jobs

    return jobs.run(lambda _progress: _refresh(server))


def _refresh(server: Flask) -> list[str]:
    """In the job's child: data.refresh_summaries on a pool of its own (the inherited connections
    belong to the web worker; kept referenced, so that collecting them does not close them)."""
    from dashboard import data, jobs

    with server.app_context():
        engine = data.engine()
        if jobs.in_child() and engine.pool not in _INHERITED_POOLS:
            _INHERITED_POOLS.append(engine.pool)
            engine.dispose(close=False)
        data.invalidate()
        return data.refresh_summaries()


class YearWatcher:
    """Builds the summaries of a new year once it turns, in a bounded job, without a restart.

    `check()` is one step (the thread calls it every `step` seconds): nothing when the year is the
    one it last saw; else build_in_job, logged, and the new year is seen. It never raises."""

    def __init__(self, server: Flask, step: Optional[float] = None) -> None:
        self.server, self.step = server, step or WATCH_SECONDS
        self.year = progress_engine.this_year()
        self.failures = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="summaries-year-watcher", daemon=True)

    def check(self) -> list[str]:
        """The kinds built for the new year now ([] when the year has not changed)."""
        year = progress_engine.this_year()
        if year == self.year:
            return []
        started = time.perf_counter()
        try:
            built = build_in_job(self.server)
        except Exception:  # noqa: BLE001 - logged; the renders compute meanwhile
            self.failures += 1
            log.exception("summaries of the year %s not built (attempt %s of %s)", year,
                          self.failures, ATTEMPTS)
            if self.failures < ATTEMPTS:
                return []
            built = []
        else:
            log.info("the year turned from %s to %s: summaries built in a bounded job in %.1f s: "
                     "%s", self.year, year, time.perf_counter() - started,
                     ", ".join(built) or "none missing (built by another process)")
        self.year, self.failures = year, 0
        return built

    def _run(self) -> None:
        while not self.stopped.wait(self.step):
            try:
                self.check()
            except BaseException:  # noqa: BLE001 - the thread must live on
                log.exception("year watcher step failed")

    def start(self) -> "YearWatcher":
        self.thread.start()
        return self

    def stop(self, timeout: Optional[float] = None) -> None:
        self.stopped.set()
        self.thread.join(timeout)


_WATCHERS: dict[int, YearWatcher] = {}  # this process's, by server


def watch_year(server: Flask, step: Optional[float] = None) -> YearWatcher:
    """Start this process's year watcher for `server` (once: a second call returns the first)."""
    if id(server) not in _WATCHERS:
        _WATCHERS[id(server)] = YearWatcher(server, step).start()
    return _WATCHERS[id(server)]


def stop_watching() -> None:
    """Stop this process's year watchers (tests)."""
    while _WATCHERS:
        _WATCHERS.popitem()[1].stop()
