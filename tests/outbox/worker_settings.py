"""Settings of the Celery workers that the outbox tests start: the test settings, with the
outbox's timings read from the environment so that a test can shorten them."""

import os

from navpanel.settings_test import *  # noqa: F403

for _name in ("OUTBOX_RETRY_BACKOFF_SECONDS", "OUTBOX_MAX_ATTEMPTS"):
    if _name in os.environ:
        globals()[_name] = int(os.environ[_name])
