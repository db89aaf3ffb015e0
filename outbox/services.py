"""The outbox: queue an email or an SMS in the caller's transaction, send it once from a
Celery task.

A row's life::

    queued ──claim──► sending ──► sent
      ▲                  ├──► failed   (refused for good, or out of attempts)
      ├── passing error ─┘             (back with a backoff delay)
      └── worker lost ── sweep, after OUTBOX_SENDING_TIMEOUT_SECONDS

Every task that reaches a worker first claims the row with a conditional UPDATE, so a task
delivered twice, published twice or retried sends nothing twice. The one gap left is a worker
that dies after the SMTP server took the message and before the row says *sent*: the sweep
sends it again, with the same ``Message-ID``, so that it can be recognised as the same email.

``next_attempt_at`` is the sweep's schedule. The task published on commit is the first hand-over
to the broker, so a new row is due for the sweep only after ``OUTBOX_REPUBLISH_AFTER_SECONDS``
(or at once if that publish failed); a passing failure makes it due after its backoff delay.

An SMS row lives the same life through the SMS backend (``outbox.sms``) instead of the mail
server's, with one rule more: it is never sent in the quiet hours (``outbox.quiet``). Queued
then, it is not published until they end; claimed then (a retry or the sweep), it is put back,
the attempt not counted, due at their end.

Publishing is one task per message, but one publish per transaction: the messages a
transaction queued are handed to the broker together after it commits, over one producer, so
that a change that queues thousands of emails does not pay a broker round trip set-up per email.
"""

import base64
import functools
import logging
import re
import secrets
import smtplib
import threading
import time
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from email import encoders
from email.headerregistry import Address
from email.mime.base import MIMEBase
from typing import TYPE_CHECKING, Any, cast

from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from . import conf
from .addresses import message_senders, sender_address
from .addresses import sms_sender as message_sender_sms
from .graph import GraphSendError
from .models import Channel, OutboxMessage, OutboxStatus
from .quiet import sms_quiet_until
from .sms import Sms, SmsSendError, sms_backend

if TYPE_CHECKING:
    from interviews.models import Office

logger = logging.getLogger(__name__)

# After a failed publish, commits in this process stop trying the broker for a while (the rows
# are left due for the sweep), so that a request that queues several emails while the broker
# is down waits for one connection timeout, not one per email.
PUBLISH_PAUSE_SECONDS = 10.0
_publish_paused_until = 0.0

# Messages per task. Celery's own work per task (the handover from the worker's main process
# to its pool process, the acknowledgement) cost a worker as much as the email itself; a
# batch pays it once for many. Each message is still claimed, sent and recorded on its own,
# so a batch repeated after a lost worker sends only what was not sent (``message_deliver``).
# A healthy batch takes a fifth of a second; a slow server's hands the rest on after
# tasks.BATCH_BUDGET_SECONDS, so that no batch runs into the task's time limit.
PUBLISH_BATCH = 50

# SMTP servers like to quote the address they refuse; last_error is shown to administrators and
# kept as long as the row, so addresses are masked in it.
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def message_queue(**message: object) -> OutboxMessage:
    """``message_enqueue`` for callers that need only the row."""
    return message_enqueue(**message)[0]  # type: ignore[arg-type]


