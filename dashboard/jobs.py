"""The upload page's job queue: a concurrency cap, a time limit and a memory limit for every job.

    manager = jobs.job_manager(settings)     # Dash's CeleryManager on Redis when JOBS_REDIS_URL is
                                             # set, else its DiskcacheManager in the instance folder
    result = jobs.run(work, set_progress, waiting=(0, "", "queued…"))   # inside a job
    jobs.JobStopped(kind, limits).text(lang)  # what the page shows when a limit ended a job

Checking, annotating and committing an upload, and building the pages' summaries after a rollback
(the history page), run as Dash background callbacks, never in the web worker's request. Where they run:

- **Celery** (production, `JOBS_REDIS_URL`): the web workers put each job on a Redis queue; a
  separate worker (`celery -A dashboard.worker:celery worker`, see the README) runs at most
  `JOB_CONCURRENCY` of them at once (`worker_concurrency`, prefetch 1): the next one waits in the
  queue. Any web worker answers the browser's polls (results and progress in Redis).
- **diskcache** (the SQLite / single-machine default): each job is a process forked from the
  gunicorn worker that received the request (Dash's DiskcacheManager); before working it takes one
  of `JOB_CONCURRENCY` slots, file locks in the job cache folder shared by every worker on the
  machine, and waits (showing "queued") until one is free. A lock dies with its process, so a
  killed job never keeps a slot.

Either way `run` does the work in a child process of the job and watches it: the child's address
space may grow by `JOB_MEMORY_MB` beyond what it started with (RLIMIT_AS: an allocation past it
raises MemoryError there; memory the process had mapped but free when it forked, at most what the
web or Celery worker held, is usable on top: RLIMIT_AS counts mappings, not use), and after
`JOB_SECONDS` the child is killed. The job then returns the
page's ordinary outputs with a message (JobStopped), never a traceback; the database is unchanged,
as a load is one transaction. The child also dies with its job (PR_SET_PDEATHSIG), so the stop
button, which kills the job, stops the work too. Progress is relayed from the child through a pipe,
so only the job process writes to the job store. Celery's own `task_time_limit` and
`worker_max_memory_per_child` stay behind as a backstop.
"""
from __future__ import annotations

import logging
import os
import pickle
import resource
import select
import signal
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from etl import config
from etl.wording.catalogue import t
from etl.settings import Settings

log = logging.getLogger(__name__)

QUEUE = "upload-jobs"
SLOT_POLL_SECONDS = 0.25


@dataclass(frozen=True)
class Limits:
    concurrency: int = 2
    seconds: float = 600
    memory_mb: int = 1024
    slots_dir: Optional[Path] = None  # diskcache mode: where the slot locks are; None: no slots

    @classmethod
    def from_settings(cls, settings: Settings, slots_dir: Optional[Path] = None) -> "Limits":
        return cls(settings.job_concurrency, settings.job_seconds, settings.job_memory_mb, slots_dir)


class JobStopped(Exception):
    """A job ended by a limit: kind is time | memory | crashed | busy."""

    def __init__(self, kind: str, limits: Limits) -> None:
        super().__init__(kind)
        self.kind, self.limits = kind, limits

    def text(self, lang: str) -> str:
        seconds = self.limits.seconds
        limit = (t("jobs.minutes", lang, n=seconds / 60) if seconds >= 120
                 else t("jobs.seconds", lang, n=seconds))
        return t(f"jobs.{self.kind}", lang, limit=limit, mb=self.limits.memory_mb)


def queued_text(lang: str) -> str:
    return t("jobs.queued", lang)


def current_limits() -> Limits:
    """The limits of this process's settings; diskcache mode has slots in the job cache folder."""
    settings = config.settings()
    slots = None if settings.jobs_redis_url else config.instance_dir() / "upload-jobs" / "slots"
    return Limits.from_settings(settings, slots)


# --- a child with limits ----------------------------------------------------------------------------

