"""The worker process's SMTP connection, kept open from one email to the next.

Django's SMTP backend connects, greets, sends and quits for every ``send()``; a worker working
through a backlog spent a large share of each email on that. A worker process keeps one backend
instead: connected at its first email (``services.message_deliver`` opens it), checked with
NOOP before it is used again after a pause (servers drop idle connections), closed after a
failed send (its state is unknown then) and when the process shuts down. The guarantees do not
change: a connection found dead is replaced *before* the message is handed over, and a send
that fails is an attempt like any other, never repeated on the spot.

Only the SMTP backend is kept: the file backend of development writes one file per ``open()``,
and the mail page shows one email per file.
"""

import logging
import time

from celery.signals import worker_process_shutdown, worker_shutdown
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

logger = logging.getLogger(__name__)

# A connection unused for longer than this is checked with NOOP before the next email.
IDLE_CHECK_SECONDS = 5.0

_backend: SmtpBackend | None = None
_backend_settings: tuple[object, ...] = ()
_last_used = 0.0


def _settings() -> tuple[object, ...]:
    return (
        settings.EMAIL_BACKEND,
        settings.EMAIL_HOST,
        settings.EMAIL_PORT,
        settings.EMAIL_HOST_USER,
        settings.EMAIL_USE_TLS,
        settings.EMAIL_USE_SSL,
    )


def _answers(backend: SmtpBackend) -> bool:
    """Whether the open connection still answers (a NOOP is one short round trip)."""
    try:
        return backend.connection is not None and backend.connection.noop()[0] == 250
    except Exception:  # noqa: BLE001 - any failure means: connect again
        return False


def worker_connection() -> SmtpBackend | None:
    """The SMTP backend this process keeps open, or None when email does not go by SMTP.

    It is handed to ``message_deliver``, which opens it when it is closed. A connection that
    sat idle and no longer answers is closed here, so that the next send connects afresh.
    """
    global _backend, _backend_settings, _last_used
    if _backend is not None and _backend_settings != _settings():
        connection_close()
    if _backend is None:
        backend = get_connection()
        if not isinstance(backend, SmtpBackend):
            return None
        _backend, _backend_settings = backend, _settings()
    now = time.monotonic()
    if now - _last_used > IDLE_CHECK_SECONDS and _backend.connection is not None:
        if not _answers(_backend):
            logger.info("outbox: the SMTP connection was closed while idle; connecting again")
            _backend.close()
    _last_used = now
    return _backend


@worker_process_shutdown.connect
@worker_shutdown.connect
def connection_close(**_signal: object) -> None:
    """Say QUIT to the SMTP server and forget the backend (at shutdown, or new settings)."""
    global _backend
    if _backend is not None:
        _backend.close()
        _backend = None
