"""The account and audit tables. They share etl.store.models.Base (one metadata, so the Alembic
migrations in etl/store/migrations create and upgrade them with the rest; 0002 made them) but
belong to the dashboard: the statistics never read them.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from etl.store.models import Base, utcnow


class User(Base):
    """A dashboard account. Passwords are stored as argon2id hashes only (dashboard/accounts/users.py)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(16))  # viewer | analyst | admin
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the session id: changing it (new password, disabled, role change) ends old sessions.
    session_nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    last_login_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)


class LoginAttempt(Base):
    """Every login attempt, so that rate limits hold across all workers and restarts."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempt_user_at", "username", "at"),
        Index("ix_login_attempt_addr_at", "remote_addr", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(80))
    remote_addr: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEvent(Base):
    """Who did what, when, from where: logins, uploads, commits, rollbacks, user changes."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_event_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    username: Mapped[str] = mapped_column(String(80), default="")  # "" = anonymous
    action: Mapped[str] = mapped_column(String(32), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    target: Mapped[str] = mapped_column(String(255), default="")  # file name, batch id, user name
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
