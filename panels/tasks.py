"""Celery beat runs the periodic jobs of ``panels.jobs`` through these thin tasks.

Each task reads the clock, calls one job and returns its count; the job does the work and is
safe to run twice, so a task delivered twice (late acks, a lost worker) changes nothing. The
schedule is ``CELERY_BEAT_SCHEDULE`` in ``navpanel/settings.py``.
"""

import logging

from celery import shared_task
from django.utils import timezone

from . import jobs
from .retention import retention_run

logger = logging.getLogger(__name__)


def _run(name: str, job: jobs.Job) -> int:
    done = job(now=timezone.now())
    if done:
        logger.info("panels: %s did %s", name, done)
    return done


@shared_task(name="panels.reminders")
def reminders() -> int:
    return _run("reminders", jobs.reminders_send)


@shared_task(name="panels.answer_reminders")
def answer_reminders() -> int:
    return _run("answer_reminders", jobs.answer_reminders_send)


@shared_task(name="panels.invitations_expire")
def invitations_expire() -> int:
    return _run("invitations_expire", jobs.invitations_expire)


@shared_task(name="panels.attendance_reminders")
def attendance_reminders() -> int:
    return _run("attendance_reminders", jobs.attendance_reminders_send)


@shared_task(name="panels.feedback_requests")
def feedback_requests() -> int:
    return _run("feedback_requests", jobs.feedback_requests_send)


@shared_task(name="panels.consent_renewals")
def consent_renewals() -> int:
    return _run("consent_renewals", jobs.consent_renewals_send)


@shared_task(name="panels.unanswered_consents_erase")
def unanswered_consents_erase() -> int:
    return _run("unanswered_consents_erase", jobs.unanswered_consents_erase)


@shared_task(name="panels.pool_import")
def pool_import(*, job_id: str) -> None:
    """Import one large pool CSV (``panels.pool.importing``); a job claimed or gone is left."""
    from .models import PoolImport
    from .pool.importing import pool_import_run

    job = PoolImport.objects.select_related("office", "requested_by").filter(pk=job_id).first()
    if job is None:
        logger.info("pool import %s is gone", job_id)
        return
    pool_import_run(job=job)


@shared_task(name="retention.nightly")
def retention_nightly() -> dict[str, int]:
    """Erase what is due (``panels.retention``): candidates' names, representatives who did not
    renew consent, and old audit events. Logs counts only, never names or ids of people."""
    plan = retention_run()
    counts = {
        "candidates": len(plan.candidate_ids),
        "representatives": len(plan.representative_ids),
        "audit_events": plan.audit_events,
    }
    logger.info("retention run: %s", counts)
    return counts
