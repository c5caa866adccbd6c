"""The dashboard's view of the settings (etl/settings.py) and of its private instance folder.

    settings()              # the Settings of the app serving this request (app.server.config
                            # ["SETTINGS"], put there by create_app), else the process's
    startup_lock()          # an exclusive lock in the instance folder: one worker initialises
    private_file(path)      # create a file readable by this user only (0600)
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from flask import current_app, has_app_context

from etl import config
from etl.settings import Settings


def settings() -> Settings:
    if has_app_context():
        found = current_app.config.get("SETTINGS")
        if found is not None:
            return found
    return config.settings()


def private_file(path: Path) -> Path:
    """Create `path` empty with mode 0600 unless it exists; make an existing one 0600."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    try:
        os.chmod(path, 0o600)
    except OSError:  # not ours: leave it as the administrator made it
        pass
    return path


@contextmanager
def startup_lock() -> Iterator[None]:
    """An exclusive file lock in the instance folder (POSIX; a no-op where fcntl is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    path = private_file(config.instance_dir() / "startup.lock")
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
