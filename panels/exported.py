"""Undo, until the honoraria are exported (issue 18, point 1).

A leader may correct attendance, change or delete a travel claim, and remove a candidate; each
only while HR has not exported the honoraria of that office for that day. After the export,
payroll may already have paid it, so the leader's pages refuse and say whom to ask.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from interviews.models import Office

from .models import HonorariaExport


def honoraria_export_for(*, office_id: int, day: date) -> HonorariaExport | None:
    """The first export of ``office_id``'s honoraria whose period holds ``day``, if any."""
    return (
        HonorariaExport.objects.filter(office_id=office_id, date_from__lte=day, date_to__gte=day)
        .order_by("exported_at", "id")
        .first()
    )


def refuse_if_exported(*, office_id: int, moment: datetime) -> None:
    """Refuse a change to what ``office_id`` owes for the local day of ``moment`` once the
    honoraria of that day have been exported."""
    day = timezone.localdate(moment)
    export = honoraria_export_for(office_id=office_id, day=day)
    if export is not None:
        raise ValidationError(
            _(
                "The honoraria for %(day)s were sent to payroll on %(exported)s, so this can "
                "no longer be changed here. Ask HR to correct it."
            )
            % {
                "day": formats.date_format(day, "DATE_FORMAT"),
                "exported": formats.date_format(
                    timezone.localdate(export.exported_at), "DATE_FORMAT"
                ),
            },
            code="honoraria_exported",
        )


@transaction.atomic
def honoraria_exports_record(
    *,
    offices: Iterable[Office],
    date_from: date,
    date_to: date,
    file_format: str,
    by: User | None,
) -> list[HonorariaExport]:
    """Record that the honoraria of ``offices`` for the period were downloaded for payroll."""
    return HonorariaExport.objects.bulk_create(
        HonorariaExport(
            office=office,
            date_from=date_from,
            date_to=date_to,
            file_format=file_format,
            exported_by=by,
        )
        for office in offices
    )