def message_enqueue(
    *,
    key: str,
    kind: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    office: "Office | None" = None,
    about: tuple[str, int] | None = None,
    reply_to: Sequence[str] = (),
    attachments: Sequence[tuple[str, bytes, str]] = (),
    representative_id: int | None = None,
    supersede: bool = False,
    channel: str = Channel.EMAIL,
) -> tuple[OutboxMessage, bool]:
    """Queue one email (or, with ``channel`` *sms*, one SMS to the number ``to``, its text
    ``body_text``); calling it again with the same ``key`` returns the existing row.

    Returns the row and whether this call queued it. ``about`` is what the message is about,
    ``("seat", 42)``: what others ask the outbox by (``outbox.selectors``). ``office`` is the
    office it is about, whose name is its sender's (``outbox.addresses``); ``reply_to`` the
    addresses replies go to when that office has none of its own. With ``supersede``, the
    messages of the same kind about the same thing that are still waiting are not sent: this
    one replaces them (a second move of a panel before the first email went out).

    The send task is published only after the surrounding transaction commits, so a rolled
    back change sends nothing, and a broker that is down loses nothing (the sweep publishes).
    """
    about_type, about_id = about or ("", None)
    now = timezone.now()
    quiet_until = sms_quiet_until(now) if channel == Channel.SMS else None
    message = OutboxMessage(
        key=key,
        channel=channel,
        kind=kind,
        about_type=about_type,
        about_id=about_id,
        to=to,
        reply_to=list(reply_to),
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        office=office,
        representative_id=representative_id,
        attachments=[
            {
                "filename": name,
                "content_type": content_type,
                "content": base64.b64encode(content).decode("ascii"),
            }
            for name, content, content_type in attachments
        ],
        next_attempt_at=quiet_until or now + conf.seconds("OUTBOX_REPUBLISH_AFTER_SECONDS"),
    )
    if not _insert_unless_queued(message):
        return OutboxMessage.objects.get(key=key), False
    if supersede and about is not None:
        OutboxMessage.objects.filter(
            channel=channel,
            kind=kind,
            about_type=about_type,
            about_id=about_id,
            status=OutboxStatus.QUEUED,
        ).exclude(pk=message.pk).update(status=OutboxStatus.SUPERSEDED, next_attempt_at=None)
    if quiet_until is None:
        # An SMS queued in the quiet hours is left to the sweep, due at their end.
        _publish_on_commit(message.pk)
    return message, True


def _insert_unless_queued(message: OutboxMessage) -> bool:
    """Insert the row unless one with its key exists; True (and the row's id set) if inserted.

    One ``INSERT … ON CONFLICT (key) DO NOTHING RETURNING id`` (PostgreSQL, SQLite ≥ 3.35)
    instead of ``get_or_create``'s select, savepoint, insert and release: queuing thousands of
    emails in one transaction spent most of its time on those round trips. A concurrent
    transaction inserting the same key makes this one wait for its end, as the unique index
    did before; if it commits, nothing is inserted here and the caller reads its row.
    """
    connection = transaction.get_connection()
    fields = [field for field in OutboxMessage._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(message, True), connection) for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT.format(columns=columns, values=", ".join(["%s"] * len(values))), values
        )
        inserted = cursor.fetchone()
    if inserted is None:
        return False
    message.pk = inserted[0]
    message._state.adding = False
    return True


# Column names from the model and placeholders only: every value is a parameter.
_INSERT = (
    "INSERT INTO outbox_outboxmessage ({columns}) VALUES ({values}) "
    "ON CONFLICT (key) DO NOTHING RETURNING id"
)


def messages_publish(*, message_ids: Sequence[int]) -> int:
    """Hand messages to the broker, in order, over one producer: one ``outbox.send_batch`` task
    for each ``PUBLISH_BATCH`` of them.

    Returns how many messages the broker took: all of them, or those before the first batch
    that failed (nothing is raised, and the rest are left to the caller to mark due for the
    sweep).
    """
    global _publish_paused_until
    from .tasks import send_messages

    published = 0
    try:
        with send_messages.app.producer_or_acquire() as producer:
            for start in range(0, len(message_ids), PUBLISH_BATCH):
                batch = list(message_ids[start : start + PUBLISH_BATCH])
                # retry=False, with the broker's connect and socket timeouts, makes a broker
                # that is down answer within seconds instead of holding the caller.
                send_messages.apply_async(
                    kwargs={"message_ids": batch}, retry=False, producer=producer
                )
                published += len(batch)
    except Exception as error:  # noqa: BLE001 - a broker failure must never break the caller
        _publish_paused_until = time.monotonic() + PUBLISH_PAUSE_SECONDS
        logger.warning("outbox: could not publish message %s (%r)", message_ids[published], error)
        return published
    _publish_paused_until = 0.0
    return published


