"""`python app.py` (the README's demo command): a taken port is one line, not a traceback."""
from __future__ import annotations

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


def test_the_server_builds_the_summaries_of_the_data_it_starts_with(tmp_path):
    """The server's start (app.py as gunicorn imports it; `python app.py` does the same before
    it serves) loads the demo into an empty database and builds every maintained summary of that
    data: neither the first viewers nor a deploy leave renders computing what a summary holds."""
    script = """
from sqlalchemy import select
import app
from dashboard import data
from etl.store.summary import MARKER, SummaryRow
with app.server.app_context():
    stamp = data.summary_stamp()
    with data.engine().connect() as conn:
        built = set(conn.scalars(select(SummaryRow.kind).where(SummaryRow.stamp == stamp,
                                                                SummaryRow.key == MARKER)))
kinds = {reader.kind for reader in data.SUMMARISED}
print(len(kinds), len(built), sorted(kinds - built))
"""
    env = {**os.environ, "INSTANCE_DIR": str(tmp_path), "PUBLIC_VIEWING": "1",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'm.sqlite'}"}
    env.pop("TEST_DATABASE_URL", None)
    env.pop("CACHE_REDIS_URL", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    kinds, built, missing = done.stdout.split(maxsplit=2)
    assert int(kinds) > 0 and kinds == built and missing.strip() == "[]", done.stdout
