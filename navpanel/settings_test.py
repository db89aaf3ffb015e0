"""Settings for the test suite: the real PostgreSQL and Redis of the machine unless told otherwise.

Each pytest-xdist worker gets its own Redis database (1, 2, …) so that their Celery queues and
caches never mix; pytest-django gives each its own test database.
"""

import os

_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_redis_db = 1 + int(_xdist_worker.removeprefix("gw") or 0)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/navpanel")
os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{_redis_db}")

from .settings import *  # noqa: E402, F403

# Argon2 is deliberately slow; tests sign in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
