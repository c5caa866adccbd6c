"""Catches writes into the checkout's instance/ folder during the test suite.

Through Python's audit hooks (PEP 578), every file this process opens for writing, every SQLite
database it opens, every directory it makes and every file it removes or renames below the folder
is recorded; tests/test_suite.py asserts at the end of the run that nothing was. Subprocesses that
tests start inherit INSTANCE_DIR from the environment, which conftest.py points elsewhere.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

CHECKOUT_INSTANCE = Path(__file__).resolve().parent.parent / "instance"


class WriteWatch:
    """Records the writes this process makes below `root` as (event, path)."""

    EVENTS = {"open", "os.mkdir", "os.remove", "os.rename", "os.replace", "os.rmdir",
              "os.truncate", "os.utime", "os.chmod", "sqlite3.connect", "shutil.copyfile",
              "shutil.move", "shutil.rmtree"}
    TWO_PATHS = {"os.rename", "os.replace", "shutil.copyfile", "shutil.move"}
    WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def __init__(self, root: Path):
        self.root = os.path.abspath(root)
        self.writes: list[tuple[str, str]] = []

    def inside(self, path) -> bool:
        if path is None or isinstance(path, int):
            return False
        try:
            name = os.path.abspath(os.fsdecode(path))
        except TypeError:
            return False
        return name == self.root or name.startswith(self.root + os.sep)

    def __call__(self, event: str, args: tuple) -> None:
        if event not in self.EVENTS or not args:
            return
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None))[:3]
            writing = (any(c in mode for c in "wax+") if isinstance(mode, str)
                       else bool((flags or 0) & self.WRITE_FLAGS))
            paths = (path,) if writing else ()
        elif event == "sqlite3.connect":
            database = os.fsdecode(args[0]) if not isinstance(args[0], int) else ""
            paths = (database[5:].split("?")[0] if database.startswith("file:") else database,)
        else:
            paths = args[:2] if event in self.TWO_PATHS else args[:1]
        for path in paths:
            if self.inside(path):
                self.writes.append((event, os.fsdecode(path)))


CHECKOUT_WRITES = WriteWatch(CHECKOUT_INSTANCE)
sys.addaudithook(CHECKOUT_WRITES)
