"""Logging for the server and the command line: one format, a private log file, error ids.

    logs.configure(settings, stderr=True)   # app start (file + stderr) / CLI (file only)
    error_id = logs.unexpected(log, "while checking %s", name)   # inside an `except`: the
                                            # traceback goes to the log with an id; show the id

What is logged (logger names are module names): files checked, loaded, rejected (etl.pipeline);
batches written and rolled back, by whom (etl.store.load); uploads checked, committed, cancelled,
refused (dashboard.uploads); sign-ins, failures, throttling, unlocks (dashboard.accounts.auth);
and every unexpected exception, with its traceback, on the server only. A user sees at most the
error id, which an administrator finds in the log.
"""
from __future__ import annotations

import logging
import secrets
import sys
from pathlib import Path

from etl.settings import Settings

FORMAT = "%(asctime)s %(levelname)-7s %(name)s [pid %(process)d] %(message)s"
_MARK = "_monitor_handler"  # our handlers, replaced when configure() is called again


def _private_log_file(path: Path) -> Path:
    import os

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    return path


def configure(settings: Settings, *, stderr: bool = True) -> Path:
    """Send the root logger's records to the log file (mode 0600) and, for a server, its warnings
    and errors (unexpected exceptions with their tracebacks) to stderr too.
    Idempotent: our handlers from an earlier call are replaced. Returns the log file's path."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    formatter = logging.Formatter(FORMAT)
    path = _private_log_file(Path(settings.log_path))
    handlers: list[logging.Handler] = [logging.FileHandler(path, encoding="utf-8")]
    if stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    if stderr:  # the terminal gets what needs a person (the file keeps everything)
        handlers[-1].setLevel(max(logging.WARNING, logging.getLevelName(settings.log_level.upper())))
    for handler in handlers:
        handler.setFormatter(formatter)
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    for noisy in ("werkzeug", "alembic.runtime.migration"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    return path


def new_error_id() -> str:
    return secrets.token_hex(4)


def unexpected(logger: logging.Logger, message: str, *args: object) -> str:
    """Log the exception being handled, with its traceback and a new error id; return the id."""
    error_id = new_error_id()
    logger.error("[error %s] " + message, error_id, *args, exc_info=True)
    return error_id