_CHILD_OF: Optional[int] = None  # in a job's child: the pid of the job process


def in_child() -> bool:
    """True in the child process where `run` does a job's work."""
    return _CHILD_OF is not None and _CHILD_OF == os.getppid()


def _send(fd: int, message: tuple) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    data = struct.pack("!Q", len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the stop button may leave the child running
        pass


def _address_space() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


def _child(work: Callable[[Callable], Any], fd: int, memory_bytes: int) -> None:
    """In the child: limit the address space, work, send ("ok"|"raise"|"memory", value)."""
    global _CHILD_OF
    _CHILD_OF = os.getppid()
    _die_with_parent()
    if os.getppid() != _CHILD_OF:  # the job died before we could ask to die with it
        os._exit(1)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM):
        signal.signal(sig, signal.SIG_DFL)  # not the parent's (Celery's, gunicorn's) handlers
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    progress = lambda *value: _send(fd, ("progress", value))  # noqa: E731
    try:
        resource.setrlimit(resource.RLIMIT_AS, (_address_space() + memory_bytes, hard))
        try:
            outcome: tuple = ("ok", work(progress))
        except MemoryError:
            outcome = ("memory", None)
        except BaseException as exc:  # noqa: BLE001 - handed to the job process as it is
            outcome = ("raise", exc)
        del work
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))  # room to send the result
        try:
            _send(fd, outcome)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            _send(fd, ("raise", RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}: {exc}")))
        code = 0
    except MemoryError:
        code = 3
    except BaseException:  # noqa: BLE001 - the parent reports a crash
        code = 4
    finally:
        os.close(fd)
    os._exit(code)


def _read_frames(fd: int, buffer: bytearray) -> list[tuple]:
    frames = []
    while len(buffer) >= 8:
        size = struct.unpack("!Q", buffer[:8])[0]
        if len(buffer) < 8 + size:
            break
        frames.append(pickle.loads(bytes(buffer[8:8 + size])))
        del buffer[:8 + size]
    return frames


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def run_in_child(work: Callable[[Callable], Any], limits: Limits,
                 set_progress: Optional[Callable[[Any], None]] = None) -> Any:
    """work(progress) in a forked child within the limits; its result, or its exception re-raised,
    or JobStopped. `progress(*value)` in the child calls set_progress(value) here."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child (coverage cannot follow it)
        os.close(read_fd)
        try:
            _child(work, write_fd, limits.memory_mb * 1024 * 1024)
        finally:
            os._exit(5)
    os.close(write_fd)
    deadline = time.monotonic() + limits.seconds
    buffer = bytearray()
    outcome = None
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                _kill(pid)
                pid = 0
                log.warning("upload job stopped: over its time limit of %s s", limits.seconds)
                raise JobStopped("time", limits)
            ready, _, _ = select.select([read_fd], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            buffer += chunk
            for frame in _read_frames(read_fd, buffer):
                if frame[0] == "progress":
                    if set_progress is not None:
                        value = frame[1]
                        set_progress(value[0] if len(value) == 1 else value)
                else:
                    outcome = frame
    finally:
        os.close(read_fd)
        if pid:  # it has sent its outcome (or died, or we are leaving on an error here): reap it
            _kill(pid)
    if outcome is None or outcome[0] == "memory":
        kind = "memory" if outcome is not None else "crashed"
        log.warning("upload job stopped: %s (memory limit %s MB)", kind, limits.memory_mb)
        raise JobStopped(kind, limits)
    if outcome[0] == "raise":
        raise outcome[1]
    return outcome[1]


# --- slots: the cap on concurrent jobs without Celery ----------------------------------------------

class Slot:
    """One of `limits.concurrency` exclusive file locks in `limits.slots_dir`, held until released
    (or until this process dies: the kernel drops its locks)."""

    def __init__(self, limits: Limits) -> None:
        self.limits, self.handle = limits, None

    def try_take(self) -> bool:
        import fcntl

        from dashboard.settings import private_file

        self.limits.slots_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        for index in range(self.limits.concurrency):
            handle = open(private_file(self.limits.slots_dir / f"slot-{index}.lock"), "w")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            self.handle = handle
            return True
        return False

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


def run(work: Callable[[Callable], Any], set_progress: Optional[Callable[[Any], None]] = None, *,
        waiting: Any = None, limits: Optional[Limits] = None) -> Any:
    """A job's work within the limits: wait for a slot (diskcache mode; `waiting` is shown as
    progress meanwhile, for at most the time limit), then run_in_child. JobStopped when a limit
    ended it."""
    limits = limits or current_limits()
    if limits.slots_dir is None:
        return run_in_child(work, limits, set_progress)
    slot = Slot(limits)
    give_up = time.monotonic() + limits.seconds
    shown = False
    while not slot.try_take():
        if time.monotonic() > give_up:
            log.warning("upload job gave up: no free slot of %s in %s s", limits.concurrency,
                        limits.seconds)
            raise JobStopped("busy", limits)
        if not shown and waiting is not None and set_progress is not None:
            set_progress(waiting)
            shown = True
        time.sleep(SLOT_POLL_SECONDS)
    try:
        return run_in_child(work, limits, set_progress)
    finally:
        slot.release()


# --- the managers -----------------------------------------------------------------------------------

def celery_app(settings: Settings):
    """The Celery app of the job queue: broker and results on settings.jobs_redis_url."""
    from celery import Celery

    limits = Limits.from_settings(settings)
    app = Celery("dlj_upload_jobs", broker=settings.jobs_redis_url,
                 backend=settings.jobs_redis_url)
    prefix = settings.cache_key_prefix
    app.conf.update(
        task_default_queue=f"{prefix}{QUEUE}",
        broker_transport_options={"global_keyprefix": prefix},
        result_backend_transport_options={"global_keyprefix": prefix},
        worker_concurrency=limits.concurrency,
        worker_prefetch_multiplier=1,  # a busy worker process takes no second job
        task_time_limit=int(limits.seconds) + 60,  # backstop: run() stops the work first
        worker_max_memory_per_child=(limits.memory_mb + 512) * 1024,  # KiB; backstop
        result_expires=24 * 3600,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return app


_CELERY: dict[str, Any] = {}


def shared_celery(settings: Settings):
    """One Celery app per queue in a process (the page's manager and the worker share it)."""
    key = settings.jobs_redis_url + " " + settings.cache_key_prefix
    if key not in _CELERY:
        _CELERY[key] = celery_app(settings)
    return _CELERY[key]


_MANAGERS: dict[str, Any] = {}


def job_manager(settings: Optional[Settings] = None):
    """The Dash job manager of the upload and history pages (one per queue in a process), its
    handles bound to their starter (job_owners)."""
    import dash

    from dashboard.job_owners import owned, owned_diskcache_manager

    settings = settings or config.settings()
    if settings.jobs_redis_url:
        key = "celery " + settings.jobs_redis_url + " " + settings.cache_key_prefix
        if key not in _MANAGERS:
            _MANAGERS[key] = owned(dash.CeleryManager(shared_celery(settings)))
    else:
        folder = config.instance_dir() / "upload-jobs"
        key = f"disk {folder}"
        if key not in _MANAGERS:
            _MANAGERS[key] = owned_diskcache_manager(folder)
    return _MANAGERS[key]


STARTER = "upload"  # the Dash custom_data namespace of uploads.job_identity (pages/upload.py)


def job_starter() -> Optional[dict]:
    """In a background callback: who started it, as the starting request verified it
    (uploads.job_identity, a Dash custom_data hook); None outside a callback (tests), where
    uploads.job_context asks the session."""
    import dash

    try:
        return dash.callback_context.custom_data.get(STARTER)
    except (LookupError, AttributeError, dash.exceptions.MissingCallbackContextException):
        return None
