import logging

from celery import shared_task

from . import services
from .models import ExportJob

logger = logging.getLogger(__name__)


@shared_task(name="rosters.export_build")
def roster_export_build(*, job_id: str) -> None:
    """Build one large roster export; a job already claimed or gone is left alone."""
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None:
        logger.info("export job %s is gone", job_id)
        return
    services.export_job_build(job=job)


@shared_task(name="rosters.export_purge")
def roster_export_purge() -> int:
    """Delete expired export files (beat may run it hourly)."""
    return services.export_jobs_purge()
