"""A seat books each day of its panel's interviews, not the panel's whole span (issue 14, point 6).

The exclusion constraint that refused overlapping seats (0002) moves to the bookings, so a
person on a panel whose interviews are a week apart can sit on another panel in between. On
the embedded SQLite default the service layer checks the rule alone, as before.
"""

from itertools import groupby
from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.db import migrations, models

BOOKING_STATUSES = ("invited", "accepted", "attended")
OSLO = ZoneInfo("Europe/Oslo")


def bookings_backfill(apps, schema_editor):
    Seat = apps.get_model("panels", "Seat")
    SeatBooking = apps.get_model("panels", "SeatBooking")
    seats = Seat.objects.filter(status__in=BOOKING_STATUSES, representative__isnull=False)
    blocks_of_panel: dict[int, list[tuple]] = {}
    for seat in seats.select_related("panel").iterator():
        if seat.panel_id not in blocks_of_panel:
            interviews = sorted(
                seat.panel.interviews.filter(status="scheduled").values_list("starts_at", "ends_at")
            )
            blocks_of_panel[seat.panel_id] = [
                (min(s for s, _ in day), max(e for _, e in day))
                for _date, day in (
                    (d, list(g))
                    for d, g in groupby(interviews, key=lambda i: i[0].astimezone(OSLO).date())
                )
            ] or [(seat.panel.starts_at, seat.panel.ends_at)]
        SeatBooking.objects.bulk_create(
            SeatBooking(seat=seat, representative_id=seat.representative_id, starts_at=s, ends_at=e)
            for s, e in blocks_of_panel[seat.panel_id]
        )


def constraint_move(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE panels_seat DROP CONSTRAINT IF EXISTS seat_no_overlapping_bookings"
    )
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        "ALTER TABLE panels_seatbooking ADD CONSTRAINT seat_booking_no_overlap "
        "EXCLUDE USING gist (representative_id WITH =, tstzrange(starts_at, ends_at) WITH &&)"
    )


def constraint_move_back(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE panels_seatbooking DROP CONSTRAINT IF EXISTS seat_booking_no_overlap"
    )
    statuses = ", ".join(f"'{s}'" for s in BOOKING_STATUSES)
    schema_editor.execute(
        "ALTER TABLE panels_seat ADD CONSTRAINT seat_no_overlapping_bookings "
        "EXCLUDE USING gist (representative_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
        f"WHERE (status IN ({statuses}) AND representative_id IS NOT NULL)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0012_honorariaexport"),
    ]

    operations = [
        migrations.CreateModel(
            name="SeatBooking",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField()),
                ("ends_at", models.DateTimeField()),
                (
                    "representative",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bookings",
                        to="panels.representative",
                    ),
                ),
                (
                    "seat",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bookings",
                        to="panels.seat",
                    ),
                ),
            ],
            options={
                "ordering": ["starts_at", "id"],
                "indexes": [
                    models.Index(
                        fields=["representative", "ends_at"], name="panels_seat_represe_6f516d_idx"
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                        name="seat_booking_ends_after_start",
                    )
                ],
            },
        ),
        migrations.RunPython(bookings_backfill, migrations.RunPython.noop),
        migrations.RunPython(constraint_move, constraint_move_back),
    ]
