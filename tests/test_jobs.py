"""dashboard/jobs.py: every upload job runs in a bounded queue — at most JOB_CONCURRENCY at once (the
next one waits), stopped after JOB_SECONDS and past JOB_MEMORY_MB with a message, not a traceback —
on the diskcache manager (the SQLite default: file-lock slots) and on Celery with Redis (a real
worker, `celery -A tests.jobs_app:celery worker`, on Redis db 5 with a key prefix of its own)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from werkzeug.exceptions import Forbidden

from dashboard import jobs
from etl import config
from tests import jobs_app, messy_files
from tests.test_upload import app, counts, signed_in, upload  # noqa: F401 - app is a fixture

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/5"
LIMITS = jobs.Limits(concurrency=1, seconds=30, memory_mb=150)


# --- the child that does a job's work ------------------------------------------------------------

def test_result_progress_and_exceptions_come_back_from_the_child():
    seen = []

    def work(progress):
        progress((10, "10%", "reading"))
        return {"pid": os.getpid(), "child": jobs.in_child()}

    result = jobs.run_in_child(work, LIMITS, seen.append)
    assert result["child"] and result["pid"] != os.getpid()
    assert seen == [(10, "10%", "reading")]
    assert not jobs.in_child()

    def refused(_progress):
        raise Forbidden("not yours")

    with pytest.raises(Forbidden):
        jobs.run_in_child(refused, LIMITS)


def test_time_limit_ends_a_job_with_a_typed_message():
    limits = jobs.Limits(concurrency=1, seconds=0.3, memory_mb=150)
    with pytest.raises(jobs.JobStopped) as stopped:
        jobs.run_in_child(lambda _p: time.sleep(60), limits)
    assert stopped.value.kind == "time"
    assert stopped.value.text("en").startswith("The job ran longer than its 0.3 seconds limit")
    assert "0.3 秒的时限" in stopped.value.text("zh")


@pytest.mark.parametrize("how", ["bytearrays", "numpy", "one huge block"])
def test_memory_limit_ends_a_runaway_job_with_a_typed_message(how):
    def runaway(_progress):
        if how == "numpy":
            import numpy

            return numpy.ones((20_000, 10_000)).sum()  # 1.6 GB
        if how == "one huge block":
            return len(b"x" * (4 << 30))
        blocks = []
        while True:
            blocks.append(bytearray(16 << 20))

    with pytest.raises(jobs.JobStopped) as stopped:
        jobs.run_in_child(runaway, LIMITS)
    assert stopped.value.kind == "memory"
    assert "more than its 150 MB memory limit" in stopped.value.text("en")
    assert "150 MB" in stopped.value.text("zh")
    # the job process itself is not limited: the same allocation works here
    assert len(bytearray(200 << 20)) == 200 << 20


def test_a_child_that_dies_is_reported_as_a_crash():
    with pytest.raises(jobs.JobStopped) as stopped:
        jobs.run_in_child(lambda _p: os.kill(os.getpid(), 9), LIMITS)
    assert stopped.value.kind == "crashed"
    assert "ended unexpectedly" in stopped.value.text("en")


# --- through Dash's job managers -----------------------------------------------------------------

def start(manager, key: str, args: list) -> tuple[str, object]:
    result_key = f"jobs-test-result-{uuid.uuid4().hex}"
    job = manager.call_job_fn(result_key, manager.func_registry[key], args, {})
    return result_key, job


def result_of(manager, handle: tuple[str, object], timeout: float = 90):
    result_key, job = handle
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if manager.result_ready(result_key):
            return manager.get_result(result_key, job)
        time.sleep(0.1)
    raise AssertionError(f"job {result_key} gave no result in {timeout} s")


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def check_cap(manager, folder: Path, slots_dir: str | None) -> None:
    """Three jobs with a cap of two: two run, the third waits until one ends, all three finish."""
    handles = [start(manager, "jobs-test-hold", [str(folder), tag, 60, 150, slots_dir])
               for tag in "abc"]
    started = lambda: sorted(p.name for p in folder.glob("started-*"))  # noqa: E731
    waiting = lambda: sorted(p.name for p in folder.glob("waiting-*"))  # noqa: E731
    assert wait_for(lambda: len(started()) >= 2, 90), started()
    # the third must not start while two hold their slots
    if slots_dir is not None:
        # diskcache: the third says it waits for a slot (jobs.run's `waiting`), and keeps waiting
        # for some of its polls more
        assert wait_for(lambda: waiting() or len(started()) > 2, 90), started()
        assert not wait_for(lambda: len(started()) > 2, 4 * jobs.SLOT_POLL_SECONDS), started()
        assert len(waiting()) == 1 and waiting()[0][len("waiting-"):] not in {s[len("started-"):] for s in started()}
    else:  # Celery: the third stays in the queue, with no sign of it to wait for
        assert not wait_for(lambda: len(started()) > 2, 3), started()
    (folder / "release").touch()
    assert sorted(result_of(manager, h) for h in handles) == ["done a", "done b", "done c"]
    assert started() == ["started-a", "started-b", "started-c"]


def check_limits(manager, slots_dir: str | None) -> None:
    slow = start(manager, "jobs-test-runaway", ["time", 0.3, 150, slots_dir])
    greedy = start(manager, "jobs-test-runaway", ["memory", 60, 150, slots_dir])
    slow_result, greedy_result = result_of(manager, slow), result_of(manager, greedy)
    assert slow_result["stopped"] == "time", slow_result
    assert "longer than its 0.3 seconds limit" in slow_result["text"]
    assert greedy_result["stopped"] == "memory", greedy_result
    assert "150 MB memory limit" in greedy_result["text"]


@pytest.fixture
def disk_manager(tmp_path):
    import dash
    import diskcache

    manager = dash.DiskcacheManager(diskcache.Cache(str(tmp_path / "cache")))
    jobs_app.register(manager)
    return manager


def test_diskcache_jobs_beyond_the_cap_wait_for_a_slot(disk_manager, tmp_path):
    folder = tmp_path / "marks"
    folder.mkdir()
    check_cap(disk_manager, folder, str(tmp_path / "slots"))


def test_diskcache_jobs_are_stopped_by_their_limits(disk_manager, tmp_path):
    check_limits(disk_manager, str(tmp_path / "slots"))


def test_a_job_waiting_too_long_for_a_slot_gives_up_with_a_message(tmp_path):
    limits = jobs.Limits(concurrency=1, seconds=0.5, memory_mb=150, slots_dir=tmp_path)
    held = jobs.Slot(limits)
    assert held.try_take()
    try:
        shown = []
        with pytest.raises(jobs.JobStopped) as stopped:
            jobs.run(lambda _p: "never", shown.append, waiting=(0, "", "queued"), limits=limits)
        assert stopped.value.kind == "busy" and shown == [(0, "", "queued")]
    finally:
        held.release()
    assert jobs.run(lambda _p: "ran", limits=limits) == "ran"


@pytest.fixture(scope="module")
def celery_manager(tmp_path_factory):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    import dash

    prefix = f"jobs-test-{uuid.uuid4().hex[:10]}:"
    os.environ["JOBS_TEST_REDIS"], os.environ["JOBS_TEST_PREFIX"] = REDIS_URL, prefix
    import importlib

    app_module = importlib.reload(jobs_app)
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with open(log, "w") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.jobs_app:celery", "worker",
             "--pool", "prefork", "--loglevel", "warning", "--without-gossip", "--without-mingle",
             "--without-heartbeat"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    manager = dash.CeleryManager(app_module.celery)
    jobs_app.register(manager)
    try:
        yield manager
    finally:
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        for name in ("JOBS_TEST_REDIS", "JOBS_TEST_PREFIX"):
            os.environ.pop(name, None)
        if worker.returncode not in (0, -15):
            print(log.read_text()[-3000:])


def test_celery_jobs_beyond_the_worker_concurrency_wait_in_the_queue(celery_manager, tmp_path):
    folder = tmp_path / "marks"
    folder.mkdir()
    check_cap(celery_manager, folder, None)


def test_celery_jobs_are_stopped_by_their_limits(celery_manager):
    check_limits(celery_manager, None)


def test_celery_runs_the_rollback_s_summary_job_in_its_worker(celery_manager, app, engine):  # noqa: F811
    """The rollback's summary build (uploads.refresh_summaries) as a bounded job on a real Celery
    worker with its own app (dashboard/worker.py's set-up): the admin re-checked in the database
    there, every summary of the current data built, the old data's gone."""
    from dashboard import data
    from etl.store import summary
    from tests.test_summary_jobs import built_kinds, current_stamp, every_kind
    from tests.test_upload import identity_of, load_two_versions

    load_two_versions(app, engine)
    summary.clear(engine)
    url = engine.url.render_as_string(hide_password=False)
    admin = identity_of(app, "admin")
    result = result_of(celery_manager, start(celery_manager, "jobs-test-summaries",
                                             [url, admin, 120, 1024, None]), timeout=180)
    assert set(result) == {"seconds"}, result
    assert built_kinds(engine) == {current_stamp(app): every_kind()} and data.SUMMARISED
    viewer = identity_of(app, "vic")  # a viewer's identity: refused inside the job, nothing built
    summary.clear(engine)
    refused = result_of(celery_manager, start(celery_manager, "jobs-test-summaries",
                                              [url, viewer, 120, 1024, None]), timeout=180)
    assert refused["background_callback_error"]["msg"].startswith("403 Forbidden"), refused
    assert built_kinds(engine) == {}


def test_the_celery_app_takes_its_settings():
    from etl.settings import Settings

    app = jobs.celery_app(Settings(jobs_redis_url=REDIS_URL, cache_key_prefix="p:",
                                   job_concurrency=3, job_seconds=100, job_memory_mb=256))
    assert app.conf.worker_concurrency == 3 and app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_default_queue == "p:upload-jobs"
    assert app.conf.task_time_limit == 160
    assert app.conf.worker_max_memory_per_child == (256 + 512) * 1024


# --- the upload page ----------------------------------------------------------------------------

def test_the_upload_page_says_when_a_limit_stopped_a_check(app, engine, monkeypatch):  # noqa: F811
    client = signed_in(app, "ana")
    before = counts(engine)
    data, name = messy_files.provincial_xlsx()
    settings = config.settings()
    # a file name of its own per upload: Dash keys a job by its arguments, and a result left by an
    # earlier test's identical upload (same file, name and nonce) would answer the poll
    monkeypatch.setattr(config, "current", settings.replace(job_seconds=0.01))
    stopped = jobs.JobStopped("time", jobs.current_limits()).text("zh")
    body, pending_ids = upload(client, (data, "slow-" + name))
    # the results show the alert and nothing else: its catalogue sentence, no traceback
    alert = body["upload-results"]["children"]
    assert pending_ids == [] and alert["type"] == "Alert", alert
    assert alert["props"]["className"] == "upload-job-stopped" and alert["props"]["children"] == stopped
    monkeypatch.setattr(config, "current", settings)
    assert counts(engine) == before
    body, pending_ids = upload(client, (data, "ok-" + name))  # within the limits: checked
    cards = body["upload-results"]["children"]
    assert pending_ids and [c["props"]["className"] for c in cards] == ["mb-3 upload-file-card"]


def test_the_upload_page_shows_a_memory_stop_as_a_message(tmp_path, monkeypatch):
    """The page's job runner (the check's and the commit's) turns a job stopped by the memory limit
    into its alert. (A real check is not used here: the limit counts memory a job adds to what its
    process had mapped, and a long test run leaves enough free memory there to check any small file.)"""
    from dashboard.pages import upload as page

    monkeypatch.setattr(config, "current", config.settings().replace(job_memory_mb=100))

    def runaway(_progress):
        blocks = []
        while True:
            blocks.append(bytearray(16 << 20))

    seen = []
    alert = page._as_job(runaway, seen.append, "en", lambda alert: alert)
    assert alert.className == "upload-job-stopped"
    assert "more than its 100 MB memory limit" in alert.children
