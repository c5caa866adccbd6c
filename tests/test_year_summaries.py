"""The summaries of a new year (issue 13): their key holds the year (assessments count years from
today), so on 1 January a running server finds none. Each server process's year watcher
(dashboard/summaries.py) builds them once the year turns, in a bounded job, without a restart;
the renders then read them. The year is moved by the one date source the key, the assessments and
the watcher read (the progress engine's this_year): time travel, nothing else is replaced."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event, text

from dashboard import data, summaries
from etl.progress import engine as progress_engine
from tests.dashboard_fixture import public_app
from tests.test_summary_jobs import every_kind

PAGE = ("overview", {"targets": "2030"})  # reads the assessments, which count from the year


@pytest.fixture
def app(engine, monkeypatch):
    return public_app(engine, monkeypatch)


def travel_to(monkeypatch, year: int) -> None:
    monkeypatch.setattr(progress_engine, "this_year", lambda: year)


def kinds_built(engine, year: int) -> set[str]:
    """The kinds built completely for a key of this year."""
    with engine.connect() as conn:
        return set(conn.scalars(text("SELECT kind FROM summaries WHERE key = '*' AND stamp LIKE :s"),
                                {"s": f"%|{year}|%"}))


def render(app, engine, *, cold: bool) -> tuple[int, set[str]]:
    """(SQL statements, the years of the summary keys read) of rendering PAGE, with an empty cache
    when cold (else with what the cache holds)."""
    import importlib

    from dashboard.cache import cache

    seen = []

    def count(_conn, _cursor, statement, parameters, *_args):
        seen.append((statement, parameters))
    if cold:
        with app.server.test_request_context("/"):
            cache.clear()
    name, query = PAGE
    event.listen(engine, "before_cursor_execute", count)
    try:
        with app.server.test_request_context("/"):
            importlib.import_module(f"dashboard.pages.{name}").layout(lang="zh", **query)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    years = set()
    for statement, parameters in seen:
        if "summaries" in statement:
            values = parameters.values() if isinstance(parameters, dict) else parameters
            years |= {value.split("|")[2] for value in values if isinstance(value, str)
                      and value.count("|") == 3}
    return len(seen), years


def test_the_watcher_builds_the_new_years_summaries_in_a_job_and_renders_read_them(app, engine, monkeypatch):
    summaries.build_in(app)  # the server's start
    year = progress_engine.this_year()
    assert kinds_built(engine, year) == every_kind()
    watcher = summaries.YearWatcher(app.server)  # what each server process starts
    read_last_year, years = render(app, engine, cold=True)
    assert years == {str(year)}

    travel_to(monkeypatch, year + 1)  # 1 January: no restart, no upload
    # a render before the watcher's step: no summary of the new year (none built in the request),
    # so it computes what it shows; last year's cached answers are not served
    computing, years = render(app, engine, cold=False)
    assert years == {str(year + 1)} and kinds_built(engine, year + 1) == set()
    assert computing > read_last_year

    built = watcher.check()  # the thread's step: the year differs from the one it saw
    assert set(built) == every_kind() == kinds_built(engine, year + 1)
    assert kinds_built(engine, year) == set()  # the table holds one state: last year's rows went
    with engine.connect() as conn:  # built by the job's child, not in this process
        assert conn.scalar(text("SELECT count(*) FROM summaries")) > len(every_kind())

    reading, years = render(app, engine, cold=True)
    assert years == {str(year + 1)}
    assert reading == read_last_year < computing  # read from the summary, as before the year turned

    assert watcher.check() == []  # the same year: nothing more
    other_worker = summaries.YearWatcher(app.server)
    other_worker.year = year  # another worker that saw the old year: its job finds them built
    assert other_worker.check() == [] and other_worker.year == year + 1


def test_nothing_is_built_while_the_year_is_the_same(app, engine):
    from etl.store import summary

    watcher = summaries.YearWatcher(app.server)
    summary.clear(engine)  # even with every summary missing, a step of the same year builds none
    assert watcher.check() == []
    assert watcher.check() == []
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM summaries")) == 0


def test_the_watchers_thread_builds_once_the_year_turns_and_stops(app, engine, monkeypatch):
    """The thread started with a server process (app.py's main, gunicorn's post_worker_init; not
    create_app: the test's app has none) wakes every step and builds when the year turns."""
    assert not watcher_threads()
    year = progress_engine.this_year()
    watcher = summaries.watch_year(app.server, step=0.05)
    try:
        assert summaries.watch_year(app.server) is watcher and len(watcher_threads()) == 1
        time.sleep(0.2)  # steps of the same year
        assert kinds_built(engine, year) == set()
        travel_to(monkeypatch, year + 1)
        deadline = time.monotonic() + 120
        while kinds_built(engine, year + 1) != every_kind() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert kinds_built(engine, year + 1) == every_kind()
    finally:
        summaries.stop_watching()
    assert not watcher_threads()


def test_a_gunicorn_worker_starts_its_year_watcher(app):
    """gunicorn.conf.py's post_worker_init (once the worker has loaded app.py) starts the worker's
    watcher; creating an app (tests, commands, the job's worker) starts none."""
    import gc
    import logging
    import runpy
    from pathlib import Path
    from types import SimpleNamespace

    assert not watcher_threads()
    hooks = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    worker = SimpleNamespace(wsgi=app.server, log=logging.getLogger("gunicorn.error"))
    try:
        hooks["post_worker_init"](worker)
        assert len(watcher_threads()) == 1
        assert summaries.watch_year(app.server).server is app.server
    finally:
        gc.unfreeze()
        summaries.stop_watching()
    assert not watcher_threads()


def test_a_failed_build_is_logged_and_tried_again_never_raised(app, engine, monkeypatch, caplog):
    year = progress_engine.this_year()
    watcher = summaries.YearWatcher(app.server)
    travel_to(monkeypatch, year + 1)
    with engine.begin() as conn:  # the table gone (a database being restored): the job fails
        conn.execute(text("ALTER TABLE summaries RENAME TO summaries_away"))
    try:
        assert watcher.check() == []
    finally:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE summaries_away RENAME TO summaries"))
    assert watcher.year == year and "summaries of the year" in caplog.text and "Traceback" in caplog.text
    assert set(watcher.check()) == every_kind() == kinds_built(engine, year + 1)  # the next step
    assert watcher.year == year + 1


def watcher_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "summaries-year-watcher" and t.is_alive()]
