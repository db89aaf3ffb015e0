from django.db import migrations, models
from django.db.models import F


def make_queued_rows_due(apps, schema_editor):
    """Rows queued before this column existed are due at once: the sweep publishes them."""
    OutboxMessage = apps.get_model("outbox", "OutboxMessage")
    OutboxMessage.objects.filter(status="queued").update(next_attempt_at=F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="next attempt"),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(
                fields=["status", "next_attempt_at"], name="outbox_outb_status_939f04_idx"
            ),
        ),
        migrations.RunPython(make_queued_rows_due, migrations.RunPython.noop),
    ]
