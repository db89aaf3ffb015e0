import logging
import smtplib

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="outbox.send", bind=True, max_retries=6)
def send_message(self, *, message_id: int) -> None:
    """Send one outbox message, at most once per claim."""
    if not services.message_claim(message_id=message_id):
        logger.info("outbox: message %s already claimed or sent", message_id)
        return
    try:
        services.message_send(message_id=message_id)
    except (*services.TRANSIENT_SMTP_ERRORS, smtplib.SMTPResponseException) as error:
        permanent = isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500
        if permanent or self.request.retries >= self.max_retries:
            services.message_fail(message_id=message_id, error=repr(error))
            logger.warning("outbox: message %s failed for good", message_id)
            return
        services.message_release(message_id=message_id, error=repr(error))
        raise self.retry(countdown=min(2 ** (self.request.retries + 1), 300)) from error


@shared_task(name="outbox.sweep")
def sweep() -> int:
    return services.messages_sweep()
