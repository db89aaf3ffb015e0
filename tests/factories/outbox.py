import factory
from django.utils import timezone

from outbox.models import OutboxMessage, OutboxStatus


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    key = factory.Sequence(lambda n: f"test:message:{n}")
    kind = "invitation"
    to = factory.Sequence(lambda n: f"bruker{n}@example.no")
    subject = factory.Sequence(lambda n: f"Invitation {n}")
    body_text = "Hello,\nyou are invited to an interview panel."
    body_html = "<p>Hello,</p><p>you are invited to an interview panel.</p>"
    status = OutboxStatus.QUEUED
    next_attempt_at = factory.LazyFunction(timezone.now)
