"""Settings for the benchmarks: the project's own, plus the floor page (``bench/urls.py``).

Never used in production: the floor view exists only in the benchmark URLconf.
"""

from navpanel.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# ``manage.py seed_scale`` (bench/management/): the application never imports the benchmarks.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DEBUG = False
# Sessions are made with Client.force_login; no password is checked under load.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
