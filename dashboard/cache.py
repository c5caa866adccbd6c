"""Flask-Caching for query results: an in-process cache by default, Redis when CACHE_REDIS_URL is set.

With several gunicorn workers, set CACHE_REDIS_URL so that every worker shares one cache. Cached
entries are keyed by the database and by its data stamp (see dashboard.data), so a new upload or
a rollback is seen at once by every worker without any explicit invalidation.
"""
from __future__ import annotations

from flask import Flask
from flask_caching import Cache

from etl.settings import Settings

cache = Cache()


def cache_config(settings: Settings) -> dict:
    if settings.cache_redis_url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": settings.cache_redis_url,
            "CACHE_KEY_PREFIX": settings.cache_key_prefix,
            "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout,
        }
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout,
            "CACHE_THRESHOLD": 2000}


def init_cache(server: Flask, config: dict | None = None) -> Cache:
    """The cache of the settings in server.config["SETTINGS"] (or an explicit Flask-Caching config)."""
    cache.init_app(server, config=config or cache_config(server.config["SETTINGS"]))
    return cache