class _Unpublished(threading.local):
    """The ids this thread queued and has not yet handed to the broker."""

    def __init__(self) -> None:
        self.message_ids: list[int] = []


_unpublished = _Unpublished()


def _publish_on_commit(message_id: int) -> None:
    """Publish a new message once the surrounding transaction commits, with its others.

    Every message registers the same flush with ``transaction.on_commit`` (robust: the rows are
    committed whatever happens to it, and the sweep publishes what it could not). After the
    commit, the first flush hands the whole transaction's messages to the broker at once and
    the others find nothing left. Outside a transaction the flush runs at once. Ids whose
    transaction or savepoint rolled back wait in the list for the next flush, which leaves
    them out: their rows are gone (``messages_publish_queued`` publishes only queued rows).
    """
    _unpublished.message_ids.append(message_id)
    transaction.on_commit(_flush_unpublished, robust=True)


def _flush_unpublished() -> None:
    message_ids, _unpublished.message_ids = _unpublished.message_ids, []
    if message_ids:
        messages_publish_queued(message_ids=message_ids)


# Rows per query when the ids of a large transaction are checked after commit.
_CHUNK = 1000


def messages_publish_queued(*, message_ids: Sequence[int]) -> None:
    """Publish those of ``message_ids`` still queued; any the broker did not take are made due
    at once, for the sweep."""
    queued = OutboxMessage.objects.filter(status=OutboxStatus.QUEUED)
    ids = [
        pk
        for start in range(0, len(message_ids), _CHUNK)
        for pk in queued.filter(pk__in=message_ids[start : start + _CHUNK])
        .order_by("pk")
        .values_list("pk", flat=True)
    ]
    published = 0
    if time.monotonic() >= _publish_paused_until:
        published = messages_publish(message_ids=ids)
    for start in range(published, len(ids), _CHUNK):
        queued.filter(pk__in=ids[start : start + _CHUNK]).update(next_attempt_at=timezone.now())


# The claim: one conditional UPDATE that returns the row it claimed (PostgreSQL, SQLite ≥ 3.35).
_CLAIM = (
    "UPDATE outbox_outboxmessage SET status = %s, claimed_at = %s, attempts = attempts + 1, "
    "next_attempt_at = NULL WHERE id = %s AND status = %s RETURNING *"
)


# The *sent* record, written for nearly every message: one statement as it stands, since the
# ORM's building of the same UPDATE cost a worker 0.2 ms per email (a twentieth of its time).
_SENT = (
    "UPDATE outbox_outboxmessage SET status = %s, sent_at = %s, last_error = '' "
    "WHERE id = %s AND status = %s AND claimed_at = %s"
)

# On PostgreSQL the claimed row comes back with its office's name and address, which its
# sender is built from (``outbox.addresses``): not a second query per email. In a batch the
# *sent* record of the email just sent goes in the same statement and commit as the claim of
# the next (``messages_deliver``). SQLite (the embedded default of ``make run``) takes no
# UPDATE in a WITH; there each is a statement of its own and the office is read when the
# sender is built.
_CLAIMED_WITH_OFFICE = (
    f"claimed AS ({_CLAIM}) SELECT claimed.*, office.name AS office_name, "  # noqa: S608  # nosec B608: module constants only
    "office.email AS office_email FROM claimed "
    "LEFT JOIN interviews_office office ON office.id = claimed.office_id"
)
_CLAIM_WITH_OFFICE = f"WITH {_CLAIMED_WITH_OFFICE}"
_SENT_THEN_CLAIM_WITH_OFFICE = f"WITH sent AS ({_SENT}), {_CLAIMED_WITH_OFFICE}"


