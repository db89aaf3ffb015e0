"""PostgreSQL refuses one representative booked on two panels whose times overlap.

Expressed in SQL rather than as a model ExclusionConstraint so that the same models still
migrate on the embedded SQLite default, where the service layer checks the rule alone.
"""

from django.db import migrations

from panels.enums import BOOKING_STATUSES

STATUSES = ", ".join(f"'{s}'" for s in BOOKING_STATUSES)


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        "ALTER TABLE panels_seat ADD CONSTRAINT seat_no_overlapping_bookings "
        "EXCLUDE USING gist (representative_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
        f"WHERE (status IN ({STATUSES}) AND representative_id IS NOT NULL)"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE panels_seat DROP CONSTRAINT seat_no_overlapping_bookings")


class Migration(migrations.Migration):
    dependencies = [("panels", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
