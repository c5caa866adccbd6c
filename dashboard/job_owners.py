"""Background-job handles that only their starter may use (issue 12, item 13).

    manager = owned(dash.DiskcacheManager(cache))   # or owned(dash.CeleryManager(celery_app))
    manager = owned_diskcache_manager(path)          # the upload page's default

Dash signs a job's handles (cacheKey, job) for the page load that started it, but they are still
bearer tokens. OwnedJobs records who started each job next to it, in the manager's own store, and
refuses their use by anyone else. Used by dashboard/jobs.py (the upload page's manager).
"""
from __future__ import annotations

import logging
from typing import Any, Optional

log = logging.getLogger(__name__)


class OwnedJobs:
    """A Dash background-callback manager whose job handles only their starter may use.

    Dash signs a job's handles (cacheKey, job) for the page load that started it, but they are
    still bearer tokens: another analyst holding them could read the job's progress and result (a
    validation report) or stop it. This mixin records who started each job (the signed-in user,
    from the starting request) next to the job in the manager's own store, which every worker
    shares, and refuses every later use of its handles by anyone else: no progress, no result, no
    stop; the refusal is logged.

        manager = owned(dash.DiskcacheManager(cache))   # or owned(dash.CeleryManager(celery_app))
    """

    OWNER_SECONDS = 24 * 3600

    def _owner_set(self, key: str, owner: str) -> None:
        if hasattr(self.handle, "transact"):  # diskcache.Cache: shared by this machine's workers
            self.handle.set(key, owner, expire=self.OWNER_SECONDS)
        else:  # CeleryManager: its result backend (Redis), shared by every worker and machine
            self.handle.backend.set(key, owner.encode())

    def _owner_get(self, key: str) -> Optional[str]:
        if hasattr(self.handle, "transact"):
            return self.handle.get(key)
        found = self.handle.backend.get(key)
        return found.decode() if isinstance(found, bytes) else found

    @staticmethod
    def requester() -> str:
        from dashboard import auth

        user = auth.current_user_or_none()
        return f"user:{user.user_id}" if user is not None else "anonymous"

    def _remember(self, kind: str, value: Any) -> None:
        self._owner_set(f"owner:{kind}:{value}", self.requester())

    def _mine(self, kind: str, value: Any) -> bool:
        owner = self._owner_get(f"owner:{kind}:{value}")
        if owner == self.requester():
            return True
        log.warning("job handle %s %s used by %s, started by %s: refused", kind,
                    str(value)[:12], self.requester(), owner or "nobody known")
        return False

    def call_job_fn(self, key, job_fn, args, context):
        job = super().call_job_fn(key, job_fn, args, context)
        self._remember("key", key)
        self._remember("job", job)
        return job

    def get_progress(self, key):
        return super().get_progress(key) if self._mine("key", key) else None

    def result_ready(self, key):
        return self._mine("key", key) and super().result_ready(key)

    def get_result(self, key, job):
        return super().get_result(key, job) if self._mine("key", key) else self.UNDEFINED

    def get_updated_props(self, key):
        return super().get_updated_props(key) if self._mine("key", key) else {}

    def job_running(self, job):
        return self._mine("job", job) and super().job_running(job)

    def terminate_job(self, job):
        if not self._mine("job", job):
            return
        import psutil

        for attempt in range(3):
            try:
                return super().terminate_job(job)
            except psutil.NoSuchProcess:
                # Dash lists the job's process tree before it kills it; a process of the tree that
                # ended meanwhile (a job that just finished, as get_result stops it) made the listing
                # fail and the answer an error. List the tree again: what is left is stopped.
                log.info("job %s: a process ended while it was being stopped (try %d)",
                         str(job)[:12], attempt + 1)


def owned(manager: Any) -> Any:
    """The same Dash job manager (DiskcacheManager or CeleryManager), its handles bound to their
    starter (OwnedJobs)."""
    if isinstance(manager, OwnedJobs):
        return manager
    cls = type(manager)
    owned_cls = type(f"Owned{cls.__name__}", (OwnedJobs, cls), {})
    bound = owned_cls.__new__(owned_cls)
    bound.__dict__.update(manager.__dict__)  # the same cache or Celery app, the same settings
    return bound


def owned_diskcache_manager(path) -> Any:
    """The upload page's job manager: Dash's DiskcacheManager on a private folder, OwnedJobs."""
    import dash
    import diskcache

    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    # results the browser never fetched (tab closed) are dropped when the cache passes 1 GB
    store = diskcache.Cache(str(path), size_limit=2**30)
    for child in path.iterdir():  # the cache's SQLite file holds reports: this user's only
        child.chmod(0o600)
    return owned(dash.DiskcacheManager(store))