def message_claim(*, message_id: int, sent: OutboxMessage | None = None) -> OutboxMessage | None:
    """Claim a queued message for sending; only one caller wins a queuing.

    Returns the claimed row as the claim left it, or None if it was not there to claim. One
    conditional ``UPDATE … RETURNING``: the claim and the read are one round trip, and the row
    read is the one claimed. Its ``claimed_at`` is what the later updates of this attempt
    require, so that an attempt whose claim was taken over by the sweep changes nothing.

    ``sent``: a message just sent whose *sent* record is still to be written; it is written
    first, on PostgreSQL in the same statement and commit as the claim.
    """
    connection = transaction.get_connection()
    now = OutboxMessage._meta.get_field("claimed_at").get_db_prep_value(timezone.now(), connection)
    with_office = connection.vendor == "postgresql"
    claim = [OutboxStatus.SENDING.value, now, message_id, OutboxStatus.QUEUED.value]
    # On SQLite, and for a message erased once sent (more to its record than ``_SENT``), the
    # record is a statement of its own.
    if sent is not None and (not with_office or sent.erase_after_send):
        _record_sent(sent)
        sent = None
    if sent is not None:
        statement, parameters = _SENT_THEN_CLAIM_WITH_OFFICE, [*_sent_parameters(sent), *claim]
    else:
        statement, parameters = (_CLAIM_WITH_OFFICE if with_office else _CLAIM), claim
    claimed = list(OutboxMessage.objects.raw(statement, parameters))
    if not claimed:
        return None
    message = claimed[0]
    # raw() sets the columns the model does not have as attributes of the row.
    office_columns = [vars(message).pop(column, None) for column in ("office_name", "office_email")]
    if with_office and message.office_id is not None:
        # The office as the query read it (its other fields load if ever asked for).
        office_model = cast("type[Office]", OutboxMessage._meta.get_field("office").related_model)
        message.office = office_model.from_db(
            connection.alias, ["id", "name", "email"], [message.office_id, *office_columns]
        )
    return message


def message_deliver(
    *, message_id: int, connection: BaseEmailBackend | None = None
) -> OutboxStatus | None:
    """Claim, send and record one message.

    Returns the status the attempt left the row in: *sent*; *queued* again after a passing
    failure (due after its backoff delay); *failed* if refused for good or out of attempts.
    None when the message was not there to claim (already claimed, sent, failed or deleted).

    ``connection``: a mail backend the caller keeps open from one message to the next (the
    worker's, ``outbox.smtp``); it is opened here if it is not, and closed after a failed
    send, since its state is unknown then. Without it, the send opens and closes its own.
    """
    message = message_claim(message_id=message_id)
    if message is None:
        logger.info("outbox: message %s already claimed or done", message_id)
        return None
    status = _deliver_claimed(message, connection=connection)
    if status == OutboxStatus.SENDING:
        _record_sent(message)
        logger.info("outbox: sent message %s (%s)", message.pk, message.kind)
        return OutboxStatus.SENT
    return status


def messages_deliver(
    *,
    message_ids: Sequence[int],
    connection: BaseEmailBackend | None = None,
    deadline: float | None = None,
) -> int:
    """``message_deliver`` for each of ``message_ids`` in turn, until ``time.monotonic()``
    passes ``deadline``; how many were dealt with (the others are left as they were).

    The *sent* record of an email is written together with the claim of the next message
    (``message_claim``'s ``sent``): one statement and one commit less per email, and still
    before anything else is sent. The last one's is written on its own, also when the batch
    stops half-way for any reason. The emails sent are logged once for the batch, with their
    ids: a line per email was an eighth of a worker's CPU.
    """
    unrecorded: OutboxMessage | None = None
    sent: list[int] = []
    try:
        for done, message_id in enumerate(message_ids):
            if deadline is not None and time.monotonic() > deadline:
                return done
            message = message_claim(message_id=message_id, sent=unrecorded)
            if unrecorded is not None:
                sent.append(unrecorded.pk)
            unrecorded = None
            if message is None:
                logger.info("outbox: message %s already claimed or done", message_id)
                continue
            if _deliver_claimed(message, connection=connection) == OutboxStatus.SENDING:
                unrecorded = message
        return len(message_ids)
    finally:
        if unrecorded is not None:
            _record_sent(unrecorded)
            sent.append(unrecorded.pk)
        if sent:
            logger.info(
                "outbox: sent %s message(s): %s", len(sent), " ".join(str(pk) for pk in sent)
            )


