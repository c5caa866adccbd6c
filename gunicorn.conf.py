"""gunicorn settings for production:  gunicorn -c gunicorn.conf.py app:server

Threaded workers (gthread), one process per core, 8 threads each. Why (bench/bench_load.py, 200
viewers on loopback, PostgreSQL + Redis, the 2-core machine shared with other work at load
average 7-21, so req/s swing two- to fivefold between identical runs; the server's CPU time
per request is the steadier figure; details in docs/deploy.md):

- a warm callback is now a cached answer (dashboard/response_cache.py): 2.4-4 ms of server CPU,
  about what a static file costs (11-14 ms before). 2 workers x 8 threads served 187-401
  callbacks/s in 7 runs, 4 x 4 84-412 in 10; run side by side, 2 x 8 served more in four pairs of
  six, less in two; it uses ~200 MB less memory;
- threads, not sync workers: a sync worker closes the connection after every answer (no
  keep-alive) and holds a process while a slow client sends an upload or while a request waits
  on PostgreSQL or Redis. Real sync workers (--threads 1) measured 3.3-4.2 ms per request and
  53-175 req/s. Beware: `-k sync` with threads > 1 silently runs gthread (gunicorn's rule), so
  earlier "sync" figures in this project were gthread ones;
- one process per core uses both cores despite the GIL; 8 threads keep a process busy while
  some of its requests wait on the database or Redis. Each worker holds Dash, plotly and pandas
  (~200 MB), so fewer processes also use less memory.

Every value can be overridden from the environment (GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_BIND, GUNICORN_TIMEOUT) or on the command line (`-w 3` wins over this file).
"""
import os

_cores = os.cpu_count() or 1

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8050")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", _cores))
threads = int(os.environ.get("GUNICORN_THREADS", 8))
# A page callback answers in well under a second; uploads run as background jobs (their own
# processes, not bound by this), so a request that takes a minute is stuck: restart the worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5  # seconds: a browser posts the frame and the router back to back
# Recycle workers now and then (slow growth of memory), not all at once. Not often: a new worker
# costs seconds of CPU to start (Dash, plotly, pandas) and starts with empty caches; at 300 requests
# a second, 5,000 requests per worker restarted one every ~30 s and stalled its clients.
max_requests = 200000
max_requests_jitter = 20000
# The app is created in each worker, after the fork: database pools and the Redis client are the
# worker's own. Workers start together; dashboard.startup_lock lets one migrate and seed.
preload_app = False
# The heartbeat file each worker touches on every turn of its loop: in memory, not on the disk
# (gunicorn's advice; /tmp here is a disk: 0.1 ms per touch, several per request).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("GUNICORN_ACCESSLOG")  # e.g. "-" for stdout; off by default


def post_worker_init(worker):
    """The app is loaded (app.py, which also built the summaries missing for the current data).

    The catalog each worker keeps in memory across data changes (indicators, 3,454 regions in a
    national database, targets, panels: dashboard.data.read_catalog) is read now, before the worker
    serves, so that no viewer's first render pays for it (21-37 ms of CPU at 1 M-20 M observations,
    bench/README.md); a later change of the catalog (python -m etl init) is read again by the
    render that sees its new stamp.

    Then the objects made so far (modules, Dash's and plotly's, the catalog), which live as long as
    the worker, are frozen out of the garbage collector's full passes, which walked them all every
    few requests: ~100 ms of CPU in one cold render in a few (bench/bench_callbacks.py).

    Last, the worker's year watcher starts (dashboard/summaries.py): on 1 January it builds the
    new year's summaries in a bounded job, so that the renders keep reading them without a restart
    (the summary's lock builds each kind once among the workers)."""
    import gc

    from dashboard import summaries

    read_catalog(worker.wsgi, worker.log)
    gc.collect()
    gc.freeze()
    summaries.watch_year(worker.wsgi)


def read_catalog(server, log) -> None:
    """dashboard.data.read_catalog in the app's context; a worker that cannot read it now (the
    database restarting) still starts and reads it on its first render, as before."""
    from dashboard import data

    try:
        with server.app_context():
            data.read_catalog()
    except Exception as exc:  # noqa: BLE001 - logged; the first render reads it instead
        log.warning("catalog not read at the worker's start (%s): read on its first render", exc)
