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
