"""Settings for the test suite: the real PostgreSQL and Redis of the machine unless told otherwise.

pytest-django gives each xdist process its own test database; tests/conftest.py gives each its
own Redis database (1, 2, …) so that their Celery queues and caches never mix.
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/navpanel")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")

from .settings import *  # noqa: F403

# Argon2 is deliberately slow; tests sign in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Many tests sign in an administrator or HR with a password only; the tests of
# accounts.middleware and the access matrix turn it on with override_settings.
MFA_REQUIRED = False

# SMS go nowhere unless a test (or a worker it starts) points SMS_URL at its fake gateway.
SMS_URL = os.environ.get("SMS_URL", "locmem://")
# No quiet hours unless a test sets them (tests/outbox/test_sms_quiet_hours.py): the suite
# runs at any hour of the day.
SMS_QUIET_START_HOUR = SMS_QUIET_END_HOUR = 0

# No page is computed again after each write (navpanel.warming) but in that module's tests.
PAGES_WARM = False
