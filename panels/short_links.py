"""Short links for SMS: made when an SMS is written, read by ``/r/k/<code>``, purged with
their long link (issue 19).

A code is ten characters from an alphabet without look-alikes (no 0/O, 1/l/I), drawn with
``secrets``: 55^10 ≈ 2.5 × 10^17 codes, so guessing one is hopeless. It maps to the path of a
signed link, never to anything else; the signed link still decides what the page shows and
whether it has expired.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import ExpressionWrapper, F, Q
from django.db.models.fields import DateTimeField
from django.urls import reverse
from django.utils import timezone

from . import links
from .models import Representative, Seat, ShortLink

ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 10


def _code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def short_link_create(
    *, url: str, representative: Representative, seat: Seat | None = None
) -> ShortLink:
    """A new short link to ``url`` (a signed link of ``links``), in the caller's transaction.

    A person's link (no ``seat``) expires with the signed link's own maximum age.
    """
    path = url.removeprefix(settings.SITE_URL.rstrip("/"))
    expires_at = None if seat is not None else timezone.now() + links.REPRESENTATIVE_LINK_MAX_AGE
    while True:
        code = _code()
        if not ShortLink.objects.filter(code=code).exists():
            break
    return ShortLink.objects.create(
        code=code, path=path, representative=representative, seat=seat, expires_at=expires_at
    )


def short_url(link: ShortLink) -> str:
    return links.absolute(reverse("short_link", args=[link.code]))


def short_link_path(code: str, *, now: datetime | None = None) -> str | None:
    """The path ``code`` stands for, or None if there is none (or it is past its long link)."""
    link = ShortLink.objects.filter(code=code).select_related("seat__panel").first()
    if link is None or _expired(link, now or timezone.now()):
        return None
    return link.path


def _expired(link: ShortLink, now: datetime) -> bool:
    if link.seat is not None:
        return now > links.seat_link_ends_at(link.seat.panel)
    return link.expires_at is not None and now > link.expires_at


def short_links_purge(*, now: datetime | None = None) -> int:
    """Delete the short links whose long link no longer works; how many were deleted."""
    now = now or timezone.now()
    seat_over = ExpressionWrapper(
        F("seat__panel__ends_at") + timedelta(days=settings.SEAT_LINK_GRACE_DAYS),
        output_field=DateTimeField(),
    )
    expired = ShortLink.objects.annotate(seat_over=seat_over).filter(
        Q(seat__isnull=True, expires_at__lt=now) | Q(seat__isnull=False, seat_over__lt=now)
    )
    deleted, _by_model = ShortLink.objects.filter(pk__in=expired.values("pk")).delete()
    return deleted
