import pytest
from django.db import DatabaseError


def test_an_event_whose_detail_holds_a_nul_character_is_recorded_without_it(db):
    from audit.enums import AuditAction
    from audit.services import audit_record

    event = audit_record(action=AuditAction.API_CALLED, filters={"name": "Kari\x00 Nord"})

    event.refresh_from_db()
    assert event.detail["filters"] == {"name": "Kari Nord"}


@pytest.mark.django_db(transaction=True)
def test_an_event_whose_offices_cannot_be_stored_is_not_stored_either(monkeypatch):
    """HR of an office reads the events linked to it: an event is stored with its offices or
    not at all (here the database refuses the links half-way)."""
    from audit.enums import AuditAction
    from audit.models import AuditEvent, AuditEventOffice
    from audit.services import audit_record

    def refused(*args, **kwargs):
        raise DatabaseError("the connection was lost")

    monkeypatch.setattr(AuditEventOffice.objects, "bulk_create", refused)

    with pytest.raises(DatabaseError):
        audit_record(action=AuditAction.API_CALLED, office_ids=[1, 2])

    assert not AuditEvent.objects.exists()
