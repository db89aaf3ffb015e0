"""A seat begins *invited*: the *suggested* status was never stored (suggestions are shown on the
panel page, not saved as seats), so it leaves the choices, the default and the condition of the
one-seat-per-person-per-panel constraint. Reversible: the operations are undone in reverse."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("panels", "0008_consent_renewed_at"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="seat",
            name="seat_one_live_seat_per_representative_per_panel",
        ),
        migrations.AlterField(
            model_name="seat",
            name="status",
            field=models.CharField(
                choices=[
                    ("invited", "Invited"),
                    ("accepted", "Accepted"),
                    ("declined", "Declined"),
                    ("expired", "No answer"),
                    ("withdrawn", "Withdrawn"),
                    ("cancelled", "Cancelled"),
                    ("attended", "Attended"),
                    ("no_show", "Did not come"),
                ],
                default="invited",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="seattransition",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("invited", "Invited"),
                    ("accepted", "Accepted"),
                    ("declined", "Declined"),
                    ("expired", "No answer"),
                    ("withdrawn", "Withdrawn"),
                    ("cancelled", "Cancelled"),
                    ("attended", "Attended"),
                    ("no_show", "Did not come"),
                ],
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="seattransition",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("invited", "Invited"),
                    ("accepted", "Accepted"),
                    ("declined", "Declined"),
                    ("expired", "No answer"),
                    ("withdrawn", "Withdrawn"),
                    ("cancelled", "Cancelled"),
                    ("attended", "Attended"),
                    ("no_show", "Did not come"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddConstraint(
            model_name="seat",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ("invited", "accepted", "attended"))),
                fields=("panel", "representative"),
                name="seat_one_live_seat_per_representative_per_panel",
                violation_error_message="The representative already has a seat on this panel.",
            ),
        ),
    ]