def _deliver_claimed(
    message: OutboxMessage, *, connection: BaseEmailBackend | None
) -> OutboxStatus:
    """Send a claimed message; the status it leaves the row in. A failure is recorded here,
    and so is a sent SMS. An email sent leaves the row *sending*: its record is the caller's
    to write, next."""
    if message.channel == Channel.SMS:
        return _sms_deliver(message)
    try:
        email = _email(message, connection=connection)
        # Built before any connection: what cannot be built now never can (an address that
        # does not parse, a header with a line break), so it fails at once, not for ever.
        email.message()
        for address in email.recipients():
            Address(addr_spec=address)
        _sender_parses(sender_address())
    except Exception as error:  # noqa: BLE001 - recorded on the row as not buildable
        return _attempt_failed(
            message=message, claimed_at=message.claimed_at, error=MessageNotBuildable(error)
        )
    try:
        if connection is not None:
            connection.open()
        email.send()
    except Exception as error:  # noqa: BLE001 - every failure is recorded; none may leave the row in sending
        if connection is not None:
            connection.close()
        return _attempt_failed(message=message, claimed_at=message.claimed_at, error=error)
    return OutboxStatus.SENDING


@functools.lru_cache(maxsize=4)
def _sender_parses(address: str) -> None:
    """The check of the recipients, for the one sender address (a setting): made once, not for
    every email. A refusal raises again each time: exceptions are not cached."""
    Address(addr_spec=address)


def _sms_deliver(message: OutboxMessage) -> OutboxStatus:
    """Send a claimed SMS row through ``SMS_URL``'s backend, or put it back in quiet hours."""
    quiet_until = sms_quiet_until(timezone.now())
    if quiet_until is not None:
        _this_attempt(message.pk, message.claimed_at).update(
            status=OutboxStatus.QUEUED,
            attempts=F("attempts") - 1,
            next_attempt_at=quiet_until,
        )
        logger.info("outbox: SMS %s waits for the end of the quiet hours", message.pk)
        return OutboxStatus.QUEUED
    try:
        sms = _sms(message)
    except Exception as error:  # noqa: BLE001 - recorded on the row as not buildable
        return _attempt_failed(
            message=message, claimed_at=message.claimed_at, error=MessageNotBuildable(error)
        )
    try:
        sms_backend().send(sms)
    except Exception as error:  # noqa: BLE001 - every failure is recorded; none may leave the row in sending
        return _attempt_failed(message=message, claimed_at=message.claimed_at, error=error)
    _record_sent(message)
    logger.info("outbox: sent SMS %s (%s)", message.pk, message.kind)
    return OutboxStatus.SENT


_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def _sms(message: OutboxMessage) -> Sms:
    """The SMS as the backend takes it; what cannot be sent as it stands raises ValueError."""
    if not _E164.match(message.to):
        raise ValueError("the number is not in E.164")
    if not message.body_text.strip():
        raise ValueError("the SMS has no text")
    return Sms(
        to=message.to,
        sender=message_sender_sms(message),
        text=message.body_text,
        reference=message.sms_reference,
    )


def _record_sent(message: OutboxMessage) -> None:
    """Mark this attempt at ``message`` sent (nothing, if its claim was taken over); a message
    to be erased once sent loses its content in the same statement."""
    if message.erase_after_send:
        _this_attempt(message.pk, message.claimed_at).update(
            status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="", **_ERASED_CONTENT
        )
        return
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(_SENT, _sent_parameters(message))


def _sent_parameters(message: OutboxMessage) -> list[Any]:
    connection = transaction.get_connection()
    moment = OutboxMessage._meta.get_field("sent_at")
    return [
        OutboxStatus.SENT.value,
        moment.get_db_prep_value(timezone.now(), connection),
        message.pk,
        OutboxStatus.SENDING.value,
        moment.get_db_prep_value(message.claimed_at, connection),
    ]


