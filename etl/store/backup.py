"""Backup and restore of the whole database, and the check that a copy holds the same values.

    backup(engine, out) -> Backup          # a consistent copy while the app keeps running
    restore(engine, file) -> str           # replace the database's contents with a backup's
    values_digest(engine) -> (count, sha256 of the current-values export)

SQLite: Python's sqlite3 online backup API (`Connection.backup`) copies the live database page by
page under SQLite's own locks, so loads may go on; the copy is itself a SQLite file (0600).
Restoring copies the backup's pages into the database the same way, in one step.

PostgreSQL: `pg_dump --format=custom` (a consistent snapshot: one repeatable-read transaction;
the app keeps running) and `pg_restore --clean --if-exists --single-transaction` (drops and
recreates every object of the dump in one transaction: a failure leaves the database as it was).
Both run with the URL of DATABASE_URL; --no-owner --no-privileges so that the copy restores into a
database owned by another role. The pg_dump on the machine must be at least the server's version.

The check: every backup is restored into a scratch database (SQLite: the copy itself; PostgreSQL:
a temporary database, which needs the CREATEDB right), its current values are exported exactly as
`python -m etl export` writes them, and the sha256 of those bytes is written next to the backup
(OUT.sha256). `restore` exports the restored database the same way and compares: identical bytes,
or an error.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sqlite3
import subprocess
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url

from etl.wording.catalogue import pair

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason in both languages."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh, self.message_en = message_zh, message_en


@dataclass(frozen=True)
class Backup:
    path: Path
    values: int  # current values in the copy
    sha256: str  # of the copy's current-values export (CSV bytes)
    same_as_live: bool  # the live database exported the same bytes after the copy was made


def export_bytes(engine: Engine) -> tuple[int, bytes]:
    """The current values as `python -m etl export -o X.csv` writes them."""
    from etl.store.export import observation_table, table_bytes
    from etl.store.queries import current_observations

    rows = list(current_observations(engine))
    header, table = observation_table(rows)
    return len(rows), table_bytes(header, table, "csv")


def values_digest(engine: Engine) -> tuple[int, str]:
    count, data = export_bytes(engine)
    return count, hashlib.sha256(data).hexdigest()


def digest_file(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


# --- SQLite ---------------------------------------------------------------------------------------

def _sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError(*pair("backup.in_memory"))
    return database


def _sqlite_copy(source: str, target: str, *, standalone: bool = False) -> None:
    """source -> target with the online backup API (every page, under SQLite's locks).
    standalone: the copy in rollback-journal mode, one self-contained file (no -wal, -shm)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
            if standalone:
                dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _private_new_file(path: Path) -> None:
    if path.exists():
        path.unlink()
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


# --- PostgreSQL -----------------------------------------------------------------------------------

def libpq_url(url: URL) -> str:
    """The URL as pg_dump/pg_restore take it (no '+psycopg' driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str], what: str) -> None:
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(*pair("backup.no_client", program=command[0]))
    shown = [part if "://" not in part else "DATABASE_URL" for part in command]
    log.info("%s: %s", what, " ".join(shown))
    done = subprocess.run([program, *command[1:]], capture_output=True, text=True)
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode
        raise BackupError(*pair("backup.tool_failed", what=what, detail=detail))


@contextmanager
def scratch_postgres(engine: Engine) -> Iterator[Engine]:
    """A temporary empty database on the same server (needs CREATEDB), dropped afterwards."""
    from etl.store.db import make_engine

    name = f"dlj_check_{uuid.uuid4().hex[:12]}"
    admin = make_engine(engine.url.render_as_string(hide_password=False),
                        isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - no CREATEDB right: say so
        admin.dispose()
        raise BackupError(*pair("backup.no_scratch", error=exc.__class__.__name__)) from None
    scratch = make_engine(engine.url.set(database=name).render_as_string(hide_password=False))
    try:
        yield scratch
    finally:
        scratch.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _pg_restore(url: URL, file: Path) -> None:
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", f"--dbname={libpq_url(url)}", str(file)],
         "pg_restore")


# --- the two commands -----------------------------------------------------------------------------

def backup(engine: Engine, out: Path) -> Backup:
    """Copy the database to `out` (mode 0600), check the copy, write its digest to OUT.sha256."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        _private_new_file(out)
        _sqlite_copy(_sqlite_path(engine), str(out), standalone=True)
        copy = create_engine(f"sqlite:///file:{out}?mode=ro&uri=true")  # read, never written
        try:
            count, digest = values_digest(copy)
        finally:
            copy.dispose()
    elif engine.dialect.name == "postgresql":
        _private_new_file(out)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={out}", f"--dbname={libpq_url(engine.url)}"], "pg_dump")
        with scratch_postgres(engine) as scratch:
            _pg_restore(scratch.url, out)
            count, digest = values_digest(scratch)
    else:
        raise BackupError(*pair("backup.unsupported", dialect=engine.dialect.name))
    _private_new_file(digest_file(out))
    digest_file(out).write_text(f"{digest}  {count} current values\n", encoding="utf-8")
    same = values_digest(engine)[1] == digest
    log.info("backup %s: %d current values, sha256 %s%s", out, count, digest,
             "" if same else " (the database changed while it was copied)")
    return Backup(out, count, digest, same)


def expected_digest(file: Path) -> Optional[str]:
    sidecar = digest_file(Path(file))
    if not sidecar.exists():
        return None
    return sidecar.read_text(encoding="utf-8").split()[0]


def restore(engine: Engine, file: Path) -> tuple[int, str]:
    """Replace the database's contents with the backup's; returns (current values, sha256 of
    their export), after checking it against FILE.sha256 when that exists (BackupError if not)."""
    file = Path(file)
    try:
        head = file.open("rb").read(16)
    except OSError as exc:
        raise BackupError(*pair("backup.unreadable", why=exc.strerror)) from None
    if engine.dialect.name == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(*pair("backup.not_sqlite"))
        check = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(*pair("backup.damaged"))
        finally:
            check.close()
        engine.dispose()  # no pooled connection keeps an old view of the database
        _sqlite_copy(str(file), _sqlite_path(engine))
    elif engine.dialect.name == "postgresql":
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(*pair("backup.not_pg_dump"))
        engine.dispose()
        _pg_restore(engine.url, file)
    else:
        raise BackupError(*pair("backup.unsupported", dialect=engine.dialect.name))
    count, digest = values_digest(engine)
    expected = expected_digest(file)
    log.info("restored %s: %d current values, sha256 %s", file, count, digest)
    if expected is not None and expected != digest:
        raise BackupError(*pair("backup.differs", digest=digest, expected=expected))
    return count, digest
