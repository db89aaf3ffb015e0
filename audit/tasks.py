"""The nightly retention run (beat: ``retention-nightly`` in ``CELERY_BEAT_SCHEDULE``).

It lives here, in a ``tasks`` module Celery discovers, and runs ``panels.retention``: candidates'
names, representatives who did not renew consent, and this app's own old events.
"""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="retention.nightly")
def retention_nightly() -> dict[str, int]:
    """Erase what is due; log counts only, never names or ids of people."""
    from panels.retention import retention_run

    plan = retention_run()
    counts = {
        "candidates": len(plan.candidate_ids),
        "representatives": len(plan.representative_ids),
        "audit_events": plan.audit_events,
    }
    logger.info("retention run: %s", counts)
    return counts
