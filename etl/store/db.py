"""Engine, sessions, and bringing a database up to date (Alembic migrations, then the seed)."""
from __future__ import annotations

import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from etl import config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str | None = None, **kwargs) -> Engine:
    url = url or config.database_url()
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _private_sqlite_file(engine.url.database)
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # enforce foreign keys, allow concurrent reads
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()
    return engine


def _private_sqlite_file(database: str | None) -> None:
    """Create a SQLite database file 0600 before SQLite does (it would follow the umask, often
    0644: the file holds password hashes). Its -wal and -shm files take the same mode."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    try:
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except (FileExistsError, FileNotFoundError, PermissionError):
        pass  # exists (its mode is the administrator's), or SQLite will say what is wrong


@lru_cache(maxsize=None)
def default_engine() -> Engine:
    """The process-wide engine for DATABASE_URL (one pool per process)."""
    return make_engine()


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


@lru_cache(maxsize=None)
def migration_heads() -> tuple[str, ...]:
    """The newest migration(s) of etl/store/migrations, read once per process (Alembic loads every
    migration script to find them: most of a start's cost on a current database)."""
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return tuple(sorted(ScriptDirectory.from_config(cfg).get_heads()))


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration (nothing to do: one query)."""
    from alembic.migration import MigrationContext

    with engine.begin() as conn:
        if tuple(sorted(MigrationContext.configure(conn).get_current_heads())) == migration_heads():
            return
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def is_initialised(engine: Engine) -> bool:
    names = inspect(engine).get_table_names()
    return "alembic_version" in names and "regions" in names


def init_db(engine: Engine, *, reseed: bool = False) -> bool:
    """Migrate, then upsert the catalog and targets from data/seed (idempotent) unless the database
    holds the digest of this seed at this migration (etl.store.seed.apply_seed); `reseed` upserts
    all the same (`python -m etl init`). Returns whether the seed ran."""
    from etl.store.seed import apply_seed

    migrate(engine)
    with session_scope(engine) as session:
        return apply_seed(session, force=reseed)


def ensure_db(engine: Engine) -> None:
    """What every command and the app's start do first: initialise an empty database, upgrade an
    old one, seed a changed seed."""
    init_db(engine)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    session = sessionmaker(bind=engine, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
