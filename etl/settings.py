"""The settings of a running monitor, read from the environment once, at start.

    settings = Settings.from_env()          # os.environ; or Settings.from_env({"PORT": "8051"})
    settings.public_viewing, settings.instance_dir, ...

One frozen object for the ETL and the dashboard: `python app.py` / gunicorn build it in
`dashboard.create_app` and keep it in `app.server.config["SETTINGS"]`; `python -m etl` builds it in
its `main`; both hand it to `etl.config.use` so that the ETL's limits agree with the dashboard's.
A bad value stops the start with one line naming the variable, what it wants and what it got
(`SettingsError`). Every variable is listed in `FIELDS` with its default and meaning; the README's
configuration table is checked against that list by a test.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")


class SettingsError(ValueError):
    """A variable with a value the monitor cannot use; str() is one line for the terminal."""


@dataclass(frozen=True)
class Var:
    """One environment variable: the field it fills, its parser and what the README says."""

    names: tuple[str, ...]  # the first set one wins (aliases, e.g. Dash's two prefix variables)
    field: str
    parse: Callable[[str, str], Any]  # (name, text) -> value, or SettingsError
    shown_default: str  # the dataclass field's default, as the README writes it
    meaning: str


def _text(_name: str, value: str) -> str:
    return value


def _flag(name: str, value: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingsError(f"{name} must be one of {'/'.join(TRUE_WORDS)} or "
                        f"{'/'.join(w for w in FALSE_WORDS if w)}, not {value!r}")


def _auto_flag(name: str, value: str) -> Optional[bool]:
    if value.strip().lower() == "auto":
        return None
    return _flag(name, value)


def _whole(low: int, high: Optional[int] = None) -> Callable[[str, str], int]:
    def parse(name: str, value: str) -> int:
        try:
            number = int(value.strip().replace("_", ""))
        except ValueError:
            number = None
        if number is None or number < low or (high is not None and number > high):
            bounds = f"{low}–{high}" if high is not None else f"≥ {low}"
            raise SettingsError(f"{name} must be a whole number {bounds}, not {value!r}")
        return number
    return parse


def _positive_number(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not number > 0 or number == float("inf"):
        raise SettingsError(f"{name} must be a number above 0, not {value!r}")
    return number


def _choice(*choices: str) -> Callable[[str, str], str]:
    def parse(name: str, value: str) -> str:
        word = value.strip().lower()
        if word not in choices:
            raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
        return word
    return parse


def _path(_name: str, value: str) -> Path:
    return Path(value).expanduser()


def _prefix(name: str, value: str) -> str:
    if not value.startswith("/") or not value.endswith("/"):
        raise SettingsError(f"{name} must start and end with '/', like /monitor/, not {value!r}")
    return value


def _database_url(name: str, value: str) -> str:
    if "://" not in value:
        raise SettingsError(f"{name} must be a URL like postgresql://user@host/db or "
                            f"sqlite:////path/file.sqlite, not {value!r}")
    return value


def _redis_url(name: str, value: str) -> str:
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(f"{name} must be a Redis URL like redis://127.0.0.1:6379/1, not {value!r}")
    return value


MB = 1024 * 1024

FIELDS: tuple[Var, ...] = (
    # --- where things are
    Var(("DATABASE_URL",), "database_url", _database_url, "`sqlite:///instance/monitor.sqlite`",
        "SQLAlchemy URL; `postgresql://user@host/db` for PostgreSQL"),
    Var(("INSTANCE_DIR",), "instance_dir", _path, "`instance/`",
        "the private folder (mode 0700): SQLite database, secret key, log, job cache"),
    # --- who may see what
    Var(("PUBLIC_VIEWING",), "public_viewing", _flag, "`0`",
        "`1`: viewing without login (never uploading); user names stay hidden from visitors"),
    Var(("ADMIN_USERNAME",), "admin_username", _text, "unset",
        "with `ADMIN_PASSWORD`: create the first admin at first start "
        "(or `python -m dashboard users add NAME --role admin`)"),
    Var(("ADMIN_PASSWORD",), "admin_password", _text, "unset", "the first admin's password"),
    # --- the web server
    Var(("HOST",), "host", _text, "`127.0.0.1`", "`python app.py`: address to listen on"),
    Var(("PORT",), "port", _whole(1, 65535), "`8050`", "`python app.py`: port to listen on"),
    Var(("DASH_DEBUG",), "dash_debug", _flag, "`0`",
        "`1`: Dash's debug mode (development only: it shows tracebacks in the browser)"),
    Var(("DASH_REQUESTS_PATHNAME_PREFIX", "DASH_URL_BASE_PATHNAME"), "url_prefix", _prefix, "`/`",
        "where the app is mounted behind a proxy, e.g. `/monitor/` (Dash's own variables)"),
    Var(("SECRET_KEY",), "secret_key", _text, "generated into `instance/secret_key`",
        "Flask session signing key (the same for every worker)"),
    Var(("TRUSTED_PROXIES",), "trusted_proxies", _whole(0, 10), "`0`",
        "number of reverse proxies in front (TLS terminated there): their X-Forwarded-For/-Proto "
        "are believed, and cookies are `Secure` and HSTS is sent by default"),
    Var(("SESSION_COOKIE_SECURE",), "cookie_secure", _auto_flag, "`auto`",
        "`auto`: `Secure` cookies on HTTPS requests and whenever `TRUSTED_PROXIES` is set; "
        "`1` always; `0` never (plain-HTTP development only)"),
    Var(("HSTS_SECONDS",), "hsts_seconds", _whole(0), "`31536000` (a year)",
        "Strict-Transport-Security max-age sent with HTTPS responses; `0`: no HSTS"),
    Var(("SESSION_HOURS",), "session_hours", _whole(1, 24 * 30), "`12`",
        "absolute lifetime of a sign-in, whatever the activity"),
    Var(("SESSION_IDLE_MINUTES",), "session_idle_minutes", _whole(1, 24 * 60), "`60`",
        "a sign-in ends after this long without a request"),
    Var(("LOGIN_WINDOW_MINUTES",), "login_window_minutes", _whole(1, 24 * 60), "`15`",
        "failed sign-ins (and wrong current passwords) count for this long"),
    Var(("LOGIN_FREE_FAILURES_PER_USER",), "login_free_failures_per_user", _whole(1), "`5`",
        "failures on one account before each further try waits 1, 2, 4 … s"),
    Var(("LOGIN_FREE_FAILURES_PER_ADDR",), "login_free_failures_per_addr", _whole(1), "`20`",
        "failures from one client address before each further try waits 1, 2, 4 … s"),
    Var(("LOGIN_MAX_DELAY_USER_SECONDS",), "login_max_delay_user_seconds", _whole(1), "`60`",
        "longest wait per account (short, so a stranger cannot lock an account out)"),
    Var(("LOGIN_MAX_DELAY_ADDR_SECONDS",), "login_max_delay_addr_seconds", _whole(1), "`900`",
        "longest wait per client address"),
    Var(("PASSWORD_HASH_PROFILE",), "password_hash_profile", _choice("default", "cheapest"),
        "`default`", "argon2id parameters of passwords (RFC 9106 low-memory); `cheapest` only for "
        "the test suite (no protection)"),
    # --- uploads and reading files
    Var(("MAX_UPLOAD_BYTES",), "max_upload_bytes", _whole(1), "20 MB",
        "largest file accepted (bytes)"),
    Var(("MAX_UNCOMPRESSED_BYTES",), "max_uncompressed_bytes", _whole(1), "400 MB",
        "an xlsx (a zip) that would inflate past this is refused"),
    Var(("MAX_COMPRESSION_RATIO",), "max_compression_ratio", _positive_number, "`200`",
        "an xlsx member compressed more than this is refused (zip bomb)"),
    Var(("MAX_CELLS",), "max_cells", _whole(1), "5,000,000",
        "largest sheet read (rows × columns)"),
    Var(("PENDING_UPLOAD_HOURS",), "pending_upload_hours", _whole(1), "`24`",
        "a checked upload waits this long for its commit"),
    # --- upload jobs (check, annotated copy, commit: dashboard/jobs.py)
    Var(("JOBS_REDIS_URL",), "jobs_redis_url", _redis_url, "unset",
        "Redis of the upload job queue (Celery; run `celery -A dashboard.worker:celery worker`); "
        "unset: jobs are processes of the web server, queued in the instance folder"),
    Var(("JOB_CONCURRENCY",), "job_concurrency", _whole(1, 64), "`2`",
        "upload jobs running at once (per Celery worker, or per machine without Celery); "
        "the next ones wait"),
    Var(("JOB_SECONDS",), "job_seconds", _whole(5, 24 * 3600), "`600`",
        "an upload job running longer is stopped with a message"),
    Var(("JOB_MEMORY_MB",), "job_memory_mb", _whole(64), "`1024`",
        "memory an upload job may add to its process (free memory the process holds already comes "
        "on top); past it the job is stopped with a message"),
    # --- printing
    Var(("CHROMIUM_PATH", "BROWSER_PATH"), "chromium_path", _text, "found on `PATH`",
        "the headless Chromium that prints briefings to PDF"),
    # --- caching and logs
    Var(("CACHE_REDIS_URL",), "cache_redis_url", _text, "unset",
        "Redis cache shared by several gunicorn workers (else a per-process simple cache)"),
    Var(("CACHE_KEY_PREFIX",), "cache_key_prefix", _text, "`dlj:`",
        "prefix of the cache's Redis keys"),
    Var(("CACHE_TIMEOUT",), "cache_timeout", _whole(1), "`600`",
        "seconds a cached query result lives"),
    Var(("LOG_LEVEL",), "log_level", _choice("debug", "info", "warning", "error"), "`info`",
        "`debug`, `info`, `warning` or `error`"),
    Var(("LOG_FILE",), "log_file", _path, "`instance/monitor.log`",
        "the server's log (loads, rejections, rollbacks, sign-ins, tracebacks with an error id)"),
)


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    instance_dir: Path = PROJECT_ROOT / "instance"
    public_viewing: bool = False
    admin_username: str = ""
    admin_password: str = dataclasses.field(default="", repr=False)
    host: str = "127.0.0.1"
    port: int = 8050
    dash_debug: bool = False
    url_prefix: str = "/"
    secret_key: str = dataclasses.field(default="", repr=False)
    trusted_proxies: int = 0
    cookie_secure: Optional[bool] = None
    hsts_seconds: int = 31536000
    session_hours: int = 12
    session_idle_minutes: int = 60
    login_window_minutes: int = 15
    login_free_failures_per_user: int = 5
    login_free_failures_per_addr: int = 20
    login_max_delay_user_seconds: int = 60
    login_max_delay_addr_seconds: int = 900
    password_hash_profile: str = "default"
    max_upload_bytes: int = 20 * MB
    max_uncompressed_bytes: int = 400 * MB
    max_compression_ratio: float = 200.0
    max_cells: int = 5_000_000
    pending_upload_hours: int = 24
    jobs_redis_url: str = ""
    job_concurrency: int = 2
    job_seconds: int = 600
    job_memory_mb: int = 1024
    chromium_path: str = ""
    cache_redis_url: str = ""
    cache_key_prefix: str = "dlj:"
    cache_timeout: int = 600
    log_level: str = "info"
    log_file: Optional[Path] = None

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        """Every variable of FIELDS that is set (non-empty), parsed; the defaults otherwise."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for var in FIELDS:
            for name in var.names:
                raw = env.get(name)
                if raw is not None and raw.strip() != "":
                    values[var.field] = var.parse(name, raw.strip())
                    break
        return cls(**values)

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)

    @property
    def log_path(self) -> Path:
        return self.log_file or self.instance_dir / "monitor.log"

    @property
    def secure_cookies_by_default(self) -> bool:
        """Secure cookies on every response (not only on HTTPS requests): behind a TLS proxy."""
        return self.cookie_secure if self.cookie_secure is not None else self.trusted_proxies > 0


def env_names() -> list[str]:
    return [name for var in FIELDS for name in var.names]


def markdown_table() -> str:
    """The README's configuration table, from FIELDS."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for var in FIELDS:
        names = ", ".join(f"`{n}`" for n in var.names)
        lines.append(f"| {names} | {var.shown_default} | {var.meaning} |")
    return "\n".join(lines)
