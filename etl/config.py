"""Where the project's files are, and the settings of this process (etl/settings.py).

    config.settings()        # the Settings in use: handed over by use(), else read from the
                             # environment once, at the first call
    config.use(settings)     # what dashboard.create_app and `python -m etl` do at start
    config.database_url()    # the SQLAlchemy URL (psycopg 3 spelled out)

No module reads os.environ but etl/settings.py: a variable has one parser, one default, one row in
the README's table.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from etl.settings import PROJECT_ROOT, Settings

DATA_DIR = PROJECT_ROOT / "data"
SEED_DIR = DATA_DIR / "seed"

current: Optional[Settings] = None  # tests replace it with monkeypatch.setattr(config, "current", …)


def settings() -> Settings:
    global current
    if current is None:
        current = Settings.from_env()
    return current


def use(new: Settings) -> Settings:
    """Make `new` the settings of this process (the ETL's limits, paths, database)."""
    global current
    current = new
    return new


def instance_dir() -> Path:
    """The private instance folder, created 0700 (it holds the SQLite file and the secret key)."""
    path = Path(settings().instance_dir)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        path.chmod(0o700)
    except OSError:  # not ours (a shared mount): leave it as the administrator made it
        pass
    return path


def database_url(settings_: Optional[Settings] = None) -> str:
    """DATABASE_URL, or a SQLite file in the instance folder."""
    url = (settings_ or settings()).database_url
    if url:
        # Heroku-style URLs name the old driver; SQLAlchemy 2 wants psycopg 3 spelled out.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://"):]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return f"sqlite:///{instance_dir() / 'monitor.sqlite'}"
