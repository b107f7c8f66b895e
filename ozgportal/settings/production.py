"""Production: secure defaults; refuses to start without a real SECRET_KEY."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import TRUSTED_PROXIES, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("unsicher"):
    raise ImproperlyConfigured("SECRET_KEY muss in Produktion gesetzt sein (mindestens 50 zufällige Zeichen).")

# X-Forwarded-Proto is believed only when a proxy is trusted to set it (TRUSTED_PROXIES); otherwise any client
# could declare its plain-HTTP request secure.
if TRUSTED_PROXIES > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
# Subdomains and the browsers' preload list bind hosts this portal does not own, hard to undo: only on request.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Those two are decisions for the operator, not defects: the deploy check need not warn while they are off.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
