"""Start the dashboard.

    PUBLIC_VIEWING=1 python app.py   development server on http://127.0.0.1:8050 (HOST / PORT to
                                     change), viewable without sign-in (the README's demo command)
    gunicorn -c gunicorn.conf.py app:server
                                     production (set CACHE_REDIS_URL when running several workers)

On an empty database (DATABASE_URL, default instance/monitor.sqlite) the schema is created, the
catalog and targets are seeded and the demo workbooks are loaded, so the first start shows data.
`python app.py` does this before the server listens, with a progress bar on the terminal, so the
first page answers at once; a thread of the server builds the summaries of a new year when it
turns (dashboard/summaries.py: YearWatcher; gunicorn workers start theirs in gunicorn.conf.py). Without PUBLIC_VIEWING=1 every page asks for a
sign-in (docs/accounts.md: the first admin).
"""
from __future__ import annotations

import errno
import socket
import sys

from dashboard import create_app, summaries
from etl.settings import Settings, SettingsError
from etl.wording.catalogue import both, t


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, in one line, or None when it can."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return both("app.port_taken", port=port, host=host, next=port + 1)
            return both("app.cannot_listen", host=host, port=port, why=exc.strerror)
    return None


def terminal_progress():
    """A progress bar for the first start's demo load (tqdm, on stderr)."""
    from tqdm import tqdm

    bar = None

    def on_file(done: int, total: int, name: str) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit=t("app.files_unit", "zh"), desc=both("app.preparing_demo"),
                       file=sys.stderr, leave=True)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return on_file


def read_settings() -> Settings:
    """The environment's settings, or exit with one line naming the bad variable."""
    try:
        return Settings.from_env()
    except SettingsError as exc:
        print(both("settings.bad", error=exc), file=sys.stderr)
        raise SystemExit(2) from None


def main() -> int:
    settings = read_settings()
    problem = port_problem(settings.host, settings.port)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    dash_app = create_app(on_demo_file=terminal_progress(), settings=settings, log_to_stderr=True)
    summaries.build_in(dash_app)
    summaries.watch_year(dash_app.server)  # on 1 January: the new year's summaries, in a job
    dash_app.run(host=settings.host, port=settings.port, debug=settings.dash_debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())

app = create_app(settings=read_settings(), log_to_stderr=True)
summaries.build_in(app)  # each gunicorn worker at boot: a check per kind; built once if missing
server = app.server
