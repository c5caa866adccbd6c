"""HTTP hardening for the Dash server: cookies, CSRF, security headers, request size.

- Session cookie: HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS, and on every
  response behind a TLS proxy (TRUSTED_PROXIES=1: X-Forwarded-Proto/-For are believed, werkzeug
  ProxyFix) or with SESSION_COOKIE_SECURE=1. HSTS (HSTS_SECONDS) goes with every response that is
  or would be HTTPS.
- CSRF: a random token lives in the signed session and is mirrored into the `_csrf_token` cookie,
  which dash-renderer reads and sends back as the `X-CSRFToken` header on every callback. Every
  state-changing request (POST, PUT, PATCH, DELETE) must carry that header, equal to the session's
  token; a cross-site page can neither read the cookie nor forge the signed session. Requests whose
  Origin (or Sec-Fetch-Site) names another site are refused too.
- Headers: a CSP that allows only our own origin; inline scripts only by their hash: the fixed
  hashes of the app's own inline scripts (Dash's renderer bootstrap and clientside callbacks,
  `Dash.csp_hashes`), never of whatever script a response happens to contain,
  frame-ancestors 'none' + X-Frame-Options DENY, nosniff, Referrer-Policy, no-store on callbacks.
- Size: MAX_CONTENT_LENGTH refuses any request body above the upload limit (base64 inflates a file
  by 4/3 inside a Dash callback), before Dash or the ETL see it.
- Errors: an unexpected exception is logged with its traceback and an error id (etl.logs); the
  browser gets the id and a sentence, never the traceback.
- The secret key, when not given as SECRET_KEY, is created once, under the start-up lock, in a
  0600 file of the 0700 instance folder.
"""
from __future__ import annotations

import hmac
import logging
import os
import secrets
from urllib.parse import urlsplit

from flask import Flask, current_app, jsonify, request, session
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException

from dashboard.settings import settings, startup_lock
from etl import config, logs
from etl.wording.catalogue import pair
from etl.wording.numbers import fmt_bytes


log = logging.getLogger(__name__)

CSRF_COOKIE = "_csrf_token"  # the name dash-renderer looks for
CSRF_HEADER = "X-CSRFToken"
CSRF_SESSION_KEY = "_csrf"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def upload_limit_bytes() -> int:
    """The largest file an analyst may upload (MAX_UPLOAD_BYTES, default 20 MB)."""
    return settings().max_upload_bytes


def request_limit_bytes() -> int:
    """The largest request body: one upload limit of files, base64-encoded, plus JSON overhead."""
    return upload_limit_bytes() * 4 // 3 + 256 * 1024


def secret_key() -> str:
    """SECRET_KEY, or a random key kept in the instance folder so that every worker shares it.
    Created under the start-up lock: workers starting together never see a half-written key."""
    if settings().secret_key:
        return settings().secret_key
    path = config.instance_dir() / "secret_key"
    with startup_lock():
        key = path.read_text().strip() if path.exists() else ""
        if not key:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            key = path.read_text().strip()
            log.info("new secret key written to %s", path)
    return key


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, Secure on HTTPS requests and behind a TLS proxy."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return response_secure()


