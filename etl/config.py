"""Settings read from the environment, in one place.

Why a module and not constants scattered around: tests and deployments change these through the
environment, and every consumer must agree on the same defaults.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
SEED_DIR = DATA_DIR / "seed"
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", PROJECT_ROOT / "instance"))

# Upload / parsing limits: a file bigger than this is refused before it is parsed.
MAX_FILE_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
# An xlsx is a zip: refuse one whose members would inflate past these limits.
MAX_UNCOMPRESSED_BYTES = int(os.environ.get("MAX_UNCOMPRESSED_BYTES", 400 * 1024 * 1024))
MAX_COMPRESSION_RATIO = float(os.environ.get("MAX_COMPRESSION_RATIO", 200))
MAX_CELLS = int(os.environ.get("MAX_CELLS", 5_000_000))


def database_url() -> str:
    """DATABASE_URL, or a SQLite file in the git-ignored instance folder."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the old driver; SQLAlchemy 2 wants psycopg 3 spelled out.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://"):]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{INSTANCE_DIR / 'monitor.sqlite'}"