def _this_attempt(message_id: int, claimed_at: datetime | None) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(
        pk=message_id, status=OutboxStatus.SENDING, claimed_at=claimed_at
    )


class MessageNotBuildable(Exception):
    """The message cannot be made into an email as it stands (refused for good)."""

    def __init__(self, error: Exception) -> None:
        # The library's reason without what it quotes of the address (personal data).
        super().__init__(f"{type(error).__name__}: {str(error).split(';')[0]}")


class _Email(EmailMultiAlternatives):
    """An email whose calendar part, if any, is one of its alternatives, as iMIP expects.

    Outlook shows a meeting (and Gmail and Apple Mail an event) when the ``text/calendar`` part
    sits beside the text and HTML in ``multipart/alternative`` (RFC 6047); the same calendar
    also goes as an ``application/ics`` file for whoever wants to import it by hand, a type no
    client reads as a second invitation.
    """

    calendar: MIMEBase | None = None
    # Built once: ``message_deliver`` builds it to check it before sending, and the backend's
    # send asks for it again (building the MIME parts was a tenth of a worker's CPU per email).
    _built: Any = None

    def message(self) -> Any:  # type: ignore[override]  # the stubs describe Django 6's signature
        if self._built is not None:
            return self._built
        # Django 5.2 builds compat32 SafeMIME* parts, whatever the stubs say.
        message: Any = super().message()
        if self.calendar is not None:
            alternatives = next(
                (p for p in message.walk() if p.get_content_type() == "multipart/alternative"),
                None,
            )
            (alternatives or message).attach(self.calendar)
        for part in message.walk():
            if part.is_multipart() and part.get_boundary() is None:
                part.set_boundary(_boundary())
        self._built = message
        return message


def _boundary() -> str:
    """A MIME boundary no body can hold by chance: 128 random bits, as a ``Message-ID``'s.

    Left to itself, the email package draws a boundary and compiles a new regular expression
    to check that no line of the flattened parts equals it (0.1 ms per part, each email).
    """
    return f"==============={secrets.token_hex(16)}=="


