"""The Celery worker of the upload job queue (production, with JOBS_REDIS_URL set):

    celery -A dashboard.worker:celery worker --loglevel info

It needs the web server's environment (DATABASE_URL, JOBS_REDIS_URL, CACHE_KEY_PREFIX, the JOB_*
limits). It builds the app once, as a web worker does, so that the upload page's background
callbacks are registered as this queue's tasks (Dash names them after their code: the worker must
run the same version as the web servers), and runs every job in that app's context
(uploads.serve_jobs_with). `JOB_CONCURRENCY` jobs run at once (`--concurrency` overrides it); each
one within JOB_SECONDS and JOB_MEMORY_MB (dashboard/jobs.py).
"""
from __future__ import annotations

from dashboard import create_app, jobs, uploads
from etl import config
from etl.settings import Settings

settings = config.use(Settings.from_env())
if not settings.jobs_redis_url:
    raise SystemExit("JOBS_REDIS_URL is not set: without it the web server runs upload jobs itself "
                     "and needs no worker")
app = create_app(settings=settings, load_demo_if_empty=False)
uploads.serve_jobs_with(app.server)
celery = jobs.shared_celery(settings)
