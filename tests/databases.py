"""Test databases: a migrated and seeded template built once per session, and copies of it; and a
second template with the whole demo set loaded (built on first use, for the tests that read the demo
data: a demo load costs ~10 s of CPU, a copy a fraction of a second).

- SQLite: the template is a file; a copy is a file copy. Under pytest-xdist (scripts/test's -n 2)
  the processes of one run share the templates (`shared_dir`): the first to need one builds it,
  the others wait for it (a lock) and copy it, instead of loading the demo set once per process.
- PostgreSQL (TEST_DATABASE_URL): the template is a database of its own; a copy is
  `CREATE DATABASE ... TEMPLATE`, dropped afterwards (the URL's user needs CREATEDB). A database
  per test, not a transaction rolled back at its end, because the code commits its own
  transactions, serialises loads with advisory locks, and runs upload jobs in forked processes that
  must see what the test committed. Names are unique, so several runs can share one server.
"""
from __future__ import annotations

import fcntl
import os
import pickle
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


OUTCOMES = "demo-outcomes.pickle"  # Databases.demo_outcomes, in the shared folder


class Databases:
    """New databases for one test session: empty ones, and copies of the seeded template."""

    def __init__(self, template_dir: Path, shared_dir: Path | None = None):
        """Templates in `template_dir`, or (SQLite) in `shared_dir`, shared with the other
        processes of the run that are given the same folder."""
        self.template_dir = Path(template_dir)
        self.server = PostgresServer(TEST_DATABASE_URL) if TEST_DATABASE_URL else None
        self.shared_dir = Path(shared_dir) if shared_dir is not None and self.server is None else None
        self._template: str | None = None
        self._demo_template: str | None = None
        self._demo_outcomes: list | None = None

    @property
    def demo_outcomes(self) -> list:
        """What load_demo answered when it filled the demo template (in this process or another)."""
        if self._demo_outcomes is None:
            self.demo_template
            if self._demo_outcomes is None:  # filled by another process of the run
                self._demo_outcomes = pickle.loads((self.shared_dir / OUTCOMES).read_bytes())
        return self._demo_outcomes

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
            name = "demo.sqlite" if demo else "template.sqlite"
            if self.shared_dir is None:
                return self._build_sqlite(self.template_dir / name, demo)
            path = self.shared_dir / name
            with open(self.shared_dir / f"{name}.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
                if not path.exists():  # the first process of the run to need it
                    self._build_sqlite(self.template_dir / name, demo)
                    if demo:
                        (self.shared_dir / OUTCOMES).write_bytes(pickle.dumps(self._demo_outcomes))
                    shutil.copyfile(self.template_dir / name, self.shared_dir / f"{name}.part")
                    os.replace(self.shared_dir / f"{name}.part", path)
            return str(path)
        name = self.server.create("tpl", self.template if demo else None)
        engine = make_engine(self.server.url_of(name))
        self._fill(engine, demo)
        engine.dispose()  # a template must have no connection when it is copied
        return name

    def _build_sqlite(self, path: Path, demo: bool) -> str:
        if demo:
            shutil.copyfile(self.template, path)
        engine = make_engine(f"sqlite:///{path}")
        self._fill(engine, demo)
        with engine.connect() as conn:  # all of it in the main file, so that a copy has it
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
        engine.dispose()
        return str(path)

    def _fill(self, engine: Engine, demo: bool) -> None:
        if not demo:
            init_db(engine)
            return
        from etl.demo.files import load_demo

        self._demo_outcomes = load_demo(engine, work_dir=self.template_dir / "demo-files")

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