def _email(
    message: OutboxMessage, *, connection: BaseEmailBackend | None = None
) -> EmailMultiAlternatives:
    from_header, reply_to = message_senders(message)
    email = _Email(
        subject=message.subject,
        body=message.body_text,
        from_email=from_header,
        to=[message.to],
        reply_to=reply_to,
        # Every email navpanel sends is made by the system (RFC 3834): auto-responders and
        # out-of-office replies stay quiet.
        headers={"Message-ID": message.message_id, "Auto-Submitted": "auto-generated"},
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        if attachment["content_type"].startswith("text/calendar"):
            email.calendar = _calendar_part(attachment)
            email.attach(_file_part(attachment, content_type="application/ics"))
        else:
            email.attach(_file_part(attachment, content_type=attachment["content_type"]))
    return email


def _calendar_part(attachment: dict[str, str]) -> MIMEBase:
    """The calendar as iMIP expects it (RFC 6047): ``text/calendar`` with its ``method`` and
    ``charset=utf-8`` once, inline among the alternatives."""
    _type, *params = (part.strip() for part in attachment["content_type"].split(";"))
    part = MIMEBase("text", "calendar")
    for param in params:
        name, _eq, value = param.partition("=")
        if name.lower() != "charset":
            part.set_param(name, value)
    part.set_payload(base64.b64decode(attachment["content"]))
    part.set_param("charset", "utf-8")
    encoders.encode_base64(part)
    return part


def _file_part(attachment: dict[str, str], *, content_type: str) -> MIMEBase:
    """One attached file, base64, under its own name."""
    maintype, _slash, subtype = content_type.split(";")[0].strip().partition("/")
    part = MIMEBase(maintype, subtype, name=attachment["filename"])
    part.set_payload(base64.b64decode(attachment["content"]))
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
    return part


def _attempt_failed(
    *, message: OutboxMessage, claimed_at: datetime | None, error: Exception
) -> OutboxStatus:
    description = error_describe(error)
    attempt = _this_attempt(message.pk, claimed_at)
    if error_is_permanent(error) or message.attempts >= conf.setting("OUTBOX_MAX_ATTEMPTS"):
        failed: dict[str, object] = {"status": OutboxStatus.FAILED, "last_error": description}
        if message.erase_after_send:
            failed |= _ERASED_CONTENT
        attempt.update(**failed)
        logger.warning(
            "outbox: message %s failed for good after %s attempt(s): %s",
            message.pk,
            message.attempts,
            description,
        )
        return OutboxStatus.FAILED
    delay = retry_delay(attempts=message.attempts)
    if isinstance(error, GraphSendError | SmsSendError):
        # Graph or the SMS gateway said how long to wait (429 or 503 with Retry-After): never
        # come back sooner.
        delay = max(delay, timedelta(seconds=error.retry_after))
    attempt.update(
        status=OutboxStatus.QUEUED,
        last_error=description,
        next_attempt_at=timezone.now() + delay,
    )
    logger.info(
        "outbox: message %s failed for now (attempt %s), next try in %s s: %s",
        message.pk,
        message.attempts,
        int(delay.total_seconds()),
        description,
    )
    return OutboxStatus.QUEUED


def retry_delay(*, attempts: int) -> timedelta:
    """The wait after the ``attempts``-th passing failure: base × 2^(attempts − 1), capped."""
    base = conf.setting("OUTBOX_RETRY_BACKOFF_SECONDS")
    cap = conf.setting("OUTBOX_RETRY_BACKOFF_MAX_SECONDS")
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def error_is_permanent(error: BaseException) -> bool:
    """True when the server refused this message for good: a 5xx reply to its sender,
    recipient or content, or a message that cannot be encoded as it is.

    Everything else passes and is tried again: 4xx replies, lost connections, timeouts, and
    5xx replies about the server or our credentials rather than the message (once the mail
    settings are fixed, those messages go out without anyone retrying them by hand).
    Microsoft Graph's answers are sorted the same way (``outbox.graph``), and so are the SMS
    gateway's (``outbox.sms``).
    """
    if isinstance(error, GraphSendError | SmsSendError):
        return error.permanent
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(code >= 500 for code, _ in error.recipients.values())
    if isinstance(
        error,
        smtplib.SMTPAuthenticationError | smtplib.SMTPConnectError | smtplib.SMTPHeloError,
    ):
        return False
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return isinstance(error, smtplib.SMTPNotSupportedError | BadHeaderError | MessageNotBuildable)


def error_describe(error: BaseException) -> str:
    """The error as an administrator needs it (class, SMTP code and reply), addresses masked."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        text = "; ".join(f"{code} {_text(reply)}" for code, reply in error.recipients.values())
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {_text(error.smtp_error)}"
    else:
        text = str(error)
    return _ADDRESS.sub("[address]", f"{type(error).__name__}: {text}".strip())[:2000]


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def messages_sweep() -> int:
    """Free what is stuck in *sending*, then publish what is due. Returns how many it published.

    A row stays *sending* if its worker died between claim and the end of the attempt: after
    ``OUTBOX_SENDING_TIMEOUT_SECONDS`` it is queued again (that attempt counts), or failed
    when out of attempts. A row is due if its publish on commit failed, if its backoff delay is
    over, or if it has waited ``OUTBOX_REPUBLISH_AFTER_SECONDS`` since its last hand-over.
    Publishing marks the row not due for that long again, so a second sweep right after
    publishes nothing; concurrent sweeps skip each other's rows. At the first publish that
    fails, the sweep stops and leaves the rest due.
    """
    now = timezone.now()
    _messages_free_stuck(now=now)
    with transaction.atomic():
        due = list(
            OutboxMessage.objects.filter(status=OutboxStatus.QUEUED, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[: conf.setting("OUTBOX_SWEEP_BATCH")]
        )
        OutboxMessage.objects.filter(pk__in=due).update(
            next_attempt_at=now + conf.seconds("OUTBOX_REPUBLISH_AFTER_SECONDS")
        )
    published = messages_publish(message_ids=due)
    if published < len(due):
        OutboxMessage.objects.filter(pk__in=due[published:], status=OutboxStatus.QUEUED).update(
            next_attempt_at=now
        )
        logger.warning("outbox: sweep stopped, the broker is not taking messages")
        return published
    if due:
        logger.info("outbox: sweep published %s message(s)", len(due))
    return len(due)


def _messages_free_stuck(*, now: datetime) -> None:
    stuck = OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING,
        claimed_at__lt=now - conf.seconds("OUTBOX_SENDING_TIMEOUT_SECONDS"),
    )
    lost = "WorkerLost: the worker stopped while sending; the message may have gone out"
    failed = stuck.filter(attempts__gte=conf.setting("OUTBOX_MAX_ATTEMPTS")).update(
        status=OutboxStatus.FAILED, last_error=lost
    )
    freed = stuck.update(status=OutboxStatus.QUEUED, last_error=lost, next_attempt_at=now)
    if failed or freed:
        logger.warning("outbox: %s stuck message(s) queued again, %s failed", freed, failed)


@transaction.atomic
def messages_retry(*, message_ids: Iterable[int]) -> int:
    """Queue failed messages again with a fresh count of attempts; publish them on commit.

    Messages that are not *failed* are left alone, so retrying twice queues once.
    """
    retried = list(
        OutboxMessage.objects.filter(pk__in=list(message_ids), status=OutboxStatus.FAILED)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    OutboxMessage.objects.filter(pk__in=retried).update(
        status=OutboxStatus.QUEUED,
        attempts=0,
        claimed_at=None,
        next_attempt_at=timezone.now() + conf.seconds("OUTBOX_REPUBLISH_AFTER_SECONDS"),
    )
    for message_id in retried:
        _publish_on_commit(message_id)
    return len(retried)


ERASED_ADDRESS = "slettet@navpanel.invalid"
# What erasing a person leaves of a message about them: that it was sent, when, and its kind.
_ERASED_CONTENT: dict[str, object] = {
    "to": ERASED_ADDRESS,
    "reply_to": [],
    "subject": "",
    "body_text": "",
    "body_html": "",
    "attachments": [],
}


@transaction.atomic
def messages_erase(
    *,
    representative_id: int,
    address: str = "",
    addresses: Iterable[str] = (),
    still_send_since: datetime | None = None,
) -> None:
    """Erase what the outbox holds about a person (by id, or sent to ``address`` or any of
    ``addresses``: their email address and their phone number), emails and SMS alike.

    Messages not yet sent are not sent, except those queued from ``still_send_since`` on (in
    the caller's transaction: a calendar cancellation, the confirmation of the erasure): they
    go out, and their content is erased once they are sent or fail. Everything else loses
    recipient and content now.
    """
    sent_to = Q(representative_id=representative_id)
    for to in {address, *addresses} - {""}:
        sent_to |= Q(to__iexact=to)
    mentions = OutboxMessage.objects.filter(sent_to)
    unsent = mentions.filter(status__in=[OutboxStatus.QUEUED, OutboxStatus.SENDING])
    farewells = (
        Q(created_at__gte=still_send_since) if still_send_since is not None else Q(pk__in=[])
    )
    unsent.filter(farewells).update(erase_after_send=True)
    unsent.exclude(farewells).update(
        status=OutboxStatus.FAILED, next_attempt_at=None, last_error=ERASED_ERROR
    )
    mentions.exclude(
        erase_after_send=True, status__in=[OutboxStatus.QUEUED, OutboxStatus.SENDING]
    ).update(**_ERASED_CONTENT)


# The last_error of a message not sent because the person it was for was erased.
ERASED_ERROR = "erased"
