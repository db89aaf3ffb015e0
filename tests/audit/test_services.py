def test_an_event_whose_detail_holds_a_nul_character_is_recorded_without_it(db):
    from audit.enums import AuditAction
    from audit.services import audit_record

    event = audit_record(action=AuditAction.API_CALLED, filters={"name": "Kari\x00 Nord"})

    event.refresh_from_db()
    assert event.detail["filters"] == {"name": "Kari Nord"}
