"""Shared fixtures.

Every test that touches SQL gets a database of its own, migrated and seeded, without paying for the
migrations and the seed each time: they run once per session into a template that each test copies
(tests/databases.py):
- SQLite (default): a copy of the template file in the test's tmp_path (`test.sqlite`);
- PostgreSQL when TEST_DATABASE_URL is set: a database created from the template database, dropped
  afterwards.
`empty_engine` is a database without tables (for the first start and `init`); `demo_engine` a copy
of a second template that has the whole demo set loaded. `briefings`: the 2025Q4 briefings of the
dashboard fixture's demo values, each made (a headless Chromium, seconds) once per session for the
tests that only read them (tests/test_briefing.py, tests/test_briefing_pdf_text.py).

Settings for the whole run are set here, before any project module reads them: passwords are
hashed with the cheapest argon2 parameters, and the instance folder is a temporary one. Every test
then gets an instance folder of its own (`instance_dir`), and the last test of the run checks that
nothing wrote into the checkout's `instance/` (tests/test_suite.py; in several processes, with
pytest-xdist's `-n N` as scripts/test runs it, each process's record is checked at the end too).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

_RUN_DIR = Path(tempfile.mkdtemp(prefix="monitor-tests-"))
os.environ["INSTANCE_DIR"] = str(_RUN_DIR / "instance")
os.environ["PASSWORD_HASH_PROFILE"] = "cheapest"

from tests import instance_guard  # noqa: E402,F401  (watches the checkout's instance/ from now on)
from tests.databases import Databases, new_database_url  # noqa: E402,F401  (kept importable here)

from etl import config  # noqa: E402
from etl.store.catalog import load_catalog  # noqa: E402
from etl.store.db import session_scope  # noqa: E402


def pytest_collection_modifyitems(config, items):
    """Tests marked `suite_end` run last: they check what the rest of the run did."""
    items.sort(key=lambda item: item.get_closest_marker("suite_end") is not None)


WORKER_WRITES: list = []  # under pytest-xdist: what the workers recorded, gathered by the controller


def pytest_sessionfinish(session, exitstatus):
    """Under pytest-xdist (-n N) each worker watches its own writes and runs only part of the
    tests, so the `suite_end` check in one worker cannot see the others: every worker hands its
    record to the controller, which fails the run if any wrote into the checkout's instance/."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["checkout_writes"] = [list(w) for w in instance_guard.CHECKOUT_WRITES.writes]
    elif WORKER_WRITES:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.ensure_newline()
        reporter.write_line(f"writes into the checkout's instance/ by the workers: {WORKER_WRITES}",
                            red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    shutil.rmtree(_RUN_DIR, ignore_errors=True)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """(pytest-xdist, in the controller) a worker finished: keep what it recorded."""
    WORKER_WRITES.extend(getattr(node, "workeroutput", {}).get("checkout_writes") or [])


@pytest.fixture(autouse=True)
def instance_dir(tmp_path, monkeypatch) -> Path:
    """The test's own instance folder (INSTANCE_DIR, read into the settings at their first use in
    the test): no test writes into the checkout's instance/ or sees another test's secret key and
    files. Not made in advance: the code that needs it makes it, as in a deployment."""
    path = tmp_path / "instance"
    monkeypatch.setenv("INSTANCE_DIR", str(path))
    # settings are read again, from this environment
    monkeypatch.setattr(config, "current", None, raising=False)
    return path


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """Makes new test databases; `.new(directory, seeded=True)` -> (engine, cleanup). For fixtures
    of a wider scope than one test; tests use `engine` and `empty_engine`. Under pytest-xdist the
    workers' base folders share a parent, the run's: there they share the SQLite templates."""
    shared = tmp_path_factory.getbasetemp().parent if os.environ.get("PYTEST_XDIST_WORKER") else None
    made = Databases(tmp_path_factory.mktemp("template"), shared)
    yield made
    made.close()


@pytest.fixture
def empty_engine(tmp_path, databases):
    """An engine on an empty database (no tables)."""
    engine, cleanup = databases.new(tmp_path, seeded=False)
    yield engine
    cleanup()


@pytest.fixture
def engine(tmp_path, databases):
    """An engine on a migrated database with the catalog and targets seeded (a copy of the
    session's template)."""
    engine, cleanup = databases.new(tmp_path, seeded=True)
    yield engine
    cleanup()


@pytest.fixture
def demo_engine(tmp_path, databases):
    """An engine on a copy of the seeded database with the whole demo set loaded (load_demo, done
    once per session into a template): for tests that read the demo data, and may change their
    copy."""
    engine, cleanup = databases.new(tmp_path, seeded=True, demo=True)
    yield engine
    cleanup()


@pytest.fixture
def catalog(engine):
    with session_scope(engine) as session:
        return load_catalog(session)


class Briefings:
    """One database with the dashboard fixture's demo values (tests/dashboard_fixture.py) and its
    2025Q4 briefing in each language asked for, made on first request by briefing.generate (both
    formats made and archived): `made(lang)` -> (record, PDF bytes, cached), as generate answered
    when it made it. The tests that use it only read it, or copy the database to change it."""

    QUARTER = (2025, 4)

    def __init__(self, databases: Databases, directory: Path):
        from tests.dashboard_fixture import load_fixture

        self.engine, self._cleanup = databases.new(directory, seeded=True)
        load_fixture(self.engine, demo=True)
        self._made: dict = {}

    def made(self, lang: str) -> tuple:
        from etl import briefing

        if lang not in self._made:
            self._made[lang] = briefing.generate(self.engine, *self.QUARTER, lang, "pdf", user="tester")
        return self._made[lang]

    def close(self) -> None:
        self._cleanup()


@pytest.fixture(scope="session")
def briefings(databases, tmp_path_factory):
    """The session's Briefings (made on first use): share them, do not change their database."""
    made = Briefings(databases, tmp_path_factory.mktemp("briefings"))
    yield made
    made.close()
