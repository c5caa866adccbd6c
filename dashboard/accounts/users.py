"""Accounts: create, list, change role, disable, check a password. No Dash, no Flask here.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile; the test
suite sets PASSWORD_HASH_PROFILE=cheapest); nothing else about a password is stored. There is no
built-in account and no default password: the first admin comes from
`python -m dashboard users add NAME --role admin` or from ADMIN_USERNAME and ADMIN_PASSWORD at first
start (see `ensure_first_admin`).
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Optional

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.accounts import audit
from dashboard.accounts.models import User
from etl import config
from etl.store.models import utcnow
from etl.wording.catalogue import pair
from etl.wording.times import fmt_time

ROLES = ("viewer", "analyst", "admin")
ROLE_NAMES = {role: pair(f"users.role.{role}") for role in ROLES}
MIN_PASSWORD_LENGTH = 10
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{2,80}$")


def password_hasher(profile: str = "default") -> PasswordHasher:
    """argon2id with argon2-cffi's default parameters, or the cheapest ones (tests only)."""
    parameters = {"default": profiles.RFC_9106_LOW_MEMORY, "cheapest": profiles.CHEAPEST}[profile]
    return PasswordHasher.from_parameters(parameters)


_HASHERS: dict[str, tuple[PasswordHasher, str]] = {}


def _hasher_and_dummy() -> tuple[PasswordHasher, str]:
    """The hasher of the settings' profile, and a hash verified when the user does not exist (so
    that a wrong name costs as long as a wrong password); made once per profile."""
    profile = config.settings().password_hash_profile
    if profile not in _HASHERS:
        hasher = password_hasher(profile)
        _HASHERS[profile] = (hasher, hasher.hash(secrets.token_hex(16)))
    return _HASHERS[profile]


class UserError(ValueError):
    """A refused account change, with a message in Chinese and in English."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    session_nonce: str
    created_at: str
    created_by: str
    last_login_at: str


def info(user: User) -> UserInfo:
    return UserInfo(user.id, user.username, user.display_name, user.role, user.active,
                    user.session_nonce, fmt_time(user.created_at),  # Beijing time
                    user.created_by, fmt_time(user.last_login_at))


def hash_password(password: str) -> str:
    return _hasher_and_dummy()[0].hash(password)


def check_password_rules(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(*pair("users.password_short", n=MIN_PASSWORD_LENGTH))
    if username and password.lower() == username.lower():
        raise UserError(*pair("users.password_is_name"))


def check_username(username: str) -> str:
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise UserError(*pair("users.bad_name"))
    return username


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(*pair("users.unknown_role", role=role, roles=", ".join(ROLES)))
    return role


def get_user(session: Session, username: str) -> Optional[User]:
    return session.scalar(select(User).where(User.username == username))


def require_user(session: Session, username: str) -> User:
    user = get_user(session, username)
    if user is None:
        raise UserError(*pair("users.no_such_user", name=username))
    return user


def list_users(session: Session) -> list[UserInfo]:
    return [info(u) for u in session.scalars(select(User).order_by(User.username))]


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def create_user(session: Session, username: str, password: str, role: str, *,
                by: str = "", display_name: str = "") -> User:
    username = check_username(username)
    check_role(role)
    check_password_rules(password, username)
    if get_user(session, username) is not None:
        raise UserError(*pair("users.exists", name=username))
    user = User(username=username, display_name=display_name.strip()[:120], role=role,
                password_hash=hash_password(password), active=True,
                session_nonce=secrets.token_hex(16), created_by=by)
    session.add(user)
    session.flush()
    audit.record(session, "user-add", username=by, target=username, details={"role": role})
    return user


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)
                          .where(User.role == "admin", User.active.is_(True))) or 0


def _keep_an_admin(session: Session, user: User) -> None:
    if user.role == "admin" and user.active and _active_admins(session) <= 1:
        raise UserError(*pair("users.last_admin"))


def set_role(session: Session, username: str, role: str, *, by: str = "") -> User:
    check_role(role)
    user = require_user(session, username)
    if user.role == role:
        return user
    if role != "admin":
        _keep_an_admin(session, user)
    old = user.role
    user.role = role
    user.session_nonce = secrets.token_hex(16)  # the new role applies from the next login
    audit.record(session, "user-role", username=by, target=username,
                 details={"from": old, "to": role})
    return user


def set_active(session: Session, username: str, active: bool, *, by: str = "") -> User:
    user = require_user(session, username)
    if user.active == active:
        return user
    if not active:
        _keep_an_admin(session, user)
    user.active = active
    user.session_nonce = secrets.token_hex(16)  # a disabled user's sessions end at once
    audit.record(session, "user-enable" if active else "user-disable", username=by, target=username)
    return user


def set_password(session: Session, username: str, password: str, *, by: str = "") -> User:
    user = require_user(session, username)
    check_password_rules(password, username)
    user.password_hash = hash_password(password)
    user.session_nonce = secrets.token_hex(16)
    audit.record(session, "password-change" if by == username else "user-password",
                 username=by, target=username)
    return user


def authenticate(session: Session, username: str, password: str) -> Optional[User]:
    """The active user with this name and password, or None. Rehashes old-parameter hashes."""
    user = get_user(session, (username or "").strip())
    hasher, dummy = _hasher_and_dummy()
    stored = user.password_hash if user is not None else dummy
    try:
        hasher.verify(stored, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def ensure_first_admin(session: Session, name: str, password: str) -> Optional[str]:
    """Create the first admin from ADMIN_USERNAME/ADMIN_PASSWORD when there is no user at all."""
    name = (name or "").strip()
    if not name or not password or count_users(session) > 0:
        return None
    create_user(session, name, password, "admin", by="ADMIN_USERNAME")
    return name
