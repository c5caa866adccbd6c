"""The leadership dashboard: a multi-page Dash app over the query functions of etl/store/queries.py.

    app = create_app()          # DATABASE_URL, or the SQLite file in instance/
    app.run()                   # development;  gunicorn app:server  in production

`create_app` is deliberately a short list of steps: the accounts module (dashboard/auth.py: roles,
the callback guard, the CSRF check) is initialised before the response cache, and the pages
register themselves in dashboard/pages/ (with a `roles` key to hide them from other roles).
"""
from __future__ import annotations

import importlib
import logging
import pkgutil
from pathlib import Path

import dash
from dash import Dash
from sqlalchemy import Engine

from dashboard.settings import settings as current_settings, startup_lock
from etl.settings import Settings
from etl.wording.catalogue import t

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
log = logging.getLogger(__name__)


def url_prefix() -> str:
    """Where the app is mounted (Dash's own setting), so that our links stay on the same origin."""
    return current_settings().url_prefix


def prepare_database(engine: Engine, load_demo_if_empty: bool = True,
                     on_demo_file=None) -> None:
    """Migrate and seed (idempotent); load the demo workbooks into a database that holds no data.

    on_demo_file(done, total, name), when given, is told of every demo file as it is loaded (the
    terminal's progress bar of `python app.py`).
    """
    from etl.store.db import ensure_db

    with startup_lock():  # gunicorn workers start together: one initialises, the others wait
        ensure_db(engine)
        if load_demo_if_empty:
            from etl.store import queries
            from etl.demo.files import load_demo

            if queries.data_vintage(engine) is None:
                load_demo(engine, on_file=on_demo_file)


def import_pages() -> None:
    """Import every module of dashboard/pages (each calls dash.register_page once per process)."""
    from dashboard import pages

    for info in sorted(pkgutil.iter_modules(pages.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{pages.__name__}.{info.name}")
        entry = dash.page_registry.get(module.__name__)
        # what Dash's own pages_folder import does: a page's `layout` defined after register_page
        if entry is not None and not entry.get("supplied_layout") and hasattr(module, "layout"):
            entry["layout"] = module.layout


STATIC_DIR = Path(__file__).resolve().parent / "static"
BOOTSTRAP_VERSION = "5.3.8"  # dashboard/static/bootstrap: bootstrap.min.css from npm, MIT (LICENSE there)


def serve_vendor_files(server) -> None:
    """Bootstrap's CSS, vendored in dashboard/static/bootstrap, on our own origin (no CDN)."""
    from flask import send_from_directory

    @server.route("/vendor/bootstrap/<path:filename>")
    def bootstrap_files(filename):  # noqa: ANN001 - Flask view
        return send_from_directory(STATIC_DIR / "bootstrap", filename, max_age=86400)


def create_app(engine: Engine | None = None, *, load_demo_if_empty: bool = True,
               on_demo_file=None, settings: Settings | None = None,
               log_to_stderr: bool = False) -> Dash:
    """The app; `settings` default to Settings.from_env(), read now, kept in
    app.server.config["SETTINGS"] and handed to the ETL (etl.config.use)."""
    from dashboard import auth, briefing_view, callbacks, data, shell
    from dashboard.cache import init_cache
    from dashboard.delivery import init_delivery
    from dashboard.response_cache import init_response_cache
    from etl import config, logs
    from etl.store.db import default_engine

    settings = config.use(settings or Settings.from_env())
    log_file = logs.configure(settings, stderr=log_to_stderr)
    engine = engine or default_engine()
    prepare_database(engine, load_demo_if_empty, on_demo_file)

    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="",  # pages are imported by import_pages(), after the app exists
        assets_folder=str(ASSETS_DIR),
        external_stylesheets=[settings.url_prefix + "vendor/bootstrap/css/bootstrap.min.css"
                              + f"?v={BOOTSTRAP_VERSION}"],  # versioned: cached for a year
        serve_locally=True,
        suppress_callback_exceptions=True,  # page layouts are built per request
        title=t("app.title", "zh"),
        update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    server = app.server
    server.config["SETTINGS"] = settings
    data.bind_engine(server, engine)
    init_cache(server)
    serve_vendor_files(server)
    briefing_view.init(server)  # GET /briefing/latest.pdf: the quarterly briefing (etl/briefing)
    import_pages()
    app.layout = shell.layout
    init_delivery(app)  # gzip, long caching, plotly.js preloaded
    callbacks.attach(app)
    auth.init_auth(app)  # accounts, roles, the callback guard and the CSRF check
    # after the guards: a cached answer only to whom may run it
    init_response_cache(server, role=auth.current_role, may_view=auth.may_view_as)
    log.info("dashboard ready: database %s, public viewing %s, log %s",
             engine.url.render_as_string(hide_password=True), settings.public_viewing, log_file)
    return app
