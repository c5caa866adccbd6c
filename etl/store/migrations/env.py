"""Alembic environment: runs on the connection handed over by etl.store.db.migrate, or on DATABASE_URL."""
import importlib

from alembic import context

from etl.store.models import Base

try:  # the account and audit tables' models live with the dashboard (dashboard/accounts/models.py);
    # registering them on the one metadata keeps `alembic revision --autogenerate` from proposing
    # to drop their tables. The ETL's own code never imports the dashboard.
    importlib.import_module("dashboard.accounts.models")
except ImportError:  # pragma: no cover - an ETL-only install
    pass

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from etl.store.db import make_engine

        with make_engine().begin() as conn:
            context.configure(connection=conn, target_metadata=target_metadata,
                              render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
