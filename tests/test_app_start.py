"""`python app.py` (the README's demo command): a taken port is one line, not a traceback; the first
start loads the demo into an empty database and builds its summaries."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_taken_port_is_said_in_one_line_with_the_way_out(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "INSTANCE_DIR": str(tmp_path),
               "DATABASE_URL": f"sqlite:///{tmp_path / 'm.sqlite'}"}
        env.pop("TEST_DATABASE_URL", None)
        done = subprocess.run([sys.executable, str(ROOT / "app.py")], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert f"port {port}" in lines[0] and f"PORT={port + 1} python app.py" in lines[0]
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "m.sqlite").exists()  # nothing was prepared for a server that cannot start


def test_the_server_loads_the_demo_into_an_empty_database_and_builds_its_summaries(
        empty_engine, tmp_path):
    """The server's start (app.py as gunicorn imports it; `python app.py` does the same before
    it serves) loads the demo into an empty database, whose overview then reads it, and builds
    every maintained summary of that data: neither the first viewers nor a deploy leave renders
    computing what a summary holds. A second start (create_app again) loads nothing new. (One
    process for both: the demo load is the start's cost.) On the test database's server."""
    script = """
import json
from sqlalchemy import select
import app
from dashboard import create_app, data
from etl.store import queries
from etl.store.summary import MARKER, SummaryRow
from tests.test_dashboard_pages import find, page_layout, render, text
with app.server.app_context():
    engine = data.engine()
    stamp = data.summary_stamp()
    with engine.connect() as conn:
        built = set(conn.scalars(select(SummaryRow.kind).where(SummaryRow.stamp == stamp,
                                                                SummaryRow.key == MARKER)))
kinds = {reader.kind for reader in data.SUMMARISED}
vintage = queries.data_vintage(engine)
headline = text(find(render(app.app, page_layout("overview"), lang="zh"), "overview-headline"))
create_app(engine)
print(json.dumps({"kinds": len(kinds), "built": len(built), "missing": sorted(kinds - built),
                  "any_demo": vintage["any_demo"], "headline": headline,
                  "batches": [vintage["loaded_batches"],
                              queries.data_vintage(engine)["loaded_batches"]]}))
"""
    env = {**os.environ, "INSTANCE_DIR": str(tmp_path), "PUBLIC_VIEWING": "1",
           "DATABASE_URL": empty_engine.url.render_as_string(hide_password=False)}
    env.pop("TEST_DATABASE_URL", None)
    env.pop("CACHE_REDIS_URL", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    started = json.loads(done.stdout.splitlines()[-1])
    assert started["kinds"] > 0 and started["built"] == started["kinds"], started
    assert started["missing"] == []
    assert started["any_demo"] and "项目标中" in started["headline"]
    first, again = started["batches"]
    assert first and again == first  # the second start loaded nothing new
