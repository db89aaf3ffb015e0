"""Connection URLs from the variables NAIS sets, read once at process start.

- PostgreSQL: ``DATABASE_URL`` when set (the demo, the tests, ``make prod``); otherwise the
  ``NAIS_DATABASE_<INSTANCE>_<DATABASE>_URL`` that ``spec.gcp.sqlInstances`` provides (with its
  TLS certificate parameters), or the one named by ``NAVPANEL_DATABASE_ENV_PREFIX``.
- Redis/Valkey: ``REDIS_URL`` when set; otherwise ``REDIS_URI_<INSTANCE>`` (``rediss://``) with
  ``REDIS_USERNAME_<INSTANCE>`` and ``REDIS_PASSWORD_<INSTANCE>`` of the instance named by
  ``NAVPANEL_REDIS_INSTANCE`` (the cache). The Celery broker uses ``BROKER_REDIS_URL`` or the
  instance named by ``NAVPANEL_BROKER_REDIS_INSTANCE`` when set, and the cache's otherwise.

NAIS rotates these credentials by restarting the pods with new values, so reading them at
start is enough (docs/persistence/valkey/reference in nais/doc).
"""

import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

_NAIS_DATABASE_URL = re.compile(r"^NAIS_DATABASE_([A-Z0-9_]+)_URL$")


class PlatformConfigError(ValueError):
    """The platform's variables do not say unambiguously what to connect to."""


def database_url(environ: Mapping[str, str]) -> str | None:
    """The PostgreSQL URL to use, or None to fall back on the embedded default."""
    if environ.get("DATABASE_URL"):
        return environ["DATABASE_URL"]
    prefix = environ.get("NAVPANEL_DATABASE_ENV_PREFIX")
    if prefix:
        url = environ.get(f"{prefix}_URL")
        if not url:
            raise PlatformConfigError(f"NAVPANEL_DATABASE_ENV_PREFIX={prefix} but no {prefix}_URL")
        return url
    found = sorted(
        name
        for name in environ
        if _NAIS_DATABASE_URL.match(name) and not name.endswith("_JDBC_URL")
    )
    if len(found) > 1:
        raise PlatformConfigError(
            f"several databases ({', '.join(found)}): name one in NAVPANEL_DATABASE_ENV_PREFIX"
        )
    return environ[found[0]] if found else None


def valkey_url(environ: Mapping[str, str], instance: str) -> str:
    """``REDIS_URI_<INSTANCE>`` with the instance's username and password written into it."""
    key = instance.upper().replace("-", "_")
    uri = environ.get(f"REDIS_URI_{key}") or environ.get(f"VALKEY_URI_{key}")
    if not uri:
        raise PlatformConfigError(f"no REDIS_URI_{key}: is the valkey instance {instance} listed?")
    username = environ.get(f"REDIS_USERNAME_{key}") or environ.get(f"VALKEY_USERNAME_{key}", "")
    password = environ.get(f"REDIS_PASSWORD_{key}") or environ.get(f"VALKEY_PASSWORD_{key}", "")
    parts = urlsplit(uri)
    scheme = {"valkeys": "rediss", "valkey": "redis"}.get(parts.scheme, parts.scheme)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    if username or password:
        netloc = f"{quote(username, safe='')}:{quote(password, safe='')}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))


def redis_urls(environ: Mapping[str, str]) -> tuple[str, str]:
    """The cache's URL and the broker's URL ("" when Redis is not configured at all)."""
    cache = environ.get("REDIS_URL") or ""
    if not cache and environ.get("NAVPANEL_REDIS_INSTANCE"):
        cache = valkey_url(environ, environ["NAVPANEL_REDIS_INSTANCE"])
    broker = environ.get("BROKER_REDIS_URL") or ""
    if not broker and environ.get("NAVPANEL_BROKER_REDIS_INSTANCE"):
        broker = valkey_url(environ, environ["NAVPANEL_BROKER_REDIS_INSTANCE"])
    return cache, broker or cache


def celery_redis_url(url: str) -> str:
    """Celery's Redis transport refuses ``rediss://`` unless told to verify the certificate."""
    parts = urlsplit(url)
    if parts.scheme != "rediss":
        return url
    query = dict(parse_qsl(parts.query))
    query.setdefault("ssl_cert_reqs", "CERT_REQUIRED")
    return urlunsplit(parts._replace(query=urlencode(query)))
