"""Job functions for tests/test_jobs.py, registered with a Dash job manager the way the upload page's
callbacks are: the test process starts them, a Dash DiskcacheManager process or a real Celery worker
(`celery -A tests.jobs_app:celery worker`, started by the tests) runs them through dashboard.jobs.

With JOBS_TEST_REDIS (a Redis URL; the tests use db 5) and JOBS_TEST_PREFIX (a key prefix unique to
the run) set, `celery` is the job queue's Celery app (dashboard.jobs.shared_celery) with a
concurrency of 2; `register(manager)` adds the functions to a manager under fixed keys.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Optional

from dashboard import jobs
from etl.settings import Settings

CONCURRENCY = 2
WAITING = (0, "", "waiting for a slot")  # what hold's job shows while it waits


def _limits(seconds: float, memory_mb: int, slots_dir: Optional[str]) -> jobs.Limits:
    return jobs.Limits(CONCURRENCY, seconds, memory_mb, Path(slots_dir) if slots_dir else None)


def _stopped(stopped: jobs.JobStopped) -> dict:
    return {"stopped": stopped.kind, "text": stopped.text("en")}


def hold(folder: str, tag: str, seconds: float, memory_mb: int, slots_dir: Optional[str] = None):
    """Marks `started-TAG` in `folder` and holds its slot until `release` appears there; marks
    `waiting-TAG` when jobs.run shows it waiting for a slot (diskcache mode)."""
    def shown(progress):
        if progress == WAITING:
            Path(folder, f"waiting-{tag}").touch()

    def work(_progress):
        Path(folder, f"started-{tag}").touch()
        give_up = time.monotonic() + 120
        while not Path(folder, "release").exists() and time.monotonic() < give_up:
            time.sleep(0.05)
        return f"done {tag}"

    try:
        return jobs.run(work, shown, waiting=WAITING, limits=_limits(seconds, memory_mb, slots_dir))
    except jobs.JobStopped as stopped:
        return _stopped(stopped)


def runaway(kind: str, seconds: float, memory_mb: int, slots_dir: Optional[str] = None):
    """A job that never ends (kind "time") or takes memory without end (kind "memory")."""
    def work(_progress):
        blocks = []
        while True:
            if kind == "memory":
                blocks.append(bytearray(16 * 1024 * 1024))
            else:
                time.sleep(0.05)

    try:
        return jobs.run(work, limits=_limits(seconds, memory_mb, slots_dir))
    except jobs.JobStopped as stopped:
        return _stopped(stopped)


_APPS: dict = {}


def rebuild_summaries(database_url: str, identity: dict, seconds: float, memory_mb: int,
                      slots_dir: Optional[str] = None):
    """What the history page's job runs after a rollback (uploads.refresh_summaries for the admin
    who rolled back), in a worker that serves jobs with an app of its own on that database, as
    dashboard/worker.py does."""
    from dashboard import uploads

    if database_url not in _APPS:
        from sqlalchemy import create_engine

        from dashboard import create_app

        _APPS[database_url] = create_app(create_engine(database_url), load_demo_if_empty=False)
    uploads.serve_jobs_with(_APPS[database_url].server)
    try:
        return {"seconds": jobs.run(lambda _progress: uploads.refresh_summaries(identity),
                                    limits=_limits(seconds, memory_mb, slots_dir))}
    except jobs.JobStopped as stopped:
        return _stopped(stopped)


FUNCTIONS = {"jobs-test-hold": hold, "jobs-test-runaway": runaway,
             "jobs-test-summaries": rebuild_summaries}


def register(manager) -> None:
    for key, fn in FUNCTIONS.items():
        manager.register(key, fn, False)


celery = None
if os.environ.get("JOBS_TEST_REDIS"):
    SETTINGS = Settings(jobs_redis_url=os.environ["JOBS_TEST_REDIS"],
                        cache_key_prefix=os.environ.get("JOBS_TEST_PREFIX", "jobs-test:"),
                        job_concurrency=CONCURRENCY)
    celery = jobs.shared_celery(SETTINGS)
    import dash

    register(dash.CeleryManager(celery))
