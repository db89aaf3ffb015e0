"""The outbox's timings: each is a Django setting (``OUTBOX_*``) if set there, else the default."""

from datetime import timedelta

from django.conf import settings

DEFAULTS: dict[str, int] = {
    # A row in *sending* longer than this has lost its worker. Keep it above the send task's
    # time limit (``outbox.tasks.SEND_TIME_LIMIT_SECONDS``), so that a worker that is only slow
    # is never overtaken; keep it short, because it is how long a message in flight when its
    # worker died waits to go (again).
    "OUTBOX_SENDING_TIMEOUT_SECONDS": 150,
    # How long the sweep leaves a queued row alone after it was handed to the broker: a worker
    # with a backlog is slow, not lost, and should not get the same row over and over.
    "OUTBOX_REPUBLISH_AFTER_SECONDS": 300,
    # A transient failure waits base × 2^(attempt − 1), at most the max, before the next attempt.
    "OUTBOX_RETRY_BACKOFF_SECONDS": 60,
    "OUTBOX_RETRY_BACKOFF_MAX_SECONDS": 3600,
    # Attempts before a message that keeps failing for passing reasons is marked failed.
    "OUTBOX_MAX_ATTEMPTS": 8,
    # Rows the sweep hands to the broker in one run.
    "OUTBOX_SWEEP_BATCH": 5000,
}


def setting(name: str) -> int:
    return getattr(settings, name, DEFAULTS[name])


def seconds(name: str) -> timedelta:
    return timedelta(seconds=setting(name))
