"""gunicorn settings for production:  gunicorn -c gunicorn.conf.py app:server

Why these settings (bench/bench_load.py, 200 viewers on loopback, PostgreSQL 1 M observations,
Redis; the 2-core machine shared, load average 15-22, so compare within a run): the warm callbacks
are now a few milliseconds of CPU each, and every configuration that keeps both cores busy serves
about the same (sync -w 4: 103 callback req/s; gthread 4 x 8: 75; gthread 2 x 4: 79; before the
changes of issue 13, sync -w 4 served 8 req/s with 22 s p95). Threads are kept because a request
is not always CPU: a callback waits on PostgreSQL or Redis, and an upload of up to 20 MB from a
slow client holds a sync worker for as long as the body takes to arrive; a gthread worker serves
its other threads meanwhile. Two processes per core use both cores despite the GIL; four threads
each keep the GIL contention low. Each worker holds Dash, plotly and pandas (~150 MB).

Every value can be overridden from the environment (GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_BIND, GUNICORN_TIMEOUT) or on the command line (`-w 3` wins over this file).
"""
import os

_cores = os.cpu_count() or 1

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8050")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * _cores))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A page callback answers in well under a second; uploads run as background jobs (their own
# processes, not bound by this), so a request that takes a minute is stuck: restart the worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5  # seconds: a browser posts the frame and the router back to back
# Recycle workers now and then (slow growth of caches, fragmented memory), not all at once.
max_requests = 5000
max_requests_jitter = 500
# The app is created in each worker, after the fork: database pools and the Redis client are the
# worker's own. Workers start together; dashboard.startup_lock lets one migrate and seed.
preload_app = False
accesslog = os.environ.get("GUNICORN_ACCESSLOG")  # e.g. "-" for stdout; off by default
