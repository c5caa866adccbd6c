"""Accounts of the dashboard: who may sign in, with which role, and what they did.

    models    User, LoginAttempt, AuditEvent (tables in the one SQLAlchemy metadata of
              etl.store.models.Base, so Alembic migrates them with the rest)
    users     create, change, check passwords (argon2id); no Flask here
    audit     the audit log: record, list, export
    throttle  sign-in and password-check throttling per account and per client address
    service   what pages call: each function is one transaction (pages never open one)

The statistics (etl/) know nothing of accounts: a batch names its loader by user name only.
"""
