"""Settings of the beat processes that tests/test_beat.py starts: the test settings with one
job due every second and a short lock, so that a handover shows within seconds."""

from navpanel.settings_test import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {"outbox-sweep": {"task": "outbox.sweep", "schedule": 1.0}}
BEAT_LOCK_SECONDS = 3
BEAT_LEADER_CHECK_SECONDS = 0.5
