"""Flask-Caching for query results: an in-process cache by default, Redis when CACHE_REDIS_URL is set.

With several gunicorn workers, set CACHE_REDIS_URL so that every worker shares one cache. Cached
entries are keyed by the database and by its data stamp (see dashboard.data), so a new upload or
a rollback is seen at once by every worker without any explicit invalidation.
"""
from __future__ import annotations

import os

from flask import Flask
from flask_caching import Cache

cache = Cache()

DEFAULT_TIMEOUT = int(os.environ.get("CACHE_TIMEOUT", 600))


def cache_config(env: dict[str, str] | None = None) -> dict:
    env = os.environ if env is None else env
    redis_url = env.get("CACHE_REDIS_URL")
    if redis_url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": env.get("CACHE_KEY_PREFIX", "dlj:"),
            "CACHE_DEFAULT_TIMEOUT": DEFAULT_TIMEOUT,
        }
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": DEFAULT_TIMEOUT,
            "CACHE_THRESHOLD": 2000}


def init_cache(server: Flask, config: dict | None = None) -> Cache:
    cache.init_app(server, config=config or cache_config())
    return cache
