"""HTTP hardening for the Dash server: cookies, CSRF, security headers, request size.

- Session cookie: HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS (or always
  with SESSION_COOKIE_SECURE=1). Behind a reverse proxy set TRUSTED_PROXIES=1 so that
  X-Forwarded-Proto/-For are believed (werkzeug ProxyFix).
- CSRF: a random token lives in the signed session and is mirrored into the `_csrf_token` cookie,
  which dash-renderer reads and sends back as the `X-CSRFToken` header on every callback. Every
  state-changing request (POST, PUT, PATCH, DELETE) must carry that header, equal to the session's
  token; a cross-site page can neither read the cookie nor forge the signed session. Requests whose
  Origin (or Sec-Fetch-Site) names another site are refused too.
- Headers: a CSP that allows only our own origin; inline scripts only by their hash (computed from
  each HTML page as served, so Dash's renderer bootstrap and clientside callbacks keep working),
  frame-ancestors 'none' + X-Frame-Options DENY, nosniff, Referrer-Policy, no-store on callbacks.
- Size: MAX_CONTENT_LENGTH refuses any request body above the upload limit (base64 inflates a file
  by 4/3 inside a Dash callback), before Dash or the ETL see it.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, jsonify, request, session
from flask.sessions import SecureCookieSessionInterface

from etl import config

CSRF_COOKIE = "_csrf_token"  # the name dash-renderer looks for
CSRF_HEADER = "X-CSRFToken"
CSRF_SESSION_KEY = "_csrf"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SESSION_HOURS = int(os.environ.get("SESSION_HOURS", 12))


def upload_limit_bytes() -> int:
    """The largest file an analyst may upload (MAX_UPLOAD_BYTES, default 20 MB)."""
    return config.MAX_FILE_BYTES


def request_limit_bytes() -> int:
    """The largest request body: one upload limit of files, base64-encoded, plus JSON overhead."""
    return upload_limit_bytes() * 4 // 3 + 256 * 1024


def secret_key() -> str:
    """SECRET_KEY, or a random key kept in the instance folder so that every worker shares it."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = Path(config.INSTANCE_DIR) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with the Secure flag set per request when it came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


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
        return refuse(403, "跨站请求被拒绝。", "Cross-site request refused.")
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        return refuse(403, "跨站请求被拒绝。", "Cross-site request refused.")
    expected = session.get(CSRF_SESSION_KEY)
    sent = request.headers.get(CSRF_HEADER, "")
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        return refuse(403, "安全令牌缺失或无效，请刷新页面后重试。",
                      "Missing or invalid security token: reload the page and try again.")
    return None


def check_size():
    """before_request: refuse an announced body above the limit before anything reads it."""
    limit = request.max_content_length
    if limit is not None and request.content_length is not None and request.content_length > limit:
        return refuse(413, f"请求过大：上传文件不能超过{upload_limit_bytes() // (1024 * 1024)} MB。",
                      f"Request too large: files may not exceed "
                      f"{upload_limit_bytes() // (1024 * 1024)} MB.")
    return None


def refuse(status: int, message_zh: str, message_en: str):
    response = jsonify({"error": message_en, "message_zh": message_zh, "message_en": message_en})
    response.status_code = status
    return response


_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)


def inline_script_hashes(html: str) -> list[str]:
    """CSP hashes of the executable inline scripts of a page (JSON data blocks need none)."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs").lower()
        if "src=" in attrs or "application/json" in attrs:
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return sorted(set(hashes))


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


def add_headers(response):
    """after_request: security headers, and the CSRF cookie mirroring the session's token."""
    headers = response.headers
    hashes: list[str] = []
    if response.mimetype == "text/html" and not response.direct_passthrough:
        hashes = inline_script_hashes(response.get_data(as_text=True))
    headers.setdefault("Content-Security-Policy", content_security_policy(hashes))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.path.startswith("/_dash-update-component") or response.mimetype == "text/html":
        headers["Cache-Control"] = "no-store"
    token = csrf_token()
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=False, samesite="Strict",
                            secure=bool(response_secure()), path="/")
    return response


def response_secure() -> bool:
    from flask import current_app

    return bool(current_app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def init_security(server: Flask) -> None:
    server.config.update(
        SECRET_KEY=server.config.get("SECRET_KEY") or secret_key(),
        SESSION_COOKIE_NAME="dlj_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("SESSION_COOKIE_SECURE", "") in ("1", "true"),
        PERMANENT_SESSION_LIFETIME=SESSION_HOURS * 3600,
        MAX_CONTENT_LENGTH=request_limit_bytes(),
    )
    server.session_interface = SessionInterface()
    if os.environ.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(os.environ["TRUSTED_PROXIES"])
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    # Registered first so that they run before Dash's own before_request hooks.
    server.before_request_funcs.setdefault(None, []).insert(0, check_csrf)
    server.before_request_funcs[None].insert(0, check_size)
    server.after_request(add_headers)
    server.register_error_handler(413, lambda _e: refuse(
        413, f"请求过大：上传文件不能超过{upload_limit_bytes() // (1024 * 1024)} MB。",
        f"Request too large: files may not exceed {upload_limit_bytes() // (1024 * 1024)} MB."))
