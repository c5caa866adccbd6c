"""Test databases: a migrated and seeded template built once per session, and copies of it; and a
second template with the whole demo set loaded (built on first use, for the tests that read the demo
data: a demo load costs ~10 s of CPU, a copy a fraction of a second).

- SQLite: the template is a file; a copy is a file copy.
- PostgreSQL (TEST_DATABASE_URL): the template is a database of its own; a copy is
  `CREATE DATABASE ... TEMPLATE`, dropped afterwards (the URL's user needs CREATEDB). A database
  per test, not a transaction rolled back at its end, because the code commits its own
  transactions, serialises loads with advisory locks, and runs upload jobs in forked processes that
  must see what the test committed. Names are unique, so several runs can share one server.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import Engine, text

from etl.store.db import init_db, make_engine

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def _pg_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class PostgresServer:
    """Creates and drops databases on the server of `url`."""

    def __init__(self, url: str):
        self.admin = make_engine(_pg_url(url), isolation_level="AUTOCOMMIT")

    def url_of(self, name: str) -> str:
        return self.admin.url.set(database=name).render_as_string(hide_password=False)

    def create(self, prefix: str, template: str | None = None) -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        copy = f' TEMPLATE "{template}" STRATEGY WAL_LOG' if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        return name

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:  # FORCE: also ends connections a forked job left open
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        self.admin.dispose()


class Databases:
    """New databases for one test session: empty ones, and copies of the seeded template."""

    def __init__(self, template_dir: Path):
        self.template_dir = Path(template_dir)
        self.server = PostgresServer(TEST_DATABASE_URL) if TEST_DATABASE_URL else None
        self._template: str | None = None
        self._demo_template: str | None = None
        self.demo_outcomes: list | None = None  # what load_demo answered when it filled the demo template

    @property
    def template(self) -> str:
        """The seeded template (SQLite file path or PostgreSQL database name), built on first use."""
        if self._template is None:
            self._template = self._build_template()
        return self._template

    @property
    def demo_template(self) -> str:
        """The seeded template with the demo set loaded (etl.demo.files.load_demo), built on first
        use from a copy of the seeded one."""
        if self._demo_template is None:
            self._demo_template = self._build_template(demo=True)
        return self._demo_template

    def _build_template(self, *, demo: bool = False) -> str:
        if self.server is None:
            path = self.template_dir / ("demo.sqlite" if demo else "template.sqlite")
            if demo:
                shutil.copyfile(self.template, path)
            engine = make_engine(f"sqlite:///{path}")
            self._fill(engine, demo)
            with engine.connect() as conn:  # all of it in the main file, so that a copy has it
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
            engine.dispose()
            return str(path)
        name = self.server.create("tpl", self.template if demo else None)
        engine = make_engine(self.server.url_of(name))
        self._fill(engine, demo)
        engine.dispose()  # a template must have no connection when it is copied
        return name

    def _fill(self, engine: Engine, demo: bool) -> None:
        if not demo:
            init_db(engine)
            return
        from etl.demo.files import load_demo

        self.demo_outcomes = load_demo(engine, work_dir=self.template_dir / "demo-files")

    def new(self, directory: Path, *, seeded: bool, demo: bool = False) -> tuple[Engine, callable]:
        """(engine, cleanup) on a new database: a copy of the template (of the demo template with
        demo=True), or empty."""
        template = (self.demo_template if demo else self.template) if seeded or demo else None
        if self.server is None:
            path = Path(directory) / "test.sqlite"
            if template:
                shutil.copyfile(template, path)
            engine = make_engine(f"sqlite:///{path}")
            return engine, engine.dispose
        name = self.server.create("t", template)
        engine = make_engine(self.server.url_of(name))

        def cleanup():
            engine.dispose()
            self.server.drop(name)

        return engine, cleanup

    def copy_of(self, source: Engine, directory: Path) -> tuple[Engine, callable]:
        """(engine, cleanup) on a copy of the database of `source` as it is now: for a test that
        changes what a module's fixture made once (SQLite: the backup API; PostgreSQL: the source
        as template, its pool emptied first, since a template may have no connection)."""
        if self.server is None:
            path = Path(directory) / "copy.sqlite"
            raw = source.raw_connection()
            try:
                import sqlite3

                target = sqlite3.connect(path)
                raw.driver_connection.backup(target)
                target.close()
            finally:
                raw.close()
            engine = make_engine(f"sqlite:///{path}")
            return engine, engine.dispose
        source.dispose()
        name = self.server.create("t", source.url.database)
        engine = make_engine(self.server.url_of(name))

        def cleanup():
            engine.dispose()
            self.server.drop(name)

        return engine, cleanup

    def close(self) -> None:
        if self.server is not None:
            for name in (self._demo_template, self._template):
                if name is not None:
                    self.server.drop(name)
            self.server.close()


def new_database_url(tmp_path) -> tuple[str, dict, callable]:
    """(url, engine kwargs, cleanup) for a new empty database (kept for fixtures of a wider scope;
    the `databases` fixture does the same and can copy the seeded template)."""
    if not TEST_DATABASE_URL:
        return f"sqlite:///{Path(tmp_path) / 'test.sqlite'}", {}, lambda: None
    server = PostgresServer(TEST_DATABASE_URL)
    name = server.create("t")

    def cleanup():
        server.drop(name)
        server.close()

    return server.url_of(name), {}, cleanup
