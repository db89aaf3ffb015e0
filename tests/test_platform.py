"""Connection URLs from the variables NAIS sets, and production settings the environment owns."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from navpanel.gunicorn_conf import cpus, loggable_path
from navpanel.platform import (
    PlatformConfigError,
    celery_redis_url,
    database_url,
    redis_urls,
    valkey_url,
)

ROOT = Path(__file__).resolve().parent.parent
NAIS_DB = {
    "NAIS_DATABASE_NAVPANEL_NAVPANEL_HOST": "100.10.1.0",
    "NAIS_DATABASE_NAVPANEL_NAVPANEL_URL": (
        "postgresql://navpanel:s3cr%40t@100.10.1.0:5432/navpanel"
        "?sslcert=/var/run/secrets/nais.io/sqlcertificate/cert.pem&sslmode=verify-ca"
    ),
    "NAIS_DATABASE_NAVPANEL_NAVPANEL_JDBC_URL": "jdbc:postgresql://100.10.1.0:5432/navpanel",
}
VALKEY = {
    "REDIS_URI_CACHE": "rediss://valkey-navpanel-cache-nav-prod.aivencloud.com:26483",
    "REDIS_USERNAME_CACHE": "navpanel-cache",
    "REDIS_PASSWORD_CACHE": "p@ss:word/1",
    "REDIS_URI_BROKER": "rediss://valkey-navpanel-broker-nav-prod.aivencloud.com:26484",
    "REDIS_USERNAME_BROKER": "navpanel-broker",
    "REDIS_PASSWORD_BROKER": "other",
}


def test_database_url_is_the_nais_one_when_no_database_url_is_set():
    assert database_url(NAIS_DB) == NAIS_DB["NAIS_DATABASE_NAVPANEL_NAVPANEL_URL"]


def test_database_url_prefers_an_explicit_database_url():
    assert database_url({**NAIS_DB, "DATABASE_URL": "postgres://x@h/db"}) == "postgres://x@h/db"


def test_database_url_with_two_nais_databases_asks_which_one():
    two = {**NAIS_DB, "NAIS_DATABASE_OTHER_DB_URL": "postgresql://o@h/o"}

    with pytest.raises(PlatformConfigError, match="NAVPANEL_DATABASE_ENV_PREFIX"):
        database_url(two)

    chosen = database_url({**two, "NAVPANEL_DATABASE_ENV_PREFIX": "NAIS_DATABASE_OTHER_DB"})
    assert chosen == "postgresql://o@h/o"


def test_no_database_variables_fall_back_to_the_embedded_default():
    assert database_url({}) is None


def test_valkey_url_carries_the_instances_username_and_password_escaped():
    url = valkey_url(VALKEY, "cache")

    assert url == (
        "rediss://navpanel-cache:p%40ss%3Aword%2F1"
        "@valkey-navpanel-cache-nav-prod.aivencloud.com:26483"
    )


def test_cache_and_broker_use_their_own_instances_when_both_are_named():
    cache, broker = redis_urls(
        {**VALKEY, "NAVPANEL_REDIS_INSTANCE": "cache", "NAVPANEL_BROKER_REDIS_INSTANCE": "broker"}
    )

    assert "valkey-navpanel-cache" in cache
    assert "navpanel-broker:other@valkey-navpanel-broker" in broker


def test_the_broker_shares_the_cache_instance_when_only_one_is_named():
    cache, broker = redis_urls({**VALKEY, "NAVPANEL_REDIS_INSTANCE": "cache"})

    assert broker == cache


def test_a_named_instance_without_its_variables_is_a_clear_error():
    with pytest.raises(PlatformConfigError, match="REDIS_URI_SESSIONS"):
        redis_urls({"NAVPANEL_REDIS_INSTANCE": "sessions"})


def test_celery_gets_tls_with_certificate_verification_and_plain_redis_is_untouched():
    assert celery_redis_url("rediss://u:p@h:1/0").endswith("?ssl_cert_reqs=CERT_REQUIRED")
    assert celery_redis_url("redis://127.0.0.1:6379/1") == "redis://127.0.0.1:6379/1"


def _settings_in_a_fresh_process(module: str, env: dict[str, str], *names: str) -> list[str]:
    code = "import django, os; django.setup(); from django.conf import settings;" + "".join(
        f"print(repr({expression}));" for expression in names
    )
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"}
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": module, "SECRET_KEY": "k" * 60, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().splitlines()


def test_settings_connect_to_what_nais_provides():
    env = {**NAIS_DB, **VALKEY}
    env |= {"NAVPANEL_REDIS_INSTANCE": "cache", "NAVPANEL_BROKER_REDIS_INSTANCE": "broker"}

    host, name, options, cache, broker = _settings_in_a_fresh_process(
        "navpanel.settings_production",
        env,
        "settings.DATABASES['default']['HOST']",
        "settings.DATABASES['default']['NAME']",
        "settings.DATABASES['default']['OPTIONS']['sslmode']",
        "settings.CACHES['default']['LOCATION']",
        "settings.CELERY_BROKER_URL",
    )

    assert (host, name, options) == ("'100.10.1.0'", "'navpanel'", "'verify-ca'")
    assert cache.startswith("'rediss://navpanel-cache:")
    assert broker.startswith("'rediss://navpanel-broker:")
    assert "ssl_cert_reqs=CERT_REQUIRED" in broker


def test_production_session_length_follows_the_environment():
    (age,) = _settings_in_a_fresh_process(
        "navpanel.settings_production",
        {"STAFF_SESSION_MAX_SECONDS": "3600"},
        "settings.SESSION_COOKIE_AGE",
    )

    assert age == "3600"


def test_every_writable_path_is_under_navpanel_var_dir(tmp_path):
    paths = _settings_in_a_fresh_process(
        "navpanel.settings",
        {"NAVPANEL_VAR_DIR": str(tmp_path)},
        "str(settings.DATABASES['default']['NAME'])",
        "settings.MEDIA_ROOT",
        "settings.EMAIL_FILE_PATH",
        "settings.CELERY_BROKER_URL",
    )

    assert all(str(tmp_path) in path for path in paths), paths


def test_gunicorn_workers_follow_the_containers_cpu_limit(tmp_path):
    limited, unlimited = tmp_path / "limited", tmp_path / "unlimited"
    limited.write_text("150000 100000\n")
    unlimited.write_text("max 100000\n")

    assert cpus(limited) == 2
    assert cpus(unlimited) == len(os.sched_getaffinity(0))


def test_the_access_log_keeps_a_signed_links_shape_but_not_its_token():
    assert loggable_path("/r/plass/NQ:1xa4EU:Ed2s7kD/ja/") == "/r/plass/<token>/ja/"
    assert loggable_path("/r/min-side/abc:def/") == "/r/min-side/<token>/"
    assert loggable_path("/hr/roster/") == "/hr/roster/"
