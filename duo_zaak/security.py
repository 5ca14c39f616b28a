"""Security headers on every response; `Cache-Control: no-store` on whatever a logged-in user gets (pages, API
answers, downloads) and on the API; the client address from a trusted proxy's X-Forwarded-For when configured."""

from __future__ import annotations

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def register(app: Flask) -> None:
    hops = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if hops > 0:  # behind that many proxies: the login slow-down and the audit log see the real client address
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    @app.after_request
    def _headers(response: Response) -> Response:
        # with single sign-on the logout form is redirected on to the provider's end_session_endpoint
        extra = app.config.get("CSP_FORM_ACTION_EXTRA")
        csp = CSP.replace("form-action 'self'", f"form-action 'self' {extra}") if extra else CSP
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static" and (g.get("user") is not None or request.path.startswith("/api/")):
            response.headers["Cache-Control"] = "no-store"  # no zaak data in a shared or back-button cache
        return response
