"""Shared fixtures.

Every test that touches SQL gets a fresh, migrated and seeded database:
- SQLite (default): a file in the test's tmp_path;
- PostgreSQL when TEST_DATABASE_URL is set: a schema of its own (search_path), dropped afterwards,
  so that several test runs can share one server without seeing each other's rows.
"""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import text

from etl.store.catalog import load_catalog
from etl.store.db import init_db, make_engine, session_scope

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def _pg_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def new_database_url(tmp_path) -> tuple[str, dict, callable]:
    """(url, engine kwargs, cleanup) for a fresh empty database."""
    if not TEST_DATABASE_URL:
        return f"sqlite:///{tmp_path / 'test.sqlite'}", {}, lambda: None
    url = _pg_url(TEST_DATABASE_URL)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def cleanup():
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()

    return url, {"connect_args": {"options": f"-csearch_path={schema}"}}, cleanup


@pytest.fixture
def empty_engine(tmp_path):
    """An engine on an empty database (no tables)."""
    url, kwargs, cleanup = new_database_url(tmp_path)
    engine = make_engine(url, **kwargs)
    yield engine
    engine.dispose()
    cleanup()


@pytest.fixture
def engine(empty_engine):
    """An engine on a migrated database with the catalog and targets seeded."""
    init_db(empty_engine)
    return empty_engine


@pytest.fixture
def catalog(engine):
    with session_scope(engine) as session:
        return load_catalog(session)
