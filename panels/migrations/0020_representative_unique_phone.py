"""One mobile number, one representative (issue 19): the number is whom an SMS goes to.

Numbers given twice before this migration are settled first, so the constraint can be added:
the person an SMS goes to keeps the number (the first added who chose SMS, else the first
added); each other holder who has an email address loses the number, hears from NAV by email,
and gets a note saying so (the number is kept in the note for a call). A holder with neither
email nor the number left cannot be reached at all, so nothing is guessed: the migration stops
and names them, for an administrator to settle in the admin site first (docs/decisions.md).
"""

from django.db import migrations, models
from django.db.models import Count
from django.utils import timezone

NOTE = (
    "Mobilnummeret {phone} ble tatt bort {day}: et mobilnummer kan bare stå på én "
    "representant. Spør personen hvilket nummer som er deres."
)


def settle_numbers_given_twice(representative_model) -> None:
    """Leave each non-empty phone number on one representative (see the module docstring)."""
    twice = (
        representative_model.objects.exclude(phone="")
        .values("phone")
        .annotate(holders=Count("id"))
        .filter(holders__gt=1)
        .values_list("phone", flat=True)
    )
    day = timezone.localdate().isoformat()
    stuck = []
    for phone in list(twice):
        holders = list(representative_model.objects.filter(phone=phone).order_by("id"))
        keeper = next((h for h in holders if h.contact in ("sms", "both")), holders[0])
        for holder in holders:
            if holder.pk == keeper.pk:
                continue
            if not holder.email:
                stuck.append(holder.pk)
                continue
            note = NOTE.format(phone=phone, day=day)
            holder.note = f"{holder.note}\n\n{note}" if holder.note else note
            holder.phone = ""
            holder.contact = "email"
            holder.save(update_fields=["note", "phone", "contact"])
    if stuck:
        raise RuntimeError(
            "Representatives share a mobile number and have no email address, so none can be "
            "given up without leaving them unreachable: "
            f"{', '.join(str(pk) for pk in sorted(stuck))} (ids). Give each an email address or "
            "its own number in the admin site, then migrate again."
        )


def forwards(apps, schema_editor):
    settle_numbers_given_twice(apps.get_model("panels", "Representative"))


class Migration(migrations.Migration):

    dependencies = [
        ('interviews', '0007_office_cap'),
        ('panels', '0019_seat_over_cap'),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='representative',
            constraint=models.UniqueConstraint(condition=models.Q(('phone', ''), _negated=True), fields=('phone',), name='representative_unique_phone'),
        ),
    ]