def csrf_token() -> str:
    token = session.get(CSRF_SESSION_KEY)
    if not token:
        token = session[CSRF_SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def rotate_csrf_token() -> str:
    """A new token (after login and logout), so that a token seen before login is worthless."""
    session.pop(CSRF_SESSION_KEY, None)
    return csrf_token()


def same_origin(url: str) -> bool:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" == request.host_url.rstrip("/")


def check_csrf():
    """before_request: refuse a state-changing request without the session's token."""
    if request.method in SAFE_METHODS:
        return None
    origin = request.headers.get("Origin")
    if origin and origin != "null" and not same_origin(origin):
        return refuse(403, *pair("security.cross_site"))
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        return refuse(403, *pair("security.cross_site"))
    expected = session.get(CSRF_SESSION_KEY)
    sent = request.headers.get(CSRF_HEADER, "")
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        return refuse(403, *pair("security.token"))
    return None


def check_size():
    """before_request: refuse an announced body above the limit before anything reads it."""
    limit = request.max_content_length
    if limit is not None and request.content_length is not None and request.content_length > limit:
        return too_large()
    return None


def refusal(key: str) -> str:
    """A refusal's words in both languages, for an HTTP exception (Unauthorized, Forbidden)."""
    return " ".join(pair(key))


def too_large(_exc=None):
    """The refusal of a body above the upload limit (announced, or found while reading it)."""
    return refuse(413, *pair("security.too_large", limit=fmt_bytes(upload_limit_bytes())))


def refuse(status: int, message_zh: str, message_en: str):
    response = jsonify({"error": message_en, "message_zh": message_zh, "message_en": message_en})
    response.status_code = status
    return response


def content_security_policy(script_hashes: list[str]) -> str:
    return "; ".join([
        "default-src 'self'",
        " ".join(["script-src", "'self'", *script_hashes]),
        # Plotly and React write <style> elements and style attributes at run time.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def app_script_hashes() -> list[str]:
    """The CSP hashes of the app's own inline scripts (Dash computes them: its renderer bootstrap
    and every inline clientside callback), fixed for the life of the app."""
    dash_app = current_app.config.get("DASH_APP")
    return sorted(set(dash_app.csp_hashes())) if dash_app is not None else []


def add_headers(response):
    """after_request: security headers, and the CSRF cookie mirroring the session's token."""
    headers = response.headers
    hashes = app_script_hashes() if response.mimetype == "text/html" else []
    headers.setdefault("Content-Security-Policy", content_security_policy(hashes))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if settings().hsts_seconds and response_secure():
        headers.setdefault("Strict-Transport-Security", f"max-age={settings().hsts_seconds}")
    if request.path.startswith("/_dash-update-component") or response.mimetype == "text/html":
        headers["Cache-Control"] = "no-store"
    token = csrf_token()
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=False, samesite="Strict",
                            secure=bool(response_secure()), path="/")
    return response


def response_secure() -> bool:
    """Secure cookies and HSTS: on an HTTPS request, and always behind a TLS proxy (settings)."""
    configured = settings().cookie_secure
    if configured is not None:
        return configured
    return settings().secure_cookies_by_default or request.is_secure


def internal_error(exc: Exception):
    """errorhandler(Exception): HTTP errors as they are; anything else logged with its traceback
    and an error id, and the id (never the traceback) sent to the browser."""
    if isinstance(exc, HTTPException):
        return exc
    error_id = logs.unexpected(log, "%s %s failed", request.method, request.path)
    return refuse(500, *pair("security.internal", error_id=error_id))


def init_security(server: Flask, dash_app=None) -> None:
    current = server.config.get("SETTINGS") or config.settings()
    with server.app_context():
        key = server.config.get("SECRET_KEY") or secret_key()
        body_limit = request_limit_bytes()
    server.config.update(
        SECRET_KEY=key,
        SESSION_COOKIE_NAME="dlj_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # the cookie's own expiry; the server ends a sign-in on its own clock (auth.check_session)
        PERMANENT_SESSION_LIFETIME=current.session_hours * 3600,
        # A signed-in (permanent) session is written back only when it changes (sign-in, the idle
        # clock at most once a minute, the CSRF token), not re-signed and re-sent with every
        # answer: ~0.3 ms of CPU per callback (issue 13). The server's clock decides when a
        # sign-in ends (auth.session_expired), not the cookie's expiry.
        SESSION_REFRESH_EACH_REQUEST=False,
        MAX_CONTENT_LENGTH=body_limit,
        DASH_APP=dash_app,
        PROPAGATE_EXCEPTIONS=False,
    )
    server.session_interface = SessionInterface()
    if current.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = current.trusted_proxies
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    server.register_error_handler(Exception, internal_error)
    # Registered first so that they run before Dash's own before_request hooks.
    server.before_request_funcs.setdefault(None, []).insert(0, check_csrf)
    server.before_request_funcs[None].insert(0, check_size)
    server.after_request(add_headers)
    server.register_error_handler(413, too_large)
