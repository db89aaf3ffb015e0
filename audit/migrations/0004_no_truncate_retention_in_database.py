"""The audit log cannot be emptied: TRUNCATE is refused, and DELETE only reaches rows past retention.

Migration 0002 let a session delete rows of any age once it had set ``navpanel.audit_purge``;
any code (or anyone with the application's database login) could set it. Now the database
itself decides what is old enough: a row may be deleted only when it is older than
``RETENTION`` (5 years, the audit log's retention in the README), whoever asks, and the purge
(``audit_purge(before)``) deletes no younger row whatever ``before`` it is given. A longer
``AUDIT_RETENTION_DAYS`` keeps rows longer; a shorter one cannot shorten this floor. Changing the
floor is a new migration, reviewed like code.

TRUNCATE bypasses row triggers, so a statement trigger refuses it. The test suite's flush
between transactional tests truncates every table: ``tests/conftest.py`` runs it with
``session_replication_role = replica``, which only a database superuser may set (the
application's login in NAIS is not one).
"""

from django.db import migrations

RETENTION = "1826 days"

CREATE = f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < now() - interval '{RETENTION}' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'the audit log is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION audit_event_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'the audit log is append-only: TRUNCATE refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_no_truncate();

CREATE OR REPLACE FUNCTION audit_purge(before timestamptz) RETURNS bigint AS $$
DECLARE
    deleted bigint;
BEGIN
    DELETE FROM audit_auditevent
    WHERE at < LEAST(before, now() - interval '{RETENTION}');
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$ LANGUAGE plpgsql;
"""

DROP = """
DROP FUNCTION IF EXISTS audit_purge(timestamptz);
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_no_truncate();
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('navpanel.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'the audit log is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_auditevent_action_api_refused")]

    operations = [migrations.RunPython(create, drop)]
