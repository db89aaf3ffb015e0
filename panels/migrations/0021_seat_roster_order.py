"""An index in the roster's order (issue 20): HR's national roster opens on the first 50 of
~200,000 seats by date, which PostgreSQL then reads from the index instead of sorting every
seat (147 ms → under 1 ms at 250 offices, bench/RESULTS.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0020_representative_unique_phone"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="seat",
            index=models.Index(fields=["starts_at", "panel", "id"], name="seat_roster_order"),
        ),
    ]
